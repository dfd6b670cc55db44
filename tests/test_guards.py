"""Every command reads the package's files through one guard and writes through one atomic writer."""

from __future__ import annotations

import errno
import json
import os
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataset import files
from dataset.cli import cli
from dataset.descriptor import read_raw
from dataset.errors import DescriptorError
from dataset.integrity import refresh_hashes

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _first_table(package: Path) -> Path:
    raw = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    return package / raw["resources"][0]["path"]


# --- reading -------------------------------------------------------------------------------------


@needs_fifo
@pytest.mark.parametrize("command", ["fmt", "diff"])
def test_a_fifo_is_refused_not_waited_on(package_copy: Path, command: str) -> None:
    table = _first_table(package_copy)
    table.unlink()
    os.mkfifo(table)
    args = [command, str(package_copy)] + ([str(package_copy)] if command == "diff" else [])
    outcome: list[tuple[int, str]] = []
    worker = threading.Thread(target=lambda: outcome.append(run(*args)), daemon=True)
    worker.start()
    worker.join(30)
    if worker.is_alive():  # unblock the reader so the test run can end
        with open(table, "wb"):
            pass
        pytest.fail(f"{command} hangs on a named pipe")
    code, output = outcome[0]
    assert code != 0
    assert "not a regular file" in output and table.name in output


@pytest.mark.parametrize("command", ["fmt", "diff"])
def test_a_link_to_a_device_is_refused(package_copy: Path, command: str) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    table = _first_table(package_copy)
    table.unlink()
    table.symlink_to("/dev/zero")
    args = [command, str(package_copy)] + ([str(package_copy)] if command == "diff" else [])
    code, output = run(*args)
    assert code != 0 and table.name in output


def test_fmt_does_not_copy_an_outside_file_into_the_package(package_copy: Path, tmp_path: Path) -> None:
    table = _first_table(package_copy)
    secret = tmp_path / "secret.csv"
    secret.write_bytes(table.read_bytes())
    table.unlink()
    table.symlink_to(secret)
    code, output = run("fmt", str(package_copy))
    assert code == 1
    assert "outside the package" in output
    assert table.is_symlink()


def test_diff_does_not_print_an_outside_file(package_copy: Path, tmp_path: Path) -> None:
    table = _first_table(package_copy)
    secret = tmp_path / "secret.csv"
    secret.write_text(table.read_text(encoding="utf-8") + "TOPSECRET-ROW" + ",x" * 0 + "\n", encoding="utf-8")
    table.unlink()
    table.symlink_to(secret)
    code, output = run("diff", str(package_copy), str(package_copy))
    assert code != 0
    assert "TOPSECRET" not in output and "outside the package" in output


def test_read_bytes_refuses_a_file_over_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 101)
    with pytest.raises(files.FileRefused) as caught:
        files.read_bytes(tmp_path, big, limit=100)
    assert caught.value.rule == "file-too-large" and "big.csv" in str(caught.value)
    assert files.read_bytes(tmp_path, big, limit=101) == b"x" * 101


# --- the atomic writer ---------------------------------------------------------------------------


def test_the_writer_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o640)
    files.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_new_file_gets_the_umask_mode_not_0600(tmp_path: Path) -> None:
    target = tmp_path / "new.txt"
    files.write_atomic(target, b"x")
    assert stat.S_IMODE(target.stat().st_mode) == files.new_file_mode()


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, ValueError])
def test_an_interrupted_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path, interrupt: type) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(interrupt), files.atomic_open(target) as handle:
        handle.write(b"half")
        raise interrupt()
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_full_disk_is_reported_naming_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(files.WriteRefused, match=r"out\.txt.*disk is full"):
        files.write_atomic(target, b"new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_export_refuses_to_replace_a_device(tmp_path: Path) -> None:
    code, output = run("export", "--format", "json", "-o", "/dev/full")
    assert code == 2
    assert "/dev/full" in output and "not a regular file" in output
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


@needs_fifo
def test_export_refuses_to_replace_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    code, output = run("export", "--format", "json", "-o", str(fifo))
    assert code == 2 and "not a regular file" in output
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_export_does_not_overwrite_the_descriptor_it_reads(package_copy: Path) -> None:
    descriptor = package_copy / "datapackage.json"
    before = descriptor.read_bytes()
    code, output = run("export", str(package_copy), "--format", "json", "-o", str(descriptor))
    assert code == 2 and "--force" in output
    assert descriptor.read_bytes() == before


def test_export_excel_csv_does_not_rewrite_the_package_tables(package_copy: Path) -> None:
    table = _first_table(package_copy)
    before = table.read_bytes()
    code, output = run("export", str(package_copy), "--format", "csv", "--excel", "-o", str(table.parent))
    assert code == 2 and "--force" in output
    assert table.read_bytes() == before


def test_export_writes_into_the_package_when_forced(package_copy: Path) -> None:
    table = _first_table(package_copy)
    code, _ = run("export", str(package_copy), "--format", "csv", "-o", str(table.parent), "--force")
    assert code == 0


def test_codebook_does_not_overwrite_the_descriptor(package_copy: Path) -> None:
    descriptor = package_copy / "datapackage.json"
    before = descriptor.read_bytes()
    code, output = run("codebook", str(package_copy), "-o", str(descriptor))
    assert code == 2 and "--force" in output
    assert descriptor.read_bytes() == before


def test_codebook_writes_atomically_keeping_the_mode(package_copy: Path) -> None:
    out = package_copy / "docs" / "codebook.md"
    out.parent.mkdir()
    out.write_text("old")
    out.chmod(0o664)
    code, _ = run("codebook", str(package_copy), "-o", str(out))
    assert code == 0 and out.read_text() != "old"
    assert stat.S_IMODE(out.stat().st_mode) == 0o664
    assert sorted(p.name for p in out.parent.iterdir()) == ["codebook.md"]


# --- the descriptor, updated in place and read as strict JSON ------------------------------------


def test_hashes_moves_only_the_changed_values(package_copy: Path) -> None:
    descriptor = package_copy / "datapackage.json"
    text = descriptor.read_text(encoding="utf-8")
    # an unusual layout of its own: hashes must not reformat it
    odd = text.replace('{\n  "', '{  "', 1)
    descriptor.write_text(odd, encoding="utf-8")
    descriptor.chmod(0o664)
    table = _first_table(package_copy)
    table.write_bytes(table.read_bytes() + b"\n")  # the recorded bytes and hash are now stale
    refresh_hashes(package_copy)
    new = descriptor.read_text(encoding="utf-8")
    assert new.startswith('{  "')
    assert stat.S_IMODE(descriptor.stat().st_mode) == 0o664
    old_lines, new_lines = odd.splitlines(), new.splitlines()
    assert len(old_lines) == len(new_lines)
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert changed and all('"bytes"' in a or '"hash"' in a for a, _ in changed)


@pytest.mark.parametrize(
    "value, words",
    [
        ("NaN", "NaN"),
        ("Infinity", "Infinity"),
        ("-Infinity", "Infinity"),
        ("1e999", "too large"),
        ('"\\ud800"', "surrogate"),
    ],
)
def test_a_descriptor_that_is_not_strict_json_is_an_error_with_its_line(
    package_copy: Path, value: str, words: str
) -> None:
    descriptor = package_copy / "datapackage.json"
    text = descriptor.read_text(encoding="utf-8")
    descriptor.write_text(text.replace("{", '{\n  "x-odd": ' + value + ",", 1), encoding="utf-8")
    with pytest.raises(DescriptorError, match=rf"line 2, column \d+ \(x-odd\).*{words}"):
        read_raw(package_copy)
    for command in (["validate"], ["hashes"], ["export", "--format", "json", "-o", "x.json"]):
        code, output = run(command[0], str(package_copy), *command[1:])
        assert code == 2 and "line 2" in output, command


def test_a_duplicate_key_is_an_error_in_every_command_but_validate_reports_it(package_copy: Path) -> None:
    descriptor = package_copy / "datapackage.json"
    text = descriptor.read_text(encoding="utf-8")
    descriptor.write_text(text.replace("{", '{\n  "title": "one",', 1), encoding="utf-8")
    for command in ("fmt", "hashes", "codebook"):
        code, output = run(command, str(package_copy), *(["-o", "x.md"] if command == "codebook" else []))
        assert code == 2 and "'title' is written twice" in output, command
    code, output = run("validate", str(package_copy))
    assert code == 1 and "duplicate-key" in output


# --- terminals -----------------------------------------------------------------------------------


def _hostile_cell(package: Path) -> None:
    """A notes cell of events holding an OSC title change, a screen clear and a C1 CSI."""
    import csv
    import io

    file = package / "data" / "events.csv"
    rows = list(csv.reader(io.StringIO(file.read_text(encoding="utf-8"), newline="")))
    rows[1][rows[0].index("notes")] = "x\x1b]0;owned\x07\x1b[2J\x9b31my"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    file.write_text(out.getvalue(), encoding="utf-8")
    refresh_hashes(package)


@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "csv"])
def test_query_output_never_runs_control_characters(package_copy: Path, fmt: str) -> None:
    _hostile_cell(package_copy)
    code, output = run(
        "query", "events", str(package_copy), "--columns", "id,notes", "--format", fmt, "--force"
    )
    assert code == 0
    if fmt == "csv":  # CliRunner's stdout is no terminal: csv keeps the cells exact for files and pipes
        assert "\x1b]0;owned" in output
        return
    assert not any(c in output for c in "\x1b\x07\x9b\r")
    assert "owned" in output


def test_diff_output_never_runs_control_characters(package_copy: Path, repo_root: Path) -> None:
    _hostile_cell(package_copy)
    for fmt in ("text", "markdown", "json"):
        _, output = run("diff", str(repo_root), str(package_copy), "--format", fmt)
        assert "owned" in output, fmt
        assert not any(c in output for c in "\x1b\x07\x9b\r"), fmt


def test_sigterm_unwinds_like_ctrl_c_so_writers_clean_up(tmp_path: Path) -> None:
    import signal

    from dataset.cli import _exit_on_terminate

    previous = signal.getsignal(signal.SIGTERM)
    target = tmp_path / "out.txt"
    try:
        _exit_on_terminate()
        with pytest.raises(SystemExit), files.atomic_open(target) as handle:
            handle.write(b"half")
            os.kill(os.getpid(), signal.SIGTERM)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert list(tmp_path.iterdir()) == []
