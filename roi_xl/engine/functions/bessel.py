"""BESSELJ, BESSELY, BESSELI, BESSELK as Excel computes them.

Excel's values are not the exact functions: they are the classic polynomial and rational
approximations (Abramowitz & Stegun 9.4 and 9.8, in the form Numerical Recipes gives them),
accurate to about 1e-8, with the orders above 1 taken from orders 0 and 1 by the recurrence
(upward for Y and K, Miller's downward recurrence for J below x and for I). Excel's saved values
show it to the last bit: BESSELJ(0,0) is 57568490574/57568490411 = 1.00000000283141, BESSELK(2,0)
is the small-x polynomial at y = 1, 0.11389388. So those approximations are what is computed here;
exact Bessel functions would miss Excel by up to 1e-7.

Excel's rules: n is truncated to an integer and must be >= 0; x must be > 0 for Y and K; TRUE/FALSE
are #VALUE! (text holding a number is read).
"""
from __future__ import annotations

import math

import numpy as np
from formulas.functions import wrap_func

from ._args import NUM, VALUE, Fail, elementwise, to_number

_TWO_OVER_PI = 0.636619772  # as the approximations write 2/pi
_ACC = 40.0  # Miller's recurrence starts at n + sqrt(ACC * n)
_BIG, _BIG_INV = 1.0e10, 1.0e-10


def _poly(y: float, coefficients: tuple[float, ...]) -> float:
    """c0 + y*(c1 + y*(c2 + ...)), evaluated as the approximations are written."""
    total = 0.0
    for c in reversed(coefficients):
        total = total * y + c
    return total


# |x| >= 8: the asymptotic form's two series, for order 0 and order 1
_P0 = (1.0, -0.1098628627e-2, 0.2734510407e-4, -0.2073370639e-5, 0.2093887211e-6)
_Q0 = (-0.1562499995e-1, 0.1430488765e-3, -0.6911147651e-5, 0.7621095161e-6, -0.934935152e-7)
_P1 = (1.0, 0.183105e-2, -0.3516396496e-4, 0.2457520174e-5, -0.240337019e-6)
_Q1 = (0.04687499995, -0.2002690873e-3, 0.8449199096e-5, -0.88228987e-6, 0.105787412e-6)


def _asymptotic(ax: float, phase: float, p: tuple, q: tuple) -> tuple[float, float]:
    """(J, Y) of order 0 or 1 for ax >= 8."""
    z = 8.0 / ax
    y = z * z
    xx = ax - phase
    a, b = _poly(y, p), _poly(y, q)
    scale = math.sqrt(_TWO_OVER_PI / ax)
    return (scale * (math.cos(xx) * a - z * math.sin(xx) * b),
            scale * (math.sin(xx) * a + z * math.cos(xx) * b))


def j0(x: float) -> float:
    ax = abs(x)
    if ax < 8.0:
        y = x * x
        return (_poly(y, (57568490574.0, -13362590354.0, 651619640.7, -11214424.18, 77392.33017,
                          -184.9052456))
                / _poly(y, (57568490411.0, 1029532985.0, 9494680.718, 59272.64853, 267.8532712,
                            1.0)))
    return _asymptotic(ax, 0.785398164, _P0, _Q0)[0]


def j1(x: float) -> float:
    ax = abs(x)
    if ax < 8.0:
        y = x * x
        return (x * _poly(y, (72362614232.0, -7895059235.0, 242396853.1, -2972611.439,
                              15704.48260, -30.16036606))
                / _poly(y, (144725228442.0, 2300535178.0, 18583304.74, 99447.43394, 376.9991397,
                            1.0)))
    ans = _asymptotic(ax, 2.356194491, _P1, _Q1)[0]
    return -ans if x < 0 else ans


def y0(x: float) -> float:
    if x < 8.0:
        y = x * x
        return (_poly(y, (-2957821389.0, 7062834065.0, -512359803.6, 10879881.29, -86327.92757,
                          228.4622733))
                / _poly(y, (40076544269.0, 745249964.8, 7189466.438, 47447.26470, 226.1030244,
                            1.0))
                + _TWO_OVER_PI * j0(x) * math.log(x))
    return _asymptotic(x, 0.785398164, _P0, _Q0)[1]


def y1(x: float) -> float:
    if x < 8.0:
        y = x * x
        return (x * _poly(y, (-0.4900604943e13, 0.1275274390e13, -0.5153438139e11, 0.7349264551e9,
                              -0.4237922726e7, 0.8511937935e4))
                / _poly(y, (0.2499580570e14, 0.4244419664e12, 0.3733650367e10, 0.2245904002e8,
                            0.1020426050e6, 0.3549632885e3, 1.0))
                + _TWO_OVER_PI * (j1(x) * math.log(x) - 1.0 / x))
    return _asymptotic(x, 2.356194491, _P1, _Q1)[1]


def i0(x: float) -> float:
    ax = abs(x)
    if ax < 3.75:
        y = (x / 3.75) ** 2
        return _poly(y, (1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.360768e-1,
                         0.45813e-2))
    y = 3.75 / ax
    return (math.exp(ax) / math.sqrt(ax)) * _poly(y, (
        0.39894228, 0.1328592e-1, 0.225319e-2, -0.157565e-2, 0.916281e-2, -0.2057706e-1,
        0.2635537e-1, -0.1647633e-1, 0.392377e-2))


def i1(x: float) -> float:
    ax = abs(x)
    if ax < 3.75:
        y = (x / 3.75) ** 2
        ans = ax * _poly(y, (0.5, 0.87890594, 0.51498869, 0.15084934, 0.2658733e-1, 0.301532e-2,
                             0.32411e-3))
    else:
        y = 3.75 / ax
        ans = _poly(y, (0.2282967e-1, -0.2895312e-1, 0.1787654e-1, -0.420059e-2))
        ans = _poly(y, (0.39894228, -0.3988024e-1, -0.362018e-2, 0.163801e-2, -0.1031555e-1, ans))
        ans *= math.exp(ax) / math.sqrt(ax)
    return -ans if x < 0 else ans


def k0(x: float) -> float:
    if x <= 2.0:
        y = x * x / 4.0
        return (-math.log(x / 2.0) * i0(x)) + _poly(y, (
            -0.57721566, 0.42278420, 0.23069756, 0.3488590e-1, 0.262698e-2, 0.10750e-3, 0.74e-5))
    y = 2.0 / x
    return (math.exp(-x) / math.sqrt(x)) * _poly(y, (
        1.25331414, -0.7832358e-1, 0.2189568e-1, -0.1062446e-1, 0.587872e-2, -0.251540e-2,
        0.53208e-3))


def k1(x: float) -> float:
    if x <= 2.0:
        y = x * x / 4.0
        return (math.log(x / 2.0) * i1(x)) + (1.0 / x) * _poly(y, (
            1.0, 0.15443144, -0.67278579, -0.18156897, -0.1919402e-1, -0.110404e-2, -0.4686e-4))
    y = 2.0 / x
    return (math.exp(-x) / math.sqrt(x)) * _poly(y, (
        1.25331414, 0.23498619, -0.3655620e-1, 0.1504268e-1, -0.780353e-2, 0.325614e-2,
        -0.68245e-3))


def _upward(first: float, second: float, n: int, x: float, sign: float) -> float:
    """Order n from orders 0 and 1 by b(j+1) = (2j/x) b(j) + sign * b(j-1): sign -1 for J and Y,
    +1 for K."""
    tox = 2.0 / x
    before, current = first, second
    for j in range(1, n):
        before, current = current, j * tox * current + sign * before
    return current


def _miller_start(n: int) -> int:
    return 2 * ((n + int(math.sqrt(_ACC * n))) // 2)


def jn(n: int, x: float) -> float:
    if n == 0:
        return j0(x)
    if n == 1:
        return j1(x)
    ax = abs(x)
    if ax == 0.0:
        return 0.0
    if ax > n:
        ans = _upward(j0(ax), j1(ax), n, ax, -1.0)
    else:
        tox = 2.0 / ax
        even = False
        after = ans = total = 0.0
        current = 1.0
        for j in range(_miller_start(n), 0, -1):
            current, after = j * tox * current - after, current
            if abs(current) > _BIG:
                current, after, ans, total = (v * _BIG_INV for v in (current, after, ans, total))
            if even:
                total += current
            even = not even
            if j == n:
                ans = after
        ans /= 2.0 * total - current
    return -ans if x < 0 and n % 2 else ans


def yn(n: int, x: float) -> float:
    if n == 0:
        return y0(x)
    return _upward(y0(x), y1(x), n, x, -1.0)


def in_(n: int, x: float) -> float:
    if n == 0:
        return i0(x)
    if n == 1:
        return i1(x)
    if x == 0.0:
        return 0.0
    tox = 2.0 / abs(x)
    after = ans = 0.0
    current = 1.0
    for j in range(2 * (n + int(math.sqrt(_ACC * n))), 0, -1):
        current, after = after + j * tox * current, current
        if abs(current) > _BIG:
            current, after, ans = (v * _BIG_INV for v in (current, after, ans))
        if j == n:
            ans = after
    ans *= i0(x) / current
    return -ans if x < 0 and n % 2 else ans


def kn(n: int, x: float) -> float:
    if n == 0:
        return k0(x)
    return _upward(k0(x), k1(x), n, x, 1.0)


def _arguments(x, n) -> tuple[float, int]:
    if isinstance(x, (bool, np.bool_)) or isinstance(n, (bool, np.bool_)):
        raise Fail(VALUE)
    x, n = to_number(x), to_number(n)
    if not (math.isfinite(x) and math.isfinite(n)):
        raise Fail(NUM)
    n = math.trunc(n)
    if n < 0:
        raise Fail(NUM)
    return x, n


def _excel(order_function, positive_x: bool):
    """The worksheet function: Excel's argument rules around order_function(n, x)."""
    def call(x, n):
        x, n = _arguments(x, n)
        if positive_x and x <= 0:
            raise Fail(NUM)
        return order_function(n, x)
    return call


REPLACEMENTS = {name: wrap_func(elementwise(_excel(func, positive_x)))
                for name, func, positive_x in (("BESSELJ", jn, False), ("BESSELY", yn, True),
                                               ("BESSELI", in_, False), ("BESSELK", kn, True))}
