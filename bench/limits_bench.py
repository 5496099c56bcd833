"""Issue 19's size targets: roi-xl against LibreOffice on workbooks at the size limits, side by side.

    python bench/limits_bench.py                  # writes the workbooks under --data, measures, prints a table
    python bench/limits_bench.py --skip-lo        # roi-xl only
    python bench/limits_bench.py --repeat 5       # each workload 5 times, roi-xl and LibreOffice alternating

Workbooks (written as raw XML, deterministic; LibreOffice and openpyxl read them):
  small        one sheet: A1 = 2, B1 = A1*2;
  empty rows   the same sheet listing all 1,048,576 rows, each empty one with a height (as a sheet
               formatted down to its last row is saved): the target is to cost no more than `small`;
  100k formulas  100,000 formula cells: sheet Calc holds 10,000 rows of 10 formulas, each reading its
               row of sheet Data (10,000 rows of 10 numbers): arithmetic, SUM, IF, ROUND, MAX, COUNTIF
               over the row, AVERAGE, ABS and MOD, MIN, a running total down the column;
  1M values    991,000 cells, just within the default 1,000,000: Data holds 99,000 rows of 10
               numbers, Calc 100 rows of those formulas.
               For both the target is less memory than LibreOffice needs and no more time, within
               roi-xl's default limits (and `--timeout 0`, which engine_bench's runner always sets).

Each engine runs as one command under /usr/bin/time -v (recalc_bench.timed; engine_bench.Runner: roi-xl
byte-compiled, cold, `--jobs 1`). With --repeat N each workload runs N times, the two engines
alternating (roi-xl, LibreOffice, roi-xl, ...) so both meet the same moments of a shared machine, and
the table shows each engine's median run by wall time (with the fastest and slowest). The big
workbook's values are compared between the two copies (engine_bench.compare: numbers within a relative
1e-9).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import zipfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from engine_bench import Runner, compare  # noqa: E402

from roi_xl.references import MAX_ROW, column_letters  # noqa: E402

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _package(path: Path, sheets: list[tuple[str, str]]) -> Path:
    """A minimal workbook of (name, sheetData XML) sheets."""
    types = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                    f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                    for i in range(1, len(sheets) + 1))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    '<Default Extension="xml" ContentType="application/xml"/>'
                    '<Override PartName="/xl/workbook.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' + types + "</Types>")
        zf.writestr("_rels/.rels",
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml",
                    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{_NS}" '
                    f'xmlns:r="{_REL}"><sheets>' + "".join(
                        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
                        for i, (name, _) in enumerate(sheets, 1)) + "</sheets></workbook>")
        zf.writestr("xl/_rels/workbook.xml.rels",
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + "".join(
                        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                        for i in range(1, len(sheets) + 1)) + "</Relationships>")
        for i, (_, data) in enumerate(sheets, 1):
            zf.writestr(f"xl/worksheets/sheet{i}.xml",
                        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_NS}">'
                        f'<sheetData>{data}</sheetData></worksheet>')
    return path


_FIRST_ROW = '<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*2</f></c></row>'


def small(path: Path) -> Path:
    return _package(path, [("S", _FIRST_ROW)])


def empty_rows(path: Path) -> Path:
    rows = "".join(f'<row r="{r}" ht="15" customHeight="1"/>' for r in range(2, MAX_ROW + 1))
    return _package(path, [("S", _FIRST_ROW + rows)])


# The formulas of Calc's row r, reading Data's row r (10 columns A:J).
_FORMULAS = ("Data!A{r}*2+Data!B{r}", "SUM(Data!A{r}:J{r})", "IF(Data!C{r}>500,Data!D{r},-Data!E{r})",
             "ROUND(Data!F{r}/7,2)", "MAX(Data!A{r}:J{r})", 'COUNTIF(Data!A{r}:J{r},"&gt;500")',
             "AVERAGE(Data!G{r}:J{r})", "ABS(Data!H{r}-Data!I{r})+MOD(Data!J{r},7)", "MIN(Data!A{r}:E{r})",
             "B{r}+IF({above}=0,0,{above})")


def formulas_over_rows(path: Path, formula_rows: int, data_rows: int) -> Path:
    data = []
    for r in range(1, data_rows + 1):
        cells = "".join(f'<c r="{column_letters(c)}{r}"><v>{(r * 37 + c * 101) % 1000}</v></c>' for c in range(1, 11))
        data.append(f'<row r="{r}">{cells}</row>')
    calc = []
    for r in range(1, formula_rows + 1):
        above = f"J{r - 1}" if r > 1 else "0"
        cells = "".join(f'<c r="{column_letters(c)}{r}"><f>{text.format(r=r, above=above)}</f></c>'
                        for c, text in enumerate(_FORMULAS, 1))
        calc.append(f'<row r="{r}">{cells}</row>')
    return _package(path, [("Data", "".join(data)), ("Calc", "".join(calc))])


def _measured(r: dict) -> str:
    if "seconds" not in r:
        return r.get("skipped") or r.get("failed", "")
    spread = f" ({r['fastest']:.2f}-{r['slowest']:.2f})" if r.get("runs", 1) > 1 else ""
    return f"{r['seconds']:.2f}{spread} / {r['cpu_seconds']:.2f} / {r['peak_mb']:.0f}"


def median_run(runs: list[dict]) -> dict:
    """The run of median wall time among `runs` (the slower middle one of an even count), with the
    fastest and slowest wall times and the count; a failed or skipped run is returned as it is."""
    for r in runs:
        if "seconds" not in r:
            return r
    ordered = sorted(runs, key=lambda r: r["seconds"])
    return {**ordered[len(ordered) // 2], "runs": len(runs), "fastest": ordered[0]["seconds"],
            "slowest": ordered[-1]["seconds"]}


def _ratio(a: dict, b: dict, key: str) -> str:
    return f"{a[key] / b[key]:.2f}" if key in a and key in b and b[key] else ""


def table(rows: list[dict]) -> str:
    lines = ["| workload | file MB | roi-xl s (range) / CPU s / MB | LibreOffice s (range) / CPU s / MB "
             "| roi ÷ LO wall | roi ÷ LO peak | values differ |", "|---|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        roi, lo, values = row["roi"], row["lo"], row.get("values", {})
        lines.append(f"| {row['workload']} | {row['file_mb']} | {_measured(roi)} | {_measured(lo)} | "
                     f"{_ratio(roi, lo, 'seconds')} | {_ratio(roi, lo, 'peak_mb')} | "
                     f"{values.get('differ', '')} of {values.get('cells', '')} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "roi-limits"))
    ap.add_argument("--skip-lo", action="store_true")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each engine on each workload, alternating")
    ap.add_argument("--json", default=str(BENCH / "limits_results.json"))
    args = ap.parse_args(argv)
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    books = {"small": small(data / "small.xlsx"), "empty rows": empty_rows(data / "empty_rows.xlsx"),
             "100k formulas": formulas_over_rows(data / "formulas_100k.xlsx", 10_000, 10_000),
             "1M values": formulas_over_rows(data / "values_1m.xlsx", 100, 99_000)}
    run = Runner(data / "work", args.timeout, {"lo"} if args.skip_lo else set())
    rows = []
    for label, path in books.items():
        roi_runs, lo_runs = [], []
        for _ in range(max(args.repeat, 1)):
            roi_runs.append(run.run("roi", [path], label))
            lo_runs.append(run.run("lo", [path], label))
        roi, lo = median_run(roi_runs), median_run(lo_runs)
        row = {"workload": label, "file_mb": round(path.stat().st_size / 1e6, 1), "roi": roi, "lo": lo}
        if "out" in roi and "out" in lo:
            row["values"] = compare(path, Path(roi["out"]) / path.name, Path(lo["out"]) / path.name)
        rows.append(row)
    Path(args.json).write_text(json.dumps(rows, indent=1, default=str) + "\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
