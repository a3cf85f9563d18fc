"""Levers from evidence (docs/levers.md): every effect size names its source and prior, every
lever its time profile and cost, and the cost series adds up the budgets."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

import clustersim as cs
from clustersim import _core, outlook
from conftest import SCENARIOS

SCHEDULE = ("intensity", "start_year", "end_year", "effect_years", "half_life_years",
            "cost_cny_per_year")
LEVERS = [lever["key"] for lever in _core.lever_catalogue()]
GROUP_OF = {lever["key"]: lever["key"].split(".")[0] for lever in _core.lever_catalogue()}
# Settings of the evaluation and focus rules rather than effect sizes: whole numbers and the
# score's weights, which the outlook does not draw. Each still names its source.
RULE_SETTINGS = {"policy.evaluation.top_parks", "policy.evaluation.bottom_parks",
                 "policy.focus.max_named", "policy.evaluation.score_weights"}


def _effects() -> list[dict]:
    return [p for p in cs.parameters() if p["key"].startswith("policy.")
            and p["key"].rsplit(".", 1)[1] not in SCHEDULE]


def test_every_lever_effect_names_a_source_and_a_prior_centred_on_its_default():
    effects = _effects()
    # The 46 effect sizes and rule settings of the thirty levers, and the park administrations'
    # two responses to the ranking.
    assert len(effects) == 48
    for p in effects:
        assert not p["source"].startswith("assumed") or p["key"] == \
            "policy.evaluation.score_weights", p["key"]
        assert len(p["source"]) > 20, p["key"]
        if p["key"] in RULE_SETTINGS:
            continue
        prior = p["prior"]
        assert prior is not None, p["key"]
        # The default is the prior's centre: the median of a lognormal, the mean of a normal,
        # inside a uniform's range.
        if prior["distribution"] in ("lognormal", "normal"):
            assert p["default"] == pytest.approx(prior["a"]), p["key"]
        else:
            assert prior["a"] <= p["default"] <= prior["b"], p["key"]
        low, high = p["plausible"]
        assert low < p["default"] < high, p["key"]


def test_the_outlook_draws_a_prior_by_its_quantiles_and_its_range_is_the_90_percent_interval():
    for p in cs.parameters():
        if not p["prior"]:
            continue
        low, high = outlook.prior_quantiles(p["key"], np.array([0.05, 0.95]))
        assert (low, high) == pytest.approx(tuple(p["plausible"]), rel=1e-12), p["key"]
    median = outlook.prior_quantiles("policy.land.supply_growth", np.array([0.5]))[0]
    assert median == pytest.approx(0.01)


def test_every_lever_has_a_time_profile_and_a_cost_with_sources():
    specs = {p["key"]: p for p in cs.parameters()}
    temporary = set()
    for lever in LEVERS:
        cost = specs[f"policy.{lever}.cost_cny_per_year"]
        assert cost["default"] > 0 and cost["prior"]["distribution"] == "lognormal", lever
        assert len(cost["source"]) > 40 and len(specs[f"policy.{lever}.effect_years"]["source"]) \
            > 40, lever
        if specs[f"policy.{lever}.effect_years"]["default"] > 0:
            temporary.add(lever)
    # The growth-drift programmes are level effects built over a programme (docs/levers.md):
    # none of them shifts growth forever any more.
    for lever in ("industry.ic", "industry.biomedicine", "industry.ai_compute",
                  "cultivation.leader_packages", "cultivation.title_services",
                  "focus.leading_industries", "land.upstairs"):
        assert lever in temporary, lever


def _small(**overrides) -> cs.Scenario:
    sc = cs.Scenario.load(SCENARIOS / "baseline.toml")
    sc["scale"] = 0.01
    sc["horizon_year"] = 2027
    sc["output.firm_snapshots"] = False
    sc["output.talent_snapshots"] = False
    for key, value in overrides.items():
        sc[key] = value
    return sc


def test_the_cost_series_is_each_groups_budget_while_its_programmes_run():
    sc = _small(**{"policy.land.supply.intensity": 1.5})
    sim = cs.Simulation(sc, seed=2, threads=2).run()
    cost = sim.series("city", "policy_cost_cny")
    assert list(cost.columns) == list(_core.lever_group_ids)
    for year in range(2022, 2028):
        expected = dict.fromkeys(_core.lever_group_ids, 0.0)
        for lever in LEVERS:
            key = f"policy.{lever}"
            start, years = sc[f"{key}.start_year"], sc[f"{key}.effect_years"]
            runs = start <= year <= sc[f"{key}.end_year"] and (years == 0 or year - start < years)
            if runs:
                expected[GROUP_OF[lever]] += sc[f"{key}.intensity"] * \
                    sc[f"{key}.cost_cny_per_year"] / 12
        months = cost[cost.index.year == year]
        assert len(months) == 12
        for group, value in expected.items():
            if group == "evaluation" and year >= 2024:
                # From the first ranking (December 2023) parks below the mean add their own
                # effort (the next test checks it exactly).
                assert (months[group] > value).all(), year
                continue
            assert np.allclose(months[group], value, rtol=1e-12, atol=0), (year, group)
    # No new policy in 2022; the three-year upstairs programme stops paying after 2025.
    assert (cost[cost.index.year == 2022].to_numpy() == 0).all()
    land_2025 = cost["land"][cost.index.year == 2025].iloc[0]
    land_2026 = cost["land"][cost.index.year == 2026].iloc[0]
    assert land_2025 - land_2026 == pytest.approx(sc["policy.land.upstairs.cost_cny_per_year"]
                                                  / 12)


def _bits(sim: cs.Simulation) -> dict[str, bytes]:
    out = {s["name"]: sim._core.series_values(s["name"]).tobytes()
           for s in _core.series_catalogue()}
    out.update({f"city/{s['name']}": sim._core.city_series_values(s["name"]).tobytes()
                for s in _core.city_series_catalogue()})
    out["targets"] = sim._core.target_values()[1].tobytes()
    return out


def test_a_temporary_effect_is_the_same_run_as_a_schedule_that_ends_with_it():
    # The IC programme for two years from 2023 either way: its effect_years, or its end_year.
    ending = _small(**{"policy.industry.ic.effect_years": 0, "policy.industry.ic.end_year": 2024,
                       "policy.industry.ic.intensity": 3.0})
    temporary = _small(**{"policy.industry.ic.effect_years": 2, "policy.industry.ic.end_year": 2100,
                          "policy.industry.ic.intensity": 3.0})
    permanent = _small(**{"policy.industry.ic.effect_years": 0,
                          "policy.industry.ic.intensity": 3.0})
    a, b, c = (cs.Simulation(sc, seed=4, threads=2).run() for sc in (ending, temporary, permanent))
    assert _bits(a) == _bits(b)
    ic = [float(sim.series("zone", "revenue_cny")["IC"].iloc[-1]) for sim in (b, c)]
    assert ic[0] < ic[1], ic   # the permanent drift goes on raising IC revenue after 2024


def test_a_decaying_effect_lies_between_off_and_permanent():
    # Half-life one year: the IC drift at level 3, 1.5, 0.75, ... Same seed throughout, so the
    # ordering is the lever's, not noise.
    runs = {}
    for name, overrides in {"off": {"policy.industry.ic.intensity": 0.0},
                            "decaying": {"policy.industry.ic.intensity": 3.0,
                                         "policy.industry.ic.effect_years": 0,
                                         "policy.industry.ic.half_life_years": 1.0},
                            "permanent": {"policy.industry.ic.intensity": 3.0,
                                          "policy.industry.ic.effect_years": 0}}.items():
        sim = cs.Simulation(_small(**overrides), seed=4, threads=2).run()
        runs[name] = float(sim.series("zone", "revenue_cny")["IC"].iloc[-1])
    assert runs["off"] < runs["decaying"] < runs["permanent"], runs
    assert all(math.isfinite(v) for v in runs.values())


def test_notified_and_low_ranked_parks_run_their_own_programmes_harder_and_pay_for_it():
    # The evaluation lever alone (level 2 from 2022), upstairs off so that floor space grows by
    # the trend and the land-supply terms only. After the December 2022 evaluation a notified
    # park supplies land at effort e_N x 2, a park below the mean at e_R x 2, a priority park
    # gets the priority growth: each park's 2023 growth is exactly that.
    sc = cs.Scenario.load(SCENARIOS / "no-new-policy.toml")
    for key, value in {"scale": 0.05, "horizon_year": 2023, "output.firm_snapshots": False,
                       "output.talent_snapshots": False, "policy.land.upstairs_gain": 0.0,
                       "policy.evaluation.ranking.intensity": 2.0,
                       "policy.evaluation.ranking.start_year": 2022,
                       "policy.evaluation.notice_effort": 1.0,
                       "policy.evaluation.low_rank_effort": 0.5,
                       "policy.evaluation.bottom_parks": 3,
                       "policy.evaluation.fail_score": 0.0}.items():
        sc[key] = value
    sim = cs.Simulation(sc, seed=6, threads=2).run()
    # The December evaluation comes after the month is recorded: January shows its result.
    december = pd.Period("2022-12", freq="M")
    standing = sim.series("park", "standing").loc[december + 1]
    score = sim.series("park", "evaluation_score").loc[december + 1]
    floor = sim.series("park", "floor_space_m2")
    effort = {park: 1.0 if standing[park] == -1 else 0.5 if score[park] < 0 else 0.0
              for park in standing.index}
    assert sum(e == 1.0 for e in effort.values()) >= 1 and sum(e == 0.5 for e in
                                                               effort.values()) >= 1
    level = 2.0
    for park in standing.index:
        extra = sc["policy.land.supply_growth"] * effort[park] * level
        if standing[park] == 1:
            extra += sc["policy.evaluation.priority_floor_space_growth"] * level
        expected = (1 + sc["parks.floor_space_growth"]) * (1 + extra)
        growth = floor.loc[december + 12, park] / floor.loc[december, park]
        assert growth == pytest.approx(expected, rel=1e-9), park
    # The evaluation group pays its ranking and the parks' effort on the programmes they run,
    # at their share of the zone's floor space at the start of the month.
    programmes = sum(sc[f"policy.{lever}.cost_cny_per_year"] for lever in
                     ("land.supply", "land.standard_factories", "land.upstairs",
                      "incubation.upgrades"))
    cost = sim.series("city", "policy_cost_cny")["evaluation"]
    months = floor.index[floor.index.year == 2023]
    for month in months:
        start = floor.loc[month - 1]
        share = start / start.sum()
        effort_cost = sum(effort[park] * level * programmes * share[park] for park in effort)
        expected = (level * sc["policy.evaluation.ranking.cost_cny_per_year"] + effort_cost) / 12
        assert cost.loc[month] == pytest.approx(expected, rel=1e-9), month


def _sweep(design: str, key: str) -> str:
    base = json.dumps(str(SCENARIOS / "no-new-policy.toml"))
    return f"""
[sweep]
base = {base}
design = "{design}"
samples = 64
[[sweep.vary]]
key = "{key}"
distribution = "prior"
"""


def test_a_sweep_samples_a_parameter_from_its_prior():
    from clustersim.sweepfile import SweepSpec
    from clustersim.errors import ScenarioError
    spec = {p["key"]: p for p in cs.parameters()}["policy.land.supply_growth"]
    sweep = SweepSpec.from_toml(_sweep("latin_hypercube", "policy.land.supply_growth"),
                                source="prior.toml")
    factor = sweep.factors[0]
    low, high = factor.from_unit(np.array([0.05, 0.95]))
    assert (low, high) == pytest.approx(tuple(spec["plausible"]), rel=1e-9)
    assert factor.from_unit(np.array([0.5]))[0] == pytest.approx(spec["default"])
    # A Latin hypercube of 64 has one point in each 1/64 of the probability: its median is
    # within a stratum of the prior's.
    points = sweep.points()[:, 0]
    assert np.quantile(points, 0.5) == pytest.approx(spec["default"], rel=0.05)
    # Saltelli through SALib's lognormal: every draw positive, median near the prior's (the
    # N(D + 2) = 192 draws pin it within ~10 %).
    saltelli = SweepSpec.from_toml(_sweep("saltelli", "policy.land.supply_growth"),
                                   source="prior.toml").points()[:, 0]
    assert (saltelli > 0).all()
    assert np.median(saltelli) == pytest.approx(spec["default"], rel=0.1)
    with pytest.raises(ScenarioError, match="a parameter with a prior"):
        SweepSpec.from_toml(_sweep("latin_hypercube", "firms.growth.drift"), source="prior.toml")
