"""Small statistics shared by the fits and the sweeps: intervals for a share and for a mean."""

from __future__ import annotations

import math
from statistics import NormalDist

__all__ = ["mean_interval", "wilson"]


def _z(level: float) -> float:
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1), got {level!r}")
    return NormalDist().inv_cdf(0.5 + level / 2.0)


def wilson(successes: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of a share ``successes / n``: it stays in [0, 1] and keeps its
    coverage for shares near 0 or 1, where the textbook share +- z se does not (Brown, Cai &
    DasGupta 2001). NaN for ``n = 0``."""
    z = _z(level)
    if n <= 0:
        return (math.nan, math.nan)
    share = successes / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (0.0 if successes == 0 else max(0.0, centre - half), 1.0 if successes == n else min(1.0, centre + half))


def mean_interval(count: float, total: float, squares: float, level: float = 0.95) -> tuple[float, float]:
    """The normal interval of a mean from a count, a sum and a sum of squares (mergeable over chunks):
    mean +- z s / sqrt(count). NaN for fewer than two values."""
    z = _z(level)
    if count < 2:
        return (math.nan, math.nan)
    mean = total / count
    variance = max(squares - count * mean * mean, 0.0) / (count - 1)
    half = z * math.sqrt(variance / count)
    return (mean - half, mean + half)
