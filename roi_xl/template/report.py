"""`roi-xl report INPUT... --out DIR`: each plan printed to a PDF, Summary first.

Each workbook is recalculated by roi-xl's engine into a private folder (so the figures printed are
the plan's current ones; `--no-recalc` prints the values it carries, e.g. Excel's), made into a
print copy (roi_xl.template.printing: only what was filled in, Summary first), and all copies go
to LibreOffice headless in one run with a private profile (roi_xl.office), which the command
starts and which ends with it. `--png` adds a picture of the Summary page (pdftoppm).

Inputs are only read. A file that fails gets one line naming it and the cause, and the others go
on; the exit code is 0 only when every file gave its PDF (1 otherwise, 2 for a usage error).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

PNG_RESOLUTION = 110   # dots per inch of the Summary picture: an A4 landscape page ~1290 px wide


def add_report_parser(sub) -> None:
    from ..arg_types import number

    p = sub.add_parser(
        "report", help="print measurement plans to PDF (Summary first), for managers",
        description="Print each measurement plan to DIR/<name>.pdf: the Summary, then the plan's "
                    "sheets with only the rows filled in. Needs LibreOffice (soffice), which is "
                    "started and stopped by the command.")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="plan workbooks, folders or globs")
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder for the PDFs")
    p.add_argument("--png", action="store_true",
                   help="also DIR/<name>.png: the Summary page as a picture (needs pdftoppm, "
                        "from poppler-utils)")
    p.add_argument("--no-recalc", action="store_true",
                   help="print the values the workbooks carry (e.g. computed in Excel) instead of "
                        "recalculating them first")
    p.add_argument("--timeout", type=number, default=300, metavar="SECONDS",
                   help="time LibreOffice may take for all the files (default 300)")
    p.add_argument("--debug", action="store_true", help="show tracebacks of unexpected failures")
    p.set_defaults(run=_cmd_report)


def _cmd_report(args: argparse.Namespace) -> int:
    return report(args.inputs, args.out, png=args.png, recalc=not args.no_recalc,
                  timeout=args.timeout, debug=args.debug)


def _fail(path, cause: str) -> None:
    """The one line a file that failed gets: `path: cause`."""
    from ..batch.report import printable

    print(printable(f"{path}: {cause}"), file=sys.stderr)


def report(inputs: list[str], out_dir: Path, *, png: bool = False, recalc: bool = True,
           timeout: float = 300, debug: bool = False) -> int:
    """Print each plan of `inputs` to `out_dir`/<name>.pdf; the exit code (see the module)."""
    from ..batch.files import find_workbooks
    from ..batch.report import printable
    from ..errors import InputError, OfficeError
    from ..office import convert

    out_dir = Path(out_dir)
    try:
        paths = find_workbooks(inputs, exclude=out_dir)
        if not paths:
            raise InputError("no .xlsx or .xlsm workbook in " + ", ".join(inputs))
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{out_dir}: cannot make the output folder "
                             f"({exc.strerror or exc})") from None
    except InputError as exc:
        print(printable(f"roi-xl report: {exc}"), file=sys.stderr)
        return 2
    failed = False
    with tempfile.TemporaryDirectory(prefix="roi-xl-report-") as tmp:
        staged = _stage(paths, Path(tmp), recalc, debug)
        failed |= len(staged) < len(paths)
        if not staged:
            return 1
        pdfs = Path(tmp) / "pdf"
        try:
            returncode, stderr = convert(list(staged.values()), pdfs, "pdf", timeout=timeout)
        except OfficeError as exc:
            for path in staged:
                _fail(path, str(exc))
            return 1
        for path, copy in staged.items():
            pdf = pdfs / (copy.stem + ".pdf")
            if not pdf.is_file():
                # soffice's own words when it gave any ("Error: source file could not be
                # loaded"), not its warnings about Java
                said = [line for line in stderr.splitlines() if "error" in line.lower()]
                cause = said[-1].strip() if said else f"exit code {returncode}"
                _fail(path, f"LibreOffice did not print it ({cause})")
                failed = True
            else:
                failed |= not _deliver(path, pdf, out_dir, png)
    return 1 if failed else 0


def _deliver(path: Path, pdf: Path, out_dir: Path, png: bool) -> bool:
    """Put `path`'s printed `pdf` (and with `png` its Summary picture) in `out_dir`; say so."""
    from ..atomic import replacing
    from ..batch.report import printable

    target = out_dir / (path.stem + ".pdf")
    try:
        with replacing(target) as tmp:  # a reader never sees half a PDF
            shutil.copyfile(pdf, tmp)
    except OSError as exc:
        _fail(path, f"cannot write {target} ({exc.strerror or exc})")
        return False
    line = f"{path} -> {target}"
    if png:
        picture, error = summary_png(target)
        if error:
            _fail(path, error)
            return False
        line += f", {picture}"
    print(printable(line))
    return True


def _stage(paths: list[Path], tmp: Path, recalc: bool, debug: bool) -> dict[Path, Path]:
    """Each plan's print copy under `tmp`, named uniquely; a failing file gets its line."""
    from ..batch.work import Options, process
    from ..engine import ModelCache
    from ..errors import first_line
    from ..xlsx.guard import check
    from .printing import print_copy

    cache, staged, names = ModelCache(), {}, set()
    for i, path in enumerate(paths):
        if path.stem.casefold() in names:  # both would print to the same DIR/<name>.pdf
            _fail(path, f"another input is also called {path.stem}: rename one")
            continue
        computed = tmp / f"{i:04d}-computed{path.suffix}"
        try:
            if recalc:
                result = process(path, computed, cache, Options(debug=debug))
                if not result.ok:
                    _fail(path, result.error)
                    if result.traceback:
                        print(result.traceback, file=sys.stderr)
                    continue
            else:
                check(path)
                shutil.copyfile(path, computed)
            # soffice names its output after the input's stem: unique names for same-named inputs
            staged[path] = print_copy(computed, tmp / f"{i:04d}-{path.stem}.xlsx")
            names.add(path.stem.casefold())
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
            _fail(path, first_line(exc))
            if debug:
                traceback.print_exc()
    return staged


def summary_png(pdf: Path) -> tuple[Path | None, str]:
    """The PDF's first page (the Summary) as <pdf stem>.png beside it; (path, "") or (None, why)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return None, "--png needs pdftoppm, which is not installed (Debian/Ubuntu: poppler-utils)"
    stem = pdf.parent / pdf.stem
    proc = subprocess.run([pdftoppm, "-f", "1", "-l", "1", "-singlefile", "-r",
                           str(PNG_RESOLUTION), "-png", str(pdf), str(stem)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    picture = pdf.parent / (pdf.stem + ".png")
    if proc.returncode != 0 or not picture.is_file():
        return None, f"pdftoppm could not draw the Summary page ({proc.stderr.strip() or proc.returncode})"
    return picture, ""
