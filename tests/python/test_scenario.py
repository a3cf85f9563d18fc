"""Scenario: loading, dotted access validated on assignment, TOML round trip, clear errors."""

from __future__ import annotations

import math

import pytest

import clustersim as cs
from conftest import SCENARIOS


def test_shipped_scenarios_load_and_validate():
    for name in ("baseline", "small"):
        sc = cs.Scenario.load(SCENARIOS / f"{name}.toml").validate()
        assert sc["name"] == name
    assert cs.Scenario.load(SCENARIOS / "baseline.toml")["scale"] == 1.0  # full scale by default


def test_dotted_access_and_defaults():
    sc = cs.Scenario()
    assert sc["firms.exit.base_hazard"] == 0.061
    sc["scale"] = 0.01
    sc["firms.exit.base_hazard"] = 0.05
    assert sc["scale"] == 0.01 and sc.is_set("scale")
    del sc["scale"]
    assert sc["scale"] == 1.0 and not sc.is_set("scale")
    assert "firms.exit.base_hazard" in sc and "no.such" not in sc
    assert set(sc.keys()) == {p["key"] for p in cs.parameters()}


@pytest.mark.parametrize("key, value, fragment", [
    ("scale", 2.0, "expected a number in [1e-05, 1]"),
    ("scale", "big", "expected a number"),
    ("scale", True, "expected a number"),
    ("scale", math.nan, "nan"),
    ("scale", [0.1], "expected a number"),
    ("horizon_year", 2030.0, "expected an integer"),
    ("horizon_year", 10**30, "expected an integer"),
    ("output.firm_snapshots", 1, "expected a boolean"),
    ("firms.exit.hazard_by_age", [0.1, "x"], "list of at least 1"),
    ("firms.exit.hazard_by_age", [], "list of at least 1"),
    ("population.firms_total", -3, "[1, 10000000]"),
])
def test_assignment_is_validated(key, value, fragment):
    sc = cs.Scenario()
    with pytest.raises(cs.ScenarioError) as caught:
        sc[key] = value
    assert caught.value.key == key
    assert fragment in str(caught.value)
    assert not sc.is_set(key)  # nothing half-assigned


def test_unknown_key_suggests_the_nearest():
    with pytest.raises(cs.ScenarioError, match="did you mean 'firms.exit.base_hazard'"):
        cs.Scenario()["firms.exit.base_hazrd"] = 0.1


def test_toml_round_trip_and_from_dict():
    sc = cs.Scenario.from_dict({"scale": 0.1, "firms": {"exit": {"base_hazard": 0.03}},
                                "firms.entry.rate": 0.2})
    again = cs.Scenario.from_toml(sc.to_toml())
    assert again == sc
    assert again.to_dict() == {"scale": 0.1, "firms": {"exit": {"base_hazard": 0.03},
                                                       "entry": {"rate": 0.2}}}
    full = cs.Scenario.from_toml(sc.to_toml(include_defaults=True))
    assert full == sc and len(full._core.values()) == len(cs.parameters())


BAD_FILES = {
    "malformed.toml": ("scale = \n", "malformed TOML"),
    "truncated.toml": ("[population\nfirms_total = 1", "malformed TOML"),
    "wrong_type.toml": ('scale = "big"\n', "key 'scale'"),
    "out_of_range.toml": ("scale = 2.0\n", "value 2 is invalid"),
    "nan.toml": ("scale = nan\n", "key 'scale'"),
    "inf.toml": ("[firms.exit]\nbase_hazard = inf\n", "key 'firms.exit.base_hazard'"),
    "huge.toml": ("horizon_year = 99999999999999999999\n", "key 'horizon_year'"),
    "negative.toml": ("[population]\nfirms_total = -3\n", "key 'population.firms_total'"),
    "unknown.toml": ("[firms.exit]\nbase_hazrd = 0.1\n", "did you mean"),
    "table_for_value.toml": ("[scale]\nx = 1\n", "key 'scale.x'"),
    "deep.toml": ("[" + ".".join(["a"] * 300) + "]\nb = 1\n", "unknown key"),
    "deep_array.toml": ("x = " + "[" * 2000 + "]" * 2000 + "\n", "deep.toml"),
    "empty.toml": ("", "empty"),
    "cross.toml": ("[firms.growth]\nvolatility_min = 0.5\nvolatility_max = 0.1\n",
                   "key 'firms.growth.volatility_max'"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_are_refused_naming_the_file(tmp_path, name):
    text, fragment = BAD_FILES[name]
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(cs.ScenarioError) as caught:
        cs.Scenario.load(path).validate()
    message = str(caught.value)
    assert str(path) in message
    if name != "deep_array.toml":  # the nesting error's wording is the parser's
        assert fragment in message, message


def test_non_utf8_and_missing_files(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(b"name = \"caf\xe9\"\n")
    with pytest.raises(cs.ScenarioError, match="not UTF-8"):
        cs.Scenario.load(path)
    with pytest.raises(cs.ScenarioError, match="cannot read"):
        cs.Scenario.load(tmp_path / "absent.toml")
    with pytest.raises(cs.ScenarioError, match="cannot read"):
        cs.Scenario.load(tmp_path)  # a directory


# --- scenario files that build on others (`base = "..."`)
def test_a_scenario_builds_on_its_base_and_replaces_what_it_sets(tmp_path):
    (tmp_path / "parent.toml").write_text(
        f'base = "{SCENARIOS / "no-new-policy.toml"}"\nname = "parent"\n'
        '[policy.land.supply]\nintensity = 1.0\nstart_year = 2024\n', encoding="utf-8")
    (tmp_path / "child.toml").write_text(
        'base = "parent.toml"\nname = "child"\nscale = 0.5\n'
        '[policy.land.supply]\nintensity = 2.0\n', encoding="utf-8")
    child = cs.Scenario.load(tmp_path / "child.toml")
    counterfactual = cs.Scenario.load(SCENARIOS / "no-new-policy.toml")
    assert child["name"] == "child" and child["scale"] == 0.5
    assert child["policy.land.supply.intensity"] == 2.0       # the child's value
    assert child["policy.land.supply.start_year"] == 2024     # the parent's
    assert child["description"] == counterfactual["description"]   # the grandparent's
    assert child.bases == [str(SCENARIOS / "no-new-policy.toml"), str(tmp_path / "parent.toml")]
    # Outputs record the whole scenario: its TOML has no base and loads to the same values.
    text = child.to_toml(include_defaults=True)
    assert "base" not in cs.Scenario.from_toml(text).to_dict()
    assert cs.Scenario.from_toml(text) == child


def test_the_shipped_lever_group_files_build_on_the_counterfactual():
    # Each sets only its group's levers; everything else is the counterfactual's.
    counterfactual = cs.Scenario.load(SCENARIOS / "no-new-policy.toml")
    land = cs.Scenario.load(SCENARIOS / "levers-land.toml")
    assert land.bases == [str(SCENARIOS / "no-new-policy.toml")]
    flat_land = land.to_dict(include_defaults=True)
    flat_counterfactual = counterfactual.to_dict(include_defaults=True)
    differ = {group for group in flat_land if flat_land[group] != flat_counterfactual[group]}
    assert differ == {"name", "description", "policy"}
    policy = {(g, lever) for g in flat_land["policy"] for lever in flat_land["policy"][g]
              if flat_land["policy"][g][lever] != flat_counterfactual["policy"][g][lever]}
    assert {g for g, _ in policy} == {"land"}


@pytest.mark.parametrize("files, fragment", [
    ({"a.toml": 'base = "missing.toml"\n'}, "base = 'missing.toml': no such scenario file"),
    ({"a.toml": "base = 3\n"}, "base = 3; expected the path of a scenario file"),
    ({"a.toml": 'base = "b.toml"\n', "b.toml": 'base = "a.toml"\n'},
     "makes a loop (a.toml -> b.toml -> a.toml)"),
    ({"a.toml": 'base = "a.toml"\n'}, "makes a loop (a.toml -> a.toml)"),
    ({"a.toml": 'base = "b.toml"\n', "b.toml": "scale = -1\n"}, "b.toml"),
])
def test_a_bad_base_is_refused_naming_the_file_and_key(tmp_path, files, fragment):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(cs.ScenarioError) as error:
        cs.Scenario.load(tmp_path / "a.toml")
    assert fragment in str(error.value)
