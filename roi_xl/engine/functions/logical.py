"""IF over arrays of different sizes, as Excel 365 computes it.

`formulas`' IF is element-wise through numpy broadcasting, which refuses shapes such as 1x2 against
3x1 against 2x2 (BroadcastError: the whole workbook failed to load). Excel's rule: the result has the
largest number of rows and of columns among the arguments; an argument with one row (or column) is
repeated along it; elsewhere, a position beyond an argument's own size is #N/A.
"""
from __future__ import annotations

import numpy as np
from formulas.functions import Error
from formulas.functions.logic import FUNCTIONS as _LOGIC

_IF = _LOGIC["IF"]["function"]
NA = Error.errors["#N/A"]


def _grid(value):
    value = getattr(value, "value", value)  # a cell reference (formulas' Ranges) gives its values
    return value if isinstance(value, np.ndarray) and value.ndim == 2 else None


def excel_broadcast(args: tuple) -> tuple:
    """The arguments spread to one shape by Excel's rule, when numpy's own rule refuses them."""
    grids = [_grid(a) for a in args]
    shapes = [g.shape for g in grids if g is not None]
    try:
        np.broadcast_shapes(*shapes)
        return args
    except ValueError:
        pass
    rows, cols = max(s[0] for s in shapes), max(s[1] for s in shapes)
    out = []
    for arg, grid in zip(args, grids):
        if grid is None:
            out.append(arg)
            continue
        spread = np.empty((rows, cols), dtype=object)
        r_n, c_n = grid.shape
        for r in range(rows):
            for c in range(cols):
                rr, cc = (0 if r_n == 1 else r), (0 if c_n == 1 else c)
                spread[r, c] = grid[rr, cc] if rr < r_n and cc < c_n else NA
        out.append(spread.view(type(grid)) if isinstance(grid, np.ndarray) else spread)
    return tuple(out)


def xif(*args):
    return _IF(*excel_broadcast(args))


REPLACEMENTS = {"IF": {**_LOGIC["IF"], "function": xif}}
