"""Differential test of text read as a number: 2,000+ generated texts (tests/conformance/text_corpus.py) through
VALUE, arithmetic (=A1+0), a SUMIF criterion and MATCH, in roi-xl (the path users get) and in
LibreOffice headless (en-US), cell by cell.

Every disagreement must fall in one of the known differences below, each with the evidence of Excel's
own behaviour (a workbook saved by Excel, or Microsoft's documentation); a disagreement outside them
fails the test, naming the text. Where no Excel evidence decides, roi-xl follows LibreOffice
(roi_xl/engine/text_number.py), so there is nothing to list.

The SUMIF haystack holds one value per power of two (SUMIF over the weights tells exactly which cells
a criterion matched): 1000, 0.5, 45321 (30 Jan 2024), 0.75 (18:00), 5, -12, "M1", "1,000", "Q1", TRUE,
1E-05, 0.4.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import openpyxl
import pytest

import roi_xl
from roi_xl import XlError

from tests.conformance.text_corpus import corpus
from tests.support.libreoffice import find_soffice, recalc_with_libreoffice

pytestmark = pytest.mark.libreoffice

HAYSTACK = [1000, 0.5, 45321, 0.75, 5, -12, "M1", "1,000", "Q1", True, 1e-05, 0.4]
WEIGHT = {value if not isinstance(value, bool) else "TRUE": 2 ** i for i, value in enumerate(HAYSTACK)}
FORMULAS = {"B": "=VALUE(A{r})", "C": "=A{r}+0", "D": "=SUMIF($H$1:$H$12,A{r},$I$1:$I$12)",
            "E": "=MATCH(A{r},$H$1:$H$12,0)"}
NUMBER_COLUMNS = ("B", "C")  # where the text itself is read as a number


def _is_number(v) -> bool:
    return isinstance(v, float)


def _date_form(text: str) -> bool:
    return bool(re.search(r"[0-9]\s*[-/]\s*[0-9A-Za-z]|[A-Za-z]\s*[-/ ]\s*[0-9]", text))


@dataclass(frozen=True)
class Known:
    name: str
    evidence: str
    # (text, column, ours, libreoffice, ours VALUE, libreoffice VALUE) -> whether it explains the pair
    explains: Callable[[str, str, object, object, object, object], bool]


def _value_difference(test: Callable[[str, object, object], bool]):
    """A difference in how the text reads as a number, seen in VALUE and followed by every column."""
    return lambda text, col, ours, lo, ours_value, lo_value: test(text, ours_value, lo_value)


KNOWN = [
    Known("dates written with dashes or a year-less day-month",
          "Excel-saved T_VALUE_VALUETOTEXT.xlsx (conformance suite): VALUE(\"10-12-1999\") is 36504, a date "
          "with dashes between numbers, and VALUE(\"2-Feb-2026\") is 46055; Microsoft's DATEVALUE page: "
          "DATEVALUE(\"5-JUL\") is 5 July of the computer's current year. LibreOffice en-US reads only "
          "M/D/Y, M/D and ISO Y-M-D.",
          _value_difference(lambda t, o, lo: _is_number(o) and lo == "#VALUE!" and "-" in t and _date_form(t))),
    Known("year-first dates with slashes",
          "Microsoft's DATEVALUE page: DATEVALUE(\"2011/02/23\") is 40597.",
          _value_difference(lambda t, o, lo: _is_number(o) and lo == "#VALUE!"
                            and re.fullmatch(r"[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}", t) is not None)),
    Known("dates outside 1900-9999",
          "Microsoft's DATEVALUE page: date_text must represent a date between January 1, 1900 and "
          "December 31, 9999, else #VALUE!. LibreOffice reads earlier and later dates.",
          _value_difference(lambda t, o, lo: o == "#VALUE!" and _is_number(lo) and any(
              not 1900 <= int(year) <= 9999 for year in re.findall(r"[0-9]{3,}", t)))),
    Known("Excel's 1900 calendar (the phantom 29 February 1900)",
          "Excel-saved DATE_TIME.xlsx: DATEVALUE(\"29-Feb-1900\") is 60 and DATEVALUE(\"1-Mar-1900\") 61, "
          "so 1 January 1900 is 1; LibreOffice counts from 30 December 1899 without the phantom day.",
          _value_difference(lambda t, o, lo: (_is_number(o) and o < 61) and (lo == "#VALUE!" or lo == o + 1))),
    Known("spaces around a date",
          "Excel-saved FLOOR_CEILING and MROUND_TRUNC_INT workbooks (conformance suite): FLOOR(x,\" 2024-01-10 \"), "
          "INT(\" 2024-01-10 \") and MROUND(\" 2024-01-10 \",7) are #VALUE!; LibreOffice trims them.",
          _value_difference(lambda t, o, lo: o == "#VALUE!" and _is_number(lo) and t != t.strip(" ")
                            and _date_form(t.strip(" ")))),
    Known("the euro sign",
          "Excel-saved T_VALUE_VALUETOTEXT.xlsx: VALUE(\"23€\") is 23 and VALUE(\"12€\") is 12 (in an en-GB "
          "book: Excel reads € whatever the locale's currency); LibreOffice en-US reads only $.",
          _value_difference(lambda t, o, lo: "€" in t and _is_number(o) and lo == "#VALUE!")),
    Known("beyond Excel's largest number",
          "Microsoft's 'Excel specifications and limits': the largest number allowed is "
          "9.99999999999999E+307, so \"1e309\" is no number (#VALUE!); LibreOffice gives 1.797E+308, "
          "and for \"-1e309\" a positive one.",
          _value_difference(lambda t, o, lo: o == "#VALUE!" and _is_number(lo) and abs(lo) > 9.99999999999999e307)),
    Known("TRUE and FALSE as text",
          "Microsoft's VALUE page: text must be in a constant number, date or time format recognised by "
          "Excel, else #VALUE!; a logical is none of these (Excel-saved T_VALUE_VALUETOTEXT.xlsx: VALUE(TRUE) "
          "is #VALUE!). LibreOffice reads \"TRUE\" as 1.",
          _value_difference(lambda t, o, lo: t.upper() in ("TRUE", "FALSE") and o == "#VALUE!")),
    Known("a number criterion does not match TRUE",
          "Excel-saved STATISTICAL/COUNTIF.xlsx and COUNTIFS.xlsx (conformance suite, rules in "
          "roi_xl/engine/criteria.py): a criterion only meets values of its own kind; LibreOffice matches "
          "TRUE with 1.",
          lambda t, col, o, lo, ov, lv: col == "D" and _is_number(o) and _is_number(lo)
          and lo - o == WEIGHT["TRUE"]),
    Known("a number criterion also matches the same number written as text",
          "Excel-saved STATISTICAL/COUNTIF.xlsx (rules in roi_xl/engine/criteria.py): =COUNTIF(range,23) "
          "counts the text '23' too; here \"1e3\" meets the text \"1,000\".",
          lambda t, col, o, lo, ov, lv: col == "D" and _is_number(o) and _is_number(lo)
          and o - lo == WEIGHT["1,000"]),
    Known("a lookup does not turn text into numbers or logicals",
          "Microsoft's 'How to correct a #N/A error in the VLOOKUP function': a lookup value and source data "
          "of different data types (a number stored as text) do not match; LibreOffice's MATCH matches "
          "\"5\" with 5 and \"TRUE\" with TRUE.",
          lambda t, col, o, lo, ov, lv: col == "E" and o == "#N/A" and _is_number(lo)
          and (t.strip().upper() in ("TRUE", "FALSE") or _is_number(ov))),
]


def _plain(value):
    return str(value) if isinstance(value, XlError) else value


def _same(a, b) -> bool:
    if _is_number(a) and _is_number(b):
        return abs(a - b) <= 1e-9 * max(abs(a), abs(b)) or (abs(a) < 1e-300 and abs(b) < 1e-300)
    return a == b


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    if find_soffice() is None:
        pytest.skip("LibreOffice is not installed")
    texts = corpus()
    folder = tmp_path_factory.mktemp("corpus")
    path = folder / "corpus.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "T"
    for i, value in enumerate(HAYSTACK, start=1):
        ws[f"H{i}"], ws[f"I{i}"] = value, 2 ** (i - 1)
    for r, text in enumerate(texts, start=1):
        ws.cell(r, 1).value = text
        ws.cell(r, 1).data_type = "s"  # a text, even where it looks like a number
        for col, formula in FORMULAS.items():
            ws[f"{col}{r}"] = formula.format(r=r)
    wb.save(path)
    ours = roi_xl.recalc(path)
    lo = recalc_with_libreoffice([path], folder / "lo")[path]
    rows = []
    for r, text in enumerate(texts, start=1):
        got = {col: (_plain(ours[f"T!{col}{r}"]), lo[f"T!{col}{r}"]) for col in FORMULAS}
        rows.append((text, got))
    return rows


def test_corpus_is_large_and_varied():
    texts = corpus()
    assert len(texts) >= 2000 and len(set(texts)) == len(texts)
    assert corpus() == texts                                   # deterministic
    for sample in ("M1", "Q1", "1,000", "$5", "40%", "1/30/2024", "30-Jan-2024", "6 PM", "١٢٣", "x" * 300):
        assert sample in texts


def test_every_difference_from_libreoffice_is_a_known_excel_behaviour(compared):
    unexplained, explained = [], {k.name: 0 for k in KNOWN}
    for text, got in compared:
        ours_value, lo_value = got["B"]
        for col, (ours, lo) in got.items():
            if _same(ours, lo):
                continue
            known = next((k for k in KNOWN if k.explains(text, col, ours, lo, ours_value, lo_value)), None)
            if known is None:
                unexplained.append(f"{text!r} {FORMULAS[col].format(r='')}: roi-xl {ours!r}, LibreOffice {lo!r}")
            else:
                explained[known.name] += 1
    assert not unexplained, f"{len(unexplained)} differences:\n" + "\n".join(unexplained[:40])
    assert sum(explained.values()) < len(compared)  # most texts agree


def test_agreement_on_the_texts_users_type(compared):
    """Spot checks worked out by hand, in both engines: codes, separators, currency, percent, dates."""
    by_text = dict(compared)
    expected = {"M1": ("#VALUE!", "#VALUE!", WEIGHT["M1"], 7.0), "Q1": ("#VALUE!", "#VALUE!", WEIGHT["Q1"], 9.0),
                "1,000": (1000.0, 1000.0, WEIGHT[1000] + WEIGHT["1,000"], 8.0), "$5": (5.0, 5.0, WEIGHT[5], "#N/A"),
                "40%": (0.4, 0.4, WEIGHT[0.4], "#N/A"), "1/30/2024": (45321.0, 45321.0, WEIGHT[45321], "#N/A"),
                "6 PM": (0.75, 0.75, WEIGHT[0.75], "#N/A")}
    for text, (value, plus, sumif, match) in expected.items():
        got = by_text[text]
        for col, want in zip("BCDE", (value, plus, float(sumif), match)):
            ours, lo = got[col]
            assert _same(ours, want) and _same(lo, want), (text, col, ours, lo)
