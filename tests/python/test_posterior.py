"""The joint posterior file (docs/calibration.md, "The joint posterior") and the outlook's
draws of whole particles from it (docs/outlook.md)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from clustersim import outlook
from clustersim.posterior import (WEIGHT, PosteriorError, particles_at, read_posterior,
                                  write_posterior)
from conftest import SCENARIOS, run_cli

FILES = [str(SCENARIOS / "baseline.toml"), str(SCENARIOS / "no-new-policy.toml")]
KEYS = ["firms.growth.drift", "vc.months_between_rounds", "city.outside_growth[0]"]


def fake_fit(path, weights=(0.5, 0.3, 0.2, 0.0)) -> SimpleNamespace:
    """What write_posterior reads of a Fit: its posterior, meta and path. Drift and months
    are perfectly correlated across the particles, as a calibration's ridge would make them."""
    frame = pd.DataFrame({KEYS[0]: [0.01, 0.02, 0.05, 0.29],
                          KEYS[1]: [6.2, 12.4, 30.9, 36.0],
                          KEYS[2]: [0.1, 0.2, 0.3, 0.4], WEIGHT: list(weights)})
    return SimpleNamespace(posterior=frame.rename_axis("particle"), path=str(path),
                           meta={"name": "test", "identity": "x", "evaluations": 10})


@pytest.fixture
def posterior_file(tmp_path):
    return write_posterior(fake_fit(tmp_path / "fit.h5"), tmp_path / "posterior.csv")


def test_written_whole_and_read_back_exactly(posterior_file):
    text = open(posterior_file, encoding="utf-8").read()
    assert text.startswith("# clustersim posterior") and "calibration: test" in text
    back = read_posterior(posterior_file)
    expected = fake_fit("x").posterior.reset_index(drop=True)
    pd.testing.assert_frame_equal(back, expected)   # the weights already sum to 1


def test_stratified_particles_follow_the_weights():
    posterior = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], WEIGHT: [0.5, 0.25, 0.25, 0.0]})
    picks = particles_at(posterior, (np.arange(4) + 0.5) / 4)
    assert picks.tolist() == [0, 0, 1, 2]   # a zero weight is never drawn
    many = particles_at(posterior, (np.arange(1000) + 0.5) / 1000)
    assert np.bincount(many, minlength=4).tolist() == [500, 250, 250, 0]


BAD = [
    ("firms.growth.drift,weight\n", "no particles"),
    ("firms.growth.drift\n0.1\n", "weight"),
    ("firms.nonsense,weight\n0.1,1\n", "column 'firms.nonsense'"),
    ("name,weight\n0.1,1\n", "column 'name'"),
    ("city.outside_growth,weight\n0.1,1\n", "column 'city.outside_growth'"),
    ("firms.growth.drift,firms.growth.drift,weight\n0.1,0.1,1\n", "each column once"),
    ("firms.growth.drift,weight\n0.1\n", "2 fields"),
    ("firms.growth.drift,weight\nabc,1\n", "line 3, column 'firms.growth.drift'"),
    ("firms.growth.drift,weight\n0.1,-1\n", "a finite weight >= 0"),
    ("firms.growth.drift,weight\n0.1,nan\n", "a finite weight >= 0"),
    ("firms.growth.drift,weight\n0.1,0\n", "sum to more than 0"),
    ("vc.months_between_rounds,weight\n0.5,1\n", "a number in [1"),
]


@pytest.mark.parametrize(("content", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_posterior_files_are_refused_naming_where(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text("# a comment line\n" + content)
    with pytest.raises(PosteriorError, match=str(path)) as error:
        read_posterior(path)
    assert message in str(error.value)
    with pytest.raises(PosteriorError, match="cannot read"):
        read_posterior(tmp_path / "missing.csv")


def test_the_outlook_draws_whole_particles(posterior_file, tmp_path):
    spec = outlook.OutlookSpec(FILES, draws=8, seeds=1, scale=0.01, until=2022, seed=5,
                               posterior=posterior_file)
    keys, draws = spec.draw_points()
    frame = pd.DataFrame(draws, columns=keys)
    particles = read_posterior(posterior_file)
    # Every draw is one particle, whole: drift, months (rounded: an integer key) and the list
    # element together.
    rows = [particles.index[(particles[KEYS[0]] == d)].tolist() for d in frame[KEYS[0]]]
    assert all(len(r) == 1 for r in rows)
    rows = [r[0] for r in rows]
    assert np.array_equal(frame[KEYS[1]], np.round(particles[KEYS[1]].to_numpy()[rows]))
    assert np.array_equal(frame[KEYS[2]], particles[KEYS[2]].to_numpy()[rows])
    # Strata of 1/8 against cumulative weights 0.5, 0.8, 1: four draws of the first, then two
    # or three of the second (the stratum across 0.8 goes either way), never the fourth.
    counts = np.bincount(rows, minlength=4).tolist()
    assert counts[0] == 4 and counts[1] in (2, 3) and counts[1] + counts[2] == 4 and \
        counts[3] == 0
    # The keys the posterior does not hold are drawn as before: from their priors or ranges.
    plain_keys, _ = outlook.OutlookSpec(FILES, draws=8, seed=5).draw_points()
    assert set(keys) == set(plain_keys) | set(KEYS)
    other = [k for k in keys if k not in KEYS]
    assert other and frame[other].std().gt(0).all()
    # It runs, and the outlook says where its calibrated parameters came from.
    results = outlook.run_outlook(spec, tmp_path / "o.h5", client="inline")
    assert outlook.posterior_of(results) == posterior_file
    assert f"from the posterior {posterior_file}" in outlook.summary(results, 2022)
    from clustersim.brief import caveat
    assert f"posterior <code>{posterior_file}</code>" in caveat(results)
    design = results.design()
    assert set(np.round(design[KEYS[0]], 12)) <= set(np.round(particles[KEYS[0]], 12))


def test_outlook_cli_takes_a_posterior_and_refuses_a_bad_one(posterior_file, tmp_path):
    out = tmp_path / "o.h5"
    done = run_cli("outlook", FILES[0], "-o", str(out), "--draws", "2", "--seeds", "1",
                   "--scale", "0.01", "--until", "2022", "--workers", "1", "-q",
                   "--posterior", posterior_file, check=True)
    assert "drawn jointly, as whole particles" in done.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("firms.growth.drift,weight\n0.1,-1\n")
    refused = run_cli("outlook", FILES[0], "-o", str(tmp_path / "b.h5"), "--posterior", str(bad))
    assert refused.returncode == 2 and "a finite weight >= 0" in refused.stderr
    assert not (tmp_path / "b.h5").exists()
