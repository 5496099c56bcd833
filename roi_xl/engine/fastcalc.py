"""A template's formulas translated once into Python over plain values: one function a shape of
formula (formulas differing only in their numbers, texts, references and names share it), run as a
list of runs of steps over one list of values: a run calls one function for a column of cells, whose
arguments' slots lie side by side in one array. The formulas of one layout (a column of one formula)
are translated together: the first cell alone, the others' arguments read a parameter at a time over
the column (Plan._translate_by_layout), so the plan's memory grows with the cells, not with an object
graph a cell.

`formulas` evaluates every cell through numpy object arrays, error-checking wrappers and schedula's
dispatch: about 0.5 ms a cell, 230 ms for the 460 formulas of our template. Translated into Python
over floats, strings, bools, `XlError` and None (blank), with each distinct range built once, the
same graph costs a few milliseconds, most of it in our catalogue functions.

The translation mirrors what `formulas` does (with our fixes installed there), not what we think
Excel does: the plan is the engine of record from a template's first workbook on
(roi_xl.engine.fastpath), and tests/conformance/test_plan_vs_formulas.py holds it to the formulas model's values on
every bundled and conformance workbook. So:

* operators, comparisons, IF's condition, NOT, AND and OR are Excel's rules of rules.py, the very
  functions formulas' operator table and IF/NOT/AND/OR call (through adapters); IFERROR and SUM
  follow formulas' own; COUNTIF(S), SUMIF(S) & co. over typed ranges pick cells
  with the engine's criteria test (criteria.py), each test of a range worked out once per evaluation,
  and sum them with the engine's accumulators (excel_functions.ACCUMULATORS); INDEX picking one cell
  of a typed range, ROW/COLUMN/ROWS/COLUMNS of a typed reference are translated;
* catalogue functions are called directly (they already speak roi_xl.excel's value model);
* where formulas cannot follow Excel at all, the plan alone does: a named LAMBDA becomes a Python
  function (one that calls itself too, to Excel's depth: recursive_names.py), and a workbook that
  enables iterative calculation has its circular references iterated (iteration.py);
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

import functools
import itertools
import math
import operator
import re
from array import array
from collections.abc import Iterable

import numpy as np
import schedula as _sh

from .. import registry
from ..errors import NeedFormulas, Untranslatable
from ..excel import OMITTED, XlError, address, to_grid
from ..memory import this_process_budget
from ..references import CELL, MAX_ARRAY_VALUES, SHEET, column_index, coordinate, split_coordinate, unquote_sheet
from . import rules
from .formulas_args import COMPUTED, LITERAL, REFERENCE, formulas_argument, formulas_value
from .functions._args import Fail
from .iteration import Iteration, components, settled, start
from .range_memo import forget, once
from .recursive_names import deep_recursion, depth_limit, parameters_and_body
from .rewrite import OMITTED_MARKER, layout_key
from .text_number import text_to_number
from .translations import Blocks, Memo, Translation

_EMPTY = _sh.EMPTY  # a blank, as formulas has it

# --------------------------------------------------------------------------- parsing

_ERRORS = "|".join(re.escape(e.value) for e in XlError)
_TOKEN = re.compile(rf"""
    (?P<ws>\s+)
  | (?P<str>"(?:[^"]|"")*")
  | (?P<err>{_ERRORS})
  | (?P<ref>(?:(?P<sheet>{SHEET})!)?(?P<a>{CELL})(?::(?P<b>{CELL}))?)(?![\w.(!:])
  | (?P<num>(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[Ee][+-][0-9]+)?)(?![\w.:])
  | (?P<bool>TRUE|FALSE)(?![\w.(])
  | (?P<func>[A-Za-z_][\w.]*)\(
  | (?P<name>[A-Za-z_\\][\w.]*)(?![\w.(!])
  | (?P<op><>|<=|>=|[-+*/^&=<>%(),])
""", re.VERBOSE | re.IGNORECASE)

_COMPARE = {"=", "<>", "<", ">", "<=", ">="}
_BINARY = {**{op: 1 for op in _COMPARE}, "&": 2, "+": 3, "-": 3, "*": 4, "/": 4, "^": 5}
_UNARY_BP = 6  # Excel: -2^2 is 4, negation binds tighter than ^


# A token: its kind (a group of _TOKEN, "ref" for a reference, "array" for an array constant) and
# its match.
_Token = tuple[str, "re.Match[str] | _ArrayToken"]


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            if text[pos] == "{":
                token = _array_constant(text, pos)
                out.append(("array", token))
                pos = token.end
                continue
            raise Untranslatable(f"cannot read {text[pos:pos + 12]!r}")
        kind = m.lastgroup
        if kind != "ws":
            out.append(("ref" if kind in ("sheet", "a", "b") else str(kind), m))
        pos = m.end()
    return out


_ELEMENT = re.compile(rf"""\s*(?:
    (?P<str>"(?:[^"]|"")*")
  | (?P<err>{_ERRORS})
  | (?P<num>[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[Ee][-+]?[0-9]+)?)
  | (?P<bool>TRUE|FALSE)
)\s*(?P<sep>[,;}}])""", re.VERBOSE | re.IGNORECASE)


class _ArrayToken:
    """An array constant {1,2;"a",TRUE}: its rows of values, as a token the parser can show."""

    def __init__(self, text: str, start: int, end: int, rows: list[list]):
        self.text, self.end, self.rows = text[start:end], end, rows

    def group(self, _=0) -> str:
        return self.text


def _array_constant(text: str, start: int) -> _ArrayToken:
    """Excel's array constant at text[start] ("{"): numbers, texts, booleans and errors, "," between
    columns and ";" between rows, every row as long as the first."""
    rows, row, pos = [], [], start + 1
    while True:
        m = _ELEMENT.match(text, pos)
        if m is None:
            raise Untranslatable("an array constant the plan does not read")
        kind = next(k for k in ("str", "err", "num", "bool") if m.group(k) is not None)  # "sep" is last
        raw = m.group(kind)
        if kind == "str":
            value = raw[1:-1].replace('""', '"')
        elif kind == "err":
            value = XlError.from_code(raw.upper())
        elif kind == "num":
            value = float(raw) if any(c in raw for c in ".eE") else int(raw)
        else:
            value = raw.upper() == "TRUE"
        row.append(value)
        pos, sep = m.end(), m.group("sep")
        if sep != ",":
            rows.append(row)
            if len(row) != len(rows[0]):
                raise Untranslatable("an array constant with rows of different lengths")
            row = []
            if sep == "}":
                return _ArrayToken(text, start, pos, rows)


class _Parser:
    def __init__(self, text: str | None = None, toks: list | None = None):
        self.toks = toks if toks is not None else _tokens(text or "")
        self.i = 0
        # id(leaf node) -> its token's index, for the leaves a shared translation takes as
        # parameters (_SHAPE_PARAMS); see Plan._shaped
        self.leaves: dict[int, int] = {}

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
        if kind == "array":
            rows = m.rows
            return ("lit", rows[0][0]) if len(rows) == 1 and len(rows[0]) == 1 else ("array", rows)
        if kind in _SHAPE_PARAMS:
            node = _leaf(kind, m)
            self.leaves[id(node)] = self.i - 1
            return node
        if kind == "bool":
            return ("lit", m.group(0).upper() == "TRUE")
        if kind == "err":
            return ("lit", XlError.from_code(m.group(0)))
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


# The tokens a translation shared by formulas of one shape takes as parameters: numbers, texts and
# typed references (each formula of a column usually differs from the next only in those), and
# names (the same name in every formula of a shape, but the cell it reads is the caller's variable).
_SHAPE_PARAMS = ("str", "num", "ref", "name")


def _function_source(name: str, params: list[str], code: str, guarded: bool, before: str = "") -> list[str]:
    """A translation as the lines of a Python function returning `code`. Guarded, it makes what a
    called function raises #VALUE!, as formulas' cell does (model._GuardedCell, _raised)."""
    lines = [f"def {name}({', '.join(params)}):"] + ([f"    {before}"] if before else [])
    if guarded:
        return lines + [f"    try: return {code}", "    except Exception as e: return _raised(e)"]
    return lines + [f"    return {code}"]


def _literal(value):
    """A literal's value in the plan: the rewrite's marker of an omitted argument is OMITTED."""
    return OMITTED if value.__class__ is str and value == OMITTED_MARKER else value


@functools.lru_cache(maxsize=None)
def _rows_of(cols: int):
    """A range holding formula cells as lists of rows, from its cells' values row by row."""
    return lambda *xs: [list(xs[i:i + cols]) for i in range(0, len(xs), cols)]


_NOTHING: dict = {}  # the constants of a sheet the workbook lacks


def _leaf(kind: str, m) -> tuple:
    """The syntax-tree node of one number, text, reference or name token."""
    if kind == "name":
        return ("name", m.group(0))
    if kind == "str":
        return ("lit", m.group(0)[1:-1].replace('""', '"'))
    if kind == "num":
        text = m.group(0)
        return ("lit", float(text) if any(c in text for c in ".eE") else int(text))
    sheet, a, b = m.group("sheet", "a", "b")
    if sheet:
        sheet = unquote_sheet(sheet)
    a = a.replace("$", "").upper()
    if b is None:
        return ("ref", sheet, a)
    return ("range", sheet, a, b.replace("$", "").upper())


# A parameter token's text -> its node (_node_of), for every plan of the process: workbooks of one
# family repeat Data!$B$2:$B$501 and most numbers. Dropped whole past _LEAVES_KEPT entries (~3 MB).
_LEAVES: dict[str, tuple] = {}
_LEAVES_KEPT = 1 << 14


def _node_of(kind: str, text: str) -> tuple:
    """The node of a parameter token of kind `kind` (_kind_of: a layout knows it), as _leaf makes it
    but a range's corners as numbers in order: ("range", sheet, first row, first column, last row,
    last column). Read from the text without matching _TOKEN again: 100,000 formulas' references
    cost a plan a second that way."""
    if kind == "ref" or kind == "range":
        sheet, _, cells = text.rpartition("!")  # a quoted sheet may hold a "!"; a cell does not
        where = unquote_sheet(sheet) if sheet else None
        cells = cells.replace("$", "").upper()
        if kind == "ref":
            node: tuple = ("ref", where, cells)
        else:
            a, _, b = cells.partition(":")
            node = _with_corners(("range", where, a, b))
    elif kind == "num":
        node = ("lit", float(text) if any(c in text for c in ".eE") else int(text))
    elif kind == "str":
        node = ("lit", text[1:-1].replace('""', '"'))
    else:
        node = ("name", text)
    if len(_LEAVES) >= _LEAVES_KEPT:
        _LEAVES.clear()
    _LEAVES[text] = node
    return node


def _with_corners(node: tuple) -> tuple:
    """A range node with its corners as row and column numbers in order (other nodes as they are)."""
    if node[0] != "range":
        return node
    (r1, c1), (r2, c2) = split_coordinate(node[2]), split_coordinate(node[3])
    return ("range", node[1], min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))


def parse(formula: str, toks: list | None = None, leaves: dict | None = None):
    """The syntax tree of one formula (with its leading '='; or its tokens). A final + or - outside
    parentheses is marked ("final", node): Excel snaps its cancellation residue to 0 (operators.py).
    `leaves`, when given, receives id(node) -> token index of each number, text and reference."""
    if toks is None:
        if not formula.startswith("="):
            raise Untranslatable("not a formula")
        toks = _tokens(formula[1:])
    parser = _Parser(toks=toks)
    node = parser.parse()
    if leaves is not None:
        leaves.update(parser.leaves)
    if node[0] == "op" and node[1] in "+-" and not parser.wrapped():
        return ("final", node)
    return node


# Functions whose translation reads a reference's address rather than its value (_reference_call):
# formulas calling them are translated cell by cell.
_BY_ADDRESS = frozenset({"ROW(", "COLUMN(", "ROWS(", "COLUMNS("})


def shape_of(toks: list) -> str | None:
    """What formulas sharing one translation have in common: their tokens, with every number, text
    and reference reduced to its kind (a cell or a range); None for a formula translated alone."""
    parts = []
    for kind, m in toks:
        if kind in _SHAPE_PARAMS and kind != "name":
            parts.append("\x00r" if kind == "ref" and m.group("b") else "\x00" + kind)
        elif kind == "func" and m.group(0).upper().removeprefix("_XLFN.") in _BY_ADDRESS:
            return None
        else:
            parts.append(m.group(0))
    return "\x01".join(parts)


_VARYING = ("str", "num", "ref")  # the tokens whose digits may differ between formulas of one layout


class _Layout:
    """Where the parameters of a shared translation stand in a formula's text, for the formulas
    that differ from it only in digits inside its numbers, texts and references (A7 and A8, 12 and
    13, "K0001" and "K0002"): those tokenise alike, because _TOKEN reads a digit only as any digit
    (its one literal digit, in #DIV/0!, is an error token, which is not one of those), so they
    share its shape and their parameters are at the same places (`spans`, by token index). A
    formula is looked up by its text with each digit 0, so only its digits may differ from the
    layout's; `fits` checks those of the rest of the text (function names, operators, names) are
    the same: the parts holding a digit (`fixed`), most formulas none. A layout depends on the
    text alone: it serves every plan of the process (translations.Memo). `names` are the shape's
    names (upper case), which its translation reads the workbook's definitions of."""

    __slots__ = ("shape", "fixed", "spans", "names")

    def __init__(self, shape: str, fixed: list[tuple[int, int, str]], spans: dict[int, tuple[int, int, str]],
                 names: tuple[str, ...]):
        self.shape, self.fixed, self.spans, self.names = shape, fixed, spans, names

    @classmethod
    def of(cls, body: str, toks: list, shape: str) -> _Layout | None:
        """The layout of a formula's text (without its '=') tokenised as `toks`; None when it holds
        an array constant (no match to read its place from)."""
        fixed, at, spans = [], 0, {}
        for i, (kind, m) in enumerate(toks):
            if not isinstance(m, re.Match):
                return None
            if kind in _VARYING:
                fixed.append((at, m.start(), body[at:m.start()]))
                at = m.end()
            if kind in _SHAPE_PARAMS:
                spans[i] = (m.start(), m.end(), _kind_of(kind, m))
        fixed.append((at, len(body), body[at:]))
        return cls(shape, [part for part in fixed if _DIGIT.search(part[2])], spans, _names_in(toks))

    def fits(self, body: str) -> bool:
        for a, b, text in self.fixed:
            if body[a:b] != text:
                return False
        return True


def _names_in(toks: list) -> tuple[str, ...]:
    """The names a formula's tokens hold, upper case, in order."""
    return tuple([m.group(0).upper() for kind, m in toks if kind == "name"])


def _spans(toks: list, positions: list[int]) -> list[tuple[int, int, str]]:
    """Where the tokens at `positions` (numbers, texts, references, names: matches) are, and their
    kinds (_kind_of)."""
    return [(toks[i][1].start(), toks[i][1].end(), _kind_of(*toks[i])) for i in positions]


def _kind_of(kind: str, m) -> str:
    """A parameter token's kind as _node_of reads it: "range" for a reference to a range."""
    return "range" if kind == "ref" and m.group("b") else kind


_DIGIT = re.compile("[0-9]")
# Fewer formulas of one layout than this are translated cell by cell: reading a column's arguments
# a parameter at a time costs more than a cell's own reading for a handful (distinct100's workbooks).
_COLUMN_CELLS = 8
_CORNERS = re.compile(r"\$?(?P<c1>[A-Za-z]{1,3})\$?(?P<r1>[0-9]+):\$?(?P<c2>[A-Za-z]{1,3})\$?(?P<r2>[0-9]+)")


# What a plan works out from formulas' texts alone, kept for the process's next plans
# (translations.py): layouts by a formula's text with its digits 0, translations (with their
# compiled functions) by Plan._translation_key. Bounded: a worker may meet templates without end.
_LAYOUTS: Memo[bytes, _Layout] = Memo(8192)
_TRANSLATIONS: Memo[tuple, Translation] = Memo(2048)
_BLOCKS = Blocks(200_000)  # ranges of constants' coordinates (~70 bytes each)


def _compiled(translation: Translation):
    """A kept translation's function, compiled with the runtime and its own constants only."""
    params = [f"p{i}" for i in translation.positions]
    source = _function_source("_s", params, translation.code, translation.calls)
    namespace = dict(_RUNTIME)
    namespace.update(translation.consts)
    exec(compile("\n".join(source) + "\n", "<roi-xl fast plan>", "exec"), namespace)  # noqa: S102 - our own code
    return namespace["_s"]


# --------------------------------------------------------------------------- runtime


# The operators, comparisons and conditions are Excel's rules (rules.py), the ones formulas' operator
# table and IF/NOT/AND/OR call too; the generated code names them as below.
text_logical = rules.text_logical
_v, _pos, _cond, _not = rules.blank_as_zero, rules.pos, rules.condition, rules.not_
_add, _sub, _mul, _div, _pow = rules.add, rules.sub, rules.mul, rules.div, rules.power
_add_final, _sub_final, _neg, _pct = rules.add_final, rules.sub_final, rules.neg, rules.pct
_concat = rules.concat
_eq, _ne, _lt, _le, _gt, _ge = rules.eq, rules.ne, rules.lt, rules.le, rules.gt, rules.ge
_finite = rules.finite


def _first_error(*xs):
    for x in xs:
        if x.__class__ is XlError:
            return x
    return None


def _cells(args):
    """Every value of a function's arguments (ranges as lists of rows), in order."""
    for a in args:
        if a.__class__ is list:
            for row in a:
                yield from row
        else:
            yield a


def _and(*args):
    return rules.and_(_cells(args))


def _or(*args):
    return rules.or_(_cells(args))


def _numbers_of(is_reference, args) -> list | XlError:
    """The numbers of an aggregate's arguments by the rule of functions/statistical.numbers, on the
    plan's values: in a reference only numbers count (text, TRUE/FALSE and blanks are skipped, an
    error is the result); a value typed or computed as an argument becomes a number (TRUE 1, text
    read as a number or #VALUE!, an empty argument skipped). `is_reference` flags each argument:
    1 a reference or an array constant, 0 a value, 2 computed (an array but for one value)."""
    out: list = []
    for reference, a in zip(is_reference, args):
        if reference == 2:
            if a.__class__ is list and len(a) == 1 and len(a[0]) == 1:
                a = a[0][0]
            reference = a.__class__ is list
        if reference:
            # the cells' classes gathered at C speed first: most ranges hold only numbers
            flat = list(_chain.from_iterable(a)) if a.__class__ is list else [a]
            classes = set(map(type, flat))
            if XlError in classes:
                return next(v for v in flat if v.__class__ is XlError)
            if classes <= _NUMBER_CLASSES:
                out += flat
            else:
                out += [v for v in flat if v.__class__ is float or v.__class__ is int]
            continue
        cls = a.__class__
        if a is None:
            continue
        if cls is XlError:
            return a
        if cls is bool:
            out.append(float(a))
        elif cls is str:
            n = text_to_number(a)
            if n is None:
                return XlError.VALUE
            out.append(n)
        else:
            out.append(float(a))
    return out


_chain = itertools.chain
_NUMBER_CLASSES = frozenset({float, int})


def _aggregate(name: str, is_reference, args):
    """SUM, AVERAGE, MIN, MAX and the other aggregates of functions/statistical.py: the engine's own
    reduction (statistical.AGGREGATES[name]) of the arguments' numbers (_numbers_of)."""
    xs = _numbers_of(is_reference, args)
    if xs.__class__ is XlError:
        return xs
    try:
        return _finite(float((_statistical or _load_statistical()).AGGREGATES[name](xs)))
    except Fail as fail:
        from .bind import from_formulas

        return from_formulas(fail.err)
    except (ValueError, OverflowError, ZeroDivisionError):
        return XlError.NUM


def _meeting(rows: list, condition) -> np.ndarray:
    """Which cells of a range (row by row) meet a criterion, as a boolean mask: worked out once per
    evaluation for each (range, criterion), so a thousand COUNTIFS over one column with a handful of
    criteria test it a handful of times, and several criteria combine with one `&`."""
    def build(rs):
        mask = np.zeros(len(rs) * len(rs[0]), bool)
        _mark(mask, rs, condition)
        return mask
    return once(rows, ("mask", condition.__class__, condition), build)


def _mark(mask: np.ndarray, rows: list, condition) -> None:
    """Set `mask` (all False, a cell of the range a place) where the range's cells meet the criterion."""
    form = _criterion_form(condition) if condition.__class__ is str else _TESTED
    if form[0] == "text":  # "alpha": the positions of the texts equal to it, from the range's index
        mask[once(rows, "texts", _texts).get(form[1], [])] = True
        return
    if form[0] == "order":  # ">425": the range's numbers compared
        compare, number = form[1], form[2]
        if len(rows) * len(rows[0]) <= _FEW:
            found = _few_compared(_flat_formulas(rows), compare, number)
            if found is not None:
                mask[found] = True
                return
        # the comparison's booleans put at the numbers' positions in one step: a list of the
        # positions met (tolist, then read back as an index) cost ten times as much
        positions, numbers = once(rows, "numbers", _numbers)
        mask[positions] = compare(numbers, number)
        return
    from .criteria import criterion_test

    test = criterion_test(formulas_value(condition))
    mask[[i for i, v in enumerate(_flat_formulas(rows)) if test(v)]] = True


_TESTED = ("test",)
_FORMS: dict[str, tuple] = {}  # a criterion's text -> its form, for every evaluation (texts repeat)
_FEW = 32  # a range this small is compared in Python: numpy's set-up costs more than the loop
_FORMULAS_ERROR = type(formulas_value(XlError.NA))


def _criterion_form(condition: str) -> tuple:
    """How a criterion text is answered: ("text", folded text) by the range's index of texts,
    ("order", comparison, number) by its numbers (criteria.numeric_ordering), else ("test",)."""
    form = _FORMS.get(condition)
    if form is None:
        from .criteria import numeric_ordering, plain_text_equality

        wanted = plain_text_equality(condition)
        ordering = numeric_ordering(condition) if wanted is None else None
        form = ("text", wanted) if wanted is not None else ("order", *ordering) if ordering else _TESTED
        if len(_FORMS) >= 4096:
            _FORMS.clear()
        _FORMS[condition] = form
    return form


def _few_compared(values: list, compare, number: float) -> list[int] | None:
    """The positions of the numbers among a few values (criteria.numbers_of's: floats and ints, not
    booleans) meeting the comparison; None when a value is of a class not recognised here."""
    found = []
    for i, v in enumerate(values):
        cls = v.__class__
        if cls is float or cls is int:
            if compare(float(v), number):
                found.append(i)
        elif not (cls is str or cls is bool or v is _EMPTY or cls is _FORMULAS_ERROR):
            return None
    return found


def _few_counted(rows: list, condition: str) -> int | None:
    """COUNTIF of a few cells and a criterion comparing numbers, counted on the plan's own values
    (_few_compared's rule: numbers compared; texts, booleans, blanks and errors not) without the
    mask, the converted values and the memo _meeting keeps for a range many formulas test; None
    for another criterion, a larger range or a value of a class not recognised here."""
    if len(rows) * len(rows[0]) > _FEW:
        return None
    form = _criterion_form(condition)
    if form[0] != "order":
        return None
    compare, number = form[1], form[2]
    count = 0
    for row in rows:
        for v in row:
            cls = v.__class__
            if cls is float or cls is int:
                if compare(float(v), number):
                    count += 1
            elif not (cls is str or cls is bool or v is None or cls is XlError):
                return None
    return count


def _flat_formulas(rows: list) -> list:
    """A range's values row by row, as formulas holds them."""
    return once(rows, "formulas", lambda rs: [formulas_value(v) for row in rs for v in row])


def _numbers(rows: list) -> tuple[np.ndarray, np.ndarray]:
    from .criteria import numbers_of

    return numbers_of(_flat_formulas(rows))


def _texts(rows: list) -> dict[str, list[int]]:
    """Where each text of a range is (case-folded)."""
    index: dict[str, list[int]] = {}
    for i, v in enumerate(_chain.from_iterable(rows)):
        if v.__class__ is str:
            index.setdefault(v.casefold(), []).append(i)
    return index


def _ifs(name: str, operating, *pairs):
    """COUNTIF(S), SUMIF(S), AVERAGEIF(S), MAXIFS, MINIFS as the engine computes them
    (excel_functions: its criteria test, its accumulators), the picked cells found by _meeting.
    `operating` is the range summed (None: the first range). A criterion given as a range (an
    array result) or ranges of different sizes go to formulas."""
    if name in _COUNTS and len(pairs) == 2 and pairs[1].__class__ is str:  # COUNTIF(A7:J7,">500")
        counted = _few_counted(pairs[0], pairs[1])
        if counted is not None:
            return counted
    shape = (len(pairs[0]), len(pairs[0][0]))
    mask: np.ndarray | None = None
    for rows, condition in zip(pairs[::2], pairs[1::2]):
        if condition.__class__ is list:
            raise NeedFormulas(f"{name} with criteria given as a range")
        if (len(rows), len(rows[0])) != shape:
            raise NeedFormulas(f"{name} over ranges of different sizes")
        meets = _meeting(rows, condition)
        mask = meets if mask is None else mask & meets
    assert mask is not None  # a criteria function has a range and a criterion at least
    if operating is None:
        operating = pairs[0]
    elif (len(operating), len(operating[0])) != shape:
        raise NeedFormulas(f"{name} over ranges of different sizes")
    if name in _COUNTS:  # how many were picked, whatever they hold
        return int(np.count_nonzero(mask))
    if name in _SUMS:
        numbers, is_number = once(operating, "summed", _summed)
        if is_number is not None:  # no error in the range: the picked numbers' sum
            return _sum_picked(numbers[mask & is_number])
    from .bind import from_formulas
    from .excel_functions import ACCUMULATORS, accumulate

    accumulator = ACCUMULATORS[name]
    values = _flat_formulas(operating)
    chosen = [values[i] for i in np.flatnonzero(mask).tolist()]
    if name in _SUMS:
        total = _sum_numbers(chosen)
        if total is not None:
            return total
    cells = np.asarray(chosen, object)
    from formulas.functions import FoundError

    try:
        return from_formulas(accumulate(accumulator, cells))
    except FoundError as ex:
        return from_formulas(ex.err)


_SUMS = frozenset({"SUMIF", "SUMIFS"})
_ADD_REDUCE = np.add.reduce
_COUNTS = frozenset({"COUNTIF", "COUNTIFS"})  # excel_functions.ACCUMULATORS' `len`


def _summed(rows: list) -> tuple[np.ndarray, np.ndarray | None]:
    """A summed range's cells as doubles (0 where not a number) and which are numbers (not text,
    booleans or blanks, which SUMIF(S) leave out); None for the second when the range holds anything
    else (an error: formulas' xsum decides what the sum is then)."""
    values = _flat_formulas(rows)
    numbers = np.zeros(len(values))
    is_number = np.zeros(len(values), bool)
    for i, v in enumerate(values):
        cls = v.__class__
        if cls is float or cls is int:
            numbers[i] = v
            is_number[i] = True
        elif not (cls is str or cls is bool or v is _EMPTY):
            return numbers, None
    return numbers, is_number


def _sum_numbers(cells: list) -> float | None:
    """SUMIF(S) of the picked cells without an error among them (the range holds one elsewhere), as
    _sum_picked; None when a picked cell holds anything else (an error: xsum)."""
    numbers = []
    for v in cells:
        cls = v.__class__
        if cls is float or cls is int:
            numbers.append(v)
        elif not (cls is str or cls is bool or v is _EMPTY):
            return None
    return _sum_picked(np.asarray(numbers, float))


def _sum_picked(numbers: np.ndarray) -> float:
    """SUMIF(S) of the picked numbers, in order: the sum formulas' xsum makes (numpy's pairwise
    sum of the same doubles in the same order, to the last bit: np.sum is this add.reduce)."""
    return float(_ADD_REDUCE(numbers))


def _bridge(name: str, *flagged):
    """Call formulas' own implementation of `name`. `flagged` alternates (kind, value), kind being
    how formulas hands that argument on: a literal as a plain value (LITERAL), a reference as a
    plain 2-D array (REFERENCE), a computed value as formulas' `Array` (COMPUTED). Functions tell
    the last two apart (=AVERAGE(A1&B1) reads its text "42" as a number, =AVERAGE(A1) skips it).
    When every argument is one value, scalar_calls calls the function's element-wise core directly
    (the same parsing, errors and result, without numpy's vectorising); otherwise, or when it
    does not answer, formulas' wrapper does (_formulas_call)."""
    calls = _scalar_calls or _load_scalar_calls()
    answer = calls.call(name, flagged)
    if answer is calls.UNANSWERED:
        return _formulas_call(name, *flagged)
    return answer


_scalar_calls = None  # the module scalar_calls, imported on the first bridged call


def _load_scalar_calls():
    global _scalar_calls
    from . import scalar_calls

    _scalar_calls = scalar_calls
    return scalar_calls


def _formulas_call(name: str, *flagged):
    """`name` called through formulas' own wrapper, arguments as _bridge describes."""
    from .bind import from_formulas
    from .function_table import get_functions

    fn = get_functions()[name]
    if isinstance(fn, dict):
        fn = fn["function"]
    result = fn(*[formulas_argument(kind, value) for kind, value in zip(flagged[::2], flagged[1::2])])
    if isinstance(result, list) or (isinstance(result, np.ndarray) and result.ndim == 1 and result.size > 1):
        raise NeedFormulas(f"{name} returned a one-dimensional array")  # a row or a column?
    return from_formulas(result)  # a value, or an array as lists of rows (see _one)


_NO_COLUMN = object()


def _position(n) -> int | None:
    """A row or column number INDEX reads as the plan models it: a number truncated to 1 or more."""
    if n.__class__ is float or n.__class__ is int:
        i = int(n)
        if i >= 1:
            return i
    return None


def _index(rows, r, c=_NO_COLUMN):
    """INDEX(range, row[, column]) picking one cell, as the engine's INDEX (functions/lookup.py over
    formulas' xindex) does: an error in a position is the result; a one-row or one-column range takes
    one position along itself; a two-dimensional range without a column is #REF!, as is a position
    beyond it. A position of 0 (a whole row or column), negative, text or TRUE goes to formulas."""
    e = _first_error(r, c)
    if e is not None:
        return e
    height, width = len(rows), len(rows[0])
    if c is _NO_COLUMN:
        if height == 1:
            r, c = 1, r
        elif width == 1:
            c = 1
        else:
            return XlError.REF
    i, j = _position(r), _position(c)
    if i is None or j is None:
        raise NeedFormulas("INDEX of a whole row or column, or at a position that is not a number")
    if i > height or j > width:
        return XlError.REF
    return rows[i - 1][j - 1]


# --- exact-match lookups over typed ranges, from an index of the range built once per evaluation.
# The common case only: anything else (an approximate match, wildcards, a blank or an error to look
# for, a column number out of range...) answers _UNSURE and the call goes to formulas' own (_bridge).

_UNSURE = object()
_WILDCARDS = frozenset("*?~")


def _formulas_key(v):
    """The key formulas' exact match compares by (look.py: args_parser_match_array and xmatch): the
    same type (text, number) and value, texts lower-cased; None for what a text or number never meets."""
    cls = v.__class__
    if cls is str:
        return (1, v.lower())
    if cls is float or cls is int:
        return (0, v)
    return None


def _positions(values_of, rows: list, tag: str, key) -> dict:
    """{key: first position} of a range's values (values_of(rows)), once per evaluation."""
    def build(rs: list) -> dict:
        index: dict = {}
        for i, v in enumerate(values_of(rs)):
            k = key(v)
            if k is not None:
                index.setdefault(k, i)
        return index
    return once(rows, tag, build)


def _wanted(value):
    """The lookup value's formulas key, or None when the fast path does not answer for it."""
    if value is None:
        return (0, 0)  # formulas' replace_empty: a blank lookup value is 0
    cls = value.__class__
    if cls is str:
        return None if _WILDCARDS.intersection(value) else (1, value.lower())
    if cls is float or cls is int:
        return (0, value)
    return None


def _exact(flag) -> bool:
    return flag is False or ((flag.__class__ is float or flag.__class__ is int) and flag == 0)


def _vlookup(value, rows, col, flag, vertical: bool):
    """VLOOKUP (vertical) or HLOOKUP with FALSE: the first row (column) whose key equals the value's."""
    wanted = _wanted(value)
    if wanted is None or not _exact(flag) or not (col.__class__ is float or col.__class__ is int):
        return _UNSURE
    c = int(col)
    if not 1 <= c <= (len(rows[0]) if vertical else len(rows)):
        return _UNSURE
    if vertical:
        index = _positions(lambda rs: [r[0] for r in rs], rows, "first column", _formulas_key)
    else:
        index = _positions(lambda rs: rs[0], rows, "first row", _formulas_key)
    i = index.get(wanted)
    if i is None:
        return XlError.NA
    return rows[i][c - 1] if vertical else rows[c - 1][i]


def _match(value, rows, match_type):
    """MATCH with match_type 0 over one row or column: the 1-based position of the first equal key."""
    wanted = _wanted(value)
    if wanted is None or not _exact(match_type) or (len(rows) != 1 and len(rows[0]) != 1):
        return _UNSURE
    i = _positions(lambda rs: [v for r in rs for v in r], rows, "flat", _formulas_key).get(wanted)
    return XlError.NA if i is None else i + 1


def _xlookup(value, look, ret, if_not_found=XlError.NA, match_mode=0, search_mode=1):
    """XLOOKUP's exact match searching first to last (lookup.py's xlookup), giving one value."""
    from .functions.lookup import exact_key

    cls = value.__class__
    if not (cls is str or cls is float or cls is int) or match_mode != 0 or search_mode != 1 \
            or match_mode.__class__ is bool or search_mode.__class__ is bool \
            or (len(look) != 1 and len(look[0]) != 1) or if_not_found.__class__ is list:
        return _UNSURE
    by_row = len(look[0]) == 1 and len(look) > 1
    n = len(look) if by_row else len(look[0])
    if (len(ret) if by_row else len(ret[0])) != n or (len(ret[0]) if by_row else len(ret)) != 1:
        return _UNSURE  # sizes that differ (#VALUE!) or a row or column to return: formulas' own
    i = _positions(lambda rs: [v for r in rs for v in r], look, "xlookup", exact_key).get(exact_key(value))
    if i is None:
        return 0 if if_not_found is None else if_not_found
    found = ret[i][0] if by_row else ret[0][i]
    return 0 if found is None else found


def _ours(fn):
    """A catalogue function called by the plan: a range it reads is made a Grid once per evaluation
    (a cost roll-up over one column in a hundred cells converts that column once)."""
    def call(*args):
        result = fn(*[once(a, "grid", to_grid) if a.__class__ is list else a for a in args])
        if result.__class__ is list and result and result[0].__class__ is not list:
            return [result]
        return result
    return call


def _one(value):
    """A value where Excel expects one (IF's condition, an INDEX position...): a function that gave
    an array there sends the workbook to formulas, which models what Excel does with it."""
    if value.__class__ is list:
        if len(value) == 1 and len(value[0]) == 1:
            return value[0][0]
        raise NeedFormulas("an array where one value is expected")
    return value


def _logical_argument(value):
    """AND/OR's argument computed by a function: an array is read as a range, a text "TRUE" typed."""
    return value if value.__class__ is list else text_logical(value)


_PAST = object()  # past the end of an array


def _at(rows: list, i: int, j: int):
    """The element an array gives at row i, column j when Excel broadcasts it: a single row or
    column repeats, past its end there is none (_PAST)."""
    if len(rows) == 1:
        row = rows[0]
    elif i < len(rows):
        row = rows[i]
    else:
        return _PAST
    if len(row) == 1:
        return row[0]
    return row[j] if j < len(row) else _PAST


def _ew2(f, x, y):
    """A binary operator over arrays (lists of rows) element by element, as Excel: a single value,
    row or column repeats along the other operand; where one array ends and the other goes on, #N/A."""
    if x.__class__ is not list:
        if y.__class__ is not list:
            return f(x, y)
        return [[f(x, b) for b in row] for row in y]
    if y.__class__ is not list:
        return [[f(a, y) for a in row] for row in x]
    height, width = max(len(x), len(y)), max(len(x[0]), len(y[0]))
    if height * width > MAX_ARRAY_VALUES:  # a column times a row: the one way an operator multiplies sizes
        return XlError.NUM
    out = []
    for i in range(height):
        row = []
        for j in range(width):
            a, b = _at(x, i, j), _at(y, i, j)
            row.append(XlError.NA if a is _PAST or b is _PAST else f(a, b))
        out.append(row)
    return out


def _ew1(f, x):
    if x.__class__ is not list:
        return f(x)
    return [[f(a) for a in row] for row in x]


def _element(value, i: int, j: int):
    """The value an array formula puts in the cell i rows and j columns from its first (Excel)."""
    if value.__class__ is not list:
        return value
    v = _at(value, i, j)
    return XlError.NA if v is _PAST else v


def _raised(exc: Exception):
    """A cell whose function raised: #VALUE!, as formulas' cell makes it; NeedFormulas goes on."""
    if isinstance(exc, NeedFormulas):
        raise exc
    return XlError.VALUE


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
        if len(value) == 1 and len(value[0]) == 1:
            return _output(value[0][0])
        raise NeedFormulas("an array in one cell (Excel spills it)")
    if isinstance(value, (np.generic,)):
        return _output(value.item())
    return value


# --------------------------------------------------------------------------- translation

_OPS = {"+": "_add", "-": "_sub", "*": "_mul", "/": "_div", "&": "_concat",
        "=": "_eq", "<>": "_ne", "<": "_lt", "<=": "_le", ">": "_gt", ">=": "_ge"}


def _check_mirrored(name: str) -> None:
    """The translation of the aggregates (_aggregate) and COUNTIF mirrors one implementation; if the
    engine's table holds another (a later fix), the template stays on formulas until the
    translation follows."""
    from .excel_functions import REPLACEMENTS as OURS
    from .function_table import get_functions
    from .functions.statistical import REPLACEMENTS

    mirrored = REPLACEMENTS[name] if _reduction(name) is not None else OURS[name]
    if get_functions().get(name) is not mirrored:
        raise Untranslatable(f"{name} is not the implementation the translation mirrors")


def _reduction(name: str) -> str | None:
    """The statistical.AGGREGATES entry the function `name` (maybe an alias: STDEV.S) reduces its
    numbers with, or None for any other function. The generated list of the table's sources answers
    for the functions of other modules, so a workbook that aggregates nothing does not import the
    statistical family (its `statistics` import alone costs ~13 ms of start-up)."""
    from .function_sources import SOURCES

    if name not in SOURCES[_STATISTICAL]:
        return None
    statistical = _statistical or _load_statistical()
    name = statistical.ALIASES.get(name, name)
    return name if name in statistical.AGGREGATES else None


_STATISTICAL = "roi_xl.engine.functions.statistical"
_statistical = None  # that module, imported when a workbook first aggregates


def _load_statistical():
    global _statistical
    from .functions import statistical

    _statistical = statistical
    return statistical


def _strip_prefix(name: str) -> str:
    for prefix in ("_XLFN.", "_XLWS."):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


# Functions whose result may be an array whatever their arguments (Excel's dynamic-array functions,
# matrix and regression functions); any other function may give one when handed an array where
# it expects a value (Plan._maybe_array). The plan's own translations of these give one value.
_ARRAY_FUNCTIONS = frozenset({
    "CHOOSE", "CHOOSECOLS", "CHOOSEROWS", "DROP", "EXPAND", "FILTER", "FREQUENCY", "GROWTH", "HSTACK",
    "LINEST", "LOGEST", "MINVERSE", "MMULT", "MODE.MULT", "MUNIT", "RANDARRAY", "REGEXEXTRACT",
    "SEQUENCE", "SORT", "SORTBY", "TAKE", "TEXTSPLIT", "TOCOL", "TOROW", "TRANSPOSE", "TREND",
    "TRIMRANGE", "UNIQUE", "VSTACK", "WRAPCOLS", "WRAPROWS", "XLOOKUP"})
_SCALAR_CALLS = frozenset({"IF", "IFERROR", "AND", "OR", "NOT", "SUM", "INDEX", "ROW", "COLUMN",
                           "ROWS", "COLUMNS",
                           # aggregates: one value from any ranges and arrays
                           "AVERAGE", "AVERAGEA", "MAX", "MAXA", "MIN", "MINA", "COUNT", "COUNTA",
                           "COUNTBLANK", "PRODUCT", "SUMPRODUCT", "SUMSQ", "MEDIAN", "STDEV",
                           "STDEV.S", "STDEV.P", "VAR", "VAR.S", "VAR.P", "CONCAT", "TEXTJOIN"})
# Functions that take ranges (references) and give one value, unless handed an array where they
# expect one value (a lookup value, a criterion).
_BY_VALUE = frozenset({"VLOOKUP", "HLOOKUP", "MATCH", "XMATCH", "LOOKUP", "COUNTIF", "COUNTIFS",
                       "SUMIF", "SUMIFS", "AVERAGEIF", "AVERAGEIFS", "MAXIFS", "MINIFS"})


# Computed by _ifs, with the engine's criteria test and accumulators (excel_functions.ACCUMULATORS).
_CRITERIA_FUNCTIONS = frozenset({"COUNTIF", "COUNTIFS", "SUMIF", "SUMIFS", "AVERAGEIF", "AVERAGEIFS",
                                 "MAXIFS", "MINIFS"})


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


def _is_reference(node) -> bool:
    """Whether an argument is a reference (a typed cell, range or name, or INDEX picking a cell), which
    functions read differently from a computed value (SUM skips a text in a reference, not a "5")."""
    return node[0] in ("ref", "range", "name") or (node[0] == "call" and node[1] == "INDEX")


def _range_item(at: int) -> tuple:
    """A range (its slot) in the dependency graph: three items, where a cell is (sheet, coord)."""
    return ("#range", at, 0)


# What each cell of an array formula's range costs the plan at least (its step, its output, its
# address): a lower bound, so that only a spread certain to pass the memory budget is refused early.
_SPREAD_CELL_BYTES = 200


class Plan:
    """The translated template: `evaluate(values)` gives every formula cell's value.

    `values` is the fast reader's (xlsx.read) sheet -> {"B7": constant}; a cell missing from it is blank. `names` are
    the names that point at one cell or range; `defined` every defined name (any other name is
    #NAME?, as formulas has it with bind.undefined_names_as_name_errors); `arrays` the array
    formulas (Ctrl+Shift+Enter) as (sheet, cell, range): operators work element by element in
    every formula, and one over a range spreads its array over the range's cells.
    """

    def __init__(self, formulas: dict[tuple[str, str], str], sheets: list[str],
                 names: dict[str, tuple[str, str]], defined: Iterable[str] = (),
                 arrays: Iterable[tuple[str, str, str]] = (), iteration: Iteration | None = None,
                 lambdas: dict[str, str] | None = None):
        self.sheets = list(sheets)
        self.iteration = iteration  # circular references iterate (iteration.py) instead of failing
        self.cycles = False         # ... and there are some: evaluate() wants the cached values
        # what it was made from (plan_store.py keeps it); the formulas' dict as given, not a copy of
        # 50,000 entries: the callers hand it over
        self.formulas, self.names = formulas, dict(names)
        self.defined, self.arrays = sorted(defined), sorted(arrays)
        self._by_upper = {s.upper(): s for s in sheets}
        self._names = {k.upper(): v for k, v in names.items()}
        self._defined = {n.upper() for n in self.defined}
        # Every value evaluate() handles has a slot in one list (_initial: the constants the
        # arguments pass, None for the cells and ranges evaluate() fills), given when first met.
        self._initial: list = []
        self._pooled: dict[tuple[type, object], int] = {}  # (class, constant) -> its slot
        # sheet -> cell ("B7") -> its slot: one dict a sheet, not a (sheet, cell) tuple a cell
        self._vars: dict[str, dict[str, int]] = {}
        self._ranges: dict[tuple[str, int, int, int, int], int] = {}  # (sheet, rows, columns) -> slot
        self._range_at: dict[int, tuple[str, int, int, int, int]] = {}  # ... and back
        # cell -> (function, its arguments' slots, its slot); what it reads is what those slots hold
        # (_items)
        self._cell_code: dict[tuple[str, str], tuple[str, tuple[int, ...], int]] = {}
        self._tmp = 0
        self._consts: dict[str, object] = {}  # the constants of the code compiled with the plan
        self._const_count = 0
        # Translations shared by formulas of one shape (shape_of): shape -> (function name,
        # parameter token indexes). Most are kept for the process's next plans (_TRANSLATIONS) and
        # compiled there (_functions: name -> function); the rest are the plan's own code (_shared).
        self._shapes: dict[str, tuple[str, list[int]]] = {}
        self._functions: dict[str, object] = {}
        self._shared: list[tuple[str, list[int], str, bool]] = []
        self._params: dict[int, int] | None = None  # while translating a shape: leaf -> token index
        self._used: set[int] = set()
        self._calls_lambda = False  # while translating a shape: it calls one of the plan's LAMBDAs
        self._arguments: dict[str, dict[str, int]] = {}  # sheet -> token -> _argument
        self._prefixed: dict[str, dict[str, int]] = {}  # a reference's sheet as written -> its cells' slots
        # a formula's text with its digits 0 -> its layout, function and parameters' spans
        self._layouts: dict[bytes, tuple[_Layout, str, list[tuple[int, int, str]]]] = {}
        self.lambdas = dict(lambdas or {})  # name -> LAMBDA text (recursive_names.named_lambdas)
        self._lambda_key = tuple(sorted(self.lambdas.items()))
        self._own_cell: tuple[str, str] | None = None  # the formula cell being translated
        self._spans: dict[tuple[str, str], str] = {}  # an array formula's cell -> its range
        # formulas of one layout on one sheet, translated together (_translate_by_layout): (function,
        # their cells, their slots, their arguments' slots a parameter at a time)
        self._columns: list[tuple[str, list[tuple[str, str]], list[int], list[list[int]]]] = []
        lambda_source = self._translate_lambdas()
        self.outputs = list(formulas)
        try:
            self._translate_by_layout(formulas)
        except Untranslatable:
            # the error of the first formula, in the workbook's order, that does not translate
            self.outputs, self._columns = list(formulas), []
            for key, text in formulas.items():
                self._translate_one(key, text)
        namespace = dict(_RUNTIME)
        namespace.update(self._consts)
        own_source = lambda_source + self._shared_source()
        if own_source:
            exec(compile("\n".join(own_source) + "\n", "<roi-xl fast plan>", "exec"), namespace)  # noqa: S102 - our own code
        namespace.update(self._functions)
        self._program(namespace)
        # What only the translation needed (every range's cells, every cell's arguments...): a
        # plan is kept for the template's next workbooks, and memory should hold its program only.
        del self._vars, self._ranges, self._range_at, self._cell_code, self._shapes, self._arguments, \
            self._layouts, self._pooled, self._range_cells, self._items, self._prefixed, self._spans, self._done

    def _translate_one(self, key: tuple[str, str], text: str) -> None:
        """One formula cell's code (_cell), or an array formula's over its range (_spread)."""
        self._own_cell = key
        try:
            ref = self._spans.get(key, "") if self._spans else ""
            if ":" in ref:
                self._spread(key, ref, text)
            else:
                name, args = self._cell(text, key[0])
                self._cell_code[key] = (name, args, self._slot(*key))
        except Untranslatable as exc:
            raise Untranslatable(f"{address(*key)}: {exc}") from None

    def _translate_by_layout(self, formulas: dict[tuple[str, str], str]) -> None:
        """Every formula cell's code, the formulas of one layout (the same text but for digits: a
        column of one formula) together: the first translated as one (_translate_one), the others'
        arguments read a parameter at a time over all of them (_column_slots), not a cell at a time.
        With an array formula over a range, cell by cell in the workbook's order: a formula in one
        of its cells is the later one's, as it always was."""
        self._spans = {(sheet, coord): ref for sheet, coord, ref in self.arrays}
        if any(":" in ref for ref in self._spans.values()):
            for key, text in formulas.items():
                self._translate_one(key, text)
            return
        # (sheet, layout key) -> the cells and their formulas' texts without the "="
        groups: dict[tuple[str, bytes], tuple[list[tuple[str, str]], list[str]]] = {}
        for key, text in formulas.items():
            if text[:1] != "=" or (self._spans and key in self._spans):
                self._translate_one(key, text)
                continue
            body = text[1:]
            group = (key[0], layout_key(body))
            found = groups.get(group)
            if found is None:
                found = groups[group] = ([], [])
            found[0].append(key)
            found[1].append(body)
        for (own, zeroed), (keys, bodies) in groups.items():
            head = keys[0]
            self._translate_one(head, formulas[head])
            known = self._layouts.get(zeroed)
            if known is None or len(keys) < _COLUMN_CELLS:  # translated alone (ROW()...), or a few cells
                for key in keys[1:]:
                    self._translate_one(key, formulas[key])
                continue
            layout, name, spans = known
            keys, bodies = keys[1:], bodies[1:]
            if layout.fixed:  # digits outside its parameters (Sheet1!A1, Sheet2!A1): those that differ alone
                fits = [layout.fits(body) for body in bodies]
                if not all(fits):
                    for key, fit in zip(keys, fits):
                        if not fit:
                            self._translate_one(key, formulas[key])
                    keys = [key for key, fit in zip(keys, fits) if fit]
                    bodies = [body for body, fit in zip(bodies, fits) if fit]
                    if not keys:
                        continue
            columns = [self._column_slots([body[a:b] for body in bodies], kind, own) for a, b, kind in spans]
            own_slots = self._column_slots([key[1] for key in keys], "", own)
            first = self._cell_code[head]
            if first[0] == name and len(first[1]) == len(spans):  # the first joins its column
                del self._cell_code[head]
                keys.insert(0, head)
                own_slots.insert(0, first[2])
                for column, at in zip(columns, first[1]):
                    column.insert(0, at)
            self._columns.append((name, keys, own_slots, columns))

    def _column_slots(self, texts: list[str], kind: str, own: str) -> list[int]:
        """The slots of one parameter's token texts (`kind` as _arguments_of reads them) in the
        formulas of one layout on sheet `own`, as _arguments_of gives each; kind "" for the cells'
        own coordinates. Their texts differ in digits only, so a cell reference's sheet, its "$" and
        its case are those of the first (a sheet named with digits aside)."""
        if kind == "ref" and "'" not in texts[0]:
            sheet, bang, _cell = texts[0].rpartition("!")
            if any(c.isdigit() for c in sheet):
                return [self._arguments_of(text, [(0, len(text), kind)], own)[0] for text in texts]
            cells = self._cells_named(sheet, own)
            cut = len(sheet) + len(bang)
            coords = [text[cut:] for text in texts] if cut else texts
            if "$" in texts[0]:
                coords = [c.replace("$", "") for c in coords]
            if not coords[0].isupper():
                coords = [c.upper() for c in coords]
        elif kind == "":
            cells, coords = self._cells_of(own), texts
        elif kind == "range" and "'" not in texts[0] and (ranges := self._column_ranges(texts, own)) is not None:
            return ranges
        else:
            cache = self._arguments.get(own)
            if cache is None:
                cache = self._arguments[own] = {}
            slots = []
            for text, found in zip(texts, list(map(cache.get, texts))):
                if found is None:
                    found = cache.get(text)  # met earlier among these
                    if found is None:
                        found = self._new_argument(cache, text, kind, own)
                slots.append(found)
            return slots
        met = list(map(cells.get, coords))
        initial = self._initial
        if met.count(None) == len(met) and len(set(coords)) == len(coords):  # all met first here
            start = len(initial)
            slots = list(range(start, start + len(coords)))
            cells.update(zip(coords, slots))
            initial += itertools.repeat(None, len(coords))
            return slots
        slots = []
        for coord, found in zip(coords, met):
            if found is None:  # _slot, inline: a cell met first here (maybe twice among these)
                found = cells.get(coord)
                if found is None:
                    found = cells[coord] = len(initial)
                    initial.append(None)
            slots.append(found)
        return slots

    def _column_ranges(self, texts: list[str], own: str) -> list[int] | None:
        """_column_slots of range references (Data!A7:J7, Data!A8:J8...): their columns and sheet
        are the first's, their rows read where the first's digits are; None for a sheet named with
        digits."""
        sheet, bang, cells = texts[0].rpartition("!")
        m = _CORNERS.fullmatch(cells)
        if m is None or any(c.isdigit() for c in sheet):
            return None
        where = self._sheet(sheet, own) if sheet else own
        c1, c2 = column_index(m["c1"].upper()), column_index(m["c2"].upper())
        left, right = min(c1, c2), max(c1, c2)
        cut = len(sheet) + len(bang)
        a1, b1 = m.span("r1")
        a2, b2 = m.span("r2")
        range_of = self._range_of
        return [range_of((where, min(r1, r2), left, max(r1, r2), right))
                for r1, r2 in zip([int(t[cut + a1:cut + b1]) for t in texts],
                                  [int(t[cut + a2:cut + b2]) for t in texts])]

    def _cell(self, text: str, own: str, alone: str = "") -> tuple[str, tuple[int, ...]]:
        """(function, its arguments' slots) of one formula cell. Formulas of one shape share
        one translation, a function of their numbers, texts, references and names (_SHAPE_PARAMS):
        a column of one formula is parsed, translated and compiled once, not once a cell. `alone`
        gives the formula a translation of its own (an array formula over a range).

        A formula laid out as one met before (_Layout: the same text but for the digits of its
        numbers, texts and references) is not tokenised again: its arguments are read where the
        other's were."""
        if not text.startswith("="):
            raise Untranslatable("not a formula")
        body = text[1:]
        zeroed = b""
        if not alone:
            zeroed = layout_key(body)
            known = self._layouts.get(zeroed)
            if known is not None and known[0].fits(body):
                return known[1], self._arguments_of(body, known[2], own)
            layout = _LAYOUTS.get(zeroed)  # laid out so in an earlier plan
            if layout is not None and layout.fits(body):
                name, positions = self._shared_for(layout.shape, layout.names, None, body, own)
                spans = [layout.spans[i] for i in positions]
                self._layouts[zeroed] = (layout, name, spans)
                return name, self._arguments_of(body, spans, own)
        toks = _tokens(body)
        shape = shape_of(toks) if not alone else None
        if shape is None:  # reads its own address (ROW()...): a translation of its own
            shape = f"\x02{alone}{address(*self._own_cell or ('', ''))}\x02{text}"
            shared = self._shapes.get(shape)
            if shared is None:
                translation, _ = self._share(toks, own)
                shared = self._shapes[shape] = self._plan_function(translation)
            name, positions = shared
            return name, self._arguments_of(body, _spans(toks, positions), own)
        name, positions = self._shared_for(shape, _names_in(toks), toks, body, own)
        spans = _spans(toks, positions)
        layout = _Layout.of(body, toks, shape)
        if layout is not None:
            _LAYOUTS.put(zeroed, layout)
            self._layouts[zeroed] = (layout, name, spans)
        return name, self._arguments_of(body, spans, own)

    def _shared_for(self, shape: str, names: tuple[str, ...], toks: list | None, body: str,
                    own: str) -> tuple[str, list[int]]:
        """The plan's function for a shape and its parameters' token indexes: a translation kept
        from an earlier plan when one was made under the same key, else translated now (from
        `toks`, or the tokens of `body`) and kept unless it calls the plan's own LAMBDAs."""
        shared = self._shapes.get(shape)
        if shared is not None:
            return shared
        key = self._translation_key(shape, names)
        translation = _TRANSLATIONS.get(key)
        if translation is None:
            translation, calls_lambda = self._share(_tokens(body) if toks is None else toks, own)
            if calls_lambda:  # its code names the plan's LAMBDA functions: compiled with them
                shared = self._shapes[shape] = self._plan_function(translation)
                return shared
            translation.function = _compiled(translation)
            _TRANSLATIONS.put(key, translation)
        name = f"_s{len(self._shapes)}"
        self._functions[name] = translation.function
        shared = self._shapes[shape] = (name, translation.positions)
        return shared

    def _translation_key(self, shape: str, names: tuple[str, ...]) -> tuple:
        """Everything a shape's translation reads beyond its tokens: what each of its names is
        (a range, a cell, defined otherwise, undefined: _is_array, _name_target) and the named
        LAMBDAs (which calls are theirs, under which function). Not the sheets nor the cells: its
        references are parameters, resolved for each cell by _argument."""
        statuses = []
        for name in names:
            target = self._names.get(name)
            if target is not None:
                statuses.append("range" if ":" in target[1] else "cell")
            else:
                statuses.append("defined" if name in self._defined or name.startswith("_XLPM.") else "")
        return (shape, tuple(statuses), self._lambda_key)

    def _plan_function(self, translation: Translation) -> tuple[str, list[int]]:
        """A translation compiled with the plan's own code (_shared_source), under a new name."""
        name = f"_s{len(self._shapes)}"
        self._consts.update(translation.consts)
        self._shared.append((name, translation.positions, translation.code, translation.calls))
        return name, translation.positions

    def _arguments_of(self, body: str, spans: list[tuple[int, int, str]], own: str) -> tuple[int, ...]:
        """The slots of a shared translation's arguments for one cell of sheet `own`, from where its
        parameters' tokens are in the formula's text. One token text means one argument:
        Data!$B$2:$B$501 in a thousand cells, kept by its text (a cell reference, usually met once,
        goes straight to its slot instead). (A text is one kind of token: a text starts with ", a
        number with a digit or '.', and a name reading as a reference is one followed by ':', which
        no translated formula holds.) What the cell reads is what those slots hold (_items): no
        second tuple a cell."""
        cache = self._arguments.get(own)
        if cache is None:
            cache = self._arguments[own] = {}
        slots = []
        initial = self._initial
        for a, b, kind in spans:
            text = body[a:b]
            if kind == "ref" and "'" not in text:  # a cell: most of a big sheet's tokens, each once
                sheet, _, cell = text.rpartition("!")
                cells = self._cells_named(sheet, own)
                if "$" in cell:
                    cell = cell.replace("$", "")
                if not cell.isupper():  # Excel saves upper case; upper() would copy it anyway
                    cell = cell.upper()
                at = cells.get(cell)  # _slot, inline
                if at is None:
                    at = cells[cell] = len(initial)
                    initial.append(None)
                slots.append(at)
                continue
            found = cache.get(text)
            if found is None:
                found = self._new_argument(cache, text, kind, own)
            slots.append(found)
        return tuple(slots)

    def _new_argument(self, cache: dict, text: str, kind: str, own: str) -> int:
        """_argument of a parameter token of kind `kind`, kept in `cache` under its text."""
        node = _LEAVES.get(text)
        if node is None:
            node = _node_of(kind, text)
        found = cache[text] = self._argument(node, own)
        return found

    def _share(self, toks: list, own: str) -> tuple[Translation, bool]:
        """One translation for every formula of a shape, its parameters p<token index>, and whether
        it calls one of the plan's LAMBDAs. Its constants are its own (Translation.consts), under
        names no other code of the plan uses."""
        leaves: dict[int, int] = {}
        tree = parse("", toks, leaves)
        reads: set = set()
        plan_consts, self._consts = self._consts, {}
        self._params, self._used, self._calls, self._calls_lambda = leaves, set(), False, False
        try:
            code = self._expr(tree, own, reads)
        finally:
            self._params = None
            consts, self._consts = self._consts, plan_consts
        if reads:  # every cell it reads should be a parameter
            raise Untranslatable("a formula reading cells the plan cannot pass it")
        return Translation(code, sorted(self._used), self._calls, consts, None), self._calls_lambda

    def _argument(self, node: tuple, own: str) -> int:
        """The slot of one parameter of a shared translation for one cell, from its token's node
        (_node_of): a constant's, a cell's or a range's."""
        kind = node[0]
        if kind == "name":  # outside a LAMBDA: a name is its target
            node = _with_corners(self._name_target(node[1]))
            kind = node[0]
        if kind == "lit":
            return self._pool(_literal(node[1]))
        sheet = own if node[1] is None else self._sheet(node[1], own)
        if kind == "ref":
            return self._slot(sheet, node[2])
        return self._range_of((sheet, *node[2:]))

    def _translate_lambdas(self) -> list[str]:
        """Each named LAMBDA as a Python function of (depth, parameters...): IF takes one branch,
        so one calling itself ends; a call past Excel's depth gives #NUM!. Its calculation may read
        its parameters, not cells (Untranslatable: the formulas engine)."""
        self._lambda_calls: dict[str, tuple[str, int]] = {}   # NAME -> (function, parameters)
        self._scope: dict[str, str] = {}                        # parameter -> Python name, inside one
        self._depth = "0"                                        # a call's depth argument
        self._own_cell = None  # ROW() in a LAMBDA is its caller's: not translated
        parsed = {}
        for i, (name, text) in enumerate(sorted(self.lambdas.items())):
            found = parameters_and_body(text)
            if found is None:
                raise Untranslatable(f"the LAMBDA named {name} does not close")
            parsed[name] = found
            self._lambda_calls[name.upper()] = (f"_lam{i}", len(found[0]))
        source = []
        for name, (params, body) in parsed.items():
            function, count = self._lambda_calls[name.upper()]
            self._scope = {p.upper(): f"p{j}" for j, p in enumerate(params)}
            self._depth = "_d + 1"
            deps: set = set()
            try:
                code = self._expr(parse("=" + body), self.sheets[0], deps)
            except Untranslatable as exc:
                raise Untranslatable(f"the LAMBDA named {name}: {exc}") from None
            finally:
                self._scope, self._depth = {}, "0"
            if deps:
                raise Untranslatable(f"the LAMBDA named {name} reads cells")
            source += _function_source(function, ["_d", *(f"p{j}" for j in range(count))], code, True,
                                       before=f"if _d >= {depth_limit(count)}: return _NUM")
        return source

    def _lambda_call(self, name: str, args: list, own: str, deps: set) -> str:
        function, count = self._lambda_calls[name]
        self._calls_lambda = True
        if len(args) != count:  # Excel: a LAMBDA given the wrong number of arguments is #VALUE!
            return self._const(XlError.VALUE)
        codes = [self._operand(a, own, deps) for a in args]
        return f"{function}({self._depth}{''.join(', ' + c for c in codes)})"

    def _spread(self, key: tuple[str, str], ref: str, text: str) -> None:
        """An array formula over a range (Ctrl+Shift+Enter): its value, kept apart, gives each cell
        of the range its element (_element); the cells after the first become outputs too."""
        whole = (key[0], "#array " + key[1])
        name, args = self._cell(text, key[0], alone="#array ")
        at = self._slot(*whole)
        self._cell_code[whole] = (name, args, at)
        first, last = (split_coordinate(c) for c in ref.split(":"))
        cells = (last[0] - first[0] + 1) * (last[1] - first[1] + 1)
        budget = this_process_budget()
        if budget is not None and cells * _SPREAD_CELL_BYTES > budget:
            # past the budget for certain: said at once, not after filling memory up to it (where
            # unwinding the half-built plan took minutes)
            raise MemoryError(f"an array formula over {cells:,} cells")
        for row in range(first[0], last[0] + 1):
            for col in range(first[1], last[1] + 1):
                cell = (key[0], coordinate(row, col))
                self._cell_code[cell] = ("_element", (at, self._pool(row - first[0]), self._pool(col - first[1])),
                                         self._slot(*cell))
                if cell != key:
                    self.outputs.append(cell)

    # -- names of things in the generated code
    def _sheet(self, sheet: str | None, own: str) -> str:
        if sheet is None:
            return own
        real = self._by_upper.get(sheet.upper())
        if real is None:
            raise Untranslatable(f"reference to a missing sheet {sheet!r}")
        return real

    def _slot(self, sheet: str, coord: str) -> int:
        """A cell's slot."""
        cells = self._cells_of(sheet)
        at = cells.get(coord)
        if at is None:
            at = cells[coord] = len(self._initial)
            self._initial.append(None)
        return at

    def _cells_named(self, sheet: str, own: str) -> dict[str, int]:
        """The slots of the cells of the sheet a reference names as written (`sheet`, "" for none:
        sheet `own`), each way of writing a sheet resolved once."""
        if not sheet:
            return self._cells_of(own)
        cells = self._prefixed.get(sheet)
        if cells is None:
            cells = self._prefixed[sheet] = self._cells_of(self._sheet(sheet, own))
        return cells

    def _cells_of(self, sheet: str) -> dict[str, int]:
        """The slots of a sheet's cells met so far, by coordinate."""
        cells = self._vars.get(sheet)
        if cells is None:
            cells = self._vars[sheet] = {}
        return cells

    def _pool(self, value) -> int:
        """The slot of a constant argument, one for each value of one class."""
        key = (value.__class__, value)
        at = self._pooled.get(key)
        if at is None:
            at = self._pooled[key] = len(self._initial)
            self._initial.append(value)
        return at

    def _range(self, sheet: str, a: str, b: str) -> int:
        """A range's slot (its corners in any order)."""
        (r1, c1), (r2, c2) = split_coordinate(a), split_coordinate(b)
        return self._range_of((sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))

    def _range_of(self, key: tuple[str, int, int, int, int]) -> int:
        """The slot of the range (sheet, first row, first column, last row, last column)."""
        at = self._ranges.get(key)
        if at is None:
            if (key[3] - key[1] + 1) * (key[4] - key[2] + 1) > 100_000:
                raise Untranslatable("a very large range")
            at = self._ranges[key] = len(self._initial)
            self._initial.append(None)
            self._range_at[at] = key
        return at

    def _const(self, value) -> str:
        if value.__class__ in (int, float, bool, str) and not (value.__class__ is float and not math.isfinite(value)):
            return repr(value)
        self._const_count += 1
        name = f"k{self._const_count}"
        self._consts[name] = value
        return name

    def _temp(self) -> str:
        self._tmp += 1
        return f"t{self._tmp}"

    # -- expressions
    def _operand(self, node, own: str, deps: set, allow_range: bool = False) -> str:
        if not allow_range and self._is_array(node):
            raise Untranslatable("a range or an array where one value is expected")
        code = self._expr(node, own, deps)
        if not allow_range and self._maybe_array(node):
            return f"_one({code})"
        return code

    def _maybe_array(self, node) -> bool:
        """Whether an expression may give an array at run time: a range or an array, a function that
        returns arrays (or is handed one where it expects a value: DATE(A1:A3,1,1)), an operator
        over such. The plan then works element by element, or checks (_one) where one value is due."""
        kind = node[0]
        if kind == "call":
            name = _strip_prefix(node[1])
            if name in _SCALAR_CALLS:
                return False
            if name in _BY_VALUE:  # an array where they expect one value: an array of results
                return any(self._maybe_array(a) for a in node[2] if not _is_reference(a))
            return name in registry.CATALOGUE or name in _ARRAY_FUNCTIONS \
                or any(self._maybe_array(a) for a in node[2])
        if kind == "op":
            return self._maybe_array(node[2]) or self._maybe_array(node[3])
        if kind in ("final", "neg", "pos", "pct"):
            return self._maybe_array(node[1])
        return self._is_array(node)

    def _is_array(self, node) -> bool:
        """Whether an expression's value is a range or an array (lists of rows) in the plan."""
        kind = node[0]
        if kind in ("range", "array"):
            return True
        if kind == "name":
            return self._name_is_range(node[1])
        if kind == "op":
            return self._is_array(node[2]) or self._is_array(node[3])
        if kind in ("final", "neg", "pos", "pct"):
            return self._is_array(node[1])
        return False

    def _name_target(self, name: str) -> tuple:
        """What a name outside a LAMBDA's parameters reads: the ("ref" or "range") node of the cell or
        range it points at, else #NAME? as a literal; Untranslatable for a name defined otherwise."""
        target = self._names.get(name.upper())
        if target is None:
            if name.upper() in self._defined or name.upper().startswith("_XLPM."):  # LAMBDA's, LET's names
                raise Untranslatable(f"unknown name {name}")
            return ("lit", XlError.NAME)
        sheet, ref = target
        if ":" in ref:
            a, b = ref.split(":")
            return ("range", sheet, a, b)
        return ("ref", sheet, ref)

    def _name_is_range(self, name: str) -> bool:
        target = self._names.get(name.upper())
        return target is not None and ":" in target[1]

    def _expr(self, node, own: str, deps: set) -> str:
        kind = node[0]
        if self._params is not None and id(node) in self._params:
            self._used.add(self._params[id(node)])
            return f"p{self._params[id(node)]}"
        if kind == "lit":
            return self._const(_literal(node[1]))
        if kind == "missing":
            return "0"  # formulas compiles an empty argument to 0
        if kind == "array":  # a list of rows, as a range's values are
            return self._const(node[1])
        if kind == "ref":  # a variable's name: met only where _share refuses the translation
            sheet = self._sheet(node[1], own)
            deps.add((sheet, node[2]))
            return f"c{self._slot(sheet, node[2])}"
        if kind == "range":
            sheet = self._sheet(node[1], own)
            at = self._range(sheet, node[2], node[3])
            deps.add(_range_item(at))
            return f"r{at}"
        if kind == "name":
            if node[1].upper() in self._scope:  # a parameter of the LAMBDA being translated
                return self._scope[node[1].upper()]
            return self._expr(self._name_target(node[1]), own, deps)
        if kind in ("op", "final"):
            op, left, right = node[1:] if kind == "op" else node[1][1:]
            l_code = self._operand(left, own, deps, allow_range=True)
            r_code = self._operand(right, own, deps, allow_range=True)
            fn = {"+": "_add_final", "-": "_sub_final"}[op] if kind == "final" else \
                "_pow" if op == "^" else _OPS[op]
            if self._maybe_array(left) or self._maybe_array(right):  # element by element
                return f"_ew2({fn}, {l_code}, {r_code})"
            return f"{fn}({l_code}, {r_code})"
        if kind in ("neg", "pos", "pct"):
            code = self._operand(node[1], own, deps, allow_range=True)
            return f"_ew1(_{kind}, {code})" if self._maybe_array(node[1]) else f"_{kind}({code})"
        if kind == "call":
            return self._call(node[1], node[2], own, deps)
        raise Untranslatable(f"unsupported {kind}")

    def _call(self, name: str, args: list, own: str, deps: set) -> str:
        self._calls = True
        if name.upper() in self._lambda_calls:
            return self._lambda_call(name.upper(), args, own, deps)
        translated = self._reference_call(name, args, own, deps)
        if translated is not None:
            return translated
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
            codes = [c if _is_reference(a) or self._is_array(a) else
                     f"_logical_argument({c})" if self._maybe_array(a) else f"_text_logical({c})"  # typed "TRUE"
                     for a, c in zip(args, codes)]
            return f"_{name.lower()}({', '.join(codes)})"
        if name == "NA" and not args:  # the template's empty figures: a constant, not a bridged call
            return self._const(XlError.NA)
        if name == "NOT":
            if len(args) != 1:
                raise Untranslatable("NOT takes 1 argument")
            return f"_not(_v({self._operand(args[0], own, deps)}))"
        reduction = _reduction(name)
        if reduction is not None:
            _check_mirrored(name)
            flags, codes = [], []
            for a in args:
                flags.append(1 if _is_reference(a) or a[0] == "array" else 2 if self._maybe_array(a) else 0)
                codes.append("None" if a[0] == "missing" else self._operand(a, own, deps, allow_range=True))
            return f"_aggregate({reduction!r}, {tuple(flags)!r}, ({', '.join(codes)},))"
        if not _known_to_formulas(name):
            raise Untranslatable(f"unknown function {name}")
        if _reads_references(name):
            raise Untranslatable(f"{name} reads references, not values")
        if name in _CRITERIA_FUNCTIONS:
            translated = self._criteria_call(name, args, own, deps)
            if translated is not None:
                return translated
        parts, codes, kinds = [], [], []
        for a in args:
            codes.append(self._operand(a, own, deps, allow_range=True))
            kind = LITERAL if a[0] in ("lit", "missing") else \
                REFERENCE if _is_reference(a) else COMPUTED
            parts.append(f"{kind}, {codes[-1]}")
            kinds.append(kind)
        bridged = f"_bridge({name!r}, {', '.join(parts)})"
        fast = self._lookup_call(name, args, codes)
        if fast is None:
            direct = (_scalar_calls or _load_scalar_calls()).direct(name, tuple(kinds), _bridge)
            return bridged if direct is None else f"{self._const(direct)}({', '.join(codes)})"
        t = self._temp()
        return f"({t} if ({t} := {fast}) is not _UNSURE else {bridged})"

    def _rows(self, node, own: str, deps: set) -> str:
        """A typed reference as lists of rows (one cell too)."""
        return self._as_rows(node, self._operand(node, own, deps, allow_range=True))

    def _as_rows(self, node, code: str) -> str:
        if node[0] == "ref" or (node[0] == "name" and not self._name_is_range(node[1])):
            return f"[[{code}]]"
        return code

    def _lookup_call(self, name: str, args: list, codes: list[str]) -> str | None:
        """An exact-match lookup over typed ranges, answered from an index where it can be (_vlookup,
        _match, _xlookup); None when the call is not of that form. `codes` are the arguments as
        translated for the bridged call (with ranges allowed: none but the tables holds one here)."""
        tables = {"VLOOKUP": (1,), "HLOOKUP": (1,), "MATCH": (1,), "XLOOKUP": (1, 2)}.get(name, ())
        if not tables or len(args) <= max(tables) \
                or not all(_is_reference(args[i]) and args[i][0] != "call" for i in tables) \
                or any(a[0] == "missing" or self._maybe_array(a)
                       for i, a in enumerate(args) if i not in tables):
            return None
        a = [self._as_rows(args[i], code) if i in tables else code for i, code in enumerate(codes)]
        if name in ("VLOOKUP", "HLOOKUP") and len(args) == 4:
            return f"_vlookup({a[0]}, {a[1]}, {a[2]}, {a[3]}, {name == 'VLOOKUP'})"
        if name == "MATCH" and len(args) == 3:
            return f"_match({a[0]}, {a[1]}, {a[2]})"
        if name == "XLOOKUP" and len(args) <= 6:
            return f"_xlookup({', '.join(a)})"
        return None

    def _reference_call(self, name: str, args: list, own: str, deps: set) -> str | None:
        """Functions formulas hands a reference, where the plan knows the answer from the formula's
        text (ROW, COLUMN, ROWS, COLUMNS of a typed reference; the formula's own cell) or reads one
        cell of a typed range (INDEX); None for everything else."""
        if name in ("ROW", "COLUMN") and len(args) <= 1:
            if not args:
                if self._own_cell is None:
                    raise Untranslatable(f"{name}() in a LAMBDA")
                row, col = split_coordinate(self._own_cell[1])
            elif args[0][0] == "ref":
                self._sheet(args[0][1], own)
                row, col = split_coordinate(args[0][2])
            else:
                raise Untranslatable(f"{name} of a range or an expression")
            return repr(float(row if name == "ROW" else col))
        if name in ("ROWS", "COLUMNS") and len(args) == 1 and args[0][0] in ("ref", "range"):
            self._sheet(args[0][1], own)
            first = split_coordinate(args[0][2])
            last = split_coordinate(args[0][3] if args[0][0] == "range" else args[0][2])
            axis = 0 if name == "ROWS" else 1
            return repr(float(abs(last[axis] - first[axis]) + 1))
        if name == "INDEX" and 2 <= len(args) <= 3 and _is_reference(args[0]) \
                and all(a[0] != "missing" for a in args):
            rng = self._rows(args[0], own, deps)
            positions = [self._operand(a, own, deps) for a in args[1:]]
            return f"_index({rng}, {', '.join(positions)})"
        return None

    def _criteria_call(self, name: str, args: list, own: str, deps: set) -> str | None:
        """COUNTIF & co. over typed ranges, by _ifs; None (formulas' own through _bridge) otherwise."""
        single = name in ("COUNTIF", "SUMIF", "AVERAGEIF")
        if single:
            if len(args) not in ((2,) if name == "COUNTIF" else (2, 3)):
                return None
            pairs, operating = args[:2], args[2:]
        else:
            first = 0 if name == "COUNTIFS" else 1
            if len(args) < first + 2 or (len(args) - first) % 2:
                return None
            pairs, operating = args[first:], args[:first]
        ranges = pairs[::2] + operating
        if any(not _is_reference(a) or a[0] == "call" for a in ranges) \
                or any(a[0] == "missing" for a in pairs[1::2]):
            return None
        _check_mirrored(name)

        codes = []
        for i, a in enumerate(pairs):
            codes.append(self._rows(a, own, deps) if i % 2 == 0
                         else self._operand(a, own, deps, allow_range=True))
        summed = self._rows(operating[0], own, deps) if operating else "None"
        return f"_ifs({name!r}, {summed}, {', '.join(codes)})"

    # -- the program
    def _shared_source(self) -> list[str]:
        """The shared translations as Python functions, guarded when they call a function."""
        return [line for name, positions, code, calls in self._shared
                for line in _function_source(name, [f"p{i}" for i in positions], code, calls)]

    def _program(self, namespace: dict) -> None:
        """What evaluate() runs: every value in one list (slots); the constants placed once, the
        input cells and constant ranges read from the workbook, then a step a formula cell or a
        range holding formula cells, in an order where each comes after what it reads."""
        code, slots, columns = self._cell_code, self._vars, self._columns
        if self.iteration:  # circular references are ordered cell by cell (_cyclic_order)
            for group in columns:
                self._cells_from(group)
            columns = []
        # A range without formula cells (most lookup tables: on a sheet without any) is read from
        # the constants as a block of coordinates, rows shared between the ranges that overlap; a
        # range holding formula cells is built from its cells' values.
        formula = bytearray(len(self._initial))  # by slot: a formula cell's
        for _name, _args, at in code.values():
            formula[at] = 1
        for _name, _keys, own_slots, _columns in columns:
            for at in own_slots:
                formula[at] = 1
        formula_sheets = {sheet for sheet, _ in code} | {keys[0][0] for _name, keys, _slots, _cols in columns}
        self._range_cells: dict[int, list[tuple[str, str]]] = {}  # a range holding formula cells -> its cells
        blocks: dict[str, tuple[list[int], list[tuple]]] = {}  # sheet -> its blocks' slots, coordinates
        for at, (sheet, r1, c1, r2, c2) in self._range_at.items():
            if sheet in formula_sheets:
                cells = [(sheet, coordinate(r, c)) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
                met = slots[sheet]
                # slots made below for a range's cells (after `formula` was sized) are never formula cells
                if any(formula[s] for s in map(met.get, [coord for _sheet, coord in cells])
                       if s is not None and s < len(formula)):
                    self._range_cells[at] = cells
                    for cell in cells:
                        self._slot(*cell)
                    continue
            found = blocks.get(sheet)
            if found is None:
                found = blocks[sheet] = ([], [])
            found[0].append(at)
            found[1].append(_BLOCKS.row(r1, c1, c2) if r1 == r2 else _BLOCKS.of(r1, c1, r2, c2))
        # per sheet, slots and coordinates side by side: no tuple per range or input cell, the slots
        # in an array (no int object each: the plan is kept for the template's next workbooks)
        self._blocks = [(sheet, array("i", ats), tuple(keys)) for sheet, (ats, keys) in blocks.items()]
        # what each slot is in the dependency graph: a formula cell (its key), a range holding
        # formula cells (_range_item), or None (a constant, an input cell, a range of constants)
        items: list = [None] * len(self._initial)
        for key, (_name, _args, at) in code.items():
            items[at] = key
        for _name, keys, own_slots, _columns in columns:
            for key, at in zip(keys, own_slots):
                items[at] = key
        for at in self._range_cells:
            items[at] = _range_item(at)
        self._items = items
        self._inputs = []  # per sheet, its input cells and their slots
        for sheet in self.sheets:
            met = slots.get(sheet, _NOTHING)
            # an input cell's item is None, every other one a non-empty tuple: picked at C speed
            free = list(map(operator.not_, map(items.__getitem__, met.values())))
            if any(free):
                self._inputs.append((sheet, _BLOCKS.shared_all(itertools.compress(met, free)),
                                     array("i", itertools.compress(met.values(), free))))
        functions = {name: namespace[name] if name in namespace else _RUNTIME[name]
                     for name in {name for name, _args, _at in code.values()} | {group[0] for group in columns}}

        # A column of one layout reading no formula cell runs first, as it is: its arguments'
        # slots side by side in one array, no tuple a cell. The others go cell by cell (_order).
        self._steps: list[tuple] = []
        self._done = bytearray(len(items))  # by slot: in the program already (_order)
        for group in columns:
            name, keys, own_slots, args_by_parameter = group
            if any(any(map(items.__getitem__, column)) for column in args_by_parameter):
                self._cells_from(group)
                continue
            flat = itertools.chain.from_iterable(zip(*args_by_parameter)) if args_by_parameter else ()
            self._steps.append((functions[name], len(args_by_parameter), array("i", flat), array("i", own_slots)))
            for at in own_slots:
                self._done[at] = 1
        del self._columns
        order = self._cyclic_order() if self.iteration else self._order()

        def step_of(item) -> tuple:
            """A formula cell's step (its function, its arguments' slots, its slot), or a range of
            formula cells'."""
            if len(item) == 3:
                at = item[1]
                _sheet, _r1, c1, _r2, c2 = self._range_at[at]
                return _rows_of(c2 - c1 + 1), tuple([slots[c[0]][c[1]] for c in self._range_cells[at]]), at
            name, args, at = code[item]
            return functions[name], args, at

        # Runs of steps calling one function with as many arguments (a column of one formula, in
        # the order _order groups them): the arguments' slots side by side in one array, no tuple
        # a cell. A group of circular references is a run of its own (fn None).
        last, width = None, -1
        outs = args = array("i")
        for item in order:
            if item.__class__ is list:
                self._steps.append((None, 0, self._cycle_step(item, step_of), None))
                last = None
                continue
            if len(item) == 2:  # a cell: step_of, inline
                name, cell_args, at = code[item]
                fn = functions[name]
            else:
                fn, cell_args, at = step_of(item)
            if fn is not last or len(cell_args) != width:
                last, width, args, outs = fn, len(cell_args), array("i"), array("i")
                self._steps.append((fn, width, args, outs))
            args.extend(cell_args)
            outs.append(at)
        self._outputs = array("i", [slots[sheet][coord] for sheet, coord in self.outputs])

    def _cells_from(self, group: tuple) -> None:
        """A column of one layout (_translate_by_layout) as one code entry a cell."""
        name, keys, own_slots, args_by_parameter = group
        self._cell_code.update(zip(keys, zip(itertools.repeat(name), zip(*args_by_parameter) if args_by_parameter
                                             else itertools.repeat(()), own_slots)))

    def _cycle_step(self, group: list, step_of) -> tuple:
        """Cells that read each other, computed as Excel iterates them (iteration.py, _iterate): from
        their cached values, pass after pass in sheet, row, column order (each range of the group
        built again before a cell reads it), until no value moves by the maximum change."""
        if self.iteration is None:
            raise Untranslatable("a circular reference")
        self.cycles = True
        ranges = {item for item in group if len(item) == 3}
        cells = sorted((item for item in group if len(item) == 2), key=self._position)
        body = []
        for cell in cells:
            body += [step_of(dep) for dep in sorted(ranges.intersection(self._deps_of(cell)))]
            body.append(step_of(cell))
        starts = [(self._slot(*c), c[0], c[1]) for c in cells]
        return starts, body, tuple(self._slot(*c) for c in cells), self.iteration.count, self.iteration.delta

    def _position(self, cell: tuple[str, str]) -> tuple:
        """Where Excel's iteration reaches a cell: sheet order, then row, then column (an array
        formula's whole value before its cells)."""
        row, col = split_coordinate(cell[1].rpartition(" ")[2])
        return self.sheets.index(cell[0]), row, col, not cell[1].startswith("#")

    def _deps_of(self, item) -> list:
        """The formula cells and ranges holding some that a formula cell or such a range reads
        (constant cells and ranges are read before every step: not in the graph)."""
        items = self._items
        if len(item) == 3:
            slots = self._vars
            return [c for c in self._range_cells[item[1]] if items[slots[c[0]][c[1]]] is not None]
        return [d for d in map(items.__getitem__, self._cell_code[item][1]) if d is not None]

    def _cyclic_order(self) -> list:
        """_order's order with circular references allowed: cells that read each other (directly
        or through others) form one item, the list of them and of the ranges between them."""
        return [group if len(group) > 1 or group[0] in self._deps_of(group[0]) else group[0]
                for group in components(list(self._cell_code), self._deps_of)]

    def _order(self) -> list:
        """Formula cells and ranges of formula cells in an order where each comes after what it
        reads (depth first from each cell; most read none, and come at once). The cells are taken
        function by function, so that a column of one formula comes as one run of steps."""
        code, items, slots = self._cell_code, self._items, self._vars
        done = self._done  # by slot: the cell or range is in the program (a column run) or the order
        order: list = []
        state: dict = {}
        deps_of = self._deps_of
        by_function: dict[str, list] = {}
        for root, (name, _args, _at) in code.items():
            found = by_function.get(name)
            if found is None:
                found = by_function[name] = []
            found.append(root)
        for root in itertools.chain.from_iterable(by_function.values()):
            _name, args, at = code[root]
            if done[at]:
                continue
            for a in args:  # _deps_of, inline: most cells read none
                if items[a] is not None:
                    break
            else:
                done[at] = 1
                order.append(root)
                continue
            stack = [(root, iter(deps_of(root)))]
            state[root] = 1
            while stack:
                item, it = stack[-1]
                advanced = False
                for dep in it:
                    if done[dep[1] if len(dep) == 3 else slots[dep[0]][dep[1]]]:
                        continue
                    if state.get(dep) == 1:
                        raise Untranslatable("a circular reference")
                    state[dep] = 1
                    stack.append((dep, iter(deps_of(dep))))
                    advanced = True
                    break
                if not advanced:
                    stack.pop()
                    done[item[1] if len(item) == 3 else slots[item[0]][item[1]]] = 1
                    order.append(item)
        return order

    def evaluate(self, values: dict[str, dict[str, object]],
                 previous: dict[str, dict[str, object]] | None = None) -> dict[tuple[str, str], object]:
        """Every formula cell's value; `previous` (sheet -> {"B7": cached value}) is where circular
        references start iterating from (iteration.start)."""
        vals = self._initial.copy()
        for sheet, coords, ats in self._inputs:
            get = values.get(sheet, _NOTHING).get
            for coord, at in zip(coords, ats):
                vals[at] = get(coord)
        # a range of constant cells as lists of rows, read from its sheet's constants (blank: None);
        # most are one column wide: one list a row, without a loop over the row
        for sheet, ats, blocks in self._blocks:
            get = values.get(sheet, _NOTHING).get
            for at, keys in zip(ats, blocks):
                if keys[0].__class__ is str:  # one row (Blocks.row)
                    vals[at] = [list(map(get, keys))]
                elif len(keys[0]) == 1:
                    vals[at] = [[get(k)] for k, in keys]
                else:
                    vals[at] = [list(map(get, row)) for row in keys]
        forget()
        try:
            with deep_recursion(bool(self.lambdas)):
                for fn, width, args, outs in self._steps:
                    _run(fn, width, args, outs, vals, previous)
        finally:
            forget()
        out = {key: _output(vals[at]) for key, at in zip(self.outputs, self._outputs)}
        # formulas reads a constant error (#N/A typed in a cell) as a formula of its own, so the
        # formulas path lists those cells among its results; so does this one. (The classes of a
        # sheet's constants are gathered at C speed first: most sheets hold no error.)
        for sheet, constants in values.items():
            if XlError in set(map(type, constants.values())):
                for coord, value in constants.items():
                    if value.__class__ is XlError:
                        out.setdefault((sheet, coord), value)
        return out


def _run(fn, width: int, args, outs, vals: list, previous: dict | None) -> None:
    """One run of the program (Plan._program): `fn` on each cell's `width` arguments (read from
    `args` in turn) into its slot in `outs`; or a group of circular references (fn None)."""
    if fn is None:
        _iterate(args, vals, previous or _NOTHING)
        return
    it = iter(args)
    if width == 1:
        for at, a in zip(outs, it):
            vals[at] = fn(vals[a])
    elif width == 2:
        for at, a, b in zip(outs, it, it):
            vals[at] = fn(vals[a], vals[b])
    elif width == 3:
        for at, a, b, c in zip(outs, it, it, it):
            vals[at] = fn(vals[a], vals[b], vals[c])
    else:
        for at, *xs in zip(outs, *[it] * width):
            vals[at] = fn(*[vals[x] for x in xs])


def _iterate(cycle: tuple, vals: list, previous: dict) -> None:
    """One group of circular references (Plan._cycle_step) iterated as Excel does (iteration.py):
    each cell starts from the value the file holds, then passes until none moves by `delta`."""
    starts, body, cells, count, delta = cycle
    for at, sheet, coord in starts:
        vals[at] = start(previous.get(sheet, _NOTHING).get(coord))
    for _pass in range(count):
        before = tuple(vals[a] for a in cells)
        for fn, args, at in body:
            vals[at] = fn(*[vals[a] for a in args])
        if settled(before, tuple(vals[a] for a in cells), delta):
            break


_RUNTIME = {
    "_add_final": _add_final, "_sub_final": _sub_final,
    "_v": _v, "_add": _add, "_sub": _sub, "_mul": _mul, "_div": _div, "_neg": _neg, "_pos": _pos,
    "_pct": _pct, "_concat": _concat, "_eq": _eq, "_ne": _ne, "_lt": _lt, "_le": _le, "_gt": _gt,
    "_ge": _ge, "_cond": _cond, "_and": _and, "_or": _or, "_text_logical": text_logical, "_not": _not,
    "_aggregate": _aggregate,
    "_ifs": _ifs, "_index": _index,
    "_raised": _raised, "_UNSURE": _UNSURE, "_vlookup": _vlookup, "_match": _match,
    "_xlookup": _xlookup, "_ew1": _ew1, "_ew2": _ew2, "_pow": _pow, "_element": _element, "_one": _one,
    "_logical_argument": _logical_argument, "_bridge": _bridge, "_XlError": XlError,
    "_NOTHING": _NOTHING, "_NeedFormulas": NeedFormulas, "_NUM": XlError.NUM, "_VALUE": XlError.VALUE,
}
