"""The dtypes `dataset.load()` promises, apart from the pandera models so that loading need not import pandera."""

from __future__ import annotations

from typing import Any

import pandas as pd

#: Table Schema's default true and false values of a boolean field: what validate accepts
#: and what `dataset.load()` turns into True and False.
BOOLEAN_VALUES: dict[str, bool] = {
    **dict.fromkeys(("true", "True", "TRUE", "1"), True),
    **dict.fromkeys(("false", "False", "FALSE", "0"), False),
}


def pandas_dtype(field_type: str, enum: tuple[str, ...] | None) -> Any:
    """The dtype a loaded column has: the promise `dataset.load()` makes to pandas users."""
    if field_type == "integer":
        return pd.Int64Dtype()
    if field_type == "number":
        return pd.Float64Dtype()
    if field_type == "boolean":
        return pd.BooleanDtype()
    if enum:
        return pd.CategoricalDtype(categories=list(enum), ordered=False)
    return pd.StringDtype()
