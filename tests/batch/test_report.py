"""`roi-xl report`: each plan printed to a PDF by LibreOffice, read back as a manager reads it.

One run of the command (one LibreOffice conversion) serves the module: the three examples, a plan
a user filled in from the empty template with five KPIs, a text file and a workbook that is not a
plan. The figures looked for in the PDFs are the hand totals of tests/template/test_examples.py; the bars
counted on the rendered Summary come from the statuses worked out here from the KPI table.
"""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from PIL import Image

from roi_xl.template import spec
from roi_xl.template.examples import EXAMPLES

from tests.support.example_figures import HAND

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = ROOT / "workbook_templates" / "examples"
SYMBOL = {"EUR": "€", "USD": "$", "GBP": "£"}
FIVE = "five_kpis"

LIBREOFFICE = pytest.mark.libreoffice


def _fill_template(path: Path, plan, kpis: int) -> Path:
    """The empty template filled as a user would (cells typed in; its KPI chart still covers all
    50 rows): `plan`'s tables, with its first `kpis` KPIs."""
    wb = openpyxl.load_workbook(ROOT / "workbook_templates" / "measurement_plan.xlsx")
    for name, rows in plan.tables.items():
        table = spec.TABLES[name]
        keys = [c.key for c in table.columns]
        for i, row in enumerate(rows[:kpis] if table is spec.KPIS else rows):
            for key, value in row.items():
                wb[table.sheet].cell(row=table.first_row + i, column=table.first_col + keys.index(key),
                                     value=value)
    for field in (*spec.START_FIELDS, *spec.SUMMARY_FIELDS):
        if field.key in plan.fields and field.kind == spec.INPUT:
            sheet = "Start" if field in spec.START_FIELDS else "Summary"
            wb[sheet].cell(row=field.row, column=2, value=plan.fields[field.key])
    wb.save(path)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def run(tmp_path_factory, soffice):
    if shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
        pytest.skip("pdftotext/pdftoppm (poppler-utils) are not installed")
    inputs = tmp_path_factory.mktemp("inputs")
    for book in EXAMPLES_DIR.glob("*.xlsx"):
        shutil.copyfile(book, inputs / book.name)
    _fill_template(inputs / f"{FIVE}.xlsx", EXAMPLES["health_clinic"], kpis=5)
    (inputs / "notes.xlsx").write_text("client,cost\nA,1\n")
    plain = openpyxl.Workbook()
    plain.active["A1"] = 1
    plain.save(inputs / "plain.xlsx")
    before = {p.name: _digest(p) for p in inputs.iterdir()}
    out = tmp_path_factory.mktemp("out")
    proc = subprocess.run([sys.executable, "-m", "roi_xl.cli", "report", str(inputs), "--out",
                           str(out), "--png"], capture_output=True, text=True, timeout=600)
    after = {p.name: _digest(p) for p in inputs.iterdir()}
    return {"proc": proc, "inputs": inputs, "out": out, "unchanged": before == after}


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]   # pdftotext ends every page with a form feed


def _page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def _furniture() -> set[str]:
    """Every word of the template's own text: titles, intros, section and column headers."""
    texts = [t for s in spec.SHEETS for t in (s.title, s.intro)]
    texts += [t.title for t in spec.LIST_TABLES] + [c.header for t in spec.LIST_TABLES for c in t.columns]
    return {w.lower() for text in texts for w in re.findall(r"\w+", text)}


@LIBREOFFICE
def test_each_bad_file_gets_one_line_and_the_batch_goes_on(run):
    proc = run["proc"]
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2, proc.stderr
    assert any(line.startswith(str(run["inputs"] / "notes.xlsx") + ": not an Excel workbook")
               for line in lines)
    assert any(line.startswith(str(run["inputs"] / "plain.xlsx") + ": not a measurement plan")
               for line in lines)
    made = sorted(p.name for p in run["out"].iterdir())
    names = [*sorted(EXAMPLES), FIVE]
    assert made == sorted([f"{n}.pdf" for n in names] + [f"{n}.png" for n in names])
    assert run["unchanged"]           # nothing the user gave is written to


@LIBREOFFICE
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_summary_comes_first_with_the_hand_worked_figures(run, name):
    hand = HAND[name]
    first = _pages(run["out"] / f"{name}.pdf")[0]
    assert first.lstrip().startswith("Summary")
    symbol = SYMBOL[hand["Currency"]]
    assert hand["Client"] in first
    for key in ("TotalCost", "HardValue", "TotalValue"):
        assert f"{symbol}{hand[key]:,.2f}" in first, key
    for key in ("ROI", "ROITotal", "RONI", "KPIScore"):
        assert f"{hand[key] * 100:.1f}%" in first, key
    assert f"{hand['Payback']:.2f}" in first
    for kpi in EXAMPLES[name].tables["tblKPIs"]:   # the chart names every filled KPI
        assert re.search(rf"\b{kpi['id']}\b", first), kpi["id"]


@LIBREOFFICE
@pytest.mark.parametrize("name", [*sorted(EXAMPLES), FIVE])
def test_a_compact_report_with_no_empty_page(run, name):
    """Summary, Start, the eight plan sheets that have rows and the glossary: ten or eleven pages
    (the printed plans were 15), each with something beyond the template's own headers."""
    pdf = run["out"] / f"{name}.pdf"
    pages = _pages(pdf)
    assert len(pages) == _page_count(pdf)
    assert 10 <= len(pages) <= 11, len(pages)
    furniture = _furniture()
    for number, page in enumerate(pages, start=1):
        words = {w.lower() for w in re.findall(r"\w+", page)}
        assert words - furniture, f"page {number} holds only headers"
    text = "\n".join(pages)
    assert "UDF MODULES" not in text and "#N/A" not in text   # hidden: settings, chart data
    assert "seed" not in text.lower()
    assert "Glossary" in pages[-1] and "RONI" in pages[-1]


def _bars(png: Path) -> dict[str, list[int]]:
    """The KPI chart's bars on the rendered Summary (its lower right chart): for each status
    colour, the widths in pixels of the runs of columns holding a tall stretch of that colour
    (a legend swatch is a few pixels tall; the dashed target line crosses bars, not columns)."""
    pixels = np.asarray(Image.open(png).convert("RGB")).astype(int)
    height, width, _ = pixels.shape
    pixels = pixels[int(height * 0.6):, width // 2:]
    bars = {}
    for header, _, colour in spec.CHART_COLUMNS[1:-1]:
        rgb = np.array([int(colour[i:i + 2], 16) for i in (0, 2, 4)])
        tall = (np.abs(pixels - rgb).sum(axis=2) < 30).sum(axis=0) >= 12
        edges = np.flatnonzero(np.diff(np.concatenate(([0], tall.astype(int), [0]))))
        bars[header.split(":")[0]] = [int(b - a) for a, b in zip(edges[::2], edges[1::2])]
    return bars


@LIBREOFFICE
@pytest.mark.parametrize("name", [*sorted(EXAMPLES), FIVE])
def test_rendered_chart_has_a_bar_per_kpi_in_its_status_colour(run, name):
    """Bars counted on the PNG of the Summary against the statuses worked out here from the KPIs'
    actual, target, direction and baseline and the default thresholds (90%, 100%)."""
    plan = EXAMPLES["health_clinic" if name == FIVE else name]
    kpis = plan.tables["tblKPIs"][:5] if name == FIVE else plan.tables["tblKPIs"]
    counts = {"GREEN": 0, "AMBER": 0, "RED": 0}
    for row in kpis:
        if "baseline" in row:
            att = (row["actual"] - row["baseline"]) / (row["target"] - row["baseline"])
        elif row.get("direction") == "lower":
            att = row["target"] / row["actual"]
        else:
            att = row["actual"] / row["target"]
        counts["GREEN" if att >= 1 else "AMBER" if att >= 0.9 else "RED"] += 1
    png = run["out"] / f"{name}.png"
    image_width = Image.open(png).width
    bars = _bars(png)
    assert {status: len(widths) for status, widths in bars.items()} == counts
    # as wide as a chart of its own KPIs draws them, not the fiftieth of a chart of 50 slots
    assert min(w for widths in bars.values() for w in widths) > image_width / 60


@LIBREOFFICE
def test_png_is_the_summary_page(run):
    png = run["out"] / "retail_ecommerce.png"
    with Image.open(png) as image:
        assert image.format == "PNG" and image.width > image.height   # A4 landscape


def test_without_libreoffice_each_file_says_so(tmp_path, monkeypatch, capsys):
    from roi_xl.template.report import report

    monkeypatch.setattr("roi_xl.office.find_soffice", lambda: None)
    book = EXAMPLES_DIR / "health_clinic.xlsx"
    assert report([str(book)], tmp_path / "out") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{book}: LibreOffice (soffice) is not installed")
    assert not list((tmp_path / "out").iterdir())


def test_a_conversion_that_fails_names_the_file(tmp_path, monkeypatch, capsys):
    from roi_xl.template.report import report

    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr("roi_xl.office.find_soffice", lambda: str(fake))
    book = EXAMPLES_DIR / "retail_ecommerce.xlsx"
    again = tmp_path / "again"
    again.mkdir()
    shutil.copyfile(book, again / book.name)   # the same name twice: one PDF each cannot be
    assert report([str(book), str(again / book.name)], tmp_path / "out") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"{again / book.name}: another input is also called retail_ecommerce: rename one",
                   f"{book}: LibreOffice did not print it (Error: source file could not be loaded)"]


def test_print_copy_shows_only_what_was_filled_summary_first(tmp_path):
    """Without LibreOffice: the print copy of an example, read back with openpyxl."""
    from roi_xl.template.printing import print_copy

    source = EXAMPLES_DIR / "retail_ecommerce.xlsx"
    plan = EXAMPLES["retail_ecommerce"]
    before = _digest(source)
    copy = openpyxl.load_workbook(print_copy(source, tmp_path / "copy.xlsx"), data_only=True)
    original = openpyxl.load_workbook(source, data_only=True)
    assert copy.sheetnames == ["Summary"] + [n for n in original.sheetnames if n != "Summary"]
    for ws in original.worksheets:   # print areas and titles stay with their sheets
        assert copy[ws.title].print_area == ws.print_area
        assert copy[ws.title].print_title_rows == ws.print_title_rows
    assert copy["Summary"]["B20"].value == original["Summary"]["B20"].value == 79834  # computed
    kpis = len(plan.tables["tblKPIs"])
    hidden = {r for r, d in copy["KPIs"].row_dimensions.items() if d.hidden}
    assert hidden == set(range(spec.KPIS.first_row + kpis, spec.KPIS.last_row + 1))
    hidden = {r for r, d in copy["Chart data"].row_dimensions.items() if d.hidden}
    assert hidden == set(range(2 + kpis, 52))
    # Value: the pipeline stages table (8) is empty in this plan: hidden with its title
    value = copy["Value"]
    assert "tblPipeline" not in plan.tables
    title_row = spec.PIPELINE.header_row - 1
    assert value.row_dimensions[title_row].hidden and value.row_dimensions[spec.PIPELINE.header_row].hidden
    assert not value.row_dimensions[spec.REVENUE.header_row].hidden
    shown = [r for r in range(spec.REVENUE.first_row, spec.REVENUE.last_row + 1)
             if not value.row_dimensions[r].hidden]
    assert len(shown) == len(plan.tables["tblRevenue"])
    assert _digest(source) == before


def test_print_copy_of_a_workbook_that_is_not_a_plan(tmp_path):
    from roi_xl.errors import NotAPlan
    from roi_xl.template.printing import print_copy

    book = openpyxl.Workbook()
    book.save(tmp_path / "plain.xlsx")
    with pytest.raises(NotAPlan, match="no Summary sheet"):
        print_copy(tmp_path / "plain.xlsx", tmp_path / "copy.xlsx")


def _fake_soffice(folder: Path) -> Path:
    """A stand-in for soffice that 'prints' each file it is given to <outdir>/<stem>.pdf."""
    fake = folder / "soffice"
    fake.write_text("#!/bin/sh\nwhile [ $# -gt 0 ]; do\n  case $1 in\n"
                    "    --outdir) out=$2; shift 2;;\n"
                    "    *.xlsx) mkdir -p \"$out\"; name=$(basename \"$1\" .xlsx); "
                    "printf '%%PDF-1.4 fake' > \"$out/$name.pdf\"; shift;;\n"
                    "    *) shift;;\n  esac\ndone\n")
    fake.chmod(0o755)
    return fake


def test_no_recalc_prints_the_values_carried_and_png_needs_pdftoppm(tmp_path, monkeypatch, capsys):
    """--no-recalc still refuses what is not a workbook; without pdftoppm --png says so, and the
    PDF is delivered all the same."""
    from roi_xl.template.report import report

    monkeypatch.setattr("roi_xl.office.find_soffice", lambda: str(_fake_soffice(tmp_path)))
    monkeypatch.setattr("roi_xl.template.report.shutil.which", lambda name: None)
    notes = tmp_path / "notes.xlsx"
    notes.write_text("client,cost\n")
    book = EXAMPLES_DIR / "b2b_software.xlsx"
    out = tmp_path / "out"
    assert report([str(book), str(notes)], out, png=True, recalc=False) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and err[0].startswith(f"{notes}: not an Excel workbook: a text file")
    assert err[1:] == [f"{book}: --png needs pdftoppm, which is not installed (Debian/Ubuntu: poppler-utils)"]
    assert (out / "b2b_software.pdf").read_bytes().startswith(b"%PDF")
