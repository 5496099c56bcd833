"""The values Excel cached in a saved workbook's formula cells, read from the sheet XML.

Read from the `<v>` elements directly (not through openpyxl) so numbers keep every stored digit,
dates stay serial numbers and errors stay errors. A formula cell is one with an `<f>` element,
plus every cell of an array formula's `ref` range (a dynamic array's spilled cells and a legacy
CSE array's cells carry a value but no formula of their own).

Excel caches an error result as `t="e"`. A workbook written by another program (no docProps/app.xml
naming Microsoft Excel; one file of the IronCalc suite) may cache `=NA()`'s result as the text
"#N/A" (`t="str"`); in such a file an error literal cached as text is read as the error it is.
Excel's newer errors (#CALC!, #SPILL!...) are rich values: the cell caches `#VALUE!` and points (`vm`)
through xl/metadata.xml to a rich value in xl/richData/ whose errorType names the error; that is read.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass

from lxml import etree
from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import get_column_letter, range_boundaries

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


# OOXML escapes characters XML cannot hold as _xHHHH_ (CHAR(1) is stored as "_x0001_").
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


@dataclass(frozen=True)
class CachedCell:
    sheet: str
    cell: str
    formula: str           # the cell's own formula, or "(spilled from B2) =..." for an array's cell
    kind: str              # "n" number, "s" string, "b" boolean, "e" error
    value: object          # float, str, bool or the error text ("#N/A")


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    try:
        root = etree.fromstring(zf.read("xl/sharedStrings.xml"))
    except KeyError:
        return []
    out = []
    for si in root.iter(_MAIN + "si"):
        t = si.find(_MAIN + "t")  # plain text; rich text is runs <r><t>, phonetic <rPh> is not text
        out.append(_unescape(t.text or "" if t is not None else
                             "".join(rt.text or "" for rt in si.findall(f"{_MAIN}r/{_MAIN}t"))))
    return out


def _sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member of its XML) in workbook order."""
    book = etree.fromstring(zf.read("xl/workbook.xml"))
    rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(_PKG_REL + "Relationship")}
    out = []
    for sheet in book.iter(_MAIN + "sheet"):
        target = targets.get(sheet.get(_REL + "id"), "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        out.append((sheet.get("name"), member))
    return out


_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
           "#SPILL!", "#CALC!"}


def _saved_by_excel(zf: zipfile.ZipFile) -> bool:
    try:
        app = etree.fromstring(zf.read("docProps/app.xml"))
    except KeyError:
        return False
    return any("Microsoft Excel" in (e.text or "") for e in app.iter() if e.tag.endswith("Application"))


_RICH = "{http://schemas.microsoft.com/office/spreadsheetml/2017/richdata}"
# errorType of a rich `_error` value (the numbering Excel's rich-data parts use, not ERROR.TYPE's).
_RICH_ERRORS = {8: "#SPILL!", 9: "#CONNECT!", 10: "#BLOCKED!", 11: "#UNKNOWN!", 12: "#FIELD!",
                13: "#CALC!", 14: "#BUSY!"}


def _rich_errors(zf: zipfile.ZipFile) -> dict[str, str]:
    """A cell's `vm` attribute -> the error its rich value holds, for the error values among them."""
    try:
        metadata = etree.fromstring(zf.read("xl/metadata.xml"))
        values = etree.fromstring(zf.read("xl/richData/rdrichvalue.xml"))
        structures = etree.fromstring(zf.read("xl/richData/rdrichvaluestructure.xml"))
    except KeyError:
        return {}
    keys = [[k.get("n") for k in st.findall(_RICH + "k")] if st.get("t") == "_error" else None
            for st in structures.findall(_RICH + "s")]
    errors = []  # by rich value index
    for rv in values.findall(_RICH + "rv"):
        names = keys[int(rv.get("s", "0"))] if int(rv.get("s", "0")) < len(keys) else None
        fields = dict(zip(names or (), (v.text for v in rv.findall(_RICH + "v"))))
        errors.append(_RICH_ERRORS.get(int(fields.get("errorType") or -1)))
    types = [t.get("name") for t in metadata.iter(_MAIN + "metadataType")]
    future = {f.get("name"): [b.find(f".//{_RICH}rvb") for b in f.findall(_MAIN + "bk")]
              for f in metadata.iter(_MAIN + "futureMetadata")}
    out = {}
    block = metadata.find(_MAIN + "valueMetadata")
    for vm, bk in enumerate(block.findall(_MAIN + "bk") if block is not None else (), start=1):
        rc = bk.find(_MAIN + "rc")
        if rc is None or types[int(rc.get("t")) - 1] != "XLRICHVALUE":
            continue
        rvb = future.get("XLRICHVALUE", [])[int(rc.get("v"))]
        i = int(rvb.get("i")) if rvb is not None else -1
        if 0 <= i < len(errors) and errors[i]:
            out[str(vm)] = errors[i]
    return out


def _typed(cell, strings: list[str], errors_as_text: bool = False,
           rich: dict[str, str] | None = None) -> tuple[str, object]:
    t = cell.get("t", "n")
    v = cell.find(_MAIN + "v")
    text = v.text if v is not None and v.text is not None else ""
    if t == "e" and rich and cell.get("vm") in rich:
        return "e", rich[cell.get("vm")]
    if t == "s":
        return "s", strings[int(text)]
    if t == "str":
        if errors_as_text and text in _ERRORS:
            return "e", text
        return "s", _unescape(text)
    if t == "inlineStr":
        return "s", "".join(cell.find(_MAIN + "is").itertext()) if cell.find(_MAIN + "is") is not None else ""
    if t == "b":
        return "b", text.strip() == "1"
    if t == "e":
        return "e", text
    if text == "":
        return "n", 0.0  # no cached value: Excel shows a blank formula result as 0
    return "n", float(text)


def cached_formula_cells(path) -> list[CachedCell]:
    """Every formula cell of the workbook (and every cell of an array formula's range)."""
    out: list[CachedCell] = []
    with zipfile.ZipFile(path) as zf:
        strings = _shared_strings(zf)
        errors_as_text = not _saved_by_excel(zf)
        rich = _rich_errors(zf)
        for sheet, member in _sheet_parts(zf):
            root = etree.fromstring(zf.read(member))
            shared: dict[str, tuple[str, str]] = {}
            arrays: list[tuple[str, str, tuple[int, int, int, int]]] = []
            plain: dict[str, object] = {}
            for c in root.iter(_MAIN + "c"):
                ref = c.get("r")
                f = c.find(_MAIN + "f")
                if f is None:
                    plain[ref] = c
                    continue
                text = f.text or ""
                if f.get("t") == "shared":
                    if text:
                        shared[f.get("si")] = (text, ref)
                    elif f.get("si") in shared:  # this cell's own text, as Excel shows it
                        master, origin = shared[f.get("si")]
                        text = Translator("=" + master, origin).translate_formula(ref)[1:]
                if f.get("t") == "array" and f.get("ref"):
                    arrays.append((ref, text, range_boundaries(f.get("ref"))))
                kind, value = _typed(c, strings, errors_as_text, rich)
                out.append(CachedCell(sheet, ref, "=" + text, kind, value))
            for anchor, text, (c0, r0, c1, r1) in arrays:
                for r in range(r0, r1 + 1):
                    for col in range(c0, c1 + 1):
                        ref = f"{get_column_letter(col)}{r}"
                        if ref == anchor or ref not in plain:
                            continue  # a cell Excel left without a value is not part of the result
                        kind, value = _typed(plain[ref], strings, errors_as_text, rich)
                        out.append(CachedCell(sheet, ref, f"(array of {anchor}) ={text}", kind, value))
    return out
