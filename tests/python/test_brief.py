"""The policy brief of an outlook (clustersim.brief; docs/outlook.md, "The policy brief")."""

from __future__ import annotations

import base64
import html
import re
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

import clustersim as cs
import clustersim.plot as cplot
from clustersim import attribution, brief, cli, outlook
from clustersim.errors import OutputError
from clustersim.sweep import run_sweep
from clustersim.sweepfile import SweepSpec
from conftest import ROOT, SCENARIOS

ROOT_DATA = ROOT / "data" / "posterior-behaviour-2022-wide.csv"
FILES = [str(SCENARIOS / f"{name}.toml") for name in
         ("baseline", "no-new-policy", "all-levers-strong")]
NAMES = ["baseline", "no-new-policy", "all-levers-strong"]
YEAR = 2024   # the tiny outlook's last year: the brief's default verdict year
# The IPCC AR5 scale (Mastrandrea et al. 2010), written out again here: a probability gets the
# narrowest term, a boundary the term farther from even odds.
IPCC = [("virtually certain", lambda p: p >= 0.99), ("very likely", lambda p: p >= 0.90),
        ("likely", lambda p: p >= 0.66), ("exceptionally unlikely", lambda p: p <= 0.01),
        ("very unlikely", lambda p: p <= 0.10), ("unlikely", lambda p: p <= 0.33),
        ("about as likely as not", lambda p: True)]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """Three scenarios x 3 draws x 2 seeds at scale 0.02 to 2024 (fixed seeds), and its brief
    written by the command, as a user writes it."""
    folder = tmp_path_factory.mktemp("brief")
    spec = outlook.OutlookSpec(FILES, draws=3, seeds=2, scale=0.02, until=YEAR, seed=5)
    results = outlook.run_outlook(spec, folder / "outlook.h5", client="inline")
    page = folder / "brief.html"
    assert cli.main(["report", str(folder / "outlook.h5"), "-o", str(page)]) == 0
    return results, page, page.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def groups(tmp_path_factory):
    """A tiny lever-groups sweep (not an outlook): no-new-policy and one group alone on it."""
    folder = tmp_path_factory.mktemp("groups")
    text = f"""[sweep]
name = "lever-groups"
base = "{SCENARIOS / 'no-new-policy.toml'}"
seed = 3
replicates = 2
seeds = "per_replicate"
design = "full_factorial"
until = 2023
[sweep.set]
scale = 0.02
[[sweep.vary]]
key = "scenario"
values = ["{SCENARIOS / 'no-new-policy.toml'}", "{SCENARIOS / 'levers-land.toml'}"]
[sweep.outcomes]
targets = true
series = [{{ level = "city", name = "policy_cost_cny", reduce = "sum" }}]
"""
    run_sweep(SweepSpec.from_toml(text, source=str(folder / "g.toml")), folder / "g.h5",
              client="inline")
    return folder / "g.h5"


def _ipcc(p: float) -> str:
    return next(words for words, holds in IPCC if holds(p))


@pytest.mark.parametrize("p", [1.0, 0.99, 0.9899, 0.9, 0.8999, 0.66, 0.6599, 0.5, 0.3301, 0.33,
                               0.1001, 0.1, 0.0101, 0.01, 0.0])
def test_the_likelihood_words_follow_the_ipcc_scale_at_its_boundaries(p):
    assert brief.likelihood(p) == _ipcc(p)


def test_a_verdict_says_the_term_its_interval_and_the_first_year_of_even_odds():
    rows = pd.DataFrame({"p": [0.2, 0.55, 0.78], "low": [0.0, 0.3, 0.61],
                         "high": [0.4, 0.8, 0.92]}, index=pd.Index([2028, 2029, 2030]))
    assert brief.verdict("baseline", rows, 2030) == (
        "baseline: likely to be met by 2030 (P = 0.78 [0.61, 0.92]), the interval reaching "
        "from about as likely as not to very likely; even odds or better from 2029")
    low = rows.assign(p=[0.0, 0.05, 0.3], low=np.nan, high=np.nan)
    assert brief.verdict("no-new-policy", low, 2029) == (
        "no-new-policy: very unlikely to be met by 2029 (P = 0.05); even odds not reached by "
        "2030")
    assert brief.likelihood(float("nan")) == "not known"


def test_the_brief_names_every_target_by_its_name_and_threshold(tiny):
    results, _, text = tiny
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    thresholds = results.thresholds()
    for target in outlook.TARGET_IDS:
        section = re.search(rf'<h2 id="t-{target}">(.*?)</h2>', text).group(1)
        assert html.escape(cplot.TITLES[target]) in section, target
        # The threshold in its unit ("85 %", "100 firms") and the id beside the name.
        assert cplot.threshold_words(target, thresholds[target]).split(" ", 1)[1] in section
        assert f"<code>{target}</code>" in section
    assert "share of city&#x27;s leading ind. (≥ 85 %)" in text
    assert len(re.findall(r'<img alt="P\(', text)) == len(outlook.TARGET_IDS)
    # The header: what was run, the scale warning and the standing caveat.
    assert "3 joint draws of the uncertain parameters × 2 seeds" in text
    assert "outlook seed 5" in text and "The verdicts are for <b>2024</b>" in text
    assert "Not faithful at scale 0.02" in text and "(champions)" in text
    assert "no calibration posterior was drawn" in text and "Mastrandrea" in text
    for name, path in zip(NAMES, FILES, strict=True):
        assert html.escape(str(cs.Scenario.load(path)["description"])) in text


def test_each_verdict_agrees_with_the_outlooks_probabilities(tiny):
    results, _, text = tiny
    p = outlook.probabilities(results, YEAR)
    met = {t: (results.outcome(f"{t}_met") == 1).cummax(axis=1) for t in outlook.TARGET_IDS}
    scenario = results.design()["scenario"].to_numpy()[results.runs()["point"].to_numpy()]
    for target in outlook.TARGET_IDS:
        items = re.search(rf'<h2 id="t-{target}">.*?<ul>(.*?)</ul>', text, re.S).group(1)
        verdicts = [html.unescape(v) for v in re.findall(r"<li>(.*?)</li>", items)]
        assert len(verdicts) == 3
        for name, line in zip(NAMES, verdicts, strict=True):
            expected = p.loc[(name, target, YEAR), "p"]
            words, shown = re.match(rf"{name}: (.+?) to be met by {YEAR} \(P = ([0-9.]+)",
                                    line).groups()
            assert words == _ipcc(expected) and float(shown) == pytest.approx(expected, abs=0.005)
            # The first year of even odds, from the runs' met flags directly.
            share = met[target][scenario == name].mean()
            even = share.index[share >= 0.5]
            assert line.endswith(f"even odds or better from {even[0]}" if len(even)
                                 else f"even odds not reached by {YEAR}"), line


def test_the_lever_table_shows_all_levers_strong_at_intensity_two(tiny):
    _, _, text = tiny
    levers = cs._core.lever_catalogue()
    scenario = cs.Scenario.load(FILES[2])
    assert all(scenario[f"policy.{lever['key']}.intensity"] == 2.0 for lever in levers)
    folded = re.search(r"<summary>Every lever of all-levers-strong</summary>(.*?)</details>",
                       text, re.S).group(1)
    assert folded.count('<td class="">2</td>') == len(levers)
    assert "Every lever of no-new-policy</summary><p>No lever is on" in text
    # The levers that differ: all of them, on in baseline at 1 and here at 2, off otherwise.
    table = re.search(r"<h2>Levers</h2>.*?<table>(.*?)</table>", text, re.S).group(1)
    assert table.count("<td class=\"\">2 (from 2023)</td>") == len(levers)
    assert table.count("<td class=\"\">off</td>") == len(levers)


def test_the_levers_cost_nothing_in_no_new_policy_and_something_in_the_others(tiny):
    results, _, text = tiny
    cost = brief.cumulative_cost(results, YEAR)
    by_scenario = cost.groupby("scenario")["value"]
    assert (by_scenario.max()["no-new-policy"], by_scenario.min()["baseline"] > 0,
            by_scenario.min()["all-levers-strong"] > 0) == (0.0, True, True)
    # The sum over 2023..2024 of the recorded yearly cost, per run.
    yearly = results.outcome(outlook.COST)
    assert sorted(cost["value"]) == pytest.approx(sorted(yearly[[2023, 2024]].sum(axis=1)))
    rows = dict(re.findall(r'<tr><td class="l">([\w-]+)</td><td class="">([^<]+)</td>'
                           r'<td class="">[^<]+ – [^<]+</td></tr>', text))
    assert rows["no-new-policy"] == "0"
    assert float(rows["all-levers-strong"]) > float(rows["baseline"]) > 0


def test_the_differences_are_paired_against_no_new_policy(tiny):
    results, _, text = tiny
    assert "the reference scenario for the comparisons is <b>no-new-policy</b>" in text
    assert text.count("<h3>Against no-new-policy</h3>") == len(outlook.TARGET_IDS)
    # leading_share in all-levers-strong minus no-new-policy, run by run (same draw and seed).
    runs, design = results.runs(), results.design()
    frame = pd.DataFrame({"scenario": design["scenario"].to_numpy()[runs["point"]],
                          "draw": runs["point"] % 3, "replicate": runs["replicate"],
                          "value": results.outcome("leading_share")[YEAR]})
    wide = frame.pivot_table(index=["draw", "replicate"], columns="scenario", values="value")
    d = float((wide["all-levers-strong"] - wide["no-new-policy"]).mean())
    section = re.search(r'<h2 id="t-leading_share">.*?<h3>Against no-new-policy</h3>(.*?)'
                        r"</table>", text, re.S).group(1)
    row = re.search(r'<td class="l">all-levers-strong</td><td class="">([^<]+)', section)
    assert row.group(1).startswith(f"{'+' if d >= 0 else '−'}{abs(d) * 100:.2f} pp")


def test_the_brief_is_written_whole_and_an_old_one_survives_a_failure(tiny, tmp_path):
    results, page, _ = tiny
    assert list(page.parent.glob("*.partial")) == []
    out = tmp_path / "old.html"
    out.write_text("an older brief")
    assert cli.main(["report", results.path, "-o", str(out), "--year", "1999"]) == 2
    assert out.read_text() == "an older brief" and list(tmp_path.glob("*.partial")) == []
    # The outlook itself is never the output.
    assert cli.main(["report", results.path, "-o", results.path]) == 2


def test_the_outlook_command_writes_the_brief(tmp_path, capsys):
    out, page = tmp_path / "o.h5", tmp_path / "brief.html"
    # A brief that cannot be written is refused before any run.
    assert cli.main(["outlook", *FILES[:2], "-o", str(out), "--brief",
                     str(tmp_path / "no" / "b.html"), "-q"]) == 2
    assert "does not exist" in capsys.readouterr().err and not out.exists()
    assert cli.main(["outlook", *FILES[:2], "-o", str(out), "--draws", "2", "--seeds", "1",
                     "--scale", "0.02", "--until", "2022", "--workers", "1", "-q",
                     "--brief", str(page)]) == 0
    assert f"wrote {page}" in capsys.readouterr().out
    text = page.read_text(encoding="utf-8")
    assert "Policy brief: baseline, no-new-policy to 2022" in text
    assert "--draws 2 --seeds 1 --seed 1 --scale 0.02 --until 2022 --brief brief.html" in text


def test_bad_input_is_refused_naming_the_file(tiny, groups, small_results, tmp_path, capsys):
    results, _, _ = tiny
    out = str(tmp_path / "b.html")
    with pytest.raises(OutputError, match=rf"{re.escape(str(small_results))}: a "
                       "clustersim-results file, not an outlook"):
        brief.write_brief(small_results, out)
    with pytest.raises(OutputError, match=rf"{re.escape(str(groups))}: a sweep named "
                       "'lever-groups', not an outlook"):
        brief.write_brief(groups, out)
    for args, message in (
            ([str(small_results), "--year", "2023"], f"{small_results}: a clustersim-results "
             "file, not an outlook; --year is for the brief of an outlook"),
            ([str(groups), "--attribution", str(groups)], f"{groups}: a sweep named "
             "'lever-groups', not an outlook; --attribution is for the brief"),
            ([results.path, "--attribution", results.path], f"--attribution {results.path}: a "
             "sweep named 'outlook', neither a lever-groups sweep"),
            ([results.path, "--attribution", str(small_results)],
             f"--attribution {small_results}: not a sweep file")):
        assert cli.main(["report", *args, "-o", out]) == 2
        assert message in capsys.readouterr().err
    # Any other sweep still gets the sweep report.
    assert cli.main(["report", str(groups), "-o", out]) == 0
    assert "clustersim sweep: lever-groups" in (tmp_path / "b.html").read_text()


def test_the_lever_groups_of_a_separate_sweep_are_ranked(groups, monkeypatch):
    table, what, year, over = brief.group_contributions(str(groups), 2030)
    assert over.startswith("every uncertain parameter at its default")
    assert (what, year) == ("effect alone on no-new-policy", 2023)
    effects = attribution.group_effects(cs.load_sweep(groups), [2023])
    assert table.loc[("levers-land", "talent"), "value"] == \
        effects.loc[("levers-land", "talent", 2023), "effect"]
    section = html.unescape("".join(brief._attribution(str(groups), 2030,
                                                       cs.load_sweep(groups).thresholds())))
    assert "the sweep ends in 2023, before 2030" in section and "the priors' centres" in section
    assert "1. levers-land: " in section and "per bn CNY" in section
    assert "The sweep ran at scale 0.02: below full scale" in section
    # A full-scale sweep carries no such note (the scale read as the sweep's runs used it).
    monkeypatch.setattr(outlook, "run_scale", lambda results: 1.0)
    section = "".join(brief._attribution(str(groups), 2030, cs.load_sweep(groups).thresholds()))
    assert "The sweep ran at scale" not in section and "1. levers-land: " in section


def test_the_brief_opens_in_a_headless_browser_with_every_image(tiny, tmp_path):
    _, _, text = tiny
    assert not re.search(r'(src|href)="(https?:|file:|/)', text)   # nothing fetched
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', text)
    assert len(images) == 10 and all(base64.b64decode(i).startswith(b"\x89PNG") for i in images)
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "chromium is needed (.ci/setup --with-tests installs Debian's package)"
    # After loading, a script counts the images the browser could not decode.
    probe = ("<script>window.addEventListener('load', () => { const bad = [...document.images]"
             ".filter(i => !i.complete || i.naturalWidth === 0).length; document.title = "
             "`images ${document.images.length} broken ${bad}`; });</script>")
    page = tmp_path / "probe.html"
    page.write_text(text.replace("</body>", probe + "</body>"), encoding="utf-8")
    result = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                             "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri()],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "<title>images 10 broken 0</title>" in result.stdout
    assert [line for line in result.stderr.splitlines()
            if "CONSOLE" in line or "Uncaught" in line] == []


@pytest.fixture(scope="module")
def shapley_draws(tmp_path_factory):
    """A tiny Shapley sweep over 3 joint draws (the shipped posterior's particles for the
    calibrated parameters) x 1 seed: 2 orders, 1/100, to 2023."""
    folder = tmp_path_factory.mktemp("shapley")
    text = attribution.shapley_sweep_toml(
        orders=2, seed=3, replicates=1, until=2023, scale=0.01, draws=3,
        base=str(SCENARIOS / "no-new-policy.toml"),
        posterior=str(ROOT_DATA))
    run_sweep(SweepSpec.from_toml(text, source=str(folder / "s.toml")), folder / "s.h5",
              client="inline")
    return folder / "s.h5"


def test_a_shapley_sweep_over_draws_ranks_the_groups_in_the_brief(tiny, shapley_draws,
                                                                 tmp_path):
    results, _, _ = tiny
    table, what, year, over = brief.group_contributions(str(shapley_draws), YEAR)
    assert year == 2023 and what.startswith("Shapley value")
    assert "3 joint draws of the uncertain parameters" in over and "× 1 seeds" in over
    assert "posterior-behaviour-2022-wide.csv" in over
    values = attribution.shapley(cs.load_sweep(shapley_draws), [2023]).xs(2023, level="year")
    assert np.array_equal(table["value"].to_numpy(), values["shapley"].to_numpy())
    # The calibrated parameters were drawn as the posterior's particles.
    particles = pd.read_csv(ROOT_DATA, comment="#")
    drawn = cs.load_sweep(shapley_draws).design()["firms.growth.drift"].iloc[:3]
    assert set(drawn) <= set(particles["firms.growth.drift"])
    page = tmp_path / "brief.html"
    assert cli.main(["report", results.path, "-o", str(page), "--attribution",
                     str(shapley_draws)]) == 0
    text = html.unescape(page.read_text(encoding="utf-8"))
    section = text[text.index("<h2>Lever groups</h2>"):]
    assert "the sweep ends in 2023, before 2024" in section and "(draws " in section
    # It ran at 1/100: the brief says its contributions are not faithful.
    assert "The sweep ran at scale 0.01: below full scale the groups' contributions are not " \
        "faithful" in section
    # Talent's groups in the order of their Shapley values, largest first.
    talent = values.xs("talent", level="target")["shapley"].sort_values(ascending=False)
    cell = re.search(r"<code>talent</code></td><td[^>]*>(.*?)</td>", section).group(1)
    shown = re.findall(r"\d+\. (\w+): ", cell)
    assert shown == list(talent.index)


def test_the_drivers_are_ranked_in_every_scenario(tiny):
    from scipy.stats import spearmanr
    results, _, text = tiny
    table = brief.driver_table(results, "talent", YEAR, NAMES, shown=91)
    assert list(table.columns) == NAMES
    # The second scenario's rho, by hand: its draws' mean talent against each parameter.
    frame = outlook._frame(results, "talent", YEAR)
    mine = frame[frame["scenario"] == NAMES[1]].groupby("draw")["value"].mean()
    design = results.design()
    rows = design[design["scenario"] == NAMES[1]].drop(columns="scenario").reset_index(drop=True)
    key = "firms.rd.density_elasticity"
    expected = spearmanr(rows[key].to_numpy(), mine.to_numpy()).statistic
    assert table.loc[key, NAMES[1]] == pytest.approx(expected)
    top = table.abs().max(axis=1).to_numpy()
    assert np.all(np.diff(top) <= 0)
    assert len(brief.driver_table(results, "talent", YEAR, NAMES)) == brief.DRIVERS_SHOWN
    assert f"rho in {NAMES[2]}" in text and "the same draws in every scenario" in text
