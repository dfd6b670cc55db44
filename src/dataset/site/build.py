"""`build_site`: the whole static site of a package, written to a fresh folder in one step."""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from ..descriptor import read_descriptor
from ..errors import DatasetError
from .downloads import write_downloads
from .meta import cff_of, dataset_jsonld, page_meta
from .model import build_model
from .pages import render_pages

#: A file every built site holds: a folder with it may be replaced by the next build.
MARKER = ".dataset-site"


class SiteError(DatasetError):
    """The site cannot be written where asked (a folder that is not a previous build)."""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _copy_static(out: Path) -> None:
    folder = resources.files("dataset.site") / "static"
    target = out / "static"
    target.mkdir(parents=True, exist_ok=True)
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.is_file() and not item.name.startswith("."):
            (target / item.name).write_bytes(item.read_bytes())


def check_output(output: Path) -> None:
    """Refuse a folder that holds anything but a previous build: nothing of the user's is replaced."""
    if output.is_symlink():
        raise SiteError(f"{output}: is a symbolic link; give the folder itself")
    if output.exists() and not output.is_dir():
        raise SiteError(f"{output}: exists and is not a folder; choose a folder name for the site")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise SiteError(
            f"{output}: the folder is not empty and was not written by `dataset site`; "
            "choose a new or empty folder"
        )


def _move_into(built: Path, out: Path) -> None:
    """The finished build in BUILT becomes OUT: renamed when OUT is new, else moved in file by file.

    OUT, when it exists, is empty or a previous build (`check_output`); its old contents go
    first. Moving into the folder (not replacing it) keeps a folder that is the working
    directory, as `-o .` names it.
    """
    if not out.exists():
        built.rename(out)
        return
    for old in sorted(out.iterdir()):
        shutil.rmtree(old) if old.is_dir() and not old.is_symlink() else old.unlink()
    for new in sorted(built.iterdir()):
        new.rename(out / new.name)
    built.rmdir()


def build_site(
    path: str | os.PathLike[str] | None, output: str | os.PathLike[str], *, base_url: str = ""
) -> Path:
    """Write the bilingual site of the package at PATH (None = the bundled one) into OUTPUT.

    The package is validated first (`dataset.load`). The site is built in a temporary folder
    beside OUTPUT and then moved into place, so a failed build leaves OUTPUT as it was.
    BASE_URL, where the site will be published, makes the JSON-LD download links absolute.
    """
    from ..api import load

    out = Path(output).absolute()  # "." has no name to build a temporary folder beside
    check_output(out)
    frames = load(path)
    desc = read_descriptor(path)
    model = build_model(frames, desc)
    cff = cff_of(desc)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        articles = [s.row["path"] for s in model.sources.values()]
        downloads = write_downloads(frames, desc, articles, tmp / "downloads")
        common = {
            "meta": page_meta(desc, cff),
            "downloads": downloads,
            "jsonld": dataset_jsonld(desc, cff, downloads, base_url),
        }
        _copy_static(tmp)
        render_pages(model, tmp, common, _write)
        _write(tmp / MARKER, "Built by `dataset site`; the next build replaces this folder.\n")
        _write(tmp / ".nojekyll", "")
        os.chmod(tmp, 0o755)
        _move_into(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
