"""Operator behaviours of Excel that `formulas` gets wrong, installed into its parser and operator table.

* Double negation. formulas' tokenizer reads a run of signs (`--`, `-+-`) as one operator named by
  the parity of its minus signs, which is right between two operands (`a--b` is `a+b`) but not in
  front of one: `--x` became unary plus, which passes TRUE, "12.5" and booleans of `--(range=x)`
  through unchanged. Excel negates twice: a number. A prefix run with an even, non-zero number of
  minus signs becomes the operator `u--` (numeric coercion, the precedence of negation).
* Arithmetic, `&`, comparisons. formulas' own operators read an operand with float() ("1,000" and
  "50%" were #VALUE!, Python's "inf" a number), ^ with Python's ** ((-8)^(1/3) a complex number),
  and had no limit on `&`; every entry of its operator table but the reference operators (`,` `:`
  and space) is now Excel's rule of rules.py, the one the plan calls, through formulas_rule.
* Snap to zero. The rule is rules.add_final / sub_final; here, where it applies: the last operation
  of a cell's formula, unless the whole formula is in parentheses (=(0.1+0.2-0.3) keeps the residue).
"""
from __future__ import annotations

import functools

from . import rules
from .formulas_args import formulas_rule

# formulas' operator names and Excel's rule for each (U- and U+ prefix, % postfix, U-- our double
# negation; the comparisons are formulas' LOGIC_OPERATORS).
RULES = {"+": rules.add, "-": rules.sub, "*": rules.mul, "/": rules.div, "^": rules.power,
         "U-": rules.neg, "U+": rules.pos, "%": rules.pct, "U--": rules.as_number, "&": rules.concat,
         "=": rules.eq, "<>": rules.ne, "<": rules.lt, "<=": rules.le, ">": rules.gt, ">=": rules.ge}
FINAL_RULES = {"+": rules.add_final, "-": rules.sub_final}  # a cell formula's final operation


@functools.cache
def install_operators() -> None:
    """Patch formulas' operator token and cell parser (once per process)."""
    from formulas.functions.operators import OPERATORS
    from formulas.tokens.operator import Operator, OperatorToken

    for name, rule in RULES.items():
        OPERATORS[name] = formulas_rule(rule)
    for name, rule in FINAL_RULES.items():
        _FINAL[name] = formulas_rule(rule)
    Operator._precedences["u--"] = Operator._precedences["u-"]
    Operator._n_args["u--"] = 1

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
