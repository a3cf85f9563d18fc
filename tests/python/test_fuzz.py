"""Hostile input: random scenario and sweep files (Hypothesis, bounded examples) get a clear
error or are accepted; nothing crashes or raises anything else. And a disk that fills up
mid-run never corrupts an existing results file."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys

import h5py
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clustersim as cs
from conftest import ROOT, SCENARIOS

KEYS = [p["key"] for p in cs.parameters()]
# Fixed budget: CI time, not luck, bounds the search (docs/reliability.md gives the count).
BUDGET = settings(max_examples=400, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=6))
values = st.recursive(scalars, lambda inner: st.dictionaries(
    st.sampled_from(KEYS + ["x", "", "policy", "sweep"]), inner, max_size=4), max_leaves=10)


def _accepted_or_clear(build) -> None:
    try:
        build()
    except (cs.ScenarioError, cs.SweepError) as error:
        assert str(error) and "Traceback" not in str(error)


@BUDGET
@given(st.dictionaries(st.sampled_from(KEYS), scalars, max_size=6))
def test_random_values_for_real_keys_are_accepted_or_refused_clearly(tree):
    def build():
        cs.Scenario.from_dict(tree).validate()
    _accepted_or_clear(build)


@BUDGET
@given(st.binary(max_size=300))
def test_random_bytes_as_a_scenario_file(raw):
    _accepted_or_clear(lambda: cs.Scenario.from_toml(raw, source="fuzz.toml").validate())


@BUDGET
@given(st.text(alphabet=st.sampled_from(list('[]{}=".,\n #abcdeloprstuvxy0123456789-_')),
               max_size=200))
def test_toml_like_text_as_a_scenario_file(text):
    _accepted_or_clear(lambda: cs.Scenario.from_toml(text, source="fuzz.toml").validate())


@BUDGET
@given(st.dictionaries(st.sampled_from(["design", "samples", "replicates", "seed", "until",
                                        "vary", "set", "outcomes", "points", "seeds", "extra"]),
                       values, max_size=5))
def test_random_sweep_tables_are_accepted_or_refused_clearly(tree):
    tree = dict(tree)
    tree["base"] = str(SCENARIOS / "small.toml")

    def build():
        spec = cs.SweepSpec.from_dict(tree, source="fuzz-sweep.toml", root_keys=["sweep"])
        spec.points()
    try:
        _accepted_or_clear(build)
    except (MemoryError, OverflowError):
        pytest.fail("an unbounded design slipped through validation")


def test_a_full_disk_fails_clearly_and_leaves_the_existing_file_whole(tmp_path):
    out = tmp_path / "out.h5"
    first = subprocess.run([sys.executable, "-m", "clustersim.cli", "run",
                            str(SCENARIOS / "small.toml"), "-o", str(out), "--set", "scale=0.01",
                            "--until", "2022", "-q"], cwd=ROOT, capture_output=True, text=True,
                           timeout=120)
    assert first.returncode == 0, first.stderr
    before = out.read_bytes()

    def small_disk():
        # Files may not grow beyond 64 KiB: writes then fail with EFBIG, like a full disk.
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    second = subprocess.run([sys.executable, "-m", "clustersim.cli", "run",
                             str(SCENARIOS / "small.toml"), "-o", str(out), "--set",
                             "scale=0.01", "--until", "2024", "-q"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, preexec_fn=small_disk)
    assert second.returncode != 0
    assert "clustersim: error:" in second.stderr and "Traceback" not in second.stderr
    assert "disk full" in second.stderr or "cannot write" in second.stderr
    assert out.read_bytes() == before          # the finished file is untouched
    with h5py.File(out) as f:
        assert int(f.attrs["complete"]) == 1
    os.remove(out)
