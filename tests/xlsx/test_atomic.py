"""roi_xl.atomic.replacing: the one temp-then-rename used for written workbooks and summaries."""
import os
import stat

import pytest

from roi_xl.atomic import replacing


def test_clean_exit_replaces_the_file_and_keeps_its_permissions(tmp_path):
    dst = tmp_path / "out.xlsx"
    dst.write_bytes(b"old")
    os.chmod(dst, 0o640)
    with replacing(dst) as tmp:
        assert tmp.parent == tmp_path and tmp != dst and tmp.exists()
        tmp.write_bytes(b"new")
        assert dst.read_bytes() == b"old"  # nothing visible before the rename
    assert dst.read_bytes() == b"new"
    assert stat.S_IMODE(os.stat(dst).st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_an_exception_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    dst = tmp_path / "summary.csv"
    dst.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with replacing(dst) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("disk full")
    assert dst.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.csv"]


def test_a_new_file_is_created(tmp_path):
    dst = tmp_path / "new.json"
    with replacing(dst) as tmp:
        tmp.write_text("{}")
    assert dst.read_text() == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.json"]
