"""The download files of the site: CSV zip, xlsx, SQLite and the data package zip, byte for byte repeatable.

The tables are written by `dataset.export`'s functions (the same bytes `dataset export` gives);
zips get fixed timestamps and sorted entries, so two builds of one package are identical.
"""

from __future__ import annotations

import hashlib
import io
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..descriptor import Descriptor
from ..export import _ZIP_EPOCH, available_tables, build_sqlite, csv_text, xlsx_bytes

SUMS_NAME = "SHA256SUMS"


@dataclass(frozen=True)
class Download:
    """One file of the downloads page: its name, UI label key, size in bytes and sha256."""

    name: str
    label: str
    size: int
    sha256: str
    media_type: str


def deterministic_zip(entries: Mapping[str, bytes]) -> bytes:
    """A zip of ENTRIES (name -> bytes), sorted by name, every entry stamped 1980-01-01, mode 0644."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, whatever the building machine
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])
    return out.getvalue()


def csv_zip(frames: Mapping[str, pd.DataFrame], desc: Descriptor) -> bytes:
    """The tables as `<table>.csv`, written as `dataset export --format csv` writes them."""
    names = available_tables(frames, desc)
    return deterministic_zip({f"{n}.csv": csv_text(frames[n], desc.tables[n]).encode("utf-8") for n in names})


def sqlite_bytes(frames: Mapping[str, pd.DataFrame], desc: Descriptor) -> bytes:
    """The SQLite export (tables, link tables, full-text indexes), vacuumed; no timestamps inside."""
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "data.sqlite"
        conn = sqlite3.connect(file)
        try:
            build_sqlite(conn, frames, desc, available_tables(frames, desc))
            conn.execute("VACUUM")
        finally:
            conn.close()
        return file.read_bytes()


def package_files(desc: Descriptor, article_paths: Iterable[str]) -> list[str]:
    """The files of the data package, relative to its root: descriptor, tables, archived articles."""
    names = {desc.path.name} | {t.path for t in desc.tables.values()} | set(article_paths)
    return sorted(names)


def package_zip(desc: Descriptor, article_paths: Iterable[str]) -> bytes:
    """The data package as it is on disk (unchanged bytes), zipped, so `dataset validate` works on it."""
    root = Path(desc.root)
    return deterministic_zip(
        {name: (root / name).read_bytes() for name in package_files(desc, article_paths)}
    )


def write_downloads(
    frames: Mapping[str, pd.DataFrame], desc: Descriptor, article_paths: Iterable[str], folder: Path
) -> list[Download]:
    """Write the four files and SHA256SUMS into FOLDER; return what the downloads page lists."""
    stem = f"{desc.name}-{desc.version}"
    files = [
        (f"{stem}-csv.zip", "dl_csv", "application/zip", csv_zip(frames, desc)),
        (
            f"{stem}.xlsx",
            "dl_xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            xlsx_bytes(frames, desc, available_tables(frames, desc)),
        ),
        (f"{stem}.sqlite", "dl_sqlite", "application/vnd.sqlite3", sqlite_bytes(frames, desc)),
        (f"{stem}-datapackage.zip", "dl_package", "application/zip", package_zip(desc, article_paths)),
    ]
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, label, media_type, data in files:
        (folder / name).write_bytes(data)
        out.append(Download(name, label, len(data), hashlib.sha256(data).hexdigest(), media_type))
    sums = "".join(f"{d.sha256}  {d.name}\n" for d in sorted(out, key=lambda d: d.name))
    (folder / SUMS_NAME).write_text(sums, encoding="utf-8")
    return out
