"""LibreOffice headless: find it, and run one conversion with a private profile.

`roi-xl report` prints workbooks to PDF with it, the tests use it as a second engine. Each run
gets its own user profile (`-env:UserInstallation`), so it never waits on, or disturbs, a
LibreOffice the user has open, and the whole process tree is ended when time runs out.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .errors import OfficeError

# OOXMLRecalcMode / ODFRecalcMode: 0 recalculates every file on load, 1 never does.
_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>{mode}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">\
<value>{mode}</value></prop></item>
</oor:items>
"""


def find_soffice() -> str | None:
    """The soffice (or libreoffice) command, or None when LibreOffice is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def write_profile(profile: Path, recalc: bool = True) -> Path:
    """A LibreOffice user profile that recalculates every xlsx/ods file on load (or, with
    `recalc=False`, none: the values the file carries are shown, as Excel shows them)."""
    user = Path(profile) / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_XCU.format(mode=0 if recalc else 1),
                                                    encoding="utf-8")
    return Path(profile)


def run_in_group(cmd: list[str], timeout: float, **popen) -> tuple[int, str]:
    """Run `cmd` in its own process group; its exit code and stderr. Past `timeout` the whole tree
    (for soffice: oosplash and soffice.bin, not just the launcher) is ended and TimeoutExpired raised."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            text=True, start_new_session=True, **popen)
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    return proc.returncode, stderr


def convert(paths: Sequence[Path], outdir: Path, target: str, *, recalc: bool = False,
            timeout: float = 300, soffice: str | None = None) -> tuple[int, str]:
    """Convert `paths` with one soffice run into `outdir` (each output named after its input's
    stem, e.g. `--convert-to pdf`); soffice's exit code and stderr. A file that did not convert
    simply has no output. Raises OfficeError when soffice is missing or runs out of time."""
    soffice = soffice or find_soffice()
    if soffice is None:
        raise OfficeError("LibreOffice (soffice) is not installed: install it to print workbooks "
                          "(Debian/Ubuntu: apt-get install libreoffice-calc)")
    with tempfile.TemporaryDirectory(prefix="roi-xl-lo-profile-") as profile:
        write_profile(Path(profile), recalc=recalc)
        cmd = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
               "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
               "--convert-to", target, "--outdir", str(outdir), *map(str, paths)]
        env = dict(os.environ, SAL_USE_VCLPLUGIN="svp", HOME=profile)
        try:
            return run_in_group(cmd, timeout, env=env)
        except subprocess.TimeoutExpired:
            raise OfficeError(f"LibreOffice took more than {timeout:g} s") from None
        except OSError as exc:
            raise OfficeError(f"LibreOffice could not start: {exc.strerror or exc}") from None
