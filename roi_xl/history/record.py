"""Batch results -> history rows: the summary row the batch writes, plus each KPI's attainment
read back from the recalculated workbook."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .. import summary
from .store import add, kpi_attainments


def record(results: Iterable, history: str | os.PathLike) -> list[str]:
    """Add the batch's successful results (roi_xl.batch.FileResult, with their named figures
    and outputs) to the database; returns messages about rows left out."""
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


def add_workbooks(paths: list[Path], history: str | os.PathLike) -> tuple[int, list[str]]:
    """Recalculate each workbook (into a temporary copy) and add it; (rows added, messages)."""
    from ..batch import Options, process
    from ..engine import ModelCache

    cache, results, messages = ModelCache(), [], []
    with tempfile.TemporaryDirectory(prefix="roi-xl-history-") as tmp:
        for i, path in enumerate(paths):
            r = process(Path(path), Path(tmp) / f"{i}.xlsx", cache, Options(summary=True))
            if r.ok:
                results.append(r)
            else:
                messages.append(r.error_line())
        messages += record(results, history)
    added = len(results) - sum(1 for m in messages if "not added to the history" in m)
    return added, messages
