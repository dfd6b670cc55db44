"""The story in Russian: every event and figure has a Russian text, flagged as ours, and diff treats translations as descriptions."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from dataset import diff
from dataset.descriptor import read_descriptor
from dataset.spec import translated

CYRILLIC = r"[\u0400-\u04ff]"


def test_every_event_and_figure_reads_in_russian(frames: dict[str, pd.DataFrame]) -> None:
    """Each bundled event has a summary_ru and each figure a counted_ru, in Cyrillic and flagged `our-translation`."""
    for table, column in (("events", "summary_ru"), ("figures", "counted_ru")):
        frame = frames[table]
        assert frame[column].notna().all(), frame.loc[frame[column].isna(), "id"].tolist()
        assert frame[column].str.contains(CYRILLIC).all()
        assert (frame[f"{column}_origin"].astype("string") == "our-translation").all()


def test_every_descriptor_text_has_a_russian_rendering(repo_root: Path) -> None:
    """The package, each table and each field carry `title@ru` and `description@ru` (the language recipe)."""
    desc = read_descriptor(repo_root)
    assert "ru" in desc.languages
    raw = desc.raw
    assert translated(raw, "title", "ru") != raw["title"]
    for res in raw["resources"]:
        for obj in (res, *res["schema"]["fields"]):
            for key in ("title", "description"):
                text = translated(obj, key, "ru", None)
                assert text and pd.Series([text]).str.contains(CYRILLIC).all(), (
                    res["name"],
                    obj.get("name"),
                    key,
                )


def test_translations_fall_back_to_the_default_language() -> None:
    """Without `<key>@<lang>`, the default-language text is used, as the recipe requires."""
    assert translated({"description": "Text"}, "description", "ru") == "Text"
    assert translated({"description": "Text", "description@ru": "Текст"}, "description", "ru") == "Текст"
    assert translated({"description": "Text", "description@ru": "Текст"}, "description") == "Text"


def test_diff_counts_a_translation_as_a_description(package_copy: Path) -> None:
    """Editing a Russian description is a patch, like editing the English one; nothing else changes."""
    file = package_copy / "datapackage.json"
    before = read_descriptor(package_copy)
    raw = json.loads(file.read_text(encoding="utf-8"))
    raw["resources"][0]["schema"]["fields"][0]["description@ru"] = "Изменено"
    raw["resources"][0]["description@ru"] = "Изменено"
    file.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert diff.descriptive("description@ru") and not diff.descriptive("type")
    changes = diff.schema_changes(before, read_descriptor(package_copy))
    assert changes and {c.bump for c in changes} == {"patch"}


def test_timeline_in_russian_shows_the_russian_summaries(frames: dict[str, pd.DataFrame]) -> None:
    """`--lang ru` shows each event's summary_ru (marked as Russian); English stays English."""
    from dataset import timeline

    ru = {it["id"]: it for it in timeline.build(frames, lang="ru")}
    en = {it["id"]: it for it in timeline.build(frames)}
    events = frames["events"].set_index("id")
    for rid, item in ru.items():
        assert item["summary"] == events.at[rid, "summary_ru"] and item["summary_lang"] == "ru"
        assert en[rid]["summary"] == events.at[rid, "summary"] and en[rid]["summary_lang"] == "en"


def test_query_follows_lang_ru(repo_root: Path) -> None:
    """`query --lang ru` shows each event's Russian summary, in the table and in a person's story."""
    import csv

    from click.testing import CliRunner

    from dataset.cli import cli

    with open(repo_root / "data" / "events.csv", encoding="utf-8", newline="") as fh:
        releases = [r for r in csv.DictReader(fh) if r["event_type"] == "release" and r["summary_ru"]]
    assert releases
    result = CliRunner().invoke(
        cli, ["query", "events", str(repo_root), "--type", "release", "--lang", "ru", "--format", "csv",
              "--columns", "id,summary_ru"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    for row in releases:
        assert row["summary_ru"] in result.stdout
    table = CliRunner().invoke(
        cli, ["query", "events", str(repo_root), "--type", "release", "--lang", "ru"], env={"COLUMNS": "200"}
    )
    assert "summary_ru" in table.stdout.splitlines()[0]
    person = releases[0]["person_ids"].split(";")[0]
    story = CliRunner().invoke(
        cli, ["query", str(repo_root), "--person", person, "--lang", "ru", "--format", "json"]
    )
    assert story.exit_code == 0, story.output
    assert releases[0]["summary_ru"] in story.stdout
    wrong = CliRunner().invoke(cli, ["query", "events", str(repo_root), "--lang", "xx"])
    assert wrong.exit_code == 2 and "--lang" in wrong.output
