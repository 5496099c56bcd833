"""How much the file checks (roi_xl.xlsx.guard) cost before a workbook is read.

    python bench/guard.py            # the shipped examples, and generated sheets of 10k-1M cells

Prints milliseconds per check (best of a few runs). The check streams each sheet's bytes once
(counting cells, measuring formulas) and reads the start of every other XML part.
"""
from __future__ import annotations

import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from roi_xl.errors import UnsafeWorkbook  # noqa: E402
from roi_xl.xlsx.guard import Limits, check  # noqa: E402


def _best(path: Path, limits: Limits, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        try:
            check(path, limits)
        except UnsafeWorkbook:
            pass
        best = min(best, time.perf_counter() - start)
    return best * 1000


def _sheet(path: Path, cells: int) -> Path:
    cols = "ABCDEFGHIJ"
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><f>{c}{r + 1}*2</f><v>1</v></c>'
                                              for c in cols) + "</row>" for r in range(1, cells // 10 + 1))
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxml'
                   'formats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{main}" xmlns:r="{rel}">'
                   '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://'
                   'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                   'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                   'Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?><worksheet xmlns="{main}">'
                   f'<sheetData>{rows}</sheetData></worksheet>')
    return path


def main() -> None:
    limits = Limits(max_cells=10**7)
    for path in sorted((ROOT / "workbook_templates").rglob("*.xlsx")):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1024:.0f} KB, {_best(path, limits):.2f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        for cells in (10_000, 100_000, 1_000_000):
            path = _sheet(Path(tmp) / f"s{cells}.xlsx", cells)
            print(f"{cells:,} formula cells: {_best(path, limits, 3):.1f} ms")


if __name__ == "__main__":
    main()
