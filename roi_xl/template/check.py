"""The plan's own rules, applied to a filled measurement-plan workbook.

Every objective has a KPI; every KPI has an objective, a channel, a period, a target, a metric
and at least two tactics; every metric names its tool and a frequency; every report has an
audience and a cadence; every cost has a category and a number. Each finding names the sheet and
row (the Excel row number) it is about. Rules read what the user typed, never cached values, so a
workbook checks the same before and after recalculation.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import openpyxl

from . import spec

MIN_TACTICS = 2


@dataclass(frozen=True)
class Finding:
    sheet: str
    row: int | None
    rule: str
    message: str
    file: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.row}" if self.row else self.sheet
        prefix = f"{self.file}: " if self.file else ""
        return f"{prefix}{where}: {self.message} [{self.rule}]"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _key(value: Any) -> str:
    return str(value).strip().casefold() if not _blank(value) else ""


def _rows(wb, table: spec.Table, findings: list[Finding]) -> list[tuple[int, dict[str, Any]]]:
    """(excel row, {input key: value}) for each row of a table with anything typed in it."""
    if table.sheet not in wb.sheetnames:
        findings.append(Finding(table.sheet, None, "sheet", f"sheet {table.sheet!r} is missing"))
        return []
    ws = wb[table.sheet]
    headers = [ws.cell(row=table.header_row, column=table.first_col + i).value
               for i in range(len(table.columns))]
    expected = [c.header for c in table.columns]
    if headers != expected:
        findings.append(Finding(table.sheet, table.header_row, "layout",
                                f"{table.name}: headers {headers} are not {expected}"))
        return []
    out = []
    inputs = [(i, c.key) for i, c in enumerate(table.columns) if c.kind == spec.INPUT]
    for r in range(table.first_row, table.last_row + 1):
        row = {key: ws.cell(row=r, column=table.first_col + i).value for i, key in inputs}
        if any(not _blank(v) for v in row.values()):
            out.append((r, row))
    return out


def check_workbook(path: str | Path) -> list[Finding]:
    """Apply the plan's rules; findings in sheet order, each with its row."""
    path = Path(path)
    try:
        wb = openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:  # noqa: BLE001 - reported as a finding naming the file and cause
        return [Finding("", None, "file", f"cannot open as a workbook: {type(exc).__name__}: {exc}",
                        str(path))]
    try:
        findings = _check(wb)
    finally:
        wb.close()
    return [Finding(f.sheet, f.row, f.rule, f.message, str(path)) for f in findings]


def _check(wb) -> list[Finding]:
    findings: list[Finding] = []
    objectives = _rows(wb, spec.OBJECTIVES, findings)
    kpis = _rows(wb, spec.KPIS, findings)
    tactics = _rows(wb, spec.TACTICS, findings)
    metrics = _rows(wb, spec.METRICS, findings)
    costs = _rows(wb, spec.COSTS, findings)
    reports = _rows(wb, spec.REPORTS, findings)

    objective_ids = {_key(row["id"]) for _, row in objectives if not _blank(row["id"])}
    metric_ids = {_key(row["id"]) for _, row in metrics if not _blank(row["id"])}
    kpi_ids = {_key(row["id"]) for _, row in kpis if not _blank(row["id"])}
    kpis_per_objective: dict[str, int] = {}
    for _, row in kpis:
        kpis_per_objective[_key(row["objective"])] = kpis_per_objective.get(
            _key(row["objective"]), 0) + 1
    tactics_per_kpi: dict[str, int] = {}
    for _, row in tactics:
        tactics_per_kpi[_key(row["kpi"])] = tactics_per_kpi.get(_key(row["kpi"]), 0) + 1

    def add(table: spec.Table, row: int | None, rule: str, message: str) -> None:
        findings.append(Finding(table.sheet, row, rule, message))

    if not objectives:
        add(spec.OBJECTIVES, None, "objective-kpi", "the plan has no objectives")
    for r, row in objectives:
        name = row["id"] if not _blank(row["id"]) else row["objective"]
        if _blank(row["id"]):
            add(spec.OBJECTIVES, r, "objective-id", f"objective {row['objective']!r} has no ID")
        if _blank(row["objective"]):
            add(spec.OBJECTIVES, r, "objective-text", f"objective {name!r} is not described")
        if _blank(row["type"]):
            add(spec.OBJECTIVES, r, "objective-type", f"objective {name!r} has no type")
        if not _blank(row["id"]) and not kpis_per_objective.get(_key(row["id"])):
            add(spec.OBJECTIVES, r, "objective-kpi", f"objective {name!r} has no KPI")

    for r, row in kpis:
        name = row["id"] if not _blank(row["id"]) else row["kpi"]
        if _blank(row["id"]):
            add(spec.KPIS, r, "kpi-id", f"KPI {row['kpi']!r} has no ID")
        if _blank(row["objective"]):
            add(spec.KPIS, r, "kpi-objective", f"KPI {name!r} has no objective")
        elif _key(row["objective"]) not in objective_ids:
            add(spec.KPIS, r, "kpi-objective",
                f"KPI {name!r}: objective {row['objective']!r} is not on the Objectives sheet")
        for key, label in (("channel", "channel"), ("period", "period")):
            if _blank(row[key]):
                add(spec.KPIS, r, f"kpi-{key}", f"KPI {name!r} has no {label}")
        if _blank(row["target"]):
            add(spec.KPIS, r, "kpi-target", f"KPI {name!r} has no target")
        elif not _is_number(row["target"]):
            add(spec.KPIS, r, "kpi-target", f"KPI {name!r}: target {row['target']!r} is not a number")
        if _blank(row["metric"]):
            add(spec.KPIS, r, "kpi-metric", f"KPI {name!r} has no metric")
        elif _key(row["metric"]) not in metric_ids:
            add(spec.KPIS, r, "kpi-metric",
                f"KPI {name!r}: metric {row['metric']!r} is not on the Metrics sheet")
        if not _blank(row["direction"]) and _key(row["direction"]) not in spec.DIRECTIONS:
            add(spec.KPIS, r, "kpi-direction",
                f"KPI {name!r}: direction {row['direction']!r} is not higher or lower")
        count = tactics_per_kpi.get(_key(row["id"]), 0) if not _blank(row["id"]) else 0
        if count < MIN_TACTICS:
            add(spec.KPIS, r, "kpi-tactics",
                f"KPI {name!r} has {count} tactic{'s' if count != 1 else ''}, needs at least "
                f"{MIN_TACTICS}")

    for r, row in tactics:
        name = row["id"] if not _blank(row["id"]) else row["tactic"]
        if _blank(row["kpi"]):
            add(spec.TACTICS, r, "tactic-kpi", f"tactic {name!r} has no KPI")
        elif _key(row["kpi"]) not in kpi_ids:
            add(spec.TACTICS, r, "tactic-kpi",
                f"tactic {name!r}: KPI {row['kpi']!r} is not on the KPIs sheet")
        if _blank(row["tactic"]):
            add(spec.TACTICS, r, "tactic-text", f"tactic {name!r} is not described")

    for r, row in metrics:
        name = row["id"] if not _blank(row["id"]) else row["metric"]
        if _blank(row["id"]):
            add(spec.METRICS, r, "metric-id", f"metric {row['metric']!r} has no ID")
        if _blank(row["tool"]):
            add(spec.METRICS, r, "metric-tool", f"metric {name!r} names no tool that measures it")
        if _blank(row["frequency"]):
            add(spec.METRICS, r, "metric-frequency", f"metric {name!r} has no frequency")

    for r, row in reports:
        name = row["report"] if not _blank(row["report"]) else f"row {r}"
        if _blank(row["report"]):
            add(spec.REPORTS, r, "report-name", "a report has no name")
        if _blank(row["audience"]):
            add(spec.REPORTS, r, "report-audience", f"report {name!r} has no audience")
        if _blank(row["cadence"]):
            add(spec.REPORTS, r, "report-cadence", f"report {name!r} has no cadence")

    for r, row in costs:
        name = row["item"] if not _blank(row["item"]) else f"row {r}"
        if _blank(row["category"]):
            add(spec.COSTS, r, "cost-category", f"cost {name!r} has no category")
        numbers = [row[k] for k in ("amount", "hours") if not _blank(row[k])]
        if not numbers:
            add(spec.COSTS, r, "cost-number", f"cost {name!r} has no amount or hours")
        for key in ("amount", "hours", "rate", "allocation"):
            value = row[key]
            if not _blank(value) and not _is_number(value) and not isinstance(value, _dt.datetime):
                add(spec.COSTS, r, "cost-number", f"cost {name!r}: {key} {value!r} is not a number")
        if _is_number(row["hours"]) and row["hours"] and _blank(row["rate"]):
            add(spec.COSTS, r, "cost-number", f"cost {name!r} has hours but no rate")
    findings += _check_second_part(wb)
    order = {s.name: i for i, s in enumerate(spec.SHEETS)}
    return sorted(findings, key=lambda f: (order.get(f.sheet, -1), f.row or 0))


# Shares typed as percentages may add up to 100% plus a rounding error.
_TOLERANCE = 1e-9


def _outside(value: Any, low: float, high: float) -> bool:
    return _is_number(value) and not low <= value <= high


def _check_second_part(wb) -> list[Finding]:
    """Long buying cycles, attribution, reputation and relationships (Value tables 6 to 12)."""
    findings: list[Finding] = []

    def add(table: spec.Table, row: int | None, rule: str, message: str) -> None:
        findings.append(Finding(table.sheet, row, rule, message))

    lag = _rows(wb, spec.LAG, findings)
    for r, row in lag:
        if _outside(row["share"], 0, 1) or not (_is_number(row["share"]) or _blank(row["share"])):
            add(spec.LAG, r, "lag-share", f"lag share {row['share']!r} is not between 0% and 100%")
    total = sum(row["share"] for _, row in lag if _is_number(row["share"]))
    if total > 1 + _TOLERANCE:
        add(spec.LAG, lag[0][0], "lag-profile",
            f"the lag profile sums to {total:.1%}: more than 100% of the pipeline would land")

    pipeline = _rows(wb, spec.PIPELINE, findings)
    for r, row in pipeline:
        name = row["stage"] if not _blank(row["stage"]) else f"row {r}"
        for key in ("deals", "probability", "deal_value"):
            if _blank(row[key]):
                add(spec.PIPELINE, r, "pipeline-stage", f"stage {name!r} has no {key.replace('_', ' ')}")
        if _outside(row["probability"], 0, 1):
            add(spec.PIPELINE, r, "pipeline-probability",
                f"stage {name!r}: win probability {row['probability']!r} is not between 0% and 100%")
    expected = sum(row["deals"] * row["probability"] * row["deal_value"] for _, row in pipeline
                   if all(_is_number(row[k]) for k in ("deals", "probability", "deal_value")))
    periods = _rows(wb, spec.PERIODS, findings)
    opened = sum(row["opened"] for _, row in periods if _is_number(row["opened"]))
    if pipeline and opened and abs(opened - expected) > 0.01 * expected:
        add(spec.PERIODS, periods[0][0], "pipeline-periods",
            f"pipeline opened by period sums to {opened:,.2f}, the pipeline table's expected "
            f"value is {expected:,.2f}")
    if opened and not lag:
        add(spec.LAG, None, "lag-profile", "pipeline is opened by period but no lag profile says "
                                           "when it lands")

    touches = _rows(wb, spec.TOUCHES, findings)
    previous = None
    for n, (r, row) in enumerate(touches):
        name = row["touch"] if not _blank(row["touch"]) else f"row {r}"
        if r != spec.TOUCHES.first_row + n:
            add(spec.TOUCHES, r, "touch-gap", f"touch {name!r} follows a blank row: touches are "
                                              "read from the top, without gaps")
        if _blank(row["channel"]):
            add(spec.TOUCHES, r, "touch-channel", f"touch {name!r} has no channel")
        days = row["days"]
        if _is_number(days) and days < 0:
            add(spec.TOUCHES, r, "touch-days", f"touch {name!r} is after the conversion ({days} days)")
        elif _is_number(days) and previous is not None and days > previous:
            add(spec.TOUCHES, r, "touch-order", f"touch {name!r} is older than the one above it: "
                                                "list touches oldest first")
        previous = days if _is_number(days) else previous
    if "Start" in wb.sheetnames:
        model = wb["Start"][_field_ref("AttributionModel")].value
        if not _blank(model) and _key(model) not in spec.ATTRIBUTION_MODELS:
            findings.append(Finding("Start", _field_row("AttributionModel"), "attribution-model",
                                    f"attribution model {model!r} is not one of "
                                    f"{', '.join(spec.ATTRIBUTION_MODELS)}"))

    for r, row in _rows(wb, spec.REPUTATION, findings):
        name = row["source"] if not _blank(row["source"]) else f"row {r}"
        counts = [row[k] for k in ("own", "all", "positive", "negative", "neutral")]
        if any(_is_number(c) and c < 0 for c in counts):
            add(spec.REPUTATION, r, "reputation-count", f"{name!r} has a negative count")
        if _is_number(row["own"]) and _is_number(row["all"]) and row["own"] > row["all"]:
            add(spec.REPUTATION, r, "reputation-mentions",
                f"{name!r}: own mentions ({row['own']}) above all brands' mentions ({row['all']})")

    for r, row in _rows(wb, spec.RELATIONSHIPS, findings):
        name = row["programme"] if not _blank(row["programme"]) else f"row {r}"
        if _outside(row["referral_conversion"], 0, 1):
            add(spec.RELATIONSHIPS, r, "referral-conversion",
                f"{name!r}: referral conversion {row['referral_conversion']!r} is not between "
                "0% and 100%")
        if _outside(row["uplift"], -1, 1):
            add(spec.RELATIONSHIPS, r, "retention-uplift",
                f"{name!r}: retention uplift {row['uplift']!r} is not between -100% and 100%")
        if not _blank(row["customers"]) and (_blank(row["uplift"]) or _blank(row["periods"])):
            add(spec.RELATIONSHIPS, r, "retention-inputs",
                f"{name!r} has customers but no retention uplift or periods")
    return findings


def _field_row(name: str) -> int:
    return next(f.row for f in spec.START_FIELDS if f.name == name)


def _field_ref(name: str) -> str:
    return f"B{_field_row(name)}"
