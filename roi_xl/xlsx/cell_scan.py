"""A sheet part's cells read straight from its bytes, when every byte of its `<sheetData>` is understood.

Walking a parsed tree cell by cell costs ~7 us a cell in lxml (a proxy for the cell and each child);
the 1,000-formula workbooks of a batch spent a quarter of their time there. The usual sheet, as
openpyxl and Excel write it, holds only rows of cells in a few forms: `<c r="B7" s="3" t="n">`
with a value `<v>`, an inline string `<is><t>..</t></is>`, or a formula `<f>` (with its t, ref and si
attributes: shared and array formulas) and a cached value. `Scanned.chunks` reads those with one
regex, every byte of the sheetData matched in order, a chunk of a quarter megabyte at a time (the
pieces of a whole big sheet cost more than its cells' values); anything else (a comment, a character
reference, another attribute or element, a cell outside the sheet) makes `scan` give None, or ends
the chunks with `complete` False, and the reader parses the tree instead.

What lies outside the sheetData (the root, autoFilter...) is parsed as a small `skeleton` tree (the
part with an empty sheetData), which also proves the part well-formed there and places the
sheetData under the worksheet root in the main namespace, as the tree's XPath would find it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from roi_xl.references import IN_SHEET

from .package import MAIN, parse

__all__ = ["Scanned", "scan", "unescape"]

_WS = r"[ \t\r\n]*"
# Character data with no markup; what else XML refuses or reads otherwise in it is looked for once
# in the whole sheetData (_REFUSED): a per-character test in the cell's regex doubled its cost.
_TEXT = r"[^<]*"
# Control characters and a raw CR (XML reads it as LF); with "]]>", U+FFFE and U+FFFF, and a reference
# other than the five entities (character references are left to the tree): _refused.
_CONTROL = bytes([*range(0x09), 0x0b, 0x0c, *range(0x0d, 0x20)])
_OTHER_REFERENCE = re.compile(rb"&(?!(?:lt|gt|amp|quot|apos);)")
# A reference that may lie past XFD1048576: three letters or seven digits (checked by IN_SHEET).
_LONG_REF = re.compile(rb'<c r="([A-Z]{3}[0-9]{1,7}|[A-Z]{1,2}[0-9]{7})"')
_in_sheet = re.compile(IN_SHEET.encode()).fullmatch
_ATTR_NAME = r"(?!xmlns)[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?"
# One piece of a sheetData, whitespace before it: a cell, a row's start or a row's end. The groups:
# 1 reference, 2 style, 3 type, 4 "" when it has an <f> 5 its attributes 6 its text, 7 "" when it
# has a <v> 8 its text, 9 "" when it has an <is> 10 its text; 11 a row's number 12 its attributes
# after r 13 "/" when it is empty; 14 "</row>". (An empty group marks a child: "" is one shared
# object, where "<f" would be a new string a cell.)
_GROUPS = 14
_TOKEN = re.compile(
    _WS + r'(?:<c r="([A-Z]{1,3}[0-9]{1,7})"(?: s="([0-9]{1,9})")?'
    r'(?: t="(n|s|b|e|str|d|inlineStr)")?(?: cm="[0-9]{1,9}")?(?: vm="[0-9]{1,9}")?(?: ph="[01]")?' + _WS +
    r'(?:/>|>(?:()<f((?: [a-zA-Z0-9:]+="[^"<&]*")*)' + _WS + r"(?:/>|>(" + _TEXT + r")</f>))?"
    r'(?:()<v(?:/>|(?: xml:space="preserve")?>(' + _TEXT + r")</v>))?"
    r'(?:()<is><t(?: xml:space="preserve")?(?:/>|>(' + _TEXT + r")</t>)</is>)?</c>)"
    r'|<row r="([0-9]{1,7})"((?: (?!r=)' + _ATTR_NAME + r'="[^"<&]*")*)' + _WS + r"(/?)>"
    r"|(</row>))", re.ASCII)
_ATTR = re.compile(r' ([^=]+)="([^"]*)"')
# What an <f> may say besides t, ref and si (all that is read of it): aca, ca... as the tree ignores them.
_F_ATTRS = frozenset(("t", "ref", "si", "aca", "ca", "bx", "dt2D", "dtr", "del1", "del2", "r1", "r2",
                      "xml:space"))


_CHUNK = 1 << 18  # characters of a sheetData split at a time, cut where a row starts


@dataclass
class Scanned:
    """A sheet part whose sheetData `chunks` reads from its bytes (data[inside[0]:inside[1]]), a
    chunk at a time, and the skeleton tree: the part with an empty sheetData. As the chunks are
    read, `formulas` gathers the <f> attributes met as their (t, ref, si) text and `hidden` the
    numbers of the hidden rows; `complete` says whether every byte was read (else the tree reads
    the part)."""
    data: bytes
    inside: tuple[int, int]
    skeleton: etree._ElementTree
    formulas: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    hidden: list[str] = field(default_factory=list)
    complete: bool = False

    def chunks(self) -> Iterator[Iterator[tuple[Any, ...]]]:  # str, or None for a group not there
        """Each chunk's pieces in document order: each piece's groups (see _TOKEN), then the text
        before the next (empty, but for whitespace ending a chunk); a cell's have a reference
        first, a row's start or end None.
        The sheetData is split a chunk at a time (its pieces for 200,000 cells were a list of 3
        million), each chunk checked before its pieces are given; the first chunk not understood
        ends them, with `complete` False. A chunk ends where a row starts: "<" opens a tag only,
        never in text or attributes, so the chunks are understood when the whole is, and only then."""
        data, (pos, stop) = self.data, self.inside
        step, nsmap = _GROUPS + 1, self.skeleton.getroot().nsmap
        in_row = False
        while pos < stop:
            cut = data.find(b"<row", pos + _CHUNK, stop) if pos + _CHUNK < stop else -1
            cut = stop if cut < 0 else cut
            try:  # read as text: the pieces come out as str, none decoded one by one
                text = data[pos:cut].decode("utf-8")  # (a chunk starts at "<": at a character)
            except UnicodeDecodeError:
                return
            pos = cut
            # One pass: the pieces between the tokens must all be empty, whitespace at the end aside.
            pieces: list[str | None] = _TOKEN.split(text)
            del text
            if any(pieces[0:-1:step]) or pieces[-1].strip(" \t\n"):  # type: ignore[union-attr]
                return
            in_row = _rows(pieces, in_row, self.hidden)  # type: ignore[assignment]
            if in_row is None:
                return
            prefixes: set[str] = set()
            for attrs in {attrs for attrs in pieces[12::step] if attrs}:
                if _row_attrs(attrs, prefixes) is None:  # type: ignore[arg-type]
                    return
            if any(p not in nsmap for p in prefixes if p != "xml"):
                return
            for f_attrs in set(pieces[5::step]):
                if f_attrs and f_attrs not in self.formulas:
                    read = _formula_attrs(f_attrs)
                    if read is None:
                        return
                    self.formulas[f_attrs] = read
            yield zip(*[iter(pieces[1:])] * step)
        self.complete = not in_row


def unescape(text: str) -> str:
    """Character data as XML reads it, for the five entities _TEXT admits."""
    if "&" not in text:
        return text
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def scan(data: bytes) -> Scanned | None:
    """A worksheet part to read from its bytes (Scanned.chunks), or None when its sheetData holds
    what _TOKEN never reads (a character reference, a control character, a cell outside the
    sheet...) or the part is not well-formed outside it (the tree reads it then, or refuses it)."""
    start, end = data.find(b"<sheetData>"), data.rfind(b"</sheetData>")
    if start < 0 or end < start or data.count(b"sheetData") != 2:
        return None
    inner, stop = start + len(b"<sheetData>"), end
    if _refused(data, inner, stop) or any(_in_sheet(ref) is None for ref in _LONG_REF.findall(data, inner, stop)):
        return None  # the tree reads it, or refuses it (a cell outside the sheet)
    try:
        skeleton = parse(data[:start] + b"<sheetData/>" + data[stop + len(b"</sheetData>"):], "")
    except ValueError:
        return None
    root = skeleton.getroot()
    sheet_data = root.find(f"{{{MAIN}}}sheetData")
    if (root.tag != f"{{{MAIN}}}worksheet" or sheet_data is None or len(sheet_data) or sheet_data.attrib
            or (skeleton.docinfo.encoding or "UTF-8").upper() != "UTF-8"):
        return None
    return Scanned(data, (inner, stop), skeleton)


def _rows(pieces: list[str | None], in_row: bool, hidden: list[str]) -> bool | None:
    """Whether the pieces end inside a row (`in_row`: they start in one), the numbers of their
    hidden rows added to `hidden`; None unless every cell lies in a row and no row in another."""
    step = _GROUPS + 1
    for ref, number, attrs, empty in zip(pieces[1::step], pieces[11::step], pieces[12::step], pieces[13::step]):
        if ref is not None:
            if not in_row:
                return None
        elif number is not None:
            if in_row:
                return None
            in_row = not empty
            if attrs and "hidden" in attrs and _row_attrs(attrs, set()):
                hidden.append(number)
        elif not in_row:  # a row's end
            return None
        else:
            in_row = False
    return in_row


def _refused(data: bytes, start: int, end: int) -> bool:
    """Whether data[start:end] holds what XML refuses or reads otherwise in text (see _CONTROL);
    each looked for by bytes' own methods (a regex over every byte is ten times slower), the rarer
    ones only when a byte they start with is there at all: an "&" not one of the five entities by
    a regex that stops at "&" alone."""
    inside = data[start:end]
    return (len(inside.translate(None, _CONTROL)) != len(inside)
            or (b"]" in inside and b"]]>" in inside)
            or (not inside.isascii() and (b"\xef\xbf\xbe" in inside or b"\xef\xbf\xbf" in inside))
            or (b"&" in inside and _OTHER_REFERENCE.search(inside) is not None))


def _formula_attrs(attrs: str) -> tuple[str, str, str] | None:
    """An <f>'s t, ref and si ("" when absent); None for an attribute the format does not give it,
    one given twice, or a data table (refused by the tree's reader)."""
    found = dict(_ATTR.findall(attrs))
    if len(found) != attrs.count('="') or not _F_ATTRS.issuperset(found) or found.get("t") == "dataTable":
        return None
    return found.get("t", ""), found.get("ref", ""), found.get("si", "")


def _row_attrs(attrs: str, prefixes: set[str]) -> bool | None:
    """Whether a row's attributes (after r) hide it, as the tree's @hidden='1' or 'true' reads them;
    None when one is given twice. Their prefixes are added to `prefixes` (the root must declare them)."""
    found = _ATTR.findall(attrs)
    names = {name for name, _ in found}
    if len(names) != len(found) or len(found) != attrs.count('="'):
        return None
    prefixes.update(name.split(":")[0] for name in names if ":" in name)
    return any(name == "hidden" and value in ("1", "true") for name, value in found)
