"""Reading users' input files and opening clustersim's own HDF5 files, with errors that name
the file and say what was expected."""

from __future__ import annotations

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
