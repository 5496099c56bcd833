"""Big sheet parts streamed: inflated, read and written a chunk at a time, never held whole.

A sheet that lists every row to give it a height (a million empty rows around two cells: a 44 MB
part) cost its whole bytes three times over: inflated at once, kept for the writer, joined again
with the edited rows and deflated at once. Here such a part is inflated a quarter megabyte at a time:

* `read_lean` feeds it to lean.LeanReader, which keeps only the bytes the tree needs and the
  plain rows' cells, and returns with the lean sheet a `SourcePart`: where the part is in the
  input (its member, CRC and sizes) and where its sheetData's inside lies, which is all the writer
  needs of it;
* `spliced` reads the part again from the input when the writer edits it, after `same_part`
  checked it is the member that was read (the input is never modified; zipfile checks the CRC of
  what it inflates), and gives the edited part in pieces: the head with its edit, the inside with
  the edited rows put back among the original ones (lean.rows_into), the rest as it was, which
  zipcopy.write_zip deflates into the output zip as they come.
"""
from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from roi_xl.errors import NeedsWholeTree

from .lean import LeanReader, LeanSheet, rows_into

__all__ = ["SourcePart", "lean_reader", "read_lean", "same_part", "spliced"]

# Inflated bytes read at a time: a quarter megabyte, where a megabyte held 6 MB more at the peak of a
# 44 MB part's recalc (the chunk, its copies, zipfile's buffers) for no time saved. A part deflated less
# than _DENSE times is judged on its first chunk (LeanReader's dense): cells deflate 5 to 7 times, empty
# rows 16; a part of both below 8 is about half cells, which lean_sheet refuses.
CHUNK = 1 << 18
_DENSE = 8


@dataclass(frozen=True)
class SourcePart:
    """A sheet part as the reader streamed it: its zip member, the CRC and sizes the zip's
    directory gave it, and where its sheetData's inside starts and ends in its bytes."""
    member: str
    crc: int
    size: int
    compress_size: int
    inside: tuple[int, int]


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes a CHUNK at a time."""
    with zf.open(info) as fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def _dense(info: zipfile.ZipInfo) -> bool:
    """Whether a part deflates no better than cells do (_DENSE)."""
    return info.file_size < _DENSE * info.compress_size


def lean_reader(info: zipfile.ZipInfo, take: Callable[[bytes, int, int], None] | None = None) -> LeanReader:
    """The LeanReader of a sheet part (`take`: LeanReader's): one that deflates no better than cells
    do is refused after its first chunk if that chunk's rows nearly all go to the tree (a sheet of
    formulas, read whole: formulas_100k's 5.3 MB sheet lost 0.06 s going on to half the part)."""
    return LeanReader(info.file_size, take, dense=_dense(info))


def read_lean(zf: zipfile.ZipFile, member: str,
              take: Callable[[bytes, int, int], None] | None = None) -> tuple[LeanSheet, SourcePart] | None:
    """A big sheet part read lean, a chunk at a time, and where it is; None when it is small or
    not lean (parse it whole). `take`: LeanReader's. zipfile's errors (a bad CRC, damaged data)
    as zf.read raises them."""
    info = zf.getinfo(member)
    reader = lean_reader(info, take)
    if reader.state == "refused":
        return None
    for chunk in _chunks(zf, info):
        if not reader.feed(chunk):
            return None
    lean = reader.finish()
    if lean is None:
        return None
    return lean, SourcePart(member, info.CRC, info.file_size, info.compress_size, lean.inside)


def same_part(zf: zipfile.ZipFile, source: SourcePart) -> bool:
    """Whether `zf` holds the member `source` was read from, as it was (CRC and sizes)."""
    info = zf.NameToInfo.get(source.member)
    return info is not None and (info.CRC, info.file_size, info.compress_size) == \
        (source.crc, source.size, source.compress_size)


def spliced(zf: zipfile.ZipFile, source: SourcePart, head: Callable[[bytes], bytes | None],
            inner: bytes) -> Iterator[bytes]:
    """The part `source` names, read again from `zf` in chunks, with the bytes before its
    `<sheetData>` given to `head` (their edit: None when it cannot make it) and the rows of `inner`
    (lxml's bytes of the edited rows) put in place of the original ones among the others;
    NeedsWholeTree when the part is not as it was read."""
    start, end = source.inside
    stream = _Stream(_chunks(zf, zf.getinfo(source.member)))
    first = b"".join(stream.take(start))
    edited = head(first[:-len(_OPEN)]) if first.endswith(_OPEN) else None
    if edited is None:
        raise NeedsWholeTree(source.member)
    yield edited + _OPEN
    yield from rows_into(stream.take(end - start), inner)
    close = b"".join(stream.take(len(_CLOSE)))
    if close != _CLOSE:
        raise NeedsWholeTree(source.member)
    yield close
    yield from stream.rest()


_OPEN, _CLOSE = b"<sheetData>", b"</sheetData>"  # as lean.LeanReader requires them


class _Stream:
    """Pieces of bytes taken a given number of bytes at a time."""

    def __init__(self, pieces: Iterator[bytes]):
        self.pieces, self.left = pieces, b""

    def take(self, size: int) -> Iterator[bytes]:
        """The next `size` bytes as they come (fewer at the end)."""
        while size > 0:
            piece = self.left or next(self.pieces, b"")
            if not piece:
                return
            piece, self.left = piece[:size], piece[size:]  # the piece itself when it all goes
            size -= len(piece)
            yield piece

    def rest(self) -> Iterator[bytes]:
        if self.left:
            yield self.left
        yield from self.pieces

