"""Opening clustersim's own HDF5 files (sweep and calibration files) with clear errors."""

from __future__ import annotations

import h5py

from clustersim.errors import OutputError


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
