"""Each lever group's effect on each target, its cost and its effect per billion CNY, and how the
groups add up to the whole package (docs/levers.md, "Measured effects").

Reads a sweep whose factor is the scenario file (``scenarios/sweeps/lever-groups.toml``): a
reference scenario (the counterfactual), one scenario per group and the package, with common
random numbers (``seeds = "per_replicate"``), so every difference is paired by replicate.

    python -m clustersim.attribution lever-groups.h5 [--years 2025 2030]
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import pandas as pd

from clustersim import _core
from clustersim.sweepresults import SweepResults, load_sweep

TARGET_IDS = [t["id"] for t in _core.target_catalogue()]
COST = "city.policy_cost_cny.sum"


def _values(results: SweepResults, name: str, year: int) -> pd.DataFrame:
    """(replicate x point) table of an outcome in a year over finished runs."""
    runs = results.runs()
    done = (runs["status"] == "done").to_numpy()
    table = results.outcome(name)[year].to_numpy(dtype=float)
    frame = pd.DataFrame({"point": runs["point"][done], "replicate": runs["replicate"][done],
                          "value": table[done]})
    return frame.pivot(index="replicate", columns="point", values="value")


def _interval(d: np.ndarray, level: float) -> tuple[float, float, float]:
    from scipy import stats
    d = d[np.isfinite(d)]
    mean = float(d.mean()) if len(d) else np.nan
    if len(d) < 2:
        return mean, np.nan, np.nan
    half = float(stats.t.ppf(0.5 + level / 2, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d)))
    return mean, mean - half, mean + half


def _cumulative_cost(results: SweepResults, year: int) -> pd.DataFrame:
    """(replicate x point) fiscal cost of the levers from the first year to `year` (CNY)."""
    table = results.outcome(COST)
    runs = results.runs()
    done = (runs["status"] == "done").to_numpy()
    years = [y for y in results.years if y <= year]
    total = table[years].sum(axis=1).to_numpy()
    frame = pd.DataFrame({"point": runs["point"][done], "replicate": runs["replicate"][done],
                          "value": total[done]})
    return frame.pivot(index="replicate", columns="point", values="value")


def group_effects(results: SweepResults, years: list[int], *, reference: str = "no-new-policy",
                  level: float = 0.95) -> pd.DataFrame:
    """One row per (scenario, target, year) for every scenario but the reference: the paired
    difference from the reference (mean over replicates, `level` t-interval), the levers'
    cumulative fiscal cost to that year (bn CNY) and the effect per bn CNY."""
    names = results.scenario_names()
    ref = names.index(reference)
    rows = []
    for year in years:
        cost = _cumulative_cost(results, year)
        for target in TARGET_IDS:
            table = _values(results, target, year)
            for p, name in enumerate(names):
                if p == ref:
                    continue
                common = table[[ref, p]].dropna()
                mean, low, high = _interval((common[p] - common[ref]).to_numpy(), level)
                cost_bn = float((cost[p] - cost[ref]).mean()) / 1e9
                per_bn = mean / cost_bn if cost_bn > 0 else np.nan
                rows.append((name, target, year, len(common), float(common[ref].mean()), mean,
                             low, high, cost_bn, per_bn))
    return pd.DataFrame(rows, columns=["scenario", "target", "year", "pairs", "reference",
                                       "effect", "low", "high", "cost_bn", "effect_per_bn"]
                        ).set_index(["scenario", "target", "year"])


def interaction(results: SweepResults, years: list[int], *, reference: str = "no-new-policy",
                package: str = "baseline", level: float = 0.95) -> pd.DataFrame:
    """Per target and year: the package's effect, the sum of the groups' effects (every other
    scenario) and their difference, the interaction, with a paired interval (per replicate:
    package - reference - sum over groups of (group - reference))."""
    names = results.scenario_names()
    ref, pkg = names.index(reference), names.index(package)
    groups = [p for p in range(len(names)) if p not in (ref, pkg)]
    rows = []
    for year in years:
        for target in TARGET_IDS:
            table = _values(results, target, year).dropna()
            whole = (table[pkg] - table[ref]).to_numpy()
            parts = sum((table[p] - table[ref]).to_numpy() for p in groups)
            mean, low, high = _interval(whole - parts, level)
            rows.append((target, year, len(table), float(whole.mean()), float(parts.mean()),
                         mean, low, high))
    return pd.DataFrame(rows, columns=["target", "year", "pairs", "package", "sum_of_groups",
                                       "interaction", "low", "high"]).set_index(["target",
                                                                                 "year"])


def _number(x: float) -> str:
    if not np.isfinite(x):
        return "–"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3g}"


def markdown(results: SweepResults, years: list[int]) -> str:
    """The tables of docs/levers.md: effects with intervals and cost per group and target."""
    effects = group_effects(results, years)
    out = []
    for year in years:
        out.append(f"\n**{year}** (difference from no-new-policy, mean of "
                   f"{int(effects['pairs'].max())} paired replicates [95 % interval]; cost: "
                   f"the levers' fiscal cost 2022-{year}, bn CNY)\n")
        out.append("| scenario | cost bn | " + " | ".join(TARGET_IDS) + " |")
        out.append("|---|---|" + "---|" * len(TARGET_IDS))
        for name in dict.fromkeys(effects.index.get_level_values("scenario")):
            row = effects.loc[name].xs(year, level="year")
            cells = [f"{_number(r.effect)} [{_number(r.low)}, {_number(r.high)}]"
                     for r in row.loc[TARGET_IDS].itertuples()]
            out.append(f"| {name} | {_number(row['cost_bn'].iloc[0])} | " + " | ".join(cells)
                       + " |")
    last = years[-1]
    out.append(f"\nCost-effectiveness to {last}: each scenario's effect per bn CNY of its "
               "cost, for the targets whose interval excludes 0\n")
    out.append("| scenario | cost bn | effect per bn CNY |")
    out.append("|---|---|---|")
    for name in dict.fromkeys(effects.index.get_level_values("scenario")):
        row = effects.loc[name].xs(last, level="year")
        significant = [f"{t} {_number(r.effect_per_bn)}" for t, r in row.iterrows()
                       if (r.low > 0 or r.high < 0) and np.isfinite(r.effect_per_bn)]
        out.append(f"| {name} | {_number(row['cost_bn'].iloc[0])} | "
                   f"{'; '.join(significant) or 'none measurable'} |")
    inter = interaction(results, years)
    out.append("\nThe package against the sum of its groups (package − Σ groups: the "
               "interaction, [95 % interval])\n")
    out.append("| target | year | package | sum of groups | interaction |")
    out.append("|---|---|---|---|---|")
    for (target, year), r in inter.iterrows():
        out.append(f"| {target} | {year} | {_number(r.package)} | {_number(r.sum_of_groups)} | "
                   f"{_number(r.interaction)} [{_number(r.low)}, {_number(r.high)}] |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m clustersim.attribution",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("sweep", help="a finished sweep file over scenario files")
    parser.add_argument("--years", type=int, nargs="+", default=[2025, 2030])
    args = parser.parse_args(argv)
    results = load_sweep(args.sweep)
    sys.stdout.write(markdown(results, args.years))
    return 0


if __name__ == "__main__":
    sys.exit(main())
