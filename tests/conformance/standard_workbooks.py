"""Workbooks with a broad mix of standard Excel formulas, built with openpyxl.

They are recalculated by LibreOffice headless and by our engine, and every formula cell is compared
(tests/conformance/test_second_engine.py). The data is a realistic social-media campaign table; the formulas are the
ones analysts write around it: arithmetic, SUM/SUMIFS/COUNTIF(S)/AVERAGE(IF), ROUND*, IF/AND/OR/NOT,
IFERROR and the IS* functions, INDEX/MATCH, VLOOKUP (exact), MIN/MAX, text and date functions,
cross-sheet references, workbook-level named ranges, and error values flowing into other cells.

Every formula here is one where LibreOffice agrees with Excel's documented behaviour, so LibreOffice can be
the oracle. Formulas deliberately left out (LibreOffice differs from Excel, or the result depends on the
locale or the clock) are listed in LEFT_OUT with the reason.

`WORKBOOKS` maps a file name to a builder returning an openpyxl Workbook (nothing is written until
`write_all`), so the test can enumerate formula cells at collection time.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable

import openpyxl
from openpyxl.workbook.defined_name import DefinedName

# Formulas that were considered and left out, with the reason (LibreOffice is not a faithful oracle for
# them, or their value is not reproducible).
LEFT_OUT = {
    "TODAY()/NOW()": "depends on the clock: the two engines run at different instants.",
    'TEXT(d,"mmm")/TEXT(d,"dddd")': "month and day names follow the locale of the engine, not the workbook.",
    "CELL()/INFO()": "describe the host application, which differs by design.",
    "#NAME? (unknown functions)": "LibreOffice keeps an unknown name as #NAME? but may rewrite the formula text "
                                  "(lower-cased add-in names); the engine's handling is tested elsewhere.",
    "Whole-column references (A:A)": "formulas expands them to 1,048,576 rows (minutes per workbook); the engine "
                                     "clips them and tests that separately.",
    "Dynamic arrays (FILTER, UNIQUE, SEQUENCE, spills)": "LibreOffice 7.4 has no dynamic arrays.",
}

CHANNELS = ["Facebook", "Instagram", "LinkedIn", "X", "TikTok", "YouTube"]

# date, channel, campaign, spend, impressions, clicks, conversions, revenue, owner
CAMPAIGNS = [
    (dt.datetime(2024, 1, 8), "Facebook", "Spring Launch", 1250.0, 84000, 1680, 42, 5460.0, "  ana  lópez "),
    (dt.datetime(2024, 1, 15), "Instagram", "Spring Launch", 980.5, 120500, 2410, 37, 4107.25, "ben o'neil"),
    (dt.datetime(2024, 1, 29), "LinkedIn", "B2B Webinar", 2100.0, 35400, 472, 19, 9120.0, "CARLA  DIAZ"),
    (dt.datetime(2024, 2, 5), "X", "Brand Awareness", 640.25, 51000, 0, 0, 0.0, "dev patel"),
    (dt.datetime(2024, 2, 12), "Facebook", "Retargeting", 455.0, 22800, 912, 31, 2790.0, "ana lópez"),
    (dt.datetime(2024, 2, 26), "TikTok", "Spring Launch", 1500.0, 310000, 4650, 28, 2380.0, "eve  martin"),
    (dt.datetime(2024, 3, 4), "Instagram", "Influencer Collab", 2750.0, 198000, 3564, 66, 8976.6, "ben o'neil"),
    (dt.datetime(2024, 3, 11), "LinkedIn", "Lead Gen Q1", 1875.75, 28900, 347, 23, 11040.0, "carla diaz"),
    (dt.datetime(2024, 3, 18), "Facebook", "Spring Launch", 1320.0, 90100, 1802, 47, 6157.0, "ana lópez"),
    (dt.datetime(2024, 3, 25), "TikTok", "Retargeting", 0.0, 15000, 300, 3, 255.0, "eve martin"),
    (dt.datetime(2024, 4, 1), "X", "Product Teaser", 380.0, 27500, 330, 6, 498.0, "dev patel"),
    (dt.datetime(2024, 4, 8), "Instagram", "Retargeting", 610.4, 40200, 1206, 29, 3016.0, None),
]
FIRST, LAST = 2, 1 + len(CAMPAIGNS)  # data rows on 'Campaign Data'

# channel, staff hours per month, hourly rate, target CTR, target ROAS, platform fee
CHANNEL_TABLE = [
    ("Facebook", 22, 38.5, 0.018, 4.0, 120.0),
    ("Instagram", 30, 38.5, 0.017, 3.5, 120.0),
    ("LinkedIn", 16, 52.0, 0.012, 4.5, 199.0),
    ("X", 10, 35.0, 0.010, 1.5, 0.0),
    ("TikTok", 18, 41.0, 0.014, 1.8, 75.0),
    ("YouTube", 0, 45.0, 0.008, 2.0, 0.0),
]

DATA = "'Campaign Data'"  # the sheet name with a space, as used inside formulas


def _name(wb: openpyxl.Workbook, name: str, ref: str) -> None:
    """A workbook-level defined name."""
    dn = DefinedName(name, attr_text=ref)
    try:
        wb.defined_names[name] = dn  # openpyxl >= 3.1
    except TypeError:  # pragma: no cover - older openpyxl
        wb.defined_names.append(dn)


def build_campaigns() -> openpyxl.Workbook:
    """Three sheets: 'Campaign Data' (rows + per-row formulas), Channels (lookup table), Summary."""
    wb = openpyxl.Workbook()
    data = wb.active
    data.title = "Campaign Data"
    data.append(["Date", "Channel", "Campaign", "Spend", "Impressions", "Clicks", "Conversions", "Revenue",
                 "Owner", "CTR", "CPC", "ROAS", "Profit", "ROI", "Month", "Tier", "Owner (clean)",
                 "Code", "Month end", "Staff cost", "Total cost", "Net ROI"])
    for row in CAMPAIGNS:
        data.append(list(row))
    for r in range(FIRST, LAST + 1):
        data[f"J{r}"] = f"=F{r}/E{r}"                                    # CTR
        data[f"K{r}"] = f"=IFERROR(D{r}/F{r},\"no clicks\")"            # CPC
        data[f"L{r}"] = f"=IF(D{r}=0,0,ROUND(H{r}/D{r},4))"             # ROAS
        data[f"M{r}"] = f"=H{r}-D{r}"                                   # Profit
        data[f"N{r}"] = f"=(H{r}-D{r})/D{r}"                            # ROI (#DIV/0! on zero spend)
        data[f"O{r}"] = f"=MONTH(A{r})"
        data[f"P{r}"] = (f"=IF(AND(L{r}>=4,G{r}>=30),\"High\",IF(OR(L{r}>=3,G{r}>=40),\"Mid\","
                         f"IF(NOT(ISNUMBER(N{r})),\"Check\",\"Low\")))")
        data[f"Q{r}"] = f"=PROPER(TRIM(I{r}))"
        data[f"R{r}"] = f"=UPPER(LEFT(B{r},2))&\"-\"&TEXT(A{r},\"yymmdd\")&\"-\"&ROW()"
        data[f"S{r}"] = f"=EOMONTH(A{r},0)"
        data[f"T{r}"] = (f"=ROUND(VLOOKUP(B{r},Channels!$A$2:$F$7,2,FALSE)"
                         f"*VLOOKUP(B{r},Channels!$A$2:$F$7,3,FALSE)/4,2)")   # a week of staff time
        data[f"U{r}"] = f"=D{r}+T{r}"
        data[f"V{r}"] = f"=IFERROR(ROUND((H{r}-U{r})/U{r},6),-1)"
    for name, col in [("Dates", "A"), ("Channel", "B"), ("Campaign", "C"), ("Spend", "D"), ("Impressions", "E"),
                      ("Clicks", "F"), ("Conversions", "G"), ("Revenue", "H"), ("Profit", "M"), ("ROI", "N")]:
        _name(wb, name, f"{DATA}!${col}${FIRST}:${col}${LAST}")

    ch = wb.create_sheet("Channels")
    ch.append(["Channel", "Hours", "Rate", "Target CTR", "Target ROAS", "Platform fee", "Staff cost",
               "Spend", "Revenue", "ROAS", "vs target", "Status", "Campaigns", "Avg spend", "Rank"])
    for row in CHANNEL_TABLE:
        ch.append(list(row))
    for r in range(2, 2 + len(CHANNEL_TABLE)):
        ch[f"G{r}"] = f"=B{r}*C{r}"
        ch[f"H{r}"] = f"=SUMIFS(Spend,Channel,A{r})"
        ch[f"I{r}"] = f"=SUMIF({DATA}!$B$2:$B$13,A{r},{DATA}!$H$2:$H$13)"
        ch[f"J{r}"] = f"=I{r}/H{r}"                                       # #DIV/0! for YouTube
        ch[f"K{r}"] = f"=J{r}-E{r}"                                       # the error flows on
        ch[f"L{r}"] = (f"=IF(ISERROR(K{r}),\"no data\",IF(K{r}>=0,\"on target\","
                       f"IF(K{r}>-1,\"close\",\"behind\")))")
        ch[f"M{r}"] = f"=COUNTIF(Channel,A{r})"
        ch[f"N{r}"] = f"=IFERROR(AVERAGEIF(Channel,A{r},Spend),0)"
        ch[f"O{r}"] = f"=RANK(H{r},$H$2:$H$7)"
    _name(wb, "ChannelTable", "Channels!$A$2:$F$7")
    _name(wb, "FeeRate", "Channels!$B$10")
    ch["A10"] = "Fee rate"
    ch["B10"] = 0.15
    ch["A12"] = "Spend tiers"
    for i, (floor, label) in enumerate([(0, "Micro"), (250, "Small"), (1000, "Medium"), (2500, "Large")], start=13):
        ch[f"B{i}"] = floor
        ch[f"C{i}"] = label

    s = wb.create_sheet("Summary")
    rows: list[tuple[str, str]] = [
        # totals and ratios over named ranges and cross-sheet ranges
        ("Total spend", "=SUM(Spend)"),
        ("Total revenue", "=SUM(Revenue)"),
        ("ROI", "=(B3-B2)/B2"),
        ("ROI %", "=ROUND(B4*100,2)"),
        ("Total clicks", f"=SUM({DATA}!F2:F13)"),
        ("Avg CTR", f"=AVERAGE({DATA}!J2:J13)"),
        ("Blended CTR", "=SUM(Clicks)/SUM(Impressions)"),
        ("Staff cost", "=SUM(Channels!G2:G7)"),
        ("Platform fees", "=SUM(Channels!F2:F7)*(1+FeeRate)"),
        ("Full cost", "=B2+B9+B10"),
        ("Net ROI", "=ROUND((B3-B11)/B11,6)"),
        ("Campaign count", "=COUNTA(Campaign)"),
        ("Conversions", "=SUM(Conversions)"),
        ("Cost per conversion", "=ROUND(B11/B14,2)"),
        ("Sum of ROI (has error)", "=SUM(ROI)"),
        ("ROI without errors", '=SUMIF(ROI,"<>#DIV/0!")'),
        ("ROI ignoring errors", "=_xlfn.AGGREGATE(9,6,ROI)"),
        ("Profit sum", "=SUMPRODUCT(Revenue-Spend)"),
        ("Weighted ROAS", "=SUMPRODUCT(Spend,Revenue)/SUMSQ(Spend)"),
        # criteria functions
        ("Facebook spend", '=SUMIFS(Spend,Channel,"Facebook")'),
        ("FB spend >1000", '=SUMIFS(Spend,Channel,"Facebook",Spend,">1000")'),
        ("Spend from Feb", '=SUMIFS(Spend,Dates,">="&DATE(2024,2,1))'),
        ("Spend in March", '=SUMIFS(Spend,Dates,">="&DATE(2024,3,1),Dates,"<="&EOMONTH(DATE(2024,3,1),0))'),
        ("Not Facebook", '=COUNTIF(Channel,"<>Facebook")'),
        ("Spring Launch rows", '=COUNTIF(Campaign,"Spring Launch")'),
        ("Launch-ish (wildcard)", '=COUNTIF(Campaign,"*Launch*")'),
        ("Zero clicks", "=COUNTIF(Clicks,0)"),
        ("Big spends", '=COUNTIFS(Spend,">=1000",Revenue,">5000")'),
        ("Insta avg revenue", '=AVERAGEIF(Channel,"Instagram",Revenue)'),
        ("Avg spend >0", '=AVERAGEIF(Spend,">0")'),
        ("Avg rev LinkedIn", '=AVERAGEIFS(Revenue,Channel,"LinkedIn",Spend,">0")'),
        ("YouTube avg (none)", '=AVERAGEIF(Channel,"YouTube",Revenue)'),
        ("Retargeting revenue", '=SUMIF(Campaign,"Retargeting",Revenue)'),
        ("Numbers in owners", f"=COUNT({DATA}!I2:I13)"),
        ("Blank owners", f"=COUNTBLANK({DATA}!I2:I13)"),
        # lookups
        ("Best ROAS", "=MAX(Channels!J2:J5)"),
        ("Best channel", "=INDEX(Channels!A2:A5,MATCH(B36,Channels!J2:J5,0))"),
        ("LinkedIn rate", '=VLOOKUP("LinkedIn",ChannelTable,3,FALSE)'),
        ("linkedin rate (case)", '=VLOOKUP("linkedin",ChannelTable,3,FALSE)'),
        ("Missing channel", '=VLOOKUP("Pinterest",ChannelTable,3,FALSE)'),
        ("Missing -> 0", '=IFERROR(VLOOKUP("Pinterest",ChannelTable,3,FALSE),0)'),
        ("Missing ISNA", '=ISNA(MATCH("Pinterest",Channels!A2:A7,0))'),
        ("TikTok row", '=MATCH("TikTok",Channels!A2:A7,0)'),
        ("Approx match", "=MATCH(1000,Channels!B13:B16)"),
        ("Spend tier", "=VLOOKUP(B2/12,Channels!B13:C16,2)"),
        ("Tier of 500", "=VLOOKUP(500,Channels!B13:C16,2,TRUE)"),
        ("FB share (--)", '=SUMPRODUCT(--(Channel="Facebook"),Spend)/B2'),
        ("FB rows (--)", '=SUMPRODUCT(--(Channel="Facebook"))'),
        ("Rows with errors", "=SUMPRODUCT(ISERROR(ROI)*1)"),
        ("Channels with data", '=COUNTIF(Channels!L2:L7,"<>no data")'),
        ("Spend >= avg", '=COUNTIF(Spend,">="&AVERAGE(Spend))'),
        ("Two-letter channel", '=COUNTIF(Channel,"??")'),
        ("One-letter channel", '=COUNTIF(Channel,"?")'),
        ("Starts with In", '=COUNTIFS(Channel,"In*",Spend,">0")'),
        ("Blank owner count", '=COUNTIF(' + DATA + '!I2:I13,"")'),
        ("HLOOKUP header", '=HLOOKUP("Rate",Channels!A1:F7,3,FALSE)'),
        ("Rows in data", "=ROWS(Spend)+COLUMNS(ChannelTable)"),
        ("Stdev spend", "=ROUND(STDEV(Spend),6)"),
        ("INDEX 2-D", '=INDEX(ChannelTable,MATCH("X",Channels!A2:A7,0),5)'),
        ("Largest spend", "=MAX(Spend)"),
        ("Smallest spend", "=MIN(Spend)"),
        ("Smallest > 0", '=_xlfn.MINIFS(Spend,Spend,">0")'),
        ("Largest FB spend", '=_xlfn.MAXIFS(Spend,Channel,"Facebook")'),
        ("2nd largest rev", "=LARGE(Revenue,2)"),
        ("2nd smallest rev", "=SMALL(Revenue,2)"),
        ("Median spend", "=MEDIAN(Spend)"),
        ("Campaign of max rev", "=INDEX(Campaign,MATCH(MAX(Revenue),Revenue,0))"),
        ("Date of max rev", "=INDEX(Dates,MATCH(MAX(Revenue),Revenue,0))"),
        ("Max of mixed", f"=MAX({DATA}!K2:K13)"),  # text "no clicks" is skipped
        ("Min with error", "=MIN(ROI)"),
    ]
    for i, (label, formula) in enumerate(rows, start=2):
        s[f"A{i}"] = label
        s[f"B{i}"] = formula
    return wb


def build_functions() -> openpyxl.Workbook:
    """One sheet per family of functions on small literal inputs, each cell checking one behaviour."""
    wb = openpyxl.Workbook()
    inp = wb.active
    inp.title = "Inputs"
    inputs = [
        ("Start", dt.datetime(2024, 1, 31)), ("End", dt.datetime(2024, 11, 15)), ("Leap", dt.datetime(2024, 2, 29)),
        ("Amount", 2.675), ("Negative", -7), ("Text", "  Social Media ROI  "), ("Number text", "12.5"),
        ("Flag", True), ("Empty", None), ("Zero", 0), ("Email", "ana.lopez@example.com"), ("Rate", 0.05),
        ("Half", 2.5), ("Neg half", -2.5), ("Big", 1234567.891), ("Word", "abc"),
    ]
    for i, (label, value) in enumerate(inputs, start=1):
        inp[f"A{i}"] = label
        if value is not None:
            inp[f"B{i}"] = value
    # B1 Start, B2 End, B3 Leap, B4 Amount, B5 Negative, B6 Text, B7 Number text, B8 Flag, B9 Empty,
    # B10 Zero, B11 Email, B12 Rate, B13 Half, B14 Neg half, B15 Big, B16 Word

    groups = {
        "Math": [
            "=1+2*3-4/8", "=-2^2", "=2^3^2", "=50%*200", "=(1+Inputs!B12)^12", "=POWER(1.05,12)",
            "=ROUND(Inputs!B4,2)", "=ROUND(Inputs!B13,0)", "=ROUND(Inputs!B14,0)", "=ROUND(Inputs!B15,-3)",
            "=ROUND(1.005,2)", "=ROUNDUP(1.231,2)", "=ROUNDUP(-1.231,2)", "=ROUNDDOWN(-1.239,2)",
            "=ROUNDDOWN(Inputs!B15,-2)", "=MOD(Inputs!B5,3)", "=MOD(7,-3)", "=MOD(7.5,2)", "=MOD(5,0)",
            "=ABS(Inputs!B5)", "=SQRT(16)", "=INT(-3.5)", "=TRUNC(-3.5)", "=SIGN(Inputs!B5)",
            "=PRODUCT(2,3,4)", "=SUM(Inputs!B6:B7)", "=COUNT(Inputs!B4:B7)", "=Inputs!B7+1", "=TRUE+1",
            "=Inputs!B9+5", "=Inputs!B9*1", "=0.1+0.2", "=0.1+0.2-0.3", "=1/3", "=10/4", "=1/Inputs!B10",
            "=AVERAGE(1,2,3,4)", "=AVERAGE(Inputs!B4:B5)", "=MAX(1,5,-2)", "=MIN(Inputs!B4:B7)",
            "=MAX(Inputs!B6:B7)", "=-Inputs!B5", "=--Inputs!B7",
            "=SUMSQ(3,4)", "=EXP(1)", "=LN(10)", "=LOG10(1000)", "=PI()",
            "=CEILING(4.3,0.5)", "=FLOOR(4.7,0.5)", "=MROUND(17,5)", "=EVEN(3)", "=ODD(4)",
            "=ROUND(0.285,2)", "=ROUNDDOWN(0.29,2)", "=ROUNDUP(0.1+0.2,1)", "=ROUNDUP(1.1,1)",
            "=ROUND(Inputs!B12*Inputs!B15,2)", "=ROUNDDOWN(1000*1.15,0)",
        ],
        "Logic": [
            "=IF(Inputs!B4>2,\"big\",\"small\")", "=IF(Inputs!B10,\"yes\",\"no\")", "=IF(Inputs!B9=\"\",1,2)",
            "=IF(Inputs!B8,1)", "=IF(FALSE,1)", "=AND(Inputs!B8,Inputs!B4>1)", "=OR(Inputs!B10,Inputs!B5>0)",
            "=NOT(Inputs!B8)", "=_xlfn.XOR(TRUE,FALSE,TRUE)", "=IFERROR(1/0,\"none\")", "=IFERROR(10/4,\"none\")",
            "=_xlfn.IFNA(MATCH(\"q\",Inputs!A1:A16,0),-1)", "=ISERROR(1/0)", "=ISERROR(Inputs!B16)",
            "=ISERR(NA())", "=ISNA(NA())", "=ISNUMBER(Inputs!B4)", "=ISNUMBER(Inputs!B7)",
            "=ISTEXT(Inputs!B7)", "=ISBLANK(Inputs!B9)", "=ISBLANK(Inputs!B10)", "=ISLOGICAL(Inputs!B8)",
            "=ISEVEN(Inputs!B5)", "=\"abc\"=\"ABC\"", "=\"b\">\"a\"", "=\"10\"=10", "=Inputs!B9=0",
            "=Inputs!B9=\"\"", "=1=1.0", "=_xlfn.IFS(Inputs!B4>3,\"a\",Inputs!B4>2,\"b\",TRUE,\"c\")",
            "=_xlfn.SWITCH(Inputs!B16,\"abc\",1,\"def\",2,0)", "=CHOOSE(3,\"a\",\"b\",\"c\")",
        ],
        "Text": [
            "=LEN(Inputs!B6)", "=TRIM(Inputs!B6)", "=LEN(TRIM(Inputs!B6))", "=UPPER(Inputs!B16)",
            "=LOWER(\"Social ROI\")", "=PROPER(\"social media roi\")", "=LEFT(TRIM(Inputs!B6),6)",
            "=RIGHT(Inputs!B11,11)", "=MID(Inputs!B11,6,5)", "=LEFT(Inputs!B11,FIND(\"@\",Inputs!B11)-1)",
            "=SEARCH(\"media\",Inputs!B6)", "=FIND(\"Media\",Inputs!B6)", "=FIND(\"media\",Inputs!B6)",
            "=SUBSTITUTE(Inputs!B11,\".\",\"_\")", "=SUBSTITUTE(\"a-b-c\",\"-\",\"+\",2)",
            "=REPLACE(\"abcdef\",2,3,\"X\")", "=REPT(\"*\",3)", "=CONCATENATE(\"ROI: \",Inputs!B4)",
            "=\"Q\"&1&\"-\"&2024", "=Inputs!B16&Inputs!B9&\"!\"", "=\"v\"&1/4",
            "=\"\"&(0.1+0.2)", "=\"\"&1/3", "=LEFT(12345,2)",
            "=_xlfn.CONCAT(\"a\",\"b\",\"c\")", "=_xlfn.TEXTJOIN(\", \",TRUE,\"a\",\"\",\"b\")",
            "=EXACT(\"ROI\",\"roi\")",
            "=VALUE(Inputs!B7)*2", "=VALUE(\"abc\")", "=TEXT(Inputs!B4,\"0.00\")", "=TEXT(0.256,\"0.0%\")",
            "=TEXT(Inputs!B15,\"#,##0.00\")", "=TEXT(Inputs!B1,\"yyyy-mm-dd\")", "=TEXT(42,\"000000\")",
            "=LEFT(\"abc\",10)", "=MID(\"abc\",5,2)", "=LEN(Inputs!B9)", "=CHAR(65)", "=CODE(\"A\")",
            "=T(Inputs!B16)", "=N(Inputs!B8)", "=FIXED(1234.567,1)",
        ],
        "Dates": [
            "=DATE(2024,3,15)", "=DATE(2024,14,1)", "=DATE(2024,3,0)", "=YEAR(Inputs!B1)", "=MONTH(Inputs!B1)",
            "=DAY(Inputs!B1)", "=EOMONTH(Inputs!B1,1)", "=EOMONTH(Inputs!B1,-1)", "=EOMONTH(Inputs!B3,12)",
            "=EDATE(Inputs!B1,1)", "=EDATE(Inputs!B3,12)", "=Inputs!B2-Inputs!B1", "=_xlfn.DAYS(Inputs!B2,Inputs!B1)",
            "=DATEDIF(Inputs!B1,Inputs!B2,\"d\")", "=DATEDIF(Inputs!B1,Inputs!B2,\"m\")",
            "=DATEDIF(Inputs!B1,Inputs!B2,\"y\")", "=DATEDIF(Inputs!B3,DATE(2025,2,28),\"y\")",
            "=WEEKDAY(Inputs!B1)", "=WEEKDAY(Inputs!B1,2)", "=WEEKNUM(Inputs!B1)",
            "=NETWORKDAYS(Inputs!B1,Inputs!B2)", "=WORKDAY(Inputs!B1,10)", "=YEAR(Inputs!B2)*100+MONTH(Inputs!B2)",
            "=DATE(YEAR(Inputs!B1),MONTH(Inputs!B1)+1,1)", "=Inputs!B1+30", "=DATEVALUE(\"2024-05-01\")",
            "=TIME(12,30,0)", "=HOUR(0.75)", "=YEARFRAC(Inputs!B1,Inputs!B2,1)",
            "=DATEDIF(Inputs!B1,Inputs!B2,\"ym\")", "=DATEDIF(Inputs!B1,Inputs!B2,\"yd\")",
            "=DATEDIF(Inputs!B1,Inputs!B2,\"D\")", "=DATEDIF(Inputs!B1,Inputs!B2,\"M\")",
        ],
        "Errors": [
            "=1/0", "=A2+1", "=SUM(A2:A3)", "=IFERROR(A2,0)", "=ISERROR(A3)", "=NA()", "=A7*2",
            "=VALUE(\"x1\")*1", "=\"abc\"*1", "=Inputs!B16+1", "=A10+A7", "=SUM(A7:A10)",
            "=ROWS(Inputs!A1:B16)", "=MATCH(\"nope\",Inputs!A1:A16,0)", "=ERROR.TYPE(A2)",
            "=ERROR.TYPE(A7)", "=IF(ISERROR(A2),\"fix\",A2)", "=COUNT(A2:A5)", "=COUNTA(A2:A4)",
            "=MAX(A2,A3)", "=AVERAGE(A9,1)", "=IFERROR(A14,\"not found\")", "=1/0&\"x\"", "=IF(1/0,1,2)",
            "=AND(TRUE,1/0)", "=DATE(2024,1,1)/0",
        ],
    }
    for name, formulas in groups.items():
        ws = wb.create_sheet(name)
        for i, f in enumerate(formulas, start=2):
            ws[f"A{i}"] = f
        ws["A1"] = name  # a text header keeps A1 out of the formulas
    # cross-sheet references to the other families, from a sheet whose name needs quotes
    x = wb.create_sheet("Roll-up 2024")
    x["A1"] = "=Math!A2+Logic!A11&\"\""
    x["A2"] = "=COUNTIF(Text!A2:A13,\"*a*\")"
    x["A3"] = "=SUMPRODUCT(--ISERROR(Errors!A2:A27))"
    x["A4"] = "=COUNTIF(Errors!A2:A27,\"#DIV/0!\")"
    x["A5"] = "=Dates!A2-Dates!A5*0"
    x["A6"] = "=SUM(Math!A2:A10)"
    x["A7"] = "='Roll-up 2024'!A6*2"
    x["A8"] = "=LEN(Text!A3)+Text!A2"
    return wb


WORKBOOKS: dict[str, Callable[[], openpyxl.Workbook]] = {
    "campaigns.xlsx": build_campaigns,
    "functions.xlsx": build_functions,
}


def write_all(directory: Path) -> list[Path]:
    """Write every workbook into `directory`; their paths, in WORKBOOKS order."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, build in WORKBOOKS.items():
        path = directory / name
        build().save(path)
        paths.append(path)
    return paths
