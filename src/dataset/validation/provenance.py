"""Provenance: every cited article is archived, unedited, and every excerpt is found in it word for word."""

from __future__ import annotations

import hashlib
import operator
import os
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ..domain import SOURCE_DIGEST, SOURCE_ID, SOURCE_PATH, SOURCES_TABLE
from ..limits import MAX_FILE_BYTES
from ..location import outside_root, uncited_files, unsafe_path_reason
from ..read import RawTable
from ..report import Problem
from ..rules import ARCHIVE_ENCODING, ARCHIVE_HASH, FILE_TOO_LARGE, MISSING_ARCHIVE, UNSAFE_PATH, VERBATIM
from ..whitespace import normalise_series, normalise_whitespace
from .arrow import encoded, first_items
from .hygiene import column_suspects


def _archived_bytes(
    file_name: str, row: int, path: str, root: Path, resolved: dict[str, str | None]
) -> bytes | Problem:
    """The bytes of the article at PATH (row ROW of sources), or the Problem that keeps them from being read."""
    reason = unsafe_path_reason(path)
    if reason:
        return Problem(file_name, row, "path", UNSAFE_PATH, reason, value=path)
    file = os.path.join(str(root), path)
    if _outside(root, file, resolved):
        return Problem(
            file_name,
            row,
            "path",
            UNSAFE_PATH,
            "the archived article is a link to somewhere outside the package",
            value=path,
        )
    try:
        if not os.path.isfile(file):  # missing, or a folder or pipe that could hang the read
            raise FileNotFoundError(file)
        if os.path.getsize(file) > MAX_FILE_BYTES:
            return Problem(
                file_name,
                row,
                "path",
                FILE_TOO_LARGE,
                f"the archived article is larger than the limit of {MAX_FILE_BYTES:,} bytes",
                value=path,
            )
        with open(file, "rb") as handle:
            return handle.read()
    except OSError:
        return Problem(
            file_name,
            row,
            "path",
            MISSING_ARCHIVE,
            "the archived article is not in the package (or cannot be read)",
            value=path,
        )


def _article_text(
    file_name: str, row: int, path: str, digest: object, data: bytes, problems: list[Problem]
) -> str:
    """DATA as text, whitespace-normalised NFC; a changed hash or bytes that are not UTF-8 go to PROBLEMS."""
    actual = hashlib.sha256(data).hexdigest()
    # hex is hex in either case: an upper-case digest is the pattern check's fault, not a changed article
    if not pd.isna(digest) and actual != str(digest).strip().lower():
        problems.append(
            Problem(
                file_name,
                row,
                "sha256",
                ARCHIVE_HASH,
                f"{path} has sha256 {actual}: the archived article was changed, or the hash is wrong",
                value=str(digest),
            )
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(
                file_name,
                row,
                "path",
                ARCHIVE_ENCODING,
                f"{path} is not UTF-8 (byte {exc.start + 1} cannot be decoded): save the archived "
                "article as UTF-8 and update its sha256",
                value=path,
            )
        )
        text = data.decode("utf-8", errors="replace")
    return normalise_whitespace(unicodedata.normalize("NFC", text))


def source_texts(frames: dict[str, RawTable], root: Path) -> tuple[dict[str, str], list[Problem]]:
    """Read each archived article once; check its path and sha256. Returns normalised texts by source id."""
    raw = frames.get(SOURCES_TABLE)
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    if raw is None or raw.frame is None or not {SOURCE_ID, SOURCE_PATH} <= set(raw.frame.columns):
        return texts, problems
    frame = raw.frame
    digests = frame[SOURCE_DIGEST].tolist() if SOURCE_DIGEST in frame.columns else [None] * len(frame)
    resolved: dict[str, str | None] = {}
    for row, sid, path, digest in zip(
        frame.index.tolist(), frame[SOURCE_ID].tolist(), frame[SOURCE_PATH].tolist(), digests, strict=True
    ):
        if pd.isna(sid) or pd.isna(path):
            continue
        data = _archived_bytes(raw.file, int(row), str(path), root, resolved)
        if isinstance(data, Problem):
            problems.append(data)
            continue
        texts[str(sid)] = _article_text(raw.file, int(row), str(path), digest, data, problems)
    cited = [str(p) for p in frame["path"].dropna().tolist() if not unsafe_path_reason(str(p))]
    problems.extend(uncited_files(root, cited, "archived article", "cite it in sources.csv or delete it"))
    return texts, problems


def _outside(root: Path, file: str, resolved: dict[str, str | None]) -> bool:
    """`outside_root`, with each folder resolved once: a file that is no link lies where its folder does."""
    folder, name = os.path.split(file)
    if name in ("", ".", "..") or os.path.islink(file):
        return outside_root(root, Path(file))
    for path in (str(root), folder):
        if path not in resolved:
            try:
                resolved[path] = str(Path(path).resolve())
            except (OSError, RuntimeError):  # a symlink loop
                resolved[path] = None
    top, where = resolved[str(root)], resolved[folder]
    if top is None or where is None:
        return True
    return not Path(where, name).is_relative_to(top)


def verbatim_problems(frames: dict[str, RawTable], texts: dict[str, str]) -> list[Problem]:
    """Every field marked `x-verbatim-in` must occur in the archived article of the source its row cites.

    The source is the first item when the source field is a list. Whitespace runs count as
    one space and both sides are compared in NFC; nothing else is forgiven. Each distinct
    (source, text) pair is looked up once, and only texts that a screen finds odd (a line
    break, a double space, a character that NFC could change...) are normalised first.
    """
    problems: list[Problem] = []
    for raw in frames.values():
        if raw.frame is None:
            continue
        for field in raw.table.fields:
            name, source_field = field.name, field.verbatim_in
            if not source_field or name not in raw.frame.columns or source_field not in raw.frame.columns:
                continue
            problems.extend(_verbatim_column(raw, name, source_field, texts))
    return problems


def _verbatim_column(raw: RawTable, name: str, source_field: str, texts: dict[str, str]) -> list[Problem]:
    needles, cited = encoded(raw, name), encoded(raw, source_field)
    positions = np.flatnonzero((needles.codes >= 0) & (cited.codes >= 0))
    if not positions.size:
        return []
    # the source a row cites first, as a code into `sources` (distinct first items)
    first = pc.dictionary_encode(first_items(cited.values))
    sources = first.dictionary.to_pylist()
    source_of = np.asarray(first.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    width = max(len(sources), 1)
    inverse, distinct = pd.factorize(needles.codes[positions] * width + source_of[cited.codes[positions]])
    text_codes, source_codes = np.divmod(np.asarray(distinct, dtype=np.int64), width)
    articles = [texts.get(str(source)) for source in sources]
    known = np.array([article is not None for article in articles], dtype=bool)[source_codes]
    normalised = needles.values.to_numpy(zero_copy_only=False).astype(object)
    odd = column_suspects(raw, name)
    if odd.size:
        normalised[odd] = normalise_series(pd.Series(normalised[odd], dtype="string")).to_numpy(dtype=object)
    found = np.ones(len(distinct), dtype=bool)
    if known.any():
        hay = np.array(articles, dtype=object)[source_codes[known]]
        found[known] = list(map(operator.contains, hay.tolist(), normalised[text_codes[known]].tolist()))
    if found.all():
        return []
    rows = raw.frame.index.to_numpy() if raw.frame is not None else np.zeros(0, dtype=np.int64)
    problems: list[Problem] = []
    for n, i in enumerate(np.flatnonzero(~found[inverse])):
        pair = inverse[i]
        sid = sources[source_codes[pair]]
        value = str(needles.values[int(text_codes[pair])].as_py())
        message = f"the text is not found verbatim in the archived article of source {sid!r}"
        if n < CLOSEST_PER_COLUMN and texts.get(str(sid)) is not None:
            message += _closest_words(texts[str(sid)], value)
        problems.append(Problem(raw.file, int(rows[positions[i]]), name, VERBATIM, message, value=value))
    return problems


#: Failing cells of one column that get their closest passage (the search costs a few ms each).
CLOSEST_PER_COLUMN = 20


def _closest_words(article: str, value: str) -> str:
    """`; the closest passage ... first differs at character N ...` for a verbatim failure, or ''."""
    from ..evidence import closest_passages, describe

    words = normalise_whitespace(unicodedata.normalize("NFC", value))
    best = closest_passages(article, words, limit=1)
    if not best:
        return "; no passage of the article comes close"
    return f"; the closest passage is {best[0].normalised!r}, and {describe(words, best[0])}"
