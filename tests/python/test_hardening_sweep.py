"""Sweeps that meet a full disk, a damaged sweep file or a hung worker (docs/reliability.md):
finished runs survive in the sweep's journal, a re-run resumes to the uninterrupted result bit
for bit, and a run that holds its worker too long is tried elsewhere, then recorded as failed."""

from __future__ import annotations

import errno
import math
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest

from clustersim.errors import OutputError
from clustersim.sweep import RunTimeout, SweepFile, _Journal, run_sweep, simulate
from clustersim.sweepfile import SweepError, SweepSpec
from conftest import ROOT, SCENARIOS

SWEEP = """\
[sweep]
name = "tiny"
base = "{base}"
seed = 5
replicates = 2
until = 2023
[sweep.set]
scale = 0.01
output.firm_snapshots = false
output.talent_snapshots = false
[[sweep.vary]]
key = "policy.land.supply.intensity"
values = [0.0, 1.0, 2.0, 3.0]
[sweep.outcomes]
series = [{{ level = "zone", name = "floor_space_m2" }}]
"""
RUNS = 8   # 4 points x 2 replicates, ~0.1 s each


def tiny_sweep(folder) -> str:
    path = folder / "tiny.toml"
    path.write_text(SWEEP.format(base=SCENARIOS / "small.toml"), encoding="utf-8")
    return str(path)


def contents(path) -> dict[str, bytes]:
    """Every outcome and the run table's status and attempts, as bytes."""
    found = {}
    with h5py.File(path, "r") as f:
        f["outcomes"].visititems(lambda name, item: found.__setitem__(
            name, item[()].tobytes()) if isinstance(item, h5py.Dataset) else None)
        for name in ("status", "attempts"):
            found[name] = f[f"runs/{name}"][()].tobytes()
    assert len(found) > 10   # the targets, their flags, the series
    return found


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, bytes]:
    """The same sweep, uninterrupted."""
    folder = tmp_path_factory.mktemp("reference")
    run_sweep(tiny_sweep(folder), folder / "whole.h5", client="inline")
    return contents(folder / "whole.h5")


def counting(computed: list[int]):
    def runner(task):
        computed.append(task.run)
        return simulate(task)
    return runner


def interrupted_at(sweep: str, out, done: int) -> None:
    def interrupt(finished):
        if finished == done:
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        run_sweep(sweep, out, client="inline", on_result=interrupt)


def file_size_limit(size: int):
    def limit():
        # Files may not grow beyond `size` bytes: writes then fail with EFBIG, like a full disk.
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return limit


def cli_sweep(sweep: str, out, **options) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("CLUSTERSIM_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "clustersim.cli", "sweep", sweep, "-o",
                           str(out), "--workers", "1", "-q"], cwd=ROOT, capture_output=True,
                          text=True, env=env, timeout=300, **options)


# --- a full disk
def test_a_sweep_whose_file_cannot_grow_stops_cleanly_and_resumes_identically(tmp_path,
                                                                           reference):
    sweep, out = tiny_sweep(tmp_path), tmp_path / "s.h5"
    spec = SweepSpec.load(sweep)
    SweepFile(str(out), spec, spec.points()).close()   # the new file, no run yet
    size = out.stat().st_size

    full = cli_sweep(sweep, out, preexec_fn=file_size_limit(size))
    assert full.returncode == 2, full.stderr      # not 139 (SIGSEGV), not a traceback
    lines = full.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in full.stderr, full.stderr
    assert lines[0].startswith(f"clustersim: error: {out}: cannot write the sweep file "
                               "(File too large; disk full?); "), lines[0]
    kept = re.search(rf"(\d+) finished runs? kept in {re.escape(str(out))}\.journal: free space "
                     "and re-run the same command to resume", lines[0])
    assert kept and int(kept.group(1)) >= 1, lines[0]
    assert (tmp_path / "s.h5.journal").stat().st_size > 0

    again = cli_sweep(sweep, out)
    assert again.returncode == 0, again.stderr
    assert f"wrote {out}: {RUNS} runs ({RUNS} done, 0 failed)" in again.stdout
    # Bit for bit the uninterrupted sweep; every attempt 1: no journaled run computed again.
    assert contents(out) == reference
    assert not (tmp_path / "s.h5.journal").exists()   # removed once every run is done
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_new_sweep_on_a_full_disk_leaves_nothing_behind(tmp_path):
    sweep, out = tiny_sweep(tmp_path), tmp_path / "s.h5"
    full = cli_sweep(sweep, out, preexec_fn=file_size_limit(4096))
    assert full.returncode == 2, full.stderr
    assert full.stderr.startswith(f"clustersim: error: {out}: cannot write the sweep file "
                                  "(File too large; disk full?); no run had finished yet")
    assert "Traceback" not in full.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.toml"]


def test_the_python_api_reports_a_full_disk_and_its_process_exits_normally(tmp_path,
                                                                         reference):
    # HDF5 crashes a process at exit once one of its writes failed; the sweep's writes are in
    # a process of their own, so a program that catches the error goes on and exits normally.
    sweep, out = tiny_sweep(tmp_path), tmp_path / "s.h5"
    spec = SweepSpec.load(sweep)
    SweepFile(str(out), spec, spec.points()).close()
    code = ("import sys; from clustersim.sweep import run_sweep; "
            "from clustersim.errors import OutputError\n"
            "try:\n    run_sweep(sys.argv[1], sys.argv[2], client='inline')\n"
            "except OutputError as error:\n    print(error)\n")
    caught = subprocess.run([sys.executable, "-c", code, sweep, str(out)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300,
                            preexec_fn=file_size_limit(out.stat().st_size))
    assert caught.returncode == 0, caught.stderr
    assert f"{out}: cannot write the sweep file (File too large; disk full?)" in caught.stdout
    kept = int(re.search(r"(\d+) finished runs? kept", caught.stdout).group(1))
    assert kept >= 1

    computed: list[int] = []
    run_sweep(sweep, out, client="inline", runner=counting(computed))
    assert len(computed) == RUNS - kept == len(set(computed))   # only what the journal lacks
    assert contents(out) == reference


def test_a_journal_that_cannot_be_written_stops_the_sweep_and_keeps_what_it_has(
        tmp_path, monkeypatch, reference):
    sweep, out = tiny_sweep(tmp_path), tmp_path / "s.h5"
    original = _Journal.append
    appended: list[int] = []

    def fourth_fails(self, finished, **options):
        if len(appended) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        original(self, finished, **options)
        appended.append(finished.run)

    monkeypatch.setattr(_Journal, "append", fourth_fails)
    with pytest.raises(OutputError) as failure:
        run_sweep(sweep, out, client="inline")
    message = str(failure.value)
    assert message.startswith(f"{out}.journal: cannot write the journal of the sweep's finished "
                              "runs (No space left on device; disk full?); 3 finished runs "
                              f"kept in it: free space and re-run the same command"), message
    monkeypatch.undo()
    computed: list[int] = []
    run_sweep(sweep, out, client="inline", runner=counting(computed))
    assert sorted(computed) == sorted(set(range(RUNS)) - set(appended))
    assert contents(out) == reference


# --- a damaged sweep file, a journal ahead of the file, a torn record
def test_a_damaged_sweep_file_is_rebuilt_from_its_journal(tmp_path, capfd, reference):
    sweep, out = tiny_sweep(tmp_path), tmp_path / "s.h5"
    interrupted_at(sweep, out, 5)
    journal = tmp_path / "s.h5.journal"
    assert journal.exists()
    with open(out, "r+b") as f:   # what a failed write can leave: HDF5 reads "addr overflow"
        f.truncate(out.stat().st_size // 2)

    # Without its journal the damaged file is refused, named, untouched.
    shutil.move(journal, tmp_path / "aside")
    damaged = out.read_bytes()
    with pytest.raises(OutputError, match=re.escape(f"{out}: cannot read the sweep file (")
                       + ".*no journal of its finished runs"):
        run_sweep(sweep, out, client="inline")
    assert out.read_bytes() == damaged and not journal.exists()

    shutil.move(tmp_path / "aside", journal)
    computed: list[int] = []
    capfd.readouterr()
    run_sweep(sweep, out, client="inline", runner=counting(computed))
    assert f"{out} cannot be read" in capfd.readouterr().err
    assert sorted(computed) == [5, 6, 7]      # the five journaled runs are not computed again
    assert contents(out) == reference
    assert not journal.exists()


def test_runs_in_the_journal_but_not_in_the_file_are_replayed(tmp_path, reference):
    sweep, out = tiny_sweep(tmp_path), tmp_path / "s.h5"
    interrupted_at(sweep, out, 5)
    # As if the client had crashed before its last batch reached the file: runs 3 and 4 are
    # only in the journal. And a crash mid-append leaves a torn record (no newline) at its end.
    with h5py.File(out, "r+") as f:
        f["runs/status"][[3, 4]] = 0
        f["runs/attempts"][[3, 4]] = 0
        for name in ("outcomes/series/zone.floor_space_m2.december",
                     "outcomes/targets/leading_share"):
            f[name][[3, 4]] = np.nan
    with open(tmp_path / "s.h5.journal", "ab") as f:
        f.write(b'0badc0de {"run":6,"status":1,"attem')
    computed: list[int] = []
    run_sweep(sweep, out, client="inline", runner=counting(computed))
    assert sorted(computed) == [5, 6, 7]
    assert contents(out) == reference


def test_a_journal_of_another_sweep_is_refused_by_name(tmp_path):
    sweep, out = tiny_sweep(tmp_path), tmp_path / "s.h5"
    interrupted_at(sweep, out, 3)
    out.unlink()
    other = SweepSpec.load(sweep)
    other.replicates = 3
    with pytest.raises(OutputError, match=re.escape(f"{out}.journal: holds the finished runs "
                                                    "of another sweep")):
        run_sweep(other, out, client="inline")
    assert not out.exists()


# --- hung workers
@pytest.mark.parametrize("when", ["holding results", "before the sweep"])
def test_a_stopped_worker_times_out_and_its_runs_finish_on_another(tmp_path, reference, when):
    # Stopped mid-sweep, the worker keeps results the sweep has not fetched yet (and maybe
    # runs one); stopped before the sweep, it is given runs and never starts one.
    from distributed import Client, LocalCluster
    sweep, out = tiny_sweep(tmp_path), tmp_path / "s.h5"
    stopped: list[int] = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=50) as cluster, Client(cluster) as c:
        pids = c.run(os.getpid)
        victim = min(pids)

        def stop_one(done):
            if stopped or done != (1 if when == "holding results" else 0):
                return
            if when == "holding results":   # wait (the sweep waits too) for a result there
                deadline = time.monotonic() + 30
                while not any(victim in held for held in c.who_has().values()):
                    assert time.monotonic() < deadline, "no result kept on the worker"
                    time.sleep(0.05)
            os.kill(pids[victim], signal.SIGSTOP)
            stopped.append(pids[victim])
        stop_one(0)
        started = time.monotonic()
        try:
            run_sweep(sweep, out, client=c, on_result=stop_one, run_timeout=3, retries=2)
            elapsed = time.monotonic() - started
            # Its nanny killed it on the sweep's request (not the cluster's shutdown, below).
            assert stopped and not _alive(stopped[0])
            assert len(c.scheduler_info()["workers"]) == 2   # and started a new one
        finally:
            for pid in stopped:   # never leave a stopped process behind, whatever happened
                if _alive(pid):
                    os.kill(pid, signal.SIGKILL)
    assert elapsed < 45
    assert contents(out) == reference


def test_a_run_that_never_finishes_is_recorded_as_failed_after_its_retries(tmp_path):
    from distributed import Client, LocalCluster
    sweep, out = tiny_sweep(tmp_path), tmp_path / "s.h5"

    def hangs_on_run_2(task):
        if task.run == 2:
            time.sleep(3600)
        return simulate(task)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=50) as cluster, Client(cluster) as c:
        started = time.monotonic()
        results = run_sweep(sweep, out, client=c, runner=hangs_on_run_2, run_timeout=3,
                            retries=1)
        elapsed = time.monotonic() - started
    runs = results.runs()
    assert list(runs["status"]) == ["done"] * 2 + ["failed"] + ["done"] * 5
    assert runs.loc[2, "error"].startswith("TimeoutError: run 2 got no result from its worker "
                                           "within the run timeout of 3 s on each of 2 tries")
    assert results.complete and elapsed < 50


def test_the_run_timeout_is_checked_and_its_default_follows_the_runs(tmp_path):
    sweep = tiny_sweep(tmp_path)
    for bad in (0, -1, math.nan, math.inf, "5", True):
        with pytest.raises(SweepError, match=r"run_timeout = .*expected a positive number of "
                           "seconds") as error:
            run_sweep(sweep, tmp_path / "s.h5", client="inline", run_timeout=bad)
        assert error.value.key == "run_timeout"
    assert list(tmp_path.iterdir()) == [tmp_path / "tiny.toml"]
    assert RunTimeout(7.5).seconds() == 7.5
    default = RunTimeout(None, expected=100.0)     # 20 x the expected run time
    assert default.seconds() == 2000.0
    default.observe(500.0)                         # 10 x the slowest run so far
    assert default.seconds() == 5000.0
    assert RunTimeout(None, expected=0.1).seconds() == 600.0   # never under 10 minutes


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child of the nanny may linger as a zombie until it is reaped.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False
