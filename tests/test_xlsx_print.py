"""The xlsx export printed by LibreOffice headless: landscape pages, header repeated, text big enough.

LibreOffice and poppler come from Debian (`apt-get install libreoffice-calc-nogui poppler-utils`);
without them the test is skipped and says so. `python bench/xlsx_print.py` renders the same
PDF to PNG pages for a look.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import openpyxl
import pytest

from dataset import export as ex

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _bench() -> ModuleType:
    path = REPO / "bench" / "xlsx_print.py"
    if not path.is_file():
        pytest.skip("bench/ is not in this tree (an sdist carries only the package and its tests)")
    spec = importlib.util.spec_from_file_location("bench_xlsx_print", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_xlsx_print"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def printed(frames, desc, tmp_path_factory) -> tuple[Path, Path]:
    """The workbook and the PDF LibreOffice prints from it."""
    bench = _bench()
    if bench.soffice() is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("poppler is not installed (apt-get install poppler-utils)")
    out = tmp_path_factory.mktemp("print")
    xlsx = out / "crisis.xlsx"
    ex.export(frames, "xlsx", xlsx, descriptor=desc)
    return xlsx, bench.to_pdf(xlsx, out)


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    return [page for page in text.stdout.split("\f") if page.strip()]


def test_every_page_is_landscape_and_repeats_the_header(printed) -> None:
    """Every page is landscape; every page after About starts with a header row naming several columns."""
    xlsx, pdf = printed
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True
    ).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"size:\s+([\d.]+) x ([\d.]+) pts", info)]
    assert sizes and all(w > h for w, h in sizes)
    sheets = openpyxl.load_workbook(xlsx).worksheets[1:]
    headers = {c.value for ws in sheets for c in ws[1]}
    firsts = {ws[1][0].value for ws in sheets}  # each sheet's first column: id, or kind for Status
    pages = page_texts(pdf)
    assert len(pages) == len(sizes)
    for number, page in enumerate(pages[1:], start=2):
        first = page.strip().splitlines()[0].split()
        assert first[0] in firsts, f"page {number} does not start with the header: {first}"
        assert len([w for w in first if w in headers]) >= 3, f"page {number} shows fewer than 3 columns"


def test_pages_are_few_and_text_is_readable(printed, expected_rows) -> None:
    """Fewer pages than data rows (the old export gave one column per page), and text at least 6 pt high."""
    _, pdf = printed
    assert len(page_texts(pdf)) < expected_rows
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True)
    heights = [
        float(y1) - float(y0)
        for y0, y1 in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', boxes.stdout)
    ]
    assert heights and statistics.median(heights) >= 6.0


@pytest.fixture(scope="module")
def expected_rows(repo_root: Path, desc) -> int:
    """Data rows of all tables, counted in the CSV files."""
    return sum(
        len((repo_root / t.path).read_text(encoding="utf-8").strip().splitlines()) - 1
        for t in desc.tables.values()
    )
