"""LAMBDA as Excel computes it, where `formulas` 1.3.4 gave #VALUE!:

- called where it is written, =LAMBDA(x, x+1)(5) (6): formulas builds the call's arguments after
  the lambda's external inputs, with a separator between them; with no external input that
  separator opened an empty first argument (x got a blank, 5 was one argument too many). The patch
  leaves the separator out when there is nothing before it.
- bound by LET and called by name, =LET(f, LAMBDA(x, x*2), f(5)) (10): LET took every reference
  inside the LAMBDA, its parameters too, for a cell the formula reads (X: a missing input). The
  patch drops a nested LAMBDA's parameters from LET's external inputs.
- LET whose later name is computed from an earlier one, =LET(x, 1, y, x+1, y) (2): formulas binds
  only the names its last argument reads directly (y, not the x that y reads), so x was a missing
  input and the cell #VALUE! with a warning. The patch binds every name, as Excel, which tracks
  every reference a formula holds, does.
"""
from __future__ import annotations

import functools
import types


class _EveryName:
    """Stands for the set of LET's names formulas binds: it holds every name."""

    def __init__(self, _names) -> None:
        pass

    def __contains__(self, _name) -> bool:
        return True


@functools.cache
def call_lambdas_in_place() -> None:
    from formulas.tokens.function import Lambda
    from formulas.tokens.operand import Range

    original = Lambda._ast

    def _ast(self, tokens, stack, builder):
        if self.has_leta or not self.has_call or self.get_func["external_inputs"]:
            return original(self, tokens, stack, builder)
        tokens.extend(self.get_func["tokens"])  # the call's own arguments come first

    Lambda._ast = _ast

    # formulas' own code, its one `set(...)` (the names its last argument reads) bound to
    # _EveryName: the same code with one name bound differently, rather than a copy of it
    original_process = Lambda._process
    process = types.FunctionType(
        original_process.__code__, {**original_process.__globals__, "set": _EveryName},
        original_process.__name__, original_process.__defaults__, original_process.__closure__)

    def _process(self, attr, match, context=None, parser=None):
        attr = process(self, attr, match, context, parser)
        if "let" not in attr or "func" not in attr:
            return attr
        func = attr["func"]
        inside, outside = set(), set()
        nested = [t for t in func["tokens"] if isinstance(t, Lambda) and "func" in t.attr]
        nested_ids = {id(t) for lam in nested for t in lam.get_func["tokens"]}
        for lam in nested:
            inside.update(lam.get_func["vars"])
        for t in func["tokens"]:
            if id(t) not in nested_ids and isinstance(t, Range):
                outside.add(t.name)
        for name in inside - outside:
            func["external_inputs"].pop(name, None)
        return attr

    Lambda._process = _process
