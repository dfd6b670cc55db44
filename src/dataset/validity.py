"""A content-addressed validity record: `load()` skips re-validating a package already found valid.

`dataset refresh` writes `validity.json` beside the descriptor, only when the package validates.
It records the sha256 of every file the validator read or listed (the descriptor; every entry
of each folder that holds a table or an archived article), of every module of `dataset` the
validator ran, and the versions of Python and of the libraries whose behaviour the verdict
depends on. Validation is a pure function of those (offline, no clock, no environment), so
when every digest still matches, the verdict is the one recorded. `load()` recomputes them
(milliseconds) and trusts the record only then; any mismatch, unreadable file or doubt means
a full validation, as without a record. `dataset validate` never reads it.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .location import DESCRIPTOR_NAME

if TYPE_CHECKING:
    import pandas as pd

    from .datapackage import Package

#: The record's file name, beside datapackage.json (shipped in the wheel with the package).
RECORD_NAME = "validity.json"

#: What the record says it is (and the version of its layout: another layout is never trusted).
ABOUT = "dataset validity record v1: written by `dataset refresh` when the package validated; see dataset/validity.py"

#: Distributions the validator calls into, whose version can change its verdict: frictionless
#: (and the jsonschema it checks the standard's profiles with), pandas, pyarrow and numpy (reading,
#: vectorised checks), pandera (the schema checks). Their own dependencies are not recorded: every
#: distribution the validator imports would include ones a plain install lacks (pandera imports
#: hypothesis when the test extra is installed), and no user's record would ever match.
LIBRARIES = ("frictionless", "jsonschema", "pandas", "pandera", "pyarrow", "numpy")

_CODE_ROOT = Path(__file__).resolve().parent


def _sha256(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()


def environment(distributions: list[str]) -> dict[str, str]:
    """Python's minor version and the installed version of each of DISTRIBUTIONS (none imported)."""
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": f"{sys.version_info[0]}.{sys.version_info[1]}"}
    for name in sorted(distributions):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "absent"
    return found


def folder_listing(folder: Path, *, root: bool = False) -> dict[str, str]:
    """Every entry of FOLDER: a file's sha256, else its kind (a link or folder is never followed).

    In the package's ROOT folder the record itself is left out (it cannot hold its own digest).
    """
    listing: dict[str, str] = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            if root and entry.name == RECORD_NAME:
                continue
            if entry.is_symlink():
                listing[entry.name] = "link"
            elif entry.is_dir(follow_symlinks=False):
                listing[entry.name] = "folder"
            else:
                listing[entry.name] = _sha256(Path(entry.path))
    return dict(sorted(listing.items()))


def code_digests(modules: list[str]) -> dict[str, str]:
    """The sha256 of each module file (paths relative to the `dataset` package)."""
    return {rel: _sha256(_CODE_ROOT / rel) for rel in sorted(modules)}


def actual(record: dict[str, Any], root: Path) -> dict[str, Any]:
    """What RECORD would say of the package at ROOT now, for the same folders and modules."""
    return {
        "about": ABOUT,
        "valid": True,
        "environment": environment([name for name in record["environment"] if name != "python"]),
        "descriptor": _sha256(root / DESCRIPTOR_NAME),
        "folders": {rel: folder_listing(root / rel, root=rel == ".") for rel in record["folders"]},
        "code": code_digests(list(record["code"])),
    }


def trusted(root: Path) -> bool:
    """True only when ROOT's record exists and every digest in it matches the package and code now."""
    try:
        record = json.loads((root / RECORD_NAME).read_text(encoding="utf-8"))
        if not isinstance(record, dict) or record.get("about") != ABOUT or record.get("valid") is not True:
            return False
        if not all(_safe(rel) for rel in [*record["folders"], *record["code"]]):
            return False
        if any(_linked(root, rel) for rel in record["folders"]):
            return False
        return bool(record["code"]) and record == actual(record, root)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return False


def _linked(root: Path, rel: str) -> bool:
    """A folder of the record is reached through a link (the validator would look where it leads)."""
    parts = [] if rel == "." else rel.split("/")
    return any((root.joinpath(*parts[: i + 1])).is_symlink() for i in range(len(parts)))


def _safe(rel: Any) -> bool:
    """REL is a plain relative path inside its root (no `..`, not absolute); '.' is the root."""
    if rel == ".":
        return True
    if not isinstance(rel, str) or not rel or "\\" in rel:
        return False
    parts = rel.split("/")
    return not rel.startswith("/") and all(p not in ("", "..") for p in parts)


def trusted_frames(package: Package) -> dict[str, pd.DataFrame] | None:
    """Every table of PACKAGE typed, without re-validating, when its record vouches for it; else None.

    None too when a table does not read or type cleanly (the caller then validates in full,
    which says what is wrong): the record is never the last word on a frame.
    """
    if package.descriptor_file.name != DESCRIPTOR_NAME or not trusted(package.root):
        return None  # the record speaks of datapackage.json only
    from .errors import DatasetError
    from .frames import reading_order, typed_frame
    from .read import read_table

    try:
        desc = package.descriptor
    except DatasetError:
        return None

    frames = {}
    for name in reading_order(desc):
        raw = read_table(desc.root, desc.tables[name])
        if raw.frame is None or any(p.severity == "error" for p in raw.problems):
            return None
        try:
            frames[name] = typed_frame(raw.frame, desc.tables[name])
        except (ValueError, TypeError):
            return None
    return frames


# ----------------------------------------------------------------- writing (dataset refresh)

_PROBE = """
import json, sys
from dataset.validation import validate_and_read
report, frames = validate_and_read(sys.argv[1])
sources = frames.get("sources")
paths = [] if sources is None or "path" not in sources.columns else [str(p) for p in sources["path"].dropna()]
modules = sorted(
    m.__file__ for n, m in list(sys.modules.items())
    if (n == "dataset" or n.startswith("dataset.")) and getattr(m, "__file__", None)
)
print(json.dumps({"valid": report.valid, "articles": paths, "modules": modules}))
"""


def _probe(root: Path) -> dict[str, Any]:
    """Validate ROOT in a fresh interpreter: its verdict, its articles' paths, the modules it ran.

    A fresh process, so that the modules listed are exactly those validation imported (the
    calling process may hold many more), and so nothing cached in this one counts.
    """
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(_CODE_ROOT.parent), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(root)], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"validating in a fresh interpreter failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _parent(rel: str) -> str | None:
    """The folder of REL relative to the root ('.' for the root), or None when REL is not a plain relative path."""
    rel = rel.replace("\\", "/")
    if "://" in rel or not _safe(rel):
        return None
    folder = rel.rsplit("/", 1)[0] if "/" in rel else "."
    return folder


def expected_record(root: Path) -> dict[str, Any] | None:
    """The record the package at ROOT should carry now, or None when it does not validate (or in doubt)."""
    descriptor = json.loads((root / DESCRIPTOR_NAME).read_text(encoding="utf-8"))
    probe = _probe(root)
    if not probe["valid"]:
        return None
    resources = descriptor.get("resources", [])
    paths = [r.get("path") for r in resources if isinstance(r, dict)]
    if not all(isinstance(p, str) for p in paths):
        return None  # multi-file or inline resources: not covered, so never trusted
    parents = [_parent(p) for p in [*paths, *probe["articles"]]]
    folders = sorted({f for f in parents if f is not None})
    if len(folders) != len(set(parents)):  # a path out of the package, a URL: not covered
        return None
    modules = []
    for file in probe["modules"]:
        path = Path(file).resolve()
        if _CODE_ROOT not in path.parents:
            return None
        modules.append(path.relative_to(_CODE_ROOT).as_posix())
    listings = {rel: folder_listing(root / rel, root=rel == ".") for rel in folders}
    if any(kind == "link" for listing in listings.values() for kind in listing.values()):
        return None
    record = {
        "about": ABOUT,
        "folders": listings,
        "code": {m: "" for m in modules},
        "environment": dict.fromkeys(LIBRARIES, ""),
    }
    return actual(record, root)


def record_text(record: dict[str, Any] | None) -> str:
    """RECORD as written: sorted keys, one entry a line (reviewable in a diff); None: a record that vouches for nothing."""
    if record is None:
        record = {"about": ABOUT, "valid": False}
    return json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
