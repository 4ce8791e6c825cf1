"""Benchmarks and their data generators (``make bench``); not run by ``make test``."""
