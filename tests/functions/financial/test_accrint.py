"""ACCRINT and ACCRINTM (roi_xl/engine/functions/accrint.py) through the real engine. Expected values
are worked by hand from Excel's definition: par × rate / frequency × the coupon periods accrued,
counted on the quasi-coupon schedule stepping back from first_interest (see the module docstring);
each case says how. LibreOffice cannot be the oracle here: its ACCRINT gives #VALUE! when
settlement precedes first_interest and its ACCRINTM divides actual/actual days by 365 across a
29 February (Excel by 366)."""
from __future__ import annotations

import datetime as dt

import pytest

from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value, evaluate_cases

CELLS = {"A1": dt.datetime(2021, 6, 21), "A2": dt.datetime(2021, 12, 1), "A3": dt.datetime(2021, 9, 1),
         "A4": "2021-06-21", "A5": True}

CASES = {
    # Issue inside the regular period 1 Jun-1 Dec 2021: 30/360 days 21 Jun -> 1 Sep = 70 of 180.
    "=ACCRINT(A1,A2,A3,0.1,1000,2,0,FALSE)": 50 * 70 / 180,
    "=ACCRINT(A1,A2,A3,0.1,1000,2,0,A5)": 50 * 70 / 180,
    "=ACCRINT(A4,A2,A3,0.1,1000,2)": 50 * 70 / 180,               # a text date; basis 0, TRUE
    # Actual/actual: 72 actual days of the 183-day period.
    "=ACCRINT(A1,A2,A3,0.1,1000,2,1)": 50 * 72 / 183,
    # Settlement 1 Mar 2021 before the period start 1 Jun 2021: -90/180 of a period; the whole
    # period 1 Dec 2020-1 Jun 2021 adds 1 when accruing from issue, 0 from first_interest.
    "=ACCRINT(DATE(2020,12,1),DATE(2021,12,1),DATE(2021,3,1),0.075,100,2,0,TRUE)": 3.75 * (1 - 0.5),
    "=ACCRINT(DATE(2020,12,1),DATE(2021,12,1),DATE(2021,3,1),0.075,100,2,0,FALSE)": 3.75 * -0.5,
    # Quarterly, actual/actual: period 1 Sep-1 Dec 2017 (91 days), settlement 153 days before its
    # start; whole periods Jun-Sep and Mar-Jun; the issue stub 1 Jan-1 Mar 2017 is 59 of 90 days.
    "=ACCRINT(DATE(2017,1,1),DATE(2017,12,1),DATE(2017,4,1),0.33,3000,4,1,TRUE)":
        247.5 * (2 - 153 / 91 + 59 / 90),
    "=ACCRINT(DATE(2017,1,1),DATE(2017,12,1),DATE(2017,4,1),0.33,3000,4,1,FALSE)":
        247.5 * (-153 / 91 + 59 / 90),
    # Settlement past first_interest, actual/360: from issue, the period 1 Jul 2020-1 Jan 2021
    # (184 days of 180) plus the whole period before; from first_interest, 366 days of 180 counted
    # from the coupon date before first_interest.
    "=ACCRINT(DATE(2020,1,1),DATE(2020,7,1),DATE(2021,1,1),0.025,5000,2,2,TRUE)": 62.5 * (184 / 180 + 1),
    "=ACCRINT(DATE(2020,1,1),DATE(2020,7,1),DATE(2021,1,1),0.025,5000,2,2,FALSE)": 62.5 * 366 / 180,
    # Month-end schedule (first_interest 31 Jul): periods end 30 Apr, 31 Jan, 31 Oct; 30/360 days
    # 30 Apr -> 15 Feb = -75 of 90, two whole periods back to the issue on 31 Oct 2020.
    "=ACCRINT(DATE(2020,10,31),DATE(2021,7,31),DATE(2021,2,15),0.025,5000,4,0,TRUE)": 31.25 * (2 - 75 / 90),
    "=ACCRINT(DATE(2020,10,31),DATE(2021,7,31),DATE(2021,2,15),0.025,5000,4,0,FALSE)": 31.25 * -75 / 90,
    # Settlement on first_interest: one whole period.
    "=ACCRINT(DATE(2008,3,1),DATE(2008,9,1),DATE(2008,9,1),0.1,1000,2,0)": 50.0,
    # Argument checks.
    "=ACCRINT(DATE(2008,3,1),DATE(2008,9,1),DATE(2008,5,1),0,1000,2,0)": XlError.NUM,
    "=ACCRINT(DATE(2008,3,1),DATE(2008,9,1),DATE(2008,5,1),0.1,-100,2,0)": XlError.NUM,
    "=ACCRINT(DATE(2008,3,1),DATE(2008,9,1),DATE(2008,5,1),0.1,1000,3,0)": XlError.NUM,
    "=ACCRINT(DATE(2008,3,1),DATE(2008,9,1),DATE(2008,5,1),0.1,1000,2,5)": XlError.NUM,
    "=ACCRINT(DATE(2008,5,1),DATE(2008,9,1),DATE(2008,5,1),0.1,1000,2,0)": XlError.NUM,
    "=ACCRINT(DATE(2008,3,1),DATE(2008,9,1),DATE(2008,5,1),1/0,1000,2,0)": XlError.DIV0,
    '=ACCRINT("x",DATE(2008,9,1),DATE(2008,5,1),0.1,1000,2,0)': XlError.VALUE,
    # ACCRINTM: actual/actual within a year holding 29 Feb 2024 counts 366 days a year.
    "=ACCRINTM(DATE(2023,11,15),DATE(2024,3,15),0.1,1000,1)": 100 * 121 / 366,
    "=ACCRINTM(DATE(2023,3,1),DATE(2024,2,28),0.1,1000,1)": 100 * 364 / 365,
    # Over more than a year: the average length of 2019, 2020 and 2021 (1096 / 3 days).
    "=ACCRINTM(DATE(2019,6,1),DATE(2021,6,1),0.1,1000,1)": 100 * 731 / (1096 / 3),
    "=ACCRINTM(DATE(2023,1,15),DATE(2023,3,31),0.1,1000,0)": 100 * 76 / 360,
    "=ACCRINTM(DATE(2023,1,15),DATE(2023,3,31),0.1,1000,4)": 100 * 75 / 360,
    "=ACCRINTM(39614,39539,0.1,1000,3)": XlError.NUM,
    "=ACCRINTM(39539,39614,0.1,1000,5)": XlError.NUM,
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("accrint") / "accrint.xlsx", CELLS, CASES)


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_accrued_interest(results, formula, expected):
    assert_excel_value(results[formula], expected, formula)
