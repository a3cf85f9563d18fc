"""Sweeps: sweep files, designs, Dask execution, the streaming sweep file, resumption, and the
analysis (target probabilities, Sobol indices), the CLI and the EMA Workbench adapter
(docs/sweeps.md)."""

from __future__ import annotations

import math
import os
import shlex
import textwrap
import warnings

import clustersim as cs
import numpy as np
import pytest
from clustersim.sweep import (
    RunResult,
    SweepResults,
    _tasks,
    run_sweep,
    simulate,
    wilson_interval,
)
from clustersim.sweepfile import Factor, SeriesOutcome, SweepError, SweepSpec
from conftest import SCENARIOS, run_cli

SMALL_SWEEP = SCENARIOS / "sweeps" / "small.toml"


def tiny_spec(tmp_path, *, replicates=2, design_lines="", until=2023, extra="") -> SweepSpec:
    """A 2 x 2 factorial on the counterfactual at 1/100 scale: each run takes ~0.1 s."""
    text = textwrap.dedent(f"""\
        [sweep]
        name = "tiny"
        base = "{SCENARIOS / 'no-new-policy.toml'}"
        seed = 11
        replicates = {replicates}
        until = {until}
        {design_lines}
        [sweep.set]
        scale = 0.01
        output.firm_snapshots = false
        output.talent_snapshots = false
        {extra}
        [[sweep.vary]]
        key = "policy.land.supply.intensity"
        values = [0.0, 2.0]
        [[sweep.vary]]
        key = "policy.talent.training.intensity"
        values = [0.0, 3.0]
        [sweep.outcomes]
        series = [{{ level = "zone", name = "floor_space_m2" }},
                  {{ level = "zone", name = "entries", reduce = "sum", column = "IC" }}]
        """)
    path = tmp_path / "tiny.toml"
    path.write_text(text)
    return SweepSpec.load(path)


def outcome_bits(results: SweepResults) -> dict[str, bytes]:
    names = [t for t in cs.sweepfile.TARGET_IDS] + [f"{t}_met" for t in cs.sweepfile.TARGET_IDS]
    names += ["zone.floor_space_m2.december", "zone.entries.IC.sum"]
    return {n: results.outcome(n).to_numpy().tobytes() for n in names}


def test_the_example_sweep_file_is_valid_and_reproducible():
    spec = SweepSpec.load(SMALL_SWEEP)
    assert spec.design == "full_factorial" and len(spec.points()) == 9
    # Full scale: every target's verdict is faithful there (docs/model.md §3.4.7).
    assert spec.base["scale"] == 1.0 and not spec.base["output.firm_snapshots"]
    # Seeds come from the sweep seed and the run index alone.
    assert spec.run_seed(5) == SweepSpec.load(SMALL_SWEEP).run_seed(5) != spec.run_seed(6)


def test_a_recorded_command_repeats_its_run_alone(tmp_path):
    spec = tiny_spec(tmp_path)
    results = run_sweep(spec, tmp_path / "sweep.h5", client="inline")
    run = 5
    command = results.runs().loc[run, "command"]
    args = shlex.split(command)[2:]  # after "clustersim run"
    out = tmp_path / "alone.h5"
    args[args.index("-o") + 1] = str(out)
    run_cli("run", *args, "-q", check=True)
    alone = cs.load(out).targets()
    for target in ("champions", "vc_share", "leading_share"):
        assert alone[target].to_numpy().tobytes() == \
            results.outcome(target).loc[run].to_numpy().tobytes()


def test_a_local_dask_cluster_gives_the_runs_done_one_by_one(tmp_path):
    # 2 worker processes, each single-threaded; every outcome equals the in-process run of the
    # same task, bit for bit.
    from distributed import Client, LocalCluster
    spec = tiny_spec(tmp_path)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=40) as cluster, Client(cluster) as c:
        results = run_sweep(spec, tmp_path / "dask.h5", client=c)
        workers = set(results.runs()["worker"])
    assert results.complete and (results.runs()["status"] == "done").all()
    assert workers  # recorded
    points = spec.points()
    for task in _tasks(spec, points, list(range(8)), None):
        alone = simulate(task)
        assert alone.targets.tobytes() == np.stack(
            [results.outcome(t).loc[task.run].to_numpy() for t in cs.sweepfile.TARGET_IDS],
            axis=1).tobytes()
        for label, values in alone.series.items():
            assert values.tobytes() == results.outcome(label).loc[task.run].to_numpy().tobytes()


def test_killing_a_worker_mid_sweep_loses_no_finished_run(tmp_path):
    from distributed import Client, LocalCluster
    spec = tiny_spec(tmp_path, replicates=6, until=2024)   # 24 runs
    reference = outcome_bits(run_sweep(spec, tmp_path / "inline.h5", client="inline"))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=50) as cluster, Client(cluster) as c:
        killed = []

        def kill_one(done):
            if done == 3 and not killed:
                worker = next(iter(c.scheduler_info()["workers"]))
                killed.append(worker)
                try:
                    c.run(os._exit, 1, workers=[worker])
                except Exception:  # the worker dies while answering
                    pass
        results = run_sweep(spec, tmp_path / "killed.h5", client=c, on_result=kill_one)
    assert killed
    runs = results.runs()
    # Dask re-runs the dead worker's tasks; a run it gave up on would be recorded as failed,
    # and re-running the sweep finishes it.
    if (runs["status"] != "done").any():
        results = run_sweep(spec, tmp_path / "killed.h5", client="inline")
    assert (results.runs()["status"] == "done").all() and results.complete
    assert outcome_bits(results) == reference


def test_an_interrupted_sweep_resumes_without_computing_a_run_twice(tmp_path):
    spec = tiny_spec(tmp_path, replicates=3)   # 12 runs
    computed = []

    def counting(task):
        computed.append(task.run)
        return simulate(task)

    def interrupt(done):
        if done == 5:
            raise KeyboardInterrupt
    path = tmp_path / "resume.h5"
    with pytest.raises(KeyboardInterrupt):
        run_sweep(spec, path, client="inline", runner=counting, on_result=interrupt)
    partial = SweepResults(path)
    assert not partial.complete
    assert (partial.runs()["status"] == "done").sum() == 5
    results = run_sweep(spec, path, client="inline", runner=counting)
    assert sorted(computed) == list(range(12))   # each run once
    assert results.complete
    reference = run_sweep(spec, tmp_path / "whole.h5", client="inline")
    assert outcome_bits(results) == outcome_bits(reference)
    # Another sweep into the same file is refused rather than mixed in.
    other = tiny_spec(tmp_path, replicates=4)
    with pytest.raises(cs.OutputError, match="different sweep"):
        run_sweep(other, path, client="inline")


def test_a_failing_run_is_recorded_and_the_rest_goes_on(tmp_path):
    spec = tiny_spec(tmp_path, replicates=1)

    def flaky(task):
        if task.run == 2:
            raise RuntimeError("boom")
        return simulate(task)
    results = run_sweep(spec, tmp_path / "failed.h5", client="inline", runner=flaky)
    runs = results.runs()
    assert list(runs["status"]) == ["done", "done", "failed", "done"]
    assert "RuntimeError: boom" in runs.loc[2, "error"]
    assert results.complete   # every run has an outcome: done or failed
    # Re-running tries the failed run again.
    results = run_sweep(spec, tmp_path / "failed.h5", client="inline")
    assert (results.runs()["status"] == "done").all()
    assert results.runs().loc[2, "attempts"] == 2


def test_target_probabilities_with_wilson_intervals(tmp_path):
    results = run_sweep(tiny_spec(tmp_path, replicates=3), tmp_path / "p.h5", client="inline")
    table = results.target_probability()
    runs = results.runs()
    for point in range(4):
        met = results.outcome("pct_met").to_numpy()[runs["point"] == point] == 1
        by = np.maximum.accumulate(met, axis=1)
        for j, year in enumerate(results.years):
            row = table.loc[(point, "pct", year)]
            assert row["runs"] == 3 and row["met"] == by[:, j].sum()
            assert row["p"] == pytest.approx(by[:, j].mean())
            assert row["low"] <= row["p"] <= row["high"]
    # Known values of the Wilson interval (Wilson 1927; e.g. Brown, Cai & DasGupta 2001).
    low, high = wilson_interval(np.array([0, 5, 10]), np.array([10, 10, 10]))
    np.testing.assert_allclose(low, [0.0, 0.2366, 0.7225], atol=1e-4)
    np.testing.assert_allclose(high, [0.2775, 0.7634, 1.0], atol=1e-4)


def _ishigami(task) -> RunResult:
    x1, x2, x3 = (v for _, v in task.values)
    y = math.sin(x1) + 7 * math.sin(x2) ** 2 + 0.1 * x3 ** 4 * math.sin(x1)
    return RunResult(task.run, series={"zone.ishigami.december": np.array([y])})


def test_sobol_indices_of_the_ishigami_function_through_the_sweep_path(tmp_path):
    # Known indices (Ishigami & Homma 1990; a = 7, b = 0.1): S1 = 0.314, 0.442, 0;
    # ST = 0.558, 0.442, 0.244. With N = 1024 base samples SALib's 95 % intervals are ~0.05;
    # the tolerance 0.06 allows for them.
    factors = [Factor(f"x{i}", low=-math.pi, high=math.pi) for i in (1, 2, 3)]
    spec = SweepSpec(name="ishigami", base=cs.Scenario(), factors=factors, design="saltelli",
                     samples=1024, seed=3, until=2022, targets=False,
                     series=[SeriesOutcome("zone", "ishigami")], check_keys=False)
    results = run_sweep(spec, tmp_path / "ishigami.h5", client="inline", runner=_ishigami)
    indices = results.sensitivity("zone.ishigami.december", 2022)
    np.testing.assert_allclose(indices["S1"], [0.314, 0.442, 0.0], atol=0.06)
    np.testing.assert_allclose(indices["ST"], [0.558, 0.442, 0.244], atol=0.06)
    assert (indices["S1_conf"] < 0.1).all()


def test_sobol_indices_on_a_small_model_sweep(tmp_path):
    # Floor space in December 2022 depends on parks.floor_space_growth alone (and not on a
    # target threshold, which changes no rule) once every point shares its seed (common random
    # numbers): S1 = ST = 1 for the first, 0 for the second. 32 base samples of a smooth
    # one-input function: estimation error below 0.05.
    path = tmp_path / "sobol.toml"
    path.write_text(textwrap.dedent(f"""\
        [sweep]
        base = "{SCENARIOS / 'no-new-policy.toml'}"
        design = "saltelli"
        samples = 32
        seeds = "per_replicate"
        until = 2022
        [sweep.set]
        scale = 0.005
        output.firm_snapshots = false
        output.talent_snapshots = false
        [[sweep.vary]]
        key = "parks.floor_space_growth"
        range = [0.0, 0.1]
        [[sweep.vary]]
        key = "targets.pct"
        range = [1000.0, 9000.0]
        [sweep.outcomes]
        targets = false
        series = [{{ level = "zone", name = "floor_space_m2" }}]
        """))
    results = run_sweep(SweepSpec.load(path), tmp_path / "sobol.h5", client="inline")
    indices = results.sensitivity("zone.floor_space_m2.december", 2022)
    np.testing.assert_allclose(indices.loc["parks.floor_space_growth", ["S1", "ST"]], [1, 1],
                               atol=0.05)
    np.testing.assert_allclose(indices.loc["targets.pct", ["S1", "ST"]], [0, 0], atol=0.05)
    with pytest.raises(SweepError, match="saltelli"):
        run_sweep(tiny_spec(tmp_path), tmp_path / "ff.h5", client="inline") \
            .sensitivity("zone.floor_space_m2.december", 2022)


def test_latin_hypercube_designs_follow_their_distributions(tmp_path):
    path = tmp_path / "lhs.toml"
    path.write_text(textwrap.dedent(f"""\
        [sweep]
        base = "{SCENARIOS / 'small.toml'}"
        design = "latin_hypercube"
        samples = 200
        [[sweep.vary]]
        key = "firms.growth.drift"
        range = [0.0, 0.04]
        [[sweep.vary]]
        key = "policy.evaluation.top_parks"
        range = [1, 9]
        [[sweep.vary]]
        key = "firms.relocation.rate"
        distribution = "loguniform"
        range = [0.01, 1.0]
        """))
    points = SweepSpec.load(path).points()
    assert points.shape == (200, 3)
    # A Latin hypercube puts exactly one point in each of the 200 equal strata of each input.
    strata = np.floor((points[:, 0] - 0.0) / 0.04 * 200)
    assert sorted(strata) == list(range(200))
    assert set(np.unique(points[:, 1])) <= set(range(1, 10))   # integers
    logs = np.log10(points[:, 2])
    assert logs.min() >= -2 and logs.max() <= 0 and abs(np.median(logs) + 1) < 0.05


BAD = [
    ("[sweep]\nbase = 'missing.toml'\n", "cannot read the scenario file"),
    ("[sweep\n", "malformed TOML"),
    ("name = 'x'\n", "no [sweep] table"),
    ("[sweep]\nbase = '{base}'\ndesign = 'random'\n", "sweep.design"),
    ("[sweep]\nbase = '{base}'\n[[sweep.vary]]\nkey = 'firms.growth.drfit'\nvalues = [0.0]\n",
     "did you mean 'firms.growth.drift'"),
    ("[sweep]\nbase = '{base}'\n[[sweep.vary]]\nkey = 'scale'\nvalues = [5.0]\n",
     "sweep.vary[0].values"),
    ("[sweep]\nbase = '{base}'\ndesign = 'latin_hypercube'\nsamples = 4\n[[sweep.vary]]\n"
     "key = 'firms.growth.drift'\nrange = [0.04, 0.0]\n", "low < high"),
    ("[sweep]\nbase = '{base}'\ndesign = 'latin_hypercube'\n[[sweep.vary]]\n"
     "key = 'firms.growth.drift'\nrange = [0.0, 0.04]\n", "sweep.samples"),
    ("[sweep]\nbase = '{base}'\nreplicates = 0\n", "sweep.replicates"),
    ("[sweep]\nbase = '{base}'\nuntil = 2099\n", "sweep.until"),
    ("[sweep]\nbase = '{base}'\nrepeats = 3\n", "sweep.repeats"),
    ("[sweep]\nbase = '{base}'\n[sweep.set]\nscale = -1\n", "scale"),
    ("[sweep]\nbase = '{base}'\n[[sweep.vary]]\nkey = 'firms.rd.intensity'\nvalues = [1.0]\n",
     "cannot be varied"),
    ("[sweep]\nbase = '{base}'\n[sweep.outcomes]\nseries = [{{ name = 'profit' }}]\n",
     "outcomes.series[0].name"),
    ("[sweep]\nbase = '{base}'\ndesign = 'points'\npoints = [[1.0, 2.0]]\n[[sweep.vary]]\n"
     "key = 'firms.growth.drift'\n", "sweep.points"),
]


@pytest.mark.parametrize("text, message", BAD)
def test_bad_sweep_files_get_clear_errors(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text.format(base=SCENARIOS / "small.toml"))
    with pytest.raises(SweepError, match=None) as error:
        SweepSpec.load(path)
    assert message in str(error.value)
    assert str(path) in str(error.value)


def test_cli_sweep_resumes_and_reports(tmp_path):
    out = tmp_path / "cli.h5"
    spec_path = tmp_path / "tiny.toml"
    tiny_spec(tmp_path)   # writes tiny.toml
    # Dask's default dashboard port taken (by us, or already by something else): its
    # "Port 8787 is already in use" warning must not leak into the command's output.
    import socket
    busy = socket.socket()
    try:
        busy.bind(("127.0.0.1", 8787))
        busy.listen()
    except OSError:
        pass
    try:
        first = run_cli("sweep", str(spec_path), "-o", str(out), "--workers", "1", check=True)
    finally:
        busy.close()
    assert "8 runs (8 done, 0 failed)" in first.stdout
    assert "Warning" not in first.stderr and "8787" not in first.stderr, first.stderr
    again = run_cli("sweep", str(spec_path), "-o", str(out), "--workers", "1", check=True)
    assert "8 runs (8 done, 0 failed)" in again.stdout
    assert cs.load_sweep(out).runs()["attempts"].max() == 1   # nothing computed twice
    bad = run_cli("sweep", str(tmp_path / "nope.toml"), "-o", str(out))
    assert bad.returncode == 2 and "cannot read the sweep file" in bad.stderr


def test_cs_sweep_with_other_replicates(tmp_path):
    spec = tiny_spec(tmp_path, replicates=1)
    results = cs.sweep(spec, replicates=2, client="inline", output=tmp_path / "r.h5")
    assert len(results.runs()) == 8 and results.replicates == 2
    with pytest.raises(SweepError, match="replicates"):
        cs.sweep(spec, replicates=0, client="inline")


def test_the_model_as_an_ema_workbench_model():
    warnings.filterwarnings("ignore", message=".*ipyparallel.*")
    from clustersim.ema import ema_model
    from ema_workbench import SequentialEvaluator, perform_experiments
    sc = cs.Scenario.load(SCENARIOS / "small.toml")
    sc["scale"] = 0.01
    sc["output.firm_snapshots"] = False
    sc["output.talent_snapshots"] = False
    model = ema_model(sc, uncertainties={"firms.growth.drift": (0.0, 0.04)},
                      levers={"policy.land.supply.intensity": (0.0, 2.0)},
                      targets=["leading_share", "champions"], year=2023, seed=4)
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(model, scenarios=2, policies=2,
                                                    evaluator=evaluator)
    assert len(experiments) == 4 and set(outcomes) == {
        "leading_share", "champions", "leading_share_met", "champions_met"}
    # The first experiment, run directly, gives the same outcome.
    first = experiments.iloc[0]
    direct = sc.copy()
    direct["firms.growth.drift"] = float(first["firms__growth__drift"])
    direct["policy.land.supply.intensity"] = float(first["policy__land__supply__intensity"])
    sim = cs.Simulation(direct, seed=4, threads=1).run(2023)
    assert outcomes["leading_share"][0] == sim.targets().loc[2023, "leading_share"]


def test_cli_sweep_on_a_running_scheduler_and_kept_run_files(tmp_path):
    from distributed import LocalCluster
    spec_path = tmp_path / "tiny.toml"
    tiny_spec(tmp_path, replicates=1, design_lines="keep_runs = true")
    out = tmp_path / "remote.h5"
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=40) as cluster:
        result = run_cli("sweep", str(spec_path), "-o", str(out), "--scheduler",
                         cluster.scheduler_address, check=True)
    assert "4 runs (4 done, 0 failed)" in result.stdout
    results = cs.load_sweep(out)
    kept = sorted(p.name for p in (tmp_path / "remote.h5.runs").iterdir())
    assert kept == [f"run-{r:06d}.h5" for r in range(4)]
    for run in range(4):   # each kept file is that run's whole results file
        targets = cs.load(tmp_path / "remote.h5.runs" / kept[run]).targets()
        assert targets["pct"].to_numpy().tobytes() == \
            results.outcome("pct").loc[run].to_numpy().tobytes()


@pytest.mark.parametrize("path", sorted((SCENARIOS / "sweeps").glob("*.toml")),
                         ids=lambda p: p.name)
def test_every_shipped_sweep_file_loads(path):
    """The experiments the docs quote (docs/levers.md) must stay runnable as the scenario keys
    change: each shipped sweep file loads, its keys exist and its first point validates."""
    spec = SweepSpec.load(path)
    assert len(spec.points()) >= 1
