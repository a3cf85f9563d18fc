"""Reading users' input files and opening clustersim's own HDF5 files, with errors that name
the file and say what was expected."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from typing import IO

import h5py

from clustersim.errors import OutputError


def read_input(path: str, error: type[Exception], kind: str) -> bytes:
    """The bytes of the `kind` file at `path`; `error(message, file=path)` if it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as failure:
        raise error(f"{path}: cannot read the {kind} file: {failure.strerror}",
                    file=path) from None


def decode_input(raw: bytes, source: str, error: type[Exception], expected: str,
                 encoding: str = "utf-8") -> str:
    """`raw` decoded as UTF-8 text; `error(message, file=source)` naming the bad byte if not."""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as failure:
        raise error(f"{source}: not UTF-8 text (byte {failure.start}); expected {expected}",
                    file=source) from None


def file_format(path: str) -> str | None:
    """The `format` attribute of one of clustersim's HDF5 files ("clustersim-results",
    "clustersim-sweep", ...); None for a missing file, a file that is not HDF5 or has none."""
    try:
        with h5py.File(path, "r") as f:
            kind = f.attrs.get("format")
    except OSError:
        return None
    return kind.decode() if isinstance(kind, bytes) else kind


def open_own_file(path: str, mode: str, *, kind: str, command: str, file_format: str,
                  version: int) -> h5py.File:
    """Opens `path` and checks that it is a `kind` file (its `format` attribute) of `version`.

    Raises OutputError naming the file and what was expected, and never leaves it open then.
    """
    try:
        f = h5py.File(path, mode)
    except BlockingIOError:
        raise OutputError(f"{path}: another process has this {kind} file open for writing (is "
                          f"{command} running on it?); wait for it to finish or choose another "
                          "file") from None
    except OSError as error:
        raise OutputError(f"{path}: cannot open the {kind} file ({error}); expected an HDF5 "
                          f"file written by {command}") from None
    if f.attrs.get("format") != file_format:
        f.close()
        raise OutputError(f"{path}: not a clustersim {kind} file")
    if int(f.attrs.get("format_version", -1)) != version:
        found = f.attrs.get("format_version")
        f.close()
        raise OutputError(f"{path}: {kind} format version {found}; this clustersim reads "
                          f"version {version}")
    return f


def kernel_path(path: str | os.PathLike, kind: str) -> str:
    """`path` as the kernel takes it (UTF-8 text); OutputError naming it when it is not, as a
    file name made of bytes that are not UTF-8 reaches Python with lone surrogates."""
    path = os.fspath(path)
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        raise OutputError(f"{printable_path(path)}: the {kind}'s name is not UTF-8 text; "
                          "expected a file name in UTF-8 (rename it)") from None
    return path


def printable_path(path: str | os.PathLike) -> str:
    """A path as UTF-8 text for messages and attributes: bytes that are not UTF-8 as \\xNN."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def available_memory() -> float | None:
    """MemAvailable of /proc/meminfo in bytes (None where the system has no such file)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _kind_of(mode: int) -> str:
    for test, name in ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a directory"),
                       (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def check_output(output: str | os.PathLike, inputs: dict[str, str | os.PathLike | None],
                 *, example: str = "out.h5") -> str:
    """Refuses an output path that would destroy something or fail late: an existing path that
    is not a regular file (a device, FIFO, directory or link: clustersim never writes to special
    files or through links), a missing directory, or one of the command's ``inputs`` (named by
    what they are: {"scenario file": path}). Returns the path as a string."""
    output = os.fspath(output)
    try:
        info = os.lstat(output)
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{output}: is a directory; expected a file name such as {example}")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OutputError(f"{output}: is {_kind_of(info.st_mode)}; the output must be a new path "
                          "or a regular file (clustersim never writes to special files or "
                          "through links)")
    parent = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(parent):
        raise OutputError(f"{output}: directory {parent} does not exist")
    for what, source in inputs.items():
        if info is None or source is None:
            continue
        with contextlib.suppress(OSError):
            if os.path.samefile(output, source):
                raise OutputError(f"{output}: is also the {what} this command reads ({source}); "
                                  "writing it would destroy the input: choose another output")
    return output


@contextlib.contextmanager
def written_whole(path: str | os.PathLike, mode: str = "w") -> Iterator[IO]:
    """A file to write `path` through: a new temporary file beside it (created exclusively,
    never through a link), renamed over `path` when the block ends without an error and removed
    when it fails. Readers see the old file or the whole new one, never half of it."""
    path = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(path))
    descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".partial", dir=folder)
    try:
        with open(descriptor, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as handle:
            yield handle
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
