"""Interrupted runs and sweeps: a signal to a real process stops it within seconds and leaves a
valid file marked incomplete (or a resumable sweep file)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import h5py
import pytest

import clustersim as cs
from conftest import ROOT, SCENARIOS


def _start(*args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen([sys.executable, "-m", "clustersim.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_a_run_and_leaves_an_incomplete_file(tmp_path, signum):
    out = tmp_path / "run.h5"
    partial = tmp_path / "run.h5.partial"
    # 1/5 scale to 2035 takes ~10 s: the signal comes while it steps.
    process = _start("run", str(SCENARIOS / "baseline.toml"), "-o", str(out), "--set",
                     "scale=0.2", "--threads", "1", "-q")
    _wait_for(partial.exists, 60)
    time.sleep(1.0)
    sent = time.monotonic()
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)
    stopped_after = time.monotonic() - sent
    assert process.returncode == 130, stderr
    assert stopped_after < 5.0   # one step is well under a second at this scale
    assert "interrupted" in stderr and "run.h5.partial" in stderr
    assert not out.exists() and partial.exists()
    with h5py.File(partial) as f:
        assert int(f.attrs["complete"]) == 0
    with pytest.raises(cs.OutputError, match="incomplete"):
        cs.load(partial)
    assert cs.load(partial, allow_incomplete=True).snapshot_years()[0] == 2022


def test_a_signal_stops_a_sweep_and_the_same_command_resumes_it(tmp_path):
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(f"""
[sweep]
base = "{SCENARIOS / 'no-new-policy.toml'}"
replicates = 40
until = 2030
[sweep.set]
scale = 0.02
output.firm_snapshots = false
output.talent_snapshots = false
[sweep.outcomes]
series = [{{ level = "zone", name = "revenue_cny" }}]
""")
    out = tmp_path / "sweep.h5"
    process = _start("sweep", str(sweep), "-o", str(out), "--workers", "1", "-q")

    # The sweep holds its file open (and locked) while it runs: wait for the file, then for
    # a few seconds of runs (~0.4 s each).
    _wait_for(out.exists, 120)
    time.sleep(4.0)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "run the same command again to resume" in stderr
    partial = cs.load_sweep(out)
    runs = partial.runs()
    done_before = set(runs.index[runs["status"] == "done"])
    assert 2 <= len(done_before) < 40 and not partial.complete
    finished = subprocess.run([sys.executable, "-m", "clustersim.cli", "sweep", str(sweep), "-o",
                               str(out), "--workers", "1", "-q"], cwd=ROOT, capture_output=True,
                              text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    runs = cs.load_sweep(out).runs()
    assert (runs["status"] == "done").all()
    assert (runs.loc[sorted(done_before), "attempts"] == 1).all()   # not computed again


# --- checkpoints, restore and fork
def test_resuming_from_a_checkpoint_gives_the_uninterrupted_output(tmp_path):
    from conftest import run_cli
    common = ["--set", "scale=0.02", "--until", "2025", "--seed", "5", "-q"]
    whole = tmp_path / "whole.h5"
    run_cli("run", str(SCENARIOS / "small.toml"), "-o", str(whole), *common, check=True)
    first = tmp_path / "first.h5"
    run_cli("run", str(SCENARIOS / "small.toml"), "-o", str(first), "--checkpoint-every", "18",
            *common, check=True)
    checkpoint = tmp_path / "first.h5.checkpoint.h5"   # the last one: after step 36
    resumed = tmp_path / "resumed.h5"
    run_cli("run", "--from", str(checkpoint), "-o", str(resumed), "--until", "2025", "-q",
            check=True)
    with h5py.File(whole) as a, h5py.File(resumed) as b:
        for group in ("series/park", "series/zone", "series/city", "targets"):
            for name in a[group]:
                assert a[f"{group}/{name}"][()].tobytes() == b[f"{group}/{name}"][()].tobytes(), \
                    (group, name)
        assert b.attrs["parent_step"] == "36" and b.attrs["seed"] == "5"
        # Snapshots after the checkpoint are the same; those before it are in the first file.
        assert sorted(b["snapshots"]) == ["2025"]
        for column in a["snapshots/2025"]:
            assert a[f"snapshots/2025/{column}"][()].tobytes() == \
                b[f"snapshots/2025/{column}"][()].tobytes()


def test_a_fork_from_python_keeps_the_past_and_records_its_parent(tmp_path):
    sc = cs.Scenario.load(SCENARIOS / "no-new-policy.toml")
    sc["scale"] = 0.02
    sc["horizon_year"] = 2027
    sim = cs.Simulation(sc, seed=8, threads=2).run(2025)
    path = sim.checkpoint(tmp_path / "2025.h5")
    fork = sc.copy()
    fork["policy.land.supply.intensity"] = 2.0
    fork["policy.land.supply.start_year"] = 2026
    branch = cs.Simulation.restore(path, fork, threads=2).run(output=tmp_path / "branch.h5")
    same = cs.Simulation.restore(path).run()
    space_branch = branch.series("zone", "floor_space_m2")["zone"]
    space_same = same.series("zone", "floor_space_m2")["zone"]
    assert (space_branch[:"2025-12"] == space_same[:"2025-12"]).all()
    assert space_branch["2027-12"] > space_same["2027-12"]
    meta = cs.load(tmp_path / "branch.h5").meta
    assert meta["parent_checkpoint"] == str(path) and meta["parent_step"] == "48"
    assert "intensity = 0.0" in meta["parent_scenario_toml"]


@pytest.mark.parametrize("content", [b"", b"not hdf5 at all", None])
def test_restore_refuses_files_that_are_not_checkpoints(tmp_path, content, small_results):
    path = tmp_path / "x.h5"
    if content is None:
        path = small_results          # a results file, not a checkpoint
    else:
        path.write_bytes(content)
    with pytest.raises(cs.OutputError, match="checkpoint"):
        cs.Simulation.restore(path)


def test_sigterm_with_checkpoints_says_how_to_resume(tmp_path):
    out = tmp_path / "run.h5"
    checkpoint = tmp_path / "run.h5.checkpoint.h5"
    process = _start("run", str(SCENARIOS / "baseline.toml"), "-o", str(out), "--set",
                     "scale=0.2", "--threads", "1", "--checkpoint-every", "6", "-q")
    _wait_for(checkpoint.exists, 120)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert f"clustersim run --from {checkpoint} -o {out}" in stderr
    restored = cs.Simulation.restore(checkpoint)
    assert restored.steps_done % 6 == 0 and restored.steps_done >= 6


def test_a_snapshot_that_fails_on_the_writer_thread_is_an_output_error_in_python(tmp_path):
    # Snapshots are compressed and written by a thread of the kernel while the run steps on: a
    # full disk there reaches Python as an OutputError naming the file, at the next snapshot or
    # at the end, and the process still exits normally (no crash in HDF5's exit handler).
    out = tmp_path / "run.h5"
    script = f"""
import resource, signal, sys
import clustersim as cs
sc = cs.Scenario.load({str(SCENARIOS / "small.toml")!r})
sc["scale"] = 0.02
sc["horizon_year"] = 2024
resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, resource.RLIM_INFINITY))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
try:
    cs.Simulation(sc, seed=1, threads=2).run(output={str(out)!r})
except cs.OutputError as error:
    print("OutputError:", error)
    sys.exit(0)
print("no error")
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OutputError:"), result.stdout + result.stderr
    assert f"{out}.partial: cannot write" in result.stdout
    assert not out.exists() and os.path.exists(f"{out}.partial")  # truncated: never whole
