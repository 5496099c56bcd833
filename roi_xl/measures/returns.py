"""Returns on social investment: ROI, ROAS, RONI and payback."""
from __future__ import annotations

from collections.abc import Sequence

from ..errors import NotReached, OutOfDomain


def _per_unit_cost(amount: float, cost: float) -> float:
    if cost == 0:
        raise ZeroDivisionError("cost is zero")
    if cost < 0:
        raise OutOfDomain("cost is negative")
    return amount / cost


def roi(returns: float, costs: float) -> float:
    """(returns - costs) / costs: return on investment, as a ratio (0.5 is 50%)."""
    return _per_unit_cost(returns - costs, costs)


def roas(revenue: float, ad_spend: float) -> float:
    """Revenue per unit of ad spend."""
    return _per_unit_cost(revenue, ad_spend)


def roni(revenue_at_risk: float, loss_probability: float, cost_saved: float,
         forgone_returns: float = 0.0) -> float:
    """Risk of not investing: expected loss from not investing, net of the cost saved, per unit saved.

    (revenue_at_risk * loss_probability + forgone_returns - cost_saved) / cost_saved, which is
    roi(forgone_returns, cost_saved) when nothing is at risk. This definition is roi-xl's own.
    """
    if not 0.0 <= loss_probability <= 1.0:
        raise OutOfDomain("loss probability outside [0, 1]")
    return roi(revenue_at_risk * loss_probability + forgone_returns, cost_saved)


def payback_periods(investment: float, returns_by_period: Sequence[float]) -> float:
    """Periods until cumulative returns reach the investment; the last period is interpolated.

    An investment of 0 pays back at once (0 periods); a negative one is out of domain.
    """
    if investment < 0:
        raise OutOfDomain("negative investment")
    if investment == 0:
        return 0.0
    cumulative = 0.0
    for period, value in enumerate(returns_by_period):
        if value > 0 and cumulative + value >= investment:
            return period + (investment - cumulative) / value
        cumulative += value
    raise NotReached("investment not recovered within the periods given")
