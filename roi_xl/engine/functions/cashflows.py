"""IRR, XIRR, XNPV and MIRR as Excel computes them. formulas 1.3.4 counted blanks inside IRR's
range as zero cash flows (Excel skips them), ignored IRR's guess, stopped XIRR's Newton iteration a
step early (results off in the 8th digit) and clamped it at -0.9999999 instead of finding the root,
gave #VALUE! where XNPV gives #NUM!, and divided by zero in MIRR where Excel's formula does not.

A rate of return is a root r > -1 of Σ vᵢ (1 + r)^-tᵢ: Newton's method from the guess, as Excel
iterates, and when that does not converge, the root nearest the guess found by bracketing."""
from __future__ import annotations

import math

import numpy as np
import schedula as sh
from formulas.functions import wrap_func

from . import daycount as dc
from ._args import DIV0, NUM, VALUE, Fail, grid, is_number, raise_first_error, scalar, to_number, whole


def _cells(values) -> list:
    """A values argument's cells row by row; the first error among them is the result. (In an
    array constant a negative number arrives as a 0-d array: the unary minus's result.)"""
    cells = [v.item() if isinstance(v, np.ndarray) and v.ndim == 0 else v
             for v in grid(values).ravel()]
    raise_first_error(cells)
    return cells


def _present_value(rate: float, flows: np.ndarray, times: np.ndarray) -> float:
    return float(np.sum(flows / np.power(1.0 + rate, times)))


def _newton(flows, times, guess: float) -> float | None:
    rate = guess
    for _ in range(100):
        growth = np.power(1.0 + rate, times)
        f = np.sum(flows / growth)
        df = np.sum(-times * flows / (growth * (1.0 + rate)))
        if not (np.isfinite(f) and np.isfinite(df)) or df == 0:
            return None
        step = f / df
        rate -= step
        if not math.isfinite(rate) or rate <= -1:
            return None
        if abs(step) <= 1e-13 * max(1.0, abs(rate)):
            return float(rate)
    return None


def _bisect(flows, times, low: float, high: float) -> float:
    f_low = _present_value(low, flows, times)
    for _ in range(200):
        mid = (low + high) / 2
        if mid in (low, high):
            break
        f_mid = _present_value(mid, flows, times)
        if (f_mid < 0) == (f_low < 0):
            low, f_low = mid, f_mid
        else:
            high = mid
    return (low + high) / 2


def _bracketed_roots(flows, times) -> list[float]:
    """Roots found where the present value changes sign on a grid of 1 + r from 1e-9 to 1e9."""
    growth = np.logspace(-9, 9, 3601)
    with np.errstate(all="ignore"):
        pv = np.array([_present_value(g - 1.0, flows, times) for g in growth])
    roots = []
    for i in range(len(growth) - 1):
        a, b = pv[i], pv[i + 1]
        if np.isfinite(a) and np.isfinite(b) and (a == 0 or (a < 0) != (b < 0)):
            roots.append(growth[i] - 1.0 if a == 0 else
                         _bisect(flows, times, growth[i] - 1.0, growth[i + 1] - 1.0))
    return roots


def rate_of_return(flows, times, guess: float) -> float:
    """The rate r > -1 at which the flows' present value is zero (#NUM! when there is none)."""
    flows, times = np.asarray(flows, float), np.asarray(times, float)
    if not (flows > 0).any() or not (flows < 0).any():
        raise Fail(NUM)
    with np.errstate(all="ignore"):
        found = _newton(flows, times, guess)
        if found is None:
            roots = _bracketed_roots(flows, times)
            if not roots:
                raise Fail(NUM)
            nearest = min(roots, key=lambda r: abs(r - guess))
            found = _newton(flows, times, nearest) or nearest
    return found


def _guess(value) -> float:
    if value is sh.EMPTY:
        return 0.0
    return to_number(scalar(value))


def irr(values, guess=0.1):
    flows = [float(v) for v in _cells(values) if is_number(v)]  # blanks, text, TRUE/FALSE skipped
    rate = _guess(guess)
    if rate <= -1:
        raise Fail(VALUE)
    return rate_of_return(flows, np.arange(len(flows)), rate)


def _dated_flows(values, dates, *, strict: bool) -> tuple[np.ndarray, np.ndarray]:
    """Cash flows and their dates' years after the first date. strict (XNPV): a blank, text or
    logical cash flow is #NUM!; otherwise (XIRR) text and logicals are #VALUE! and a blank is 0."""
    cells, days = _cells(values), _cells(dates)
    if len(cells) != len(days):
        raise Fail(NUM)
    flows = []
    for v in cells:
        if is_number(v):
            flows.append(float(v))
        elif strict:
            raise Fail(NUM)
        elif v is sh.EMPTY:
            flows.append(0.0)
        else:
            raise Fail(VALUE)
    serials = []
    for d in days:
        if isinstance(d, bool) or d is sh.EMPTY:
            raise Fail(NUM if strict else VALUE)
        serials.append(dc.serial(d))
    if any(s < serials[0] for s in serials):
        raise Fail(NUM)
    return np.asarray(flows), (np.asarray(serials, float) - serials[0]) / 365.0


def xnpv(rate, values, dates):
    rate = to_number(scalar(rate))
    flows, years = _dated_flows(values, dates, strict=True)
    if rate <= 0:
        raise Fail(NUM)
    return _present_value(rate, flows, years)


def xirr(values, dates, guess=0.1):
    flows, years = _dated_flows(values, dates, strict=False)
    rate = _guess(guess)
    if rate <= -1:
        raise Fail(NUM)
    return rate_of_return(flows, years, rate)


def mirr(values, finance_rate, reinvest_rate):
    """((FV of the inflows at reinvest_rate) / -(PV of the outflows at finance_rate))^(1/(n-1)) - 1;
    no inflows gives -1, no outflows #DIV/0!."""
    flows = [float(v) for v in _cells(values) if is_number(v)]
    finance, reinvest = to_number(scalar(finance_rate)), to_number(scalar(reinvest_rate))
    n = len(flows)
    if n < 2:
        raise Fail(DIV0)
    inflows = sum(v * (1.0 + reinvest) ** (n - 1 - i) for i, v in enumerate(flows) if v > 0)
    outflows = 0.0
    for i, v in enumerate(flows):
        if v < 0:
            if i and finance == -1:
                raise Fail(DIV0)
            outflows += v / (1.0 + finance) ** i
    if outflows == 0:
        raise Fail(DIV0)
    ratio = inflows / -outflows
    if ratio < 0:
        raise Fail(NUM)
    return ratio ** (1.0 / (n - 1)) - 1.0


REPLACEMENTS = {"IRR": wrap_func(whole(irr)), "XIRR": wrap_func(whole(xirr)),
                "XNPV": wrap_func(whole(xnpv)), "MIRR": wrap_func(whole(mirr))}
REPLACEMENTS["_XLFN.MIRR"] = REPLACEMENTS["MIRR"]
