"""Headless recalculation of workbooks on the `formulas` library."""
from .errors import CircularReferenceError, WorkbookError
from .model import ModelCache
from .recalc import Results, recalc

__all__ = ["CircularReferenceError", "ModelCache", "Results", "WorkbookError", "recalc"]
