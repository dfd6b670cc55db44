"""Print the xlsx export the way a reader would: LibreOffice headless to PDF, then PNG pages to look at.

    python bench/xlsx_print.py [PACKAGE] [-o OUTDIR] [--dpi 80]      (OUTDIR: $TMPDIR/xlsx-print)

Writes OUTDIR/crisis.xlsx, OUTDIR/crisis.pdf and OUTDIR/crisis-NN.png (one per page) and prints
the page count. Needs LibreOffice (`apt-get install libreoffice-calc-nogui`) and poppler
(`apt-get install poppler-utils`, for pdfinfo/pdftoppm). tests/test_xlsx_print.py uses `to_pdf`.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

#: LibreOffice's command names, in the order tried.
SOFFICE = ("soffice", "libreoffice")


def soffice() -> str | None:
    """The LibreOffice executable on PATH, or None."""
    return next((found for name in SOFFICE if (found := shutil.which(name))), None)


def to_pdf(xlsx: Path, outdir: Path, timeout: float = 180) -> Path:
    """Convert XLSX to OUTDIR/<stem>.pdf with headless LibreOffice (its own throwaway profile)."""
    program = soffice()
    if program is None:
        raise FileNotFoundError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [
                program,
                "--headless",
                "--norestore",
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(xlsx),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    pdf = outdir / f"{xlsx.stem}.pdf"
    if not pdf.is_file():
        raise RuntimeError(f"LibreOffice wrote no {pdf}")
    return pdf


def page_count(pdf: Path) -> int:
    """Pages of PDF, as poppler's pdfinfo reads them."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"pdfinfo gave no page count for {pdf}")
    return int(match.group(1))


def to_png(pdf: Path, outdir: Path, dpi: int = 80) -> list[Path]:
    """Render every page of PDF to OUTDIR/<stem>-NN.png (poppler's pdftoppm)."""
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(outdir / pdf.stem)], check=True)
    return sorted(outdir.glob(f"{pdf.stem}-*.png"))


def main() -> None:
    from dataset.api import load
    from dataset.descriptor import read_descriptor
    from dataset.export import export

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", nargs="?", help="package folder (default: the bundled one)")
    parser.add_argument("-o", "--outdir", type=Path, default=Path(tempfile.gettempdir()) / "xlsx-print")
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    xlsx = args.outdir / "crisis.xlsx"
    export(load(args.package), "xlsx", xlsx, descriptor=read_descriptor(args.package))
    pdf = to_pdf(xlsx, args.outdir)
    pages = to_png(pdf, args.outdir, args.dpi)
    print(f"{pdf}: {page_count(pdf)} pages; {len(pages)} PNGs in {args.outdir}")


if __name__ == "__main__":
    main()
