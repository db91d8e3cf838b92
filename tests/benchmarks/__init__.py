"""Benchmarks: ``python -m tests.benchmarks [names...]`` (``make bench``) runs them and prints figures."""
