"""Everything derived from the data, regenerated in one pass, or checked: `dataset refresh [--check]`.

A contribution changes `data/`, `seeds/` and CHANGELOG.md. Every other file that follows from
them is written here: the tables' canonical layout and their bytes and hash in the descriptor,
docs/codebook.md, docs/timeline.png, the README's counts and example outputs, and the wording
that counts the archived articles (README, CITATION.cff), and CONTRIBUTING.md's table of
the validator's rules. Files a package does not have (a
fork with only the data) are left alone. Running it twice changes nothing the second time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .datapackage import Package
from .errors import DatasetError
from .rules import RESOURCE_BYTES, RESOURCE_HASH, RESOURCE_UNRECORDED


@dataclass(frozen=True)
class Outcome:
    """One derived file: whether it was stale, and (when it could not be made) why."""

    file: str  # relative to the package root
    stale: bool
    problem: str | None = None
    unreadable: bool = False  # the problem is input that cannot be read (exit 2), not a failed step


@dataclass
class RefreshReport:
    """What `refresh` found (with check) or wrote."""

    package: Package
    check: bool
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def stale(self) -> list[Outcome]:
        """Each stale file once (two steps may both touch datapackage.json)."""
        seen: dict[str, Outcome] = {}
        for outcome in self.outcomes:
            if outcome.stale:
                seen.setdefault(outcome.file, outcome)
        return list(seen.values())

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.problem is not None]

    @property
    def ok(self) -> bool:
        return not self.failed and not (self.check and self.stale)


class RefreshError(DatasetError):
    """A derived file cannot be read or regenerated."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file, self.reason = file, reason


def read_text(file: Path) -> str:
    """FILE as UTF-8 text, or a RefreshError naming it."""
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RefreshError(file.name, f"not UTF-8 (byte {exc.start}); save it as UTF-8") from exc
    except OSError as exc:
        raise RefreshError(file.name, f"cannot be read ({exc.strerror})") from exc


def _write_if_changed(file: Path, text: str, check: bool) -> bool:
    """True when FILE does not hold TEXT; writes it (atomically) unless CHECK."""
    from .files import write_atomic

    data = text.encode("utf-8")
    if file.is_file() and file.read_bytes() == data:
        return False
    if not check:
        write_atomic(file, data)
    return True


def _tables(package: Package, check: bool) -> list[Outcome]:
    from .fmt import format_package

    report = format_package(package, check=check)
    outcomes = [Outcome(r.file, True, f"refused: {r.refused}") for r in report.refused]
    outcomes += [Outcome(r.file, True) for r in report.not_canonical]
    if not check:  # rewritten: said, never silent
        outcomes += [Outcome(r.file, True) for r in report.files if r.changes and r.refused is None]
    return outcomes


def _hashes(package: Package, check: bool) -> list[Outcome]:
    from .integrity import integrity_problems, refresh_hashes

    if check:
        stale = [
            p
            for p in integrity_problems(package.descriptor)
            if p.rule in {RESOURCE_HASH, RESOURCE_BYTES, RESOURCE_UNRECORDED}
        ]
        return [Outcome("datapackage.json", True)] if stale else []
    changed = [r for r in refresh_hashes(package) if r.changed]
    return [Outcome("datapackage.json", True)] if changed else []


def _codebook(package: Package, check: bool) -> list[Outcome]:
    """docs/codebook.md, and docs/codebook.<lang>.md for each other language the descriptor declares."""
    from . import codebook

    outcomes = []
    for lang in [None, *package.descriptor.languages[1:]]:
        rel = codebook.output_for(lang).as_posix()
        file = package.root / rel
        if file.is_file():
            outcomes.append(Outcome(rel, _write_if_changed(file, codebook.build(package, lang), check)))
    return outcomes


def _timeline(package: Package, check: bool) -> list[Outcome]:
    from . import timeline

    file = package.root / "docs" / "timeline.png"
    if not file.is_file():
        return []
    tables = package.tables(validate=False)
    items = timeline.build(tables)
    heading = timeline.title(tables)
    if _drawn_digest(file) == timeline.png_digest(items, "en", heading):
        return []
    if check:
        return [Outcome("docs/timeline.png", True)]
    try:
        timeline.render_png(items, file, lang="en", heading=heading)
    except ModuleNotFoundError as exc:
        needs = "drawing it needs matplotlib: pip install 'russia-azerbaijan-crisis-data[plot]'"
        return [Outcome("docs/timeline.png", True, needs if exc.name == "matplotlib" else str(exc))]
    return [Outcome("docs/timeline.png", True)]


#: The chunk that ends every complete PNG file (its length, type and CRC).
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"


def _drawn_digest(file: Path) -> str | None:
    """The data digest a complete timeline PNG records; None for a cut, empty or foreign file (redrawn)."""
    from . import timeline

    try:
        if not file.read_bytes().endswith(_PNG_END):
            return None
        return timeline.png_text(file).get(timeline.DIGEST_KEY)
    except (OSError, ValueError, DatasetError):
        return None


def _articles_phrase(package: Package) -> str:
    """The phrase counting the archived articles by language, in the descriptor's words for the languages."""
    from .readme import articles_phrase

    sources = package.tables(validate=False).get("sources")
    languages = [] if sources is None else [str(v) for v in sources["language"].dropna()]
    names = package.descriptor.raw_field("sources", "language").get("x-enum-descriptions")
    return articles_phrase(languages, names if isinstance(names, dict) else {})


def _readme(package: Package, check: bool) -> list[Outcome]:
    from . import readme

    file = package.root / "README.md"
    if not file.is_file():
        return []
    tables = package.tables(validate=False)
    desc = package.descriptor
    text = read_text(file)
    new = readme.with_articles_phrase(text, _articles_phrase(package))
    new = readme.with_row_counts(
        new,
        {name: len(frame) for name, frame in tables.items()},
        {name: t.title for name, t in desc.tables.items()},
        {name: t.path for name, t in desc.tables.items()},
    )
    try:
        new = readme.with_console_outputs(new, package.root)
    except readme.ExampleError as exc:
        # checking: the examples run on data not refreshed yet, so the README is merely stale
        return [Outcome("README.md", True, None if check and not exc.unreadable else str(exc))]
    return [Outcome("README.md", _write_if_changed(file, new, check))]


_CFF_VERSION = re.compile(r'^version: "[^"\n]*"$', re.M)


def _citation(package: Package, check: bool) -> list[Outcome]:
    """CITATION.cff's version follows the descriptor's, and its abstract counts the articles."""
    from . import readme

    file = package.root / "CITATION.cff"
    if not file.is_file():
        return []
    text = read_text(file)
    version = str(package.descriptor.raw.get("version", ""))
    new = _CFF_VERSION.sub(f'version: "{version}"', text)
    new = readme.with_articles_phrase(new, _articles_phrase(package))
    return [Outcome("CITATION.cff", _write_if_changed(file, new, check))]


def _descriptor_wording(package: Package, check: bool) -> list[Outcome]:
    """The descriptor's description counts the articles too; only that phrase moves, in place."""
    from . import readme

    text = read_text(package.descriptor_file)
    new = readme.with_articles_phrase(text, _articles_phrase(package))
    return [Outcome("datapackage.json", _write_if_changed(package.descriptor_file, new, check))]


def _zenodo(package: Package, check: bool) -> list[Outcome]:
    """.zenodo.json follows CITATION.cff (after `_citation` has brought that up to date)."""
    from .citation import zenodo_json

    file, cff = package.root / ".zenodo.json", package.root / "CITATION.cff"
    if not file.is_file() or not cff.is_file():
        return []
    return [Outcome(".zenodo.json", _write_if_changed(file, zenodo_json(cff), check))]


def _contributing(package: Package, check: bool) -> list[Outcome]:
    """CONTRIBUTING.md's rule tables follow the rule catalogue (between their marker comments)."""
    from . import rulebook

    file = package.root / "CONTRIBUTING.md"
    if not file.is_file():
        return []
    text = read_text(file)
    if not rulebook.has_markers(text):
        return []
    return [Outcome("CONTRIBUTING.md", _write_if_changed(file, rulebook.with_tables(text), check))]


def _validity(package: Package, check: bool) -> list[Outcome]:
    """The validity record (`validity.json`) that lets `load()` skip re-validating this very content.

    Kept only where the package has one (the checkout's, shipped in the wheel); it vouches for
    nothing once the package no longer validates.
    """
    from . import validity

    file = package.root / validity.RECORD_NAME
    if not file.is_file() or package.descriptor_file.name != validity.DESCRIPTOR_NAME:
        return []
    try:
        text = validity.record_text(validity.expected_record(package.root))
    except (OSError, ValueError, RuntimeError) as exc:
        return [Outcome(validity.RECORD_NAME, True, f"cannot be computed: {exc}")]
    return [Outcome(validity.RECORD_NAME, _write_if_changed(file, text, check))]


#: The steps in order: the tables first, since everything after reads them; the validity record last.
STEPS: tuple[Callable[[Package, bool], list[Outcome]], ...] = (
    _tables,
    _hashes,
    _descriptor_wording,
    _codebook,
    _timeline,
    _citation,
    _zenodo,
    _contributing,
    _readme,
    _validity,
)


def refresh(path: str | Package | None = None, *, check: bool = False) -> RefreshReport:
    """Regenerate (or, with CHECK, only compare) every file derived from the data of the package at PATH."""
    package = path if isinstance(path, Package) else Package(path)
    if not check:
        package.require_writable("refresh")
    report = RefreshReport(package, check)
    for step in STEPS:
        try:
            outcomes = step(package, check)
        except RefreshError as exc:
            outcomes = [Outcome(exc.file, True, exc.reason, unreadable=True)]
        report.outcomes.extend(outcomes)
        if not check and any(o.stale for o in outcomes):
            package.forget()  # the next steps read what this one wrote
        if report.failed:
            break
    return report
