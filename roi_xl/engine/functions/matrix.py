"""MUNIT, which `formulas` 1.3.4 gets wrong: its MUNIT(2) is a 1x1 array holding a 2x2 array (the
compiled workbook then fails as a whole: "The pipe is not respected"), and MUNIT(3) from a cell
gave 1.

Excel's rule: MUNIT(dimension) is the dimension x dimension identity matrix; the dimension is
read as a number (TRUE is 1, text that is no number is #VALUE!) and truncated; below 1 it is
#VALUE!; an error is returned as the result. More values than one array may hold is #NUM!
(references.MAX_ARRAY_VALUES).
"""
from __future__ import annotations

import math

import numpy as np
from formulas.functions import Array, wrap_func

from ._args import VALUE, Fail, check_array_size, scalar, to_number

# Beyond a sheet's columns no identity fits anywhere (and a bigger one would only eat memory).
_MAX_DIMENSION = 16_384


def xmunit(dimension):
    try:
        n = math.trunc(to_number(scalar(dimension)))
        if n < 1 or n > _MAX_DIMENSION:
            raise Fail(VALUE)
        check_array_size(n, n)  # MUNIT(16384) would be 268 million values
        return np.identity(n).astype(object).view(Array)
    except Fail as fail:
        return np.asarray([[fail.err]], object).view(Array)


REPLACEMENTS = {"MUNIT": wrap_func(xmunit), "_XLFN.MUNIT": wrap_func(xmunit)}
