"""Translated plans kept on disk between runs, so a template's first workbook skips the full load.

What is stored is the plan's input, not code: the formula texts load() rewrote, the sheet names, the
defined names, the one-cell array formulas' cells and load()'s warnings, as JSON. Reading an entry
translates those texts again (fastcalc.Plan, milliseconds); no stored Python is ever executed, and a
tampered entry can say no more than a workbook can. An entry is keyed by the formula key (fastbook),
roi-xl's version and Python's version, and carries all three; any mismatch, damage or surprise makes it
ignored.

The folder is private: $XDG_CACHE_HOME/roi-xl (or ~/.cache/roi-xl), made 0700. It is used only while
it is a real directory (not a symlink) owned by the user with no access for group or others, and an
entry is read only when it is a regular file owned by the user that only the user may write.
Entries are written atomically (roi_xl.atomic), so a reader never sees half of one.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from pathlib import Path
from typing import TypeGuard

from ..atomic import replacing
from ..version import __version__
from .iteration import Iteration

FORMAT = 2  # 2: an array formula is (sheet, cell, range)
MAX_BYTES = 64 * 1024 * 1024
_PYTHON = sys.version


def default_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "roi-xl"


class PlanStore:
    """Plans by formula key in one private folder; every failure means "not cached"."""

    def __init__(self, folder: str | os.PathLike | None = None):
        self.folder = Path(folder) if folder is not None else default_folder()

    def read(self, key: str) -> dict | None:
        """The stored plan input for `key` (sheets, formulas, names, defined, arrays, warnings)."""
        if not self._private(create=False):
            return None
        try:
            fd = os.open(self._path(key), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() \
                    or info.st_mode & 0o022 or info.st_size > MAX_BYTES:
                return None
            with os.fdopen(fd, "rb", closefd=False) as f:
                data = json.loads(f.read().decode("utf-8"))
        except (OSError, ValueError):  # unreadable, not UTF-8, not JSON
            return None
        finally:
            os.close(fd)
        return _checked(data, key)

    def write(self, key: str, plan, warnings: list[str]) -> bool:
        """Store what `plan` (a fastcalc.Plan) was made from under `key`; False when the folder is
        not usable (nothing written)."""
        if not self._private(create=True):
            return False
        entry = {"format": FORMAT, "roi_xl": __version__, "python": _PYTHON, "key": key,
                 "sheets": list(plan.sheets),
                 "formulas": [[s, c, t] for (s, c), t in plan.formulas.items()],
                 "names": {n: list(target) for n, target in plan.names.items()},
                 "defined": list(plan.defined), "arrays": [list(a) for a in plan.arrays],
                 "iteration": None if plan.iteration is None else [plan.iteration.count,
                                                                   plan.iteration.delta],
                 "lambdas": dict(plan.lambdas),
                 "warnings": list(warnings)}
        try:
            with replacing(self._path(key)) as tmp:
                tmp.write_text(json.dumps(entry), encoding="utf-8")
                os.chmod(tmp, 0o600)
        except OSError:
            return False
        return True

    def _path(self, key: str) -> Path:
        digest = hashlib.sha256(f"{key}\0{__version__}\0{_PYTHON}".encode()).hexdigest()
        return self.folder / f"plan-{digest[:40]}.json"

    def _private(self, create: bool) -> bool:
        """Whether the folder is a real directory of this user's with no access for anyone else."""
        if create:
            try:
                self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError:
                return False
        try:
            info = os.lstat(self.folder)
        except OSError:
            return False
        return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() \
            and not info.st_mode & 0o077


def _checked(data, key: str) -> dict | None:
    """The entry's plan input when it is for `key` on this roi-xl and Python, every field well-typed."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key \
            or data.get("roi_xl") != __version__ or data.get("python") != _PYTHON:
        return None
    sheets, formulas, names, defined, arrays, warnings = (
        data.get(k) for k in ("sheets", "formulas", "names", "defined", "arrays", "warnings"))
    iteration, lambdas = data.get("iteration"), data.get("lambdas", {})
    if not (isinstance(lambdas, dict) and _strings(list(lambdas)) and _strings(list(lambdas.values()))):
        return None
    if not (_strings(sheets) and _strings(warnings) and _strings(defined)
            and _rows(formulas, 3) and _rows(arrays, 3) and isinstance(names, dict)
            and _rows(list(names.values()), 2)):
        return None
    if iteration is not None:  # iterative calculation: [count, maximum change]
        if not (isinstance(iteration, list) and len(iteration) == 2 and type(iteration[0]) is int
                and type(iteration[1]) in (int, float)):
            return None
        iteration = Iteration(*iteration)
    return {"sheets": sheets, "formulas": {(s, c): t for s, c, t in formulas},
            "names": {n: (s, r) for n, (s, r) in names.items()}, "defined": defined,
            "arrays": [(s, c, r) for s, c, r in arrays], "warnings": warnings, "iteration": iteration,
            "lambdas": lambdas}


def _rows(items, width: int) -> TypeGuard[list[list[str]]]:
    return isinstance(items, list) and all(isinstance(i, list) and len(i) == width and _strings(i)
                                           for i in items)


def _strings(items) -> TypeGuard[list[str]]:
    return isinstance(items, list) and all(isinstance(i, str) for i in items)
