"""Arrow and numpy helpers the vectorised checks share: a column's strings, its UTF-8 bytes, positions."""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute as pc

from ..read import RawTable
from ..spec import ListOf


def arrow_strings(s: pd.Series) -> pyarrow.ChunkedArray:
    """The Arrow strings behind a text column (no copy for the frames read.py builds)."""
    if not isinstance(s.dtype, pd.StringDtype):
        s = s.astype("string")
    data = getattr(s.array, "_pa_array", None)
    if isinstance(data, pyarrow.ChunkedArray):
        return data
    values = s.to_numpy(dtype=object, na_value=None)
    return pyarrow.chunked_array([pyarrow.array(values, type=pyarrow.large_string())])


def value_offsets(chunk: pyarrow.Array) -> np.ndarray:
    """The value offsets of a (large) string array, as int64, len(chunk) + 1 of them."""
    dtype = np.int64 if pyarrow.types.is_large_string(chunk.type) else np.int32
    offsets = np.frombuffer(chunk.buffers()[1], dtype=dtype)[chunk.offset : chunk.offset + len(chunk) + 1]
    return offsets.astype(np.int64, copy=False)


def utf8_bytes(chunk: pyarrow.Array) -> np.ndarray:
    buffer = chunk.buffers()[2]
    return np.frombuffer(buffer, dtype=np.uint8) if buffer is not None else np.zeros(0, dtype=np.uint8)


def true_rows(mask: pyarrow.Array | pyarrow.ChunkedArray) -> np.ndarray:
    """A boolean Arrow result as a numpy mask (missing = False)."""
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def positions(mask: pyarrow.Array | pyarrow.ChunkedArray) -> np.ndarray:
    return np.flatnonzero(true_rows(mask))


class Encoded:
    """A column as its distinct values and, per cell, the position of its value among them (-1 = missing).

    Most rules are a function of the cell's text alone, so they can run once per distinct
    value; the answer reaches the rows through `rows_of`.
    """

    def __init__(self, column: pyarrow.ChunkedArray) -> None:
        chunked = pc.dictionary_encode(column)
        if chunked.num_chunks == 0:
            self.values = pyarrow.array([], type=column.type)
            self.codes = np.zeros(0, dtype=np.int64)
            return
        # the chunks share one dictionary, which grows chunk by chunk: the last one holds every value
        self.values = chunked.chunk(chunked.num_chunks - 1).dictionary
        # one call over all chunks' indices: a call per chunk costs more than the work itself
        indices = pyarrow.chunked_array([chunk.indices for chunk in chunked.chunks], type=pyarrow.int32())
        self.codes = np.asarray(pc.fill_null(indices, -1).to_numpy(), dtype=np.int64)

    def rows_of(self, codes: np.ndarray) -> np.ndarray:
        """Positions of the cells whose value is one of CODES."""
        if not len(codes):
            return np.zeros(0, dtype=np.int64)
        hit = np.zeros(len(self.values) + 1, dtype=bool)
        hit[codes] = True
        return np.flatnonzero(hit[self.codes])  # -1 (missing) reads the spare last slot: False


def shared(raw: RawTable, key: tuple[str, str], make: Callable[[], object]) -> object:
    """RAW's cached KEY, made once even when two threads ask at the same time."""
    if key not in raw.cache:
        lock = raw.cache.setdefault(("lock", *key), threading.Lock())
        assert isinstance(lock, type(threading.Lock()))
        with lock:
            if key not in raw.cache:
                raw.cache[key] = make()
    return raw.cache[key]


def encoded(raw: RawTable, column: str) -> Encoded:
    """COLUMN of RAW dictionary-encoded, once per table (the checks share it)."""
    assert raw.frame is not None
    frame = raw.frame
    found = shared(raw, ("encoded", column), lambda: Encoded(arrow_strings(frame[column])))
    assert isinstance(found, Encoded)
    return found


def repetitive(values: pyarrow.ChunkedArray, sample: int = 1 << 14) -> bool:
    """True when the column's first cells repeat enough that working per distinct value pays."""
    head = values.slice(0, sample)
    filled = len(head) - head.null_count
    return filled > 64 and pc.count_distinct(head).as_py() < filled // 2


def first_items(
    values: pyarrow.ChunkedArray | pyarrow.Array, separator: str = ListOf.separator
) -> pyarrow.Array:
    """The text before the first SEPARATOR of each value (the first source a list cites)."""
    return pc.list_element(pc.split_pattern(values, separator, max_splits=1), 0)
