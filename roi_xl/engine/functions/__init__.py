"""Excel functions `formulas` lacks or gets wrong, one module per family.

Each module exposes `REPLACEMENTS`: function-table entries (upper-case names, also the `_XLFN.`
forms Excel writes for newer functions) built with formulas' own wrappers, so blanks, text and
error arguments behave as in the rest of the table. The table (function_table.py) imports a
module the first time one of its names is looked up: this package imports none of them itself,
so that a workbook pays only for the families it uses (distributions.py imports scipy.stats).
"""
from __future__ import annotations

# The order the entries apply in: a later module's entry replaces an earlier one's.
FAMILIES = ("accrint", "aggregate", "bessel", "bonds", "cashflows", "complex", "database", "dates",
            "distributions", "dollar_fraction", "dynamic", "elementary", "engineering", "information",
            "logical", "lookup", "math", "matrix", "oddlast", "offset", "regression", "rounding",
            "statistical", "tbill", "text", "text_delimited", "text_slices", "text_value", "tvm",
            "financial")

