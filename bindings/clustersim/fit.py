"""A calibration's result: the fit file (HDF5) that ``clustersim calibrate`` writes, read back
(docs/calibration.md). Reading a fit needs neither pyabc nor a simulation; ``Fit.check`` runs
the engine (clustersim.calibration).

    fit = cs.load_calibration("fit.h5")
    fit.posterior          # weighted samples of the parameters
    fit.identification()   # posterior sd / prior sd per parameter
    fit.scenario()         # the scenario at the posterior mean
"""

from __future__ import annotations

import json
import os
from typing import Any

import h5py
import numpy as np
import pandas as pd

from clustersim._files import open_own_file
from clustersim.calibfacts import parse_facts
from clustersim.calibfile import CalibrationSpec, Prior, set_parameter
from clustersim.observations import Observations
from clustersim.scenario import Scenario

CALIBRATION_FORMAT = "clustersim-calibration"
CALIBRATION_FORMAT_VERSION = 1
CONSTRAINED_RATIO = 0.5   # posterior sd below half the prior sd: the data constrain the parameter


class Fit:
    """A calibration's result, read from its HDF5 file (no handle stays open)."""

    def __init__(self, path: str | os.PathLike):
        self.path = os.fspath(path)
        with _open_fit(self.path) as f:
            self.meta = {k: (v.decode() if isinstance(v, bytes) else v)
                         for k, v in f.attrs.items()}
            self.keys = json.loads(f["posterior"].attrs["keys"])
            self._samples = f["posterior/samples"][()]
            self.weights = f["posterior/weights"][()]
            self.distances = f["posterior/distances"][()]
            self.priors = [Prior(k, float(lo), float(hi)) for k, lo, hi in
                           zip(self.keys, f["priors/low"][()], f["priors/high"][()], strict=True)]
            self.generations = pd.DataFrame({k: f[f"generations/{k}"][()]
                                             for k in f["generations"]})

    @property
    def posterior(self) -> pd.DataFrame:
        """The posterior sample: one row per particle, a column per parameter and ``weight``."""
        frame = pd.DataFrame(self._samples, columns=self.keys)
        frame["weight"] = self.weights
        return frame.rename_axis("particle")

    @property
    def observations(self) -> Observations:
        return Observations.from_text(self.meta["observations_csv"],
                                      source=self.meta["observations_source"] or self.path)

    @property
    def base(self) -> Scenario:
        return Scenario.from_toml(self.meta["base_scenario_toml"], source=self.path)

    def mean(self) -> pd.Series:
        return pd.Series(self.weights @ self._samples, index=self.keys)

    def sd(self) -> pd.Series:
        centred = self._samples - self.weights @ self._samples
        return pd.Series(np.sqrt(self.weights @ (centred * centred)), index=self.keys)

    def interval(self, level: float = 0.9) -> pd.DataFrame:
        """Weighted equal-tailed posterior intervals (``low``, ``high``) per parameter."""
        lo, hi = (1 - level) / 2, (1 + level) / 2
        rows = {k: (_weighted_quantile(self._samples[:, j], self.weights, lo),
                    _weighted_quantile(self._samples[:, j], self.weights, hi))
                for j, k in enumerate(self.keys)}
        return pd.DataFrame(rows, index=["low", "high"]).T.rename_axis("parameter")

    def identification(self, threshold: float = CONSTRAINED_RATIO) -> pd.DataFrame:
        """Per parameter: prior sd (uniform: width / sqrt 12), posterior sd, their ratio, and
        ``constrained`` (ratio < threshold). A ratio near 1 means the observations say
        nothing about the parameter: its posterior is its prior."""
        prior = np.array([p.sd for p in self.priors])
        post = self.sd().to_numpy()
        interval = self.interval()
        frame = pd.DataFrame({"prior_low": [p.low for p in self.priors],
                              "prior_high": [p.high for p in self.priors],
                              "prior_sd": prior, "posterior_mean": self.mean().to_numpy(),
                              "posterior_sd": post, "low_90": interval["low"].to_numpy(),
                              "high_90": interval["high"].to_numpy(), "ratio": post / prior},
                             index=pd.Index(self.keys, name="parameter"))
        frame["constrained"] = frame["ratio"] < threshold
        return frame

    def values(self, at: str = "mean") -> dict[str, float]:
        """The parameter values at the posterior ``mean`` or at the ``best`` particle (the one
        closest to the observations)."""
        if at == "mean":
            x = self.mean().to_numpy()
        elif at == "best":
            x = self._samples[int(np.argmin(self.distances))]
        else:
            raise ValueError(f"at={at!r}; expected 'mean' or 'best'")
        return {p.key: (int(round(v)) if p.integer else float(v))
                for p, v in zip(self.priors, x, strict=True)}

    def scenario(self, at: str = "mean") -> Scenario:
        """The base scenario (at its own scale, not the calibration's) with the fitted values."""
        scenario = Scenario.from_toml(self.meta["base_scenario_toml"], source=self.path)
        scenario["scale"] = float(self.meta["base_scale"])
        for key, value in self.values(at).items():
            set_parameter(scenario, key, value)
        return scenario.validate()

    def check(self, draws: int = 20, *, seed: int = 1, client: Any = None) -> pd.DataFrame:
        """Posterior predictive check: ``draws`` particles drawn by weight, each simulated at the
        calibration's scale with its own seed; per moment the observed value and sd, the
        simulated median and 90 % band, and whether the observation lies in the band."""
        from clustersim.calibration import posterior_check  # the engine: pyabc, simulations
        return posterior_check(self, draws, seed=seed, client=client)

    @property
    def spec(self) -> CalibrationSpec:
        obs = self.observations
        spec = CalibrationSpec(name=self.meta["name"], base=self.base, observations=obs,
                               priors=self.priors, method=self.meta["method"],
                               population=int(self.meta["population"]),
                               generations=int(self.meta["generations"]),
                               budget=int(self.meta["budget"]), seed=int(self.meta["seed"]),
                               scale=float(self.meta["scale"]), batch=int(self.meta["batch"]),
                               base_scale=float(self.meta["base_scale"]),
                               min_epsilon=float(self.meta["min_epsilon"]),
                               report_only=tuple(json.loads(self.meta.get("report_only",
                                                                          "[]"))),
                               source=self.meta["calibration_source"],
                               facts=parse_facts(json.loads(self.meta.get("facts_json", "[]")),
                                                 self.path, int(self.base["horizon_year"])))
        return spec

    def __repr__(self) -> str:
        means = ", ".join(f"{k}={v:.4g}" for k, v in self.mean().items())
        return (f"<Fit {self.path}: {len(self.weights)} particles, "
                f"{self.meta['evaluations']} simulations; mean {means}>")


def _weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return float(np.interp(q, cdf, x))


def _open_fit(path: str) -> h5py.File:
    return open_own_file(path, "r", kind="calibration", command="clustersim calibrate",
                         file_format=CALIBRATION_FORMAT, version=CALIBRATION_FORMAT_VERSION)


def load_calibration(path: str | os.PathLike) -> Fit:
    return Fit(path)


__all__ = ["CALIBRATION_FORMAT", "CALIBRATION_FORMAT_VERSION", "CONSTRAINED_RATIO", "Fit",
           "load_calibration"]
