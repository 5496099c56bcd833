"""TEXT(value, format_text) through the real engine (roi_xl/engine/numfmt.py).

Expected values come from Microsoft's documentation of number format codes (its examples: "####.#",
"???.???", "0.0,,", "##0.0E+0", ...), from Excel's own results (cells Excel computed and saved:
General's 11 characters, the sign of a negative that rounds to zero, 29 Feb 1900) and, for the
second test, from LibreOffice, which renders these codes as Excel does except where noted.
"""
from __future__ import annotations

import openpyxl
import pytest

import roi_xl
from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value, evaluate_cases

# (value, format) -> text, worked from Excel's documented rules
DOCUMENTED = {
    (1234.59, "####.#"): "1234.6",
    (8.9, "#.000"): "8.900",
    (0.631, "0.#"): "0.6",
    (12, "#.0#"): "12.0",
    (1234.568, "#.0#"): "1234.57",
    (44.398, "???.???"): " 44.398",      # ? pads with spaces to align the point
    (2.8, "???.???"): "  2.8  ",
    (5.25, "# ???/???"): "5   1/4  ",    # numerator right-, denominator left-aligned
    (1.5, "# ?/4"): "1 2/4",             # a fixed denominator
    (0.1, "#/#"): "1/9",                 # the closest fraction with a one-digit denominator
    (12000, "#,###"): "12,000",
    (12000, "#,"): "12",                 # a trailing comma divides by 1,000
    (12200000, "0.0,,"): "12.2",
    (0.285, "0.0%"): "28.5%",
    (12200000, "0.00E+00"): "1.22E+07",
    (12200000, "##0.0E+0"): "12.2E+6",   # engineering: exponent a multiple of 3
    (0.000123, "0.00E-00"): "1.23E-04",
    (-12, "0;(0)"): "(12)",              # a negative section shows no minus
    (0, '0;-0;"zero"'): "zero",
    (150, '[>100]"big";"small"'): "big",
    (50, '[>100]"big";"small"'): "small",
    (-1234567.891, "$#,##0.00"): "-$1,234,567.89",  # the minus goes first
    (123, "0000-00"): "0001-23",
    (2.675, "0.00"): "2.68",             # 15 significant digits, then half away from zero
    (12.5, '0.0 "kg"'): "12.5 kg",
    (3, "0_);(0)"): "3 ",                # _) is a space as wide as ")"
    (12, "[Red]0.0"): "12.0",            # colours have no place in text
    (40981, "dddd, mmmm d, yyyy"): "Tuesday, March 13, 2012",
    (40981, "mmmmm"): "M",
    (40981, "d-mmm-yy"): "13-Mar-12",
    (0.75, "h:mm AM/PM"): "6:00 PM",
    (0.25, "h:mm a/p"): "6:00 a",
    (1.5, "[h]:mm"): "36:00",            # elapsed hours
    (0.0625, "[mm]:ss"): "90:00",
    (40981.5, "m/d/yyyy h:mm"): "3/13/2012 12:00",  # m after h is minutes, elsewhere months
    (0.999999, "hh:mm:ss"): "00:00:00",  # rounded to the second shown, like Excel (LibreOffice cuts)
    (60, "yyyy-mm-dd"): "1900-02-29",    # Excel's own calendar
    (1, "dddd"): "Sunday",               # Excel's day 1 is a Sunday
    (123456789012, "General"): "1.23457E+11",  # General fits 11 characters
    (1 / 3, "General"): "0.333333333",
    (-2.5e-9, "General"): "-2.5E-09",
    (25000000000, "General"): "25000000000",
    (-1 / 3, "0"): "0",                  # one section: no minus when every digit shown is 0
    (-1 / 3, "#,##0_);(#,##0)"): "(0)",  # two sections: the section follows the sign
    (-12, "00-00-00-00"): "-00-00-00-12",
    (0, "#.#"): ".",
    (12.5, ".00"): "12.50",
    # the usual codes (numfmt's plain codes): digits rounded half away from zero, grouped by 3
    (1234567.891, "#,##0"): "1,234,568",
    (999.95, "#,##0.0"): "1,000.0",      # the rounding carries into a new group
    (1.005, "0.00"): "1.01",             # 15 significant digits: 1.005, not the double below it
    (-2.5, "0"): "-3",
    (-0.004, "#,##0.00"): "0.00",        # one section: no minus when every digit shown is 0
    (0.5, "#,##0.000"): "0.500",
}

# formula -> value: text values, errors and the text section
OTHER = {
    '=TEXT("12","0.00")': "12.00",              # numeric text is a number
    '=TEXT("abc","0.00")': "abc",               # other text passes through
    '=TEXT("abc","0;0;0;""<""@"">""")': "<abc>",  # ... or through the fourth section
    '=TEXT(TRUE,"0")': "TRUE",
    '=TEXT(2958466,"d/m/yyyy")': XlError.VALUE,  # past 31 Dec 9999
    '=TEXT(-1,"d/m/yyyy")': XlError.VALUE,
    '=TEXT(41181,"mm###")': XlError.VALUE,      # date and digit codes mixed
    '=TEXT(1,"0;0;0;0;0")': XlError.VALUE,      # five sections
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    cells, cases = {}, []
    for row, (value, code) in enumerate(DOCUMENTED, start=1):
        cells[f"A{row}"], cells[f"B{row}"] = value, code
        cases.append(f"=TEXT(A{row},B{row})")
    values = evaluate_cases(tmp_path_factory.mktemp("fmt") / "fmt.xlsx", cells, cases + list(OTHER))
    return [values[f] for f in cases], values


@pytest.mark.parametrize(("index", "case"), list(enumerate(DOCUMENTED)), ids=[repr(k) for k in DOCUMENTED])
def test_documented_format(results, index, case):
    assert results[0][index] == DOCUMENTED[case]


@pytest.mark.parametrize(("formula", "expected"), list(OTHER.items()), ids=list(OTHER))
def test_text_other(results, formula, expected):
    assert_excel_value(results[1][formula], expected, formula)


# Where LibreOffice is no oracle for Excel: it renders General its own way (up to 15 digits, not
# Excel's 11 characters), cuts times to the second instead of rounding, has no 29 Feb 1900 (its
# serial 60 is the 28th) and shows TEXT(0,"#.#") as "" where Excel shows ".".
LIBREOFFICE_DIFFERS = {"General", "hh:mm:ss", "yyyy-mm-dd", "#.#"}


@pytest.mark.libreoffice
def test_formats_agree_with_libreoffice(tmp_path, soffice):
    from tests.support.libreoffice import recalc_with_libreoffice

    cases = [(v, c) for (v, c) in DOCUMENTED if c not in LIBREOFFICE_DIFFERS]
    cases += [(-0.001, "0.00"), (1.005, "0.00"), (5.3, "# ??/??"), (0.0430266204, "h:mm:ss.00"),
              (2.25, "[hh]"), (12345.678, "#,##0.0,"), (0.5, "# ?/?"), (7, "# ?/?"),
              (123, 'General "units"'), (-3, "0_);(0)"), (5, "00000")]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for row, (value, code) in enumerate(cases, start=1):
        ws.cell(row, 1, value)
        ws.cell(row, 2, code)
        ws.cell(row, 3, f"=TEXT(A{row},B{row})")
    path = tmp_path / "formats.xlsx"
    wb.save(path)
    theirs = recalc_with_libreoffice([path], tmp_path / "lo", soffice=soffice)[path]
    ours = roi_xl.recalc(path)
    differ = {cases[row - 1]: (ours[f"S!C{row}"], theirs[f"S!C{row}"])
              for row in range(1, len(cases) + 1) if ours[f"S!C{row}"] != theirs[f"S!C{row}"]}
    assert not differ
