"""Tests of the file drop's domain package."""
