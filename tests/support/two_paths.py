"""The formulas path as the reference the plan (the engine of record) is compared with in tests."""
from __future__ import annotations

from pathlib import Path

from roi_xl.engine import ModelCache, fastpath

_REFERENCE = ModelCache()   # compiled formulas models by fingerprint, shared across tests
# Workbooks of more formula cells are left out of `differences` (the formulas model costs ~5 ms a cell).
MAX_FORMULAS = 5_000


def formulas_values(path: Path) -> dict:
    """Every formula cell's value by the formulas model alone (no plan)."""
    return fastpath.compute(path, _REFERENCE, fast=False).cells


def assert_same(fast: dict, reference: dict) -> None:
    """Same cells, each of the same type and value (NaN equal to NaN)."""
    assert set(fast) == set(reference), sorted(set(fast) ^ set(reference))[:10]
    differing = {k: (fast[k], v) for k, v in reference.items() if not fastpath.same_value(fast[k], v)}
    assert not differing, list(differing.items())[:10]


def assert_plan_equals_formulas(computed: fastpath.Computed, path: Path) -> None:
    """`computed` came from the plan and equals the formulas model's values for `path`."""
    assert computed.fast, computed.note
    assert_same(computed.cells, formulas_values(path))


def differences(path: Path) -> dict:
    """Both evaluations of one workbook: {"plan": None or why not, "cells": n, "differ": [...]}."""
    import warnings

    from roi_xl.engine import ModelCache, fastbook, fastpath
    from roi_xl.engine.workbook import load
    from roi_xl.errors import NeedFormulas

    warnings.simplefilter("ignore")  # numpy overflow chatter of formulas' functions
    loaded = load(path)
    if len(loaded.formulas) > MAX_FORMULAS:
        return {"skipped": f"{len(loaded.formulas)} formula cells"}
    book = fastbook.read(path)
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
