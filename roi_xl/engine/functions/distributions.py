"""Probability distributions, GAMMALN and FREQUENCY where `formulas` 1.3.4 departs from Excel.

- NORM.DIST / NORM.S.DIST cumulative: 1 - erfc form, so a far tail is its tiny value, not 0
  (NORM.S.DIST(-10,TRUE) = 7.6e-24; formulas' erf-based cdf gave 0).
- EXPON.DIST cumulative: -expm1(-lambda*x), exact for tiny lambda*x (1 - exp() lost the digits).
- POISSON.DIST: x is truncated to an integer, as Excel documents (formulas gave 0 for x = 0.2);
  a negative x is #NUM! even above -1.
- BINOM.DIST.RANGE: number_s2 below number_s is #NUM!; the sum is taken on the side of the
  distribution where it does not cancel. BINOM.INV: probability_s of 1 is #NUM!.
  NEGBINOM.DIST: probability_s must lie strictly between 0 and 1 (Excel's cached results).
  A computation out of range (BINOM.DIST with 1e30 trials) is #NUM!, not #VALUE!.
- GAMMALN near its zeros (x = 1, 2): Taylor series, since math.lgamma loses relative digits there.
- T.TEST: tails and type are truncated to integers, as Excel documents.
- PROB: no numeric pair at all is #DIV/0! (the probabilities sum to 0).
- FREQUENCY: counts in the bins' own order (formulas sorted them): bin i counts the values above
  the next lower bin and up to bin i; a repeated bin counts once, at its first place.
"""
from __future__ import annotations

import functools
import math

import numpy as np
from formulas.functions import Array, _convert_args, raise_errors, replace_empty, wrap_func, wrap_ufunc
from formulas.functions import stat as _stat
from scipy import stats

from ._args import DIV0, NUM

_cumulative = _stat._parse_cumulative


def _num_on_failure(func):
    """A computation that overflows or is undefined is #NUM! (wrap_ufunc would say #VALUE!)."""
    @functools.wraps(func)
    def call(*args):
        try:
            out = func(*args)
        except (OverflowError, ValueError, ZeroDivisionError, MemoryError, TypeError):  # huge ints
            return NUM
        if isinstance(out, (float, np.floating)) and not math.isfinite(out):
            return NUM
        return out
    return call


def _numbers_then_flag(n):
    """formulas' input parser for n numbers followed by a cumulative flag."""
    return lambda *a: tuple(map(_convert_args, a[:n])) + tuple(map(_cumulative, a[n:]))


def _numbers(*a):
    return tuple(map(_convert_args, a))


# --- normal, exponential, Poisson -------------------------------------------------------------

def xnormdist(z, mu, sigma, cumulative=True):
    if sigma <= 0:
        return NUM
    if cumulative:
        return 0.5 * math.erfc(-(z - mu) / (sigma * math.sqrt(2.0)))
    return math.exp(-0.5 * ((z - mu) / sigma) ** 2) / (sigma * math.sqrt(2.0 * math.pi))


def xexpondist(x, rate, cumulative):
    if x < 0 or rate <= 0:
        return NUM
    return -math.expm1(-rate * x) if cumulative else rate * math.exp(-rate * x)


def xpoissondist(x, mean, cumulative):
    if x < 0 or mean < 0:  # checked before truncating: -1e-6 is #NUM!
        return NUM
    return float((stats.poisson.cdf if cumulative else stats.poisson.pmf)(math.trunc(x), mean))


# --- binomial family ----------------------------------------------------------------------------

def xbinomdistrange(trials, probability_s, number_s, number_s2=None):
    n, s = math.trunc(trials), math.trunc(number_s)
    s2 = s if number_s2 is None else math.trunc(number_s2)
    if not (0 <= probability_s <= 1 and 0 <= s <= n and s <= s2 <= n):
        return NUM
    below = stats.binom.cdf(s - 1, n, probability_s)
    if below < 0.5:  # lower side: P(X <= s2) - P(X < s) subtracts the smaller numbers
        return float(stats.binom.cdf(s2, n, probability_s) - below)
    return float(stats.binom.sf(s - 1, n, probability_s) - stats.binom.sf(s2, n, probability_s))


def xbinominv(trials, probability_s, alpha):
    if probability_s >= 1:
        return NUM
    return _stat.xbinominv(trials, probability_s, alpha)


def xnegbinomdist(number_f, number_s, probability_s, cumulative=True):
    if not 0 < probability_s < 1:
        return NUM
    return _stat.xnegbinomdist(number_f, number_s, probability_s, cumulative)


# --- GAMMALN ------------------------------------------------------------------------------------

_ZETA = (math.pi ** 2 / 6, 1.2020569031595942, math.pi ** 4 / 90, 1.0369277551433699,
         math.pi ** 6 / 945, 1.0083492773819228, math.pi ** 8 / 9450)  # zeta(2) .. zeta(8)
_EULER_GAMMA = 0.5772156649015329


def _lgamma_1p(e: float) -> float:
    """ln Gamma(1 + e) for |e| < 0.01: -gamma*e + sum_k (-1)^k zeta(k) e^k / k."""
    return -_EULER_GAMMA * e + math.fsum((-1) ** k * z * e ** k / k for k, z in enumerate(_ZETA, start=2))


def xgammaln(x):
    if x <= 0:
        return NUM
    if abs(x - 1) < 0.01:
        return _lgamma_1p(x - 1)
    if abs(x - 2) < 0.01:  # Gamma(2 + e) = (1 + e) Gamma(1 + e)
        return math.log1p(x - 2) + _lgamma_1p(x - 2)
    return math.lgamma(x)


# --- T.TEST, PROB, FREQUENCY --------------------------------------------------------------------

def xttest(array1, array2, tails, ttype):
    return _stat.xt_test(array1, array2, math.trunc(tails), math.trunc(ttype))


def xprob(x_range, prob_range, lower_limit, upper_limit=None):
    xs, _ = _stat._parse_ranges(x_range, prob_range)
    if not xs:
        return DIV0
    return _stat.xprob(x_range, prob_range, lower_limit, upper_limit)


def xfrequency(data_array, bins_array):
    raise_errors(data_array, bins_array)
    data = np.array(_stat._parse_ranges(data_array, [], raise_diff_len=False)[0], dtype=float)
    bins = _stat._parse_ranges(bins_array, [], raise_diff_len=False)[0] or [0.0]
    edges = sorted(set(bins))
    # counts[i]: values in (edges[i-1], edges[i]]; counts[-1]: values above the last edge
    counts = np.bincount(np.searchsorted(edges, data, side="left"), minlength=len(edges) + 1)
    seen: set = set()
    out = []
    for b in bins:
        out.append(0 if b in seen else int(counts[edges.index(b)]))
        seen.add(b)
    out.append(int(counts[-1]))
    return np.asarray(out, object).reshape(-1, 1).view(Array)


def _ufunc(func, parser):
    return wrap_ufunc(_num_on_failure(func), input_parser=parser)


_NORM_DIST = _ufunc(xnormdist, _numbers_then_flag(3))
_NORM_S_DIST = _ufunc(xnormdist, lambda x, a=True: (_convert_args(x), 0, 1, _cumulative(a)))
_EXPON_DIST = _ufunc(xexpondist, _numbers_then_flag(2))
_POISSON_DIST = _ufunc(xpoissondist, _numbers_then_flag(2))
_BINOM_DIST = _ufunc(_stat.xbinomdist, _numbers_then_flag(3))
_BINOM_DIST_RANGE = _ufunc(xbinomdistrange, _numbers)
_BINOM_INV = _ufunc(xbinominv, _numbers)
_NEGBINOM_DIST = _ufunc(xnegbinomdist, _numbers_then_flag(3))
_GAMMALN = _ufunc(xgammaln, _numbers)
_T_TEST = wrap_ufunc(xttest, input_parser=lambda a1, a2, *a: (a1, a2) + _numbers(*a),
                     check_error=lambda *a: None, args_parser=lambda *a: a, excluded={0, 1})
_NEGBINOMDIST = _ufunc(xnegbinomdist, lambda *a: _numbers(*a) + (False,))  # the mass, always
_PROB = wrap_ufunc(  # formulas' own argument handling for PROB
    xprob, excluded={0, 1}, check_nan=False,
    args_parser=lambda x, p, lower, upper=None: (x, p, replace_empty(lower), replace_empty(upper)),
    input_parser=lambda x, p, lower, upper=None: (x, p, float(_convert_args(lower)), _convert_args(upper)))


def _names(*names):
    """Each name, and its _XLFN. form (Excel writes newer functions so)."""
    return [n for name in names for n in (name, "_XLFN." + name)]


REPLACEMENTS = {
    **dict.fromkeys(_names("NORM.DIST", "NORMDIST"), _NORM_DIST),
    **dict.fromkeys(_names("NORM.S.DIST", "NORMSDIST"), _NORM_S_DIST),
    **dict.fromkeys(_names("EXPON.DIST", "EXPONDIST"), _EXPON_DIST),
    **dict.fromkeys(_names("POISSON.DIST", "POISSON"), _POISSON_DIST),
    **dict.fromkeys(_names("BINOM.DIST", "BINOMDIST"), _BINOM_DIST),
    **dict.fromkeys(_names("BINOM.DIST.RANGE"), _BINOM_DIST_RANGE),
    **dict.fromkeys(_names("BINOM.INV", "CRITBINOM"), _BINOM_INV),
    **dict.fromkeys(_names("NEGBINOM.DIST"), _NEGBINOM_DIST),
    "NEGBINOMDIST": _NEGBINOMDIST,
    **dict.fromkeys(_names("GAMMALN", "GAMMALN.PRECISE"), _GAMMALN),
    **dict.fromkeys(_names("T.TEST", "TTEST"), _T_TEST),
    "PROB": _PROB,
    "FREQUENCY": wrap_func(xfrequency),
}
