"""Tests of the bench harness (bench/): its CPU reading, its figures, its scenario table."""
