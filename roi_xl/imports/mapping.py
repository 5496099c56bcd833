"""Imported rows -> the plan's input cells.

The default mapping, and how a user adjusts it in the plan itself:

* ad spend -> a Costs row per tool, channel and month ("Meta Ads Manager ad spend, 2025-03",
  category Advertising); importing again replaces the amount of the row with that item;
* clicks, leads, purchases and conversions of the ad tools -> the Actions row of that action and
  channel: a row the user named "Link clicks" (or any of layouts.MEASURE_NAMES) keeps its unit
  value and gets the count; without one, a new row is added for the user to price;
* Google Analytics sessions, key events and revenue -> a Traffic row per channel (visits,
  conversion rate, value per conversion);
* KPI actuals: a KPI whose metric (Metrics sheet) is named after a measure or after any export
  column ("Engaged sessions") and whose Tool is the export's tool gets the sum over its channel
  and period. Renaming the metric or its tool is how the user re-maps a KPI.
"""
from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..template import spec
from .layouts import MEASURE_NAMES
from .parse import Export
from .plan import PlanState

AD_ACTIONS = ("clicks", "leads", "purchases", "conversions")
TRAFFIC_ITEM = "Social sessions (Google Analytics)"


@dataclass
class Edits:
    cells: dict[tuple[str, str], object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)      # what went where
    problems: list[str] = field(default_factory=list)   # what could not be placed


def _clean(x: float) -> float:
    """A sum without the float noise of adding decimals (0.1 + 0.2): exports carry at most a few
    decimals, so 9 places keep every figure exact."""
    return round(x, 9)


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _key(v) -> str:
    return "" if _blank(v) else str(v).strip().casefold()


class _Table:
    """Rows of one plan table: find one by its key columns, or take the next free one."""

    def __init__(self, table: spec.Table, rows: list[dict], edits: Edits):
        self.table, self.rows, self.edits = table, rows, edits
        self.taken: set[int] = set()

    def find(self, match) -> int | None:
        for i, row in enumerate(self.rows):
            if match(row):
                return i
        return None

    def free(self) -> int | None:
        for i, row in enumerate(self.rows):
            if i not in self.taken and all(_blank(row.get(k)) for k in self.table.input_keys):
                return i
        return None

    def put(self, i: int, **values) -> None:
        self.taken.add(i)
        for key, value in values.items():
            self.rows[i][key] = value
            ref = f"{self.table.letter(key)}{self.table.first_row + i}"
            self.edits.cells[(self.table.sheet, ref)] = value

    def place(self, what: str, match, **values) -> int | None:
        i = self.find(match)
        if i is None:
            i = self.free()
            if i is None:
                self.edits.problems.append(f"{self.table.sheet}: no free row left in "
                                           f"{self.table.name} for {what}")
                return None
        self.put(i, **values)
        return self.table.first_row + i


def map_exports(exports: list[Export], plan: PlanState) -> Edits:
    edits = Edits()
    _costs(exports, plan, edits)
    _actions(exports, plan, edits)
    _traffic(exports, plan, edits)
    _kpis(exports, plan, edits)
    return edits


def _costs(exports, plan, edits) -> None:
    sums: dict[tuple[str, str, str], float] = defaultdict(float)
    for export in exports:
        for row in export.rows:
            if "spend" in row.measures:
                month = row.date.strftime("%Y-%m") if row.date else ""
                sums[(export.layout.tool, row.channel, month)] += row.measures["spend"]
    table = _Table(spec.COSTS, plan.tables[spec.COSTS.name], edits)
    for (tool, channel, month), amount in sorted(sums.items()):
        item = f"{tool} ad spend" + (f", {month}" if month else "")
        # The match is called inside place(); the defaults bind this iteration's item and channel.
        r = table.place(item, lambda row, item=item, channel=channel: _key(row["item"]) == item.casefold()
                        and _key(row["channel"]) == channel.casefold(),
                        category="Advertising", item=item, channel=channel, amount=_clean(amount))
        if r:
            edits.notes.append(f"Costs row {r}: {item} ({channel}) = {amount:,.2f}")


def _actions(exports, plan, edits) -> None:
    sums: dict[tuple[str, str], float] = defaultdict(float)
    for export in exports:
        if export.layout.channel is None:  # analytics conversions are traffic, not ad actions
            continue
        for row in export.rows:
            for measure in AD_ACTIONS:
                if measure in row.measures:
                    sums[(measure, row.channel)] += row.measures[measure]
    table = _Table(spec.ACTIONS, plan.tables[spec.ACTIONS.name], edits)
    for (measure, channel), count in sorted(sums.items()):
        names = MEASURE_NAMES[measure]
        label = measure.capitalize()
        existing = table.find(lambda row, names=names, channel=channel: _key(row["action"]) in names
                              and _key(row["channel"]) == channel.casefold())
        values: dict[str, object] = {"count": _clean(count)}
        if existing is None:
            values.update(action=label, channel=channel, notes="Imported; fill in the unit value")
        r = table.place(label, lambda row, names=names, channel=channel: _key(row["action"]) in names
                        and _key(row["channel"]) == channel.casefold(), **values)
        if r:
            edits.notes.append(f"Value row {r}: {label} ({channel}) = {_clean(count):,g}")


def _traffic(exports, plan, edits) -> None:
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for export in exports:
        if export.layout.channel is not None:
            continue
        for row in export.rows:
            for measure, x in row.measures.items():
                sums[row.channel][measure] += x
    table = _Table(spec.TRAFFIC, plan.tables[spec.TRAFFIC.name], edits)
    names = (TRAFFIC_ITEM.casefold(),) + MEASURE_NAMES["sessions"]
    for channel, m in sorted(sums.items()):
        sessions = m.get("sessions", 0.0)
        values: dict[str, object] = {"item": TRAFFIC_ITEM, "channel": channel, "visits": _clean(sessions)}
        conversions = m.get("conversions")
        if conversions is not None and sessions > 0:
            values["conversion_rate"] = conversions / sessions
        if m.get("revenue") and conversions:
            values["value_per_conversion"] = m["revenue"] / conversions
        match = lambda row, ch=channel: _key(row["item"]) in names and _key(row["channel"]) == ch.casefold()  # noqa: E731
        existing = table.find(match)
        if existing is not None:
            values.pop("item")
        r = table.place(f"{channel} sessions", match, **values)
        if r:
            edits.notes.append(f"Value row {r}: {TRAFFIC_ITEM} ({channel}) = {_clean(sessions):,g} sessions")
            if "value_per_conversion" not in values and _blank(table.rows[r - table.table.first_row]
                                                                .get("value_per_conversion")):
                edits.problems.append(f"Value row {r}: no revenue in the export; fill in the "
                                      "value per conversion")


_MONTH_NAMES = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}


def kpi_period(text, default):
    """A KPI's Period ("March 2025", "Mar 2025", "2025-03", "Q1 2025", "2025") as a date range;
    `default` (the plan's period, or None for all) for anything else."""
    t = _key(text)
    m = re.fullmatch(r"([a-z]{3})[a-z]*\.?\s+(\d{4})", t) or re.fullmatch(r"(\d{4})-(\d{1,2})", t)
    if m:
        a, b = m.groups()
        year, month = (int(b), _MONTH_NAMES.get(a)) if a.isalpha() else (int(a), int(b))
        if month and 1 <= month <= 12:
            return _month_range(year, month, month)
    m = re.fullmatch(r"q([1-4])\s+(\d{4})", t) or re.fullmatch(r"(\d{4})\s*-?\s*q([1-4])", t)
    if m:
        a, b = m.groups()
        q, year = (int(a), int(b)) if len(a) == 1 else (int(b), int(a))
        return _month_range(year, 3 * q - 2, 3 * q)
    if re.fullmatch(r"\d{4}", t):
        return _dt.date(int(t), 1, 1), _dt.date(int(t), 12, 31)
    return default


def _month_range(year: int, first: int, last: int):
    end = _dt.date(year + (last == 12), last % 12 + 1, 1) - _dt.timedelta(days=1)
    return _dt.date(year, first, 1), end


def _kpis(exports, plan, edits) -> None:
    metrics = {_key(m["id"]): m for m in plan.tables[spec.METRICS.name] if not _blank(m["id"])}
    table = _Table(spec.KPIS, plan.tables[spec.KPIS.name], edits)
    for i, kpi in enumerate(table.rows):
        metric = metrics.get(_key(kpi["metric"]))
        if _blank(kpi["id"]) or metric is None:
            continue
        name, tool = _key(metric["metric"]), _key(metric["tool"])
        measure = next((m for m, names in MEASURE_NAMES.items() if name in names), None)
        channel = _key(kpi["channel"])
        period = kpi_period(kpi["period"], plan.period)
        total, used = 0.0, 0
        for export in exports:
            if tool and not export.layout.named(tool):
                continue
            for row in export.rows:
                if channel not in ("", "all channels") and row.channel.casefold() != channel:
                    continue
                if period and row.date and not period[0] <= row.date <= period[1]:
                    continue
                x = row.measures.get(measure) if measure else None
                if x is None:
                    x = row.columns.get(name)
                if x is not None:
                    total, used = total + x, used + 1
        if used:
            table.put(i, actual=_clean(total))
            edits.notes.append(f"KPIs row {spec.KPIS.first_row + i}: actual of {kpi['id']} "
                               f"({metric['metric']}, {kpi['channel']}) = {total:,.2f} from {used} rows")
