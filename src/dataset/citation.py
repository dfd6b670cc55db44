"""How to cite the package: CITATION.cff read once, and what Zenodo, web pages and people need from it.

CITATION.cff (beside datapackage.json) is the one source; `.zenodo.json` is generated from it
by `zenodo_json()`, and the website's "how to cite" block and JSON-LD read it too. A package
without CITATION.cff (an installed copy may lack it) is cited from its descriptor instead.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import DatasetError

CFF_NAME = "CITATION.cff"
ZENODO_NAME = ".zenodo.json"


class CitationError(DatasetError):
    """CITATION.cff cannot be read or is not a mapping of CFF keys."""


def read_cff(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The keys of a CITATION.cff file (YAML, read safely: no tags, no code)."""
    import yaml

    file = Path(path)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CitationError(f"{file}: cannot read it ({exc})") from exc
    except yaml.YAMLError as exc:
        raise CitationError(f"{file}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise CitationError(f"{file}: expected a mapping of CFF keys (title, authors, version, ...)")
    return data


def find_cff(root: str | os.PathLike[str]) -> dict[str, Any] | None:
    """CITATION.cff beside datapackage.json in ROOT, or None when the package has none."""
    file = Path(root) / CFF_NAME
    return read_cff(file) if file.is_file() else None


def author_name(author: Mapping[str, Any]) -> str:
    """`Family, Given` for a person, the `name` of an entity (CFF's two kinds of author)."""
    family = " ".join(str(author[k]) for k in ("name-particle", "family-names") if author.get(k))
    given = str(author.get("given-names") or "")
    if family:
        return f"{family}, {given}" if given else family
    return str(author.get("name") or "")


def from_descriptor(raw: Mapping[str, Any]) -> dict[str, Any]:
    """CFF-shaped keys built from a datapackage.json, for a package that has no CITATION.cff."""
    licences = raw.get("licenses") or [{}]
    return {
        "title": raw.get("title") or raw.get("name", ""),
        "abstract": raw.get("description", ""),
        "version": raw.get("version", ""),
        "license": licences[0].get("name", ""),
        "keywords": list(raw.get("keywords") or []),
        "authors": [{"name": c.get("title", "")} for c in raw.get("contributors") or [] if c.get("title")],
        "date-released": str(raw.get("created", ""))[:10],
    }


def citation_text(cff: Mapping[str, Any]) -> str:
    """A reference in the usual data-set form: `Authors (year). Title (Version v) [Data set].`"""
    authors = "; ".join(author_name(a) for a in cff.get("authors") or [] if author_name(a))
    year = str(cff.get("date-released") or "")[:4]
    parts = [f"{authors} ({year})." if year else f"{authors}.", f"{cff.get('title', '')}"]
    if cff.get("version"):
        parts.append(f"(Version {cff['version']})")
    parts.append("[Data set].")
    if cff.get("doi"):
        parts.append(f"https://doi.org/{cff['doi']}")
    elif cff.get("url"):
        parts.append(str(cff["url"]))
    return " ".join(p for p in parts if p)


def bibtex(cff: Mapping[str, Any], key: str) -> str:
    """A BibTeX @misc entry for the version cited."""
    authors = " and ".join(
        "{" + author_name(a) + "}" if "name" in a else author_name(a) for a in cff.get("authors") or []
    )
    fields = {
        "author": authors,
        "title": "{" + str(cff.get("title", "")) + "}",
        "year": str(cff.get("date-released") or "")[:4],
        "version": str(cff.get("version") or ""),
        "doi": str(cff.get("doi") or ""),
        "url": str(cff.get("url") or ""),
    }
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v)
    return f"@misc{{{key},\n{body}\n}}"


#: CFF licence ids (SPDX) -> Zenodo licence ids.
_ZENODO_LICENCES = {"CC-BY-4.0": "cc-by-4.0", "CC0-1.0": "cc-zero", "MIT": "mit"}


def zenodo_metadata(cff: Mapping[str, Any] | str | os.PathLike[str]) -> dict[str, Any]:
    """The deposit metadata Zenodo reads from `.zenodo.json`, from CITATION.cff (a path or its keys).

    Zenodo's GitHub integration makes a DOI for each release from this file; keeping it
    generated means the title, version, authors and licence never drift from CITATION.cff.
    """
    data = read_cff(cff) if isinstance(cff, str | os.PathLike) else dict(cff)
    creators = []
    for author in data.get("authors") or []:
        creator: dict[str, Any] = {"name": author_name(author)}
        if author.get("affiliation"):
            creator["affiliation"] = str(author["affiliation"])
        if author.get("orcid"):
            creator["orcid"] = str(author["orcid"]).rsplit("/", 1)[-1]
        creators.append(creator)
    licence = data.get("license")
    licence = licence[0] if isinstance(licence, list) and licence else licence
    meta: dict[str, Any] = {
        "upload_type": "dataset" if data.get("type", "dataset") == "dataset" else "software",
        "title": str(data.get("title", "")),
        "creators": creators,
        "description": str(data.get("abstract") or data.get("message") or data.get("title", "")).strip(),
        "access_right": "open",
        "version": str(data.get("version", "")),
        "keywords": [str(k) for k in data.get("keywords") or []],
    }
    if licence:
        meta["license"] = _ZENODO_LICENCES.get(str(licence), str(licence).lower())
    if data.get("date-released"):
        meta["publication_date"] = str(data["date-released"])
    return meta


def zenodo_json(cff: Mapping[str, Any] | str | os.PathLike[str]) -> str:
    """`.zenodo.json`'s text: `zenodo_metadata` as indented UTF-8 JSON, one final newline."""
    return json.dumps(zenodo_metadata(cff), ensure_ascii=False, indent=2) + "\n"
