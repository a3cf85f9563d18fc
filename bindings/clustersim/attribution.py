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


def _by_replicate(results: SweepResults, per_run: np.ndarray) -> pd.DataFrame:
    """(replicate x point) table of one value per run, over finished runs."""
    runs = results.runs()
    done = (runs["status"] == "done").to_numpy()
    frame = pd.DataFrame({"point": runs["point"][done], "replicate": runs["replicate"][done],
                          "value": per_run[done]})
    return frame.pivot(index="replicate", columns="point", values="value")


def _values(results: SweepResults, name: str, year: int) -> pd.DataFrame:
    """(replicate x point) table of an outcome in a year over finished runs."""
    return _by_replicate(results, results.outcome(name)[year].to_numpy(dtype=float))


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
    years = [y for y in results.years if y <= year]
    return _by_replicate(results, table[years].sum(axis=1).to_numpy())


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


GROUPS = list(_core.lever_group_ids)
LEVERS = [lever["key"] for lever in _core.lever_catalogue()]
SHAPLEY_NAME = "lever-shapley"


def permutations(count: int, seed: int, players: int = len(GROUPS)) -> np.ndarray:
    """`count` random orders of the players (rows), from `seed`: the permutations whose
    prefixes a Shapley sweep evaluates."""
    rng = np.random.default_rng(seed)
    return np.array([rng.permutation(players) for _ in range(count)], dtype=int)


def coalitions(orders: np.ndarray) -> list[frozenset[int]]:
    """Every prefix of every order (the empty and the full coalition included), each once, in
    first-seen order."""
    seen: dict[frozenset[int], None] = {frozenset(): None}
    for order in orders:
        for j in range(1, len(order) + 1):
            seen[frozenset(order[:j].tolist())] = None
    return list(seen)


def shapley_values(orders: np.ndarray, value) -> np.ndarray:
    """The permutation estimator of the Shapley values: for each order, each player's marginal
    contribution when it joins its predecessors, `value(coalition)` (an array: one value per
    replicate, say). Returns (orders, players, ...) marginals; their mean over orders is the
    estimate, exact when `orders` lists every permutation. Each order's marginals add up to
    value(all) - value(none)."""
    rows = []
    for order in orders:
        marginals = [None] * len(order)
        before = frozenset()
        for player in order:
            after = before | {int(player)}
            marginals[player] = np.asarray(value(after)) - np.asarray(value(before))
            before = after
        rows.append(marginals)
    return np.array(rows, dtype=float)


def shapley_sweep_toml(*, orders: int = 6, seed: int = 1, replicates: int = 4,
                       until: int = 2030, scale: float = 1.0,
                       base: str = "../no-new-policy.toml") -> str:
    """A sweep that evaluates every prefix coalition of `orders` random orders of the twelve
    lever groups: a point per coalition, each group's levers at intensity 1 from 2023 when it is
    in, 0 otherwise, on the counterfactual, `replicates` common seeds."""
    order = permutations(orders, seed)
    points = []
    for coalition in coalitions(order):
        on = {GROUPS[g] for g in coalition}
        points.append([1.0 if lever.split(".")[0] in on else 0.0 for lever in LEVERS])
    lines = [f"# Shapley values of the twelve lever groups (docs/levers.md, \"Shapley\"): every",
             f"# prefix of {orders} random orders of the groups (seed {seed}), "
             f"{len(points)} coalitions x {replicates}",
             "# common seeds. Generated by clustersim.attribution.shapley_sweep_toml; read with",
             "# python -m clustersim.attribution --shapley <sweep.h5>.",
             "[sweep]", f'name = "{SHAPLEY_NAME}-{orders}-{seed}"', f'base = "{base}"',
             f"seed = {seed}", f"replicates = {replicates}", 'seeds = "per_replicate"',
             'design = "points"', f"until = {until}",
             "points = [" + ",\n          ".join(
                 "[" + ", ".join(f"{x:g}" for x in p) + "]" for p in points) + "]",
             "", "[sweep.set]", f"scale = {scale!r}", "output.firm_snapshots = false",
             "output.talent_snapshots = false"]
    for lever in LEVERS:
        lines += ["", "[[sweep.vary]]", f'key = "policy.{lever}.intensity"']
    lines += ["", "[sweep.outcomes]", "targets = true",
              'series = [{ level = "city", name = "policy_cost_cny", reduce = "sum" }]']
    return "\n".join(lines) + "\n"


def shapley(results: SweepResults, years: list[int], *, level: float = 0.95,
            boot: int = 2000, seed: int = 1) -> pd.DataFrame:
    """Each lever group's Shapley value for each target and year from a Shapley sweep
    (shapley_sweep_toml): the mean over orders of its marginal contribution (paired per
    replicate), with a percentile interval from resampling orders and replicates together (the
    permutation sampling and the seeds), and the share of the package's effect. The values add
    up to the package's effect (all groups against none) exactly."""
    name = results.meta.get("name", "")
    try:
        prefix, count, order_seed = name.rsplit("-", 2)
        if prefix != SHAPLEY_NAME:
            raise ValueError
        orders = permutations(int(count), int(order_seed))
    except ValueError:
        raise KeyError(f"{results.path}: not a Shapley sweep (its name is {name!r}; expected "
                       f"{SHAPLEY_NAME}-<orders>-<seed>, from shapley_sweep_toml)") from None
    design = results.design()
    columns = [f"policy.{lever}.intensity" for lever in LEVERS]
    index = {}
    for point, row in enumerate(design[columns].to_numpy()):
        on = {lever.split(".")[0] for lever, x in zip(LEVERS, row) if x > 0}
        index[frozenset(GROUPS.index(g) for g in on)] = point
    missing = [c for c in coalitions(orders) if c not in index]
    if missing:
        raise KeyError(f"{results.path}: the sweep lacks {len(missing)} coalitions of its orders")
    rng = np.random.default_rng(seed)
    rows = []
    for year in years:
        for target in TARGET_IDS:
            table = _values(results, target, year).dropna()   # replicates x points
            marginals = shapley_values(orders, lambda c: table[index[c]].to_numpy())
            # marginals: (orders, groups, replicates)
            whole = float((table[index[frozenset(range(len(GROUPS)))]]
                           - table[index[frozenset()]]).mean())
            n_orders, _, n_reps = marginals.shape
            draws = np.empty((boot, len(GROUPS)))
            for b in range(boot):
                o = rng.integers(0, n_orders, n_orders)
                r = rng.integers(0, n_reps, n_reps)
                draws[b] = marginals[o][:, :, r].mean(axis=(0, 2))
            low, high = np.quantile(draws, [(1 - level) / 2, (1 + level) / 2], axis=0)
            estimate = marginals.mean(axis=(0, 2))
            for g, group in enumerate(GROUPS):
                rows.append((group, target, year, float(estimate[g]), float(low[g]),
                             float(high[g]), estimate[g] / whole if whole else np.nan))
    return pd.DataFrame(rows, columns=["group", "target", "year", "shapley", "low", "high",
                                       "share_of_package"]).set_index(["group", "target",
                                                                       "year"])


def shapley_markdown(results: SweepResults, years: list[int]) -> str:
    """The Shapley table of docs/levers.md: per year, each group's value [interval] per target."""
    values = shapley(results, years)
    out = []
    for year in years:
        out.append(f"\n**{year}** (Shapley value of each group: its mean marginal contribution "
                   "over the sampled orders, paired per replicate [95 % interval over orders "
                   "and seeds])\n")
        out.append("| group | " + " | ".join(TARGET_IDS) + " |")
        out.append("|---|" + "---|" * len(TARGET_IDS))
        for group in GROUPS:
            row = values.loc[group].xs(year, level="year")
            out.append(f"| {group} | " + " | ".join(
                f"{_number(r.shapley)} [{_number(r.low)}, {_number(r.high)}]"
                for r in row.loc[TARGET_IDS].itertuples()) + " |")
    return "\n".join(out) + "\n"


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
    parser.add_argument("sweep", help="a finished sweep file over scenario files, or a "
                        "Shapley sweep with --shapley")
    parser.add_argument("--years", type=int, nargs="+", default=[2025, 2030])
    parser.add_argument("--shapley", action="store_true",
                        help="the sweep is a Shapley sweep (shapley_sweep_toml): print the "
                        "groups' Shapley values")
    parser.add_argument("--write-shapley-sweep", metavar="TOML",
                        help="write a Shapley sweep file (6 orders, 4 seeds, full scale, to "
                        "2030) and stop; the positional argument is ignored")
    args = parser.parse_args(argv)
    if args.write_shapley_sweep:
        with open(args.write_shapley_sweep, "w", encoding="utf-8") as out:
            out.write(shapley_sweep_toml())
        return 0
    results = load_sweep(args.sweep)
    sys.stdout.write(shapley_markdown(results, args.years) if args.shapley
                     else markdown(results, args.years))
    return 0


if __name__ == "__main__":
    sys.exit(main())
