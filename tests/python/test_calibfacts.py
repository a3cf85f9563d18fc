"""Behavioural facts as calibration moments (docs/calibration.md, "Behavioural facts"): the
statistics on known traces, their agreement with the validation's file-based estimators, the
file's errors, the budget and a recovery of a known start-up burn from the first-year hazard.

Budgets: small.toml at 1/20 (about 2,000 firms, ~100 entrants a year), 2022-2024, ~0.1 s a
simulation; the recovery runs ~250 simulations (~30 s on one core)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import clustersim as cs
from clustersim.calibfacts import STATISTICS, Trace, measure, parse_facts, run_and_trace
from clustersim.calibfile import CalibrationError, CalibrationSpec
from clustersim.calibration import ModelRun, run_calibration
from clustersim.observations import Observations
from clustersim.validation import STATISTICS as VALIDATION, hazard_table

from conftest import ROOT, SCENARIOS, run_cli

OBSERVED = Observations.from_csv(ROOT / "data" / "observed.csv")


def fact(statistic: str, value: float, sd: float, years=(2023, 2024)) -> dict:
    return {"statistic": statistic, "value": value, "sd": sd, "years": list(years),
            "source": "test"}


def test_statistics_on_a_known_trace():
    firms = {2022: pd.DataFrame({"firm_id": [1, 2, 3, 4, 5, 6, 7],
                                 "age_months": [3, 5, 8, 11, 13, 20, 75]}),
             2023: pd.DataFrame({"firm_id": [1, 2, 5, 9], "age_months": [15, 17, 25, 4]}),
             2024: pd.DataFrame({"firm_id": [1, 5, 9], "age_months": [27, 37, 16]})}
    deals = pd.DataFrame({"follow_on": [0, 0, 0, 1, 0, 0],
                          "round": ["seed", "A", "B", "seed", "C", "seed"],
                          "step": [13, 20, 30, 30, 36, 12]})   # step 12: December 2022
    trace = Trace(firms, deals, {2024: RETURNS})
    got = measure(trace, parse_facts(
        [fact(s, 0.5, 0.1) for s in STATISTICS if not s.startswith("acquisitions")],
        "<test>", 2030))
    # Firm-years at risk: age 0: 4 in 2023 (firms 3, 4 leave) + firm 9 in 2024 = 2 of 5; age 1:
    # firms 5, 6 in 2023 (6 leaves) + firms 1, 2 in 2024 (2 leaves) = 2 of 4; age 2: firm 5 in
    # 2024, stays. Exits: 3, 4, 6, 7 (aged 75 months) and 2: 4 of 5 under five years. New deals
    # in 2023-24 (steps 13-36, follow-ons out): seed, A, B, C.
    assert got["fact.hazard_age_0@2023-2024"] == pytest.approx(2 / 5)
    assert got["fact.hazard_age_1@2023-2024"] == pytest.approx(2 / 4)
    assert got["fact.hazard_age_2@2023-2024"] == 0.0   # firm 5, aged 2 in 2024, stays
    assert got["fact.exits_within_5_years@2023-2024"] == pytest.approx(4 / 5)
    assert got["fact.seed_and_a_share_of_new_deals@2023-2024"] == pytest.approx(2 / 4)


# Deals in December 2024: one made in 2022 (step 5), the rest from 2023 on; two active.
RETURNS = pd.DataFrame({
    "step": [5, 13, 14, 20, 25, 30, 31, 33, 35, 36],
    "status": ["exited", "written_off", "exited", "exited", "written_off", "exited", "exited",
               "exited", "active", "active"],
    "amount_cny": [1.0, 2.0, 1.0, 1.0, 3.0, 2.0, 1.0, 1.0, 1.0, 1.0],
    "proceeds_cny": [50.0, 0.0, 0.5, 1.0, 0.0, 6.0, 12.0, 30.0, 0.0, 0.0]})


def test_return_statistics_on_known_deals():
    """Closed deals made in 2023-24: multiples 0, 0.5, 1, 0, 3, 12, 30 (the 2022 deal's 50x and
    the active deals out): 4 of 7 at most 1x, 2 of 7 at least 10x; the best 6 % of 7 deals
    rounds to none, so the best one: 30 of 49.5."""
    trace = Trace({}, RETURNS, {2024: RETURNS})
    got = measure(trace, parse_facts(
        [fact(s, 0.5, 0.1) for s in ("closed_deals_share_at_most_1x",
                                     "closed_deals_share_at_least_10x",
                                     "top_6pct_share_of_proceeds")], "<test>", 2030))
    assert got["fact.closed_deals_share_at_most_1x@2023-2024"] == pytest.approx(4 / 7)
    assert got["fact.closed_deals_share_at_least_10x@2023-2024"] == pytest.approx(2 / 7)
    assert got["fact.top_6pct_share_of_proceeds@2023-2024"] == pytest.approx(30 / 49.5)
    # From 2022 on, the 50x deal counts too: 3 of 8 at least 10x.
    since_2022 = measure(trace, parse_facts([fact("closed_deals_share_at_least_10x", 0.5, 0.1,
                                                  (2022, 2024))], "<test>", 2030))
    assert since_2022["fact.closed_deals_share_at_least_10x@2022-2024"] == pytest.approx(3 / 8)


def test_acquisition_statistics_on_known_firms():
    """Acquired in 2023-24 with a price: firms 1 (price 5 for 10 raised), 5 (50 for 4: 12.5x)
    and 7 (20 for 10). Out: firm 2, acquired by December 2022; firm 3, listed; firm 4, private;
    firm 6, acquired without a deal to price it. So 1 of 3 below the money raised, 1 of 3 at
    ten times it or more."""
    firms = {2022: pd.DataFrame({"firm_id": [1, 2, 3, 4], "age_months": [50, 60, 70, 80],
                                 "exit_route": [0, 2, 0, 0],
                                 "vc_raised_cny": [10.0, 5.0, 10.0, 1.0]}),
             2024: pd.DataFrame({"firm_id": [1, 2, 3, 4, 5, 6, 7],
                                 "age_months": [74, 84, 94, 104, 50, 50, 50],
                                 "exit_route": [2, 2, 1, 0, 2, 2, 2],
                                 "vc_raised_cny": [10.0, 5.0, 10.0, 1.0, 4.0, 3.0, 10.0]})}
    deals = pd.DataFrame({"firm": [1, 2, 3, 4, 5, 5, 7],
                          "status": ["exited", "exited", "exited", "active", "exited", "exited",
                                     "exited"],
                          "stake": [0.1, 0.2, 0.1, 0.1, 0.05, 0.05, 0.5],
                          "proceeds_cny": [0.5, 1.0, 3.0, 0.0, 2.5, 2.5, 10.0]})
    trace = Trace(firms, deals, {2024: deals})
    facts = parse_facts([fact("acquisitions_share_below_vc_raised", 0.4, 0.1),
                         fact("acquisitions_share_at_least_10x_vc_raised", 0.1, 0.1)],
                        "<test>", 2030)
    got = measure(trace, facts)
    assert got["fact.acquisitions_share_below_vc_raised@2023-2024"] == pytest.approx(1 / 3)
    assert got["fact.acquisitions_share_at_least_10x_vc_raised@2023-2024"] == pytest.approx(1 / 3)


def test_hazard_table_pools_old_ages():
    table = hazard_table(np.array([0, 11, 12, 200, 300]), np.array([1, 0, 1, 1, 0]), max_age=10)
    assert table.to_dict() == {0: 0.5, 1: 1.0, 10: 0.5}


def test_in_memory_statistics_match_the_validation_estimators(tmp_path):
    """The calibration measures on the running simulation, the validation on a results file:
    the same run must give the same numbers (the file's snapshots are the reference)."""
    sc = cs.Scenario.load(SCENARIOS / "small.toml")
    sc["scale"], sc["horizon_year"] = 0.05, 2024
    facts = parse_facts([fact("hazard_age_0", 0.1, 0.1, (2024, 2024)),
                         fact("hazard_age_1", 0.1, 0.1, (2024, 2024)),
                         fact("seed_and_a_share_of_new_deals", 0.5, 0.1, (2022, 2024)),
                         fact("closed_deals_share_at_most_1x", 0.5, 0.1, (2022, 2023)),
                         fact("closed_deals_share_at_least_10x", 0.1, 0.1, (2022, 2024)),
                         fact("top_6pct_share_of_proceeds", 0.5, 0.1, (2022, 2024))],
                        "<test>", 2030)
    sim = cs.Simulation(sc, seed=3, threads=1)
    sim.run(output=tmp_path / "run.h5")
    results = cs.load(tmp_path / "run.h5")
    again = cs.Simulation(sc, seed=3, threads=1)
    got = measure(run_and_trace(again, 2024, facts), facts)
    assert got["fact.hazard_age_0@2024-2024"] == VALIDATION["hazard_age_0"](results, 2024)
    assert got["fact.hazard_age_1@2024-2024"] == VALIDATION["hazard_age_1"](results, 2024)
    # Over the whole run, the new deals of 2022-2024 are the validation's new deals.
    assert got["fact.seed_and_a_share_of_new_deals@2022-2024"] == pytest.approx(
        VALIDATION["seed_and_a_share_of_new_deals"](results, 2024))
    # Deals closed by December 2023 (a snapshot before the run's end) and 2024, from 2022 on.
    for name, last in (("closed_deals_share_at_most_1x", 2023),
                       ("closed_deals_share_at_least_10x", 2024),
                       ("top_6pct_share_of_proceeds", 2024)):
        assert got[f"fact.{name}@2022-{last}"] == pytest.approx(VALIDATION[name](results, last))


@pytest.mark.parametrize(("entry", "message"), [
    ({"statistic": "hazard_age_9"}, "calibration.facts[0].statistic"),
    ({"sd": 0.0}, "calibration.facts[0].sd"),
    ({"sd": -1.0}, "calibration.facts[0].sd"),
    ({"value": math.inf}, "calibration.facts[0].value"),
    ({"years": [2021, 2023]}, "calibration.facts[0].years"),
    ({"years": [2025, 2024]}, "calibration.facts[0].years"),
    ({"years": [2024, 2040]}, "calibration.facts[0].years"),
    ({"years": [2024.5, 2025]}, "calibration.facts[0].years"),
    ({"years": [2024]}, "calibration.facts[0].years"),
    ({"source": " "}, "calibration.facts[0].source"),
    ({"band": [0, 1]}, "calibration.facts[0].band"),
])
def test_bad_facts_are_refused_naming_the_key(entry, message):
    table = {**fact("hazard_age_0", 0.016, 0.005), **entry}
    with pytest.raises(CalibrationError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_facts([table], "calib.toml", 2030)


def test_a_fact_twice_and_report_only_facts():
    with pytest.raises(CalibrationError, match="once"):
        parse_facts([fact("hazard_age_0", 0.1, 0.1)] * 2, "calib.toml", 2030)
    spec = spec_for({"report_only": ["fact.hazard_age_1@2023-2024"],
                     "facts": [fact("hazard_age_0", 0.1, 0.1), fact("hazard_age_1", 0.1, 0.1)]})
    labels = [m.label for m in spec.moments()]
    assert labels[-2:] == ["fact.hazard_age_0@2023-2024", "fact.hazard_age_1@2023-2024"]
    assert spec.until == 2024 and "facts:" in spec.identity()


def spec_for(overrides: dict) -> CalibrationSpec:
    sc = cs.Scenario.load(SCENARIOS / "small.toml")
    sc["horizon_year"] = 2026
    table = {"name": "facts", "seed": 4, "scale": 0.05, "population": 24, "generations": 4,
             "budget": 400, "batch": 8, "report_only": [m.label for m in OBSERVED.moments()],
             "parameters": [{"key": "firms.finance.startup_margin", "range": [-1.0, 0.0]}]}
    table.update(overrides)
    return CalibrationSpec.from_dict(table, source="<test>", base=sc, observations=OBSERVED)


def test_recovers_a_known_start_up_burn_from_the_first_year_hazard(tmp_path):
    """The first-year hazard simulated at a burn of -0.7, averaged over seeds 97-99 (not seeds
    the fit uses), is the fact; every observation is report-only, so the hazard alone informs
    the burn. sd 0.02: about the hazard's seed-to-seed sd at this scale (~200 firm-years of age
    0, hazard ~0.25). Three seeds and not one: a single seed's hazard is itself a draw 0.01-0.02
    off the mean (seed 99: 0.256 against 0.240 and 0.244 for seeds 5 and 6), which put the truth
    1.8 posterior sd from the posterior mean, outside a 90 % interval."""
    true = -0.7
    probe = spec_for({"facts": [fact("hazard_age_0", 0.2, 0.02)]})
    model = ModelRun(probe)
    unit = (true - (-1.0)) / 1.0
    value = float(np.mean([model({"firms__finance__startup_margin": unit}, seed=seed)
                           ["fact.hazard_age_0@2023-2024"] for seed in (97, 98, 99)]))
    spec = spec_for({"facts": [fact("hazard_age_0", value, 0.02)]})
    fit = run_calibration(spec, tmp_path / "fit.h5", client="inline")
    assert fit.meta["evaluations"] <= spec.budget
    ident = fit.identification().loc["firms.finance.startup_margin"]
    assert ident["low_90"] <= true <= ident["high_90"]
    assert ident["constrained"]   # the hazard at least halves the burn's uncertainty
    # The facts travel with the fit: its spec, its moments and its check.
    assert [f.to_dict() for f in fit.spec.facts] == [f.to_dict() for f in spec.facts]
    info = run_cli("info", fit.path, check=True).stdout
    assert f"moments:     {len(OBSERVED.moments()) + 1} (1 behavioural facts, " \
        f"{len(OBSERVED.moments())} reported only)" in info
    check = fit.check(draws=4, seed=2)
    row = check.loc["fact.hazard_age_0@2023-2024"]
    assert row["kind"] == "fact" and row["fitted"] and row["observed"] == value


def test_no_generation_within_the_budget_is_refused(tmp_path):
    spec = spec_for({"budget": 16, "population": 24,
                     "facts": [fact("hazard_age_0", 0.2, 0.02)]})
    with pytest.raises(CalibrationError, match="budget 16"):
        run_calibration(spec, tmp_path / "fit.h5", client="inline")
    assert not (tmp_path / "fit.h5").exists()
