"""Copying a zip member by member: the same names, order, compression and bytes, some replaced.

Most of a workbook's members are copied unchanged, so they are copied as stored (still
compressed: no inflating and deflating again, which was most of the writing time); a member that
cannot be copied so (encrypted, or a local header that does not match the directory) is read and
written again with its own compression type. A replaced member that was deflated is deflated here
(deflate.compressor: ISA-L's, several times faster than zipfile's zlib) and written as stored.
"""
from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from typing import IO

from .deflate import compressor, crc32

__all__ = ["write_zip"]

# A member's local file header (the zip format's APPNOTE.TXT, 4.3.7), as zipfile reads it: signature,
# versions, flags, method, time, date, CRC, sizes, then the lengths of the name and the extra field.
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_NAME_LENGTH, _EXTRA_LENGTH = 10, 11  # their fields
# Members deflated here must stay below zip64's sizes: their local header is written before their
# size is known and rewritten in place after, so it cannot grow a zip64 field. Bigger ones (never
# within the guard's limits) go through zipfile.
_OWN_DEFLATE_BELOW = 1 << 30


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    out = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    out.compress_type = info.compress_type
    out.comment = info.comment
    out.external_attr = info.external_attr
    out.internal_attr = info.internal_attr
    out.create_system = info.create_system
    return out


def _stored_bytes(zin: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """A member's data exactly as stored (still compressed), or None when it cannot be copied so
    (encrypted, or a local header that does not match the directory)."""
    if info.flag_bits & 0x1 or zin.fp is None:
        return None
    zin.fp.seek(info.header_offset)
    header = zin.fp.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size:
        return None
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != _LOCAL_SIGNATURE:
        return None
    skip = fields[_NAME_LENGTH] + fields[_EXTRA_LENGTH]
    zin.fp.seek(info.header_offset + _LOCAL_HEADER.size + skip)
    data = zin.fp.read(info.compress_size)
    return data if len(data) == info.compress_size else None


def _copy_stored(zout: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes) -> None:
    """Append a member's stored bytes as they are: no decompressing and compressing again (most
    of a workbook's members are copied unchanged, and that was most of the writing time)."""
    out, fp = _start(zout, info)
    out.CRC, out.compress_size, out.file_size = info.CRC, info.compress_size, info.file_size
    fp.write(out.FileHeader(None))
    fp.write(data)
    _added(zout, out)


def _deflated(zout: zipfile.ZipFile, info: zipfile.ZipInfo, pieces: Iterable[bytes]) -> None:
    """Append the member `info` names (a deflated one) with the bytes `pieces` give, deflated
    as they come; its local header is written first and rewritten once CRC and sizes are known."""
    out, fp = _start(zout, info)
    out.CRC = out.compress_size = out.file_size = 0
    fp.write(out.FileHeader(False))
    deflate, crc, size, written = compressor(), 0, 0, 0
    for piece in pieces:
        crc = crc32(piece, crc)
        size += len(piece)
        data = deflate.compress(piece)
        fp.write(data)
        written += len(data)
    data = deflate.flush()
    fp.write(data)
    out.CRC, out.file_size, out.compress_size = crc, size, written + len(data)
    end = fp.tell()
    fp.seek(out.header_offset)
    fp.write(out.FileHeader(False))  # the same length: no zip64 field (_OWN_DEFLATE_BELOW)
    fp.seek(end)
    _added(zout, out)


def _start(zout: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[zipfile.ZipInfo, IO[bytes]]:
    """The entry of a member written straight into zout's file, starting where that file is now,
    and the file."""
    fp = zout.fp
    if fp is None:
        raise ValueError("the zip being written is closed")
    out = _copy_info(info)
    out.flag_bits = info.flag_bits & 0x800  # UTF-8 names; sizes are in the header, no descriptor
    out.header_offset = fp.tell()
    return out, fp


def _added(zout: zipfile.ZipFile, out: zipfile.ZipInfo) -> None:
    """Record a member written straight into zout's file, for its central directory."""
    fp = zout.fp
    assert fp is not None
    zout.filelist.append(out)
    zout.NameToInfo[out.filename] = out
    zout.start_dir = fp.tell()
    # zipfile's own flag (not in typeshed's stubs): close() writes the central directory when set
    zout._didModify = True  # type: ignore[attr-defined]


def write_zip(zin: zipfile.ZipFile, fh: IO[bytes], replaced: Mapping[str, bytes | Iterator[bytes]],
              drop: Iterable[str]) -> None:
    """Write into `fh` a zip of `zin`'s members in order, each as it is stored, except those named
    in `drop` (left out) and in `replaced` (that data instead, same name and compression type:
    bytes, or pieces deflated as they come: a big part streamed, part_stream.spliced)."""
    drop = set(drop)
    with zipfile.ZipFile(fh, "w", allowZip64=True) as zout:
        zout.comment = zin.comment
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = replaced.get(info.filename)
            if data is None:
                stored = _stored_bytes(zin, info)
                if stored is not None:
                    _copy_stored(zout, info, stored)
                    continue
                data = zin.read(info)
            if (info.compress_type == zipfile.ZIP_DEFLATED and fh.seekable()
                    and max(info.file_size, len(data) if isinstance(data, bytes) else 0) < _OWN_DEFLATE_BELOW):
                _deflated(zout, info, (data,) if isinstance(data, bytes) else data)
            elif isinstance(data, bytes):
                zout.writestr(_copy_info(info), data, compress_type=info.compress_type)
            else:
                with zout.open(_copy_info(info), "w") as out:
                    for piece in data:
                        out.write(piece)

