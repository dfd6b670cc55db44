"""The rule catalogue: every rule `dataset validate` can report, with its stage, severity and words.

A rule is its id (a `str`, so a report carries it as plain text), plus what it means in plain
words and whether breaking it is an error or a warning. Checks name rules by the constants
below and never type an id; CONTRIBUTING.md's table of rules and the codebook's list are
generated from `CATALOGUE` by `dataset refresh`, so the words are written once, here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"


@dataclass(frozen=True)
class Stage:
    """A step of validation, as CONTRIBUTING.md and the codebook group the rules."""

    title: str
    #: what the stage looks at, after the title
    scope: str = ""


DESCRIPTOR = Stage("Descriptor", "`datapackage.json`")
FILES = Stage("Files, headers and rows", "each CSV")
VALUES = Stage("Values", "the pandera schema built from the descriptor")
TABLES = Stage("Across tables and provenance")
LINKS = Stage(
    "Links between claims",
    "`data/claim_links.csv`; a row reads as a sentence: the `from` row, the relation, the `to` row",
)
HYGIENE = Stage("Text hygiene", "every cell")
RUN = Stage("The validator itself")

STAGES = (DESCRIPTOR, FILES, VALUES, TABLES, LINKS, HYGIENE, RUN)


class Rule(str):
    """A rule id that knows its stage, severity and words; compares and prints as the id."""

    stage: Stage
    severity: Severity
    words: str

    def __new__(cls, rule_id: str, stage: Stage, words: str, severity: Severity = ERROR) -> Rule:
        rule = super().__new__(cls, rule_id)
        rule.stage, rule.words, rule.severity = stage, words, severity
        return rule

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        """Pickled as its id, unpickled as the catalogue's rule (a Problem may cross processes)."""
        return (_catalogued, (str(self),))


def _catalogued(rule_id: str) -> Rule:
    return CATALOGUE[rule_id]


#: Every rule by id, in the order of the documentation.
CATALOGUE: dict[str, Rule] = {}


def _rule(rule_id: str, stage: Stage, words: str, severity: Severity = ERROR) -> Rule:
    if rule_id in CATALOGUE:
        raise ValueError(f"rule {rule_id!r} is declared twice")
    CATALOGUE[rule_id] = Rule(rule_id, stage, words, severity)
    return CATALOGUE[rule_id]


# --- Descriptor

DATA_PACKAGE_STANDARD = _rule(
    "data-package-standard", DESCRIPTOR, "the descriptor breaks the Frictionless Data Package standard"
)
VERSION = _rule(
    "version",
    DESCRIPTOR,
    "the package has no `version`, or one that is not Semantic Versioning (MAJOR.MINOR.PATCH, such as 1.0.0)",
)
RESOURCES = _rule("resources", DESCRIPTOR, "`resources` is not a non-empty list")
RESOURCE = _rule("resource", DESCRIPTOR, "a resource is not a JSON object")
RESOURCE_NAME = _rule("resource-name", DESCRIPTOR, "a resource has no name, or two share one")
MISSING_TABLE = _rule("missing-table", DESCRIPTOR, "one of the project's tables is not in the descriptor")
RESOURCE_PATH = _rule(
    "resource-path",
    DESCRIPTOR,
    "a resource has no path, several paths, a path that is not text, or the file of another resource",
)
UNSAFE_PATH = _rule(
    "unsafe-path",
    DESCRIPTOR,
    "a path is absolute, remote (a URL), contains `..`, or a file links outside the package",
)
INLINE_DATA = _rule("inline-data", DESCRIPTOR, "a resource carries inline `data` instead of a CSV file")
RESOURCE_ENCODING = _rule("resource-encoding", DESCRIPTOR, "a resource declares an encoding other than UTF-8")
RESOURCE_FORMAT = _rule("resource-format", DESCRIPTOR, "a resource declares a format other than CSV")
DIALECT = _rule(
    "dialect",
    DESCRIPTOR,
    "a resource declares a CSV dialect other than comma, double quote (doubled to escape), one header row, no comment lines",
)
SCHEMA = _rule(
    "schema",
    DESCRIPTOR,
    "a resource has no schema, or one that is not written inline as an object, or `missingValues` other than the empty cell",
)
SCHEMA_FIELDS = _rule("schema-fields", DESCRIPTOR, "`fields` is not a non-empty list")
FIELD = _rule("field", DESCRIPTOR, "a field is not a JSON object")
FIELD_NAME = _rule("field-name", DESCRIPTOR, "a field has no name, or two fields share one")
FIELD_TYPE = _rule("field-type", DESCRIPTOR, "a field type the Table Schema standard does not know")
FIELD_FORMAT = _rule(
    "field-format", DESCRIPTOR, "a string field's `format` is not one of default, uri, email, uuid, binary"
)
FIELD_CONSTRAINTS = _rule(
    "field-constraints",
    DESCRIPTOR,
    "`constraints` is not an object, or `required`/`unique`/`minimum`/... has the wrong kind of value",
)
FIELD_PATTERN = _rule(
    "field-pattern", DESCRIPTOR, "a pattern that is not text or not a valid regular expression"
)
FIELD_ENUM = _rule(
    "field-enum", DESCRIPTOR, "an enum that is not a list, is empty, repeats a value or holds objects"
)
FIELD_LIST = _rule(
    "field-list",
    DESCRIPTOR,
    "a malformed `x-list-of` (it needs a resource, a field and a non-empty separator)",
)
FIELD_VERBATIM = _rule(
    "field-verbatim", DESCRIPTOR, "`x-verbatim-in` does not name another field of the table"
)
PRIMARY_KEY = _rule(
    "primary-key", DESCRIPTOR, "no primary key, or one naming a field the table does not have"
)
FOREIGN_KEY_DEFINITION = _rule(
    "foreign-key-definition", DESCRIPTOR, "a malformed foreign key, or one on a field the table does not have"
)
FOREIGN_KEY_TARGET = _rule(
    "foreign-key-target",
    DESCRIPTOR,
    "a foreign key or list field points to a table or field that does not exist",
)
DUPLICATE_KEY = _rule(
    "duplicate-key",
    DESCRIPTOR,
    "a key written twice in one JSON object of the descriptor (JSON keeps only the last; the first is lost)",
)
PROFILE = _rule("profile", DESCRIPTOR, "`$schema` is not a URL (it names the profile the package follows)")
CUSTOM_PROFILE = _rule(
    "custom-profile",
    DESCRIPTOR,
    "a `profile` or `$schema` URL that is not the standard's; it is not downloaded, and the descriptor is checked against the standard profile",
    WARNING,
)
RESOURCE_BYTES = _rule(
    "resource-bytes",
    DESCRIPTOR,
    "a table's size in bytes differs from what `datapackage.json` records (run `dataset refresh` after an intended change)",
)
RESOURCE_HASH = _rule(
    "resource-hash",
    DESCRIPTOR,
    "a table's hash differs from what `datapackage.json` records (run `dataset refresh` after an intended change)",
)
RESOURCE_UNRECORDED = _rule(
    "resource-unrecorded",
    DESCRIPTOR,
    "a table whose size and hash `datapackage.json` does not record (run `dataset refresh` to add them)",
    WARNING,
)

# --- Files, headers and rows

MISSING_FILE = _rule("missing-file", FILES, "the CSV a resource names is not there")
UNREADABLE_FILE = _rule("unreadable-file", FILES, "the CSV cannot be read (or is a folder, pipe or device)")
TOO_MANY_COLUMNS = _rule(
    "too-many-columns",
    FILES,
    "the header names more columns than the limit (README, Limits); nothing else of the file is read",
)
CELL_TOO_LONG = _rule(
    "cell-too-long",
    FILES,
    "a cell holds more than 32,767 characters, the most a spreadsheet cell holds (README, Limits): shorten or split it",
)
FILE_TOO_LARGE = _rule(
    "file-too-large", FILES, "the file is larger than the limit every command holds to (see README, Limits)"
)
ENCODING = _rule(
    "encoding", FILES, "the file is not UTF-8 (e.g. saved as Windows-1251); the first bad cell is named"
)
ENCODING_BOM = _rule("encoding-bom", FILES, "the file starts with a byte-order mark (tolerated)", WARNING)
LINE_ENDINGS = _rule("line-endings", FILES, "the file has Windows line endings (tolerated)", WARNING)
EMPTY_FILE = _rule("empty-file", FILES, "the file has not even a header row")
DELIMITER = _rule(
    "delimiter",
    FILES,
    "the table was saved with `;`, tabs or `|` between fields (a spreadsheet's locale setting): save it again with commas",
)
CSV_SYNTAX = _rule("csv-syntax", FILES, "broken quoting: a stray quote, or a quote never closed")
HEADER_RENAMED = _rule("header-renamed", FILES, "a column has another name than the schema gives it")
HEADER_MISSING = _rule("header-missing", FILES, "a column of the schema is missing from the header")
HEADER_EXTRA = _rule("header-extra", FILES, "the header has a column the schema does not know")
HEADER_DUPLICATE = _rule("header-duplicate", FILES, "a column appears twice in the header")
HEADER_ORDER = _rule("header-order", FILES, "the columns are not in the schema's order")
RAGGED_ROW = _rule("ragged-row", FILES, "a row has more or fewer cells than the header")
BLANK_ROW = _rule("blank-row", FILES, "an empty row")
HEADER_REPEATED = _rule(
    "header-repeated",
    FILES,
    "a row that repeats the header (a sheet pasted twice); it is left out of the checks",
)

# --- Values

REQUIRED = _rule("required", VALUES, "a required cell is empty")
UNIQUE = _rule(
    "unique", VALUES, "a value appears in an earlier row already, in a column whose values must be unique"
)
PRIMARY_KEY_UNIQUE = _rule(
    "primary-key-unique", VALUES, "a primary key (all its columns together) appears in an earlier row already"
)
TYPE = _rule(
    "type",
    VALUES,
    "not a whole number (or not a number, boolean, date, time or month, for fields of those types)",
)
PATTERN = _rule(
    "pattern",
    VALUES,
    "the value does not match the field's pattern (ids, dates, hashes, lists); a pattern matches the whole value",
)
CALENDAR_DATE = _rule(
    "calendar-date",
    VALUES,
    "a full date that the calendar does not have, such as 2025-02-30 (`date`, `end_date`, `published`)",
)
LENGTH = _rule(
    "length",
    VALUES,
    "a text shorter than the field's `minLength` or longer than its `maxLength` (in characters)",
)
ENUM = _rule("enum", VALUES, "the value is not in the field's vocabulary")
FORMAT = _rule(
    "format",
    VALUES,
    "the value is not of the string format the field declares (`uri`: a scheme and a colon, no spaces; `email`, `uuid`, `binary` as Table Schema says)",
)
MINIMUM = _rule("minimum", VALUES, "a number below the field's `minimum` (figures are never negative)")
MAXIMUM = _rule("maximum", VALUES, "a number above the field's `maximum`")
EXCLUSIVE_MINIMUM = _rule(
    "exclusive-minimum",
    VALUES,
    "a number not strictly above Table Schema v2's `exclusiveMinimum` (in a package that declares v1 the standard check also says it is v2 only)",
)
EXCLUSIVE_MAXIMUM = _rule(
    "exclusive-maximum",
    VALUES,
    "a number not strictly below Table Schema v2's `exclusiveMaximum` (in a package that declares v1 the standard check also says it is v2 only)",
)
DATE_MATCHES_PRECISION = _rule(
    "date-matches-precision",
    VALUES,
    "`date` is not as long as `date_precision` says (YYYY, YYYY-MM or YYYY-MM-DD)",
)
END_DATE_SAME_PRECISION = _rule(
    "end-date-same-precision", VALUES, "`end_date` is not as long as `date_precision` says"
)
END_DATE_WITH_SPAN_OR_BETWEEN = _rule(
    "end-date-with-span-or-between",
    VALUES,
    "`end_date` is filled without `span`/`between`, or missing with them",
)
END_DATE_NOT_BEFORE_DATE = _rule("end-date-not-before-date", VALUES, "the span ends before it starts")
DATE_BASIS_UNLESS_PRINTED = _rule("date-basis-unless-printed", VALUES, "a derived date has no `date_basis`")
SPEAKER_GIVEN = _rule("speaker-given", VALUES, "a statement has neither a speaking person nor organization")
TRANSLATION_FLAGGED = _rule(
    "translation-flagged", VALUES, "`quote_en` and `quote_en_origin` are not filled together"
)
SUMMARY_RU_FLAGGED = _rule(
    "summary-ru-flagged", VALUES, "`summary_ru` and `summary_ru_origin` (events) are not filled together"
)
COUNTED_RU_FLAGGED = _rule(
    "counted-ru-flagged", VALUES, "`counted_ru` and `counted_ru_origin` (figures) are not filled together"
)
RUSSIAN_QUOTE_TRANSLATED = _rule(
    "russian-quote-translated", VALUES, "a Russian quote has no English rendering"
)
CYRILLIC_NAME_FLAGGED = _rule(
    "cyrillic-name-flagged", VALUES, "`name_cyrillic` and `name_cyrillic_origin` are not filled together"
)
QUOTE_IN_ITS_LANGUAGE = _rule(
    "quote-in-its-language",
    VALUES,
    "a quote labelled `ru` has no Cyrillic letter, or one labelled `en` has one",
)
SUMMARY_RU_IN_RUSSIAN = _rule(
    "summary-ru-in-russian",
    VALUES,
    "`summary_ru`, the Russian rendering of an event's summary, has no Cyrillic letter (the English text copied over)",
)
COUNTED_RU_IN_RUSSIAN = _rule(
    "counted-ru-in-russian",
    VALUES,
    "`counted_ru`, the Russian rendering of what a figure counts, has no Cyrillic letter (the English text copied over)",
)
LATIN_NAME_IN_LATIN = _rule(
    "latin-name-in-latin",
    VALUES,
    "`name_latin` holds a word in Cyrillic letters (a single look-alike letter inside a word is `mixed-script`)",
)
CYRILLIC_NAME_IN_CYRILLIC = _rule(
    "cyrillic-name-in-cyrillic",
    VALUES,
    "`name_cyrillic` holds a word in Latin letters (a single look-alike letter inside a word is `mixed-script`)",
)
PARENT_NOT_SELF = _rule("parent-not-self", VALUES, "an organization names itself as its `parent_id`")
PUBLISHER_BASIS_GIVEN = _rule(
    "publisher-basis-given", VALUES, "`publisher` and `publisher_basis` are not filled together"
)

# --- Across tables and provenance

FOREIGN_KEY = _rule(
    "foreign-key", TABLES, "an id (or an item of a list field) that does not exist in the table it points to"
)
LIST_DUPLICATE = _rule("list-duplicate", TABLES, "a list field names the same id twice")
DATE_AFTER_PUBLICATION = _rule(
    "date-after-publication",
    TABLES,
    "a date (or a span's end date) after the publication of a source the row cites",
)
DATE_OUTSIDE_SOURCES = _rule(
    "date-outside-sources", TABLES, "a date after the latest publication of all sources"
)
RELEASE_BEFORE_DETENTION = _rule(
    "release-before-detention", TABLES, "a release dated before the person's first detention or arrest"
)
RELEASE_WITHOUT_DETENTION = _rule(
    "release-without-detention", TABLES, "a release of someone no detention or arrest event names"
)
MISSING_ARCHIVE = _rule(
    "missing-archive", TABLES, "the archived article a source points to is not in the package"
)
ARCHIVE_HASH = _rule(
    "archive-hash", TABLES, "the archived article's sha256 differs from `sources.sha256`: it was edited"
)
UNCITED_FILE = _rule(
    "uncited-file",
    TABLES,
    "a file beside the archived articles (same extension) that no source cites, or a CSV beside the tables that no resource declares",
    WARNING,
)
ARCHIVE_ENCODING = _rule(
    "archive-encoding", TABLES, "the archived article is not UTF-8 (its excerpts cannot be checked reliably)"
)
VERBATIM = _rule(
    "verbatim",
    TABLES,
    "a quote, excerpt or evidence is not found word for word in its source's article; the message shows the closest passage and the first character that differs (`dataset cite` shows three)",
)

# --- Links between claims

LINK_END_MISSING = _rule(
    "link-end-missing",
    LINKS,
    "`from_id` or `to_id` is not an id of the table named in `from_table` or `to_table`",
)
LINK_SELF = _rule("link-self", LINKS, "a row is linked to itself")
LINK_DUPLICATE = _rule(
    "link-duplicate",
    LINKS,
    "the two rows are already linked by an earlier link (in either direction for `contradicts`, `corroborates` and `same-event-as`)",
)
LINK_ENDS_KIND = _rule(
    "link-ends-kind",
    LINKS,
    "the relation does not fit the tables it joins: `updates` joins two figures, `responds-to` two statements, `same-event-as` two events",
)
LINK_BACKWARDS = _rule(
    "link-backwards",
    LINKS,
    "an `updates` or `responds-to` link whose `from` row (the later report or the answer) is dated before its `to` row: swap the two ends",
)
LINK_CYCLE = _rule(
    "link-cycle",
    LINKS,
    "`updates` or `responds-to` links that lead from a row back to itself (A updates B, B updates C, C updates A): each runs from the later row to the earlier, which a cycle cannot; the link that closes the cycle is named",
)
LINK_UPDATE_UNIT = _rule(
    "link-update-unit",
    LINKS,
    "an `updates` link between two figures of different `unit` (an age cannot revise a count of persons)",
)
LINK_SAME_EVENT_PROBABLE = _rule(
    "link-same-event-probable",
    LINKS,
    "a `same-event-as` link not marked `probable` (no text says the two events are one; they are never merged)",
)
LINK_SOURCES = _rule(
    "link-sources", LINKS, "`source_ids` leaves out a source that one of the two linked rows cites"
)

# --- Text hygiene

UNICODE_NFC = _rule(
    "unicode-nfc", HYGIENE, "the text is not in Unicode NFC (a letter stored as letter + combining mark)"
)
INVISIBLE_CHARACTER = _rule(
    "invisible-character", HYGIENE, "a zero-width space, joiner, direction mark or similar"
)
CONTROL_CHARACTER = _rule(
    "control-character", HYGIENE, "a tab, line break or other control character inside a cell"
)
NO_BREAK_SPACE = _rule("no-break-space", HYGIENE, "a no-break space instead of a plain one")
PADDING = _rule("padding", HYGIENE, "leading or trailing spaces")
MIXED_SCRIPT = _rule(
    "mixed-script", HYGIENE, "a word mixing Latin and Cyrillic letters, e.g. a Latin `a` in `Алиев`"
)
FORMULA = _rule(
    "formula", HYGIENE, "a cell starting with `=`, `+`, `-` or `@`, which a spreadsheet would run"
)

# --- The validator itself

INTERNAL_ERROR = _rule(
    "internal-error",
    RUN,
    "a check met something it did not expect and could not run; the rest of the report still "
    "stands. Please open an issue with the package that caused it",
)
