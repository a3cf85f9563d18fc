"""benchmarks/run_benchmarks.py writes its JSON and the README's measured section (behaviour, not
speed), and the benchmarks' C++ copy of the baseline scenario matches scenarios/baseline.toml."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import clustersim as cs
from conftest import ROOT, SCENARIOS

SCRIPT = ROOT / "benchmarks" / "run_benchmarks.py"
BENCH = ROOT / "build" / "python" / "benchmarks" / "clustersim_bench"


def test_the_benchmarks_baseline_is_baseline_toml():
    # benchmarks/warm_state.cpp builds it in C++: every lever at 1 from 2023 over the defaults.
    levers = {p["key"].rsplit(".", 1)[0] for p in cs.parameters()
              if p["key"].startswith("policy.") and p["key"].endswith(".start_year")}
    mirror = cs.Scenario({"scale": 1.0, "horizon_year": 2035,
                          **{f"{lever}.intensity": 1.0 for lever in levers},
                          **{f"{lever}.start_year": 2023 for lever in levers}})
    baseline = cs.Scenario.load(SCENARIOS / "baseline.toml")
    for p in cs.parameters():
        key = p["key"]
        if key in ("name", "description") or key.startswith("output."):
            continue  # labels, and output settings the benchmarks turn off on purpose
        assert baseline[key] == mirror[key], key


@pytest.mark.skipif(not BENCH.exists(), reason="benchmarks not built (setup --with-tests)")
def test_quick_mode_writes_the_json_and_the_readme_section(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Benchmarks\n\nProse about `<!-- bench:begin -->`.\n\n"
                      "<!-- bench:begin -->\nold table\n<!-- bench:end -->\n\nMore prose.\n")
    results = tmp_path / "results.json"
    subprocess.run([sys.executable, str(SCRIPT), "--quick", "--filter",
                    "phase/(grow_city|measure_cells)/|step/", "--min-time", "0.001",
                    "--readme", str(readme), "--results", str(results)],
                   check=True, capture_output=True, text=True, timeout=300)

    report = json.loads(results.read_text())
    assert report["mode"] == "quick"
    cases = {(c["phase"], c["denominator"], c["threads"]) for c in report["cases"]}
    assert cases == {(phase, d, t) for phase in ("grow_city", "measure_cells", "step")
                     for d in (100, 10) for t in (0, 1, 2)}
    # Three repetitions of each case by default, of which one row (the fastest) is kept.
    assert report["repetitions"] == 3 and len(report["cases"]) == len(cases)
    assert all(c["seconds_per_call"] > 0 and c["agent_updates_per_s"] > 0 and c["agents"] >= 1
               for c in report["cases"])
    assert report["cli_run"]["denominator"] == 100 and report["cli_run"]["file_mb"] > 0
    # Quick mode measures nothing at full scale: each goal is there, none judged.
    assert len(report["goals"]) == 6
    assert all(g["met"] is None for g in report["goals"])
    assert report["machine"]["cores"] >= 1 and report["machine"]["revision"]

    text = readme.read_text()
    assert text.startswith("# Benchmarks\n\nProse about `<!-- bench:begin -->`.\n\n"
                           "<!-- bench:begin -->\nMeasured ")
    assert text.endswith("<!-- bench:end -->\n\nMore prose.\n")
    assert "old table" not in text
    for heading in ("### Goals", "### Scale 1/100", "### Scale 1/10"):
        assert heading in text
    assert "| `measure_cells` |" in text and "| **step** |" in text
