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
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .descriptor import STRING_FORMATS, Descriptor, Table, read_descriptor
from .errors import DatasetError
from .files import write_atomic
from .fmt import FormatRefused, format_csv
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


def _is_html(data: bytes, name: str) -> bool:
    head = data[:1024].lstrip().lower()
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
    text = trafilatura.extract(data.decode("utf-8"), include_comments=False, favor_precision=True)
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
    if _is_html(data, name):
        return _extract_html(data, name)
    return Article(data)


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
        if hashlib.sha256(_body(seed.read_bytes())).hexdigest() == body:
            raise ContributionRefused(f"{name}: already archived as {SEEDS}/{seed.name} (same sha256)")


def _check_options(table: Table, rows: list[dict[str, str]], values: dict[str, str], name: str) -> None:
    """The id is new and every given value fits its column's pattern, format and enum in the descriptor."""
    if any(row.get("id") == values["id"] for row in rows):
        raise ContributionRefused(f"{name}: the id {values['id']!r} is already in use in {table.path}")
    for column, value in values.items():
        spec = table.field(column)
        if value and spec.pattern and not re.fullmatch(spec.pattern, value):
            raise ContributionRefused(
                f"{name}: --{column} {value!r} does not match the pattern {spec.pattern} of {table.path}",
                usage=True,
            )
        shape = STRING_FORMATS.get(spec.format or "")
        if value and shape and not re.fullmatch(shape, value):
            raise ContributionRefused(f"{name}: --{column} {value!r} is not a {spec.format}", usage=True)
        if value and spec.enum and value not in spec.enum:
            raise ContributionRefused(
                f"{name}: --{column} {value!r} is not one of {', '.join(spec.enum)}", usage=True
            )


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


def _read_rows(file: Path) -> tuple[bytes, list[dict[str, str]]]:
    """The sources table's bytes and rows; a table that cannot be read is refused, not guessed at."""
    try:
        data = file.read_bytes()
        return data, list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ContributionRefused(f"{file}: the sources table cannot be read ({exc})") from exc


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

    Raises ContributionRefused, with nothing written, for text that is not UTF-8, an empty or
    text-less page, an article already archived, or an id in use or not of the id pattern.
    """
    desc = read_descriptor(path)
    _refuse_installed(desc.root)
    table = desc.tables["sources"]
    csv_file = desc.root / table.path
    original, rows = _read_rows(csv_file)
    values = {"id": source_id, "published": published, "language": language, "publisher": publisher,
              "publisher_basis": publisher_basis, "title": title, "url": url}  # fmt: skip
    _check_options(table, rows, values, name)
    article = read_article(data, name)
    archived = (DATE_PREFIX.format(date=published).encode() if published else b"") + article.data
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
