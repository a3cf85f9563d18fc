"""The outlook (docs/outlook.md): scenarios x joint parameter draws x common seeds."""

from __future__ import annotations

import shlex

import numpy as np
import pandas as pd
import pytest

import clustersim as cs
from clustersim import outlook
from conftest import SCENARIOS, run_cli

FILES = [str(SCENARIOS / "baseline.toml"), str(SCENARIOS / "no-new-policy.toml")]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    spec = outlook.OutlookSpec(FILES, draws=3, seeds=2, scale=0.01, until=2023, seed=5)
    path = tmp_path_factory.mktemp("outlook") / "o.h5"
    return spec, outlook.run_outlook(spec, path, client="inline")


def test_the_law_of_total_variance_splits_seeds_from_parameters():
    # Known components: draw means a_k (variance 2/3 over three draws) and within-draw noise of
    # +-1 (variance 1 in every draw): total 5/3, shares 0.4 (parameters) and 0.6 (seeds).
    a = np.array([-1.0, 0.0, 1.0])
    rows = [(k, r, a[k] + e) for k in range(3) for r, e in enumerate((-1.0, 1.0))]
    values = pd.DataFrame(rows, columns=["draw", "replicate", "value"])
    shares = outlook.variance_shares(values)
    assert shares["total_variance"] == pytest.approx(5 / 3)
    assert shares["parameters"] == pytest.approx(0.4)
    assert shares["seeds"] == pytest.approx(0.6)
    # Seeds that change nothing: all of it is the parameters'; draws that agree: all seeds'.
    same_seeds = values.assign(value=a[values["draw"]])
    assert outlook.variance_shares(same_seeds)["parameters"] == pytest.approx(1.0)
    same_draws = values.assign(value=values["replicate"] * 2.0)
    assert outlook.variance_shares(same_draws)["seeds"] == pytest.approx(1.0)
    assert np.isnan(outlook.variance_shares(values.assign(value=3.0))["seeds"])


def test_the_uncertain_parameters_are_the_plausible_ranges_with_list_elements():
    ranges = outlook.uncertain_parameters()
    declared = {p["key"]: p["plausible"] for p in cs.parameters() if p.get("plausible")}
    assert "city.outside_growth[0]" in ranges and "city.outside_growth" not in ranges
    assert ranges["population.zone_ic_share"] == tuple(declared["population.zone_ic_share"])
    assert all(low < high for low, high in ranges.values())


def test_the_design_pairs_scenarios_on_draws_and_seeds(tiny):
    spec, results = tiny
    design = results.design()
    keys, draws = spec.draw_points()
    assert len(design) == 2 * 3 and list(design["scenario"]) == ["baseline"] * 3 + \
        ["no-new-policy"] * 3
    # The same parameter draw in both scenarios, each within its plausible range where it has
    # no prior, within its valid range where it has one.
    values = design.drop(columns="scenario").to_numpy()
    assert np.array_equal(values[:3], values[3:])
    ranges = outlook.uncertain_parameters()
    specs = {p["key"]: p for p in cs.parameters()}
    for j, key in enumerate(keys):
        spec = specs[key.split("[")[0]]
        low, high = (spec["min"], spec["max"]) if spec["prior"] else ranges[key]
        assert ((values[:, j] >= low) & (values[:, j] <= high)).all()
    # Common random numbers: replicate r has one seed everywhere.
    runs = results.runs()
    assert (runs.groupby("replicate")["seed"].nunique() == 1).all()
    assert (runs["status"] == "done").all()


def test_probabilities_differences_and_variance_of_a_real_outlook(tiny):
    _, results = tiny
    p = outlook.probabilities(results, 2023)
    assert len(p) == 2 * len(outlook.TARGET_IDS)
    assert ((p["low"] <= p["p"] + 1e-12) & (p["p"] <= p["high"] + 1e-12)).all()
    assert (p["runs"] == 6).all()
    d = outlook.differences(results, 2023)
    assert set(d.index.get_level_values("scenario")) == {"no-new-policy"}
    assert (d["pairs"] == 6).all()
    # The difference is the mean of the paired differences, computed here by hand.
    share = results.outcome("leading_share")[2023].to_numpy()
    runs = results.runs()
    base = share[runs["point"] < 3]
    other = share[runs["point"] >= 3]
    order = np.lexsort((runs["replicate"][runs["point"] < 3], runs["point"][runs["point"] < 3]))
    order2 = np.lexsort((runs["replicate"][runs["point"] >= 3],
                         runs["point"][runs["point"] >= 3]))
    assert d.loc[("no-new-policy", "leading_share", "value"), "difference"] == \
        pytest.approx((other[order2] - base[order]).mean())
    v = outlook.variance(results, 2023)
    finite = v.dropna()
    assert np.allclose(finite["seeds"] + finite["parameters"], 1.0)
    text = outlook.summary(results, 2023)
    assert "drawn from their priors (lever effects and costs, docs/levers.md)" in text


def test_a_recorded_command_repeats_its_run_with_the_drawn_parameters(tiny, tmp_path):
    _, results = tiny
    runs = results.runs()
    run = 4   # a baseline point, replicate 0: its command sets the drawn list elements too
    command = runs.loc[run, "command"]
    assert "city.outside_growth=[" in command
    args = shlex.split(command)[2:]
    args[args.index("-o") + 1] = str(tmp_path / "alone.h5")
    run_cli("run", *args, "-q", check=True)
    alone = cs.load(tmp_path / "alone.h5").targets()["leading_share"].to_numpy()
    assert alone.tobytes() == results.outcome("leading_share").loc[run].to_numpy().tobytes()


def test_the_cli_prints_the_outlook_and_refuses_bad_counts(tmp_path):
    out = tmp_path / "o.h5"
    result = run_cli("outlook", *FILES, "-o", str(out), "--draws", "2", "--seeds", "1",
                     "--scale", "0.01", "--until", "2022", "--workers", "1", "-q")
    assert result.returncode == 0, result.stderr
    assert "P(target met by 2022)" in result.stdout and "no-new-policy" in result.stdout
    bad = run_cli("outlook", FILES[0], "-o", str(tmp_path / "b.h5"), "--draws", "0")
    assert bad.returncode == 2 and "draws = 0; expected a whole number in [1, 100000]" \
        in bad.stderr
    missing = run_cli("outlook", "nope.toml", "-o", str(tmp_path / "c.h5"))
    assert missing.returncode == 2 and "nope.toml" in missing.stderr
