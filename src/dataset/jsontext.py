"""Where each value sits in a JSON text, so that a writer can replace a few values in place.

`hashes` and `fmt` change a resource's `bytes` and `hash`; rewriting the whole descriptor would
reformat lines nobody touched. Only the standard library is imported.
"""

from __future__ import annotations

import json
from typing import Any

_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"

Path = tuple[str | int, ...]


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _SPACE:
        i += 1
    return i


def _walk(text: str, i: int, path: Path, out: dict[Path, tuple[int, int]]) -> int:
    """Record the span of the value starting at I (and of everything inside it); return its end."""
    i = _skip(text, i)
    opening = text[i]
    if opening not in "{[":
        _, end = _DECODER.raw_decode(text, i)
        out[path] = (i, end)
        return end
    start, closing, index = i, "}" if opening == "{" else "]", 0
    i = _skip(text, i + 1)
    while text[i] != closing:
        if opening == "{":
            key, i = _DECODER.raw_decode(text, i)  # the key string, quotes included
            i = _skip(text, i) + 1  # the colon
            i = _walk(text, i, (*path, key), out)
        else:
            i = _walk(text, i, (*path, index), out)
            index += 1
        i = _skip(text, i)
        if text[i] == ",":
            i = _skip(text, i + 1)
    out[path] = (start, i + 1)
    return i + 1


def value_spans(text: str) -> dict[Path, tuple[int, int]]:
    """(start, end) in TEXT of every value, by its path of keys and indexes; TEXT must be valid JSON."""
    out: dict[Path, tuple[int, int]] = {}
    _walk(text, 0, (), out)
    return out


def replace_values(text: str, updates: dict[Path, Any]) -> str | None:
    """TEXT with the values at the paths of UPDATES replaced, all else byte for byte; None when a path is absent."""
    spans = value_spans(text)
    if any(path not in spans for path in updates):
        return None
    for path in sorted(updates, key=lambda p: spans[p][0], reverse=True):
        start, end = spans[path]
        text = text[:start] + json.dumps(updates[path], ensure_ascii=False) + text[end:]
    return text


def _fault(raw: str) -> str | None:
    """Why one scalar's JSON text is not strict JSON (a non-finite number, a lone surrogate), or None."""
    if raw in ("NaN", "Infinity", "-Infinity"):
        return f"{raw} is not a JSON number (write null, or the number as text)"
    if raw[:1] in "-0123456789":
        value = json.loads(raw)
        if isinstance(value, float) and value in (float("inf"), float("-inf")):
            return f"the number {raw[:40]} is too large to be read as a number"
        return None
    if raw.startswith('"'):
        try:
            json.loads(raw).encode("utf-8")
        except UnicodeEncodeError:
            return "the text holds a lone surrogate escape (\\ud800-\\udfff without its pair), which is not Unicode"
    return None


def strict_fault(text: str) -> tuple[int, int, str, str] | None:
    """(line, column, JSON path, reason) of the first value strict JSON (RFC 8259) forbids, or None.

    Python's json module accepts NaN, Infinity and -Infinity, turns 1e999 into infinity and
    lets a lone surrogate escape through; other JSON readers refuse them, and writing them out
    again fails. TEXT must be JSON that json.loads reads.
    """
    for path, (start, end) in sorted(value_spans(text).items(), key=lambda item: item[1][0]):
        if text[start] in "{[":
            continue
        reason = _fault(text[start:end])
        if reason:
            line = text.count("\n", 0, start) + 1
            column = start - text.rfind("\n", 0, start)
            return line, column, "/".join(str(part) for part in path), reason
    return None
