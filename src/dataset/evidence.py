"""Finding evidence: where a quoted passage sits in an archived article, or what comes closest.

Matching is validate's: both sides in NFC, every whitespace run counted as one space
(`checks.normalise_whitespace`), nothing else forgiven. A passage that is not found gets
its closest passages (difflib's SequenceMatcher ratio over windows of the article that start
at a word) and the first character where each differs, so a contributor sees which
character to fix instead of re-reading the whole article. Only the standard library and
`checks.normalise_whitespace` are used for matching.
"""

from __future__ import annotations

import bisect
import heapq
import os
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from difflib import SequenceMatcher, get_close_matches
from functools import lru_cache
from typing import Any

from .descriptor import read_descriptor
from .errors import DatasetError
from .files import FileRefused, read_bytes
from .location import unsafe_path_reason
from .whitespace import normalise_whitespace

#: Windows kept after the cheap word-overlap screen, before SequenceMatcher scores them.
_SCREENED = 12
#: A matching run shorter than this does not anchor a passage's start or end (a stray "e").
_ANCHOR = 3
#: Passages less similar than this are not offered: a guess that wastes the reader's time.
MIN_RATIO = 0.6
#: Characters of the words sought that the closest-passage search compares (their first words):
#: difflib's cost grows with the square of the length, so one huge cell must not stall validate.
MAX_COMPARED_CHARS = 400


@dataclass(frozen=True)
class Passage:
    """A stretch of the archived text: as archived (`text`) and where (`start`, `end` characters)."""

    text: str
    start: int
    end: int
    ratio: float = 1.0  # difflib similarity to the words sought, 1.0 for an exact match
    differs_at: int | None = None  # first differing character of the words sought (0-based), None if equal

    @property
    def normalised(self) -> str:
        """The passage as matching sees it: whitespace runs as one space."""
        return normalise_whitespace(self.text)


@dataclass(frozen=True)
class Finding:
    """What `find_passage` found: the exact passage, or the closest ones (best first)."""

    words: str  # the words sought, normalised
    exact: Passage | None
    closest: tuple[Passage, ...] = ()

    @property
    def found(self) -> bool:
        return self.exact is not None


class _Text:
    """An article as matching sees it, with a map from each normalised character back to the archive."""

    def __init__(self, text: str) -> None:
        self.original = unicodedata.normalize("NFC", text)
        starts, tokens = [], []
        i, n = 0, len(self.original)
        while i < n:
            while i < n and self.original[i].isspace():
                i += 1
            j = i
            while j < n and not self.original[j].isspace():
                j += 1
            if j > i:
                starts.append(i)
                tokens.append(self.original[i:j])
            i = j
        self.tokens = tokens
        self.normalised = " ".join(tokens)
        # where each token begins, in the normalised text and in the archive
        self.norm_starts = []
        at = 0
        for token in tokens:
            self.norm_starts.append(at)
            at += len(token) + 1
        self.orig_starts = starts

    def to_original(self, pos: int, *, end: bool = False) -> int:
        """The archive offset of normalised offset POS (an end offset maps just past its character)."""
        if not self.tokens:
            return 0
        probe = pos - 1 if end else pos
        k = max(bisect.bisect_right(self.norm_starts, probe) - 1, 0)
        inside = min(probe - self.norm_starts[k], len(self.tokens[k]) - (1 if end else 0))
        return self.orig_starts[k] + inside + (1 if end else 0)

    def passage(self, start: int, end: int, **kw: Any) -> Passage:
        """The archived text behind normalised [start, end); KW are Passage's match fields, passed on."""
        a, b = self.to_original(start), self.to_original(end, end=True)
        return Passage(self.original[a:b], a, b, **kw)


@lru_cache(maxsize=8)
def _text(article: str) -> _Text:
    """One article's map, built once when validate looks up several failing cells in it."""
    return _Text(article)


def first_difference(a: str, b: str) -> int | None:
    """Index of the first character where A and B differ (the shorter one's length if one is a prefix)."""
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return i
    return None if len(a) == len(b) else min(len(a), len(b))


def _screen(text: _Text, words: list[str]) -> list[int]:
    """Token indexes where a window of len(WORDS) tokens shares the most words with WORDS."""
    n = len(words)
    want = Counter(words)
    have: Counter[str] = Counter(text.tokens[:n])
    overlap = sum(min(c, want[w]) for w, c in have.items())
    scores = [(overlap, 0)]
    for i in range(1, max(len(text.tokens) - n + 1, 1)):
        out, new = text.tokens[i - 1], text.tokens[i + n - 1]
        if have[out] <= want[out]:
            overlap -= 1
        have[out] -= 1
        have[new] += 1
        if have[new] <= want[new]:
            overlap += 1
        scores.append((overlap, -i))
    best = [-i for _, i in heapq.nlargest(_SCREENED, scores)]
    return best + [i for i in _misspelt(text, words) if i not in best]


def _misspelt(text: _Text, words: list[str]) -> list[int]:
    """Window starts where an edge word of WORDS appears misspelt, which the overlap screen cannot see."""
    vocabulary = set(text.tokens)
    starts: list[int] = []
    for k in sorted({0, 1, len(words) - 1} & set(range(len(words)))):
        close = set(get_close_matches(words[k], vocabulary, n=3, cutoff=0.6))
        starts += [i - k for i, token in enumerate(text.tokens) if token in close and i >= k]
    return list(dict.fromkeys(starts))[:_SCREENED]


def _aligned(text: _Text, words: str, token: int) -> Passage:
    """The passage near TOKEN that lines up best with WORDS, and its first difference."""
    begin = text.norm_starts[token] if text.tokens else 0
    lo, hi = max(begin - 20, 0), min(begin + len(words) + 20, len(text.normalised))
    region = text.normalised[lo:hi]
    matcher = SequenceMatcher(None, region, words, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size >= min(_ANCHOR, len(words))]
    if blocks:
        start = max(lo + blocks[0].a - blocks[0].b, 0)
        last = blocks[-1]
        end = lo + last.a + last.size + (len(words) - last.b - last.size)
    else:
        start, end = begin, begin + len(words)
    end = min(max(end, start + 1), len(text.normalised))
    cut = not text.normalised[start:end].endswith(words.rsplit(" ", 1)[-1])
    start, end = _whole_words(text.normalised, start, end, reach=30 if cut else 0)
    shown = text.normalised[start:end]
    ratio = SequenceMatcher(None, shown, words, autojunk=False).ratio()
    return text.passage(start, end, ratio=round(ratio, 3), differs_at=first_difference(words, shown))


def _whole_words(text: str, start: int, end: int, reach: int = 30) -> tuple[int, int]:
    """[START, END) moved off a leading space and on to the end of a word it cuts (at most REACH characters)."""
    while start < end - 1 and text[start] == " ":
        start += 1
    stop = min(end + reach, len(text))
    while end < stop and text[end - 1] != " " and text[end] != " ":
        end += 1
    return start, end


def _spread(starts: list[int], width: int) -> list[int]:
    """STARTS, best first, without those a few words from a better one: they align to the same passage."""
    near = max(2, width // 4)
    kept: list[int] = []
    for start in starts:
        if all(abs(start - k) > near for k in kept):
            kept.append(start)
    return kept


def _can_come_close(article: int, sought: int) -> bool:
    """False when words of length SOUGHT are so much longer than an article of length ARTICLE that
    no passage of it can reach MIN_RATIO (a ratio is at most 2 * shorter / (both lengths))."""
    return sought <= article or 2 * article / (article + sought) >= MIN_RATIO


def _head(sought: str) -> str:
    """The first whole words of SOUGHT within MAX_COMPARED_CHARS (its first word, at least)."""
    if len(sought) <= MAX_COMPARED_CHARS:
        return sought
    cut = sought.rfind(" ", 0, MAX_COMPARED_CHARS + 1)
    return sought[:cut] if cut > 0 else sought.split(" ", 1)[0][:MAX_COMPARED_CHARS]


def _past_head(text: _Text, head: str, sought: str, passage: Passage) -> Passage:
    """PASSAGE (the head found verbatim) marked at the first difference of all of SOUGHT, read on from it."""
    at = text.normalised.find(head)
    return replace(passage, differs_at=first_difference(sought, text.normalised[at : at + len(sought)]))


def closest_passages(article: str | _Text, words: str, limit: int = 3) -> tuple[Passage, ...]:
    """Up to LIMIT non-overlapping passages of ARTICLE most like WORDS, best first."""
    text = article if isinstance(article, _Text) else _text(article)
    sought = normalise_whitespace(unicodedata.normalize("NFC", words))
    if not text.tokens or not sought or not _can_come_close(len(text.normalised), len(sought)):
        return ()
    head = _head(sought)
    tokens = head.split(" ")
    candidates = [_aligned(text, head, t) for t in _spread(_screen(text, tokens), len(tokens))]
    if head != sought:  # a passage equal to the head: the difference is further on, past the head
        candidates = [
            p if p.differs_at is not None else _past_head(text, head, sought, p) for p in candidates
        ]
    candidates.sort(key=lambda p: (-p.ratio, p.start))
    chosen: list[Passage] = []
    for p in candidates:
        if p.ratio < MIN_RATIO:
            break
        if all(p.end <= q.start or p.start >= q.end for q in chosen):
            chosen.append(p)
        if len(chosen) == limit:
            break
    return tuple(chosen)


def find_passage(text: str, words: str, limit: int = 3) -> Finding:
    """WORDS in TEXT as validate matches them: the exact passage as archived, or the LIMIT closest."""
    article = _Text(text)
    sought = normalise_whitespace(unicodedata.normalize("NFC", words))
    at = article.normalised.find(sought) if sought else -1
    if at >= 0:
        return Finding(sought, article.passage(at, at + len(sought)))
    return Finding(sought, None, closest_passages(article, sought, limit))


def excerpt(text: str, at: int, width: int = 30) -> tuple[str, int]:
    """WIDTH characters of TEXT either side of AT, with "…" where cut; and AT's column in the excerpt."""
    lo, hi = max(at - width, 0), min(at + width, len(text))
    head = "…" if lo else ""
    return head + text[lo:hi] + ("…" if hi < len(text) else ""), len(head) + at - lo


def difference(words: str, passage: Passage, width: int = 30) -> tuple[str, str, int]:
    """WORDS and PASSAGE (normalised) cut around their first difference, and its column in both cuts."""
    at = passage.differs_at or 0
    mine, column = excerpt(words, at, width)
    theirs, _ = excerpt(passage.normalised, at, width)
    return mine, theirs, column


def describe(words: str, passage: Passage) -> str:
    """One line: where WORDS first differ from PASSAGE, both sides shown around that character."""
    mine, theirs, _ = difference(words, passage)
    at = (passage.differs_at or 0) + 1
    return f"it first differs at character {at}: {mine!r} where the archive has {theirs!r}"


class SourceNotFound(DatasetError):
    """The source id names no row of the sources table (a usage error: exit 2)."""


def archived_text(path: str | os.PathLike[str] | None, source_id: str) -> tuple[str, str]:
    """The package-relative path and the text of source SOURCE_ID's archived article."""
    from .csvread import read_text

    desc = read_descriptor(path)
    table = desc.tables["sources"]
    read = read_text(desc.root, table)  # the guarded reader; a byte-order mark is tolerated, as validate does
    if read.header is None:
        raise SourceNotFound(f"the sources table cannot be read: {read.errors[0]}")
    rows = {row.get("id"): row for row in read.dicts()}
    row = rows.get(source_id)
    if row is None:
        known = ", ".join(sorted(str(k) for k in rows if k))
        raise SourceNotFound(f"no source has the id {source_id!r} in {table.path}; the ids are: {known}")
    seed = row.get("path") or ""
    reason = unsafe_path_reason(seed)
    if reason:
        raise SourceNotFound(f"source {source_id!r} has path {seed!r}, which cannot be used: {reason}")
    try:  # the guarded reader: no link out of the package, no pipe, nothing past the size limit
        return seed, read_bytes(desc.root, desc.root / seed).decode("utf-8")
    except FileRefused as exc:
        raise SourceNotFound(
            f"{seed}: the archived article of {source_id!r} cannot be read: {exc.reason}"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceNotFound(f"{seed}: the archived article of {source_id!r} cannot be read ({exc})") from exc
