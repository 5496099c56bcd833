"""The formulas path as the reference the plan (the engine of record) is compared with in tests."""
from __future__ import annotations

from pathlib import Path

from roi_xl.engine import ModelCache, fastpath

_REFERENCE = ModelCache()   # compiled formulas models by fingerprint, shared across tests


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
