"""What the importer needs to know of a plan: its currency and period, and what its Costs,
Actions, Traffic, Metrics and KPIs tables hold (what the user typed, not cached values)."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

from ..template import spec


@dataclass
class PlanState:
    currency: str | None
    period: tuple[_dt.date, _dt.date] | None
    tables: dict[str, list[dict[str, object]]]   # table name -> one dict per data row (all rows)


def read_plan(path: Path) -> PlanState:
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=False, read_only=True)
    try:
        start = {f.key: wb["Start"][f"B{f.row}"].value for f in spec.START_FIELDS if f.key}
        tables = {}
        for table in (spec.COSTS, spec.ACTIONS, spec.TRAFFIC, spec.METRICS, spec.KPIS):
            ws = wb[table.sheet]
            rows = []
            for cells in ws.iter_rows(min_row=table.first_row, max_row=table.last_row,
                                      min_col=table.first_col, max_col=table.last_col, values_only=True):
                rows.append({c.key: v for c, v in zip(table.columns, cells)})
            tables[table.name] = rows
    finally:
        wb.close()
    currency = str(start.get("currency") or "").strip().upper() or None
    first, last = _day(start.get("start")), _day(start.get("end"))
    return PlanState(currency, (first, last) if first and last else None, tables)


def _day(value) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return (_dt.datetime(1899, 12, 30) + _dt.timedelta(days=float(value))).date()
    return None
