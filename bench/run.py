"""Benchmark `dataset validate` against a pyarrow parse and `frictionless validate`, on the same files.

For each size it writes a synthetic package (bench/generate.py, with known faults), then runs,
each in its own process so that wall time and peak memory (the child's ru_maxrss) are its own:

- a pyarrow.csv parse of every table, all columns as strings (the reference: the cost of reading);
- `dataset validate PATH --format json`;
  (these two take turns, --runs times, and the median of each is reported)
- `frictionless validate PATH/datapackage.json --json` (skipped above --skip-frictionless-above);

and once per run the start-up of `dataset --help`, `dataset --version` and `python -c "import click"`
(median of several runs), plus which heavy libraries `--help` and `--version` import. It checks that
`dataset validate` reports exactly the injected faults and that frictionless reports those it can
see, prints a table with the ratios the issue targets, and writes bench/results/<date>.json and .md.

    python bench/run.py --sizes 10000,100000,1000000

The machine is shared and small (2 cores): compare ratios measured in one run, not seconds
across runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
MB = 1024 * 1024

TARGETS = {
    "validate_over_parse": ("dataset validate / pyarrow parse (largest size)", "<=", 3.0),
    "frictionless_over_validate": ("frictionless validate / dataset validate (largest size)", ">=", 15.0),
    "rss_over_csv": ("dataset validate peak RSS / CSV bytes (largest size)", "<=", 2.0),
    "help_over_click": ("dataset --help / python -c 'import click'", "<=", 1.5),
    "growth": ("dataset validate time, largest / 10x smaller size", "<=", 12.0),
}

#: Run in a child: parse every table of the package with pyarrow, all columns as text.
PARSE_SCRIPT = r"""
import json, sys, time
from pathlib import Path
start = time.perf_counter()
import pyarrow as pa, pyarrow.csv as pv
imported = time.perf_counter()
root = Path(sys.argv[1])
desc = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
rows, skipped = {}, []
for res in desc["resources"]:
    names = [f["name"] for f in res["schema"]["fields"]]
    table = pv.read_csv(
        root / res["path"],
        parse_options=pv.ParseOptions(invalid_row_handler=lambda row: skipped.append(row.number) or "skip"),
        convert_options=pv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=True),
    )
    rows[res["name"]] = table.num_rows
    del table
done = time.perf_counter()
print(json.dumps({"import_s": imported - start, "parse_s": done - imported, "rows": rows, "skipped": len(skipped)}))
"""

#: Run in a child: which heavy libraries `dataset --help` and `dataset --version` load.
IMPORTS_SCRIPT = r"""
import json, sys
from dataset.cli import main
for args in (["--help"], ["--version"]):
    try:
        main(args)
    except SystemExit:
        pass
heavy = ("pandas", "pandera", "frictionless", "pyarrow", "numpy")
sys.stderr.write(json.dumps(sorted(m for m in heavy if m in sys.modules)))
"""


@dataclass
class Measure:
    """One child process: its wall time, peak resident memory and exit code."""

    command: str
    seconds: float
    peak_mb: float
    exit_code: int
    timed_out: bool = False
    stdout_file: str | None = None


def measure(argv: list[str], stdout: Path | None = None, timeout: float | None = None) -> Measure:
    """Run ARGV as a child; wall time by the clock, peak RSS from the kernel's accounting of that child."""
    out = stdout.open("wb") if stdout else subprocess.DEVNULL
    stderr_file = (stdout.with_suffix(".stderr")).open("wb") if stdout else subprocess.DEVNULL
    timed_out = threading.Event()
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=stderr_file)
        timer = None
        if timeout:

            def kill() -> None:
                timed_out.set()
                proc.kill()

            timer = threading.Timer(timeout, kill)
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if timer:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if stdout:
            out.close()  # type: ignore[union-attr]
            stderr_file.close()  # type: ignore[union-attr]
    return Measure(
        " ".join(shlex.quote(a) for a in argv),
        round(seconds, 3),
        round(usage.ru_maxrss / 1024, 1),  # KiB on Linux
        proc.returncode,
        timed_out.is_set(),
        str(stdout) if stdout else None,
    )


def start_times(commands: dict[str, list[str]], repeat: int) -> dict[str, dict[str, Any]]:
    """Start-up of short commands, run in turns (a, b, c, a, b, c, ...) so that load on a shared
    machine falls on all of them alike; one warm-up round is not counted."""
    runs: dict[str, list[Measure]] = {name: [] for name in commands}
    for round_ in range(repeat + 1):
        for name, argv in commands.items():
            m = measure(argv)
            if round_:
                runs[name].append(m)
    return {
        name: {
            "command": rs[0].command,
            "median_s": round(statistics.median(r.seconds for r in rs), 4),
            "min_s": round(min(r.seconds for r in rs), 4),
            "peak_mb": max(r.peak_mb for r in rs),
            "exit_codes": sorted({r.exit_code for r in rs}),
        }
        for name, rs in runs.items()
    }


# --------------------------------------------------------------------------- fault checks


def _where(item: dict[str, Any]) -> tuple[str, int | None, str | None]:
    return (item["file"], item["row"], item["column"])


def match_faults(problems: list[dict[str, Any]], faults: dict[str, Any]) -> dict[str, Any]:
    """Compare reported problems with faults.json: a fault is found when its file, row, column and
    rule (or one of the rule's aliases) are reported; anything else reported, not tolerated, is unexpected."""
    found = {(*_where(p), p["rule"]) for p in problems}
    missing, unexpected = [], set(found)
    for f in faults["faults"]:
        names = {f["rule"], *f.get("aliases", [])}
        hits = {k for k in found if k[:3] == _where(f) and k[3] in names}
        if not hits:
            missing.append([*_where(f), f["rule"]])
        unexpected -= hits
    for t in faults["tolerated"]:
        names = {t["rule"], *t.get("aliases", [])}
        unexpected -= {k for k in found if k[:3] == _where(t) and k[3] in names}
    return {"missing": missing, "unexpected": sorted(unexpected, key=str)}


def check_validate(report_file: Path, faults: dict[str, Any]) -> dict[str, Any]:
    """`dataset validate` must report exactly the injected faults (plus any tolerated twin)."""
    try:
        report = json.loads(report_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        return {"ok": False, "error": f"no JSON report: {exc}"}
    result = match_faults(report["problems"], faults)
    missing, unexpected = result["missing"], result["unexpected"]
    return {
        "ok": not missing and not unexpected,
        "expected": len(faults["faults"]),
        "found": len(faults["faults"]) - len(missing),
        "missing": missing,
        "unexpected": [list(k) for k in unexpected[:20]],
        "unexpected_count": len(unexpected),
        "reported": len(report["problems"]),
    }


def check_frictionless(report_file: Path, faults: dict[str, Any]) -> dict[str, Any]:
    """Frictionless must report the faults it can see (those with frictionless error types)."""
    try:
        report = json.loads(report_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        return {"ok": False, "error": f"no JSON report: {exc}"}
    errors: list[tuple[str, int | None, str]] = []
    for task in report.get("tasks", []):
        place = task.get("place") or task.get("name") or ""
        for e in task.get("errors", []):
            errors.append((place, e.get("rowNumber"), e.get("type", "")))
    for e in report.get("errors", []):
        errors.append(("", e.get("rowNumber"), e.get("type", "")))
    visible = [f for f in faults["faults"] if f["frictionless"]]
    matched: set[int] = set()
    missing = []
    for f in visible:
        hits = [
            i
            for i, (place, row, kind) in enumerate(errors)
            if place.endswith(f["file"]) and row == f["row"] and kind in f["frictionless"]
        ]
        if hits:
            matched.update(hits)
        else:
            missing.append([f["file"], f["row"], f["column"], f["kind"]])
    tolerated_rows = {(t["file"], t["row"]) for t in faults["tolerated"]}
    other = [
        list(e)
        for i, e in enumerate(errors)
        if i not in matched and not any(e[0].endswith(t[0]) and e[1] == t[1] for t in tolerated_rows)
    ]
    return {
        "ok": not missing,
        "visible_faults": len(visible),
        "found": len(visible) - len(missing),
        "missing": missing,
        "other_errors": other[:20],
        "other_count": len(other),
        "invisible_faults": sorted({f["kind"] for f in faults["faults"] if not f["frictionless"]}),
    }


# --------------------------------------------------------------------------- one size


@dataclass
class SizeResult:
    rows: int
    csv_bytes: int
    package: str
    generated: dict[str, Any]
    parse: dict[str, Any] = field(default_factory=dict)
    validate: dict[str, Any] = field(default_factory=dict)
    frictionless: dict[str, Any] | None = None
    validate_faults: dict[str, Any] = field(default_factory=dict)
    frictionless_faults: dict[str, Any] | None = None


def generate(python: str, out: Path, rows: int, seed: int, faults: int, reuse: bool) -> dict[str, Any]:
    marker = out / "generated.json"
    if reuse and marker.exists():
        meta = json.loads(marker.read_text(encoding="utf-8"))
        if (meta.get("rows_arg"), meta.get("seed"), meta.get("faults_arg")) == (rows, seed, faults):
            print(f"  reusing {out}", flush=True)
            return meta
    argv = [python, str(BENCH / "generate.py"), str(out), "--rows", str(rows), "--seed", str(seed)]
    argv += ["--faults", str(faults)]
    m = measure(argv, stdout=out.parent / f"generate-{rows}.json")
    if m.exit_code != 0:
        raise SystemExit(f"the generator failed ({m.command}); see {out.parent / f'generate-{rows}.stderr'}")
    meta = json.loads((out.parent / f"generate-{rows}.json").read_text(encoding="utf-8"))
    meta.update(
        {"rows_arg": rows, "faults_arg": faults, "generate_s": m.seconds, "generate_peak_mb": m.peak_mb}
    )
    marker.write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return meta


def run_size(args: argparse.Namespace, rows: int) -> SizeResult:
    out = args.workdir / f"rows-{rows}"
    logs = args.workdir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    print(f"[{rows:,} rows] generating …", flush=True)
    meta = generate(args.python, out, rows, args.seed, args.faults, args.reuse)
    result = SizeResult(rows, meta["csv_bytes"], str(out), meta)
    faults = json.loads((out / "faults.json").read_text(encoding="utf-8"))

    # the parse and validate take turns, ARGS.runs times: a change in the machine's load
    # then touches both, and the medians make their ratio steadier than one run would
    parses: list[dict[str, Any]] = []
    validates: list[Measure] = []
    report = logs / f"validate-{rows}.json"
    for _ in range(args.runs):
        if "parse" in args.tools:
            parses.append(reference_parse(args, out, rows, logs))
        if "validate" in args.tools:
            print(f"[{rows:,} rows] dataset validate …", flush=True)
            validates.append(
                measure(
                    [args.dataset, "validate", str(out), "--format", "json"],
                    stdout=report,
                    timeout=args.timeout,
                )
            )
    if parses:
        result.parse = {
            **_median_run(parses),
            "parse_s": statistics.median(p["parse_s"] for p in parses),
            "all_seconds": [p["seconds"] for p in parses],
        }
    else:
        result.parse = {"seconds": None, "peak_mb": None, "parse_s": None, "skipped": True}
    if validates:
        result.validate = {
            **_median_run([asdict(m) for m in validates]),
            "all_seconds": [m.seconds for m in validates],
        }
        result.validate_faults = check_validate(report, faults)
    else:
        result.validate = {"seconds": None, "peak_mb": None, "timed_out": False, "skipped": True}

    frictionless_wanted = "frictionless" in args.tools
    if frictionless_wanted and (args.skip_frictionless_above is None or rows <= args.skip_frictionless_above):
        print(f"[{rows:,} rows] frictionless validate …", flush=True)
        report = logs / f"frictionless-{rows}.json"
        argv = [args.frictionless, "validate", str(out / "datapackage.json"), "--json"]
        m = measure(argv, stdout=report, timeout=args.timeout)
        result.frictionless = asdict(m)
        result.frictionless_faults = check_frictionless(report, faults)
    return result


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median wall time (the lower middle one of an even number), with the highest peak RSS of all."""
    ordered = sorted(runs, key=lambda r: r["seconds"])
    return {**ordered[(len(ordered) - 1) // 2], "peak_mb": max(r["peak_mb"] for r in runs), "runs": len(runs)}


def reference_parse(args: argparse.Namespace, out: Path, rows: int, logs: Path) -> dict[str, Any]:
    print(f"[{rows:,} rows] pyarrow parse …", flush=True)
    m = measure(
        [args.python, "-c", PARSE_SCRIPT, str(out)], stdout=logs / f"parse-{rows}.json", timeout=args.timeout
    )
    if m.exit_code != 0:
        raise SystemExit(f"the reference parse failed; see {logs / f'parse-{rows}.stderr'}")
    inner = json.loads(Path(m.stdout_file or "").read_text(encoding="utf-8"))
    return {**asdict(m), "parse_s": round(inner["parse_s"], 3), "skipped_rows": inner["skipped"]}


# --------------------------------------------------------------------------- report


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return round(a / b, 2)


def ratios(sizes: list[SizeResult], startup: dict[str, Any]) -> dict[str, Any]:
    per_size = {}
    for s in sizes:
        v, p = s.validate["seconds"], s.parse["seconds"]
        f = s.frictionless["seconds"] if s.frictionless else None
        per_size[str(s.rows)] = {
            "validate_over_parse": _ratio(v, p),
            "validate_over_parse_inner": _ratio(v, s.parse.get("parse_s")),
            "frictionless_over_validate": _ratio(f, v),
            "rss_over_csv": _ratio(
                s.validate["peak_mb"] * MB if s.validate["peak_mb"] else None, s.csv_bytes
            ),
        }
    largest = max(sizes, key=lambda s: s.rows) if sizes else None
    growth = None
    if largest:
        smaller = [s for s in sizes if s.rows * 10 == largest.rows]
        if smaller:
            growth = _ratio(largest.validate["seconds"], smaller[0].validate["seconds"])
    top = per_size.get(str(largest.rows), {}) if largest else {}
    return {
        "per_size": per_size,
        "largest_rows": largest.rows if largest else None,
        "validate_over_parse": top.get("validate_over_parse"),
        "frictionless_over_validate": top.get("frictionless_over_validate"),
        "rss_over_csv": top.get("rss_over_csv"),
        "help_over_click": _ratio(startup["help"]["median_s"], startup["click"]["median_s"]),
        "version_over_click": _ratio(startup["version"]["median_s"], startup["click"]["median_s"]),
        "growth": growth,
    }


def verdicts(r: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {}
    for key, (label, op, bound) in TARGETS.items():
        value = r.get(key)
        ok = None if value is None else (value <= bound if op == "<=" else value >= bound)
        out[key] = {"target": f"{op} {bound:g}", "label": label, "measured": value, "met": ok}
    return out


def _fmt(x: Any, digits: int = 2) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.{digits}f}"
    return str(x)


def _faults_cell(check: dict[str, Any] | None, key: str = "expected") -> str:
    if not check:
        return "–"
    if "error" in check:
        return "no report"
    total = check.get(key, check.get("visible_faults"))
    text = f"{check['found']}/{total}"
    extra = check.get("unexpected_count", 0)
    if extra:
        text += f" +{extra} unexpected"
    return text + ("" if check["ok"] else " ✗")


def render_markdown(result: dict[str, Any]) -> str:
    lines = [f"# Benchmark {result['started']}", ""]
    m = result["machine"]
    lines += [
        f"Machine: {m['cpus']} CPUs ({m['cpu']}), shared with other jobs; load average before/after "
        f"{m['load_before']} / {m['load_after']}. Python {m['python']}; {m['versions']}. "
        f"Repository {m['commit']}{' with uncommitted changes' if m['dirty'] else ''} "
        f"(src/dataset digest {m['src_sha256']}).",
        "",
        f"Command: `{result['command']}`",
        "",
        "Seconds are wall time of a whole process (start-up and imports included); peak MB is that "
        "process's maximum resident set size. The reference parse reads every table with "
        "`pyarrow.csv.read_csv`, all columns as strings (its in-process parse time in brackets). "
        "The parse and `dataset validate` ran in turns, "
        f"{result['sizes'][0]['validate'].get('runs', 1) if result['sizes'] else 1} times each per size: "
        "their seconds are medians, their peak MB the highest of the runs; frictionless ran once.",
        "",
        "| rows (events, statements) | CSV MB | pyarrow parse s | parse MB | `dataset validate` s | validate MB "
        "| `frictionless validate` s | frictionless MB | validate / parse | frictionless / validate "
        "| validate RSS / CSV | faults found: validate | faults found: frictionless |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for s in result["sizes"]:
        r = result["ratios"]["per_size"][str(s["rows"])]
        fr = s["frictionless"]
        p, v = s["parse"], s["validate"]
        lines.append(
            f"| {s['rows']:,} | {s['csv_bytes'] / MB:.0f} | {_fmt(p['seconds'])} ({_fmt(p.get('parse_s'))}) "
            f"| {_fmt(p['peak_mb'], 0)} | {_fmt(v['seconds'])}{' (timed out)' if v.get('timed_out') else ''} "
            f"| {_fmt(v['peak_mb'], 0)} | {_fmt(fr['seconds']) if fr else 'skipped'} | {_fmt(fr['peak_mb'], 0) if fr else '–'} "
            f"| {_fmt(r['validate_over_parse'])} | {_fmt(r['frictionless_over_validate'])} | {_fmt(r['rss_over_csv'])} "
            f"| {_faults_cell(s['validate_faults'])} | {_faults_cell(s['frictionless_faults'], 'visible_faults')} |"
        )
    st = result["startup"]
    lines += [
        "",
        f"Start-up (median of {st['repeat']} runs): `dataset --help` {st['help']['median_s']:.3f} s, "
        f'`dataset --version` {st["version"]["median_s"]:.3f} s, `python -c "import click"` {st["click"]["median_s"]:.3f} s. '
        f"Heavy libraries imported by `--help`/`--version`: {', '.join(st['heavy_imports']) or 'none'}.",
        "",
        "| target | measured | goal | met |",
        "|---|---:|---:|:---:|",
    ]
    for v in result["verdicts"].values():
        met = "–" if v["met"] is None else ("yes" if v["met"] else "**no**")
        lines.append(f"| {v['label']} | {_fmt(v['measured'])} | {v['target']} | {met} |")
    problems = []
    for s in result["sizes"]:
        vf, ff = s["validate_faults"], s["frictionless_faults"]
        if vf and not vf.get("ok", False):
            problems.append(
                f"- {s['rows']:,} rows, dataset validate: missing {vf.get('missing')}, unexpected {vf.get('unexpected')}"
            )
        if ff and not ff.get("ok", False):
            problems.append(f"- {s['rows']:,} rows, frictionless: missing {ff.get('missing')}")
        if ff and ff.get("other_count"):
            problems.append(
                f"- {s['rows']:,} rows, frictionless also reported {ff['other_count']} other error(s), e.g. {ff['other_errors'][:3]}"
            )
    if problems:
        lines += ["", "Fault checks:", "", *problems]
    return "\n".join(lines) + "\n"


def print_table(result: dict[str, Any]) -> None:
    print()
    print(render_markdown(result))


def machine_info(args: argparse.Namespace) -> dict[str, Any]:
    def git(*cmd: str) -> str:
        try:
            return subprocess.run(
                ["git", "-C", str(REPO), *cmd], capture_output=True, text=True, check=False
            ).stdout.strip()
        except OSError:
            return ""

    versions = subprocess.run(
        [
            args.python,
            "-c",
            "import importlib.metadata as m; print('; '.join(f'{p} {m.version(p)}' for p in "
            "('pandas','pandera','pyarrow','frictionless','click')))",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    digest = hashlib.sha256()
    for file in sorted((REPO / "src" / "dataset").rglob("*.py")):
        digest.update(file.read_bytes())
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "versions": versions,
        "commit": git("rev-parse", "--short", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--", "src")),
        "src_sha256": digest.hexdigest()[:12],  # which validator was measured, committed or not
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }


def startup(args: argparse.Namespace) -> dict[str, Any]:
    print(f"start-up: {args.repeat} runs each …", flush=True)
    commands = {
        "help": [args.dataset, "--help"],
        "version": [args.dataset, "--version"],
        "click": [args.python, "-c", "import click"],
    }
    result: dict[str, Any] = {"repeat": args.repeat, **start_times(commands, args.repeat)}
    probe = subprocess.run([args.python, "-c", IMPORTS_SCRIPT], capture_output=True, text=True, check=False)
    try:
        result["heavy_imports"] = json.loads(probe.stderr.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        result["heavy_imports"] = [f"probe failed: {probe.stderr.strip()[-200:]}"]
    return result


def main(argv: list[str] | None = None) -> int:
    bin_dir = Path(sys.executable).parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="10000,100000", help="rows in events and statements, comma-separated"
    )
    parser.add_argument("--faults", type=int, default=12, help="faults injected in each package (default 12)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=BENCH / "out", help="where packages and logs go")
    parser.add_argument("--results", type=Path, default=BENCH / "results")
    parser.add_argument(
        "--skip-frictionless-above",
        type=int,
        default=None,
        metavar="N",
        help="no frictionless run above N rows",
    )
    parser.add_argument("--repeat", type=int, default=15, help="runs of each start-up command")
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="runs of the parse and of dataset validate per size, in turns; the median is reported (default 3)",
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds before a command is killed")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse packages generated earlier with the same arguments"
    )
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--dataset", default=str(bin_dir / "dataset"))
    parser.add_argument("--frictionless", default=str(bin_dir / "frictionless"))
    parser.add_argument("--label", default="", help="suffix of the results file name")
    parser.add_argument(
        "--tools",
        default="parse,validate,frictionless",
        help="which of parse, validate, frictionless to run (default all)",
    )
    args = parser.parse_args(argv)
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    args.tools = {t.strip() for t in args.tools.split(",") if t.strip()}
    if not args.tools <= {"parse", "validate", "frictionless"}:
        parser.error("--tools takes parse, validate and frictionless")
    args.workdir.mkdir(parents=True, exist_ok=True)

    started = datetime.now().astimezone()
    info = machine_info(args)
    boot = startup(args)
    results = [run_size(args, rows) for rows in sizes]
    info["load_after"] = [round(x, 2) for x in os.getloadavg()]
    r = ratios(results, boot)
    result = {
        "started": started.isoformat(timespec="seconds"),
        "command": "python bench/run.py "
        + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:])),
        "machine": info,
        "startup": boot,
        "sizes": [asdict(s) for s in results],
        "ratios": r,
        "verdicts": verdicts(r),
    }
    args.results.mkdir(parents=True, exist_ok=True)
    stem = started.strftime("%Y-%m-%d") + (f"-{args.label}" if args.label else "")
    taken, n = stem, 1
    while (args.results / f"{stem}.json").exists() or (args.results / f"{stem}.md").exists():
        n += 1  # never overwrite the results of an earlier run
        stem = f"{taken}-{n}"
    (args.results / f"{stem}.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (args.results / f"{stem}.md").write_text(render_markdown(result), encoding="utf-8")
    print_table(result)
    print(f"results: {args.results / (stem + '.json')} and .md")
    faults_ok = all(s.validate_faults.get("ok", True) for s in results)
    return 0 if faults_ok else 1


if __name__ == "__main__":
    sys.exit(main())
