"""What a spreadsheet would do to a cell: the one definition of a formula-like text.

The validator warns about such cells (rule `formula`), the xlsx export keeps them text, and the
`--excel` CSV defuses them; all three read the triggers from here. Only the standard library.
"""

from __future__ import annotations

import re

#: A cell starting with one of these can run as a formula in a spreadsheet (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: The same as a regular expression (for pandas' str.contains).
FORMULA_PATTERN = "^[" + re.escape("".join(FORMULA_TRIGGERS)) + "]"
#: The same as bytes (each trigger is one ASCII byte), for the byte-level screen of the checks.
FORMULA_BYTES = tuple(ord(trigger) for trigger in FORMULA_TRIGGERS)


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read TEXT as a formula (it starts with = + - @, a tab or CR)."""
    return text.startswith(FORMULA_TRIGGERS)


def defused(text: str) -> str:
    """TEXT with a leading apostrophe when it is formula-like (what Excel shows as plain text)."""
    return "'" + text if is_formula_like(text) else text
