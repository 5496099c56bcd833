"""Headless recalculation of workbooks on the `formulas` library.

ModelCache, Results and recalc load on first use: `formulas` (with numpy and openpyxl) takes a good part
of a second to import, which the modules that only read or write a workbook's zip (roi_xl.xlsx)
do not need; scipy loads only with a statistical function a workbook uses (function_table.py).
"""
from ..errors import CircularReferenceError, WorkbookError

__all__ = ["CircularReferenceError", "ModelCache", "Results", "WorkbookError", "recalc"]

_LAZY = {"ModelCache": ".cache", "Results": ".recalc", "recalc": ".recalc"}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # also replaces the submodule `recalc` that importing it bound here
    return value
