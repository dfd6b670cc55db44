"""Mutated descriptors and CSVs thrown at every command: a message and an exit code, never a crash or a hang.

hypothesis draws a mutation and a command per example; the examples are few and bounded (about
a minute in all), and each command run has a time limit of its own.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataset.cli import cli

#: Seconds one command may take on a mutated package before it counts as a hang.
BOUND = 60

COMMANDS = [
    ["validate", "{pkg}"],
    ["validate", "{pkg}", "--format", "github"],
    ["query", "events", "{pkg}", "--limit", "3", "--force"],
    ["query", "--sql", "SELECT count(*) FROM persons", "{pkg}", "--force"],
    ["export", "{pkg}", "--format", "json", "-o", "{out}/x.json"],
    ["export", "{pkg}", "--format", "xlsx", "-o", "{out}/x.xlsx"],
    ["diff", "{base}", "{pkg}"],
    ["fmt", "--check", "{pkg}"],
    ["hashes", "{pkg}"],
    ["codebook", "{pkg}", "-o", "{out}/codebook.md"],
    ["timeline", "{pkg}", "-o", "{out}/t.html"],
]

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -0.0]),
    st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\x00\x1b\n\r\u2028/..:%"), max_size=12),
    st.sampled_from(["../../etc/passwd", "/dev/zero", "data", "http://x.invalid/a.csv", "string", "integer"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            out.extend(_paths(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out.extend(_paths(item, (*path, index)))
    return out


def _replace(value: Any, path: tuple[Any, ...], new: Any, delete: bool) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    copy = dict(value) if isinstance(value, dict) else list(value)
    if delete and not rest:
        del copy[head]
        return copy
    copy[head] = _replace(value[head], rest, new, delete)
    return copy


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> Path:
    target = tmp_path_factory.mktemp("fuzz") / "base"
    target.mkdir()
    shutil.copy2(repo_root / "datapackage.json", target / "datapackage.json")
    shutil.copytree(repo_root / "data", target / "data")
    shutil.copytree(repo_root / "seeds", target / "seeds")
    return target


def _fresh(base: Path) -> tuple[Path, Path]:
    """A copy of BASE to break (its seeds linked, not copied), and an empty output folder."""
    root = base.parent / "work"
    shutil.rmtree(root, ignore_errors=True)
    pkg, out = root / "pkg", root / "out"
    out.mkdir(parents=True)
    pkg.mkdir()
    shutil.copy2(base / "datapackage.json", pkg / "datapackage.json")
    shutil.copytree(base / "data", pkg / "data")
    (pkg / "seeds").symlink_to(base / "seeds")  # a link inside the package's reach: read, never written
    return pkg, out


def _run(args: list[str]) -> Result:
    """Run the CLI in a thread, failing the test when it outlives BOUND."""
    outcome: list[Result] = []
    worker = threading.Thread(target=lambda: outcome.append(CliRunner().invoke(cli, args)), daemon=True)
    worker.start()
    worker.join(BOUND)
    assert not worker.is_alive(), f"hangs: dataset {' '.join(args)}"
    return outcome[0]


_BARE = re.compile(r"^Error: [A-Z]\w*(Error|Exception): ", re.MULTILINE)


def _check(result: Result, args: list[str]) -> None:
    shown = " ".join(args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(
            f"dataset {shown} raised {type(result.exception).__name__}"
        ) from result.exception
    assert "Traceback" not in result.output, shown
    assert not _BARE.search(result.output), (
        f"dataset {shown}: an exception without a location: {result.output}"
    )
    assert result.exit_code in (0, 1, 2), shown


def _command(index: int, pkg: Path, out: Path, base: Path) -> list[str]:
    return [a.format(pkg=pkg, out=out, base=base) for a in COMMANDS[index]]


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
@pytest.mark.filterwarnings(
    "ignore:Constructing a Categorical"
)  # query --force on values outside a vocabulary
def test_mutated_descriptors(base: Path, data: st.DataObject) -> None:
    pkg, out = _fresh(base)
    raw = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    paths = _paths(raw)[1:]
    path = data.draw(st.sampled_from(paths), label="path")
    delete = data.draw(st.booleans(), label="delete")
    mutated = _replace(raw, path, None if delete else data.draw(_VALUES, label="value"), delete)
    text = json.dumps(mutated, ensure_ascii=False, indent=2, allow_nan=True)
    if data.draw(st.booleans(), label="cut"):
        text = text[: data.draw(st.integers(0, len(text)), label="at")]
    (pkg / "datapackage.json").write_bytes(text.encode("utf-8", "surrogatepass"))
    args = _command(data.draw(st.integers(0, len(COMMANDS) - 1), label="command"), pkg, out, base)
    _check(_run(args), args)


@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
@pytest.mark.filterwarnings("ignore:Constructing a Categorical")
def test_mutated_csvs(base: Path, data: st.DataObject) -> None:
    pkg, out = _fresh(base)
    tables = sorted((pkg / "data").glob("*.csv"))
    file = data.draw(st.sampled_from(tables), label="table")
    content = file.read_bytes()
    at = data.draw(st.integers(0, len(content)), label="at")
    kind = data.draw(st.sampled_from(["insert", "delete", "header", "line"]), label="kind")
    if kind == "insert":
        content = (
            content[:at]
            + data.draw(st.binary(max_size=8) | st.sampled_from([b'"', b",", b"\r", b"\x00", b"\xff"]))
            + content[at:]
        )
    elif kind == "delete":
        content = content[:at] + content[at + data.draw(st.integers(1, 200)) :]
    elif kind == "header":
        content = (
            data.draw(st.sampled_from([b"=HYPERLINK(1)", b"id,id", b"\xef\xbb\xbfid", b"a;b;c", b""]))
            + content[content.find(b"\n") :]
        )
    else:
        content = content + content[at : at + 300]
    file.write_bytes(content)
    args = _command(data.draw(st.integers(0, len(COMMANDS) - 1), label="command"), pkg, out, base)
    _check(_run(args), args)
