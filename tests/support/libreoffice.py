"""LibreOffice headless as a second engine for the tests.

`recalc_with_libreoffice(paths, outdir)` recalculates many workbooks in ONE `soffice --convert-to xlsx`
call (start-up is about a second, each further file about 0.2 s) and returns, for each input path, every
formula cell's value keyed by its sheet-qualified address in Excel style (`Sheet1!B2`, `'My Sheet'!B2`).

LibreOffice does not recalculate xlsx files on load by default (`OOXMLRecalcMode` = 1, never), and
openpyxl-built workbooks hold no cached values at all, so the call runs with a private profile whose
`registrymodifications.xcu` sets the recalculation mode to 0 (always).

Values are float, str, bool or None; error values are their text ("#DIV/0!"); dates are serial numbers.
"""
from __future__ import annotations

import datetime as _dt
import re
import shutil
from pathlib import Path

import openpyxl
from openpyxl.utils.datetime import to_excel

from roi_xl.errors import OfficeError

# The product's own soffice helpers (roi_xl/office.py); the tests and bench import them from here.
from roi_xl.office import convert, find_soffice, run_in_group, write_profile  # noqa: F401

_PLAIN_SHEET = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def qualified(sheet: str, coordinate: str) -> str:
    """`Sheet1!B2`, or `'My Sheet'!B2` when the sheet name needs quotes (with any ' doubled)."""
    if _PLAIN_SHEET.match(sheet):
        return f"{sheet}!{coordinate}"
    return "'" + sheet.replace("'", "''") + "'!" + coordinate


def _plain(value: object) -> object:
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return float(to_excel(value))
    if isinstance(value, _dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400
    if isinstance(value, _dt.timedelta):
        return value.total_seconds() / 86400
    return str(value)


def formula_cells(path: Path) -> list[tuple[str, str]]:
    """(sheet, coordinate) of every formula cell of a workbook, in sheet then row order."""
    wb = openpyxl.load_workbook(path, data_only=False)
    try:
        found = []
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        found.append((ws.title, cell.coordinate))
        return found
    finally:
        wb.close()


def read_values(original: Path, recalculated: Path) -> dict[str, object]:
    """The value LibreOffice stored in `recalculated` for every formula cell of `original`."""
    wb = openpyxl.load_workbook(recalculated, data_only=True)
    try:
        values: dict[str, object] = {}
        for sheet, coordinate in formula_cells(original):
            cell = wb[sheet][coordinate]
            # A formula that returns "" is stored as t="str" with an empty <v>; openpyxl reads None.
            value = "" if cell.value is None and cell.data_type in ("s", "str") else cell.value
            values[qualified(sheet, coordinate)] = _plain(value)
        return values
    finally:
        wb.close()


def recalc_with_libreoffice(paths: list[Path], outdir: Path, *, soffice: str | None = None,
                            timeout: float = 300) -> dict[Path, dict[str, object]]:
    """Recalculate `paths` with LibreOffice in one batch; each input's formula-cell values by address.

    The recalculated copies are written under `outdir` (input files are never touched). Raises
    RuntimeError when soffice is missing or a file did not come back.
    """
    soffice = soffice or find_soffice()
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    paths = [Path(p) for p in paths]
    outdir = Path(outdir)
    if not paths:
        return {}
    staging = outdir / "_in"
    converted = outdir / "libreoffice"
    for d in (staging, converted):
        d.mkdir(parents=True, exist_ok=True)
    # Inputs are staged under unique names: soffice names its output after the input's stem, so two
    # inputs called book.xlsx in different folders would otherwise overwrite each other.
    staged = {}
    for i, path in enumerate(paths):
        target = staging / f"{i:04d}_{path.stem}{path.suffix}"
        shutil.copyfile(path, target)
        staged[path] = target
    try:
        returncode, stderr = convert(list(staged.values()), converted, "xlsx:Calc MS Excel 2007 XML",
                                     recalc=True, timeout=timeout, soffice=soffice)
    except OfficeError as exc:
        raise RuntimeError(f"{exc} for {len(paths)} file(s)") from None
    results: dict[Path, dict[str, object]] = {}
    missing = []
    for path, target in staged.items():
        out = converted / (target.stem + ".xlsx")
        if not out.exists():
            missing.append(path)
            continue
        results[path] = read_values(path, out)
    if missing:
        raise RuntimeError(f"LibreOffice did not convert {[str(m) for m in missing]} "
                           f"(exit {returncode}): {stderr.strip()[-2000:]}")
    return results
