"""A corpus of texts that may or may not read as numbers, for the differential test against LibreOffice
(tests/conformance/test_text_corpus_libreoffice.py): number-like, currency, percent, signs and parentheses,
spaces, date-like, time-like, codes ("M1", "Q1", "FY24"), unicode digits, very long texts.

Deterministic: a fixed seed and systematic lists, so a disagreement found once is found every run.
Year-less dates ("1/30", "Jan 30") read the current year in both engines, which run on the same day.
"""
from __future__ import annotations

import random

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]
CODE_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _numbers(rnd: random.Random) -> list[str]:
    out = ["0", "1", "-1", "+1", ".5", "5.", "0.0", "00012", "1.5", "-0.25", "1e3", "1E-3", "2.5e+2",
           "1,000", "10,000", "1,000,000", "1,234.5", "-1,234.5", "(5)", "(1,234.5)", "1,00", "1,0000",
           "12,34", "1,2,3", "1.2.3", "1e", "e5", "1e5.5", "--1", "+-1", "-+1", "(-1)", "(1", "1)",
           "1 000", "1  2", " 42", "42 ", "  42  ", "\t42", "42\t", "1_000", "0x1F", "inf", "-inf",
           "nan", "Infinity", "1d", "1f", "1.", "-.5", "+.5", ".", "-", "+", "%", "5%%", "%5", "5 %",
           "-5%", "(5%)", "5-", "5+", "1/0", "0/0", "1 1/2", "-1 1/2", "0 3/4", "2 5/4", "1 1/0", "3/4",
           "1/2", "12/13", "1e308", "1e309", "-1e309", "1e-320", "123456789012345678901234567890"]
    for _ in range(220):
        whole = rnd.choice([rnd.randint(0, 9), rnd.randint(10, 999), rnd.randint(1000, 10**7)])
        text = f"{whole:,}" if rnd.random() < 0.4 else str(whole)
        if rnd.random() < 0.4:
            text += "." + str(rnd.randint(0, 999)).zfill(rnd.randint(1, 3))
        if rnd.random() < 0.15:
            text += rnd.choice(["e", "E"]) + rnd.choice(["", "+", "-"]) + str(rnd.randint(0, 20))
        sign = rnd.choice(["", "", "", "-", "+"])
        text = sign + text
        if rnd.random() < 0.1 and not sign:
            text = f"({text})"
        if rnd.random() < 0.1:
            text = rnd.choice([" ", "  "]) + text + rnd.choice(["", " "])
        out.append(text)
    return out


def _currency_percent(rnd: random.Random) -> list[str]:
    out = ["$5", "-$5", "$-5", "($5)", "$ 5", "5$", "€5", "5€", "5 €", "£7.50", "¥100", "$1,234.50",
           "US$5", "USD 5", "5 USD", "$$5", "$5%", "5%", "40%", "23.123%", "100%", "0.5%", "-5%", "+5%"]
    for _ in range(150):
        amount = rnd.choice([str(rnd.randint(0, 99)), f"{rnd.randint(1000, 10**6):,}",
                             f"{rnd.randint(0, 9999)}.{rnd.randint(0, 99):02d}"])
        symbol = rnd.choice("$€£¥")
        form = rnd.randrange(6)
        out.append([f"{symbol}{amount}", f"{amount}{symbol}", f"-{symbol}{amount}", f"{amount}%",
                    f"({symbol}{amount})", f" {amount} % "][form])
    return out


def _dates(rnd: random.Random) -> list[str]:
    out = ["2024-01-30", "2024/01/30", "1/30/2024", "01/30/2024", "1-30-2024", "1/30/24", "1/30",
           "30-Jan-2024", "30-Jan-24", "30-Jan", "Jan-30", "Jan 30", "Jan 30, 2024", "January 30, 2024",
           "30 January 2024", "Jan-2024", "January 2024", "Jan-08", "Jan-45", "2/29", "2/30",
           "2/29/2024", "2/29/2023", "2/30/2024", "13/1/2024", "0/1/2024", "1/0/2024", "1/32/2024",
           "12/31/1899", "1/1/1900", "2/29/1900", "3/1/1900", "12/31/9999", "1/1/10000", "1/1/999",
           "2024-02-29 06:00", "1/30/2024 6:45 PM", "2024-01-30T10:00", "2024-01-30 25:00",
           " 2024-01-30", "2024-01-30 ", "1.30.2024", "30.1.2024", "2024.01.30", "Sept 5, 2024",
           "5-Sept-2024", "Mon, Jan 29, 2024", "Monday", "Jan", "January", "1/2/3/4", "1//2024",
           "2024-1", "2024-13", "2024/1", "1-2", "12-25", "25-12", "Q1 2024", "2024 Q1", "1st Jan 2024"]
    for _ in range(320):
        year = rnd.choice([rnd.randint(1890, 2099), rnd.randint(0, 99)])
        month, day = rnd.randint(1, 13), rnd.randint(1, 32)
        y = str(year).zfill(2) if year < 100 else str(year)
        form = rnd.randrange(9)
        mon = rnd.choice([MONTHS, LONG_MONTHS])[(month - 1) % 12]
        out.append([f"{month}/{day}/{y}", f"{y}-{month:02d}-{day:02d}", f"{day}-{mon}-{y}",
                    f"{mon} {day}, {y}", f"{month}/{day}", f"{day}-{mon}", f"{mon}-{y}",
                    f"{month}-{day}-{y}", f"{day} {mon} {y}"][form])
    return out


def _times(rnd: random.Random) -> list[str]:
    out = ["0:00", "12:00", "24:00", "25:00", "99:59", "100:00", "1:30", "01:30", "1:30:15", "1:30:15.5",
           "1:30.5", "1:60", "1:30:60", "12:00 PM", "12:00 AM", "12:30 am", "6 PM", "6PM", "6 pm", "6 P",
           "6:45 p", "13:00 PM", "0:30 AM", "0 AM", "12 AM", "1:5", "1:05", ":30", "1:", "1::30", "10:00:00 AM",
           " 1:30 ", "1:30 PM ", "noon", "midnight", "1h30", "1.30", "6 o'clock"]
    for _ in range(200):
        hour = rnd.choice([rnd.randint(0, 23), rnd.randint(0, 12), rnd.randint(24, 48)])
        minute, second = rnd.randint(0, 61), rnd.randint(0, 61)
        form = rnd.randrange(5)
        out.append([f"{hour}:{minute:02d}", f"{hour}:{minute:02d}:{second:02d}",
                    f"{max(hour % 13, 1)}:{minute:02d} {rnd.choice(['AM', 'PM', 'am', 'pm'])}",
                    f"{max(hour % 13, 1)} {rnd.choice(['AM', 'PM'])}",
                    f"{minute}:{second:02d}.{rnd.randint(0, 9)}"][form])
    return out


def _codes(rnd: random.Random) -> list[str]:
    out = ["M1", "M2", "M10", "m1", "Q1", "Q4", "W3", "W52", "K10", "P1", "A1", "Z9", "FY24", "H1", "H2",
           "T1", "AM", "PM", "A", "P", "1M", "3Q", "10K", "5k", "1st", "2nd", "Q1-24", "M-1", "M 1", "M1 ",
           " M1", "v1.2", "1.2.3-beta", "ID-001", "#1", "No. 5", "TRUE", "FALSE", "true", "yes", "abc", ""]
    for _ in range(300):
        letters = "".join(rnd.choice(CODE_LETTERS) for _ in range(rnd.randint(1, 3)))
        number = str(rnd.randint(0, 999))
        form = rnd.randrange(5)
        out.append([f"{letters}{number}", f"{letters.lower()}{number}", f"{number}{letters}",
                    f"{letters}-{number}", f"{letters} {number}"][form])
    return out


def _unicode_and_long(rnd: random.Random) -> list[str]:
    out = ["١٢٣", "۱۲۳", "１２３", "१२३", "¹²³", "½", "1½", "٣٫٥", "12\u00a0345", "12\u202f345", "1\u20092",
           "−5", "–5", "5‰", "Ⅻ", "十二", "2024年1月30日", "1,000\u00a0€", "x" * 300, "1" * 300,
           "9" * 16, "1" + "0" * 15, "0." + "1" * 40, "1" * 250 + "%", " " * 10 + "5" + " " * 10]
    for _ in range(40):
        digits = "".join(rnd.choice("0123456789") for _ in range(rnd.randint(16, 40)))
        out.append(digits if rnd.random() < 0.5 else digits[:5] + "." + digits[5:])
    return out


def corpus(seed: int = 20261203) -> list[str]:
    """At least 2,000 texts, each once, in a fixed order."""
    rnd = random.Random(seed)
    texts: list[str] = []
    for make in (_numbers, _currency_percent, _dates, _times, _codes, _unicode_and_long):
        texts.extend(make(rnd))
    seen, out = set(), []
    for text in texts:
        if text not in seen:
            seen.add(text)
            out.append(text)
    while len(out) < 2000:  # top up with more of every kind
        for make in (_numbers, _dates, _times, _codes):
            for text in make(rnd):
                if text not in seen:
                    seen.add(text)
                    out.append(text)
    return out
