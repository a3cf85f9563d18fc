"""Policy levers, their schedules, the evaluation of parks, the city outside the zone and the
targets (docs/model.md, "Policy levers", "The city outside the zone", "Targets")."""

from __future__ import annotations

import functools

import clustersim as cs
import h5py
import numpy as np
import pandas as pd
import pytest
from clustersim import _core
from conftest import SCENARIOS, run_cli

LEVERS = [lever["key"] for lever in _core.lever_catalogue()]
TARGET_IDS = [t["id"] for t in _core.target_catalogue()]


def counterfactual(scale: float = 0.05, horizon: int = 2024, **overrides) -> cs.Scenario:
    sc = cs.Scenario.load(SCENARIOS / "no-new-policy.toml")
    sc["scale"] = scale
    sc["horizon_year"] = horizon
    sc["output.firm_snapshots"] = False
    sc["output.talent_snapshots"] = False
    for key, value in overrides.items():
        sc[key] = value
    return sc


def run(sc: cs.Scenario, seed: int = 1) -> cs.Simulation:
    return cs.Simulation(sc, seed=seed, threads=2).run()


# --- outcome measures
def zone_total(name):
    return lambda sim: float(sim.series("zone", name).to_numpy().sum())


def zone_december(name):
    return lambda sim: float(sim.series("zone", name).iloc[-1].sum())


def firms_where(column, select):
    def measure(sim):
        firms = sim.firms.to_frame()
        return float(firms[column][select(firms)].sum())
    return measure


def stage_revenue(*stages):
    return firms_where("revenue_cny", lambda f: f["stage"].isin(stages))


def named_industry_revenue(sim):
    revenue = sim.series("park", "revenue_cny").iloc[-1]
    return float(sum(revenue[(park, sector)] for park, row in sim.parks.iterrows()
                     for sector in row["leading_industries"].split(";") if sector))


def fund_count(kind):
    return lambda sim: float((sim.funds.to_frame(alive_only=False)["kind"] == kind).sum())


def mean_log(agents, column, select=lambda frame: slice(None)):
    def measure(sim):
        frame = getattr(sim, agents).to_frame()
        return float(np.log(frame[column][select(frame)]).mean())
    return measure


CROWDED = {"parks.initial_occupancy": 0.97}
# Crowding that lasts: with revenue per employee growing 6 % a year, head counts (and so
# occupancy) fall below the congestion onset within two years, before the first cohort of new
# incubatees is due; the relay shortens only a wait that crowding causes.
CROWDED_LASTING = {**CROWDED, "firms.revenue_per_employee_growth": 0.0}
# Pledge loans act on insolvency, which at the calibrated start-up burn (6.5 % of revenue) hardly
# happens in three years: a burn like the former assumption's makes the pathway bind.
FAST_BURN = {"firms.finance.startup_margin": -0.4}
FUNDS_TO_SPARE = {"vc.seek_rate": 0.5}


def base_year_leading_productivity(sim):
    """Mean log productivity of the leading-sector firms of the base year still alive: a fixed
    cohort, so that firms founded during the run (whose number the lever moves) do not dilute
    it."""
    frame = sim.firms.to_frame()
    cohort = (frame["sector"].astype(str) != "other") & (frame["age_months"] >= 36)
    return float(np.log(frame["productivity"][cohort]).mean())


# Each lever, the outcome its pathway in docs/model.md moves first, and the direction.
# (overrides applied to both runs, measure, sign)
CASES = {
    "evaluation.ranking": ({}, zone_december("floor_space_m2"), +1),
    "focus.leading_industries": ({}, named_industry_revenue, +1),
    "land.supply": ({}, zone_december("floor_space_m2"), +1),
    "land.standard_factories": (CROWDED, zone_total("entries"), +1),
    "land.upstairs": ({}, zone_december("floor_space_m2"), +1),
    "land.consolidation": (CROWDED, zone_december("revenue_cny"), +1),
    "cultivation.leader_packages": ({}, stage_revenue("large", "chain_leader"), +1),
    # Titled firms that gain drift also outgrow their title's revenue ceiling into `large`
    # (or `chain_leader`), so the stages they can reach are counted with the titles.
    "cultivation.title_services": ({}, stage_revenue("little_giant", "hidden_champion",
                                                     "unicorn", "large", "chain_leader"), +1),
    "cultivation.consortia": ({}, zone_total("innovations"), +1),
    "incubation.new_incubators": ({"policy.incubation.new_incubators_per_year": 20.0},
                                  zone_december("incubators"), +1),
    "incubation.upgrades": ({}, lambda sim: float(np.mean(sim.incubators.quality)), +1),
    "incubation.relay": (CROWDED_LASTING, zone_total("graduations"), +1),
    "incubation.proof_of_concept": ({}, zone_total("incubator_admissions"), +1),
    # Every firm ever incubated, graduates included: more productive teams graduate sooner, so
    # the incubatees of the moment alone are a selection the lever itself changes.
    "incubation.advance": ({}, mean_log("firms", "productivity",
                                        lambda f: f["incubated_months"] > 0), +1),
    "finance.government_fund": ({}, zone_total("vc_invested_cny"), +1),
    # Funds with deals to spare: at the calibrated seek rate (2 a year) the funds' deals for
    # the year run out, and an incubatee that seeks more often raises no more (docs/model.md).
    "finance.incubation_investment": (FUNDS_TO_SPARE,
                                      firms_where("vc_raised_cny",
                                                  lambda f: f["incubated_months"] > 0), +1),
    "finance.corporate_vc": ({}, fund_count("corporate"), +1),
    "finance.investment_loan": ({}, firms_where("revenue_cny", lambda f: f["vc_raised_cny"] > 0),
                                +1),
    "talent.training": ({}, zone_total("talent_arrivals"), +1),
    "talent.postdoc": ({}, lambda sim: float(np.mean(sim.talent.skill[sim.talent.alive])), +1),
    "talent.international": ({}, zone_total("talent_departures"), -1),
    "ip.protection": ({}, zone_total("patents"), +1),
    "ip.pledge_loans": (FAST_BURN, zone_total("exits"), -1),
    "open.innovation_centres": ({"firms.titles.chain_leader_min_revenue_cny": 1e9},
                                base_year_leading_productivity, +1),
    "open.choke_point": ({}, lambda sim: float(sim.series("zone", "innovations")[["IC", "AI"]]
                                               .to_numpy().sum()), +1),
    "industry.ic": ({}, lambda sim: float(sim.series("zone", "revenue_cny")["IC"].iloc[-1]), +1),
    "industry.biomedicine": ({}, lambda sim: float(sim.series(
        "city", "outside_leading_industries_cny")["biomedicine"].iloc[-1]), +1),
    "industry.ai_compute": ({}, lambda sim: float(sim.series("zone", "revenue_cny")["AI"]
                                                  .iloc[-1]), +1),
    "global.network": ({}, zone_total("talent_arrivals"), +1),
    "coordination.cross_park": ({}, zone_total("talent_moves"), +1),
}
# Count outcomes that need more than intensity 3 to show at 1/20 scale in three years. The
# consortia raise the innovation rate of large firms only (~170 agents at 1/20), and the zone's
# innovations count in steps of 20: at intensity 3 seeds 1 and 4 tie on and off (checked on seeds
# 1-8 with the venture network, 2026-12-07: +0 to +1.4 %), at 10 every seed shows +1.3 to +3.7 %.
STRONG = {"finance.corporate_vc": 10.0, "cultivation.consortia": 10.0}


@functools.cache
def _off(overrides: tuple) -> cs.Simulation:
    return run(counterfactual(**dict(overrides)))


def test_every_lever_has_a_direction_test():
    assert sorted(CASES) == sorted(LEVERS)


@pytest.mark.parametrize("lever", LEVERS)
def test_each_lever_moves_its_outcome_in_the_documented_direction(lever):
    # Same seed on and off (common random numbers), intensity 3 from the first month, three
    # years at 1/20 scale. Checked on seeds 1-8 while writing: the smallest relative effect was
    # +2 % (focus), against run-to-run differences of zero for an unaffected outcome, so the
    # sign is not luck of this seed.
    overrides, measure, sign = CASES[lever]
    off = _off(tuple(sorted(overrides.items())))
    sc = counterfactual(**overrides)
    sc[f"policy.{lever}.intensity"] = STRONG.get(lever, 3.0)
    sc[f"policy.{lever}.start_year"] = 2022
    on = run(sc)
    before, after = measure(off), measure(on)
    assert np.isfinite(before) and np.isfinite(after)
    assert (after - before) * sign > 0, (lever, before, after)


def _series_bits(sim: cs.Simulation) -> dict[str, bytes]:
    out = {name: sim._core.series_values(name).tobytes() for name in _core_names()}
    out.update({f"city/{s['name']}": sim._core.city_series_values(s["name"]).tobytes()
                for s in _core.city_series_catalogue()})
    out["targets"] = sim._core.target_values()[1].tobytes()
    for agents in ("firms", "talent", "incubators", "funds", "deals"):
        view = getattr(sim, agents)
        for column in view.columns:
            out[f"{agents}/{column}"] = np.asarray(getattr(view, column)).tobytes()
    return out


def _core_names() -> list[str]:
    return [s["name"] for s in _core.series_catalogue()]


def test_levers_at_their_neutral_value_change_nothing_bit_for_bit():
    # Every lever at intensity 0 with other schedules, and every effect size changed: the run is
    # the counterfactual to the bit (agents, series, city, targets).
    reference = run(counterfactual(scale=0.03))
    sc = counterfactual(scale=0.03)
    for lever in LEVERS:
        sc[f"policy.{lever}.intensity"] = 0.0
        sc[f"policy.{lever}.start_year"] = 2022
        sc[f"policy.{lever}.end_year"] = 2023
    changed = 0
    for spec in cs.parameters():
        key = spec["key"]
        if not key.startswith("policy.") or key.split(".")[-1] in ("intensity", "start_year",
                                                                  "end_year"):
            continue
        if spec["type"] == "number":
            sc[key] = min(spec["max"], spec["default"] * 1.5 + 0.1)
        elif spec["type"] == "integer":
            sc[key] = int(spec["min"]) if spec["default"] != spec["min"] else int(spec["max"])
        elif spec["type"] == "list of numbers":
            sc[key] = [x * 0.5 + 0.1 for x in spec["default"]]
        changed += 1
    assert changed >= 40
    neutral = run(sc)
    expected, found = _series_bits(reference), _series_bits(neutral)
    assert expected.keys() == found.keys()
    assert [k for k in expected if expected[k] != found[k]] == []


def test_a_lever_acts_only_inside_its_schedule():
    off = _off(())
    later = counterfactual(**{"policy.land.supply.intensity": 3.0,
                              "policy.land.supply.start_year": 2030})
    assert _series_bits(run(later)) == _series_bits(off)
    # On in 2022 only: floor space grows faster in 2022 (3 x policy.land.supply_growth 0.01 =
    # 3 % more), at the trend rate afterwards.
    once = counterfactual(**{"policy.land.supply.intensity": 3.0,
                             "policy.land.supply.start_year": 2022,
                             "policy.land.supply.end_year": 2022})
    space_on = run(once).series("zone", "floor_space_m2")["zone"]
    space_off = off.series("zone", "floor_space_m2")["zone"]
    growth = lambda s, y: s[f"{y}-12"] / s[f"{y - 1}-12"]
    assert space_on["2022-12"] > space_off["2022-12"] * 1.025
    assert growth(space_on, 2024) == pytest.approx(growth(space_off, 2024), rel=1e-12)


@pytest.mark.parametrize("lever", ["talent.training", "evaluation.ranking"])
def test_set_lever_between_steps_equals_the_same_schedule_in_the_scenario(lever, tmp_path):
    scheduled = counterfactual(**{f"policy.{lever}.intensity": 2.0,
                                  f"policy.{lever}.start_year": 2023})
    reference = run(scheduled)
    sim = cs.Simulation(counterfactual(), seed=1, threads=2)
    sim.step(12)
    sim.set_lever(lever, 2.0)
    assert sim.lever(lever) == {"intensity": 2.0, "start_year": 2023, "end_year": 2100}
    sim.run(output=tmp_path / "switched.h5")
    assert _series_bits(sim) == _series_bits(reference)
    with h5py.File(tmp_path / "switched.h5") as f:
        log = f.attrs["lever_changes"]
        log = log.decode() if isinstance(log, bytes) else log
    assert f"after step 12: policy.{lever} intensity=2 start_year=2023 end_year=2100" in log


def test_set_lever_rejects_unknown_levers_and_bad_values():
    sim = cs.Simulation(counterfactual(horizon=2022), seed=1)
    with pytest.raises(KeyError, match="did you mean 'land.supply'"):
        sim.set_lever("land.suply", 1.0)
    with pytest.raises(cs.ScenarioError, match="policy.land.supply.intensity"):
        sim.set_lever("land.supply", -1.0)
    with pytest.raises(cs.ScenarioError, match="end_year"):
        sim.set_lever("land.supply", 1.0, start_year=2025, end_year=2024)
    assert sim.lever("land.supply")["intensity"] == 0.0  # unchanged after the errors


# --- evaluation, removal and the city
@pytest.fixture(scope="module")
def removal_run():
    # Every bottom park fails (failing score above any score), so the last three parks of
    # December 2022 are notified and one of them, if among the last three again in 2023,
    # removed; land supply shows lost benefits.
    sc = counterfactual(scale=0.05, horizon=2025, **{
        "policy.evaluation.ranking.intensity": 1.0,
        "policy.evaluation.ranking.start_year": 2022,
        "policy.evaluation.fail_score": 10.0,
        "policy.evaluation.bottom_parks": 3,
        "policy.land.supply.intensity": 1.0,
        "policy.land.supply.start_year": 2022})
    return run(sc, seed=3)


def test_the_cli_explains_agents_of_removed_parks(tmp_path):
    # The same settings as removal_run, from the command line: the closing line reconciles the
    # agent count with the zone's firm count.
    sets = ["scale=0.05", "policy.evaluation.ranking.intensity=1.0",
            "policy.evaluation.ranking.start_year=2022", "policy.evaluation.fail_score=10.0",
            "policy.evaluation.bottom_parks=3"]
    args = [a for s in sets for a in ("--set", s)]
    result = run_cli("run", str(SCENARIOS / "no-new-policy.toml"), "-o", str(tmp_path / "r.h5"),
                     "--seed", "3", "--until", "2025", "-q", *args, check=True)
    r = cs.load(tmp_path / "r.h5")
    removed = int((r.series("park", "in_zone").iloc[-1] == 0).sum())
    assert removed >= 1
    in_zone = r.series("park", "in_zone").iloc[-1]
    firms = r.snapshot(2025)   # the living firms at the end, with their parks
    outside = int((~firms["park"].astype(str).map(in_zone.astype(bool))).sum())
    line = result.stdout.strip().splitlines()[-1]
    assert f"({outside:,d} of them in the {removed} park" in line, line
    assert "removed from the zone, outside its totals)" in line


def test_evaluation_removes_a_park_from_the_zone_totals(removal_run):
    sim = removal_run
    in_zone = sim.series("park", "in_zone")
    standing = sim.series("park", "standing")
    removed = [p for p in in_zone.columns if in_zone[p].iloc[-1] == 0]
    assert removed, "a park failing twice in a row loses its plaque"
    assert len(removed) < len(in_zone.columns)
    park = removed[0]
    for each in removed:
        # Notified at an earlier December, removed at the next; flags change only in January.
        assert standing[each].min() == -2 and (standing[each] == -1).any()
        assert in_zone.index[in_zone[each] == 0][0].month == 1
    # Zone totals leave the removed parks out from then on; the city counts them outside.
    gone = max(in_zone.index[in_zone[each] == 0][0] for each in removed)
    revenue = sim.series("park", "revenue_cny")
    zone = sim.series("zone", "revenue_cny")
    others = revenue.drop(columns=removed, level="park").T.groupby(level="sector").sum().T
    np.testing.assert_allclose(zone.loc[gone:].to_numpy(),
                               others[zone.columns].loc[gone:].to_numpy(), rtol=1e-12)
    city = sim.series("city", "leading_industries_cny")
    inside = sim.series("city", "zone_leading_industries_cny")
    outside = sim.series("city", "outside_leading_industries_cny")
    np.testing.assert_allclose(city.to_numpy(), (inside + outside).to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(inside.loc[gone:].to_numpy(),
                               zone[["IC", "biomedicine", "AI"]].loc[gone:].to_numpy(),
                               rtol=1e-12)
    # It loses the land lever: its floor space grows at the trend rate only.
    space = sim.series("park", "floor_space_m2")
    trend = sim.scenario["parks.floor_space_growth"]
    kept = next(p for p in in_zone.columns if in_zone[p].iloc[-1] == 1)
    last = space.index[-1]
    year_before = last - 12
    assert space[park][last] / space[park][year_before] == pytest.approx(1 + trend, rel=1e-9)
    assert space[kept][last] / space[kept][year_before] > 1 + trend + 0.01


def test_targets_equal_a_direct_computation_from_the_agent_arrays(removal_run):
    sim = removal_run
    p = sim.scenario
    targets = sim.targets()
    assert list(targets.index) == [2022, 2023, 2024, 2025]
    row = targets.loc[2025]
    scale = p["scale"]
    in_zone = sim.series("park", "in_zone").iloc[-1]  # December, before the evaluation
    zone_parks = [park for park in in_zone.index if in_zone[park] == 1]
    assert len(zone_parks) < 22  # the removed park is left out below
    firms = sim.firms.to_frame()
    firms = firms[firms["park"].isin(zone_parks)]
    leading = firms["sector"].isin(["IC", "biomedicine", "AI"])
    assert row["champions"] == pytest.approx(
        firms["stage"].isin(["hidden_champion", "unicorn"]).sum() / scale)
    talent = sim.talent.to_frame()
    assert row["talent"] == pytest.approx(
        (talent["park"].isin(zone_parks) & talent["sector"].isin(["IC", "biomedicine", "AI"]))
        .sum() / scale)
    incubators = sim.incubators.to_frame()
    assert row["hq_incubators"] == pytest.approx(
        (incubators["high_quality"] & incubators["park"].isin(zone_parks)).sum() / scale)
    # Revenue targets are annual totals: the mean of the year's monthly run rates (the series);
    # December's row of the series is the agent arrays' sum.
    months = sim.series("park", "in_zone").index.year == 2025
    revenue = sim.series("park", "revenue_cny")
    december = revenue.iloc[-1][zone_parks].groupby(level="park").sum()
    park_revenue = firms.groupby("park", observed=True)["revenue_cny"].sum() / scale
    park_revenue.index = park_revenue.index.astype(str)
    np.testing.assert_allclose(park_revenue[december.index].to_numpy(), december.to_numpy(),
                               rtol=1e-9)
    annual = revenue[months].mean()[zone_parks]
    assert row["trillion_parks"] == (annual.groupby(level="park").sum()
                                     >= p["targets.trillion_scale_cny"]).sum()
    named = {(park, s) for park, r in sim.parks.iterrows()
             for s in r["leading_industries"].split(";") if s}
    # Nuclear points count the revenue of firms founded in the run; December's series is the
    # agent arrays' sum over ids from first_new_firm_id on.
    new_firms = firms[firms["firm_id"] >= sim._core.first_new_firm_id]
    new_by_cell = new_firms.groupby(["park", "sector"], observed=True)["revenue_cny"].sum() / scale
    new_revenue = sim.series("park", "new_firm_revenue_cny")
    for (park, sector), value in new_by_cell.items():
        assert new_revenue.iloc[-1][(str(park), str(sector))] == pytest.approx(value, rel=1e-9)
    assert new_revenue.iloc[-1][zone_parks].sum() == pytest.approx(new_by_cell.sum(), rel=1e-9)
    assert new_by_cell.sum() > 0
    new_annual = new_revenue[months].mean()[zone_parks]
    assert row["nuclear_points"] == sum(
        1 for cell, v in new_annual.items()
        if cell in named and v >= p["targets.nuclear_point_cny"])
    zone_leading = annual[[c for c in annual.index if c[1] in ("IC", "biomedicine", "AI")]].sum()
    city_leading = sim.series("city", "leading_industries_cny")[months].mean().sum()
    assert row["leading_share"] == pytest.approx(zone_leading / city_leading, rel=1e-9)
    rd = sim.series("park", "rd_spending_cny")[months].mean()[zone_parks].sum()
    # Institutes and universities: the zone's share of the city's non-business R&D, grown.
    non_business = _non_business_rd(p, 2025)
    assert row["rd_intensity"] == pytest.approx(
        (rd + non_business) / (p["targets.value_added_ratio"] * annual.sum()), rel=1e-9)
    # Flows over the year, from the park series of months when each park was in the zone.
    mask = sim.series("park", "in_zone")[months]

    def zone_year(name):
        values = sim.series("park", name)[months]
        return float(sum((values[park].sum(axis=1) * mask[park]).sum() for park in mask.columns))
    # Registrations: the tracked entries are a fixed share of the zone's new tech firms.
    assert row["new_tech_firms"] == pytest.approx(
        zone_year("entries") / p["firms.entry.tracked_share"] / 365, rel=1e-9)
    assert row["pct"] == pytest.approx(zone_year("pct_applications"), rel=1e-9)
    city_vc = sim.series("city", "vc_invested_cny")["city"][months].sum()
    assert row["vc_share"] == pytest.approx(zone_year("vc_invested_cny") / city_vc, rel=1e-9)
    # Met flags and the first year met follow the thresholds.
    for target in TARGET_IDS:
        threshold = targets.attrs["thresholds"][target]
        strict = targets.attrs["comparison"][target] == ">"
        met = targets[target] > threshold if strict else targets[target] >= threshold
        assert (targets[f"{target}_met"] == met).all(), target
        first = targets.index[met]
        assert targets.attrs["first_met"][target] == (int(first[0]) if len(first) else None)


def test_thresholds_and_target_year_are_scenario_parameters():
    sc = counterfactual(scale=0.02, horizon=2023, **{"targets.pct": 1.0, "targets.year": 2023})
    sim = run(sc)
    targets = sim.targets()
    assert targets.attrs["thresholds"]["pct"] == 1.0
    assert targets["pct_met"].all()
    summary = sim.target_summary()
    assert list(summary.index) == TARGET_IDS
    assert summary.loc["pct", "first_met"] == 2022 and summary.loc["pct", "year"] == 2023
    # At 1/50 only the shares and counts of parks keep the full zone's verdict (docs/model.md,
    # "Which scale for which target"); the file says the same as the simulation.
    assert targets.attrs["scale"] == 0.02
    assert set(summary.index[summary["faithful"]]) == {
        "leading_share", "trillion_parks", "nuclear_points"}


def test_which_targets_a_scale_gives_faithfully():
    from clustersim._frames import faithful_at
    catalogue = {t["id"]: t["faithful_scale"] for t in _core.target_catalogue()}
    assert set(catalogue.values()) == {1.0, 0.1, 0.01}
    for target, smallest in catalogue.items():
        assert faithful_at(target, 1.0)
        assert faithful_at(target, smallest) and not faithful_at(target, smallest * 0.99)
    assert {t for t in catalogue if faithful_at(t, 0.1)} == set(catalogue) - {
        "hq_incubators", "new_tech_firms"}


def test_the_city_starts_at_the_zone_share_and_is_in_the_file(tmp_path):
    sc = counterfactual(scale=0.02, horizon=2023)
    sim = cs.Simulation(sc, seed=2, threads=2)
    sim.run(output=tmp_path / "city.h5")
    results = cs.load(tmp_path / "city.h5")
    for series in _core.city_series_catalogue():
        pd.testing.assert_frame_equal(results.series("city", series["name"]),
                                      sim.series("city", series["name"]))
    pd.testing.assert_frame_equal(results.targets(), sim.targets())
    assert results.targets().attrs == sim.targets().attrs
    share = sim.targets()["leading_share"]
    # The region outside is sized from the base year; one month of growth on either side moves
    # the January share by well under a percentage point.
    first = (sim.series("city", "zone_leading_industries_cny").iloc[0]
             / sim.series("city", "leading_industries_cny").iloc[0])
    for industry, key in (("IC", "ic"), ("biomedicine", "biomedicine"), ("AI", "ai")):
        assert first[industry] == pytest.approx(sc[f"population.zone_{key}_share"], abs=0.01)
    assert share.between(0, 1).all()
    assert (sim.series("city", "outside_talent").to_numpy() > 0).all()


# --- scenario files and the CLI
def _levers_on(path) -> dict[str, dict]:
    # The values the file sets, with those of the scenario it builds on (`base = ...`).
    tree = cs.Scenario.load(path).to_dict()
    on = {}
    for group, levers in tree.get("policy", {}).items():
        for name, schedule in levers.items():
            if isinstance(schedule, dict) and schedule.get("intensity", 0) > 0:
                on[f"{group}.{name}"] = schedule
    return on


def test_scenario_files_say_what_they_represent_and_set_their_levers():
    groups = sorted({lever.split(".")[0] for lever in LEVERS})
    for name in ["baseline", "no-new-policy", "all-levers-strong", "small"] + \
            [f"levers-{g}" for g in groups]:
        path = SCENARIOS / f"{name}.toml"
        assert path.read_text(encoding="utf-8").startswith("# "), name
        cs.Scenario.load(path).validate()
    assert _levers_on(SCENARIOS / "no-new-policy.toml") == {}
    for name, intensity in (("baseline", 1.0), ("small", 1.0), ("all-levers-strong", 2.0)):
        on = _levers_on(SCENARIOS / f"{name}.toml")
        assert sorted(on) == sorted(LEVERS), name
        assert all(s == {"intensity": intensity, "start_year": 2023} for s in on.values())
    for group in groups:
        on = _levers_on(SCENARIOS / f"levers-{group}.toml")
        assert sorted(on) == sorted(l for l in LEVERS if l.startswith(group + "."))


def test_cli_summary_shows_every_target_for_the_baseline(tmp_path):
    out = tmp_path / "baseline.h5"
    result = run_cli("run", str(SCENARIOS / "baseline.toml"), "-o", str(out), "--set",
                     "scale=0.01", "--until", "2025", "--seed", "2", check=True)
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("target"))
    assert "threshold" in lines[header] and "value 2025" in lines[header]
    shown = [line.split()[0] for line in lines[header + 2: header + 2 + len(TARGET_IDS)]]
    assert shown == TARGET_IDS
    assert cs.load(out).targets().index.tolist() == [2022, 2023, 2024, 2025]


def _non_business_rd(p, year):
    """The zone's institutes' and universities' R&D in `year`, from the scenario's keys."""
    return (p["targets.city_rd_cny"] * (1 - p["targets.city_business_rd_share"])
            * p["targets.zone_non_business_rd_share"]
            * (1 + p["targets.non_business_rd_growth"]) ** (year - cs.BASE_YEAR))


@functools.cache
def _run_to_2025(name, seed=3):
    """A scenario at 1/20 scale, seed 3 unless named, run to 2025 (shared by the tests below)."""
    sc = cs.Scenario.load(SCENARIOS / name)
    sc["scale"] = 0.05
    return cs.Simulation(sc, seed=seed, threads=2).run(until=2025)


def test_every_target_is_moved_by_the_levers():
    # docs/model.md, "Which levers move each target": every lever strong against none, 1/10
    # scale, the mean of seeds 1-3 in 2030. With the effect sizes from evidence
    # (docs/levers.md) and the calibrated defaults the measured gaps are 5-66 % (the smallest:
    # new tech firms 264 -> 277, champions 100 -> 110), so three fixed seeds suffice; a target
    # that no lever reaches any more fails. Nuclear points are 0 either way by 2030 at this
    # scale: the levers raise young firms' revenue only a few per cent (next test), a finding of
    # docs/levers.md. High-quality incubators are met without the levers (below).
    # Trillion-yuan parks are a count: at the calibrated drift the third park's revenue in 2030
    # is 0.84-0.91 trn CNY without the levers and 0.92-0.97 with them (seeds 1-3), so the count
    # is 2 either way in 2030 and moves (2 -> 3) in 2035, where it is checked.
    means = {}
    for name in ("no-new-policy", "all-levers-strong"):
        runs = []
        for seed in (1, 2, 3):
            sc = cs.Scenario.load(SCENARIOS / f"{name}.toml")
            sc["scale"] = 0.1
            sc["horizon_year"] = 2035
            sc["output.firm_snapshots"] = False
            sc["output.talent_snapshots"] = False
            targets = run(sc, seed).targets()
            at = targets.loc[2030, TARGET_IDS].copy()
            at["trillion_parks"] = targets.loc[2035, "trillion_parks"]
            runs.append(at)
        means[name] = sum(runs) / len(runs)
    for target in TARGET_IDS:
        if target == "nuclear_points":
            assert means["all-levers-strong"][target] >= means["no-new-policy"][target]
            continue
        if target == "hq_incubators":
            # The counterfactual already holds more than the 20 the policy asks for by 2030,
            # the levers add little (docs/levers.md, full scale: incubation +2.3 to 49.5, the
            # package within noise) and at 1/10 the count moves in steps of 10 (not faithful at
            # this scale), so three seeds cannot order the two scenarios.
            assert means["no-new-policy"][target] >= 20
            continue
        assert means["all-levers-strong"][target] > means["no-new-policy"][target], (
            target, means["no-new-policy"][target], means["all-levers-strong"][target])


def test_nuclear_points_start_at_zero_and_levers_raise_the_new_tracks():
    # The 2022 count is 0 (none existed before the policy) and only firms founded in the run
    # count, so the levers that raise entry and young firms' growth raise it. At 1/20, seeds
    # 1-5 paired, the zone's new firms earn +2.3, +1.6, -0.8, +2.4 and +1.3 % more in 2025 with
    # all levers strong than in the baseline (calibrated defaults, effect sizes from evidence,
    # docs/levers.md): a mean of +1.5 % with a seed sd of 1.3 %, so the mean of the five paired
    # ratios is 2.4 standard errors above 1 and "no effect" fails.
    base = _run_to_2025("baseline.toml")
    levers = _run_to_2025("all-levers-strong.toml")
    assert base.targets().loc[2022, "nuclear_points"] == 0
    assert levers.targets().loc[2022, "nuclear_points"] == 0

    def zone_new(name, seed):
        revenue = _run_to_2025(name, seed).series("park", "new_firm_revenue_cny")
        return float(revenue[revenue.index.year == 2025].mean().sum())
    ratios = [zone_new("all-levers-strong.toml", seed) / zone_new("baseline.toml", seed)
              for seed in range(1, 6)]
    assert np.mean(ratios) > 1.0, ratios


SHANGHAI_GDP_2022_CNY = 4465.28e9  # Shanghai 2022 statistical bulletin (H)


def test_rd_intensity_in_2022_fits_the_city_and_levers_move_it():
    # The defaults are derived so that in 2022 the zone's firms perform 0.80 x 0.70 of the
    # city's 198.16 bn CNY of R&D and its institutes 0.60 x 0.30: 74 % in all, on 56 % of the
    # city's GDP (value added 0.31 x ~8.0 trn of revenue). So the zone is more R&D-intensive
    # than the city (4.44 %) and below the 7.5 % target before any lever acts. Bounds: the
    # city's totals, which no seed or scale may exceed; the 2022 revenue varies by ~1 % by seed.
    base = _run_to_2025("baseline.toml")
    p = base.scenario
    months = base.series("park", "in_zone").index.year == 2022
    in_zone = base.series("park", "in_zone")[months].iloc[-1]
    zone_parks = [park for park in in_zone.index if in_zone[park] == 1]
    revenue = base.series("park", "revenue_cny")[months].mean()[zone_parks].sum()
    firm_rd = base.series("park", "rd_spending_cny")[months].mean()[zone_parks].sum()
    non_business = _non_business_rd(p, 2022)
    city_business = p["targets.city_rd_cny"] * p["targets.city_business_rd_share"]
    assert 0.7 * city_business < firm_rd < city_business
    assert 0.5 * p["targets.city_rd_cny"] < firm_rd + non_business < p["targets.city_rd_cny"]
    gdp = p["targets.value_added_ratio"] * revenue
    assert 0.3 * SHANGHAI_GDP_2022_CNY < gdp < SHANGHAI_GDP_2022_CNY
    city_intensity = p["targets.city_rd_cny"] / SHANGHAI_GDP_2022_CNY
    rd_2022 = base.targets().loc[2022, "rd_intensity"]
    assert city_intensity < rd_2022 < p["targets.rd_intensity"]
    # Levers move it: IP protection raises firms' R&D and the programmes shift revenue to the
    # R&D-intensive leading industries. Seeds 1-5 at 1/20: 2025 R&D/GDP 0.057-0.059 without
    # the new policy, 0.060-0.062 in the baseline, 0.062-0.064 with all levers strong (seed 3:
    # 0.0570, 0.0596, 0.0616); the same seed, so the difference is the levers', not noise.
    levers = _run_to_2025("all-levers-strong.toml")
    none = _run_to_2025("no-new-policy.toml")
    assert levers.targets().loc[2022, "rd_intensity"] == rd_2022
    assert (none.targets().loc[2025, "rd_intensity"] + 0.0015
            < base.targets().loc[2025, "rd_intensity"]
            < levers.targets().loc[2025, "rd_intensity"] - 0.0015)


def test_new_tech_firms_count_registrations_at_the_zones_share_of_the_city():
    # The indicator counts newly registered tech firms: the city registered 294 a day in 2022
    # (STCSM). firms.entry.tracked_share is derived so that the zone's 2022 registrations are
    # 0.53 of them (156 a day) at full scale, seed 1; its plausible range spans the zone's
    # share 0.36-0.70. At 1/20, seed 3, the 2022 entries differ from seed 1's by ~1 %, so the
    # value must lie inside the shares' range: below the 200 target, as the policy implies.
    base = _run_to_2025("baseline.toml")
    new_2022 = base.targets().loc[2022, "new_tech_firms"]
    assert 0.36 * 294 < new_2022 < 0.70 * 294
    assert 0.45 * 294 < new_2022 < 0.60 * 294
    assert new_2022 < base.scenario["targets.new_tech_firms"]
    # Levers move it through entries: land (space for entrants), incubation (incubator teams)
    # and the growth of incumbents. At 1/20, seed 3, entries in 2025 are 35.1 a day without
    # new policy, 38.7 in the baseline, 41.5 with all levers strong.
    none = _run_to_2025("no-new-policy.toml")
    levers = _run_to_2025("all-levers-strong.toml")
    assert (none.targets().loc[2025, "new_tech_firms"]
            < base.targets().loc[2025, "new_tech_firms"]
            < levers.targets().loc[2025, "new_tech_firms"])
