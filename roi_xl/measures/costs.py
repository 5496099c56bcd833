"""The full cost of social work: totals, roll-ups by category, cost per result."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..errors import OutOfDomain


def cost_total(rows: Iterable[tuple[float, float, float, float]]) -> float:
    """Sum of (amount + hours * rate) * allocation over rows of (amount, hours, rate, allocation)."""
    total = 0.0
    for amount, hours, rate, allocation in rows:
        if not 0.0 <= allocation <= 1.0:
            raise OutOfDomain("allocation outside [0, 1]")
        total += (amount + hours * rate) * allocation
    return total


def key_of(key: object) -> object:
    """How keys compare: text ignores letter case, numbers as numbers, TRUE/FALSE only with
    themselves (TRUE is not 1, as in SUMIF), blank is ''."""
    if key is None:
        return ""
    if isinstance(key, bool):
        return (bool, key)
    if isinstance(key, str):
        return key.casefold()
    return key


def cost_rollup(keys: Sequence[object], amounts: Sequence[float]) -> list[tuple[object, float]]:
    """Each distinct key (first spelling seen, first-seen order) with the total of its amounts."""
    totals: dict[object, list] = {}
    for key, amount in zip(keys, amounts):
        entry = totals.setdefault(key_of(key), ["" if key is None else key, 0.0])
        entry[1] += amount
    return [(shown, total) for shown, total in totals.values()]


def cost_for_key(keys: Sequence[object], amounts: Sequence[float], key: object) -> float:
    """Total of the amounts whose key matches `key` (letter case ignored); 0 when none does."""
    wanted = key_of(key)
    return sum(amount for k, amount in zip(keys, amounts) if key_of(k) == wanted)


def cost_per(cost: float, count: float) -> float:
    """Cost per engagement, lead, click..."""
    if count == 0:
        raise ZeroDivisionError("count is zero")
    return cost / count
