"""What every page says about the package: version, licence, how to cite, and schema.org JSON-LD."""

from __future__ import annotations

from typing import Any

from ..citation import bibtex, citation_text, find_cff, from_descriptor
from ..descriptor import Descriptor
from .downloads import Download


def cff_of(desc: Descriptor) -> dict[str, Any]:
    """CITATION.cff beside the descriptor, else citation keys taken from the descriptor itself."""
    return find_cff(desc.root) or from_descriptor(desc.raw)


def page_meta(desc: Descriptor, cff: dict[str, Any]) -> dict[str, str]:
    """Version, licence (from datapackage.json), rights note and the citation, for the footer."""
    licence = (desc.raw.get("licenses") or [{}])[0]
    return {
        "version": desc.version,
        "license": licence.get("name", ""),
        "license_url": licence.get("path", ""),
        "license_title": licence.get("title", ""),
        "rights": str(desc.raw.get("x-archived-sources-rights", "")),
        "description": str(desc.raw.get("description", "")),
        "cite_message": str(cff.get("message", "")),
        "citation": citation_text(cff),
        "bibtex": bibtex(cff, f"{desc.name}-{desc.version}".replace(".", "-")),
    }


def relocate(jsonld: dict[str, Any], root: str) -> dict[str, Any]:
    """JSON-LD for a page ROOT (`../`) below the site's root: relative download URLs point up to it."""
    out = dict(jsonld)
    out["distribution"] = [
        {**d, "contentUrl": d["contentUrl"] if "://" in d["contentUrl"] else root + d["contentUrl"]}
        for d in jsonld.get("distribution", [])
    ]
    return out


def dataset_jsonld(
    desc: Descriptor, cff: dict[str, Any], downloads: list[Download], base_url: str = ""
) -> dict[str, Any]:
    """A schema.org `Dataset`: name, description, version, licence, creators, citation, downloads.

    Download URLs are absolute when BASE_URL (where the site is published) is known, else
    relative to the site's root.
    """
    base = base_url.rstrip("/") + "/" if base_url else ""
    licence = (desc.raw.get("licenses") or [{}])[0]
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": desc.raw.get("title") or desc.name,
        "alternateName": desc.name,
        "description": desc.raw.get("description", ""),
        "version": desc.version,
        "keywords": list(desc.raw.get("keywords") or []),
        "creator": [
            {"@type": "Organization", "name": a.get("name")}
            if a.get("name")
            else {
                "@type": "Person",
                "givenName": a.get("given-names", ""),
                "familyName": a.get("family-names", ""),
            }
            for a in cff.get("authors") or []
        ],
        "citation": citation_text(cff),
        "isAccessibleForFree": True,
        "inLanguage": ["en", "ru"],
        "distribution": [
            {
                "@type": "DataDownload",
                "name": d.name,
                "encodingFormat": d.media_type,
                "contentUrl": f"{base}downloads/{d.name}",
                "contentSize": f"{d.size} B",
                "sha256": d.sha256,
            }
            for d in downloads
        ],
    }
    if licence.get("path") or licence.get("name"):
        data["license"] = licence.get("path") or licence.get("name")
    if cff.get("date-released"):
        data["datePublished"] = str(cff["date-released"])
    if base:
        data["url"] = base
    return data
