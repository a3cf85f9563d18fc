"""Screening of the assumed parameters that the outlook holds at their defaults.

The outlook (clustersim.outlook) draws every parameter with a plausible range; a parameter whose
source says "assumed" and that has none stays at its default in every run, so its uncertainty is
not in the outlook's probabilities. This module measures how much each of them moves the
targets: a one-at-a-time sweep (design "points") that runs the scenario at the defaults and,
for each such parameter, at its default divided and multiplied by a factor (clipped to its valid
range), every point with the same seeds (common random numbers). `effects` reads the paired
differences from the defaults; docs/outlook.md reports them.

A few held parameters share a base-year figure with a parameter that was fitted or derived
against that figure at their default (`FIT_PARTNERS`): stepping one alone moves the base year
off its data, and the move it reports is that of a model refuted in 2022. By default a step
moves the partner with it so that the figure stays put (`hold_fit=False` steps it alone).

    clustersim screen scenarios/baseline.toml -o screen.h5 --scale 0.1 --until 2030 --seeds 2
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from clustersim import _core
from clustersim.errors import ScenarioError
from clustersim.scenario import Scenario, parameters
from clustersim.sweepfile import SweepSpec, points_sweep_lines
from clustersim.sweepresults import SweepResults

TARGETS = tuple(t["id"] for t in _core.target_catalogue())

# The entries of 2022, in the entry rate's units: the rate's own, those the spin-off rate
# makes (ENTRY_PER_SPINOFF x its rate) and those neither makes (incubator teams, seed entries:
# ENTRY_OTHER). The least-squares fit of registrations a day in 2022 (full scale, mean of seeds
# 1-2) at 8 pairs (entry rate, spin-off rate): 7.0 at (0, 0), 106.3 at (0.1, 0), 215.3 at
# (0.2, 0), 54.5 at (0, 0.005), 156.1 at the defaults (0.1, 0.005), 206.1 at (0.1, 0.01), 320.2
# at (0.2, 0.01), 202.6 at (0.05, 0.015); each within 3.5 % of the fit save (0, 0).
ENTRY_OTHER = 0.003
ENTRY_PER_SPINOFF = 9.3


def _entries(rate, spinoff):
    """The entries of 2022 in the entry rate's units (linear in both rates)."""
    return rate + ENTRY_OTHER + ENTRY_PER_SPINOFF * spinoff


# Partner -> (the parameters it was fitted or derived with at their defaults, the partner's
# multiplier for a move of theirs from `old` to `new`, each a tuple of values in that order)
# that keeps the base-year figure. The screening's steps (one key at a time) and the outlook's
# draws (outlook.joint_draws, all at once) both move the partner.
FIT_PARTNERS: dict[str, tuple[tuple[str, ...], Any]] = {
    # The zone's 2022 PCT applications fit the cost per patent: PCT = R&D / cost x share.
    "firms.rd.cost_per_patent_cny": (("firms.rd.pct_share",), lambda new, old: new[0] / old[0]),
    # The 2022 registrations a day derive the tracked share from the entries of 2022, which
    # are linear in the entry rate and the spin-off rate (_entries).
    "firms.entry.tracked_share": (("firms.entry.rate", "talent.spinoff_rate"),
                                  lambda new, old: _entries(*new) / _entries(*old)),
    # The base-year head counts are revenue / (revenue per employee x productivity), whose
    # mean rises with the lognormal's spread as exp(sd^2 / 2); the scale keeps them.
    "firms.revenue_per_employee_cny": (
        ("population.initial_productivity_sd",),
        lambda new, old: np.exp((new[0] ** 2 - old[0] ** 2) / 2)),
}


def partner_of(key: str) -> str | None:
    """The partner fitted with `key` (FIT_PARTNERS), or None."""
    return next((partner for partner, (keys, _) in FIT_PARTNERS.items() if key in keys), None)


def moved_partner(scenario: Scenario, key: str, value: float) -> tuple[str, float]:
    """The partner of `key` (FIT_PARTNERS) and its value once `key` moves from its value in
    `scenario` to `value`, the partner's other parameters staying at theirs."""
    partner = partner_of(key)
    keys, multiplier = FIT_PARTNERS[partner]
    old = tuple(float(scenario[k]) for k in keys)
    new = tuple(value if k == key else float(scenario[k]) for k in keys)
    return partner, float(scenario[partner] * multiplier(new, old))


def held_assumptions(*, lists: bool = False) -> list[dict[str, Any]]:
    """The parameters whose source begins with "assumed" and that have no plausible range:
    those the outlook holds at their defaults. Numbers and integers (what a screening steps);
    with `lists`, also the lists of numbers (an age table, one value per industry)."""
    kinds = ("number", "integer", "list of numbers") if lists else ("number", "integer")
    return [p for p in parameters()
            if str(p.get("source", "")).startswith("assumed") and not p.get("plausible")
            and p["type"] in kinds]


def steps(spec: dict[str, Any], factor: float) -> tuple[float | None, float | None]:
    """The values below and above a parameter's default: default / factor and default x factor,
    clipped to its valid range (integers rounded outward); None where a step is impossible (a
    zero default, or a default at the end of its range)."""
    default, low_end, high_end = spec["default"], spec["min"], spec["max"]
    if default == 0:
        return None, None
    low, high = sorted((default / factor, default * factor))
    if spec["type"] == "integer":
        low, high = math.floor(low), math.ceil(high)
    low = max(low, low_end) if low_end is not None else low
    high = min(high, high_end) if high_end is not None else high
    return (None if low == default else float(low)), (None if high == default else float(high))


@dataclass
class ScreeningSpec:
    """What a screening runs: one scenario file, the parameters stepped (default: every held
    assumption), the factor of each step, seeds per point and the sweep's fixed settings."""
    scenario: str
    factor: float = 2.0
    seeds: int = 2
    seed: int = 1
    scale: float | None = None
    until: int | None = None
    keys: list[str] | None = None
    hold_fit: bool = True
    skipped: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        if not (isinstance(self.factor, (int, float)) and self.factor > 1):
            raise ScenarioError(f"factor = {self.factor!r}; expected a number above 1",
                                key="factor", value=repr(self.factor),
                                expected="a number above 1")
        if isinstance(self.seeds, bool) or not isinstance(self.seeds, int) or self.seeds < 2:
            raise ScenarioError(f"seeds = {self.seeds!r}; expected a whole number of 2 or more "
                                "(the differences need a spread)", key="seeds",
                                value=repr(self.seeds), expected="a whole number >= 2")
        self.scenario = os.path.abspath(os.fspath(self.scenario))
        Scenario.load(self.scenario)   # a clear error naming the file, before anything runs
        known = {p["key"]: p for p in held_assumptions()}
        if self.keys is not None:
            for key in self.keys:
                if key not in known:
                    raise ScenarioError(f"{key!r} is not a held assumption; expected one of "
                                        f"clustersim.screening.held_assumptions()", key=key,
                                        value=key, expected="an assumed parameter the outlook "
                                        "does not draw")

    def partners(self) -> list[str]:
        """The partner parameters the design varies with the held ones (FIT_PARTNERS), after
        them; none without `hold_fit`."""
        if not self.hold_fit:
            return []
        keys = self.keys if self.keys is not None else [p["key"] for p in held_assumptions()]
        return sorted({partner_of(k) for k in keys} - {None})

    def points(self) -> tuple[list[str], list[list[float]], list[tuple[str, str]]]:
        """The keys (the held parameters, then their partners), the design points (point 0 the
        scenario's values, then each held key's steps) and each point's (key, "low" | "high").
        A step whose scenario does not validate (a bound that another parameter sets) is
        skipped, with why, in `skipped`."""
        specs = {p["key"]: p for p in held_assumptions()}
        base = Scenario.load(self.scenario)
        held = sorted(self.keys if self.keys is not None else specs)
        partners = self.partners()
        keys = held + partners
        defaults = [float(base[k]) for k in keys]
        points, labels = [list(defaults)], [("", "defaults")]
        self.skipped = {}
        for j, key in enumerate(held):
            spec = dict(specs[key], default=base[key])
            for side, value in zip(("low", "high"), steps(spec, self.factor)):
                if value is None:
                    self.skipped.setdefault(key, f"no {side} step from {base[key]!r}")
                    continue
                trial = base.copy()
                trial[key] = int(value) if spec["type"] == "integer" else value
                point = list(defaults)
                point[j] = value
                if partner_of(key) in partners:
                    partner, moved = moved_partner(base, key, value)
                    trial[partner] = moved
                    point[keys.index(partner)] = moved
                try:
                    trial.validate()
                except ScenarioError as error:
                    self.skipped.setdefault(key, f"{side} step {value!r}: {error}")
                    continue
                points.append(point)
                labels.append((key, side))
        return keys, points, labels

    def sweep_toml(self) -> str:
        keys, points, _ = self.points()
        lines = points_sweep_lines("screening", self.scenario, points, replicates=self.seeds,
                                   seed=self.seed, until=self.until, scale=self.scale)
        for key in keys:
            lines += ["[[sweep.vary]]", f'key = "{key}"']
        lines += ["[sweep.outcomes]", "targets = true"]
        return "\n".join(lines) + "\n"

    def sweep_spec(self, source: str) -> SweepSpec:
        return SweepSpec.from_toml(self.sweep_toml(), source=source)


def run_screening(spec: ScreeningSpec, output: str | os.PathLike, **sweep_options: Any
                  ) -> SweepResults:
    """Runs (or resumes) the screening into `output` (a sweep file)."""
    from clustersim.sweep import run_sweep
    output = os.fspath(output)
    return run_sweep(spec.sweep_spec(output + ".toml"), output, **sweep_options)


def _steps_of(results: SweepResults) -> list[tuple[str, str, float, float]]:
    """Each point after the first: (key, side, value, default), read from the design."""
    design = results.design()
    defaults = design.iloc[0]
    rows = []
    for p in range(1, len(design)):
        changed = [k for k in design.columns if design.iloc[p][k] != defaults[k]]
        key = changed[0]   # the held parameters come before their partners
        side = "low" if design.iloc[p][key] < defaults[key] else "high"
        rows.append((key, side, float(design.iloc[p][key]), float(defaults[key])))
    return rows


def effects(results: SweepResults, year: int, *, targets: tuple[str, ...] = TARGETS
            ) -> pd.DataFrame:
    """Each step's paired difference from the defaults in each target's value in `year`, with
    its 95 % t-interval over the seeds, and the change in the share of seeds that meet the
    target by then (`met_difference`). One row per (parameter, side, target); `moves` is True
    where the interval excludes 0. `relative` is the difference over the target's mean at the
    defaults."""
    steps_ = _steps_of(results)
    rows = []
    for target in targets:
        value = results.difference(target, year)
        met = results.difference(f"{target}_met", year)
        for p, (key, side, stepped, default) in enumerate(steps_, start=1):
            v = value.loc[p]
            base = v["reference_mean"]
            rows.append((key, side, default, stepped, target, base, v["difference"], v["low"],
                         v["high"], v["difference"] / base if base else np.nan,
                         bool(v["low"] > 0 or v["high"] < 0), met.loc[p, "difference"]))
    return pd.DataFrame(rows, columns=["parameter", "side", "default", "value", "target",
                                       "target_at_defaults", "difference", "low", "high",
                                       "relative", "moves", "met_difference"])


def _largest_per_parameter(table: pd.DataFrame, largest: str, moved_targets: str
                           ) -> pd.DataFrame:
    """Per parameter of an `effects`-like table: its default, the largest |relative| among the
    rows that move (0 if none) as column `largest`, that row in words, and the targets moved
    (column `moved_targets`); largest first."""
    rows = []
    for key, mine in table.groupby("parameter", sort=False):
        moved = mine[mine["moves"]]
        top = moved.loc[moved["relative"].abs().idxmax()] if len(moved) else None
        rows.append((key, float(mine["default"].iloc[0]),
                     float(abs(top["relative"])) if top is not None else 0.0,
                     f"{top['target']} {top['relative']:+.1%} ({top['side']})"
                     if top is not None else "",
                     ", ".join(sorted(set(moved["target"])))))
    return pd.DataFrame(rows, columns=["parameter", "default", largest, "largest",
                                       moved_targets]
                        ).sort_values(largest, ascending=False).reset_index(drop=True)


def ranking(results: SweepResults, year: int) -> pd.DataFrame:
    """Per parameter: the largest relative move of any target (either step) among the moves the
    seeds can tell from noise, the targets it moves, the targets whose verdict by `year` a
    step flips in every seed (met in all and in none, or the reverse: one seed's flip near a
    threshold is noise), and the largest move in the runs' first year (`base_year_move`: the
    year whose figures the calibration fitted, so a step that moves it is partly refuted by
    them); largest first."""
    table = effects(results, year)
    ranked = _largest_per_parameter(table, "largest_move", "targets_moved")
    flipped = table[table["met_difference"].abs() == 1].groupby("parameter")["target"].agg(
        lambda targets: ", ".join(sorted(set(targets))))
    ranked["verdicts_flipped"] = [flipped.get(key, "") for key in ranked["parameter"]]
    first = _largest_per_parameter(effects(results, results.years[0]), "move", "moved")
    ranked["base_year_move"] = ranked["parameter"].map(first.set_index("parameter")["largest"])
    return ranked


def _by_point_and_seed(results: SweepResults, name: str, year: int) -> pd.DataFrame:
    """An outcome in `year` as a table of design points (rows) by replicate (columns), over
    finished runs."""
    runs = results.runs()
    done = runs["status"] == "done"
    values = results.outcome(name)[year]
    return pd.DataFrame({"point": runs.loc[done, "point"], "replicate": runs.loc[done, "replicate"],
                         "value": values[done]}).pivot(index="point", columns="replicate",
                                                       values="value")


def policy_effect_shifts(with_policy: SweepResults, without_policy: SweepResults, year: int, *,
                         targets: tuple[str, ...] = TARGETS, level: float = 0.95
                         ) -> pd.DataFrame:
    """How each step changes the policy's effect: two screenings of the same design and seeds,
    one of a policy scenario and one of its counterfactual. Per seed, the effect is the policy
    run minus the counterfactual run at the same point; the shift is that effect at the step
    minus the effect at the defaults, averaged over seeds with a `level` t-interval. One row per
    (parameter, side, target); `moves` where the interval excludes 0; `relative` is the shift
    over the mean effect at the defaults."""
    from scipy import stats
    design = with_policy.design()
    if not design.equals(without_policy.design()) or \
            with_policy.runs()["seed"].tolist() != without_policy.runs()["seed"].tolist():
        raise ValueError(f"{with_policy.path} and {without_policy.path} are not screenings of "
                         "the same design and seeds; expected the same parameters, steps, "
                         "--seeds and --seed")
    steps_ = _steps_of(with_policy)
    rows = []
    for target in targets:
        effect = (_by_point_and_seed(with_policy, target, year) -
                  _by_point_and_seed(without_policy, target, year))
        at_defaults = effect.loc[0]
        for p, (key, side, stepped, default) in enumerate(steps_, start=1):
            shift = (effect.loc[p] - at_defaults).dropna().to_numpy()
            n = len(shift)
            mean = float(shift.mean()) if n else np.nan
            half = float(stats.t.ppf(0.5 + level / 2, n - 1) * shift.std(ddof=1) / np.sqrt(n)) \
                if n > 1 else np.nan
            base = float(at_defaults.mean())
            rows.append((key, side, default, stepped, target, base, mean, mean - half,
                         mean + half, mean / base if base else np.nan,
                         bool(mean - half > 0 or mean + half < 0)))
    return pd.DataFrame(rows, columns=["parameter", "side", "default", "value", "target",
                                       "effect_at_defaults", "shift", "low", "high", "relative",
                                       "moves"])


def policy_ranking(with_policy: SweepResults, without_policy: SweepResults, year: int
                   ) -> pd.DataFrame:
    """Per parameter: the largest relative shift of the policy's effect on any target (among
    the shifts the seeds tell from noise) and the targets whose effect it shifts; largest
    first."""
    table = policy_effect_shifts(with_policy, without_policy, year)
    return _largest_per_parameter(table[np.isfinite(table["relative"])], "largest_shift",
                                  "effects_shifted")
