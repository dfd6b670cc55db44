"""Where in datapackage.json a descriptor problem is: its line, for editors and GitHub annotations."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..location import DESCRIPTOR_NAME as DESCRIPTOR_FILE
from ..report import Problem

if TYPE_CHECKING:  # read.py imports pandas and pyarrow: validate imports it once the hashing has started
    pass


def descriptor_line(lines: list[str], where: str | None) -> int | None:
    """The line of datapackage.json that a location such as `resources/persons/schema/fields/id/type` names.

    Found by searching the text key by key (a resource or field by its `"name"`), so that a
    GitHub annotation lands on the line; None when the location cannot be followed.
    """
    if not where:
        return None
    position, previous, found = 0, None, None
    for segment in where.split("/"):
        if segment.isdigit():
            break  # an index (a resource without a name): stay on the list's line
        quoted = json.dumps(segment, ensure_ascii=False)
        needle = f'"name": {quoted}' if previous in ("resources", "fields") else f"{quoted}:"
        hit = next((n for n in range(position, len(lines)) if needle in lines[n]), None)
        if hit is None:
            break
        position, previous, found = hit, segment, hit + 1
    return found


def with_lines(problems: list[Problem], file: Path) -> list[Problem]:
    """Give descriptor problems the line they point at."""
    try:
        lines = file.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return problems
    return [
        replace(p, row=descriptor_line(lines, p.column)) if p.file == DESCRIPTOR_FILE and p.row is None else p
        for p in problems
    ]
