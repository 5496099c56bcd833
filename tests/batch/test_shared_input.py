"""One workbook's work opens its input once: the guard, the fast reader, the facts and the writer
share it, each member inflated once (a big sheet part twice: the guard's pass, split for the reader
as it is counted, and the writer's), and a file changed meanwhile gives no mixed output."""
from __future__ import annotations

import collections
import zipfile
from pathlib import Path

import pytest

from roi_xl.batch.work import Options, process
from roi_xl.engine import ModelCache
from roi_xl.engine.fastpath import compute
from roi_xl.errors import WorkbookError

from tests.support.batch_books import client_book

TOTAL_COST = 7_500.0 + 3_800.0 + 1_000.0  # client_book's B7: SUM(C10:C12)


@pytest.fixture
def inflations(monkeypatch):
    """How many times each zip member is opened for reading (every inflation goes through open)."""
    counts: collections.Counter[str] = collections.Counter()
    real = zipfile.ZipFile.open

    def counting(self, name, mode="r", *args, **kwargs):
        if mode == "r":
            counts[name.filename if isinstance(name, zipfile.ZipInfo) else name] += 1
        return real(self, name, mode, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", counting)
    return counts


def _cached(path: Path, sheet_member: str, ref: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        data = zf.read(sheet_member)
    start = data.index(b'<c r="%s"' % ref.encode())
    return data[data.index(b"<v>", start) + 3:data.index(b"</v>", start)]


def test_each_member_is_inflated_once(tmp_path, inflations):
    src = client_book(tmp_path / "client.xlsx")
    out = tmp_path / "out.xlsx"
    result = process(src, out, ModelCache(), Options(summary=True))  # a new plan: facts read too
    assert result.ok, result.error
    with zipfile.ZipFile(src) as zf:
        members = zf.namelist()
    assert max(inflations[m] for m in members) == 1, inflations
    assert float(_cached(out, "xl/worksheets/sheet1.xml", "B7")) == TOTAL_COST


def test_a_big_sheet_part_is_inflated_twice(tmp_path, inflations):
    """The guard's pass (which splits it for the reader) and the writer's; the rest once."""
    rows = b"".join(b'<row r="%d" ht="15" customHeight="1"/>' % r for r in range(2, 60_001))
    src = client_book(tmp_path / "client.xlsx")
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(src) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    sheet = parts[member]
    cut = sheet.index(b"</sheetData>")
    parts[member] = sheet[:cut] + rows + sheet[cut:]  # past row 26: 60,000 empty rows, 2.3 MB
    big = tmp_path / "big.xlsx"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    out = tmp_path / "out.xlsx"
    inflations.clear()  # the reads above
    result = process(big, out, ModelCache(), Options())
    assert result.ok, result.error
    assert inflations[member] == 2
    assert max(n for name, n in inflations.items() if name != member) == 1, inflations
    assert float(_cached(out, member, "B7")) == TOTAL_COST


def test_an_input_replaced_before_the_write_is_written_as_it_was_read(tmp_path):
    """Another client's workbook renamed over the input between compute and write: the copy is
    the first workbook's, values and members alike (the file stays open from the guard on)."""
    src = client_book(tmp_path / "client.xlsx")
    original = {}
    with zipfile.ZipFile(src) as zf:
        original = {name: zf.read(name) for name in zf.namelist()}
    other = client_book(tmp_path / "other.xlsx", client="Other", costs=(1.0, 2.0, 3.0))
    computed = compute(src, ModelCache())
    try:
        other.replace(src)
        out = tmp_path / "out.xlsx"
        computed.write(src, out)
    finally:
        computed.close()
    assert float(_cached(out, "xl/worksheets/sheet1.xml", "B7")) == TOTAL_COST
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            if name != "xl/worksheets/sheet1.xml":
                assert zf.read(name) == original[name], name


def test_an_input_rewritten_before_the_write_gives_no_copy(tmp_path):
    src = client_book(tmp_path / "client.xlsx")
    other = client_book(tmp_path / "other.xlsx", client="Another client", costs=(1.0, 2.0, 3.0))
    computed = compute(src, ModelCache())
    try:
        src.write_bytes(other.read_bytes())  # the same file, other bytes
        out = tmp_path / "out" / "out.xlsx"
        out.parent.mkdir()
        with pytest.raises(WorkbookError, match=r"^cannot write the recalculated copy: client\.xlsx "
                                                r"was written to while it was recalculated"):
            computed.write(src, out)
    finally:
        computed.close()
    assert list(out.parent.iterdir()) == []
