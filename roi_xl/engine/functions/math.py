"""Math functions `formulas` 1.3.4 lacks or gets wrong: QUOTIENT, COMBIN, COMBINA, BASE, DECIMAL,
GCD, LCM, SERIESSUM, MMULT, SUMSQ, ROMAN, ARABIC, PERMUT, FACTDOUBLE (Excel's documented rules;
arguments are truncated to integers where Excel does so). QUOTIENT, GCD, LCM, SERIESSUM and
FACTDOUBLE come from the Analysis ToolPak and, as Excel-saved workbooks show, take no TRUE/FALSE
(#VALUE!)."""
from __future__ import annotations

import math

import numpy as np
import schedula as sh
from formulas.functions import XlError as FormulasError
from formulas.functions import wrap_func, wrap_ufunc

from ._args import DIV0, NUM, VALUE, Fail, array_result, elementwise, grid, is_number, read_numbers, scalar, to_number
from .statistical import numbers


def _int(v) -> int:
    return math.trunc(to_number(v))


_NUMERALS = ((1000, "M"), (500, "D"), (100, "C"), (50, "L"), (10, "X"), (5, "V"), (1, "I"))


def _roman_table(form: int) -> tuple:
    """ROMAN's (value, letters) pairs for one form, largest first: each numeral, then the pairs
    that subtract a smaller numeral from it (its value minus that numeral's, when that is not a
    numeral itself), at most form + 1 of them, the closest to the numeral last. Form 0 allows IV,
    IX, XL, XC, CD, CM; form 1 adds VL, VC, LD, LM; form 2 IL, IC, XD, XM; form 3 VD, VM; form 4 ID, IM
    (Excel's ROMAN(499, 0..4): CDXCIX, LDVLIV, XDIX, VDIV, ID)."""
    pairs = []
    for i, (value, letter) in enumerate(_NUMERALS):
        pairs.append((value, letter))
        subtractive = []
        for smaller, s in _NUMERALS[i + 1:]:
            if all(value - smaller != v for v, _ in _NUMERALS):
                subtractive.append((value - smaller, s + letter))
                if len(subtractive) == form + 1:
                    break
        pairs.extend(reversed(subtractive))
    return tuple(pairs)


_ROMAN_TABLES = tuple(_roman_table(form) for form in range(5))


def _roman_form(form) -> int:
    """ROMAN's form: omitted, blank or TRUE is 0 (classic), FALSE 4 (simplified), a number or numeric
    text truncated; outside 0..4 #VALUE!."""
    if form is sh.EMPTY:
        return 0
    if isinstance(form, (bool, np.bool_)):
        return 0 if form else 4
    n = _int(form)
    if not 0 <= n <= 4:
        raise Fail(VALUE)
    return n


def roman(number, form=0):
    """Excel's ROMAN: number (a blank 0, TRUE 1, numeric text read, decimals truncated) from 0 to 3999
    as Roman numerals of the form's table (greedy, largest pair first); 0 is the empty text; a
    number outside 0..3999 or a form outside 0..4 is #VALUE!; the first error among the arguments
    is the result."""
    if isinstance(number, FormulasError):
        raise Fail(number)
    if isinstance(form, FormulasError):
        raise Fail(form)
    n = _int(number)
    table = _ROMAN_TABLES[_roman_form(form)]
    if not 0 <= n <= 3999:
        raise Fail(VALUE)
    out = []
    for value, letters in table:
        if n >= value:
            count, n = divmod(n, value)
            out.append(letters * count)
            if not n:
                break
    return "".join(out)


_ARABIC_VALUES = {letter: value for value, letter in _NUMERALS}  # "M" -> 1000 ... "I" -> 1


def arabic(text):
    """Excel's ARABIC: Roman numerals as a number, case ignored, leading and trailing spaces ignored,
    a leading "-" negating, a blank or "" 0; at most 255 characters; an error is the result; anything
    else (a number, TRUE, any other character) #VALUE!. Read right to left, a numeral adds while it is at least the
    numeral after it and subtracts otherwise, a run of one numeral counting the same way (IIX is 8,
    IM 999, XIXI 20)."""
    if text is sh.EMPTY:
        return 0.0
    if isinstance(text, FormulasError):
        raise Fail(text)
    if not isinstance(text, str):
        raise Fail(VALUE)
    roman_text = text.strip(" ").upper()
    if len(text) > 255:
        raise Fail(VALUE)
    sign = 1.0
    if roman_text.startswith("-"):
        sign, roman_text = -1.0, roman_text[1:]
        if not roman_text:
            raise Fail(VALUE)
    total, previous, adding = 0, -1, True
    for letter in reversed(roman_text):
        value = _ARABIC_VALUES.get(letter)
        if value is None:
            raise Fail(VALUE)
        if value != previous:
            adding = previous < value
        previous = value
        total += value if adding else -value
    return sign * total


def _toolpak_number(v) -> float:
    """An Analysis ToolPak function's argument: TRUE/FALSE is #VALUE!, the rest as usual."""
    if isinstance(v, (bool, np.bool_)):
        raise Fail(VALUE)
    return to_number(v)


def quotient(numerator, denominator):
    n, d = _toolpak_number(numerator), _toolpak_number(denominator)
    if d == 0:
        raise Fail(DIV0)
    return float(math.trunc(n / d))


# A count whose logarithm is past the largest double's overflows (#NUM!): checked before the exact
# count is made, which for PERMUT(1E9,5E8) or COMBIN(1E9,5E8) would take hours and gigabytes.
_LOG_MAX = math.log(np.finfo(float).max)


def _count(log_size: float, exact) -> float:
    if log_size > _LOG_MAX:
        raise Fail(NUM)
    return float(exact())


def combin(number, chosen):
    n, k = _int(number), _int(chosen)
    if n < 0 or k < 0 or k > n:
        raise Fail(NUM)
    return _count(math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1), lambda: math.comb(n, k))


def permut(number, chosen):
    """PERMUT: arguments truncated; k > n or a negative one #NUM!, as is an overflow (formulas:
    #VALUE!, after computing n! in full)."""
    n, k = _int(number), _int(chosen)
    if n < 0 or k < 0 or k > n:
        raise Fail(NUM)
    return _count(math.lgamma(n + 1) - math.lgamma(n - k + 1), lambda: math.perm(n, k))


def factdouble(number):
    """FACTDOUBLE (Analysis ToolPak: TRUE is #VALUE!): n(n-2)(n-4)... of the number truncated, 1
    for 0 and -1, #NUM! below; past 300!! a double overflows: #NUM! (formulas multiplied 64-bit
    integers that wrapped round: FACTDOUBLE(301) was 4.7E18)."""
    n = math.trunc(_toolpak_number(number))
    if n < -1 or n > 300:
        raise Fail(NUM)
    return float(math.prod(range(n, 0, -2)))


def combina(number, chosen):
    n, k = _int(number), _int(chosen)
    if n < 0 or k < 0 or (n == 0 and k > 0):
        raise Fail(NUM)
    return _count(math.lgamma(n + k) - math.lgamma(k + 1) - math.lgamma(n), lambda: math.comb(n + k - 1, k)) \
        if k else 1.0


_LIMIT = 2.0 ** 53  # the whole numbers BASE, DECIMAL, GCD and LCM take or give stay below it
_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def base(number, radix, min_length=0):
    n, r, width = _int(number), _int(radix), _int(min_length)
    if n < 0 or n >= _LIMIT or not 2 <= r <= 36 or not 0 <= width <= 255:
        raise Fail(NUM)
    out = ""
    while n:
        n, d = divmod(n, r)
        out = _DIGITS[d] + out
    return (out or "0").rjust(width, "0")


def decimal(text, radix):
    r = _int(radix)
    if not 2 <= r <= 36:
        raise Fail(NUM)
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = str(int(text)) if float(text).is_integer() else str(text)
    if not isinstance(text, str) or len(text) > 255:
        raise Fail(VALUE)
    try:
        value = int(text.strip(), r) if text.strip() else 0
    except ValueError:
        raise Fail(NUM) from None
    if value >= _LIMIT:
        raise Fail(NUM)
    return float(value)


def _integers(args) -> list[int]:
    """GCD/LCM arguments as Excel takes them (an Analysis ToolPak rule set, seen in Excel-saved
    workbooks): TRUE/FALSE anywhere is #VALUE!; a blank cell given alone is skipped, a blank inside
    a range is 0; the rest truncated; negative numbers or 2^53 and above are #NUM!; nothing at
    all is #VALUE!. (An argument left empty, LCM(,5), is #N/A: rewrite.py fills in NA().)"""
    out = []
    for arg in args:
        values = grid(arg)
        for v in values.ravel():
            if v is sh.EMPTY:
                if values.size == 1:
                    continue
                v = 0
            x = _toolpak_number(v)
            if x < 0 or x >= _LIMIT:
                raise Fail(NUM)
            out.append(math.trunc(x))
    if not out:
        raise Fail(VALUE)
    return out


def _reduce(func):
    def call(*args):
        try:
            result = func(_integers(args))
        except Fail as fail:
            return fail.err
        return NUM if result >= _LIMIT else result
    return call


def gcd(numbers: list[int]) -> float:
    return float(math.gcd(*numbers))


def lcm(numbers: list[int]) -> float:
    return 0.0 if 0 in numbers else float(math.lcm(*numbers))


def seriessum(x, n, m, coefficients):
    """sum of a_i * x^(n + i*m) over the coefficients in reading order; 0^0 (or 0 to a negative
    power) is #NUM!."""
    x, n, m = (_toolpak_number(scalar(v)) for v in (x, n, m))
    total = 0.0
    for i, a in enumerate(grid(coefficients).ravel()):
        power = n + i * m
        if x == 0 and power <= 0:
            raise Fail(NUM)
        total += _toolpak_number(a) * x ** power
    return total


def mmult(array1, array2):
    """The matrix product; an error in either array is the result, anything but a number
    (blank, text, TRUE/FALSE) is #VALUE!, as are shapes that do not chain."""
    a, b = grid(array1), grid(array2)
    for v in (*a.ravel(), *b.ravel()):
        if isinstance(v, FormulasError):
            raise Fail(v)
    if not all(is_number(v) for v in (*a.ravel(), *b.ravel())) or a.shape[1] != b.shape[0]:
        raise Fail(VALUE)
    out = a.astype(float) @ b.astype(float)
    if not np.isfinite(out).all():
        raise Fail(NUM)
    return out.astype(object)


def sumsq(*args):
    return math.fsum(x * x for x in numbers(args))


def xfact(number):
    """FACT: of the number truncated; beyond 170! a double overflows, #NUM! (formulas: #VALUE!)."""
    n = math.trunc(number)
    return NUM if not 0 <= n <= 170 else float(math.factorial(n))


# Excel refuses a MOD whose quotient number/divisor is too large to be exact: #NUM!. Excel 97-2003
# did so from 2**27 on (Microsoft KB 119083, "MOD function returns #NUM! error value", worked in
# Allen Wyatt's "Large Numbers in the MOD Function", excel.tips.net T003302: MOD(268435456,2) is
# #NUM!); Excel 2010 and later moved the limit to 2**50 = 1.125899906842624E+15 (as issue #19
# records it from Excel; no Microsoft page found states the new figure). formulas gave np.mod's
# answer whatever the size: MOD(1E308,3) was 2. LibreOffice 7.4 has no limit (MOD(1E308,3) and
# MOD(2^51,2) are 0 there; below the limit it agrees with the corpus's mod-limits.xlsx): Excel wins.
MOD_QUOTIENT_LIMIT = 2.0 ** 50


def xmod(number, divisor):
    """MOD: the remainder with the divisor's sign; #DIV/0! for 0, #NUM! past the quotient limit."""
    if divisor == 0:
        return DIV0
    if not abs(number / divisor) < MOD_QUOTIENT_LIMIT:
        return NUM
    return float(np.mod(number, divisor))


def xrandbetween(bottom, top):
    """RANDBETWEEN: a whole number from bottom rounded up to top rounded down (formulas returned
    any fraction between them); #NUM! when there is none."""
    if isinstance(bottom, bool) or isinstance(top, bool):
        return VALUE
    low, high = math.ceil(bottom), math.floor(top)
    if low > high:
        return NUM
    return float(min(high, low + math.floor(np.random.rand() * (high - low + 1))))


REPLACEMENTS = {
    "FACT": wrap_ufunc(xfact),
    "MOD": wrap_func(elementwise(read_numbers(xmod))),  # numbers read by the engine's rule ("1,000")
    "RANDBETWEEN": wrap_ufunc(xrandbetween, input_parser=lambda *a: a),
    "QUOTIENT": wrap_func(elementwise(quotient)),
    "COMBIN": wrap_func(elementwise(combin)),
    "PERMUT": wrap_func(elementwise(permut)),
    "_XLFN.PERMUT": wrap_func(elementwise(permut)),
    "FACTDOUBLE": wrap_func(elementwise(factdouble)),
    "_XLFN.COMBINA": wrap_func(elementwise(combina)),
    "BASE": wrap_func(elementwise(base)),
    "_XLFN.BASE": wrap_func(elementwise(base)),
    "DECIMAL": wrap_func(elementwise(decimal)),
    "_XLFN.DECIMAL": wrap_func(elementwise(decimal)),
    "GCD": wrap_func(_reduce(gcd)),
    "LCM": wrap_func(_reduce(lcm)),
    "SERIESSUM": wrap_func(array_result(seriessum)),
    "MMULT": wrap_func(array_result(mmult)),
    "SUMSQ": wrap_func(array_result(sumsq)),
    "ROMAN": wrap_func(elementwise(roman)),
    "ARABIC": wrap_func(elementwise(arabic)),
}
REPLACEMENTS["_XLFN.ARABIC"] = REPLACEMENTS["ARABIC"]
REPLACEMENTS["COMBINA"] = REPLACEMENTS["_XLFN.COMBINA"]
