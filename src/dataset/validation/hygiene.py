"""Text hygiene of every cell: NFC, invisible and control characters, padding, mixed scripts, formulas, length."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute as pc

from ..limits import MAX_CELL_CHARS, cell_too_long
from ..read import RawTable
from ..report import Problem
from ..rules import (
    CELL_TOO_LONG,
    CONTROL_CHARACTER,
    FORMULA,
    INVISIBLE_CHARACTER,
    MIXED_SCRIPT,
    NO_BREAK_SPACE,
    PADDING,
    UNICODE_NFC,
)
from ..schemas import CYRILLIC_LETTERS, LATIN_LETTERS
from ..spreadsheet import FORMULA_BYTES, FORMULA_PATTERN
from .arrow import arrow_strings, encoded, repetitive, shared, true_rows, utf8_bytes, value_offsets

_INVISIBLE = "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
_CONTROL = r"[\x00-\x1f\x7f-\x9f]"
_NBSP = "[\u00a0\u2007\u202f]"
_LATIN, _CYRILLIC = LATIN_LETTERS, CYRILLIC_LETTERS
_MIXED_WORD = re.compile(
    rf"[{_LATIN}{_CYRILLIC}]*(?:[{_LATIN}][{_CYRILLIC}]|[{_CYRILLIC}][{_LATIN}])[{_LATIN}{_CYRILLIC}]*"
)
_FORMULA = FORMULA_PATTERN
_NUMBER = r"^[+-]?[0-9]+([.,][0-9]+)?$"
#: Characters that are certainly in NFC whatever surrounds them (canonical combining class 0,
#: NFC quick check "yes", never the second half of a composition); the only whitespace among
#: them besides the space is the no-break space, which `_NBSP` catches.
#: `tests/test_read_fast_path.py` checks every one against unicodedata.
PLAIN = (
    "\x20-\x7e\u00a0-\u02ff\u0370-\u0373\u0376\u0377\u037b-\u037d\u0386\u0388-\u038a\u038c\u038e-\u03a1"
    "\u03a3-\u03ff\u0400-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\u2116\u2122"
)
#: Any cell one of the character rules (NFC, invisible, control, no-break space, mixed script)
#: might flag, or that holds whitespace other than single spaces: one pass instead of five.
SUSPECT = f"{_INVISIBLE}|{_CONTROL}|{_NBSP}|[{_LATIN}][{_CYRILLIC}]|[{_CYRILLIC}][{_LATIN}]|[^{PLAIN}]"

#: rule id -> plain words, in the order the hygiene checks run
HYGIENE_RULES = {
    UNICODE_NFC: "the text is not in Unicode NFC form (composed characters); `dataset fmt` can fix it",
    INVISIBLE_CHARACTER: "the text contains a zero-width or other invisible character",
    CONTROL_CHARACTER: "the text contains a control character (tab, line break or similar)",
    NO_BREAK_SPACE: "the text contains a no-break space; use a plain space",
    PADDING: "the text has leading or trailing spaces",
    MIXED_SCRIPT: "a word mixes Latin and Cyrillic letters (a homoglyph)",
    FORMULA: "the cell starts with =, +, -, @ or a tab: a spreadsheet would run it as a formula",
}

#: Bytes a cell may start with when its first character is whitespace or it starts like a formula.
_FIRST = np.zeros(256, dtype=bool)
_FIRST[[*range(0x09, 0x0E), *range(0x1C, 0x21), *FORMULA_BYTES]] = True
_LAST = np.zeros(256, dtype=bool)
_LAST[[*range(0x09, 0x0E), *range(0x1C, 0x21)]] = True


def _utf8_codes(chars: str, width: int) -> np.ndarray:
    return np.array(
        [int.from_bytes(c.encode("utf-8"), "big") for c in chars if len(c.encode("utf-8")) == width],
        dtype=np.int64,
    )


#: Whitespace of two and three bytes (what `str.strip` and pyarrow's trim remove), as big-endian codes.
_WIDE_SPACE = "\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
_SPACE2, _SPACE3 = _utf8_codes(_WIDE_SPACE, 2), _utf8_codes(_WIDE_SPACE, 3)


#: Lead bytes of the wide whitespace characters, and the bytes they can end with.
_WIDE_FIRST = np.zeros(256, dtype=bool)
_WIDE_FIRST[[c >> 8 for c in _SPACE2] + [c >> 16 for c in _SPACE3]] = True
_WIDE_LAST = np.zeros(256, dtype=bool)
_WIDE_LAST[[c & 0xFF for c in [*_SPACE2, *_SPACE3]]] = True


def _at(data: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Bytes of DATA at POSITIONS, as int64 (positions are clipped to the buffer)."""
    return data[np.clip(positions, 0, len(data) - 1)].astype(np.int64)


def _edges(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Cells (given by byte ranges) whose first or last character is whitespace, or that start like a formula."""
    first = data[starts]
    hit = _FIRST[first]
    wide = np.flatnonzero(_WIDE_FIRST[first])
    if wide.size:
        at = starts[wide]
        two = (first[wide].astype(np.int64) << 8) | _at(data, at + 1)
        three = (two << 8) | _at(data, at + 2)
        hit[wide] = np.isin(two, _SPACE2) | np.isin(three, _SPACE3)
    last = data[ends - 1]
    hit |= _LAST[last]
    wide = np.flatnonzero(_WIDE_LAST[last])
    if wide.size:
        at, size = ends[wide], ends[wide] - starts[wide]
        two = (_at(data, at - 2) << 8) | last[wide]
        three = (_at(data, at - 3) << 16) | two
        hit[wide] |= ((size >= 2) & np.isin(two, _SPACE2)) | ((size >= 3) & np.isin(three, _SPACE3))
    return hit


def suspects(values: pyarrow.Array | pyarrow.ChunkedArray, *, spaces: bool = False) -> np.ndarray:
    """Positions of the cells a hygiene rule might flag (with SPACES: or that hold a double space).

    A superset, found cheaply: pure-ASCII blocks of text need only their control bytes looked
    at; other text goes through one RE2 pass of `SUSPECT`; the first and last bytes of each
    cell decide padding and formulas. The rules themselves then run on these cells only.
    """
    chunks = values.chunks if isinstance(values, pyarrow.ChunkedArray) else [values]
    found: list[np.ndarray] = []
    base = 0
    for chunk in chunks:
        size = len(chunk)
        if size == 0 or chunk.null_count == size:
            base += size
            continue
        offsets = value_offsets(chunk)
        data = utf8_bytes(chunk)
        hit = np.zeros(size, dtype=bool)
        if offsets[-1] > offsets[0]:
            text = data[offsets[0] : offsets[-1]]
            highest = int(text.max())
            if highest >= 0x80:
                hit |= true_rows(pc.match_substring_regex(chunk, SUSPECT))
            elif highest == 0x7F or int(text.min()) < 0x20:
                hit |= true_rows(pc.match_substring_regex(chunk, _CONTROL))
            if spaces and re.search(b"  ", text.data) is not None:
                hit |= true_rows(pc.match_substring(chunk, "  "))
            filled = np.flatnonzero(offsets[1:] > offsets[:-1])
            hit[filled] |= _edges(data, offsets[:-1][filled], offsets[1:][filled])
        if chunk.null_count:
            hit &= true_rows(pc.is_valid(chunk))
        found.append(np.flatnonzero(hit) + base)
        base += size
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def column_suspects(raw: RawTable, column: str) -> np.ndarray:
    """`suspects` (with double spaces) among the distinct values of COLUMN, once per table."""
    found = shared(raw, ("suspects", column), lambda: suspects(encoded(raw, column).values, spaces=True))
    assert isinstance(found, np.ndarray)
    return found


def long_cell_problems(raw: RawTable) -> list[Problem]:
    """Cells longer than a spreadsheet cell holds (limits.MAX_CELL_CHARS): an xlsx export would have to cut them.

    The byte lengths Arrow already stores pick the candidates (a cell has at least as many
    bytes as characters); only those are decoded and counted.
    """
    frame = raw.frame
    if frame is None or frame.empty:
        return []
    problems: list[Problem] = []
    for column in frame.columns:
        start = 0
        for chunk in arrow_strings(frame[column]).chunks:
            if chunk.null_count < len(chunk):
                for i in np.flatnonzero(np.diff(value_offsets(chunk)) > MAX_CELL_CHARS):
                    length = len(chunk[int(i)].as_py() or "")
                    if length > MAX_CELL_CHARS:
                        problems.append(
                            Problem(
                                raw.file,
                                int(frame.index[start + int(i)]),
                                str(column),
                                CELL_TOO_LONG,
                                cell_too_long(length),
                            )
                        )
            start += len(chunk)
    return problems


def hygiene_problems(raw: RawTable) -> list[Problem]:
    """NFC, no invisible/control/stray no-break characters, no mixed-script words, no padding, no formulas.

    Column by column: `suspects` picks the cells worth a look, and the rules run on those.
    """
    frame = raw.frame
    if frame is None or frame.empty:
        return []
    verbatim = {f.name for f in raw.table.fields if f.verbatim_in}
    problems: list[Problem] = []
    for column in frame.columns:
        values = arrow_strings(frame[column])
        if column in verbatim or ("encoded", column) in raw.cache or repetitive(values):
            at = encoded(raw, column).rows_of(column_suspects(raw, column))
        else:
            at = suspects(values)
        if at.size:
            cells = frame[column].iloc[at].dropna().astype("string")
            problems.extend(_hygiene_rules(raw.file, str(column), cells))
    return problems


def _hygiene_rules(file: str, column: str, cells: pd.Series) -> list[Problem]:
    """The hygiene rules on CELLS (one column's suspects, indexed by spreadsheet row)."""
    if cells.empty:
        return []
    masks = {
        UNICODE_NFC: cells != cells.str.normalize("NFC"),
        INVISIBLE_CHARACTER: cells.str.contains(_INVISIBLE, regex=True),
        CONTROL_CHARACTER: cells.str.contains(_CONTROL, regex=True),
        NO_BREAK_SPACE: cells.str.contains(_NBSP, regex=True),
        PADDING: cells != cells.str.strip(),
        MIXED_SCRIPT: cells.str.contains(_MIXED_WORD.pattern, regex=True),
        FORMULA: cells.str.contains(_FORMULA, regex=True) & ~cells.str.match(_NUMBER),
    }
    problems: list[Problem] = []
    for rule, mask in masks.items():
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            continue
        for row, value in cells[mask].items():
            words = HYGIENE_RULES[rule]
            if rule == MIXED_SCRIPT:
                word = _MIXED_WORD.search(value)
                words = f"{words}: {_visible(word.group(0))!r}" if word else words
            problems.append(Problem(file, int(row), column, rule, words, value=_visible(value)))
    return problems


_SHOW = re.compile(f"{_INVISIBLE}|{_CONTROL}|{_NBSP}|[\u0300-\u036f]")


def _visible(value: str) -> str:
    """Show invisible characters (and combining marks) as escapes so the message says what is there."""
    return _SHOW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", value)
