"""Primary and foreign keys: every id a row names exists in the table it points to, and list items too."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute as pc

from ..descriptor import Descriptor, ForeignKey
from ..read import RawTable
from ..report import Problem
from ..rules import FOREIGN_KEY, LIST_DUPLICATE
from .arrow import arrow_strings, encoded, repetitive, true_rows


def key_values(raw: RawTable | None, field: str) -> pyarrow.Array | None:
    """The values of FIELD, with the keys of rows left out for structure; None when unknown."""
    if raw is None or raw.frame is None or field not in raw.frame.columns or not raw.complete:
        return None
    values = arrow_strings(raw.frame[field]).drop_null().combine_chunks()
    salvaged = raw.salvaged.get(field)
    if salvaged:
        values = pyarrow.concat_arrays([values, pyarrow.array(sorted(salvaged), type=values.type)])
    return values


def _key_set(frames: dict[str, RawTable], resource: str, field: str) -> set[str] | None:
    """The values of RESOURCE.FIELD as a Python set (for callers that want one); None when unknown."""
    values = key_values(frames.get(resource), field)
    return None if values is None else set(values.to_pylist())


def foreign_key_problems(
    frames: dict[str, RawTable],
    desc: Descriptor | None = None,
    keys: dict[tuple[str, str], pyarrow.Array | None] | None = None,
) -> list[Problem]:
    """Every reference, single or list-valued, must name an existing key of its table.

    The descriptor check has already dropped foreign keys whose target does not exist; a
    target that could not be read completely is skipped here (its file's problems say why).
    KEYS, when given, holds the key values of tables no longer in FRAMES (see `key_values`).
    """
    problems: list[Problem] = []
    for raw in frames.values():
        if raw.frame is None:
            continue
        for fk in raw.table.foreign_keys:
            if len(fk.fields) != 1 or len(fk.reference_fields) != 1:
                problems.extend(_composite_fk(raw, fk, frames))
                continue
            column = fk.fields[0]
            if column not in raw.frame.columns:
                continue  # reported as a missing header column
            target = (fk.resource, fk.reference_fields[0])
            if keys is not None and target in keys:
                known = keys[target]
            else:
                known = key_values(frames.get(fk.resource), fk.reference_fields[0])
            if known is None:
                continue
            problems.extend(_reference_problems(raw, column, fk, known))
    return problems


def _reference_problems(raw: RawTable, column: str, fk: ForeignKey, keys: pyarrow.Array) -> list[Problem]:
    """The dangling references (and repeated list items) of one column, found with Arrow set membership.

    A column whose values repeat is checked once per distinct value; the rows follow.
    """
    assert raw.frame is not None
    values = arrow_strings(raw.frame[column])
    rows = raw.frame.index.to_numpy()
    if ("encoded", column) in raw.cache or repetitive(values):
        coded = encoded(raw, column)
        texts, at = coded.values, coded.codes
    else:
        texts, at = values.combine_chunks(), None
    keys = keys.cast(texts.type) if keys.type != texts.type else keys
    # per distinct text (or per cell): [(rule, item)] in the order the old row-by-row check gave them
    faults: dict[int, list[tuple[str, str]]] = {}
    if not fk.is_list:
        for i in np.flatnonzero(~true_rows(pc.or_kleene(pc.is_null(texts), pc.is_in(texts, value_set=keys)))):
            faults[int(i)] = [(FOREIGN_KEY, texts[int(i)].as_py())]
    else:
        lists = pc.split_pattern(texts, fk.separator)
        items = pc.list_flatten(lists)
        parents = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
        if len(items) and pc.min(pc.binary_length(items)).as_py() == 0:
            real = np.flatnonzero(
                true_rows(pc.not_equal(items, ""))
            )  # "a;;b": the empty item is the pattern's fault
            items, parents = items.take(pyarrow.array(real)), parents[real]
        for i in np.flatnonzero(~true_rows(pc.is_in(items, value_set=keys))):
            faults.setdefault(int(parents[i]), []).append((FOREIGN_KEY, items[int(i)].as_py()))
        for i in _repeated_items(items, parents):
            faults.setdefault(int(parents[i]), []).append((LIST_DUPLICATE, items[int(i)].as_py()))
    if not faults:
        return []
    what = "item" if fk.is_list else "value"
    wanted = np.fromiter(faults, dtype=np.int64)
    if at is None:
        places = [(int(c), int(c)) for c in np.sort(wanted)]
    else:
        hits = np.flatnonzero(np.isin(at, wanted))
        places = list(zip(hits.tolist(), at[hits].tolist(), strict=True))
    problems: list[Problem] = []
    for position, code in places:
        cell = None
        for rule, item in faults[code]:
            if rule == FOREIGN_KEY:
                words = f"{what} {item!r} is not an id in {fk.resource}"
                problems.append(Problem(raw.file, int(rows[position]), column, rule, words, value=str(item)))
            else:
                cell = cell if cell is not None else str(texts[code].as_py())
                words = f"the list names {item!r} twice"
                problems.append(Problem(raw.file, int(rows[position]), column, rule, words, value=cell))
    return problems


def _repeated_items(items: pyarrow.Array, parents: np.ndarray) -> np.ndarray:
    """Positions of list items that their list named before (each later repeat, as `duplicated()` says)."""
    counts = np.bincount(parents) if len(parents) else np.zeros(0, dtype=np.int64)
    several = np.flatnonzero(counts[parents] > 1)  # only lists of two or more items can repeat one
    if not several.size:
        return several
    codes = pc.dictionary_encode(items.take(pyarrow.array(several))).indices
    pairs = pd.DataFrame({"row": parents[several], "item": codes.to_numpy(zero_copy_only=False)})
    return several[pairs.duplicated().to_numpy()]


def _composite_fk(raw: RawTable, fk: ForeignKey, frames: dict[str, RawTable]) -> list[Problem]:
    fields, resource, ref_fields = fk.fields, fk.resource, fk.reference_fields
    target = frames.get(resource)
    if raw.frame is None or target is None or target.frame is None or not target.complete:
        return []
    if len(fields) != len(ref_fields) or fk.is_list:
        return []
    if not all(f in raw.frame.columns for f in fields) or not all(
        f in target.frame.columns for f in ref_fields
    ):
        return []
    left = raw.frame[list(fields)].dropna()
    right = target.frame[list(ref_fields)].dropna().drop_duplicates()
    right.columns = list(fields)
    merged = left.reset_index().merge(right, on=list(fields), how="left", indicator=True)
    missing = merged[merged["_merge"] == "left_only"]
    return [
        Problem(
            raw.file,
            int(row),
            ",".join(fields),
            FOREIGN_KEY,
            f"no row of {resource} has this key",
            value=",".join(str(v) for v in values),
        )
        for row, values in zip(missing["row"], missing[list(fields)].itertuples(index=False), strict=True)
    ]
