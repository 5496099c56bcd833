"""The bundled examples' figures worked out by hand: the inputs copied from their sheets (Costs,
Value, KPIs, Start, Summary) and the totals computed here with plain arithmetic, without the
template code. HAND maps an example's file name to the named figures it must show."""
from __future__ import annotations

import datetime as dt


def cost(amount=0.0, hours=0.0, rate=0.0, allocation=1.0):
    return (amount + hours * rate) * allocation


def attainment(actual, target, direction="higher", baseline=None):
    if baseline is not None:
        return (actual - baseline) / (target - baseline)
    return actual / target if direction == "higher" else target / actual


def payback(investment, returns):
    total = 0.0
    for i, r in enumerate(returns):
        if total + r >= investment:
            return i + (investment - total) / r
        total += r
    raise AssertionError("never paid back")


def landing(opened, profile):
    """What lands in each period when profile[k] of a period's pipeline closes k periods later."""
    return [sum(opened[t - k] * share for k, share in enumerate(profile) if t - k >= 0)
            for t in range(len(opened))]


def retention(customers, uplift, value, periods, rate):
    return customers * uplift * sum(value / (1 + rate) ** t for t in range(1, periods + 1))


def expected(*, client, currency, start, end, costs, revenue, actions, deflection, traffic, uplift,
             kpis, periods, at_risk, probability, forgone, cap=1.5, opened=(), profile=(),
             pipeline=(), referrals=(), kept=(), extra=None):
    total_cost = sum(cost(*c) for c in costs)
    hard = sum(revenue)
    lands = landing(list(opened), list(profile)) + [0.0] * (len(periods) - len(opened))
    referral_value = sum(a * n * c * v for a, n, c, v in referrals)
    retention_value = sum(retention(*k) for k in kept)
    soft = (sum(n * v for n, v in actions) + sum(n * (c - s) for n, c, s in deflection)
            + sum(v * r * p for v, r, p in traffic) + sum((e - o) * n for e, o, n in uplift)
            + referral_value + retention_value)
    total = hard + sum(lands) + soft
    scores = [(min(attainment(*k[:-1]), cap), k[-1]) for k in kpis]
    return {
        "Client": client, "Currency": currency, "PeriodStart": start, "PeriodEnd": end,
        "TotalCost": total_cost, "HardValue": hard, "SoftValue": soft, "TotalValue": total,
        "PipelineLanding": sum(lands), "ReferralValue": referral_value,
        "RetentionValue": retention_value,
        "PipelineOpened": sum(d * p * v for d, p, v in pipeline),
        "ROI": (hard - total_cost) / total_cost,
        "ROITotal": (total - total_cost) / total_cost,
        "RONI": (at_risk * probability + forgone - total_cost) / total_cost,
        "KPIScore": sum(a * w for a, w in scores) / sum(w for _, w in scores),
        "Payback": payback(total_cost, [h + s + p for (h, s), p in zip(periods, lands)]),
        **(extra or {}),
    }


RETAIL = expected(
    client="Nomada Footwear (online shop)", currency="EUR",
    start=dt.datetime(2025, 1, 1), end=dt.datetime(2025, 6, 30),
    # (amount, hours, rate, allocation)
    costs=[(0, 832, 32), (0, 240, 28), (1740,), (480, 0, 0, 0.5), (12500,), (16800,), (4200,),
           (5400,), (3850,), (960,), (900, 0, 0, 0.5), (350,)],
    revenue=[98400, 126700, 21900],
    actions=[(5400, 0.9), (8200, 0.35), (1350, 4.5), (9600, 0.2)],
    deflection=[(2100, 3.8, 1.1)],
    traffic=[(38000, 0.012, 62), (52000, 0.009, 58)],
    uplift=[(148, 112, 860)],
    # (actual, target, direction, baseline, weight)
    kpis=[(45150, 42000, "higher", None, 3), (52800, 60000, "higher", None, 3),
          (96400, 90000, "higher", 70000, 1), (111000, 120000, "higher", None, 1),
          (0.31, 0.35, "lower", None, 1), (88, 95, "higher", None, 1)],
    periods=[(31000, 17131.2), (34000, 18631.2), (52000, 23131.2), (41000, 19631.2),
             (44000, 20631.2), (45000, 21402.2)],
    # 640 followers sharing a refer-a-friend code, 1.5 referrals each, 18% buy, 74 each.
    referrals=[(640, 1.5, 0.18, 74)],
    at_risk=180000, probability=0.25, forgone=20000)

B2B = expected(
    client="Ledgerline Software (B2B finance SaaS)", currency="USD",
    start=dt.datetime(2024, 7, 1), end=dt.datetime(2025, 6, 30),
    costs=[(0, 1720, 48, 0.6), (0, 600, 65), (68000,), (10800,), (9600, 0, 0, 0.3), (14500,),
           (6000,), (18000, 0, 0, 0.25), (4800,)],
    revenue=[342000, 86000],
    actions=[(512, 95), (1415, 12), (2300, 6)],
    deflection=[],
    traffic=[(14800, 0.011, 600)],
    uplift=[(41500, 36000, 9)],
    kpis=[(512, 480, "higher", None, 3), (228, 210, "lower", None, 2),
          (2130000, 2400000, "higher", None, 3), (186, 180, "lower", 210, 1),
          (1415, 1200, "higher", None, 1)],
    periods=[(24000, 48000), (68000, 54000), (141000, 60000), (195000, 64600)],
    # Pipeline opened by quarter, landing over that quarter and the next three (nine months).
    opened=[120000, 150000, 160000, 170000], profile=[0.10, 0.35, 0.40, 0.15],
    pipeline=[(400, 0.02, 24000), (90, 0.08, 24000), (28, 0.25, 24000), (7, 0.40, 24000)],
    at_risk=600000, probability=0.3, forgone=0)

CLINIC = expected(
    client="Riverside Family Clinic", currency="GBP",
    start=dt.datetime(2025, 1, 1), end=dt.datetime(2025, 3, 31),
    costs=[(0, 520, 19.5), (0, 60, 34), (1050,), (600,), (1800,), (1200,), (950,), (420,)],
    revenue=[20140, 6840],
    actions=[(140, 15), (1900, 0.5)],
    deflection=[(2940, 4.6, 1.35), (1050, 4.6, 1.35), (1300, 4.6, 0.2)],
    traffic=[(8600, 0.07, 12)],
    uplift=[(310, 265, 180)],
    kpis=[(980, 900, "higher", None, 2), (352, 400, "higher", None, 2), (24, 30, "lower", None, 1),
          (590, 650, "higher", None, 2), (0.71, 0.75, "higher", 0.62, 1),
          (12900, 12500, "lower", 14200, 1)],
    periods=[(8200, 24327.3), (8900, 25127.3), (9880, 26088.8)],
    # 2,400 patients, 3% more kept, 46 a month for a year, discounted at 0.5% a month.
    kept=[(2400, 0.03, 46, 12, 0.005)],
    at_risk=48000, probability=0.15, forgone=18687.5,
    # Mentions of the clinic among all local clinics', and how they were rated, Jan-Mar.
    extra={"ShareOfVoice": (310 + 355 + 402) / (1240 + 1290 + 1335),
           "NetSentiment": ((96 + 121 + 150) - (41 + 33 + 27)) / (
               (96 + 121 + 150) + (41 + 33 + 27) + (173 + 201 + 225))})

HAND = {"retail_ecommerce": RETAIL, "b2b_software": B2B, "health_clinic": CLINIC}
