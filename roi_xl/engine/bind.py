"""The catalogue bound into `formulas`: values converted both ways at the border.

`formulas` hands a custom function 2-D numpy object arrays (a single cell is 1x1), blanks as
`schedula.EMPTY`, errors as its own XlError and an omitted argument as a typed 0 (which the
rewrite step replaces by a marker). The catalogue speaks `roi_xl.excel`'s value model.
"""
from __future__ import annotations

import datetime as _dt
import functools

import numpy as np
import schedula as sh
from formulas.functions import Array, wrap_func
from formulas.tokens.operand import Error
from formulas.tokens.operand import XlError as FormulasError

from .. import registry
from ..excel import OMITTED, XlError, date_to_serial
from .excel_functions import install as install_excel_functions
from .formulas_args import plan_value
from .function_table import get_functions
from .lambdas import call_lambdas_in_place
from .operators import install_operators
from .rewrite import OMITTED_MARKER


def from_formulas(value, argument: bool = True):
    """One value from `formulas` in the catalogue's value model (ranges become lists of rows).

    The omitted-argument marker means OMITTED only as a whole argument (where the rewrite puts it);
    inside a range it is a cell's text like any other."""
    if isinstance(value, np.ndarray):
        if value.size == 1:
            return from_formulas(value.reshape(-1)[0], argument)
        if value.ndim == 1:
            return [from_formulas(v, False) for v in value]
        return [[from_formulas(v, False) for v in row] for row in value]
    if argument and isinstance(value, str) and value == OMITTED_MARKER:
        return OMITTED
    return plan_value(value)


def to_formulas(value):
    """A catalogue result as `formulas` stores a cell value (a 2-D object array)."""
    if isinstance(value, list):
        return np.asarray([[_scalar_to_formulas(v) for v in row] for row in value], object).view(Array)
    return np.asarray([[_scalar_to_formulas(value)]], object)


def _scalar_to_formulas(value):
    if isinstance(value, XlError):
        return Error.errors.get(value.value) or FormulasError(value.value)
    return value


def _adapter(fn: registry.ExcelFunction):
    @functools.wraps(fn.body)
    def call(*args):
        return to_formulas(fn(*(from_formulas(a) for a in args)))
    return call


@functools.cache
def quiet_formulas() -> None:
    """`formulas` draws a tqdm progress bar on stderr each time it builds a model: one stray bar
    per compile in every caller's output. Give its own module reference a silent one."""
    import formulas.excel as fx

    class _Silent:
        total = 0

        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def update(self, *args, **kwargs):
            return None

        def refresh(self, *args, **kwargs):
            return None

        def close(self):
            return None

    class _Module:
        tqdm = _Silent

    if getattr(fx, "tqdm", None) is not None:
        fx.tqdm = _Module  # only formulas.excel's own reference; tqdm itself is untouched


@functools.cache
@functools.cache
def quote_sheet_ids() -> None:
    """`formulas` names a cell of sheet O'Brien `'[BOOK]O'BRIEN'!A1`, with the quote not doubled,
    and cannot parse that name back: every reference to such a sheet became #REF!. Double it, as
    Excel writes it (model._split undoes it)."""
    from formulas.tokens import operand

    original = operand._build_sheet_id

    def build(sheet="", directory="", filename="", **kw):
        built = original(sheet, directory, filename, **kw)
        name = sheet.replace("''", "'").upper()
        if "'" not in name or (filename and operand._re_build_id.match(filename)):
            return built
        if filename:  # "'dir/[file]NAME'"
            return built[: len(built) - len(name) - 1] + name.replace("'", "''") + "'"
        return "'" + name.replace("'", "''") + "'"

    operand._build_sheet_id = build


@functools.cache
def name_last_column_cells() -> None:
    """`formulas` names a reference by its corners, leaving out a corner's column when it is XFD and
    its row when it is 1048576, as in whole columns (A:A) and rows (1:3). Done to cells, cell XFD1
    was named "1" (#NAME?) and XFD1:XFD10 "1:10", rows 1 to 10: a false circular reference in A1
    (issue 19, item 7). A corner that has both keeps both, and so does the second corner then."""
    from formulas.tokens import operand

    shortened = operand._build_cel

    def whole(c, r):
        return c, str(r and int(r) or "")

    def build_ref(c1, r1, c2, r2, anchor=""):
        c1, r1 = whole(c1, r1)
        v1, v2 = f"{c1}{r1}{anchor}", "{}{}".format(*(whole if c1 and r1 else shortened)(c2, r2))
        if c1 and r1 and (c1, r1) == whole(c2, r2):
            return v1
        if v1 == v2 or anchor:  # as formulas' own: not a range it names
            raise ValueError
        return f"{v1}:{v2}"

    operand._build_cel = whole
    operand._build_ref = build_ref


@functools.cache
def undefined_names_as_name_errors() -> None:
    """`formulas` gives a name that is neither defined nor a reference (=HELLO) #REF! (#NAME? only
    when it carries a book id). Excel gives #NAME?. A cell reaches _missing_ref only for such a
    name: defined names (even one whose target is #REF!) are references and keep their value."""
    from formulas.cell import Cell

    name_error = Error.errors["#NAME?"]

    def missing_ref(self, inp, k):
        key = name_error if self.replace_missing_ref else k
        sh.get_nested_dicts(inp, key, default=list).append(k)

    Cell._missing_ref = missing_ref


def bind_catalogue() -> frozenset[str]:
    """Register every catalogue function in formulas' shared function table (once per process)."""
    quote_sheet_ids()
    name_last_column_cells()
    undefined_names_as_name_errors()
    call_lambdas_in_place()
    install_operators()
    install_excel_functions()
    table = get_functions()
    for fn in registry.functions():
        table[fn.name] = wrap_func(_adapter(fn))
    return frozenset(registry.CATALOGUE)


def is_ours(name: str) -> bool:
    return name in registry.CATALOGUE


_PARSED = {"LET", "LAMBDA"}  # formulas' parser reads these itself: they are in no function table


def is_known(name: str) -> bool:
    """Whether `formulas` (with our catalogue bound) can evaluate a function of this name."""
    table = get_functions()
    bare = name.replace("_XLFN.", "").replace("_XLWS.", "")
    return name in table or bare in table or bare in _PARSED


def input_value(cell):
    """A constant cell's value as `formulas` expects it, the same on every path.

    Numbers are kept exactly as stored: Excel writes 17 significant digits and reads them back
    unchanged, where formulas' own loader rounds to 15 decimals (1e-307 would become 0)."""
    value = cell.value
    if cell.data_type == "e":
        return Error.errors.get(str(value).upper(), value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return date_to_serial(value)
    if isinstance(value, _dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    return value
