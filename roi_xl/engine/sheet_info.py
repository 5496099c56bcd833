"""SHEET rewritten to the sheet number it gives: `formulas` lacks it, and it depends only on
the workbook's layout (`SHEET()` the formula's own sheet, `SHEET("Plan")`, `SHEET(Plan!A1)`,
`SHEET(Name)`; anything else that is no sheet is #N/A)."""
from __future__ import annotations

import re

from ..references import BLOCK, SHEET, destination, unquote_sheet
from .facts import BookFacts
from .rewrite import mask_quoted

_SHEET = re.compile(r"(?<![\w.!\x00])(?:_xlfn\.)?SHEET\s*\((?P<arg>[^()]*)\)", re.IGNORECASE)
_REF = re.compile(rf"^(?:(?P<sheet>{SHEET})!)?{BLOCK}$")


def sheet_numbers(facts: BookFacts) -> dict[str, int]:
    return {sheet.upper(): i + 1 for i, sheet in enumerate(facts.sheets)}


def name_sheets(facts: BookFacts) -> dict[str, str]:
    """Workbook-level name (upper case) -> the sheet its single reference points at."""
    found = {}
    for n in facts.names:
        target = destination(n.text) if n.sheet is None else None
        if target is not None:
            found[n.name.upper()] = target[0]
    return found


def rewrite_sheet_calls(formula: str, sheet: str, numbers: dict[str, int],
                        names: dict[str, str]) -> str:
    if "SHEET" not in formula.upper():
        return formula
    masked = mask_quoted(formula)
    for m in reversed(list(_SHEET.finditer(masked))):
        arg = formula[m.start("arg"):m.end("arg")].strip()
        number = _number(arg, sheet, numbers, names)
        if number is not None:
            formula = formula[:m.start()] + number + formula[m.end():]
    return formula


def _number(arg: str, sheet: str, numbers: dict[str, int], names: dict[str, str]) -> str | None:
    if not arg:
        return str(numbers[sheet.upper()])
    if arg.startswith('"') and arg.endswith('"') and len(arg) >= 2:
        return str(numbers.get(arg[1:-1].replace('""', '"').upper(), "#N/A"))
    ref = _REF.match(arg)
    if ref:
        owner = ref.group("sheet") or sheet
        owner = unquote_sheet(owner)
        return str(numbers.get(owner.upper(), "#REF!"))
    if arg.upper() in names:
        return str(numbers.get(names[arg.upper()].upper(), "#REF!"))
    if re.fullmatch(r"[\d.]+", arg):
        return "#N/A"
    return None
