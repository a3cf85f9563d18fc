"""A self-contained HTML report of a results file or a sweep file: the scenario, the targets,
the main figures (embedded PNG) and what is needed to reproduce it (``clustersim report``)."""

from __future__ import annotations

import base64
import html
import os
from typing import Any

import numpy as np
import pandas as pd

from clustersim import plot
from clustersim._files import check_output, written_whole
from clustersim._frames import faithful_at
from clustersim.errors import OutputError
from clustersim.results import Results
from clustersim.sweepresults import SWEEP_FORMAT, SweepResults

_STYLE = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto;
       max-width: 1200px; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: right; }
th { background: #f3f3f3; } td.l, th.l { text-align: left; }
.met { background: #e5f5e0; } .not { background: #fde0dd; }
figure { margin: 1.5em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { font-size: 0.9em; color: #555; }
pre { background: #f7f7f7; padding: 1em; overflow-x: auto; font-size: 0.8em; }
"""


def _img(fig: Any, caption: str) -> str:
    data = base64.b64encode(plot.save_png(fig, dpi=90)).decode("ascii")
    return (f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


# Units that count things: shown as whole numbers (a sample's counts are full-scale equivalents).
_COUNTS = {"firms", "parks", "persons", "incubators", "clusters", "applications/year"}


def _fmt(value: Any, unit: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if unit == "fraction":
        return f"{value:.1%}"
    if unit in _COUNTS or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.1f}" if unit == "firms/day" else f"{value:,.2f}"


def _target_name(target: str) -> str:
    """A target by its name in words, with its id (the key in files and the API)."""
    return f"{html.escape(plot.TITLES[target])}<br><code>{html.escape(target)}</code>"


def _lever_table(scenario: Any) -> str:
    """The levers a scenario switches on: group, lever, intensity and years."""
    from clustersim import _core
    rows = []
    for lever in _core.lever_catalogue():
        key = f"policy.{lever['key']}"
        intensity = scenario[f"{key}.intensity"]
        if intensity:
            group, name = lever["key"].split(".", 1)
            rows.append([html.escape(group), html.escape(name), f"{intensity:g}",
                         f"{scenario[f'{key}.start_year']}–{scenario[f'{key}.end_year']}",
                         html.escape(lever["summary"])])
    if not rows:
        return "<p>No lever is on: the counterfactual without new policy.</p>"
    return _table(["group", "lever", "intensity", "years", "what it does"], rows)


def _table(header: list[str], rows: list[list[str]], classes: list[str] | None = None) -> str:
    head = "".join(f'<th class="{"l" if i == 0 else ""}">{html.escape(h)}</th>'
                   for i, h in enumerate(header))
    body = []
    for r, row in enumerate(rows):
        cls = f' class="{classes[r]}"' if classes and classes[r] else ""
        cells = "".join(f'<td class="{"l" if i == 0 else ""}">{c}</td>' for i, c in enumerate(row))
        body.append(f"<tr{cls}>{cells}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _page(title: str, sections: list[str]) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
            f"<h1>{html.escape(title)}</h1>{''.join(sections)}</body></html>\n")


def _scale_note(summary: pd.DataFrame, scale: float | None) -> str:
    """A note under the targets table naming those whose verdict the run's scale distorts."""
    if "faithful" not in summary or summary["faithful"].all():
        return ""
    names = ", ".join(summary.index[~summary["faithful"].astype(bool)])
    return (f"<p class=\"note\">* Not faithful at scale {scale:g}: {html.escape(names)}. A "
            "sample of the zone can give these targets a different verdict than the full zone "
            "(docs/model.md, section 3.4.7, \"Which scale for which target\"); run at full "
            "scale for them.</p>")


def seed_spread(results: Results, seeds: int) -> pd.DataFrame:
    """The run's scenario again with seeds 1..``seeds``, to the run's last year: per target the
    5 % and 95 % quantiles of its value in the target year and the share of seeds that met it
    by then."""
    from clustersim.simulation import Simulation
    scenario = results.scenario()
    until = int(results.targets().index[-1])
    frames = [Simulation(scenario, seed=seed, threads=1).run(until=until).targets()
              for seed in range(1, seeds + 1)]
    year = min(frames[0].attrs["target_year"], until)
    rows = {}
    for target in plot.TARGETS:
        values = np.array([f.loc[year, target] for f in frames], dtype=float)
        met = np.array([f.loc[:year, f"{target}_met"].any() for f in frames])
        rows[target] = {"low": np.quantile(values, 0.05), "high": np.quantile(values, 0.95),
                        "p_met": met.mean()}
    frame = pd.DataFrame(rows).T
    frame.attrs["year"] = int(year)
    return frame


def _reproduce(meta: dict) -> str:
    """A command that repeats the run: the scenario as stored (every --set included), the seed,
    the last year and, for a fork, the checkpoint it started from."""
    command = "clustersim run scenario.toml"
    if meta.get("parent_checkpoint"):
        command += f" --from {meta['parent_checkpoint']}"
    command += f" -o out.h5 --seed {meta.get('seed', 1)}"
    if meta.get("until_year"):
        command += f" --until {meta['until_year']}"
    return command


def run_report(path: str, *, seeds: int = 0) -> str:
    results = Results(path)
    meta = results.meta
    scenario = results.scenario()
    targets = results.targets()
    summary = results.target_summary()
    year = targets.attrs["target_year"]
    spread = seed_spread(results, seeds) if seeds else None
    rows, classes = [], []
    for target, row in summary.iterrows():
        unit = row["unit"]
        first = "not met" if pd.isna(row["first_met"]) else str(row["first_met"])
        mark = "" if row.get("faithful", True) else "<sup>*</sup>"
        cells = [_target_name(target) + mark, f"{row['comparison']} {_fmt(row['threshold'], unit)}",
                 _fmt(row["value"], unit), "yes" if row["met"] else "no", first]
        if spread is not None:
            cells += [f"{_fmt(spread.loc[target, 'low'], unit)} – "
                      f"{_fmt(spread.loc[target, 'high'], unit)}",
                      f"{spread.loc[target, 'p_met']:.2f}"]
        rows.append(cells + [html.escape(unit)])
        classes.append("met" if row["met"] else "not")
    header = ["target", "threshold", f"value {year}", f"met in {year}", "first met"]
    if spread is not None:
        header += [f"{seeds} seeds: 5–95 % in {spread.attrs['year']}",
                   f"P(met by {spread.attrs['year']})"]
    draw = (f"<p>This is <b>one run</b> (seed {meta.get('seed')}): one draw of the model's "
            "randomness. "
            + (f"The last two columns repeat the scenario with seeds 1–{seeds}." if seeds else
               "For the seed spread, make the report with <code>--seeds N</code> (N more runs), "
               "or run a sweep with replicates (<code>clustersim sweep</code>).") + "</p>")
    sections = [
        f"<p>{html.escape(str(scenario['description']) or '')}</p>",
        "<h2>Targets</h2>",
        f"<p>Each target in {year} (the target year) and the first year it is met in the run "
        "(docs/policy.md; definitions in docs/model.md, section 3.4.5).</p>",
        draw,
        _table(header + ["unit"], rows, classes),
        _scale_note(summary, targets.attrs.get("scale")),
        "<h2>Levers</h2>",
        _lever_table(scenario),
        "<h2>Figures</h2>",
        _img(plot.target_dashboard(results), "Each target every December against its threshold"),
        _img(plot.revenue(results), "Zone revenue by sector"),
        _img(plot.park_ranking(results), "Park ranking, notices and removals"),
        _img(plot.sector_mix(results), "Sector mix of each park in the last December"),
        _img(plot.talent_flows(results), "Talent moves between parks"),
        _img(plot.space_use(results), "Floor space use per park"),
        "<h2>Reproduce</h2>",
        _table(["key", "value"], [[html.escape(k), html.escape(str(meta[k]))] for k in (
            "scenario_name", "scenario_path", "seed", "threads", "scale", "until_year",
            "clustersim_version", "git_revision", "start_time", "end_time", "host") if k in meta]),
        "<p>Save the scenario below as <code>scenario.toml</code> and run <code>"
        + html.escape(_reproduce(meta)) +
        "</code> (results do not depend on the thread count).</p>",
        "<h3>Scenario</h3>",
        "<details><summary>The scenario file (every value that differs from the defaults)"
        f"</summary><pre>{html.escape(scenario.to_toml())}</pre></details>",
    ]
    if meta.get("lever_changes"):
        sections.append(f"<h3>Levers changed between steps</h3><pre>"
                        f"{html.escape(str(meta['lever_changes']))}</pre>")
    return _page(f"clustersim run: {meta.get('scenario_name', os.path.basename(path))}",
                 sections)


def _design_value(value: Any) -> str:
    """A design point's value: a scenario file by name, a number briefly."""
    return html.escape(value) if isinstance(value, str) else f"{value:g}"


def _differences(results: SweepResults, design: pd.DataFrame, year: int) -> list[str]:
    """The table of each point's difference from point 0 in P(target met by `year`), with
    paired (common random numbers) or Welch 95 % intervals."""
    labels = plot.point_labels(results)
    header = ["point"] + [plot.TITLES[t] for t in plot.TARGETS]
    tables = {t: results.difference(f"{t}_met", year) for t in plot.TARGETS}
    paired = bool(next(iter(tables.values()))["paired"].iloc[0])
    rows = []
    for p in range(1, len(design)):
        cells = [html.escape(labels[p])]
        for t in plot.TARGETS:
            row = tables[t].loc[p]
            cells.append("–" if pd.isna(row["difference"]) else
                         f"{row['difference']:+.2f} [{row['low']:+.2f}, {row['high']:+.2f}]"
                         if not pd.isna(row["low"]) else f"{row['difference']:+.2f}")
        rows.append(cells)
    how = ("paired by replicate (common random numbers: every point's replicate r has the same "
           "seed)" if paired else "unpaired (Welch; give the sweep seeds = \"per_replicate\" "
           "to pair them and narrow the intervals)")
    return ["<h3>Differences from the first point</h3>",
            f"<p>P(target met by {year}) at each point minus at point 0 "
            f"({html.escape(labels[0])}), with 95 % t-intervals, {how}.</p>",
            _table(header, rows)]


def sweep_report(path: str) -> str:
    results = SweepResults(path)
    meta = results.meta
    runs = results.runs()
    design = results.design()
    counts = runs["status"].value_counts()
    sections = [f"<p>{len(runs)} runs: {counts.get('done', 0)} done, "
                f"{counts.get('failed', 0)} failed, {counts.get('pending', 0)} pending; "
                f"design <code>{html.escape(str(meta['design']))}</code>, "
                f"{results.replicates} replicates per point.</p>"]
    has_targets = False
    try:
        probability = results.target_probability()
        has_targets = True
    except KeyError:
        probability = None
    if has_targets:
        thresholds = results.thresholds()
        year = results.target_year
        if year not in results.years:
            year = results.years[-1]
        at = probability.xs(year, level="year")
        scales = (design["scale"].to_numpy(dtype=float) if "scale" in design
                  else [float(results.spec.base["scale"])])
        faithful = {target: all(faithful_at(target, s) for s in scales)
                    for target in plot.TARGETS}
        # One row per design point, labelled by its values; one column per target.
        header = [plot.short_key(k) for k in design.columns] + [
            f"{plot.TITLES[t]} ({plot.threshold_words(t, thresholds[t])})"
            + ("*" if not faithful[t] else "") for t in plot.TARGETS]
        rows = []
        for p, values in design.iterrows():
            cells = [_design_value(v) for v in values]
            for target in plot.TARGETS:
                row = at.loc[(p, target)]
                cells.append("–" if pd.isna(row["p"]) else
                             f"{row['p']:.2f} [{row['low']:.2f}, {row['high']:.2f}]")
            rows.append(cells)
        sections += ["<h2>Targets</h2>",
                     f"<p>P(target met by {year}) at each design point (a row, by the values it "
                     "sets) over its finished runs, with the Wilson 95 % interval.</p>",
                     _table(header, rows),
                     _scale_note(pd.DataFrame({"faithful": faithful}), min(scales))]
        if results.replicates > 1 and len(design) > 1:
            sections += _differences(results, design, year)
    sections += ["<h2>Design points</h2>",
                 _table(["point", *design.columns],
                        [[str(i)] + [_design_value(v) for v in row]
                         for i, row in design.iterrows()])]
    sections.append("<h2>Figures</h2>")
    if has_targets:
        sections.append(_img(plot.target_dashboard(results),
                             "P(each target met by each year) at every design point, with 95 % "
                             "intervals"))
        sections.append(_img(plot.fan_chart(results, "leading_share"),
                             "The zone's share of the city's leading industries: median and "
                             "middle half of the runs at each design point, with the target"))
    with h5_file(path) as f:
        labels = list(f["outcomes/series"]) if "outcomes/series" in f else []
    for label in labels[:3]:
        title = plot.outcome_axis(label)[0]
        sections.append(_img(plot.fan_chart(results, label),
                             f"{title[:1].upper()}{title[1:]} (outcome {label}): median and "
                             "middle half of the runs at each design point"))
    sections += ["<h2>Reproduce</h2>",
                 _table(["key", "value"], [[html.escape(k), html.escape(str(meta[k]))]
                                           for k in ("name", "sweep_source", "base_source",
                                                     "seed", "replicates",
                                                     "clustersim_version", "git_revision",
                                                     "created", "updated") if k in meta]),
                 "<p>Each run's own command is in the sweep file (<code>runs().command</code>). "
                 "First one:</p>",
                 f"<pre>{html.escape(str(runs['command'].iloc[0]))}</pre>",
                 "<h3>Sweep file</h3>", f"<pre>{html.escape(str(meta['sweep_toml']))}</pre>"]
    return _page(f"clustersim sweep: {meta.get('name', os.path.basename(path))}", sections)


def h5_file(path: str):
    import h5py
    return h5py.File(path, "r")


def _report_text(path: str, kind: str | None, *, seeds: int, year: int | None,
                 attribution: str | os.PathLike | None) -> str:
    """A run's report, an outlook's brief or another sweep's report; --year and --attribution
    are for a brief only."""
    from clustersim import brief
    if kind == SWEEP_FORMAT and brief.is_outlook(SweepResults(path)):
        return brief.brief_html(path, year=year, attribution=attribution)
    if year is not None or attribution is not None:
        brief.load(path, option="--year" if year is not None else "--attribution")
    return sweep_report(path) if kind == SWEEP_FORMAT else run_report(path, seeds=seeds)


def write_report(path: str | os.PathLike, output: str | os.PathLike, *, seeds: int = 0,
                 year: int | None = None, attribution: str | os.PathLike | None = None) -> str:
    """Writes the report of a results or sweep file to ``output`` (written whole: a temporary
    file renamed into place); returns the output path. ``seeds`` > 0 adds to a run's report the
    spread of its scenario over that many seeds. An outlook file gets its policy brief
    (clustersim.brief), for the verdict ``year`` and with the lever groups of the sweep
    ``attribution`` if given."""
    path, output = os.fspath(path), os.fspath(output)
    check_output(output, {"results file": path}, example="report.html")
    try:
        with h5_file(path) as f:
            kind = f.attrs.get("format")
    except OSError as error:
        raise OutputError(f"{path}: cannot open ({error}); expected a clustersim results or "
                          "sweep file") from None
    kind = kind.decode() if isinstance(kind, bytes) else kind
    if seeds and kind == SWEEP_FORMAT:
        raise OutputError(f"{path}: --seeds is for the report of one run; a sweep file has its "
                          "replicates already")
    text = _report_text(path, kind, seeds=seeds, year=year, attribution=attribution)
    with written_whole(output) as handle:
        handle.write(text)
    return output


__all__ = ["run_report", "sweep_report", "write_report"]
