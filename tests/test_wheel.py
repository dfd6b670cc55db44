"""The wheel carries the data: installed outside the checkout, it loads every table with the declared dtypes."""

from __future__ import annotations

import csv
import json
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from dataset.descriptor import read_descriptor

PROBE = """
import json, dataset
from dataset import location, validity
tables = dataset.load()
print(json.dumps({
    "file": dataset.__file__,
    "version": dataset.__version__,
    "tables": {name: {"rows": len(frame), "ids": frame["id"].tolist(),
                      "dtypes": {c: str(t) for c, t in frame.dtypes.items()}}
               for name, frame in tables.items()},
    "trusted": validity.trusted(location.bundled_root()),
    "cyrillic": tables["persons"].set_index("id").loc["kartavykh-igor", "name_cyrillic"],
}, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> dict[str, object]:
    """Build the wheel, install it into a new virtualenv outside the checkout, and load the data there."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(work),
            str(repo_root),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(work.glob("*.whl"))
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    # Dependencies come from the test environment; the package itself only from the wheel.
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    # Only now make the dependencies visible: had pip seen this environment's own copy of the
    # distribution first, it would have skipped installing the wheel.
    deps = [p for p in site.getsitepackages() if "site-packages" in p]
    Path(purelib, "_test_deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    out = subprocess.run([python, "-c", PROBE], check=True, capture_output=True, text=True, cwd=work)
    result = json.loads(out.stdout)
    result["env"] = str(env_dir)
    return result


def test_wheel_ships_a_validity_record_load_can_trust(installed_wheel: dict[str, object]) -> None:
    """The bundled record matches the wheel's data and code, so a user's load() skips re-validating."""
    assert installed_wheel["trusted"], "validity.json is stale: run `dataset refresh`"


def test_wheel_is_used_not_the_checkout(installed_wheel: dict[str, object]) -> None:
    """The probe imported dataset from the new virtualenv, not from the repository."""
    assert str(installed_wheel["file"]).startswith(str(installed_wheel["env"]))


def test_wheel_loads_every_row(installed_wheel: dict[str, object], repo_root: Path) -> None:
    """Every table loads from the wheel with exactly the repository CSV's ids, in order."""
    desc = read_descriptor(repo_root)
    tables = installed_wheel["tables"]
    assert isinstance(tables, dict)
    assert set(tables) == set(desc.tables)
    for name, table in desc.tables.items():
        with (repo_root / table.path).open(encoding="utf-8", newline="") as fh:
            ids = [row["id"] for row in csv.DictReader(fh)]
        assert tables[name]["ids"] == ids


def test_wheel_frames_have_declared_dtypes(installed_wheel: dict[str, object], repo_root: Path) -> None:
    """Columns loaded from the wheel have the dtype promised for their Table Schema type."""
    desc = read_descriptor(repo_root)
    tables = installed_wheel["tables"]
    assert isinstance(tables, dict)
    for name, table in desc.tables.items():
        dtypes = tables[name]["dtypes"]
        for field in table.fields:
            expected = "category" if field.enum else {"integer": "Int64", "string": "string"}[field.type]
            assert dtypes[field.name] == expected, (name, field.name)


def test_wheel_keeps_cyrillic_and_version(installed_wheel: dict[str, object], repo_root: Path) -> None:
    """Cyrillic text and the descriptor's version arrive intact through the wheel."""
    assert installed_wheel["cyrillic"] == "Игорь Картавых"
    assert installed_wheel["version"] == read_descriptor(repo_root).version
