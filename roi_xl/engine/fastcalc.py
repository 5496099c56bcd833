"""A template's formulas translated once into one Python function over plain values.

`formulas` evaluates every cell through numpy object arrays, error-checking wrappers and schedula's
dispatch: about 0.5 ms a cell, 230 ms for the 460 formulas of our template. Translated into Python
over floats, strings, bools, `XlError` and None (blank), with each distinct range built once, the
same graph costs a few milliseconds, most of it in our catalogue functions.

The translation mirrors what `formulas` does (with our fixes installed there), not what we think
Excel does: the plan is the engine of record from a template's first workbook on
(roi_xl.engine.fastpath), and tests/test_plan_vs_formulas.py holds it to the formulas model's values on
every bundled and conformance workbook. So:

* operators, IF, IFERROR, AND, OR, NOT and SUM are written here with formulas' own rules (its
  coercions, its comparison order, its sum); COUNTIF calls the engine's criteria test (criteria.py);
* catalogue functions are called directly (they already speak roi_xl.excel's value model);
* every other function known to formulas is called through formulas' own implementation
  (`_bridge`), with arguments shaped as formulas passes them (a literal, a reference, a computed
  value); a cell whose function raises is #VALUE!, as formulas' cell makes it (model._GuardedCell);
* anything else (array formulas, array constants, whole-column references, operators applied to
  ranges, names that are not a plain reference, unknown functions, functions formulas hands a
  reference rather than values) raises Untranslatable, and the template uses the formulas model.

At run time a result the translation does not model (an array that would spill) raises NeedFormulas
and that workbook goes through formulas instead.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np

from .. import registry
from ..excel import OMITTED, XlError, address
from .functions.logical import text_logical
from .operators import cancels, operand_number
from .rewrite import OMITTED_MARKER
from .text_number import text_to_number
from .text_coercion import MAX_TEXT, value_text as _text  # `&` as formulas makes it (installed there)


class Untranslatable(Exception):
    """A formula the translation does not handle (the template uses the formulas path)."""


class NeedFormulas(Exception):
    """A workbook whose values the translation cannot produce (it uses the formulas path)."""


# How formulas hands an argument to a function (_bridge).
LITERAL, REFERENCE, COMPUTED = 0, 1, 2


# --------------------------------------------------------------------------- parsing

_ERRORS = "|".join(re.escape(e.value) for e in XlError)
_CELL = r"\$?[A-Za-z]{1,3}\$?[0-9]{1,7}"
_TOKEN = re.compile(rf"""
    (?P<ws>\s+)
  | (?P<str>"(?:[^"]|"")*")
  | (?P<err>{_ERRORS})
  | (?P<ref>(?:(?P<sheet>'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?(?P<a>{_CELL})(?::(?P<b>{_CELL}))?)(?![\w.(!:])
  | (?P<num>(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[Ee][+-][0-9]+)?)(?![\w.:])
  | (?P<bool>TRUE|FALSE)(?![\w.(])
  | (?P<func>[A-Za-z_][\w.]*)\(
  | (?P<name>[A-Za-z_\\][\w.]*)(?![\w.(!])
  | (?P<op><>|<=|>=|[-+*/^&=<>%(),])
""", re.VERBOSE | re.IGNORECASE)

_COMPARE = {"=", "<>", "<", ">", "<=", ">="}
_BINARY = {**{op: 1 for op in _COMPARE}, "&": 2, "+": 3, "-": 3, "*": 4, "/": 4, "^": 5}
_UNARY_BP = 6  # Excel: -2^2 is 4, negation binds tighter than ^


def _tokens(text: str) -> list[tuple[str, re.Match]]:
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            if text[pos] == "{":
                raise Untranslatable("an array constant")
            raise Untranslatable(f"cannot read {text[pos:pos + 12]!r}")
        if m.lastgroup != "ws":
            kind = m.lastgroup
            if kind in ("sheet", "a", "b"):
                kind = "ref"
            out.append((kind, m))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.toks = _tokens(text)
        self.i = 0

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def is_op(self, *ops) -> bool:
        kind, m = self.peek()
        return kind == "op" and m.group(0) in ops

    def wrapped(self) -> bool:
        """Whether the whole formula is one parenthesised expression."""
        if not self.toks or not self.toks[0][1].group(0) == "(":
            return False
        depth = 0
        for i, (kind, m) in enumerate(self.toks):
            if kind == "func" or (kind == "op" and m.group(0) == "("):
                depth += 1
            elif kind == "op" and m.group(0) == ")":
                depth -= 1
                if depth == 0:
                    return i == len(self.toks) - 1
        return False

    def parse(self):
        node = self.expr(0)
        if self.i != len(self.toks):
            raise Untranslatable(f"unexpected {self.peek()[1].group(0)!r}")
        return node

    def expr(self, min_bp: int):
        left = self.prefix()
        while True:
            if self.is_op("%"):
                self.take()
                left = ("pct", left)
                continue
            kind, m = self.peek()
            if kind != "op" or m.group(0) not in _BINARY:
                return left
            op = m.group(0)
            bp = _BINARY[op]
            if bp <= min_bp:
                return left
            self.take()
            left = ("op", op, left, self.expr(bp))

    def prefix(self):
        kind, m = self.take()
        if kind is None:
            raise Untranslatable("formula ends too early")
        if kind == "op":
            op = m.group(0)
            if op in "+-":
                return ("neg" if op == "-" else "pos", self.expr(_UNARY_BP))
            if op == "(":
                node = self.expr(0)
                if not self.is_op(")"):
                    raise Untranslatable("unbalanced parenthesis")
                self.take()
                return node
            raise Untranslatable(f"unexpected {op!r}")
        if kind == "str":
            return ("lit", m.group(0)[1:-1].replace('""', '"'))
        if kind == "num":
            text = m.group(0)
            return ("lit", float(text) if any(c in text for c in ".eE") else int(text))
        if kind == "bool":
            return ("lit", m.group(0).upper() == "TRUE")
        if kind == "err":
            return ("lit", XlError.from_code(m.group(0)))
        if kind == "ref":
            sheet = m.group("sheet")
            if sheet and sheet.startswith("'"):
                sheet = sheet[1:-1].replace("''", "'")
            a, b = m.group("a").replace("$", "").upper(), m.group("b")
            if b is None:
                return ("ref", sheet, a)
            return ("range", sheet, a, b.replace("$", "").upper())
        if kind == "name":
            return ("name", m.group(0))
        if kind == "func":
            name = m.group("func").upper()
            args = []
            if self.is_op(")"):
                self.take()
                return ("call", name, args)
            while True:
                if self.is_op(",", ")"):
                    args.append(("missing",))
                else:
                    args.append(self.expr(0))
                kind, m = self.take()
                if kind == "op" and m.group(0) == ",":
                    continue
                if kind == "op" and m.group(0) == ")":
                    return ("call", name, args)
                raise Untranslatable(f"bad arguments to {name}")
        raise Untranslatable(f"unexpected {m.group(0)!r}")


def parse(formula: str):
    """The syntax tree of one formula (with its leading '='). A final + or - outside parentheses is
    marked ("final", node): Excel snaps its cancellation residue to 0 (operators.py)."""
    if not formula.startswith("="):
        raise Untranslatable("not a formula")
    parser = _Parser(formula[1:])
    node = parser.parse()
    if node[0] == "op" and node[1] in "+-" and not parser.wrapped():
        return ("final", node)
    return node


# --------------------------------------------------------------------------- runtime



def _v(x):
    """formulas' replace_empty: a blank argument of IF, IFERROR and the operators is 0."""
    return 0 if x is None else x


def _num(x) -> float:
    """An operand as the engine's numeric operators read it (operators.operand_number: text by
    Excel's rule, else #VALUE!). Errors are checked before this is called."""
    if x is None:
        return 0.0
    try:
        return float(x) if x.__class__ is not str else operand_number(x)
    except (TypeError, ValueError):
        raise _ValueErr from None


class _ValueErr(Exception):
    pass


def _first_error(*xs):
    for x in xs:
        if x.__class__ is XlError:
            return x
    return None


def _finite(r):
    return r if math.isfinite(r) else XlError.NUM


def _add(x, y):
    e = _first_error(x, y)
    if e is not None:
        return e
    try:
        return _finite(_num(x) + _num(y))
    except _ValueErr:
        return XlError.VALUE


def _sub(x, y):
    e = _first_error(x, y)
    if e is not None:
        return e
    try:
        return _finite(_num(x) - _num(y))
    except _ValueErr:
        return XlError.VALUE


def _add_final(x, y):
    r = _add(x, y)
    return 0.0 if r.__class__ is float and r and cancels(_num(x), _num(y)) else r


def _sub_final(x, y):
    r = _sub(x, y)
    return 0.0 if r.__class__ is float and r and cancels(_num(x), -_num(y)) else r


def _mul(x, y):
    e = _first_error(x, y)
    if e is not None:
        return e
    try:
        return _finite(_num(x) * _num(y))
    except _ValueErr:
        return XlError.VALUE


def _div(x, y):
    e = _first_error(x, y)
    if e is not None:
        return e
    try:
        a, b = _num(x), _num(y)
    except _ValueErr:
        return XlError.VALUE
    if not b:
        return XlError.DIV0
    return _finite(a / b)


def _neg(x):
    if x.__class__ is XlError:
        return x
    try:
        return _finite(-_num(x))
    except _ValueErr:
        return XlError.VALUE


def _pos(x):
    return 0 if x is None else x  # formulas' U+ passes the value through


def _pct(x):
    if x.__class__ is XlError:
        return x
    try:
        return _finite(_num(x) / 100.0)
    except _ValueErr:
        return XlError.VALUE


def _concat(x, y):
    e = _first_error(x, y)
    if e is not None:
        return e
    x, y = _text("" if x is None else x), _text("" if y is None else y)
    return XlError.VALUE if len(x) + len(y) > MAX_TEXT else x + y  # Excel's longest text


def _key(x):
    cls = x.__class__
    if cls is bool:
        return 2
    if cls is str:
        return 1
    return 0


def _keys(x, y):
    """formulas' logic_input_parser: blanks become '' or 0, text compares upper-cased, and values of
    different kinds order by kind (numbers < text < booleans)."""
    if x is None:
        x = "" if y.__class__ is str else 0
    if y is None:
        y = "" if x.__class__ is str else 0
    kx, ky = _key(x), _key(y)
    if kx == ky == 1:
        return (1, x.upper()), (1, y.upper())
    return (kx, x), (ky, y)


def _comparison(test):
    def compare(x, y):
        e = _first_error(x, y)
        if e is not None:
            return e
        a, b = _keys(x, y)
        return test(a, b)
    return compare


_eq = _comparison(lambda a, b: a == b)
_ne = _comparison(lambda a, b: a != b)
_lt = _comparison(lambda a, b: a < b)
_le = _comparison(lambda a, b: a <= b)
_gt = _comparison(lambda a, b: a > b)
_ge = _comparison(lambda a, b: a >= b)


def _cond(x):
    """IF's condition (after replace_empty): an error stays, text is #VALUE!, else truthiness."""
    cls = x.__class__
    if cls is bool:
        return x
    if cls is XlError:
        return x
    if x is None:
        return False
    if cls is str:
        return XlError.VALUE
    return bool(x)


def _cells(args):
    """Every value of a function's arguments (ranges as lists of rows), in order."""
    for a in args:
        if a.__class__ is list:
            for row in a:
                yield from row
        else:
            yield a


def _logical(args, reduce):
    values = []
    for v in _cells(args):
        if v.__class__ is XlError:
            return v
        if v is None or v.__class__ is str:
            continue
        values.append(v)
    if not values:
        return XlError.VALUE
    return reduce(bool(v) for v in values)


def _and(*args):
    return _logical(args, all)


def _or(*args):
    return _logical(args, any)


def _not(x):
    if x.__class__ is XlError:
        return x
    if x is None:
        return True
    if x.__class__ is str:
        return XlError.VALUE
    return not x


def _sum(is_reference, args):
    """SUM as roi_xl.engine.functions.statistical computes it (the engine's SUM, not formulas' own):
    in a reference only numbers count (text, TRUE/FALSE and blanks are skipped, an error is the
    result); a value typed or computed as an argument becomes a number (TRUE 1, text read as a
    number or #VALUE!, an empty argument skipped); added left to right."""
    total = 0.0
    for reference, a in zip(is_reference, args):
        if reference:
            for row in (a if a.__class__ is list else ((a,),)):
                for v in row:
                    cls = v.__class__
                    if cls is float or cls is int:
                        total += v
                    elif cls is XlError:
                        return v
            continue
        cls = a.__class__
        if a is None:
            continue
        if cls is XlError:
            return a
        if cls is bool:
            total += float(a)
        elif cls is str:
            n = text_to_number(a)
            if n is None:
                return XlError.VALUE
            total += n
        else:
            total += float(a)
    return _finite(total)


def _countif(rng, criterion):
    """COUNTIF with the engine's own criteria test (criteria.py), on the values as formulas holds them."""
    from .criteria import criterion_test

    test = criterion_test(_to_formulas(criterion))
    return sum(1 for row in rng for v in row if test(_to_formulas(v)))


def _to_formulas(value):
    import schedula as sh
    from formulas.tokens.operand import Error

    if value is None:
        return sh.EMPTY
    if value.__class__ is XlError:
        return Error.errors.get(value.value, Error.errors["#VALUE!"])
    return value


def _bridge(name: str, *flagged):
    """Call formulas' own implementation of `name`. `flagged` alternates (kind, value), kind being
    how formulas hands that argument on: a literal as a plain value (LITERAL), a reference as a
    plain 2-D array (REFERENCE), a computed value as formulas' `Array` (COMPUTED). Functions tell
    the last two apart (=AVERAGE(A1&B1) reads its text "42" as a number, =AVERAGE(A1) skips it)."""
    from .function_table import get_functions
    from formulas.functions import Array
    from .bind import from_formulas

    fn = get_functions()[name]
    if isinstance(fn, dict):
        fn = fn["function"]
    args = []
    for kind, value in zip(flagged[::2], flagged[1::2]):
        if kind == LITERAL:
            args.append(_to_formulas(value))
            continue
        if value.__class__ is list:
            arg = np.asarray([[_to_formulas(v) for v in row] for row in value], object)
        else:
            arg = np.asarray([[_to_formulas(value)]], object)
        args.append(arg.view(Array) if kind == COMPUTED else arg)
    result = fn(*args)
    if isinstance(result, np.ndarray) and result.size != 1:
        raise NeedFormulas(f"{name} returned an array")
    value = from_formulas(result)
    if isinstance(value, list):
        raise NeedFormulas(f"{name} returned an array")
    return value


def _ours(fn):
    def call(*args):
        result = fn(*args)
        if result.__class__ is list:
            raise NeedFormulas(f"{fn.name} returned an array")
        return result
    return call


def _output(value):
    """A computed cell as the formulas path hands it on (model._cell_value)."""
    cls = value.__class__
    if value is None:
        return 0.0
    if cls is float:
        return value if math.isfinite(value) else XlError.NUM
    if cls is int:
        return float(value)
    if cls is list:
        raise NeedFormulas("an array result")
    if isinstance(value, (np.generic,)):
        return _output(value.item())
    return value


# --------------------------------------------------------------------------- translation

_OPS = {"+": "_add", "-": "_sub", "*": "_mul", "/": "_div", "&": "_concat",
        "=": "_eq", "<>": "_ne", "<": "_lt", "<=": "_le", ">": "_gt", ">=": "_ge"}


def _check_mirrored(name: str) -> None:
    """The translation of SUM and COUNTIF mirrors one implementation; if the engine's table holds
    another (a later fix), the template stays on formulas until the translation follows."""
    from .function_table import get_functions

    from .excel_functions import _REPLACEMENTS
    from .functions.statistical import REPLACEMENTS

    mirrored = {"SUM": REPLACEMENTS["SUM"], "COUNTIF": _REPLACEMENTS["COUNTIF"]}[name]
    if get_functions().get(name) is not mirrored:
        raise Untranslatable(f"{name} is not the implementation the translation mirrors")


def _known_to_formulas(name: str) -> bool:
    from .function_table import get_functions

    table = get_functions()
    return name in table


# Functions formulas hands a reference (its Ranges: where the cells are, not only their values),
# and the engine's OFFSET, which reads the constant cells the formulas model sets for it.
_REFERENCE_READERS = frozenset({"ROWS", "COLUMNS", "AREAS", "ISREF", "ISFORMULA", "FORMULATEXT",
                                "CELL", "OFFSET", "INDIRECT", "SHEET", "SHEETS"})


def _reads_references(name: str) -> bool:
    """Whether formulas gives `name` its arguments' references, or the formula's own cell
    (`extra_inputs`: ROW, COLUMN, implicit intersection's SINGLE, NOW...), which _bridge cannot."""
    from .function_table import get_functions

    from .functions.offset import CALL_NAME

    entry = get_functions()[name]
    return name in _REFERENCE_READERS or name == CALL_NAME \
        or (isinstance(entry, dict) and "extra_inputs" in entry)


def _range_item(var: str) -> tuple:
    """A range in the dependency graph: three items, where a cell is (sheet, coord)."""
    return ("#range", var, 0)


def _split_coord(coord: str) -> tuple[int, int]:
    letters = coord.rstrip("0123456789")
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(coord[len(letters):]), col


def _coord(row: int, col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


class Plan:
    """The translated template: `evaluate(values)` gives every formula cell's value.

    `values` is fastread's sheet -> {"B7": constant}; a cell missing from it is blank. `names` are
    the names that point at one cell or range; `defined` every defined name (any other name is
    #NAME?, as formulas has it with bind.undefined_names_as_name_errors); `arrays` the cells holding
    a one-cell array formula, translated as plain formulas when they read no range (evaluated
    element-wise or not, such a formula gives the same).
    """

    def __init__(self, formulas: dict[tuple[str, str], str], sheets: list[str],
                 names: dict[str, tuple[str, str]], defined: Iterable[str] = (),
                 arrays: Iterable[tuple[str, str]] = ()):
        self.sheets = list(sheets)
        # what it was made from (plan_store.py keeps it)
        self.formulas, self.names = dict(formulas), dict(names)
        self.defined, self.arrays = sorted(defined), sorted(arrays)
        self._by_upper = {s.upper(): s for s in sheets}
        self._names = {k.upper(): v for k, v in names.items()}
        self._defined = {n.upper() for n in self.defined}
        self._vars: dict[tuple[str, str], str] = {}     # cell -> local variable
        self._ranges: dict[tuple[str, str, str], str] = {}
        self._range_deps: dict[str, list[tuple[str, str]]] = {}
        self._range_shape: dict[str, tuple[int, int]] = {}
        # cell -> (expression, what it reads, whether it calls a function: see _generate)
        self._cell_code: dict[tuple[str, str], tuple[str, set, bool]] = {}
        self._tmp = 0
        self._consts: dict[str, object] = {}
        arrays = set(self.arrays)
        for key, text in formulas.items():
            deps: set = set()
            self._calls = self._ranged = False
            try:
                code = self._expr(parse(text), key[0], deps)
                if key in arrays and self._ranged:
                    raise Untranslatable("an array formula over a range")
            except Untranslatable as exc:
                raise Untranslatable(f"{address(*key)}: {exc}") from None
            self._cell_code[key] = (code, deps, self._calls)
        self.outputs = list(formulas)
        self.source = self._generate()
        namespace = dict(_RUNTIME)
        namespace.update(self._consts)
        exec(compile(self.source, "<roi-xl fast plan>", "exec"), namespace)  # noqa: S102 - our own code
        self._function = namespace["_evaluate"]

    # -- names of things in the generated code
    def _sheet(self, sheet: str | None, own: str) -> str:
        if sheet is None:
            return own
        real = self._by_upper.get(sheet.upper())
        if real is None:
            raise Untranslatable(f"reference to a missing sheet {sheet!r}")
        return real

    def _var(self, sheet: str, coord: str) -> str:
        key = (sheet, coord)
        var = self._vars.get(key)
        if var is None:
            var = self._vars[key] = f"c{len(self._vars)}"
        return var

    def _range(self, sheet: str, a: str, b: str) -> str:
        self._ranged = True
        (r1, c1), (r2, c2) = _split_coord(a), _split_coord(b)
        r1, r2 = min(r1, r2), max(r1, r2)
        c1, c2 = min(c1, c2), max(c1, c2)
        key = (sheet, _coord(r1, c1), _coord(r2, c2))
        var = self._ranges.get(key)
        if var is None:
            if (r2 - r1 + 1) * (c2 - c1 + 1) > 100_000:
                raise Untranslatable("a very large range")
            var = self._ranges[key] = f"r{len(self._ranges)}"
            self._range_deps[var] = [(sheet, _coord(r, c)) for r in range(r1, r2 + 1)
                                     for c in range(c1, c2 + 1)]
            for cell in self._range_deps[var]:
                self._var(*cell)
            self._range_shape[var] = (r2 - r1 + 1, c2 - c1 + 1)
        return var

    def _const(self, value) -> str:
        if value.__class__ in (int, float, bool, str) and not (value.__class__ is float and not math.isfinite(value)):
            return repr(value)
        name = f"k{len(self._consts)}"
        self._consts[name] = value
        return name

    def _temp(self) -> str:
        self._tmp += 1
        return f"t{self._tmp}"

    # -- expressions
    def _operand(self, node, own: str, deps: set, allow_range: bool = False) -> str:
        kind = node[0]
        if kind == "range" or (kind == "name" and self._name_is_range(node[1])):
            if not allow_range:
                raise Untranslatable("an operator or function applied to a range")
        return self._expr(node, own, deps)

    def _name_is_range(self, name: str) -> bool:
        target = self._names.get(name.upper())
        return target is not None and ":" in target[1]

    def _expr(self, node, own: str, deps: set) -> str:
        kind = node[0]
        if kind == "lit":
            value = node[1]
            if value == OMITTED_MARKER:
                return self._const(OMITTED)
            return self._const(value)
        if kind == "missing":
            return "0"  # formulas compiles an empty argument to 0
        if kind == "ref":
            sheet = self._sheet(node[1], own)
            deps.add((sheet, node[2]))
            return self._var(sheet, node[2])
        if kind == "range":
            sheet = self._sheet(node[1], own)
            var = self._range(sheet, node[2], node[3])
            deps.add(_range_item(var))
            return var
        if kind == "name":
            target = self._names.get(node[1].upper())
            if target is None:
                name = node[1].upper()
                if name in self._defined or name.startswith("_XLPM."):  # LAMBDA's, LET's names
                    raise Untranslatable(f"unknown name {node[1]}")
                return self._const(XlError.NAME)
            sheet, ref = target
            if ":" in ref:
                a, b = ref.split(":")
                return self._expr(("range", sheet, a, b), own, deps)
            return self._expr(("ref", sheet, ref), own, deps)
        if kind == "op":
            op, left, right = node[1], node[2], node[3]
            l_code = self._operand(left, own, deps)
            r_code = self._operand(right, own, deps)
            if op == "^":
                return f"_bridge_op('^', {l_code}, {r_code})"
            return f"{_OPS[op]}({l_code}, {r_code})"
        if kind == "final":  # Excel's last + or -
            op, left, right = node[1][1:]
            final = {"+": "_add_final", "-": "_sub_final"}[op]
            return f"{final}({self._operand(left, own, deps)}, {self._operand(right, own, deps)})"
        if kind in ("neg", "pos", "pct"):
            return f"_{kind}({self._operand(node[1], own, deps)})"
        if kind == "call":
            return self._call(node[1], node[2], own, deps)
        raise Untranslatable(f"unsupported {kind}")

    def _call(self, name: str, args: list, own: str, deps: set) -> str:
        self._calls = True
        for prefix in ("_XLFN.", "_XLWS."):
            if name.startswith(prefix):
                name = name[len(prefix):]
        fn = registry.CATALOGUE.get(name)
        if fn is not None:
            codes = [self._operand(a, own, deps, allow_range=True) for a in args]
            return f"{self._const(_ours(fn))}({', '.join(codes)})"
        if name == "IF":
            if not 2 <= len(args) <= 3:
                raise Untranslatable("IF takes 2 or 3 arguments")
            cond = self._operand(args[0], own, deps)
            then = self._operand(args[1], own, deps)
            other = self._operand(args[2], own, deps) if len(args) == 3 else "False"
            t = self._temp()
            return (f"(_v({then}) if ({t} := _cond({cond})) is True "
                    f"else (_v({other}) if {t} is False else {t}))")
        if name == "IFERROR":
            if len(args) != 2:
                raise Untranslatable("IFERROR takes 2 arguments")
            value = self._operand(args[0], own, deps)
            other = self._operand(args[1], own, deps)
            t = self._temp()
            return f"(_v({other}) if ({t} := _v({value})).__class__ is _XlError else {t})"
        if name in ("AND", "OR"):
            if not args:
                raise Untranslatable(f"{name} without arguments")
            codes = [self._operand(a, own, deps, allow_range=True) for a in args]
            codes = [c if a[0] in ("ref", "range", "name") else f"_text_logical({c})"  # typed "TRUE"
                     for a, c in zip(args, codes)]
            return f"_{name.lower()}({', '.join(codes)})"
        if name == "NOT":
            if len(args) != 1:
                raise Untranslatable("NOT takes 1 argument")
            return f"_not(_v({self._operand(args[0], own, deps)}))"
        if name == "SUM":
            _check_mirrored("SUM")
            flags, codes = [], []
            for a in args:
                flags.append(a[0] in ("ref", "range", "name"))
                codes.append("None" if a[0] == "missing" else self._operand(a, own, deps, allow_range=True))
            return f"_sum({tuple(flags)!r}, ({', '.join(codes)},))"
        if not _known_to_formulas(name):
            raise Untranslatable(f"unknown function {name}")
        if _reads_references(name):
            raise Untranslatable(f"{name} reads references, not values")
        if name == "COUNTIF" and len(args) == 2 and args[0][0] in ("range", "ref"):
            _check_mirrored("COUNTIF")
            rng = self._operand(args[0], own, deps, allow_range=True)
            if args[0][0] == "ref":
                rng = f"[[{rng}]]"
            return f"_countif({rng}, {self._operand(args[1], own, deps)})"
        parts = []
        for a in args:
            code = self._operand(a, own, deps, allow_range=True)
            kind = LITERAL if a[0] in ("lit", "missing") else \
                REFERENCE if a[0] in ("ref", "range", "name") else COMPUTED
            parts.append(f"{kind}, {code}")
        return f"_bridge({name!r}, {', '.join(parts)})"

    # -- the function
    def _generate(self) -> str:
        order = self._order()
        lines = ["def _evaluate(V):"]
        by_sheet: dict[str, list[tuple[str, str]]] = {}
        for (sheet, coord), var in self._vars.items():
            if (sheet, coord) not in self._cell_code:
                by_sheet.setdefault(sheet, []).append((coord, var))
        for i, sheet in enumerate(self.sheets):
            cells = by_sheet.get(sheet)
            if not cells:
                continue
            lines.append(f"    g = V.get({sheet!r}, _NOTHING).get")
            for coord, var in cells:
                lines.append(f"    {var} = g({coord!r})")
        for item in order:
            if len(item) == 3:
                var = item[1]
                rows, cols = self._range_shape[var]
                cells = [self._vars[c] for c in self._range_deps[var]]
                body = ", ".join("[" + ", ".join(cells[r * cols:(r + 1) * cols]) + "]"
                                 for r in range(rows))
                lines.append(f"    {var} = [{body}]")
            else:
                code, _deps, calls = self._cell_code[item]
                var = self._vars.setdefault(item, f'c{len(self._vars)}')
                if calls:
                    # formulas' cell (model._GuardedCell): a function raising makes the cell #VALUE!
                    lines += ["    try:", f"        {var} = {code}", "    except _NeedFormulas:",
                              "        raise", "    except Exception:", f"        {var} = _VALUE"]
                else:
                    lines.append(f"    {var} = {code}")
        outs = ", ".join(self._var(*key) for key in self.outputs)
        lines.append(f"    return ({outs}{',' if self.outputs else ''})")
        return "\n".join(lines) + "\n"

    def _order(self) -> list:
        """Formula cells and ranges in an order where each comes after what it reads."""
        for key in self._cell_code:
            self._var(*key)
        done: set = set()
        order: list = []
        state: dict = {}

        def deps_of(item):
            if len(item) == 3:
                return [c for c in self._range_deps[item[1]] if c in self._cell_code]
            return [d for d in self._cell_code[item][1] if len(d) == 3 or d in self._cell_code]

        for root in list(self._cell_code):
            if root in done:
                continue
            stack = [(root, iter(deps_of(root)))]
            state[root] = 1
            while stack:
                item, it = stack[-1]
                advanced = False
                for dep in it:
                    if dep in done:
                        continue
                    if state.get(dep) == 1:
                        raise Untranslatable("a circular reference")
                    state[dep] = 1
                    stack.append((dep, iter(deps_of(dep))))
                    advanced = True
                    break
                if not advanced:
                    stack.pop()
                    done.add(item)
                    order.append(item)
        return order

    def evaluate(self, values: dict[str, dict[str, object]]) -> dict[tuple[str, str], object]:
        raw = self._function(values)
        out = {key: _output(v) for key, v in zip(self.outputs, raw)}
        # formulas reads a constant error (#N/A typed in a cell) as a formula of its own, so the
        # formulas path lists those cells among its results; so does this one.
        for sheet, cells in values.items():
            for coord, value in cells.items():
                if value.__class__ is XlError:
                    out.setdefault((sheet, coord), value)
        return out


def _bridge_op(op: str, x, y):
    from formulas.functions.operators import OPERATORS
    from .bind import from_formulas

    result = OPERATORS[op](np.asarray([[_to_formulas(x)]], object), np.asarray([[_to_formulas(y)]], object))
    return from_formulas(result)


_RUNTIME = {
    "_add_final": _add_final, "_sub_final": _sub_final,
    "_v": _v, "_add": _add, "_sub": _sub, "_mul": _mul, "_div": _div, "_neg": _neg, "_pos": _pos,
    "_pct": _pct, "_concat": _concat, "_eq": _eq, "_ne": _ne, "_lt": _lt, "_le": _le, "_gt": _gt,
    "_ge": _ge, "_cond": _cond, "_and": _and, "_or": _or, "_text_logical": text_logical, "_not": _not, "_sum": _sum,
    "_countif": _countif, "_bridge": _bridge, "_bridge_op": _bridge_op, "_XlError": XlError,
    "_NOTHING": {}, "_NeedFormulas": NeedFormulas, "_VALUE": XlError.VALUE,
}
