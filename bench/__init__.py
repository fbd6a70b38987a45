"""Benchmarks (not part of the product). A package so gunicorn can import `bench.urls` from the repo root."""
