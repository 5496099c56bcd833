"""The template and every example open in a real office suite: LibreOffice converts them to PDF."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from roi_xl.office import convert

ROOT = Path(__file__).resolve().parents[2]
WORKBOOKS = [ROOT / "workbook_templates" / "measurement_plan.xlsx",
             *sorted((ROOT / "workbook_templates" / "examples").glob("*.xlsx"))]

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def pdfs(soffice, tmp_path_factory) -> dict[Path, Path]:
    """Each workbook converted to PDF as it is (no recalculation) in one soffice call."""
    assert len(WORKBOOKS) >= 4
    out = tmp_path_factory.mktemp("pdf")
    returncode, stderr = convert(WORKBOOKS, out, "pdf", soffice=soffice)
    assert returncode == 0, stderr
    assert "Error" not in stderr, stderr
    return {book: out / (book.stem + ".pdf") for book in WORKBOOKS}


@pytest.mark.parametrize("book", WORKBOOKS, ids=lambda p: p.stem)
def test_converts_to_pdf(pdfs, book):
    pdf = pdfs[book]
    assert pdf.exists(), f"{book.name} did not convert"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000


@pytest.mark.parametrize("book", WORKBOOKS[1:], ids=lambda p: p.stem)
def test_examples_show_their_computed_summary(pdfs, book):
    """Without recalculating, LibreOffice prints the engine's cached Summary figures."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run([pdftotext, "-layout", str(pdfs[book]), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "ROI on hard value" in text and "Total cost" in text
    assert "#NAME?" not in text
    assert "UDF MODULES" not in text   # the add-in's settings sheet is not printed
