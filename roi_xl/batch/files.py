"""The batch's files: finding the input workbooks, the staging folder outputs are written in, the
originals kept when inputs are replaced.

Nothing partial is ever left in the output folder: workers write into a private staging folder
inside it (`.roi-xl-staging-<pid>-<random>`), and only whole outputs are moved out of it, with an
atomic rename. The staging folder goes at the end, interrupted or not; one left by a run that was
killed outright is removed by the next run once its process is gone (known by the mark file inside
it: a folder of the user's that merely has such a name stays).
"""
from __future__ import annotations

import glob
import os
import re
import secrets
import shutil
from pathlib import Path

from ..atomic import pid_alive
from ..errors import InputError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
STAGING_PREFIX = ".roi-xl-staging-"
BACKUP_PREFIX = "roi-xl-originals-"  # inputs replaced with --replace-inputs are kept in here


def _is_workbook(path: Path) -> bool:
    # Excel's lock files (~$Book.xlsx) sit beside open workbooks and are not workbooks.
    return path.suffix.lower() in WORKBOOK_SUFFIXES and not path.name.startswith("~$")


def find_workbooks(inputs: list[str], exclude: Path | None = None) -> list[Path]:
    """Files as given, folders searched recursively, glob patterns expanded; in a stable order.

    A file named explicitly is kept whatever its type, so that it gets its own error line.
    Workbooks found by searching inside `exclude` (the output folder) are left out.
    """
    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            # the output folder given as an input is searched too (its files are then refused
            # as outputs over inputs, unless inputs are to be replaced)
            inside_out = exclude is not None and (path.resolve() == exclude.resolve()
                                                  or _inside(path, exclude))
            skip = None if inside_out else exclude
            found.extend(p for p in _search(path) if not _inside(p, skip))
        elif glob.has_magic(item):
            matches = sorted(Path(p) for p in glob.glob(item, recursive=True))
            hits = [p for p in matches if p.is_file() and _is_workbook(p)]
            for p in matches:
                if p.is_dir():
                    hits.extend(_search(p))
            hits = [p for p in hits if not _inside(p, exclude)]
            if not hits:
                raise InputError(f"{item}: no .xlsx or .xlsm workbook matches")
            found.extend(hits)
        else:
            found.append(path)  # a missing or odd file reports its own error
    unique: dict[Path, None] = {}
    for p in found:
        unique.setdefault(p, None)
    return list(unique)


def empty_folders(inputs: list[str], exclude: Path | None = None) -> list[Path]:
    """Folders given as inputs, and folders inside them (hidden ones aside), holding no workbook at
    any depth: each gets a line, rather than nothing at all."""
    empty: list[Path] = []
    for item in inputs:
        folder = Path(item)
        if not folder.is_dir() or glob.has_magic(item):
            continue
        holding = {d for p in _search(folder) for d in p.parents}
        for sub in sorted((folder, *(d for d in folder.rglob("*") if d.is_dir()))):
            parts = sub.relative_to(folder).parts
            if sub in holding or _inside(sub, exclude) or (exclude is not None and same_file(sub, exclude)) \
                    or any(part.startswith(".") or part.startswith(BACKUP_PREFIX) for part in parts) \
                    or sub in empty or any(e in sub.parents for e in empty):
                continue
            empty.append(sub)
    return empty


def _search(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and _is_workbook(p)
                  and not any(part.startswith((STAGING_PREFIX, BACKUP_PREFIX))
                              for part in p.relative_to(folder).parts))


def _inside(path: Path, folder: Path | None) -> bool:
    return folder is not None and folder.resolve() in path.resolve().parents


# --------------------------------------------------------------------------- staging

_STAGING_NAME = re.compile(re.escape(STAGING_PREFIX) + r"(\d+)-[0-9a-f]+$")
_STAGING_MARK = ".roi-xl-staging"   # a file inside each staging folder: ours, not the user's


def make_staging(out_dir: Path) -> Path:
    """A new staging folder inside `out_dir`, marked as ours by the file inside it."""
    staging = out_dir / f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    staging.mkdir()
    try:
        (staging / _STAGING_MARK).write_text(f"roi-xl recalc staging folder of process {os.getpid()}\n")
    except OSError:
        staging.rmdir()
        raise
    return staging


def remove_stale_staging(out_dir: Path) -> None:
    """Staging folders of runs that were killed outright (their process is gone). Only a folder
    holding our mark and nothing but files is one: a user's folder of the same name stays."""
    try:
        entries = list(out_dir.iterdir())
    except OSError:
        return
    for entry in entries:
        m = _STAGING_NAME.match(entry.name)
        if not m or entry.is_symlink() or not entry.is_dir() or int(m.group(1)) == os.getpid() \
                or pid_alive(int(m.group(1))):
            continue
        try:
            inside = list(entry.iterdir())
        except OSError:
            continue
        if entry / _STAGING_MARK in inside and all(p.is_file() and not p.is_symlink() for p in inside):
            for p in inside:
                p.unlink(missing_ok=True)
            try:
                entry.rmdir()
            except OSError:
                pass


def remove_staging(staging: Path | None) -> None:
    """The staging folder and whatever is left in it (None: none was made)."""
    if staging is not None and staging.exists():
        shutil.rmtree(staging, ignore_errors=True)


def same_file(a: Path, b: Path) -> bool:
    """`a` and `b` name one file (one path, or a link to the same bytes)."""
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def keep_original(path: Path, backups: Path) -> None:
    """Keep the input about to be replaced: a hard link (the very same bytes, no copy) or a copy."""
    backups.mkdir(exist_ok=True)
    kept = backups / path.name
    try:
        os.link(path, kept)
    except OSError:
        shutil.copy2(path, kept)
