"""Engineering functions (roi_xl/engine/functions/complex.py, engineering.py, bessel.py) through
the real engine. Expected values: the examples of Microsoft's support page for each function
("doc"; LibreOffice gives the same text for every IM* doc example), values worked by hand from
Excel's documented definitions ("hand"), or values Excel saved in the ironcalc conformance
workbooks calc_tests/ENGINEERING/*.xlsx (cell named)."""
from __future__ import annotations

import math

import pytest

from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value, evaluate_cases

CELLS = {"A1": 1e-16, "A2": 1.2e-45, "A3": 3.000000000000001, "A4": 3, "A5": "1+j", "A6": True,
         "A7": "1100011011", "B1": "3+4i", "B2": "-4+5i", "B3": None, "B4": 7}
CASES = {
    # complex numbers, doc
    "=COMPLEX(3,4)": "3+4i",
    '=COMPLEX(3,4,"j")': "3+4j",
    "=COMPLEX(0,1)": "i",
    "=COMPLEX(1,0)": "1",
    '=COMPLEX(1,1,"k")': XlError.VALUE,
    '=COMPLEX(1,1,"I")': XlError.VALUE,        # the suffix is lower case only
    '=IMABS("5+12i")': 13.0,
    '=IMAGINARY("3+4i")': 4.0,
    '=IMAGINARY("0-j")': -1.0,
    "=IMAGINARY(4)": 0.0,
    '=IMARGUMENT("3+4i")': math.atan2(4, 3),
    '=IMCONJUGATE("3+4i")': "3-4i",
    '=IMCOS("1+i")': "0.833730025131149-0.988897705762865i",
    '=IMDIV("-238+240i","10+24i")': "5+12i",
    '=IMEXP("1+i")': "1.46869393991589+2.28735528717884i",
    '=IMLN("3+4i")': "1.6094379124341+0.927295218001612i",
    '=IMLOG10("3+4i")': "0.698970004336019+0.402719196273373i",
    '=IMLOG2("3+4i")': "2.32192809488736+1.33780421245098i",
    '=IMPOWER("2+3i",3)': "-46+9.00000000000001i",   # polar form, as the doc shows
    '=IMPRODUCT("3+4i","5-3i")': "27+11i",
    '=IMPRODUCT("1+2i",30)': "30+60i",
    '=IMREAL("6-9i")': 6.0,
    '=IMSIN("4+3i")': "-7.61923172032141-6.548120040911i",
    '=IMSQRT("1+i")': "1.09868411346781+0.455089860562227i",
    '=IMSUB("13+4i","5+3i")': "8+i",
    '=IMSUM("3+4i","5-3i")': "8+i",
    '=IMTAN("4+3i")': "0.00490825806749606+1.00070953606723i",
    '=IMSEC("4+3i")': "-0.0652940278579471-0.0752249603027732i",
    '=IMCSC("4+3i")': "-0.0754898329158637+0.0648774713706355i",
    '=IMCOT("4+3i")': "0.00490118239430447-0.999266927805902i",
    '=IMCOSH("4+3i")': "-27.0349456030742+3.85115333481178i",
    '=IMSINH("4+3i")': "-27.0168132580039+3.85373803791938i",
    '=IMSECH("4+3i")': "-0.0362534969158689-0.00516434460775318i",
    '=IMCSCH("4+3i")': "-0.036275889628626-0.0051744731840194i",
    # complex numbers, Excel-saved (COMPLEXs.xlsx)
    "=COMPLEX(A1,0)": "0.0000000000000001",      # Sheet1!D16: plain decimals down to 1E-19
    "=COMPLEX(A2,-3)": "1.2E-45-3i",             # Sheet1!D13: the constant 1.2E-45 kept
    "=A1*1E+16": 1.0,                            # hand: a tiny constant is read as itself
    '=COMPLEX(1,-2,"j")': "1-2j",                # Sheet1!D3
    "=IMCONJUGATE(COMPLEX(0,1,\"j\"))": "-j",    # Sheet1!I27
    "=IMREAL(IMSQRT(-1))": 6.12323399573677e-17,  # Sheet1!AL26: polar square root
    "=IMARGUMENT(0)": XlError.DIV0,              # Sheet1!H22
    "=IMREAL(IMLN(0))": XlError.NUM,             # Sheet1!AD22
    "=IMREAL(IMCOT(A1))": 1e16,                  # Sheet1!T16
    "=IMREAL(IMCSC(A1))": 1e16,                  # Sheet1!V16
    "=IMREAL(IMTAN(COMPLEX(-23.1234,-45.899)))": -2.0870098138858e-40,  # Sheet1!N23
    "=IMPRODUCT(B1,B2)": "-32-i",                # Sheet2!C2
    "=IMSUM(B1,B2)": "-1+9i",                    # Sheet2!F2
    "=IMSUB(B1,B2)": "7-i",                      # Sheet2!G2
    "=IMPRODUCT(B4,B3)": "0",                    # Sheet2!C10: a blank is 0
    '=IMSUB("i","i")': "0",                      # Sheet2!G6
    # complex numbers, hand (Excel's documented forms and errors)
    '=IMREAL("abc")': XlError.NUM,
    '=IMREAL("1+2I")': XlError.NUM,
    "=IMREAL(A6)": XlError.VALUE,
    '=IMREAL("1e3+2i")': 1000.0,
    '=IMAGINARY("-2.5e-1j")': -0.25,
    '=IMDIV("1","0")': XlError.NUM,
    "=IMSUM(B1:B2,A5)": XlError.VALUE,           # i and j mixed
    "=IMSUM(B1:B2,5)": "4+9i",                   # a range, and a real number takes any suffix
    # number systems, doc
    "=BIN2DEC(1100100)": 100.0,
    "=BIN2DEC(1111111111)": -1.0,
    "=BIN2HEX(11111011,4)": "00FB",
    "=BIN2HEX(1110)": "E",
    "=BIN2HEX(1111111111)": "FFFFFFFFFF",
    "=BIN2OCT(1001,3)": "011",
    "=BIN2OCT(1111111111)": "7777777777",
    "=DEC2BIN(9,4)": "1001",
    "=DEC2BIN(-100)": "1110011100",
    "=DEC2HEX(100,4)": "0064",
    "=DEC2HEX(-54)": "FFFFFFFFCA",
    "=DEC2HEX(64,1)": XlError.NUM,
    "=DEC2OCT(58,3)": "072",
    "=DEC2OCT(-100)": "7777777634",
    '=HEX2BIN("F",8)': "00001111",
    '=HEX2BIN("FFFFFFFFFF")': "1111111111",
    '=HEX2DEC("FFFFFFFF5B")': -165.0,
    '=HEX2DEC("3DA408B9")': 1034160313.0,
    '=HEX2OCT("F",3)': "017",
    '=HEX2OCT("FFFFFFFF00")': "7777777400",
    "=OCT2BIN(3,3)": "011",
    "=OCT2BIN(7777777000)": "1000000000",
    "=OCT2DEC(7777777533)": -165.0,
    "=OCT2HEX(100,4)": "0040",
    "=OCT2HEX(7777777533)": "FFFFFFFF5B",
    # number systems, Excel-saved (NUMBER_SYSTEMS.xlsx)
    "=BIN2HEX(A7,-2)": XlError.NUM,              # Binary!D13: places checked for a negative too
    "=BIN2HEX(A7,2.3)": "FFFFFFFF1B",            # Binary!D19: a negative ignores places
    "=BIN2HEX(A7,A6)": XlError.VALUE,            # Binary!D20
    "=BIN2DEC(2.3)": XlError.NUM,                # Binary!C6
    "=BIN2DEC(A6)": XlError.VALUE,               # Binary!C4
    "=DEC2BIN(2.7,B3)": XlError.NUM,             # Decimal!D10: a blank places is 0
    "=DEC2BIN(-512.8)": "1000000000",            # Decimal!C17: truncated toward zero
    "=DEC2BIN(512)": XlError.NUM,                # Decimal!C8
    '=DEC2BIN("12")': "1100",                    # Decimal!C24
    "=DEC2OCT(536870912)": XlError.NUM,          # Decimal!G31
    "=DEC2HEX(549755813887)": "7FFFFFFFFF",      # Decimal!E34
    '=HEX2OCT("FFFFFFFF")': XlError.NUM,         # HEX!G9: 4294967295 is past octal's range
    '=HEX2DEC("01fffffff")': 536870911.0,        # HEX!E28
    "=HEX2DEC(8000000000)": -549755813888.0,     # HEX!E31
    "=OCT2HEX(4000000000,2)": "FFE0000000",      # OCT!F20
    "=OCT2DEC(3777777778)": XlError.NUM,         # OCT!E28
    "=BIN2OCT(B3)": "0",                         # Decimal!I32: a blank is 0
    # bit operations, doc and Excel-saved (BITs.xlsx)
    "=BITAND(13,25)": 9.0,
    "=BITOR(23,10)": 31.0,
    "=BITXOR(5,3)": 6.0,
    "=BITLSHIFT(4,2)": 16.0,
    "=BITRSHIFT(13,2)": 3.0,
    "=_xlfn.BITAND(2^48-1,1)": 1.0,              # Sheet1!C10: 2^48-1 is still in range
    "=_xlfn.BITOR(2^48-1,1)": 281474976710655.0,  # Sheet1!D10
    "=_xlfn.BITAND(2^48,3)": XlError.NUM,        # Sheet1!C11
    "=_xlfn.BITLSHIFT(12,45)": XlError.NUM,      # Sheet1!J47: result past 2^48
    "=_xlfn.BITLSHIFT(12,44)": 211106232532992.0,  # Sheet1!J46
    "=_xlfn.BITRSHIFT(145,-3)": 1160.0,          # Sheet1!K45
    "=_xlfn.BITLSHIFT(12,-54)": XlError.NUM,     # Sheet1!J40
    "=_xlfn.BITAND(12.5,3)": XlError.NUM,        # Sheet1!C8
    # DELTA, GESTEP: Excel-saved (GESTEP_DELTA.xlsx)
    "=DELTA(A3,A4)": 0.0,                        # Sheet1!D12: equal means exactly equal
    "=DELTA(5,5)": 1.0,
    "=GESTEP(A3,A4)": 1.0,                       # Sheet1!C12
    "=DELTA(A6,1)": XlError.VALUE,               # Sheet1!D7
    # CONVERT: units formulas lacks; Excel-saved (CONVERT.xlsx) and hand
    '=CONVERT(1,"GRT","m3")': 2.8316846592,      # Volume!C39: 100 cubic feet
    '=CONVERT(1,"pond","N")': 0.00980665,        # Force!C6: a gram-force
    '=CONVERT(0.05,"Mpond","N")': 490.3325,      # Force!J6
    # Bessel: Excel's approximations, hand (their coefficients at the point) and Excel-saved
    "=BESSELJ(0,0)": 57568490574.0 / 57568490411.0,  # BESSEL All!D2 = 1.00000000283141
    "=BESSELK(2,0)": 0.11389388,                 # BESSELK!B10: the small-x polynomial at y = 1
    "=BESSELK(2,1)": 0.13986588,                 # BESSELK!C10
    "=BESSELI(0.2,0)": 1.0100250221205638,       # BESSELI!B3 (the exact I0 is 1.0100250277951)
    "=BESSELY(0.2,7)": -2295654720.15733,        # BESSELY!E3: upward recurrence
    "=BESSELJ(2,30)": 3.650256266474097e-33,     # All!D22: Miller's downward recurrence
    "=BESSELJ(1,1.999)": 0.4400505856771301,     # All!D10: n truncated
    "=BESSELJ(-1,3)": -0.019563353982687996,     # All!D13: odd order, negative x
    "=BESSELY(0,1)": XlError.NUM,                # BESSELY!C2
    "=BESSELK(-1,1)": XlError.NUM,               # All!E11
    "=BESSELJ(1,-1)": XlError.NUM,               # All!D14
    "=BESSELI(A6,1)": XlError.VALUE,             # All!C19
}
DOC_ROUNDED = {'=IMARGUMENT("3+4i")'}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("engineering") / "engineering.xlsx", CELLS,
                          CASES)


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_engineering_function(results, formula, expected):
    assert_excel_value(results[formula], expected, formula,
                       rel=1e-15 if formula in DOC_ROUNDED else 1e-13)
