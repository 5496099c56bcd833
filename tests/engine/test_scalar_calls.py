"""Bridged calls on single values (engine.scalar_calls) against formulas' own way (issue 12).

Every function the scalar path serves (and the `^` operator it serves for the plan) is called both
ways on a broad set of values: numbers (negative, zero, huge, tiny), numeric and other text,
TRUE/FALSE, a blank, every Excel error and an omitted argument, each passed as a literal, a
reference and a computed value. Where the scalar path answers, formulas' way must give the same
value of the same type (an error: the same error); where it does not, _bridge goes formulas' way,
the same call as before. A handful of Excel values worked out by hand check the path itself.
"""
from __future__ import annotations

import contextlib
import inspect
import math
import signal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roi_xl.engine import bind, scalar_calls
from roi_xl.engine.fastcalc import COMPUTED, LITERAL, REFERENCE, _bridge, _formulas_call
from roi_xl.engine.function_table import get_functions
from roi_xl.excel import OMITTED, XlError

bind.bind_catalogue()

KINDS = (LITERAL, REFERENCE, COMPUTED)
NUMBERS = [0.0, 1.0, -1.0, 0.5, 2.5, -2.5, 3.0, 7, 1999.0, 3999.0, 4000.0, 45000.25, 123456.789,
           -98765.4321, 1e15, 1e308, -1e308, 1e-300, -0.0]
TEXTS = ["", "abc", "ABC def", "12", " 3 ", "1e3", "-2.5", "1,000", "50%", "MCMXCIX", "mcmxcix", "TRUE",
         "2020-01-31", "12:30", "#N/A", "a*b?~", "Ünïcode ß", "x" * 300]
VALUES = NUMBERS + TEXTS + [True, False, None, OMITTED] + list(XlError)
# Functions whose answer is drawn at random: both ways draw from the same seed.
SEEDED = {"RAND", "RANDBETWEEN"}


def _served() -> list[str]:
    table = get_functions()
    table.load_all()
    return sorted(name for name in dict.keys(table) if scalar_calls.scalar_call(name) is not None)


SERVED = _served()


def _signature_arities(func) -> range | None:
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return None
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = sum(p.default is p.empty for p in positional)
    most = len(positional) + (2 if any(p.kind is p.VAR_POSITIONAL for p in params) else 0)
    if not most:
        return range(1)
    least = max(required, 1)
    return range(least, min(most, max(least + 1, 3)) + 1)


def _arities(name: str) -> range:
    """How many arguments to try: from the function's core where it says, else 1 to 3."""
    fn = get_functions()[name]
    fn = fn["function"] if isinstance(fn, dict) else fn
    core = scalar_calls._closure(scalar_calls._closure(fn)["func"])["func"]
    variables = scalar_calls._closure(core)
    if "safe_eval" in variables:
        inner = scalar_calls._closure(variables["safe_eval"])
        parser = inner["input_parser"]
        found = _signature_arities(parser)
        if found is None or parser.__code__.co_flags & inspect.CO_VARARGS:
            func = inner["func"]
            found = range(1, func.nin + 1) if isinstance(func, np.ufunc) else _signature_arities(func)
    else:
        found = _signature_arities(variables["func"])
    return found if found else range(1, 4)


def _outcome(call, name, flagged):
    np.random.seed(12)
    try:
        return "value", call(name, *flagged)
    except Exception as ex:  # noqa: BLE001 - the same exception both ways (NeedFormulas...)
        return "raised", type(ex)


def _same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


class _TooSlow(BaseException):  # not an Exception: no wrapper turns it into #VALUE!
    pass


@contextlib.contextmanager
def _time_limit(seconds: float, fired: list):
    def fire(signum, frame):
        fired.append(signum)
        raise _TooSlow
    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _check(name, flagged) -> bool:
    """The scalar path's answer is formulas' own; whether the scalar path answered. A call that
    runs for seconds either way is left out (BESSELI(2, 1E+15) counts to 1E+15 both ways), even
    when the interruption was swallowed on the way (a finalizer's exception is ignored)."""
    fired: list = []
    try:
        with _time_limit(0.5, fired):
            np.random.seed(12)
            direct = scalar_calls.call(name, flagged)  # what _bridge returns when it answers
            old = _outcome(_formulas_call, name, flagged)
    except _TooSlow:
        return False
    if fired or direct is scalar_calls.UNANSWERED:  # unanswered: _bridge goes formulas' way, the same call
        return False
    assert old[0] == "value" and _same(direct, old[1]), (name, flagged, direct, old)
    return True


def _cases(n: int):
    """Each position through every value (each kind in turn), the others a number or a text."""
    if n == 0:
        yield ()
    for base in (2.0, "abc"):
        for position in range(n):
            for i, value in enumerate(VALUES):
                kind = LITERAL if value is OMITTED else KINDS[i % 3]
                flagged = []
                for p in range(n):
                    flagged += [kind, value] if p == position else [REFERENCE, base]
                yield tuple(flagged)


def test_the_hot_functions_are_served():
    for name in ("ROMAN", "ARABIC", "_XLFN.ARABIC", "TEXT", "UPPER", "LOWER", "LEFT", "RIGHT", "MID",
                 "LEN", "ROUND", "ROUNDUP", "ROUNDDOWN", "MAX", "MIN", "ABS", "INT", "MOD", "QUOTIENT"):
        assert name in SERVED, name


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # see _check
@pytest.mark.parametrize("name", SERVED)
def test_scalar_path_is_formulas_own(name):
    answered = sum(_check(name, flagged) for n in _arities(name) for flagged in _cases(n))
    assert answered > 0  # the scalar path did answer (not only left every call to formulas)


_MODERATE = st.one_of(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(-50, 50).map(float),
    st.sampled_from(TEXTS), st.text(max_size=8), st.booleans(), st.none(), st.sampled_from(list(XlError)))


@settings(max_examples=3000, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from([n for n in SERVED if n not in SEEDED]),
       st.lists(st.tuples(st.sampled_from(KINDS), _MODERATE), min_size=1, max_size=3))
def test_random_calls_are_formulas_own(name, pairs):
    _check(name, tuple(x for pair in pairs for x in pair))


def _answer(name, *flagged):
    """The scalar path's own answer (it must answer), which _bridge returns."""
    answer = scalar_calls.call(name, flagged)
    assert answer is not scalar_calls.UNANSWERED, (name, flagged)
    assert _same(_bridge(name, *flagged), answer)
    return answer


# Worked by hand from Excel's documentation of each function.
@pytest.mark.parametrize("name, flagged, expected", [
    ("ROMAN", (REFERENCE, 1999.0), "MCMXCIX"),           # M + CM + XC + IX
    ("ROMAN", (LITERAL, 499.0, LITERAL, 0.0), "CDXCIX"),  # CD + XC + IX (classic form)
    ("ROMAN", (LITERAL, 4.0), "IV"),
    ("ROMAN", (LITERAL, 0.0), ""),
    ("ROMAN", (LITERAL, 4000.0), XlError.VALUE),          # 0 to 3999 only
    ("ROMAN", (LITERAL, -1.0), XlError.VALUE),
    ("ROMAN", (REFERENCE, XlError.NA), XlError.NA),
    ("ARABIC", (REFERENCE, "MCMXCIX"), 1999),
    ("ARABIC", (COMPUTED, "mmxxvi"), 2026),               # case does not matter: 1000+1000+10+10+5+1
    ("ARABIC", (LITERAL, "XLIV"), 44),                    # XL + IV
    ("ARABIC", (LITERAL, ""), 0),
    ("TEXT", (REFERENCE, 1234.5, LITERAL, "#,##0.0"), "1,234.5"),
    ("TEXT", (LITERAL, 0.125, LITERAL, "0.0%"), "12.5%"),
    ("TEXT", (LITERAL, 3.14159, LITERAL, "0.00"), "3.14"),
    ("LEFT", (REFERENCE, "abc", LITERAL, 2.0), "ab"),
    ("LEFT", (REFERENCE, "abc"), "a"),
    ("LEFT", (REFERENCE, "abc", LITERAL, -1.0), XlError.VALUE),
    ("RIGHT", (LITERAL, "abcd", LITERAL, 3.0), "bcd"),
    ("MID", (LITERAL, "abcdef", LITERAL, 2.0, LITERAL, 3.0), "bcd"),
    ("UPPER", (COMPUTED, "abc"), "ABC"),
    ("LOWER", (LITERAL, "AbC"), "abc"),
    ("ROUND", (REFERENCE, 2.5, LITERAL, 0.0), 3.0),
    ("ROUND", (REFERENCE, -2.5, LITERAL, 0.0), -3.0),     # half away from zero
    ("ROUND", (LITERAL, 1.005, LITERAL, 2.0), 1.01),      # the decimal 1.005, not its binary value
    ("ROUND", (LITERAL, 1234.5678, LITERAL, -2.0), 1200.0),
    ("ROUNDDOWN", (LITERAL, -3.99, LITERAL, 0.0), -3.0),
    ("ROUNDUP", (LITERAL, 3.01, LITERAL, 0.0), 4.0),
    ("LEN", (LITERAL, True), 4),                          # "TRUE"
    ("LEN", (REFERENCE, 12.5), 4),                        # "12.5"
    ("LEN", (REFERENCE, None), 0),
    ("LEN", (REFERENCE, "abc"), 3),
    ("MAX", (LITERAL, 1.0, LITERAL, 3.0, LITERAL, 2.0), 3.0),
    ("MAX", (LITERAL, "7", LITERAL, 2.0), 7.0),           # typed text is read as a number
    ("MAX", (REFERENCE, "7", LITERAL, 2.0), 2.0),         # a referenced text is skipped
    ("MAX", (REFERENCE, XlError.DIV0, LITERAL, 2.0), XlError.DIV0),
    ("MIN", (LITERAL, 4.0, REFERENCE, -1.5), -1.5),
    ("ABS", (LITERAL, -2.5), 2.5),
    ("INT", (LITERAL, -2.5), -3.0),                       # down, not toward zero
    ("MOD", (LITERAL, -7.0, LITERAL, 3.0), 2.0),          # the sign of the divisor
    ("QUOTIENT", (LITERAL, 7.0, LITERAL, 2.0), 3.0),
    ("QUOTIENT", (LITERAL, 1.0, LITERAL, 0.0), XlError.DIV0),
])
def test_hand_worked_values(name, flagged, expected):
    answer = _answer(name, *flagged)
    assert answer == expected and isinstance(answer, XlError) == isinstance(expected, XlError), answer


def test_power_by_hand():
    from roi_xl.engine.fastcalc import _pow

    assert _pow(2.0, 10.0) == 1024.0
    assert _pow("2", 3.0) == 8.0
    assert _pow(None, 2.0) == 0.0
    assert _pow(0.0, -1.0) is XlError.DIV0
    assert _pow(-8.0, 1 / 3) is XlError.NUM


def test_ranges_and_arrays_go_formulas_way():
    assert scalar_calls.call("LEN", (REFERENCE, [["ab", "c"]])) is scalar_calls.UNANSWERED
    assert _bridge("LEN", REFERENCE, [["ab", "c"]]) == [[2, 1]]


def test_forms_not_reproduced_go_formulas_way():
    for name in ("ROW", "COLUMN", "ISNUMBER", "IFERROR", "NOW", "RAND", "UNIQUE", "SEQUENCE", "LARGE",
                 "MATCH", "PERCENTILE", "REGEXEXTRACT", "TOCOL"):
        assert scalar_calls.scalar_call(name) is None, name


def test_a_replaced_entry_is_derived_again():
    table = get_functions()
    original = table["LEN"]
    try:
        from formulas.functions import wrap_ufunc

        table["LEN"] = wrap_ufunc(lambda text: 42.0, input_parser=lambda *a: a)
        assert _answer("LEN", REFERENCE, "abc") == 42.0
    finally:
        table["LEN"] = original
    assert _answer("LEN", REFERENCE, "abc") == 3


DIRECT = [name for name in SERVED if scalar_calls.elementwise_core(name)[0] is not None]


def test_the_engines_cores_are_called_directly():
    for name in ("ROMAN", "ARABIC", "ABS", "SIGN", "SQRT", "QUOTIENT"):
        assert name in DIRECT, name


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # see _check
@pytest.mark.parametrize("name", DIRECT)
def test_direct_call_is_the_bridged_one(name):
    """The plan's direct call of an engine core (scalar_calls.direct) gives _bridge's answer on every
    case, and a range among the values goes to the fallback (here _bridge itself)."""
    for n in _arities(name):
        for flagged in _cases(n):
            kinds, values = tuple(flagged[::2]), flagged[1::2]
            call = scalar_calls.direct(name, kinds, _bridge)
            fired: list = []
            try:
                with _time_limit(0.5, fired):  # BESSELI(2, 1E+15) runs for ever both ways (see _check)
                    got, bridged = _outcome(lambda _, *v, c=call: c(*v), name, values), _outcome(_bridge, name, flagged)
            except _TooSlow:
                continue
            assert fired or _same(got, bridged), (name, flagged, got, bridged)
    rows = [[1.0], [2.0]]
    fell_back = []
    call = scalar_calls.direct(name, (REFERENCE,), lambda *a: fell_back.append(a) or "fallback")
    assert call(rows) == "fallback" and fell_back == [(name, REFERENCE, rows)]


def test_direct_calls_by_hand():
    assert scalar_calls.direct("ROMAN", (REFERENCE,), _bridge)(1999.0) == "MCMXCIX"
    assert scalar_calls.direct("ARABIC", (LITERAL,), _bridge)(" mcmxcix ") == 1999.0
    assert scalar_calls.direct("SQRT", (REFERENCE,), _bridge)(-1.0) is XlError.NUM
    assert scalar_calls.direct("ABS", (REFERENCE,), _bridge)("-2.5") == 2.5  # numeric text read
    assert scalar_calls.direct("ABS", (REFERENCE,), _bridge)(XlError.NA) is XlError.NA
    assert scalar_calls.direct("UPPER", (REFERENCE,), _bridge) is None or "UPPER" in DIRECT
