"""Value encoding: a computed value as a cell's type attribute `t` and its `<v>` text.

Numbers as the shortest text that reads back as the same double (`cell_text`; Excel's TEXT() is
engine/numfmt.py's `format_number`, a different thing), booleans as 1/0, text as a formula string
(t="str", XML-invalid characters escaped as Excel does, _xHHHH_), errors as the text a file stores
(`error_text`: #SPILL! and #CALC! as #VALUE!), NaN and infinities as #NUM!. `encode` is what the
writer calls for every cell.
"""
from __future__ import annotations

import math
import numbers
import re
from typing import cast

from roi_xl.excel import XlError

__all__ = ["cell_text", "error_text", "encode"]

# Errors that files store as themselves. #SPILL! and #CALC! are "rich" errors: Excel writes them
# as t="e" <v>#VALUE!</v> plus value metadata (xl/metadata.xml, richData), and older readers see
# #VALUE!. Writing "#SPILL!" into <v> is not a value Excel's loader knows, so they go as #VALUE!.
_FILE_ERRORS = {
    XlError.NULL: "#NULL!", XlError.DIV0: "#DIV/0!", XlError.VALUE: "#VALUE!",
    XlError.REF: "#REF!", XlError.NAME: "#NAME?", XlError.NUM: "#NUM!", XlError.NA: "#N/A",
    XlError.GETTING_DATA: "#GETTING_DATA", XlError.SPILL: "#VALUE!", XlError.CALC: "#VALUE!",
}

# Characters XML 1.0 cannot carry (a lone surrogate half among them); Excel writes them (and a literal
# "_xHHHH_") escaped as _xHHHH_.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_X_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def cell_text(x: float | numbers.Real) -> str | None:
    """A number as a cell's <v> text: the shortest text that reads back as the same double
    ("15", "0.1", "1E-5", "1.5E+300"); None for NaN and infinities, which Excel cannot hold."""
    if type(x) is float:  # the usual value; what these two shortcuts skip is worked out below
        if x.is_integer():
            if -1e16 < x < 1e16:
                return str(int(x))  # -0.0 too: "0"
        elif math.isfinite(x):
            text = repr(x)
            if "e" not in text:
                return text
    if isinstance(x, numbers.Integral) and not isinstance(x, bool):
        x = int(x)
        if abs(x) < 2 ** 53:
            return str(x)
    try:
        x = float(x)
    except OverflowError:
        return None
    if not math.isfinite(x):
        return None
    if x == 0:
        return "0"  # also -0.0, which Excel does not have
    if x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    text = repr(x)
    if "e" in text:
        mantissa, exponent = text.split("e")
        if mantissa.endswith(".0"):
            mantissa = mantissa[:-2]
        sign = "-" if exponent.startswith("-") else "+"
        text = f"{mantissa}E{sign}{int(exponent.lstrip('+-'))}"
    elif text.endswith(".0"):
        text = text[:-2]
    return text


def error_text(err) -> str:
    """The text a file stores for an Excel error (see _FILE_ERRORS for #SPILL! and #CALC!)."""
    code = err if isinstance(err, XlError) else XlError.from_code(str(err))
    if code is None:
        raise ValueError(f"not an Excel error: {err!r}")
    return _FILE_ERRORS[code]


def _is_formulas_error(value) -> bool:
    # `formulas` has its own XlError (a str subclass); accept it so the engine can pass results on.
    cls = type(value)
    return (cls.__name__ == "XlError" and cls.__module__.startswith("formulas")
            and XlError.from_code(str(value)) is not None)


def _is_bool(value) -> bool:
    return isinstance(value, bool) or (type(value).__module__ == "numpy"
                                       and type(value).__name__ in ("bool_", "bool"))


def _escape_text(text: str) -> str:
    if "_x" not in text and text.isprintable():
        return text
    text = _X_ESCAPE.sub(r"_x005F_\1", text)
    return _XML_INVALID.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def encode(value: object) -> tuple[str | None, str | None]:
    """(t attribute, <v> text) for a value; (None, None) for a blank result."""
    if value is None:
        return None, None
    cls = type(value)  # fast paths for the common exact types; the general checks follow
    if cls is float or cls is int:
        text = cell_text(cast(float, value))
        return ("e", "#NUM!") if text is None else (None, text)
    if cls is bool:
        return "b", "1" if value else "0"
    if cls is str:
        return "str", _escape_text(cast(str, value))
    if isinstance(value, XlError):
        return "e", _FILE_ERRORS[value]
    if _is_formulas_error(value):
        return "e", _FILE_ERRORS[cast(XlError, XlError.from_code(str(value)))]  # not None: checked
    if _is_bool(value):
        return "b", "1" if value else "0"
    if isinstance(value, str):
        return "str", _escape_text(value)
    if isinstance(value, numbers.Real):
        text = cell_text(value)
        return ("e", "#NUM!") if text is None else (None, text)
    raise TypeError(f"cannot write a {type(value).__name__} as a cell value: {value!r}")

