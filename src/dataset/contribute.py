"""Adding a source: archive a saved article into `seeds/` and append its row to `sources.csv`.

The archive convention, read off the existing seeds: `seeds/NNN_<hex>.txt`, NNN the next
three-digit number, and an optional first-line prefix ` date YYYY-MM-DD ` (a space, `date`,
the publication date, a space) directly followed by the article's text. The five first seeds
carry a 16-hex-digit token that is not a digest of their bytes (neither sha256, sha1, md5 nor
blake2 of the file or of its text after the date prefix); new seeds take the first 16 hex
digits of their sha256, so the name can be checked. A saved HTML page becomes text with
trafilatura (the `[html]` extra), and the source row's notes name the extractor and its version.

Writes are atomic and ordered: the seed file first, then `sources.csv` (in the canonical layout
`fmt.format_csv` writes), then the descriptor's bytes and hash; a failure undoes what was done.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .csvread import split_bytes, table_bytes
from .descriptor import Descriptor, Table, read_descriptor
from .errors import DatasetError
from .files import FileRefused, read_bytes, refusal, write_atomic
from .fmt import FormatRefused, format_csv
from .limits import MAX_ARTICLE_BYTES
from .location import outside_root
from .report import Problem
from .rules import UNREADABLE_FILE
from .schemas import CYRILLIC_LETTERS

#: The archive's optional first-line prefix: the publication date, then the article's text.
DATE_PREFIX = " date {date} "
_DATE_PREFIX = re.compile(rb"^ date [0-9]{4}-[0-9]{2}-[0-9]{2} ")
_SEED_NAME = re.compile(r"^([0-9]{3,})_[0-9a-f]+\.txt$")
#: Hex digits of the sha256 in a new seed's name.
NAME_DIGITS = 16
SEEDS = "seeds"
#: Fewer words than this extracted from a page means menus and notices, not an article.
MIN_HTML_WORDS = 15
#: Words of the article in the `dataset cite` line printed after adding it.
SAMPLE_WORDS = 6


class ContributionRefused(DatasetError):
    """The article or its options cannot be added; nothing was written. `usage` marks bad input (exit 2)."""

    def __init__(self, message: str, *, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


@dataclass(frozen=True)
class Article:
    """The article's text as it will be archived, and the extractor that made it from HTML, if any."""

    data: bytes
    extractor: str | None = None


@dataclass
class Added:
    """What `add_source` wrote, and the columns still left for a person to fill."""

    package: Path
    source_id: str
    seed: str  # package-relative path of the archived article
    sha256: str
    row: dict[str, str]
    empty: dict[str, str] = field(default_factory=dict)  # column -> the schema's description
    guessed: list[str] = field(default_factory=list)  # plain words on values guessed, not given
    sample: str = ""  # the article's first words, for a `dataset cite` example that works


#: What may come before a page's doctype or <html>: a byte order mark, whitespace, comments
#: (browsers write `<!-- saved from url=... -->` there).
_PAGE_PREAMBLE = re.compile(rb"^(?:\xef\xbb\xbf)?(?:\s|<!--.*?-->)*", re.DOTALL)


def _is_html(data: bytes, name: str) -> bool:
    head = data[:4096]
    head = head[_PAGE_PREAMBLE.match(head).end() :].lower()  # type: ignore[union-attr]  # always matches
    return name.lower().endswith((".html", ".htm")) or head.startswith((b"<!doctype html", b"<html"))


def _not_utf8(data: bytes, name: str) -> ContributionRefused:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    guess = f"it looks like {best.encoding}" if best is not None else "its encoding cannot be told"
    return ContributionRefused(f"{name}: the text is not UTF-8 ({guess}); re-save it as UTF-8", usage=True)


def _extract_html(data: bytes, name: str) -> Article:
    """The article text of a saved page, by trafilatura (its boilerplate removal is the field's reference)."""
    try:
        import trafilatura
    except ImportError as exc:
        raise ContributionRefused(
            f"{name}: an HTML page needs the html extra to become text: "
            'pip install "russia-azerbaijan-crisis-data[html]"',
            usage=True,
        ) from exc
    text = trafilatura.extract(data.decode("utf-8-sig"), include_comments=False, favor_precision=True)
    words = len((text or "").split())
    if text is None or words < MIN_HTML_WORDS:
        raise ContributionRefused(
            f"{name}: the page holds no article text ({words} words extracted); save the article's own page",
            usage=True,
        )
    return Article((text.rstrip("\n") + "\n").encode("utf-8"), f"trafilatura {trafilatura.__version__}")


def read_article(data: bytes, name: str) -> Article:
    """DATA as the text to archive: plain UTF-8 text unchanged, an HTML page's extracted text."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _not_utf8(data, name) from None
    if not text.strip():
        raise ContributionRefused(f"{name}: the file is empty", usage=True)
    if "\x00" in text:
        raise ContributionRefused(
            f"{name}: the file holds NUL bytes: it is binary, not an article's text", usage=True
        )
    if _is_html(data, name):
        return _extract_html(data, name)
    if not any(ch.isalpha() for ch in text):
        raise ContributionRefused(f"{name}: the file holds no letters, so no article's text", usage=True)
    return Article(data)


def read_input(file: str) -> tuple[bytes, str]:
    """The bytes of FILE (- for standard input) and the name to call it by; refused past MAX_ARTICLE_BYTES.

    A file goes through the package's guarded reader (no pipe or device, size checked before
    reading); standard input is read up to one byte past the limit, never whole.
    """
    if file == "-":
        return _read_stdin(), "standard input"
    path = Path(file)
    try:
        folder = path.resolve().parent
    except (OSError, RuntimeError):  # a loop of links: the guarded reader says so
        folder = Path(os.path.abspath(file)).parent
    try:
        return read_bytes(folder, path, MAX_ARTICLE_BYTES), file
    except FileRefused as exc:
        hint = (
            "; pipe it to standard input instead: dataset add-source - ..."
            if exc.rule == UNREADABLE_FILE
            else ""
        )
        raise ContributionRefused(f"{file}: {exc.reason}{hint}", usage=True) from None
    except OSError as exc:
        raise ContributionRefused(f"{file}: cannot be read ({exc.strerror or exc})", usage=True) from None


def _read_stdin() -> bytes:
    """Standard input's bytes, at most MAX_ARTICLE_BYTES; refused when it is closed or too long."""
    try:
        if sys.stdin is None:  # Python's own sign that descriptor 0 was closed
            raise OSError("it is closed")
        data = sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1)
    except (OSError, ValueError, AttributeError) as exc:
        raise ContributionRefused(f"standard input cannot be read ({exc})", usage=True) from None
    if len(data) > MAX_ARTICLE_BYTES:
        raise ContributionRefused(
            f"standard input: more than the limit of {MAX_ARTICLE_BYTES:,} bytes for an article", usage=True
        )
    return data


def _body(data: bytes) -> bytes:
    """The archived bytes without the date prefix, so one article with and without it is one article."""
    return _DATE_PREFIX.sub(b"", data, count=1)


def _check_new(desc: Descriptor, rows: list[dict[str, str]], data: bytes, name: str) -> None:
    """Refuse an article already archived: the same sha256 as a source row or a seed file."""
    digest, body = hashlib.sha256(data).hexdigest(), hashlib.sha256(_body(data)).hexdigest()
    for row in rows:
        if row.get("sha256", "").lower() == digest:
            raise ContributionRefused(f"{name}: already archived as source {row.get('id')!r} (same sha256)")
    folder = desc.root / SEEDS
    for seed in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        found = refusal(desc.root, seed)
        if found:
            raise ContributionRefused(f"{SEEDS}/{seed.name}: {found[1]}; run `dataset validate`", usage=True)
        if hashlib.sha256(_body(read_bytes(desc.root, seed))).hexdigest() == body:
            raise ContributionRefused(f"{name}: already archived as {SEEDS}/{seed.name} (same sha256)")


def _check_options(table: Table, rows: list[dict[str, str]], values: dict[str, str], name: str) -> None:
    """The id is new and every given value passes validate's own checks of one row (`row_problems`)."""
    if any(row.get("id") == values["id"] for row in rows):
        raise ContributionRefused(f"{name}: the id {values['id']!r} is already in use in {table.path}")
    given = {column: value for column, value in values.items() if value}
    for problem in row_problems(table, given):
        if problem.column in given and problem.severity == "error":
            option = "--" + problem.column.replace("_", "-")
            raise ContributionRefused(
                f"{name}: {option} {given[problem.column]!r}: {problem.message} ({problem.rule}, in {table.path})",
                usage=True,
            )


def row_problems(table: Table, row: dict[str, str]) -> list[Problem]:
    """What validate says of ROW alone as a row of TABLE: the descriptor's types, patterns, formats
    and enums, calendar dates, cell length and the hygiene rules (its cross-row and cross-table
    rules need the whole package)."""
    from .read import RawTable, parse
    from .validation.registry import row_checks

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([table.field_names, [row.get(n, "") for n in table.field_names]])
    frame, problems, header, _, _ = parse(out.getvalue(), table, table.path)
    raw = RawTable(table, table.path, frame, problems, header)
    return [*problems, *row_checks(raw)]


def guess_language(text: str) -> str:
    """'ru' when most letters are Cyrillic, else 'en': the two languages this package holds."""
    cyrillic = len(re.findall(f"[{CYRILLIC_LETTERS}]", text))
    letters = sum(ch.isalpha() for ch in text)
    return "ru" if letters and cyrillic * 2 > letters else "en"


def next_seed_name(folder: Path, data: bytes, taken: list[str]) -> str:
    """`NNN_<first 16 hex of sha256>.txt`, NNN one more than the highest number in FOLDER or TAKEN paths."""
    names = [Path(p).name for p in taken] + ([p.name for p in folder.iterdir()] if folder.is_dir() else [])
    numbers = [int(m.group(1)) for n in names if (m := _SEED_NAME.match(n))]
    number = max(numbers, default=-1) + 1
    return f"{number:03d}_{hashlib.sha256(data).hexdigest()[:NAME_DIGITS]}.txt"


def _read_rows(desc: Descriptor, table: Table) -> tuple[bytes, list[dict[str, str]]]:
    """The sources table's bytes and rows, read by the one CSV reader (csvread.py); a table that
    cannot be read is refused, not guessed at (fmt refuses any other fault before anything is written)."""
    data = table_bytes(desc.root, table)
    if isinstance(data, Problem):
        raise ContributionRefused(f"the sources table cannot be read: {data}")
    read = split_bytes(data, table, table.path)
    if read.header is None:
        raise ContributionRefused(f"the sources table cannot be read: {read.errors[0]}")
    return data, read.dicts()


def _with_row(data: bytes, table: Table, row: dict[str, str]) -> bytes:
    """The table's canonical bytes with ROW added; refuses a file that is not canonical already."""
    try:
        before = format_csv(data, table)
    except FormatRefused as exc:
        raise ContributionRefused(f"{table.path}: {exc}") from exc
    if before.changes:
        raise ContributionRefused(
            f"{table.path} is not in canonical layout ({'; '.join(before.changes)}); "
            "run `dataset fmt` on the package first, so that adding a row changes nothing else"
        )
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerow([row.get(n, "") for n in table.field_names])
    return format_csv(data + out.getvalue().encode("utf-8"), table).data


def _row(
    table: Table, values: dict[str, str], seed: str, digest: str, extractor: str | None
) -> dict[str, str]:
    row = dict.fromkeys(table.field_names, "")
    row.update({k: v for k, v in values.items() if v})
    row.update(path=seed, sha256=digest)
    if extractor and "notes" in row:
        row["notes"] = f"Text extracted from a saved HTML page by {extractor} (dataset add-source)."
    return row


def add_source(
    data: bytes,
    name: str,
    path: str | os.PathLike[str] | None = None,
    *,
    source_id: str,
    published: str = "",
    language: str = "",
    publisher: str = "",
    publisher_basis: str = "",
    title: str = "",
    url: str = "",
) -> Added:
    """Archive DATA (read from NAME) into the package at PATH and append its sources row.

    Raises ContributionRefused, with nothing written, for text that is not UTF-8, binary, an
    empty or text-less page, an article already archived, an id in use, a value validate's
    one-row rules refuse, a URL the text does not print, or a seeds folder outside the package.
    """
    desc = read_descriptor(path)
    _refuse_installed(desc.root)
    table = desc.tables["sources"]
    csv_file = desc.root / table.path
    original, rows = _read_rows(desc, table)
    values = {"id": source_id, "published": published, "language": language, "publisher": publisher,
              "publisher_basis": publisher_basis, "title": title, "url": url}  # fmt: skip
    _check_options(table, rows, values, name)
    article = read_article(data, name)
    if url and url not in article.data.decode("utf-8"):
        raise ContributionRefused(
            f"{name}: --url {url!r} does not occur in the article's text; give an address only where "
            "the text itself prints it, else leave --url out",
            usage=True,
        )
    archived = (DATE_PREFIX.format(date=published).encode() if published else b"") + article.data
    _refuse_outside(desc.root)
    _check_new(desc, rows, archived, name)
    guessed = []
    if not language:
        values["language"] = guess_language(unicodedata.normalize("NFC", article.data.decode("utf-8")))
        guessed.append(f"language {values['language']!r}, from the letters of the text (--language sets it)")
    folder = desc.root / SEEDS
    seed = f"{SEEDS}/{next_seed_name(folder, archived, [r.get('path', '') for r in rows])}"
    digest = hashlib.sha256(archived).hexdigest()
    row = _row(table, values, seed, digest, article.extractor)
    new_csv = _with_row(original, table, row)
    _write_all(desc, folder / Path(seed).name, archived, csv_file, original, new_csv)
    empty = {c: table.field(c).description for c, v in row.items() if not v}
    sample = " ".join(article.data.decode("utf-8").split()[:SAMPLE_WORDS])
    return Added(desc.root, source_id, seed, digest, row, empty, guessed, sample)


def _refuse_outside(root: Path) -> None:
    """The seeds folder must be in the package: a link out of it would send the article elsewhere."""
    folder = root / SEEDS
    if os.path.lexists(folder) and outside_root(root, folder):
        raise ContributionRefused(
            f"{folder}: {SEEDS}/ is a link to somewhere outside the package; nothing was written. "
            f"Make {SEEDS}/ a folder of the package (validate reports the same)",
            usage=True,
        )


def _refuse_installed(root: Path) -> None:
    """The copy installed with the program is not a place to contribute to: an upgrade would lose it."""
    from importlib import resources

    here = resources.files("dataset")
    if not isinstance(here, os.PathLike):  # imported from a zip file: there is no installed copy to protect
        return
    installed = Path(os.fspath(here)) / "_package"
    if root.resolve() == installed.resolve():
        raise ContributionRefused(
            f"{root} is the copy installed with the program; run the command in your checkout, "
            "or give the checkout's path: dataset add-source FILE PATH",
            usage=True,
        )


def _write_all(desc: Descriptor, seed: Path, archived: bytes, csv_file: Path, old: bytes, new: bytes) -> None:
    """Seed file, then sources.csv, then the descriptor's bytes and hash; undo all on any failure."""
    from .integrity import refresh_hashes

    seed.parent.mkdir(exist_ok=True)
    try:
        fd = os.open(seed, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)  # never overwrite a file put there
    except FileExistsError:
        raise ContributionRefused(f"{seed} already exists; nothing was written") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(archived)
        write_atomic(csv_file, new)
        try:
            refresh_hashes(desc.path, only={"sources"})
        except BaseException:
            write_atomic(csv_file, old)
            raise
    except BaseException:
        seed.unlink(missing_ok=True)
        raise
