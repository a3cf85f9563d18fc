"""Sweeps that compare whole scenario files (a `key = "scenario"` factor, docs/sweeps.md)."""

from __future__ import annotations

import shlex

import numpy as np
import pytest

import clustersim as cs
from clustersim.plot import point_labels
from clustersim.sweep import run_sweep
from clustersim.sweepfile import SweepError, SweepSpec
from conftest import SCENARIOS, run_cli

SWEEP = """\
[sweep]
name = "compare"
base = "{scenarios}/no-new-policy.toml"
replicates = 2
seeds = "per_replicate"
until = 2023
[sweep.set]
scale = 0.01
[[sweep.vary]]
key = "scenario"
values = ["{scenarios}/no-new-policy.toml", "{scenarios}/levers-land.toml"]
[[sweep.vary]]
key = "policy.finance.government_fund.intensity"
values = [0.0, 1.0]
"""


def spec_file(folder, text=SWEEP):
    path = folder / "compare.toml"
    path.write_text(text.format(scenarios=SCENARIOS), encoding="utf-8")
    return path


def test_a_scenario_factor_runs_each_file_crossed_with_the_other_factors(tmp_path):
    spec = SweepSpec.load(spec_file(tmp_path))
    points = spec.points()
    assert points.shape == (4, 2)
    land = spec.scenario_for(points[2])      # levers-land, government fund off
    assert land["name"] == "levers-land" and land["scale"] == 0.01   # [sweep.set] on top
    assert land["policy.land.supply.intensity"] == 1.0
    assert land["policy.finance.government_fund.intensity"] == 0.0
    assert spec.scenario_for(points[1])["policy.land.supply.intensity"] == 0.0
    assert spec.scenario_for(points[3])["policy.finance.government_fund.intensity"] == 1.0
    # The command that repeats a run names the point's own scenario file.
    assert "levers-land.toml" in spec.command(4, points[2])
    assert "no-new-policy.toml" in spec.command(0, points[0])

    results = run_sweep(spec, tmp_path / "compare.h5", client="inline")
    design = results.design()
    assert list(design["scenario"]) == ["no-new-policy", "no-new-policy", "levers-land",
                                        "levers-land"]
    assert point_labels(results)[2] == "scenario=levers-land, finance.government_fund=0"
    # Common random numbers: replicate r of every point has the same seed, so a difference
    # between the files is paired; the land levers change the run.
    runs = results.runs()
    assert (runs.groupby("replicate")["seed"].nunique() == 1).all()
    share = results.outcome("leading_share")
    assert not np.array_equal(share.loc[runs["point"] == 2].to_numpy(),
                              share.loc[runs["point"] == 0].to_numpy())
    # Each run is the one its command repeats: point 2 replicate 0 again, alone, through the
    # recorded command (it names levers-land.toml) and through the API.
    run = int(runs.index[(runs["point"] == 2) & (runs["replicate"] == 0)][0])
    args = shlex.split(runs.loc[run, "command"])[2:]
    out = tmp_path / "alone.h5"
    args[args.index("-o") + 1] = str(out)
    run_cli("run", *args, "-q", check=True)
    alone = cs.load(out).targets()["leading_share"].to_numpy()
    assert alone.tobytes() == share.loc[run].to_numpy().tobytes()
    again = cs.Simulation(spec.scenario_for(points[2]), seed=int(runs.loc[run, "seed"]),
                          threads=1).run(2023)
    assert again.targets()["leading_share"].to_numpy().tobytes() == alone.tobytes()


@pytest.mark.parametrize("vary, fragment", [
    ('key = "scenario"\nvalues = ["missing.toml"]', "a valid scenario file"),
    ('key = "scenario"\nvalues = [1, 2]', "a list of different scenario files"),
    ('key = "scenario"\nvalues = ["{scenarios}/small.toml"]', "base's horizon_year"),
])
def test_a_bad_scenario_factor_is_refused_naming_the_key(tmp_path, vary, fragment):
    text = SWEEP.split("[[sweep.vary]]")[0].replace("until = 2023\n", "") + \
        "[[sweep.vary]]\n" + vary + "\n"
    with pytest.raises(SweepError) as error:
        SweepSpec.load(spec_file(tmp_path, text))
    assert "sweep.vary[0].values" in str(error.value) and fragment in str(error.value)


def test_a_scenario_factor_is_refused_in_a_sampled_design(tmp_path):
    text = SWEEP.replace('seeds = "per_replicate"', 'seeds = "per_replicate"\n'
                         'design = "latin_hypercube"\nsamples = 4')
    with pytest.raises(SweepError, match="full_factorial or points design"):
        SweepSpec.load(spec_file(tmp_path, text))


@pytest.mark.parametrize("seeds", ["per_replicate", "per_run"])
def test_differences_between_points_have_the_textbook_intervals(tmp_path, seeds):
    # Paired t-interval over replicates with common random numbers, Welch's interval without;
    # checked against SciPy's own tests of the same samples.
    from scipy import stats
    text = SWEEP.replace("replicates = 2", "replicates = 4").replace(
        'seeds = "per_replicate"', f'seeds = "{seeds}"')
    results = run_sweep(SweepSpec.load(spec_file(tmp_path, text)), tmp_path / "d.h5",
                        client="inline")
    name = "leading_share"
    table = results.difference(name, 2023, reference=0, level=0.9)
    runs = results.runs()
    values = results.outcome(name)[2023]
    reference = values[runs["point"] == 0].to_numpy()
    for point in (1, 2, 3):
        other = values[runs["point"] == point].to_numpy()
        if seeds == "per_replicate":
            expected = stats.ttest_rel(other, reference).confidence_interval(0.9)
        else:
            expected = stats.ttest_ind(other, reference, equal_var=False).confidence_interval(0.9)
        row = table.loc[point]
        assert row["paired"] == (seeds == "per_replicate")
        assert row["difference"] == pytest.approx(other.mean() - reference.mean(), rel=1e-12)
        assert (row["low"], row["high"]) == pytest.approx((expected.low, expected.high),
                                                          rel=1e-9)
    assert table.loc[0, "difference"] == 0.0
    # P(met by the year): a difference of probabilities within [-1, 1].
    met = results.difference("leading_share_met", 2023)
    assert met["difference"].between(-1, 1).all()
    with pytest.raises(IndexError, match="reference=9"):
        results.difference(name, 2023, reference=9)
    with pytest.raises(KeyError, match="year 2040"):
        results.difference(name, 2040)


def test_the_report_of_a_scenario_sweep_names_the_files_and_pairs_the_differences(tmp_path):
    from clustersim.report import write_report
    results = run_sweep(SweepSpec.load(spec_file(tmp_path)), tmp_path / "r.h5", client="inline")
    out = tmp_path / "r.html"
    write_report(results.path, out)
    text = out.read_text(encoding="utf-8")
    assert '<td class="">levers-land</td>' in text      # the design table, by file name
    assert "scenario=levers-land, finance.government_fund=1" in text   # the differences' rows
    assert "paired by replicate (common random numbers" in text
