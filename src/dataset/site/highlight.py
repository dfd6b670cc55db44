"""Find the quoted passages in an archived article and mark them in its HTML.

The validator compares texts with whitespace runs collapsed (`checks.normalise_whitespace`,
after NFC). Here the same comparison is made on an index of the article that remembers, for
each character of the collapsed text, where it stands in the original, so a match found in
the collapsed text maps back to offsets in the text the reader sees, line breaks and all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ..whitespace import normalise_whitespace

_TOKENS = re.compile(r"\S+|\s+")
_PARAGRAPH = re.compile(r"\n[^\S\n]*\n\s*")


@dataclass(frozen=True)
class Ref:
    """A row that quotes a passage: its table, id and field, and the page anchor that shows it."""

    table: str
    row_id: str
    field: str
    href: str


@dataclass
class Passage:
    """A highlighted stretch of an article: overlapping quotes are merged into one passage."""

    start: int
    end: int
    refs: list[Ref] = field(default_factory=list)
    id: str = ""


class ArticleIndex:
    """An article (in NFC) with its whitespace-collapsed form and the offset map between them."""

    def __init__(self, text: str) -> None:
        self.text = unicodedata.normalize("NFC", text)
        chars: list[str] = []
        positions: list[int] = []
        for match in _TOKENS.finditer(self.text):
            token = match.group()
            if token.isspace():
                if chars:  # a run between words counts as one space; leading and trailing runs vanish
                    chars.append(" ")
                    positions.append(match.start())
                continue
            chars.append(token)
            positions.extend(range(match.start(), match.end()))
        collapsed = "".join(chars)
        if collapsed.endswith(" "):
            collapsed, positions = collapsed[:-1], positions[:-1]
        self.collapsed = collapsed
        self.positions = positions
        assert len(self.collapsed) == len(self.positions)

    def locate(self, needle: str) -> tuple[int, int] | None:
        """Offsets in `text` of the first occurrence of NEEDLE, compared as the validator does."""
        wanted = normalise_whitespace(unicodedata.normalize("NFC", needle))
        if not wanted:
            return None
        at = self.collapsed.find(wanted)
        if at < 0:
            return None
        return self.positions[at], self.positions[at + len(wanted) - 1] + 1


def merge(spans: list[tuple[int, int, Ref]]) -> list[Passage]:
    """Overlapping or touching spans become one passage; passages are numbered in reading order."""
    passages: list[Passage] = []
    for start, end, ref in sorted(spans, key=lambda s: (s[0], -s[1], s[2].table, s[2].row_id, s[2].field)):
        if passages and start < passages[-1].end:
            last = passages[-1]
            last.end = max(last.end, end)
            if ref not in last.refs:
                last.refs.append(ref)
        else:
            passages.append(Passage(start, end, [ref]))
    for number, passage in enumerate(passages, start=1):
        passage.id = f"p{number}"
    return passages


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blocks separated by a blank line, outer whitespace left out."""
    out = []
    cursor = 0
    for brk in [*_PARAGRAPH.finditer(text), None]:
        stop = brk.start() if brk else len(text)
        chunk = text[cursor:stop]
        lead = len(chunk) - len(chunk.lstrip())
        body = chunk.strip()
        if body:
            out.append((cursor + lead, cursor + lead + len(body)))
        cursor = brk.end() if brk else len(text)
    return out


def _plain(text: str) -> Markup:
    """Escaped text with single line breaks kept as <br>."""
    return Markup("<br>\n").join(escape(line) for line in text.split("\n"))


def _mark(passage: Passage, text: str, first: bool) -> Markup:
    anchor = Markup(' id="{}"').format(passage.id) if first else Markup("")
    return Markup('<mark class="passage"{} data-passage="{}"><a href="#refs-{}">{}</a></mark>').format(
        anchor, passage.id, passage.id, _plain(text)
    )


def render_article(text: str, passages: list[Passage]) -> Markup:
    """The article as escaped HTML paragraphs with each passage in a <mark> that links to its rows.

    A passage that runs over a paragraph break is split into one <mark> per paragraph; only the
    first carries the id that links from a row land on.
    """
    html: list[Markup] = []
    seen: set[str] = set()
    for p_start, p_end in paragraphs(text):
        pieces: list[Markup] = []
        cursor = p_start
        for passage in passages:
            start, end = max(passage.start, p_start), min(passage.end, p_end)
            if start >= end:
                continue
            pieces.append(_plain(text[cursor:start]))
            pieces.append(_mark(passage, text[start:end], passage.id not in seen))
            seen.add(passage.id)
            cursor = end
        pieces.append(_plain(text[cursor:p_end]))
        html.append(Markup("<p>{}</p>").format(Markup("").join(pieces)))
    return Markup("\n").join(html)
