"""Group effects, costs and the interaction of the lever groups (clustersim.attribution)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from clustersim import attribution
from clustersim.sweep import run_sweep
from clustersim.sweepfile import SweepSpec
from conftest import SCENARIOS

NAMES = ["no-new-policy", "levers-land", "levers-finance", "baseline"]


@pytest.fixture(scope="module")
def groups(tmp_path_factory):
    files = [str(SCENARIOS / f"{name}.toml") for name in NAMES]
    text = f"""
[sweep]
name = "tiny-groups"
base = {json.dumps(files[0])}
seed = 3
replicates = 3
seeds = "per_replicate"
design = "full_factorial"
until = 2024
[sweep.set]
scale = 0.01
[[sweep.vary]]
key = "scenario"
values = {json.dumps(files)}
[sweep.outcomes]
targets = true
series = [{{ level = "city", name = "policy_cost_cny", reduce = "sum" }}]
"""
    path = tmp_path_factory.mktemp("attribution") / "groups.h5"
    return run_sweep(SweepSpec.from_toml(text, source="groups.toml"), path, client="inline")


def test_group_effects_are_the_paired_differences_and_costs_the_budgets(groups):
    effects = attribution.group_effects(groups, [2024])
    assert set(effects.index.get_level_values("scenario")) == set(NAMES[1:])
    # The same as SweepResults.difference, which is tested against SciPy.
    diff = groups.difference("talent", 2024)
    row = effects.loc[("baseline", "talent", 2024)]
    assert row["effect"] == pytest.approx(diff.loc[3, "difference"])
    assert (row["low"], row["high"]) == pytest.approx((diff.loc[3, "low"], diff.loc[3, "high"]))
    # Costs: the land group's budgets in 2023 and 2024 (its programmes all run then; no park
    # effort without the evaluation lever), nothing in the counterfactual.
    sc = __import__("clustersim").Scenario.load(SCENARIOS / "levers-land.toml")
    budget = sum(sc[f"policy.land.{lever}.cost_cny_per_year"]
                 for lever in ("supply", "standard_factories", "upstairs", "consolidation"))
    assert effects.loc[("levers-land", "talent", 2024), "cost_bn"] == pytest.approx(
        2 * budget / 1e9, rel=1e-9)
    per_bn = effects.loc[("levers-land", "talent", 2024)]
    assert per_bn["effect_per_bn"] == pytest.approx(per_bn["effect"] / per_bn["cost_bn"])


def test_the_interaction_is_the_package_less_the_sum_of_the_groups(groups):
    inter = attribution.interaction(groups, [2024]).loc[("pct", 2024)]
    values = attribution._values(groups, "pct", 2024)
    whole = values[3] - values[0]
    parts = (values[1] - values[0]) + (values[2] - values[0])
    assert inter["package"] == pytest.approx(whole.mean())
    assert inter["sum_of_groups"] == pytest.approx(parts.mean())
    assert inter["interaction"] == pytest.approx((whole - parts).mean())
    assert inter["low"] <= inter["interaction"] <= inter["high"]


def test_the_tables_name_every_scenario_and_target(groups, tmp_path, capsys):
    assert attribution.main([groups.path, "--years", "2024"]) == 0
    text = capsys.readouterr().out
    for name in NAMES[1:]:
        assert f"| {name} |" in text
    assert "| champions | 2024 |" in text and "interaction" in text
    assert np.isfinite(attribution.group_effects(groups, [2023])["cost_bn"]).all()


def test_shapley_values_of_a_toy_game_with_known_answers():
    # v(S) = sum of w_i over S, plus c when players 0 and 1 are both in: the Shapley values are
    # w_0 + c/2, w_1 + c/2 and w_i for the others. Every order of four players (24) gives
    # them exactly; each order's marginals add up to v(all) - v(none).
    import itertools
    w, c = np.array([1.0, 2.0, -0.5, 4.0]), 3.0

    def value(coalition):
        return np.array([sum(w[i] for i in coalition) + (c if {0, 1} <= coalition else 0.0)])
    orders = np.array(list(itertools.permutations(range(4))))
    marginals = attribution.shapley_values(orders, value)
    assert marginals.mean(axis=(0, 2)) == pytest.approx([w[0] + c / 2, w[1] + c / 2, w[2], w[3]])
    assert np.allclose(marginals.sum(axis=1)[:, 0], w.sum() + c)
    # Sampled orders cover every prefix once.
    sampled = attribution.permutations(3, seed=2, players=4)
    assert sorted(map(sorted, attribution.coalitions(sampled)))[0] == []
    assert len(attribution.coalitions(sampled)) <= 3 * 4 + 1


def test_the_shapley_values_of_a_real_sweep_add_up_to_the_package(tmp_path):
    text = attribution.shapley_sweep_toml(orders=2, seed=3, replicates=2, until=2023,
                                          scale=0.01,
                                          base=str(SCENARIOS / "no-new-policy.toml"))
    results = run_sweep(SweepSpec.from_toml(text, source=str(tmp_path / "s.toml")),
                        tmp_path / "shapley.h5", client="inline")
    values = attribution.shapley(results, [2023], boot=200)
    design = results.design()
    on = design[[f"policy.{k}.intensity" for k in attribution.LEVERS]].sum(axis=1)
    full, none = int(on.idxmax()), int(on.idxmin())
    for target in ("talent", "pct", "vc_share"):
        table = attribution._values(results, target, 2023)
        package = float((table[full] - table[none]).mean())
        total = values.xs((target, 2023), level=("target", "year"))["shapley"].sum()
        assert total == pytest.approx(package, rel=1e-9, abs=1e-9), target
    row = values.loc[("finance", "vc_share", 2023)]
    assert row["low"] <= row["shapley"] <= row["high"]
    assert "| finance |" in attribution.shapley_markdown(results, [2023])


@pytest.fixture(scope="module")
def shapley_over_draws(tmp_path_factory):
    """A Shapley sweep over 3 joint parameter draws x 2 seeds (2 orders, 1/100, to 2023)."""
    folder = tmp_path_factory.mktemp("shapley-draws")
    text = attribution.shapley_sweep_toml(orders=2, seed=3, replicates=2, until=2023,
                                          scale=0.01, draws=3,
                                          base=str(SCENARIOS / "no-new-policy.toml"))
    return run_sweep(SweepSpec.from_toml(text, source=str(folder / "s.toml")),
                     folder / "shapley.h5", client="inline")


def test_a_shapley_sweep_over_draws_runs_every_coalition_at_the_same_draws(shapley_over_draws):
    results = shapley_over_draws
    orders = attribution.permutations(2, 3)
    n = len(attribution.coalitions(orders))
    assert attribution.shapley_draws(results) == 3
    design = results.design()
    assert len(design) == 3 * n
    drawn = design.drop(columns=[f"policy.{k}.intensity" for k in attribution.LEVERS])
    assert "policy.finance.investment_loan_boost" in drawn and "city.outside_growth[0]" in drawn
    # The three draws differ from each other, and every coalition repeats them in order.
    assert len(drawn.iloc[:3].drop_duplicates()) == 3
    assert np.array_equal(drawn.to_numpy(), np.tile(drawn.iloc[:3].to_numpy(), (n, 1)))
    # The outlook's draws from the same seed: an outlook and its attribution share them.
    from clustersim.outlook import joint_draws
    keys, draws = joint_draws(3, 3)
    assert np.array_equal(drawn[keys].iloc[:3].to_numpy(), draws)


def test_shapley_values_over_draws_add_up_and_pair_by_draw_and_seed(shapley_over_draws):
    results = shapley_over_draws
    values = attribution.shapley(results, [2023], boot=200)
    design = results.design()
    on = design[[f"policy.{k}.intensity" for k in attribution.LEVERS]].sum(axis=1).to_numpy()
    runs = results.runs()
    for target in ("talent", "pct", "leading_share"):
        value = results.outcome(target)[2023].to_numpy(dtype=float)
        point = runs["point"].to_numpy()
        full = value[on[point] == on.max()]
        none = value[on[point] == 0]
        # Runs are ordered by point then replicate: draw d, seed r of the full coalition is
        # paired with the same draw and seed of the empty one.
        total = values.xs((target, 2023), level=("target", "year"))["shapley"].sum()
        assert total == pytest.approx((full - none).mean(), rel=1e-9, abs=1e-9), target
    row = values.loc[("talent", "talent", 2023)]
    assert row["low"] <= row["shapley"] <= row["high"]
    assert row["draw_low"] <= row["draw_high"] and (row["draws"], row["replicates"]) == (3, 2)
    # Per draw: the mean over orders and seeds of a group's marginals, by hand for one group.
    index, draw_of, _ = attribution._coalition_units(results, attribution.permutations(2, 3))
    table = attribution._unit_table(results, "talent", 2023, draw_of,
                                    np.repeat(np.arange(len(index)), 3))
    g = attribution.GROUPS.index("talent")
    per_draw = []
    for d in range(3):
        rows = table.xs(d, level="draw")
        marg = [rows[index[frozenset(o[:list(o).index(g) + 1].tolist())]]
                - rows[index[frozenset(o[:list(o).index(g)].tolist())]]
                for o in attribution.permutations(2, 3)]
        per_draw.append(np.mean(marg))
    assert row["shapley"] == pytest.approx(np.mean(per_draw))
    assert row["draw_low"] == pytest.approx(np.quantile(per_draw, 0.05))
    text = attribution.shapley_markdown(results, [2023])
    assert "parameter draws and seeds" in text and "5-95 % of the draws' own values" in text


def test_a_design_that_is_not_a_shapley_sweeps_is_refused(shapley_over_draws):
    results = shapley_over_draws
    orders = attribution.permutations(2, 3)

    class Shuffled:
        # The same file with two points of the second coalition's draws swapped.
        path = results.path

        @staticmethod
        def design():
            design = results.design()
            n = len(design)
            return design.iloc[[0, 1, 2, 4, 3, *range(5, n)]].reset_index(drop=True)
    with pytest.raises(KeyError, match="the design is not a Shapley sweep's"):
        attribution._coalition_units(Shuffled, orders)


def test_the_shapley_sweep_command_writes_the_draws(tmp_path):
    out = tmp_path / "s.toml"
    assert attribution.main(["--write-shapley-sweep", str(out), "--orders", "2", "--seed", "3",
                             "--draws", "2", "--replicates", "1", "--scale", "0.01",
                             "--base", str(SCENARIOS / "no-new-policy.toml")]) == 0
    spec = SweepSpec.from_toml(out.read_text(), source=str(out))
    assert len(spec.points()) == 2 * len(attribution.coalitions(attribution.permutations(2, 3)))
    with pytest.raises(ValueError, match="draws = -1"):
        attribution.shapley_sweep_toml(draws=-1)
