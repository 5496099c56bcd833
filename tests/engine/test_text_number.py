"""Text read as a number by the engine's one rule (roi_xl.engine.text_number), alone and in the places
that use it: VALUE, DATEVALUE, TIMEVALUE, operators, SUM's typed arguments, COUNTIF/SUMIF/AVERAGEIF
criteria, D-functions, on both engine paths.

Serial numbers are worked out by hand from two anchors every Excel user can check: 1 Jan 1900 is 1
with Excel's phantom 29 Feb 1900 as 60, and 1 Jan 2024 is 45292 (so 1 Jan 2026 is 45292 + 366 + 365
= 46023, 1 Jan 1930 is 10959, 1 Jan 1950 is 18264). Excel-saved evidence (the conformance suite's
T_VALUE_VALUETOTEXT.xlsx and DATE_TIME.xlsx): VALUE("2-Feb-2026") 46055, VALUE("40-2-2023") and
VALUE("30/2/2010") #VALUE!, VALUE("12,34") #VALUE!, VALUE("123,456.67") 123456.67, VALUE("23€") 23,
VALUE("1e-5") 1e-05, TIMEVALUE("24:00") 0, TIMEVALUE(" 1:30 ") 0.0625, TIMEVALUE("12:00 PM") 0.5,
DATEVALUE("29-Feb-1900") 60, DATEVALUE("1-Mar-1900") 61, DATEVALUE("2024-02-29 06:00") 45351.
"""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from roi_xl import XlError
from roi_xl.engine import text_number
from roi_xl.engine.text_number import date_value, text_to_number, time_value

from tests.support.formula_cases import assert_excel_value, evaluate_cases

JAN_1_2024 = 45292
JAN_1_2026 = 46023


@pytest.fixture
def clock(monkeypatch):
    """Fix Excel's 'current year' for year-less dates."""
    def set_today(year: int, month: int = 6, day: int = 15):
        monkeypatch.setattr(text_number, "_today", lambda: dt.date(year, month, day))
    set_today(2026)
    return set_today


NUMBERS = {
    "0": 0.0, "42": 42.0, " 42 ": 42.0, "-42": -42.0, "+42": 42.0, "3.25": 3.25, ".5": 0.5, "5.": 5.0,
    "1,000": 1000.0, "1,234,567.5": 1234567.5, "123,456.67": 123456.67, "(12)": -12.0, "($1,200)": -1200.0,
    "$5": 5.0, "-$5": -5.0, "$-5": -5.0, "23€": 23.0, "€7.50": 7.5, "5-": -5.0, "5+": 5.0, "40%": 0.4,
    "23.123%": 0.23123, "-5%": -0.05, "1e-5": 1e-05, "1E+3": 1000.0, "2.5e2": 250.0,
    "1 1/2": 1.5, "0 3/4": 0.75, "-2 1/4": -2.25,
    "1e-320": 0.0,                                # below Excel's smallest number, 2.2251E-308
}
NOT_NUMBERS = [
    "M1", "M2", "Q1", "Q4", "W3", "K10", "P1", "A1", "Z9", "FY24", "H1", "T1", "m1", "q1",  # codes
    "inf", "-inf", "nan", "Infinity", "1_000", "0x10", "1e", "e5", "--8", "+-5", "(-5)", "(5",
    "12,34", "1,00", "1,0000", "1.2.3", "١٢٣", "１２", "12 34", "TRUE", "FALSE", "", " ", "abc",
    "\t42", "42\t", "12\u00a0345", "(5%)", "$5%", "-5-", "£7.50", "¥100", "1e309", "-1e309",
    "40-2-2023", "30/2/2010", "13/13/2020", "2/30/2024", "12/31/1899", "1/1/10000", "1/2/345",
    "1:60", "1:30:60", "1/2024", "2/30", "13/8/31", "13:00 PM", "6 P", "6:45 p", "1/0", "2024-01", "2024/1",
    "30 January 2024",
    "30 Jan", "x" * 300,
]


@pytest.mark.parametrize(("text", "expected"), list(NUMBERS.items()))
def test_numbers(text, expected):
    assert text_to_number(text) == expected


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_not_numbers(clock, text):
    assert text_to_number(text) is None


def test_codes_do_not_depend_on_the_clock(clock):
    for year in (2023, 2024, 2026):
        clock(year)
        assert [text_to_number(t) for t in ("M1", "Q1", "W3")] == [None, None, None]


DATES_2026 = {  # the clock in 2026 (not a leap year)
    "2024-01-30": JAN_1_2024 + 29, "2024/1/30": JAN_1_2024 + 29, "1/30/2024": JAN_1_2024 + 29,
    "01-30-2024": JAN_1_2024 + 29, "1/30/24": JAN_1_2024 + 29, "30-Jan-2024": JAN_1_2024 + 29,
    "30-January-2024": JAN_1_2024 + 29, "30-jan-24": JAN_1_2024 + 29, "Sept 30, 2024": JAN_1_2024 + 273,
    "Jan 30, 2024": JAN_1_2024 + 29,
    "January 30 2024": JAN_1_2024 + 29, "2-Feb-2026": JAN_1_2026 + 31 + 1, "January 2024": JAN_1_2024,
    "Jan-2024": JAN_1_2024, "21-09-01": JAN_1_2024 - 3 * 365 + 243,  # no 21st month: 1 Sep 2021
    "1/30": JAN_1_2026 + 29, "30-Jan": JAN_1_2026 + 29, "Jan 30": JAN_1_2026 + 29, "jan-08": JAN_1_2026 + 7,
    "Jan-45": 18264 - 5 * 365 - 1,                # no 45 January: January 1945 (1948 a leap year)
    "Feb-30": 10959 + 31,                         # no 30 February: February 1930
    "Feb 29": 47119 + 31,                         # not this year's day: February 2029
    "29-Feb-1900": 60, "1-Mar-1900": 61, "1/1/1900": 1, "2/28/1900": 59, "12/31/9999": 2958465,
    "1/1/29": 47119, "1/1/30": 10959,             # two-digit years pivot at 30
    "2024-02-29 06:00": JAN_1_2024 + 59.25, "3/4/2024 10:00 PM": JAN_1_2024 + 63 + 22 / 24,
    "2024-01-30T10:00": JAN_1_2024 + 29 + 10 / 24,
}


@pytest.mark.parametrize(("text", "expected"), list(DATES_2026.items()))
def test_dates(clock, text, expected):
    assert text_to_number(text) == pytest.approx(expected, rel=1e-15)


def test_year_less_dates_follow_the_clock(clock):
    clock(2024)
    assert text_to_number("2/29") == JAN_1_2024 + 59   # a leap year: that day
    assert text_to_number("Feb 29") == JAN_1_2024 + 59
    assert text_to_number("1/30") == JAN_1_2024 + 29
    clock(2026)
    assert text_to_number("2/29") is None              # no such day this year (LibreOffice alike)


def test_no_spaces_around_a_date():
    # Excel-saved: FLOOR(x," 2024-01-10 "), INT(" 2024-01-10 "), MROUND(" 2024-01-10 ",7) are #VALUE!
    assert text_to_number(" 2024-01-10 ") is None
    assert text_to_number("2024-01-10") == JAN_1_2024 + 9


TIMES = {
    "6:45 PM": 18.75 / 24, "6:45 pm": 18.75 / 24, "6 PM": 0.75, "6PM": 0.75, "12:00 PM": 0.5,
    "12:00 AM": 0.0, "0:30": 0.5 / 24, " 1:30 ": 1.5 / 24, "13:05:30": (13 * 3600 + 5 * 60 + 30) / 86400,
    "1:05:30 PM": (13 * 3600 + 5 * 60 + 30) / 86400, "1:30.5": 90.5 / 86400, "24:00": 1.0,
    "25:00": 25 / 24, "12:00:00.5": (12 * 3600 + 0.5) / 86400, "0:30 AM": 0.5 / 24, "1:": 1 / 24,
}


@pytest.mark.parametrize(("text", "expected"), list(TIMES.items()))
def test_times(text, expected):
    assert text_to_number(text) == pytest.approx(expected, rel=1e-15, abs=1e-18)


def test_datevalue_and_timevalue_readings(clock):
    assert date_value("2024-02-29 06:00") == JAN_1_2024 + 59         # Excel-saved: 45351
    assert date_value(" 2024-02-29 ") == JAN_1_2024 + 59             # DATEVALUE trims its text
    assert date_value("6:00") is None and date_value("45000") is None and date_value("M1") is None
    assert time_value("24:00") == 0.0                                  # Excel-saved: 0
    assert time_value("25:00") == pytest.approx(1 / 24, rel=1e-15)
    assert time_value("2024-02-29 06:00") == 0.25 and time_value("2024-02-29") == 0.0
    assert time_value("Q1") is None and time_value("0.5") is None


# --- in workbooks, on the path users get ----------------------------------------------------------

CELLS = {"A1": "M1", "A2": "M2", "A3": "M1", "A4": "M10", "A5": "m1", "A6": "1,000",
         "B1": 1000, "B2": 1000, "B3": 5, "B4": "Q1",
         "C1": 1, "C2": 2, "C3": 4, "C4": 8, "C5": 16, "C6": 32,
         "D1": "Metric", "D2": "M1", "D3": "M2", "E1": "Value", "E2": 10, "E3": 20,
         "F1": "Metric", "F2": "M1"}
WORKBOOK_CASES = {
    '=VALUE("M1")': XlError.VALUE,
    '="M1"+0': XlError.VALUE,
    '=A1*2': XlError.VALUE,
    '=-A2': XlError.VALUE,
    '=COUNTIF(A1:A6,"M1")': 3.0,                # M1, M1 and m1: not M2, M10
    '=COUNTIF(A1:A6,A1)': 3.0,
    '=COUNTIF(A1:A6,"<>M1")': 3.0,              # M2, M10, 1,000
    '=COUNTIF(A1:A6,"M*")': 5.0,
    '=COUNTIF(B1:B4,"1,000")': 2.0,             # Excel and LibreOffice read the criterion as 1000
    '=COUNTIF(B1:B4,">=1,000")': 2.0,
    '=COUNTIF(B1:B4,"Q1")': 1.0,
    '=SUMIF(A1:A6,"M1",C1:C6)': 21.0,           # 1 + 4 + 16
    '=AVERAGEIF(A1:A6,"M1",C1:C6)': 7.0,
    '=SUMIFS(C1:C6,A1:A6,"<>M1")': 42.0,        # 2 + 8 + 32
    '=COUNTIFS(A1:A6,"M1",C1:C6,">1")': 2.0,
    '=DSUM(D1:E3,"Value",F1:F2)': 10.0,
    '=MATCH("M1",A1:A6,0)': 1.0,
    '=VALUE("1,000")*2': 2000.0,
    '="1,000"*2': 2000.0,
    '="$5"+1': 6.0,
    '=VALUE("1 1/2")': 1.5,
    '=SUM("1,000",1)': 1001.0,
    '=SUM("M1",1)': XlError.VALUE,
    '=DATEVALUE("30-Jan-2024")': JAN_1_2024 + 29.0,
    '=DATEVALUE("M1")': XlError.VALUE,
    '=TIMEVALUE("6:45 PM")': 0.78125,
    '=TIMEVALUE("Q1")': XlError.VALUE,
    '=YEAR("2024-01-30")': 2024.0,
    '=MONTH("Jan 30, 2024")': 1.0,
    '=DAY("30-Jan-2024")': 30.0,
    '=YEAR("M1")': XlError.VALUE,
    '=ISNUMBER(VALUE("W3"))': False,
    # NUMBERVALUE: Microsoft's examples and documented rules
    '=_xlfn.NUMBERVALUE("2.500,27",",",".")': 2500.27,
    '=_xlfn.NUMBERVALUE("3.5%")': 0.035,
    '=_xlfn.NUMBERVALUE("9%%")': 0.0009,          # "the same result as the formula =9%%"
    '=_xlfn.NUMBERVALUE(" 3 000 ")': 3000.0,      # spaces ignored, even in the middle
    '=_xlfn.NUMBERVALUE("")': 0.0,
    '=_xlfn.NUMBERVALUE("1,5.0",",",".")': XlError.VALUE,   # group separator after the decimal one
    '=_xlfn.NUMBERVALUE("1.2.3")': XlError.VALUE,           # two decimal separators
    '=_xlfn.NUMBERVALUE("1,5",",",",")': XlError.VALUE,     # the same character for both
    '=_xlfn.NUMBERVALUE("M1")': XlError.VALUE,
}


@pytest.fixture(scope="module")
def workbook_results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("textnum") / "t.xlsx", CELLS, WORKBOOK_CASES)


@pytest.mark.parametrize(("formula", "expected"), list(WORKBOOK_CASES.items()), ids=list(WORKBOOK_CASES))
def test_in_a_workbook(workbook_results, formula, expected):
    assert_excel_value(workbook_results[formula], expected, formula)


def test_formulas_path_reads_text_the_same_way(tmp_path):
    """The formulas model (the fallback) agrees on every case: one rule on both paths."""
    from roi_xl.engine import ModelCache, fastpath

    path = tmp_path / "f.xlsx"
    evaluate_cases(path, CELLS, WORKBOOK_CASES)
    cells = fastpath.compute(path, ModelCache(), fast=False).cells
    for row, (formula, expected) in enumerate(WORKBOOK_CASES.items(), start=1):
        assert_excel_value(cells[("S", f"Z{row}")], expected, formula)


def _plan_book(path, metric_ids, kpi_metrics):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for row, mid in enumerate(metric_ids, start=1):
        ws[f"A{row}"] = mid
        ws[f"B{row}"] = f'=COUNTIF($C$1:$C$10,A{row})'
    for row, metric in enumerate(kpi_metrics, start=1):
        ws[f"C{row}"] = metric
    wb.save(path)
    return path


def test_codes_count_right_on_every_workbook_of_a_batch(tmp_path):
    """The compiled plan serves the second workbook of a layout: it must count codes as the first."""
    from roi_xl.engine import ModelCache, fastpath

    cache = ModelCache()
    books = [(["M1", "M2", "M3"], ["M1", "M1", "M2", "M3", "M10"]),
             (["Q1", "Q2", "W3"], ["Q1", "W3", "W3", "Q2", "Q2"])]
    expected = [[2.0, 1.0, 1.0], [1.0, 2.0, 2.0]]
    for i, ((ids, kpis), want) in enumerate(zip(books, expected)):
        computed = fastpath.compute(_plan_book(tmp_path / f"b{i}.xlsx", ids, kpis), cache)
        assert [computed.cells[("S", f"B{r}")] for r in (1, 2, 3)] == want
