"""Write-back of computed values into the user's own workbook (roi_xl.xlsx.writer and the modules it uses).

Every test writes a real file and reopens it: zip members byte for byte, sheet XML canonically,
openpyxl for values and formulas, LibreOffice as an independent reader."""
from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import subprocess
import time
import warnings
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from roi_xl.excel import XlError
from roi_xl.xlsx import writer
from roi_xl.xlsx.cells import cell_text, encode, error_text
from roi_xl.xlsx.package import sheet_parts
from roi_xl.xlsx.sheet_edit import SheetEdit
from roi_xl.xlsx.writer import by_reference, positions, write_values

from tests.support import workbook_fixtures as fx

NS = {"m": fx.MAIN_NS}
CALC_CHAIN_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain"


# --------------------------------------------------------------------------- helpers

def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def members(path: Path) -> list[tuple[str, int, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, i.compress_type, zf.read(i)) for i in zf.infolist()]


def c14n(root) -> bytes:
    return etree.tostring(root, method="c14n")


def parse(data: bytes):
    return etree.fromstring(data)


def cell(root, ref: str):
    found = root.xpath(f"//m:sheetData/m:row/m:c[@r='{ref}']", namespaces=NS)
    assert len(found) <= 1
    return found[0] if found else None


def strip_written(data: bytes, written: set[str], keep: set[str] | None = None) -> bytes:
    """Canonical XML of a sheet with the written cells' cached values (v, is, t, vm) removed and
    the cells not in `keep` (cells the write created) dropped, empty created rows too."""
    root = parse(data)
    for c in root.iter(f"{{{fx.MAIN_NS}}}c"):
        if c.get("r") in written:
            for child in c.findall("m:v", NS) + c.findall("m:is", NS):
                c.remove(child)
            for attr in ("t", "vm"):
                c.attrib.pop(attr, None)
    if keep is not None:
        cells, rows = keep
        sheet_data = root.find("m:sheetData", NS)
        for row in sheet_data.findall("m:row", NS):
            for c in row.findall("m:c", NS):
                if c.get("r") not in cells:
                    row.remove(c)
            if row.get("r") not in rows:
                sheet_data.remove(row)
    # the dimension may only grow, to cover created cells: checked by covers_all_cells()
    for dim in root.findall("m:dimension", NS):
        dim.attrib.pop("ref")
    return c14n(root)


def cell_refs(data: bytes) -> tuple[set[str], set[str]]:
    root = parse(data)
    return ({c.get("r") for c in root.iter(f"{{{fx.MAIN_NS}}}c")},
            {r.get("r") for r in root.iter(f"{{{fx.MAIN_NS}}}row")})


def covers_all_cells(data: bytes) -> bool:
    from openpyxl.utils.cell import range_boundaries

    root = parse(data)
    dim = root.find("m:dimension", NS)
    if dim is None:
        return True
    ref = dim.get("ref")
    min_col, min_row, max_col, max_row = range_boundaries(ref if ":" in ref else f"{ref}:{ref}")
    for c in root.iter(f"{{{fx.MAIN_NS}}}c"):
        col, row, _, _ = range_boundaries(f"{c.get('r')}:{c.get('r')}")
        if not (min_col <= col <= max_col and min_row <= row <= max_row):
            return False
    return True


def assert_only_cached_values_changed(src: Path, dst: Path, values, *, calc_chain_dropped: bool):
    """The package contract: same members in the same order with the same compression, each
    byte-identical, except the edited sheets (only cached values differ) and the calcChain edits."""
    with zipfile.ZipFile(src) as zf:
        parts = sheet_parts(zf)
    written = {}
    for (sheet, ref) in values:
        written.setdefault(parts[sheet], set()).add(ref)
    before, after = members(src), members(dst)
    expected_names = [n for n, _, _ in before if not (calc_chain_dropped and n == "xl/calcChain.xml")]
    assert [n for n, _, _ in after] == expected_names
    before_by_name = {n: (ct, data) for n, ct, data in before}
    for name, ctype, data in after:
        old_ctype, old = before_by_name[name]
        assert ctype == old_ctype, name
        if name in written:
            keep = cell_refs(old)
            assert strip_written(data, written[name], keep) == strip_written(old, written[name], keep), name
            assert covers_all_cells(data), name
        elif calc_chain_dropped and name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
            old_root = parse(old)
            for el in list(old_root):
                if el.get("Type") == CALC_CHAIN_TYPE or el.get("PartName") == "/xl/calcChain.xml":
                    old_root.remove(el)
            assert c14n(parse(data)) == c14n(old_root), name
            # and byte for byte: the element is cut out, nothing else moves
            assert data == re.sub(rb"<(Relationship|Override)\b[^>]*calcChain[^>]*/>", b"", old), name
        else:
            assert data == old, f"{name} changed"


def load(path: Path, **kw):
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # openpyxl warns about anything it had to repair
        return openpyxl.load_workbook(path, **kw)


def formulas_of(wb) -> dict[tuple[str, str], str]:
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if v is None:
                    continue
                if hasattr(v, "ref") and hasattr(v, "text"):  # ArrayFormula
                    v = ("array", v.ref, v.text)
                out[(ws.title, c.coordinate)] = v
    return out


# --------------------------------------------------------------------------- the rich workbook

RICH_VALUES = {
    ("Plan", "D2"): 1.5,
    ("Plan", "D3"): -0.25,
    ("Plan", "D4"): XlError.DIV0,
    ("Plan", "D5"): 1.5,
    ("Plan", "E2"): True,
    ("Plan", "E3"): False,
    ("Plan", "E4"): XlError.NA,
    ("Plan", "F2"): "Facebook ROI",
    ("Plan", "F3"): "",
    ("Plan", "B7"): 300,
    ("Plan", "C7"): 650.0,
    ("Plan", "D7"): 650 / 300 - 1,
    ("Plan", "E7"): None,
    ("Plan", "C10"): 200,
    ("Plan", "C11"): 160,  # spilled: no <c> in the file
    ("Plan", "C12"): 0.1,  # spilled, in a row that does not exist
    ("Data ROI", "A2"): (650 / 300 - 1) * 2,
    ("Data ROI", "B2"): float("nan"),
    ("Data ROI", "A3"): 301,
}


@pytest.fixture
def rich(tmp_path) -> Path:
    path = fx.build_rich_workbook(tmp_path / "rich.xlsx")
    fx.add_calc_chain(path)
    return path


def test_rich_workbook_changes_only_the_cached_values(rich, tmp_path):
    digest = sha256(rich)
    out = tmp_path / "out.xlsx"
    write_values(rich, out, RICH_VALUES)

    assert sha256(rich) == digest
    assert_only_cached_values_changed(rich, out, RICH_VALUES, calc_chain_dropped=True)

    # What the chart, image, comments, validation and formats live in is still there, untouched.
    names = [n for n, _, _ in members(out)]
    assert any(n.startswith("xl/charts/chart") for n in names)
    assert any(n.startswith("xl/media/") for n in names)
    assert any("comments" in n for n in names)


def test_openpyxl_sees_the_written_values_with_their_types(rich, tmp_path):
    out = tmp_path / "out.xlsx"
    write_values(rich, out, RICH_VALUES)
    wb = load(out, data_only=True)
    plan, data = wb["Plan"], wb["Data ROI"]
    assert plan["D2"].value == 1.5 and plan["D2"].data_type == "n"
    assert plan["D3"].value == -0.25
    assert plan["D4"].value == "#DIV/0!" and plan["D4"].data_type == "e"
    assert plan["E4"].value == "#N/A" and plan["E4"].data_type == "e"
    assert plan["E2"].value is True and plan["E3"].value is False
    assert plan["F2"].value == "Facebook ROI" and plan["F2"].data_type == "s"
    assert plan["B7"].value == 300 and isinstance(plan["B7"].value, int)
    assert plan["C7"].value == 650
    assert plan["D7"].value == 650 / 300 - 1  # exact: shortest round-trip text
    assert plan["E7"].value is None
    assert [plan[f"C{r}"].value for r in (10, 11, 12)] == [200, 160, 0.1]
    assert data["A2"].value == (650 / 300 - 1) * 2
    assert data["B2"].value == "#NUM!"  # NaN cannot be stored
    assert data["A3"].value == 301
    # styles and number formats of the written cells are the source's
    assert plan["D7"].number_format == "0.00%" and plan["D7"].font.b
    assert wb.defined_names["TotalSpend"].attr_text == "Plan!$B$7"


def test_openpyxl_sees_the_same_formulas(rich, tmp_path):
    out = tmp_path / "out.xlsx"
    write_values(rich, out, RICH_VALUES)
    before, after = formulas_of(load(rich)), formulas_of(load(out))
    created = {("Plan", "C11"), ("Plan", "C12")}
    assert {k: v for k, v in after.items() if k not in created} == before
    assert after[("Plan", "C11")] == 160 and after[("Plan", "C12")] == 0.1
    assert before[("Plan", "D7")] == "=SOCIAL_ROI(C7,B7)"


def test_cell_xml_as_excel_writes_it(rich, tmp_path):
    out = tmp_path / "out.xlsx"
    write_values(rich, out, RICH_VALUES)
    with zipfile.ZipFile(out) as zf:
        root = parse(zf.read(sheet_parts(zf)["Plan"]))

    def vt(ref):
        c = cell(root, ref)
        v = c.find("m:v", NS)
        return c.get("t"), None if v is None else v.text, c.find("m:f", NS) is not None

    assert vt("D2") == (None, "1.5", True)
    assert vt("D4") == ("e", "#DIV/0!", True)
    assert vt("E2") == ("b", "1", True)
    assert vt("E3") == ("b", "0", True)
    assert vt("F2") == ("str", "Facebook ROI", True)
    assert vt("B7") == (None, "300", True)
    assert vt("C7") == (None, "650", True)
    assert vt("E7") == (None, None, True)  # blank result: no <v>, no t, formula kept
    assert vt("C11") == (None, "160", False)
    # <v> follows <f>; t sits after r and s
    d7 = cell(root, "D7")
    assert [etree.QName(ch).localname for ch in d7] == ["f", "v"]
    assert list(cell(root, "E2").attrib)[:3] == ["r", "s", "t"] or list(cell(root, "E2").attrib)[:2] == ["r", "t"]


def test_spilled_cells_are_created_in_order(rich, tmp_path):
    out = tmp_path / "out.xlsx"
    values = {("Plan", "C11"): 1, ("Plan", "C12"): 2, ("Plan", "B11"): 3, ("Plan", "D11"): 4,
              ("Plan", "A9"): 5, ("Plan", "Z30"): 6}
    write_values(rich, out, values)
    with zipfile.ZipFile(out) as zf:
        root = parse(zf.read("xl/worksheets/sheet1.xml"))
    rows = [int(r.get("r")) for r in root.iterfind("m:sheetData/m:row", NS)]
    assert rows == sorted(rows) and {9, 11, 12, 30} <= set(rows)
    row11 = root.find("m:sheetData/m:row[@r='11']", NS)
    assert [c.get("r") for c in row11.findall("m:c", NS)] == ["B11", "C11", "D11"]
    assert row11.get("ht") == "20"  # the row's own attributes are kept
    assert root.find("m:dimension", NS).get("ref") == "A1:Z30"
    wb = load(out, data_only=True)
    assert [wb["Plan"][r].value for r in ("C11", "C12", "B11", "D11", "A9", "Z30")] == [1, 2, 3, 4, 5, 6]


def test_created_cell_inherits_row_then_column_style(tmp_path):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    src = tmp_path / "styled.xlsx"
    wb = Workbook()
    ws = wb.active
    ws["A1"] = 1
    ws.row_dimensions[3].font = Font(italic=True)
    ws.column_dimensions["D"].font = Font(bold=True)
    wb.save(src)
    out = tmp_path / "out.xlsx"
    write_values(src, out, {("Sheet", "B3"): 1, ("Sheet", "D5"): 2, ("Sheet", "E5"): 3})
    ws = load(out)["Sheet"]
    assert ws["B3"].font.i and ws["D5"].font.b and not ws["E5"].font.b


def test_idempotent(rich, tmp_path):
    once, twice = tmp_path / "once.xlsx", tmp_path / "twice.xlsx"
    write_values(rich, once, RICH_VALUES)
    write_values(once, twice, RICH_VALUES)
    assert members(once) == members(twice)


def test_absolute_relationship_targets_and_sheet_order(tmp_path):
    src = fx.build_rich_workbook(tmp_path / "abs.xlsx")
    fx.add_calc_chain(src, absolute_target=True)
    with zipfile.ZipFile(src) as zf:
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
        assert 'Target="/xl/worksheets/sheet1.xml"' in rels  # openpyxl writes absolute targets
        assert list(sheet_parts(zf).items()) == [("Plan", "xl/worksheets/sheet1.xml"),
                                                  ("Data ROI", "xl/worksheets/sheet2.xml")]
    out = tmp_path / "out.xlsx"
    write_values(src, out, {("Data ROI", "A3"): 7})
    assert_only_cached_values_changed(src, out, {("Data ROI", "A3"): 7}, calc_chain_dropped=True)


def test_no_values_still_drops_calc_chain_and_changes_nothing_else(rich, tmp_path):
    out = tmp_path / "out.xlsx"
    write_values(rich, out, {})
    assert_only_cached_values_changed(rich, out, {}, calc_chain_dropped=True)


# --------------------------------------------------------------------------- a real .xlsm

def test_xlwings_quickstart_xlsm_keeps_vba_and_markup_compatibility(tmp_path):
    original = fx.xlwings_quickstart()
    digest = sha256(original)
    src = fx.copy_quickstart(tmp_path / "quickstart.xlsm")
    out = tmp_path / "out.xlsm"
    values = {("Sheet1", "A1"): 1.25, ("Sheet1", "C3"): "done", ("Sheet1", "B2"): True,
              ("_xlwings.conf", "A9"): XlError.VALUE}
    write_values(src, out, values)
    assert sha256(original) == digest and sha256(src) == digest

    # Excel wrote this package: no calcChain, so everything but the two sheets is byte-identical.
    assert_only_cached_values_changed(src, out, values, calc_chain_dropped=False)
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")
        old, new = a.read("xl/worksheets/sheet1.xml"), b.read("xl/worksheets/sheet1.xml")
    # The root start tag (mc:Ignorable and the prefixes it names) and everything outside
    # sheetData is byte for byte the original's; only the dimension grew.
    assert old.split(b"<sheetData")[0].replace(b'<dimension ref="A1"/>', b'<dimension ref="A1:C3"/>') \
        == new.split(b"<sheetData")[0]
    assert old.split(b"<sheetData/>")[1] == new.split(b"</sheetData>")[1]
    assert b'mc:Ignorable="x14ac xr xr2 xr3"' in new

    wb = load(out, data_only=True, keep_vba=True)
    ws = wb["Sheet1"]
    assert (ws["A1"].value, ws["B2"].value, ws["C3"].value) == (1.25, True, "done")
    assert wb["_xlwings.conf"]["A9"].value == "#VALUE!"
    assert wb.vba_archive is not None


# --------------------------------------------------------------------------- values_only

def test_values_only_freezes_shared_formulas(tmp_path):
    src = fx.build_shared_formula_workbook(tmp_path / "shared.xlsx")
    with zipfile.ZipFile(src) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    assert b'<f t="shared" si="0" ref="B2:B5">A2*2</f>' in xml and xml.count(b't="shared"') == 4
    # openpyxl expands the shared formula for the dependents: the fixture is what Excel would write
    assert load(src)["Shared"]["B4"].value == "=A4*2"

    values = {("Shared", "B2"): 4}  # only the master is listed
    out = tmp_path / "out.xlsx"
    write_values(src, out, values, values_only=True)
    with zipfile.ZipFile(out) as zf:
        frozen = zf.read("xl/worksheets/sheet1.xml")
    assert not re.search(rb"<f[ />]", frozen)  # every formula of the sheet, not only the listed cell's
    ws = load(out)["Shared"]
    assert ws["B2"].value == 4
    assert ws["A2"].value == 2 and ws["A1"].value == "x"


def test_values_only_gives_plain_values_to_readers(rich, tmp_path):
    out = tmp_path / "out.xlsx"
    write_values(rich, out, RICH_VALUES, values_only=True)
    wb = load(out)  # formulas mode: there are none left on the edited sheets
    plan = wb["Plan"]
    assert plan["D2"].value == 1.5 and plan["D4"].value == "#DIV/0!"
    assert plan["E2"].value is True and plan["F2"].value == "Facebook ROI"
    assert plan["C10"].value == 200 and plan["C11"].value == 160  # array formula range frozen
    assert plan["D7"].value == 650 / 300 - 1
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert not (isinstance(c.value, str) and c.value.startswith("=")), c.coordinate
    with zipfile.ZipFile(out) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    assert not re.search(rb"<f[ />]", xml) and b'cm="' not in xml
    assert b't="inlineStr"' in xml and b't="str"' not in xml  # strings without a formula go inline
    # defined names, styles and everything else stay
    assert wb.defined_names["Channels"].attr_text == "Plan!$A$2:$A$5"
    assert plan["D7"].number_format == "0.00%"
    with zipfile.ZipFile(rich) as a, zipfile.ZipFile(out) as b:
        for name in b.namelist():
            if not name.startswith("xl/worksheets/sheet") and name not in (
                    "xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                assert a.read(name) == b.read(name), name


# --------------------------------------------------------------------------- safety

def test_refuses_to_overwrite_the_source(rich, tmp_path):
    digest = sha256(rich)
    with pytest.raises(ValueError):
        write_values(rich, rich, RICH_VALUES)
    with pytest.raises(ValueError):
        write_values(rich, tmp_path / "sub" / ".." / rich.name, RICH_VALUES)
    link = tmp_path / "hardlink.xlsx"
    os.link(rich, link)
    with pytest.raises(ValueError):
        write_values(rich, link, RICH_VALUES)
    sym = tmp_path / "symlink.xlsx"
    sym.symlink_to(rich)
    with pytest.raises(ValueError):
        write_values(sym, rich, RICH_VALUES)
    assert sha256(rich) == digest


@pytest.mark.parametrize("existing", [False, True])
def test_failure_mid_write_leaves_no_output_and_no_temp_file(rich, tmp_path, monkeypatch, existing):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "out.xlsx"
    if existing:
        out.write_bytes(b"previous result")
    real = writer.write_zip

    def failing(zin, fh, replaced, drop):
        fh.write(b"PK\x03\x04 half a zip")
        raise OSError("disk full")

    monkeypatch.setattr(writer, "write_zip", failing)
    with pytest.raises(OSError, match="disk full"):
        write_values(rich, out, RICH_VALUES)
    assert sorted(p.name for p in out_dir.iterdir()) == (["out.xlsx"] if existing else [])
    if existing:
        assert out.read_bytes() == b"previous result"
    monkeypatch.setattr(writer, "write_zip", real)
    write_values(rich, out, RICH_VALUES)
    assert sorted(p.name for p in out_dir.iterdir()) == ["out.xlsx"]
    assert zipfile.ZipFile(out).testzip() is None


@pytest.mark.parametrize("values, error", [
    ({("Nope", "A1"): 1}, KeyError),
    ({("Plan", "A0"): 1}, ValueError),
    ({("Plan", "XFE1"): 1}, ValueError),
    ({("Plan", "B2:B3"): 1}, ValueError),
    ({("Plan", "B2"): object()}, TypeError),
    ({("Plan", "B2"): [1, 2]}, TypeError),
])
def test_bad_requests_write_nothing(rich, tmp_path, values, error):
    out = tmp_path / "out" / "x.xlsx"
    out.parent.mkdir()
    with pytest.raises(error):
        write_values(rich, out, values)
    assert list(out.parent.iterdir()) == []


def test_output_keeps_permissions_of_existing_destination(rich, tmp_path):
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"")
    os.chmod(out, 0o640)
    write_values(rich, out, RICH_VALUES)
    assert (os.stat(out).st_mode & 0o777) == 0o640
    fresh = tmp_path / "fresh.xlsx"
    write_values(rich, fresh, RICH_VALUES)
    umask = os.umask(0)
    os.umask(umask)
    assert (os.stat(fresh).st_mode & 0o777) == 0o666 & ~umask


# --------------------------------------------------------------------------- sheet XML by hand

def edit_sheet(xml: str, values, values_only=False) -> bytes:
    original = xml.encode()
    sheet = SheetEdit(original, "sheet.xml")
    sheet.apply(positions(by_reference({("S", ref): v for ref, v in values.items()})["S"]), values_only)
    return sheet.to_bytes(original)


HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" '
        'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">')


def test_cells_and_rows_without_r_keep_their_positions():
    xml = (HEAD + '<dimension ref="A1:B3"/><sheetData><row><c><v>1</v></c><c><f>A1*2</f></c></row>'
           '<row r="3"><c r="B3"><f>B1</f></c></row></sheetData></worksheet>')
    out = parse(edit_sheet(xml, {"B1": 2, "D1": 4, "A2": 9, "C1": 3}))
    row1 = out.find("m:sheetData/m:row", NS)
    assert row1.get("r") == "1"
    assert [(c.get("r"), c.findtext("m:v", namespaces=NS)) for c in row1] == [
        ("A1", "1"), ("B1", "2"), ("C1", "3"), ("D1", "4")]
    assert [r.get("r") for r in out.iterfind("m:sheetData/m:row", NS)] == ["1", "2", "3"]
    assert out.find("m:dimension", NS).get("ref") == "A1:D3"


def test_prefixed_main_namespace_and_splice_keeps_everything_outside_sheet_data():
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" '
           'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
           '<x:dimension ref="A1"/><x:sheetData><x:row r="1" spans="1:1" x14ac:dyDescent="0.2">'
           '<x:c r="A1"><x:f>1+1</x:f><x:v>0</x:v></x:c></x:row></x:sheetData>'
           '<x:extLst><x:ext uri="{X}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
           '<x14:foo></x14:foo></x:ext></x:extLst></x:worksheet>')
    out = edit_sheet(xml, {"A1": 2, "C1": "new"}).decode()
    assert out.startswith(xml.split("<x:dimension")[0])  # declaration and root start tag, byte for byte
    assert '<x:dimension ref="A1:C1"/>' in out
    assert '<x:row r="1" spans="1:3" x14ac:dyDescent="0.2"><x:c r="A1"><x:f>1+1</x:f><x:v>2</x:v></x:c>' \
           '<x:c r="C1" t="str"><x:v>new</x:v></x:c></x:row>' in out
    assert out.endswith(xml.split("</x:sheetData>")[1])  # extLst kept as written (<x14:foo></x14:foo>)


def test_formula_cells_as_excel_writes_them_get_value_and_type():
    # The common forms: a formula with no cached value, with one, with a style, with a rich value.
    xml = (HEAD + '<sheetData><row r="1">'
           '<c r="A1"><f>1+1</f></c>'
           '<c r="B1" t="str"><f>"a"</f><v>a</v></c>'
           '<c r="C1" s="3"><f>"x"&amp;"y"</f></c>'
           '<c r="D1" t="e" vm="1"><f>1/0</f><v>#VALUE!</v></c>'
           '<c r="E1"><f>Z9</f><v>5</v></c>'
           '<c r="F1" t="b"><f>TRUE</f></c>'
           '<c r="G1"><f>1</f></c>'
           '</row></sheetData></worksheet>')
    out = edit_sheet(xml, {"A1": 2, "B1": 3.5, "C1": "x<y", "D1": XlError.DIV0, "E1": None,
                           "F1": False, "G1": True}).decode()
    assert ('<row r="1"><c r="A1"><f>1+1</f><v>2</v></c>'
            '<c r="B1"><f>"a"</f><v>3.5</v></c>'
            '<c r="C1" s="3" t="str"><f>"x"&amp;"y"</f><v>x&lt;y</v></c>'
            '<c r="D1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
            '<c r="E1"><f>Z9</f></c>'
            '<c r="F1" t="b"><f>TRUE</f><v>0</v></c>'
            '<c r="G1" t="b"><f>1</f><v>1</v></c></row>') in out


def test_cells_named_unusually_are_still_found():
    # r in lower case, a cell without r among named ones: the cell there is edited, none created.
    xml = (HEAD + '<dimension ref="A1:C2"/><sheetData><row r="1"><c r="a1"><f>1</f></c><c r="B1"><f>2</f></c>'
           '<c><f>3</f></c></row><row r="2"><c r="$C$2"><f>4</f></c></row></sheetData></worksheet>')
    root = parse(edit_sheet(xml, {"A1": 10, "b1": 20, "C1": 30, "$C$2": 40}))
    row1, row2 = root.find("m:sheetData", NS)
    assert [(c.get("r"), c.findtext("m:v", namespaces=NS)) for c in row1] == [
        ("a1", "10"), ("B1", "20"), (None, "30")]
    assert [(c.get("r"), c.findtext("m:v", namespaces=NS)) for c in row2] == [("$C$2", "40")]
    assert root.find("m:dimension", NS).get("ref") == "A1:C2"


@pytest.mark.parametrize("ref, cell", [
    ("B7", (7, 2)), ("b7", (7, 2)), ("$B$7", (7, 2)), ("B$7", (7, 2)), (" B7 ", (7, 2)), ("B007", (7, 2)),
    ("XFD1048576", (1048576, 16384)), ("A1", (1, 1)), ("AA10", (10, 27)),
])
def test_the_writer_reads_references(ref, cell):
    assert positions(by_reference({("S", ref): 1})["S"]) == {cell: (None, "1", 1)}


@pytest.mark.parametrize("ref", ["A0", "XFE1", "A1048577", "A10000000", "AAAA1", "B", "7", "1A", "\u00e91",
                                 "B7x", "B:7", "B\u00b2", "B2:B3", "", 7, None])
def test_the_writer_refuses_what_is_not_one_cell(ref):
    with pytest.raises(ValueError):
        by_reference({("S", ref): 1})


@pytest.mark.parametrize("refs, named", [
    (["B7", "XFD1048576", "A1"], ["B7", "XFD1048576", "A1"]),          # all plain: kept as given
    (["B7", "$C$2", "b3", "D004"], ["B7", "C2", "B3", "D4"]),          # one not: each written plainly
])
def test_by_reference_names_each_cell_plainly(refs, named):
    assert list(by_reference({("S", ref): 1 for ref in refs})["S"]) == named


def test_by_reference_keeps_the_last_value_of_a_cell_named_twice_in_its_first_place():
    got = by_reference({("S", "B7"): 1, ("S", "A1"): 2, ("S", "$B$7"): 3})
    assert got == {"S": {"B7": (None, "3", 3), "A1": (None, "2", 2)}}
    assert list(got["S"]) == ["B7", "A1"]


@pytest.mark.parametrize("ref", ["XFE1", "A1048577", "XFD1048577", "A0", "ZZZ1", "A1\nB2"])
def test_by_reference_refuses_plain_looking_references_outside_the_sheet(ref):
    with pytest.raises(ValueError):
        by_reference({("S", "A1"): 1, ("S", ref): 2})


def test_rich_value_link_inline_strings_and_shared_strings_are_replaced():
    xml = (HEAD + '<sheetData><row r="1">'
           '<c r="A1" t="e" cm="1" vm="1"><f t="array" ref="A1">SEQUENCE(0)</f><v>#VALUE!</v></c>'
           '<c r="B1" t="inlineStr"><is><t>old</t></is></c>'
           '<c r="C1" s="3" t="s"><v>0</v></c>'
           '</row></sheetData></worksheet>')
    out = parse(edit_sheet(xml, {"A1": 5, "B1": True, "C1": None}))
    a1, b1, c1 = out.find("m:sheetData/m:row", NS)
    assert dict(a1.attrib) == {"r": "A1", "cm": "1"} and a1.findtext("m:v", namespaces=NS) == "5"
    assert dict(b1.attrib) == {"r": "B1", "t": "b"} and [ch.tag.split("}")[1] for ch in b1] == ["v"]
    assert dict(c1.attrib) == {"r": "C1", "s": "3"} and len(c1) == 0


def test_values_only_on_hand_written_shared_and_array_formulas():
    xml = (HEAD + '<sheetData>'
           '<row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">ROW()</f><v>1</v></c>'
           '<c r="B1" t="str" cm="1"><f t="array" ref="B1:B2">{"a";"b"}</f><v>a</v></c></row>'
           '<row r="2"><c r="A2"><f t="shared" si="0"/><v>2</v></c><c r="B2" t="str"><v>b</v></c></row>'
           '<row r="3"><c r="A3"><f t="shared" si="0"/><v>3</v></c></row>'
           '</sheetData></worksheet>')
    out = edit_sheet(xml, {"A1": 10, "B1": "x  "}, values_only=True)
    root = parse(out)
    assert not root.xpath("//m:f", namespaces=NS) and b'cm="' not in out
    assert [c.findtext("m:v", namespaces=NS) for c in root.iter(f"{{{fx.MAIN_NS}}}c") if c.get("r")[0] == "A"] \
        == ["10", "2", "3"]  # unlisted cells keep their cached values
    b1 = cell(root, "B1")
    assert b1.get("t") == "inlineStr" and b1.findtext("m:is/m:t", namespaces=NS) == "x  "
    assert b1.find("m:is/m:t", NS).get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    b2 = cell(root, "B2")  # the array's other cell: no formula of its own, text result all the same
    assert b2.get("t") == "inlineStr" and b2.findtext("m:is/m:t", namespaces=NS) == "b"


# --------------------------------------------------------------------------- values as text

@pytest.mark.parametrize("value, text", [
    (15, "15"), (15.0, "15"), (0.1, "0.1"), (-0.25, "-0.25"), (0.0, "0"), (-0.0, "0"),
    (1e-5, "1E-5"), (1.5e-7, "1.5E-7"), (1e100, "1E+100"), (1.7976931348623157e308, "1.7976931348623157E+308"),
    (123456789012345.0, "123456789012345"), (1e16, "1E+16"), (2 ** 60, "1.152921504606847E+18"),
    (0.1 + 0.2, "0.30000000000000004"), (True, "1"),
])
def test_cell_text(value, text):
    assert cell_text(value) == text
    assert float(text) == float(value)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), 10 ** 400])
def test_non_finite_numbers_are_num_errors(value):
    assert cell_text(value) is None
    assert encode(value) == ("e", "#NUM!")


def test_cell_text_round_trips():
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    @hypothesis.given(st.floats(allow_nan=False, allow_infinity=False))
    @hypothesis.settings(max_examples=200, deadline=None)
    def check(x):
        text = cell_text(x)
        assert float(text) == x and "e" not in text and len(text) <= 24

    check()


def test_value_encoding_edge_cases():
    import numpy as np

    enc = encode
    assert enc(np.float64(0.5)) == (None, "0.5")
    assert enc(np.int64(7)) == (None, "7")
    assert enc(np.bool_(True)) == ("b", "1")
    assert enc(XlError.SPILL) == ("e", "#VALUE!")  # Excel keeps #SPILL!/#CALC! as rich values
    assert enc(XlError.GETTING_DATA) == ("e", "#GETTING_DATA")
    assert enc("#N/A") == ("str", "#N/A")  # a string that looks like an error stays a string
    assert enc("a\x01b") == ("str", "a_x0001_b")  # not XML-encodable: Excel's _xHHHH_ escape
    assert enc("_x0041_") == ("str", "_x005F_x0041_")
    assert error_text(XlError.DIV0) == "#DIV/0!" and error_text("#n/a") == "#N/A"
    with pytest.raises(ValueError):
        error_text("#NOPE")
    formulas = pytest.importorskip("formulas")
    assert enc(formulas.DIV) == ("e", "#DIV/0!")


def test_awkward_strings_survive(rich, tmp_path):
    out = tmp_path / "out.xlsx"
    values = {("Plan", "F2"): "  <b>&\"quoted\"</b>  ", ("Plan", "F3"): "line1\r\nline2\ttab",
              ("Plan", "F4"): "Ünïcödé €"}
    write_values(rich, out, values)
    ws = load(out, data_only=True)["Plan"]
    assert [ws[r].value for r in ("F2", "F3", "F4")] == list(values.values())


# --------------------------------------------------------------------------- Excel's own files

CONFORMANCE = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "ironcalc"


def _excel_cached_values(path: Path):
    """Every formula cell's cached value, as Excel saved it."""
    out = {}
    with zipfile.ZipFile(path) as zf:
        for sheet, part in sheet_parts(zf).items():
            for c in parse(zf.read(part)).iter(f"{{{fx.MAIN_NS}}}c"):
                if c.find("m:f", NS) is None:
                    continue
                v, t = c.find("m:v", NS), c.get("t", "n")
                if v is None:
                    out[(sheet, c.get("r"))] = None
                elif t == "e":
                    out[(sheet, c.get("r"))] = XlError.from_code(v.text)
                elif t == "b":
                    out[(sheet, c.get("r"))] = v.text == "1"
                elif t == "str":
                    out[(sheet, c.get("r"))] = re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)),
                                                      v.text or "")
                elif t == "n":
                    out[(sheet, c.get("r"))] = float(v.text)
    return out


@pytest.mark.skipif(not CONFORMANCE.is_dir(), reason="shared/conformance not present")
def test_excel_saved_workbooks_round_trip_their_own_values(tmp_path):
    """Writing Excel's own cached values back changes nothing but how numbers are spelled
    (Excel writes 17 digits, we write the shortest exact text) and the rich-value link (vm) of
    #SPILL!/#CALC! cells, which now hold plain #VALUE!."""
    files = sorted(CONFORMANCE.rglob("*.xlsx"))[::8]
    assert files
    for path in files:
        values = _excel_cached_values(path)
        out = tmp_path / path.name
        write_values(path, out, values)
        with zipfile.ZipFile(path) as a, zipfile.ZipFile(out) as b:
            assert [n for n in b.namelist()] == [n for n in a.namelist() if n != "xl/calcChain.xml"]
            parts = set(sheet_parts(a).values())
            for name in b.namelist():
                old, new = a.read(name), b.read(name)
                if name not in parts:
                    if name not in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                        assert old == new, (path, name)
                    continue
                ra, rb = parse(old), parse(new)
                for x, y in zip(ra.iter(), rb.iter(), strict=True):
                    assert x.tag == y.tag
                    xa, ya = dict(x.attrib), dict(y.attrib)
                    xa.pop("vm", None)
                    assert xa == ya, (path, name, x.get("r"))
                    if x.text != y.text:
                        assert etree.QName(x).localname == "v" and float(x.text) == float(y.text)


# --------------------------------------------------------------------------- LibreOffice

RECALC_NEVER = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>1</value></prop></item>
</oor:items>
"""  # noqa: E501 - a LibreOffice profile's XML, one item a line as LibreOffice writes it


# Values LibreOffice could not have computed itself, so seeing them proves it read ours.
LO_VALUES = {("Plan", "D2"): 9.75, ("Plan", "D5"): "text result", ("Plan", "F2"): "cached",
             ("Plan", "B7"): 1, ("Plan", "D7"): 0.5, ("Plan", "E2"): False, ("Plan", "E3"): True,
             ("Plan", "D3"): XlError.NA, ("Plan", "E4"): XlError.REF, ("Plan", "F3"): 7}


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_reads_the_cached_values(rich, tmp_path):
    kept, frozen = tmp_path / "kept.xlsx", tmp_path / "frozen.xlsx"
    write_values(rich, kept, LO_VALUES)
    write_values(rich, frozen, LO_VALUES, values_only=True)
    profile = tmp_path / "lo-profile"
    (profile / "user").mkdir(parents=True)
    # never recalculate on load (its default for xlsx too, stated so the test does not depend on it)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_NEVER)
    csv_dir = tmp_path / "csv"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "csv", "--outdir", str(csv_dir), str(kept), str(frozen)],
                   check=True, capture_output=True, timeout=300)

    def grid(name):
        text = (csv_dir / name).read_text(encoding="utf-8")
        return {f"{chr(65 + c)}{r + 1}": v for r, row in enumerate(csv.reader(text.splitlines()))
                for c, v in enumerate(row)}

    g = grid("kept.csv")
    # LibreOffice takes a formula cell's cached number or text and recalculates the rest (booleans,
    # errors, array formulas, volatile functions): so only those are asserted with formulas kept.
    assert g["D2"] == "975%" and g["D5"] == "text result" and g["F2"] == "cached"
    assert g["B7"] == "1" and g["F3"] == "7"
    assert g["D7"] == "50%"  # =SOCIAL_ROI(..): had it been recalculated, LibreOffice would show #NAME?
    f = grid("frozen.csv")
    assert (f["D2"], f["D5"], f["F2"], f["B7"], f["D7"], f["F3"]) == ("975%", "text result", "cached", "1", "50%", "7")
    assert (f["E2"], f["E3"], f["D3"], f["E4"]) == ("FALSE", "TRUE", "#N/A", "#REF!")
    assert f["A2"] == "Facebook" and f.get("C10", "") == ""  # an unlisted formula with no cached value: blank


# --------------------------------------------------------------------------- speed (reported, not asserted)

def test_timing_on_400_formula_cells(tmp_path, capsys):
    src = fx.build_sized_workbook(tmp_path / "sized.xlsx", rows=100)
    values = {("Model", f"{col}{r}"): (r * 0.37 if col != "F" else r % 2 == 0)
              for r in range(2, 102) for col in "CDEF"}
    assert len(values) == 400
    out = tmp_path / "out.xlsx"
    write_values(src, out, values)  # warm-up
    runs = 20
    t0 = time.perf_counter()
    for _ in range(runs):
        write_values(src, out, values)
    per_call = (time.perf_counter() - t0) / runs
    with capsys.disabled():
        print(f"\nwrite_values, 400 formula cells: {per_call * 1000:.1f} ms per call")
    assert load(out, data_only=True)["Model"]["C2"].value == 2 * 0.37


# --------------------------------------------------------------------------- parts the reader scanned

def scanned(path: Path):
    """The sheet parts as the fast reader hands them to the writer: (bytes, None) for those whose
    cells cell_scan read from their bytes."""
    from roi_xl.xlsx.read import Book, read

    book, _ = read(path, Book)
    return book.parts


def test_a_scanned_part_keeps_every_byte_but_its_formula_cells_values(rich, tmp_path):
    parsed = scanned(rich)
    assert parsed["xl/worksheets/sheet2.xml"][1] is None
    values = {("Data ROI", "A2"): (650 / 300 - 1) * 2, ("Data ROI", "B2"): float("nan"), ("Data ROI", "A3"): 301}
    out = tmp_path / "out.xlsx"
    write_values(rich, out, values, parsed=parsed)
    with zipfile.ZipFile(rich) as zin, zipfile.ZipFile(out) as zout:
        before, after = zin.read("xl/worksheets/sheet2.xml"), zout.read("xl/worksheets/sheet2.xml")
    # openpyxl's <v></v> and t="n" of the cells not listed stay, as they were (lxml would write <v/>)
    assert after == (before.replace(b'<c r="A2"><f>Plan!D7*2</f><v></v></c>',
                                    b'<c r="A2"><f>Plan!D7*2</f><v>2.333333333333333</v></c>')
                           .replace(b'<c r="B2"><f>IFERROR(A2/0,"n/a")</f><v></v></c>',
                                    b'<c r="B2" t="e"><f>IFERROR(A2/0,"n/a")</f><v>#NUM!</v></c>')
                           .replace(b'<c r="A3"><f>TotalSpend+1</f><v></v></c>',
                                    b'<c r="A3"><f>TotalSpend+1</f><v>301</v></c>'))
    assert after != before
    assert_only_cached_values_changed(rich, out, values, calc_chain_dropped=True)
    ws = load(out, data_only=True)["Data ROI"]
    assert (ws["A2"].value, ws["B2"].value, ws["A3"].value, ws["A1"].value) == (2.333333333333333, "#NUM!", 301, 5)


@pytest.mark.parametrize("values_only", [False, True])
def test_a_scanned_part_not_plainly_held_is_edited_in_its_tree(rich, tmp_path, values_only):
    # Plan's C11 and C12 are spilled cells the file lacks, to be created: the tree edit writes Plan,
    # as without `parsed`; values_only freezes every formula of both sheets, in their trees.
    parsed = scanned(rich)
    assert parsed["xl/worksheets/sheet1.xml"][1] is None
    via_reader, direct = tmp_path / "via_reader.xlsx", tmp_path / "direct.xlsx"
    write_values(rich, via_reader, RICH_VALUES, values_only=values_only, parsed=parsed)
    write_values(rich, direct, RICH_VALUES, values_only=values_only)
    assert members(via_reader) == members(direct)
    if values_only:
        assert formulas_of(load(via_reader)) == formulas_of(load(via_reader, data_only=True))
