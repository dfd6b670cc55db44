"""`refresh`, `release`, `diff --pending-release` and package discovery under hostile input.

One fault per test, each found by an attack on these commands (and failing before its mend),
in throwaway copies of the package (the `checkout_copy` / `package_copy` fixtures).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import git
from dataset.cli import cli


def add_event(package: Path, event_id: str, terminator: str = "\n") -> None:
    """Append a copy of the first event under a new id (its evidence stays verbatim)."""
    file = package / "data" / "events.csv"
    with file.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    row = dict(rows[0], id=event_id)
    with file.open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator=terminator).writerow(row)


def add_changelog_entry(package: Path, text: str = "- A new event.") -> None:
    changelog = package / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace("## [Unreleased]\n", f"## [Unreleased]\n\n{text}\n", 1),
        encoding="utf-8",
    )


def version_of(package: Path) -> str:
    return json.loads((package / "datapackage.json").read_text(encoding="utf-8"))["version"]


def tag_release(package: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(package, "init", "-q")
    git(package, "add", ".")
    git(package, "commit", "-q", "-m", "release")
    git(package, "tag", f"v{version_of(package)}")


def append_console_example(package: Path, lines: str) -> None:
    readme = package / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + f"\n```console\n{lines}\n```\n", encoding="utf-8")


def run_cli_subprocess(package: Path, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dataset", *args],
        cwd=package,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# --------------------------------------------------------------------------- README examples


def test_readme_example_of_refresh_check_does_not_recurse_forever(checkout_copy: Path) -> None:
    """README `$ dataset refresh --check` is 'read-only', so refresh runs refresh, which runs refresh..."""
    append_console_example(checkout_copy, "$ dataset refresh --check\nold output")
    try:
        done = run_cli_subprocess(checkout_copy, "refresh", "--check", timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("`dataset refresh --check` did not finish in 60 s: the README example re-runs refresh")
    assert done.returncode in (0, 1), done.stderr


def test_readme_example_with_endless_sql_does_not_hang_refresh(checkout_copy: Path) -> None:
    """A pull request's README can make CI's `refresh --check` run an endless recursive SELECT."""
    sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"
    append_console_example(checkout_copy, f'$ dataset query --sql "{sql}"\nold output')
    try:
        run_cli_subprocess(checkout_copy, "refresh", "--check", timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("`dataset refresh --check` did not finish in 60 s: a README example ran an endless query")


def test_readme_example_with_an_unbalanced_quote_names_the_readme(checkout_copy: Path) -> None:
    """shlex's ValueError escapes: 'Error: ValueError: No closing quotation', README not named."""
    append_console_example(checkout_copy, '$ dataset validate "unbalanced\nold output')
    result = CliRunner().invoke(cli, ["refresh", "--check", str(checkout_copy)])
    assert not isinstance(result.exception, ValueError), "a ValueError escaped the command"
    assert result.exit_code in (1, 2) and "README.md" in result.output


# --------------------------------------------------------------------------- derived files


def test_refresh_check_sees_a_truncated_timeline_png(checkout_copy: Path) -> None:
    """The digest sits in a tEXt chunk before the image data: a half-written PNG passes as current.

    `render_png` writes with `fig.savefig(path)` (not atomically), so an interrupted refresh
    leaves exactly this, and no later refresh mends it.
    """
    png = checkout_copy / "docs" / "timeline.png"
    data = png.read_bytes()
    png.write_bytes(data[: len(data) // 2])
    result = CliRunner().invoke(cli, ["refresh", "--check", str(checkout_copy)])
    assert result.exit_code == 1 and "docs/timeline.png" in result.output, result.output


def test_refresh_regenerates_an_empty_timeline_png(checkout_copy: Path) -> None:
    """docs/timeline.png is derived: an empty one (an interrupted write) is redrawn, not a hard failure."""
    pytest.importorskip("matplotlib")
    png = checkout_copy / "docs" / "timeline.png"
    png.write_bytes(b"")
    result = CliRunner().invoke(cli, ["refresh", str(checkout_copy)])
    assert result.exit_code == 0, result.output
    assert png.read_bytes().startswith(b"\x89PNG")


def test_refresh_keeps_the_permissions_of_the_files_it_rewrites(checkout_copy: Path) -> None:
    """_write_atomically uses mkstemp: every rewritten file becomes mode 0600."""
    citation = checkout_copy / "CITATION.cff"
    text = citation.read_text(encoding="utf-8")
    citation.write_text(re.sub(r'^version: "[^"]*"$', 'version: "0.0.1"', text, flags=re.M), encoding="utf-8")
    citation.chmod(0o644)
    assert CliRunner().invoke(cli, ["refresh", str(checkout_copy)]).exit_code == 0
    assert 'version: "0.0.1"' not in citation.read_text(encoding="utf-8")  # it was rewritten
    assert stat.S_IMODE(citation.stat().st_mode) == 0o644


def test_refresh_says_which_tables_it_rewrote(checkout_copy: Path) -> None:
    """A CSV (the contributor's data) brought into canonical layout is not named in the output."""
    add_event(checkout_copy, "zz-a-new-event", terminator="\r\n")  # not canonical: CRLF
    before = (checkout_copy / "data" / "events.csv").read_bytes()
    result = CliRunner().invoke(cli, ["refresh", str(checkout_copy)])
    assert result.exit_code == 0, result.output
    assert (checkout_copy / "data" / "events.csv").read_bytes() != before  # it was rewritten
    assert "data/events.csv" in result.output


def test_refresh_check_sees_a_stale_article_count_wrapped_over_two_lines(checkout_copy: Path) -> None:
    """The phrase wrapped in CITATION.cff's folded abstract is never matched, so never corrected."""
    citation = checkout_copy / "CITATION.cff"
    text = citation.read_text(encoding="utf-8")
    wrong = re.sub(r"\b\w+ archived news articles \(", "nine archived news\n  articles (", text, count=1)
    assert wrong != text
    citation.write_text(wrong, encoding="utf-8")
    result = CliRunner().invoke(cli, ["refresh", "--check", str(checkout_copy)])
    assert result.exit_code == 1 and "CITATION.cff" in result.output, result.output


# --------------------------------------------------------------------------- release


def test_release_refuses_a_version_that_is_not_semver(checkout_copy: Path) -> None:
    """Version '1.0': the release 'would be ?' (exit 0), and a real release writes '?' everywhere."""
    descriptor = checkout_copy / "datapackage.json"
    text = descriptor.read_text(encoding="utf-8")
    descriptor.write_text(re.sub(r'"version": "[^"]*"', '"version": "1.0"', text, count=1), encoding="utf-8")
    tag_release(checkout_copy)
    add_event(checkout_copy, "zz-a-new-event")
    add_changelog_entry(checkout_copy)
    result = CliRunner().invoke(cli, ["release", str(checkout_copy), "--dry-run"])
    assert "?" not in result.output.split("(")[0], result.output
    assert result.exit_code != 0, result.output


def test_release_sets_the_version_of_a_descriptor_written_on_one_line(checkout_copy: Path) -> None:
    """Valid JSON without a line break: 'datapackage.json: updated', exit 0, version unchanged."""
    tag_release(checkout_copy)
    old = version_of(checkout_copy)
    add_event(checkout_copy, "zz-a-new-event")
    add_changelog_entry(checkout_copy)
    assert CliRunner().invoke(cli, ["refresh", str(checkout_copy)]).exit_code == 0
    descriptor = checkout_copy / "datapackage.json"
    descriptor.write_text(json.dumps(json.loads(descriptor.read_text(encoding="utf-8")), ensure_ascii=False))
    result = CliRunner().invoke(cli, ["release", str(checkout_copy), "--date", "2030-01-02"])
    if result.exit_code == 0:  # (refusing with exit 1 would be fine too)
        assert version_of(checkout_copy) != old, result.output
        assert f'version: "{old}"' not in (checkout_copy / "CITATION.cff").read_text(encoding="utf-8")


def test_release_refuses_a_changelog_with_two_unreleased_sections(checkout_copy: Path) -> None:
    """The second [Unreleased] and its entries end up inside the new release's section."""
    tag_release(checkout_copy)
    add_event(checkout_copy, "zz-a-new-event")
    add_changelog_entry(checkout_copy, "- A.\n\n## [Unreleased]\n\n- B.")
    result = CliRunner().invoke(cli, ["release", str(checkout_copy), "--date", "2030-01-02"])
    text = (checkout_copy / "CHANGELOG.md").read_text(encoding="utf-8")
    assert result.exit_code == 1 or text.count("## [Unreleased]") == 1, text[:2000]


def test_release_dry_run_refuses_what_the_release_would_refuse(checkout_copy: Path) -> None:
    """Nothing under [Unreleased]: --dry-run says 'would be 1.1.0' and exits 0; the real run exits 1."""
    changelog = checkout_copy / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    start = text.index("## [Unreleased]\n") + len("## [Unreleased]\n")
    changelog.write_text(text[:start] + "\n" + text[text.index("\n## [", start) + 1 :], encoding="utf-8")
    tag_release(checkout_copy)
    add_event(checkout_copy, "zz-a-new-event")
    dry = CliRunner().invoke(cli, ["release", str(checkout_copy), "--dry-run"])
    real = CliRunner().invoke(cli, ["release", str(checkout_copy)])
    assert real.exit_code == 1
    assert dry.exit_code == real.exit_code, dry.output


def test_release_keeps_the_line_endings_of_the_changelog(checkout_copy: Path) -> None:
    """A CRLF CHANGELOG.md is silently rewritten with LF (every line changes)."""
    tag_release(checkout_copy)
    add_event(checkout_copy, "zz-a-new-event")
    add_changelog_entry(checkout_copy)
    changelog = checkout_copy / "CHANGELOG.md"
    changelog.write_bytes(changelog.read_bytes().replace(b"\n", b"\r\n"))
    result = CliRunner().invoke(cli, ["release", str(checkout_copy), "--date", "2030-01-02"])
    assert result.exit_code == 0, result.output
    data = changelog.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")


def test_release_hint_names_the_package(
    checkout_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`dataset release PATH` without a tag: the hint `dataset release --against git:<commit>` drops PATH."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = CliRunner().invoke(cli, ["release", str(checkout_copy), "--dry-run"])
    assert "--against git:<commit>" in result.output
    hint = result.output[result.output.index("dataset release --against") :]
    assert str(checkout_copy) in hint, result.output


def test_release_against_a_missing_package_is_an_input_error(checkout_copy: Path) -> None:
    """--against a path that does not exist cannot be read: exit 2 (as `dataset diff` does), not 1."""
    result = CliRunner().invoke(
        cli, ["release", str(checkout_copy), "--against", str(checkout_copy / "no-such-dir"), "--dry-run"]
    )
    assert result.exit_code == 2, result.output


# --------------------------------------------------------------------------- discovery


def test_a_datapackage_json_that_is_not_a_file_is_not_silently_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder named datapackage.json here: 'no datapackage.json in this folder', bundled validated, exit 0."""
    (tmp_path / "datapackage.json").mkdir()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate"])
    assert "no datapackage.json in this folder" not in result.stderr
    assert result.exit_code == 2, result.output


def test_refresh_outside_any_package_does_not_write_into_the_installed_copy(
    package_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run in a folder with no package, `refresh` rewrites the bundled copy (site-packages, or the checkout)."""
    import dataset.location

    events = package_copy / "data" / "events.csv"
    events.write_bytes(events.read_bytes().replace(b"\n", b"\r\n"))
    before = events.read_bytes()
    monkeypatch.setattr(dataset.location, "bundled_root", lambda: package_copy)
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    result = CliRunner().invoke(cli, ["refresh"])
    assert events.read_bytes() == before, "refresh rewrote the installed copy of the package"
    assert result.exit_code == 2, result.output


# --------------------------------------------------------------------------- the reviewer's view


def _item(table: str, key: str, status: str = "added"):  # type: ignore[no-untyped-def]
    from dataset.review import ReviewItem

    return ReviewItem(table, key, status, "a claim", ())


def test_reviewer_view_caps_new_sources_too() -> None:
    """Added sources are listed without limit (a job summary is capped at 1 MiB)."""
    from dataset.review import render_review

    lines = render_review([_item("sources", f"s{i}") for i in range(1000)], max_rows=100)
    assert len(lines) <= 110, len(lines)


def test_reviewer_view_shows_keys_in_code_spans_without_backslashes() -> None:
    """md() escapes for prose, but a code span shows backslashes as typed: `a\\_b`; a backtick ends it."""
    from dataset.review import render_review

    text = "\n".join(render_review([_item("events", "a_b")]))
    assert "`a_b`" in text, text


@pytest.mark.skipif(os.name != "posix", reason="POSIX symlinks")
def test_refresh_keeps_a_symlinked_codebook_a_symlink_or_refuses(checkout_copy: Path, tmp_path: Path) -> None:
    """docs/codebook.md -> outside file: refresh silently replaces the link with a regular file."""
    outside = tmp_path / "outside.md"
    outside.write_text("outside\n", encoding="utf-8")
    link = checkout_copy / "docs" / "codebook.md"
    link.unlink()
    link.symlink_to(outside)
    result = CliRunner().invoke(cli, ["refresh", str(checkout_copy)])
    assert link.is_symlink() or result.exit_code != 0, result.output
    assert outside.read_text(encoding="utf-8") == "outside\n"


def test_articles_phrase_with_a_third_language_can_be_refreshed_again() -> None:
    """'one fr' does not match the phrase's pattern: after a French source the count is frozen for good."""
    from dataset.readme import articles_phrase, with_articles_phrase

    text = "from five archived news articles (two English, three Russian), into tables"
    once = with_articles_phrase(text, articles_phrase(["en", "ru", "fr"]))
    twice = with_articles_phrase(once, articles_phrase(["en", "ru", "fr", "fr"]))
    assert "four archived news articles" in twice, twice


def test_pending_release_still_fails_a_version_that_went_down(
    checkout_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--pending-release exits 0 whatever the version check says: a pull request lowering it is green."""
    tag_release(checkout_copy)
    descriptor = checkout_copy / "datapackage.json"
    text = descriptor.read_text(encoding="utf-8")
    descriptor.write_text(
        re.sub(r'"version": "[^"]*"', '"version": "0.0.1"', text, count=1), encoding="utf-8"
    )
    add_event(checkout_copy, "zz-a-new-event")
    monkeypatch.chdir(checkout_copy)
    result = CliRunner().invoke(cli, ["diff", "git:HEAD", ".", "--pending-release"])
    assert "FAILED" in result.output
    assert result.exit_code == 1, result.output[-300:]


def test_refresh_of_a_readme_that_is_not_utf8_names_the_file(checkout_copy: Path) -> None:
    """A README with a Latin-1 byte: 'Error: UnicodeDecodeError: ... position 11601' (no file named)."""
    readme = checkout_copy / "README.md"
    readme.write_bytes(readme.read_bytes() + b"caf\xe9\n")
    result = CliRunner().invoke(cli, ["refresh", "--check", str(checkout_copy)])
    assert not isinstance(result.exception, UnicodeDecodeError), "a UnicodeDecodeError escaped"
    assert result.exit_code == 2 and "README.md" in result.output, result.output


def test_an_interrupted_timeline_drawing_leaves_the_old_png_whole(
    checkout_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the PNG is being written leaves the old picture whole (the write is atomic)."""
    matplotlib_figure = pytest.importorskip("matplotlib.figure")
    from dataset.refresh import refresh

    png = checkout_copy / "docs" / "timeline.png"
    old = png.read_bytes()
    add_event(checkout_copy, "zz-a-new-event")  # the timeline is now stale

    def interrupted(_self, fname, *args, **kwargs):  # type: ignore[no-untyped-def]
        if hasattr(fname, "write"):
            fname.write(old[:100])  # what savefig had written when the signal came
        else:
            Path(fname).write_bytes(old[:100])
        raise KeyboardInterrupt

    monkeypatch.setattr(matplotlib_figure.Figure, "savefig", interrupted)
    with pytest.raises(KeyboardInterrupt):
        refresh(checkout_copy)
    assert png.read_bytes() == old
