"""Storebot's benchmarks (issue 8): `make bench` or `python -m bench --case NAME|all`.

Each case runs in its own process against a scratch database (PostgreSQL at
127.0.0.1:5432, created and dropped, or a scratch SQLite file), prints a
table and writes `bench/results.json`. Targets are judged on medians, next to
a baseline measured in the same run, because these machines are noisy.
"""
