"""The limits every command holds to, declared once (README "Limits" lists them).

They keep a hostile or broken package from making a command's time or memory grow faster
than the size of its input, and keep the data within what a spreadsheet can hold.
"""

from __future__ import annotations

import csv

#: Largest cell, in characters: what one spreadsheet cell holds (Excel and LibreOffice).
#: validate reports a longer cell (rule `cell-too-long`); xlsx export refuses to cut one.
MAX_CELL_CHARS = 32_767
#: Most columns a table's header may name; a longer header is refused before it is parsed.
MAX_COLUMNS = 1_000
#: Largest file of the package any command reads (descriptor, table or archived article).
MAX_FILE_BYTES = 1 << 30
#: Largest descriptor (datapackage.json) read into memory.
MAX_DESCRIPTOR_BYTES = 64 << 20
#: Most problems printed in the text formats before a one-line summary of the rest.
MAX_PROBLEMS_LISTED = 1_000
#: Seconds a `dataset query --sql` statement may run (its default `--timeout`).
SQL_TIMEOUT_SECONDS = 5.0
#: Bytes of memory SQLite may use for one query (its heap limit).
SQL_HEAP_BYTES = 512 << 20
#: Most rows a `dataset query --sql` statement may return (they are held in memory to be printed).
MAX_SQL_ROWS = 1_000_000
#: Largest article (text or saved page) `dataset add-source` reads; checked before it is read.
MAX_ARTICLE_BYTES = 32 << 20

#: The longest field the csv module may read, set process-wide when this module is imported: no
#: cell can be longer than the largest file, so every reader (validate, fmt, refresh, add-source)
#: reads a long cell and reports it as `cell-too-long`, never as a CSV syntax error. Raising the
#: limit only makes the csv module accept more, never less.
CSV_FIELD_LIMIT = MAX_FILE_BYTES
csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))


def cell_too_long(length: int) -> str:
    """The words of rule `cell-too-long`, for a cell of LENGTH characters (every reader says the same)."""
    return (
        f"the cell holds {length:,} characters, more than the {MAX_CELL_CHARS:,} a "
        "spreadsheet cell can hold; shorten it or split it"
    )
