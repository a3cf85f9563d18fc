"""Estimators for the stylised facts of CALIBRATION.md, measured on a results file.

Each function takes a `Results` object (``clustersim.load(path)``) and returns plain numbers, so
that tests, notebooks and docs/validation.md use the same measurements.

    python -m clustersim.validation out.h5     # prints every measurement
"""

from __future__ import annotations

import functools
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from clustersim import _core
from clustersim.results import Results, load


@dataclass
class ParetoFit:
    alpha: float   # CCDF exponent: P(R > x) ~ x^-alpha above x_min
    x_min: float   # fitted lower cut-off
    n_tail: int    # firms at or above x_min
    ks: float      # Kolmogorov-Smirnov distance of the fit


def pareto_tail(sizes: np.ndarray, min_tail: int = 100) -> ParetoFit:
    """Maximum-likelihood Pareto exponent with the cut-off that minimises the KS distance
    (Clauset, Shalizi & Newman 2009), over candidate cut-offs at quantiles 0.50-0.99."""
    x = np.sort(np.asarray(sizes, dtype=float))
    x = x[x > 0]
    best: ParetoFit | None = None
    for x_min in np.unique(np.quantile(x, np.linspace(0.5, 0.99, 50))):
        tail = x[x >= x_min]
        n = len(tail)
        if n < min_tail:
            continue
        alpha = n / np.sum(np.log(tail / x_min))
        empirical = np.arange(n, 0, -1) / n
        ks = float(np.max(np.abs(empirical - (tail / x_min) ** (-alpha))))
        if best is None or ks < best.ks:
            best = ParetoFit(float(alpha), float(x_min), n, ks)
    if best is None:
        raise ValueError(f"too few firms for a tail fit (need {min_tail})")
    return best


def annual_growth(results: Results, year: int) -> pd.DataFrame:
    """Log revenue growth from December `year - 1` to December `year` of firms alive at both,
    with their size at the start."""
    before = results.snapshot(year - 1).set_index("firm_id")
    after = results.snapshot(year).set_index("firm_id")
    common = before.index.intersection(after.index)
    start = before.loc[common, "revenue_cny"].to_numpy()
    growth = np.log(after.loc[common, "revenue_cny"].to_numpy() / start)
    return pd.DataFrame({"log_size": np.log(start), "growth": growth}, index=common)


def excess_kurtosis(values: np.ndarray) -> float:
    centred = np.asarray(values) - np.mean(values)
    return float(np.mean(centred**4) / np.mean(centred**2) ** 2 - 3.0)


def volatility_size_exponent(growth: pd.DataFrame, bins: int = 10) -> float:
    """beta in sd(growth | size) ~ size^-beta: slope of log sd against mean log size over
    size deciles."""
    groups = growth.groupby(pd.qcut(growth["log_size"], bins), observed=True)
    sd = groups["growth"].std()
    size = groups["log_size"].mean()
    return float(-np.polyfit(size.to_numpy(), np.log(sd.to_numpy()), 1)[0])


def hazard_table(age_months: pd.Series | np.ndarray, exited: pd.Series | np.ndarray,
                 max_age: int = 10) -> pd.Series:
    """The share of firms that exited, by completed years of age at the start (0 = in the first
    year of life; ages above ``max_age`` pooled): one firm-year per element."""
    age = np.minimum(np.asarray(age_months) // 12, max_age)
    return pd.Series(np.asarray(exited, dtype=bool)).groupby(age).mean()


def hazard_by_age(results: Results, year: int, max_age: int = 10) -> pd.Series:
    """Share of the firms alive in December `year - 1` that exited by December `year`, by
    completed years of age at the start (0 = in the first year of life)."""
    before = results.snapshot(year - 1)
    exited = ~before["firm_id"].isin(results.snapshot(year)["firm_id"])
    return hazard_table(before["age_months"], exited, max_age)


def talent_moves_by_distance(results: Results,
                             edges_km: tuple[float, ...] = (0, 10, 20, 40, 80)) -> pd.Series:
    """Mean talent moves per ordered pair of parks over the run, by distance band."""
    moves = results.series("park", "talent_moves").sum()
    parks = results.parks
    lat = np.radians(parks["latitude"])
    lon = np.radians(parks["longitude"])
    rows = []
    for (origin, destination), count in moves.items():
        if origin == destination:
            continue
        h = (np.sin((lat[destination] - lat[origin]) / 2) ** 2 +
             np.cos(lat[origin]) * np.cos(lat[destination]) *
             np.sin((lon[destination] - lon[origin]) / 2) ** 2)
        rows.append((2 * 6371.0 * np.arcsin(np.sqrt(min(1.0, h))), count))
    frame = pd.DataFrame(rows, columns=["km", "moves"])
    return frame.groupby(pd.cut(frame["km"], list(edges_km)), observed=True)["moves"].mean()


def gibrat_tail_slope(growth: pd.DataFrame, x_min: float) -> float:
    """OLS slope of annual log growth on log size among firms at or above `x_min` (the Pareto
    tail's cut-off): 0 where Gibrat's law holds."""
    tail = growth[growth["log_size"] >= np.log(x_min)]
    return float(np.polyfit(tail["log_size"], tail["growth"], 1)[0])


def closed_multiples(deals: pd.DataFrame) -> pd.DataFrame:
    """The deals of a deal table that are exited or written off, with their multiple (proceeds /
    cost)."""
    closed = deals[deals["status"] != "active"].copy()
    closed["multiple"] = closed["proceeds_cny"] / closed["amount_cny"]
    return closed


def top_share_of_proceeds(closed: pd.DataFrame, top: float = 0.06) -> float:
    """The share of all proceeds that the best `top` of the closed deals made (at least one)."""
    proceeds = closed["proceeds_cny"].sort_values(ascending=False)
    return float(proceeds.iloc[: max(1, round(len(proceeds) * top))].sum() / proceeds.sum())


def closed_deals(results: Results, year: int) -> pd.DataFrame:
    """Deals exited or written off by December `year`, with their multiple (proceeds / cost)."""
    return closed_multiples(results.snapshot(year, agents="deals"))


LISTED, ACQUIRED = 1, 2   # firms.exit_route (docs/model.md 3.3.19)


def exit_cases(deals: pd.DataFrame, routes: pd.Series) -> pd.DataFrame:
    """Exit cases (a fund leaving a firm, as Zero2IPO counts them: one per fund and firm however
    many rounds it joined) with their cost, proceeds and the firm's route, from a deal table and
    each firm's exit route (`routes`, by firm id; NaN where unknown)."""
    exited = deals[deals["status"] == "exited"]
    cases = exited.groupby(["fund", "firm"], as_index=False, observed=True)[
        ["amount_cny", "proceeds_cny"]].sum()
    cases["route"] = cases["firm"].map(routes)
    return cases


def exit_cases_by_route(deals: pd.DataFrame, routes: pd.Series) -> pd.Series:
    """The number of exit cases by the firm's route (NaN: unknown)."""
    return exit_cases(deals, routes)["route"].value_counts(dropna=False)


def exit_routes(results: Results, year: int) -> pd.Series:
    """Each firm's exit route (1 listed, 2 acquired) from the December snapshots up to `year`: a
    route never changes once taken, and a firm that later closed is still in the earlier ones."""
    routes: dict[int, int] = {}
    for snap_year in [y for y in results.snapshot_years() if y <= year]:
        firms = results.snapshot(snap_year)
        gone = firms[firms["exit_route"] != 0]
        routes.update(zip(gone["firm_id"].tolist(), gone["exit_route"].tolist()))
    return pd.Series(routes, dtype="float64")


@functools.lru_cache(maxsize=2)
def _exit_cases_of(results: Results, year: int) -> pd.DataFrame:
    """A run's exit cases up to December `year`: read once for both exit statistics (every
    December firm snapshot is read for the routes). Callers must not modify it."""
    return exit_cases(results.snapshot(year, agents="deals"), exit_routes(results, year))


def listing_share_of_exits(results: Results, year: int) -> float:
    """Listings' share of the exit cases by listing or acquisition up to December `year`. A firm
    that listed or was sold and closed within the same calendar year is in no snapshot, so its
    cases are left out (under 2 % of the cases at full scale)."""
    cases = _exit_cases_of(results, year)["route"].value_counts()
    listed, acquired = cases.get(LISTED, 0), cases.get(ACQUIRED, 0)
    return float(listed / (listed + acquired))


def listing_mean_multiple(results: Results, year: int) -> float:
    """Mean multiple (proceeds / cost) of the exit cases by listing up to December `year`, as
    Zero2IPO's average book return of listing exits."""
    cases = _exit_cases_of(results, year)
    listed = cases[cases["route"] == LISTED]
    return float((listed["proceeds_cny"] / listed["amount_cny"]).mean())


def _scaling_exponent(results: Results, name: str, years: list[int]) -> float:
    """Slope of log `name` summed over `years` on log employment in December of the last, across
    the parks where both are positive (Bettencourt et al. 2007's urban scaling, parks as places)."""
    flows = results.series("park", name)
    employees = results.series("park", "employees")
    by_park = pd.DataFrame({
        "flow": flows[np.isin(flows.index.year, years)].T.groupby(level=0).sum().sum(axis=1),
        "employees": employees[employees.index.year == years[-1]].iloc[-1]
        .groupby(level=0).sum()})
    by_park = by_park[(by_park["flow"] > 0) & (by_park["employees"] > 0)]
    return float(np.polyfit(np.log(by_park["employees"]), np.log(by_park["flow"]), 1)[0])


def patents_scaling_exponent(results: Results, year: int) -> float:
    """Slope of log patents granted in `year` on log employment in December, across parks
    (Bettencourt et al. 2007's urban scaling, with parks as places)."""
    return _scaling_exponent(results, "patents", [year])


def venture_capital_scaling_exponent(results: Results, year: int) -> float:
    """Slope of log venture capital invested in the five years to `year` on log employment in
    December of `year`, across parks. Five years, as a park's yearly rounds are few and lumpy."""
    return _scaling_exponent(results, "vc_invested_cny", list(range(year - 4, year + 1)))


def monthly_hires_per_talent(results: Results, year: int) -> float:
    """Hires in `year` per talent agent and month (a job-turnover rate)."""
    hires = results.series("park", "hires")
    talent = results.series("park", "talent")
    in_year = hires.index.year == year
    return float(hires[in_year].sum(axis=1).sum() / talent[in_year].sum(axis=1).sum())


def _near_over_far(results: Results, year: int) -> float:
    moves = talent_moves_by_distance(results)
    return float(moves.iloc[:2].mean() / moves.iloc[3])


def _closed_share(results: Results, year: int, test) -> float:
    return float(test(closed_deals(results, year)["multiple"]).mean())


def _top_share(results: Results, year: int) -> float:
    return top_share_of_proceeds(closed_deals(results, year))


EARLY_ROUNDS = ("seed", "A")   # Gastaud et al. 2019's early stage: seed, angel and A rounds


def _early_share(results: Results, year: int) -> float:
    deals = results.snapshot(year, agents="deals")
    return float(deals[deals["follow_on"] == 0]["round"].isin(EARLY_ROUNDS).mean())


def early_share_of_new_deals(deals: pd.DataFrame, first_year: int, last_year: int) -> float:
    """Seed and A rounds among the new deals (follow-ons excluded) made from January
    `first_year` to December `last_year` (a deal's `step`: January 2022 is 1)."""
    new = deals[deals["follow_on"] == 0]
    year = _core.base_year + (new["step"] - 1) // 12
    made = new.loc[(year >= first_year) & (year <= last_year), "round"]
    return float(made.isin(EARLY_ROUNDS).mean()) if len(made) else float("nan")


def _early_share_last_four_years(results: Results, year: int) -> float:
    # Past the base year's warm-up (its firms start without rounds) and the calibration's
    # window (2025-26) when `year` is 2030.
    return early_share_of_new_deals(results.snapshot(year, agents="deals"), year - 3, year)


def _hazard(age: int):
    return lambda results, year: float(hazard_by_age(results, year)[age])


# The statistics that tests/validation/facts.toml names: each takes a run's results and the
# year (December snapshots of `year - 1` and `year`, series of `year`) and returns one number.
STATISTICS = {
    "pareto_alpha": lambda r, y: pareto_tail(r.snapshot(y)["revenue_cny"]).alpha,
    "volatility_size_exponent": lambda r, y: volatility_size_exponent(annual_growth(r, y)),
    "growth_excess_kurtosis": lambda r, y: excess_kurtosis(annual_growth(r, y)["growth"]),
    "gibrat_tail_slope": lambda r, y: gibrat_tail_slope(
        annual_growth(r, y), pareto_tail(r.snapshot(y - 1)["revenue_cny"]).x_min),
    "hazard_age_0": _hazard(0),
    "hazard_age_1": _hazard(1),
    "hazard_age_2": _hazard(2),
    "hazard_peak_age": lambda r, y: float(hazard_by_age(r, y).idxmax()),
    "closed_deals_share_at_most_1x": lambda r, y: _closed_share(r, y, lambda m: m <= 1.0),
    "closed_deals_share_at_least_10x": lambda r, y: _closed_share(r, y, lambda m: m >= 10.0),
    "top_6pct_share_of_proceeds": _top_share,
    "listing_share_of_exits": listing_share_of_exits,
    "listing_mean_multiple": listing_mean_multiple,
    "seed_and_a_share_of_new_deals": _early_share,
    "seed_and_a_share_of_new_deals_last_4_years": _early_share_last_four_years,
    "talent_moves_near_over_far": _near_over_far,
    "monthly_hires_per_talent": monthly_hires_per_talent,
    "patents_scaling_exponent": patents_scaling_exponent,
}


def load_facts(path: str | os.PathLike) -> dict[str, Any]:
    """tests/validation/facts.toml, checked: every fact's statistic is known and its band is
    two-sided."""
    with open(path, "rb") as handle:
        facts = tomllib.load(handle)
    for fact in facts["fact"]:
        if fact["statistic"] not in STATISTICS:
            raise ValueError(f"{path}: fact {fact['id']}: unknown statistic "
                             f"{fact['statistic']!r}; expected one of {sorted(STATISTICS)}")
        low, high = fact["band"]
        if not low < high:
            raise ValueError(f"{path}: fact {fact['id']}: band {fact['band']} is not [low, high]")
    return facts


def measure_facts(facts: dict[str, Any], scenarios: str | os.PathLike, folder: str | os.PathLike,
                  threads: int = 2) -> pd.DataFrame:
    """Runs every scenario and seed that `facts` names (scenario files under `scenarios`, to
    December of its year, results in `folder`) and measures every fact's statistic: one row per
    (scenario, seed), one column per fact id."""
    from clustersim.scenario import Scenario
    from clustersim.simulation import Simulation
    year = int(facts["year"])
    rows = []
    for name in facts["scenarios"]:
        scenario = Scenario.load(Path(scenarios) / name)
        scenario["scale"] = float(facts["scale"])
        scenario["horizon_year"] = year
        scenario["output.talent_snapshots"] = False   # not measured; keeps the files small
        for seed in facts["seeds"]:
            path = Path(folder) / f"{Path(name).stem}-{seed}.h5"
            Simulation(scenario, seed=int(seed), threads=threads).run(output=path)
            results = load(path)
            row = {"scenario": Path(name).stem, "seed": int(seed)}
            row.update({f["id"]: STATISTICS[f["statistic"]](results, year)
                        for f in facts["fact"]})
            rows.append(row)
            os.remove(path)
    return pd.DataFrame(rows).set_index(["scenario", "seed"])


def known_failure(fact: dict[str, Any], scenario: str) -> str | None:
    """The docs/validation.md section that explains why `fact` fails in `scenario`, if it is a
    known failure there."""
    scenarios = fact.get("known_failure_scenarios")
    if scenarios is not None and scenario not in scenarios:
        return None
    return fact.get("known_failure")


def facts_table(facts: dict[str, Any], measured: pd.DataFrame) -> str:
    """docs/validation.md's table: every fact, its band, and the mean (seed range) measured in
    each scenario, with the verdict."""
    names = [Path(name).stem for name in facts["scenarios"]]
    lines = ["| fact (source) | kind | statistic | band | " +
             " | ".join(names) + " |", "|---" * (4 + len(names)) + "|"]
    for fact in facts["fact"]:
        low, high = fact["band"]
        cells = []
        for name, stem in zip(facts["scenarios"], names):
            values = measured.loc[stem, fact["id"]]
            mean = values.mean()
            verdict = "holds" if low <= mean <= high else (
                "known failure" if known_failure(fact, name) else "FAILS")
            cells.append(f"{mean:.4g} ({values.min():.4g} to {values.max():.4g}): {verdict}")
        text = f"{fact['fact']} ({fact['source']})".replace("|", "\\|")
        lines.append(f"| {text} | {fact['kind']} | "
                     f"`{fact['statistic']}` | [{low}, {high}] | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report(results: Results, year: int) -> str:
    """Every measurement, as text."""
    fit = pareto_tail(results.snapshot(year)["revenue_cny"])
    growth = annual_growth(results, year)
    hazard = hazard_by_age(results, year)
    moves = talent_moves_by_distance(results)
    lines = [
        f"file: {results.path} (seed {results.meta.get('seed')}, scale {results.meta.get('scale')})",
        f"Pareto tail of revenue, December {year}: alpha = {fit.alpha:.3f} above "
        f"{fit.x_min / 1e6:.0f} m CNY ({fit.n_tail} firms, KS {fit.ks:.4f})",
        f"annual log growth {year - 1}-{year}: excess kurtosis = "
        f"{excess_kurtosis(growth['growth']):.2f} ({len(growth)} firms)",
        f"volatility vs size: beta = {volatility_size_exponent(growth):.3f}",
        "exit rate by age (years): " + ", ".join(f"{int(a)}: {h:.3f}" for a, h in hazard.items()),
        "talent moves per park pair by distance: " +
        ", ".join(f"{band}: {value:.0f}" for band, value in moves.items()),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python -m clustersim.validation RESULTS.h5 [YEAR]\n"
              "       python -m clustersim.validation --facts FACTS.toml [SCENARIO_FOLDER]",
              file=sys.stderr)
        return 2
    if argv[0] == "--facts":
        # Every fact on every seed and scenario the file names: the table of docs/validation.md.
        import tempfile
        facts = load_facts(argv[1])
        with tempfile.TemporaryDirectory() as folder:
            measured = measure_facts(facts, argv[2] if len(argv) > 2 else "scenarios", folder)
        print(facts_table(facts, measured))
        return 0
    results = load(argv[0])
    year = int(argv[1]) if len(argv) > 1 else max(results.snapshot_years())
    print(report(results, year))
    return 0


if __name__ == "__main__":
    sys.exit(main())
