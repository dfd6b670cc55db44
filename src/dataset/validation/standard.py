"""The Data Package standard, as frictionless checks it, offline (no profile is downloaded)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

from ..location import DESCRIPTOR_NAME as DESCRIPTOR_FILE
from ..report import Problem
from ..rules import CUSTOM_PROFILE, DATA_PACKAGE_STANDARD
from .descriptor import INTEGRITY_KEYS

if TYPE_CHECKING:  # read.py imports pandas and pyarrow: validate imports it once the hashing has started
    pass


def _cached_resource_errors(res: dict[str, Any]) -> list[Any]:
    """Frictionless' findings on one resource; the same resource is checked once per process."""
    try:
        text = json.dumps(res, sort_keys=True)
    except (TypeError, ValueError):
        from frictionless import Resource

        return list(Resource.metadata_validate(res))
    return _resource_errors(text)


@lru_cache(maxsize=64)
def _resource_errors(text: str) -> list[Any]:
    from frictionless import Resource

    return list(Resource.metadata_validate(json.loads(text)))


def standard_problems(raw: dict[str, Any], flagged: set[int]) -> list[Problem]:
    """The descriptor against the Data Package standard (frictionless), where our checks found nothing.

    Package properties are checked with the resources set aside; each resource on its own, and
    only when the checks above found nothing in it (they say the same in plainer words).
    """
    from frictionless import Package

    problems: list[Problem] = []

    def report(where: str, errors: Callable[[], Any]) -> None:
        try:
            found = list(errors())
        except Exception as exc:  # frictionless raises on some malformed descriptors
            problems.append(
                Problem(
                    DESCRIPTOR_FILE, None, where, DATA_PACKAGE_STANDARD, f"not a valid data package: {exc}"
                )
            )
            return
        for error in found:
            note = getattr(error, "note", "") or error.message
            if any(f"at property '{key}'" in note for key in INTEGRITY_KEYS):
                continue  # the integrity check says it, naming the file and the actual value
            problems.append(
                Problem(DESCRIPTOR_FILE, None, where, DATA_PACKAGE_STANDARD, f"{error.title}: {note}")
            )

    stub = {
        "name": "stub",
        "path": "stub.csv",
        "profile": "tabular-data-resource",
        "schema": {"fields": [{"name": "stub", "type": "string"}]},
    }
    package = _offline(raw, "", problems)
    report("", lambda: Package.metadata_validate({**package, "resources": [stub]}))
    resources = raw.get("resources")
    profile = _resource_profile(raw.get("$schema"))
    if isinstance(resources, list):
        for i, res in enumerate(resources):
            if i in flagged or not isinstance(res, dict):
                continue
            where = f"resources/{res.get('name', i)}"
            res = _offline(res, where, problems)
            if profile and "$schema" not in res:  # checked on its own, in the package's version
                res = {**res, "$schema": profile}
            report(where, partial(_cached_resource_errors, res))
    return problems


def _resource_profile(package_profile: Any) -> str | None:
    """The standard's resource profile of the version a package declares (`$schema`), or None.

    Each resource is checked on its own, and frictionless would read it as Data Package v1
    (where `exclusiveMinimum`, for one, does not exist) unless it is told the version.
    """
    if not isinstance(package_profile, str):
        return None
    found = re.fullmatch(
        r"https://datapackage\.org/profiles/(\d+\.\d+)/datapackage\.json", package_profile.strip()
    )
    return f"https://datapackage.org/profiles/{found.group(1)}/dataresource.json" if found else None


#: Hosts of the standard's own profiles, which frictionless ships and never downloads.
STANDARD_PROFILE_HOSTS = ("datapackage.org", "specs.frictionlessdata.io")


def _offline(descriptor: dict[str, Any], where: str, problems: list[Problem]) -> dict[str, Any]:
    """DESCRIPTOR without custom profile URLs, which frictionless would download (a warning each).

    Validation must work the same offline, in CI, and must not wait on (or call) a server the
    package names; the descriptor is then checked against the standard profile.
    """
    kept = dict(descriptor)
    for key in ("profile", "$schema"):
        value = kept.get(key)
        if not isinstance(value, str) or "://" not in value:
            continue
        host = value.split("://", 1)[1].split("/", 1)[0].lower()
        if host in STANDARD_PROFILE_HOSTS:
            continue
        del kept[key]
        problems.append(
            Problem(
                DESCRIPTOR_FILE,
                None,
                f"{where}/{key}".lstrip("/"),
                CUSTOM_PROFILE,
                f"the custom profile {value} is not downloaded (validation works offline); "
                "the descriptor is checked against the standard profile only",
                value=value,
            )
        )
    return kept
