"""Policy search: the least-cost lever mix that reaches a chosen probability of a chosen set of
targets by a chosen year, robust over the outlook's uncertainty (docs/search.md).

The decision variables are lever intensities (a lever group's levers together, or single
levers) on a base scenario. Each candidate mix is judged by an outlook of its own (``outlook``):
the same joint draws of the uncertain parameters and the same seeds for every candidate (common
random numbers), so P(every chosen target met by the year) and the expected cumulative cost of
the levers are estimated on one sample and candidates differ only by their levers (a sample
average approximation of the chance constraint). The optimiser is Optuna's tree-structured
Parzen estimator with constraints (Watanabe 2023): sample-efficient where each evaluation costs
draws x seeds simulations, seeded, and deterministic when run sequentially.

Each candidate's outlook is a sweep file in the search directory, named by a digest of its
sweep, so a search that is stopped resumes where it stopped (the optimiser proposes the same
candidates again and their files are already whole) and a candidate proposed twice runs once.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from clustersim import _core
from clustersim._files import written_whole
from clustersim.errors import ScenarioError
from clustersim.scenario import Scenario

TARGET_IDS = [t["id"] for t in _core.target_catalogue()]
GROUPS = list(_core.lever_group_ids)
LEVERS = [lever["key"] for lever in _core.lever_catalogue()]
COST = "city.policy_cost_cny.sum"
SEARCH_FORMAT = "clustersim-search 1"


@dataclass
class Evaluation:
    """One candidate judged over the draws and seeds: the expected cumulative cost of the levers
    (CNY, from the policy's first year to the search year), P(every chosen target met by the
    year) with a 95 % interval over the draws, P per target, and the runs it counts."""
    cost_cny: float
    p_met: float
    p_low: float = math.nan
    p_high: float = math.nan
    p_by_target: dict[str, float] = field(default_factory=dict)
    runs: int = 0
    # The runs' margin at the required probability: the ceil(p n)-th largest over the runs of
    # each run's worst target's best distance above its threshold by the year (a fraction of
    # the threshold). P >= p exactly when it is >= 0, so it says how far a mix that misses P
    # is from it, where P alone is flat (often 0) and gives the optimiser nothing to follow.
    margin: float = math.nan


@dataclass
class SearchResult:
    """Every trial (one row each: the variables' values, cost, P and whether it meets the
    probability) and the least-cost feasible one (``best``; None where no trial reached the
    probability: then ``closest`` is the trial with the highest P, the cheapest among ties)."""
    trials: pd.DataFrame
    variables: list[str]
    probability: float
    best: dict[str, Any] | None
    closest: dict[str, Any]

    @property
    def feasible(self) -> bool:
        return self.best is not None


def _check_fraction(name: str, value: Any, *, low_open: bool = True) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not \
            (0 < value <= 1 if low_open else 0 <= value <= 1):
        raise ScenarioError(f"{name} = {value!r}; expected a probability in (0, 1]", key=name,
                            value=repr(value), expected="a number in (0, 1]")
    return float(value)


def least_cost(variables: list[str], evaluate: Callable[[dict[str, float]], Evaluation], *,
               probability: float, trials: int, high: float = 2.0, step: float = 0.25,
               seed: int = 1, start: list[dict[str, float]] | None = None,
               on_trial: Callable[[int, dict[str, Any]], None] | None = None) -> SearchResult:
    """Minimises the cost of `variables` (each in [0, `high`] by `step`) subject to
    P(met) >= `probability`, over `trials` evaluations with Optuna's constrained TPE sampler
    (seeded: the same problem gives the same trials). `start` lists points tried first (e.g.
    every variable at its highest: is the probability reachable at all?). A point proposed
    again is not evaluated again."""
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    probability = _check_fraction("probability", probability)
    cache: dict[tuple[float, ...], Evaluation] = {}
    rows: list[dict[str, Any]] = []

    def objective(trial: Any) -> float:
        values = {v: trial.suggest_float(v, 0.0, high, step=step) for v in variables}
        key = tuple(round(values[v], 9) for v in variables)
        if key not in cache:
            cache[key] = evaluate(values)
        result = cache[key]
        # Optuna's constraint: <= 0 is feasible; a mix that misses P is the further from it
        # the lower P and the runs' margin (a quantile reformulation of the chance
        # constraint: P(margin >= 0) >= p exactly when margin's (1 - p) quantile is >= 0).
        shortfall = probability - result.p_met
        if shortfall > 0 and math.isfinite(result.margin):
            shortfall += max(-result.margin, 0.0)
        trial.set_constraint("probability_shortfall", shortfall)
        row = {**values, "cost_cny": result.cost_cny, "p_met": result.p_met,
               "p_low": result.p_low, "p_high": result.p_high, "margin": result.margin,
               "feasible": result.p_met >= probability,
               **{f"p_{t}": p for t, p in result.p_by_target.items()}}
        rows.append(row)
        if on_trial is not None:
            on_trial(len(rows), row)
        return result.cost_cny

    with warnings.catch_warnings():
        # Multivariate TPE is marked experimental; it is what fits variables that act together.
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        sampler = optuna.samplers.TPESampler(
            seed=seed, multivariate=True, n_startup_trials=max(1, min(10, trials // 3)))
        study = optuna.create_study(direction="minimize", sampler=sampler)
        for point in start or []:
            study.enqueue_trial({v: float(point[v]) for v in variables})
        study.optimize(objective, n_trials=trials)
    table = pd.DataFrame(rows)
    table.index.name = "trial"
    feasible = table[table["feasible"]]
    best = None
    if len(feasible):
        best = feasible.sort_values(["cost_cny", "p_met"], ascending=[True, False],
                                    kind="stable").iloc[0].to_dict()
    closest = table.sort_values(["p_met", "cost_cny"], ascending=[False, True],
                                kind="stable").iloc[0].to_dict()
    return SearchResult(table, list(variables), probability, best, closest)


@dataclass
class SearchSpec:
    """What a policy search looks for and how each candidate is judged.

    base: scenario file the levers are set on (e.g. scenarios/no-new-policy.toml).
    targets: target ids that must all be met by `year` (docs/policy.md).
    probability: the chance of that required over the draws and seeds.
    levers: the decision variables: lever groups ("land": every lever of the group at one
      intensity) or single levers ("land.supply"); default every group.
    max_intensity, step: each variable's range [0, max_intensity] and grid step.
    start_year: the year the levers switch on (January).
    draws, seeds, seed, scale: each candidate's outlook (the same for every candidate).
    trials: candidates evaluated."""
    base: str
    targets: list[str]
    year: int
    probability: float = 0.8
    levers: list[str] | None = None
    max_intensity: float = 2.0
    step: float = 0.25
    start_year: int = 2023
    draws: int = 8
    seeds: int = 2
    seed: int = 1
    scale: float | None = None
    trials: int = 40
    posterior: str | None = None   # a calibration's joint posterior, drawn by every outlook

    def __post_init__(self) -> None:
        self.base = os.path.abspath(os.fspath(self.base))
        scenario = Scenario.load(self.base)   # a clear error naming the file first
        if self.posterior is not None:
            from clustersim.posterior import read_posterior
            self.posterior = os.path.abspath(os.fspath(self.posterior))
            read_posterior(self.posterior)   # likewise
        if not self.targets:
            raise ScenarioError("a search needs at least one target", key="targets",
                                value="[]", expected=f"target ids among {', '.join(TARGET_IDS)}")
        for target in self.targets:
            if target not in TARGET_IDS:
                raise ScenarioError(f"target {target!r} is unknown", key="targets",
                                    value=repr(target), expected=", ".join(TARGET_IDS))
        first, last = int(_core.base_year) + 1, int(scenario["horizon_year"])
        if isinstance(self.year, bool) or not isinstance(self.year, int) or \
                not first <= self.year <= last:
            raise ScenarioError(f"year = {self.year!r}; expected a year the base scenario "
                                f"projects ({first}-{last})", key="year", value=repr(self.year),
                                expected=f"a year in {first}-{last}")
        if not first <= self.start_year <= self.year:
            raise ScenarioError(f"start_year = {self.start_year!r}; expected a year from the "
                                f"base's start ({first}) to the search year ({self.year})",
                                key="start_year", value=repr(self.start_year))
        self.probability = _check_fraction("probability", self.probability)
        for name, value in (("max_intensity", self.max_intensity), ("step", self.step)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                    not 0 < value <= 10:
                raise ScenarioError(f"{name} = {value!r}; expected a positive intensity up to "
                                    "10", key=name, value=repr(value))
        if self.step > self.max_intensity:
            raise ScenarioError(f"step = {self.step!r}; expected at most max_intensity "
                                f"({self.max_intensity})", key="step", value=repr(self.step))
        for name, value in (("draws", self.draws), ("seeds", self.seeds),
                            ("trials", self.trials)):
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10_000:
                raise ScenarioError(f"{name} = {value!r}; expected a whole number in "
                                    "[1, 10000]", key=name, value=repr(value))
        self.variables()   # unknown levers fail here, before anything runs

    def variables(self) -> dict[str, list[str]]:
        """Each decision variable and the levers it sets."""
        names = self.levers if self.levers is not None else GROUPS
        if not names:
            raise ScenarioError("a search needs at least one lever or lever group",
                                key="levers", value="[]")
        out: dict[str, list[str]] = {}
        for name in names:
            if name in GROUPS:
                out[name] = [lever for lever in LEVERS if lever.split(".")[0] == name]
            elif name in LEVERS:
                out[name] = [name]
            else:
                raise ScenarioError(f"lever {name!r} is neither a lever group nor a lever",
                                    key="levers", value=repr(name),
                                    expected="a group (" + ", ".join(GROUPS) + ") or a lever "
                                    "such as land.supply (clustersim parameters)")
        taken = [lever for levers in out.values() for lever in levers]
        doubled = sorted({lever for lever in taken if taken.count(lever) > 1})
        if doubled:
            raise ScenarioError(f"levers {', '.join(doubled)} are set by two variables",
                                key="levers", value=repr(names),
                                expected="each lever in at most one group or lever named")
        return out

    def scenario_toml(self, values: dict[str, float]) -> str:
        """The base scenario with the variables' levers at their values from `start_year`."""
        lines = [f"base = {json.dumps(self.base)}", 'name = "search-candidate"']
        for variable, levers in self.variables().items():
            for lever in levers:
                lines += [f"[policy.{lever}]", f"intensity = {float(values[variable])!r}",
                          f"start_year = {self.start_year}"]
        return "\n".join(lines) + "\n"


STRICT = {t["id"] for t in _core.target_catalogue() if t["comparison"] == ">"}


def run_margins(best: pd.DataFrame, thresholds: dict[str, float]) -> pd.Series:
    """Each run's margin over the targets (columns of `best`: a target's best value by the
    year, per run): the worst target's distance above its threshold as a fraction of it. A
    target met only above its threshold (STRICT: "more than 100") misses it at equality."""
    scaled = []
    for t in best.columns:
        margin = (best[t] - thresholds[t]) / abs(thresholds[t]) if thresholds[t] else best[t]
        if t in STRICT:
            margin = margin.where(best[t] > thresholds[t], np.minimum(margin, -1e-12))
        scaled.append(margin)
    return pd.concat(scaled, axis=1).min(axis=1)


def margin_at(margins: np.ndarray, probability: float) -> float:
    """The ceil(p n)-th largest margin: >= 0 exactly when at least a share p of them are."""
    ordered = np.sort(np.asarray(margins, dtype=float))[::-1]
    if not len(ordered):
        return math.nan
    k = min(len(ordered), max(1, math.ceil(probability * len(ordered) - 1e-9)))
    return float(ordered[k - 1])


def _probability_met(results: Any, spec: SearchSpec) -> Evaluation:
    """P(every target met by the search year) over the finished runs of a one-scenario outlook,
    with a 95 % interval from resampling the draws (outlook._bootstrap), P per target, the
    runs' margin at the required probability and the mean cumulative cost to the year."""
    from clustersim.outlook import _bootstrap, _frame
    year, targets = spec.year, spec.targets
    frames = [_frame(results, f"{t}_met", year).set_index(["draw", "replicate"])["value"]
              for t in targets]
    each = pd.concat(frames, axis=1, keys=targets).dropna()
    every = each.min(axis=1).rename("value")
    by_draw = every.reset_index(level="replicate", drop=True)
    low, high = _bootstrap(by_draw, np.mean)
    # Each target's best value in any year to the search year ("met by the year").
    base = Scenario.load(spec.base)
    best = pd.concat([pd.concat([_frame(results, t, y).set_index(["draw", "replicate"])["value"]
                                 for y in results.years if y <= year], axis=1).max(axis=1)
                      for t in targets], axis=1, keys=targets).loc[each.index]
    margins = run_margins(best, {t: float(base[f"targets.{t}"]) for t in targets})
    runs = results.runs()
    done = (runs["status"] == "done").to_numpy()
    cost = results.outcome(COST)
    cost_to_year = cost[[y for y in results.years if y <= year]].sum(axis=1).to_numpy()[done]
    return Evaluation(cost_cny=float(cost_to_year.mean()), p_met=float(every.mean()),
                      p_low=float(low), p_high=float(high),
                      p_by_target={t: float(each[t].mean()) for t in targets},
                      runs=int(len(every)),
                      margin=margin_at(margins.to_numpy(), spec.probability))


class _Judge:
    """Evaluates candidates: writes each one's scenario and runs its outlook in the search
    directory (resuming a file already there), on one Dask client for the whole search."""

    def __init__(self, spec: SearchSpec, directory: str, client: Any, progress: bool):
        self.spec, self.directory, self.client, self.progress = spec, directory, client, progress

    def __call__(self, values: dict[str, float]) -> Evaluation:
        from clustersim.outlook import OutlookSpec, run_outlook
        spec = self.spec
        toml = spec.scenario_toml(values)
        outlook_key = f"{spec.draws} {spec.seeds} {spec.seed} {spec.scale!r} {spec.year}"
        if spec.posterior is not None:   # another posterior's draws are another candidate
            outlook_key += " " + hashlib.sha256(Path(spec.posterior).read_bytes()).hexdigest()
        digest = hashlib.sha256((toml + outlook_key).encode()).hexdigest()[:16]
        scenario = os.path.join(self.directory, f"candidate-{digest}.toml")
        if not os.path.exists(scenario):
            with written_whole(scenario) as handle:
                handle.write(toml)
        outlook = OutlookSpec([scenario], draws=spec.draws, seeds=spec.seeds, seed=spec.seed,
                              scale=spec.scale, until=spec.year, posterior=spec.posterior)
        results = run_outlook(outlook, os.path.join(self.directory, f"candidate-{digest}.h5"),
                              client=self.client, progress=self.progress)
        return _probability_met(results, spec)


def _check_directory(spec: SearchSpec, directory: str) -> None:
    """A search directory holds one search: refuse one whose spec differs (its candidates'
    files would mix two problems' trials in the record)."""
    record = os.path.join(directory, "search.json")
    if not os.path.exists(record):
        return
    try:
        stored = json.loads(Path(record).read_text())["spec"]
    except (OSError, ValueError, KeyError) as error:
        raise ScenarioError(f"{record}: not a search record ({error}); expected the "
                            "search.json that clustersim search writes", key="output") from None
    mine = json.loads(json.dumps(asdict(spec)))
    changed = sorted(k for k in set(stored) | set(mine) if stored.get(k) != mine.get(k))
    if changed:
        key = changed[0]
        raise ScenarioError(f"{directory} holds another search ({key} = {stored.get(key)!r}, "
                            f"now {mine.get(key)!r}); expected the same search to resume, or "
                            "a new directory", key=key, value=repr(mine.get(key)))


def run_search(spec: SearchSpec, directory: str | os.PathLike, *, client: Any = None,
               workers: int | None = None, scheduler: str | None = None,
               progress: bool = False,
               on_trial: Callable[[int, dict[str, Any]], None] | None = None) -> SearchResult:
    """Runs (or resumes) the search into `directory`: each candidate's scenario and outlook,
    ``search.json`` (the spec, every trial and the answer) and ``best.toml`` (the least-cost
    mix found, a scenario file to run) once it finishes."""
    from clustersim.sweep import _client
    directory = os.path.abspath(os.fspath(directory))
    os.makedirs(directory, exist_ok=True)
    _check_directory(spec, directory)
    variables = spec.variables()
    high = spec.max_intensity
    start = [{v: high for v in variables}]
    with _client(client, workers, scheduler) as dask_client:
        judge = _Judge(spec, directory, dask_client, progress)
        result = least_cost(list(variables), judge, probability=spec.probability,
                            trials=spec.trials, high=high, step=spec.step, seed=spec.seed,
                            start=start, on_trial=on_trial)
    answer = result.best if result.best is not None else result.closest
    record = {"format": SEARCH_FORMAT, "spec": asdict(spec), "feasible": result.feasible,
              "answer": answer, "trials": result.trials.reset_index().to_dict("records")}
    with written_whole(os.path.join(directory, "search.json")) as handle:
        handle.write(json.dumps(record, indent=1, default=float) + "\n")
    with written_whole(os.path.join(directory, "best.toml")) as handle:
        verdict = "reaches" if result.feasible else "comes closest to (does not reach)"
        handle.write(
            f"# The least-cost lever mix found by clustersim search that {verdict} P >= "
            f"{spec.probability:g} of {', '.join(spec.targets)} by {spec.year}\n"
            f"# (P = {answer['p_met']:.2f} over {spec.draws} draws x {spec.seeds} seeds; "
            f"{answer['cost_cny'] / 1e9:.1f} bn CNY {spec.start_year}-{spec.year}).\n"
            + spec.scenario_toml({v: answer[v] for v in variables}))
    return result


def summary(spec: SearchSpec, result: SearchResult) -> str:
    """The search's answer in words: the mix, its cost and P, and how many trials met P."""
    answer = result.best if result.best is not None else result.closest
    goal = (f"P(all of {', '.join(spec.targets)} met by {spec.year}) >= {spec.probability:g} "
            f"over {spec.draws} draws x {spec.seeds} seeds")
    feasible = int(result.trials["feasible"].sum())
    lines = [f"goal: {goal}",
             f"trials: {len(result.trials)}, {feasible} reached the probability"]
    if result.feasible:
        lines.append(f"least-cost mix found: {answer['cost_cny'] / 1e9:,.1f} bn CNY "
                     f"{spec.start_year}-{spec.year}, P = {answer['p_met']:.2f} "
                     f"[{answer['p_low']:.2f}, {answer['p_high']:.2f}]")
    else:
        lines.append(f"no trial reached it; closest: P = {answer['p_met']:.2f} "
                     f"[{answer['p_low']:.2f}, {answer['p_high']:.2f}] at "
                     f"{answer['cost_cny'] / 1e9:,.1f} bn CNY")
    for variable in result.variables:
        lines.append(f"  {variable:<28} intensity {answer[variable]:g}")
    return "\n".join(lines)


def load_search(directory: str | os.PathLike) -> dict[str, Any]:
    """The record a search wrote (``search.json``): spec, answer and every trial."""
    path = os.path.join(os.fspath(directory), "search.json")
    try:
        record = json.loads(Path(path).read_text())
    except (OSError, ValueError) as error:
        raise ScenarioError(f"{path}: cannot read a search record ({error})",
                            key="output") from None
    if record.get("format") != SEARCH_FORMAT:
        raise ScenarioError(f"{path}: format {record.get('format')!r}; expected "
                            f"{SEARCH_FORMAT!r}", key="format")
    record["trials"] = pd.DataFrame(record["trials"]).set_index("trial")
    return record


__all__ = ["Evaluation", "SearchResult", "SearchSpec", "least_cost", "load_search",
           "run_search", "summary"]
