"""Outputs that a hostile or careless user could destroy (docs/reliability.md, "Outputs"): two
writers of one output, special files and links, an output that is also an input, sweeps too big
for the machine, and a sweep file interrupted while it is being created."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import h5py
import pytest

import clustersim as cs
from clustersim.errors import OutputError
from clustersim.sweep import SweepFile, check_resources, run_sweep
from clustersim.sweepfile import SweepError, SweepSpec
from conftest import ROOT, SCENARIOS, run_cli, small

TINY_SWEEP = """\
[sweep]
name = "tiny"
base = "{base}"
replicates = 1
until = 2022
[sweep.set]
scale = 0.01
[[sweep.vary]]
key = "policy.land.supply.intensity"
values = [0.0, 1.0]
"""


def tiny_sweep(folder) -> str:
    path = folder / "tiny.toml"
    path.write_text(TINY_SWEEP.format(base=SCENARIOS / "small.toml"), encoding="utf-8")
    return str(path)


# --- two writers of one output
def test_a_second_run_on_the_same_output_is_refused_and_the_first_completes(tmp_path):
    out = tmp_path / "r.h5"
    second: dict[str, object] = {}

    def while_writing(done: int, total: int) -> None:
        if done != 2:
            return
        # Another process, as in the report: it is refused before it touches the partial file.
        second["cli"] = run_cli("run", str(SCENARIOS / "small.toml"), "-o", str(out), "-q",
                                "--set", "scale=0.01")
        # And another simulation of this process.
        other = cs.Simulation(small(scale=0.01), seed=2, threads=1)
        with pytest.raises(OutputError, match="another clustersim run is writing this output"):
            other.run(2022, output=out)
        second["python"] = True

    first = cs.Simulation(small(scale=0.01), seed=1, threads=1)
    first.run(2022, output=out, progress=while_writing)
    cli = second["cli"]
    assert cli.returncode == 2, cli.stderr
    assert "another clustersim run is writing this output file now" in cli.stderr
    assert second["python"]
    assert cs.load(out).meta["seed"] == 1   # the first run's file, whole and complete
    with h5py.File(out, "r") as f:
        assert f.attrs["complete"] == 1
    assert not (tmp_path / "r.h5.partial").exists()


def test_a_second_sweep_on_an_open_sweep_file_is_refused_clearly(tmp_path):
    sweep = tiny_sweep(tmp_path)
    out = tmp_path / "s.h5"
    run_sweep(sweep, out, client="inline")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, h5py; f = h5py.File(sys.argv[1], 'r+'); "
         "print('open', flush=True); sys.stdin.read()", str(out)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        result = run_cli("sweep", sweep, "-o", str(out), "-q")
    finally:
        holder.communicate("")
    assert result.returncode == 2, result.stderr
    assert "another process has this sweep file open for writing" in result.stderr
    assert "Traceback" not in result.stderr
    assert cs.load_sweep(out).complete


def test_two_sweeps_creating_one_file_at_once_leave_one_whole_file(tmp_path):
    sweep = tiny_sweep(tmp_path)
    out = tmp_path / "s.h5"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    command = [sys.executable, "-m", "clustersim.cli", "sweep", sweep, "-o", str(out), "-q",
               "--workers", "1"]
    both = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env, cwd=ROOT) for _ in range(2)]
    results = [p.communicate(timeout=300) + (p.returncode,) for p in both]
    # Whichever wins, the other either finds the whole file (and finishes or resumes it) or is
    # refused with a clear message while the winner has it open; nothing is ever corrupted.
    assert any(rc == 0 for _, _, rc in results), results
    for _, stderr, rc in results:
        assert rc == 0 or (rc == 2 and "open for writing" in stderr), stderr
        assert "Traceback" not in stderr
    assert cs.load_sweep(out).complete
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".s.h5")] == []


# --- special files, links and inputs
def _special_outputs(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    yield fifo, "a FIFO"
    if os.geteuid() == 0:   # a device node of our own, never the machine's /dev/null
        node = tmp_path / "null-device"
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        yield node, "a character device"
    target = tmp_path / "target.h5"
    target.write_bytes(b"keep")
    link = tmp_path / "link.h5"
    link.symlink_to(target)
    yield link, "a symbolic link"
    (tmp_path / "folder").mkdir()
    yield tmp_path / "folder", "a directory"


def test_outputs_that_are_special_files_or_links_are_refused_untouched(tmp_path):
    sc = small(scale=0.01)
    sweep = tiny_sweep(tmp_path)
    seen = 0
    for path, kind in _special_outputs(tmp_path):
        seen += 1
        before = os.lstat(path)
        with pytest.raises(OutputError, match=f"{path.name}: is {kind}"):
            cs.Simulation(sc, seed=1, threads=1).run(2022, output=path)
        with pytest.raises(OutputError, match=f"is {kind}"):
            run_sweep(sweep, path, client="inline")
        result = run_cli("run", str(SCENARIOS / "small.toml"), "-o", str(path), "-q")
        assert result.returncode == 2 and f"is {kind}" in result.stderr, result.stderr
        after = os.lstat(path)
        assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert seen >= 3
    assert (tmp_path / "target.h5").read_bytes() == b"keep"


def test_a_leftover_partial_link_is_not_written_through(tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep", encoding="utf-8")
    (tmp_path / "out.h5.partial").symlink_to(target)
    with pytest.raises(OutputError, match="out.h5.partial: is a symbolic link"):
        cs.Simulation(small(scale=0.01), seed=1, threads=1).run(2022, output=tmp_path / "out.h5")
    sim = cs.Simulation(small(scale=0.01), seed=1, threads=1).run(2022)
    (tmp_path / "cp.h5.partial").symlink_to(target)
    with pytest.raises(OutputError, match="cp.h5.partial: is a symbolic link"):
        sim.checkpoint(tmp_path / "cp.h5")
    os.mkfifo(tmp_path / "fifo.h5.partial")
    with pytest.raises(OutputError, match="fifo.h5.partial: is a FIFO"):
        sim.checkpoint(tmp_path / "fifo.h5")
    assert target.read_text(encoding="utf-8") == "keep"
    assert not (tmp_path / "out.h5").exists() and not (tmp_path / "cp.h5").exists()


def test_an_output_that_is_also_an_input_is_refused(tmp_path, small_results):
    scenario = tmp_path / "scenario.toml"
    scenario.write_bytes((SCENARIOS / "small.toml").read_bytes())
    original = scenario.read_bytes()
    result = run_cli("run", str(scenario), "-o", str(scenario), "-q")
    assert result.returncode == 2
    assert "is also the scenario file this command reads" in result.stderr
    assert scenario.read_bytes() == original
    with pytest.raises(OutputError, match="is also the scenario file"):
        cs.Simulation(cs.Scenario.load(scenario), seed=1).run(2022, output=scenario)
    assert scenario.read_bytes() == original

    copy = tmp_path / "r.h5"
    copy.write_bytes(small_results.read_bytes())
    result = run_cli("report", str(copy), "-o", str(copy))
    assert result.returncode == 2 and "is also the results file" in result.stderr
    assert cs.load(copy).meta["seed"] == 7   # still the results, not HTML

    sweep = tiny_sweep(tmp_path)
    result = run_cli("sweep", sweep, "-o", sweep)
    assert result.returncode == 2 and "is also the sweep file" in result.stderr
    assert "[sweep]" in open(sweep, encoding="utf-8").read()

    checkpoint = tmp_path / "cp.h5"
    cs.Simulation(small(scale=0.01), seed=1, threads=1).run(2022).checkpoint(checkpoint)
    result = run_cli("run", "--from", str(checkpoint), "-o", str(checkpoint), "-q")
    assert result.returncode == 2 and "is also the checkpoint" in result.stderr


def test_a_report_into_a_fifo_or_through_a_link_is_refused(tmp_path, small_results):
    os.mkfifo(tmp_path / "fifo.html")
    result = run_cli("report", str(small_results), "-o", str(tmp_path / "fifo.html"))
    assert result.returncode == 2 and "is a FIFO" in result.stderr
    assert stat.S_ISFIFO(os.lstat(tmp_path / "fifo.html").st_mode)


# --- sweeps too big, interrupted creation
def test_replicates_out_of_range_are_refused_before_any_file(tmp_path):
    sweep = tiny_sweep(tmp_path)
    out = tmp_path / "s.h5"
    for value in ("0", "-3", "1000001"):
        result = run_cli("sweep", sweep, "-o", str(out), "--replicates", value)
        assert result.returncode == 2, result.stderr
        assert f"--replicates {value}: expected a number of runs per design point" \
            in result.stderr
    spec = SweepSpec.load(sweep)
    spec.replicates = 0
    with pytest.raises(SweepError, match="replicates = 0"):
        run_sweep(spec, out, client="inline")
    assert not out.exists()


def test_a_sweep_bigger_than_the_memory_limit_is_refused_with_its_estimate(tmp_path):
    sweep = tiny_sweep(tmp_path)
    out = tmp_path / "s.h5"
    result = run_cli("sweep", sweep, "-o", str(out), "--replicates", "5000",
                     "--max-memory", "0.001")
    assert result.returncode == 2, result.stderr
    # 10,000 runs with a ~250-byte command each: about 10 MiB to set up, over 1 MiB.
    assert "10,000 runs (2 design points x 5,000 replicates) need about" in result.stderr
    assert "the limit (--max-memory) is 1 MiB" in result.stderr
    assert list(tmp_path.iterdir()) == [tmp_path / "tiny.toml"]
    spec = SweepSpec.load(sweep)
    disk, memory = check_resources(spec, spec.points(), str(out))
    # Per run: the run table (~64 bytes and the command) and, per year, 10 targets x 9 bytes.
    command = len(spec.command(0, spec.points()[0]))
    assert disk == 2 * (64 + command + 1 * 90)
    assert memory == 2 * (3 * command + 256)


def test_a_sweep_file_interrupted_while_being_created_leaves_nothing(tmp_path, monkeypatch):
    sweep = tiny_sweep(tmp_path)
    out = tmp_path / "s.h5"
    original = SweepFile._create

    def interrupted(self, f, identity):
        original(self, f, identity)
        assert not out.exists()   # only the temporary file exists while it is built
        raise KeyboardInterrupt   # as a SIGINT/SIGTERM would, before the file is whole

    monkeypatch.setattr(SweepFile, "_create", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(sweep, out, client="inline")
    assert list(tmp_path.iterdir()) == [tmp_path / "tiny.toml"]
    monkeypatch.undo()
    results = run_sweep(sweep, out, client="inline")   # the re-run starts afresh and finishes
    assert results.complete
    with h5py.File(out, "r") as f:
        assert "runs/status" in f


# --- checkpoint integrity (the fuzzing is in tests/cpp/io/test_checkpoint_integrity.cpp)
@pytest.mark.parametrize("column, value, expected", [
    ("firms/park", 30000, "firms/park[0] = 30000; expected the index of a park (0 to 21)"),
    ("firms/alive", 7, "firms/alive[0] = 7; expected 0 or 1"),
    ("firms/revenue_cny", float("nan"), "firms/revenue_cny[0] = nan"),
    ("firms/productivity", None, "do not match their checksum"),   # within every rule
])
def test_a_damaged_checkpoint_is_refused_by_run_from_with_nothing_written(tmp_path, column,
                                                                         value, expected):
    sim = cs.Simulation(small(scale=0.01), seed=3, threads=1)
    sim.run(2022)
    checkpoint = tmp_path / "c.h5"
    sim.checkpoint(checkpoint)
    with h5py.File(checkpoint, "r+") as f:
        f[column][0] = f[column][0] * 1.01 if value is None else value
    out = tmp_path / "resumed.h5"
    result = run_cli("run", "--from", str(checkpoint), "-o", str(out), "-q")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"clustersim: error: {checkpoint}: " in result.stderr
    assert expected in result.stderr
    assert not out.exists() and not (tmp_path / "resumed.h5.partial").exists()
    with pytest.raises(OutputError, match="damaged or was altered"):
        cs.Simulation.restore(checkpoint)


def test_a_run_timeout_that_is_not_positive_is_refused(tmp_path):
    result = run_cli("sweep", tiny_sweep(tmp_path), "-o", str(tmp_path / "s.h5"),
                     "--run-timeout", "0")
    assert result.returncode == 2
    assert "--run-timeout 0.0: expected a positive number of seconds" in result.stderr
    assert not (tmp_path / "s.h5").exists()
