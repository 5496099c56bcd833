"""Hostile formulas, the held-out probe of issue 19 on the formula side: each case a workbook whose
cells hold formulas that once exhausted memory or time, or gave a value Excel does not.

`build(folder)` writes every case and returns them as hostile_corpus `Case`s (cell values worked out
by hand or from Microsoft's function pages, cited beside each; errors as their text). Each formula
sits in its own cell, so a case shows that one formula costs its cell, never the workbook.
"""
from __future__ import annotations

import math
from pathlib import Path

from tests.support.hostile_corpus import Case, _book  # one way of writing a test workbook


def _case(folder: Path, name: str, rows: list[tuple[str, object]]) -> Case:
    """Formula i in A{i}; its expected value in the case's values under Sheet!A{i}."""
    path = _book(folder / name, {f"A{i}": formula for i, (formula, _) in enumerate(rows, 1)})
    return Case(name, path, values={f"Sheet!A{i}": value for i, (_, value) in enumerate(rows, 1)})


def build(folder: Path) -> list[Case]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        # Arrays built from a number alone (issue 19, item 2): SEQUENCE(1E9) took every byte of the
        # machine and failed the workbook. Excel 365: SUM(SEQUENCE(,2^20)) is a number and
        # SUM(SEQUENCE(,2^20+1)) #VALUE! (r/excel, "Dynamic Array Column Limit is 1048576", 2025);
        # an array of more values than the engine holds (8 full columns) is #NUM!.
        _case(folder, "array-bombs.xlsx", [
            ("=SUM(_xlfn.SEQUENCE(1E9))", "#VALUE!"),
            ("=SUM(_xlfn.SEQUENCE(1,1048577))", "#VALUE!"),
            ("=SUM(_xlfn.SEQUENCE(1048576))", 549_756_338_176.0),     # n(n+1)/2 for n = 2^20
            ("=SUM(_xlfn.SEQUENCE(1048576,100))", "#NUM!"),
            ("=SUM(_xlfn.MUNIT(16384))", "#NUM!"),                     # 268 million values
            ("=SUM(_xlfn.MUNIT(3))", 3.0),
            # a column times a row multiplies sizes: 10,000 x 10,000 ran past the time limit
            ("=SUM(_xlfn.SEQUENCE(10000)*_xlfn.SEQUENCE(1,10000))", "#NUM!"),
            ("=SUM(_xlfn.SEQUENCE(100)*_xlfn.SEQUENCE(1,100))", 25_502_500.0),  # (100 x 101 / 2)^2
            ("=1+1", 2.0),
        ]),
        # MAKEARRAY calls its LAMBDA once a value: 10 billion calls ran past any time limit and
        # failed the workbook; more values than the engine holds is #NUM! before the first call.
        # MAKEARRAY(3,2,r*c) is 1+2+2+4+3+6 = 18; rows below 1 #VALUE! (Microsoft's MAKEARRAY page).
        _case(folder, "makearray-bomb.xlsx", [
            ("=SUM(_xlfn.MAKEARRAY(100000,100000,_xlfn.LAMBDA(_xlpm.r,_xlpm.c,_xlpm.r)))", "#NUM!"),
            ("=SUM(_xlfn.MAKEARRAY(3,2,_xlfn.LAMBDA(_xlpm.r,_xlpm.c,_xlpm.r*_xlpm.c)))", 18.0),
            ("=_xlfn.MAKEARRAY(0,2,_xlfn.LAMBDA(_xlpm.r,_xlpm.c,1))", "#VALUE!"),
            ("=1+1", 2.0),
        ]),
        # Counts past the largest double (Microsoft's PERMUT, COMBIN, FACTDOUBLE pages: #NUM!);
        # formulas computed 1E9! in full (hours) or wrapped 64-bit integers round.
        _case(folder, "count-overflow.xlsx", [
            ("=PERMUT(1000,500)", "#NUM!"),        # 1000!/500! is about 1E1365
            ("=PERMUT(1E9,5E8)", "#NUM!"),
            ("=PERMUT(5,2)", 20.0),                # 5 x 4
            ("=COMBIN(1E9,5E8)", "#NUM!"),
            ("=COMBIN(1E9,2)", 499_999_999_500_000_000.0),   # 1E9 x (1E9 - 1) / 2
            ("=_xlfn.COMBINA(1E9,5E8)", "#NUM!"),
            ("=_xlfn.COMBINA(4,3)", 20.0),         # COMBIN(6,3) (Microsoft's COMBINA page)
            ("=FACTDOUBLE(301)", "#NUM!"),         # 301 x 299 x ... x 1 is about 1.2E309
            ("=FACTDOUBLE(300)", float(2**150 * math.factorial(150))),  # 300!! = 2^150 x 150!, 8.2E307
            ("=FACTDOUBLE(7)", 105.0),             # 7 x 5 x 3 x 1 (Microsoft's FACTDOUBLE page)
            ("=FACTDOUBLE(6)", 48.0),              # 6 x 4 x 2
            ("=FACTDOUBLE(-2)", "#NUM!"),
            ("=FACTDOUBLE(TRUE)", "#VALUE!"),      # an Analysis ToolPak function takes no logical
        ]),
        # Dates past Excel's last day, 31 Dec 9999 = serial 2958465: "If start_date plus days yields
        # an invalid date, WORKDAY returns the #NUM! error value" (Microsoft's WORKDAY page), and
        # EOMONTH's page says the same of months; formulas gave #VALUE!, and HOUR(1E10) 0.
        _case(folder, "dates-past-9999.xlsx", [
            ("=EDATE(45292,1E10)", "#NUM!"),
            ("=EDATE(2958435,1)", "#NUM!"),        # 1 Dec 9999 + 1 month
            ("=EDATE(2958405,1)", 2_958_435.0),    # 1 Nov 9999 + 1 month = 1 Dec 9999
            ("=EOMONTH(2958465,1)", "#NUM!"),
            ("=EOMONTH(45292,-1E6)", "#NUM!"),
            ("=EOMONTH(2958440,0)", 2_958_465.0),  # the last day of Dec 9999
            ("=EOMONTH(45292,1)", 45_351.0),       # 1 Jan 2024 -> 29 Feb 2024
            ("=EDATE(45322,1)", 45_351.0),         # 31 Jan 2024 -> 29 Feb 2024
            ("=EOMONTH(0,0)", 31.0),               # "0 Jan 1900" is in January
            ("=WORKDAY(45292,1E8)", "#NUM!"),
            ("=WORKDAY(2958465,1)", "#NUM!"),      # Friday 31 Dec 9999: the next working day is in 10000
            ("=WORKDAY(45292,5)", 45_299.0),       # Monday 1 Jan 2024 -> Monday 8 Jan
            ("=HOUR(1E10)", "#NUM!"),
            ("=MINUTE(2958466)", "#NUM!"),
            ("=HOUR(2958465.75)", 18.0),           # 6 pm on the last day
            ("=SECOND(0.5+1/86400)", 1.0),
        ]),
        # ARRAYTOTEXT past Excel's 32,767 characters (issue 19, item 2: every text function): #VALUE!,
        # found while joining (a range of long texts could be a giant one). Formats from Microsoft's
        # ARRAYTOTEXT page: concise "a, b", strict {"a",b;c,d} with texts quoted; another #VALUE!.
        Case("arraytotext.xlsx", _book(folder / "arraytotext.xlsx", {
            "B1": "a" * 20_000, "B2": "b" * 16_000, "C1": "x", "C2": 2, "D1": True, "D2": "y",
            "A1": "=LEN(_xlfn.ARRAYTOTEXT(B1:B2))", "A2": "=LEN(_xlfn.ARRAYTOTEXT(B1:B2,1))",
            "A3": "=_xlfn.ARRAYTOTEXT(C1:D2)", "A4": "=_xlfn.ARRAYTOTEXT(C1:D2,1)",
            "A5": "=_xlfn.ARRAYTOTEXT(C1:D2,2)", "A6": "=LEN(_xlfn.ARRAYTOTEXT(B1))"}),
             values={"Sheet!A1": "#VALUE!", "Sheet!A2": "#VALUE!", "Sheet!A3": "x, TRUE, 2, y",
                     "Sheet!A4": '{"x",TRUE;2,"y"}', "Sheet!A5": "#VALUE!", "Sheet!A6": 20_000.0}),
        # LET's names computed from earlier names (issue 19, item 7: a valid formula costs nothing):
        # formulas bound only the names the last argument reads itself, so =LET(x,1,y,x+1,y) was
        # #VALUE! and a warning. Excel allows 126 name/value pairs (Microsoft's LET page).
        _case(folder, "let-chains.xlsx", [
            ("=_xlfn.LET(_xlpm.x,1,_xlpm.y,_xlpm.x+1,_xlpm.y)", 2.0),
            ("=_xlfn.LET(_xlpm.x,1,_xlpm.y,_xlpm.x+1,_xlpm.x+_xlpm.y)", 3.0),
            ("=_xlfn.LET(_xlpm.x,2,_xlpm.unused,1/0,_xlpm.x*5)", 10.0),
            ("=_xlfn.LET(_xlpm.f,_xlfn.LAMBDA(_xlpm.n,_xlpm.n*2),_xlpm.g,_xlpm.f(4),_xlpm.g+1)", 9.0),
            ("=_xlfn.LET(" + ",".join(f"_xlpm.a{i},{'1' if i == 0 else f'_xlpm.a{i - 1}+1'}"
                                      for i in range(126)) + ",_xlpm.a125)", 126.0),
        ]),
    ]
