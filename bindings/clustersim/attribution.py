"""Each lever group's effect on each target, its cost and its effect per billion CNY, and how the
groups add up to the whole package (docs/levers.md, "Measured effects").

Reads a sweep whose factor is the scenario file (``scenarios/sweeps/lever-groups.toml``): a
reference scenario (the counterfactual), one scenario per group and the package, with common
random numbers (``seeds = "per_replicate"``), so every difference is paired by replicate.

    python -m clustersim.attribution lever-groups.h5 [--years 2025 2030]
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np
import pandas as pd

from clustersim import _core
from clustersim.outlook import POSTERIOR_COMMENT, joint_draws
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
                       base: str = "../no-new-policy.toml", draws: int = 0,
                       posterior: str | None = None) -> str:
    """A sweep that evaluates every prefix coalition of `orders` random orders of the twelve
    lever groups: a point per coalition, each group's levers at intensity 1 from 2023 when it is
    in, 0 otherwise, on the counterfactual, `replicates` common seeds.

    With `draws` > 0 each coalition runs at each of `draws` joint draws of the uncertain
    parameters (the outlook's: outlook.joint_draws from `seed`, the whole particles of
    `posterior` if given), the same draws for every coalition, so each marginal contribution is
    paired by draw and seed and the Shapley values carry the parameters' uncertainty."""
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 0:
        raise ValueError(f"draws = {draws!r}; expected a whole number >= 0")
    order = permutations(orders, seed)
    keys, drawn = [], np.empty((1, 0))
    if draws:
        keys, drawn = joint_draws(draws, seed, posterior)
    points = []
    for coalition in coalitions(order):
        on = {GROUPS[g] for g in coalition}
        levers = [1.0 if lever.split(".")[0] in on else 0.0 for lever in LEVERS]
        points += [levers + list(map(float, row)) for row in drawn]
    runs = f"{len(points) // len(drawn)} coalitions x {replicates}"
    if draws:
        runs = (f"{len(points) // len(drawn)} coalitions\n# x {draws} joint draws of the "
                f"uncertain parameters x {replicates}")
    lines = [f"{POSTERIOR_COMMENT}{os.path.abspath(posterior)}"] if draws and posterior else []
    lines += [f"# Shapley values of the twelve lever groups (docs/levers.md, \"Shapley\"): every",
              f"# prefix of {orders} random orders of the groups (seed {seed}), {runs}",
              "# common seeds. Generated by clustersim.attribution.shapley_sweep_toml; read with",
              "# python -m clustersim.attribution --shapley <sweep.h5>.",
              "[sweep]", f'name = "{SHAPLEY_NAME}-{orders}-{seed}"', f'base = "{base}"',
              f"seed = {seed}", f"replicates = {replicates}", 'seeds = "per_replicate"',
              'design = "points"', f"until = {until}",
              "points = [" + ",\n          ".join(
                  "[" + ", ".join(_toml_number(x) for x in p) + "]" for p in points) + "]",
              "", "[sweep.set]", f"scale = {scale!r}", "output.firm_snapshots = false",
              "output.talent_snapshots = false"]
    for key in [f"policy.{lever}.intensity" for lever in LEVERS] + keys:
        lines += ["", "[[sweep.vary]]", f'key = "{key}"']
    lines += ["", "[sweep.outcomes]", "targets = true",
              'series = [{ level = "city", name = "policy_cost_cny", reduce = "sum" }]']
    return "\n".join(lines) + "\n"


def _toml_number(x: float) -> str:
    """0 and 1 (intensities) as themselves, a drawn value with every digit it needs."""
    return f"{x:g}" if x in (0.0, 1.0) else repr(float(x))


def shapley_draws(results: SweepResults) -> int:
    """How many joint parameter draws each coalition of a Shapley sweep ran at (1 when the
    sweep held every parameter at its default)."""
    orders = _shapley_orders(results)
    return len(results.design()) // len(coalitions(orders))


def _shapley_orders(results: SweepResults) -> np.ndarray:
    name = results.meta.get("name", "")
    try:
        prefix, count, order_seed = name.rsplit("-", 2)
        if prefix != SHAPLEY_NAME:
            raise ValueError
        return permutations(int(count), int(order_seed))
    except ValueError:
        raise KeyError(f"{results.path}: not a Shapley sweep (its name is {name!r}; expected "
                       f"{SHAPLEY_NAME}-<orders>-<seed>, from shapley_sweep_toml)") from None


def _coalition_units(results: SweepResults, orders: np.ndarray
                     ) -> tuple[dict[frozenset[int], int], np.ndarray, int]:
    """The coalition index of each design point, each point's draw, and the number of draws.
    Points run coalition by coalition, each at every draw in the same order; KeyError naming
    the file if the design is not such a sweep's."""
    design = results.design()
    columns = [f"policy.{lever}.intensity" for lever in LEVERS]
    wanted = coalitions(orders)
    draws = len(design) // len(wanted)
    drawn = design.drop(columns=columns).to_numpy(dtype=float)
    index: dict[frozenset[int], int] = {}
    coalition_of = np.empty(len(design), dtype=int)
    for point, row in enumerate(design[columns].to_numpy()):
        on = frozenset(GROUPS.index(lever.split(".")[0])
                       for lever, x in zip(LEVERS, row) if x > 0)
        coalition_of[point] = index.setdefault(on, len(index))
    missing = [c for c in wanted if c not in index]
    if missing or len(design) != draws * len(wanted) or len(index) != len(wanted) or \
            not np.array_equal(coalition_of, np.repeat(np.arange(len(wanted)), draws)) or \
            not np.array_equal(drawn, np.tile(drawn[:draws], (len(wanted), 1))):
        raise KeyError(f"{results.path}: the sweep lacks {len(missing)} coalitions of its orders"
                       if missing else f"{results.path}: the design is not a Shapley sweep's "
                       "(every coalition at the same draws, coalition by coalition)")
    return index, np.arange(len(design)) % draws, draws


def _unit_table(results: SweepResults, outcome: str, year: int, draw_of: np.ndarray,
                coalition_of: np.ndarray, runs: pd.DataFrame | None = None) -> pd.DataFrame:
    """(draw, replicate) x coalition table of an outcome in a year over finished runs (`runs`:
    results.runs(), read once by a caller that builds many tables)."""
    runs = results.runs() if runs is None else runs
    done = (runs["status"] == "done").to_numpy()
    point = runs["point"].to_numpy()
    frame = pd.DataFrame({"draw": draw_of[point], "replicate": runs["replicate"].to_numpy(),
                          "coalition": coalition_of[point],
                          "value": results.outcome(outcome)[year].to_numpy(dtype=float)})[done]
    return frame.pivot(index=["draw", "replicate"], columns="coalition", values="value")


def shapley(results: SweepResults, years: list[int], *, level: float = 0.95,
            boot: int = 2000, seed: int = 1) -> pd.DataFrame:
    """Each lever group's Shapley value for each target and year from a Shapley sweep
    (shapley_sweep_toml): the mean over orders, parameter draws and seeds of its marginal
    contribution (paired per draw and seed), with a percentile interval from resampling orders,
    draws and seeds together (the permutation sampling, the parameters' uncertainty and the
    seed noise), and the share of the package's effect. The values add up to the package's
    effect (all groups against none) exactly. Over draws, `draw_low` and `draw_high` are the
    5th and 95th percentiles of the draws' own values (each over the orders and the seeds, so
    with their seed noise): how much a group's contribution depends on the parameters."""
    orders = _shapley_orders(results)
    index, draw_of, draws = _coalition_units(results, orders)
    coalition_of = np.repeat(np.arange(len(index)), draws)
    every = frozenset(range(len(GROUPS)))
    runs = results.runs()
    rng = np.random.default_rng(seed)
    rows = []
    for year in years:
        for target in TARGET_IDS:
            table = _unit_table(results, target, year, draw_of, coalition_of, runs)
            # Failed runs leave holes: keep a full grid of draws x seeds by dropping the draws
            # (or, without draws, the seeds) that lack a run.
            complete = table.notna().all(axis=1)
            level_name = "draw" if draws > 1 else "replicate"
            keep = complete.groupby(level=level_name).transform("all")
            table = table[keep.to_numpy()]
            n_draws = table.index.get_level_values("draw").nunique()
            marginals = shapley_values(orders, lambda c: table[index[c]].to_numpy())
            n_orders = len(orders)
            marginals = marginals.reshape(n_orders, len(GROUPS), n_draws, -1)
            # marginals: (orders, groups, draws, replicates)
            whole = float((table[index[every]] - table[index[frozenset()]]).mean())
            n_reps = marginals.shape[3]
            sums = np.empty((boot, len(GROUPS)))
            for b in range(boot):
                o = rng.integers(0, n_orders, n_orders)
                d = rng.integers(0, n_draws, n_draws)
                r = rng.integers(0, n_reps, n_reps)
                sums[b] = marginals[o][:, :, d][:, :, :, r].mean(axis=(0, 2, 3))
            low, high = np.quantile(sums, [(1 - level) / 2, (1 + level) / 2], axis=0)
            estimate = marginals.mean(axis=(0, 2, 3))
            per_draw = marginals.mean(axis=(0, 3))          # groups x draws
            spread = (np.quantile(per_draw, [0.05, 0.95], axis=1) if n_draws > 1
                      else np.full((2, len(GROUPS)), np.nan))
            for g, group in enumerate(GROUPS):
                rows.append((group, target, year, float(estimate[g]), float(low[g]),
                             float(high[g]), estimate[g] / whole if whole else np.nan,
                             float(spread[0, g]), float(spread[1, g]), n_draws, n_reps))
    return pd.DataFrame(rows, columns=["group", "target", "year", "shapley", "low", "high",
                                       "share_of_package", "draw_low", "draw_high", "draws",
                                       "replicates"]).set_index(["group", "target", "year"])


def shapley_markdown(results: SweepResults, years: list[int]) -> str:
    """The Shapley table of docs/levers.md: per year, each group's value [interval] per target,
    and over parameter draws the 5-95 % range of the draws' values."""
    values = shapley(results, years)
    draws = int(values["draws"].max())
    over = ("orders, parameter draws and seeds" if draws > 1 else "orders and seeds")
    out = []
    for year in years:
        out.append(f"\n**{year}** (Shapley value of each group: its mean marginal contribution "
                   f"over the sampled orders, paired per {'draw and ' if draws > 1 else ''}"
                   f"replicate [95 % interval over {over}]"
                   + ("; below it, 5-95 % of the draws' own values" if draws > 1 else "")
                   + ")\n")
        out.append("| group | " + " | ".join(TARGET_IDS) + " |")
        out.append("|---|" + "---|" * len(TARGET_IDS))
        for group in GROUPS:
            row = values.loc[group].xs(year, level="year")
            out.append(f"| {group} | " + " | ".join(
                f"{_number(r.shapley)} [{_number(r.low)}, {_number(r.high)}]"
                + (f"<br>{_number(r.draw_low)} to {_number(r.draw_high)}" if draws > 1 else "")
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
    parser.add_argument("sweep", nargs="?", help="a finished sweep file over scenario files, "
                        "or a Shapley sweep with --shapley")
    parser.add_argument("--years", type=int, nargs="+", default=[2025, 2030])
    parser.add_argument("--shapley", action="store_true",
                        help="the sweep is a Shapley sweep (shapley_sweep_toml): print the "
                        "groups' Shapley values")
    parser.add_argument("--write-shapley-sweep", metavar="TOML",
                        help="write a Shapley sweep file and stop (the positional argument "
                        "is ignored); its settings are the options below")
    shape = parser.add_argument_group("the Shapley sweep written by --write-shapley-sweep")
    shape.add_argument("--orders", type=int, default=6, help="random orders of the groups "
                       "(default 6)")
    shape.add_argument("--replicates", type=int, default=4, help="common seeds (default 4)")
    shape.add_argument("--draws", type=int, default=0,
                       help="joint draws of the uncertain parameters, the same for every "
                       "coalition (default 0: every parameter at its default)")
    shape.add_argument("--posterior", metavar="CSV", help="draw the calibrated parameters as "
                       "whole particles of this posterior (with --draws)")
    shape.add_argument("--scale", type=float, default=1.0, help="default 1 (full scale)")
    shape.add_argument("--until", type=int, default=2030, help="last year (default 2030)")
    shape.add_argument("--seed", type=int, default=1,
                       help="seed of the orders, the draws and the runs (default 1)")
    shape.add_argument("--base", default="../no-new-policy.toml",
                       help="the counterfactual, relative to the sweep file (default "
                       "../no-new-policy.toml, for a file in scenarios/sweeps/)")
    args = parser.parse_args(argv)
    if args.write_shapley_sweep:
        if args.posterior and not args.draws:
            parser.error("--posterior needs --draws")
        text = shapley_sweep_toml(orders=args.orders, seed=args.seed,
                                  replicates=args.replicates, until=args.until,
                                  scale=args.scale, base=args.base, draws=args.draws,
                                  posterior=args.posterior)
        with open(args.write_shapley_sweep, "w", encoding="utf-8") as out:
            out.write(text)
        return 0
    if args.sweep is None:
        parser.error("a sweep file is needed (or --write-shapley-sweep)")
    results = load_sweep(args.sweep)
    sys.stdout.write(shapley_markdown(results, args.years) if args.shapley
                     else markdown(results, args.years))
    return 0


if __name__ == "__main__":
    sys.exit(main())
