"""The pyarrow fast path of `read.read_table` against the exact Python reader, on the same bytes.

`dataset validate` reads a table with pyarrow when a screen of its bytes says that pyarrow and
the csv module (strict) must agree; otherwise it falls back to the exact reader. Either way the
frame and the problems must be the ones the exact reader gives. Each case here is read both
ways and compared cell by cell; the cases that need the fallback must take it.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from dataset.descriptor import Field, Table
from dataset.read import ARROW_BLOCK, SCREEN_BLOCK, read_table, screen_bytes
from dataset.validation.hygiene import PLAIN, SUSPECT

TABLE = Table(
    name="notes",
    path="notes.csv",
    title="notes",
    description="",
    fields=(Field("id", "string"), Field("text", "string"), Field("n", "integer")),
    primary_key=("id",),
    foreign_keys=(),
)

HEADER = b"id,text,n\n"

#: name -> (file bytes, read by the fast path?)
CASES: dict[str, tuple[bytes, bool]] = {
    "plain": (HEADER + b"a,hello,1\nb,world,2\n", True),
    "quoted cells and doubled quotes": (HEADER + b'a,"say ""hi"", then go",1\nb,"x,y",2\n', True),
    "empty and quoted-empty cells": (HEADER + b'a,,1\nb,"",\n', True),
    "line feed inside a quoted cell": (HEADER + b'a,"two\nlines",1\nb,after,2\n', True),
    "CRLF inside a quoted cell": (HEADER + b'a,"two\r\nlines",1\r\nb,after,2\r\n', True),
    "CRLF line endings": (HEADER.replace(b"\n", b"\r\n") + b"a,x,1\r\nb,y,2\r\n", True),
    "byte-order mark": (b"\xef\xbb\xbf" + HEADER + b"a,x,1\n", True),
    "Cyrillic text": (HEADER + "a,Песков сказал,1\nb,«кавычки»,2\n".encode(), True),
    "no final line end": (HEADER + b"a,x,1\nb,y,2", True),
    "ragged rows": (HEADER + b"a,x,1,extra\nb,y\nc,z,3\n", True),
    "ragged row after a multi-line cell": (HEADER + b'a,"one\ntwo",1\nb,y,2,extra\nc,z,3\n', True),
    "blank line": (HEADER + b"a,x,1\n\nb,y,2\n", True),
    "header pasted again as a row": (HEADER + b"a,x,1\n" + HEADER + b"b,y,2\n", True),
    "second export pasted below, with its BOM": (HEADER + b"a,x,1\n\xef\xbb\xbf" + HEADER + b"b,y,2\n", True),
    "text after a closing quote": (HEADER + b'a,"abc"x,1\n', False),
    "quote inside an unquoted cell": (HEADER + b'a,ab"c,1\n', False),
    "unclosed quote": (HEADER + b'a,"abc,1\nb,y,2\n', False),
    "NUL byte": (HEADER + b"a,x\x00y,1\n", False),
    "invalid UTF-8": (HEADER + b"a,\xff\xfe,1\n", False),
    "windows-1251 text": (HEADER + "a,Песков,1\n".encode("cp1251"), False),
}


def _read_both(tmp_path: Path, data: bytes) -> tuple[object, object]:
    (tmp_path / TABLE.path).write_bytes(data)
    return read_table(tmp_path, TABLE), read_table(tmp_path, TABLE, fast=False)


def _same(fast: object, exact: object) -> None:
    assert fast.problems == exact.problems
    assert fast.header == exact.header
    assert fast.salvaged == exact.salvaged
    assert fast.complete == exact.complete
    if exact.frame is None:
        assert fast.frame is None
        return
    pd.testing.assert_frame_equal(fast.frame, exact.frame, check_dtype=False, check_index_type=False)
    assert list(fast.frame.index) == list(exact.frame.index)


@pytest.mark.parametrize("name", list(CASES))
def test_fast_path_reads_what_the_exact_reader_reads(tmp_path: Path, name: str) -> None:
    data, fast_expected = CASES[name]
    fast, exact = _read_both(tmp_path, data)
    _same(fast, exact)
    assert fast.fast is fast_expected, "the screen took the wrong path"


def test_multi_line_cell_keeps_its_line_break(tmp_path: Path) -> None:
    """The first parse assumes single-line cells; the screen must send it back to allow them."""
    fast, _ = _read_both(tmp_path, HEADER + b'a,"two\nlines",1\nb,after,2\n')
    assert fast.fast
    assert fast.frame.loc[2, "text"] == "two\nlines"
    assert fast.frame.loc[3, "id"] == "b"  # the second record is spreadsheet row 3
    assert not [p for p in fast.problems if p.rule == "ragged-row"]


@pytest.mark.parametrize("boundary", [SCREEN_BLOCK, ARROW_BLOCK], ids=["screen block", "pyarrow block"])
def test_line_break_in_a_cell_across_blocks(tmp_path: Path, boundary: int) -> None:
    """A quoted cell with line breaks that starts in one block and ends in the next.

    pyarrow splits a file into blocks at line ends unless told that cells may hold them, so a
    file like this one is read wrongly unless the screen finds the quoted line break.
    """
    filler = b"".join(b"r%07d,filler,1\n" % i for i in range(boundary // 17 + 1))
    filler = filler[: filler.rindex(b"\n", 0, boundary - 60) + 1]  # stop 60 bytes before the boundary
    cell = "line one\n" + "w" * 100 + "\nline three"
    data = HEADER + filler + f'a,"{cell}",1\nb,after,2\n'.encode()
    file = tmp_path / TABLE.path
    file.write_bytes(data)
    start = len(HEADER + filler)
    assert start < boundary < start + len(cell)
    screen = screen_bytes(file)
    assert screen is not None and screen.quoted_line_break and not screen.carriage_return
    fast, exact = _read_both(tmp_path, data)
    _same(fast, exact)
    assert fast.fast
    assert fast.frame["text"].iloc[-2] == cell


def test_screen_sees_no_quoted_line_break_in_single_line_cells(tmp_path: Path) -> None:
    file = tmp_path / TABLE.path
    file.write_bytes(HEADER + b'a,"x,y",1\r\nb,"say ""hi""",2\r\n')
    screen = screen_bytes(file)
    assert screen is not None and not screen.quoted_line_break and screen.carriage_return


def test_plain_characters_are_nfc_whatever_surrounds_them() -> None:
    """Every character in PLAIN (text the hygiene screen passes without a second look) is NFC-safe.

    Each one is unchanged by NFC, is no combining mark, is no whitespace that SUSPECT misses,
    and never composes with a PLAIN character before it (a mark outside PLAIN is a suspect).
    """
    plain = re.compile(f"[{PLAIN}]")
    chars = [chr(code) for code in range(0x30000) if plain.fullmatch(chr(code))]
    assert "ж" in chars and "a" in chars and "\u0301" not in chars
    for char in chars:
        assert unicodedata.combining(char) == 0, hex(ord(char))
        assert unicodedata.normalize("NFC", char) == char, hex(ord(char))
        # whitespace other than the space (the no-break space) is caught by another part of SUSPECT
        assert not char.isspace() or char == " " or re.search(SUSPECT, char), hex(ord(char))
    text = "".join(chars)
    for char in chars:  # every PLAIN character after every other one
        assert unicodedata.is_normalized("NFC", text.replace("", char)), hex(ord(char))
    assert re.search(SUSPECT, "P\u0435sков") is not None  # a Latin P before a Cyrillic е is a suspect


@pytest.mark.parametrize("again", [HEADER, b"\xef\xbb\xbf" + HEADER], ids=["plain", "with a BOM"])
def test_header_pasted_again_is_one_problem_and_no_row(tmp_path: Path, again: bytes) -> None:
    """A sheet pasted twice repeats its header: one header-repeated problem, and the row is not data."""
    fast, _ = _read_both(tmp_path, HEADER + b"a,x,1\n" + again + b"b,y,2\n")
    assert [(p.row, p.rule) for p in fast.problems] == [(3, "header-repeated")]
    assert list(fast.frame["id"]) == ["a", "b"] and list(fast.frame.index) == [2, 4]
