"""Batch results -> history rows: the summary row the batch writes, plus each KPI's attainment
read back from the recalculated workbook."""
from __future__ import annotations

import os
from collections.abc import Iterable

from .. import summary
from .store import add, kpi_attainments


def record(results: Iterable, history: str | os.PathLike) -> list[str]:
    """Add the batch's successful results (roi_xl.batch.work.FileResult, with their named figures
    and outputs; any objects with those attributes) to the database; returns messages about rows
    left out. Nothing here imports the batch: the batch calls this."""
    results = [r for r in results if r.ok]
    messages, kpis = [], {}
    for r in results:
        if r.output is None:
            continue
        try:
            kpis[str(r.path)] = kpi_attainments(r.output)
        except Exception as exc:  # noqa: BLE001 - not a plan (no KPIs sheet): the figures still count
            messages.append(f"{r.path}: no KPI attainment recorded ({type(exc).__name__})")
    return messages + add(history, summary.rows(results), kpis)
