"""Excel's number-format codes rendered as text: the `format_text` of TEXT(value, format_text).

A code has up to four sections `positive;negative;zero;text`, each optionally led by a colour
(`[Red]`, ignored: text has no colour) or a condition (`[>100]`). A section is one of:

- numbers: digit placeholders `0` (digit or 0), `#` (digit or nothing), `?` (digit or space),
  `.` decimal point, `,` thousands separator between placeholders or, trailing, a scaling by 1,000,
  `%` (times 100), `E+`/`E-` scientific, `?/?` or `?/8` fractions;
- dates and times: `y m d h s` codes, `AM/PM` `A/P`, elapsed `[h] [m] [s]`, `.0` fractions of seconds
  (serials outside 0 .. 2958465.99999 are #VALUE!);
- `General` (up to 11 characters, then scientific) and `@` (the text itself);

with literals anywhere: `"quoted"`, `\\x`, `_x` (a space as wide as x), `*x` (fill: nothing in a
formula's text), `[$€-409]` (the currency symbol) and the characters Excel shows as themselves.

Numbers are rounded as Excel shows them: to 15 significant digits first, then half away from zero
(TEXT(2.675,"0.00") is "2.68" although the double is 2.67499...). A negative number shown by a
negative section loses its sign; in a one-section code it gets a leading minus unless every digit
shown is 0 (TEXT(-0.2,"0") is "0").
"""
from __future__ import annotations

import calendar
import datetime as _dt
import decimal
import functools
import math
import re
from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import FormatError

D = decimal.Decimal
_CTX = decimal.Context(prec=400, rounding=decimal.ROUND_HALF_UP, Emax=10_000, Emin=-10_000)
MAX_SERIAL = 2958466  # 10000-01-01: dates from here on are #VALUE!


# --- tokens -----------------------------------------------------------------------------------

@dataclass
class Tok:
    kind: str  # lit digit point comma percent exp slash at general date ampm elapsed sep
    text: str


@dataclass
class Section:
    toks: list
    cond: tuple | None = None  # (operator, number)

    def kinds(self) -> set:
        return {t.kind for t in self.toks}


_COND = re.compile(r"^(<=|>=|<>|<|>|=)\s*(-?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)$")
_ELAPSED = re.compile(r"^(h+|m+|s+)$", re.I)


def _bracket(body: str, toks: list, section: dict):
    cond = _COND.match(body.strip())
    if cond:
        section["cond"] = (cond.group(1), float(cond.group(2)))
    elif body.startswith("$"):  # [$€-409]: currency symbol, then a locale id
        toks.append(Tok("lit", body[1:].split("-", 1)[0]))
    elif _ELAPSED.match(body):
        toks.append(Tok("elapsed", body.lower()))
    # else a colour ([Red], [Color10]) or an unknown modifier: nothing in text


@functools.lru_cache(maxsize=512)
def parse(code: str) -> tuple:
    """The sections of a format code (at most four)."""
    sections: list = []
    toks: list = []
    current: dict = {}
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        low = c.lower()
        if c == '"':
            end = code.find('"', i + 1)
            end = n if end < 0 else end
            toks.append(Tok("lit", code[i + 1:end]))
            i = end + 1
            continue
        if c == "\\":
            toks.append(Tok("lit", code[i + 1:i + 2]))
            i += 2
            continue
        if c == "_":
            toks.append(Tok("lit", " "))
            i += 2
            continue
        if c == "*":
            i += 2
            continue
        if c == "[":
            end = code.find("]", i)
            if end < 0:
                raise FormatError(code)
            _bracket(code[i + 1:end], toks, current)
            i = end + 1
            continue
        if c == ";":
            sections.append(Section(toks, current.get("cond")))
            toks, current = [], {}
            i += 1
            continue
        if code[i:i + 7].lower() == "general":
            toks.append(Tok("general", "General"))
            i += 7
            continue
        if code[i:i + 5].upper() == "AM/PM" or code[i:i + 3].upper() == "A/P":
            width = 5 if code[i:i + 5].upper() == "AM/PM" else 3
            toks.append(Tok("ampm", code[i:i + width]))
            i += width
            continue
        if c in "Ee" and code[i + 1:i + 2] in ("+", "-"):
            toks.append(Tok("exp", code[i:i + 2]))
            i += 2
            continue
        if low in "ymdhs":
            j = i
            while j < n and code[j].lower() == low:
                j += 1
            toks.append(Tok("date", low * (j - i)))
            i = j
            continue
        kind = {"0": "digit", "#": "digit", "?": "digit", ".": "point", ",": "comma",
                "%": "percent", "/": "slash", "@": "at"}.get(c, "lit")
        toks.append(Tok(kind, c))
        i += 1
    sections.append(Section(toks, current.get("cond")))
    if len(sections) > 4:
        raise FormatError(code)
    return tuple(sections)


# --- choosing a section -----------------------------------------------------------------------

def _holds(cond, v: float) -> bool:
    op, x = cond
    return {"<": v < x, ">": v > x, "=": v == x, "<=": v <= x, ">=": v >= x, "<>": v != x}[op]


def _number_section(sections: tuple, v: float):
    """(section, signed): `signed` means the section shows a negative number with its minus."""
    numeric = list(sections)
    if len(numeric) < 4 and "at" in numeric[-1].kinds() and len(numeric) > 1:
        numeric = numeric[:-1]  # a trailing text section only formats text
    first, second = numeric[0], numeric[1] if len(numeric) > 1 else None
    if first.cond or (second is not None and second.cond):
        if first.cond and _holds(first.cond, v):
            return first, True
        if second is not None and second.cond and _holds(second.cond, v):
            # a condition for negatives shows them without the minus, as a plain negative section
            return second, not (second.cond[0] in ("<", "<=") and second.cond[1] <= 0)
        if first.cond is None:
            return first, True
        if second is not None and second.cond is None:
            return second, True  # the section after a condition takes the other values
        if len(numeric) > 2:
            return numeric[2], True
        raise FormatError("no section for the value")
    if len(numeric) == 1 or v > 0 or (v == 0 and len(numeric) == 2):
        return numeric[0], True
    if v < 0:
        return numeric[1], False
    return numeric[2], True


# --- numbers ----------------------------------------------------------------------------------

def _dec(v: float) -> D:
    """The value as Excel sees it for display: 15 significant digits."""
    return D(format(v, ".15g"))


def general(v: float) -> str:
    """Excel's General for a number: up to 11 characters (sign aside), then scientific."""
    if v == 0:
        return "0"
    sign = "-" if v < 0 else ""
    x = abs(_dec(v))
    e = x.adjusted()
    text = None
    if 0 <= e <= 10:
        r = x.quantize(D(1).scaleb(-max(9 - e, 0)), context=_CTX)
        if r.adjusted() <= 10:
            text = _plain(r)
    elif -4 <= e <= -1:
        text = _plain(x.quantize(D("1e-9"), context=_CTX))
    elif -9 <= e <= -5 and x == x.quantize(D("1e-9"), context=_CTX):
        text = _plain(x)
    if text is None:
        mantissa, exp = format(x, ".5E").split("E")
        mantissa = mantissa.rstrip("0").rstrip(".")
        text = f"{mantissa}E{exp[0]}{int(exp[1:]):02d}"
    return sign + text


def number_text(v: float) -> str:
    """A number as Excel turns it into text (`&`, CONCATENATE, LEN, EXACT...): 15 significant digits,
    trailing zeros dropped, plain decimals unless scientific is needed: below 1 when the plain form
    would pass 20 characters ("0." and leading zeros included, the sign not), from 1E+20 up.
    Scientific is "1E+20", "1.23456789012345E-10": upper-case E, signed exponent of at least two
    digits. An integer of 16-20 digits keeps only 15: 1234567890123456 is "1234567890123460".

    Excel documents none of this. The rule is Apache POI's NumberToTextConverter, reverse-engineered
    from Excel's output; it agrees with every Excel value we hold: VALUETOTEXT(7.123456E-09) is
    "0.000000007123456", COMPLEX(1E-16,0) "0.0000000000000001" and COMPLEX(1E-20,0) "1E-20" (if
    COMPLEX writes its parts by the same rule). POI also rounds the 15th digit differently beyond
    exponents +-98, which is not reproduced here."""
    if v == 0:
        return "0"
    mantissa, exp = format(abs(v), ".14e").split("e")  # rounded to 15 significant digits
    e, digits = int(exp), mantissa.replace(".", "").rstrip("0")
    sign = "-" if v < 0 else ""
    if e > 19 or (e < 0 and 2 + (-e - 1) + len(digits) > 20):
        short = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{short}E{'-' if e < 0 else '+'}{abs(e):02d}"
    return sign + _plain(D(f"{mantissa}e{e}"))


def _plain(x: D) -> str:
    s = format(x, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s or "0"


@dataclass
class _Number:
    """A number section's layout: the tokens with the roles of digits and commas worked out."""
    toks: list
    int_idx: list = field(default_factory=list)
    dec_idx: list = field(default_factory=list)
    exp_idx: list = field(default_factory=list)
    exp_tok: int | None = None
    group: bool = False
    scale: int = 0  # thousands divided out by trailing commas
    percent: int = 0
    frac: tuple | None = None  # (numerator idx, denominator idx or fixed int, slash idx)


def _layout(sec: Section) -> _Number:
    toks = [Tok(t.kind, t.text) for t in sec.toks]
    lay = _Number(toks)
    # a fraction: placeholders, "/", then placeholders or a fixed denominator
    slash = next((i for i, t in enumerate(toks) if t.kind == "slash"), None)
    if slash is not None:
        num = _run_before(toks, slash)
        den = _run_after(toks, slash)
        if num and den is not None:
            lay.frac = (num, den, slash)
            before = [i for i in range(num[0]) if toks[i].kind == "digit"]
            lay.int_idx = before
            for t in toks:
                if t.kind == "point":
                    t.kind = "lit"
                if t.kind == "percent":
                    lay.percent += 1
            return lay
        toks[slash].kind = "lit"
    seen_point = seen_exp = False
    for i, t in enumerate(toks):
        if t.kind == "exp":
            if seen_exp:
                raise FormatError("two exponents")
            seen_exp, lay.exp_tok = True, i
        elif t.kind == "digit":
            (lay.exp_idx if seen_exp else lay.dec_idx if seen_point else lay.int_idx).append(i)
        elif t.kind == "point":
            if seen_point or seen_exp:
                t.kind = "lit"
            else:
                seen_point = True
        elif t.kind == "percent":
            lay.percent += 1
    for i, t in enumerate(toks):
        if t.kind != "comma":
            continue
        prev = _prev_kind(toks, i)
        nxt = _next_kind(toks, i)
        if prev == "digit" and nxt == "digit" and not _point_before(toks, i):
            lay.group = True
            t.kind = "skip"
        elif prev in ("digit", "scale") and nxt != "digit":
            t.kind = "scale"
            lay.scale += 1
        elif prev == "digit" and nxt == "digit":
            t.kind = "skip"  # a comma among decimals: nothing
        else:
            t.kind = "lit"
    return lay


def _point_before(toks, i) -> bool:
    return any(t.kind == "point" for t in toks[:i])


def _prev_kind(toks, i):
    return toks[i - 1].kind if i > 0 else None


def _next_kind(toks, i):
    return toks[i + 1].kind if i + 1 < len(toks) else None


def _run_before(toks, i) -> list:
    run: list[int] = []
    j = i - 1
    while j >= 0 and toks[j].kind == "digit":
        run.insert(0, j)
        j -= 1
    return run


def _run_after(toks, i):
    run, j = [], i + 1
    while j < len(toks) and toks[j].kind == "digit":
        run.append(j)
        j += 1
    if run:
        return run
    digits = ""
    while j < len(toks) and toks[j].kind == "lit" and toks[j].text.isdigit():
        digits += toks[j].text
        j += 1
    if digits and int(digits) > 0:
        return int(digits)
    return None


def _fill(ph: str) -> str:
    return {"0": "0", "?": " ", "#": ""}[ph]


def _integer(out: list, toks: list, idx: list, digits: str, group: bool):
    """Digits into integer placeholders, right-aligned; extra digits go with the first one."""
    if not idx:
        return
    k = len(idx)
    chars = []  # position j (0 = units) → text
    width = max(k, len(digits))
    for j in range(width):
        if j < len(digits):
            ch = digits[-1 - j]
        else:
            ch = _fill(toks[idx[k - 1 - j]].text)
        if group and j and j % 3 == 0 and ch.isdigit():
            ch += ","
        chars.append(ch)
    for pos in range(k):
        j = k - 1 - pos
        text = chars[j]
        if pos == 0:
            text = "".join(reversed(chars[k:])) + text
        out[idx[pos]] = text


def _decimals(out: list, toks: list, idx: list, digits: str):
    keep = len(idx)
    while keep and digits[keep - 1] == "0" and toks[idx[keep - 1]].text != "0":
        keep -= 1
    for n, i in enumerate(idx):
        out[i] = digits[n] if n < keep else _fill(toks[i].text)


def _scaled(v: float, lay: _Number) -> D:
    x = abs(_dec(v))
    return x.scaleb(2 * lay.percent - 3 * lay.scale, context=_CTX)


# Each section's layout, worked out once (TEXT formats thousands of values with one code): by the
# section's identity (parse keeps its sections), the section kept beside it so the id is not reused.
# A layout is only read once made. Bounded like parse's cache.
_LAYOUTS: dict[int, tuple[Section, _Number]] = {}


def _layout_of(sec: Section) -> _Number:
    hit = _LAYOUTS.get(id(sec))
    if hit is not None and hit[0] is sec:
        return hit[1]
    if len(_LAYOUTS) >= 1024:
        _LAYOUTS.clear()
    lay = _layout(sec)
    _LAYOUTS[id(sec)] = (sec, lay)
    return lay


def _render_number(v: float, sec: Section, signed: bool) -> str:
    lay = _layout_of(sec)
    toks = lay.toks
    out = [t.text if t.kind in ("lit", "percent", "point", "slash") else "" for t in toks]
    if lay.frac:
        shown = _fraction(out, v, lay)
    elif lay.exp_tok is not None:
        shown = _scientific(out, v, lay)
    else:
        x = _scaled(v, lay).quantize(D(1).scaleb(-len(lay.dec_idx)), context=_CTX)
        whole, _, frac = format(x, "f").partition(".")
        whole = whole.lstrip("0")
        _integer(out, toks, lay.int_idx, whole, lay.group)
        _decimals(out, toks, lay.dec_idx, frac)
        point = next((i for i, t in enumerate(toks) if t.kind == "point"), None)
        if not lay.int_idx and whole and point is not None:
            out[point] = whole + "."  # ".00" still shows the whole part of 12.5
        shown = x != 0 or not (lay.int_idx or lay.dec_idx)
    for i, t in enumerate(toks):
        if t.kind == "general":
            out[i] = general(abs(v))
            shown = True
    text = "".join(out)
    return ("-" + text) if (signed and v < 0 and shown) else text


def _scientific(out: list, v: float, lay: _Number) -> bool:
    toks = lay.toks
    x = _scaled(v, lay)
    k = len(lay.int_idx)
    nd = len(lay.dec_idx)
    engineering = len(lay.int_idx) > 1 and any(toks[i].text in "#?" for i in lay.int_idx)
    if x == 0:
        exp, mant = 0, D(0).quantize(D(1).scaleb(-nd))
    else:
        e = x.adjusted()
        exp = (e // k) * k if engineering else e - (k - 1) if k else e + 1
        mant = x.scaleb(-exp, context=_CTX).quantize(D(1).scaleb(-nd), context=_CTX)
        if mant >= D(10) ** max(k, 0):
            exp += k if engineering else 1
            mant = x.scaleb(-exp, context=_CTX).quantize(D(1).scaleb(-nd), context=_CTX)
    whole, _, frac = format(mant, "f").partition(".")
    _integer(out, toks, lay.int_idx, whole.lstrip("0"), lay.group)
    _decimals(out, toks, lay.dec_idx, frac)
    assert lay.exp_tok is not None  # called for a layout with an exponent only
    sign = toks[lay.exp_tok].text
    out[lay.exp_tok] = sign[0] + ("-" if exp < 0 else "+" if sign[1] == "+" else "")
    _integer(out, toks, lay.exp_idx, str(abs(exp)).lstrip("0"), False)
    return mant != 0


def _best_fraction(f: float, max_den: int) -> tuple:
    """The closest n/d to f (0 <= f < 1) with d <= max_den (continued fractions)."""
    best = Fraction(f).limit_denominator(max_den)
    return best.numerator, best.denominator


def _fraction(out: list, v: float, lay: _Number) -> bool:
    toks = lay.toks
    assert lay.frac is not None  # called for a fraction's layout only
    num_idx, den, slash = lay.frac
    x = float(_scaled(v, lay))
    if lay.int_idx:
        whole, f = int(math.floor(x)), x - math.floor(x)
    else:
        whole, f = 0, x
    if isinstance(den, int):
        n, d = int(D(f * den).quantize(D(1), context=_CTX)), den
    else:
        n, d = _best_fraction(f, 10 ** len(den) - 1)
    if lay.int_idx and n == d:
        whole, n = whole + 1, 0
    if not lay.int_idx:
        n += whole * d
        whole = 0
    if lay.int_idx:
        _integer(out, toks, lay.int_idx, str(whole) if whole else "", lay.group)
    if lay.int_idx and n == 0:
        # a whole number: the fraction (with the space before it) becomes blank
        blank = " " if any(toks[i].text == "?" for i in num_idx) else ""
        start = lay.int_idx[-1] + 1
        end = (den[-1] if not isinstance(den, int) else slash + len(str(den))) + 1
        width = sum(len(out[i]) or 1 for i in range(start, end))
        for i in range(start, end):
            out[i] = ""
        out[start] = blank * width
        if not whole:
            out[lay.int_idx[-1]] = "0"
        return whole != 0
    _integer(out, toks, num_idx, str(n), False)
    if isinstance(den, int):
        pass  # the literal digits are already in place
    else:
        text = str(d)
        for pos, i in enumerate(den):
            out[i] = text if pos == 0 else ""
        pad = len(den) - len(text)
        if pad > 0:
            out[den[-1]] = "".join(_fill(toks[i].text) for i in den[len(den) - pad:])
            out[den[0]] = text
            for i in den[1:len(den) - pad]:
                out[i] = ""
    return True


# --- dates and times --------------------------------------------------------------------------

def _ymd(days: int) -> tuple:
    """Excel's 1900 calendar, with its 29 February 1900 and day 0 as 1900-01-00."""
    if days == 0:
        return 1900, 1, 0
    if days == 60:
        return 1900, 2, 29
    d = _dt.date(1899, 12, 31 if days < 60 else 30) + _dt.timedelta(days=days)
    return d.year, d.month, d.day


def _render_date(v: float, sec: Section) -> str:
    if not 0 <= v < MAX_SERIAL:
        raise FormatError("not a date")
    toks = sec.toks
    codes = [i for i, t in enumerate(toks) if t.kind in ("date", "elapsed", "ampm")]
    # fractions of seconds: ".0" to ".000" right after a seconds code
    sub = {}
    for i, t in enumerate(toks):
        if t.kind == "point" and i and _unit(toks[i - 1]) == "s":
            j = i + 1
            while j < len(toks) and toks[j].kind == "digit" and toks[j].text == "0":
                j += 1
            sub[i] = j - i - 1
    places = min(max(sub.values(), default=0), 3)
    skip = {j for i, n in sub.items() for j in range(i + 1, i + 1 + n)}
    for i, t in enumerate(toks):
        if t.kind in ("digit", "exp", "general", "at") and i not in skip:
            raise FormatError("number codes in a date")
    units = int((D(repr(v)) * 86400 * 10 ** places).quantize(D(1), context=_CTX))
    per_day = 86400 * 10 ** places
    days, rest = divmod(units, per_day)
    secs, fraction = divmod(rest, 10 ** places)
    total_secs = units // 10 ** places
    y, mo, d = _ymd(days)
    weekday = (days + 6) % 7  # 0 = Sunday, Excel's own count (day 1 is a Sunday)
    hour, minute, second = secs // 3600, secs % 3600 // 60, secs % 60
    twelve = any(toks[i].kind == "ampm" for i in codes)
    out = []
    for i, t in enumerate(toks):
        if i in skip:
            continue
        if t.kind == "point" and i in sub:
            n = sub[i]
            out.append("." + f"{fraction:0{places}d}"[:n] if n else ".")
            continue
        if t.kind == "elapsed":
            unit, width = t.text[0], len(t.text)
            amount = {"h": total_secs // 3600, "m": total_secs // 60, "s": total_secs}[unit]
            out.append(f"{amount:0{width}d}")
            continue
        if t.kind == "ampm":
            am = hour < 12
            out.append(_ampm(t.text, am))
            continue
        if t.kind != "date":
            out.append(t.text if t.kind != "slash" else "/")
            continue
        c, n = t.text[0], len(t.text)
        if c == "y":
            out.append(f"{y % 100:02d}" if n <= 2 else f"{y:04d}")
        elif c == "d":
            out.append(str(d) if n == 1 else f"{d:02d}" if n == 2 else
                       _DAYS[weekday][:3] if n == 3 else _DAYS[weekday])
        elif c == "h":
            h = (hour % 12 or 12) if twelve else hour
            out.append(str(h) if n == 1 else f"{h:02d}")
        elif c == "s":
            out.append(str(second) if n == 1 else f"{second:02d}")
        elif n <= 2 and _is_minute(toks, codes, i):
            out.append(str(minute) if n == 1 else f"{minute:02d}")
        else:
            name = calendar.month_name[mo]
            out.append(str(mo) if n == 1 else f"{mo:02d}" if n == 2 else name[:3] if n == 3
                       else name[0] if n == 5 else name)
    return "".join(out)


_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def _ampm(code: str, am: bool) -> str:
    first, second = code.split("/")
    return first if am else second


def _unit(tok) -> str | None:
    """y m d h s of a date/time or elapsed code, else None."""
    return tok.text[0] if tok.kind in ("date", "elapsed") else None


def _is_minute(toks, codes, i) -> bool:
    """m or mm is minutes right after an hour code or right before a seconds code."""
    pos = codes.index(i)
    before = _unit(toks[codes[pos - 1]]) if pos else None
    after = _unit(toks[codes[pos + 1]]) if pos + 1 < len(codes) else None
    return before == "h" or after == "s"


# --- entry points -----------------------------------------------------------------------------

def _is_date(sec: Section) -> bool:
    return bool(sec.kinds() & {"date", "ampm", "elapsed"})


def is_date_format(code: str | None) -> bool:
    """Whether a cell with this format code shows a number as a date or a time (its first section,
    the one for a positive number); False for General, a number format or a code Excel refuses."""
    try:
        sections = parse(code or "General")
    except FormatError:
        return False
    return bool(sections) and _is_date(sections[0])


# The usual codes of TEXT(x, "0.00") and the like: one section of a "0" (its thousands grouped with
# "#,##0") and maybe a point and zeros. Such a code shows the number's display digits (_dec)
# rounded half up at that many decimals, all of them, and a minus when something non-zero is left:
# Decimal's own format writes that, for a fraction of _render_number's token by token cost.
_PLAIN_CODE = re.compile(r"(#,##)?0(?:\.(0{1,30}))?")
_PLAIN_CODES: dict[str, tuple[str, D] | None] = {}  # code -> (format spec, quantum), None: not one


def _plain_code(code: str) -> tuple[str, D] | None:
    found = _PLAIN_CODES.get(code, ())
    if found == ():
        m = _PLAIN_CODE.fullmatch(code)
        found = (",f" if m.group(1) else "f", D(1).scaleb(-len(m.group(2) or ""))) if m else None
        if len(_PLAIN_CODES) >= 512:
            _PLAIN_CODES.clear()
        _PLAIN_CODES[code] = found
    return found  # type: ignore[return-value]


def format_number(v: float, code: str) -> str:
    """A number through a format code; FormatError when Excel would give #VALUE!."""
    plain = _plain_code(code)
    if plain is not None and math.isfinite(v):
        x = abs(_dec(v)).quantize(plain[1], context=_CTX)
        text = format(x, plain[0])
        return "-" + text if v < 0 and x else text
    sections = parse(code)
    sec, signed = _number_section(sections, v)
    kinds = sec.kinds()
    if _is_date(sec):
        return _render_date(v, sec)
    if "at" in kinds:  # a text section used for a number: the number as General
        return "".join(general(v) if t.kind == "at" else t.text for t in sec.toks)
    return _render_number(v, sec, signed)


def format_text(text: str, code: str) -> str:
    """Text through a format code: its text section (with @ as the text), else the text itself."""
    sections = parse(code)
    if len(sections) == 4:
        sec = sections[3]
    elif "at" in sections[-1].kinds():
        sec = sections[-1]
    else:
        return text
    return "".join(text if t.kind == "at" else t.text for t in sec.toks)
