"""A workbook's formulas compiled once by `formulas`, evaluated for any workbook that shares them.

Every constant cell is an input of the compiled function and every formula cell an output, so a
workbook with the same fingerprint (same formulas, same cells filled) is evaluated by reading its
constants and calling the function: no parsing, no graph building. The first workbook of a
fingerprint goes through the very same call, so cached and fresh results are identical.
"""
from __future__ import annotations

import contextlib
import functools
import logging
import re
from collections.abc import Callable
from typing import Any

import formulas
import numpy as np
import schedula as sh
from formulas.cell import CellWrapper, InvRangesAssembler, Ref
from formulas.excel import BOOK
from formulas.ranges import Ranges
from formulas.tokens.operand import Error

from ..errors import CircularReferenceError, WorkbookError, first_line
from ..excel import XlError, address
from ..references import cell_box, column_letters
from .bind import from_formulas, input_value, quiet_formulas
from .functions import offset
from .iteration import components
from .model_iteration import CircularGroups
from .recursive_names import circular_names
from .workbook import BOOK_NAME, LoadedWorkbook, defined_texts

quiet_formulas()  # formulas' models draw a progress bar: not in our output

# formulas logs (and swallows) per-cell failures; we report them our own way.
logging.getLogger("formulas").setLevel(logging.CRITICAL)
logging.getLogger("schedula").setLevel(logging.CRITICAL)

_PREFIX = f"'[{BOOK_NAME}]"
_FORMULAS_VALUE = Error.errors["#VALUE!"]


def _split(node: str) -> tuple[str, str]:
    """"'[ROI.XLSX]SHEET'!A1" -> ("SHEET", "A1"). formulas shortens a node's name when it
    reaches the sheet's last row or column ("XFD12" is "12", "A1:XFD3" "A1:3"); the A1 text
    then comes from the bounds formulas keeps for the node's cell."""
    sheet, _, ref = node.rpartition("!")
    if not sheet.startswith(_PREFIX):
        raise ValueError(node)
    return sheet[len(_PREFIX):-1].replace("''", "'"), ref


def _located(model) -> dict[str, tuple[str, str]]:
    """Every cell node of the model -> (SHEET, A1 reference), from the cell's own bounds."""
    found = {}
    for cell in model.cells.values():
        if isinstance(cell, Ref) or cell.range is None:
            continue
        sheet, ref = _split(cell.output)
        r = cell.range.ranges[0]
        first, last = f"{r['c1']}{r['r1']}", f"{r['c2']}{r['r2']}"
        found[cell.output] = sheet, first if first == last else f"{first}:{last}"
    return found


def _cells_of(ref: str):
    """Every cell of an A1 range, row by row, as (row offset, col offset, 'B7')."""
    min_col, min_row, max_col, max_row = cell_box(ref)
    for r in range(min_row, max_row + 1):
        for c in range(min_col, max_col + 1):
            yield r - min_row, c - min_col, f"{column_letters(c)}{r}"


class _OneBookModel(formulas.ExcelModel):
    """`formulas`' model, reading sheets whose names hold a quote, and never opening another file:
    `formulas` would load a workbook named by an external reference (`'[other.xlsx]Sheet1'!A1`,
    `[1]Sheet1!A1`) from the current folder or any path. Refused here, such a reference gets
    #REF! (formulas' own answer for a book it cannot load)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unreadable: list[str] = []  # warnings: formulas given #VALUE! as they cannot be read

    def add_book(self, book=None, context=None, data_only=False):
        if isinstance(book, str) and book.upper() != BOOK_NAME:
            raise WorkbookError(f"external workbook {book} is not opened")
        return super().add_book(book, context, data_only)

    def compile(self, inputs, outputs):
        """formulas' own compile (formulas/excel/__init__.py, 1.3.4), except that a value computed
        while compiling may be a LAMBDA (no `.value`): formulas raised AttributeError there; and
        the data nodes are listed once (`dsp.data_nodes` builds a new dict at every call: 63 s for
        FLOOR_CEILING.xlsx's 3,201 formulas without inputs)."""
        dsp = self.dsp.shrink_dsp(inputs=inputs, outputs=outputs)
        inp = set(inputs)
        for i in inputs:
            inp.update(dsp.nodes.get(i, {}).get("inv-data", ()))
        dsp.default_values = {k: v for k, v in dsp.default_values.items() if k not in inp}
        res = dsp()
        # A formula computed here, before any constants are given, that read this workbook's constant
        # cells while it ran (an OFFSET with offsets that need no cell, =SUM(OFFSET(B2,0,0,ROWS(A1:A3)))
        # holds this workbook's values: such a model is not shared with another workbook.
        pred = self.dsp.dmap.pred
        self.folded_constant_reads = any(isinstance(f, str) and offset.CALL_NAME + "(" in f
                                         for k in res for f in pred.get(k, ()))
        dsp = dsp.get_sub_dsp_from_workflow(outputs, graph=dsp.dmap, reverse=True, blockers=res,
                                            wildcard=False)
        data_nodes = dsp.data_nodes
        for k, v in res.items():
            if k in data_nodes and k not in dsp.default_values:
                dsp.set_default_value(k, getattr(v, "value", v))
        return self.compile_class(dsp=dsp, function_id=self.dsp.name, inputs=inputs, outputs=outputs)

    def push(self, worksheet, context):
        """formulas' own push (formulas/excel/__init__.py, 1.3.4) over the cells the sheet holds,
        row by row as before: iter_rows() walked (and created) every cell of the sheet's
        dimension, 393,000 blank ones for a formula in XFD12 (15 s to compile nothing)."""
        worksheet, context = self.add_sheet(worksheet, context)
        references = self.references
        formula_references = self.formula_references(context)
        formula_ranges = self.formula_ranges(context)
        ctx = {"external_links": self.external_links(context)}
        ctx.update(context)
        cells = [self._compile_or_error(c, ctx, references, formula_references, worksheet.title)
                 for _, c in sorted(worksheet._cells.items()) if c.value is not None]
        for cell in cells:
            self.add_cell(sh.await_result(cell), ctx, formula_ranges)
        return self

    def _compile_or_error(self, cell, ctx, references, formula_references, sheet: str):
        """A formula formulas cannot parse (=#VALUE! #VALUE!, a syntax it lacks) costs its own
        cell #VALUE! and a warning, not the workbook."""
        try:
            return sh.await_result(self.compile_cell(cell, ctx, references, formula_references))
        except Exception:  # noqa: BLE001 - formulas' parser raises several kinds
            if cell.data_type != "f":
                raise
            crd = formula_references.get(cell.coordinate, cell.coordinate)
            self.unreadable.append(f"{address(sheet, cell.coordinate)}: the engine cannot read "
                                   "this formula (the cell gets #VALUE!)")
            return self._compile_cell(crd, "=#VALUE!", ctx, True, references)

    def add_sheet(self, worksheet, context):
        # a range's sheet arrives as written in a reference, quotes doubled (O''BRIEN)
        if isinstance(worksheet, str):
            worksheet = worksheet.replace("''", "'")
        return super().add_sheet(worksheet, context)


class CompiledWorkbook:
    def __init__(self, loaded: LoadedWorkbook):
        model = _OneBookModel()
        model.books = {BOOK_NAME: {BOOK: loaded.book}}
        try:
            model.load(BOOK_NAME)
            model.finish()
        except Exception as exc:  # formulas' own parse/build failures
            _raise_interrupt(exc)
            raise WorkbookError(f"cannot build the formula model: {_plain(exc)}") from exc
        _guard_formulas(model)
        self.warnings = list(model.unreadable)
        cells = model.cells.values()
        self.inputs = [c.output for c in cells
                       if not isinstance(c, Ref) and c.func is None and c.value is not sh.EMPTY]
        self.outputs = [c.output for c in cells if not isinstance(c, Ref) and c.func is not None]
        where = _located(model)
        # Cells in a self-reference Excel tolerates (see _maybe_not_a_cycle) cannot be computed by
        # formulas: they show #VALUE!, and the rest of the workbook is computed as usual. A workbook
        # that enables iterative calculation has its circular groups iterated instead.
        lazy, groups = _raise_on_cycles(model, set(self.outputs), loaded.iteration is not None)
        self.cycles: CircularGroups | None = None
        compiled_outputs = self.outputs = [n for n in self.outputs if n not in lazy]
        if groups:
            assert loaded.iteration is not None
            order = {name.upper(): i for i, name in enumerate(loaded.book.sheetnames)}
            self.cycles = CircularGroups(model.dsp, groups, set(self.outputs), self.inputs,
                                         lambda node: _position(order, *where[node]), loaded.iteration)
            circular = set(self.cycles.cells)
            compiled_outputs = [n for n in self.outputs if n not in circular] + self.cycles.frontier
            self.outputs = [n for n in self.outputs if n not in circular] + self.cycles.cells
        self.uncomputed = [where[n] for n in sorted(lazy)]
        self._spills: dict[str, np.ndarray] = {}
        for node in self.outputs:
            if ":" not in node:
                _capture_spills(model.dsp.nodes[node], self._spills, node)
        self.input_cells = [where[n] for n in self.inputs]
        self.output_refs = [where[n] for n in self.outputs]
        self.shared = True
        self._function: Callable[..., Any]
        if not self.outputs:
            self._function = lambda *args: []
            return
        try:
            with _cell_values(loaded):
                cut = self.cycles.cells if self.cycles is not None else []  # each loop cut at its cells
                self._function = model.compile(self.inputs + cut, compiled_outputs)
        except Exception as exc:
            _raise_interrupt(exc)
            names = circular_names(defined_texts(loaded))  # which schedula refuses wordlessly
            if names:
                raise CircularReferenceError([f"the names {', '.join(names)}"]) from exc
            raise WorkbookError(f"cannot compile the formulas: {_plain(exc)}") from exc
        self.shared = not model.folded_constant_reads
        # Formulas without inputs (=SEQUENCE(3)) are computed once, while compiling: keep their arrays.
        self._constant_spills = dict(self._spills)

    def evaluate(self, loaded: LoadedWorkbook,
                 previous: dict[str, dict[str, object]] | None = None) -> dict[tuple[str, str], object]:
        """Computed value of every formula cell (and spilled cell), keyed (sheet name, 'B7');
        `previous` (sheet -> {"B7": cached value}) is where circular references start iterating."""
        args = [input_value(loaded.sheet(sheet)[coord]) for sheet, coord in self.input_cells]
        self._spills.clear()
        with _cell_values(loaded):
            if self.cycles is None:
                raw = self._function(*args)
                if len(self.outputs) == 1:
                    raw = [raw]  # schedula returns a lone output bare
            else:
                raw = self._iterated(loaded, args, previous or {})
        self._spills.update(getattr(self, "_constant_spills", {}))
        values: dict[tuple[str, str], object] = {
            (loaded.sheet_name(sheet), ref): XlError.VALUE for sheet, ref in self.uncomputed}
        for node, (sheet_upper, ref), result in zip(self.outputs, self.output_refs, raw):
            sheet = loaded.sheet_name(sheet_upper)
            grid = self._spills.get(node)
            grid = _grid(result) if grid is None else grid
            if ":" in ref:  # an array formula (CSE) fills its declared range
                for dr, dc, coord in _cells_of(ref):
                    values[(sheet, coord)] = _cell_value(grid, dr, dc, default=XlError.NA)
            else:
                values[(sheet, ref)] = _cell_value(grid, 0, 0)
                if grid.shape != (1, 1):
                    _spill(values, loaded, sheet, ref, grid)
        return values

    def _iterated(self, loaded: LoadedWorkbook, args: list, previous: dict) -> list:
        """The outputs with the circular groups iterated (model_iteration.py)."""
        assert self.cycles is not None
        cycles, function = self.cycles, self._function
        expected = len(self.outputs) - len(cycles.cells) + len(cycles.frontier)

        def compute(circular: list) -> list:
            if not expected:  # every formula cell is in a loop reading only constants
                return []
            out = function(*args, *circular)
            return [out] if expected == 1 else list(out)

        where = dict(zip(self.outputs, self.output_refs))
        first = {}
        for cell in cycles.cells:
            sheet, ref = where[cell]
            first[cell] = previous.get(loaded.sheet_name(sheet), {}).get(ref.partition(":")[0])
        constants = dict(zip(self.inputs, args))
        return cycles.solve(compute, constants, first, _plain_value)


@contextlib.contextmanager
def _cell_values(loaded: LoadedWorkbook):
    """Let OFFSET with computed offsets read this workbook's constant cells while it runs."""
    def value(sheet: str, row: int, col: int):
        ws = loaded.book[loaded.sheet_name(sheet.upper())] if sheet.upper() in loaded._by_upper \
            else None
        cell = ws._cells.get((row, col)) if ws is not None else None
        if cell is None or cell.value is None:
            return sh.EMPTY
        if cell.data_type == "f":
            return _FORMULAS_VALUE  # a computed cell: not readable here (see functions/offset.py)
        return input_value(cell)

    token = offset.CELL_VALUES.set(value)
    try:
        yield
    finally:
        offset.CELL_VALUES.reset(token)


class _GuardedCell(CellWrapper):
    """A formula whose evaluation raises (formulas: "Broadcast is not implemented", ...) gives
    #VALUE! in its cell, as formulas' own calculate() lets it vanish, instead of breaking the
    compiled function of the whole workbook."""

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except Exception as exc:
            # schedula wraps what a nested dispatch raised: an interrupt (Ctrl-C, a batch being
            # stopped) must still stop the run, not become #VALUE!.
            interrupt = _interrupt_in(exc)
            if interrupt is not None:
                raise interrupt from exc
            return np.asarray([[_FORMULAS_VALUE]], object)


def _raise_interrupt(exc: BaseException) -> None:
    interrupt = _interrupt_in(exc)
    if interrupt is not None:
        raise interrupt from None


def _interrupt_in(exc: BaseException, depth: int = 0):
    """A KeyboardInterrupt/SystemExit, or a MemoryError (the worker's budget: the workbook's
    failure, not a cell's), anywhere in an exception's chain (.ex, cause, context)."""
    if exc is None or depth > 20:
        return None
    if not isinstance(exc, Exception) or isinstance(exc, MemoryError):
        return exc
    for inner in (getattr(exc, "ex", None), exc.__cause__, exc.__context__):
        if isinstance(inner, BaseException):
            found = _interrupt_in(inner, depth + 1)
            if found is not None:
                return found
    return None


def _guard_formulas(model) -> None:
    for node in model.dsp.function_nodes.values():
        if type(node.get("function")) is CellWrapper:
            node["function"].__class__ = _GuardedCell


def _capture_spills(node_attrs: dict, spills: dict, node: str) -> None:
    """Keep a single-cell formula's whole array result aside before `formulas` trims it to the
    cell (dependents still see only the anchor value, as in Excel; the rest is written out)."""
    filters = node_attrs.get("filters") or []
    node_attrs["filters"] = [functools.partial(_keep_array, spills, node)] + list(filters)


def _keep_array(spills: dict, node: str, value):
    array = value.value if isinstance(value, Ranges) else value
    if isinstance(array, np.ndarray) and array.ndim == 2 and array.shape != (1, 1):
        spills[node] = np.array(array, dtype=object)
    else:
        spills.pop(node, None)
    return value


def _position(order: dict[str, int], sheet: str, ref: str) -> tuple:
    """Where Excel's passes reach a cell: sheet order, then row, then column."""
    min_col, min_row, _, _ = cell_box(ref)
    return order.get(sheet, len(order)), min_row, min_col


def _plain_value(value):
    """A node's value as the engine's value (to compare two passes)."""
    return _cell_value(_grid(value), 0, 0)


def _grid(result) -> np.ndarray:
    value = result.value if isinstance(result, Ranges) else result
    if not isinstance(value, np.ndarray):
        value = np.asarray([[value]], object)
    if value.ndim == 1:
        value = value.reshape(1, -1)
    return value


def _cell_value(grid: np.ndarray, r: int, c: int, default=None):
    if r >= grid.shape[0] or c >= grid.shape[1]:
        # Excel pads a too-small array result with #N/A, except a single value fills it all.
        if grid.shape == (1, 1):
            r = c = 0
        else:
            return default
    value = from_formulas(grid[r, c])
    if value is None:
        return 0.0  # a formula pointing at a blank shows 0, as in Excel
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, float) and not np.isfinite(value):
        return XlError.NUM
    return value


def _spill(values, loaded: LoadedWorkbook, sheet: str, anchor: str, grid: np.ndarray) -> None:
    """An array result of a single-cell formula spills into the cells below and to the right,
    as in Excel 365; a non-empty cell in the way makes the anchor #SPILL!."""
    ws = loaded.book[sheet]
    min_col, min_row, _, _ = cell_box(anchor)
    targets = []
    for r in range(grid.shape[0]):
        for c in range(grid.shape[1]):
            if r == 0 and c == 0:
                continue
            coord = f"{column_letters(min_col + c)}{min_row + r}"
            if ws._cells.get((min_row + r, min_col + c)) is not None and \
                    ws._cells[(min_row + r, min_col + c)].value is not None:
                values[(sheet, anchor)] = XlError.SPILL
                return
            targets.append((coord, r, c))
    for coord, r, c in targets:
        values[(sheet, coord)] = _cell_value(grid, r, c)


def _raise_on_cycles(model, formula_nodes: set[str], iterating: bool = False) -> tuple[set[str], list[set]]:
    """Find strongly connected groups of cells (iteration.components) and report the first; return
    the formula cells of the groups Excel does not call circular, and of those depending on them,
    and (when the workbook iterates, where no group is refused) the circular groups, in order.

    The edges from a range back to its cells (InvRangesAssembler) and from a defined name back
    to the cell it names (formulas' inverse references) are not dependencies and are left out.
    """
    names = {c.output for c in model.cells.values() if isinstance(c, Ref)}
    skip = {k for k, n in model.dsp.function_nodes.items()
            if isinstance(n.get("function"), InvRangesAssembler)
            or _is_name_inverse(n, names)}
    succ = {k: [c for c in v if c not in skip] for k, v in model.dsp.dmap.succ.items() if k not in skip}
    lazy: set[str] = set()
    groups: list[set] = []
    for group in components(list(succ), lambda node: succ.get(node, ())):
        cells = sorted(n for n in group if n in formula_nodes)
        if len(group) > 1 and cells:
            if iterating:
                groups.append(set(group))
                continue
            if not _maybe_not_a_cycle(model, cells):
                raise CircularReferenceError([_shown(model, n) for n in cells])
            lazy.update(cells)
    groups.reverse()  # components() lists a group before those it reads (succ edges point onward)
    return (_downstream(succ, lazy) & formula_nodes if lazy else set()), groups


def _downstream(succ: dict, start: set) -> set:
    seen, todo = set(start), list(start)
    while todo:
        for child in succ.get(todo.pop(), ()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


# Functions that can refer to their own cell without needing its value (=ROW(A1:C1) in B1,
# =CELL("col",A8:C8) in B8), or that evaluate only one branch (=CHOOSE(2,B40,"x") in B40): Excel
# reports no circular reference for them, so neither do we. (IF is left out: real circular models
# use it.)
_LAZY_OR_REFERENCE_ONLY = re.compile(
    r"\b(?:CELL|ISREF|ISFORMULA|FORMULATEXT|ROW|COLUMN|ROWS|COLUMNS|CHOOSE|INDIRECT|OFFSET)\(",
    re.IGNORECASE)


def _maybe_not_a_cycle(model, cells: list[str]) -> bool:
    texts = [str(model.dsp.dmap.pred.get(c, {}) and next(iter(model.dsp.dmap.pred[c]))) for c in cells]
    return any(_LAZY_OR_REFERENCE_ONLY.search(t) for t in texts)


def _is_name_inverse(node: dict, names: set) -> bool:
    return node.get("function") is sh.bypass and bool(node.get("inputs")) \
        and all(i in names for i in node["inputs"])


def _shown(model, node: str) -> str:
    sheet, ref = _located(model).get(node) or _split(node)
    names = {name.upper(): name for name in model.books[BOOK_NAME][BOOK].sheetnames}
    return address(names.get(sheet, sheet), ref)


def _plain(exc: BaseException) -> str:
    """formulas' and schedula's own messages ('is_reference', "Unreachable output-targets: ...")
    say nothing to a user: those are named as what they are."""
    if isinstance(exc, (KeyError, IndexError, AttributeError, TypeError)) \
            or "Unreachable output-targets" in str(exc):
        return "a formula the engine does not handle (run with --debug for the details)"
    if not str(exc).strip():  # formulas' InvalidRangeName says only its class's name
        return "a cell or reference the engine cannot place (run with --debug for the details)"
    return first_line(exc)
