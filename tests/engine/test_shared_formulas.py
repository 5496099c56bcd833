"""The plan's reader expands shared formulas itself (engine/shared_formulas.py): the text must be
openpyxl's Translator's, which the formulas path reads, to the character."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl.formula.translate import Translator

from roi_xl.engine.shared_formulas import Shared

ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE = ROOT.parent / "shared" / "conformance"
_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _outcome(move, *args):
    try:
        return move(*args)
    except Exception as exc:  # noqa: BLE001 - the same exception as openpyxl is part of the answer
        return type(exc).__name__


@pytest.mark.parametrize(("text", "origin", "dest", "expected"), [
    ("=A1+$B$2+Sheet2!C3", "D1", "E3", "=B3+$B$2+Sheet2!D5"),
    ("=SUM(A1:B2)*$A1/A$1", "C1", "C4", "=SUM(A4:B5)*$A4/A$1"),
    ("=SUM(A:B)+SUM($C:D)+SUM(3:4)+SUM($5:6)", "A1", "C3", "=SUM(C:D)+SUM($C:F)+SUM(5:6)+SUM($5:8)"),
    ("='My sheet'!A1+'It''s'!$B2", "A1", "B2", "='My sheet'!B2+'It''s'!$B3"),
    ("=Sheet1:Sheet3!A1", "A1", "A2", "=Sheet1:Sheet3!A2"),
    ("=TAX2020*Rate2020", "A1", "A2", "=TAX2021*Rate2020"),  # openpyxl moves a name shaped as a cell
    ('="A1"&B1&"say ""C3"""', "A1", "A2", '="A1"&B2&"say ""C3"""'),
    ("=A1  +  B1", "A1", "A2", "=A2 + B2"),  # a run of spaces renders as one
    ("=A1\n+B1", "A1", "A2", "=\nA2+B2"),  # a line feed does not end the operand before it
    ("=1E+5*A1+1.5E-3", "A1", "B1", "=1E+5*B1+1.5E-3"),
    ("=Table1[[#This Row],[Col A]]*B2", "C2", "C3", "=Table1[[#This Row],[Col A]]*B3"),
    ("=#REF!+A1+IF(TRUE,A1,#N/A)", "A1", "A2", "=#REF!+A2+IF(TRUE,A2,#N/A)"),
    # Translator drops the sheet before a name or an error (its translate_range returns the name alone)
    ("=Sheet1!#REF!+Data!Rate+'My data'!A1:Rate", "A1", "A2", "=+Rate+'My data'!A2:Rate"),
    ("={1,2;3,4}*A1", "A1", "A2", "={1,2;3,4}*A2"),
    ("=A1:B2:C3+A1:Name", "A1", "B1", "=B1:C2:D3+B1:Name"),
    ("=a1+b$2+$c3", "A1", "A2", "=A2+B$2+$c4"),  # moved letters are written in capitals
    ("=A1048576+1", "A1", "A2", "=A1048577+1"),  # Translator does not stop at the last row
    ("=A01+R1C1+XFD1", "A1", "A1", "=A01+R1C1+XFD1"),
    ("=_xlfn.XLOOKUP(A1,B:B,C:C)", "D1", "D2", "=_xlfn.XLOOKUP(A2,B:B,C:C)"),
    ("=A1 B1", "A1", "A2", "=A2 B2"),
    ("=-A1%+(A1)", "A1", "A2", "=-A2%+(A2)"),
    ("=", "A1", "A2", ""),
    ("=A1", "B2", "B1", "TranslatorError"),  # moved above row 1
    ("=A1", "B2", "A2", "TranslatorError"),  # moved left of column A
    ("=ZZZ1", "A1", "B1", "TranslatorError"),
    ("=#SPILL!+A1", "A1", "A2", "TokenizerError"),
    ('="open', "A1", "A2", "TokenizerError"),
    ("=SUM(A1}", "A1", "A2", "TokenizerError"),
    ("=(A1))", "A1", "A2", "IndexError"),
])
def test_moves_as_openpyxl_does(text, origin, dest, expected):
    ours = _outcome(lambda: Shared(text, origin).at(dest))
    assert ours == expected
    assert ours == _outcome(lambda: Translator(text, origin).translate_formula(dest))


def test_openpyxl_is_left_only_what_it_refuses():
    assert Shared("=SUM(A1:B2)+'x y'!C3&\"t\"", "A1").pieces is not None
    assert Shared("=#SPILL!", "A1").pieces is None


def _shared_groups(path: Path):
    with zipfile.ZipFile(path) as zf:
        for member in zf.namelist():
            if not (member.startswith("xl/worksheets/") and member.endswith(".xml")):
                continue
            root = etree.fromstring(zf.read(member), etree.XMLParser(huge_tree=True))
            first: dict[str, tuple[str, str]] = {}
            for c in root.iter(f"{_M}c"):
                f = c.find(f"{_M}f")
                if f is None or f.get("t") != "shared":
                    continue
                if f.get("si") in first:
                    yield *first[f.get("si")], c.get("r")
                elif f.text:
                    first[f.get("si")] = ("=" + f.text, c.get("r"))


@pytest.mark.skipif(not CONFORMANCE.is_dir(), reason="shared/conformance not present")
def test_every_shared_formula_of_the_conformance_suite_and_examples():
    files = sorted(CONFORMANCE.rglob("*.xlsx")) + sorted((ROOT / "workbook_templates").rglob("*.xlsx"))
    cells, differ = 0, []
    for path in files:
        groups: dict[tuple[str, str], tuple[Shared, Translator]] = {}
        for text, origin, dest in _shared_groups(path):
            if (text, origin) not in groups:
                groups[(text, origin)] = Shared(text, origin), Translator(text, origin)
            ours, theirs = groups[(text, origin)]
            cells += 1
            if _outcome(ours.at, dest) != _outcome(theirs.translate_formula, dest):
                differ.append((path.name, text, origin, dest))
    assert cells > 10_000 and differ == []
