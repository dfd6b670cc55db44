"""`dataset diff`: schema changes with their SemVer bump, row changes by primary key, the version gate."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import git
from dataset.cli import cli
from dataset.diff import DiffInputError, diff, diff_packages, render_markdown

FIELDS: list[dict[str, Any]] = [
    {"name": "id", "type": "string", "constraints": {"required": True, "unique": True}},
    {"name": "kind", "type": "string", "constraints": {"enum": ["raid", "release"]}},
    {"name": "count", "type": "integer"},
    {"name": "summary", "type": "string"},
]
ROWS = [
    ["a", "raid", "3", "Police raid"],
    ["b", "release", "1", "Released, later"],
    ["c", "raid", "", "Second raid"],
]


def write_package(
    root: Path,
    *,
    version: str = "1.0.0",
    fields: list[dict[str, Any]] | None = None,
    rows: list[list[str]] | None = None,
) -> Path:
    """A one-table package ("events") small enough to read at a glance."""
    fields = FIELDS if fields is None else fields
    rows = ROWS if rows is None else rows
    root.mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(exist_ok=True)
    descriptor = {
        "name": "toy",
        "version": version,
        "resources": [
            {
                "name": "events",
                "path": "data/events.csv",
                "schema": {"fields": fields, "primaryKey": ["id"]},
            }
        ],
    }
    (root / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")
    header = ",".join(f["name"] for f in fields)
    body = "".join(",".join(f'"{c}"' if "," in c else c for c in row) + "\n" for row in rows)
    (root / "data" / "events.csv").write_text(header + "\n" + body, encoding="utf-8")
    return root


def with_field(name: str, **changes: Any) -> list[dict[str, Any]]:
    """FIELDS with the field NAME's properties replaced by CHANGES."""
    return [{**f, **changes} if f["name"] == name else f for f in FIELDS]


def test_added_removed_and_changed_rows_are_matched_by_primary_key(tmp_path: Path) -> None:
    """A row only in NEW is added, one only in OLD removed, and a changed cell is shown old -> new."""
    old = write_package(tmp_path / "old")
    new_rows = [ROWS[0], ["b", "release", "2", "Released, later"], ["d", "release", "5", "Freed"]]
    new = write_package(tmp_path / "new", version="2.0.0", rows=new_rows)
    result = diff_packages(old, new)
    (events,) = result.tables
    assert [r.key for r in events.added] == ["d"]
    assert events.added[0].cells == {"id": "d", "kind": "release", "count": "5", "summary": "Freed"}
    assert [r.key for r in events.removed] == ["c"]
    assert [(c.key, [(x.field, x.old, x.new) for x in c.cells]) for c in events.changed] == [
        ("b", [("count", "1", "2")])
    ]
    assert result.schema == []


@pytest.mark.parametrize(
    ("rows", "required"),
    [
        ([*ROWS, ["d", "raid", "1", "New"]], "minor"),
        (ROWS[:2], "major"),
        ([ROWS[0], ["b", "release", "1", "Released, much later"], ROWS[2]], "patch"),
        (ROWS, "none"),
    ],
    ids=["row-added", "row-removed", "value-corrected", "unchanged"],
)
def test_row_changes_require_the_recipes_bump(tmp_path: Path, rows: list[list[str]], required: str) -> None:
    """New rows need minor, removed rows major (their ids were published), corrections patch."""
    result = diff_packages(write_package(tmp_path / "old"), write_package(tmp_path / "new", rows=rows))
    assert result.required == required


def test_added_field_is_a_minor_schema_change_not_a_row_change(tmp_path: Path) -> None:
    """A new column is listed once among schema changes (minor), not as a changed cell in every row."""
    old = write_package(tmp_path / "old")
    fields = [*FIELDS, {"name": "place", "type": "string"}]
    new = write_package(tmp_path / "new", version="1.1.0", fields=fields, rows=[[*r, "Baku"] for r in ROWS])
    result = diff_packages(old, new)
    assert [(c.where, c.kind, c.bump) for c in result.schema] == [("events.place", "field-added", "minor")]
    assert result.tables[0].changed == []
    assert result.required == "minor"
    assert result.ok


def test_removed_field_is_major(tmp_path: Path) -> None:
    """Dropping (or renaming) a column breaks its readers: major."""
    old = write_package(tmp_path / "old")
    new = write_package(tmp_path / "new", fields=FIELDS[:3], rows=[r[:3] for r in ROWS])
    result = diff_packages(old, new)
    assert [(c.where, c.kind, c.bump) for c in result.schema] == [
        ("events.summary", "field-removed", "major")
    ]


def test_retyped_field_is_major(tmp_path: Path) -> None:
    """A field whose type changes is listed with both types and needs a major bump."""
    old = write_package(tmp_path / "old")
    new = write_package(tmp_path / "new", fields=with_field("count", type="string"))
    result = diff_packages(old, new)
    assert [(c.where, c.kind, c.detail, c.bump) for c in result.schema] == [
        ("events.count", "field-retyped", "type integer -> string", "major")
    ]
    assert result.required == "major"


def test_enum_value_removed_is_major_and_added_is_minor(tmp_path: Path) -> None:
    """Losing a vocabulary value tightens the field (major); gaining one loosens it (minor)."""
    old = write_package(tmp_path / "old")
    narrower = write_package(
        tmp_path / "narrower",
        fields=with_field("kind", constraints={"enum": ["raid"]}),
        rows=[ROWS[0], ROWS[2]],
    )
    wider = write_package(
        tmp_path / "wider", fields=with_field("kind", constraints={"enum": ["raid", "release", "visit"]})
    )
    removed = [c for c in diff_packages(old, narrower).schema if c.field == "kind"]
    assert [(c.kind, c.detail, c.bump) for c in removed] == [
        ("enum-values-removed", "vocabulary loses release", "major")
    ]
    added = diff_packages(old, wider).schema
    assert [(c.kind, c.detail, c.bump) for c in added] == [
        ("enum-values-added", "vocabulary gains visit", "minor")
    ]


def test_required_constraint_tightens_and_its_removal_loosens(tmp_path: Path) -> None:
    """A new `required` is a tighter constraint (major); dropping `unique` a looser one (minor)."""
    old = write_package(tmp_path / "old")
    tighter = write_package(
        tmp_path / "tighter", fields=with_field("summary", constraints={"required": True})
    )
    looser = write_package(tmp_path / "looser", fields=with_field("id", constraints={"required": True}))
    assert [(c.kind, c.bump) for c in diff_packages(old, tighter).schema] == [
        ("constraint-tightened", "major")
    ]
    assert [(c.kind, c.bump) for c in diff_packages(old, looser).schema] == [("constraint-loosened", "minor")]


def test_description_edit_is_a_patch(tmp_path: Path) -> None:
    """Editing descriptive metadata changes no data but still needs a patch release."""
    old = write_package(tmp_path / "old")
    new = write_package(tmp_path / "new", fields=with_field("summary", description="What happened."))
    assert [(c.kind, c.bump) for c in diff_packages(old, new).schema] == [("field-described", "patch")]


def test_under_bumped_version_exits_1_and_says_what_is_required(tmp_path: Path) -> None:
    """A removed row with only a minor bump fails, naming the major bump and the version to use."""
    old = write_package(tmp_path / "old", version="1.2.3")
    new = write_package(tmp_path / "new", version="1.3.0", rows=ROWS[:2])
    result = CliRunner().invoke(cli, ["diff", str(old), str(new)])
    assert result.exit_code == 1
    assert "need a major bump" in result.output
    assert "2.0.0 or later" in result.output
    assert "1.2.3 -> 1.3.0 is a minor bump" in result.output


def test_unbumped_version_fails_for_a_correction(tmp_path: Path) -> None:
    """Even a corrected value needs a new version: the same version number exits 1."""
    old = write_package(tmp_path / "old")
    new = write_package(tmp_path / "new", rows=[ROWS[0], ROWS[1], ["c", "raid", "2", "Second raid"]])
    result = CliRunner().invoke(cli, ["diff", str(old), str(new)])
    assert result.exit_code == 1
    assert "the version is still 1.0.0" in result.output
    assert "1.0.1 or later" in result.output


def test_properly_bumped_version_exits_0(tmp_path: Path) -> None:
    """An added row with a minor bump passes; the text output lists the row and the verdict."""
    old = write_package(tmp_path / "old")
    new = write_package(tmp_path / "new", version="1.1.0", rows=[*ROWS, ["d", "release", "5", "Freed"]])
    result = CliRunner().invoke(cli, ["diff", str(old), str(new)])
    assert result.exit_code == 0, result.output
    assert "  + d\n" in result.output
    assert "version check OK" in result.output


def test_lower_version_fails_even_without_changes(tmp_path: Path) -> None:
    """A version that goes down is never accepted."""
    result = diff_packages(write_package(tmp_path / "old", version="1.1.0"), write_package(tmp_path / "new"))
    assert not result.ok
    assert "went down" in result.verdict()


def test_identical_packages_need_no_bump(repo_root: Path) -> None:
    """The repository's package compared with itself has no change and passes."""
    result = diff_packages(repo_root, repo_root)
    assert not result.changed
    assert result.ok


def test_unreadable_side_exits_2(tmp_path: Path) -> None:
    """A path with no package, or a CSV that cannot be parsed, is an input error (exit 2)."""
    old = write_package(tmp_path / "old")
    missing = CliRunner().invoke(cli, ["diff", str(old), str(tmp_path / "nowhere")])
    assert missing.exit_code == 2
    assert "nowhere" in missing.output
    broken = write_package(tmp_path / "broken")
    (broken / "data" / "events.csv").write_text("id,kind,count,summary\na,raid,3\n", encoding="utf-8")
    ragged = CliRunner().invoke(cli, ["diff", str(old), str(broken)])
    assert ragged.exit_code == 2
    assert "events.csv, row 2: the row has 3 cells but the header has 4" in ragged.output


def test_json_output_is_the_librarys_result(tmp_path: Path) -> None:
    """`--format json` prints exactly `PackageDiff.to_dict()`, so programs and the library agree."""
    old = write_package(tmp_path / "old")
    new = write_package(tmp_path / "new", version="2.0.0", fields=with_field("count", type="number"))
    result = CliRunner().invoke(cli, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 0
    assert (
        json.loads(result.output) == diff_packages(old, new, old_label=str(old), new_label=str(new)).to_dict()
    )
    assert json.loads(result.output)["required_bump"] == "major"


def test_markdown_is_fit_for_a_pull_request(tmp_path: Path) -> None:
    """Markdown opens with the verdict, lists schema changes first, and keeps cell text inert."""
    old = write_package(tmp_path / "old")
    rows = [ROWS[0], ["b", "release", "1", "a | b <script>"], ROWS[2]]
    new = write_package(
        tmp_path / "new", version="2.0.0", fields=with_field("count", type="number"), rows=rows
    )
    text = render_markdown(diff_packages(old, new))
    assert text.startswith("## Data package diff: 1.0.0 → 2.0.0\n\n✅ **version check OK")
    assert text.index("### Schema changes") < text.index("### Rows")
    assert "| events.count | field-retyped | type integer -&gt; number | **major** |" in text
    assert "| b | summary | Released, later | a \\| b &lt;script&gt; |" in text
    assert "<script>" not in text


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_revision_is_read_from_the_current_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`git:HEAD` stands for the committed package, so the working tree's edit shows as a change."""
    repo = write_package(tmp_path / "repo")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first")
    write_package(repo, version="1.1.0", rows=[*ROWS, ["d", "release", "5", "Freed"]])
    monkeypatch.chdir(repo)
    result = diff("git:HEAD", ".")
    assert (result.old_version.text, result.new_version.text) == ("1.0.0", "1.1.0")
    assert [r.key for r in result.tables[0].added] == ["d"]
    assert result.ok
    with pytest.raises(DiffInputError, match="no-such-rev"):
        diff("git:no-such-rev", ".")
    bad = CliRunner().invoke(cli, ["diff", "git:--output=x", "."])
    assert bad.exit_code == 2
