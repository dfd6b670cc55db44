"""`dataset add-source`: what it archives and writes, and every refusal leaving the package untouched."""

from __future__ import annotations

import csv
import hashlib
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataset import contribute
from dataset.cli import cli
from dataset.descriptor import read_descriptor
from dataset.integrity import integrity_problems

TEXT = "BAKU, March 1. A test article about talks in Baku.\nIt has two lines, and a comma.\n"


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def sources(root: Path) -> list[dict[str, str]]:
    with open(root / "data" / "sources.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def run(root: Path, *args: str, stdin: bytes | None = None):
    return CliRunner().invoke(cli, ["add-source", *args[:1], str(root), *args[1:]], input=stdin)


def refused(root: Path, result, code: int, *words: str) -> None:
    """One line on stderr naming the input, the exit code, no traceback, nothing written."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_text_is_archived_unchanged_after_the_date_prefix(package_copy: Path, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_bytes(TEXT.encode())
    before = {p.name for p in (package_copy / "seeds").iterdir()}
    numbers = [int(n[:3]) for n in before]
    result = run(package_copy, str(article), "--id", "2031-03-01-test", "--published", "2031-03-01")
    assert result.exit_code == 0, result.output
    (new,) = {p.name for p in (package_copy / "seeds").iterdir()} - before
    data = (package_copy / "seeds" / new).read_bytes()
    assert data == b" date 2031-03-01 " + TEXT.encode()
    digest = hashlib.sha256(data).hexdigest()
    assert new == f"{max(numbers) + 1:03d}_{digest[:16]}.txt"
    row = next(r for r in sources(package_copy) if r["id"] == "2031-03-01-test")
    assert row["sha256"] == digest and row["path"] == f"seeds/{new}"
    assert row["published"] == "2031-03-01" and row["language"] == "en"
    assert integrity_problems(read_descriptor(package_copy)) == []
    # what is left to fill is said in plain words, with the schema's description, and pasteable next steps
    assert "title: " in result.output and "Headline" in result.output
    # every printed command works when pasted
    commands = [line.split() for line in result.output.splitlines() if line.strip().startswith("dataset ")]
    assert {c[1] for c in commands} >= {"cite", "refresh", "validate"}
    for line in result.output.splitlines():
        if line.strip().startswith("dataset "):
            pasted = CliRunner().invoke(cli, shlex.split(line)[1:])
            assert pasted.exit_code == 0, (line, pasted.output)


def test_standard_input_and_a_guessed_language(package_copy: Path) -> None:
    text = "Москва, 1 марта. Тестовая статья о переговорах в Баку.\n".encode()
    result = run(package_copy, "-", "--id", "2031-03-01-stdin", stdin=text)
    assert result.exit_code == 0, result.output
    row = next(r for r in sources(package_copy) if r["id"] == "2031-03-01-stdin")
    assert row["language"] == "ru" and "guessed" in result.output
    assert (package_copy / row["path"]).read_bytes() == text  # no --published: no prefix, unchanged


def test_html_page_becomes_text_and_the_notes_name_the_extractor(package_copy: Path, tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    paragraph = "The delegations met for four hours in Baku on Tuesday, the organisers said in a statement."
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>T</title></head><body><nav>Home | News | Cookies</nav><article>"
        f"<h1>Delegations meet</h1><p>{paragraph}</p><p>{paragraph.replace('four', 'five')}</p>"
        "</article><footer>All rights reserved</footer></body></html>",
        encoding="utf-8",
    )
    result = run(package_copy, str(page), "--id", "2031-03-01-html")
    assert result.exit_code == 0, result.output
    row = next(r for r in sources(package_copy) if r["id"] == "2031-03-01-html")
    archived = (package_copy / row["path"]).read_text(encoding="utf-8")
    assert paragraph in archived and "<p>" not in archived and "All rights reserved" not in archived
    assert re.search(r"trafilatura \d+\.\d+", row["notes"])


def test_not_utf8_names_the_encoding(package_copy: Path, tmp_path: Path) -> None:
    article = tmp_path / "cp1251.txt"
    article.write_bytes("Москва, 1 марта. Статья о задержанных россиянах в Баку.".encode("cp1251"))
    before = snapshot(package_copy)
    result = run(package_copy, str(article), "--id", "2031-03-01-cp")
    refused(package_copy, result, 2, str(article), "not UTF-8", "looks like")
    assert snapshot(package_copy) == before


@pytest.mark.parametrize("page", [b"", b"  \n", b"<html><body><nav>Menu</nav></body></html>"])
def test_empty_or_textless_page(package_copy: Path, page: bytes) -> None:
    before = snapshot(package_copy)
    result = run(package_copy, "-", "--id", "2031-03-01-empty", stdin=page)
    refused(package_copy, result, 2, "standard input")
    assert snapshot(package_copy) == before


def test_an_archived_article_is_refused(package_copy: Path) -> None:
    row = sources(package_copy)[0]
    seed = (package_copy / row["path"]).read_bytes()
    before = snapshot(package_copy)
    result = run(package_copy, "-", "--id", "2031-03-01-again", stdin=seed)
    refused(package_copy, result, 1, "already archived", row["id"])
    # the same text with another date prefix is the same article
    body = re.sub(rb"^ date [0-9-]{10} ", b"", seed)
    result = run(package_copy, "-", "--id", "2031-03-01-again", "--published", "2031-01-01", stdin=body)
    refused(package_copy, result, 1, "already archived")
    assert snapshot(package_copy) == before


def test_an_id_in_use_or_off_pattern(package_copy: Path) -> None:
    taken = sources(package_copy)[0]["id"]
    before = snapshot(package_copy)
    refused(
        package_copy, run(package_copy, "-", "--id", taken, stdin=TEXT.encode()), 1, repr(taken), "in use"
    )
    refused(package_copy, run(package_copy, "-", "--id", "Bad_Id", stdin=TEXT.encode()), 2, "pattern")
    result = run(package_copy, "-", "--id", "x-1", "--published", "1 March", stdin=TEXT.encode())
    refused(package_copy, result, 2, "--published")
    result = run(package_copy, "-", "--id", "x-1", "--url", "not a url", stdin=TEXT.encode())
    refused(package_copy, result, 2, "--url")
    result = run(package_copy, "-", "--id", "x-1", "--language", "de", stdin=TEXT.encode())
    refused(package_copy, result, 2, "--language")
    assert snapshot(package_copy) == before


def test_a_non_canonical_sources_table_is_not_rewritten(package_copy: Path) -> None:
    file = package_copy / "data" / "sources.csv"
    file.write_bytes(file.read_bytes().replace(b"\n", b"\r\n"))
    before = snapshot(package_copy)
    result = run(package_copy, "-", "--id", "2031-03-01-crlf", stdin=TEXT.encode())
    refused(package_copy, result, 1, "dataset fmt")
    assert snapshot(package_copy) == before


def test_a_failed_write_undoes_the_seed_and_the_table(package_copy: Path, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("dataset.integrity.refresh_hashes", broken)
    before = snapshot(package_copy)
    with pytest.raises(OSError):
        contribute.add_source(TEXT.encode(), "a.txt", package_copy, source_id="2031-03-01-fail")
    assert snapshot(package_copy) == before


def test_the_installed_copy_is_never_written(package_copy: Path, monkeypatch, tmp_path: Path) -> None:
    """A package that is the one installed with the program (dataset/_package) is refused."""
    fake = tmp_path / "site" / "dataset"
    fake.mkdir(parents=True)
    package_copy.rename(fake / "_package")
    monkeypatch.setattr("importlib.resources.files", lambda name: fake)
    before = snapshot(fake / "_package")
    with pytest.raises(contribute.ContributionRefused, match="installed"):
        contribute.add_source(TEXT.encode(), "a.txt", fake / "_package", source_id="2031-03-01-site")
    assert snapshot(fake / "_package") == before
