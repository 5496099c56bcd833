"""A LAMBDA called where it is written, =LAMBDA(x, x+1)(5), as Excel computes it (6).

`formulas` 1.3.4 builds the call's arguments after the lambda's external inputs, with a separator
between them; with no external input that separator opened an empty first argument, so x got a
blank, 5 was one argument too many and the cell showed #VALUE!. The patch leaves the separator out
when there is nothing before it.
"""
from __future__ import annotations

import functools


@functools.cache
def call_lambdas_in_place() -> None:
    from formulas.tokens.function import Lambda

    original = Lambda._ast

    def _ast(self, tokens, stack, builder):
        if self.has_leta or not self.has_call or self.get_func["external_inputs"]:
            return original(self, tokens, stack, builder)
        tokens.extend(self.get_func["tokens"])  # the call's own arguments come first

    Lambda._ast = _ast
