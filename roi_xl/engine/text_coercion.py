"""One rule for a value made text: the `&` operator and every text function that reads a number.

formulas 1.3.4 writes a number with Python's repr (=""&(0.1+0.2) gave "0.30000000000000004", ""&1/3
"0.3333333333333333"); Excel writes 15 significant digits (numfmt.number_text). formulas' operator
`&` and its text functions (CONCATENATE, CONCAT, TEXTJOIN, LEN, LEFT, MID, FIND, ...) all call one
helper, `formulas.functions.text._str` (operators.py holds its own reference), so installing ours in
both places changes all of them; fastcalc's `&` calls value_text too, so the fast path agrees.
"""
from __future__ import annotations

import numpy as np

from .numfmt import number_text


def value_text(value) -> str:
    """A cell value as text the way Excel coerces it: TRUE/FALSE, numbers by number_text, text as is."""
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (float, int, np.number)):
        return number_text(float(value))
    return str(value)


def install() -> None:
    """Make formulas' `&` and text functions use value_text (idempotent)."""
    from formulas.functions import operators, text

    text._str = value_text
    operators._str = value_text
