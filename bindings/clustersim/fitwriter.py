"""Writes a calibration's fit file (HDF5, docs/calibration.md) from pyabc's history: the
posterior, the priors, the generations, the moments and the identification table. Read back by
clustersim.fit."""

from __future__ import annotations

import json
import os
from typing import Any

import h5py
import numpy as np

from clustersim import _core
from clustersim._common import now
from clustersim.calibfile import CalibrationSpec, abc_name
from clustersim.fit import CALIBRATION_FORMAT, CALIBRATION_FORMAT_VERSION, CONSTRAINED_RATIO, Fit


def _write_fit(path: str, spec: CalibrationSpec, history: Any, wall_s: float,
               resumed: bool, simulations: int) -> None:
    """Writes the fit to ``<path>.partial`` and renames it: never a file that looks whole."""
    t = history.max_t
    particles = history.get_population(t=t).particles
    names = [abc_name(k) for k in spec.keys]
    unit = np.array([[float(p.parameter[n]) for n in names] for p in particles])
    low = np.array([p.low for p in spec.priors])
    samples = low + unit * (np.array([p.high for p in spec.priors]) - low)
    weights = np.array([p.weight for p in particles], dtype=float)
    distances = np.array([p.distance for p in particles], dtype=float)
    # A canonical order (by the parameters), so that equal fits give equal files.
    order = np.lexsort(samples.T[::-1])
    samples, weights, distances = samples[order], weights[order], distances[order]
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0]
    partial = path + ".partial"
    with h5py.File(partial, "w") as f:
        f.attrs.update(format=CALIBRATION_FORMAT, format_version=CALIBRATION_FORMAT_VERSION,
                       complete=1, name=spec.name, method=spec.method, seed=spec.seed,
                       population=spec.population, generations=spec.generations,
                       generations_run=int(t + 1), budget=spec.budget, batch=spec.batch,
                       min_epsilon=spec.min_epsilon, report_only=json.dumps(list(spec.report_only)),
                       scale=spec.scale, base_scale=spec.base_scale,
                       evaluations=int(simulations),
                       calibration_toml=spec.text, calibration_source=spec.source,
                       base_scenario_toml=spec.base.to_toml(), base_source=spec.base_source,
                       observations_csv=spec.observations.to_csv(),
                       facts_json=json.dumps([f.to_dict() for f in spec.facts]),
                       observations_source=spec.observations_source or spec.observations.source,
                       identity=spec.identity(), wall_s=wall_s, resumed=int(resumed),
                       clustersim_version=_core.__version__, git_revision=_core.git_revision,
                       created=now())
        post = f.create_group("posterior")
        post.attrs["keys"] = json.dumps(spec.keys)
        post["samples"] = samples
        post["weights"] = weights / weights.sum()
        post["distances"] = distances
        priors = f.create_group("priors")
        priors.attrs["keys"] = json.dumps(spec.keys)
        priors["low"] = np.array([p.low for p in spec.priors])
        priors["high"] = np.array([p.high for p in spec.priors])
        gens = f.create_group("generations")
        gens["t"] = pops["t"].to_numpy(dtype=np.int32)
        gens["epsilon"] = pops["epsilon"].to_numpy(dtype=float)
        gens["evaluations"] = pops["samples"].to_numpy(dtype=np.int64)
        moments = spec.moments()
        text = h5py.string_dtype()
        mom = f.create_group("moments")
        mom["label"] = np.array([m.label for m in moments], dtype=object).astype(text)
        mom["kind"] = np.array([m.kind for m in moments], dtype=object).astype(text)
        mom["year"] = np.array([m.year for m in moments], dtype=np.int32)
        mom["observed"] = np.array([m.observed for m in moments])
        mom["sd"] = np.array([m.sd for m in moments])
        mom["fitted"] = np.array([m.label not in spec.report_only for m in moments], dtype=np.int8)
    # The identification table, computed by the Fit reader, stored for readers without Python.
    table = Fit.__new__(Fit)
    table.keys, table.priors = spec.keys, spec.priors
    table._samples, table.weights = samples, weights / weights.sum()
    ident = table.identification()
    with h5py.File(partial, "a") as f:
        g = f.create_group("identification")
        g.attrs["keys"] = json.dumps(spec.keys)
        g.attrs["threshold"] = CONSTRAINED_RATIO
        for column in ("prior_sd", "posterior_sd", "ratio"):
            g[column] = ident[column].to_numpy(dtype=float)
        g["constrained"] = ident["constrained"].to_numpy(dtype=np.int8)
    os.replace(partial, path)


__all__ = ["_write_fit"]
