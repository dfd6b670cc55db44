"""The descriptor's vocabulary: the Table Schema keys this project reads, its own `x-` keys, versions.

Plain data and small helpers, no IO: the lenient reader (`descriptor.py`), the strict checks
(`validation/descriptor.py`), the pandera models (`schemas.py`) and `diff` all read them here.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from .rules import FIELD_CONSTRAINTS, FIELD_ENUM, FIELD_FORMAT, FIELD_LIST, FIELD_PATTERN

#: Custom field property: a list field, each item a key of another table (`dataset.descriptor.ListOf`).
LIST_KEY = "x-list-of"
#: Custom field property: the field's text occurs verbatim in the archived article of the
#: source named by this other field (the first item, when that field is a list).
VERBATIM_KEY = "x-verbatim-in"


#: The Frictionless "Language Support" recipe: the package's `languages`, the first the default
#: (English when absent). The recipe writes a translated property as an object keyed by language,
#: which the v1 profile forbids for `title` and `description` (strings), so a translation sits
#: beside the default text under `<property>@<language>`, the naming of the "Translation Support"
#: recipe: `"description": "...", "description@ru": "..."`.
LANGUAGES_KEY = "languages"
DEFAULT_LANGUAGES = ("en",)


def translated_key(key: str, lang: str | None) -> str:
    """Where the descriptor keeps KEY in LANG (None: the default language)."""
    return key if not lang else f"{key}@{lang}"


def translated(raw: Any, key: str, lang: str | None = None, default: Any = "") -> Any:
    """RAW[KEY] in LANG where the descriptor has it, else in the default language (the recipe's fallback)."""
    if not isinstance(raw, dict):
        return default
    if lang and translated_key(key, lang) in raw:
        return raw[translated_key(key, lang)]
    return raw.get(key, default)


#: Semantic Versioning 2.0.0 (semver.org's own expression): the form of the package's "version".
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?\Z"  # \Z: "1.0.0\n" is not a version
)


@dataclass(frozen=True)
class ListOf:
    """A list-valued link field: items separated by `separator`, each a key of `resource`."""

    resource: str
    field: str = "id"
    separator: str = ";"

    @classmethod
    def read(cls, value: Any) -> ListOf | None:
        """The `x-list-of` VALUE of a field, its defaults filled; None when malformed (validate says so).

        Well formed: an object with a non-empty `resource`, and a `field` and a non-empty
        `separator` when given (they default to `id` and `;`).
        """
        if not isinstance(value, dict):
            return None
        resource = value.get("resource")
        field = value.get("field", cls.field)
        separator = value.get("separator", cls.separator)
        if not (isinstance(resource, str) and resource and isinstance(field, str)):
            return None
        if not (isinstance(separator, str) and separator):
            return None
        return cls(resource, field, separator)


#: The formats Table Schema gives string fields, each as the whole-value pattern a cell must match.
STRING_FORMATS: dict[str, str] = {
    "uri": r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+",  # RFC 3986: a scheme, a colon, no spaces
    "email": r"[^@\s]+@[^@\s]+\.[^@\s]+",
    "uuid": r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}",
    "binary": r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?",  # base64
}


class Range(NamedTuple):
    """A Table Schema range constraint of numbers: where it is written and what a value must do."""

    key: str  # in the descriptor's constraints
    attribute: str  # on Field; also our raw check's name, and (with - for _) the rule it reports
    passes: Any  # the comparison of a value with the bound
    pandera: str  # the name of pandera's built-in check for it (the typed models of load())
    words: str  # "the value must be <words> <bound>"
    label: str  # in the codebook: "<label> <bound>"


RANGE_CONSTRAINTS = (
    Range("minimum", "minimum", operator.ge, "greater_than_or_equal_to", "at least", "minimum"),
    Range("maximum", "maximum", operator.le, "less_than_or_equal_to", "at most", "maximum"),
    Range(
        "exclusiveMinimum", "exclusive_minimum", operator.gt, "greater_than", "greater than", "greater than"
    ),
    Range("exclusiveMaximum", "exclusive_maximum", operator.lt, "less_than", "less than", "less than"),
)


def is_bool(value: Any) -> bool:
    """A JSON true or false (not 1 or "yes")."""
    return isinstance(value, bool)


def is_finite_number(value: Any) -> bool:
    """A JSON number that is finite (no NaN or Infinity, which strict JSON has not anyway)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def is_length(value: Any) -> bool:
    """A whole number of characters, zero or more (minLength, maxLength)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@lru_cache(maxsize=256)
def regex_error(pattern: str) -> str | None:
    """Why PATTERN cannot be used to check a column (Python's or pandas' regex engine), or None."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return str(exc)
    try:
        import pandas as pd  # only for a pattern: the descriptor's readers stay light otherwise

        pd.Series(["x"], dtype="string").str.match(pattern)
    except Exception as exc:  # pyarrow's RE2 rejects some patterns Python accepts
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return None


#: Why a value of a descriptor key cannot be used, in words that follow "<field>: ", or None.
Fault = Callable[[str, Any], str | None]


def _must(usable: Callable[[Any], bool], words: str) -> Fault:
    """A fault for a key whose value is usable or not, with one sentence when it is not."""
    return lambda key, value: None if usable(value) else f"{key!r} {words}"


def _pattern_fault(_key: str, value: Any) -> str | None:
    if not isinstance(value, str):
        return "the pattern must be a string"
    error = regex_error(value)
    return None if error is None else f"the pattern is not a valid regular expression ({error})"


def _enum_fault(_key: str, value: Any) -> str | None:
    if not isinstance(value, list):
        return 'the enum must be a list of allowed values, e.g. ["a", "b"]'
    if not value:
        return "the enum is empty: it would allow no value"
    if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in value):
        return "every enum value must be a string or a number"
    if len({str(v) for v in value}) != len(value):
        return "the enum lists a value twice"
    return None


def _format_fault(_key: str, value: Any) -> str | None:
    if value is None or value == "default" or value in STRING_FORMATS:
        return None
    return f"a string's format is one of default, {', '.join(STRING_FORMATS)}"


def _list_fault(key: str, value: Any) -> str | None:
    if ListOf.read(value) is not None:
        return None
    return f"{key!r} must be an object with a 'resource', a 'field' and a non-empty 'separator'"


@dataclass(frozen=True)
class KeyRule:
    """One descriptor key of a field or of its constraints: when its value is usable, and the rule if not.

    The strict check (`validation/descriptor.py`) reports an unusable value under `rule` and drops
    it; the lenient parse (`descriptor.py`) drops it too, so both read a key the same way.
    """

    keys: tuple[str, ...]
    rule: str
    fault: Fault
    #: the field types it applies to (None: all)
    types: tuple[str, ...] | None = None
    #: on another type the value is kept unchecked (True) or dropped without a word (False)
    kept_elsewhere: bool = False

    def applies(self, ftype: str) -> bool:
        return self.types is None or ftype in self.types

    def usable(self, key: str, value: Any, ftype: str) -> bool:
        """VALUE of KEY can be read on a field of type FTYPE."""
        if not self.applies(ftype):
            return self.kept_elsewhere
        return self.fault(key, value) is None


#: Every constraint this project reads, once (RANGE_CONSTRAINTS says what a range means).
CONSTRAINT_RULES = (
    KeyRule(("required", "unique"), FIELD_CONSTRAINTS, _must(is_bool, "must be true or false")),
    KeyRule(("pattern",), FIELD_PATTERN, _pattern_fault),
    KeyRule(("enum",), FIELD_ENUM, _enum_fault),
    KeyRule(
        tuple(r.key for r in RANGE_CONSTRAINTS),
        FIELD_CONSTRAINTS,
        _must(is_finite_number, "must be a finite number"),
        ("integer", "number"),
    ),
    KeyRule(("minLength", "maxLength"), FIELD_CONSTRAINTS, _must(is_length, "must be a whole number")),
)
#: The field properties with a rule of their own (`x-verbatim-in` also needs the table: see validation).
FIELD_RULES = (
    KeyRule(("format",), FIELD_FORMAT, _format_fault, ("string",), kept_elsewhere=True),
    KeyRule((LIST_KEY,), FIELD_LIST, _list_fault),
)
CONSTRAINT_RULE = {key: rule for rule in CONSTRAINT_RULES for key in rule.keys}
FIELD_RULE = {key: rule for rule in FIELD_RULES for key in rule.keys}


def usable_value(table: dict[str, KeyRule], raw: Any, key: str, ftype: str) -> Any:
    """RAW[KEY] when its rule in TABLE finds it usable on a field of type FTYPE, else None."""
    value = raw.get(key) if isinstance(raw, dict) else None
    rule = table.get(key)
    if value is None or (rule is not None and not rule.usable(key, value, ftype)):
        return None
    return value
