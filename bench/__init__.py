"""Benchmark harness of ft-sandbox (never part of the test suite): ``python -m bench``."""
