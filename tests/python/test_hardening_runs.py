"""Single runs that a careless or hostile user could turn wrong (issue 24, docs/reliability.md):
a resume hint naming another run's checkpoint, an --until before the checkpoint, a fork that
changes what only the initial population reads, a resumed output without its early snapshots,
text the kernel cannot take, and a run too big for the machine."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import numpy as np
import pytest

import clustersim as cs
from clustersim import cli
from clustersim.errors import OutputError, ScenarioError
from clustersim.simulation import check_memory, estimate_memory
from conftest import ROOT, SCENARIOS, run_cli, small

SMALL = str(SCENARIOS / "small.toml")


def _refused(result: subprocess.CompletedProcess, *fragments: str) -> str:
    """The one error line of a refused command: exit status 2, no traceback, naming each
    fragment."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("clustersim: error:")]
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


class _InterruptAt:
    """A progress bar that raises KeyboardInterrupt (as Ctrl-C or SIGTERM do) after `month`."""

    def __init__(self, month: int):
        self.month = month

    def __call__(self, *args, **kwargs):
        month = self.month

        class Bar:
            def __call__(self, done, total):
                if done >= month:
                    raise KeyboardInterrupt

            def close(self):
                pass
        return Bar()


def _run_interrupted(monkeypatch, capsys, month: int, *args: str) -> str:
    monkeypatch.setattr(cli, "Progress", _InterruptAt(month))
    assert cli.main(["run", *args]) == 130
    return capsys.readouterr().err


# --- 1. the resume hint names this run's checkpoint only

def test_the_resume_hint_never_names_another_runs_checkpoint(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out.h5"
    checkpoint = tmp_path / "out.h5.checkpoint.h5"
    common = ["-o", str(out), "--set", "scale=0.01", "--until", "2023", "--threads", "1", "-q"]
    # Run A (seed 1) leaves a checkpoint; run B (seed 2, same -o) is stopped before its own.
    assert cli.main(["run", SMALL, *common, "--seed", "1", "--checkpoint-every", "12"]) == 0
    written_by_a = checkpoint.read_bytes()
    err = _run_interrupted(monkeypatch, capsys, 5, SMALL, *common, "--seed", "2",
                           "--checkpoint-every", "12")
    assert "clustersim run --from" not in err
    assert "No checkpoint of this run was written yet" in err
    assert f"{checkpoint} (scenario 'small', seed 1, at the end of 2022-12) is another run's" \
        in err
    assert checkpoint.read_bytes() == written_by_a   # left as it was

    # Stopped after its own checkpoint, B's hint resumes B: the result equals B run in one go.
    err = _run_interrupted(monkeypatch, capsys, 14, SMALL, *common, "--seed", "2",
                           "--checkpoint-every", "12")
    hint = re.search(r"clustersim run (--from \S+ -o \S+)", err)
    assert hint, err
    monkeypatch.undo()
    assert cli.main(["run", *hint.group(1).split(), "--until", "2023", "-q"]) == 0
    assert "resuming" not in capsys.readouterr().err     # -q: no note
    whole = tmp_path / "whole.h5"
    cs.Simulation(_small_001(), seed=2, threads=1).run(2023, output=whole)
    resumed, direct = cs.load(out), cs.load(whole)
    assert resumed.meta["seed"] == 2 and resumed.meta["restore_kind"] == "resume"
    for name in ("firms", "revenue_cny", "employees"):
        np.testing.assert_array_equal(resumed.series("zone", name), direct.series("zone", name))


def _small_001() -> cs.Scenario:
    sc = cs.Scenario.load(SMALL)
    sc["scale"] = 0.01
    return sc


def test_run_from_says_whether_it_resumes_or_forks_and_records_it(tmp_path):
    sim = cs.Simulation(small(scale=0.01), seed=3, threads=1)
    sim.run(2022)
    checkpoint = str(tmp_path / "c.h5")
    sim.checkpoint(checkpoint)
    same = run_cli("run", "--from", checkpoint, "-o", str(tmp_path / "same.h5"), check=True)
    assert f"clustersim: resuming {checkpoint} (scenario 'small', seed 3, at the end of " \
        "2022-12)" in same.stderr
    fork = run_cli("run", "--from", checkpoint, "-o", str(tmp_path / "fork.h5"), "--seed", "4",
                   "--set", "firms.entry.rate=0.2", check=True)
    assert "clustersim: forking" in fork.stderr
    assert "with changes: firms.entry.rate: 0.1 -> 0.2; seed: 3 -> 4" in fork.stderr
    meta = cs.load(tmp_path / "fork.h5").meta
    assert meta["restore_kind"] == "fork"
    assert meta["fork_changes"] == "firms.entry.rate: 0.1 -> 0.2; seed: 3 -> 4"
    assert meta["parent_run_id"] == sim._run_id != meta["run_id"]
    assert cs.load(tmp_path / "same.h5").meta["run_id"] == sim._run_id


# --- 2. --until before the checkpoint

def test_until_before_the_checkpoint_is_refused_with_nothing_written(tmp_path):
    sim = cs.Simulation(small(scale=0.01, horizon=2025), seed=1, threads=1)
    sim.run(2024)
    checkpoint = str(tmp_path / "c.h5")
    sim.checkpoint(checkpoint)
    out = tmp_path / "r.h5"
    result = run_cli("run", "--from", checkpoint, "-o", str(out), "--until", "2023")
    _refused(result, "--until 2023", checkpoint, "the end of 2024-12",
             "expected a year from 2024 to 2025")
    assert not out.exists() and not (tmp_path / "r.h5.partial").exists()
    with pytest.raises(ScenarioError, match=f"restored from the checkpoint .*c.h5, which is at "
                       "the end of 2024-12") as error:
        cs.Simulation.restore(checkpoint).run(2023, output=out)
    assert error.value.key == "until" and not out.exists()
    # The checkpoint's own year is allowed: nothing to step, the file holds 2022-2024 as asked.
    run_cli("run", "--from", checkpoint, "-o", str(out), "--until", "2024", "-q", check=True)
    assert cs.load(out).meta["until_year"] == 2024
    assert len(cs.load(out).series("zone", "firms")) == 36


# --- 3. a fork may not change what only the initial population reads

@pytest.mark.parametrize("key, value", [("population.firms_total", 50000),
                                        ("incubators.count", 10),
                                        ("vc.initial_funds", [1.0, 2.0, 3.0]),
                                        ("parks.initial_occupancy", 0.5)])
def test_a_fork_changing_an_initial_population_parameter_is_refused(tmp_path, key, value):
    sim = cs.Simulation(small(scale=0.01), seed=1, threads=1)
    sim.run(2022)
    checkpoint = str(tmp_path / "c.h5")
    sim.checkpoint(checkpoint)
    fork = small(scale=0.01)
    fork[key] = value
    with pytest.raises(ScenarioError) as error:
        cs.Simulation.restore(checkpoint, fork)
    assert error.value.key == key
    assert f"{key} = {value!r} differs from the checkpoint's {sim.scenario[key]!r}" \
        in str(error.value)
    assert checkpoint in str(error.value)
    out = tmp_path / "f.h5"
    text = value if not isinstance(value, list) else "[" + ",".join(map(str, value)) + "]"
    result = run_cli("run", "--from", checkpoint, "-o", str(out), "--set", f"{key}={text}")
    _refused(result, key, repr(sim.scenario[key]), "acts only when the initial population")
    assert not out.exists()


def test_a_fork_changing_a_parameter_that_acts_later_is_accepted(tmp_path):
    sim = cs.Simulation(small(scale=0.01), seed=1, threads=1)
    sim.run(2022)
    sim.checkpoint(tmp_path / "c.h5")
    fork = small(scale=0.01)
    fork["firms.entry.rate"] = 0.3
    assert cs.Simulation.restore(tmp_path / "c.h5", fork).run(2023).year == 2023


# --- 4. a resumed output says which snapshots it lacks

def test_a_resumed_output_says_its_earlier_snapshots_are_absent(tmp_path):
    sim = cs.Simulation(small(scale=0.01, horizon=2024), seed=1, threads=1)
    sim.run(2022)
    sim.step(6)                                   # mid-2023: the 2023 December is still to come
    checkpoint = str(tmp_path / "c.h5")
    sim.checkpoint(checkpoint)
    out = tmp_path / "resumed.h5"
    run_cli("run", "--from", checkpoint, "-o", str(out), "-q", check=True)
    results = cs.load(out)
    assert results.meta["snapshots_from_year"] == 2023
    assert results.meta["resumed_at"] == "2023-06"
    assert results.snapshot_labels() == ["2023", "2024"]
    info = run_cli("info", str(out), check=True).stdout
    assert re.search(r"resume: +resumed from the checkpoint .*c\.h5 at 2023-06: 'initial' and "
                     "the snapshots before 2023 are not in this file", info), info
    assert "snapshots from 2023 only" in repr(results)
    for missing in (2022, "initial"):
        with pytest.raises(OutputError, match=rf"{out}: no firms snapshot '{missing}'; "
                           r"available: 2023, 2024 \(this run resumed from the checkpoint"):
            results.snapshot(missing)
    with pytest.raises(KeyError):                 # still a KeyError, as before
        results.snapshot(2022)
    # A run from the start has every snapshot and no such note.
    whole = tmp_path / "whole.h5"
    cs.Simulation(small(scale=0.01, horizon=2024), seed=1, threads=1).run(output=whole)
    assert "snapshots_from_year" not in cs.load(whole).meta
    assert "resumed from the checkpoint" not in run_cli("info", str(whole), check=True).stdout


# --- 5. text the kernel cannot take

@pytest.mark.parametrize("key, value", [("name", "a\0b"), ("name", "a\ud800b"),
                                        ("description", "x\udcff")])
def test_text_values_with_nul_or_lone_surrogates_are_refused(key, value):
    with pytest.raises(ScenarioError) as error:
        cs.Scenario({key: value})
    assert error.value.key == key and error.value.value == repr(value)
    assert str(error.value) == (f"key '{key}': value {value!r} is invalid; expected UTF-8 text "
                                "without NUL characters")
    scenario = cs.Scenario.load(SMALL)
    with pytest.raises(ScenarioError, match=f"{SMALL}: key '{key}'"):
        scenario[key] = value
    with pytest.raises(ScenarioError, match="expected UTF-8 text without NUL"):
        cs.Scenario({f"na{value}me": 1})


def test_a_nul_escape_in_a_scenario_file_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "nul.toml"
    path.write_text('name = "a\\u0000b"\n', encoding="utf-8")
    _refused(run_cli("validate", str(path)), f"{path}: key 'name': value 'a\\x00b' is invalid",
             "expected UTF-8 text without NUL characters")


def test_non_utf8_bytes_on_the_command_line_are_refused(tmp_path):
    # A name given as bytes that are not UTF-8 reaches Python as lone surrogates.
    base = [sys.executable, "-m", "clustersim.cli", "run", SMALL.encode(), b"--until", b"2022"]
    result = subprocess.run([*base, b"--set", b"name=a\xffb", b"-o", str(tmp_path / "o.h5")
                             .encode()], capture_output=True, timeout=120)
    _refused(_decoded(result), "--set name=a", "key 'name': value 'a\\udcffb' is invalid",
             "expected UTF-8 text without NUL characters")
    output = str(tmp_path).encode() + b"/o\xff.h5"
    result = subprocess.run([*base, b"-q", b"-o", output], capture_output=True, timeout=120)
    _refused(_decoded(result), "o\\xff.h5: the results file's name is not UTF-8 text")
    assert list(tmp_path.iterdir()) == []


def _decoded(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    result.stderr = result.stderr.decode("utf-8", "backslashreplace")
    return result


# --- 6. a run too big for the machine is refused before it allocates

HOSTILE = ["--set", "talent.training_per_year=1e7", "--set", "talent.international_per_year=1e7",
           "--set", "talent.graduates_per_year=[1e7,1e7,1e7]", "--set", "horizon_year=2100"]


def test_a_run_bigger_than_the_memory_is_refused_at_once_with_its_estimate(tmp_path):
    out = tmp_path / "big.h5"
    started = time.perf_counter()
    result = run_cli("run", str(SCENARIOS / "baseline.toml"), *HOSTILE, "-o", str(out),
                     "--max-memory", "16")
    elapsed = time.perf_counter() - started
    line = _refused(result, "scenarios/baseline.toml: a run to 2100 needs up to about",
                    "GiB of memory", "talent agents of 51 bytes", "talent.training_per_year",
                    "the limit (--max-memory) is 16.0 GiB")
    assert elapsed < 10, elapsed   # the run died of bad_alloc after 54 s at 5.3 GB
    assert not out.exists() and not (tmp_path / "big.h5.partial").exists()
    estimate = float(re.search(r"about ([\d.]+) GiB", line).group(1))
    assert estimate > 100
    # Without --max-memory the limit is the memory available now.
    available = cs.simulation.available_memory()
    if available is not None and available < estimate * 2**30:
        _refused(run_cli("run", str(SCENARIOS / "baseline.toml"), *HOSTILE, "-o", str(out)),
                 "of memory is available")


def test_the_python_api_refuses_a_run_too_big_before_stepping():
    scenario = small(scale=0.01, horizon=2100)
    scenario["talent.training_per_year"] = 1e7
    sim = cs.Simulation(scenario, seed=1, threads=1)
    # About 1 GiB to 2100 (0.99 GiB with the trainee lever at its evidence-based size).
    with pytest.raises(ScenarioError, match="the limit \\(max_memory\\) is 512 MiB") as error:
        sim.run(max_memory=2**29)
    assert error.value.key == "talent.training_per_year" and sim.steps_done == 0
    # Up to 2022 it fits: the estimate follows `until`.
    assert sim.run(2022, max_memory=2**29).year == 2022
    with pytest.raises(ScenarioError, match="population.firms_total times scale"):
        big = cs.Scenario({"population.firms_total": 10_000_000, "scale": 1.0})
        cs.Simulation(big, max_memory=2**30)      # refused before the population is built


def test_the_baseline_at_full_scale_fits_and_its_run_starts(tmp_path):
    baseline = cs.Scenario.load(SCENARIOS / "baseline.toml")
    assert baseline["scale"] == 1.0
    estimate = estimate_memory(baseline)
    assert 100 * 2**20 < estimate.bytes < 2**30
    check_memory(baseline, None, 2**30)
    out = tmp_path / "baseline.h5"
    run_cli("run", str(SCENARIOS / "baseline.toml"), "-o", str(out), "--until", "2022", "-q",
            "--max-memory", "1", check=True)
    assert cs.load(out).meta["until_year"] == 2022


def test_the_estimate_is_above_the_memory_a_run_really_takes(tmp_path):
    # A run of a million talent agents, measured in a fresh process: the estimate is an upper
    # one, and not wildly so (agents that leave early are what it does not count).
    code = f"""
import resource, clustersim as cs
from clustersim.simulation import estimate_memory
sc = cs.Scenario.load({SMALL!r})
sc["scale"] = 0.05; sc["horizon_year"] = 2023; sc["talent.training_per_year"] = 1e7
estimate = estimate_memory(sc).bytes
def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) * 1024
# The peak so far may be above the run's (imports, caches built on a fresh machine): reset the
# high-water mark (Linux: 5 to clear_refs), then measure the run's peak over the RSS before it.
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
before = status("VmRSS:")
cs.Simulation(sc, seed=1, threads=1).run(output={str(tmp_path / 'm.h5')!r})
print(estimate, status("VmHWM:") - before)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300, cwd=ROOT, check=True)
    estimate, used = map(float, result.stdout.split())
    assert used < estimate < 3 * used, (estimate, used)


def test_max_memory_must_be_positive(tmp_path):
    _refused(run_cli("run", SMALL, "-o", str(tmp_path / "o.h5"), "--max-memory", "0"),
             "--max-memory 0.0: expected a positive number of GiB")
    assert not (tmp_path / "o.h5").exists()
