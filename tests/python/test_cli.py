"""The `clustersim` command in a real process: runs, info, validate, and every kind of bad
input ending in one clear line, a non-zero status and no output file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

import clustersim as cs

from conftest import SCENARIOS, run_cli

SMALL = str(SCENARIOS / "small.toml")
QUICK = ["--set", "scale=0.02", "--until", "2022"]


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "clustersim"
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "clustersim" in result.stdout


def test_run_info_and_summary(tmp_path):
    out = tmp_path / "out.h5"
    result = run_cli("run", SMALL, "-o", str(out), "--seed", "7", "--threads", "2", *QUICK,
                     check=True)
    assert out.exists() and not Path(str(out) + ".partial").exists()
    assert "revenue trn CNY" in result.stdout and "2022" in result.stdout  # summary table
    # At 1/50 every target but the shares and counts of parks is marked (docs/model.md 3.4.7).
    marked = {line.split()[0] for line in result.stdout.splitlines() if line.endswith(" *")}
    assert marked == {"champions", "talent", "hq_incubators", "new_tech_firms", "rd_intensity",
                      "pct", "vc_share"}
    assert "* not faithful at scale 0.02" in result.stdout
    assert f"wrote {out}" in result.stdout
    info = run_cli("info", str(out), check=True).stdout
    for expected in ("complete:    yes", "seed:", "series/park:", "revenue_cny", "snapshots",
                     "(12, 22, 4)", "series/city:", "leading_industries_cny", "(12, 3)",
                     "targets:     1 year (2022-2022), target year 2025"):
        assert expected in info
    with h5py.File(out) as f:
        assert f.attrs["seed"] == "7"
        assert "scale = 0.02" in f.attrs["scenario_toml"]
        assert f.attrs["until_year"] == "2022"


def test_run_writes_its_tables_as_csv(tmp_path):
    import pandas as pd
    out = tmp_path / "out.h5"
    result = run_cli("run", SMALL, "-o", str(out), "--seed", "7", *QUICK, "--csv",
                     str(tmp_path / "t"), check=True)
    assert f"wrote {tmp_path / 't'}-years.csv" in result.stdout
    years = pd.read_csv(tmp_path / "t-years.csv", index_col="year")
    r = cs.load(out)
    revenue = r.series("zone", "revenue_cny")
    assert years.index.tolist() == [2022]
    assert years.loc[2022, "revenue_cny"] == pytest.approx(revenue.iloc[-1].sum(), rel=1e-12)
    assert years.loc[2022, "entries"] == pytest.approx(
        r.series("zone", "entries").to_numpy().sum(), rel=1e-12)
    targets = pd.read_csv(tmp_path / "t-targets.csv", index_col="target")
    assert targets["value"].to_dict() == pytest.approx(r.target_summary()["value"].to_dict())
    assert not list(tmp_path.glob("*.partial"))
    bad = run_cli("run", SMALL, "-o", str(tmp_path / "o2.h5"), *QUICK, "--csv",
                  str(tmp_path / "no" / "t"))
    assert bad.returncode == 2 and "--csv" in bad.stderr and "does not exist" in bad.stderr
    assert not (tmp_path / "o2.h5").exists()


def test_output_is_identical_for_1_2_and_4_threads(tmp_path):
    datasets = {}
    for threads in (1, 2, 4):
        out = tmp_path / f"t{threads}.h5"
        run_cli("run", SMALL, "-o", str(out), "--seed", "5", "--threads", str(threads),
                "--set", "scale=0.02", "--until", "2023", "-q", check=True)
        with h5py.File(out) as f:
            found = {}
            f.visititems(lambda name, obj: found.__setitem__(name, obj[()])
                         if isinstance(obj, h5py.Dataset) else None)
            datasets[threads] = found
    assert len(datasets[1]) > 20
    for threads in (2, 4):
        assert datasets[threads].keys() == datasets[1].keys()
        for name, values in datasets[1].items():
            other = datasets[threads][name]
            # Bytes, not values: NaN (a score before the first evaluation) != NaN.
            if np.asarray(values).dtype.kind in "fiub":
                assert np.asarray(values).tobytes() == np.asarray(other).tobytes(), (name, threads)
            else:
                assert np.array_equal(values, other), (name, threads)


def test_validate(tmp_path):
    assert run_cli("validate", SMALL).returncode == 0
    assert "valid" in run_cli("validate", str(SCENARIOS / "baseline.toml")).stdout


def _assert_clean_failure(result, tmp_path, *fragments):
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # one line, no traceback
    assert lines[0].startswith("clustersim: error: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert not list(tmp_path.glob("*.h5*")), "no output may be left"


BAD = {
    "malformed.toml": ("scale = \n", "malformed TOML"),
    "wrong_type.toml": ('horizon_year = "soon"\n', "key 'horizon_year'"),
    "out_of_range.toml": ("scale = 5\n", "key 'scale': value 5 is invalid"),
    "unknown.toml": ("[firms.exit]\nbase_hazrd = 0.1\n", "base_hazrd"),
    "nan.toml": ("[firms.growth]\ndrift = nan\n", "firms.growth.drift"),
    "negative.toml": ("[population]\nfirms_total = -10\n", "population.firms_total"),
    "empty.toml": ("", "empty"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_scenarios(tmp_path, name):
    text, fragment = BAD[name]
    scenario = tmp_path / name
    scenario.write_text(text)
    result = run_cli("run", str(scenario), "-o", str(tmp_path / "out.h5"))
    _assert_clean_failure(result, tmp_path, str(scenario), fragment)
    assert run_cli("validate", str(scenario)).returncode == 2


def test_non_utf8_scenario(tmp_path):
    scenario = tmp_path / "binary.toml"
    scenario.write_bytes(b"\xff\xfe\x00name")
    _assert_clean_failure(run_cli("run", str(scenario), "-o", str(tmp_path / "o.h5")), tmp_path,
                          "not UTF-8")


def test_bad_set_values(tmp_path):
    result = run_cli("run", SMALL, "-o", str(tmp_path / "o.h5"), "--set", "scale=-1")
    _assert_clean_failure(result, tmp_path, "--set scale=-1", "key 'scale'")
    result = run_cli("run", SMALL, "-o", str(tmp_path / "o.h5"), "--set", "scale")
    _assert_clean_failure(result, tmp_path, "key=value")
    result = run_cli("run", SMALL, "-o", str(tmp_path / "o.h5"), "--set", "firms.nope=1")
    _assert_clean_failure(result, tmp_path, "firms.nope")


def test_a_lever_set_like_a_number_suggests_its_intensity(tmp_path):
    result = run_cli("run", SMALL, "-o", str(tmp_path / "o.h5"), "--set",
                     "policy.land.supply=2")
    _assert_clean_failure(result, tmp_path, "did you mean 'policy.land.supply.intensity'")
    assert "supply_growth" not in result.stderr  # the behavioural key is not the lever


def test_run_on_a_sweep_or_calibration_file_points_to_its_command(tmp_path):
    for path, command in ((SCENARIOS / "sweeps" / "small.toml", "clustersim sweep"),
                          (SCENARIOS / "calibration" / "behaviour-2022.toml",
                           "clustersim calibrate")):
        result = run_cli("run", str(path), "-o", str(tmp_path / "o.h5"))
        _assert_clean_failure(result, tmp_path, "not a scenario", command)


def test_report_into_a_missing_folder(tmp_path, small_results):
    result = run_cli("report", str(small_results), "-o", str(tmp_path / "no" / "r.html"))
    assert result.returncode == 2 and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr and "Errno" not in result.stderr


def test_missing_scenario_and_bad_output_paths(tmp_path):
    _assert_clean_failure(run_cli("run", str(tmp_path / "absent.toml"), "-o",
                                  str(tmp_path / "o.h5")), tmp_path, "absent.toml")
    _assert_clean_failure(run_cli("run", SMALL, "-o", str(tmp_path / "no" / "dir" / "o.h5"),
                                  *QUICK), tmp_path, "does not exist")
    (tmp_path / "adir.h5").mkdir()
    result = run_cli("run", SMALL, "-o", str(tmp_path / "adir.h5"), *QUICK)
    assert result.returncode == 2 and "is a directory" in result.stderr


def test_until_beyond_the_horizon(tmp_path):
    result = run_cli("run", SMALL, "-o", str(tmp_path / "o.h5"), "--until", "2040")
    _assert_clean_failure(result, tmp_path, "until")


def test_info_on_bad_files(tmp_path):
    _assert_clean_failure(run_cli("info", str(tmp_path / "absent.h5")), tmp_path, "no such file")
    junk = tmp_path / "junk.dat"
    junk.write_bytes(os.urandom(256))
    result = run_cli("info", str(junk))
    assert result.returncode == 2 and "not a readable HDF5 file" in result.stderr
    assert "Traceback" not in result.stderr


def test_info_describes_sweep_and_checkpoint_files(tmp_path):
    from clustersim.sweep import run_sweep
    from clustersim.sweepfile import SweepSpec
    spec = SweepSpec.load(SCENARIOS / "sweeps" / "small.toml")
    spec.replicates, spec.until = 1, 2022
    spec.base["scale"] = 0.01
    run_sweep(spec, tmp_path / "sweep.h5", client="inline")
    info = run_cli("info", str(tmp_path / "sweep.h5"), check=True).stdout
    assert "a sweep file" in info and "9 points x 1 replicates" in info
    assert "runs:        9: 9 done, 0 failed, 0 pending" in info
    sim = cs.Simulation(cs.Scenario.load(SMALL), seed=4).run(until=2022)
    sim.checkpoint(tmp_path / "state.h5")
    info = run_cli("info", str(tmp_path / "state.h5"), check=True).stdout
    assert "a checkpoint" in info and "end of 2022-12 (12 months run)" in info
    assert "seed:               4" in info


def test_parameters_command():
    result = run_cli("parameters", check=True)
    assert "firms.exit.base_hazard = 0.061" in result.stdout
    finance = run_cli("parameters", "policy.finance", check=True).stdout
    keys = [line.split(" = ")[0] for line in finance.splitlines() if " = " in line
            and not line.startswith(" ")]
    assert keys and all(k.startswith("policy.finance.") for k in keys)
    assert "policy.finance.government_fund.intensity" in keys
    result = run_cli("parameters", "nothere")
    assert result.returncode == 2 and "no parameter key starts with 'nothere'" in result.stderr


def test_every_argument_has_help():
    from clustersim.cli import build_parser
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    for name, sub in commands.choices.items():
        for action in sub._actions:
            if action.dest != "help":
                assert action.help, f"clustersim {name}: {action.dest} has no help"
