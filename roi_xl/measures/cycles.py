"""Long buying cycles: returns that land periods after the spend, and the value of a pipeline."""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from ..errors import OutOfDomain

# A profile typed as percentages (10%, 20%, ...) may sum to 1 plus a rounding error.
_SUM_TOLERANCE = 1e-9


def check_profile(profile: Sequence[float]) -> None:
    """A lag profile: shares in [0, 1] of a period's value arriving 0, 1, 2... periods later."""
    if any(not 0.0 <= share <= 1.0 for share in profile):
        raise OutOfDomain("a profile share outside [0, 1]")
    if math.fsum(profile) > 1.0 + _SUM_TOLERANCE:
        raise OutOfDomain("the profile sums above 1")


def lag_spread(values: Sequence[float], profile: Sequence[float], full: bool = False) -> list[float]:
    """result[t] = sum over k of values[t - k] * profile[k]: what lands in each period when
    profile[k] of each period's value arrives k periods later (a discrete convolution).

    As long as `values`; with `full`, len(profile) - 1 periods longer (the tail after the last).
    """
    check_profile(profile)
    length = len(values) + (max(len(profile) - 1, 0) if full else 0)
    return [math.fsum(values[t - k] * share for k, share in enumerate(profile)
                      if 0 <= t - k < len(values))
            for t in range(length)]


def pipeline_value(stages: Iterable[tuple[float, float, float]]) -> float:
    """Expected value of a pipeline: sum of count * win probability * deal value over its stages."""
    total = []
    for count, probability, deal_value in stages:
        if not 0.0 <= probability <= 1.0:
            raise OutOfDomain("a stage probability outside [0, 1]")
        total.append(count * probability * deal_value)
    return math.fsum(total)
