"""LINEST, LOGEST, TREND and GROWTH: least squares as Excel's documentation defines them.

`formulas` 1.3.4 read an empty `const` (=LINEST(y,x,,TRUE)) as FALSE, refused new x's of another
length than the known ones (#REF!) and took TRUE/FALSE in a range as numbers. Excel's rules:
- known_y's and known_x's hold numbers only (text, TRUE/FALSE or a blank: #VALUE!; an error is the
  result); known_x's left out is {1,2,3,...} in known_y's shape.
- known_y's in one column: each column of known_x's is a variable (as many rows as y); in one row:
  each row is. known_x's of known_y's own shape is one variable. Other shapes: #REF!.
- const (default TRUE) fits an intercept b, else b = 0 (1 for LOGEST). stats (default FALSE) adds
  rows: standard errors (se_b #N/A without const), r2 and se_y, F and df, ss_reg and ss_resid;
  the rest of the 5-row block is #N/A.
- A column collinear with earlier ones (or with the intercept) is left out of the fit: its
  coefficient and standard error show as 0 and it takes no degree of freedom.
- LOGEST and GROWTH fit ln(y) (y <= 0: #NUM!); their statistics are those of that linear fit.
- TREND/GROWTH(known_y's, [known_x's], [new_x's], [const]): new_x's left out are known_x's; with one
  variable the result has new_x's shape, else one value per row (or column) of new_x's.
"""
from __future__ import annotations

import math

import numpy as np
import schedula as sh
from formulas.functions import Error, wrap_func
from formulas.functions import XlError as FormulasError

from ...excel import OMITTED
from ._args import NA, NUM, OMITTED_MARKER, VALUE, Fail, array_result, grid, is_number, scalar, to_number

_REF = Error.errors["#REF!"]


def _omitted(arg) -> bool:
    if arg is None:
        return True
    g = grid(arg)
    # rewrite.py's marker for an empty argument; the fast plan (fastcalc) passes it on as OMITTED
    return g.size == 1 and (g[0, 0] is sh.EMPTY or g[0, 0] is OMITTED or g[0, 0] == OMITTED_MARKER)


def _numbers(arg) -> np.ndarray:
    g = grid(arg)
    for v in g.ravel():
        if isinstance(v, FormulasError):
            raise Fail(v)
        if not is_number(v):
            raise Fail(VALUE)
    return g.astype(float)


def _flag(arg, default: bool) -> bool:
    if _omitted(arg):
        return default
    return bool(to_number(scalar(arg)))


class _Model:
    """known_y's and known_x's read into Y (n,) and X (n, k), with how new x's line up."""

    def __init__(self, known_y, known_x):
        y = _numbers(known_y)
        x = np.arange(1.0, y.size + 1).reshape(y.shape) if _omitted(known_x) else _numbers(known_x)
        self.y = y.ravel()
        if x.shape == y.shape:
            self.by, self.x = "cell", x.reshape(-1, 1)
        elif y.shape[1] == 1 and x.shape[0] == y.shape[0]:
            self.by, self.x = "row", x
        elif y.shape[0] == 1 and x.shape[1] == y.shape[1]:
            self.by, self.x = "col", x.T
        else:
            raise Fail(_REF)
        self.known_x = x

    def new_points(self, new_x) -> tuple[np.ndarray, tuple[int, int]]:
        """New x's as rows of variables, and the shape of the result."""
        nx = self.known_x if _omitted(new_x) else _numbers(new_x)
        if self.by == "cell":
            return nx.reshape(-1, 1), nx.shape
        k = self.x.shape[1]
        if self.by == "row" and nx.shape[1] == k:
            return nx, (nx.shape[0], 1)
        if self.by == "col" and nx.shape[0] == k:
            return nx.T, (1, nx.shape[1])
        raise Fail(_REF)


def _independent(a: np.ndarray) -> list[int]:
    """Columns of `a` kept for the fit: each one not (nearly) a combination of those before it."""
    kept: list[int] = []
    for j in range(a.shape[1]):
        col = a[:, j]
        norm = np.linalg.norm(col)
        if norm == 0:
            continue
        if kept:
            basis = a[:, kept]
            resid = col - basis @ np.linalg.lstsq(basis, col, rcond=None)[0]
            if np.linalg.norm(resid) <= 1e-12 * norm:
                continue
        kept.append(j)
    return kept


def _fit(x: np.ndarray, y: np.ndarray, const: bool, stats: bool) -> np.ndarray:
    """LINEST's block for y ~ x: coefficients m_k..m_1, b, then the statistics rows."""
    n, k = x.shape
    a = np.column_stack([np.ones(n), x]) if const else x
    kept = _independent(a)
    coef = np.zeros(a.shape[1])
    out = np.full((5 if stats else 1, k + 1), NA, dtype=object)
    if kept:
        coef[kept] = np.linalg.lstsq(a[:, kept], y, rcond=None)[0]
    slopes, b = (coef[1:], coef[0]) if const else (coef, 0.0)
    out[0, :] = [*slopes[::-1], b]
    if not stats:
        return out
    fitted = a @ coef
    ss_resid = math.fsum((y - fitted) ** 2)
    ss_total = math.fsum((y - y.mean()) ** 2) if const else math.fsum(y ** 2)
    ss_reg = ss_total - ss_resid
    df = n - len(kept)
    n_vars = len(kept) - (1 if const and 0 in kept else 0)
    with np.errstate(all="ignore"):
        sigma2 = ss_resid / df if df > 0 else math.nan
        se = np.zeros(a.shape[1])
        if kept:
            cov = np.linalg.pinv(a[:, kept].T @ a[:, kept])
            se[kept] = np.sqrt(np.maximum(sigma2 * np.diag(cov), 0.0))
        se_slopes, se_b = (se[1:], se[0]) if const else (se, NA)
        out[1, :] = [*se_slopes[::-1], se_b]
        out[2, :2] = [_safe(lambda: ss_reg / ss_total), _safe(lambda: math.sqrt(sigma2))]
        out[3, :2] = [_safe(lambda: ss_reg / n_vars / sigma2), float(df)]
        out[4, :2] = [ss_reg, ss_resid]
    for idx, v in np.ndenumerate(out):
        if isinstance(v, float) and not math.isfinite(v):
            out[idx] = NUM
    return out


def _safe(compute) -> float:
    try:
        return float(compute())
    except (ZeroDivisionError, ValueError):
        return math.nan


def _log(y: np.ndarray) -> np.ndarray:
    if (y <= 0).any():
        raise Fail(NUM)
    return np.log(y)


@array_result
def xlinest(known_y, known_x=None, const=None, stats=None):
    m = _Model(known_y, known_x)
    return _fit(m.x, m.y, _flag(const, True), _flag(stats, False))


@array_result
def xlogest(known_y, known_x=None, const=None, stats=None):
    m = _Model(known_y, known_x)
    out = _fit(m.x, _log(m.y), _flag(const, True), _flag(stats, False))
    out[0, :] = [math.exp(v) for v in out[0, :]]
    return out


def _predict(known_y, known_x, new_x, const, transform, back):
    m = _Model(known_y, known_x)
    coefs = _fit(m.x, transform(m.y), _flag(const, True), False)[0].astype(float)
    points, shape = m.new_points(new_x)
    values = points @ coefs[-2::-1] + coefs[-1]
    return np.asarray([back(v) for v in values], object).reshape(shape)


@array_result
def xtrend(known_y, known_x=None, new_x=None, const=None):
    return _predict(known_y, known_x, new_x, const, lambda y: y, float)


@array_result
def xgrowth(known_y, known_x=None, new_x=None, const=None):
    return _predict(known_y, known_x, new_x, const, _log, math.exp)


REPLACEMENTS = {"LINEST": wrap_func(xlinest), "LOGEST": wrap_func(xlogest),
                "TREND": wrap_func(xtrend), "GROWTH": wrap_func(xgrowth)}
