"""How a table is shown to a reader: which columns name a row, come first, hold its dates; text widths.

The terminal (`query`), the xlsx and the Datasette metadata (`export`) read these, so a table
looks the same wherever it is opened.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from .descriptor import Field, Table

#: Columns that name a row (by prefix): `--person kartavykh` and `--source tass` match these, and the id.
LABEL_PREFIXES = ("name", "title", "publisher")
#: What a reader wants first from each table: the terminal shows these by default, the xlsx puts
#: them first (id, date, what happened or was said), then the rest in the descriptor's order.
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": ("id", "published", "publisher", "title", "language"),
    "persons": ("id", "name_latin", "name_cyrillic", "role"),
    "organizations": ("id", "name_en", "name_ru", "kind"),
    "events": ("id", "date", "event_type", "summary"),
    "statements": ("id", "date", "speaker_person_id", "quote", "quote_en"),
    "figures": ("id", "date", "measure", "value", "unit", "counted"),
}


def key_columns(name: str, columns: Iterable[str]) -> list[str]:
    """The KEY_COLUMNS of table NAME that COLUMNS has, in their order; all COLUMNS for another table."""
    present = list(columns)
    wanted = [c for c in KEY_COLUMNS.get(name, ()) if c in present]
    return wanted or present


def reading_order(name: str, columns: Iterable[str]) -> list[str]:
    """COLUMNS with the table's key columns first (id, date, what happened), then the rest as given."""
    present = list(columns)
    first = [c for c in KEY_COLUMNS.get(name, ()) if c in present]
    return first + [c for c in present if c not in first]


def date_field_names(table: Table) -> list[str]:
    """Columns holding partial ISO dates: those whose pattern starts with a four-digit year."""
    return [f.name for f in table.fields if f.pattern and f.pattern.startswith("^[0-9]{4}")]


def date_fields(table: Table) -> tuple[str, str | None] | None:
    """The column holding a row's (partial ISO) date and the one holding its end, if any.

    The first date column (`date`, `published`) starts the period; `end_<name>` or `end_date`,
    when the schema has it, ends it.
    """
    dated = date_field_names(table)
    if not dated:
        return None
    start = dated[0]
    for end in (f"end_{start}", "end_date"):
        if end in dated and end != start:
            return start, end
    return start, None


def label_fields(table: Table) -> list[str]:
    """Free-text fields that name a row (`name_latin`, `name_cyrillic`, `title`, `publisher`)."""
    return [
        f.name
        for f in table.fields
        if f.type == "string" and not f.enum and not f.list_of and f.name.startswith(LABEL_PREFIXES)
    ]


def char_width(char: str) -> int:
    """Columns a character takes in a terminal: 0 for combining marks, 2 for wide East Asian ones."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Cc", "Cf", "Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    """Columns TEXT takes in a terminal (Cyrillic 1 per letter, CJK 2, accents 0)."""
    return sum(char_width(c) for c in text)


def vocabulary_fields(table: Table) -> list[Field]:
    """Fields with a closed vocabulary (an enum in the descriptor)."""
    return [f for f in table.fields if f.enum]
