"""Text functions (roi_xl/engine/functions/text*.py, dollar_fraction.py) through the real engine;
expected values from Excel's documentation (Windows-1252 for 128..255, SEARCH wildcards,
32,767-character texts, TEXTBEFORE/TEXTAFTER, VALUE, DOLLARFR, REGEXREPLACE's $n), worked by
hand, or what Excel computed and saved for the same formula (instance_num rounding down,
match_end, a delimiter longer than the text)."""
from __future__ import annotations

import pytest

from roi_xl import XlError

from tests.support.formula_cases import assert_excel_value, evaluate_cases

CASES = {
    "=CHAR(65)": "A",
    "=CHAR(128)": "€",
    "=CHAR(150)": "–",              # en dash in Windows-1252
    "=CHAR(129)": "\x81",           # undefined in Windows-1252: its own code point
    "=CHAR(233)": "é",
    "=CHAR(0)": XlError.VALUE,
    "=CHAR(256)": XlError.VALUE,
    '=CODE("€uro")': 128.0,
    '=CODE("A")': 65.0,
    '=CODE("")': XlError.VALUE,
    '=SEARCH("ns??i","Einstein")': 3.0,
    '=SEARCH("ns*i","Einstein")': 3.0,
    '=SEARCH("~?","Late?")': 5.0,
    '=SEARCH("h","Hello")': 1.0,
    '=SEARCH("a","banana",3)': 4.0,
    '=SEARCH("x","abc")': XlError.VALUE,
    '=SEARCH("a","abc",5)': XlError.VALUE,
    '=REPT("ab",3)': "ababab",
    '=REPT("x",40000)': XlError.VALUE,  # beyond 32,767 characters
    '=REPT("x",-1)': XlError.VALUE,
    '=SEARCH("~d","My dear")': 4.0,            # a ~ before an ordinary character is dropped
    # TEXTBEFORE / TEXTAFTER (Microsoft's examples, then Excel's saved results)
    '=TEXTBEFORE("Little red riding hood\'s red hood","red")': "Little ",
    '=TEXTBEFORE("Little red riding hood\'s red hood","red",2)': "Little red riding hood's ",
    '=TEXTBEFORE("Little red riding hood\'s red hood","red",-2)': "Little ",
    '=TEXTAFTER("Little red riding hood\'s red hood","hood")': "'s red hood",
    '=TEXTAFTER("Little red riding hood\'s red hood","basket")': XlError.NA,
    '=TEXTAFTER("123 the 456 the 891","the",-1.2)': " 456 the 891",  # rounded down: 2nd from end
    '=TEXTBEFORE("123 the 456 the 891","the",-1.6)': "123 ",
    '=TEXTAFTER("123 the 456 the 891","THE",2,1,0,1/0)': " 891",     # if_not_found unused
    '=TEXTAFTER("123 the 456 the 891","the",1,0,1)': " 456 the 891",
    '=TEXTAFTER("123 the 456","Hello",1,0,1)': "",                   # the end counts as a match
    '=TEXTBEFORE("123 the 456","Hello",1,0,1)': "123 the 456",
    '=TEXTAFTER("123 the 456","Hello",-1,0,1)': "123 the 456",       # ... the start, from the end
    '=TEXTAFTER("123 the 456","Hello",2,0,1,"Failed")': "Failed",
    '=TEXTAFTER("123 the 456","the",1,0,2)': XlError.VALUE,
    '=TEXTAFTER("del","deli",1)': XlError.VALUE,
    '=TEXTAFTER("del","deli")': XlError.NA,
    '=TEXTAFTER("abc","b",0)': XlError.VALUE,
    # VALUE reads numbers as typed in Excel
    '=VALUE("40%")': 0.4,
    '=VALUE("$1,234.50")': 1234.5,
    '=VALUE("(12)")': -12.0,
    '=VALUE("23€")': 23.0,
    '=VALUE("1e-5")': 1e-05,
    '=VALUE("12,34")': XlError.VALUE,          # thousands come in groups of three
    '=VALUE("12:30")': 0.5208333333333334,     # a time alone is a fraction of a day
    '=VALUE("30/2/2010")': XlError.VALUE,      # no such date
    '=VALUE("")': XlError.VALUE,
    '=VALUE(TRUE)': XlError.VALUE,
    '=TEXT("40%","0.0")': "0.4",
    # DOLLARFR: fraction truncated, 0 is #DIV/0!, negatives keep their sign
    "=DOLLARFR(1.125,16)": 1.02,
    "=DOLLARFR(-0.5,2)": -0.1,
    "=DOLLARFR(10,0.5)": XlError.DIV0,
    "=DOLLARFR(10,-2)": XlError.NUM,
    '=SUBSTITUTE("My old fears","","new")': "My old fears",
    '=SUBSTITUTE("My old fears","","new",1)': "My old fears",
    '=SUBSTITUTE("a-b-c","-","+",2)': "a-b+c",
    "=EXACT(1/3,0.333333333333333)": True,     # numbers compare as 15-digit text
    '=EXACT("a","A")': False,
    '=REGEXTEST("Mr. Sherlock Holmes","[A-Z]her")': True,  # anywhere, not only at the start
    '=REGEXREPLACE("JamesBond","([A-Z][a-z]+)([A-Z][a-z]+)","$2, $1 $2")': "Bond, James Bond",
    '=REGEXREPLACE("a1b2c3","[0-9]","#",2)': "a1b#c3",     # only the 2nd occurrence
    '=REGEXREPLACE("a1b2c3","[0-9]","#",-1)': "a1b2c#",    # the last one
    '=REGEXREPLACE("a1b2c3","[0-9]","#")': "a#b#c#",
    '=CONCATENATE("hey ",,":)")': "hey :)",    # an empty argument is empty text, not 0
    '=TEXTSPLIT("Hola sin split",)': XlError.VALUE,
    '=TEXTSPLIT("Hola sin split",,)': XlError.VALUE,
    '=INDEX(TEXTSPLIT("a,b.c",,{",","."}),2,1)': "b",  # rows only: no 0 as a column delimiter
    '=TEXTJOIN(Y1,TRUE,"a","b")': "ab",        # a blank delimiter is empty text
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return evaluate_cases(tmp_path_factory.mktemp("text") / "text.xlsx", {}, CASES)


@pytest.mark.parametrize(("formula", "expected"), list(CASES.items()), ids=list(CASES))
def test_text_function(results, formula, expected):
    assert_excel_value(results[formula], expected, formula)
