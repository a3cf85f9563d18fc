"""Simulation from Python: stepping, zero-copy read-only views, series, GIL release."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest

import clustersim as cs
from conftest import small


def test_steps_month_by_month():
    sim = cs.Simulation(small(), seed=3, threads=2)
    assert (sim.year, sim.month, sim.steps_done, sim.total_steps) == (2022, 0, 0, 24)
    sim.step()
    assert (sim.year, sim.month) == (2022, 1)
    sim.run(until=2022)
    assert (sim.year, sim.month) == (2022, 12)
    sim.run()
    assert sim.finished and sim.year == 2023
    with pytest.raises(cs.ClusterSimError, match="horizon"):
        sim.step()


@pytest.mark.parametrize("kwargs, fragment", [
    ({"seed": -1}, "seed"), ({"seed": 2**64}, "seed"), ({"seed": 1.5}, "seed"),
    ({"threads": -1}, "threads"), ({"threads": "2"}, "threads"),
])
def test_bad_seed_or_threads(kwargs, fragment):
    with pytest.raises(cs.ScenarioError, match=fragment):
        cs.Simulation(small(), **kwargs)


def test_until_outside_the_horizon_is_refused():
    sim = cs.Simulation(small(), seed=1)
    with pytest.raises(cs.ScenarioError, match="until"):
        sim.run(until=2030)
    with pytest.raises(cs.ScenarioError, match="until"):
        sim.run(until=2021)


@pytest.mark.parametrize("until", ["2023", 2023.5, 2023.0, True])
def test_until_must_be_an_integer_year(until):
    with pytest.raises(cs.ScenarioError, match="integer year"):
        cs.Simulation(small(), seed=1).run(until=until)


def test_a_run_only_goes_forward():
    sim = cs.Simulation(small(), seed=1).run(until=2023)
    sim.run(until=2023)  # already there: nothing to do
    with pytest.raises(cs.ScenarioError, match="in the past: the run is at 2023-12"):
        sim.run(until=2022)


def test_numpy_numbers_are_accepted_where_numbers_are():
    sc = small()
    sc["scale"] = np.float32(0.02)
    sc["horizon_year"] = np.int64(2023)
    sc["firms.rd.intensity"] = np.array([0.05, 0.07, 0.05, 0.007])
    sc["vc.dilution"] = [np.float32(0.2), 0.2, 0.15, 0.12, np.float64(0.1)]
    assert sc["horizon_year"] == 2023 and sc["firms.rd.intensity"][1] == 0.07
    sim = cs.Simulation(sc, seed=np.uint64(3), threads=np.int32(2)).run(until=np.int64(2022))
    sim.set_lever("land.supply", np.float32(1.5), start_year=np.int64(2023))
    assert sim.lever("land.supply") == {"intensity": 1.5, "start_year": 2023, "end_year": 2100}


def test_a_lever_cannot_start_in_the_past():
    sim = cs.Simulation(small(), seed=1).run(until=2022)
    with pytest.raises(cs.ScenarioError, match="start_year 2022 is in the past"):
        sim.set_lever("land.supply", 1.5, start_year=2022)
    with pytest.raises(cs.ScenarioError, match="integer year"):
        sim.set_lever("land.supply", 1.5, start_year=2023.5)
    assert sim.lever("land.supply")["intensity"] == small()["policy.land.supply.intensity"]


def test_series_and_targets_before_they_exist_say_so():
    sim = cs.Simulation(small(), seed=1)
    with pytest.raises(cs.NotRunYetError, match="the run has not started"):
        sim.series("zone", "revenue_cny")
    sim.step(3)
    assert len(sim.series("zone", "revenue_cny")) == 3
    with pytest.raises(cs.NotRunYetError, match="targets are computed each December"):
        sim.targets()
    sim.run(until=2022)
    assert sim.targets().index.tolist() == [2022]


def test_firm_columns_are_read_only_views_without_copies():
    sim = cs.Simulation(small(), seed=3, threads=2)
    revenue = sim.firms.revenue_cny
    assert not revenue.flags.writeable and not revenue.flags.owndata
    with pytest.raises(ValueError):
        revenue[0] = 1.0
    # Two views share the kernel's buffer: nothing was copied.
    assert np.shares_memory(revenue, sim.firms.revenue_cny)
    before = revenue.copy()
    sim.step()
    # Same buffer (no firm entered beyond capacity yet, or a new one): either way the old view
    # stays readable, and a fresh view shows the new state.
    assert np.isfinite(revenue).all()
    assert not np.array_equal(before, sim.firms.revenue_cny[: len(before)])
    assert set(sim.firms.columns) >= {"firm_id", "park", "sector", "stage", "revenue_cny",
                                      "employees", "productivity", "age_months", "cash_cny",
                                      "alive"}
    assert sim.firms.alive.dtype == np.bool_
    with pytest.raises(AttributeError, match="no column"):
        sim.firms.profit


def test_old_views_survive_population_growth():
    sim = cs.Simulation(small(), seed=3, threads=2)
    ids = sim.firms.firm_id
    first = ids.copy()
    sim.run(until=2023)  # many entries: the columns moved to larger buffers
    assert np.array_equal(ids, first)  # the old view still reads its (old) memory


def test_firm_frame_has_names():
    sim = cs.Simulation(small(), seed=3)
    frame = sim.firms.to_frame()
    assert len(frame) == int(sim.firms.alive.sum())
    assert set(frame["sector"].cat.categories) == set(cs.SECTORS)
    assert set(frame["park"].unique()) <= set(sim.parks.index)
    assert frame["firm_id"].is_unique


def test_series_frames():
    sim = cs.Simulation(small(), seed=3, threads=2).run(until=2022)
    park = sim.series("park", "revenue_cny")
    assert park.shape == (12, 22 * 4)
    assert isinstance(park.index, pd.PeriodIndex) and str(park.index[0]) == "2022-01"
    assert park.columns.names == ["park", "sector"]
    assert park.attrs["unit"] == "CNY/year"
    zone = sim.series("zone", "revenue_cny")
    assert list(zone.columns) == list(cs.SECTORS)
    # The zone is the sum of the parks.
    summed = park.T.groupby(level="sector").sum().T[list(cs.SECTORS)]
    np.testing.assert_allclose(zone.to_numpy(), summed.to_numpy(), rtol=1e-12)
    space = sim.series("park", "floor_space_m2")
    assert space.shape == (12, 22)
    assert sim.series("zone", "floor_space_m2").columns.tolist() == ["zone"]
    with pytest.raises(KeyError, match="expected one of"):
        sim.series("park", "profit")
    with pytest.raises(KeyError, match="level"):
        sim.series("country", "revenue_cny")
    with pytest.raises(KeyError, match="city series"):
        sim.series("city", "revenue_cny")
    with pytest.raises(KeyError, match="no zone total"):
        sim.series("zone", "standing")


def test_parks_table():
    parks = cs.Simulation(small(), seed=3).parks
    assert len(parks) == 22 and parks.index[0] == "core"
    assert parks.loc["core", "name_zh"] == "张江核心园"
    assert all(len(x.split(";")) <= 3 for x in parks["leading_industries"] if x)


def test_same_seed_same_series_any_threads():
    runs = [cs.Simulation(small(), seed=11, threads=t).run() for t in (0, 1, 2, 4)]
    first = runs[0].series("park", "revenue_cny")
    for other in runs[1:]:
        pd.testing.assert_frame_equal(first, other.series("park", "revenue_cny"), check_exact=True)


def test_the_kernel_releases_the_gil():
    # While one thread is inside a single long kernel call (run_until), the main thread keeps
    # running Python. If the GIL were held, the loop below could not advance during the call.
    sc = small(horizon=2035, scale=0.1)
    sim = cs.Simulation(sc, seed=1, threads=1)
    state = {"inside": False, "done": False}

    def work():
        state["inside"] = True
        sim._core.run_until(2035)
        state["done"] = True

    worker = threading.Thread(target=work)
    worker.start()
    iterations_inside = 0
    while not state["done"]:
        if state["inside"]:
            iterations_inside += 1
    worker.join()
    assert sim.finished
    assert iterations_inside > 10_000
