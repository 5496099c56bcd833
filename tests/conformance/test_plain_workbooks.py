"""bench/plain_workbooks.py, the generator of issue 12's plain benchmark workbooks: deterministic, the
formula counts it claims, and LibreOffice computing a few of its cells as worked out here by hand from
the data block (Excel's rules applied in plain Python, not any engine's output)."""
from __future__ import annotations

import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest

from tests.support.libreoffice import recalc_with_libreoffice

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from plain_workbooks import COLUMNS, DATA_ROWS, data_rows, formulas_for, write_plain  # noqa: E402


def test_same_seed_same_workbook_other_seed_other_formulas():
    assert formulas_for(1000, 7) == formulas_for(1000, 7)
    assert data_rows(7) == data_rows(7)
    one, other = formulas_for(1000, 7), formulas_for(1000, 8)
    assert list(one) == list(other)  # the same cells...
    assert sum(one[a] != other[a] for a in one) > 900  # ...holding other formulas: another formula key


@pytest.mark.parametrize("n", [1000, 2345])
def test_workbook_holds_the_formula_count_claimed(tmp_path, n):
    path = write_plain(tmp_path / "p.xlsx", n, 3)
    wb = openpyxl.load_workbook(path)
    calc = [c for row in wb["Calc"].iter_rows() for c in row if c.value is not None]
    assert len(calc) == n and all(c.data_type == "f" for c in calc)
    assert wb["Calc"].max_column == COLUMNS
    data = [c for row in wb["Data"].iter_rows() for c in row]
    assert len(data) == (DATA_ROWS + 1) * 6 and not any(c.data_type == "f" for c in data)
    assert len(formulas_for(50_000, 1)) == 50_000


def _expected(formula: str, rows: list[tuple]) -> tuple[str, object] | None:
    """The value of a formula of a few known shapes, from the data rows (Data row r is rows[r - 2])."""
    by_id = {r[0]: r for r in rows}
    by_key = {r[1]: r for r in rows}
    if m := re.fullmatch(r"=IFERROR\(VLOOKUP\((\d+),Data!\$A\$2:\$F\$\d+,5,FALSE\),-1\)", formula):
        row = by_id.get(int(m[1]))
        return "vlookup", row[4] if row else -1
    if m := re.fullmatch(r'=INDEX\(Data!\$E\$2:\$E\$\d+,MATCH\("(K\d+)",Data!\$B\$2:\$B\$\d+,0\)\)', formula):
        return "index_match", by_key[m[1]][4]
    if m := re.fullmatch(r'=SUMIFS\(Data!\$E\$2:\$E\$\d+,Data!\$C\$2:\$C\$\d+,"(\w+)",'
                         r'Data!\$F\$2:\$F\$\d+,">(\d+)"\)', formula):
        return "sumifs", sum(r[4] for r in rows if r[2] == m[1] and r[5] > int(m[2]))
    if m := re.fullmatch(r'=COUNTIFS\(Data!\$C\$2:\$C\$\d+,"(\w+)",Data!\$D\$2:\$D\$\d+,"(\w+)"\)', formula):
        return "countifs", sum(1 for r in rows if r[2] == m[1] and r[3] == m[2])
    if m := re.fullmatch(r"=SUM\(Data!E(\d+):E(\d+)\)", formula):
        return "sum", sum(r[4] for r in rows[int(m[1]) - 2:int(m[2]) - 1])
    if m := re.fullmatch(r'=Data!B(\d+)&"-"&UPPER\(LEFT\(Data!C\1,3\)\)', formula):
        row = rows[int(m[1]) - 2]
        return "text_join", f"{row[1]}-{row[2][:3].upper()}"
    if m := re.fullmatch(r'=TEXT\(Data!F(\d+)/(\d+),"0.000"\)', formula):
        exact = Decimal(rows[int(m[1]) - 2][5]) / Decimal(int(m[2]))  # Excel rounds half away from zero
        return "text_fmt", str(exact.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))
    if m := re.fullmatch(r"=Data!E(\d+)\*Data!F\1\+(\d+)", formula):
        row = rows[int(m[1]) - 2]
        return "arith", row[4] * row[5] + int(m[2])
    return None


@pytest.mark.libreoffice
def test_libreoffice_agrees_with_values_worked_by_hand(tmp_path):
    n, seed = 300, 3
    path = write_plain(tmp_path / "plain.xlsx", n, seed)
    rows = data_rows(seed)
    picked: dict[str, tuple[str, object]] = {}
    seen: set[str] = set()
    for address, formula in formulas_for(n, seed).items():
        got = _expected(formula, rows)
        if got and sum(k == got[0] for k, _ in picked.values()) < 3:  # three cells of each shape
            picked[f"Calc!{address}"] = got
            seen.add(got[0])
    assert seen == {"vlookup", "index_match", "sumifs", "countifs", "sum", "text_join", "text_fmt", "arith"}
    values = recalc_with_libreoffice([path], tmp_path / "lo")[path]
    for cell, (kind, expected) in picked.items():
        if isinstance(expected, str):
            assert values[cell] == expected, (cell, kind)
        else:
            assert values[cell] == pytest.approx(expected, rel=1e-12, abs=1e-9), (cell, kind)
