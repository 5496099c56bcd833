"""Shared formulas expanded into each cell, giving the very text openpyxl's Translator gives.

A shared formula (`<f t="shared" si="0" ref="B2:B900">A2*2</f>`) is written once, in its first
cell; the other cells of the group hold `<f t="shared" si="0"/>` and mean the same formula moved
to them: relative references shifted, absolute ones kept. The formulas path reads them through
openpyxl, which moves the text with its Translator; the plan's path must read the same text. This
module does the same job without importing openpyxl (0.1 s of start-up) and tokenises each group's
formula once rather than once a cell: `Shared(text, origin).at("B7")`.

The tokenising is openpyxl's Tokenizer's, rule for rule, including what its rendering changes: a run
of spaces or line feeds becomes its first character, and the tokens are put back in the order it
finds them; and the moving is its Translator's, including that a sheet's name before a name (or
before an error: Data!#REF!) is dropped in the moved cells. A formula it would refuse (an unknown
error code, an unclosed string, a mismatched bracket) or a reference moved off the sheet
(TranslatorError) is left to openpyxl's Translator, so that the caller gets exactly what openpyxl
gives, exceptions included.
"""
from __future__ import annotations

import re

from ..references import column_index, column_letters, split_coordinate

__all__ = ["Shared"]



# openpyxl.formula.tokenizer.Tokenizer's rules.
_SN = re.compile("^[1-9](\\.[0-9]+)?[Ee]$")   # a number in scientific notation, before its sign
_WSPACE = re.compile(r"[ \n]+")
_STRINGS = {'"': re.compile('"(?:[^"]*"")*[^"]*"(?!")'), "'": re.compile("'(?:[^']*'')*[^']*'(?!')")}
_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")
_ENDERS = frozenset(',;}) +-*/^&=><%')
_OPERATORS = frozenset('+-*/^&=><%')
_BRACKETS = re.compile(r"[\[\]]")
# openpyxl.formula.translate.Translator's patterns of a range's parts.
_ROW_RANGE = re.compile(r"(\$?[1-9][0-9]{0,6}):(\$?[1-9][0-9]{0,6})$")
_COL_RANGE = re.compile(r"(\$?[A-Za-z]{1,3}):(\$?[A-Za-z]{1,3})$")
_CELL_REF = re.compile(r"(\$?[A-Za-z]{1,3})(\$?[1-9][0-9]{0,6})$")


def _is_range(value: str) -> bool:
    """openpyxl's Token.make_operand: an operand that is not a text, error, logical or number."""
    if value.startswith(('"', "#")) or value in ("TRUE", "FALSE"):
        return False
    try:
        float(value)
    except ValueError:
        return True
    return False


def _tokens(formula: str) -> list[tuple[str, bool]]:
    """openpyxl's Tokenizer(formula).items of a formula starting with "=", each as (value, whether
    it is a range operand, the tokens Translator moves); ValueError where it raises."""
    items: list[tuple[str, bool]] = []
    token: list[str] = []
    stack: list[str] = []   # "(" of a parenthesis, "{" of an array, "f" of a function

    def save() -> None:
        if token:
            value = "".join(token)
            items.append((value, _is_range(value)))
            del token[:]

    def add(value: str) -> None:  # an operator, separator, bracket or space: never moved
        items.append((value, False))

    offset, end = 1, len(formula)
    while offset < end:
        ch = formula[offset]
        if ch in "+-" and token and _SN.match("".join(token)):
            token.append(ch)
            offset += 1
            continue
        if ch in _ENDERS:
            save()
        if ch in _STRINGS:
            if token and token[-1] != ":":
                raise ValueError(formula)
            m = _STRINGS[ch].match(formula, offset)
            if m is None:
                raise ValueError(formula)
            if ch == '"':
                items.append((m.group(0), False))  # a text operand
            else:
                token.append(m.group(0))
            offset = m.end()
        elif ch == "[":
            depth = 0
            for m in _BRACKETS.finditer(formula, offset):
                depth += 1 if m.group(0) == "[" else -1
                if depth == 0:
                    token.append(formula[offset:m.end()])
                    offset = m.end()
                    break
            else:
                raise ValueError(formula)
        elif ch == "#":
            if token and token[-1] != "!":
                raise ValueError(formula)
            error = next((e for e in _ERRORS if formula.startswith(e, offset)), None)
            if error is None:
                raise ValueError(formula)
            value = "".join(token) + error
            items.append((value, _is_range(value)))  # Sheet!#REF! is a "range" Translator keeps
            del token[:]
            offset += len(error)
        elif ch == " " or ch == "\n":
            add(ch)  # the run's first character alone, as the Tokenizer renders it
            offset = _WSPACE.match(formula, offset).end()  # type: ignore[union-attr]
        elif ch in _OPERATORS:
            two = formula[offset:offset + 2]
            if two in (">=", "<=", "<>"):
                add(two)
                offset += 2
                continue
            add(ch)
            offset += 1
        elif ch == "{" or ch == "(":
            if ch == "{":
                if token:
                    raise ValueError(formula)
                add("{")
                stack.append("{")
            elif token:
                add("".join(token) + "(")
                del token[:]
                stack.append("f")
            else:
                add("(")
                stack.append("(")
            offset += 1
        elif ch == ")" or ch == "}":
            if not stack or (stack[-1] == "{") != (ch == "}"):
                raise ValueError(formula)
            stack.pop()
            add(ch)
            offset += 1
        elif ch == ";" or ch == ",":
            add(ch)
            offset += 1
        else:
            token.append(ch)
            offset += 1
    save()
    return items


_COORD = re.compile(r"[A-Za-z]{1,3}[1-9][0-9]*")


def _cell(coord: str) -> tuple[int, int]:
    """(row, column) of a cell's r attribute; ValueError for any other form ($A$1, A0) than a
    plain reference, which openpyxl reads its own way."""
    if _COORD.fullmatch(coord) is None:
        raise ValueError(coord)
    return split_coordinate(coord.upper())


class Shared:
    """A shared formula's text (with its "=") as written in its first cell `origin` ("B2"); `at`
    gives it moved to another cell, as openpyxl's Translator(text, origin).translate_formula."""

    def __init__(self, text: str, origin: str):
        self.text, self.origin = text, origin
        self.pieces: list[str | _Range] | None = None   # None: openpyxl's Translator moves it
        try:
            self.row, self.col = _cell(origin)
            tokens = _tokens(text)
        except ValueError:  # left to openpyxl's Translator
            return
        pieces: list[str | _Range] = ["=" if tokens else ""]
        for value, is_range in tokens:
            if is_range:
                pieces.append(_Range(value))
            elif isinstance(pieces[-1], str):
                pieces[-1] += value
            else:
                pieces.append(value)
        self.pieces = pieces

    def at(self, dest: str) -> str:
        """The formula moved to the cell `dest` ("B7"). Where openpyxl's Translator refuses the
        formula or raises for this cell (a reference moved off the sheet), its own answer."""
        if self.pieces is not None:
            try:
                row, col = _cell(dest)
                rdelta, cdelta = row - self.row, col - self.col
                return "".join(p if p.__class__ is str else p.moved(rdelta, cdelta)  # type: ignore[union-attr]
                               for p in self.pieces)
            except ValueError:  # left to openpyxl's Translator
                pass
        from openpyxl.formula.translate import Translator

        return Translator(self.text, self.origin).translate_formula(dest)


class _Range:
    """A range operand, split once into what Translator.translate_range keeps and what it moves."""

    __slots__ = ("parts",)

    def __init__(self, value: str):
        # Each part: a text kept as it is, or ("c", letters) / ("r", digits) moved by the delta.
        self.parts: list[str | tuple[str, str]] = []
        sheet, bang, ref = value.rpartition("!")
        m = _ROW_RANGE.match(ref)
        if m is not None:
            self._add(sheet + bang)
            self._row(m.group(1))
            self._add(":")
            self._row(m.group(2))
            return
        m = _COL_RANGE.match(ref)
        if m is not None:
            self._add(sheet + bang)
            self._col(m.group(1))
            self._add(":")
            self._col(m.group(2))
            return
        if ":" in ref:
            self._add(sheet + bang)
            for i, piece in enumerate(ref.split(":")):
                if i:
                    self._add(":")
                self._piece(piece, "")
            return
        self._piece(ref, sheet + bang)

    def _piece(self, ref: str, sheet: str) -> None:
        """A text holding neither "!" nor ":", after its sheet's name ("Data!" or ""). A name
        is kept without its sheet: Translator returns it alone (Data!Rate moved reads Rate)."""
        m = _CELL_REF.match(ref)
        if m is None:
            self._add(ref)
            return
        self._add(sheet)
        self._col(m.group(1))
        self._row(m.group(2))

    def _add(self, text: str) -> None:
        if text:
            if self.parts and isinstance(self.parts[-1], str):
                self.parts[-1] += text
            else:
                self.parts.append(text)

    def _col(self, letters: str) -> None:
        if letters.startswith("$"):
            self._add(letters)
        else:
            self.parts.append(("c", letters))

    def _row(self, digits: str) -> None:
        if digits.startswith("$"):
            self._add(digits)
        else:
            self.parts.append(("r", digits))

    def moved(self, rdelta: int, cdelta: int) -> str:
        out = []
        for part in self.parts:
            if part.__class__ is str:
                out.append(part)
            elif part[0] == "r":
                row = int(part[1]) + rdelta
                if row <= 0:
                    raise ValueError(part[1])
                out.append(str(row))
            else:  # ValueError off the sheet's columns (A to ZZZ), as Translator's
                out.append(column_letters(column_index(part[1]) + cdelta))
        return "".join(out)  # type: ignore[arg-type]
