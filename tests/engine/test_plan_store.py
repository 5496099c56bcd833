"""Plans kept on disk between runs (roi_xl/engine/plan_store.py): used when sound, else ignored."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import openpyxl
import pytest

from roi_xl.engine import ModelCache, fastbook, fastcalc, fastpath, plan_store
from roi_xl.engine.plan_store import PlanStore

from tests.support.cli import recalc

FORMULAS = {"C1": "=A1*B1+1", "C2": '=IF(C1>6,"big","small")', "C3": "=SUM(A1:B1)"}


def _book(path: Path, a1: float, b1: float) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = a1, b1
    for ref, f in FORMULAS.items():
        ws[ref] = f
    wb.save(path)
    return path


def _expected(a1, b1):
    c1 = a1 * b1 + 1
    return {("Sheet", "C1"): c1, ("Sheet", "C2"): "big" if c1 > 6 else "small",
            ("Sheet", "C3"): a1 + b1}


def _no_load(monkeypatch):
    """Neither prepared and translated again (the stored plan serves) nor loaded for formulas."""
    from roi_xl.engine import workbook

    def refused(*args):
        raise AssertionError("the workbook was translated or loaded")
    monkeypatch.setattr(fastpath, "_plan_entry", refused)
    monkeypatch.setattr(workbook, "load", refused)


@pytest.fixture
def store(tmp_path):
    return PlanStore(tmp_path / "cache" / "roi-xl")


def _plan():
    return fastcalc.Plan({("Sheet", "A1"): "=1"}, ["Sheet"], {})


def _entries(store: PlanStore) -> list[Path]:
    return sorted(store.folder.glob("plan-*.json"))


def test_a_stored_plan_computes_the_next_run_without_loading(tmp_path, store, monkeypatch):
    first = fastpath.compute(_book(tmp_path / "a.xlsx", 2, 3), ModelCache(), store=store)
    assert first.fast and first.cells == _expected(2, 3)
    (entry,) = _entries(store)
    assert stat.S_IMODE(os.stat(store.folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(entry).st_mode) == 0o600
    _no_load(monkeypatch)                                   # a new run: an empty ModelCache
    second = fastpath.compute(_book(tmp_path / "b.xlsx", 1, 1), ModelCache(), store=store)
    assert second.fast and second.cells == _expected(1, 1)


def test_an_entry_holds_formula_texts_not_code(tmp_path, store):
    path = _book(tmp_path / "a.xlsx", 2, 3)
    fastpath.compute(path, ModelCache(), store=store)
    data = json.loads(_entries(store)[0].read_text())
    assert sorted(data) == ["arrays", "defined", "format", "formulas", "iteration", "key", "lambdas",
                            "names", "python", "roi_xl", "sheets", "warnings"]
    assert data["iteration"] is None        # the workbook does not enable iterative calculation
    assert sorted(data["formulas"]) == sorted(["Sheet", c, f] for c, f in FORMULAS.items())
    assert data["key"] == fastbook.read(path).key


@pytest.mark.parametrize("damage", [
    lambda p: p.write_bytes(b"\x00\xff not json"),
    lambda p: p.write_text(p.read_text()[:40]),
    lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "formulas": [["Sheet", "C1"]]})),
    lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "roi_xl": "0.0.0"})),
    lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "python": "2.7"})),
    lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "key": "another"})),
    lambda p: p.write_text(json.dumps({**json.loads(p.read_text()),
                                       "formulas": [["Sheet", "C1", "=A1 A1"]]})),  # untranslatable
], ids=["garbage", "truncated", "bad-field", "version", "python", "key", "untranslatable"])
def test_a_damaged_or_mismatched_entry_is_ignored(tmp_path, store, damage, monkeypatch):
    fastpath.compute(_book(tmp_path / "a.xlsx", 2, 3), ModelCache(), store=store)
    (entry,) = _entries(store)
    damage(entry)
    loads = []
    monkeypatch.setattr(fastpath, "_plan_entry",
                        lambda book, real=fastpath._plan_entry: loads.append(book.path) or real(book))
    computed = fastpath.compute(_book(tmp_path / "b.xlsx", 4, 5), ModelCache(), store=store)
    assert computed.fast and computed.cells == _expected(4, 5)
    assert loads == [tmp_path / "b.xlsx"]                     # translated: the entry was not used
    assert store.read(fastbook.read(tmp_path / "b.xlsx").key) is not None   # and written anew


def test_an_entry_for_another_version_is_ignored(tmp_path, store, monkeypatch):
    fastpath.compute(_book(tmp_path / "a.xlsx", 2, 3), ModelCache(), store=store)
    key = fastbook.read(tmp_path / "a.xlsx").key
    assert store.read(key) is not None
    monkeypatch.setattr(plan_store, "__version__", "99.0")
    assert store.read(key) is None
    monkeypatch.undo()
    monkeypatch.setattr(plan_store, "_PYTHON", "3.0.0 (another build)")
    assert store.read(key) is None


def test_a_folder_others_may_open_is_neither_read_nor_written(tmp_path, store):
    fastpath.compute(_book(tmp_path / "a.xlsx", 2, 3), ModelCache(), store=store)
    key = fastbook.read(tmp_path / "a.xlsx").key
    os.chmod(store.folder, 0o755)
    assert store.read(key) is None
    assert not store.write("other", _plan(), [])
    assert len(_entries(store)) == 1


def test_a_symlinked_folder_is_not_used(tmp_path):
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(real)
    store = PlanStore(tmp_path / "link")
    assert not store.write("k", _plan(), [])
    assert list(real.iterdir()) == []


def test_an_entry_others_may_write_or_do_not_own_is_ignored(tmp_path, store):
    fastpath.compute(_book(tmp_path / "a.xlsx", 2, 3), ModelCache(), store=store)
    key = fastbook.read(tmp_path / "a.xlsx").key
    (entry,) = _entries(store)
    os.chmod(entry, 0o666)
    assert store.read(key) is None
    os.chmod(entry, 0o600)
    assert store.read(key) is not None
    if os.getuid() != 0:
        pytest.skip("giving the entry to another user needs root")
    os.chown(entry, 65534, -1)
    assert store.read(key) is None


def test_the_default_folder_follows_xdg_cache_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert plan_store.default_folder() == tmp_path / "roi-xl"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")       # not absolute: ignored (XDG spec)
    assert plan_store.default_folder() == Path.home() / ".cache" / "roi-xl"


def test_the_batch_keeps_plans_unless_no_cache(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    _book(src / "a.xlsx", 2, 3)
    cache_home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    run = recalc(src, "--out", tmp_path / "out1", "--jobs", "1", "--no-cache")
    assert run.returncode == 0, run.stderr
    assert not (cache_home / "roi-xl").exists()
    run = recalc(src, "--out", tmp_path / "out2", "--jobs", "1")
    assert run.returncode == 0, run.stderr
    assert len(list((cache_home / "roi-xl").glob("plan-*.json"))) == 1
