"""Differential test: the translated plan (the engine of record) against the `formulas` model.

Nothing compares the two at run time any more (roi_xl.engine.fastpath evaluates the plan from a
template's first workbook), so this is where the plan's fidelity to the rules the `formulas` path
follows is guarded. Every bundled example and every workbook of the conformance suite
(../shared/conformance/ironcalc, beside the repository, when present) goes through both, and every
cell where they differ is listed: same keys, same type, same value, NaN equal to NaN, no tolerance.

A workbook the plan does not express (fastpath falls back to formulas for it) has nothing to
compare; it is counted, not failed. Workbooks of more than MAX_FORMULAS formula cells are left out
to keep the run within a couple of minutes (the formulas model costs about 5 ms a cell to build).
"""
from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "workbook_templates" / "examples").glob("*.xlsx"))
SUITE = ROOT.parent / "shared" / "conformance" / "ironcalc"
MAX_FORMULAS = 5_000


def differences(path: Path) -> dict:
    """Both evaluations of one workbook: {"plan": None or why not, "cells": n, "differ": [...]}."""
    import warnings

    from roi_xl.engine import ModelCache, fastpath, fastread
    from roi_xl.engine.workbook import load
    from roi_xl.errors import NeedFormulas

    warnings.simplefilter("ignore")  # numpy overflow chatter of formulas' functions
    loaded = load(path)
    if len(loaded.formulas) > MAX_FORMULAS:
        return {"skipped": f"{len(loaded.formulas)} formula cells"}
    book = fastread.read(path)
    entry = fastpath._plan_entry(book)  # as users get it: from the fast reader's facts
    if entry.plan is None:
        return {"fallback": entry.reason}
    try:
        plan = entry.plan.evaluate(book.values)
    except NeedFormulas as exc:
        return {"fallback": f"fast plan: {exc}"}
    except Exception as exc:  # noqa: BLE001 - fastpath would fall back, but it is the plan's fault
        return {"differ": [f"the plan raises {type(exc).__name__}: {exc}"], "cells": 0}
    try:
        reference = ModelCache(size=1).get(loaded).evaluate(loaded)
    except Exception as exc:  # noqa: BLE001 - the plan computed what formulas cannot
        return {"differ": [f"formulas fails: {type(exc).__name__}: {exc}"], "cells": len(plan)}
    differ = []
    for key in sorted(set(plan) | set(reference)):
        a, b = plan.get(key, "(missing)"), reference.get(key, "(missing)")
        if not fastpath.same_value(a, b):
            differ.append(f"{key[0]}!{key[1]}: plan {a!r}, formulas {b!r}")
    return {"differ": differ, "cells": len(plan)}


def _suite() -> list[Path]:
    return sorted(SUITE.rglob("*.xlsx")) if SUITE.is_dir() else []


def _one(path: Path) -> tuple[Path, dict]:
    try:
        return path, differences(path)
    except Exception as exc:  # noqa: BLE001 - a workbook neither path loads
        return path, {"error": f"{type(exc).__name__}: {exc}"}


@pytest.fixture(scope="module")
def suite_results() -> dict[Path, dict]:
    paths = _suite()
    if not paths:
        pytest.skip(f"{SUITE} not present")
    import roi_xl.engine.workbook  # noqa: F401  (imported once, inherited by the workers)

    with mp.get_context("fork").Pool(2, maxtasksperchild=10) as pool:
        return dict(pool.imap_unordered(_one, paths))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_bundled_examples_plan_equals_formulas(path):
    result = differences(path)
    assert "fallback" not in result, result["fallback"]   # the template is all the plan's
    assert result["cells"] > 400
    assert result["differ"] == []


@pytest.mark.parametrize("seed", [1, 2])
def test_plain_benchmark_workbooks_plan_equals_formulas(tmp_path, seed):
    # The benchmark's mix (bench/plain_workbooks.py): lookups, INDEX/MATCH, SUMIFS/COUNTIFS over a
    # 500-row block, text; the plan computes them itself (criteria masks, INDEX, ROW...).
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from plain_workbooks import write_plain

    result = differences(write_plain(tmp_path / "plain.xlsx", 600, seed=seed))
    assert "fallback" not in result, result["fallback"]
    assert result["cells"] == 600 and result["differ"] == []


def test_conformance_workbooks_plan_equals_formulas(suite_results):
    differ = {str(p.relative_to(SUITE)): r["differ"] for p, r in suite_results.items()
              if r.get("differ")}
    listed = "\n".join(f"{name}:\n  " + "\n  ".join(cells) for name, cells in sorted(differ.items()))
    assert not differ, f"{sum(map(len, differ.values()))} cells differ:\n{listed}"


def test_most_conformance_workbooks_are_compared(suite_results):
    # The comparison above must not pass by comparing nothing.
    compared = [r for r in suite_results.values() if "differ" in r]
    assert len(compared) >= len(suite_results) // 2
    assert sum(r["cells"] for r in compared) > 1_000
