"""argparse types for the command line's options: numbers, whole numbers, seconds and sizes,
each refusing what it cannot read with a line argparse prints beside the option's name."""
from __future__ import annotations

import argparse
import re


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def number(text: str, *, zero: bool = False) -> float:
    """A finite number above 0 (or 0 and above, with `zero`)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (value >= 0 if zero else value > 0) or value == float("inf"):
        raise argparse.ArgumentTypeError("must be 0 or more" if zero else "must be more than 0")
    return value


def seconds(text: str) -> float:
    return number(text, zero=True)


_SIZE = re.compile(r"(\d+(?:\.\d*)?)\s*([KMGT]?)(?:I?B)?", re.I)


def byte_size(text: str) -> int:
    """'500MB', '2G', '1.5GiB', '1048576' -> bytes."""
    m = _SIZE.fullmatch(text.strip())
    if m is None:
        raise argparse.ArgumentTypeError(f"not a size (e.g. 500MB, 2GB): {text!r}")
    value = int(float(m.group(1)) * 1024 ** " KMGT".index(m.group(2).upper() or " "))
    if value < 1:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def memory_size(text: str) -> int:
    """--max-memory: a size, or 0 for no cap."""
    return 0 if text.strip() == "0" else byte_size(text)
