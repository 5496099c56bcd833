"""Excel functions `formulas` lacks or gets wrong, one module per family.

Each module exposes `REPLACEMENTS`: function-table entries (upper-case names, also the `_XLFN.`
forms Excel writes for newer functions) built with formulas' own wrappers, so blanks, text and
error arguments behave as in the rest of the table. `excel_functions.install()` registers them.
"""
from __future__ import annotations

from . import (
    database, dynamic, elementary, financial, logical, lookup, math, offset, rounding, statistical, text,
)


def replacements() -> dict:
    table: dict = {}
    for module in (database, dynamic, elementary, logical, lookup, math, offset, rounding, statistical,
                   text):
        table.update(module.REPLACEMENTS)
    table.update(financial.replacements())
    return table
