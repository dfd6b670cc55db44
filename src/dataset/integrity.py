"""Resource integrity: each resource's `bytes` and `hash` in the descriptor, checked and refreshed.

The descriptor records the size and sha256 of every CSV, in the form frictionless 5 reads and
checks (`"hash": "sha256:<hex>"`), so that a truncated download, an edit that skipped review or
a forgotten refresh shows up in `dataset validate` and `frictionless validate` alike.
`refresh_hashes` rewrites only those two properties and keeps the descriptor's layout
(key order, 2-space indent, UTF-8 text, trailing newline), so the refresh is a one-line diff.
Only the standard library is imported.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .descriptor import Descriptor, read_raw
from .errors import DescriptorError
from .files import refusal, write_atomic
from .jsontext import replace_values
from .location import unsafe_path_reason
from .report import Problem
from .rules import RESOURCE_BYTES, RESOURCE_HASH, RESOURCE_UNRECORDED

#: The algorithm `dataset hashes` writes; frictionless 5 checks md5 and sha256.
ALGORITHM = "sha256"
#: Algorithms whose digests `integrity_problems` can verify.
KNOWN_ALGORITHMS = ("md5", "sha1", "sha256", "sha512")
#: Properties after which `bytes` and `hash` are inserted when a resource has neither yet.
_INSERT_AFTER = ("encoding", "mediatype", "format", "path")


@dataclass(frozen=True)
class FileStats:
    """Size and digest of one file, as the descriptor records them."""

    bytes: int
    hash: str  # "<algorithm>:<hex>"


@dataclass(frozen=True)
class HashRefresh:
    """What `refresh_hashes` did to one resource."""

    resource: str
    path: str
    old_bytes: Any
    old_hash: Any
    new: FileStats

    @property
    def changed(self) -> bool:
        return self.old_bytes != self.new.bytes or self.old_hash != self.new.hash


def file_stats(file: Path, algorithm: str = ALGORITHM) -> FileStats:
    """Byte count and `<algorithm>:<hex>` digest of FILE (hashlib reads it in large blocks, without the GIL)."""
    with open(file, "rb") as fh:
        digest = hashlib.file_digest(fh, algorithm)
        size = fh.tell()
    return FileStats(size, f"{algorithm}:{digest.hexdigest()}")


def parse_hash(value: str) -> tuple[str, str]:
    """Split a descriptor hash into (algorithm, hex); a bare digest is md5, as Data Package v1 says."""
    algorithm, sep, digest = value.partition(":")
    if not sep:
        return "md5", value.strip().lower()
    return algorithm.strip().lower(), digest.strip().lower()


def _local_file(root: Path, path: Any) -> Path | None:
    """The resource's file when its path is a safe relative path to an existing file, else None.

    Unsafe, remote and missing paths are reported by the structural checks, not here.
    """
    if not isinstance(path, str) or unsafe_path_reason(path):
        return None
    file = root / path
    return file if file.is_file() and refusal(root, file) is None else None


def integrity_problems(descriptor: Descriptor) -> list[Problem]:
    """Each resource's recorded `bytes` and `hash` against its file: one Problem per mismatch.

    A resource that records neither gets a warning (every published resource should carry
    both); one whose file is missing or unsafe is left to the structural checks.
    """
    problems: list[Problem] = []
    for res in descriptor.raw.get("resources") or []:
        if not isinstance(res, dict):
            continue
        path = res.get("path")
        file = _local_file(descriptor.root, path)
        if file is None:
            continue
        rel = str(path)
        declared_bytes, declared_hash = res.get("bytes"), res.get("hash")
        if declared_bytes is None and declared_hash is None:
            problems.append(
                Problem(
                    rel,
                    None,
                    None,
                    RESOURCE_UNRECORDED,
                    f"resource {res.get('name')!r} records no bytes or hash in datapackage.json; "
                    "run `dataset hashes` to add them",
                )
            )
            continue
        if declared_bytes is not None:
            actual_bytes = file.stat().st_size
            if not isinstance(declared_bytes, int) or isinstance(declared_bytes, bool):
                problems.append(
                    Problem(
                        rel,
                        None,
                        None,
                        RESOURCE_BYTES,
                        f"datapackage.json gives bytes as {declared_bytes!r}, which is not a whole number; "
                        f"the file has {actual_bytes} bytes",
                        value=str(declared_bytes),
                    )
                )
            elif declared_bytes != actual_bytes:
                problems.append(
                    Problem(
                        rel,
                        None,
                        None,
                        RESOURCE_BYTES,
                        f"the file's size does not match the bytes recorded in datapackage.json: "
                        f"expected {declared_bytes}, actual {actual_bytes}; the file changed since the "
                        "descriptor was last refreshed (run `dataset hashes` once the change is intended)",
                        value=str(actual_bytes),
                    )
                )
        if declared_hash is not None:
            problems.extend(_hash_problems(rel, file, declared_hash))
    return problems


def _hash_problems(rel: str, file: Path, declared: Any) -> list[Problem]:
    if not isinstance(declared, str):
        return [
            Problem(
                rel,
                None,
                None,
                RESOURCE_HASH,
                f"datapackage.json gives hash as {declared!r}; it must be a string such as 'sha256:<hex>'",
                value=str(declared),
            )
        ]
    algorithm, expected = parse_hash(declared)
    if algorithm not in KNOWN_ALGORITHMS:
        return [
            Problem(
                rel,
                None,
                None,
                RESOURCE_HASH,
                f"datapackage.json names the hash algorithm {algorithm!r}, which cannot be checked; "
                f"use one of {', '.join(KNOWN_ALGORITHMS)} (`dataset hashes` writes {ALGORITHM})",
                value=declared,
            )
        ]
    actual = file_stats(file, algorithm).hash
    if actual == f"{algorithm}:{expected}":
        return []
    return [
        Problem(
            rel,
            None,
            None,
            RESOURCE_HASH,
            f"the file does not match the {algorithm} hash recorded in datapackage.json: "
            f"expected {expected}, actual {actual.partition(':')[2]}; the file changed since the descriptor "
            "was last refreshed (run `dataset hashes` once the change is intended)",
            value=actual,
        )
    ]


def dump_descriptor(raw: dict[str, Any]) -> str:
    """The descriptor as this repository writes it: 2-space indent, UTF-8 text, trailing newline."""
    return json.dumps(raw, indent=2, ensure_ascii=False) + "\n"


def write_descriptor(file: Path, raw: dict[str, Any]) -> None:
    """Replace FILE atomically with RAW in this repository's layout (see `dump_descriptor`)."""
    write_atomic(file, dump_descriptor(raw).encode("utf-8"))


def update_descriptor(file: Path, raw: dict[str, Any], updates: dict[tuple[str | int, ...], Any]) -> None:
    """Set the values at the paths of UPDATES in FILE, moving no other byte; RAW already holds them.

    When a path is not in the file yet (a resource without `bytes`), the whole descriptor is
    written again from RAW (key order kept, layout this repository's).
    """
    data = file.read_bytes()
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    text = replace_values(data[len(bom) :].decode("utf-8"), updates)
    if text is None:
        write_descriptor(file, raw)
    else:
        write_atomic(file, bom + text.encode("utf-8"))


def _with_stats(res: dict[str, Any], stats: FileStats) -> dict[str, Any]:
    """RES with bytes and hash set: in place when present, else after its file properties."""
    if "bytes" in res or "hash" in res:
        updated = dict(res)
        if "bytes" in updated and "hash" not in updated:
            out: dict[str, Any] = {}
            for key, value in updated.items():
                out[key] = value
                if key == "bytes":
                    out["hash"] = stats.hash
            updated = out
        elif "hash" in updated and "bytes" not in updated:
            out = {}
            for key, value in updated.items():
                if key == "hash":
                    out["bytes"] = stats.bytes
                out[key] = value
            updated = out
        updated["bytes"] = stats.bytes
        updated["hash"] = stats.hash
        return updated
    anchor = next((key for key in _INSERT_AFTER if key in res), None)
    out = {}
    for key, value in res.items():
        out[key] = value
        if key == anchor:
            out["bytes"] = stats.bytes
            out["hash"] = stats.hash
    if anchor is None:
        out["bytes"] = stats.bytes
        out["hash"] = stats.hash
    return out


def refresh_hashes(
    path: str | os.PathLike[str] | None = None, *, only: Collection[str] | None = None
) -> list[HashRefresh]:
    """Write each resource's current `bytes` and sha256 `hash` into the descriptor at PATH.

    `only` limits the refresh to the named resources. The descriptor is rewritten only when a
    value changes. Raises DescriptorError when a resource's file is missing or its path unsafe:
    a hash of nothing would hide the fault.
    """
    file, raw = read_raw(path)
    resources = raw.get("resources")
    if not isinstance(resources, list):
        raise DescriptorError(f"{file}: 'resources' must be a list")
    refreshed: list[HashRefresh] = []
    new_resources = []
    updates: dict[tuple[str | int, ...], Any] = {}
    for index, res in enumerate(resources):
        if not isinstance(res, dict) or (only is not None and res.get("name") not in only):
            new_resources.append(res)
            continue
        target = _local_file(file.parent, res.get("path"))
        if target is None:
            raise DescriptorError(
                f"{file}: resource {res.get('name')!r} has path {res.get('path')!r}, which is not a file "
                "inside the package; fix the path before refreshing hashes"
            )
        stats = file_stats(target)
        refreshed.append(
            HashRefresh(str(res.get("name")), str(res["path"]), res.get("bytes"), res.get("hash"), stats)
        )
        new_resources.append(_with_stats(res, stats))
        updates[("resources", index, "bytes")] = stats.bytes
        updates[("resources", index, "hash")] = stats.hash
    if any(r.changed for r in refreshed):
        raw["resources"] = new_resources
        update_descriptor(file, raw, updates)
    return refreshed
