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
from clustersim._frames import faithful_at
from clustersim.errors import ScenarioError
from clustersim.posterior import WEIGHT, particles_at, read_posterior
from clustersim.scenario import Scenario, parameters
from clustersim.screening import FIT_PARTNERS, held_assumptions
from clustersim.sweepfile import (_SPECS, SweepSpec, points_sweep_lines, prior_factor,
                                  split_element)
from clustersim.sweepresults import SweepResults

TARGET_IDS = [t["id"] for t in _core.target_catalogue()]
# The sets of draws of a split outlook: every uncertain parameter drawn; only the model's
# (behavioural, base-year, city) parameters, the lever effects and costs held; only the lever
# effects and costs (keys under "policy."), the model's held.
SOURCES = ("joint", "model", "levers")
# The levers' fiscal cost per year by lever group (CNY), kept per run: its sum over groups.
COST_SERIES = "policy_cost_cny"
COST = f"city.{COST_SERIES}.sum"


# The sweep file of an outlook that draws a posterior says which, on its first line.
POSTERIOR_COMMENT = "# calibrated parameters drawn jointly from the posterior "


def posterior_of(results: SweepResults) -> str | None:
    """The posterior file an outlook drew its calibrated parameters from, or None."""
    first = results.meta["sweep_toml"].split("\n", 1)[0]
    return first[len(POSTERIOR_COMMENT):] if first.startswith(POSTERIOR_COMMENT) else None


def is_lever_key(key: str) -> bool:
    """A lever's effect size or cost (docs/levers.md), as opposed to the model's parameters."""
    return key.startswith("policy.")
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
    prior's quantiles (the sweeps' `distribution = "prior"`), clipped to the valid range, or
    uniform over its plausible range (an integer's rounded to the nearest whole number, so each
    value in it is equally likely save the ends, which take half a step each)."""
    spec = _SPECS[key.split("[")[0]]
    factor = prior_factor(spec["key"])
    if factor is None:
        low, high = spec["plausible"]
        values = low + unit * (high - low)
        return np.round(values) if spec["type"] == "integer" else values
    return np.clip(factor.from_unit(unit), spec["min"], spec["max"])


def joint_draws(draws: int, seed: int, posterior: str | None = None
                ) -> tuple[list[str], np.ndarray]:
    """Every uncertain key (sorted) and `draws` joint draws of them (rows) from `seed`: a Latin
    hypercube over the priors (uniform over a plausible range where a key has no prior), and,
    with a posterior file, its parameters as whole particles picked by weight (one more
    hypercube column). A drawn key with a partner fitted to a base-year figure at its default
    (screening.FIT_PARTNERS) moves the partner with it, so the partner is a key too. The
    outlook's draws, and those of a Shapley sweep over the uncertainty."""
    from scipy.stats import qmc
    particles = read_posterior(posterior) if posterior else None
    calibrated = [k for k in particles.columns if k != WEIGHT] if particles is not None else []
    keys = sorted(set(uncertain_parameters()) | set(calibrated))
    free = [k for k in keys if k not in calibrated]
    # One hypercube column per freely drawn key, and one that picks the particle.
    unit = qmc.LatinHypercube(d=len(free) + bool(calibrated), seed=seed).random(draws)
    columns = {key: prior_quantiles(key, unit[:, j]) for j, key in enumerate(free)}
    if particles is not None:
        rows = particles_at(particles, unit[:, -1])
        for key in calibrated:
            values = particles[key].to_numpy()[rows]
            integer = _SPECS[split_element(key)[0]]["type"] == "integer"
            columns[key] = np.round(values) if integer else values
    defaults = Scenario()
    for partner, (fitted, multiplier) in FIT_PARTNERS.items():
        if any(key in columns for key in fitted):
            base = columns.get(partner, float(defaults[partner]))
            new = tuple(columns.get(key, float(defaults[key])) for key in fitted)
            columns[partner] = base * multiplier(new, tuple(float(defaults[k]) for k in fitted))
    keys = sorted(columns)
    return keys, np.column_stack([columns[k] for k in keys]) if keys else unit


def check_fit_partners(path: str) -> None:
    """Refuses a scenario file that sets the partner of a drawn parameter (FIT_PARTNERS): the
    draws derive it from the model's defaults, so the file's value would be lost."""
    scenario, defaults = Scenario.load(path), Scenario()
    drawn = {k.split("[")[0] for k in uncertain_parameters()}
    for partner, (fitted, _) in FIT_PARTNERS.items():
        key = next((k for k in fitted if k in drawn), None)
        if key is not None and scenario[partner] != defaults[partner]:
            raise ScenarioError(
                f"{path}: key '{partner}' = {scenario[partner]!r}; the outlook draws '{key}' "
                f"and derives '{partner}' from it (so that the base year keeps its data), "
                f"expected the default {defaults[partner]!r}", key=partner,
                value=repr(scenario[partner]), expected=f"the default {defaults[partner]!r}")


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
    # Also run the draws with only the model's parameters drawn and with only the lever
    # effects drawn (the others held at the first scenario's values): the variance by source.
    split: bool = False
    # A calibration's joint posterior (clustersim.posterior): its parameters are drawn as whole
    # particles by weight, not each from its own range.
    posterior: str | None = None

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
            check_fit_partners(path)   # a clear error naming the file, before anything runs
        if self.posterior is not None:
            self.posterior = os.path.abspath(os.fspath(self.posterior))
            read_posterior(self.posterior)   # likewise

    def draw_points(self) -> tuple[list[str], np.ndarray]:
        """The uncertain keys and their `draws` joint draws (rows), from the outlook seed."""
        return joint_draws(self.draws, self.seed, self.posterior)

    def held_values(self, keys: list[str]) -> np.ndarray:
        """Each uncertain key's value in the first scenario: where a split outlook holds it."""
        first = Scenario.load(self.scenarios[0])
        values = []
        for key in keys:
            name, element = split_element(key)
            value = first[name]
            values.append(float(value[element] if element is not None else value))
        return np.array(values)

    def source_draws(self) -> tuple[list[str], list[np.ndarray]]:
        """The keys and the draws of each set of SOURCES (one set unless split): the same
        hypercube in every set, with the keys a set does not draw held."""
        keys, draws = self.draw_points()
        if not self.split:
            return keys, [draws]
        held = self.held_values(keys)
        lever = np.array([is_lever_key(k) for k in keys])
        model_only = np.where(lever, held, draws)
        levers_only = np.where(lever, draws, held)
        return keys, [draws, model_only, levers_only]

    def sweep_toml(self) -> str:
        """The sweep that runs this outlook: design points (scenario, set, draw) in
        scenario-major order, `seeds` replicates with common random numbers."""
        keys, sets = self.source_draws()
        points = [[float(s), *map(float, draw)] for s in range(len(self.scenarios))
                  for draws in sets for draw in draws]
        name = "outlook-split" if self.split else "outlook"
        lines = [f"{POSTERIOR_COMMENT}{self.posterior}"] if self.posterior else []
        lines += points_sweep_lines(name, self.scenarios[0], points, replicates=self.seeds,
                                    seed=self.seed, until=self.until, scale=self.scale)
        lines += ["[[sweep.vary]]", 'key = "scenario"', f"values = {json.dumps(self.scenarios)}"]
        for key in keys:
            lines += ["[[sweep.vary]]", f'key = "{key}"']
        # The levers' budgets beside the targets: the brief's cost and effect per bn CNY.
        lines += ["[sweep.outcomes]", "targets = true",
                  f'series = [{{ level = "city", name = "{COST_SERIES}", reduce = "sum" }}]']
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


def source_sets(results: SweepResults) -> int:
    """How many sets of draws the outlook ran per scenario: 3 when split (SOURCES), else 1."""
    import tomllib
    name = tomllib.loads(results.meta["sweep_toml"]).get("sweep", {}).get("name")
    return len(SOURCES) if name == "outlook-split" else 1


def _frame(results: SweepResults, outcome: str, year: int, *, every_set: bool = False
           ) -> pd.DataFrame:
    """One row per finished run: scenario name, set (0 = joint draws; SOURCES), draw, replicate,
    value in `year` (a target's ``_met`` as met by that year, 0/1). Only the joint draws unless
    `every_set`."""
    table = results.outcome(outcome)
    if outcome.endswith("_met"):
        table = (table == 1).cummax(axis=1).astype(float)
    if year not in table.columns:
        raise KeyError(f"year {year} is not in the outlook ({results.years[0]}-"
                       f"{results.years[-1]})")
    runs = results.runs()
    design = results.design()
    names = design["scenario"].to_numpy()
    per_scenario = len(design) // len(results.scenario_names())
    draws = per_scenario // source_sets(results)
    point = runs["point"].to_numpy()
    frame = pd.DataFrame({"scenario": names[point],
                          "set": (point % per_scenario) // draws,
                          "draw": point % draws,
                          "replicate": runs["replicate"].to_numpy(),
                          "value": table[year].to_numpy(dtype=float),
                          "done": (runs["status"] == "done").to_numpy()})
    frame = frame[frame["done"]].drop(columns="done")
    return frame if every_set else frame[frame["set"] == 0].drop(columns="set")


def _bootstrap(draw_values: pd.Series, statistic=np.mean, n: int = 1000, seed: int = 1,
               level: float = 0.95) -> tuple[float, float]:
    """Percentile interval of the mean of the values (indexed by draw) over draws resampled
    with replacement (the runs of a draw share its parameters: the draw is the independent
    unit). The mean of a resample is its draws' summed values over their summed counts, so
    the n resamples are one matrix product (1,000 look-ups by label took most of a brief's
    time); the same resamples as _bootstrap_plain, which the tests compare it with."""
    if statistic is not np.mean:
        return _bootstrap_plain(draw_values, statistic, n, seed, level)
    rng = np.random.default_rng(seed)
    draws = draw_values.index.unique()
    if len(draws) < 2:
        return (np.nan, np.nan)
    grouped = draw_values.groupby(level=0, sort=False)
    sums = grouped.sum().reindex(draws).to_numpy(dtype=float)
    counts = grouped.size().reindex(draws).to_numpy(dtype=float)
    picks = np.stack([rng.choice(len(draws), len(draws)) for _ in range(n)])
    stats = sums[picks].sum(axis=1) / counts[picks].sum(axis=1)
    return tuple(np.quantile(stats, [(1 - level) / 2, (1 + level) / 2]))


def _bootstrap_plain(draw_values: pd.Series, statistic=np.mean, n: int = 1000, seed: int = 1,
                     level: float = 0.95) -> tuple[float, float]:
    """The plain version of _bootstrap: each resample's values gathered by label."""
    rng = np.random.default_rng(seed)
    draws = draw_values.index.unique()
    if len(draws) < 2:
        return (np.nan, np.nan)
    stats = [statistic(draw_values.loc[draws[rng.choice(len(draws), len(draws))]])
             for _ in range(n)]
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


def _components(values: pd.DataFrame) -> tuple[float, float]:
    """The seeds' and the parameters' variance in (draw, replicate, value) rows. The outlook
    crosses draws with common seeds (replicate r has one seed in every draw), so the rows are a
    two-way table without replication, and a random-effects analysis of variance estimates
    without bias the parameters' part (the variance of the draws' means less the residual mean
    square over the seeds), the seeds' main part (likewise over the draws) and their
    interaction (the residual mean square, which no design can tell from the seeds' noise, so
    it counts as the seeds'). Returns (seeds' part, parameters' part); NaN without two draws of
    two seeds each."""
    table = values.pivot_table(index="draw", columns="replicate", values="value",
                               aggfunc="first").dropna()
    draws, seeds = table.shape
    if draws < 2 or seeds < 2:
        return np.nan, np.nan
    x = table.to_numpy(dtype=float)
    draw_means, seed_means, grand = x.mean(axis=1), x.mean(axis=0), x.mean()
    residual = x - draw_means[:, None] - seed_means[None, :] + grand
    interaction = float((residual**2).sum() / ((draws - 1) * (seeds - 1)))
    between = float(draw_means.var(ddof=1)) - interaction / seeds
    seed_main = float(seed_means.var(ddof=1)) - interaction / draws
    return max(seed_main, 0.0) + interaction, between


def variance_shares(values: pd.DataFrame) -> dict[str, float]:
    """The variance of one run's outcome split by the law of total variance over (draw,
    replicate) values: the seeds' part (within draws) and the uncertain parameters' (between
    draws), each estimated without bias (_components; the parameters' part is at least 0), so
    the two shares sum to 1. NaN where the values do not vary or there are not two draws of two
    seeds."""
    seeds, between = _components(values)
    total = seeds + max(between, 0.0)
    if not total > 0:
        return {"total_variance": total, "seeds": np.nan, "parameters": np.nan}
    return {"total_variance": total, "seeds": seeds / total,
            "parameters": max(between, 0.0) / total}


def variance_sources(values: pd.DataFrame) -> dict[str, float]:
    """The variance by source from a split outlook's (set, draw, replicate, value) rows: the
    shares of seeds and of all parameters from the joint draws (law of total variance, summing
    to 1), and within the parameters' share the model's parameters alone (set 1), the lever
    effects alone (set 2) and what they add only together (the rest: interaction and
    estimation error, which can be negative)."""
    joint = variance_shares(values[values["set"] == 0])
    total = joint["total_variance"]
    if not total > 0:
        return {**joint, "model": np.nan, "levers": np.nan, "together": np.nan}
    model = _components(values[values["set"] == 1])[1] / total
    levers = _components(values[values["set"] == 2])[1] / total
    return {**joint, "model": model, "levers": levers,
            "together": joint["parameters"] - model - levers}


def _equal_draws(mine: pd.DataFrame) -> pd.DataFrame:
    """Only the draws with every replicate (failed runs leave some short): the law of total
    variance needs equal draws."""
    counts = mine.groupby("draw").size()
    if counts.nunique() == 1:
        return mine
    return mine[mine["draw"].isin(counts[counts == counts.max()].index)]


def variance(results: SweepResults, year: int) -> pd.DataFrame:
    """Per scenario and target, the variance of the target's value in `year` and the shares due
    to seeds and to the uncertain parameters; for a split outlook also the parameters' share by
    source (`model`, `levers`, `together`: variance_sources)."""
    split = source_sets(results) > 1
    rows = []
    for target in TARGET_IDS:
        frame = _frame(results, target, year, every_set=split)
        for name, mine in frame.groupby("scenario", sort=False):
            if split:
                parts = [_equal_draws(mine[mine["set"] == s]) for s in range(len(SOURCES))]
                shares = variance_sources(pd.concat(parts))
            else:
                shares = variance_shares(_equal_draws(mine))
            rows.append({"scenario": name, "target": target, **shares})
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


def run_scale(results: SweepResults) -> float:
    """The smallest scale any run of the outlook used (its --scale, else its scenario files';
    the stored base scenario's where a file is gone)."""
    design = results.design()
    if "scale" in design:
        return float(design["scale"].astype(float).min())
    try:
        scales = [float(choice["scale"]) for choice in results.spec.choices]
    except ScenarioError:
        scales = []
    return min(scales) if scales else float(results.spec.base["scale"])


def summary(results: SweepResults, year: int) -> str:
    """The outlook in words: per scenario and target, P(met by `year`) with its interval and
    the share of the target's variance that the uncertain parameters explain. A target whose
    verdict the runs' scale does not give faithfully (docs/model.md 3.4.7) is marked *."""
    p = probabilities(results, year)
    scale = run_scale(results)
    unfaithful = [t for t in TARGET_IDS if not faithful_at(t, scale)]
    v = variance(results, year)
    draws = len(results.design()) // len(results.scenario_names()) // source_sets(results)
    lines = [f"P(target met by {year}) over {draws}"
             f" parameter draws x {results.replicates} seeds per scenario (95 % interval over "
             "draws); share of the target's variance from the uncertain parameters (rest: seeds)."
             " The parameters are drawn from their priors (lever effects and costs,"
             " docs/levers.md) or uniformly over their plausible ranges: assumptions."
             f" {len(held_assumptions(lists=True))} assumed parameters without a plausible range"
             " sit at their defaults in every run: their uncertainty is not counted here"
             " (clustersim screen, docs/outlook.md)."]
    posterior = posterior_of(results)
    if posterior:
        lines.append(f"The calibrated parameters are drawn jointly, as whole particles, from "
                     f"the posterior {posterior}.")
    split = "levers" in v.columns
    if split:
        lines.append("Within it: the model's parameters alone, the lever effects alone, and what "
                     "they add only together (interaction and estimation error).")
    for name in results.scenario_names():
        lines.append(f"\n{name}")
        for target in TARGET_IDS:
            row = p.loc[(name, target, year)]
            shares = v.loc[(name, target)]
            mark = "*" if target in unfaithful else ""
            text = (f"  {target + mark:<22} {row['p']:5.2f} [{row['low']:.2f}, "
                    f"{row['high']:.2f}]")
            if np.isnan(shares["parameters"]):
                lines.append(text + "   (no variance)")
                continue
            text += f"   parameters {shares['parameters']:4.0%}"
            if split:
                text += (f" (model {shares['model']:.0%}, levers {shares['levers']:.0%}, "
                         f"together {shares['together']:.0%})")
            lines.append(text)
    if unfaithful:
        lines.append(f"\n* not faithful at scale {scale:g}: the probability is the sampled "
                     "zone's, which a sample's biases move (docs/model.md 3.4.7, \"Which scale "
                     "for which target\"); --scale 1 gives every target's.")
    return "\n".join(lines)


def load_outlook(path: str | os.PathLike) -> SweepResults:
    """An outlook file (a sweep file whose design has a scenario factor)."""
    results = SweepResults(path)
    if not results.scenario_names():
        raise ScenarioError(f"{Path(path)}: not an outlook (its sweep compares no scenario "
                            "files); expected the output of clustersim outlook", key="file")
    return results
