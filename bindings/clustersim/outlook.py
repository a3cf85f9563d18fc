"""The outlook: for each scenario, P(each target met by each year) over the seeds *and* the
uncertain parameters, the share of each target's variance that each source explains, and paired
differences between scenarios (docs/outlook.md).

An outlook is a sweep (its file is a sweep file, resumable, run on Dask like any sweep) whose
design crosses the scenario files with `draws` joint draws of the uncertain parameters, each run
`seeds` times. Every parameter with a plausible range (``parameters()``' ``plausible``) is drawn
by a Latin hypercube: from its prior where it declares one (the lever effects and costs,
docs/levers.md), uniformly over the range otherwise: assumptions, stated where the results are
read. Runs
share their seeds across scenarios and draws (replicate r has the same seed everywhere: common
random numbers) and their parameter draws across scenarios, so a difference between scenarios
is paired on both.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from clustersim import _core
from clustersim.errors import ScenarioError
from clustersim.scenario import Scenario, parameters
from clustersim.sweepfile import SweepSpec
from clustersim.sweepresults import SweepResults

TARGET_IDS = [t["id"] for t in _core.target_catalogue()]
_MAX_DRAWS, _MAX_SEEDS = 100_000, 10_000


def uncertain_parameters() -> dict[str, tuple[float, float]]:
    """Every parameter with a plausible range (low, high), by key: what the outlook draws. A
    list of numbers (one value per leading industry) is drawn element by element
    (``city.outside_growth[0]``...), each over the list's range."""
    ranges = {}
    defaults = Scenario()
    for p in parameters():
        if not p.get("plausible"):
            continue
        if p["type"] == "list of numbers":
            for i in range(len(defaults[p["key"]])):
                ranges[f"{p['key']}[{i}]"] = tuple(p["plausible"])
        else:
            ranges[p["key"]] = tuple(p["plausible"])
    return ranges


def prior_quantiles(key: str, unit: np.ndarray) -> np.ndarray:
    """The values of the uncertain parameter `key` at the probabilities `unit` (0 < u < 1): its
    prior's quantiles, clipped to the valid range, or uniform over its plausible range."""
    spec = _SPECS[key.split("[")[0]]
    prior = spec.get("prior")
    if not prior:
        low, high = spec["plausible"]
        return low + unit * (high - low)
    from scipy.stats import norm
    a, b = prior["a"], prior["b"]
    if prior["distribution"] == "uniform":
        values = a + unit * (b - a)
    elif prior["distribution"] == "normal":
        values = a + b * norm.ppf(unit)
    elif prior["distribution"] == "lognormal":
        values = a * np.exp(b * norm.ppf(unit))
    else:
        raise ValueError(f"{key}: unknown prior {prior['distribution']!r}")
    return np.clip(values, spec["min"], spec["max"])


_SPECS = {p["key"]: p for p in parameters()}


@dataclass
class OutlookSpec:
    """What an outlook runs: scenario files, parameter draws, seeds per draw, and the sweep's
    fixed settings (scale, last year)."""
    scenarios: list[str]
    draws: int = 16
    seeds: int = 4
    seed: int = 1
    scale: float | None = None
    until: int | None = None

    def __post_init__(self) -> None:
        if not self.scenarios:
            raise ScenarioError("an outlook needs at least one scenario file", key="scenarios",
                                value="[]", expected="one or more scenario files")
        for name, value, high in (("draws", self.draws, _MAX_DRAWS),
                                  ("seeds", self.seeds, _MAX_SEEDS)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or \
                    not 1 <= value <= high:
                raise ScenarioError(f"{name} = {value!r}; expected a whole number in [1, {high}]",
                                    key=name, value=repr(value),
                                    expected=f"a whole number in [1, {high}]")
        self.scenarios = [os.path.abspath(os.fspath(s)) for s in self.scenarios]
        for path in self.scenarios:
            Scenario.load(path)   # a clear error naming the file, before anything runs

    def draw_points(self) -> tuple[list[str], np.ndarray]:
        """The uncertain keys and their `draws` joint draws (rows), from the outlook seed."""
        from scipy.stats import qmc
        ranges = uncertain_parameters()
        keys = sorted(ranges)
        unit = qmc.LatinHypercube(d=len(keys), seed=self.seed).random(self.draws)
        columns = [prior_quantiles(key, unit[:, j]) for j, key in enumerate(keys)]
        return keys, np.column_stack(columns) if columns else unit

    def sweep_toml(self) -> str:
        """The sweep that runs this outlook: design points (scenario, draw) in scenario-major
        order, `seeds` replicates with common random numbers."""
        keys, draws = self.draw_points()
        points = [[float(s), *map(float, draw)] for s in range(len(self.scenarios))
                  for draw in draws]
        lines = ["[sweep]", 'name = "outlook"', f"base = {json.dumps(self.scenarios[0])}",
                 'design = "points"', f"replicates = {self.seeds}", 'seeds = "per_replicate"',
                 f"seed = {self.seed}"]
        if self.until is not None:
            lines.append(f"until = {self.until}")
        lines.append("points = [" + ", ".join("[" + ", ".join(repr(x) for x in p) + "]"
                                              for p in points) + "]")
        lines.append("[sweep.set]")
        if self.scale is not None:
            lines.append(f"scale = {self.scale!r}")
        lines += ["[[sweep.vary]]", 'key = "scenario"', f"values = {json.dumps(self.scenarios)}"]
        for key in keys:
            lines += ["[[sweep.vary]]", f'key = "{key}"']
        return "\n".join(lines) + "\n"

    def sweep_spec(self, source: str) -> SweepSpec:
        return SweepSpec.from_toml(self.sweep_toml(), source=source)


def run_outlook(spec: OutlookSpec, output: str | os.PathLike, **sweep_options: Any
                ) -> SweepResults:
    """Runs (or resumes) the outlook into `output` (a sweep file); `sweep_options` go to
    ``run_sweep`` (client, workers, scheduler, progress, max_memory...)."""
    from clustersim.sweep import run_sweep
    output = os.fspath(output)
    return run_sweep(spec.sweep_spec(output + ".toml"), output, **sweep_options)


def _frame(results: SweepResults, outcome: str, year: int) -> pd.DataFrame:
    """One row per finished run: scenario name, draw, replicate, value in `year` (a target's
    ``_met`` as met by that year, 0/1)."""
    table = results.outcome(outcome)
    if outcome.endswith("_met"):
        table = (table == 1).cummax(axis=1).astype(float)
    if year not in table.columns:
        raise KeyError(f"year {year} is not in the outlook ({results.years[0]}-"
                       f"{results.years[-1]})")
    runs = results.runs()
    design = results.design()
    names = design["scenario"].to_numpy()
    draws = len(design) // len(results.scenario_names())
    frame = pd.DataFrame({"scenario": names[runs["point"].to_numpy()],
                          "draw": runs["point"].to_numpy() % draws,
                          "replicate": runs["replicate"].to_numpy(),
                          "value": table[year].to_numpy(dtype=float),
                          "done": (runs["status"] == "done").to_numpy()})
    return frame[frame["done"]].drop(columns="done")


def _bootstrap(draw_values: pd.DataFrame, statistic, n: int = 1000, seed: int = 1,
               level: float = 0.95) -> tuple[float, float]:
    """Percentile interval of `statistic` over draws resampled with replacement (the runs of a
    draw share its parameters: the draw is the independent unit)."""
    rng = np.random.default_rng(seed)
    draws = draw_values.index.unique()
    if len(draws) < 2:
        return (np.nan, np.nan)
    stats = [statistic(draw_values.loc[rng.choice(draws, len(draws))]) for _ in range(n)]
    return tuple(np.quantile(stats, [(1 - level) / 2, (1 + level) / 2]))


def probabilities(results: SweepResults, year: int | None = None) -> pd.DataFrame:
    """P(each target met by each year) per scenario, over every draw and seed, with a 95 %
    interval from resampling the draws. One row per (scenario, target, year)."""
    years = results.years if year is None else [year]
    rows = []
    for target in TARGET_IDS:
        for y in years:
            frame = _frame(results, f"{target}_met", y)
            for name, mine in frame.groupby("scenario", sort=False):
                by_draw = mine.set_index("draw")["value"]
                p = float(by_draw.mean())
                low, high = _bootstrap(by_draw, np.mean)
                rows.append((name, target, y, len(mine), p, low, high))
    return pd.DataFrame(rows, columns=["scenario", "target", "year", "runs", "p", "low",
                                       "high"]).set_index(["scenario", "target", "year"])


def variance_shares(values: pd.DataFrame) -> dict[str, float]:
    """The law of total variance over (draw, replicate) values: the share due to seeds (the
    mean within-draw variance) and to the uncertain parameters (the variance of the draws'
    means). Population variances over equal-sized draws, so the two shares sum to exactly 1
    (NaN where the values do not vary)."""
    by_draw = values.groupby("draw")["value"]
    total = float(values["value"].var(ddof=0))
    seeds = float(by_draw.var(ddof=0).mean())
    parameters_part = float(by_draw.mean().var(ddof=0))
    if not total > 0:
        return {"total_variance": total, "seeds": np.nan, "parameters": np.nan}
    return {"total_variance": total, "seeds": seeds / total, "parameters": parameters_part / total}


def variance(results: SweepResults, year: int) -> pd.DataFrame:
    """Per scenario and target, the variance of the target's value in `year` and the shares due
    to seeds and to the uncertain parameters."""
    rows = []
    for target in TARGET_IDS:
        frame = _frame(results, target, year)
        for name, mine in frame.groupby("scenario", sort=False):
            counts = mine.groupby("draw").size()
            if counts.nunique() != 1:   # unequal draws (failed runs): the identity needs equal
                mine = mine[mine["draw"].isin(counts[counts == counts.max()].index)]
            rows.append({"scenario": name, "target": target, **variance_shares(mine)})
    return pd.DataFrame(rows).set_index(["scenario", "target"])


def differences(results: SweepResults, year: int, *, reference: str | None = None
                ) -> pd.DataFrame:
    """Each scenario against `reference` (default: the first): the paired difference in every
    target's value and in P(met by `year`), over runs with the same draw and seed, with a 95 %
    interval from resampling the draws."""
    names = results.scenario_names()
    reference = names[0] if reference is None else reference
    if reference not in names:
        raise KeyError(f"reference {reference!r}; expected one of {', '.join(names)}")
    rows = []
    for target in TARGET_IDS:
        for outcome in (target, f"{target}_met"):
            frame = _frame(results, outcome, year)
            wide = frame.pivot_table(index=["draw", "replicate"], columns="scenario",
                                     values="value")
            for name in names:
                if name == reference or name not in wide:
                    continue
                paired = (wide[name] - wide[reference]).dropna()
                by_draw = paired.reset_index(level="replicate", drop=True)
                low, high = _bootstrap(by_draw, np.mean)
                rows.append((name, target, "P(met)" if outcome.endswith("_met") else "value",
                             len(paired), float(paired.mean()), low, high))
    return pd.DataFrame(rows, columns=["scenario", "target", "measure", "pairs", "difference",
                                       "low", "high"]).set_index(["scenario", "target",
                                                                  "measure"])


def summary(results: SweepResults, year: int) -> str:
    """The outlook in words: per scenario and target, P(met by `year`) with its interval and
    the share of the target's variance that the uncertain parameters explain."""
    p = probabilities(results, year)
    v = variance(results, year)
    lines = [f"P(target met by {year}) over {len(results.design()) // len(results.scenario_names())}"
             f" parameter draws x {results.replicates} seeds per scenario (95 % interval over "
             "draws); share of the target's variance from the uncertain parameters (rest: seeds)."
             " The parameters are drawn from their priors (lever effects and costs,"
             " docs/levers.md) or uniformly over their plausible ranges: assumptions."]
    for name in results.scenario_names():
        lines.append(f"\n{name}")
        for target in TARGET_IDS:
            row = p.loc[(name, target, year)]
            share = v.loc[(name, target), "parameters"]
            lines.append(f"  {target:<22} {row['p']:5.2f} [{row['low']:.2f}, {row['high']:.2f}]"
                         f"   parameters {share:4.0%}" if not np.isnan(share) else
                         f"  {target:<22} {row['p']:5.2f} [{row['low']:.2f}, {row['high']:.2f}]"
                         "   (no variance)")
    return "\n".join(lines)


def load_outlook(path: str | os.PathLike) -> SweepResults:
    """An outlook file (a sweep file whose design has a scenario factor)."""
    results = SweepResults(path)
    if not results.scenario_names():
        raise ScenarioError(f"{Path(path)}: not an outlook (its sweep compares no scenario "
                            "files); expected the output of clustersim outlook", key="file")
    return results
