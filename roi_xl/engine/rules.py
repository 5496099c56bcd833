"""Excel's operator, comparison and condition rules, defined once on the plan's values: None a blank,
float or int a number, str, bool, XlError.

The plan's translation (fastcalc) calls these functions directly, they are its hottest code: each
tries the common case (two numbers, two texts) first. The `formulas` path reaches the same functions
through thin adapters that convert its values element by element (operators.py for its operator
table, functions/logical.py for IF, NOT, AND, OR, XOR; formulas_args.formulas_rule), so a rule
changes here and nowhere else. No function raises: a bad operand gives the error Excel gives.

* Arithmetic (+ - * / unary - %, ^): the first error operand (left to right) is the result; a blank
  is 0, TRUE 1, text is read by Excel's rule (text_number: "1,000", "50%", "$5", dates) or #VALUE!;
  x/0 is #DIV/0!; a result that is not finite is #NUM!. ^ is Excel's POWER: 0^0 #NUM!, 0^-1 #DIV/0!,
  (-8)^(1/3) #NUM! (no complex numbers), an overflow #NUM!.
* Snap to zero. When the last operation of a cell's formula is an addition or subtraction whose two
  operands nearly cancel, Excel returns exactly 0 (=0.1+0.2-0.3 is 0, not 5.55e-17). Only the final
  operation, and not when the whole formula is in parentheses (the translation and operators.py
  decide where): =(0.1+0.2-0.3) and =1*(0.5-0.4-0.1) keep the residue (Microsoft KB 78113, "Example
  when a value reaches zero"). "Nearly" is the measured rule (J. Lewis and joeu2004,
  microsoft.public.excel, 2009): the operands' 64-bit patterns differ by at most 7, i.e. they are
  within 7 units in the last place. (LibreOffice snaps every subtraction with its own tolerance.)
* `&`: the first error, else both values as text (TRUE, numbers as Excel shows them in General, a
  blank ""); longer than a cell holds (32,767 characters) is #VALUE!, as in Excel.
* Comparison (= <> < <= > >=): the first error; a blank compares as "" against text, as FALSE
  against a boolean and as 0 otherwise; text compares case-insensitively; values of different kinds
  order numbers < text < booleans (Excel: =1<"a" and ="z"<TRUE are TRUE, =TRUE=1 FALSE). The
  conformance workbook ironcalc/calc_tests/logical.xlsx (sheet Compare, saved by Excel) holds these
  cases but a blank against a boolean; that an empty cell equals FALSE in Excel (and "" or 0 do not)
  is D. Glancy's observation ("Oh You False Empty Cell", yoursumbuddy.com). formulas and the plan
  compared a blank with FALSE as 0 (so =A1=FALSE was FALSE for an empty A1).
* IF's condition: an error is the result, a blank or 0 FALSE, another number TRUE, the text "TRUE"
  or "FALSE" (any case) that logical value, other text #VALUE! (formulas and the plan had #VALUE!
  for any text; Excel reads those two words as the logical values, M. McLaughlin, "What's true in
  an Excel IF statement?", 2008, as AND and OR do). NOT likewise, negated. AND, OR, XOR over values:
  the first error, text and blanks skipped, none left #VALUE!.
"""
from __future__ import annotations

import math
import struct
from collections.abc import Iterable

from ..excel import XlError
from .text_coercion import MAX_TEXT, value_text
from .text_number import text_to_number

DIV0, NUM, VALUE = XlError.DIV0, XlError.NUM, XlError.VALUE
_INF = math.inf
_NEAR_ULPS = 7  # the widest cancellation Excel still replaces by 0


# --------------------------------------------------------------------------- arithmetic


def number(value) -> float:
    """An arithmetic operand that is not an error as Excel reads it: a blank 0, TRUE 1, text by
    Excel's rule; ValueError when it is not a number (the operator gives #VALUE!)."""
    cls = value.__class__
    if cls is str:
        n = text_to_number(value)
        if n is None:
            raise ValueError(value)
        return n
    if value is None:
        return 0.0
    return float(value)


def _arithmetic(op, x, y):
    """op on two operands by the rule above, for anything but two numbers (each operator's fast
    case): the first error, else op on both as numbers, else #VALUE!."""
    if x.__class__ is XlError:
        return x
    if y.__class__ is XlError:
        return y
    try:
        a, b = number(x), number(y)
    except (TypeError, ValueError):
        return VALUE
    return op(a, b)


def finite(r: float):
    """A result that is not a finite number is #NUM!."""
    return r if -_INF < r < _INF else NUM  # a NaN fails both comparisons


def _plus(a: float, b: float):
    return finite(a + b)


def _minus(a: float, b: float):
    return finite(a - b)


def _times(a: float, b: float):
    return finite(a * b)


def _over(a: float, b: float):
    return finite(a / b) if b else DIV0


def _raise(a: float, b: float):
    """Excel's POWER on two numbers."""
    if not a:
        if not b:
            return NUM
        if b < 0:
            return DIV0
    try:
        return finite(math.pow(a, b))
    except (ValueError, OverflowError):  # a negative number to a fraction; too large
        return NUM


_NUMBERS = frozenset({float, int})


# The four operators test for two numbers first and compute inline (finite(r) spelt out): they are
# the plan's hottest code.
def add(x, y):
    if x.__class__ in _NUMBERS and y.__class__ in _NUMBERS:
        r = float(x) + y
        return r if -_INF < r < _INF else NUM
    return _arithmetic(_plus, x, y)


def sub(x, y):
    if x.__class__ in _NUMBERS and y.__class__ in _NUMBERS:
        r = float(x) - y
        return r if -_INF < r < _INF else NUM
    return _arithmetic(_minus, x, y)


def mul(x, y):
    if x.__class__ in _NUMBERS and y.__class__ in _NUMBERS:
        r = float(x) * y
        return r if -_INF < r < _INF else NUM
    return _arithmetic(_times, x, y)


def div(x, y):
    if x.__class__ in _NUMBERS and y.__class__ in _NUMBERS:
        if not y:
            return DIV0
        r = float(x) / y
        return r if -_INF < r < _INF else NUM
    return _arithmetic(_over, x, y)


def power(x, y):
    return _arithmetic(_raise, x, y)


def _bits(x: float) -> int:
    return struct.unpack("<q", struct.pack("<d", x))[0]


def cancels(a: float, b: float) -> bool:
    """Whether Excel gives exactly 0 for a + b as a formula's final operation: both operands non-zero,
    of opposite signs, and within 7 units in the last place of each other."""
    if not a or not b or (a > 0) == (b > 0) or a + b == 0 or not math.isfinite(a + b):
        return False
    return abs(_bits(abs(a)) - _bits(abs(b))) <= _NEAR_ULPS


def add_final(x, y):
    """+ as a cell formula's final operation (see the snap to zero above)."""
    r = add(x, y)
    return 0.0 if r.__class__ is float and r and cancels(number(x), number(y)) else r


def sub_final(x, y):
    """- as a cell formula's final operation (see the snap to zero above)."""
    r = sub(x, y)
    return 0.0 if r.__class__ is float and r and cancels(number(x), -number(y)) else r


def _unary(op, x):
    if x.__class__ is XlError:
        return x
    try:
        return finite(op(number(x)))
    except (TypeError, ValueError):
        return VALUE


def neg(x):
    """Unary minus."""
    if x.__class__ is float:
        return -x
    return _unary(float.__neg__, x)


def pct(x):
    """x%."""
    return _unary(lambda a: a / 100.0, x)


def as_number(x):
    """--x (a prefix run of an even number of minus signs): the operand as a number."""
    return _unary(float, x)


def pos(x):
    """Unary plus passes its operand through, a blank as 0 (Excel: =+"a" is "a")."""
    return 0 if x is None else x


def blank_as_zero(x):
    """A blank where IF, IFERROR and NOT read an argument (and give one back) is 0."""
    return 0 if x is None else x


# --------------------------------------------------------------------------- text


def concat(x, y):
    """x & y."""
    if x.__class__ is str and y.__class__ is str:
        return x + y if len(x) + len(y) <= MAX_TEXT else VALUE
    if x.__class__ is XlError:
        return x
    if y.__class__ is XlError:
        return y
    x, y = value_text("" if x is None else x), value_text("" if y is None else y)
    return VALUE if len(x) + len(y) > MAX_TEXT else x + y


# --------------------------------------------------------------------------- comparison


def _kind(x) -> int:
    cls = x.__class__
    if cls is bool:
        return 2
    if cls is str:
        return 1
    return 0


_BLANK_AS = {str: "", bool: False}  # a blank against text, against a boolean; else 0


def comparable(x, y):
    """Two operands of a comparison as (kind, value) keys ordered as Excel orders them, or the first
    error: a blank is "" against text, FALSE against a boolean and 0 otherwise, text upper-cased,
    numbers < text < booleans."""
    if x.__class__ is XlError:
        return x
    if y.__class__ is XlError:
        return y
    if x is None:
        x = _BLANK_AS.get(y.__class__, 0)
    if y is None:
        y = _BLANK_AS.get(x.__class__, 0)
    kx, ky = _kind(x), _kind(y)
    if kx == ky == 1:
        return (1, x.upper()), (1, y.upper())
    return (kx, x), (ky, y)


def eq(x, y):
    if x.__class__ in _NUMBERS and y.__class__ in _NUMBERS:
        return x == y
    if x.__class__ is str and y.__class__ is str:
        return x.upper() == y.upper()
    keys = comparable(x, y)
    return keys if keys.__class__ is XlError else keys[0] == keys[1]


def ne(x, y):
    if x.__class__ in _NUMBERS and y.__class__ in _NUMBERS:
        return x != y
    if x.__class__ is str and y.__class__ is str:
        return x.upper() != y.upper()
    keys = comparable(x, y)
    return keys if keys.__class__ is XlError else keys[0] != keys[1]


def lt(x, y):
    if x.__class__ in _NUMBERS and y.__class__ in _NUMBERS:
        return x < y
    if x.__class__ is str and y.__class__ is str:
        return x.upper() < y.upper()
    keys = comparable(x, y)
    return keys if keys.__class__ is XlError else keys[0] < keys[1]


def le(x, y):
    if x.__class__ in _NUMBERS and y.__class__ in _NUMBERS:
        return x <= y
    if x.__class__ is str and y.__class__ is str:
        return x.upper() <= y.upper()
    keys = comparable(x, y)
    return keys if keys.__class__ is XlError else keys[0] <= keys[1]


def gt(x, y):
    if x.__class__ in _NUMBERS and y.__class__ in _NUMBERS:
        return x > y
    if x.__class__ is str and y.__class__ is str:
        return x.upper() > y.upper()
    keys = comparable(x, y)
    return keys if keys.__class__ is XlError else keys[0] > keys[1]


def ge(x, y):
    if x.__class__ in _NUMBERS and y.__class__ in _NUMBERS:
        return x >= y
    if x.__class__ is str and y.__class__ is str:
        return x.upper() >= y.upper()
    keys = comparable(x, y)
    return keys if keys.__class__ is XlError else keys[0] >= keys[1]


# --------------------------------------------------------------------------- conditions


def text_logical(value):
    """"TRUE"/"FALSE" (any case) as the logical value Excel reads where it expects one; other values
    unchanged."""
    if isinstance(value, str) and value.upper() in ("TRUE", "FALSE"):
        return value.upper() == "TRUE"
    return value


def condition(x):
    """IF's condition as True or False, or the error IF gives: an error itself, text other than
    "TRUE"/"FALSE" #VALUE!."""
    cls = x.__class__
    if cls is bool or cls is XlError:
        return x
    if x is None:
        return False
    if cls is str:
        x = text_logical(x)
        return VALUE if x.__class__ is str else x
    return bool(x)


def not_(x):
    """NOT(x): the negated condition (NOT of a blank is TRUE)."""
    c = condition(x)
    return c if c.__class__ is XlError else not c


def _logical(values: Iterable, reduce):
    """AND/OR/XOR over the values of their arguments: the first error; text (a typed "TRUE" is read
    as a logical value before: text_logical) and blanks skipped; none left #VALUE!."""
    truths = []
    for v in values:
        cls = v.__class__
        if cls is XlError:
            return v
        if v is None or cls is str:
            continue
        truths.append(bool(v))
    return reduce(truths) if truths else VALUE


def and_(values: Iterable):
    return _logical(values, all)


def or_(values: Iterable):
    return _logical(values, any)


def xor(values: Iterable):
    """XOR: TRUE when an odd number of the values are TRUE."""
    return _logical(values, lambda truths: sum(truths) % 2 == 1)
