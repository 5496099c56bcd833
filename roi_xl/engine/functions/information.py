"""Information functions `formulas` 1.3.4 gets wrong.

- ISNUMBER: TRUE for numbers only. formulas also said TRUE for text that reads as a number
  ("12" typed as text), where Excel says FALSE (ISNUMBER does not convert text).
"""
from __future__ import annotations

import functools

from formulas.functions import wrap_ranges_func
from formulas.functions.info import FalseArray, iserror

from ._args import is_number

REPLACEMENTS = {
    "ISNUMBER": wrap_ranges_func(functools.partial(iserror, check=is_number, array=FalseArray)),
}
