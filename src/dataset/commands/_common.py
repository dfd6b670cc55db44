"""Helpers shared by the subcommands: the PATH argument and error translation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from ..cli import InputError
from ..errors import DatasetError, DescriptorError, PackageNotFoundError, ValidationError
from ..files import WriteRefused

package_path_argument = click.argument("path", required=False, type=click.Path(path_type=str))


def echo(text: str, *, err: bool = False) -> None:
    """Print TEXT with its control characters escaped (report.terminal_safe): data never runs in a terminal."""
    from ..report import terminal_safe

    click.echo(terminal_safe(text), err=err)


@contextmanager
def library_errors() -> Iterator[None]:
    """Turn the library's exceptions into click errors with the documented exit codes."""
    try:
        yield
    except (PackageNotFoundError, DescriptorError, WriteRefused) as exc:
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
