"""The input workbook opened once, shared by the guard, the fast reader and the writer of one workbook.

Each of them opened the zip itself: its directory read three times, the package's relationships
and workbook part parsed three times (package.Package), its small parts inflated two or three
times, a big sheet part inflated by the guard's count, the reader's lean pass and the writer. An
`InputZip` is the zip opened once:

* `read` keeps the bytes it inflated of a small member (under HOLD_BELOW bytes, HOLD_TOTAL in
  all), so the part the guard scanned is the part the reader takes, inflated once;
* `package()` is its Package, built on first use (by the guard) and kept for the fast reader
  (dropped before the evaluation, drop_package: the writer builds it again from the held parts);
* `leans` holds what the guard's pass over each big sheet part found for the reader: the lean
  split (lean.LeanReader fed the chunks the guard counted) and where the part is
  (part_stream.SourcePart), or None when the part is to be parsed whole.

It also pins the input: the file stays open from the guard to the writer, so every reader reads
the file that was checked even when another file takes its name meanwhile, and `unchanged` tells
the writer whether that open file was written to since (its output would then mix two inputs).
"""
from __future__ import annotations

import contextlib
import os
import zipfile
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from .deflate import inflating

if TYPE_CHECKING:
    from .lean import LeanSheet
    from .package import Package
    from .part_stream import SourcePart

__all__ = ["InputZip", "HOLD_BELOW", "HOLD_TOTAL", "open_again"]

HOLD_BELOW = 1 << 20  # members at least this big are streamed, never held (lean._LEAN_FROM's size)
HOLD_TOTAL = 64 << 20  # held bytes in all: past this, members are inflated again when read again


def _identity(st: os.stat_result) -> tuple[int, ...]:
    # not st_ctime: it changes when another file is renamed over this one's name (its links)
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


class InputZip(zipfile.ZipFile):
    """A workbook's zip opened for reading once, its small members held once inflated."""

    def __init__(self, path: str | os.PathLike):
        super().__init__(path)
        self.path = Path(path)
        self._opened = self._now()
        self._held: dict[str, bytes] = {}
        self._held_size = 0
        self._package: Package | None = None
        self.leans: dict[str, tuple[LeanSheet, SourcePart] | None] = {}

    def _now(self) -> tuple[int, ...] | None:
        return None if self.fp is None else _identity(os.fstat(self.fp.fileno()))

    def read(self, name: str | zipfile.ZipInfo, pwd: bytes | None = None) -> bytes:
        """A member's bytes (zipfile's errors as ZipFile.read raises them), inflated once if small."""
        if isinstance(name, zipfile.ZipInfo):
            member = name.filename
            if self.NameToInfo.get(member) is not name:  # one of two members named alike: its own
                return super().read(name, pwd)
        else:
            member = name
        data = self._held.get(member)
        if data is None:
            data = super().read(name, pwd)
            if len(data) < HOLD_BELOW and self._held_size + len(data) <= HOLD_TOTAL:
                self._held[member] = data
                self._held_size += len(data)
        return data

    def open(self, name, mode="r", pwd=None, *, force_zip64=False):  # type: ignore[override]
        """zipfile's open; a member opened for reading inflated by ISA-L (deflate.inflating: about
        twice zlib's speed), which read() and every reader of the shared zip go through."""
        member = super().open(name, mode, pwd, force_zip64=force_zip64)
        return inflating(member) if mode == "r" else member

    def package(self) -> Package:
        """The package's workbook part, sheets and relationships (package.Package), read once."""
        if self._package is None:
            from .package import Package  # lxml: loaded once a zip is found

            self._package = Package(self)
        return self._package

    def drop_package(self) -> None:
        """Let the Package's trees go (package() reads it again, from the held parts): kept while
        a workbook is evaluated, these few small lxml trees cost 10 MB of peak memory over 100
        client workbooks (the C heap fragmented around them), so the engine drops them once read."""
        self._package = None

    def unchanged(self) -> bool:
        """Whether the open file is as it was when opened (same file, size and mtime): no one wrote
        to it since, so what is read from it now belongs with what was read before."""
        return self._opened is not None and self._now() == self._opened


def open_again(opened: InputZip | None, path: str | os.PathLike) -> AbstractContextManager[InputZip]:
    """`opened` while it is still open (left open at the exit), else `path` opened anew (closed)."""
    if opened is not None and opened.fp is not None:
        return contextlib.nullcontext(opened)
    return InputZip(path)
