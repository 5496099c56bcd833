"""Formula text as `formulas` can evaluate it, rewritten before loading.

Excel stores a user-defined function under several names depending on how it was entered:
plain `SOCIAL_ROI(`, `_xludf.SOCIAL_ROI(` (unknown to this Excel), `[1]!SOCIAL_ROI(` or
`'C:\\...\\roi.xlam'!SOCIAL_ROI(` (an add-in), `XLWINGS.SOCIAL_ROI(` or
`_xldudf_XLWINGS_SOCIAL_ROI(` (Office.js namespaces). All become the plain catalogue name.
Arguments left empty in a call of ours (`KPI_ATTAINMENT(A1,B1,"higher",,1.1)`) become a marker
that the binding turns into OMITTED, since `formulas` passes them on as a typed 0.
Only the text handed to `formulas` changes; the file written back keeps the original formula.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .functions._args import OMITTED_MARKER
from .functions.dynamic import OMITTED_DEFAULTS

_MASK = "\x00"

# Quoted parts of a formula: "text" (with "" inside), 'sheet or path' (with ''), [bracketed].
_QUOTED = re.compile(r'"(?:[^"]|"")*"?|\'(?:[^\']|\'\')*\'?|\[[^\]]*\]?')


@functools.lru_cache(maxsize=1024)  # the rewrite steps mask each formula several times over
def mask_quoted(formula: str) -> str:
    """The formula with the inside of every quoted part blanked out, positions unchanged.

    Regexes and bracket matching on the masked text cannot be fooled by a comma, a parenthesis
    or a function-like word inside a string, a sheet name or a structured reference.
    """
    return _QUOTED.sub(lambda m: m.group(0)[0] + _MASK * (len(m.group(0)) - 2) + m.group(0)[-1]
                       if len(m.group(0)) >= 2 else _MASK, formula)


# What may stand before a function name without being part of it.
_PREFIX = (r"(?:_xludf\.|_xll\.|xlwings\.|_xldudf_xlwings_|_xldudf_|\[\x00+\]!"
           r"|'\x00*'!|[A-Za-z0-9_.~\\:-]+\.xla[ms]?!)*")
# A function call: a name not preceded by a name character, '.', '!' or ']' (which would
# make it part of a longer name or a reference), then an opening parenthesis.
_CALL = re.compile(r"(?<![\w.!\]\x00])(?P<prefix>" + _PREFIX + r")(?P<name>[A-Za-z_][\w.]*)\s*\(",
                   re.IGNORECASE)


@dataclass
class Rewritten:
    formula: str
    unknown: list[str] = field(default_factory=list)  # function names neither ours nor formulas'


_BARE_EXPONENT = re.compile(r"(?<![\w.$:!\x00])(?:\d+\.?\d*|\.\d+)[Ee](?=\d+(?![\w.(!:]))")


def rewrite(formula: str, ours: Callable[[str], bool], known: Callable[[str], bool]) -> Rewritten:
    """Rewrite one formula (with its leading '=') for `formulas`.

    `ours(NAME)` says whether a name is a catalogue function, `known(NAME)` whether `formulas`
    can evaluate it; both receive upper-case names without prefix.
    """
    masked = mask_quoted(formula)
    if _plain_calls(masked, ours, known):
        return Rewritten(formula)
    edits: list[tuple[int, int, str]] = []
    unknown: list[str] = []
    for m in _CALL.finditer(masked):
        name, prefix = m.group("name").upper(), m.group("prefix")
        if ours(name):
            if prefix:
                edits.append((m.start("prefix"), m.end("prefix"), ""))
            edits.extend((a, b, f'"{OMITTED_MARKER}"')
                         for a, b, _ in _omitted_arguments(masked, m.end()))
        elif _strip_excel_prefixes(prefix + name) and not known(_strip_excel_prefixes(prefix + name)):
            unknown.append(prefix and formula[m.start("prefix"):m.end("name")] or m.group("name"))
        elif _strip_excel_prefixes(name) in OMITTED_DEFAULTS:  # Excel's default, not formulas' 0
            defaults = OMITTED_DEFAULTS[_strip_excel_prefixes(name)]
            edits.extend((a, b, defaults[i]) for a, b, i in _omitted_arguments(masked, m.end())
                         if i in defaults)
    # 1E10 is a number to Excel, which writes it 1E+10 itself; formulas' parser wants the sign
    edits.extend((m.end(), m.end(), "+") for m in _BARE_EXPONENT.finditer(masked))
    text = formula
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return Rewritten(text, unknown)


# A call without any of _PREFIX's prefixes, and the marks of one.
_PLAIN_CALL = re.compile(r"(?<![\w.!\]\x00])([A-Za-z_][\w.]*)\s*\(")
_PREFIX_MARKS = re.compile(r"_xludf\.|_xll\.|xlwings\.|_xldudf_|\]!|'!|\.xla[ms]?!", re.IGNORECASE)


def _plain_calls(masked: str, ours: Callable[[str], bool], known: Callable[[str], bool]) -> bool:
    """Whether rewrite() would leave the formula as it is: no bare exponent, no prefixed call, and
    every call one `formulas` knows, not ours, without Excel defaults for left-out arguments. Most
    formulas are, and this finds it with one simple search (a tenth of a plan's preparation was
    _CALL's alternatives tried at every character)."""
    if _PREFIX_MARKS.search(masked) or _BARE_EXPONENT.search(masked):
        return False
    for name in _PLAIN_CALL.findall(masked):
        bare = _strip_excel_prefixes(name)
        if ours(name.upper()) or not known(bare) or bare in OMITTED_DEFAULTS:
            return False
    return True


@functools.lru_cache(maxsize=4096)
def _strip_excel_prefixes(name: str) -> str:
    """_xlfn. and _xlws. mark functions newer than the file format; formulas knows them plainly."""
    upper = name.upper()
    for p in ("_XLFN.", "_XLWS."):
        upper = upper.replace(p, "")
    return upper


def _omitted_arguments(masked: str, open_at: int) -> Iterable[tuple[int, int, int]]:
    """(start, end, argument index) of every empty argument of the call opened at `open_at`."""
    depth, start, commas = 0, open_at, 0
    for i in range(open_at, len(masked)):
        ch = masked[i]
        if ch in "({":
            depth += 1
        elif ch in ")}" and depth:
            depth -= 1
        elif (ch == "," or ch == ")") and depth == 0:
            if ch == ",":
                commas += 1
            if masked[start:i].strip() == "" and (commas or ch == ","):
                yield (start, i, commas - (ch == ","))
            if ch == ")":
                return
            start = i + 1


def call_arguments(masked: str, open_at: int) -> list[tuple[int, int]]:
    """(start, end) of each top-level argument of the call whose '(' is at `open_at` in the
    masked text; the last end is the index of the closing ')' ([] if it never closes)."""
    args, depth, start = [], 0, open_at + 1
    for i in range(open_at + 1, len(masked)):
        ch = masked[i]
        if ch in "({":
            depth += 1
        elif ch in ")}":
            if depth == 0:
                args.append((start, i))
                return args
            depth -= 1
        elif ch == "," and depth == 0:
            args.append((start, i))
            start = i + 1
    return []


# Every digit 0, on the formula's UTF-8 bytes: bytes.translate is a table lookup a byte, ten times
# quicker than str.translate's mapping (3 us a formula); no other character's bytes hold a digit's.
_ZEROS = bytes.maketrans(b"123456789", b"000000000")


def layout_key(formula: str) -> bytes:
    """A formula's text with every digit 0: formulas laid out alike (the same text but for the
    digits of their numbers, texts and references) share it."""
    return formula.encode("utf-8", "surrogatepass").translate(_ZEROS)
