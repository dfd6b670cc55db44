"""Shared fixtures: the repository's package, and throwaway copies of it to break."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from dataset import api
from dataset.descriptor import Descriptor, read_descriptor

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root, which holds the one copy of the data package."""
    return REPO


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A fresh copy of the repository's data package (descriptor, data/, seeds/) in a temp dir."""
    target = tmp_path / "pkg"
    target.mkdir()
    shutil.copy2(REPO / "datapackage.json", target / "datapackage.json")
    shutil.copytree(REPO / "data", target / "data")
    shutil.copytree(REPO / "seeds", target / "seeds")
    return target


@pytest.fixture(scope="session")
def desc(repo_root: Path) -> Descriptor:
    """The repository's descriptor."""
    return read_descriptor(repo_root)


@pytest.fixture(scope="session")
def frames(repo_root: Path) -> dict[str, pd.DataFrame]:
    """The repository's tables as `dataset.load()` returns them (loaded once; do not modify)."""
    return api.load(repo_root, validate=False)


#: What a contributor's checkout holds besides the package: the files `dataset refresh` and
#: `dataset release` keep current.
CHECKOUT_FILES = (
    "CONTRIBUTING.md",
    "README.md",
    "CITATION.cff",
    ".zenodo.json",
    "CHANGELOG.md",
    "docs",
    "validity.json",
)


@pytest.fixture
def checkout_copy(package_copy: Path) -> Path:
    """A copy of the package with the checkout's derived files (README, CITATION, CHANGELOG, docs/)."""
    for name in CHECKOUT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, package_copy / name)
        else:
            shutil.copy2(source, package_copy / name)
    return package_copy


def git(repo: Path, *args: str) -> None:
    """Run git in REPO as a throwaway committer (no signing, no global identity needed)."""
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )
