"""The descriptor's vocabulary: the Table Schema keys this project reads, its own `x-` keys, versions.

Plain data and small helpers, no IO: the lenient reader (`descriptor.py`), the strict checks
(`validation/descriptor.py`), the pandera models (`schemas.py`) and `diff` all read them here.
"""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass
from typing import Any, NamedTuple

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
