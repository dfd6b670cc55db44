"""The one guarded way to read a file of a package and the one way to write any file.

Reading refuses what could hang or escape a command: a folder, a named pipe or a device, a link
that leads out of the package (or round in a loop), a file larger than `limits.MAX_FILE_BYTES`.
Writing is atomic: the new bytes go to a temporary file beside the target, are flushed to disk,
and replace the target in one step, keeping its mode; any failure or interruption removes the
temporary file and leaves the old file as it was. Only the standard library is imported.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .errors import DatasetError
from .limits import MAX_FILE_BYTES
from .location import outside_root
from .rules import FILE_TOO_LARGE, UNREADABLE_FILE, UNSAFE_PATH

if TYPE_CHECKING:
    from .descriptor import Descriptor

#: Prefix of every temporary file a writer creates (a leftover is recognisable as ours).
TEMP_PREFIX = ".dataset-tmp-"


class FileRefused(DatasetError):
    """A file of the package cannot be read safely; `rule` is validate's rule id for the fault."""

    def __init__(self, file: Path | str, rule: str, reason: str) -> None:
        self.file, self.rule, self.reason = str(file), rule, reason
        super().__init__(f"{file}: {reason}")


class WriteRefused(DatasetError):
    """An output cannot (or may not) be written: a special file, the package itself, a full disk."""


def _link_loop(file: Path) -> bool:
    """True when FILE is a symbolic link whose chain of links never ends."""
    if not file.is_symlink():
        return False
    try:
        file.resolve(strict=True)
    except RuntimeError:  # Python 3.11/3.12 say a loop so
        return True
    except OSError as exc:  # later versions: ELOOP; a missing target is another fault
        return exc.errno == errno.ELOOP
    return False


def refusal(root: Path, file: Path, limit: int = MAX_FILE_BYTES) -> tuple[str, str] | None:
    """(rule, reason) when FILE of the package at ROOT must not be read, else None.

    A missing file is not refused here: the reader says so in its own words.
    """
    if _link_loop(file):
        return UNREADABLE_FILE, "the file is a symbolic link that leads back to itself (a loop)"
    if outside_root(root, file):
        return (
            UNSAFE_PATH,
            "the file is a link to somewhere outside the package; the data must be in the package",
        )
    try:
        info = file.stat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):  # reading a pipe or a device could hang or never end
        return UNREADABLE_FILE, "the path is not a regular file (a folder, pipe or device)"
    if info.st_size > limit:
        return FILE_TOO_LARGE, f"the file is {info.st_size:,} bytes, more than the limit of {limit:,}"
    return None


def read_bytes(root: Path, file: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """FILE's bytes, if it is a regular file inside the package at ROOT and within LIMIT.

    Raises FileRefused (with validate's rule id) otherwise, and OSError when it cannot be read
    (FileNotFoundError when it does not exist). The file is opened without blocking and checked
    again once open, so a pipe swapped in after the check cannot hang the read.
    """
    found = refusal(root, file, limit)
    if found:
        raise FileRefused(file, *found)
    fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise FileRefused(
                file, UNREADABLE_FILE, "the path is not a regular file (a folder, pipe or device)"
            )
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileRefused(file, FILE_TOO_LARGE, f"the file is larger than the limit of {limit:,} bytes")
    return data


def new_file_mode() -> int:
    """The mode a newly created file gets under the current umask (0o644 usually; mkstemp gives 0o600)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _target_mode(path: Path) -> int:
    """The mode the written file gets: the existing file's, or the umask default for a new one."""
    if path.is_symlink():  # replacing the link would cut it; writing through it could reach anywhere
        raise WriteRefused(
            f"{path}: is a symbolic link; writing would replace the link: write to the file it names"
        )
    try:
        info = path.stat()
    except FileNotFoundError:
        return new_file_mode()
    if not stat.S_ISREG(info.st_mode):
        raise WriteRefused(
            f"{path}: is not a regular file (a folder, pipe or device); writing would replace it: choose a file name"
        )
    return stat.S_IMODE(info.st_mode)


def _words(path: Path, exc: OSError) -> str:
    """The message for a failed write, naming the file and what the system said."""
    if exc.errno == errno.ENOSPC:
        return f"{path}: cannot be written: the disk is full; nothing was changed"
    if exc.errno == errno.EROFS:
        return f"{path}: cannot be written: the file system is read-only"
    return f"{path}: cannot be written ({exc.strerror or exc})"


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside PATH to write to; moved onto PATH when the block ends without error.

    The one atomic writer of the package: every command that writes goes through it (or
    `atomic_open` / `write_atomic`, built on it). Refuses a special file as target, keeps an
    existing file's mode, syncs the data before the rename, and removes the temporary file on
    any exception, KeyboardInterrupt included. OSError becomes WriteRefused naming PATH.
    """
    path = Path(path)
    mode = _target_mode(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", dir=path.parent)
    except OSError as exc:
        raise WriteRefused(_words(path, exc)) from exc
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        _sync(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WriteRefused(_words(path, exc)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _sync(file: Path) -> None:
    """Flush FILE's data to the disk, so the rename never exposes an empty file after a crash."""
    fd = os.open(file, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_open(path: Path) -> Iterator[IO[bytes]]:
    """A binary handle whose bytes replace PATH atomically when the block ends (see `atomic_path`)."""
    with atomic_path(path) as tmp, open(tmp, "wb") as handle:
        yield handle


def write_atomic(path: Path, data: bytes) -> None:
    """Replace PATH with DATA atomically (see `atomic_path`)."""
    with atomic_open(path) as handle:
        handle.write(data)


def package_files(desc: Descriptor) -> list[Path]:
    """The files of the package DESC describes that a writer must not replace: descriptor and tables."""
    files = [desc.path, *(desc.root / table.path for table in desc.tables.values())]
    return [file.resolve() for file in files]


def refuse_overwrite(
    output: Path, protected: list[Path], *, force: bool = False, flag: str = "--force"
) -> None:
    """Raise WriteRefused when writing OUTPUT would replace one of the PROTECTED files, unless FORCE.

    PROTECTED are the files of the package being read (`package_files`): an export written onto
    its descriptor, or a directory export written into its data folder, would destroy the very
    files it was made from. OUTPUT is a file, or a directory that receives files.
    """
    if force:
        return
    try:
        target = Path(output).resolve()
    except (OSError, RuntimeError):
        return
    for file in protected:
        if target in (file, file.parent):  # the file itself, or the folder a directory export fills
            raise WriteRefused(
                f"{output}: is {'' if target == file else 'the folder of '}{file.name} of the package being "
                f"read, and writing there could overwrite the files it is read from; choose a place "
                f"outside them, or pass {flag} if that is what you mean"
            )


def refuse_inside(output: Path, root: Path, *, force: bool = False, flag: str = "--force") -> None:
    """Raise WriteRefused when OUTPUT lies in a folder of the package at ROOT (data/, seeds/, ...).

    An export is a copy for someone else: written into the package's own folders it would sit
    among (or replace) the tables and archived articles, and be published with them. The
    package's top folder itself is allowed (`export -o crisis.xlsx` in a checkout).
    """
    if force:
        return
    try:
        target, top = Path(output).resolve(), Path(root).resolve()
    except (OSError, RuntimeError):
        return
    if target.is_relative_to(top) and target.parent != top and target != top:
        raise WriteRefused(
            f"{output}: is inside the package being read ({target.relative_to(top).parts[0]}/), where an "
            f"export would sit among the files it was made from; choose a place outside, or pass {flag}"
        )
