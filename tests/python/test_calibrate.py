"""Calibration (docs/calibration.md): recovery of known parameters, determinism across a resume
and across Dask workers, the observation file's errors, the command end to end.

Budgets: every simulation is 1/100 of the zone for one year (~0.1 s). The fitted spec runs 32
particles a generation for 7 generations (~650 simulations, ~30 s on one core), enough for the
posterior of an identified parameter to shrink to well under half its prior's width (the cost
per patent: 0.31 of its prior's sd; with 5 generations 0.58, and 0.31 with 6 but the true value
at the interval's edge, since a 1/100 sample's firm sizes came from the full zone's), and small
enough to keep this file near a minute and a half on 2 cores."""

from __future__ import annotations

import math

import h5py
import numpy as np
import pytest

import clustersim as cs
from clustersim.calibfile import CalibrationError, CalibrationSpec
from clustersim.calibration import run_calibration
from clustersim.observations import ObservationError, Observations

from conftest import ROOT, SCENARIOS, run_cli

# The cost per patent at 0.407 x (6e6, prior [1e6, 1.5e7]): the ratio of R&D spending at the
# sourced intensities to the former ones, so the PCT count and its noise are as before.
TRUE = {"firms.entry.rate": 0.5, "firms.rd.cost_per_patent_cny": 2.44e6}
PRIORS = {"firms.entry.rate": (0.0, 1.5), "firms.rd.cost_per_patent_cny": (4.07e5, 6.1e6),
          # no effect on these moments within a year: must stay unconstrained
          "talent.switch_premium": (0.0, 1.0)}


def base() -> cs.Scenario:
    sc = cs.Scenario.load(SCENARIOS / "small.toml")
    sc["horizon_year"] = 2023
    return sc


@pytest.fixture(scope="module")
def synthetic() -> Observations:
    """Observations simulated by the model itself at TRUE (seed 99, not a seed the fit uses):
    the zone's revenue growth over 2022, as two base-year rows (the growth mapping), the new
    firms of 2022 (a flow) and the PCT applications of 2022 (a target). sds: 0.02 a year on
    the growth (about its seed-to-seed sd at this scale), 10 % on the entries, 15 % on PCT
    (about 30 applying agents at this scale: Poisson noise ~18 %)."""
    from clustersim.observations import parse_quantity
    sc = base()
    sc["scale"] = 0.01
    for key, value in TRUE.items():
        sc[key] = value
    sim = cs.Simulation(sc, seed=99, threads=1).run(2022)
    growth = parse_quantity("zone.revenue_cny").first_year_growth(sim)
    entries = float(parse_quantity("zone.entries").yearly(sim)[2022])
    pct = float(parse_quantity("target.pct").yearly(sim)[2022])
    level = 8.6e12
    text = ("year,quantity,value,source,sd\n"
            f"2021,zone.revenue_cny,{level * math.exp(-growth)!r},synthetic,"
            f"{0.02 / math.sqrt(2) * level * math.exp(-growth)!r}\n"
            f"2022,zone.revenue_cny,{level!r},synthetic,{0.02 / math.sqrt(2) * level!r}\n"
            f"2022,zone.entries,{entries!r},synthetic,{0.1 * entries!r}\n"
            f"2022,target.pct,{pct!r},synthetic,{0.15 * pct!r}\n")
    return Observations.from_text(text, source="<synthetic>")


def spec_for(observations: Observations, **overrides) -> CalibrationSpec:
    table = {"name": "recovery", "seed": 5, "scale": 0.01, "population": 32, "generations": 7,
             "budget": 1000, "batch": 16,
             "parameters": [{"key": k, "range": list(v)} for k, v in PRIORS.items()]}
    table.update(overrides)
    return CalibrationSpec.from_dict(table, source="<test>", base=base(),
                                     observations=observations)


@pytest.fixture(scope="module")
def reference(synthetic, tmp_path_factory):
    path = tmp_path_factory.mktemp("calibration") / "fit.h5"
    return run_calibration(spec_for(synthetic), path, client="inline")


def test_recovers_known_parameters_within_the_90_percent_interval(reference):
    interval = reference.interval(0.9)
    for key, value in TRUE.items():
        assert interval.loc[key, "low"] <= value <= interval.loc[key, "high"], (key, interval)
    table = reference.identification()
    # Identified: the posterior is far narrower than the prior (0.5: the documented threshold).
    assert table.loc["firms.entry.rate", "constrained"]
    assert table.loc["firms.rd.cost_per_patent_cny", "constrained"]
    # Not identified by these moments: its posterior stays about as wide as its prior.
    assert not table.loc["talent.switch_premium", "constrained"]


def test_fit_file_and_scenario(reference):
    assert cs.load_calibration(reference.path).mean().equals(reference.mean())
    info = run_cli("info", reference.path, check=True).stdout
    assert "a calibration fit" in info and f"{len(reference.weights)} particles" in info
    assert all(key in info for key in reference.keys)
    assert "moments:     3 (0 behavioural facts, 0 reported only)" in info
    with h5py.File(reference.path) as f:
        assert f.attrs["format"] == "clustersim-calibration" and f.attrs["complete"] == 1
        assert set(f) >= {"posterior", "priors", "generations", "moments", "identification"}
        assert np.isclose(f["posterior/weights"][()].sum(), 1.0)
    sc = reference.scenario()
    assert sc["scale"] == base()["scale"]   # the base's scale, not the calibration's
    assert sc["firms.entry.rate"] == pytest.approx(reference.mean()["firms.entry.rate"])
    check = reference.check(draws=8, seed=3)
    assert list(check.index) == [m.label for m in reference.observations.moments()]
    assert check["fitted"].all()   # no report_only moments in this calibration
    assert (check["simulated_low_90"] <= check["simulated_high_90"]).all()
    # The check as a figure: one panel per moment, a PNG that opens.
    import clustersim.plot as cplot
    fig = cplot.calibration_check(check)
    assert sum(ax.get_visible() for ax in fig.axes) == len(check)
    assert cplot.save_png(fig, dpi=40).startswith(b"\x89PNG")


def test_interrupted_and_resumed_gives_the_same_posterior(synthetic, reference, tmp_path):
    path = tmp_path / "fit.h5"

    def stop(generation, batch):
        if generation == 2 and batch == 1:   # in the middle of the second SMC generation
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        run_calibration(spec_for(synthetic), path, client="inline", on_batch=stop)
    assert not path.exists() and (tmp_path / "fit.h5.abc.db").exists()
    resumed = run_calibration(spec_for(synthetic), path, client="inline")
    assert resumed.meta["resumed"] == 1
    assert np.array_equal(resumed.posterior.to_numpy(), reference.posterior.to_numpy())
    assert resumed.meta["evaluations"] == reference.meta["evaluations"]
    assert not (tmp_path / "fit.h5.abc.db").exists()
    # A finished output is returned as it is; another calibration on it is refused.
    assert run_calibration(spec_for(synthetic), path).mean().equals(resumed.mean())
    with pytest.raises(cs.OutputError, match="different calibration"):
        run_calibration(spec_for(synthetic, seed=6), path, client="inline")


def test_dask_workers_give_the_same_posterior(synthetic, reference, tmp_path):
    from distributed import Client, LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=40) as cluster, Client(cluster) as client:
        fit = run_calibration(spec_for(synthetic), tmp_path / "fit.h5", client=client)
    assert np.array_equal(fit.posterior.to_numpy(), reference.posterior.to_numpy())


def test_unknown_method_and_bad_priors_are_refused(synthetic):
    with pytest.raises(CalibrationError, match="'calibration.method': value 'mcmc'.*smc-abc"):
        spec_for(synthetic, method="mcmc")
    with pytest.raises(CalibrationError, match=r"parameters\[0\].key.*did you mean "
                                               "'firms.growth.drift'"):
        spec_for(synthetic, parameters=[{"key": "firms.growth.drfit", "range": [0, 1]}])
    with pytest.raises(CalibrationError, match=r"parameters\[0\].range.*low < high"):
        spec_for(synthetic, parameters=[{"key": "firms.growth.drift", "range": [1, 0]}])
    with pytest.raises(CalibrationError, match=r"parameters\[0\].range"):
        spec_for(synthetic, parameters=[{"key": "firms.growth.drift", "range": [0, 7]}])


def test_report_only_moments_are_checked_but_not_fitted(synthetic):
    """A moment named in report_only stays out of the distance (a misfit no fitted parameter
    can move would only add noise) but is kept, flagged, in the fit file and the check."""
    from clustersim.calibration import Distance
    spec = spec_for(synthetic, report_only=["zone.entries@2022"])
    assert spec.report_only == ("zone.entries@2022",)
    assert "report_only=['zone.entries@2022']" in spec.identity()
    distance = Distance(synthetic, spec.report_only)
    assert distance.labels == ["zone.revenue_cny@growth", "target.pct@2022"]
    observed = {m.label: m.observed for m in synthetic.moments()}
    far_entries = {**observed, "zone.entries@2022": observed["zone.entries@2022"] * 10}
    assert distance(far_entries, observed) == 0.0
    assert Distance(synthetic)(far_entries, observed) > 10
    with pytest.raises(CalibrationError, match=r"calibration.report_only.*'zone.exits@2022'.*"
                       r"a moment of the observations \(zone.revenue_cny@growth"):
        spec_for(synthetic, report_only=["zone.exits@2022"])
    with pytest.raises(CalibrationError, match="at least one moment left to fit"):
        spec_for(synthetic, report_only=[m.label for m in synthetic.moments()])
    with pytest.raises(CalibrationError, match="a list of moment labels"):
        spec_for(synthetic, report_only="zone.entries@2022")


def test_list_elements_are_calibrated_one_at_a_time(synthetic):
    spec = spec_for(synthetic, parameters=[{"key": "city.outside_growth[0]", "range": [0, 0.3]},
                                           {"key": "city.outside_growth[2]", "range": [0, 0.3]}])
    scenario = spec.scenario_for({"city.outside_growth[0]": 0.2, "city.outside_growth[2]": 0.1})
    # The elements not calibrated keep the base scenario's value.
    assert scenario["city.outside_growth"] == pytest.approx(
        [0.2, base()["city.outside_growth"][1], 0.1])
    refused = [("city.outside_growth", r"one element of the list, 'city.outside_growth\[i\]'"),
               ("city.outside_growth[3]", r"an index in \[0, 2\]"),
               ("firms.growth.drift[0]", "without an index"),
               ("city.outside_growht[0]", "did you mean 'city.outside_growth'"),
               ("name[0]", "strings and booleans cannot be calibrated")]
    for key, message in refused:
        with pytest.raises(CalibrationError, match=r"parameters\[0\].key.*" + message):
            spec_for(synthetic, parameters=[{"key": key, "range": [0, 0.3]}])
    # Each end of the range must be valid for an element (city.outside_growth: [-0.5, 1]).
    with pytest.raises(CalibrationError, match=r"parameters\[0\].range"):
        spec_for(synthetic, parameters=[{"key": "city.outside_growth[1]", "range": [0, 2]}])


HEADER = "year,quantity,value,source,sd\n"
GROWTH = "year,quantity,value,source,sd,kind\n"
BAD_FILES = [
    (b"", "the file is empty"),
    (b"# only a comment\n", "the file is empty"),
    (HEADER.encode(), "no observations"),
    (b"year,quantity,value,sd\n2022,target.pct,1,1\n", "missing column 'source'"),
    (b"year,quantity,value,source,sd,colour\n", "unknown column 'colour'"),
    ((HEADER + "2022,target.pct,5591,CNIPA,100\n").encode("utf-16"), "not UTF-8"),
    (HEADER + "20x2,target.pct,5591,CNIPA,100\n", "line 2, column 'year': value '20x2'"),
    (HEADER + "1850,target.pct,5591,CNIPA,100\n", "column 'year'.*a year in \\[1990"),
    (HEADER + "2022,target.patents,5591,CNIPA,100\n", "column 'quantity'.*target.pct"),
    (HEADER + "2022,zone.revenue,1e12,CNIPA,100\n",
     "column 'quantity'.*a zone series.*revenue_cny"),
    (HEADER + "2022,zone.revenue_cny.steel,1e12,x,100\n", "a column of zone.revenue_cny"),
    (HEADER + "2022,city.leading_industries_cny.other,1e12,x,1\n", "IC, biomedicine, AI"),
    (HEADER + "2022,galaxy.stars,1,x,1\n", "a quantity zone.<series>"),
    (HEADER + "2022,target.pct,many,CNIPA,100\n", "column 'value': value 'many'.*a number"),
    (HEADER + "2022,target.pct,nan,CNIPA,100\n", "column 'value'.*a finite number"),
    (HEADER + "2022,zone.revenue_cny,-5,CNIPA,100\n", "column 'value'.*> 0"),
    (HEADER + "2022,target.pct,5591,,100\n", "line 2, column 'source'.*the figure's source"),
    (HEADER + "2022,target.pct,5591,CNIPA,0\n", "column 'sd': value '0'.*> 0"),
    (HEADER + "2022,target.pct,5591,CNIPA,-1\n", "column 'sd'.*> 0"),
    (HEADER + "2022,target.pct,5591,CNIPA\n", "line 2: 4 fields; expected 5"),
    (HEADER + "2022,target.pct,5591,CNIPA,1\n2022,target.pct,5000,other,1\n",
     "line 3: target.pct in 2022 is already given on line 2"),
    ("year,quantity,value,source,sd,share\n2022,target.pct,5591,CNIPA,1,0\n",
     "column 'share'.*> 0"),
    (HEADER + "2022,park.moon.revenue_cny,1e12,x,1\n", "a park id after 'park.'.*core"),
    (HEADER + "2022,park.core.revenue,1e12,x,1\n", "a park series.*revenue_cny"),
    (HEADER + "2022,park.core.revenue_cny.steel,1e12,x,1\n", "a column of park.core.revenue_cny"),
    (GROWTH + "2022,park.core.revenue_cny,0.08,x,0.02,rising\n", "column 'kind'.*level, growth"),
    (GROWTH + "2022,target.pct,0.1,x,0.02,growth\n", "column 'quantity'.*a stock"),
    (GROWTH + "2022,zone.entries,0.1,x,0.02,growth\n", "column 'quantity'.*a stock"),
    (GROWTH + "2022,zone.revenue_cny,-1.5,x,0.02,growth\n", "column 'value'.*a growth rate > -1"),
    ("year,quantity,value,source,sd,share,kind\n2022,zone.revenue_cny,0.1,x,0.02,0.7,growth\n",
     "column 'share'.*1 for a growth row"),
    (GROWTH + "2021,zone.revenue_cny,8e12,x,1e11,\n2022,zone.revenue_cny,9e12,x,1e11,\n"
     "2022,zone.revenue_cny,0.1,x,0.02,growth\n",
     "line 4: the 2022 growth of zone.revenue_cny is also derived from its levels on lines 2 "
     "and 3"),
    (GROWTH + "2022,zone.revenue_cny,0.1,x,0.02,growth\n2022,zone.revenue_cny,0.2,y,0.02,growth\n",
     "line 3: zone.revenue_cny \\(growth\\) in 2022 is already given on line 2"),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES,
                         ids=[f"bad{i}" for i in range(len(BAD_FILES))])
def test_bad_observation_files_get_clear_errors(tmp_path, content, message):
    path = tmp_path / "observed.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ObservationError, match=message) as error:
        Observations.from_csv(path)
    assert str(error.value).startswith(str(path))


def test_missing_observation_file(tmp_path):
    with pytest.raises(ObservationError, match="cannot read the observation file"):
        Observations.from_csv(tmp_path / "nope.csv")


def test_shipped_observations_and_their_mapping():
    obs = Observations.from_csv(ROOT / "data" / "observed.csv")
    moments = {m.label: m for m in obs.moments()}
    # City leading industries 1.27 trn (2021) to 1.4 trn (2022): the latest two rows, not the
    # 2020 row (the 2020-21 rebound), whose sds add up over a single year.
    growth = moments["city.leading_industries_cny@growth"]
    assert growth.observed == pytest.approx(math.log(1.4 / 1.27))
    assert growth.sd == pytest.approx(math.hypot(0.05, 0.05))
    assert moments["target.pct@2022"].observed == pytest.approx(5591 * 0.7)
    unfitted = {(o.quantity.label, o.year) for o in obs.unfitted()}
    assert ("zone.revenue_cny", 2016) in unfitted and ("target.pct", 2018) in unfitted
    assert ("city.leading_industries_cny", 2020) in unfitted
    assert ("city.leading_industries_cny", 2021) not in unfitted
    assert all(o.source for o in obs.rows)
    # Published growth rates of the Science City (the model's Core Park): log(1 + g).
    core_ic = moments["park.core.revenue_cny.IC@growth"]
    assert core_ic.kind == "growth" and core_ic.year == 2022
    assert core_ic.observed == pytest.approx(math.log(1.181))
    assert core_ic.sd == pytest.approx(0.02 / 1.181)


def test_park_quantities_and_growth_rows_measure_the_simulation():
    """A park's series and a published growth rate are measured on the simulation the way the
    docs say: the park's columns of the park-level series, the first year's growth annualised,
    and a later year's growth December to December."""
    obs = Observations.from_text(
        "year,quantity,value,source,sd,kind\n"
        "2022,park.core.revenue_cny.IC,0.18,x,0.02,growth\n"
        "2023,park.core.revenue_cny,0.08,x,0.02,growth\n"
        "2023,park.core.firms,300,x,10,level\n"
        "2021,park.core.employees,0.05,x,0.02,growth\n")
    labels = [m.label for m in obs.moments()]
    assert labels == ["park.core.revenue_cny.IC@growth", "park.core.revenue_cny@growth2023",
                      "park.core.firms@2023"]
    assert [(o.quantity.label, o.year) for o in obs.unfitted()] == [("park.core.employees", 2021)]
    sim = cs.Simulation(base(), seed=5, threads=1)
    sim.run(obs.last_year())
    stats = obs.statistics(sim)
    ic = sim.series("park", "revenue_cny")[("core", "IC")]
    first = ic[ic.index.year == 2022]
    assert stats["park.core.revenue_cny.IC@growth"] == pytest.approx(
        math.log(first.iloc[-1] / first.iloc[0]) * 12 / 11)
    revenue = sim.series("park", "revenue_cny")["core"].sum(axis=1)
    december = revenue[revenue.index.month == 12]
    assert stats["park.core.revenue_cny@growth2023"] == pytest.approx(
        math.log(december.iloc[1] / december.iloc[0]))
    firms = sim.series("park", "firms")["core"].sum(axis=1)
    assert stats["park.core.firms@2023"] == pytest.approx(firms.iloc[-1])


def test_cli_calibrate_end_to_end_and_resume(tmp_path):
    toml = tmp_path / "calib.toml"
    toml.write_text(f"""[calibration]
name = "tiny"
base = "{SCENARIOS / 'small.toml'}"
observations = "{ROOT / 'data' / 'observed.csv'}"
seed = 3
population = 8
generations = 2
budget = 200
batch = 8

[[calibration.parameters]]
key = "firms.growth.drift"
range = [0.0, 0.3]
""")
    out = tmp_path / "fit.h5"
    first = run_cli("calibrate", str(toml), "-o", str(out), "--inline", check=True)
    assert "firms.growth.drift" in first.stdout and f"wrote {out}" in first.stdout
    # Progress on stderr, a line per batch of 8 (the calibration sample is generation 0).
    progress = [line for line in first.stderr.splitlines() if "simulations in" in line]
    assert progress and progress[0].startswith("clustersim: generation 0 of at most 2, batch 1: "
                                               "8 of at most 200 simulations in")
    assert all(line.endswith(" s left") for line in progress)
    fit = cs.load_calibration(out)
    assert len(fit.weights) == 8 and fit.meta["generations_run"] == 2
    assert fit.meta["evaluations"] <= 200   # the budget: no batch starts beyond it
    again = run_cli("calibrate", str(toml), "-o", str(out), "--inline", "--posterior",
                    str(tmp_path / "posterior.csv"), check=True)
    # A finished fit gives its joint posterior: the particles and weights, read back whole.
    from clustersim.posterior import read_posterior
    particles = read_posterior(tmp_path / "posterior.csv")
    assert np.array_equal(particles["firms.growth.drift"], fit.posterior["firms.growth.drift"])
    assert np.allclose(particles["weight"], fit.weights, rtol=1e-15, atol=0)
    assert again.stdout.splitlines()[-2].split(",")[:3] == first.stdout.splitlines()[-1].split(
        ",")[:3]
    quiet = run_cli("calibrate", str(toml), "-o", str(tmp_path / "quiet.h5"), "--inline", "-q",
                    check=True)
    assert "simulations in" not in quiet.stderr and "wrote" in quiet.stdout
    bad = run_cli("calibrate", str(tmp_path / "none.toml"), "-o", str(out))
    assert bad.returncode == 2 and "cannot read the calibration file" in bad.stderr


@pytest.mark.parametrize("path", sorted((SCENARIOS / "calibration").glob("*.toml")),
                         ids=lambda p: p.name)
def test_every_shipped_calibration_file_loads(path):
    """The fits docs/calibration.md quotes must stay reproducible as keys and statistics change:
    each shipped calibration file loads, with at least one parameter and one moment."""
    spec = CalibrationSpec.load(path)
    assert spec.priors and spec.moments()
