"""Small, specific exceptions of the library; the CLI turns them into messages and exit codes."""

from __future__ import annotations


class DatasetError(Exception):
    """Base class of every error this library raises on purpose."""


class PackageNotFoundError(DatasetError):
    """The path given is not a data package directory or descriptor."""


class NotWritableError(DatasetError):
    """A command that writes was pointed at a package it must not change (the installed copy)."""


class DescriptorError(DatasetError):
    """The descriptor cannot be read or does not describe the tables we need."""


class ValidationError(DatasetError):
    """Loading refused a package that does not validate; `.report` lists every problem."""

    def __init__(self, report: object) -> None:
        self.report = report
        problems = getattr(report, "errors", [])
        head = "\n".join(f"  {p}" for p in problems[:10])
        more = f"\n  ... and {len(problems) - 10} more" if len(problems) > 10 else ""
        count = f"{len(problems)} problem" + ("" if len(problems) == 1 else "s")
        super().__init__(f"the package is not valid ({count}):\n{head}{more}")
