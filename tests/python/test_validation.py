"""The stylised facts of tests/validation/facts.toml, each measured on 10 seeds of the default
scenario and the counterfactual at full scale, 2022-2030 (about two minutes on 2 cores). The
bands were committed before the statistics that fill them; a fact the model misses is an
expected failure that reports its measured value, with the explanation in docs/validation.md.
Facts that a rule or the initial population imposes ("input") and those the calibration of the
defaults fits ("fitted") are checked apart.

    .venv/bin/python -m pytest tests/python/test_validation.py -q -rxX
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clustersim import validation
from conftest import ROOT, SCENARIOS

FACTS_PATH = ROOT / "tests" / "validation" / "facts.toml"
FACTS = validation.load_facts(FACTS_PATH)
DOCS = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    return validation.measure_facts(FACTS, SCENARIOS, tmp_path_factory.mktemp("facts"))


def _cases(kind: str):
    return [pytest.param(fact, scenario, id=f"{fact['id']}-{Path(scenario).stem}")
            for fact in FACTS["fact"] if fact["kind"] == kind
            for scenario in FACTS["scenarios"]]


def _judge(fact: dict, scenario: str, measured) -> None:
    values = measured.loc[Path(scenario).stem, fact["id"]]
    low, high = fact["band"]
    mean = float(values.mean())
    spread = f"mean {mean:.4g} over {len(values)} seeds (seeds {values.min():.4g} to " \
             f"{values.max():.4g}); band [{low}, {high}] from {fact['source']}"
    print(f"\n{fact['id']} ({Path(scenario).stem}): {spread}")
    inside = low <= mean <= high
    known = validation.known_failure(fact, scenario)
    if known and inside:
        pytest.fail(f"{fact['id']} now holds ({spread}): remove its known_failure from "
                    f"{FACTS_PATH.name} and update docs/validation.md")
    if known:
        pytest.xfail(f"{fact['id']} missed: {spread}; docs/validation.md#{known}")
    assert inside, f"{fact['id']} missed: {spread}"


def test_the_facts_file_is_complete_and_explained():
    # Every known failure points to a section of docs/validation.md that explains it, every
    # fact has a source, a date and a kind, and the design is the one the issue asks for.
    assert len(FACTS["seeds"]) >= 10
    assert {"baseline.toml", "no-new-policy.toml"} <= set(FACTS["scenarios"])
    anchors = {re.sub(r"[^a-z0-9 -]", "", h.lower()).strip().replace(" ", "-")
               for h in re.findall(r"^#+ (.+)$", DOCS, flags=re.M)}
    for fact in FACTS["fact"]:
        assert fact["source"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", fact["written"]), fact["id"]
        assert fact["kind"] in ("emergent", "input", "fitted"), fact["id"]
        if fact["kind"] == "input":
            assert fact["why_input"], fact["id"]
        if fact["kind"] == "fitted":
            # The calibration that fits it exists and has the fact's statistic among its facts.
            calibration = (ROOT / fact["fitted_by"]).read_text(encoding="utf-8")
            assert f'statistic = "{fact["statistic"]}"' in calibration, fact["id"]
        if "known_failure" in fact:
            assert fact["known_failure"] in anchors, fact["known_failure"]


@pytest.mark.parametrize("fact, scenario", _cases("emergent"))
def test_emergent_fact(fact, scenario, measured):
    _judge(fact, scenario, measured)


@pytest.mark.parametrize("fact, scenario", _cases("fitted"))
def test_fitted_fact(fact, scenario, measured):
    # A target of the calibration that sets the defaults, there over 2025-26 at 1/10 scale: this
    # checks that the fit carries over to 2030 and the full zone, not that the rules explain it.
    _judge(fact, scenario, measured)


@pytest.mark.parametrize("fact, scenario", _cases("input"))
def test_input_check(fact, scenario, measured):
    # Imposed by a rule or the initial population: this proves the input is as intended, not
    # that the model explains the fact.
    _judge(fact, scenario, measured)
