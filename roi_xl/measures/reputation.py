"""Reputation and relationships in numbers: share of voice, net sentiment, word of mouth and
customers kept."""
from __future__ import annotations

import math
from collections.abc import Iterable

from ..errors import OutOfDomain


def _counts(*counts: float) -> None:
    if any(c < 0 for c in counts):
        raise OutOfDomain("a negative count")


def _total(counts: Iterable[float]) -> float:
    """The sum of counts (mentions of each period or source), none of which may be negative."""
    counts = list(counts)
    _counts(*counts)
    return math.fsum(counts)


def share_of_voice(own_mentions: Iterable[float], all_mentions: Iterable[float]) -> float:
    """Your mentions as a share of all brands' mentions (yours included)."""
    own, total = _total(own_mentions), _total(all_mentions)
    if total == 0:
        raise ZeroDivisionError("no mentions at all")
    if own > total:
        raise OutOfDomain("own mentions above all mentions")
    return own / total


def net_sentiment(positive: Iterable[float], negative: Iterable[float],
                  neutral: Iterable[float] = ()) -> float:
    """(positive - negative) / (positive + negative + neutral) over summed counts of mentions:
    -1 all negative, 1 all positive."""
    pos, neg = _total(positive), _total(negative)
    total = pos + neg + _total(neutral)
    if total == 0:
        raise ZeroDivisionError("no mentions")
    return (pos - neg) / total


def referral_value(advocates: float, referrals_per_advocate: float, conversion_rate: float,
                   value_per_customer: float) -> float:
    """Word of mouth in money: customers won through advocates' referrals times their value."""
    _counts(advocates, referrals_per_advocate)
    if not 0.0 <= conversion_rate <= 1.0:
        raise OutOfDomain("conversion rate outside [0, 1]")
    return advocates * referrals_per_advocate * conversion_rate * value_per_customer


def retention_value(customers: float, retention_uplift: float, value_per_period: float,
                    periods: float, discount_rate: float = 0.0) -> float:
    """Customers kept thanks to the relationship (customers x uplift) times the present value of
    what each brings over `periods` periods (truncated to whole periods), discounted at
    `discount_rate` per period: sum over t = 1..periods of value_per_period / (1 + rate) ** t."""
    if periods < 0:
        raise OutOfDomain("negative periods")
    if not -1.0 <= retention_uplift <= 1.0:
        raise OutOfDomain("retention uplift outside [-1, 1]")
    if discount_rate <= -1.0:
        raise OutOfDomain("discount rate at or below -100%")
    n = math.trunc(periods)
    if discount_rate == 0:
        annuity = float(n)
    else:  # the annuity factor (1 - (1 + r) ** -n) / r, accurate for tiny r too
        annuity = -math.expm1(-n * math.log1p(discount_rate)) / discount_rate
    return customers * retention_uplift * value_per_period * annuity
