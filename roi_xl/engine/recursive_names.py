"""Named LAMBDAs that call themselves: which they are, and how deep Excel lets them go; and defined
names whose formulas read each other round in a circle.

Excel lets a defined name hold a LAMBDA that calls the name again (FACTREC =
`LAMBDA(n, IF(n<=1, 1, n*FACTREC(n-1)))`, stored as `_xlfn.LAMBDA(_xlpm.n, ...)`). `formulas`
cannot compute one: the name is a node of its graph that needs its own value (every call was
#VALUE!), and its IF computes both branches, so a call never reaches its base case. The translated
plan computes them (fastcalc.Plan's `lambdas`: one Python function for each named LAMBDA, IF
taking one branch);
a workbook the formulas engine computes gets #VALUE! in those cells and a warning.

Too many recursive calls give #NUM! in Excel (Microsoft's LAMBDA function page, "Errors"). Excel's
formula operand stack holds 1,024 operands and a call takes its parameters and one more, so a
LAMBDA recurses at most 1024 / (parameters + 1) deep (Microsoft Tech Community, "LAMBDA: Recursive
Lists and Understanding Recursion Limits of LAMBDA", Mar 2021, measured against Excel): the plan
stops there with #NUM!, never with Python's RecursionError.
"""
from __future__ import annotations

import contextlib
import re
import sys

from .iteration import components
from .rewrite import call_arguments, mask_quoted

OPERAND_STACK = 1024
_LAMBDA = re.compile(r"\s*=?\s*(?:_xlfn\.)?LAMBDA\s*\(", re.IGNORECASE)


def depth_limit(parameters: int) -> int:
    """How many calls deep a LAMBDA of `parameters` parameters may recurse in Excel."""
    return OPERAND_STACK // (parameters + 1)


def named_lambdas(names: dict[str, str]) -> dict[str, str]:
    """The names (of `names`: name -> text, as a workbook's defined names hold them) whose text is a
    LAMBDA: the plan translates calls of them all."""
    return {name: text for name, text in names.items() if text and _LAMBDA.match(text)}


def self_calling(lambdas: dict[str, str]) -> list[str]:
    """The names of `lambdas` whose LAMBDA calls the name itself."""
    return sorted(name for name, text in lambdas.items() if re.search(
        rf"(?<![\w.!\]\x00]){re.escape(name)}\s*\(", mask_quoted(text), re.IGNORECASE))


def circular_names(names: dict[str, str]) -> list[str]:
    """The names of `names` (name -> formula text) that read themselves through the others' formulas
    (X = Y+1, Y = X+1; or X = X*2), sorted: Excel computes a cell reading one as a circular reference.
    A name is read where it stands as a whole word, not called, not a sheet's name, not in a text."""
    upper = {name.upper(): name for name in names}
    if not upper:
        return []
    word = re.compile(r"(?<![\w.!\]\x00])(" + "|".join(
        re.escape(n) for n in sorted(upper, key=len, reverse=True)) + r")(?![\w.!(])", re.IGNORECASE)
    reads = {name.upper(): {m.group(1).upper() for m in word.finditer(mask_quoted(text or ""))}
             for name, text in names.items()}
    return sorted(upper[n] for group in components(list(reads), lambda n: reads.get(n, ()))
                  for n in group if len(group) > 1 or n in reads[n])


def parameters_and_body(text: str) -> tuple[list[str], str] | None:
    """A LAMBDA's parameter names and its calculation's text; None when it does not close."""
    text = text.strip().lstrip("=")
    masked = mask_quoted(text)
    args = call_arguments(masked, masked.index("("))
    if not args:
        return None
    return [text[a:b].strip() for a, b in args[:-1]], text[args[-1][0]:args[-1][1]].strip()


@contextlib.contextmanager
def deep_recursion(needed: bool):
    """Room on Python's stack for Excel's deepest recursion (512 calls of a one-parameter LAMBDA,
    a couple of Python frames each in the plan's generated code) while a plan evaluates."""
    old = sys.getrecursionlimit()
    if needed:
        sys.setrecursionlimit(max(old, 10_000))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)
