"""One workbook's computed values: by its template's translated plan, else by the formulas model.

The plan (fastcalc.Plan) is the engine of record from the first workbook of each formula key
(fastbook.read) on: the facts of that workbook the fast reader parsed (fastbook.facts, no openpyxl)
go through the rewrite steps (prepare.prepare_book), whose formula texts are translated into a
plan, kept per key, and evaluated on the constants the fast reader found. Neither openpyxl's
workbook nor a formulas model is built for a workbook the plan expresses.

The formulas model computes a workbook only when the plan cannot: the template does not translate
(Untranslatable: an array formula, an unknown function...), this workbook's values need what the
plan does not model (NeedFormulas: an array result that spills), the plan fails on them, or the fast
reader refuses the file. `Computed.note` says which (the batch shows it under --debug; `reason_of`
gives it without the cell, for counting). Nothing compares the two at run time:
tests/conformance/test_plan_vs_formulas.py and tests/engine/test_fastpath.py do.
"""
from __future__ import annotations

import contextlib
import gc
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import FastReadError, NeedFormulas, OutOfMemory, Untranslatable, WorkbookError, first_line
from ..references import destination
from ..xlsx.guard import Limits, checked
from ..xlsx.input_zip import InputZip
from ..xlsx.read import cached_formula_values
from . import fastbook, fastcalc
from .cache import ModelCache
from .plan_store import PlanStore
from .prepare import prepare_book
from .recursive_names import named_lambdas, self_calling

if TYPE_CHECKING:
    from .workbook import LoadedWorkbook

_PLANS_KEPT = 32


@dataclass
class _Entry:
    plan: fastcalc.Plan | None
    reason: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class Computed:
    cells: dict                      # (sheet, "B7") -> value, as CompiledWorkbook.evaluate gives
    warnings: list[str]
    fast: bool                       # computed by the fast plan
    note: str = ""                   # why not, when not
    loaded: LoadedWorkbook | None = None
    book: fastbook.FastBook | None = None
    # The input as the guard opened it, which the reader read and the writer copies (close())
    opened: InputZip | None = field(default=None, repr=False)

    def write(self, src: Path, dst: Path, values_only: bool = False) -> None:
        """A copy of the workbook `src` at `dst` carrying these values (writer.write_values);
        WorkbookError when its parts cannot be edited, OSError when `dst` cannot be written."""
        from lxml import etree

        from ..xlsx.writer import write_values

        opened = self.opened if self.opened is not None and self.opened.path == Path(src) else None
        try:
            write_values(src, dst, self.cells, values_only=values_only,
                         parsed=self.book.parts if self.book is not None else None,
                         lean=self.book.lean if self.book is not None else (), opened=opened)
        except (KeyError, ValueError, TypeError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
            raise WorkbookError(f"cannot write the recalculated copy: {first_line(exc)}") from exc

    def close(self) -> None:
        """Close the input the guard opened (once written: the writer copies it)."""
        if self.opened is not None:
            self.opened.close()

    def named(self) -> dict[str, object]:
        """The template's named summary figures (roi_xl.summary.read_named)."""
        from ..summary import read_named

        if self.loaded is not None:
            return read_named(self.loaded.book, self.cells)
        assert self.book is not None  # computed by the plan, from the fast reader's book
        return read_named(_BookView(self.book), self.cells)


def compute(path: str | Path, cache: ModelCache, *, limits: Limits | None = None,
            fast: bool = True, store: PlanStore | None = None) -> Computed:
    """Every formula cell's value; raises WorkbookError as workbook.load does, or when the guard
    (roi_xl.xlsx.guard, run before any reader opens the file) refuses it under `limits`. `store` keeps
    plans on disk between runs (plan_store.py): a template known there skips the full load."""
    path = Path(path)
    opened, notes = checked(path, limits or Limits())
    try:
        computed = _guarded(path, opened, cache, fast, store)
    except BaseException:
        opened.close()
        raise
    computed.opened = opened
    computed.warnings[:0] = notes
    return computed


def _guarded(path: Path, opened: InputZip, cache: ModelCache, fast: bool, store: PlanStore | None
             ) -> Computed:
    """_compute, whatever it raises but a WorkbookError made one (a MemoryError: OutOfMemory)."""
    out_of_memory = False
    try:
        with _rare_collections():
            computed = _compute(path, opened, cache, fast, store)
    except WorkbookError:
        raise
    except MemoryError:  # past the budget (roi_xl.memory)
        out_of_memory = True
    except RecursionError as exc:
        raise WorkbookError("formulas nested too deeply for the engine") from exc
    except Exception as exc:  # noqa: BLE001 - whatever a reader or the engine raises: one plain line
        raise WorkbookError("the engine cannot recalculate it (an internal error; run with --debug "
                            "for the details)") from exc
    if out_of_memory:  # raised here, once the MemoryError and the frames holding the memory are gone
        raise OutOfMemory("ran out of memory while recalculating it")
    return computed


# Allocations between two collections of the youngest generation while a workbook is computed
# (Python's default: 700). A plan's build allocates millions of small objects that live on, so at
# the default the collector ran about 2,000 times on a 50,000-formula workbook, ten of them over
# every object (1.7 s of 15); its cycles are few, so collecting rarely costs little memory.
_COLLECT_EVERY = 100_000


@contextlib.contextmanager
def _rare_collections():
    """The cyclic garbage collector run rarely while one workbook is computed (_COLLECT_EVERY)."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], _COLLECT_EVERY), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _compute(path: Path, opened: InputZip, cache: ModelCache, fast: bool, store: PlanStore | None
             ) -> Computed:
    book, note = None, ""
    plans = cache.fast_plans
    if fast:
        try:
            book = fastbook.read(opened)
        except (MemoryError, WorkbookError):  # the worker's budget, a damaged workbook (a cell past
            raise                             # the sheet): the other path would only fail again
        except Exception as exc:  # noqa: BLE001 - the full load reports a bad file properly
            note = f"fast reader: {type(exc).__name__}: {exc}"
    loaded, translated = None, False
    if book is not None:
        entry = plans.get(book.key)
        new = entry is None
        if new:
            entry = _stored_entry(store, book.key)
        if entry is None:
            entry, translated = _plan_entry(book), True
        if new:
            plans[book.key] = entry
            while len(plans) > _PLANS_KEPT:
                plans.popitem(last=False)
        else:
            plans.move_to_end(book.key)
        opened.drop_package()  # read: its trees need not outlive the evaluation
        if entry.plan is None:
            note = entry.reason
        else:
            try:
                cells = entry.plan.evaluate(
                    book.values, cached_formula_values(book) if entry.plan.cycles else None)
                if translated and store is not None:  # new, and it computed a workbook
                    store.write(book.key, entry.plan, entry.warnings)
                return Computed(cells, list(entry.warnings), True, book=book)
            except NeedFormulas as exc:
                note = f"fast plan: {exc}"
            except MemoryError:
                raise
            except Exception as exc:  # noqa: BLE001 - a surprise on these values: formulas decides
                note = f"fast plan: {type(exc).__name__}: {exc}"
    if loaded is None:
        from .workbook import load  # openpyxl and the formulas model: only when the plan cannot

        loaded = load(path)
    model = cache.get(loaded)
    cells = model.evaluate(loaded, _file_values(opened, book) if model.cycles is not None else None)
    warnings = list(loaded.warnings) + model.warnings
    recursive = self_calling(_lambdas(loaded))
    if recursive:
        warnings.append(f"the named LAMBDA {', '.join(recursive)} calls itself, which roi-xl "
                        "computes only with its translated plan, and this workbook needs the formulas "
                        f"engine ({reason_of(note) or 'fast reader off'}): cells calling it get #VALUE!")
    return Computed(cells, warnings, False, note, loaded=loaded, book=book)


def _file_values(opened: InputZip, book: fastbook.FastBook | None) -> dict[str, dict[str, object]]:
    """The values the file holds for its formula cells, where circular references start iterating:
    from the fast reader's parts (read here when it was not used); none if it cannot read them."""
    if book is None:
        try:
            book = fastbook.read(opened)
        except Exception:  # noqa: BLE001 - a file only openpyxl reads: the loop starts from blanks
            return {}
    return cached_formula_values(book)


def _stored_entry(store: PlanStore | None, key: str) -> _Entry | None:
    """The plan kept on disk for `key`, translated again from its stored formula texts."""
    stored = store.read(key) if store is not None else None
    if stored is None:
        return None
    try:
        plan = fastcalc.Plan(stored["formulas"], stored["sheets"], stored["names"],
                             stored["defined"], stored["arrays"], stored["iteration"], stored["lambdas"])
    except Exception:  # noqa: BLE001 - written by another build of the translation: ignored
        return None
    return _Entry(plan, "", stored["warnings"])


def _plan_entry(book: fastbook.FastBook) -> _Entry:
    """The template's plan, translated from the workbook's prepared formulas; or why there is none.

    The facts the rewrite steps read come from the trees the fast reader parsed (no openpyxl);
    the fast reader's values and parsed parts then serve the evaluation and the writing. A
    workbook the plan cannot express is loaded with openpyxl for formulas."""
    try:
        facts = fastbook.facts(book)
    except FastReadError as exc:
        return _Entry(None, f"fast reader: {exc}")
    prepared = prepare_book(facts)
    names = {}  # the names that point at one cell or range
    for name, target in prepared.names.items():
        found = destination(target)
        if found is not None:
            names[name] = (found[0], found[1].replace("$", ""))
    arrays = [(sheet, coord, (ref or coord).replace("$", "")) for (sheet, coord), ref in facts.arrays.items()]
    made_of = (prepared.formulas, facts.sheets, names, list(prepared.names), arrays, book.iteration,
               named_lambdas(prepared.names))
    warnings = prepared.warnings
    del facts, prepared
    try:
        plan = fastcalc.Plan(*made_of)
    except Untranslatable as exc:
        return _Entry(None, f"fast plan off: {exc}")
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - e.g. a formula nested deeper than Python compiles
        return _Entry(None, f"fast plan off: {type(exc).__name__}: {exc}")
    return _Entry(plan, "", warnings)


_WHERE = re.compile(r"(?:'(?:[^']|'')+'|[^\s!:']+)!\$?[A-Z]{1,3}\$?[0-9]+: | on sheet .*$")
_QUOTED = re.compile(r"'(?:[^']|'')*'?")


def reason_of(note: str) -> str:
    """A fallback's note without where it happened (cell, sheet, formula text): what to count by.
    "fast plan off: Plan!B7: unknown function FOO" -> "fast plan off: unknown function FOO"."""
    return _QUOTED.sub("'…'", _WHERE.sub("", note))


def same_value(a, b) -> bool:
    """Identical cell values: same type and value (NaN equal to NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def _lambdas(loaded: LoadedWorkbook) -> dict[str, str]:
    """The workbook-level names holding a LAMBDA (recursive_names.py)."""
    from .workbook import defined_texts  # openpyxl's side: imported only when it is used

    return named_lambdas(defined_texts(loaded))


class _Cell:
    def __init__(self, value, data_type: str, number_format: str):
        self.value, self.data_type, self.number_format = value, data_type, number_format


class _SheetView:
    def __init__(self, book: fastbook.FastBook, sheet: str):
        self._book, self._sheet = book, sheet

    def __getitem__(self, coord: str) -> _Cell:
        coord = coord.upper()
        values = self._book.values.get(self._sheet, {})
        return _Cell(values.get(coord), "n", self._book.number_format(self._sheet, coord))


class _NameView:
    """A defined name as read_named reads it: the one reference it holds, if it is one."""

    def __init__(self, text: str):
        found = destination(text)
        self.destinations = [found] if found is not None else []


class _BookView:
    """What summary.read_named reads of an openpyxl workbook, from the fast reader's findings:
    workbook-level defined names, sheet names, and each cell's constant and number format."""

    def __init__(self, book: fastbook.FastBook):
        self._book = book
        self.sheetnames = list(book.sheets)
        self.defined_names = {name: _NameView(text) for name, local, text in book.names if local is None}

    def __getitem__(self, sheet: str) -> _SheetView:
        return _SheetView(self._book, sheet)
