"""The data package a caller means, opened once.

A `Package` knows where the package lives and how it was found: a path the caller gave, the
current folder or one of its parents (as git finds its repository), or the copy bundled with
the installation. It parses the descriptor once and reads each table once. It is a path-like
object (`os.fspath` gives its descriptor), so every library function that takes a PATH takes
a Package too, and `str()` names it the way reports and messages should.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .location import descriptor_path, find_package

if TYPE_CHECKING:
    import pandas as pd

    from .descriptor import Descriptor
    from .report import Report

Origin = Literal["given", "found", "bundled"]
PathLike = str | os.PathLike[str] | None


class Package:
    """One data package on disk: its descriptor file, how it was found, and what was read of it."""

    def __init__(self, path: PathLike = None, *, origin: Origin | None = None) -> None:
        self.given = None if path is None else os.fspath(path)
        self.descriptor_file = descriptor_path(path).absolute()
        self.origin: Origin = origin or ("bundled" if path is None else "given")
        self._descriptor: Descriptor | None = None
        self._report: Report | None = None
        self._tables: dict[str, pd.DataFrame] | None = None
        self._trusted = False  # the tables were typed on the word of a matching validity record

    @classmethod
    def discover(cls, path: PathLike = None, *, start: PathLike = None) -> Package:
        """PATH when given; else the package in START (the working directory) or a parent; else the bundled one."""
        if path is not None:
            return path if isinstance(path, Package) else cls(path)
        found = find_package(start)
        if found is not None:
            return cls(found, origin="found")
        return cls(None)

    @property
    def root(self) -> Path:
        """The folder holding datapackage.json, data/ and seeds/."""
        return self.descriptor_file.parent

    def __fspath__(self) -> str:
        return str(self.descriptor_file)

    def __str__(self) -> str:
        """The name reports use: the path as given, the folder relative to here, or 'bundled package'."""
        if self.origin == "bundled":
            return "bundled package"
        if self.origin == "given" and self.given is not None:
            return self.given
        return _relative(self.descriptor_file)

    def __repr__(self) -> str:
        return f"Package({str(self.descriptor_file)!r}, origin={self.origin!r})"

    @property
    def announcement(self) -> str:
        """One line saying which package a command acts on, and why that one."""
        if self.origin == "bundled":
            return "dataset: no datapackage.json in this folder or a parent: using the bundled package"
        if self.origin == "found":
            where = "the current folder" if self.argument == "" else "a parent folder"
            return f"dataset: using {_relative(self.descriptor_file)} (found in {where})"
        return f"dataset: using {self}"

    @property
    def argument(self) -> str:
        """The PATH argument that names this package in a command printed as a hint ('' when implied).

        A hint run from the same folder acts on the same package when pasted: a given or found
        package is named by its path (nothing when it is the current folder, which a command
        without PATH finds); the bundled copy is named by its path too, since a command without
        PATH falls back to it only outside any package.
        """
        if self.origin != "bundled" and self.root.resolve() == Path.cwd().resolve():
            return ""
        if self.origin == "given" and self.given is not None:
            return shlex.quote(self.given)
        return shlex.quote(_relative(self.root))

    def command(self, *words: str) -> str:
        """A `dataset ...` command line acting on this package, ready to paste."""
        return " ".join(["dataset", *words, *([self.argument] if self.argument else [])])

    def require_writable(self, command: str) -> None:
        """Refuse a writing COMMAND on a package no one named: the copy installed with the program.

        Outside any package, a command without PATH falls back to the bundled copy; reading it
        is fine, but a change there would be lost on the next upgrade, or land in site-packages.
        """
        if self.origin == "bundled":
            from .errors import NotWritableError

            raise NotWritableError(
                f"no datapackage.json in this folder or a parent, and `dataset {command}` does not change "
                "the copy installed with the program: run it in your checkout, or name the package: "
                f"dataset {command} PATH"
            )

    def forget(self) -> None:
        """Drop what was read, after a writer changed the files: the next read sees them anew."""
        self._descriptor, self._report, self._tables, self._trusted = None, None, None, False

    @property
    def descriptor(self) -> Descriptor:
        """The parsed descriptor (read once)."""
        if self._descriptor is None:
            from .descriptor import read_descriptor

            self._descriptor = read_descriptor(self.descriptor_file)
        return self._descriptor

    def validate(self) -> Report:
        """Every check of `dataset validate` (run once; the report is kept)."""
        if self._report is None:
            self._validate_and_read()
        assert self._report is not None
        return self._report

    def _validate_and_read(self) -> None:
        """Validate, and type the tables the validator read, when the package is valid: one read each."""
        from .validation import validate_and_read

        self._report, frames = validate_and_read(self)
        if self._report.valid and self._tables is None:
            from .frames import typed_frames

            self._tables = typed_frames(self.descriptor, frames)

    def tables(self, *, validate: bool = True) -> dict[str, pd.DataFrame]:
        """Every table, typed; with VALIDATE, only when the whole package is valid (else ValidationError)."""
        if validate and self._report is None and self._tables is None:
            from .validity import trusted_frames  # a record of this very content found valid

            self._tables = trusted_frames(self)
            self._trusted = self._tables is not None
        if validate and not self._trusted:
            from .errors import ValidationError

            report = self.validate()
            if not report.valid:
                raise ValidationError(report)
        if self._tables is None:
            from .frames import read_frames

            self._tables = read_frames(self.descriptor)
        return self._tables


def _relative(folder: Path) -> str:
    """FOLDER (or file) relative to the working directory when one holds the other, else absolute."""
    here, there = Path.cwd().resolve(), folder.resolve()
    if here.is_relative_to(there.parent):  # the package holds the working directory: "..", "../.."
        return Path(os.path.relpath(there, here)).as_posix()
    if there.is_relative_to(here):
        return there.relative_to(here).as_posix()
    return str(folder)
