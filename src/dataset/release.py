"""Cutting a release in one step: the version the changes need, a dated CHANGELOG heading, CITATION.cff.

Contributors never touch the version: they add a line under `## [Unreleased]` in CHANGELOG.md.
A maintainer runs `dataset release`, which compares the package with the last release (the
git tag `v<version>`, or `--against`), takes the bump `dataset diff` demands, and writes it
everywhere it is written: `"version"` in datapackage.json, the CHANGELOG heading, and
CITATION.cff's version and date; `refresh` then regenerates what shows the version.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date

from .datapackage import Package
from .errors import DatasetError

_UNRELEASED = re.compile(r"^## \[Unreleased\][ \t]*\n", re.M)
_NEXT_HEADING = re.compile(r"^## \[", re.M)
_DESCRIPTOR_VERSION = re.compile(r'^(\s*"version"\s*:\s*)"[^"\n]*"', re.M)
_CFF_VERSION = re.compile(r'^version:[ \t]*"?[^"\n]*"?[ \t]*$', re.M)
_CFF_DATE = re.compile(r'^date-released:[ \t]*"?[^"\n]*"?[ \t]*$', re.M)


class ReleaseError(DatasetError):
    """A release cannot be cut as asked; the message says what to do."""


@dataclass(frozen=True)
class Release:
    """What a release sets: the versions and the bump, and the date it is dated."""

    previous: str
    version: str
    bump: str
    day: str
    against: str


def last_release(package: Package) -> str:
    """The spec of the last release: the git tag of the package's current version."""
    return f"git:v{package.descriptor.version}"


def plan(package: Package, against: str | None = None, day: date | None = None) -> Release:
    """The release the changes since AGAINST (default: the last release's tag) need; nothing written."""
    from .diff import DiffInputError, Version, diff

    spec = against or last_release(package)
    try:
        with contextlib.chdir(package.root):  # git: revisions are read from the package's repository
            result = diff(spec, str(package.root))
    except DiffInputError as exc:
        hint = (
            ""
            if against
            else (
                f" (no tag for the last release? tag it: git tag v{package.descriptor.version} <commit>, "
                "or name it: dataset release --against git:<commit>)"
            )
        )
        raise ReleaseError(f"{spec}: the last release cannot be read: {exc}{hint}") from exc
    if not result.changed:
        raise ReleaseError(f"nothing changed since {spec}: there is nothing to release")
    version = Version.parse(result.old_version.text).next(result.required)
    return Release(result.old_version.text, version, result.required, (day or date.today()).isoformat(), spec)


def dated_changelog(text: str, release: Release) -> str:
    """CHANGELOG.md with the [Unreleased] entries under a dated heading for RELEASE, and [Unreleased] empty."""
    heading = _UNRELEASED.search(text)
    if heading is None:
        raise ReleaseError("CHANGELOG.md has no '## [Unreleased]' heading to release")
    following = _NEXT_HEADING.search(text, heading.end())
    entries = text[heading.end() : following.start() if following else len(text)]
    if not entries.strip():
        raise ReleaseError("CHANGELOG.md: nothing under '## [Unreleased]': say what changed there first")
    return f"{text[: heading.end()]}\n## [{release.version}] - {release.day}\n{text[heading.end() :]}"


def apply(package: Package, release: Release) -> list[str]:
    """Write RELEASE into the package's files; the files changed, relative to its root."""
    from .fmt import _write_atomically
    from .refresh import refresh

    root = package.root
    writes: dict[str, str] = {}
    descriptor = package.descriptor_file.read_text(encoding="utf-8")
    writes["datapackage.json"] = _DESCRIPTOR_VERSION.sub(rf'\g<1>"{release.version}"', descriptor, count=1)
    changelog = root / "CHANGELOG.md"
    if changelog.is_file():
        writes["CHANGELOG.md"] = dated_changelog(changelog.read_text(encoding="utf-8"), release)
    citation = root / "CITATION.cff"
    if citation.is_file():
        text = _CFF_VERSION.sub(f'version: "{release.version}"', citation.read_text(encoding="utf-8"))
        writes["CITATION.cff"] = _CFF_DATE.sub(f'date-released: "{release.day}"', text)
    for rel, text in writes.items():
        _write_atomically(root / rel, text.encode("utf-8"))
    package.forget()
    refreshed = refresh(package)
    return [*writes, *(o.file for o in refreshed.outcomes if o.stale and o.file not in writes)]
