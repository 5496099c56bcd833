"""Excel functions `formulas` lacks or gets wrong, one module per family.

Each module exposes `REPLACEMENTS`: function-table entries (upper-case names, also the `_XLFN.`
forms Excel writes for newer functions) built with formulas' own wrappers, so blanks, text and
error arguments behave as in the rest of the table. `excel_functions.install()` registers them.
"""
from __future__ import annotations

from . import (accrint, aggregate, bessel, bonds, cashflows, complex, database, dates, distributions,
               dollar_fraction, dynamic, elementary, engineering, financial, information, logical, lookup, math, matrix,
               oddlast, offset, regression, rounding, statistical, tbill, text, text_delimited, text_value, tvm)


def replacements() -> dict:
    table: dict = {}
    for module in (accrint, aggregate, bessel, bonds, cashflows, complex, database, dates, distributions,
                   dollar_fraction, dynamic, elementary, engineering, information, logical, lookup, math,
                   matrix, oddlast, offset, regression, rounding, statistical, tbill, text, text_delimited,
                   text_value, tvm):
        table.update(module.REPLACEMENTS)
    table.update(financial.replacements())
    return table
