"""One version: datapackage.json's "version", which every other place reports and none repeats by hand."""

from __future__ import annotations

import importlib.metadata
import json
import re
from pathlib import Path

from click.testing import CliRunner

import dataset
from dataset.cli import cli
from dataset.descriptor import read_descriptor

DISTRIBUTION = "russia-azerbaijan-crisis-data"
#: The official SemVer 2.0.0 pattern (semver.org), written out here so the test does not trust the code under test.
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


def descriptor_version(root: Path) -> str:
    return json.loads((root / "datapackage.json").read_text(encoding="utf-8"))["version"]


def test_descriptor_version_is_semver(repo_root: Path) -> None:
    """The one version is MAJOR.MINOR.PATCH, as the Data Package Version recipe requires."""
    assert SEMVER.match(descriptor_version(repo_root))


def test_every_place_reports_the_descriptor_version(repo_root: Path) -> None:
    """`dataset --version`, `dataset.__version__`, the installed distribution and the bundled descriptor agree."""
    version = descriptor_version(repo_root)
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"dataset {version}\n"
    assert dataset.__version__ == version
    assert read_descriptor().version == version
    assert importlib.metadata.version(DISTRIBUTION) == version, (
        "the installed metadata is stale: reinstall (pip install -e .) after changing the version"
    )


def test_citation_cites_the_current_version(repo_root: Path) -> None:
    """CITATION.cff (CFF 1.2.0) carries the descriptor's version, so a citation names the data actually used."""
    text = (repo_root / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(r"^cff-version:\s*[\"']?1\.2\.0[\"']?\s*$", text, re.MULTILINE)
    found = re.search(r"^version:\s*[\"']?([^\"'\s]+)[\"']?\s*$", text, re.MULTILINE)
    assert found is not None, "CITATION.cff has no top-level version"
    assert found.group(1) == descriptor_version(repo_root)


def test_changelog_has_an_entry_for_the_current_version(repo_root: Path) -> None:
    """CHANGELOG.md (Keep a Changelog) has an [Unreleased] section and a dated entry for the current version."""
    text = (repo_root / "CHANGELOG.md").read_text(encoding="utf-8")
    version = re.escape(descriptor_version(repo_root))
    assert re.search(r"^## \[Unreleased\]\s*$", text, re.MULTILINE)
    assert re.search(rf"^## \[{version}\] - \d{{4}}-\d{{2}}-\d{{2}}\s*$", text, re.MULTILINE)
