"""`dataset query --sql` runs in a sandbox: read-only, no files, bounded in time and memory, stoppable."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from dataset.cli import cli
from dataset.query import QueryError, sql

FOREVER = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"


@pytest.mark.parametrize(
    "statement",
    [
        "ATTACH DATABASE '{dir}/attached.db' AS other",
        "VACUUM INTO '{dir}/copy.db'",
        "SELECT * FROM pragma_table_info('events') WHERE 0; PRAGMA user_version = 7",
        "PRAGMA writable_schema = ON",
        "SELECT fts3_tokenizer('simple')",
        "DELETE FROM events",
    ],
)
def test_statements_that_write_or_leak_are_refused(
    frames: dict[str, pd.DataFrame], tmp_path: Path, statement: str
) -> None:
    with pytest.raises(QueryError):
        sql(frames, statement.format(dir=tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_reading_pragmas_and_full_text_search_still_work(frames: dict[str, pd.DataFrame]) -> None:
    info = sql(frames, "PRAGMA table_info(events)")
    assert "id" in set(info["name"])
    found = sql(frames, "SELECT count(*) AS n FROM statements_fts WHERE statements_fts MATCH 'a*'")
    assert found["n"][0] >= 0


def test_a_query_that_never_ends_is_stopped_at_the_timeout(frames: dict[str, pd.DataFrame]) -> None:
    started = time.monotonic()
    with pytest.raises(QueryError, match=r"longer than 0\.5 seconds"):
        sql(frames, FOREVER, timeout=0.5)
    assert time.monotonic() - started < 10


def test_a_huge_value_is_refused_not_allocated(frames: dict[str, pd.DataFrame]) -> None:
    with pytest.raises(QueryError, match="bytes --sql may use"):
        sql(frames, "SELECT length(randomblob(1000000000))")


def test_the_library_leaves_the_process_heap_limit_alone_unless_asked(
    frames: dict[str, pd.DataFrame],
) -> None:
    import sqlite3

    before = sqlite3.connect(":memory:").execute("PRAGMA hard_heap_limit").fetchone()[0]
    sql(frames, "SELECT 1 AS one")
    assert sqlite3.connect(":memory:").execute("PRAGMA hard_heap_limit").fetchone()[0] == before


_HEAP_CHILD = """
import sys
from dataset import load
from dataset.query import QueryError, sql
statement = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 15000) "
             "SELECT length(group_concat(hex(randomblob(1000)), '')) AS n FROM c")
frames = load(validate=False)
print(sql(frames, statement)["n"][0])  # 30 MB of text: fine without a cap
try:
    sql(frames, statement, heap_limit=20_000_000)
except QueryError as exc:
    print(exc)
"""


def test_the_heap_limit_stops_a_query_that_needs_more() -> None:
    # in a child: SQLite's heap limit lasts as long as the process
    done = subprocess.run([sys.executable, "-c", _HEAP_CHILD], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "30000000"
    assert "bytes --sql may use" in lines[1]


def test_the_timeout_flag_reaches_the_query() -> None:
    result = CliRunner().invoke(cli, ["query", "--sql", FOREVER, "--timeout", "0.5"])
    assert result.exit_code == 2
    assert "longer than 0.5 seconds (--timeout)" in result.output and "Traceback" not in result.output


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
def test_ctrl_c_stops_the_query_with_one_line() -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "dataset", "query", "--sql", FOREVER, "--timeout", "120"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    time.sleep(8)  # load and validate the package, then start the query
    child.send_signal(signal.SIGINT)
    try:
        _, err = child.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        child.kill()
        pytest.fail("Ctrl-C did not stop the query")
    assert child.returncode in (1, 2, 130)
    assert "Traceback" not in err


def test_query_refuses_an_invalid_package_unless_forced(package_copy: Path) -> None:
    descriptor = package_copy / "datapackage.json"
    raw = json.loads(descriptor.read_text(encoding="utf-8"))
    raw["resources"][0]["bytes"] += 1  # the recorded size no longer matches: invalid, yet loadable
    descriptor.write_text(json.dumps(raw, ensure_ascii=False, indent=2), encoding="utf-8")
    result = CliRunner().invoke(cli, ["query", "events", str(package_copy), "--limit", "1"])
    assert result.exit_code == 1 and "--force" in result.output
    forced = CliRunner().invoke(cli, ["query", "events", str(package_copy), "--limit", "1", "--force"])
    assert forced.exit_code == 0 and "not validated" in forced.output
