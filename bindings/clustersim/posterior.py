"""A calibration's joint posterior as a small text file: one row per particle, a column per
calibrated parameter and its weight (docs/calibration.md, "The joint posterior"). The outlook
draws whole particles from it (``clustersim outlook --posterior``), so the calibrated
parameters keep the correlations the data put between them instead of being drawn as
independent marginals.

    fit = cs.load_calibration("wide.h5")
    write_posterior(fit, "data/posterior-behaviour-2022-wide.csv")
    particles = read_posterior("data/posterior-behaviour-2022-wide.csv")
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
from typing import Any

import numpy as np
import pandas as pd

from clustersim._common import now
from clustersim._files import decode_input, read_input
from clustersim.errors import ScenarioError
from clustersim.sweepfile import _SPECS, split_element

WEIGHT = "weight"


class PosteriorError(ScenarioError):
    """A posterior file is unreadable or invalid; nothing was run."""


def write_posterior(fit: Any, path: str | os.PathLike) -> str:
    """Writes ``fit``'s particles and weights to ``path`` (CSV with a commented header naming
    the calibration); written whole or not at all. Returns the path."""
    path = os.fspath(path)
    frame = fit.posterior.reset_index(drop=True)
    meta = fit.meta
    digest = hashlib.sha256(str(meta.get("identity", "")).encode()).hexdigest()[:16]
    lines = [
        "# clustersim posterior: the joint particles of a calibration and their weights "
        "(docs/calibration.md)",
        f"# calibration: {meta.get('name', '')} ({meta.get('calibration_source', '')}), "
        f"identity {digest}",
        f"# {meta.get('evaluations', '?')} simulations at scale {meta.get('scale', '?')}, "
        f"{meta.get('generations_run', '?')} generations, seed {meta.get('seed', '?')}; "
        f"clustersim {meta.get('clustersim_version', '?')} ({meta.get('git_revision', '?')})",
        f"# written {now()} from {os.path.basename(fit.path)}",
    ]
    body = io.StringIO()
    frame.to_csv(body, index=False, float_format="%.17g", lineterminator="\n")
    partial = path + ".partial"
    with open(partial, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n" + body.getvalue())
    os.replace(partial, path)
    return path


def read_posterior(path: str | os.PathLike) -> pd.DataFrame:
    """The particles (a column per parameter key) and ``weight`` (normalised to sum to 1).
    Every problem names the file, the line or column, the value and what was expected."""
    path = os.fspath(path)
    text = decode_input(read_input(path, PosteriorError, "posterior"), path, PosteriorError,
                        "a posterior CSV file")
    rows = [(n, line) for n, line in enumerate(text.splitlines(), 1)
            if line.strip() and not line.lstrip().startswith("#")]

    def fail(where: str, value: Any, expected: str, key: str | None = None) -> PosteriorError:
        return PosteriorError(f"{path}: {where}: {value!r}; expected {expected}", file=path,
                              key=key, value=str(value), expected=expected)
    if len(rows) < 2:
        raise fail("content", "no particles", "a header (parameter keys, weight) and at least "
                   "one particle")
    header = next(csv.reader([rows[0][1]]))
    if WEIGHT not in header or len(header) < 2:
        raise fail(f"line {rows[0][0]}", rows[0][1], f"a header of parameter keys and "
                   f"'{WEIGHT}'")
    keys = [h for h in header if h != WEIGHT]
    for key in header:
        if header.count(key) > 1:
            raise fail(f"line {rows[0][0]}, column '{key}'", key, "each column once", key)
    for key in keys:
        name, element = split_element(key)
        spec = _SPECS.get(name)
        if spec is None or spec["type"] not in ("number", "integer", "list of numbers") or \
                (element is None) != (spec["type"] != "list of numbers"):
            raise fail(f"line {rows[0][0]}, column '{key}'", key, "a number or integer scenario "
                       "key, or key[i] of a list of numbers", key)
    values = np.empty((len(rows) - 1, len(header)))
    for i, (number, line) in enumerate(rows[1:]):
        fields = next(csv.reader([line]))
        if len(fields) != len(header):
            raise fail(f"line {number}", line, f"{len(header)} fields ({', '.join(header)})")
        for j, (column, field) in enumerate(zip(header, fields, strict=True)):
            try:
                x = float(field)
            except ValueError:
                x = math.nan
            spec = _SPECS[split_element(column)[0]] if column != WEIGHT else None
            valid = math.isfinite(x) and (x >= 0 if spec is None else
                                          spec["min"] <= x <= spec["max"])
            if not valid:
                expected = ("a finite weight >= 0" if spec is None else
                            f"a number in [{spec['min']}, {spec['max']}]")
                raise fail(f"line {number}, column '{column}'", field, expected, column)
            values[i, j] = x
    frame = pd.DataFrame(values, columns=header)
    total = frame[WEIGHT].sum()
    if not total > 0:
        raise fail(f"column '{WEIGHT}'", total, "weights that sum to more than 0", WEIGHT)
    frame[WEIGHT] = frame[WEIGHT] / total
    return frame[[*keys, WEIGHT]]


def particles_at(posterior: pd.DataFrame, unit: np.ndarray) -> np.ndarray:
    """The particle (row) at each probability of ``unit`` (0 <= u < 1) by the weights'
    cumulative distribution: stratified ``unit`` (a Latin hypercube column) gives stratified
    resampling."""
    cumulative = np.cumsum(posterior[WEIGHT].to_numpy())
    cumulative[-1] = 1.0
    return np.minimum(np.searchsorted(cumulative, unit, side="right"), len(posterior) - 1)


__all__ = ["PosteriorError", "WEIGHT", "particles_at", "read_posterior", "write_posterior"]
