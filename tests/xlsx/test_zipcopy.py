"""zipcopy.write_zip: members copied as stored, replaced ones deflated by our own deflate (ISA-L)
with a local header rewritten once their CRC and sizes are known; any zip reader must agree."""
from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib

from roi_xl.xlsx import deflate
from roi_xl.xlsx.input_zip import InputZip
from roi_xl.xlsx.zipcopy import write_zip

_LOCAL = struct.Struct("<4s2B4HL2L2H")


def _source(tmp_path):
    path = tmp_path / "in.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.xml", b"<a>" + b"<r/>" * 5000 + b"</a>", compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("stored.bin", b"kept as it is", compress_type=zipfile.ZIP_STORED)
        z.writestr("b.xml", b"<b>old</b>", compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("c.xml", b"<c>old</c>", compress_type=zipfile.ZIP_STORED)
        z.writestr("gone.xml", b"<gone/>", compress_type=zipfile.ZIP_DEFLATED)
    return path


def _local_header(data: bytes, info: zipfile.ZipInfo):
    fields = _LOCAL.unpack_from(data, info.header_offset)
    return fields[0], fields[7], fields[8], fields[9], fields[4]  # signature, CRC, sizes, method


def test_replaced_members_inflate_to_their_bytes_with_matching_headers(tmp_path):
    big = os.urandom(300_000) + b"<row/>" * 200_000  # incompressible then repetitive
    pieces = [big[i:i + 65536] for i in range(0, len(big), 65536)]
    out = io.BytesIO()
    with zipfile.ZipFile(_source(tmp_path)) as zin:
        write_zip(zin, out, {"b.xml": b"<b>new \xe2\x82\xac</b>", "a.xml": iter(pieces),
                             "c.xml": b"<c>new</c>"}, {"gone.xml"})
    data = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.namelist() == ["a.xml", "stored.bin", "b.xml", "c.xml"]
        assert z.testzip() is None  # every CRC checked against what inflates
        assert z.read("a.xml") == big
        assert z.read("b.xml") == "<b>new €</b>".encode()
        assert z.read("stored.bin") == b"kept as it is"
        assert z.read("c.xml") == b"<c>new</c>"
        infos = {i.filename: i for i in z.infolist()}
        assert [infos[n].compress_type for n in ("a.xml", "stored.bin", "b.xml", "c.xml")] == [
            zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED]
        for name in ("a.xml", "b.xml"):  # the rewritten local header says what the directory says
            info = infos[name]
            sig, crc, csize, size, method = _local_header(data, info)
            assert sig == b"PK\x03\x04" and method == 8
            assert (crc, csize, size) == (zlib.crc32(z.read(name)), info.compress_size, info.file_size)
            assert info.flag_bits & 0x8 == 0  # no data descriptor: sizes are in the header
    # a raw-deflate stream any inflater reads, not only the one that wrote it
    a = infos["a.xml"]
    sig, _crc, csize, _size, _m = _local_header(data, a)
    name_len, extra_len = _LOCAL.unpack_from(data, a.header_offset)[10:]
    start = a.header_offset + _LOCAL.size + name_len + extra_len
    assert zlib.decompress(data[start:start + csize], -15) == big


def test_deflate_is_plain_raw_deflate():
    text = b"<c r=\"A1\"><v>1</v></c>" * 1000
    c = deflate.compressor()
    packed = c.compress(text) + c.flush()
    assert zlib.decompress(packed, -15) == text
    assert len(packed) < len(text) // 20
    assert deflate.crc32(text) == zlib.crc32(text)


def _zip_with(tmp_path, data: bytes):
    path = tmp_path / "m.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("sheet.xml", data)
        z.writestr("plain.txt", b"as stored", compress_type=zipfile.ZIP_STORED)
    return path


def test_the_shared_input_reads_zipfiles_bytes_inflated_by_our_inflater(tmp_path):
    data = b"<row/>" * 300_000 + os.urandom(5000)
    path = _zip_with(tmp_path, data)
    with InputZip(path) as z:
        with z.open(z.getinfo("sheet.xml")) as member:  # a megabyte at a time
            if deflate.IMPLEMENTATION.startswith("isal"):  # the inflater deflate.inflating puts in
                assert type(member._decompressor).__module__ == deflate.__name__
            got = b"".join(iter(lambda: member.read(1 << 20), b""))
        assert got == data
        assert z.read("sheet.xml") == data
        assert z.read("plain.txt") == b"as stored"


def test_the_shared_input_raises_what_zipfile_raises_on_damage(tmp_path):
    import pytest
    data = b"<row r=\"1\"/>" * 50_000
    path = _zip_with(tmp_path, data)
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("sheet.xml")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    crc_bad = bytearray(raw)
    crc_bad[start + info.compress_size // 2] ^= 0x01  # one flipped bit inside the stream
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(crc_bad))
    with InputZip(bad) as z, pytest.raises((zipfile.BadZipFile, zlib.error)) as ours:
        z.read("sheet.xml")
    with zipfile.ZipFile(bad) as z, pytest.raises((zipfile.BadZipFile, zlib.error)) as theirs:
        z.read("sheet.xml")
    assert type(ours.value) is type(theirs.value)
    truncated = bytearray(raw)
    truncated[start:start + info.compress_size] = b"\x00" * info.compress_size  # stored blocks of nothing
    cut = tmp_path / "cut.zip"
    cut.write_bytes(bytes(truncated))
    with InputZip(cut) as z, pytest.raises((zipfile.BadZipFile, zlib.error, EOFError)):
        z.read("sheet.xml")


def test_a_member_whose_crc_is_wrong_is_refused_as_zipfile_refuses_it(tmp_path):
    """The deflate data intact, the CRC the zip records for it one off (in the local header and in
    the directory): only the CRC check can tell, and the shared input's (ISA-L's CRC-32 in place of
    zlib's) raises zipfile's error, with its message, for a deflated and a stored member alike."""
    import pytest
    data = b"<row r=\"1\"/>" * 200_000 + os.urandom(3000)
    path = _zip_with(tmp_path, data)
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        infos = [z.getinfo("sheet.xml"), z.getinfo("plain.txt")]
    for info in infos:
        wrong = struct.pack("<L", (info.CRC + 1) & 0xFFFFFFFF)
        raw[info.header_offset + 14:info.header_offset + 18] = wrong  # the local header's CRC
        central = raw.index(b"PK\x01\x02")  # the directory's entries: this member's by its name
        while raw[central + 46:central + 46 + len(info.filename)] != info.filename.encode():
            central = raw.index(b"PK\x01\x02", central + 4)
        raw[central + 16:central + 20] = wrong  # the directory's CRC
    bad = tmp_path / "crc.zip"
    bad.write_bytes(bytes(raw))
    for name in ("sheet.xml", "plain.txt"):
        with zipfile.ZipFile(bad) as z, pytest.raises(zipfile.BadZipFile) as theirs:
            z.read(name)
        with InputZip(bad) as z, pytest.raises(zipfile.BadZipFile) as ours:
            z.read(name)
        assert str(ours.value) == str(theirs.value) == f"Bad CRC-32 for file {name!r}"
        with InputZip(bad) as z, z.open(name) as member, pytest.raises(zipfile.BadZipFile):
            while member.read(1 << 16):  # read a piece at a time: refused at the end
                pass
    with InputZip(path) as z:  # the CRCs as recorded: read whole, a chunk at a time
        assert z.read("sheet.xml") == data
        with z.open("sheet.xml") as member:
            assert b"".join(iter(lambda: member.read(1 << 20), b"")) == data
