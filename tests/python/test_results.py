"""Results files: what load() returns matches the run; conservation; bad files."""

from __future__ import annotations

import shutil

import h5py
import numpy as np
import pandas as pd
import pytest

import clustersim as cs
from conftest import small


def test_metadata_records_how_to_reproduce(small_results):
    r = cs.load(small_results)
    assert r.meta["complete"] is True
    assert r.meta["seed"] == 7 and r.meta["threads"] == 2  # typed, as the API takes them
    assert isinstance(r.meta["scale"], float) and isinstance(r.meta["until_year"], int)
    assert r.meta["format"] == "clustersim-results"
    for key in ("clustersim_version", "git_revision", "start_time", "end_time", "scenario_toml"):
        assert r.meta[key]
    assert r.scenario() == small()  # every parameter, defaults included


def test_series_match_the_simulation(small_results):
    sim = cs.Simulation(small(), seed=7, threads=1).run()
    r = cs.load(small_results)
    for level in ("park", "zone"):
        for name in ("revenue_cny", "firms", "employees", "entries", "exits", "floor_space_m2"):
            pd.testing.assert_frame_equal(r.series(level, name), sim.series(level, name),
                                          check_exact=True)


def test_snapshots(small_results):
    r = cs.load(small_results)
    assert r.snapshot_years() == [2022, 2023]
    assert "initial" in r.snapshot_labels()
    initial = r.snapshot("initial")
    assert initial["firm_id"].is_unique
    assert len(initial) == len(cs.Simulation(small(), seed=7).firms)
    with pytest.raises(KeyError, match="available"):
        r.snapshot(2030)


def test_snapshot_sums_equal_the_series(small_results):
    # Conservation: December's park totals are the sums over that December's firm table,
    # divided by the scale. Same additions in another order: 1e-12 relative.
    r = cs.load(small_results)
    scale = float(r.meta["scale"])
    firms = r.snapshot(2023)
    by_park = firms.groupby("park", observed=False)["revenue_cny"].sum() / scale
    series = r.series("park", "revenue_cny").loc["2023-12"].T.groupby(level="park").sum()
    np.testing.assert_allclose(by_park.loc[series.index].to_numpy(),
                               series.to_numpy().ravel(), rtol=1e-12)
    counts = firms.groupby("park", observed=False).size() / scale
    firm_series = r.series("park", "firms").loc["2023-12"].T.groupby(level="park").sum()
    np.testing.assert_array_equal(counts.loc[firm_series.index].to_numpy(),
                                  firm_series.to_numpy().ravel())


def test_parks_in_file(small_results):
    parks = cs.load(small_results).parks
    assert len(parks) == 22 and parks.loc["core", "name_zh"] == "张江核心园"


def test_missing_foreign_and_truncated_files(tmp_path, small_results):
    with pytest.raises(cs.OutputError, match="no such file"):
        cs.load(tmp_path / "absent.h5")
    text = tmp_path / "text.h5"
    text.write_text("not hdf5")
    with pytest.raises(cs.OutputError, match="not a readable HDF5 file"):
        cs.load(text)
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f["x"] = [1, 2, 3]
    with pytest.raises(cs.OutputError, match="not a clustersim results file"):
        cs.load(foreign)
    truncated = tmp_path / "truncated.h5"
    data = small_results.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(cs.OutputError):
        r = cs.load(truncated)
        r.series("park", "revenue_cny")
        r.snapshot(2023)


def test_incomplete_file_is_refused_unless_asked(tmp_path, small_results):
    partial = tmp_path / "run.h5"
    shutil.copy(small_results, partial)
    with h5py.File(partial, "r+") as f:
        f.attrs["complete"] = np.int64(0)
    with pytest.raises(cs.OutputError, match="incomplete"):
        cs.load(partial)
    assert cs.load(partial, allow_incomplete=True).meta["complete"] is False


def test_interrupted_run_leaves_only_a_partial_file(tmp_path):
    out = tmp_path / "out.h5"
    sim = cs.Simulation(small(), seed=1)

    def stop(done, total):
        if done == 14:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sim.run(output=out, progress=stop)
    assert not out.exists()
    partial = tmp_path / "out.h5.partial"
    assert partial.exists()
    with pytest.raises(cs.OutputError, match="did not finish"):
        cs.load(out)
    assert cs.load(partial, allow_incomplete=True).meta["complete"] is False


def test_a_run_stopped_by_until_keeps_its_last_december(tmp_path):
    sc = small(horizon=2026)
    sc["output.snapshot_interval_years"] = 3
    out = tmp_path / "until.h5"
    cs.Simulation(sc, seed=2).run(until=2025, output=out)
    # 2024 is on the 3-year interval; 2025 is the last December the run reached.
    assert cs.load(out).snapshot_years() == [2024, 2025]


def test_metadata_cannot_replace_the_runs_own_record(tmp_path):
    out = tmp_path / "meta.h5"
    for key in ("seed", "complete", "format", "end_time", "lever_changes"):
        with pytest.raises(cs.OutputError, match=key):
            cs.Simulation(small(), seed=2).run(output=out, metadata={key: "1"})
        assert not out.exists() and not (tmp_path / "meta.h5.partial").exists()
    cs.Simulation(small(), seed=2).run(output=out, metadata={"study": "levers-A"})
    assert cs.load(out).meta["study"] == "levers-A"


def test_partial_files_can_be_inspected(tmp_path):
    out = tmp_path / "cut.h5"

    def stop(done, total):
        if done == 13:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        cs.Simulation(small(), seed=1).run(output=out, progress=stop)
    partial = cs.load(tmp_path / "cut.h5.partial", allow_incomplete=True)
    assert len(partial.parks) == 22
    assert partial.snapshot_years() == [2022]
    assert partial.snapshot(2022)["park"].notna().all()


def test_frames_export_to_excel(small_results, tmp_path):
    # Economists take tables to spreadsheets: the engine is a dependency (pyproject.toml).
    import pandas as pd
    r = cs.load(small_results)
    path = tmp_path / "targets.xlsx"
    r.target_summary().to_excel(path)
    back = pd.read_excel(path, index_col="target")
    assert back["value"].to_dict() == pytest.approx(r.target_summary()["value"].to_dict())
