"""The Data Package standard check run in a child interpreter, on the second core.

Importing frictionless costs about a third of a second of pure Python, and the validator's own
imports (pandas, pandera) another half: in one process the GIL runs them one after the other,
whatever the threads. Started before the tables are read, a child process imports frictionless
and checks the descriptor while this one imports pandas and reads the tables. The check is the
same function (`standard.standard_problems`); when the child cannot run or answer, it runs here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from ..report import Problem

# imported here too (it imports no frictionless yet), so the validity record lists it
from .standard import standard_problems

_CODE_PARENT = Path(__file__).resolve().parents[2]

#: Seconds to wait for the child before checking here instead (it takes well under one).
TIMEOUT = 60

_CHILD = "from dataset.validation.standard_child import child_main; child_main()"


class Started:
    """A standard check under way in a child process (or not started: then it runs here)."""

    def __init__(self, raw: dict[str, Any], flagged: set[int]) -> None:
        self.raw, self.flagged = raw, flagged
        self.process: subprocess.Popen[bytes] | None = None
        self.payload = b""
        if getattr(sys, "frozen", False) or not sys.executable:
            return  # no interpreter of our own to start: checked here
        try:
            self.payload = json.dumps({"raw": raw, "flagged": sorted(flagged)}).encode("utf-8")
            env = {
                **os.environ,
                "PYTHONPATH": os.pathsep.join([str(_CODE_PARENT), os.environ.get("PYTHONPATH", "")]),
            }
            self.process = subprocess.Popen(
                [sys.executable, "-c", _CHILD],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except (OSError, TypeError, ValueError):  # no interpreter to start, or a descriptor JSON cannot carry
            self.process = None

    def problems(self) -> list[Problem]:
        """The child's findings; the same check run here when the child failed in any way."""
        if self.process is not None:
            try:
                out, _ = self.process.communicate(self.payload, timeout=TIMEOUT)
                if self.process.returncode == 0:
                    return [Problem(*row) for row in json.loads(out)]
            except (OSError, ValueError, TypeError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        return standard_problems(self.raw, self.flagged)


def child_main() -> None:
    """In the child: read {raw, flagged} on stdin, print the problems as JSON rows."""
    given = json.loads(sys.stdin.buffer.read())
    found = standard_problems(given["raw"], set(given["flagged"]))
    rows = [[p.file, p.row, p.column, str(p.rule), p.message, p.value] for p in found]
    sys.stdout.write(json.dumps(rows))
