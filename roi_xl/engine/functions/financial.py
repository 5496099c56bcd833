"""Argument checks Excel makes before some financial functions compute, missing from `formulas`
1.3.4: DB and DDB of a zero cost are 0 (given a life), DDB of a salvage above the cost too (formulas
gave #NUM!); RRI to a zero future value is -1; DISC's basis must be 0..4; ODDFPRICE and ODDFYIELD
truncate the frequency. Everything else goes to formulas' own implementation unchanged (found by
the conformance suite). The time-value-of-money functions are tvm.py's."""
from __future__ import annotations

import math

import numpy as np
from formulas.functions import parse_ranges
from formulas.functions.financial import FUNCTIONS as _FORMULAS

from ._args import NUM, Fail, grid, is_number, to_number


def _scalars(args):
    """The arguments as numbers when each is a single value (None: leave it to formulas)."""
    out = []
    for a in args:
        g = grid(a)
        if g.size != 1:
            return None
        try:
            out.append(to_number(g[0, 0]))
        except Fail:
            return None
    return out


def _db_zero_cost(cost, salvage, life, period, month=12.0, *_):
    valid = salvage >= 0 and life > 0 and period > 0 and 1 <= month <= 12
    return 0.0 if cost == 0 and valid else None


def _ddb_nothing_left(cost, salvage, life, period, factor=2.0, *_):
    """A zero cost, or a salvage above the cost, leaves nothing to depreciate (formulas: #NUM!)."""
    valid = cost >= 0 and salvage >= 0 and life > 0 and 1 <= period <= life and factor > 0
    return 0.0 if valid and (cost == 0 or salvage > cost) else None


def _rri(n, pv, fv, *_):
    return -1.0 if fv == 0 and pv != 0 and n > 0 else None


def _basis_outside(*args):
    return NUM if len(args) >= 5 and not 0 <= int(args[4]) <= 4 else None


def _checked(original, check, n_checked):
    def call(*args):
        values = _scalars(parse_ranges(*args)[0])  # cell references arrive as Ranges
        if values is not None and len(values) >= n_checked:
            early = check(*values)
            if early is not None:
                return np.asarray([[early]], object)
        return original(*args)
    call.__name__ = getattr(original, "__name__", "checked")
    return call


def _whole_frequency(original, index: int):
    """Excel truncates a coupon frequency (2.3 is 2); formulas' ODDFPRICE/ODDFYIELD gave #NUM!."""
    def call(*args):
        values = list(parse_ranges(*args)[0])
        if len(values) > index:
            g = grid(values[index])
            if g.size == 1 and is_number(g[0, 0]):
                values[index] = np.asarray([[math.floor(g[0, 0])]], object)
        return original(*values)
    call.__name__ = getattr(original, "__name__", "whole_frequency")
    return call


_FREQUENCY_ARGUMENT = {"ODDFPRICE": 7, "ODDFYIELD": 7}

_CHECKS = {"_XLFN.RRI": (_rri, 3), "RRI": (_rri, 3), "DISC": (_basis_outside, 4),
           "DB": (_db_zero_cost, 4), "DDB": (_ddb_nothing_left, 4)}


# formulas' own implementations, wrapped (its financial family: the eager install read them from
# the table before any of ours was in it, so these are the entries it wrapped)
REPLACEMENTS = {name: _checked(_FORMULAS[name], check, n) for name, (check, n) in _CHECKS.items()
                if name in _FORMULAS}
REPLACEMENTS.update({name: _whole_frequency(_FORMULAS[name], index)
                     for name, index in _FREQUENCY_ARGUMENT.items() if name in _FORMULAS})
