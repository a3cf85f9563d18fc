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
