"""Each step of validate runs guarded: a fault nobody foresaw becomes an internal-error Problem, not a crash."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..report import Problem
from ..rules import INTERNAL_ERROR

T = TypeVar("T")


def guarded(problems: list[Problem], file: str, step: str, func: Callable[[], T], default: T) -> T:
    """Run one check step; an unforeseen exception becomes a Problem instead of a crash."""
    try:
        return func()
    except Exception as exc:
        problems.append(
            Problem(
                file,
                None,
                None,
                INTERNAL_ERROR,
                f"the {step} check could not run ({type(exc).__name__}: {exc}); "
                "the package probably has a fault this check does not expect. Please report it.",
            )
        )
        return default


def collected(file: str, step: str, func: Callable[..., list[Problem]], *args: Any) -> list[Problem]:
    """`guarded` for a step run on another thread: its problems (or its internal error) as a list."""
    found: list[Problem] = []
    found.extend(guarded(found, file, step, lambda: func(*args), []))
    return found
