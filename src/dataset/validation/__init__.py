"""`validate(path)`: every check on a package, collected into one Report (never the first error only).

The modules, one job each:

- `runner`: validate() itself: the descriptor steps, then the tables, each step guarded;
- `descriptor`: the descriptor's own rules in plain words; `standard`: frictionless's check
  of the Data Package standard; `lines`: the line of a descriptor problem;
- `tables`: the scheduler of the tables' checks (`registry` lists them);
- the checks: `values` (pandera contracts), `keys`, `provenance`, `facts`, `hygiene`, and
  `dataset.links` (claim links); `arrow` holds their shared vectorised helpers.
"""

from __future__ import annotations

from .descriptor import check_descriptor
from .runner import validate, validate_and_read

__all__ = ["check_descriptor", "validate", "validate_and_read"]
