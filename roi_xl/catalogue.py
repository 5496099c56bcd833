"""Every roi-xl Excel function, declared once.

Each declaration names the function and its arguments (kind, help, default) and holds the
body that turns coerced arguments into a call to the math in `roi_xl.measures`. The body's
docstring is the function's Excel help: first paragraph the one-line summary, then the errors.
"""
from __future__ import annotations

from .errors import ArgumentError
from .excel import Grid, XlError, numeric_or_none
from .measures import attribution as _attribution
from .measures import costs as _costs
from .measures import cycles as _cycles
from .measures import kpi as _kpi
from .measures import reputation as _reputation
from .measures import returns as _returns
from .measures import value as _value
from .registry import CELLS, KEY, LOGICAL, NUMBER, TEXT, Arg, excel_function


def _same_shape(*grids: Grid | None) -> None:
    shapes = {g.shape for g in grids if g is not None}
    if len(shapes) > 1:
        raise ArgumentError(XlError.VALUE)


def _cell_numbers(grid: Grid) -> list[float | None]:
    """A range's cells as numbers, None where SUM skips them (blank, text, bool).

    A single cell reads as a SUM argument does (excel.number): a text is #VALUE!, a bool 0 or 1.
    """
    if grid.is_single:
        cell = grid.cells[0]
        if isinstance(cell, str):
            raise ArgumentError(XlError.VALUE)
        if isinstance(cell, bool):
            return [float(cell)]
    return [numeric_or_none(c) for c in grid.cells]


def _numbers(grid: Grid, blank: float = 0.0) -> list[float]:
    """A range's cells as numbers; blanks, text and bools (which SUM skips) count as `blank`."""
    return [blank if n is None else n for n in _cell_numbers(grid)]


def _optional_numbers(grid: Grid | None, size: int, blank: float) -> list[float]:
    return [blank] * size if grid is None else _numbers(grid, blank)


def _series(grid: Grid) -> list[float]:
    """A row or a column of values by position (periods, touches): a blank, text or bool inside
    it counts as 0 in place, as it is not summed. A block of several rows and columns is #VALUE!."""
    if grid.rows > 1 and grid.cols > 1:
        raise ArgumentError(XlError.VALUE)
    return _numbers(grid)


def _oriented(values: list, *series: Grid):
    """An array result in the orientation of the first series argument that is a range (a
    column in, a column out), so that it spills the same way; one value comes back as itself,
    none (an empty series, which only Python can pass) as #N/A, as COST_ROLLUP's empty table."""
    if not values:
        return XlError.NA
    if len(values) == 1:
        return values[0]
    like = next((g for g in series if not g.is_single), None)
    if like is not None and like.cols == 1:
        return [[v] for v in values]
    return [list(values)]


def _counts(grid: Grid | None) -> list[float]:
    """The numbers of a range of counts, summed later as SUM does (blanks and text skipped)."""
    return [] if grid is None else [n for n in _cell_numbers(grid) if n is not None]


# ---------------------------------------------------------------- returns

@excel_function(
    "SOCIAL_ROI",
    Arg("returns", NUMBER, "Revenue or value attributed to social media (a cell or a range, summed)."),
    Arg("costs", NUMBER, "Total cost of the social-media work (a cell or a range, summed)."),
)
def social_roi(returns, costs):
    """Return on social-media investment as a ratio: (returns - costs) / costs; 0.5 shows as 50%.

    As a percentage: ((revenue - cost) x 100) / cost, here without the x100 so that a % format
    shows it. Errors: #DIV/0! when costs sum to 0; #NUM! when costs are negative; #VALUE! for a
    text in a single-cell argument; an error in an argument is returned as is.
    """
    return _returns.roi(returns, costs)


@excel_function(
    "SOCIAL_ROAS",
    Arg("revenue", NUMBER, "Revenue attributed to paid social (summed)."),
    Arg("ad_spend", NUMBER, "Paid-social ad spend (summed)."),
)
def social_roas(revenue, ad_spend):
    """Return on ad spend: revenue / ad_spend (4 means 4 of revenue per 1 spent).

    Errors: #DIV/0! when ad_spend sums to 0; #NUM! when it is negative; #VALUE! for text.
    """
    return _returns.roas(revenue, ad_spend)


@excel_function(
    "SOCIAL_RONI",
    Arg("revenue_at_risk", NUMBER, "Revenue that could be lost by staying off social (summed)."),
    Arg("loss_probability", NUMBER, "Probability, 0 to 1, that the revenue at risk is lost."),
    Arg("cost_saved", NUMBER, "What not investing saves: the social budget not spent (summed)."),
    Arg("forgone_returns", NUMBER, "Other returns given up by not investing; default 0.", 0.0),
)
def social_roni(revenue_at_risk, loss_probability, cost_saved, forgone_returns):
    """Risk of not investing: expected loss of not investing, net of the cost saved, per unit saved.

    (revenue_at_risk x loss_probability + forgone_returns - cost_saved) / cost_saved. Above 0,
    staying out is expected to cost more than it saves. This definition is roi-xl's own; with
    nothing at risk it equals SOCIAL_ROI(forgone_returns, cost_saved). Errors: #NUM! when
    loss_probability is outside 0..1 or cost_saved is negative; #DIV/0! when cost_saved is 0.
    """
    return _returns.roni(revenue_at_risk, loss_probability, cost_saved, forgone_returns)


@excel_function(
    "PAYBACK_PERIODS",
    Arg("investment", NUMBER, "The amount invested up front (summed)."),
    Arg("returns_by_period", CELLS, "Returns of each period in order (a row or a column)."),
)
def payback_periods(investment, returns_by_period):
    """Periods until cumulative returns reach the investment, the last period interpolated.

    Blank or text periods inside the range return 0. 2.5 means half-way through the third period. Errors: #N/A
    when the returns never reach the investment; #NUM! for a negative investment.
    """
    return _returns.payback_periods(investment, _numbers(returns_by_period))


# ---------------------------------------------------------------- costs

@excel_function(
    "COST_TOTAL",
    Arg("amounts", CELLS, "Money amounts per cost line (fees, tools, ads, refunds...)."),
    Arg("hours", CELLS, "Hours per line, priced at rates; blank counts as 0.", None),
    Arg("rates", CELLS, "Hourly rate per line; blank counts as 0.", None),
    Arg("allocations", CELLS, "Share of each line charged to social, 0 to 1; blank is 100%.", None),
)
def cost_total(amounts, hours, rates, allocations):
    """Full cost: sum of (amount + hours x rate) x allocation over the cost lines.

    Blank amounts, hours and rates count as 0 and a blank allocation as 100%. Errors: #VALUE!
    when the ranges are not all the same shape; #NUM! for an allocation outside 0..1.
    """
    _same_shape(amounts, hours, rates, allocations)
    size = len(amounts.cells)
    rows = zip(_numbers(amounts), _optional_numbers(hours, size, 0.0),
               _optional_numbers(rates, size, 0.0), _optional_numbers(allocations, size, 1.0))
    return _costs.cost_total(rows)


@excel_function(
    "COST_ROLLUP",
    Arg("keys", CELLS, "The category of each cost line (e.g. Staff, Platforms, Ads)."),
    Arg("amounts", CELLS, "The amount of each cost line, same shape as keys."),
    Arg("key", KEY, "A category to total; leave out to get the whole table.", None),
    array=True,
)
def cost_rollup(keys, amounts, key):
    """Cost by category: the total for one key, or a two-column table of every key and its total.

    Keys match ignoring letter case; the table lists keys in first-seen order, spelled as first
    seen. Lines with neither key nor amount are skipped; amounts with a blank key add up under
    an empty key. Without key the result spills (Excel 365). Errors: #VALUE! when keys and
    amounts differ in shape; #N/A for a table with no lines.
    """
    _same_shape(keys, amounts)
    lines = [(k, a) for k, n, a in zip(keys.cells, _cell_numbers(amounts), _numbers(amounts))
             if not (_blank_key(k) and n is None)]
    line_keys = [None if _blank_key(k) else k for k, _ in lines]
    line_amounts = [a for _, a in lines]
    if key is not None:
        return _costs.cost_for_key(line_keys, line_amounts, key)
    table = _costs.cost_rollup(line_keys, line_amounts)
    if not table:
        return XlError.NA
    return [[k, total] for k, total in table]


def _blank_key(key) -> bool:
    return key is None or (isinstance(key, str) and key.strip() == "")


@excel_function(
    "COST_PER",
    Arg("cost", NUMBER, "The cost (summed)."),
    Arg("count", NUMBER, "How many engagements, leads, clicks... (summed)."),
)
def cost_per(cost, count):
    """Cost per result: cost / count (cost per engagement, per lead, per click...).

    Errors: #DIV/0! when count is 0.
    """
    return _costs.cost_per(cost, count)


# ---------------------------------------------------------------- KPIs

@excel_function(
    "KPI_ATTAINMENT",
    Arg("actual", NUMBER, "The KPI's actual value for the period."),
    Arg("target", NUMBER, "The KPI's target."),
    Arg("direction", TEXT, '"higher" (default) when more is better, "lower" when less is better.',
        "higher"),
    Arg("baseline", NUMBER, "Optional starting value: attainment is then progress from it.", None),
    Arg("cap", NUMBER, "Optional ceiling for the result (e.g. 1.2 for 120%).", None),
)
def kpi_attainment(actual, target, direction, baseline, cap):
    """Share of the target reached: 1 is 100%.

    higher: actual / target; lower: target / actual; with a baseline: (actual - baseline) /
    (target - baseline), which reads correctly for both directions. Capped at cap when given.
    Errors: #VALUE! for a direction other than "higher" or "lower" (any letter case);
    #DIV/0! when target is 0 (higher), actual is 0 (lower) or target equals baseline.
    """
    return _kpi.attainment(actual, target, direction, baseline, cap)


@excel_function(
    "KPI_STATUS",
    Arg("attainment", NUMBER, "A KPI attainment (1 is 100%)."),
    Arg("amber", NUMBER, "Attainment from which the KPI is AMBER; default 0.9.", 0.9),
    Arg("green", NUMBER, "Attainment from which the KPI is GREEN; default 1.", 1.0),
)
def kpi_status(attainment, amber, green):
    """Traffic light for a KPI: "GREEN" at or above green, "AMBER" at or above amber, else "RED".

    Errors: #NUM! when amber is above green; an error attainment is returned as is.
    """
    return _kpi.status(attainment, amber, green)


@excel_function(
    "KPI_SCORE",
    Arg("attainments", CELLS, "Attainment of each KPI."),
    Arg("weights", CELLS, "Weight of each KPI, same shape as attainments."),
    Arg("cap", NUMBER, "Optional ceiling for each attainment before weighting (e.g. 1.2).", None),
)
def kpi_score(attainments, weights, cap):
    """Weighted KPI score: sum(min(attainment, cap) x weight) / sum(weight).

    KPIs whose attainment or weight is blank or text (inside a range) are left out, as AVERAGE
    leaves out blanks. Errors: #VALUE! when the ranges differ in shape; #DIV/0! when the weights sum to 0;
    #NUM! for a negative weight.
    """
    _same_shape(attainments, weights)
    pairs = [(a, w) for a, w in zip(_cell_numbers(attainments), _cell_numbers(weights))
             if a is not None and w is not None]
    return _kpi.score(pairs, cap)


# ---------------------------------------------------------------- value

@excel_function(
    "ACTION_VALUE",
    Arg("counts", CELLS, "How many of each action (likes, shares, comments, clicks, leads...)."),
    Arg("unit_values", CELLS, "Money value of one of each action, same shape as counts."),
)
def action_value(counts, unit_values):
    """Money value of social actions: sum of count x unit value, as SUMPRODUCT.

    Blank or text cells inside a range count as 0. Errors: #VALUE! when the ranges differ in
    shape or a single-cell argument is text.
    """
    _same_shape(counts, unit_values)
    return _value.action_value(zip(_numbers(counts), _numbers(unit_values)))


@excel_function(
    "DEFLECTION_SAVINGS",
    Arg("contacts_deflected", NUMBER, "Service contacts answered on social instead of by phone."),
    Arg("cost_per_contact", NUMBER, "Cost of one call-centre contact."),
    Arg("social_cost_per_contact", NUMBER, "Cost of answering one contact on social; default 0.", 0.0),
)
def deflection_savings(contacts_deflected, cost_per_contact, social_cost_per_contact):
    """Service cost saved by social care: contacts_deflected x (cost_per_contact - social cost).

    Errors: only those of its arguments (#VALUE! for text).
    """
    return _value.deflection_savings(contacts_deflected, cost_per_contact, social_cost_per_contact)


@excel_function(
    "TRAFFIC_VALUE",
    Arg("visits", NUMBER, "Web visits referred by social."),
    Arg("conversion_rate", NUMBER, "Share of visits that convert, 0 to 1."),
    Arg("value_per_conversion", NUMBER, "Money value of one conversion."),
)
def traffic_value(visits, conversion_rate, value_per_conversion):
    """Money value of social-referred traffic: visits x conversion_rate x value_per_conversion.

    Errors: #NUM! for a conversion_rate outside 0..1.
    """
    return _value.traffic_value(visits, conversion_rate, value_per_conversion)


@excel_function(
    "SEGMENT_UPLIFT",
    Arg("engaged_value", NUMBER, "Average value of a customer who engages on social."),
    Arg("other_value", NUMBER, "Average value of a customer who does not."),
    Arg("engaged_count", NUMBER, "How many engaged customers."),
)
def segment_uplift(engaged_value, other_value, engaged_count):
    """Extra value of engaged customers: (engaged_value - other_value) x engaged_count.

    Compare followers with non-followers on retention, deal size or time to close.
    Errors: only those of its arguments (#VALUE! for a text).
    """
    return _value.segment_uplift(engaged_value, other_value, engaged_count)


# ---------------------------------------------------------------- long buying cycles

@excel_function(
    "LAG_SPREAD",
    Arg("values", CELLS, "Value generated in each period, in order (a row or a column)."),
    Arg("profile", CELLS, "Share of a period's value arriving 0, 1, 2... periods later, "
                          "each 0 to 1, summing to at most 1."),
    Arg("full", LOGICAL, "TRUE to add the periods after the last one (the tail); default FALSE.",
        False),
    array=True,
)
def lag_spread(values, profile, full):
    """Returns that arrive later: what lands in each period when profile[k] of each period's value arrives k periods later.

    result[t] = sum over k of values[t-k] x profile[k], periods before the first counting as 0.
    As long as values; with full TRUE, longer by the profile's length less one (the tail). For
    B2B, finance and health, where a lead bought today pays months later. Blank or text periods
    count as 0 in place. The result spills in the orientation of values (a column in, a column out).
    Errors: #NUM! for a profile share outside 0..1 or a profile summing above 1; #VALUE! for a
    block of several rows and columns.
    """  # noqa: E501 - the first line is the one-line help Excel shows: a line break would be in it
    landed = _cycles.lag_spread(_series(values), _series(profile), full)
    return _oriented(landed, values, profile)


@excel_function(
    "PIPELINE_VALUE",
    Arg("stage_counts", CELLS, "Open deals (or leads) at each stage of the pipeline."),
    Arg("stage_probabilities", CELLS, "Chance, 0 to 1, that a deal at each stage is won; "
                                      "same shape as stage_counts."),
    Arg("deal_value", CELLS, "Value of a won deal: one cell, or one per stage."),
)
def pipeline_value(stage_counts, stage_probabilities, deal_value):
    """Expected value of a sales pipeline: sum of count x win probability x deal value over its stages.

    Blank or text cells inside a range count as 0. deal_value is one value for every stage or a
    range of the same shape as the stages. Errors: #VALUE! when the ranges differ in shape; #NUM!
    for a probability outside 0..1.
    """
    _same_shape(stage_counts, stage_probabilities)
    size = len(stage_counts.cells)
    if deal_value.is_single:
        deal_values = _numbers(deal_value) * size
    else:
        _same_shape(stage_counts, deal_value)
        deal_values = _numbers(deal_value)
    return _cycles.pipeline_value(zip(_numbers(stage_counts), _numbers(stage_probabilities),
                                      deal_values))


# ---------------------------------------------------------------- attribution

_MODEL_HELP = ('"linear" (default), "first", "last", "position" (40% first, 40% last, 20% between) '
               'or "time_decay".')


@excel_function(
    "ATTRIBUTION_WEIGHTS",
    Arg("touch_days", CELLS, "Days before the conversion of each touch, oldest touch first."),
    Arg("model", TEXT, _MODEL_HELP, "linear"),
    Arg("half_life", NUMBER, "time_decay: days after which a touch counts half; default 7.", 7.0),
    array=True,
)
def attribution_weights(touch_days, model, half_life):
    """Share of one conversion credited to each touch of its path, oldest first; the shares sum to 1.

    first: all to the first touch; last: all to the last; linear: 1/n each; position: one touch
    1, two 0.5 each, else 0.4 to the first and to the last and 0.2 shared by the others;
    time_decay: in proportion to 2^(-days/half_life). Blank or text touches inside the range count
    as 0 days. The result spills in the orientation of touch_days. Errors: #VALUE! for another
    model; #N/A when there is no touch (all blank); #NUM! for negative days or, with time_decay,
    a half_life of 0 or less.
    """
    shares = _attribution.weights(_touches(touch_days), _model(model), half_life)
    return _oriented(shares, touch_days)


@excel_function(
    "ATTRIBUTED_VALUE",
    Arg("channels", CELLS, "The channel of each touch of the path, oldest first."),
    Arg("touch_days", CELLS, "Days before the conversion of each touch, same shape as channels."),
    Arg("conversion_value", NUMBER, "Value of the conversion (summed)."),
    Arg("channel", KEY, "The channel to credit (letter case ignored)."),
    Arg("model", TEXT, _MODEL_HELP, "linear"),
    Arg("half_life", NUMBER, "time_decay: days after which a touch counts half; default 7.", 7.0),
)
def attributed_value(channels, touch_days, conversion_value, channel, model, half_life):
    """Value credited to one channel: conversion_value x the summed shares of its touches.

    The shares are ATTRIBUTION_WEIGHTS(touch_days, model, half_life); channels match ignoring
    letter case; 0 when no touch is on the channel. Errors: #VALUE! when channels and touch_days
    differ in shape or for another model; #N/A when there is no touch; #NUM! as
    ATTRIBUTION_WEIGHTS.
    """
    _same_shape(channels, touch_days)
    keys = [_costs.key_of(c) for c in channels.cells]
    return _attribution.attributed_value(keys, _touches(touch_days), conversion_value,
                                         _costs.key_of(channel), _model(model), half_life)


def _touches(touch_days: Grid) -> list[float]:
    """A path's touches; none when every cell is blank."""
    if all(c is None for c in touch_days.cells):
        return []
    return _series(touch_days)


def _model(model: str | None) -> str:
    return "linear" if model is None else model


# ---------------------------------------------------------------- reputation and relationships

@excel_function(
    "SHARE_OF_VOICE",
    Arg("own_mentions", CELLS, "Mentions of your brand (summed)."),
    Arg("all_mentions", CELLS, "Mentions of every brand compared, yours included (summed)."),
)
def share_of_voice(own_mentions, all_mentions):
    """Share of voice: your brand's mentions as a share of all brands' mentions, yours included.

    Errors: #DIV/0! when all mentions sum to 0; #NUM! for a negative count or own mentions above
    all mentions.
    """
    return _reputation.share_of_voice(_counts(own_mentions), _counts(all_mentions))


@excel_function(
    "NET_SENTIMENT",
    Arg("positive", CELLS, "Positive mentions (summed)."),
    Arg("negative", CELLS, "Negative mentions (summed)."),
    Arg("neutral", CELLS, "Neutral mentions (summed); default 0.", None),
)
def net_sentiment(positive, negative, neutral):
    """Net sentiment, -1 to 1: (positive - negative) / (positive + negative + neutral).

    Errors: #DIV/0! when there are no mentions at all; #NUM! for a negative count.
    """
    return _reputation.net_sentiment(_counts(positive), _counts(negative), _counts(neutral))


@excel_function(
    "REFERRAL_VALUE",
    Arg("advocates", NUMBER, "Customers who recommend you (advocates)."),
    Arg("referrals_per_advocate", NUMBER, "People each advocate refers, on average."),
    Arg("conversion_rate", NUMBER, "Share of referred people who become customers, 0 to 1."),
    Arg("value_per_customer", NUMBER, "Value of one new customer."),
)
def referral_value(advocates, referrals_per_advocate, conversion_rate, value_per_customer):
    """Word of mouth in money: advocates x referrals_per_advocate x conversion_rate x value_per_customer.

    Errors: #NUM! for a conversion_rate outside 0..1 or a negative count of advocates or referrals.
    """
    return _reputation.referral_value(advocates, referrals_per_advocate, conversion_rate,
                                      value_per_customer)


@excel_function(
    "RETENTION_VALUE",
    Arg("customers", NUMBER, "Customers in the relationship programme."),
    Arg("retention_uplift", NUMBER, "Extra share of them kept thanks to it, -1 to 1 (e.g. 0.05)."),
    Arg("value_per_period", NUMBER, "What one kept customer brings per period."),
    Arg("periods", NUMBER, "Periods counted (truncated to a whole number)."),
    Arg("discount_rate", NUMBER, "Discount rate per period; default 0.", 0.0),
)
def retention_value(customers, retention_uplift, value_per_period, periods, discount_rate):
    """What keeping relationships warm is worth: customers kept thanks to it times their discounted value.

    customers x retention_uplift x sum over t = 1..periods of value_per_period / (1 +
    discount_rate)^t, periods truncated to a whole number (0 gives 0). Errors: #NUM! for negative
    periods, a retention_uplift outside -1..1 or a discount_rate of -1 or less.
    """
    return _reputation.retention_value(customers, retention_uplift, value_per_period, periods,
                                       discount_rate)
