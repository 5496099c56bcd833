"""bench/conformance.py, the conformance score: run as a subprocess on workbooks the test writes
(their cached values written by roi-xl's own write-back, then one edited to disagree)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import roi_xl

from tests.support.workbook_fixtures import rewrite_members

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import conformance  # noqa: E402
from cached_values import cached_formula_cells  # noqa: E402


def _saved(path: Path, formulas: dict[str, str]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["B1"] = 4
    for ref, f in formulas.items():
        ws[ref] = f
    raw = path.with_suffix(".raw.xlsx")
    wb.save(raw)
    roi_xl.recalc(raw, path)        # writes each formula's value into <v>, as Excel does
    raw.unlink()
    return path


@pytest.fixture
def suite(tmp_path):
    (tmp_path / "calc_tests" / "MATH").mkdir(parents=True)
    _saved(tmp_path / "calc_tests" / "MATH" / "m.xlsx",
           {"A1": "=B1*2", "A2": '="a"&"b"', "A3": "=1/0", "A4": "=B1>3", "A5": "=SQRT(B1)"})
    _saved(tmp_path / "calc_tests" / "top.xlsx", {"A1": "=B1+1"})
    return tmp_path


def _replace_in_sheets(path: Path, old: bytes, new: bytes) -> None:
    rewrite_members(path, lambda name, data: None if name is None else
                    data.replace(old, new) if name.startswith("xl/worksheets/") else data)


def _run(suite: Path, *args) -> tuple[int, dict]:
    report = suite / "report.json"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "conformance.py"), str(suite),
                           "--jobs", "2", "--quiet", "--report", str(report), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    return proc.returncode, json.loads(report.read_text())


def test_matching_workbooks_score_one_per_family(suite):
    code, report = _run(suite, "--min-score", "1.0")
    assert code == 0
    assert report["families"]["MATH"] == {"files": 1, "failed": 0, "cells": 5, "matches": 5,
                                          "rate": 1.0}
    assert report["families"]["general"]["cells"] == 1
    assert report["score"]["rate"] == 1.0


def test_a_disagreeing_cached_value_is_listed_and_fails_the_gate(suite):
    path = suite / "calc_tests" / "MATH" / "m.xlsx"
    _replace_in_sheets(path, b"<v>8</v>", b"<v>9</v>")
    code, report = _run(suite, "--min-score", "0.9")
    assert code == 1                      # 5 of 6 cells: below 0.9
    (wb,) = [w for w in report["workbooks"] if w["workbook"].endswith("m.xlsx")]
    assert [(m["cell"], m["excel"], m["ours"]) for m in wb["mismatches"]] == \
        [("A1", ["n", 9.0], ["n", 8.0])]


def test_the_report_counts_plan_and_fallback_by_reason(suite):
    # m.xlsx (5 cells) and top.xlsx (1) translate; a third workbook's unknown function sends it
    # to the formulas model.
    _saved(suite / "calc_tests" / "MATH" / "u.xlsx", {"A1": "=NOSUCHFUNCTION(B1)", "A2": "=B1"})
    code, report = _run(suite)
    assert code == 0
    assert report["engines"] == {
        "plan": {"workbooks": 2, "cells": 6}, "formulas": {"workbooks": 1, "cells": 2},
        "unknown": {"workbooks": 0, "cells": 0},
        "reasons": {"fast plan off: unknown function NOSUCHFUNCTION": {"workbooks": 1, "cells": 2}}}
    printed = subprocess.run([sys.executable, str(ROOT / "bench" / "conformance.py"), str(suite),
                              "--from-report", str(suite / "report.json"), "--show", "0"],
                             capture_output=True, text=True, cwd=ROOT, timeout=300).stdout
    assert "translated plan: 2 workbooks, 6 cells (75.0%)" in printed
    assert "     1 workbooks       2 cells  fast plan off: unknown function NOSUCHFUNCTION" in printed


def test_number_tolerance_and_types():
    assert conformance.matches(("n", 1.0), ("n", 1.0 + 5e-10))
    assert not conformance.matches(("n", 1.0), ("n", 1.0 + 5e-9))
    assert conformance.matches(("n", 0.0), ("n", 5.551115123125783e-17))   # 0.1+0.2-0.3
    assert not conformance.matches(("n", 0.0), ("n", 1e-12))
    assert not conformance.matches(("n", 1.0), ("s", "1"))
    assert not conformance.matches(("b", True), ("n", 1.0))
    assert conformance.matches(("e", "#N/A"), ("e", "#N/A"))


def test_cached_strings_are_unescaped(tmp_path):
    path = _saved(tmp_path / "c.xlsx", {"A1": '="x"&"y"'})
    _replace_in_sheets(path, b">xy<", b">_x0001_y<")
    (cell,) = cached_formula_cells(path)
    assert (cell.kind, cell.value) == ("s", "\x01y")


def test_error_text_is_an_error_only_in_a_file_excel_did_not_save(tmp_path):
    path = _saved(tmp_path / "t.xlsx", {"A1": '="#N/A"', "A2": '="#NUM"'})
    # Written as by Excel (openpyxl's docProps/app.xml names Microsoft Excel): "#N/A" is real text.
    assert [(c.kind, c.value) for c in cached_formula_cells(path)] == [("s", "#N/A"), ("s", "#NUM")]
    # Without Excel's app.xml an error literal cached as text is the error; other text stays text.
    rewrite_members(path, lambda name, data: None if name in (None, "docProps/app.xml") else data)
    assert [(c.kind, c.value) for c in cached_formula_cells(path)] == [("e", "#N/A"), ("s", "#NUM")]


_METADATA = (b'<metadata xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             b'xmlns:xlrd="http://schemas.microsoft.com/office/spreadsheetml/2017/richdata">'
             b'<metadataTypes count="2"><metadataType name="XLDAPR"/><metadataType name="XLRICHVALUE"/>'
             b'</metadataTypes><futureMetadata name="XLRICHVALUE" count="2"><bk><extLst><ext><xlrd:rvb i="0"/>'
             b'</ext></extLst></bk><bk><extLst><ext><xlrd:rvb i="1"/></ext></extLst></bk></futureMetadata>'
             b'<valueMetadata count="2"><bk><rc t="2" v="0"/></bk><bk><rc t="2" v="1"/></bk></valueMetadata>'
             b'</metadata>')
_RICH = b'xmlns="http://schemas.microsoft.com/office/spreadsheetml/2017/richdata"'
_VALUES = (b'<rvData ' + _RICH + b' count="2"><rv s="0"><v>13</v><v>3</v></rv>'
           b'<rv s="0"><v>8</v><v>1</v></rv></rvData>')
_STRUCTURES = (b'<rvStructures ' + _RICH + b' count="1"><s t="_error"><k n="errorType" t="i"/>'
               b'<k n="subType" t="i"/></s></rvStructures>')


def test_rich_errors_are_read_from_their_rich_value(tmp_path):
    """Excel stores #CALC! and #SPILL! as <v>#VALUE!</v> plus vm= pointing to a rich value whose
    errorType is 13 (#CALC!) or 8 (#SPILL!), as in SEQUENCE.xlsx and DROP_TAKE.xlsx."""
    path = _saved(tmp_path / "r.xlsx", {"A1": "=1/0", "A2": "=1/0", "A3": "=1/0"})
    _replace_in_sheets(path, b'<c r="A1" t="e">', b'<c r="A1" t="e" vm="1">')
    _replace_in_sheets(path, b'<c r="A2" t="e">', b'<c r="A2" t="e" vm="2">')
    _replace_in_sheets(path, b"#DIV/0!", b"#VALUE!")
    assert [c.value for c in cached_formula_cells(path)] == ["#VALUE!"] * 3  # no rich parts yet
    rewrite_members(path, lambda name, data: data if name is not None else [
        ("xl/metadata.xml", _METADATA), ("xl/richData/rdrichvalue.xml", _VALUES),
        ("xl/richData/rdrichvaluestructure.xml", _STRUCTURES)])
    assert [(c.kind, c.value) for c in cached_formula_cells(path)] == [
        ("e", "#CALC!"), ("e", "#SPILL!"), ("e", "#VALUE!")]
