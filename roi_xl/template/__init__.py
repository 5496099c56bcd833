"""The measurement-plan workbook: its description (spec), writer (build), examples and rules (check).

Submodules are imported on first use so that `roi-xl --help` does not load openpyxl.
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "PlanInputs": "build", "build_workbook": "build", "write_plan": "build", "write_workbook": "build",
    "Finding": "check", "check_workbook": "check",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(name)
    return getattr(importlib.import_module(f".{module}", __name__), name)
