"""Resource integrity: `bytes` and `hash` in the descriptor, refreshed by `dataset hashes` and checked."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner

from dataset.cli import cli
from dataset.descriptor import read_descriptor
from dataset.integrity import integrity_problems, refresh_hashes


def resources(root: Path) -> dict[str, dict[str, object]]:
    return {r["name"]: r for r in json.loads((root / "datapackage.json").read_text("utf-8"))["resources"]}


def test_hashes_records_size_and_sha256_in_the_frictionless_form(package_copy: Path) -> None:
    """Each resource gets bytes = file size and hash = "sha256:<hex>" of the file, and then checks clean."""
    result = CliRunner().invoke(cli, ["hashes", str(package_copy)])
    assert result.exit_code == 0, result.output
    for name, res in resources(package_copy).items():
        data = (package_copy / str(res["path"])).read_bytes()
        assert res["bytes"] == len(data), name
        assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest(), name
    assert integrity_problems(read_descriptor(package_copy)) == []


def test_hashes_keeps_the_descriptor_layout(package_copy: Path) -> None:
    """Only bytes and hash change: key order, 2-space indent, unescaped non-ASCII text and the final newline stay."""
    before = json.loads((package_copy / "datapackage.json").read_text("utf-8"))
    for res in before["resources"]:
        res.pop("bytes", None)
        res.pop("hash", None)
    (package_copy / "datapackage.json").write_text(
        json.dumps(before, indent=2, ensure_ascii=False) + "\n", "utf-8"
    )
    refresh_hashes(package_copy)
    text = (package_copy / "datapackage.json").read_text("utf-8")
    after = json.loads(text)
    assert text == json.dumps(after, indent=2, ensure_ascii=False) + "\n"
    assert "–" in text  # the en dash in the title is written as itself, not \u2013
    assert list(after) == list(before)
    for old, new in zip(before["resources"], after["resources"], strict=True):
        expected = []
        for key in old:
            expected.append(key)
            if key == "encoding":
                expected += ["bytes", "hash"]
        assert list(new) == expected
        assert {k: v for k, v in new.items() if k not in ("bytes", "hash")} == old
    again = refresh_hashes(package_copy)
    assert len(again) == len(after["resources"])
    assert not any(r.changed for r in again)
    assert (package_copy / "datapackage.json").read_text("utf-8") == text


def test_edited_file_is_reported_with_expected_and_actual_values(package_copy: Path) -> None:
    """A CSV changed after the refresh gives a resource-bytes and a resource-hash error on that CSV."""
    refresh_hashes(package_copy)
    recorded = resources(package_copy)["persons"]
    persons = package_copy / "data" / "persons.csv"
    persons.write_bytes(persons.read_bytes() + b"extra,row\n")
    actual = "sha256:" + hashlib.sha256(persons.read_bytes()).hexdigest()
    problems = integrity_problems(read_descriptor(package_copy))
    assert [(p.file, p.rule, p.severity) for p in problems] == [
        ("data/persons.csv", "resource-bytes", "error"),
        ("data/persons.csv", "resource-hash", "error"),
    ]
    size, digest = problems
    assert f"expected {recorded['bytes']}, actual {persons.stat().st_size}" in size.message
    assert f"expected {str(recorded['hash']).removeprefix('sha256:')}" in digest.message
    assert digest.value == actual


def test_same_size_edit_is_caught_by_the_hash(package_copy: Path) -> None:
    """Swapping one letter keeps the size, so only the hash tells: one resource-hash error."""
    refresh_hashes(package_copy)
    sources = package_copy / "data" / "sources.csv"
    data = sources.read_bytes()
    sources.write_bytes(data.replace(b"TASS", b"TASZ", 1))
    problems = integrity_problems(read_descriptor(package_copy))
    assert [(p.file, p.rule) for p in problems] == [("data/sources.csv", "resource-hash")]


def test_missing_bytes_and_hash_is_a_warning(package_copy: Path) -> None:
    """A resource that records neither value is flagged as a warning that names the command to run."""
    raw = json.loads((package_copy / "datapackage.json").read_text("utf-8"))
    for res in raw["resources"]:
        res.pop("bytes", None)
        res.pop("hash", None)
    (package_copy / "datapackage.json").write_text(
        json.dumps(raw, indent=2, ensure_ascii=False) + "\n", "utf-8"
    )
    problems = integrity_problems(read_descriptor(package_copy))
    assert {(p.file, p.severity) for p in problems} == {
        (t.path, "warning") for t in read_descriptor(package_copy).tables.values()
    }
    assert all("dataset hashes" in p.message for p in problems)


def test_bare_md5_digest_is_checked(package_copy: Path) -> None:
    """A hash without an algorithm prefix is md5, as Data Package v1 defines it, and is verified as such."""
    raw = json.loads((package_copy / "datapackage.json").read_text("utf-8"))
    res = raw["resources"][0]
    res["hash"] = hashlib.md5((package_copy / res["path"]).read_bytes()).hexdigest()
    (package_copy / "datapackage.json").write_text(
        json.dumps(raw, indent=2, ensure_ascii=False) + "\n", "utf-8"
    )
    assert [p for p in integrity_problems(read_descriptor(package_copy)) if p.file == res["path"]] == []
    res["hash"] = "0" * 32
    (package_copy / "datapackage.json").write_text(
        json.dumps(raw, indent=2, ensure_ascii=False) + "\n", "utf-8"
    )
    problems = [p for p in integrity_problems(read_descriptor(package_copy)) if p.file == res["path"]]
    assert [(p.rule, "md5" in p.message) for p in problems] == [("resource-hash", True)]


def test_frictionless_accepts_our_hash_and_rejects_a_wrong_one(tmp_path: Path) -> None:
    """frictionless 5 reads the "sha256:<hex>" form: it passes when right and reports hash-count when wrong."""
    from frictionless import validate

    (tmp_path / "t.csv").write_text("id,name\n1,a\n", encoding="utf-8")
    descriptor = {
        "name": "t",
        "resources": [
            {
                "name": "t",
                "path": "t.csv",
                "schema": {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]},
            }
        ],
    }
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    refresh_hashes(tmp_path)
    assert validate(str(tmp_path / "datapackage.json")).valid
    raw = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    raw["resources"][0]["hash"] = "sha256:" + "0" * 64
    (tmp_path / "datapackage.json").write_text(json.dumps(raw), encoding="utf-8")
    report = validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert [e.type for e in report.tasks[0].errors] == ["hash-count"]


def test_hashes_refuses_a_missing_file(package_copy: Path) -> None:
    """A resource pointing at no file is an input error (exit 2), and the descriptor is not touched."""
    (package_copy / "data" / "figures.csv").unlink()
    before = (package_copy / "datapackage.json").read_bytes()
    result = CliRunner().invoke(cli, ["hashes", str(package_copy)])
    assert result.exit_code == 2
    assert "'figures'" in result.output
    assert (package_copy / "datapackage.json").read_bytes() == before
