"""Operator behaviours of Excel that `formulas` gets wrong, installed into its parser and operator table.

* Double negation. formulas' tokenizer reads a run of signs (`--`, `-+-`) as one operator named by
  the parity of its minus signs, which is right between two operands (`a--b` is `a+b`) but not in
  front of one: `--x` became unary plus, which passes TRUE, "12.5" and booleans of `--(range=x)`
  through unchanged. Excel negates twice: a number. A prefix run with an even, non-zero number of
  minus signs becomes the operator `u--` (numeric coercion, the precedence of negation).
* Text operands. formulas reads an operand with float(), so "1,000", "50%", "$5" and date text were
  #VALUE! and Python's "inf" and "1_000" were numbers; the arithmetic operators read text as Excel
  does where it expects a number (_args.text_to_number), as the fast plan does (fastcalc._num);
  ^ is Excel's POWER (0^0 #NUM!, 0^-1 #DIV/0!, (-8)^(1/3) #NUM!).
* Snap to zero. When the last operation of a cell's formula is an addition or subtraction whose two
  operands nearly cancel, Excel returns exactly 0 (=0.1+0.2-0.3 is 0, not 5.55e-17). Only the final
  operation, and not when the whole formula is in parentheses: =(0.1+0.2-0.3) and =1*(0.5-0.4-0.1)
  keep the residue (Microsoft KB 78113, "Example when a value reaches zero"). "Nearly" is the
  measured rule (J. Lewis and joeu2004, microsoft.public.excel, 2009): the operands' 64-bit patterns
  differ by at most 7, i.e. they are within 7 units in the last place. (LibreOffice snaps every
  subtraction with its own tolerance.)
* `&` longer than a cell holds (32,767 characters) is #VALUE!, as in Excel: `=A1&A1` down a
  column doubled a text until memory ran out.
"""
from __future__ import annotations

import functools
import inspect
import math
import struct

import numpy as np

from .functions._args import Fail, text_to_number
from .text_coercion import MAX_TEXT, value_text

_NEAR_ULPS = 7  # the widest cancellation Excel still replaces by 0


def operand_number(value) -> float:
    """An arithmetic operand (not an error; a blank is already 0) as Excel reads it: text by Excel's
    rule, #VALUE! (ValueError) when it is not a number."""
    if isinstance(value, str):
        try:
            return text_to_number(value)
        except Fail:
            raise ValueError(value) from None
    return float(value)


def _bits(x: float) -> int:
    return struct.unpack("<q", struct.pack("<d", x))[0]


def cancels(a: float, b: float) -> bool:
    """Whether Excel gives exactly 0 for a + b as a formula's final operation: both operands non-zero,
    of opposite signs, and within 7 units in the last place of each other."""
    if not a or not b or (a > 0) == (b > 0) or a + b == 0 or not math.isfinite(a + b):
        return False
    return abs(_bits(abs(a)) - _bits(abs(b))) <= _NEAR_ULPS


def final_add(a: float, b: float) -> float:
    return 0.0 if cancels(a, b) else a + b


def final_sub(a: float, b: float) -> float:
    return 0.0 if cancels(a, -b) else a - b


@functools.cache
def install_operators() -> None:
    """Patch formulas' operator token and cell parser (once per process)."""
    from formulas.functions import replace_empty, wrap_ufunc
    from formulas.functions.math import xpower
    from formulas.functions.operators import OPERATORS
    from formulas.tokens.operator import Operator, OperatorToken

    def arithmetic(func):
        return wrap_ufunc(func, input_parser=lambda *args: map(operand_number, args))

    for name in ("+", "-", "U-", "*", "/", "%"):  # formulas' own functions, Excel's operands
        OPERATORS[name] = arithmetic(inspect.unwrap(OPERATORS[name]))
    # formulas' ^ is Python's **: (-8)^(1/3) was a complex number, 0^-1 #VALUE!; its POWER is Excel's
    def power(x, y):
        with np.errstate(over="ignore"):  # an overflow is #NUM! (wrap_ufunc), not a warning
            return xpower(x, y)

    OPERATORS["^"] = arithmetic(power)
    OPERATORS["&"] = wrap_ufunc(_concat, input_parser=lambda *a: map(value_text, a),
                                args_parser=lambda *a: (replace_empty(v, "") for v in a))
    Operator._precedences["u--"] = Operator._precedences["u-"]
    Operator._n_args["u--"] = 1
    OPERATORS["U--"] = arithmetic(lambda x: x)  # the operand as a number
    _FINAL["+"] = arithmetic(final_add)
    _FINAL["-"] = arithmetic(final_sub)

    process, update_name, set_expr = OperatorToken.process, Operator.update_name, Operator.set_expr

    def process_signs(self, match, context=None, parser=None):
        attr = process(self, match, context=context, parser=parser)
        if "sum_minus" in attr:
            attr["minus_signs"] = attr["sum_minus"].count("-")
        return attr

    def update_prefix_name(self, tokens, stack):
        update_name(self, tokens, stack)
        minus = self.attr.get("minus_signs", 0)
        if self.name == "u+" and minus:  # an even run of minus signs in front of an operand
            self.attr["name"] = "u--"

    def set_double_negation_expr(self, *tokens):
        if self.name == "u--":
            self.attr["expr"] = "--{}".format(*[t.get_expr for t in tokens])
        else:
            set_expr(self, *tokens)

    OperatorToken.process = process_signs
    Operator.update_name = update_prefix_name
    Operator.set_expr = set_double_negation_expr
    _snap_final_operation()


def _concat(x: str, y: str):
    """`&`: formulas' own, with Excel's longest text."""
    from formulas.functions import Error

    return Error.errors["#VALUE!"] if len(x) + len(y) > MAX_TEXT else x + y


_FINAL: dict = {}


def _wrapped(tokens) -> bool:
    """Whether the whole formula is one parenthesised expression."""
    from formulas.tokens.parenthesis import Parenthesis

    if not tokens or not (isinstance(tokens[0], Parenthesis) and tokens[0].name == "("):
        return False
    depth = 0
    for i, token in enumerate(tokens):
        if isinstance(token, Parenthesis):
            depth += 1 if token.name == "(" else -1
            if depth == 0:
                return i == len(tokens) - 1
    return False


def _snap_final_operation() -> None:
    """A cell formula whose last operation is + or - (outside parentheses) gets the snapping one."""
    from formulas.parser import Parser
    from formulas.tokens.operator import Operator

    ast = Parser.ast

    def cell_ast(self, expression, context=None):
        tokens, builder = ast(self, expression, context)
        top = builder[-1]
        if self.is_cell and isinstance(top, Operator) and top.name in _FINAL and not _wrapped(tokens):
            dsp = builder.dsp
            for function_id in dsp.dmap.pred[top.node_id]:
                dsp.nodes[function_id]["function"] = _FINAL[top.name]
        return tokens, builder

    Parser.ast = cell_ast
