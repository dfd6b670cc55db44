"""Where packages live: the copy bundled with the distribution, or a path the user gives."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from .errors import PackageNotFoundError

DESCRIPTOR_NAME = "datapackage.json"


def bundled_root() -> Path:
    """Directory of the package installed with the distribution.

    The wheel carries the repository's `datapackage.json`, `data/` and `seeds/` under
    `dataset/_package` (hatchling force-include). An editable install of a checkout has no
    such copy; there the one copy at the repository root is used.
    """
    bundled = Path(os.fspath(resources.files("dataset").joinpath("_package")))
    if (bundled / DESCRIPTOR_NAME).is_file():
        return bundled
    checkout = Path(os.fspath(resources.files("dataset"))).parents[1]
    if (checkout / DESCRIPTOR_NAME).is_file() and (checkout / "pyproject.toml").is_file():
        return checkout
    raise PackageNotFoundError("no data package is bundled with this installation of `dataset`")


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
