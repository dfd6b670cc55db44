"""Cutting a release in one step: the version the changes need, a dated CHANGELOG heading, CITATION.cff.

Contributors never touch the version: they add a line under `## [Unreleased]` in CHANGELOG.md.
A maintainer runs `dataset release`, which compares the package with the last release (the
git tag `v<version>`, or `--against`), takes the bump `dataset diff` demands, and writes it
everywhere it is written: `"version"` in datapackage.json, the CHANGELOG heading, and
CITATION.cff's version and date; `refresh` then regenerates what shows the version. Every
check runs before anything is written, so a refused release (and `--dry-run`) changes nothing.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .datapackage import Package
from .errors import DatasetError

_UNRELEASED = re.compile(r"^## \[Unreleased\][ \t]*\n", re.M)
_NEXT_HEADING = re.compile(r"^## \[", re.M)
_VERSION_KEY = re.compile(r'"version"\s*:\s*"(?:[^"\\]|\\.)*"')
_CFF_VERSION = re.compile(r'^version:[ \t]*"?[^"\n]*"?[ \t]*$', re.M)
_CFF_DATE = re.compile(r'^date-released:[ \t]*"?[^"\n]*"?[ \t]*$', re.M)


class ReleaseError(DatasetError):
    """A release cannot be cut as asked; the message says what to do. `unreadable`: bad input (exit 2)."""

    def __init__(self, message: str, *, unreadable: bool = False) -> None:
        super().__init__(message)
        self.unreadable = unreadable


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


def _in_git(root: Path) -> bool:
    try:
        done = subprocess.run(["git", "rev-parse", "--git-dir"], cwd=root, capture_output=True, check=False)
    except OSError:
        return False
    return done.returncode == 0


def _unreadable_last_release(
    package: Package, spec: str, against: str | None, exc: Exception
) -> ReleaseError:
    """The error for a last release that cannot be read, with commands that work when pasted."""
    hint = ""
    if not against:
        name = package.command("release", "--against", "git:<commit>")
        tag = f"git tag v{package.descriptor.version} <commit>, or " if _in_git(package.root) else ""
        hint = f" (no tag for the last release? {tag}name it: {name})"
    return ReleaseError(f"{spec}: the last release cannot be read: {exc}{hint}", unreadable=True)


def plan(package: Package, against: str | None = None, day: date | None = None) -> Release:
    """The release the changes since AGAINST (default: the last release's tag) need; nothing written."""
    from .diff import DiffInputError, Version, diff

    spec = against or last_release(package)
    try:
        with contextlib.chdir(package.root):  # git: revisions are read from the package's repository
            result = diff(spec, str(package.root))
    except DiffInputError as exc:
        raise _unreadable_last_release(package, spec, against, exc) from exc
    if not result.changed:
        raise ReleaseError(f"nothing changed since {spec}: there is nothing to release")
    previous = Version.parse(result.old_version.text)
    if previous.core is None:
        raise ReleaseError(
            f"the last release's version {previous.text!r} is not MAJOR.MINOR.PATCH, so no next version follows from it"
        )
    release = Release(
        previous.text,
        previous.next(result.required),
        result.required,
        (day or date.today()).isoformat(),
        spec,
    )
    _edits(package, release)  # every refusal before anything is written, --dry-run included
    return release


def dated_changelog(text: str, release: Release) -> str:
    """CHANGELOG.md with the [Unreleased] entries under a dated heading for RELEASE, and [Unreleased] empty."""
    headings = list(_UNRELEASED.finditer(text))
    if not headings:
        raise ReleaseError("CHANGELOG.md has no '## [Unreleased]' heading to release")
    if len(headings) > 1:
        raise ReleaseError("CHANGELOG.md has two '## [Unreleased]' headings: merge them into one first")
    heading = headings[0]
    following = _NEXT_HEADING.search(text, heading.end())
    entries = text[heading.end() : following.start() if following else len(text)]
    if not entries.strip():
        raise ReleaseError("CHANGELOG.md: nothing under '## [Unreleased]': say what changed there first")
    return f"{text[: heading.end()]}\n## [{release.version}] - {release.day}\n{text[heading.end() :]}"


def with_version(descriptor: str, version: str) -> str:
    """The descriptor text with its top-level "version" set, everything else byte for byte as it was."""
    expected = json.loads(descriptor)
    expected["version"] = version
    for match in _VERSION_KEY.finditer(descriptor):
        candidate = (
            f'{descriptor[: match.start()]}"version": {json.dumps(version)}{descriptor[match.end() :]}'
        )
        if json.loads(candidate) == expected:
            return candidate
    raise ReleaseError('datapackage.json has no top-level "version" to set')


def _text(file: Path) -> tuple[str, str]:
    """FILE's text with LF line endings, and the line ending it was written with."""
    try:
        raw = file.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReleaseError(f"{file.name}: cannot be read as UTF-8 text ({exc})", unreadable=True) from exc
    ending = "\r\n" if "\r\n" in raw else "\n"
    return raw.replace("\r\n", "\n"), ending


def _edits(package: Package, release: Release) -> dict[str, str]:
    """The new text of each file the release changes, by path relative to the package root."""
    root = package.root
    edits = {"datapackage.json": _text(package.descriptor_file)}
    for name in ("CHANGELOG.md", "CITATION.cff"):
        if (root / name).is_file():
            edits[name] = _text(root / name)
    out = {"datapackage.json": with_version(edits["datapackage.json"][0], release.version)}
    if "CHANGELOG.md" in edits:
        out["CHANGELOG.md"] = dated_changelog(edits["CHANGELOG.md"][0], release)
    if "CITATION.cff" in edits:
        text = _CFF_VERSION.sub(f'version: "{release.version}"', edits["CITATION.cff"][0])
        out["CITATION.cff"] = _CFF_DATE.sub(f'date-released: "{release.day}"', text)
    return {name: text.replace("\n", edits[name][1]) for name, text in out.items()}


def apply(package: Package, release: Release) -> list[str]:
    """Write RELEASE into the package's files; the files changed, relative to its root."""
    from .files import write_atomic
    from .refresh import refresh

    package.require_writable("release")
    writes = _edits(package, release)
    for rel, text in writes.items():
        write_atomic(package.root / rel, text.encode("utf-8"))
    package.forget()
    refreshed = refresh(package)
    if refreshed.failed:
        failed = "; ".join(f"{o.file}: {o.problem}" for o in refreshed.failed)
        raise ReleaseError(f"the version is set, but refreshing the derived files failed: {failed}")
    return [*writes, *(o.file for o in refreshed.stale if o.file not in writes)]
