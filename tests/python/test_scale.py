"""Scale invariance of the targets' verdicts (docs/model.md, "Which scale for which target").

A sample of the zone (`scale` < 1) must give each target the verdict the full zone gives: the
probability that it is met by 2025 and by 2030 over seeds. The baseline runs at full scale and
at 1/10 with seeds 1-20 each (40 runs to 2030, about a minute on 2 cores).

The comparison: the 95 % Wilson intervals of the two probabilities must overlap. With 20 seeds
an interval is 0.2-0.4 wide, so only a bias that moves the verdict in a large share of runs
fails (0 of 20 against 8 of 20 does; 0 against 6 does not): the test finds scale effects on the
verdict, not every bias of a value, which docs/model.md lists. The seeds are fixed, so a result
is stable until the model changes. Targets that the model does not yet give faithfully at 1/10
are expected failures (strict: a fix fails the test until the list is updated)."""

from __future__ import annotations

import functools

import pytest

import clustersim as cs
from clustersim.sweepfile import TARGET_IDS

from conftest import SCENARIOS

SEEDS = range(1, 21)
SCALES = (1.0, 0.1)
YEARS = (2025, 2030)
TARGETS = TARGET_IDS

# Not faithful at 1/10 by the catalogue (docs/model.md, "Which scale for which target"), which
# marks them in every summary of a run below full scale. hq_incubators: the sampled incubators
# (15 agents standing for 150) count in units of 10, so P(>= 20) follows a few agents.
# new_tech_firms: a sample's entries grow ~3 % faster, and the 2025 value lies at the
# threshold, where a small bias moves the verdict. (champions was one while a sample drew its
# own sizes and rescaled them to each cell's revenue: +12 % candidates in 2022, +25 % by 2030;
# a sample now carries rank strata of the full zone's sizes, -2 % both years, seeds 1-4,
# docs/model.md 2.6.)
NOT_FAITHFUL_AT_TENTH = {t["id"] for t in cs._core.target_catalogue()
                         if t["faithful_scale"] > 0.1}


def test_the_catalogue_names_the_targets_a_tenth_misjudges():
    # The expected failures below come from the catalogue; this pins them to the measurement.
    assert NOT_FAITHFUL_AT_TENTH == {"hq_incubators", "new_tech_firms"}


def wilson(met: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion met / n."""
    p = met / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5
    return centre - half, centre + half


@functools.cache
def met_by() -> dict:
    """{(scale, target, year): number of seeds that met the target by the year}."""
    counts: dict = {}
    for scale in SCALES:
        for seed in SEEDS:
            sc = cs.Scenario.load(SCENARIOS / "baseline.toml")
            sc["scale"] = scale
            targets = cs.Simulation(sc, seed=seed, threads=2).run(until=max(YEARS)).targets()
            for target in TARGETS:
                met = targets[f"{target}_met"].astype(bool)
                for year in YEARS:
                    key = (scale, target, year)
                    counts[key] = counts.get(key, 0) + int(met.loc[:year].any())
    return counts


# new_tech_firms: its bias (a sample's entries grow ~3 % faster) moves the verdict only where
# the value lies near the threshold; with the levers sized from evidence (docs/levers.md) the
# baseline's 2025 and 2030 values are not near it, so the verdicts agree. The bias remains, so
# the catalogue keeps the target unfaithful at 1/10 and this expected failure is not strict.
@pytest.mark.parametrize("target", [
    pytest.param(t, marks=pytest.mark.xfail(strict=t != "new_tech_firms",
                                            reason="not yet faithful at 1/10"))
    if t in NOT_FAITHFUL_AT_TENTH else t for t in TARGETS])
def test_a_tenth_of_the_zone_gives_the_full_zones_verdict(target):
    counts = met_by()
    n = len(SEEDS)
    for year in YEARS:
        full, tenth = counts[(1.0, target, year)], counts[(0.1, target, year)]
        (full_low, full_high), (tenth_low, tenth_high) = wilson(full, n), wilson(tenth, n)
        assert full_low <= tenth_high and tenth_low <= full_high, (
            target, year, f"full {full}/{n}, 1/10 {tenth}/{n}")


def test_wilson_intervals():
    low, high = wilson(0, 20)
    assert low == pytest.approx(0.0, abs=1e-12) and high == pytest.approx(0.161, abs=1e-3)
    low, high = wilson(8, 20)
    assert (low, high) == pytest.approx((0.219, 0.613), abs=1e-3)
