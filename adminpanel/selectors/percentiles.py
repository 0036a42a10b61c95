"""Percentiles the way PostgreSQL's percentile_cont computes them, from a histogram.

Latencies are whole milliseconds, so a {value: count} histogram describes a
day's replies exactly, and histograms of several days add up to the period's.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping
from itertools import accumulate


def percentile_cont(histogram: Mapping[int, int], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont over the values a {value: count} histogram describes."""
    return latency_percentiles(histogram, fractions=(fraction,))[0]


def latency_percentiles(histogram: Mapping[int, int], *, fractions: tuple[float, ...]) -> list[float | None]:
    """Several percentile_cont values from one walk up the sorted histogram.

    percentile_cont(f) over n values is the value at 0-based position (n-1)*f,
    interpolated linearly between the two ranks either side of it.
    """
    if not histogram:
        return [None] * len(fractions)
    values = sorted(histogram)
    # cumulative[i]: how many values are <= values[i]; the value at 0-based rank r
    # is the first whose cumulative count exceeds r.
    cumulative = list(accumulate(histogram[value] for value in values))
    total = cumulative[-1]

    def value_at(rank: int) -> int:
        return values[bisect_right(cumulative, rank)]

    results: list[float | None] = []
    for fraction in fractions:
        position = (total - 1) * fraction
        lower_rank = math.floor(position)
        lower, upper = value_at(lower_rank), value_at(min(lower_rank + 1, total - 1))
        results.append(lower + (upper - lower) * (position - lower_rank))
    return results
