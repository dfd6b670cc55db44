"""Measure the validator's hot spots against vectorised pyarrow versions, on a generated package.

Each proposal in bench/NOTES.md is prototyped here next to the library function it would replace;
both run on the same frames, and the prototype must find the same (file, row, column) as the
library does, so the gain is measured on equal work. The prototypes are sketches for the owner of
src/dataset/read.py and checks.py, not library code.

    python bench/generate.py bench/out/rows-100000 --rows 100000 --faults 12
    python bench/prototypes.py bench/out/rows-100000
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from dataset.descriptor import Descriptor, Table, read_descriptor
from dataset.read import RawTable, read_table
from dataset.validation import hygiene, keys, provenance

Where = set[tuple[str, int, str | None]]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def where(problems: list[Any]) -> Where:
    return {(p.file, p.row, p.column) for p in problems}


# --------------------------------------------------------------------------- read: pyarrow instead of csv + DataFrame


def arrow_frame(root: Path, table: Table) -> pd.DataFrame:
    """The frame read_table builds, from pyarrow.csv: text columns, spreadsheet-row index, '' as missing.

    A ragged row is handed to invalid_row_handler (with its record number when use_threads=False);
    a file pyarrow cannot parse (bad UTF-8, an unclosed quote) would go to the exact, slow reader.
    """
    skipped: list[int] = []
    names = table.field_names
    arrow = pv.read_csv(
        root / table.path,
        parse_options=pv.ParseOptions(
            newlines_in_values=True,
            ignore_empty_lines=False,
            invalid_row_handler=lambda row: skipped.append(row.number) or "skip",
        ),
        convert_options=pv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    frame = arrow.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
    position = np.arange(len(frame))
    if skipped:  # record numbers are known only single-threaded: re-read to number the rows after them
        numbers: list[int] = []
        pv.read_csv(
            root / table.path,
            read_options=pv.ReadOptions(use_threads=False),
            parse_options=pv.ParseOptions(
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=lambda row: numbers.append(row.number) or "skip",
            ),
            convert_options=pv.ConvertOptions(include_columns=[names[0]]),
        )
        gaps = np.sort(np.asarray(numbers)) - 2 - np.arange(len(numbers))  # position each gap sits before
        position = position + np.searchsorted(gaps, position, side="right")
    frame.index = pd.Index(position + 2, name="row")
    return frame


# --------------------------------------------------------------------------- hygiene: one RE2 pass per rule and column


_SCREEN = "|".join(
    [
        hygiene._INVISIBLE,
        hygiene._CONTROL,
        hygiene._NBSP,
        r"^\s|\s$",
        hygiene._MIXED_WORD.pattern,
        hygiene._FORMULA,
    ]
)


def column_text(arr: pa.Array | pa.ChunkedArray) -> str:
    """All cells of a string column as one str, straight from the Arrow data buffer (no per-cell objects)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if len(arr) == 0 or arr.buffers()[2] is None:
        return ""
    wide = pa.types.is_large_string(arr.type)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64 if wide else np.int32)
    start, end = int(offsets[arr.offset]), int(offsets[arr.offset + len(arr)])
    return memoryview(arr.buffers()[2])[start:end].tobytes().decode("utf-8")


def arrow_hygiene(raw: RawTable) -> Where:
    """Hygiene per column: one combined RE2 pass, one NFC quick check; exact rules only where they hit."""
    found: Where = set()
    frame = raw.frame
    assert frame is not None
    rows = np.asarray(frame.index)
    for column in frame.columns:
        arr = pa.array(frame[column].array)
        hits = pc.fill_null(pc.match_substring_regex(arr, _SCREEN), False)
        if pc.any(hits).as_py():  # rare: the exact rules, on the hit cells only
            index = np.flatnonzero(hits.to_numpy(zero_copy_only=False))
            cells = arr.take(pa.array(index))
            exact = pc.match_substring_regex(cells, "|".join(_SCREEN.split("|")[:-1]))
            formula = pc.and_(
                pc.match_substring_regex(cells, hygiene._FORMULA),
                pc.invert(pc.match_substring_regex(cells, hygiene._NUMBER)),
            )
            for i in index[pc.or_(exact, formula).to_numpy(zero_copy_only=False)]:
                found.add((raw.file, int(rows[i]), str(column)))
        if not unicodedata.is_normalized("NFC", column_text(arr)):  # rare: find the cells
            changed = pc.fill_null(pc.invert(pc.equal(arr, pc.utf8_normalize(arr, form="NFC"))), False)
            for i in np.flatnonzero(changed.to_numpy(zero_copy_only=False)):
                found.add((raw.file, int(rows[i]), str(column)))
    return found


# --------------------------------------------------------------------------- foreign keys: is_in on Arrow arrays


def arrow_foreign_keys(frames: dict[str, RawTable]) -> Where:
    """Set membership in C++ (pc.is_in with the target column as value_set); list fields flattened once."""
    found: Where = set()
    for raw in frames.values():
        if raw.frame is None:
            continue
        rows = np.asarray(raw.frame.index)
        for fk in raw.table.foreign_keys:
            if len(fk.fields) != 1 or fk.fields[0] not in raw.frame.columns:
                continue
            column = fk.fields[0]
            target = frames[fk.resource].frame
            assert target is not None
            keys = pa.array(target[fk.reference_fields[0]].array).drop_null()
            values = pa.array(raw.frame[column].array)
            if fk.is_list:
                lists = pc.split_pattern(values, fk.separator)
                items = pc.list_flatten(lists)
                parent = pc.list_parent_indices(lists).to_numpy()
                ok = pc.is_in(items, value_set=keys).to_numpy(zero_copy_only=False)
                for i in np.flatnonzero(~ok):
                    found.add((raw.file, int(rows[parent[i]]), column))
                pairs = pd.DataFrame({"row": parent, "item": items.to_pandas()})
                for i in np.flatnonzero(pairs.duplicated().to_numpy()):
                    found.add((raw.file, int(rows[parent[i]]), column))
            else:
                ok = pc.or_(pc.is_null(values), pc.is_in(values, value_set=keys)).to_numpy(
                    zero_copy_only=False
                )
                for i in np.flatnonzero(~ok):
                    found.add((raw.file, int(rows[i]), column))
    return found


# --------------------------------------------------------------------------- verbatim: normalise only when needed


def arrow_verbatim(frames: dict[str, RawTable], texts: dict[str, str]) -> Where:
    """Whitespace folding and NFC only when some cell needs them; each distinct (source, text) looked up once."""
    found: Where = set()
    for raw in frames.values():
        if raw.frame is None:
            continue
        rows = np.asarray(raw.frame.index)
        for field in raw.table.fields:
            name, source_field = field.name, field.verbatim_in
            if not source_field or name not in raw.frame.columns:
                continue
            needle = pa.array(raw.frame[name].array)
            cited = pa.array(raw.frame[source_field].array)
            source = pc.list_element(pc.split_pattern(cited, ";", max_splits=1), 0)
            odd = pc.fill_null(pc.match_substring_regex(needle, r"[^\S ]|  |^ | $"), False)
            if pc.any(odd).as_py():
                folded = pc.utf8_trim_whitespace(pc.replace_substring_regex(needle, r"\s+", " "))
                needle = pc.if_else(odd, folded, needle)
            if not unicodedata.is_normalized("NFC", column_text(needle)):
                needle = pc.utf8_normalize(needle, form="NFC")
            pairs = pa.table({"s": source, "n": needle, "i": pa.array(np.arange(len(needle)))})
            groups = pairs.group_by(["s", "n"], use_threads=False).aggregate([("i", "list")])
            for s, n, members in zip(
                groups["s"].to_pylist(), groups["n"].to_pylist(), groups["i_list"].to_pylist(), strict=True
            ):
                if s is None or n is None or s not in texts or n in texts[s]:
                    continue
                found.update((raw.file, int(rows[i]), name) for i in members)
    return found


def plain_loop_verbatim(frames: dict[str, RawTable], texts: dict[str, str]) -> float:
    """Seconds of the bare `text in article` loop over every row (the floor without deduplication)."""
    start = time.perf_counter()
    for raw in frames.values():
        if raw.frame is None:
            continue
        for field in raw.table.fields:
            if field.verbatim_in and field.name in raw.frame.columns:
                cells = raw.frame[[field.name, field.verbatim_in]].dropna()
                sources = [s.split(";", 1)[0] for s in cells[field.verbatim_in].tolist()]
                _ = [n in texts.get(s, n) for n, s in zip(cells[field.name].tolist(), sources, strict=True)]
    return time.perf_counter() - start


# --------------------------------------------------------------------------- whole-file screens


def whole_file_screens(root: Path, desc: Descriptor) -> dict[str, float]:
    """One pass over each decoded file: NFC (is_normalized) and the character-class rules (Python re)."""
    out = {"decode": 0.0, "is_normalized": 0.0, "re.search invisible|nbsp": 0.0}
    pattern = re.compile(f"{hygiene._INVISIBLE}|{hygiene._NBSP}")
    for table in desc.tables.values():
        data = (root / table.path).read_bytes()
        t, text = timed(lambda data=data: data.decode("utf-8"))
        out["decode"] += t
        out["is_normalized"] += timed(lambda text=text: unicodedata.is_normalized("NFC", text))[0]
        out["re.search invisible|nbsp"] += timed(lambda text=text: pattern.search(text))[0]
    return out


def proposed_only(desc: Descriptor) -> int:
    """The four prototypes as one pipeline, for its wall time and (from outside) its peak memory."""
    start = time.perf_counter()
    frames = {
        name: RawTable(table, table.path, arrow_frame(desc.root, table))
        for name, table in desc.tables.items()
    }
    read = time.perf_counter()
    found = set().union(*(arrow_hygiene(raw) for raw in frames.values()))
    found |= arrow_foreign_keys(frames)
    texts, _ = provenance.source_texts(frames, desc.root)
    found |= arrow_verbatim(frames, texts)
    done = time.perf_counter()
    print(f"read {read - start:.2f} s, checks {done - read:.2f} s, {len(found)} findings")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package", type=Path)
    parser.add_argument(
        "--proposed-only",
        action="store_true",
        help="run only the prototypes (read, hygiene, keys, verbatim) end to end: time it, and its peak memory "
        "with /usr/bin/time -v",
    )
    args = parser.parse_args(argv)
    desc = read_descriptor(args.package)
    if args.proposed_only:
        return proposed_only(desc)
    rows: list[tuple[str, float, float, bool]] = []

    t_read, frames = timed(lambda: {name: read_table(desc.root, t) for name, t in desc.tables.items()})
    t_arrow, arrow = timed(lambda: {name: arrow_frame(desc.root, t) for name, t in desc.tables.items()})
    same = all(
        frames[n].frame is not None
        and frames[n].frame.index.equals(arrow[n].index)
        and all(frames[n].frame[c].fillna("\0").equals(arrow[n][c].fillna("\0")) for c in arrow[n].columns)
        for n in desc.tables
    )
    rows.append(("read.read_table (csv module + DataFrame)  ->  pyarrow.csv.read_csv", t_read, t_arrow, same))

    t_cur, cur = timed(lambda: [p for raw in frames.values() for p in hygiene.hygiene_problems(raw)])
    t_new, new = timed(lambda: set().union(*(arrow_hygiene(raw) for raw in frames.values())))
    rows.append(("hygiene.hygiene_problems  ->  RE2 screen per column", t_cur, t_new, where(cur) == new))

    t_cur, cur = timed(lambda: keys.foreign_key_problems(frames, desc))
    t_new, new = timed(lambda: arrow_foreign_keys(frames))
    rows.append(("keys.foreign_key_problems  ->  pc.is_in / list_flatten", t_cur, t_new, where(cur) == new))

    texts, _ = provenance.source_texts(frames, desc.root)
    t_cur, cur = timed(lambda: provenance.verbatim_problems(frames, texts))
    t_new, new = timed(lambda: arrow_verbatim(frames, texts))
    rows.append(
        ("provenance.verbatim_problems  ->  normalise only odd cells, dedupe", t_cur, t_new, where(cur) == new)
    )

    width = max(len(r[0]) for r in rows)
    print(f"{'function  ->  proposal'.ljust(width)}  current s  proposed s  gain   same findings")
    for label, a, b, ok in rows:
        print(f"{label.ljust(width)}  {a:9.2f}  {b:10.2f}  {a / b if b else float('inf'):4.0f}x  {ok}")
    print(f"bare `in` loop over every verbatim cell (no dedupe): {plain_loop_verbatim(frames, texts):.2f} s")
    for label, seconds in whole_file_screens(desc.root, desc).items():
        print(f"whole files, {label}: {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
