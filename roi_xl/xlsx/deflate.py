"""Deflate for the zip members the writer edits: ISA-L's (python-isal) where it is installed.

zlib's default level deflated a client's nine edited sheets in ~3.6 ms (a sixth of writing the
workbook) and a 44 MB part in 0.1 s even at level 1; ISA-L's level 2 does both 5-10 times faster,
about as small as zlib's level 1 (sheet XML is repetitive; measured in bench/README.md, "Deflate").
The stream is plain raw deflate: every zip reader inflates it. Without isal (a platform with no
wheel), zlib at level 1.
"""
from __future__ import annotations

import zlib
from types import ModuleType

_deflate_lib: ModuleType
try:
    from isal import isal_zlib as _deflate_lib
    _LEVEL = 2
except ImportError:  # pragma: no cover - isal has wheels wherever the writer runs
    _deflate_lib = zlib
    _LEVEL = 1

__all__ = ["compressor", "crc32", "IMPLEMENTATION"]

IMPLEMENTATION = f"{_deflate_lib.__name__} level {_LEVEL}"
crc32 = _deflate_lib.crc32


def compressor():
    """A raw-deflate compressobj (no zlib header: what a zip member holds)."""
    return _deflate_lib.compressobj(_LEVEL, zlib.DEFLATED, -15)
