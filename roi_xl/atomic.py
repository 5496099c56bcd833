"""Replace a file atomically: write beside it, flush to disk, then rename over it.

A reader never sees a half-written workbook or summary, and an interrupted write leaves the old file
(or none) plus no stray temporary file; one left by a process killed outright (its pid is in the
name) goes with the next write of the same file.
"""
from __future__ import annotations

import os
import re
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(dst: str | os.PathLike) -> Iterator[Path]:
    """Yield a new empty temporary path beside `dst`; on a clean exit it takes `dst`'s place (with
    `dst`'s permissions when it existed), on any exception it is removed. Close it before the exit."""
    dst = Path(dst)
    tmp = _reserve_beside(dst)
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDWR | getattr(os, "O_BINARY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.chmod(tmp, stat.S_IMODE(os.stat(dst).st_mode))
        except FileNotFoundError:
            pass
        os.replace(tmp, dst)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _reserve_beside(dst: Path) -> Path:
    _remove_orphans(dst)
    for _ in range(100):
        tmp = dst.with_name(f".{dst.name}.{os.getpid()}-{secrets.token_hex(6)}.tmp")
        try:
            # 0o666 through the umask, like any new file (mkstemp would give 0o600)
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {dst}")


def _remove_orphans(dst: Path) -> None:
    """Temporary files beside `dst` left by a process killed while writing it (its pid is gone)."""
    pattern = re.compile(re.escape(f".{dst.name}.") + r"(\d+)-[0-9a-f]{12}\.tmp")
    try:
        siblings = list(os.scandir(dst.parent))
    except OSError:
        return
    for entry in siblings:
        m = pattern.fullmatch(entry.name)
        if m and entry.is_file(follow_symlinks=False) and not pid_alive(int(m.group(1))):
            try:
                os.unlink(entry.path)
            except OSError:
                pass


def pid_alive(pid: int) -> bool:
    """Is process `pid` running (a process we may not signal counts as running)?"""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True
