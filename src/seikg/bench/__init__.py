"""Benchmark helpers: the synthetic national data set (generated at run time, never shipped)."""
