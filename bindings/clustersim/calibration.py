"""Calibration: fits behavioural parameters to observed series by sequential Monte Carlo
approximate Bayesian computation (pyabc), deterministically, on the sweeps' Dask engine, and
resumably (docs/calibration.md). This is the engine; the fit it returns is read by
clustersim.fit (``Fit``, ``load_calibration``, re-exported here) and written by
clustersim.fitwriter.

    obs = cs.Observations.from_csv("data/observed.csv")
    fit = cs.calibrate(scenario, obs, params={"firms.growth.drift": (0.0, 0.2)}, budget=2000)
    fit.posterior          # weighted samples of the parameters
    fit.identification()   # posterior sd / prior sd per parameter
    fit.scenario()         # the scenario at the posterior mean
    fit.check()            # posterior predictive: simulated vs observed, with 90 % bands
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from pyabc.sampler import Sampler

from clustersim.calibfacts import measure, run_and_trace
from clustersim.calibfile import (METHODS, CalibrationError, CalibrationSpec, abc_name,
                                  set_parameter, split_element)
from clustersim._files import check_output
from clustersim.errors import OutputError
# The fit's reader, re-exported (clustersim.calibration.Fit and the rest are still here).
from clustersim.fit import (CALIBRATION_FORMAT, CALIBRATION_FORMAT_VERSION,  # noqa: F401
                            CONSTRAINED_RATIO, Fit, load_calibration)
from clustersim.fitwriter import _write_fit
from clustersim.observations import Observations
from clustersim.scenario import Scenario
from clustersim.sweep import _client


def _seed32(*parts: int) -> int:
    """A 32-bit seed (NumPy's legacy global RNG, which pyabc draws from) from integers."""
    return int(np.random.SeedSequence([int(p) for p in parts]).generate_state(1)[0])


# --- one model evaluation (on a worker)
class ModelRun:
    """Runs the base scenario with one particle's parameters at the calibration's scale, to the
    last year the observations need, single-threaded, and measures the moments. Small and
    picklable; the simulation's seed is drawn from the particle's (seeded) NumPy RNG."""

    def __init__(self, spec: CalibrationSpec):
        self.scenario_toml = spec.base.to_toml()
        self.priors = list(spec.priors)
        self.observations_csv = spec.observations.to_csv()
        self.facts = list(spec.facts)
        self.until = spec.until
        self._parsed: tuple[Scenario, Observations] | None = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_parsed": None}

    def _inputs(self) -> tuple[Scenario, Observations]:
        if self._parsed is None:
            self._parsed = (Scenario.from_toml(self.scenario_toml, source="<calibration base>"),
                            Observations.from_text(self.observations_csv,
                                                   source="<calibration observations>"))
        return self._parsed

    def __call__(self, parameters: Mapping[str, float], seed: int | None = None
                 ) -> dict[str, float]:
        from clustersim.simulation import Simulation
        base, observations = self._inputs()
        scenario = base.copy()
        for p in self.priors:   # pyabc works on [0, 1] per parameter: a well-scaled kernel
            set_parameter(scenario, p.key,
                          p.low + float(parameters[abc_name(p.key)]) * (p.high - p.low))
        if seed is None:
            seed = int(np.random.randint(0, 2**31 - 1))
        sim = Simulation(scenario, seed=seed, threads=1)
        trace = run_and_trace(sim, self.until, self.facts)
        return {**observations.statistics(sim), **measure(trace, self.facts)}


class Distance:
    """sqrt(sum(((simulated - observed) / sd)^2)) over the fitted moments (all but
    ``report_only``); inf if any is NaN. ``moments``: the observations' and the facts'
    (``CalibrationSpec.moments()``), or an Observations table."""

    def __init__(self, moments: Observations | Sequence[Any], report_only: Sequence[str] = ()):
        if isinstance(moments, Observations):
            moments = moments.moments()
        moments = [m for m in moments if m.label not in report_only]
        self.labels = [m.label for m in moments]
        self.sd = np.array([m.sd for m in moments])

    def __call__(self, x: Mapping[str, float], x0: Mapping[str, float]) -> float:
        sim = np.array([x[k] for k in self.labels], dtype=float)
        obs = np.array([x0[k] for k in self.labels], dtype=float)
        z = (sim - obs) / self.sd
        return float(np.sqrt(np.sum(z * z))) if np.all(np.isfinite(z)) else math.inf


# --- a deterministic pyabc sampler
def _map(client: Any, task: Callable[[Any, list], list], function: Any, items: list) -> list:
    """``task(function, chunk)`` over ``items`` split in one chunk per worker, in this process
    (client None or "inline") or on the Dask client; results in the items' order."""
    if client is None or client == "inline":
        return task(function, items)
    n = max(1, len(client.scheduler_info().get("workers", {})))
    size = max(1, math.ceil(len(items) / n))
    futures = [client.submit(task, function, items[i:i + size], pure=False, retries=1)
               for i in range(0, len(items), size)]
    return [x for future in futures for x in future.result()]


def _evaluate(function: Callable[[], Any], seeds: Sequence[int]) -> list[Any]:
    """Calls ``function`` once per seed, the global NumPy RNG seeded first (on a worker)."""
    out = []
    with warnings.catch_warnings():
        # pyabc's kernel covariance is symmetric only up to rounding; NumPy warns about it
        warnings.filterwarnings("ignore", "covariance is not symmetric", RuntimeWarning)
        for seed in seeds:
            np.random.seed(seed)
            out.append(function())
    return out


class OrderedSampler(Sampler):
    """pyabc sampler that gives the same particles for the same seed, whatever the workers.

    Particles are evaluated in batches of ``batch``; particle i of batch b of generation t
    draws from NumPy's RNG seeded by (seed, t, b, i), and particles are accepted in index
    order until n are accepted (the rest of the last batch is discarded, but counted as
    evaluations). The driver's RNG is seeded by (seed, t) at each generation's start."""

    def __init__(self, seed: int, batch: int, client: Any = None,
                 on_batch: Callable[[int, int], None] | None = None,
                 budget: float = math.inf, spent: int = 0):
        super().__init__()
        self.seed = seed
        self.batch = batch
        self.client = client
        self.on_batch = on_batch
        self.budget = budget   # simulations at most, in all: no batch starts beyond it
        self.spent = spent     # simulations run so far (a resume starts at the history's)

    def map(self, function: Callable[[], Any], seeds: list[int]) -> list[Any]:
        return _map(self.client, _evaluate, function, seeds)

    def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf,
                                all_accepted=False, ana_vars=None):
        generation = t + 1   # pyabc's calibration sample has t = -1
        np.random.seed(_seed32(self.seed, generation, 2**31))
        sample = self._create_empty_sample()
        accepted = evaluations = batch = 0
        while accepted < n and evaluations < max_eval:
            if self.spent + self.batch > self.budget:
                break   # the generation stays unfinished: the fit is the one before it
            seeds = [_seed32(self.seed, generation, batch, i) for i in range(self.batch)]
            particles = self.map(simulate_one, seeds)
            evaluations += len(particles)
            self.spent += len(particles)
            for particle in particles:
                if accepted == n:
                    break
                if particle.accepted:
                    sample.append(particle)
                    accepted += 1
            if self.on_batch is not None:
                self.on_batch(generation, batch)
            batch += 1
        self.nr_evaluations_ = evaluations
        if accepted < n:
            sample.ok = False
        return sample


# --- the posterior predictive check (Fit.check)
def posterior_check(fit: Fit, draws: int = 20, *, seed: int = 1, client: Any = None
                    ) -> pd.DataFrame:
    """``Fit.check``: ``draws`` particles of ``fit`` drawn by weight, each simulated at the
    calibration's scale with its own seed; per moment the observed value and sd, the simulated
    median and 90 % band, and whether the observation lies in the band."""
    spec = fit.spec
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(fit.weights), size=draws, p=fit.weights / fit.weights.sum())
    model = ModelRun(spec)
    unit = [(fit._samples[:, j] - p.low) / (p.high - p.low)
            for j, p in enumerate(fit.priors)]
    runs = [({abc_name(k): float(unit[j][i]) for j, k in enumerate(fit.keys)},
             _seed32(seed, d, 7)) for d, i in enumerate(picks)]
    results = _map(client, _predict, model, runs)
    rows = []
    for m in spec.moments():
        sim = np.array([r[m.label] for r in results], dtype=float)
        low, median, high = np.nanquantile(sim, [0.05, 0.5, 0.95])
        rows.append({"moment": m.label, "kind": m.kind, "year": m.year,
                     "observed": m.observed, "sd": m.sd, "simulated_median": median,
                     "simulated_low_90": low, "simulated_high_90": high,
                     "within_90": bool(low <= m.observed <= high),
                     "fitted": m.label not in spec.report_only, "derived": m.note})
    return pd.DataFrame(rows).set_index("moment")


def _predict(model: ModelRun, runs: list[tuple[dict[str, float], int]]) -> list[dict]:
    return [model(parameters, seed=seed) for parameters, seed in runs]


def run_calibration(spec: CalibrationSpec | str | os.PathLike, output: str | os.PathLike, *,
                    client: Any = None, workers: int | None = None,
                    scheduler: str | None = None, on_batch: Callable[[int, int], None] | None
                    = None) -> Fit:
    """Runs (or resumes) a calibration into ``output``; returns its Fit.

    pyabc's history (SQLite) is kept in ``<output>.abc.db`` while it runs; re-running the same
    calibration on the same output continues from the last finished generation, and gives the
    same fit as an uninterrupted run. ``client``: as for ``run_sweep`` (``"inline"``: in this
    process); ``on_batch(generation, batch)`` is called after each batch (it may raise)."""
    import pyabc
    if not isinstance(spec, CalibrationSpec):
        spec = CalibrationSpec.load(spec)
    if spec.method not in METHODS:
        raise CalibrationError(f"method {spec.method!r} is unknown; expected one of "
                               f"{', '.join(METHODS)}", key="method", value=repr(spec.method))
    output = check_output(output, {"calibration file": spec.source,
                                   "base scenario": spec.base_source or None,
                                   "observations file": spec.observations_source or None},
                          example="fit.h5")
    identity = spec.identity()
    if os.path.exists(output):
        fit = Fit(output)
        if fit.meta["identity"] != identity:
            raise OutputError(f"{output}: holds a different calibration; choose another output "
                              "or delete it")
        return fit
    db, stamp = output + ".abc.db", output + ".abc.identity"
    resume = False
    if os.path.exists(db):
        same = os.path.exists(stamp) and open(stamp, encoding="utf-8").read() == identity
        if not same:
            raise OutputError(f"{db}: holds a different calibration's history; choose another "
                              "output or delete it")
        resume = pyabc.History("sqlite:///" + db).n_populations > 0
        if not resume:   # interrupted before a first generation: start over
            os.unlink(db)
    logging.getLogger("ABC").setLevel(logging.WARNING)
    logging.getLogger("pyabc").setLevel(logging.WARNING)
    x0 = {m.label: m.observed for m in spec.moments()}
    prior = pyabc.Distribution(**{abc_name(p.key): pyabc.RV("uniform", 0.0, 1.0)
                                  for p in spec.priors})
    started = time.perf_counter()
    with _client(client, workers, scheduler) as dask_client:
        sampler = OrderedSampler(spec.seed, spec.batch, dask_client, on_batch,
                                 budget=spec.budget)
        abc = pyabc.ABCSMC(ModelRun(spec), prior, Distance(spec.moments(), spec.report_only),
                           population_size=spec.population, sampler=sampler)
        if resume:
            history = abc.load("sqlite:///" + db, 1)
            sampler.spent = int(history.total_nr_simulations)
        else:
            with open(stamp, "w", encoding="utf-8") as handle:
                handle.write(identity)
            history = abc.new("sqlite:///" + db, x0)
        remaining = spec.generations - (history.max_t + 1)
        if remaining > 0 and sampler.spent + spec.batch <= spec.budget:
            history = abc.run(minimum_epsilon=spec.min_epsilon, max_nr_populations=remaining,
                              max_total_nr_simulations=spec.budget)
    wall_s = time.perf_counter() - started
    if history.max_t < 0:
        raise CalibrationError(f"budget {spec.budget}: no generation finished within it; "
                               f"expected a budget of several times the population "
                               f"({spec.population})", key="budget", value=str(spec.budget))
    _write_fit(output, spec, history, wall_s, resume, sampler.spent)
    for path in (db, stamp):
        os.unlink(path)
    return Fit(output)


def calibrate(scenario: Scenario | str | os.PathLike, observations: Observations | str,
              params: Mapping[str, tuple[float, float]] | Sequence[str], *,
              method: str = "smc-abc", budget: int = 5000, population: int = 64,
              generations: int = 6, seed: int = 1, scale: float = 0.01, batch: int = 16,
              report_only: Sequence[str] = (),
              client: Any = None, output: str | os.PathLike | None = None,
              workers: int | None = None) -> Fit:
    """Fits ``params`` (key -> (low, high) uniform prior; a bare key takes its declared
    range) of ``scenario`` to ``observations``; see ``run_calibration``. ``output`` defaults to a
    new file in the temporary directory."""
    from clustersim.scenario import parameters
    if not isinstance(scenario, Scenario):
        scenario = Scenario.load(scenario)
    if not isinstance(observations, Observations):
        observations = Observations.from_csv(observations,
                                             horizon_year=int(scenario["horizon_year"]))
    if not isinstance(params, Mapping):
        declared = {p["key"]: p for p in parameters()}
        missing = [k for k in params if split_element(k)[0] not in declared]
        if missing:
            raise CalibrationError(f"params: {missing[0]!r} is not a scenario key",
                                   key=missing[0])
        params = {k: (declared[split_element(k)[0]]["min"], declared[split_element(k)[0]]["max"])
                  for k in params}
    table = {"name": scenario["name"], "method": method, "budget": budget,
             "population": population, "generations": generations, "seed": seed,
             "scale": scale, "batch": batch, "report_only": list(report_only),
             "parameters": [{"key": k, "range": [float(lo), float(hi)]}
                            for k, (lo, hi) in params.items()]}
    spec = CalibrationSpec.from_dict(table, source="<calibrate>", base=scenario,
                                     observations=observations)
    if output is None:
        handle, output = tempfile.mkstemp(suffix=".h5", prefix="calibration-")
        os.close(handle)
        os.unlink(output)
    return run_calibration(spec, output, client=client, workers=workers)


__all__ = ["CONSTRAINED_RATIO", "Distance", "Fit", "ModelRun", "OrderedSampler", "calibrate",
           "load_calibration", "posterior_check", "run_calibration"]
