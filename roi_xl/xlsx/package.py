"""The safe package reader: an .xlsx zip's XML parts, part names and relationships.

Every reader of ours (the guard, the fast reader, the writer, the template's printing) opens a
package through this module, so that there is one parser and one way of naming parts:

* `parser` and `parse`: lxml with no entity expansion, no network, libxml2's size limits kept, and
  a DTD refused (Office Open XML parts never carry one);
* `part_key`: the one name a part is known by (OPC compares part names ignoring case, %-escapes and
  "." or ".." segments); `MemberNames` looks zip members up by it;
* `relationships`: a part's internal relationships with their targets resolved to part names;
* `Package` (`package(zf)`): the workbook part, its relationships and its sheets in order.
"""
from __future__ import annotations

import posixpath
import zipfile
from urllib.parse import unquote

from lxml import etree

from roi_xl.errors import WorkbookError

__all__ = ["MAIN", "STRICT_MAIN", "parser", "parse", "part_key", "MemberNames", "relationships",
           "Package", "package", "sheet_parts"]

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"  # SpreadsheetML's namespace
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"  # Strict Open XML's namespace

# One relationship: (its element, its type, its target as a part name).
Relationship = tuple[etree._Element, str, str]


def parser() -> etree.XMLParser:
    """A new safe parser: no entity expansion, no network, libxml2's size limits kept (as
    defusedxml would parse); blank text, CDATA, comments and PIs kept for byte-faithful writing."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           load_dtd=False, dtd_validation=False, remove_blank_text=False,
                           strip_cdata=False, remove_comments=False, remove_pis=False)


def parse(data: bytes, part: str) -> etree._ElementTree:
    """The tree of a part's bytes by `parser`; ValueError (naming `part`) when it is not
    well-formed XML or declares a DTD."""
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"{part}: not well-formed XML ({exc})") from exc
    tree = root.getroottree()
    if tree.docinfo.doctype:
        raise ValueError(f"{part}: a DTD is not allowed in an Office Open XML part")
    return tree


def part_key(name: str) -> str:
    """The one name a part is known by, whichever way it is written: OPC compares part names
    ignoring letter case, after %-escapes are decoded and without "." or ".." segments. The
    readers here look members up by it, and the guard refuses a package where two members share
    one (a small decoy beside the part another reader, openpyxl, opens by its exact name)."""
    return posixpath.normpath("/" + unquote(name.replace("\\", "/"))).lstrip("/").lower()


class MemberNames:
    """Zip member names, looked up by their part_key."""

    def __init__(self, zf: zipfile.ZipFile):
        self.members = zf.namelist()
        self._by_key: dict[str, str] = {}
        for name in self.members:
            self._by_key.setdefault(part_key(name), name)

    def get(self, part: str) -> str | None:
        """The member that holds `part`, however either is written; None when there is none."""
        return self._by_key.get(part_key(part))


def _resolve(source_part: str, target: str) -> str:
    """A relationship target as a part name (no leading slash; look it up with MemberNames.get)."""
    target = target.replace("\\", "/")
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    base = posixpath.dirname(source_part)
    return posixpath.normpath(posixpath.join(base, target)).lstrip("/")


def _rels_part(part: str) -> str:
    head, tail = posixpath.split(part)
    return posixpath.join(head, "_rels", tail + ".rels")


def relationships(zf: zipfile.ZipFile, names: MemberNames, source_part: str
                  ) -> tuple[tuple[str, etree._ElementTree] | None, list[Relationship]]:
    """The relationships part of `source_part` ((member, tree), None when it has none) and
    (element, type, target part name) of each of its internal relationships."""
    rels = names.get(_rels_part(source_part))
    if rels is None:
        return None, []
    tree = parse(zf.read(rels), rels)
    out: list[Relationship] = []
    for rel in tree.getroot():
        if not isinstance(rel.tag, str) or etree.QName(rel).localname != "Relationship":
            continue
        if (rel.get("TargetMode") or "Internal") != "Internal" or rel.get("Target") is None:
            continue
        out.append((rel, rel.get("Type") or "", _resolve(source_part, rel.get("Target"))))
    return (rels, tree), out


def _workbook_part(zf: zipfile.ZipFile, names: MemberNames) -> str:
    _, rels = relationships(zf, names, "")
    for _rel, rel_type, target in rels:
        member = names.get(target)
        if rel_type.endswith("/officeDocument") and member:
            return member
    fallback = names.get("xl/workbook.xml")
    if fallback is None:
        raise ValueError("not a spreadsheet package: no workbook part")
    return fallback


def _r_id(element: etree._Element) -> str | None:
    for key, value in element.attrib.items():
        qn = etree.QName(key)
        if qn.localname == "id" and (qn.namespace or "").endswith("relationships"):
            return value
    return None


class Package:
    """What the readers and the writer need to know about a package, read once: member names
    (`names`), the workbook part and its relationships (`rels_file`, `rels`), whether it is Strict
    Open XML, its sheets (name -> member, in the workbook's order) and which are macro sheets."""

    def __init__(self, zf: zipfile.ZipFile):
        self.names = MemberNames(zf)
        self.workbook = _workbook_part(zf, self.names)
        self.rels_file, self.rels = relationships(zf, self.names, self.workbook)
        by_id = {rel.get("Id"): target for rel, _type, target in self.rels}
        kinds = {rel.get("Id"): rel_type for rel, rel_type, _target in self.rels}
        root = parse(zf.read(self.workbook), self.workbook).getroot()
        self.strict = etree.QName(root).namespace == STRICT_MAIN
        self.sheets: dict[str, str] = {}
        self.macro_sheets: set[str] = set()  # Excel 4.0 macro sheets: never computed
        upper: set[str] = set()  # the sheets' names and parts so far, for _checked_sheet
        parts: set[str] = set()
        for sheets in root:
            if not isinstance(sheets.tag, str) or etree.QName(sheets).localname != "sheets":
                continue
            for sheet in sheets:
                if not isinstance(sheet.tag, str) or etree.QName(sheet).localname != "sheet":
                    continue
                target = by_id.get(_r_id(sheet))
                name, member = _checked_sheet(sheet.get("name"), self.names.get(target) if target else None,
                                              upper, parts)
                self.sheets[name] = member
                if kinds.get(_r_id(sheet), "").lower().endswith(("/xlmacrosheet", "/xlintlmacrosheet")):
                    self.macro_sheets.add(name)
        if not self.sheets:  # Excel opens none: read, it would "recalculate" with nothing in it
            raise WorkbookError(f"damaged workbook: its workbook part, {self.workbook}, lists no sheet")


def _checked_sheet(name: str | None, member: str | None, upper: set[str], parts: set[str]) -> tuple[str, str]:
    """Refuse a sheet Excel itself would have to repair: one without a name, one named as another
    is (letter case aside, as Excel compares them; `upper`: the names so far, upper case), or whose
    part the file does not hold or another sheet's is (`parts`). Read as if it were not there, its
    cells would silently be gone. Records the sheet in `upper` and `parts`; returns (name, member)."""
    if not name:
        raise WorkbookError("damaged workbook: a sheet without a name")
    if name.upper() in upper:
        raise WorkbookError(f"damaged workbook: two sheets named {name!r}")
    if member is None:
        raise WorkbookError(f"damaged workbook: sheet {name!r} has no part in the file (its "
                            "relationship is missing or names a part the file does not hold)")
    if member in parts:
        raise WorkbookError(f"damaged workbook: sheet {name!r} is the part of another sheet too ({member})")
    upper.add(name.upper())
    parts.add(member)
    return name, member


def package(zf: zipfile.ZipFile) -> Package:
    """The package's workbook part, sheets (and which are macro sheets) and relationships."""
    return Package(zf)


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member of its part, in the workbook's sheet order.

    Read from the workbook part (found through `_rels/.rels`) and its relationships; targets may
    be relative or absolute. Chartsheets and dialog sheets are listed too: check the part.
    """
    return Package(zf).sheets

