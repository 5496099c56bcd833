"""Write computed values back into the user's own workbook, leaving everything else as it was.

openpyxl's load-and-save loses charts' styles, shapes, `x14` conditional formats, dynamic-array
metadata and every cached value, so the output is made from the input zip instead:

* every member is copied with the same name, order, compression type and uncompressed bytes
  (zipcopy.write_zip);
* only the sheet parts that hold a listed cell are edited, and in them only the listed cells
  change: their cached value `<v>` and its type `t` (cells.encode); `<f>` stays unless
  ``values_only`` freezes the formulas. In a part the reader scanned (cell_scan) those bytes are
  written into the part's own bytes when the cells are plainly there (cell_bytes.write_part);
  otherwise the part is edited with lxml (ElementTree would rename the namespace prefixes that
  `mc:Ignorable` names) and the new `<sheetData>` spliced into the original bytes, so the XML
  declaration, the root start tag and everything outside the cells stay byte for byte
  (sheet_edit.SheetEdit);
* `xl/calcChain.xml` is dropped with its relationship and its content-type override (Excel
  rebuilds it; a stale one makes it "repair" the file). Those two parts change only by that.

String results are written inline as formula strings (``t="str"``), so `sharedStrings.xml` is
never touched. The output is written to a temporary file beside ``dst`` and moved into place.
"""
from __future__ import annotations

import copy
import os
import posixpath
import re
import zipfile
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path

from lxml import etree

from roi_xl.atomic import replacing
from roi_xl.errors import NeedsWholeTree
from roi_xl.references import MAX_COL, MAX_ROW, column_index, coordinate

from .cell_bytes import write_part
from .cells import encode
from .input_zip import InputZip, open_again
from .package import Package, parse
from .part_stream import SourcePart, same_part
from .sheet_edit import CellEdit, SheetEdit
from .splice import without_elements
from .zipcopy import write_zip

__all__ = ["write_values", "write_inputs", "by_reference", "positions"]

_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


_COLUMNS: dict[str, int] = {}  # "AB" -> 28: the letters of each plain reference _parse_ref checked


def _parse_ref(ref: str) -> tuple[int, int]:
    """(row, column) of "B7" (also "$B$7", "b7"). A plain "B7" whose letters were met before is
    split without the regex: a batch holds one reference a formula cell, too many to cache whole."""
    if type(ref) is str:
        letters = ref.rstrip("0123456789")
        col = _COLUMNS.get(letters)
        if col is not None and 0 < len(ref) - len(letters) <= 7:
            row = int(ref[len(letters):])
            if 1 <= row <= MAX_ROW:
                return row, col
    m = _CELL_REF.match(ref.strip()) if isinstance(ref, str) else None
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    col, row = column_index(m.group(1)), int(m.group(2))
    if not (1 <= col <= MAX_COL and 1 <= row <= MAX_ROW):
        raise ValueError(f"cell reference outside the sheet: {ref!r}")
    if ref == m.group(1) + m.group(2):
        _COLUMNS[m.group(1)] = col
    return row, col


# A batch's references as the engine names its cells ("B7": letters, a row without a leading 0, both
# within the sheet), one a line: those need no parse to be keyed by the bytes a sheet part holds.
_PLAIN_REFS = re.compile(
    r"(?:(?:[A-Z]{1,2}|[A-W][A-Z]{2}|X[A-E][A-Z]|XF[A-D])"
    r"(?:[1-9][0-9]{0,5}|10[0-3][0-9]{4}|104[0-7][0-9]{3}|1048[0-4][0-9]{2}|10485[0-6][0-9]|104857[0-6])\n)*")


def by_reference(values: Mapping[tuple[str, str], object]) -> dict[str, dict[str, CellEdit]]:
    """sheet -> {"B7": (t, text, value)}, every key and value checked before any I/O; each reference
    written plainly ("$b$7" as "B7"), the last value of a cell named twice kept in its first place."""
    out: dict[str, dict[str, CellEdit]] = {}
    floats: dict[float, tuple[str | None, str | None]] = {}  # each distinct number encoded once
    for key, value in values.items():
        try:
            sheet, ref = key
        except (TypeError, ValueError):
            raise ValueError(f"keys are (sheet, cell) pairs, not {key!r}") from None
        edits = out.get(sheet)
        if edits is None:
            edits = out[sheet] = {}
        if type(value) is float:
            encoded = floats.get(value)
            if encoded is None:
                encoded = floats[value] = encode(value)
            t, text = encoded
        else:
            t, text = encode(value)
        edits[ref] = (t, text, value)
    for sheet, edits in out.items():  # checked at once when all are plain, else one by one
        if not _plain(edits):
            out[sheet] = {coordinate(*_parse_ref(ref)): edit for ref, edit in edits.items()}
    return out


def _plain(refs: Collection[str]) -> bool:
    try:
        joined = "\n".join(refs)
    except TypeError:  # a reference that is not a string: _parse_ref says what it is
        return False  # (and one holding a line break is more lines than references)
    return joined.count("\n") == len(refs) - 1 and _PLAIN_REFS.fullmatch(joined + "\n") is not None


def positions(edits: Mapping[str, CellEdit]) -> dict[tuple[int, int], CellEdit]:
    """{"B7": edit} (as by_reference gives) keyed by (row, column), as the tree edit wants."""
    return {_parse_ref(ref): edit for ref, edit in edits.items()}



# --------------------------------------------------------------------------- calcChain

def _calc_chain_edits(zf: zipfile.ZipFile, pkg: Package) -> tuple[set[str], dict[str, bytes]]:
    """The calcChain members to drop and the re-serialised parts that referred to them."""
    names, wb = pkg.names, pkg.workbook
    drop: set[str] = set()
    edits: dict[str, bytes] = {}
    doomed = [(rel, target) for rel, rel_type, target in pkg.rels if rel_type.endswith("/calcChain")]
    for _rel, target in doomed:
        member = names.get(target)
        if member:
            drop.add(member)
    conventional = names.get(posixpath.join(posixpath.dirname(wb), "calcChain.xml"))
    if conventional:
        drop.add(conventional)
    if doomed and pkg.rels_file is not None:  # doomed relationships come from that part
        member, read = pkg.rels_file
        tree = copy.deepcopy(read)  # the package's own tree stays as read (an InputZip shares it)
        for at in sorted((read.getroot().index(rel) for rel, _target in doomed), reverse=True):
            del tree.getroot()[at]
        edits[member] = without_elements(zf.read(member), tree, "Relationship",
                                          lambda a: a.get("Type", "").endswith("/calcChain"))
    ct = names.get("[Content_Types].xml")
    if drop and ct:
        original = zf.read(ct)
        tree = parse(original, ct)
        dropped = {"/" + d.lower() for d in drop}
        removed = False
        for el in list(tree.getroot()):
            if (isinstance(el.tag, str) and etree.QName(el).localname == "Override"
                    and (el.get("PartName") or "").lower() in dropped):
                el.getparent().remove(el)
                removed = True
        if removed:
            edits[ct] = without_elements(original, tree, "Override",
                                          lambda a: a.get("PartName", "").lower() in dropped)
    return drop, edits



# --------------------------------------------------------------------------- writing

def _same_file(src: Path, dst: Path) -> bool:
    if src.resolve() == dst.resolve():
        return True
    try:
        return os.path.samefile(src, dst)
    except OSError:
        return False



def write_values(src: str | os.PathLike, dst: str | os.PathLike,
                 values: Mapping[tuple[str, str], object], *, values_only: bool = False,
                 parsed: Mapping[str, tuple[bytes | SourcePart, etree._ElementTree | None]] | None = None,
                 lean: Collection[str] = (), opened: InputZip | None = None) -> None:
    """Write a copy of `src` at `dst` with the listed cells' cached values set.

    `values` maps (sheet name as in the workbook, cell like "B7") to a number, bool, str, None
    (a blank result) or an `XlError`. NaN and infinities become #NUM!. A listed cell that has no
    `<c>` yet (a spilled cell, say) is created in order, inheriting its row's or column's style.
    Formulas stay; with `values_only=True` every formula of each edited sheet is removed instead,
    so readers without the add-in see plain values (strings then go inline, t="inlineStr").
    `xl/calcChain.xml` is dropped. `src` is only read; `dst` appears whole or not at all.
    `parsed` may hold sheet parts already read from `src` (member -> (bytes, tree parsed by
    package.parse, or None for a part whose cells cell_scan.scan read from its bytes)); their trees
    are edited in place, and the cached values of a scanned part written into its own bytes
    (cell_bytes.write_part), else into the tree parsed here. Those of the parts in `lean` were
    parsed from `lean.lean_sheet`'s bytes: the empty rows they lack are kept from the original
    bytes, which for a big part (part_stream.SourcePart instead of bytes) are read again from
    `src` and written a chunk at a time. `opened`: `src` as it is already open
    (guard.checked's InputZip, which `parsed` was read from), read through and left open; the copy
    is refused (ValueError) when that open file was written to since it was opened.
    """
    _write(src, dst, values, values_only=values_only, parsed=parsed, lean=lean, opened=opened)


def write_inputs(src: str | os.PathLike, dst: str | os.PathLike,
                 values: Mapping[tuple[str, str], object]) -> None:
    """Write a copy of `src` at `dst` with the listed input cells set to what a user would type:
    a number, a bool, a text (an inline string, never a formula, whatever it starts with) or
    None (cleared). A listed cell holding a formula is refused (ValueError) before anything is
    written. Everything else is kept as `write_values` keeps it."""
    _write(src, dst, values, inputs=True)


def _write(src: str | os.PathLike, dst: str | os.PathLike, values: Mapping[tuple[str, str], object], *,
           values_only: bool = False, inputs: bool = False,
           parsed: Mapping[str, tuple[bytes | SourcePart, etree._ElementTree | None]] | None = None,
           lean: Collection[str] = (), opened: InputZip | None = None) -> None:
    source, target = Path(src), Path(dst)
    if _same_file(source, target):
        raise ValueError(f"refusing to write over the source workbook: {target}")
    planned = by_reference(values)
    with open_again(opened, source) as zin:
        _unchanged(zin)  # what was read before and what is copied now belong together
        pkg = zin.package()
        parts = pkg.sheets
        unknown = [s for s in planned if s not in parts]
        if unknown:
            raise KeyError(f"no sheet named {', '.join(map(repr, unknown))} in {source.name} "
                           f"(sheets: {', '.join(map(repr, parts))})")
        replaced: dict[str, bytes | Iterator[bytes]] = {}
        streamed: dict[str, dict[tuple[int, int], CellEdit]] = {}  # their edits, should they fail
        for sheet, named in planned.items():
            part = parts[sheet]
            original, tree = (parsed or {}).get(part) or (zin.read(part), None)
            if (tree is None and isinstance(original, bytes) and parsed and part in parsed
                    and not values_only and not inputs):  # a part the reader scanned: its own bytes
                written = write_part(original, named)
                if written is not None:
                    replaced[part] = written
                    continue
            cells = positions(named)
            if isinstance(original, SourcePart) and not same_part(zin, original):
                original, tree = zin.read(part), None  # not the member that was read: as it is now
            try:
                edited = SheetEdit(original if isinstance(original, bytes) else b"", part, tree,
                                   lean=tree is not None and part in lean)
                edited.apply(cells, values_only, inputs)
                if isinstance(original, bytes):
                    replaced[part] = edited.to_bytes(original)
                else:  # read again and written a chunk at a time
                    replaced[part] = edited.to_pieces(zin, original)
                    streamed[part] = cells
            except NeedsWholeTree:  # an edit among the rows the lean tree lacks: the whole part
                replaced[part] = _whole(zin, part, cells, values_only, inputs)
        drop, edits = _calc_chain_edits(zin, pkg)
        overlap = set(edits) & set(replaced)
        if overlap:  # cannot happen for real packages; refuse rather than lose an edit
            raise ValueError(f"part edited twice: {sorted(overlap)}")
        replaced.update(edits)

        with replacing(target) as tmp, open(tmp, "wb") as fh:
            try:
                write_zip(zin, fh, replaced, drop)
            except NeedsWholeTree:  # a streamed part was not as the lean tree had it: all again
                for part, cells in streamed.items():
                    replaced[part] = _whole(zin, part, cells, values_only, inputs)
                fh.seek(0)
                fh.truncate()
                write_zip(zin, fh, replaced, drop)
            _unchanged(zin)  # and while it was copied


def _unchanged(zin: InputZip) -> None:
    if not zin.unchanged():
        raise ValueError(f"{zin.path.name} was written to while it was recalculated: no copy made "
                         "(run it again)")


def _whole(zin: zipfile.ZipFile, part: str, cells: dict[tuple[int, int], CellEdit], values_only: bool,
           inputs: bool) -> bytes:
    """A sheet part edited from its whole tree, parsed from the bytes `zin` holds."""
    original = zin.read(part)
    edited = SheetEdit(original, part)
    edited.apply(cells, values_only, inputs)
    return edited.to_bytes(original)
