"""Multi-touch attribution: how much of one conversion each touch of its path is credited with."""
from __future__ import annotations

from collections.abc import Sequence

from ..errors import BadChoice, NotReached, OutOfDomain

MODELS = ("first", "last", "linear", "position", "time_decay")

# The position-based (U-shaped) model: the first and the last touch get 40% each, the others
# share 20%.
_ENDS_SHARE = 0.4
_MIDDLE_SHARE = 0.2


def weights(touch_days: Sequence[float], model: str = "linear", half_life: float = 7.0) -> list[float]:
    """The share of one conversion credited to each touch, oldest touch first; they sum to 1.

    touch_days[i] is how many days before the conversion touch i happened. time_decay credits
    each touch in proportion to 2 ** (-days / half_life): a touch half_life days older gets half.
    """
    model = model.strip().lower()
    if model not in MODELS:
        raise BadChoice(f"model must be one of {MODELS}")
    n = len(touch_days)
    if n == 0:
        raise NotReached("no touch")
    if any(days < 0 for days in touch_days):
        raise OutOfDomain("a touch after the conversion")
    if model == "first":
        return [1.0] + [0.0] * (n - 1)
    if model == "last":
        return [0.0] * (n - 1) + [1.0]
    if model == "linear":
        return [1.0 / n] * n
    if model == "position":
        if n <= 2:
            return [1.0 / n] * n
        middle = _MIDDLE_SHARE / (n - 2)
        return [_ENDS_SHARE] + [middle] * (n - 2) + [_ENDS_SHARE]
    if half_life <= 0:
        raise OutOfDomain("half-life must be above 0")
    newest = min(touch_days)  # measured from the newest touch, so that old paths do not underflow
    decayed = [2.0 ** (-(days - newest) / half_life) for days in touch_days]
    total = sum(decayed)
    return [d / total for d in decayed]


def attributed_value(channels: Sequence[object], touch_days: Sequence[float],
                     conversion_value: float, channel: object, model: str = "linear",
                     half_life: float = 7.0) -> float:
    """conversion_value times the summed weights of the touches on `channel` (0 when none is).

    Channels compare with ==: the caller hands them over already folded (letter case...)."""
    shares = weights(touch_days, model, half_life)
    return conversion_value * sum(w for c, w in zip(channels, shares) if c == channel)
