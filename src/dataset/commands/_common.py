"""Helpers shared by the subcommands: the PATH argument (the package a command acts on) and error translation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from dataset import (
    DatasetError,
    DescriptorError,
    NotWritableError,
    Package,
    PackageNotFoundError,
    ValidationError,
    WriteRefused,
)


class InputError(click.ClickException):
    """The input cannot be read: exit 2, like a usage error."""

    exit_code = 2


#: ctx.meta key: a PATH given in another argument's place (`dataset query ./fork`)
PATH_FROM_ANOTHER_ARGUMENT = "dataset.package_path"


def _package(ctx: click.Context, _param: click.Parameter, value: str | None) -> Package:
    """PATH when given; else the package of the working directory or a parent; else the bundled one.

    A package the user did not name is announced on standard error, so output stays clean.
    """
    value = value if value is not None else ctx.meta.get(PATH_FROM_ANOTHER_ARGUMENT)
    try:
        package = Package.discover(value)
    except DatasetError as exc:
        raise InputError(str(exc)) from exc
    if package.origin != "given":
        click.echo(package.announcement, err=True)
    return package


package_path_argument = click.argument(
    "path", required=False, type=click.Path(path_type=str), callback=_package
)


def echo(text: str, *, err: bool = False) -> None:
    """Print TEXT with its control characters escaped (report.terminal_safe): data never runs in a terminal."""
    from dataset import terminal_safe

    click.echo(terminal_safe(text), err=err)


@contextmanager
def library_errors() -> Iterator[None]:
    """Turn the library's exceptions into click errors with the documented exit codes."""
    try:
        yield
    except (PackageNotFoundError, DescriptorError, NotWritableError, WriteRefused) as exc:
        raise InputError(str(exc)) from exc
    except ValidationError as exc:
        raise click.ClickException(str(exc)) from exc
    except DatasetError as exc:
        raise click.ClickException(str(exc)) from exc


def with_library_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator form of `library_errors`."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with library_errors():
            return func(*args, **kwargs)

    return wrapper
