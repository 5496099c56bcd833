"""Sheet-scoped defined names made visible to `formulas`, which reads only workbook-level ones.

Each sheet-scoped name (`localSheetId`) is added to the in-memory workbook as a workbook-level
name under a private spelling (`_ROI_L<sheet index>_<NAME>`), and formulas on its sheet (or
qualified with its sheet, `'Plan'!Rate`) are rewritten to use that spelling. So the same name on
two sheets keeps two targets, and a sheet-scoped name shadows a workbook-level one on its sheet.
The file written back is untouched: only the text handed to `formulas` changes.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from ..references import unquote_sheet
from .facts import BookFacts
from .rewrite import mask_quoted

# A name, optionally qualified by a sheet, on quote-masked text: not part of a longer name, a
# function call, a sheet prefix or a cell reference's `$`.
_NAME = re.compile(
    r"(?<![\w.$!\x00\\'\"])(?:(?P<sheet>'\x00*'|[A-Za-z_][\w.]*)!)?"
    r"(?P<name>[A-Za-z_\\][\w.\\]*)(?![\w.\\(\[!\x00'])")


def private_name(sheet_index: int, name: str) -> str:
    return f"_ROI_L{sheet_index}_{name.upper()}"


def scoped_names(facts: BookFacts) -> dict[str, dict[str, str]]:
    """Sheet (upper case) -> {NAME: private spelling} of every sheet-scoped name."""
    found: dict[str, dict[str, str]] = {}
    index = {sheet: i for i, sheet in enumerate(facts.sheets)}
    for n in facts.names:
        if n.sheet is not None:
            found.setdefault(n.sheet.upper(), {})[n.name.upper()] = private_name(index[n.sheet], n.name)
    return found


def promoted(facts: BookFacts, scoped: dict[str, dict[str, str]],
             rewrite_target: Callable[[str, str], str]) -> dict[str, str]:
    """The workbook-level names `formulas` and the plan read: each name -> its target, passed
    through `rewrite_target(text, sheet)` (hidden ones as they are), every sheet-scoped name under
    its private spelling."""
    out: dict[str, str] = {}
    for n in facts.names:
        if n.sheet is None:
            out[n.name] = rewrite_target(n.text, "") if n.text and not n.hidden else n.text
    for n in facts.names:
        if n.sheet is not None and n.text:
            target = use_scoped_names(n.text, n.sheet, scoped)
            out[scoped[n.sheet.upper()][n.name.upper()]] = rewrite_target(target, n.sheet)
    return out


def use_scoped_names(formula: str, sheet: str, scoped: dict[str, dict[str, str]]) -> str:
    """`formula` of `sheet` with its sheet-scoped names replaced by their private spellings."""
    if not scoped:
        return formula
    masked = mask_quoted(formula)
    edits = []
    for m in _NAME.finditer(masked):
        if m.group("sheet"):
            text = formula[m.start("sheet"):m.end("sheet")]
            owner = unquote_sheet(text).upper()
        else:
            owner = sheet.upper()
        private = scoped.get(owner, {}).get(m.group("name").upper())
        if private:
            edits.append((m.start(), m.end(), private))
    for start, end, new in sorted(edits, reverse=True):
        formula = formula[:start] + new + formula[end:]
    return formula
