"""The version of the bundled data package, read from its descriptor (the only place it is written)."""

from __future__ import annotations

import json


def _read_version() -> str:
    from .location import bundled_root

    try:
        with open(bundled_root() / "datapackage.json", encoding="utf-8") as fh:
            return str(json.load(fh).get("version", "0+unknown"))
    except Exception:  # a broken installation must not make `import dataset` fail
        return "0+unknown"


__version__ = _read_version()
