"""Bridged calls on single values, without formulas' vectorising wrapper (issue 12).

The plan calls a function it does not implement itself through formulas' own implementation
(fastcalc._bridge): every argument wrapped in a 2-D object array, the function's wrapper run
(`wrap_ranges_func` over `wrap_func` over `wrap_ufunc`, whose np.vectorize is built on every call),
the result array converted back. About 80 µs a call, most of the time of a workbook of ROMAN, TEXT,
LEFT or ROUND cells. When every argument is one value, all of that comes to one call of the
function's element-wise core on plain values. This module finds that core in the wrapper itself,
once per function, and calls it with exactly what the wrapper would have done around it:

* formulas' `wrap_ufunc` (built with ranges=False and no options but its own otypes=[object], no
  return_func): np.vectorize calls the wrapper's `safe_eval` once per element (its input_parser,
  check_error, func, check_nan and error handling), inside np.errstate(divide, invalid ignored),
  after the wrapper's args_parser. An args_parser known to work value by value (one of
  _ELEMENTWISE_PARSERS, recognised by its code: leaving the values as they are or replacing a
  blank by 0 or "") runs on the plain values; any other runs on the arguments as formulas passes
  them (1x1 arrays, a literal as itself) and its one-cell results are taken apart;
* the engine's `elementwise` (functions/_args.py): its `_one(func, values)` on the cell values;
* the engine's `whole` (functions/_args.py): its `_one(func, arguments)` on the arguments as formulas
  passes them.

Anything else answers None from `_derive` (the call goes formulas' way in _bridge): a function
built with ranges=True, a wrap_ufunc with options (excluded arguments, a signature) or its own
return_func, array_result, any other wrapper. A call of 32 arguments or more (wrap_ufunc's other
loop), one whose core raises (formulas' wrapper would turn that into an error, or raise) or whose
result is not one plain value answers UNANSWERED and goes formulas' way too, which does then
exactly what it always did. tests/engine/test_scalar_calls.py holds every function served here to
formulas' way on a broad set of values.
"""
from __future__ import annotations

import functools
import inspect
from types import CodeType

import numpy as np
import schedula as sh
from formulas.functions import XlError as FormulasError
from formulas.functions import replace_empty, wrap_func, wrap_ranges_func, wrap_ufunc

from ..excel import OMITTED, XlError
from .bind import from_formulas
from .formulas_args import formulas_argument, formulas_value
from .function_table import get_functions
from .functions import _args
from .rewrite import OMITTED_MARKER

UNANSWERED = object()  # the call goes formulas' way (fastcalc._bridge)

# The values a plan hands a function that are one value (not a range or an array: lists of rows).
_SCALARS = frozenset({float, int, str, bool, type(None), XlError, type(OMITTED)})


def _closure(function) -> dict:
    """The variables a wrapper closes over, by name."""
    cells = function.__closure__ or ()
    return dict(zip(function.__code__.co_freevars, (c.cell_contents for c in cells)))


def _dummy():
    return None


# The code of each wrapper recognised: every wrapper its function builds shares it.
_RANGES_WRAPPER = wrap_ranges_func(_dummy).__code__
_FUNC_WRAPPER = wrap_func(_dummy, ranges=True).__code__
_UFUNC_WRAPPER = _closure(wrap_ufunc(_dummy, ranges=True))["func"].__code__
_ELEMENTWISE = _args.elementwise(_dummy).__code__
_WHOLE = _args.whole(_dummy).__code__
_DEFAULT_RETURN = inspect.signature(wrap_ufunc).parameters["return_func"].default

# args_parsers that treat each argument on its own, the same whether it is a 1x1 array or a value:
# replace_empty swaps sh.EMPTY (equal only to itself) for its `empty`, in an array or as a value.
# formulas and the engine write them inline; one is recognised by having the same code as one of these.
_ELEMENTWISE_PARSERS = (
    lambda *a: a,
    lambda *a: map(replace_empty, a),
    lambda *a: map(functools.partial(replace_empty, empty=""), a),
    lambda *a: (replace_empty(x, "") for x in a),
    lambda *a: (replace_empty(x) for x in a),
)
_MISSING = object()
# The flags that say how a code object runs (optimized, new locals, *args, **kwargs, nested,
# generator, coroutine...); the higher ones are `from __future__` compiler flags.
_KIND_FLAGS = 0x3FF


def _same_code(code: CodeType, reference: CodeType) -> bool:
    """Whether two code objects run the same instructions over the same constants and names."""
    if (code.co_code != reference.co_code or code.co_names != reference.co_names
            or code.co_argcount != reference.co_argcount
            or code.co_flags & _KIND_FLAGS != reference.co_flags & _KIND_FLAGS
            or code.co_freevars or len(code.co_consts) != len(reference.co_consts)):
        return False
    for c, r in zip(code.co_consts, reference.co_consts):
        if isinstance(r, CodeType):
            if not (isinstance(c, CodeType) and _same_code(c, r)):
                return False
        elif type(c) is not type(r) or c != r:
            return False
    return True


def _names(code: CodeType):
    yield from code.co_names
    for c in code.co_consts:
        if isinstance(c, CodeType):
            yield from _names(c)


def _works_value_by_value(parser) -> bool:
    """Whether an args_parser is one of _ELEMENTWISE_PARSERS: the same code, and every name it reads
    bound to the same object (replace_empty is formulas' own, map is the builtin)."""
    code = getattr(parser, "__code__", None)
    if code is None or parser.__closure__ or parser.__defaults__ or parser.__kwdefaults__:
        return False
    for reference in _ELEMENTWISE_PARSERS:
        if _same_code(code, reference.__code__) and all(
                parser.__globals__.get(n, _MISSING) is reference.__globals__.get(n, _MISSING)
                for n in _names(code)):
            return True
    return False


def _is_plain(value) -> bool:
    """One value formulas stores as itself in an object array, and from_formulas reads the same
    whether it comes alone or in a one-cell array."""
    cls = value.__class__
    return (cls is float or cls is str or cls is int or cls is bool or isinstance(value, FormulasError)
            or value is sh.EMPTY or isinstance(value, (np.floating, np.integer, np.bool_)))


def _element(arg):
    """The value np.vectorize hands the core for one argument after args_parser, or UNANSWERED when
    the argument is not one plain value or a one-cell array."""
    if isinstance(arg, np.ndarray):
        return arg.item() if arg.shape in ((), (1, 1)) else UNANSWERED
    return arg if _is_plain(arg) else UNANSWERED


def _ufunc_on_values(parse, safe_eval):
    def call(values, flagged):
        args = tuple(parse(*values))
        if len(args) >= 32:  # wrap_ufunc's other loop
            return UNANSWERED
        with np.errstate(divide="ignore", invalid="ignore"):
            return safe_eval(*args)
    return call


def _ufunc_on_arguments(parse, safe_eval):
    def call(values, flagged):
        args = tuple(parse(*_arguments(flagged)))
        if len(args) >= 32:
            return UNANSWERED
        elements = [_element(a) for a in args]
        if any(e is UNANSWERED for e in elements):
            return UNANSWERED
        with np.errstate(divide="ignore", invalid="ignore"):
            return safe_eval(*elements)
    return call


def _elementwise(func):
    return lambda values, flagged: _args.call_guarded(func, values)


def _whole(func):
    return lambda values, flagged: _args.call_guarded(func, _arguments(flagged))


def _arguments(flagged) -> list:
    """The arguments as formulas passes them (fastcalc._bridge's own conversion)."""
    return [formulas_argument(kind, value) for kind, value in zip(flagged[::2], flagged[1::2])]


def _entry(name: str):
    """Function `name`'s entry in the table as it is now (its function, when the entry is a dict)."""
    fn = get_functions()[name]
    return fn["function"] if isinstance(fn, dict) else fn


def _core(fn):
    """The function under formulas' wrap_func layers of a table entry, or None when the entry is
    not wrap_func's (ranges=False) at all."""
    if getattr(fn, "__code__", None) is not _RANGES_WRAPPER:
        return None  # ranges=True, or not formulas' wrap_func at all
    inner = _closure(fn)["func"]
    if getattr(inner, "__code__", None) is not _FUNC_WRAPPER:
        return None
    return _closure(inner)["func"]


def _derive(fn):
    """The scalar call of a function-table entry: call(values, flagged) -> its core's result, or
    None when the entry is not of a form reproduced here."""
    core = _core(fn)
    if core is None:
        return None
    code = getattr(core, "__code__", None)
    if code is _UFUNC_WRAPPER:
        v = _closure(core)
        if v["kw"] != {"otypes": [object]} or v["return_func"] is not _DEFAULT_RETURN:
            return None
        if _works_value_by_value(v["args_parser"]):
            return _ufunc_on_values(v["args_parser"], v["safe_eval"])
        return _ufunc_on_arguments(v["args_parser"], v["safe_eval"])
    if code is _ELEMENTWISE:
        return _elementwise(_closure(core)["func"])
    if code is _WHOLE:
        return _whole(_closure(core)["func"])
    return None


_CALLS: dict = {}  # name -> (its entry, the entry's scalar call or None)


def scalar_call(name: str):
    """The scalar call of function `name` as the function table holds it now, derived once."""
    fn = _entry(name)
    hit = _CALLS.get(name)
    if hit is None or hit[0] is not fn:  # first use, or the entry was replaced (a test, the catalogue)
        hit = _CALLS[name] = (fn, _derive(fn))
    return hit[1]


def call(name: str, flagged: tuple):
    """Function `name` on the plan's arguments (fastcalc._bridge's (kind, value) pairs) when every
    one is a single value and the function is of a form served here; UNANSWERED otherwise."""
    values = []
    for value in flagged[1::2]:
        if value.__class__ not in _SCALARS:
            return UNANSWERED  # a range or an array (lists of rows), or something else
        values.append(formulas_value(value))
    core = scalar_call(name)
    if core is None:
        return UNANSWERED
    try:
        result = core(values, flagged)
    except Exception:  # noqa: BLE001 - formulas' wrappers decide what that becomes
        return UNANSWERED
    if result is UNANSWERED or not _is_plain(result):
        return UNANSWERED
    return from_formulas(result)


def elementwise_core(name: str):
    """The engine's element-wise core (functions/_args.py `elementwise`) of function `name` as the
    table holds it now, with that entry; (None, entry) for any other form."""
    fn = _entry(name)
    core = _core(fn)
    if getattr(core, "__code__", None) is not _ELEMENTWISE:
        return None, fn
    return _closure(core)["func"], fn


def direct(name: str, kinds: tuple[int, ...], fallback):
    """For the plan's translation: a function of the call's values that runs `name`'s element-wise
    core itself (no per-call lookup, no numpy), decided once; None when `name` has no such core.
    Exactly scalar_calls' `_elementwise` way: the values as formulas holds them (formulas_value),
    `call_guarded`, the result read back (from_formulas). Whatever that way would leave unanswered
    (a range or an array among the values, a core that raises, a result that is not one plain
    value, the table's entry replaced since) goes to fallback(name, kind, value, ...) (_bridge)."""
    core, fn = elementwise_core(name)
    if core is None:
        return None
    hit = _DIRECT.get((name, kinds, fallback))
    if hit is not None and hit[0] is fn:
        return hit[1]
    table = get_functions()
    guarded = _args.call_guarded

    def call(*values):
        args = []
        for v in values:
            cls = v.__class__
            if cls is float or cls is str:
                args.append(v)  # formulas holds them as they are
            elif cls in _SCALARS:
                args.append(formulas_value(v))
            else:
                break  # a range or an array
        else:
            if dict.get(table, name) is fn:
                try:
                    result = guarded(core, args)
                except Exception:  # noqa: BLE001 - formulas' wrapper decides what that becomes
                    result = UNANSWERED
                cls = result.__class__
                if cls is float or (cls is str and result != OMITTED_MARKER):
                    return result  # what from_formulas reads them as
                if result is not UNANSWERED and _is_plain(result):
                    return from_formulas(result)
        return fallback(name, *[x for pair in zip(kinds, values) for x in pair])
    _DIRECT[(name, kinds, fallback)] = (fn, call)
    return call


_DIRECT: dict = {}  # (name, kinds, fallback) -> (the entry, its direct call): one per form, not per formula


__all__ = ["UNANSWERED", "call", "direct", "elementwise_core", "scalar_call"]
