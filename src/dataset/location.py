"""Where packages live (the copy bundled with the distribution, or a path the user gives), which
paths inside a package may be read, and which of its files nothing refers to. Only the standard
library is imported."""

from __future__ import annotations

import os
import posixpath
from importlib import resources
from pathlib import Path

from .errors import PackageNotFoundError
from .report import Problem
from .rules import UNCITED_FILE

DESCRIPTOR_NAME = "datapackage.json"


def bundled_root() -> Path:
    """Directory of the package installed with the distribution.

    The wheel carries the repository's `datapackage.json`, `data/` and `seeds/` under
    `dataset/_package` (hatchling force-include). An editable install of a checkout has no
    such copy; there the one copy at the repository root is used.
    """
    here = resources.files("dataset")
    if not isinstance(here, os.PathLike):  # imported from a zip file: no folder holds a package
        raise PackageNotFoundError("`dataset` was not installed as files, so no data package is bundled")
    bundled = Path(os.fspath(here)) / "_package"
    if (bundled / DESCRIPTOR_NAME).is_file():
        return bundled
    checkout = Path(os.fspath(here)).parents[1]
    if (checkout / DESCRIPTOR_NAME).is_file() and (checkout / "pyproject.toml").is_file():
        return checkout
    raise PackageNotFoundError("no data package is bundled with this installation of `dataset`")


def find_package(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The descriptor of the package in START (default: the working directory) or its nearest parent.

    The same rule git uses for its repository: a command run anywhere inside a checkout acts on
    that checkout. None when no folder on the way up holds a descriptor.
    """
    folder = Path.cwd() if start is None else Path(start)
    for candidate in (folder, *folder.resolve().parents):
        file = candidate / DESCRIPTOR_NAME
        try:
            if file.is_file():
                return file
            if os.path.lexists(file):  # a folder, a pipe, a broken link: not to be passed over
                raise PackageNotFoundError(f"{file}: not a file, so not a data package descriptor")
        except OSError as exc:  # a folder on the way up that cannot be read
            raise PackageNotFoundError(
                f"{candidate}: cannot be searched for {DESCRIPTOR_NAME} ({exc.strerror})"
            ) from exc
    return None


def descriptor_path(path: str | os.PathLike[str] | None = None) -> Path:
    """Resolve PATH (a package directory or its descriptor; None = bundled) to the descriptor file."""
    if path is None:
        return bundled_root() / DESCRIPTOR_NAME
    candidate = Path(path)
    if candidate.is_dir():
        candidate = candidate / DESCRIPTOR_NAME
    if not candidate.is_file():
        raise PackageNotFoundError(
            f"{path}: no data package here (expected a directory with {DESCRIPTOR_NAME} or the file itself)"
        )
    return candidate


def web_url(value: str) -> str:
    """VALUE if it is an http(s) address, else '': a `javascript:` URL in the data never becomes a link."""
    return value if value.strip().lower().startswith(("https://", "http://")) else ""


def unsafe_path_reason(path: str) -> str | None:
    """Why a resource path may not be read (absolute, remote, escaping the package), or None."""
    if not isinstance(path, str):
        return "the path must be a string"
    if not path.strip():
        return "the path is empty"
    if "://" in path or path.lower().startswith(("http:", "https:", "ftp:", "file:", "data:")):
        return "remote resources are not allowed: the data must be in the package"
    # (PurePosixPath would say the same: absolute means a leading "/", and its parts are the
    # "/"-separated pieces; splitting by hand is ten times faster, for thousands of archives)
    if path.startswith(("/", "\\", "~")) or (len(path) > 1 and path[1] == ":"):
        return "absolute paths are not allowed: paths are relative to datapackage.json"
    if ".." in path.replace("\\", "/").split("/"):
        return "'..' is not allowed: the path must stay inside the package"
    if "\x00" in path:
        return "the path contains a NUL character"
    return None


def outside_root(root: Path, file: Path) -> bool:
    """True when FILE (after following symbolic links) is not inside the package ROOT."""
    try:
        return not file.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return True


def uncited_files(
    root: Path, cited: list[str], kind: str, advice: str, extensions: tuple[str, ...] | None = None
) -> list[Problem]:
    """Warnings for files beside the CITED ones (same folder, same extension) that nothing cites.

    An article archived but never cited, or a table saved beside the others but never declared,
    is published with the package without anything saying what it is. EXTENSIONS, when given,
    limits the kinds of file looked for.
    """
    wanted: dict[str, set[str]] = {}  # folder -> extensions of the files cited there
    for path in cited:
        folder, name = posixpath.split(path.replace("\\", "/"))
        extension = posixpath.splitext(name)[1]
        if extension and (extensions is None or extension.lower() in extensions):
            wanted.setdefault(posixpath.normpath(folder) if folder else ".", set()).add(extension.lower())
    known = {posixpath.normpath(path.replace("\\", "/")) for path in cited}
    problems: list[Problem] = []
    for folder, kinds in sorted(wanted.items()):
        try:
            entries = sorted(os.scandir(root / folder), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            rel = posixpath.normpath(posixpath.join(folder, entry.name))
            if (
                entry.name.startswith(".")
                or posixpath.splitext(entry.name)[1].lower() not in kinds
                or rel in known
                or not entry.is_file()
            ):
                continue
            problems.append(
                Problem(
                    rel,
                    None,
                    None,
                    UNCITED_FILE,
                    f"this {kind} is in the package but nothing refers to it: {advice}",
                )
            )
    return problems
