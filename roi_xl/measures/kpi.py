"""KPI attainment, traffic-light status and the weighted KPI score."""
from __future__ import annotations

from collections.abc import Iterable

from ..errors import BadChoice, OutOfDomain

DIRECTIONS = ("higher", "lower")


def attainment(actual: float, target: float, direction: str = "higher",
               baseline: float | None = None, cap: float | None = None) -> float:
    """How far a KPI got to its target: 1.0 means reached.

    higher: actual / target; lower: target / actual. With a baseline, progress from baseline to
    target: (actual - baseline) / (target - baseline), which already reads the right way round
    when lower is better (the same ratio as (baseline - actual) / (baseline - target)).
    """
    direction = direction.strip().lower()
    if direction not in DIRECTIONS:
        raise BadChoice(f"direction must be one of {DIRECTIONS}")
    if baseline is not None:
        if target == baseline:
            raise ZeroDivisionError("target equals baseline")
        result = (actual - baseline) / (target - baseline)
    elif direction == "higher":
        if target == 0:
            raise ZeroDivisionError("target is zero")
        result = actual / target
    else:
        if actual == 0:
            raise ZeroDivisionError("actual is zero")
        result = target / actual
    return result if cap is None else min(result, cap)


def status(attainment: float, amber: float = 0.9, green: float = 1.0) -> str:
    """GREEN at or above green, AMBER at or above amber, RED below."""
    if amber > green:
        raise OutOfDomain("amber threshold above green")
    if attainment >= green:
        return "GREEN"
    if attainment >= amber:
        return "AMBER"
    return "RED"


def score(pairs: Iterable[tuple[float, float]], cap: float | None = None) -> float:
    """Weighted mean of attainments, each first capped: sum(min(a, cap) * w) / sum(w)."""
    weighted = total_weight = 0.0
    for value, weight in pairs:
        if weight < 0:
            raise OutOfDomain("negative weight")
        weighted += (value if cap is None else min(value, cap)) * weight
        total_weight += weight
    if total_weight == 0:
        raise ZeroDivisionError("weights sum to zero")
    return weighted / total_weight
