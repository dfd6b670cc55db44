"""Hostile input to the newest commands (attack report): each test shows one fault, failing today.

Every command runs in a subprocess with a timeout (and an address-space limit where the input is
huge), in a throwaway copy of the package, so a fault can neither hang the suite nor eat the
machine. The checks are the rules of the work: the documented exit code, one clear line naming
the input, no Python exception name, nothing written on refusal, nothing outside touched.
"""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

#: Seconds any one command may take here; the attacks are small unless the fault makes them slow.
LIMIT = 20  # seconds: bounds a hang and the "answers quickly" faults (which took 28-94 s), with room for a busy CI machine
#: Address space a command given huge input may use (bytes): enough to start, too little to read it all.
MEMORY = 1_500_000_000
#: Python exception names that mean an unforeseen failure reached the user as its class name.
EXCEPTION_NAMES = (
    "Traceback",
    "MemoryError",
    *(f"Error: {name}:" for name in ("OSError", "ValueError", "RuntimeError", "TypeError", "KeyError")),
    *(f"Error: {name}:" for name in ("NotADirectoryError", "FileNotFoundError", "PermissionError")),
)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def dataset(
    *args: object,
    stdin: bytes | None = None,
    cwd: Path | None = None,
    close_stdin: bool = False,
    cap: bool = False,
    env: dict[str, str] | None = None,
):
    """Run `python -m dataset ARGS`; a run past LIMIT seconds fails the test instead of hanging it."""

    def prepare() -> None:
        if cap:  # only for huge input: the limit also stops threads that validate starts
            _limit_memory()
        if close_stdin:
            os.close(0)

    try:
        return subprocess.run(
            [sys.executable, "-m", "dataset", *map(str, args)],
            input=stdin,
            capture_output=True,
            timeout=LIMIT,
            cwd=cwd,
            preexec_fn=prepare,
            env={**os.environ, **(env or {})},
            **({} if stdin is not None else {"stdin": subprocess.DEVNULL}),
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`dataset {' '.join(map(str, args))[:120]}` ran past {LIMIT} s")


def text(result: subprocess.CompletedProcess) -> str:
    return (result.stdout + result.stderr).decode("utf-8", "replace")


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def clear_refusal(result: subprocess.CompletedProcess, code: int, *words: str) -> None:
    out = text(result)
    assert result.returncode == code, out
    assert not any(name in out for name in EXCEPTION_NAMES), out
    for word in words:
        assert word in out, out


def first_source(root: Path) -> dict[str, str]:
    with open(root / "data" / "sources.csv", encoding="utf-8", newline="") as fh:
        return next(csv.DictReader(fh))


ARTICLE = (
    "BAKU, March 1. Officials of both countries met in Baku on Monday to discuss the detained "
    "journalists and the consular visits that both sides had promised in earlier talks.\n"
)


# --------------------------------------------------------------------------- add-source


def test_add_source_refuses_a_huge_file_quickly_without_reading_it_all(
    package_copy: Path, tmp_path: Path
) -> None:
    """A 300 MB file (sparse: no disk used) is read whole into memory, decoded and scanned: minutes
    and gigabytes (9.5 GB RSS measured for 320 MB of text). It should be refused by size at once."""
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.write(ARTICLE.encode())
        fh.truncate(300_000_000)
    before = snapshot(package_copy)
    result = dataset("add-source", huge, package_copy, "--id", "x-huge", cap=True)
    clear_refusal(result, 2, "huge.txt")
    assert snapshot(package_copy) == before


def test_add_source_refuses_binary_zeros_that_happen_to_be_utf8(package_copy: Path, tmp_path: Path) -> None:
    """100 NUL bytes decode as UTF-8 and are not whitespace: today they are archived as an
    article (language guessed 'en' from no letters), and the printed cite hint cannot be pasted."""
    zeros = tmp_path / "zeros.txt"
    zeros.write_bytes(b"\x00" * 100)
    before = snapshot(package_copy)
    result = dataset("add-source", zeros, package_copy, "--id", "x-zeros")
    clear_refusal(result, 2, "zeros.txt")
    assert snapshot(package_copy) == before


@pytest.mark.parametrize(
    "head",
    [b"\xef\xbb\xbf<!DOCTYPE html>", b"<!-- saved from url=(0014)about:internet -->\n<html>"],
    ids=["utf8-bom", "saved-from-comment"],
)
def test_add_source_from_stdin_sees_an_html_page_behind_a_bom_or_comment(
    package_copy: Path, head: bytes
) -> None:
    """A page piped in (no .html name) that starts with a BOM or a browser's comment is not seen as
    HTML: its markup and scripts are archived as the article's text."""
    body = ("<p>" + " ".join([ARTICLE.strip()] * 3) + "</p>").encode()
    page = (
        head
        + b"<head><script>var tracker=1;</script></head><body><article>"
        + body
        + b"</article></body></html>"
    )
    result = dataset("add-source", "-", package_copy, "--id", "x-page", "--language", "en", stdin=page)
    seeds = [p for p in (package_copy / "seeds").iterdir() if b"tracker" in p.read_bytes()]
    assert not seeds, f"markup archived as text in {seeds}: {text(result)}"


def test_add_source_refuses_a_url_the_article_does_not_give(package_copy: Path, tmp_path: Path) -> None:
    """--url is 'only where the text itself gives it', yet any URI is taken, even
    `javascript:alert(1)` that the article never prints; validate then passes it too."""
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    before = snapshot(package_copy)
    result = dataset("add-source", article, package_copy, "--id", "x-url", "--url", "javascript:alert(1)")
    clear_refusal(result, 2, "--url")
    assert snapshot(package_copy) == before


def test_add_source_with_standard_input_closed_says_so(package_copy: Path) -> None:
    """`dataset add-source - <&-` prints 'Error: RuntimeError: Was not able to determine binary
    stream for sys.stdin.' instead of naming standard input."""
    before = snapshot(package_copy)
    result = dataset("add-source", "-", package_copy, "--id", "x-closed", close_stdin=True)
    clear_refusal(result, 2, "standard input")
    assert snapshot(package_copy) == before


@pytest.mark.parametrize(
    "option",
    [
        ["--published", "2025-02-30"],
        ["--title", '=HYPERLINK("http://example.org","x")'],
        ["--title", "two\nlines"],
        ["--publisher", " padded "],
    ],
    ids=["30-february", "formula", "line-break", "padding"],
)
def test_add_source_refuses_a_value_validate_refuses(
    package_copy: Path, tmp_path: Path, option: list[str]
) -> None:
    """add-source checks only each option's pattern, format and enum: a 30 February, a formula,
    a line break or padding is written into sources.csv (exit 0) and the package then fails validate."""
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    before = snapshot(package_copy)
    result = dataset("add-source", article, package_copy, "--id", "x-option", "--language", "en", *option)
    clear_refusal(result, 2, option[0])
    assert snapshot(package_copy) == before


def test_add_source_writes_nothing_outside_the_package(package_copy: Path, tmp_path: Path) -> None:
    """With seeds/ a symbolic link to a folder elsewhere (validate: 'a link to somewhere outside
    the package'), add-source writes the new article into that outside folder, exit 0."""
    outside = tmp_path / "elsewhere"
    (package_copy / "seeds").rename(outside)
    (package_copy / "seeds").symlink_to(outside)
    before = snapshot(outside)
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = dataset("add-source", article, package_copy, "--id", "x-outside", "--language", "en")
    assert snapshot(outside) == before, text(result)
    clear_refusal(result, 2, "seeds")


# --------------------------------------------------------------------------- cite


def test_cite_with_100_kb_of_words_answers_quickly(package_copy: Path) -> None:
    """100 KB of words sought in a 2 KB article take ~28 s (difflib over the whole paste): words
    longer than the article cannot be in it, and the closest-passage search should be bounded."""
    source = first_source(package_copy)["id"]
    words = " ".join(["word"] * 20_000)
    result = dataset("cite", source, words, package_copy)
    assert result.returncode == 1, text(result)


def test_cite_does_not_follow_a_seed_symlink_out_of_the_package(package_copy: Path, tmp_path: Path) -> None:
    """A seed replaced by a symbolic link to a file outside the package is read and printed
    (exit 0); validate's rule is that a resource must stay inside the package."""
    row = first_source(package_copy)
    secret = tmp_path / "outside.txt"
    secret.write_text("private words outside the package\n", encoding="utf-8")
    seed = package_copy / row["path"]
    seed.unlink()
    seed.symlink_to(secret)
    result = dataset("cite", row["id"], "private words", package_copy)
    assert b"private words" not in result.stdout, text(result)
    clear_refusal(result, 2, row["path"])


def test_cite_reads_a_sources_table_with_a_byte_order_mark(package_copy: Path) -> None:
    """validate tolerates a UTF-8 BOM at the start of sources.csv (a warning), but cite then
    reads the first column as '\\ufeffid' and answers 'no source has the id ...; the ids are: '
    with an empty list, exit 2."""
    row = first_source(package_copy)
    seed = (package_copy / row["path"]).read_text(encoding="utf-8")
    words = " ".join(seed.split()[2:6])
    file = package_copy / "data" / "sources.csv"
    file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes())
    assert dataset("hashes", package_copy).returncode == 0
    assert dataset("validate", package_copy).returncode == 0
    result = dataset("cite", row["id"], words, package_copy)
    assert result.returncode == 0, text(result)


# --------------------------------------------------------------------------- validate / fmt on claim_links


def test_a_huge_reason_that_validate_accepts_is_not_refused_by_fmt(package_copy: Path) -> None:
    """A claim link's reason of ~1 MB: validate says 'valid', fmt --check (and so add-source and
    refresh, which use the same reader) refuses the file as unparsable (csv field limit 131072)."""
    file = package_copy / "data" / "claim_links.csv"
    with open(file, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    rows[0]["reason"] = " ".join(["word"] * 200_000)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    file.write_text(out.getvalue(), encoding="utf-8", newline="")
    assert dataset("hashes", package_copy).returncode == 0
    validated = dataset("validate", package_copy)
    formatted = dataset("fmt", "--check", package_copy)
    assert validated.returncode == 1 or formatted.returncode == 0, text(validated) + text(formatted)


# --------------------------------------------------------------------------- codebook


def test_codebook_lang_with_a_path_is_refused_by_name(package_copy: Path) -> None:
    """`--lang ../x` prints 'Error: ValueError: Invalid suffix ...' (the output name is built
    before the language is checked) instead of 'declares no language'."""
    before = snapshot(package_copy)
    result = dataset("codebook", package_copy, "--lang", "../x")
    clear_refusal(result, 2, "no language")
    assert snapshot(package_copy) == before


@pytest.mark.parametrize("target", ["datapackage.json", "data/events.csv"])
def test_codebook_never_overwrites_the_package_it_describes(package_copy: Path, target: str) -> None:
    """`dataset codebook -o datapackage.json` (or a table) replaces the descriptor with Markdown,
    exit 0: the package is gone."""
    before = snapshot(package_copy)
    result = dataset("codebook", package_copy, "--lang", "ru", "-o", package_copy / target)
    assert snapshot(package_copy) == before, text(result)
    clear_refusal(result, 2, target.rsplit("/", 1)[-1])


# --------------------------------------------------------------------------- site


@pytest.mark.parametrize("target", ["empty-folder", "nowhere"])
def test_site_output_through_a_symlink(package_copy: Path, tmp_path: Path, target: str) -> None:
    """-o a symbolic link to an empty folder builds the whole site, then fails with 'Error: OSError:
    Cannot call rmtree on a symbolic link'; to a missing folder, with 'Error: NotADirectoryError'."""
    real = tmp_path / target
    if target == "empty-folder":
        real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    result = dataset("site", package_copy, "-o", link)
    out = text(result)
    assert not any(name in out for name in EXCEPTION_NAMES), out
    assert result.returncode in (0, 2), out
    if result.returncode == 0:
        assert (link / "index.html").is_file()


def test_site_base_url_must_be_a_web_address(package_copy: Path, tmp_path: Path) -> None:
    """--base-url takes any string: 'javascript:alert(1)' becomes every JSON-LD contentUrl
    ('javascript:alert(1)/downloads/...'), exit 0, where a usage error naming --base-url is due."""
    out = tmp_path / "site"
    result = dataset("site", package_copy, "-o", out, "--base-url", "javascript:alert(1)")
    clear_refusal(result, 2, "--base-url")
    assert not out.exists()


def test_site_into_the_current_empty_folder(package_copy: Path, tmp_path: Path) -> None:
    """`dataset site -o .` run in a new empty folder fails with 'Error: OSError: [Errno 22]
    Invalid argument: '.'' (the build folder is made beside '.', whose name is empty)."""
    here = tmp_path / "public"
    here.mkdir()
    result = dataset("site", package_copy, "-o", ".", cwd=here)
    out = text(result)
    assert not any(name in out for name in EXCEPTION_NAMES), out
    assert result.returncode == 0, out
    assert (here / "index.html").is_file()


# --------------------------------------------------------------------------- export


@pytest.mark.parametrize(
    ("fmt", "target"),
    [
        ("json", "datapackage.json"),
        ("xlsx", "data/events.csv"),
        ("sqlite", "SEED"),
    ],
)
def test_export_never_overwrites_the_package_it_reads(package_copy: Path, fmt: str, target: str) -> None:
    """`dataset export -o` pointed at the package's own descriptor, a table or an archived article
    overwrites it (exit 0): the package is destroyed by its own export."""
    if target == "SEED":
        target = first_source(package_copy)["path"]
    before = snapshot(package_copy)
    result = dataset("export", package_copy, "--format", fmt, "-o", package_copy / target)
    assert snapshot(package_copy) == before, text(result)
    clear_refusal(result, 2, target.rsplit("/", 1)[-1])


# --------------------------------------------------------------------------- query


def test_query_sql_cannot_create_files(package_copy: Path, tmp_path: Path) -> None:
    """`--sql "ATTACH DATABASE 'x.db' AS e"` creates x.db (then says 'give a SELECT'): the SQL
    connection can write anywhere the user can."""
    made = tmp_path / "made.db"
    result = dataset("query", "--sql", f"ATTACH DATABASE '{made}' AS e", package_copy)
    assert not made.exists(), text(result)
    assert result.returncode == 2, text(result)


@pytest.mark.parametrize("option", [["--sort=-"], ["--sort", ","], ["--columns", ""], ["--person", ""]])
def test_query_empty_option_values_are_usage_errors(package_copy: Path, option: list[str]) -> None:
    """An empty --sort, --columns or --person is silently ignored (exit 0, every row) instead of
    saying the value is empty: a typo in a script returns the whole table."""
    result = dataset("query", "events", *option, package_copy)
    assert result.returncode == 2, text(result)
    assert option[0].split("=")[0] in text(result), text(result)


# --------------------------------------------------------------------------- validate, status


def rewrite(root: Path, table: str, change) -> None:
    """Apply CHANGE to the rows of TABLE, write it back in the canonical layout, refresh the hashes."""
    file = root / "data" / f"{table}.csv"
    with open(file, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    change(rows)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    file.write_text(out.getvalue(), encoding="utf-8", newline="")
    assert dataset("hashes", root).returncode == 0


def test_validate_with_a_100_kb_evidence_cell_answers_quickly(package_copy: Path) -> None:
    """One events.evidence cell of 100 KB that is not in the article: validate looks for the
    closest passages for 94 s (measured), so one pull request can stall CI."""

    def change(rows: list[dict[str, str]]) -> None:
        rows[0]["evidence"] = " ".join(["word"] * 20_000)

    rewrite(package_copy, "events", change)
    result = dataset("validate", package_copy)
    assert result.returncode == 1, text(result)
    assert "evidence" in text(result)


def test_validate_flags_a_russian_summary_in_english(package_copy: Path) -> None:
    """summary_ru holding the English summary word for word (no Cyrillic letter) is 'valid'; the
    Russian site then shows it as Russian text (no lang="en" mark)."""

    def change(rows: list[dict[str, str]]) -> None:
        row = next(r for r in rows if r["summary_ru"])
        row["summary_ru"] = row["summary"]

    rewrite(package_copy, "events", change)
    result = dataset("validate", package_copy)
    assert result.returncode == 1, text(result)
    assert "summary_ru" in text(result)


def test_status_orders_a_release_known_only_by_year_after_the_detention(package_copy: Path) -> None:
    """A release (and return) dated only '2025' is valid (its latest day follows the detention),
    but status sorts it by its first day, before the 2025-06-30 detention, and reports the
    person 'unknown after 2025-07' instead of released."""
    person = "kartavykh-igor"

    def change(rows: list[dict[str, str]]) -> None:
        for row in rows:
            if row["event_type"] in ("release", "return") and person in row["person_ids"].split(";"):
                row.update(date="2025", date_precision="year", end_date="", date_qualifier="on")

    rewrite(package_copy, "events", change)
    assert dataset("validate", package_copy).returncode == 0
    result = dataset("status", package_copy, "--person", person, "--format", "json")
    assert result.returncode == 0, text(result)
    standing = json.loads(result.stdout)[0]
    assert standing["status"] == "released", standing["status"]


@pytest.mark.parametrize("table", ["claim_links", "sources"])
def test_every_reader_reports_a_1_mb_cell_as_too_long(package_copy: Path, tmp_path: Path, table: str) -> None:
    """A 1 MB cell (a pasted article as a link's reason or a source's notes): validate said
    `cell-too-long`, while fmt, refresh and add-source refused the file as unparsable (the csv
    module's 131072 field limit). Every reader now reads it and names the same rule, row, column."""
    column = {"claim_links": "reason", "sources": "notes"}[table]

    def change(rows: list[dict[str, str]]) -> None:
        rows[0][column] = "x" * 1_000_000

    rewrite(package_copy, table, change)
    before = snapshot(package_copy)
    article = tmp_path / "article.txt"
    article.write_text("A new article about the talks.\n", encoding="utf-8")
    runs = {
        "validate": dataset("validate", package_copy),
        "fmt --check": dataset("fmt", "--check", package_copy),
        "fmt": dataset("fmt", package_copy),
        "refresh": dataset("refresh", package_copy),
    }
    if table == "sources":
        runs["add-source"] = dataset("add-source", article, package_copy, "--id", "x-new", "--language", "en")
    for name, result in runs.items():
        clear_refusal(result, 1, "cell-too-long", f"{table}.csv", "row 2", column)
        assert "cannot be parsed" not in text(result), (name, text(result))
    assert snapshot(package_copy) == before


def _figure_link(link_id: str, newer: str, older: str, source: str) -> dict[str, str]:
    return {
        "id": link_id,
        "from_table": "figures",
        "from_id": newer,
        "relation": "updates",
        "to_table": "figures",
        "to_id": older,
        "certainty": "probable",
        "reason": "A hostile link for the attack tests.",
        "source_ids": source,
        "notes": "",
    }


def _same_day_figures(root: Path, count: int) -> tuple[list[str], str]:
    """COUNT figure ids of one source and one exact date (none linked yet), and that source."""
    with open(root / "data" / "figures.csv", encoding="utf-8", newline="") as fh:
        figures = list(csv.DictReader(fh))
    with open(root / "data" / "claim_links.csv", encoding="utf-8", newline="") as fh:
        linked = {r[k] for r in csv.DictReader(fh) for k in ("from_id", "to_id")}
    groups: dict[tuple[str, str, str], list[str]] = {}
    for f in figures:
        if f["id"] not in linked:
            groups.setdefault((f["source_id"], f["date"], f["end_date"]), []).append(f["id"])
    key, ids = next((k, v) for k, v in groups.items() if len(v) >= count)
    return ids[:count], key[0]


def test_validate_refuses_a_cycle_of_updates(package_copy: Path) -> None:
    """A updates B, B updates C, C updates A (three figures of one day): each runs 'from the later
    row to the earlier', which a cycle cannot; validate says valid."""
    (a, b, c), source = _same_day_figures(package_copy, 3)
    links = [_figure_link("x-cycle-1", a, b, source), _figure_link("x-cycle-2", b, c, source)]
    links.append(_figure_link("x-cycle-3", c, a, source))
    rewrite(package_copy, "claim_links", lambda rows: rows.extend(links))
    result = dataset("validate", package_copy)
    assert result.returncode == 1, text(result)
    assert "claim_links" in text(result)


def test_validate_refuses_updates_between_different_measures(package_copy: Path) -> None:
    """'updates' joins a figure to the earlier count it revises; a link making a count of years
    (an age) 'update' a count of persons, or any other measure, is valid today."""
    with open(package_copy / "data" / "figures.csv", encoding="utf-8", newline="") as fh:
        figures = list(csv.DictReader(fh))
    a, b = next(
        (x, y)
        for x in figures
        for y in figures
        if x["source_id"] == y["source_id"]
        and (x["date"], x["end_date"]) == (y["date"], y["end_date"])
        and x["unit"] != y["unit"]
    )
    link = _figure_link("x-updates-other-measure", a["id"], b["id"], a["source_id"])
    rewrite(package_copy, "claim_links", lambda rows: rows.append(link))
    result = dataset("validate", package_copy)
    assert result.returncode == 1, text(result)
    assert "claim_links" in text(result)


def test_a_javascript_licence_url_never_reaches_datasette(package_copy: Path, tmp_path: Path) -> None:
    """A descriptor licence path `javascript:...` is valid today, and `export --format sqlite`
    writes it as Datasette's `license_url` (a link on every Datasette page); the site refuses it
    as a link (pages.web_url), the export does not."""
    file = package_copy / "datapackage.json"
    descriptor = json.loads(file.read_text(encoding="utf-8"))
    descriptor["licenses"][0]["path"] = "javascript:alert(document.domain)"
    file.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if dataset("validate", package_copy).returncode == 1:
        return  # refused by validate: what should happen
    result = dataset("export", package_copy, "--format", "sqlite", "-o", tmp_path / "crisis.db")
    assert result.returncode == 0, text(result)
    meta = json.loads((tmp_path / "crisis.metadata.json").read_text(encoding="utf-8"))
    assert not str(meta.get("license_url", "")).lower().startswith("javascript:"), meta.get("license_url")


def test_query_in_a_narrow_terminal_keeps_ids_whole(package_copy: Path) -> None:
    """The help promises 'ids, dates and text stay whole' in a narrow terminal; at COLUMNS=40 the
    block layout cuts ids longer than the terminal across lines, so none can be copied."""
    with open(package_copy / "data" / "events.csv", encoding="utf-8", newline="") as fh:
        ids = [row["id"] for row in csv.DictReader(fh)]
    result = dataset("query", "events", "--columns", "id,date", package_copy, env={"COLUMNS": "40"})
    assert result.returncode == 0, text(result)
    cut = [i for i in ids if i not in result.stdout.decode()]
    assert not cut, f"ids cut across lines: {cut[:3]}"


def test_datasette_metadata_describes_the_person_status_table(package_copy: Path, tmp_path: Path) -> None:
    """`export --format sqlite` writes a person_status table, but its Datasette metadata describes
    every other table and not this one (no description, no columns, no licence per table)."""
    import sqlite3

    result = dataset("export", package_copy, "--format", "sqlite", "-o", tmp_path / "c.db")
    assert result.returncode == 0, text(result)
    with sqlite3.connect(tmp_path / "c.db") as db:
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    meta = json.loads((tmp_path / "c.metadata.json").read_text(encoding="utf-8"))
    described = {t for database in meta["databases"].values() for t in database.get("tables", {})}
    assert "person_status" in names
    assert "person_status" in described, sorted(described)
