"""The bundled package, as users have it: `dataset validate` against `frictionless validate`, and a cold load().

    python bench/small.py [--runs 7] [--package .]

Each command runs in a fresh process (imports included: that is what a user waits for), the
two validators in turns so that a change in the machine's load touches both; medians are
reported, with the ratio to the reference measured in the same run. Prints a Markdown table;
it decides nothing in the test suite.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def seconds(command: list[str], cwd: Path) -> float:
    """Wall-clock seconds of one run of COMMAND (its output discarded)."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def script(name: str) -> str:
    """NAME's console script beside this interpreter (the virtualenv measured), else the one on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else shutil.which(name) or name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--package", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args()
    python = sys.executable
    dataset, frictionless = script("dataset"), script("frictionless")
    commands = {
        "frictionless validate datapackage.json": [frictionless, "validate", "datapackage.json"],
        "dataset validate .": [dataset, "validate", "."],
        'python -c "import dataset; dataset.load()"': [python, "-c", "import dataset; dataset.load()"],
        'python -c "import pandas"': [python, "-c", "import pandas"],
        'python -c "import pandera.pandas"': [python, "-c", "import pandera.pandas"],
        'python -c "import frictionless"': [python, "-c", "import frictionless"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(seconds(command, args.package))
    reference = statistics.median(times["frictionless validate datapackage.json"])
    print(f"Package: {args.package} — {python} — medians of {args.runs} runs, each in a new process\n")
    print("| command | median s | min s | max s | × frictionless validate |")
    print("|---|---:|---:|---:|---:|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| `{name}` | {median:.2f} | {min(values):.2f} | {max(values):.2f} | {median / reference:.2f} |")


if __name__ == "__main__":
    main()
