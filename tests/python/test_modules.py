"""The package's layout: one module per job, the old import paths still work (names moved out
of clustersim.sweep and clustersim.calibration are re-exported there), and the shared helpers
(_common, _schema) behave as the spec files and messages need."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import clustersim as cs
from clustersim import _common, _schema
from clustersim._schema import REQUIRED, Field, Schema
from clustersim.errors import ScenarioError


@pytest.mark.parametrize("module, names, home", [
    ("clustersim.sweep", ["SweepResults", "load_sweep", "wilson_interval", "sobol_indices",
                          "SWEEP_FORMAT", "SWEEP_FORMAT_VERSION", "STATUS_NAMES", "PENDING",
                          "DONE", "FAILED", "_open_sweep"], "clustersim.sweepresults"),
    ("clustersim.calibration", ["Fit", "load_calibration", "CONSTRAINED_RATIO",
                                "CALIBRATION_FORMAT", "CALIBRATION_FORMAT_VERSION"],
     "clustersim.fit"),
    ("clustersim.calibration", ["_write_fit"], "clustersim.fitwriter"),
])
def test_moved_names_are_still_importable_from_their_old_module(module, names, home):
    old, new = importlib.import_module(module), importlib.import_module(home)
    for name in names:
        assert getattr(old, name) is getattr(new, name), name


def test_the_package_exports_the_same_objects_as_the_modules():
    from clustersim.calibration import calibrate
    from clustersim.fit import Fit, load_calibration
    from clustersim.sweep import sweep
    from clustersim.sweepresults import SweepResults, load_sweep
    assert (cs.sweep, cs.SweepResults, cs.load_sweep) == (sweep, SweepResults, load_sweep)
    assert (cs.calibrate, cs.Fit, cs.load_calibration) == (calibrate, Fit, load_calibration)
    assert [n for n in cs.__all__ if not hasattr(cs, n)] == []


def test_reading_sweeps_and_fits_does_not_import_the_calibration_engine():
    code = ("import sys, clustersim as cs; cs.load_sweep; cs.Fit; cs.load_calibration; "
            "import clustersim.report; print('pyabc' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip() == "False"


def test_did_you_mean_quotes_the_closest_choice():
    keys = ["firms.growth.drift", "firms.entry.rate"]
    assert _common.did_you_mean("firms.growth.drfit", keys) == \
        " (did you mean 'firms.growth.drift'?)"
    assert _common.did_you_mean("firms.growth.drfit", keys, quote=repr) == \
        " (did you mean 'firms.growth.drift'?)"
    assert _common.did_you_mean("zzz", keys) == ""


def test_invalid_value_names_the_file_key_value_and_expected():
    error = _common.value_error(ScenarioError, "f.toml", "sweep.")("seed", -1, "an integer")
    assert str(error) == "f.toml: key 'sweep.seed': value -1 is invalid; expected an integer"
    assert (error.file, error.key, error.value, error.expected) == \
        ("f.toml", "sweep.seed", "-1", "an integer")
    row = _common.invalid_value(ScenarioError, "o.csv", "year", "x", "a year",
                                where="line 3, column 'year'")
    assert str(row) == "o.csv: line 3, column 'year': value 'x' is invalid; expected a year"
    assert row.key == "year"


def test_progress_is_silent_when_disabled():
    bar = _common.Progress(10, unit="run", enabled=False)
    bar.update(failed=True)
    bar(5, 10)
    bar.close()
    assert bar.bar is None and bar.failed == 1


def test_progress_counts_runs_and_moves_to_a_step(capsys):
    bar = _common.Progress(10, unit="run", initial=2)
    bar.update()
    bar.update(failed=True)
    assert (bar.bar.n, bar.failed) == (4, 1)
    bar(7)
    assert bar.bar.n == 7
    bar.close()


SCHEMA = Schema(
    Field("name", "string", default="x"),
    Field("seed", "integer", default=1, low=0, high=9),
    Field("design", "choice", default="a", choices=("a", "b")),
    Field("base", "string", expected="a path"),
    Field("until", "integer", default=None, low=2022, expected="a year in [{low}, {high}]"),
    Field("sd", "number", default=1.0, positive=True),
    Field("range", "range", default=[0, 1]),
    Field("vary", "tables", default=[], nonempty=False),
    Field("labels", "strings", default=[]),
    unknown="one of the keys ({keys})")
FAIL = _common.value_error(ScenarioError, "t.toml", "t.")


def message(table, name=None, **context):
    with pytest.raises(ScenarioError) as error:
        if name is None:
            SCHEMA.validate(table, FAIL)
        else:
            SCHEMA.get(table, name, FAIL, **context)
    return str(error.value).removeprefix("t.toml: ")


def test_schema_fills_in_defaults_and_accepts_valid_values():
    values = SCHEMA.validate({"base": "b.toml", "until": 2030, "labels": ["x"]}, FAIL)
    assert values == {"name": "x", "seed": 1, "design": "a", "base": "b.toml", "until": 2030,
                      "sd": 1.0, "range": [0, 1], "vary": [], "labels": ["x"]}
    assert SCHEMA.get({}, "until", FAIL) is None   # optional: absent is None, unchecked
    first, second = SCHEMA.get({}, "vary", FAIL), SCHEMA.get({}, "vary", FAIL)
    assert first == [] and first is not second       # defaults are never shared


@pytest.mark.parametrize("table, expected", [
    ({"base": "b", "colour": 1},
     "key 't.colour': value 1 is invalid; expected one of the keys (base, design, labels, name, "
     "range, sd, seed, until, vary)"),
    ({}, "key 't.base': value None is invalid; expected a path"),
    ({"base": "b", "seed": True}, "key 't.seed': value True is invalid; expected an integer in "
                                  "[0, 9]"),
    ({"base": "b", "seed": 10}, "key 't.seed': value 10 is invalid; expected an integer in "
                                "[0, 9]"),
    ({"base": "b", "design": "c"}, "key 't.design': value 'c' is invalid; expected one of a, b"),
    ({"base": "b", "sd": 0}, "key 't.sd': value 0 is invalid; expected a number"),
    ({"base": "b", "sd": float("nan")}, "key 't.sd': value nan is invalid; expected a number"),
    ({"base": "b", "range": [1, 1]},
     "key 't.range': value [1, 1] is invalid; expected [low, high] with low < high"),
    ({"base": "b", "vary": [{}, 1]},
     "key 't.vary': value [{}, 1] is invalid; expected an array of tables"),
    ({"base": "b", "labels": ["a", 2]},
     "key 't.labels': value ['a', 2] is invalid; expected a list of strings"),
])
def test_schema_errors_name_the_key_value_and_expected(table, expected):
    assert message(table) == expected


def test_schema_bounds_given_at_run_time_fill_in_the_message():
    assert message({"until": 2031}, "until", high=2030) == \
        "key 't.until': value 2031 is invalid; expected a year in [2022, 2030]"
    assert SCHEMA.get({"until": 2030}, "until", FAIL, high=2030) == 2030


def test_schema_describes_its_keys():
    rows = {row["name"]: row for row in SCHEMA.describe()}
    assert rows["base"]["required"] and rows["base"]["default"] is None
    assert rows["seed"]["expected"] == "an integer in [0, 9]"
    assert rows["until"]["expected"] == "a year in [2022, {high}]"   # known when read
    with pytest.raises(ValueError, match="kind 'float'"):
        Field("x", "float")
    assert repr(REQUIRED) == "REQUIRED" and _schema.KINDS[0] == "any"


def test_spec_file_schemas_declare_every_key_once_with_a_description():
    from clustersim.calibfacts import FACT_SCHEMA
    from clustersim.calibfile import CALIBRATION_SCHEMA, PRIOR_SCHEMA
    from clustersim.sweepfile import (FACTOR_SCHEMA, OUTCOMES_SCHEMA, SERIES_OUTCOME_SCHEMA,
                                      SWEEP_SCHEMA)
    for schema in (SWEEP_SCHEMA, FACTOR_SCHEMA, OUTCOMES_SCHEMA, SERIES_OUTCOME_SCHEMA,
                   CALIBRATION_SCHEMA, PRIOR_SCHEMA, FACT_SCHEMA):
        assert all(row["description"] for row in schema.describe()), schema.names
    assert SERIES_OUTCOME_SCHEMA.names == ["level", "name", "reduce", "column"]
    assert sorted(SWEEP_SCHEMA.names) == sorted(
        ["name", "description", "base", "seed", "seeds", "replicates", "design", "samples",
         "until", "vary", "set", "points", "outcomes", "keep_runs"])
    assert sorted(CALIBRATION_SCHEMA.names) == sorted(
        ["name", "description", "base", "observations", "method", "population", "generations",
         "budget", "seed", "scale", "batch", "parameters", "min_epsilon", "report_only",
         "facts"])
