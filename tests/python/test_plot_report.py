"""Figures (clustersim.plot) and the HTML report (clustersim report)."""

from __future__ import annotations

import base64
import html as html_module
import re
import shutil
import subprocess

import matplotlib
import pandas as pd
import pytest

import clustersim as cs
import clustersim.plot as cplot
from clustersim.sweep import run_sweep
from clustersim.sweepfile import SweepSpec
from conftest import ROOT, SCENARIOS, run_cli, small

matplotlib.use("Agg")
TARGET_IDS = [t["id"] for t in cs._core.target_catalogue()]


@pytest.fixture(scope="module")
def run_file(tmp_path_factory):
    # Evaluation from 2022 with every bottom park failing: notices and a removal to draw.
    sc = small(horizon=2025)
    sc["policy.evaluation.ranking.start_year"] = 2022
    sc["policy.evaluation.fail_score"] = 10.0
    path = tmp_path_factory.mktemp("report") / "run.h5"
    cs.Simulation(sc, seed=3, threads=2).run(output=path)
    return path


@pytest.fixture(scope="module")
def sweep_file(tmp_path_factory):
    spec = SweepSpec.load(SCENARIOS / "sweeps" / "small.toml")
    spec.replicates = 2
    spec.until = 2024
    path = tmp_path_factory.mktemp("report") / "sweep.h5"
    run_sweep(spec, path, client="inline")
    return path


def _png(fig) -> bytes:
    data = cplot.save_png(fig, dpi=50)
    assert data.startswith(b"\x89PNG") and len(data) > 2000
    return data


@pytest.mark.parametrize("name", ["revenue", "target_dashboard", "park_ranking", "sector_mix",
                                  "talent_flows", "space_use"])
def test_run_figures_render_from_a_file_and_from_a_simulation(run_file, name):
    _png(getattr(cplot, name)(cs.load(run_file)))
    sim = cs.Simulation(small(horizon=2023, scale=0.01), seed=1, threads=2).run()
    _png(getattr(cplot, name)(sim))


def test_the_dashboard_shows_every_target_with_its_threshold(run_file):
    fig = cplot.target_dashboard(cs.load(run_file))
    axes = [ax for ax in fig.axes if ax.get_title()]
    assert len(axes) == 10
    thresholds = cs.load(run_file).targets().attrs["thresholds"]
    for ax, target in zip(axes, TARGET_IDS, strict=True):
        scale = 100.0 if target in ("leading_share", "rd_intensity", "vc_share") else 1.0
        dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
        assert dashed[0].get_ydata()[0] == pytest.approx(thresholds[target] * scale)


def test_park_ranking_marks_the_notice_and_the_removal(run_file):
    results = cs.load(run_file)
    assert (results.series("park", "standing") == -2).any().any()
    fig = cplot.park_ranking(results)
    collections = fig.axes[0].collections
    assert sum(len(c.get_offsets()) for c in collections) >= 2   # circle(s) and a cross


def test_figures_take_paths_and_name_bad_arguments(run_file, sweep_file):
    _png(cplot.target_dashboard(str(run_file)))
    _png(cplot.target_dashboard(sweep_file, point=1))
    with pytest.raises(ValueError, match=r"point=99 is not a design point .* \[0, 8\]"):
        cplot.target_dashboard(cs.load_sweep(sweep_file), point=99)
    with pytest.raises(ValueError, match="point=-1"):
        cplot.fan_chart(sweep_file, "pct", point=-1)
    with pytest.raises(ValueError, match=r"year=2050 is not a year of this run; .*2022-2025"):
        cplot.sector_mix(run_file, year=2050)
    for figure in (cplot.revenue, cplot.park_ranking, cplot.sector_mix, cplot.talent_flows,
                   cplot.space_use):
        with pytest.raises(TypeError, match="draws one run, not a sweep"):
            figure(cs.load_sweep(sweep_file))
    with pytest.raises(TypeError, match="draws the runs of a sweep"):
        cplot.fan_chart(run_file, "pct")


def test_sweep_figures_render(sweep_file):
    results = cs.load_sweep(sweep_file)
    _png(cplot.target_dashboard(results, point=3))
    _png(cplot.fan_chart(results, "zone.revenue_cny.december", scale=1e-12, ylabel="trn"))
    _png(cplot.fan_chart(results, "leading_share", point=0))
    _png(cplot.fan_chart(results, "pct", pooled=True))
    with pytest.raises(TypeError, match="point=1: a run has no design points"):
        cplot.target_dashboard(run_file_path(results), point=1)


def run_file_path(sweep):
    """A one-run file beside the sweep, for the argument check above."""
    path = sweep.path + ".run.h5"
    cs.Simulation(small(scale=0.01), seed=1, threads=1).run(output=path)
    return path


def _has_legend(ax) -> bool:
    return ax.get_legend() is not None


@pytest.mark.parametrize("name", ["revenue", "target_dashboard", "park_ranking", "sector_mix",
                                  "talent_flows", "space_use"])
def test_every_run_figure_explains_its_marks(run_file, name):
    # Each panel that draws lines, areas or markers has a legend (the dashboard's small
    # multiples share the first panel's); an image panel has a colour bar.
    fig = getattr(cplot, name)(run_file)
    panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    bars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    explained = [_has_legend(ax) or (ax.images and bars) for ax in panels]
    if name == "target_dashboard":
        assert explained[0]
    else:
        assert all(explained), [ax.get_title() for ax, ok in zip(panels, explained) if not ok]


def test_the_park_ranking_names_the_leaders_and_the_flagged_parks(run_file):
    results = cs.load(run_file)
    fig = cplot.park_ranking(results, top=3)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    standing = results.series("park", "standing")
    flagged = {p for p in standing.columns if (standing[p] < 0).any()}
    assert flagged and flagged <= set(legend)
    parks = [t for t in legend if t in set(results.parks.index)]
    # Three leaders plus the flagged parks (one may be both); the rest share one grey entry.
    assert 3 <= len(parks) <= 3 + len(flagged)
    others = 22 - len(parks)
    assert f"the other {others} parks" in legend
    assert "notice (bottom of the ranking)" in legend and "plaque removed" in legend
    with pytest.raises(ValueError, match="top=-1"):
        cplot.park_ranking(results, top=-1)


def test_sweep_probabilities_show_every_design_point_apart(sweep_file):
    results = cs.load_sweep(sweep_file)
    labels = cplot.point_labels(results)
    assert labels[4] == "land.supply=1, finance.government_fund=1"
    fig = cplot.target_dashboard(results)
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert len(panels) == 10
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == labels   # one entry per point: not pooled
    # Each panel names its threshold in the target's unit.
    assert panels[1].get_title().endswith(">= 85 %")
    assert panels[3].get_title().endswith(">= 800,000 persons")
    for ax in panels:
        assert len(ax.containers) == len(labels)   # an error bar (the interval) per point


def test_sweep_fan_charts_are_titled_in_words_per_point_with_the_threshold(sweep_file):
    results = cs.load_sweep(sweep_file)
    fig = cplot.fan_chart(results, "zone.revenue_cny.december")
    ax = fig.axes[0]
    fig.canvas.draw()
    assert ax.get_title().startswith("zone revenue, in December")
    assert ax.get_ylabel() == "trn CNY/year"
    assert ax.yaxis.get_offset_text().get_text() == ""     # no "1e12" above the axis
    assert all(1 <= float(t.get_text().replace("\u2212", "-")) < 100
               for t in ax.get_yticklabels() if t.get_text())
    assert [t.get_text() for t in ax.get_legend().get_texts()] == cplot.point_labels(results)
    fig = cplot.fan_chart(results, "leading_share")
    ax = fig.axes[0]
    assert ax.get_title().startswith("share of city's leading ind.")
    assert ax.get_ylabel() == "%"
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert dashed and dashed[0].get_ydata()[0] == pytest.approx(85.0)
    assert "target: >= 85 %" in [t.get_text() for t in ax.get_legend().get_texts()]


def _chromium(html_path, png_path) -> subprocess.CompletedProcess:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "chromium is needed (.ci/setup --with-tests installs Debian's package)"
    return subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--enable-logging=stderr", "--v=0", f"--screenshot={png_path}",
         "--window-size=1280,3000", html_path.as_uri()],
        capture_output=True, text=True, timeout=120)


def _check_report(path, png, needles):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    for target in TARGET_IDS:
        # Every target by its name in words (escaped as HTML), and in a run's report its id too.
        assert html_module.escape(cplot.TITLES[target]) in text, target
        assert f">{target}<" in text or "P(target met by" in text, target
    for needle in needles:
        assert needle in text
    # Self-contained: images are embedded, nothing is fetched.
    assert not re.search(r'(src|href)="(https?:|file:|/)', text)
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', text)
    assert images and all(base64.b64decode(i).startswith(b"\x89PNG") for i in images)
    browser = _chromium(path, png)
    assert browser.returncode == 0, browser.stderr[-2000:]
    assert png.exists() and png.stat().st_size > 10_000
    console_errors = [line for line in browser.stderr.splitlines()
                      if "CONSOLE" in line or "Uncaught" in line]
    assert console_errors == []


def test_report_of_a_run_opens_in_a_headless_browser(run_file, tmp_path):
    out = tmp_path / "report.html"
    result = run_cli("report", str(run_file), "-o", str(out), check=True)
    assert f"wrote {out}" in result.stdout
    _check_report(out, tmp_path / "report.png",
                  ["first met", "Reproduce", "git_revision", "clustersim run", "[policy.",
                   "<h2>Levers</h2>", "<td class=\"\">ranking</td>",
                   "Not faithful at scale 0.02: champions, talent,"])


def test_a_run_report_is_one_draw_with_its_seed_spread_and_reproduces(run_file, tmp_path):
    import html as html_module
    out = tmp_path / "seeds.html"
    run_cli("report", str(run_file), "-o", str(out), "--seeds", "2", check=True)
    text = out.read_text(encoding="utf-8")
    assert "<b>one run</b> (seed 3)" in text and "2 seeds: 5–95 % in 2025" in text
    # The spread's P(met by 2025) is that of the scenario run with seeds 1 and 2.
    r = cs.load(run_file)
    met = [cs.Simulation(r.scenario(), seed=s).run(until=2025).targets()["pct_met"].any()
           for s in (1, 2)]
    row = re.search(r'<tr[^>]*><td class="l">[^<]*<br><code>pct</code>(?:<sup>\*</sup>)?</td>'
                    r'(.*?)</tr>', text).group(1)
    cells = re.findall(r'<td class="">(.*?)</td>', row)
    assert float(cells[-2]) == pytest.approx(sum(met) / 2)
    # The Reproduce section's command, on the scenario it prints, gives the same targets.
    command = re.search(r"and run <code>(.*?)</code>", text).group(1).split()
    scenario = html_module.unescape(re.search(r"<h3>Scenario</h3><details>.*?<pre>(.*?)</pre>", text,
                                              re.S).group(1))
    (tmp_path / "scenario.toml").write_text(scenario, encoding="utf-8")
    assert command[:3] == ["clustersim", "run", "scenario.toml"]
    args = [str(tmp_path / "scenario.toml")] + [
        str(tmp_path / "out.h5") if a == "out.h5" else a for a in command[3:]]
    run_cli("run", *args, "-q", check=True)
    again = cs.load(tmp_path / "out.h5").targets()
    pd.testing.assert_frame_equal(again, r.targets())
    bad = run_cli("report", str(run_file), "-o", str(tmp_path / "x.html"), "--seeds", "0")
    assert bad.returncode == 2 and "--seeds 0" in bad.stderr


def test_report_of_a_sweep_opens_in_a_headless_browser(sweep_file, tmp_path):
    out = tmp_path / "sweep.html"
    run_cli("report", str(sweep_file), "-o", str(out), check=True)
    _check_report(out, tmp_path / "sweep.png",
                  ["P(target met by", "Design points", "--seed", "[[sweep.vary]]",
                   ">finance.government_fund<", "(a row, by the values it sets)",
                   "Differences from the first point", "minus at point 0"])


def test_report_errors_are_clear(tmp_path):
    bad = tmp_path / "bad.h5"
    bad.write_text("not hdf5")
    result = run_cli("report", str(bad), "-o", str(tmp_path / "r.html"))
    assert result.returncode == 2 and "cannot open" in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_readme_figures_come_from_the_script(tmp_path):
    script = ROOT / "docs" / "figures" / "make_figures.py"
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), str(script), "--out",
                             str(tmp_path), "--small"], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in re.findall(r"docs/figures/([\w-]+\.png)", readme):
        assert (tmp_path / name).exists(), name
        assert (ROOT / "docs" / "figures" / name).exists(), name
