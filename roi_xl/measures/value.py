"""Money values of social results beyond direct sales: actions, service deflection, traffic, uplift."""
from __future__ import annotations

from collections.abc import Iterable

from ..errors import OutOfDomain


def action_value(pairs: Iterable[tuple[float, float]]) -> float:
    """Sum of count * unit value over (count, unit value) pairs: likes, shares, leads..."""
    return sum(count * unit for count, unit in pairs)


def deflection_savings(contacts_deflected: float, cost_per_contact: float,
                       social_cost_per_contact: float = 0.0) -> float:
    """Call-centre cost saved by answering contacts on social instead."""
    return contacts_deflected * (cost_per_contact - social_cost_per_contact)


def traffic_value(visits: float, conversion_rate: float, value_per_conversion: float) -> float:
    """Money value of social-referred web visits."""
    if not 0.0 <= conversion_rate <= 1.0:
        raise OutOfDomain("conversion rate outside [0, 1]")
    return visits * conversion_rate * value_per_conversion


def segment_uplift(engaged_value: float, other_value: float, engaged_count: float) -> float:
    """Extra value from engaged customers over the others (retention, deal size...)."""
    return (engaged_value - other_value) * engaged_count
