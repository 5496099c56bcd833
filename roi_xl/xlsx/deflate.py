"""Deflate and inflate for zip members: ISA-L's (python-isal) where it is installed.

zlib's default level deflated a client's nine edited sheets in ~3.6 ms (a sixth of writing the
workbook) and a 44 MB part in 0.1 s even at level 1; ISA-L's level 2 does both 5-10 times faster,
about as small as zlib's level 1 (sheet XML is repetitive; measured in bench/README.md, "Deflate").
The stream is plain raw deflate: every zip reader inflates it. ISA-L also inflates about twice as
fast, and its CRC-32 is about 3 times zlib's: `inflating` keeps zipfile's own reader of a member (its
header, name, encryption, size and CRC checks, and its errors) with ISA-L's inflater and CRC-32 in
place of zlib's (input_zip.InputZip.open). Without isal (a platform with no wheel), zlib, at level 1
for deflating.
"""
from __future__ import annotations

import zipfile
import zlib
from types import ModuleType
from typing import IO

_deflate_lib: ModuleType
try:
    from isal import isal_zlib as _deflate_lib
    _LEVEL = 2
except ImportError:  # pragma: no cover - isal has wheels wherever the writer runs
    _deflate_lib = zlib
    _LEVEL = 1

__all__ = ["compressor", "crc32", "IMPLEMENTATION", "inflating"]

IMPLEMENTATION = f"{_deflate_lib.__name__} level {_LEVEL}"
crc32 = _deflate_lib.crc32


def compressor():
    """A raw-deflate compressobj (no zlib header: what a zip member holds)."""
    return _deflate_lib.compressobj(_LEVEL, zlib.DEFLATED, -15)


class _Inflater:
    """ISA-L's raw inflater as zipfile's member reader uses zlib's (decompress with a bound, flush,
    eof, unconsumed_tail), its errors raised as zlib's, which every caller already catches."""
    __slots__ = ("_inflate",)

    def __init__(self) -> None:
        self._inflate = _deflate_lib.decompressobj(-15)

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        try:
            return self._inflate.decompress(data, max_length)
        except _deflate_lib.error as exc:
            raise zlib.error(str(exc)) from None

    def flush(self, *length: int) -> bytes:
        try:
            return self._inflate.flush(*length)
        except _deflate_lib.error as exc:
            raise zlib.error(str(exc)) from None

    @property
    def eof(self) -> bool:
        return self._inflate.eof

    @property
    def unconsumed_tail(self) -> bytes:
        return self._inflate.unconsumed_tail

    @property
    def unused_data(self) -> bytes:
        return self._inflate.unused_data


class _CheckedMember(zipfile.ZipExtFile):
    """zipfile's member reader, its CRC-32 taken by ISA-L (zlib's took 13 ms of a 44 MB part's
    30 ms inflate): the same check, at the same point, with the same error."""
    _expected_crc: int | None  # zipfile's own attributes, which its stub does not declare
    _running_crc: int
    _eof: bool

    def _update_crc(self, newdata: bytes) -> None:
        if self._expected_crc is None:  # nothing to check against (zipfile's own rule)
            return
        self._running_crc = crc32(newdata, self._running_crc)
        if self._eof and self._running_crc != self._expected_crc:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {self.name!r}")


def inflating(member: IO[bytes]) -> IO[bytes]:
    """A member zipfile just opened for reading (nothing read yet), set to check its CRC and, a
    deflated one, to inflate with ISA-L (zipfile still checks the header, the size and the CRC, and
    raises what it raises)."""
    if _deflate_lib is zlib:
        return member
    if type(member) is zipfile.ZipExtFile:
        member.__class__ = _CheckedMember
    if (getattr(member, "_compress_type", None) == zipfile.ZIP_DEFLATED
            and getattr(member, "_decompressor", None) is not None):
        member._decompressor = _Inflater()  # type: ignore[attr-defined]
    return member
