"""The policy brief of an outlook (docs/outlook.md, "The policy brief"): one self-contained HTML
page that says for each target and scenario how likely the target is met by the verdict year, in
calibrated words; what drives the target's uncertainty; what each scenario changes against the
reference and at what fiscal cost; and which levers each scenario sets.

    clustersim report outlook.h5 -o brief.html [--year 2030] [--attribution lever-groups.h5]

The tables and figures come from ``clustersim.outlook`` (probabilities, variance, differences)
and the page's parts from ``clustersim.report``.
"""

from __future__ import annotations

import html
import os
import tomllib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from clustersim import _core, outlook, plot
from clustersim._files import file_format
from clustersim._frames import faithful_at
from clustersim.attribution import _number
from clustersim.errors import OutputError, ScenarioError
from clustersim.report import _img, _lever_table, _page, _scale_note, _table
from clustersim.scenario import Scenario, parameters
from clustersim.screening import held_assumptions
from clustersim.sweepfile import split_element
from clustersim.sweepresults import SWEEP_FORMAT, SweepResults

OUTLOOK_NAMES = ("outlook", "outlook-split")
TARGETS = {t["id"]: t for t in _core.target_catalogue()}
# The IPCC AR5 calibrated language (Mastrandrea et al. 2010, table 1). Its ranges nest ("likely"
# is 66-100 %): a probability gets the narrowest term that holds it, and a probability on a
# boundary the term farther from even odds.
LIKELY = [(0.99, "virtually certain"), (0.90, "very likely"), (0.66, "likely")]
UNLIKELY = [(0.01, "exceptionally unlikely"), (0.10, "very unlikely"), (0.33, "unlikely")]
EVEN = "about as likely as not"
LIKELIHOOD_SOURCE = (
    "the IPCC's calibrated language (Mastrandrea, M. D., C. B. Field, T. F. Stocker et al., "
    "2010: <i>Guidance Note for Lead Authors of the IPCC Fifth Assessment Report on Consistent "
    "Treatment of Uncertainties</i>, IPCC, table 1)")
# docs/outlook.md, "What it does not yet include", in brief.
CAVEAT = (
    "The uncertain parameters' distributions are assumptions: the lever effects and costs are "
    "drawn from their priors (docs/levers.md, mostly wide), the model's other parameters "
    "uniformly and independently over their plausible ranges; {posterior} {held} assumed "
    "parameters have no plausible range and sit at their defaults in every run, so their "
    "uncertainty is not in these probabilities (<code>clustersim screen</code> measures how "
    "much each moves the targets: halving or doubling some moves a target by half or more, "
    "docs/outlook.md). "
    "With few draws the intervals are wide and undercover: raise <code>--draws</code> for a "
    "statement.")
NO_POSTERIOR = ("no calibration posterior was drawn (<code>--posterior</code>), so the "
                "behavioural parameters without a plausible range sit at their defaults.")
WITH_POSTERIOR = ("the calibrated parameters are drawn jointly, as whole particles, from the "
                  "posterior <code>{path}</code>, independently of the others.")
DRIVERS_SHOWN = 5


def caveat(results: SweepResults) -> str:
    """CAVEAT, naming the posterior the outlook drew its calibrated parameters from, if any."""
    path = outlook.posterior_of(results)
    return CAVEAT.format(held=len(held_assumptions(lists=True)),
                         posterior=WITH_POSTERIOR.format(path=html.escape(path)) if path
                         else NO_POSTERIOR)


def likelihood(p: float) -> str:
    """The calibrated term (LIKELY, EVEN, UNLIKELY) for a probability; "not known" for NaN."""
    if not 0.0 <= p <= 1.0:
        return "not known"
    for bound, words in LIKELY:
        if p >= bound:
            return words
    for bound, words in UNLIKELY:
        if p <= bound:
            return words
    return EVEN


def even_odds_year(p_by_year: pd.Series) -> int | None:
    """The first year whose P(met by the year) is at least 0.5; None if none is."""
    reached = p_by_year[p_by_year >= 0.5]
    return int(reached.index[0]) if len(reached) else None


def _p_text(row: pd.Series) -> str:
    if pd.isna(row["low"]):
        return f"P = {row['p']:.2f}"
    return f"P = {row['p']:.2f} [{row['low']:.2f}, {row['high']:.2f}]"


def verdict(name: str, p_by_year: pd.DataFrame, year: int) -> str:
    """One scenario's verdict on one target in words, from its rows of outlook.probabilities
    (p, low, high by year): the term for P(met by `year`), P with its interval, the terms its
    interval spans where they differ, and the first year of even odds or better."""
    row = p_by_year.loc[year]
    text = f"{name}: {likelihood(row['p'])} to be met by {year} ({_p_text(row)})"
    low, high = likelihood(row["low"]), likelihood(row["high"])
    if not pd.isna(row["low"]) and low != high:
        text += f", the interval reaching from {low} to {high}"
    first = even_odds_year(p_by_year["p"])
    last = int(p_by_year.index[-1])
    return text + (f"; even odds or better from {first}" if first is not None
                   else f"; even odds not reached by {last}")


def is_outlook(results: SweepResults) -> bool:
    """An outlook file: a sweep over scenario files that clustersim outlook wrote."""
    return results.meta.get("name") in OUTLOOK_NAMES and bool(results.scenario_names())


def load(path: str | os.PathLike, *, option: str = "") -> SweepResults:
    """The outlook file at `path`; OutputError naming it when it is another kind of file (and
    saying that `option`, a command-line option, is for an outlook's brief only)."""
    path = os.fspath(path)
    kind = file_format(path)
    results = SweepResults(path) if kind == SWEEP_FORMAT else None
    if results is not None and is_outlook(results):
        return results
    what = (f"a sweep named {results.meta.get('name')!r}" if results is not None
            else f"a {kind} file" if kind else "not a clustersim file")
    purpose = f"{option} is for the brief of an outlook; " if option else ""
    raise OutputError(f"{path}: {what}, not an outlook; {purpose}expected the output of "
                      "clustersim outlook")


# --- what the brief computes


@dataclass
class Brief:
    """An outlook read for its brief: the verdict year, the reference scenario and the tables
    every section uses, computed once."""
    results: SweepResults
    year: int
    names: list[str] = field(default_factory=list)
    reference: str = ""
    draws: int = 0
    scenarios: list[Scenario] | None = None
    p: pd.DataFrame = field(default_factory=pd.DataFrame)
    variance: pd.DataFrame = field(default_factory=pd.DataFrame)
    differences: pd.DataFrame = field(default_factory=pd.DataFrame)
    cost: pd.DataFrame | None = None

    @classmethod
    def read(cls, results: SweepResults, year: int | None = None) -> Brief:
        year = results.years[-1] if year is None else year
        if year not in results.years:
            raise ScenarioError(f"--year {year}: expected a year the outlook reaches "
                                f"({results.years[0]}-{results.years[-1]})", key="year",
                                value=str(year))
        names = results.scenario_names()
        reference = "no-new-policy" if "no-new-policy" in names else names[0]
        brief = cls(results, year, names, reference,
                    len(results.design()) // len(names) // outlook.source_sets(results))
        brief.scenarios = scenario_files(results)
        brief.p = outlook.probabilities(results).sort_index()   # fast lookups by label
        brief.variance = outlook.variance(results, year)
        brief.differences = outlook.differences(results, year, reference=reference)
        brief.cost = cumulative_cost(results, year)
        return brief

    @property
    def sweep(self) -> dict[str, Any]:
        return tomllib.loads(self.results.meta["sweep_toml"])["sweep"]

    @property
    def scale(self) -> float:
        """The smallest scale any scenario ran at (the sweep's --scale, else the files')."""
        return outlook.run_scale(self.results)

    @property
    def thresholds(self) -> dict[str, dict[str, Any]]:
        return self.results.thresholds()


def scenario_files(results: SweepResults) -> list[Scenario] | None:
    """The outlook's scenarios as run (with its --scale), loaded from their files; None where a
    file is gone (the brief then shows no levers)."""
    try:
        return results.spec.choices
    except ScenarioError:
        return None


def cumulative_cost(results: SweepResults, year: int) -> pd.DataFrame | None:
    """Per finished run of the joint draws (scenario, draw, replicate): the levers' fiscal cost
    summed from the first policy year to `year` (CNY). None for an outlook that kept no cost."""
    years = [y for y in results.years if _core.base_year < y <= year]
    try:
        frames = [outlook._frame(results, outlook.COST, y) for y in years]
    except KeyError:
        return None
    if not frames:
        frame = outlook._frame(results, outlook.COST, results.years[0])
        return frame.assign(value=0.0)
    return frames[0].assign(value=sum(f["value"].to_numpy() for f in frames))


def cost_summary(cost: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Per scenario the mean cumulative cost (bn CNY) and the 2.5-97.5 % range of the draws'
    means: how much the uncertain lever costs move it."""
    rows = {}
    for name in names:
        by_draw = cost[cost["scenario"] == name].groupby("draw")["value"].mean() / 1e9
        low, high = np.quantile(by_draw, [0.025, 0.975]) if len(by_draw) else (np.nan, np.nan)
        rows[name] = {"cost_bn": float(by_draw.mean()), "low": low, "high": high}
    return pd.DataFrame(rows).T


def effects(brief: Brief) -> pd.DataFrame:
    """Per (scenario, target) against the reference: the paired difference in the target's value
    and in P(met by the verdict year) with their intervals, the extra cost (bn CNY, mean over
    paired runs), the effect per bn CNY, and the scenario's rank by effect and by effect per bn
    CNY among the scenarios compared (1: the largest; the targets all ask for more)."""
    d = brief.differences
    extra = _extra_cost(brief)
    rows = []
    for (name, target), _ in d.xs("value", level="measure").iterrows():
        value, met = d.loc[(name, target, "value")], d.loc[(name, target, "P(met)")]
        cost_bn = extra.get(name, np.nan)
        rows.append({"scenario": name, "target": target, "effect": value["difference"],
                     "low": value["low"], "high": value["high"],
                     "p_effect": met["difference"], "p_low": met["low"], "p_high": met["high"],
                     "cost_bn": cost_bn,
                     "per_bn": value["difference"] / cost_bn if cost_bn > 0 else np.nan})
    frame = pd.DataFrame(rows).set_index(["scenario", "target"])
    by_target = frame.groupby(level="target")
    frame["rank_effect"] = by_target["effect"].rank(ascending=False, method="min")
    frame["rank_per_bn"] = by_target["per_bn"].rank(ascending=False, method="min")
    return frame


def _extra_cost(brief: Brief) -> dict[str, float]:
    """Each scenario's cost over the reference's, bn CNY, mean over runs paired by draw and
    seed (the lever costs are drawn: the same draw costs both)."""
    if brief.cost is None:
        return {}
    wide = brief.cost.pivot_table(index=["draw", "replicate"], columns="scenario", values="value")
    return {name: float((wide[name] - wide[brief.reference]).mean()) / 1e9
            for name in brief.names if name != brief.reference and name in wide}


def rank_correlations(results: SweepResults, target: str, year: int, scenario: str
                      ) -> pd.DataFrame:
    """Spearman's rank correlation, over the joint draws of `scenario`, between each drawn
    parameter's value and the draw's mean value of `target` in `year` (over its seeds); sorted
    by |rho|, parameters that do not vary or an outcome that does not vary left out."""
    from scipy.stats import spearmanr
    frame = outlook._frame(results, target, year)
    outcome = frame[frame["scenario"] == scenario].groupby("draw")["value"].mean()
    design = results.design()
    names = results.scenario_names()
    draws = len(design) // len(names) // outlook.source_sets(results)
    first = names.index(scenario) * (len(design) // len(names))
    drawn = design.drop(columns="scenario").iloc[first:first + draws].reset_index(drop=True)
    rows = []
    if len(outcome) >= 3 and outcome.nunique() > 1:
        for key in drawn.columns:
            x = drawn.loc[outcome.index, key].to_numpy(dtype=float)
            if np.ptp(x) > 0:
                rows.append((key, float(spearmanr(x, outcome.to_numpy()).statistic)))
    table = pd.DataFrame(rows, columns=["parameter", "rho"]).set_index("parameter")
    return table.reindex(table["rho"].abs().sort_values(ascending=False).index)


_SPECS = {p["key"]: p for p in parameters()}


def parameter_name(key: str) -> str:
    """A drawn parameter in words: the head of its description (to the first colon, bracket
    or full stop), which element of a list, and its unit."""
    name, element = split_element(key)
    spec = _SPECS.get(name)
    if spec is None or not spec.get("description"):
        return key
    words = spec["description"]
    for stop in (" (", ": ", ". ", "; "):
        words = words.split(stop)[0]
    words = words.rstrip(".")
    if element is not None:
        words += f", element {element + 1}"
    unit = spec.get("unit") or ""
    return f"{words} ({unit})" if unit and unit != "-" else words


# --- the page's sections


def _condition(target: str, thresholds: dict[str, dict[str, Any]]) -> str:
    """The target's condition in words and its unit: "≥ 85 %"."""
    words = plot.threshold_words(target, thresholds[target])
    return words.replace(">=", "≥", 1) if words.startswith(">=") else words.replace(
        ">", "more than", 1)


def _target_heading(target: str, thresholds: dict[str, dict[str, Any]]) -> str:
    return (f"{html.escape(plot.TITLES[target])} "
            f"({html.escape(_condition(target, thresholds))}) <code>{html.escape(target)}</code>")


def _header(brief: Brief) -> list[str]:
    results, runs = brief.results, brief.results.runs()
    counts = runs["status"].value_counts()
    split = outlook.source_sets(results) > 1
    rows = []
    for k, name in enumerate(brief.names):
        scenario = brief.scenarios[k] if brief.scenarios else None
        described = str(scenario["description"]) if scenario is not None else "(file not found)"
        rows.append([html.escape(name), html.escape(described)])
    scale = brief.scale
    faithful = pd.DataFrame({"faithful": {f"{plot.TITLES[t]} ({t})": faithful_at(t, scale)
                                          for t in TARGETS}})
    what = (f"<p>This outlook ran each of {len(brief.names)} scenarios over "
            f"<b>{brief.draws} joint draws of the uncertain parameters × {results.replicates} "
            f"seeds</b> (common random numbers: every scenario runs the same draws and seeds, "
            f"so the comparisons are paired), at scale {scale:g} (agents per real firm), "
            f"{results.years[0]}–{results.years[-1]}, outlook seed {brief.sweep.get('seed')}"
            + (", with the draws also split by source (model parameters, lever effects)"
               if split else "") +
            f": {len(runs)} runs, {counts.get('done', 0)} finished, {counts.get('failed', 0)} "
            f"failed. The verdicts are for <b>{brief.year}</b>; the reference scenario for the "
            f"comparisons is <b>{html.escape(brief.reference)}</b>.</p>")
    return [what, _table(["scenario", "description"], rows), _scale_note(faithful, scale),
            f"<p class=\"note\"><b>What this does not include.</b> {caveat(results)}</p>",
            _likelihood_scale()]


def _likelihood_scale() -> str:
    rows = [[html.escape(w), f"≥ {b:.0%}"] for b, w in LIKELY] + [[EVEN, "33–66 %"]] + \
        [[html.escape(w), f"≤ {b:.0%}"] for b, w in reversed(UNLIKELY)]
    return (f"<p>Likelihoods are said in {LIKELIHOOD_SOURCE}: each P(met) gets the narrowest "
            "term that holds it (a probability on a boundary, the term farther from even "
            "odds). P is the share of runs that met the target by the year; its 95 % interval "
            "comes from resampling the draws.</p>"
            "<details><summary>The scale of likelihood terms</summary>"
            + _table(["term", "probability"], rows) + "</details>")


def _glance(brief: Brief) -> list[str]:
    header = ["target"] + brief.names
    rows = []
    for target in TARGETS:
        cells = [f"<a href=\"#t-{target}\">{_target_heading(target, brief.thresholds)}</a>"]
        for name in brief.names:
            row = brief.p.loc[(name, target, brief.year)]
            cells.append(f"{html.escape(likelihood(row['p']))}<br>{_p_text(row)}")
        rows.append(cells)
    return ["<h2>At a glance</h2>",
            f"<p>How likely each target is met by {brief.year} in each scenario.</p>",
            _table([html.escape(h) for h in header], rows)]


_DASHES = ["-", "--", "-.", ":"]
_MARKERS = ["o", "s", "^", "D", "v"]


def probability_fan(brief: Brief, target: str) -> Any:
    """P(target met by each year) per scenario: a line and its shaded 95 % interval, even odds
    dotted, the verdict year grey."""
    fig, axes = plot._figure(width=8, height=3.4)
    ax = axes[0, 0]
    colours = plot._colours(len(brief.names))
    for k, name in enumerate(brief.names):
        rows = brief.p.loc[(name, target)]
        years = rows.index.to_numpy()
        ax.fill_between(years, rows["low"], rows["high"], color=colours[k], alpha=0.18, lw=0)
        # Scenarios often agree: each its own dashes and marker, so none hides another.
        ax.plot(years, rows["p"], color=colours[k], ls=_DASHES[k % len(_DASHES)],
                marker=_MARKERS[k % len(_MARKERS)], ms=4, lw=1.5, label=name)
    ax.axhline(0.5, color="#777777", ls=":", lw=0.8, label="even odds")
    ax.axvline(brief.year, color="#999999", lw=0.8)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("year")
    ax.set_ylabel("P(met by the year)")
    ax.set_title(f"{plot.TITLES[target]}: {_condition(target, brief.thresholds)}", fontsize=10)
    plot._integer_years(ax)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return fig


def _target_section(brief: Brief, target: str, effect: pd.DataFrame) -> list[str]:
    info = TARGETS[target]
    condition = _condition(target, brief.thresholds)
    verdicts = "".join(f"<li>{html.escape(verdict(name, brief.p.loc[(name, target)], brief.year))}"
                       "</li>" for name in brief.names)
    caption = (f"P({plot.TITLES[target]} {condition} by each year) per scenario: the share of "
               "runs that met it by then, with its 95 % interval over the draws (shaded); dotted: "
               f"even odds; grey: {brief.year}")
    return [f"<h2 id=\"t-{target}\">{_target_heading(target, brief.thresholds)}</h2>",
            f"<p>{html.escape(info['description'][:1].upper() + info['description'][1:])}; met "
            f"when {html.escape(condition)}.</p>",
            _img(probability_fan(brief, target), caption),
            f"<ul>{verdicts}</ul>",
            *_drivers(brief, target),
            *_against_reference(brief, target, effect)]


def _share(x: float) -> str:
    return "–" if pd.isna(x) else f"{x:.0%}"


def _drivers(brief: Brief, target: str) -> list[str]:
    v = brief.variance
    split = "levers" in v.columns
    header = ["scenario", "spread of one run (sd)", "seeds", "uncertain parameters"]
    if split:
        header += ["of which model", "lever effects", "together"]
    unit = TARGETS[target]["unit"]
    rows = []
    for name in brief.names:
        row = v.loc[(name, target)]
        cells = [html.escape(name), _difference(np.sqrt(row["total_variance"]), unit,
                                                signed=False),
                 _share(row["seeds"]), _share(row["parameters"])]
        if split:
            cells += [_share(row[k]) for k in ("model", "levers", "together")]
        rows.append(cells)
    rho = driver_table(brief.results, target, brief.year, brief.names)
    return ["<h3>What drives its uncertainty</h3>",
            f"<p>The variance of one run's value in {brief.year}, split between the seeds "
            "(chance) and the uncertain parameters (law of total variance over the draws)"
            + ("; within the parameters' share, the model's parameters alone, the lever "
               "effects alone and what they add only together" if split else "") + ".</p>",
            _table(header, rows), *_correlation_table(rho, brief.draws)]


def driver_table(results: SweepResults, target: str, year: int, names: list[str],
                 shown: int = DRIVERS_SHOWN) -> pd.DataFrame:
    """Spearman's rho of each drawn parameter with `target` in `year`, one column per scenario
    (rank_correlations): the `shown` parameters with the largest |rho| in any scenario, the
    largest first. The draws are the same in every scenario, so a parameter that matters in
    one scenario and not in another shows it."""
    columns = {name: rank_correlations(results, target, year, name)["rho"] for name in names}
    table = pd.DataFrame(columns, columns=names)
    if table.empty:
        return table
    order = table.abs().max(axis=1).sort_values(ascending=False, kind="stable").index
    return table.loc[order].head(shown)


def _correlation_table(rho: pd.DataFrame, draws: int) -> list[str]:
    intro = ("<p>The drawn parameters most associated with the outcome, in any scenario: "
             f"Spearman's rank correlation over the {draws} draws (the same draws in every "
             "scenario) between each parameter's value and the draw's mean outcome; a positive "
             "rho: a higher value goes with a higher outcome. With few draws these are "
             "indicative only: rho takes few values, and among many parameters some correlate "
             "by chance.</p>")
    if rho.empty:
        return [intro, "<p>None: the outcome does not vary between draws, or there are fewer "
                "than 3 draws.</p>"]
    rows = [[f"{html.escape(parameter_name(k))}<br><code>{html.escape(k)}</code>",
             *("–" if pd.isna(r) else f"{r:+.2f}" for r in row)]
            for k, row in rho.iterrows()]
    return [intro, _table(["parameter", *(f"rho in {html.escape(n)}" for n in rho.columns)],
                          rows)]


def _difference(value: float, unit: str, *, signed: bool = True) -> str:
    """A difference (or spread) in the target's unit: fractions in percentage points."""
    if pd.isna(value):
        return "–"
    sign = ("+" if value >= 0 else "−") if signed else ("" if value >= 0 else "−")
    size = abs(value)
    if unit == "fraction":
        return f"{sign}{size * 100:.2f} pp"
    number = f"{size:,.0f}" if size >= 100 else f"{size:,.2f}"
    return f"{sign}{number} {unit}"


def _interval(low: float, high: float, unit: str) -> str:
    if pd.isna(low):
        return ""
    return f" [{_difference(low, unit)}, {_difference(high, unit)}]"


def _against_reference(brief: Brief, target: str, effect: pd.DataFrame) -> list[str]:
    if effect.empty:
        return []
    unit = TARGETS[target]["unit"]
    per = "pp" if unit == "fraction" else unit
    rows = []
    for name in brief.names:
        if name == brief.reference:
            continue
        row = effect.loc[(name, target)]
        rows.append([html.escape(name),
                     _difference(row["effect"], unit) + _interval(row["low"], row["high"], unit),
                     f"{row['p_effect']:+.2f}" + ("" if pd.isna(row["p_low"]) else
                                                  f" [{row['p_low']:+.2f}, {row['p_high']:+.2f}]"),
                     _number(row["cost_bn"]), _per_bn(row, unit),
                     _rank(row["rank_effect"]), _rank(row["rank_per_bn"])])
    header = ["scenario", f"effect on the value in {brief.year}", f"effect on P(met by "
              f"{brief.year})", f"extra cost {_core.base_year + 1}–{brief.year}, bn CNY",
              f"effect per bn CNY ({per})", "rank by effect", "rank per bn CNY"]
    return [f"<h3>Against {html.escape(brief.reference)}</h3>",
            "<p>Paired differences (same draws, same seeds) with 95 % intervals over the draws. "
            "† the effect's interval includes 0: its effect per bn CNY is not told from 0.</p>",
            _table(header, rows)]


def _per_bn(row: pd.Series, unit: str) -> str:
    """The effect per bn CNY in the unit shown (percentage points for a fraction), † where the
    effect is not told from 0."""
    return _number(row["per_bn"] * (100.0 if unit == "fraction" else 1.0)) + _unclear(row)


def _unclear(row: pd.Series) -> str:
    excludes_zero = row["low"] > 0 or row["high"] < 0
    return "" if excludes_zero or pd.isna(row["per_bn"]) else " †"


def _rank(rank: float) -> str:
    return "–" if pd.isna(rank) else f"{int(rank)}"


def _comparison(brief: Brief, effect: pd.DataFrame) -> list[str]:
    out = ["<h2>Scenarios compared</h2>"]
    first, last = _core.base_year + 1, brief.year
    if brief.cost is None:
        out.append("<p>This outlook file kept no lever cost (it predates "
                   f"<code>{outlook.COST}</code>); run the outlook again for costs.</p>")
    else:
        costs = cost_summary(brief.cost, brief.names)
        rows = [[html.escape(n), _number(r.cost_bn), f"{_number(r.low)} – {_number(r.high)}"]
                for n, r in costs.iterrows()]
        out += [f"<p>The levers' fiscal cost summed over {first}–{last} (bn CNY; "
                f"<code>{outlook.COST}</code>, the lever groups' cost per year), mean over the "
                "runs and the range of the draws' means (the lever costs are drawn).</p>",
                _table(["scenario", f"cost {first}–{last}, bn CNY", "95 % of draws"], rows)]
    if effect.empty:
        return out + ["<p>One scenario: nothing to compare.</p>"]
    rows = []
    for target in TARGETS:
        mine = effect.xs(target, level="target")
        by_effect = mine.sort_values("effect", ascending=False)
        by_cost = mine.dropna(subset=["per_bn"]).sort_values("per_bn", ascending=False)
        unit = TARGETS[target]["unit"]
        rows.append([_target_heading(target, brief.thresholds),
                     "<br>".join(f"{i + 1}. {html.escape(n)} ({_difference(r.effect, unit)})"
                                 for i, (n, r) in enumerate(by_effect.iterrows())),
                     "<br>".join(f"{i + 1}. {html.escape(n)} ({_per_bn(r, unit)})"
                                 for i, (n, r) in enumerate(by_cost.iterrows())) or "–"])
    out += [f"<p>The scenarios ranked, per target, by their effect on its value in {last} "
            f"against {html.escape(brief.reference)} and by that effect per bn CNY of extra "
            "cost (only scenarios that cost more than the reference; fractions in percentage "
            "points; † as above).</p>",
            _table(["target", "by effect", "by effect per bn CNY"], rows)]
    return out


def _lever_settings(scenario: Scenario) -> dict[str, str]:
    """Each lever's setting in a scenario: "intensity (first–last year)" or "off"."""
    settings = {}
    for lever in _core.lever_catalogue():
        key = f"policy.{lever['key']}"
        intensity = scenario[f"{key}.intensity"]
        start, end = scenario[f"{key}.start_year"], scenario[f"{key}.end_year"]
        years = f"from {start}" if end >= scenario["horizon_year"] else f"{start}–{end}"
        settings[lever["key"]] = f"{intensity:g} ({years})" if intensity else "off"
    return settings


def _levers(brief: Brief) -> list[str]:
    out = ["<h2>Levers</h2>"]
    if brief.scenarios is None:
        return out + ["<p>The scenario files are no longer where the outlook ran them: their "
                      "levers cannot be shown.</p>"]
    settings = [_lever_settings(s) for s in brief.scenarios]
    summaries = {lever["key"]: lever["summary"] for lever in _core.lever_catalogue()}
    differ = [k for k in summaries if len({s[k] for s in settings}) > 1]
    rows = [[html.escape(k.split(".", 1)[0]), html.escape(k.split(".", 1)[1])]
            + [html.escape(s[k]) for s in settings] + [html.escape(summaries[k])] for k in differ]
    out += ["<p>The levers whose setting differs between the scenarios: intensity (1: as "
            "announced) and the years it acts, or off.</p>",
            _table(["group", "lever", *brief.names, "what it does"], rows) if rows else
            "<p>Every scenario sets the levers alike.</p>"]
    for name, scenario in zip(brief.names, brief.scenarios, strict=True):
        out.append(f"<details><summary>Every lever of {html.escape(name)}</summary>"
                   f"{_lever_table(scenario)}</details>")
    return out


def reproduce_command(results: SweepResults, output: str = "brief.html") -> str:
    """The clustersim outlook command that runs this outlook again and writes its brief."""
    sweep = tomllib.loads(results.meta["sweep_toml"])["sweep"]
    files = next(f["values"] for f in sweep["vary"] if f["key"] == "scenario")
    names = results.scenario_names()
    parts = ["clustersim outlook", *files, "-o outlook.h5",
             f"--draws {len(results.design()) // len(names) // outlook.source_sets(results)}",
             f"--seeds {results.replicates}", f"--seed {sweep.get('seed', 1)}"]
    if "scale" in sweep.get("set", {}):
        parts.append(f"--scale {sweep['set']['scale']:g}")
    if "until" in sweep:
        parts.append(f"--until {sweep['until']}")
    if outlook.source_sets(results) > 1:
        parts.append("--split")
    return " ".join(parts + [f"--brief {output}"])


def _reproduce(brief: Brief) -> list[str]:
    meta = brief.results.meta
    return ["<h2>Reproduce</h2>",
            f"<p>Run <code>{html.escape(reproduce_command(brief.results))}</code> (the same "
            "draws and seeds give the same runs on any number of workers; each run's own "
            "command is in the file, <code>runs().command</code>).</p>",
            _table(["key", "value"], [[html.escape(k), html.escape(str(meta[k]))]
                                      for k in ("clustersim_version", "git_revision", "created",
                                                "updated") if k in meta])]


# --- lever groups measured elsewhere (--attribution)


def group_contributions(path: str, year: int) -> tuple[pd.DataFrame, str, int, str]:
    """Each lever group's contribution to each target's value (rows: group, target; columns:
    value, low, high, and per_bn where the sweep kept costs), from a lever-groups sweep (each
    group alone on no-new-policy: attribution.group_effects, the package "baseline" left out)
    or a Shapley sweep (attribution.shapley), in `year` or the sweep's last year before it.
    Returns the table, what the value is, its year and the uncertainty it was measured over;
    OutputError naming the file if it is neither kind of sweep."""
    from clustersim import attribution
    if file_format(path) != SWEEP_FORMAT:
        raise OutputError(f"--attribution {path}: not a sweep file; expected a lever-groups "
                          "sweep (scenarios/sweeps/lever-groups.toml) or a Shapley sweep "
                          "(attribution.shapley_sweep_toml)")
    results = SweepResults(path)
    name = str(results.meta.get("name", ""))
    at = min(year, results.years[-1])
    seeds_only = ("every uncertain parameter at its default (the priors' centres), over seeds "
                  "only: not over the outlook's draws")
    if name.startswith(attribution.SHAPLEY_NAME):
        table = attribution.shapley(results, [at]).xs(at, level="year")
        draws, seeds = int(table["draws"].max()), int(table["replicates"].max())
        posterior = outlook.posterior_of(results)
        over = seeds_only if draws < 2 else (
            f"{draws} joint draws of the uncertain parameters (lever effects and costs from "
            "their priors, the model's parameters "
            + (f"as whole particles of the posterior {os.path.basename(posterior)}"
               if posterior else "from their priors or plausible ranges")
            + f"; the same draws for every coalition) × {seeds} seeds, the interval over "
            "orders, draws and seeds; after it, the range of the draws' own values (5–95 %)")
        return (table.rename(columns={"shapley": "value"}), "Shapley value (its mean marginal "
                "contribution over the sampled orders of the groups)", at, over)
    if "no-new-policy" in results.scenario_names() and not is_outlook(results):
        table = attribution.group_effects(results, [at]).xs(at, level="year")
        table = table.drop(index="baseline", level="scenario", errors="ignore")
        return (table.rename(columns={"effect": "value", "effect_per_bn": "per_bn"}),
                "effect alone on no-new-policy", at, seeds_only)
    raise OutputError(f"--attribution {path}: a sweep named {name!r}, neither a lever-groups "
                      "sweep (a scenario factor with no-new-policy) nor a Shapley sweep; "
                      "expected one of those (docs/levers.md)")


def _attribution(path: str, year: int, thresholds: dict[str, dict[str, Any]]) -> list[str]:
    """The lever groups ranked by their contribution to each target (group_contributions)."""
    table, what, at, over = group_contributions(path, year)
    spread = "draw_low" in table and bool(table["draw_low"].notna().any())
    rows = []
    for target in TARGETS:
        unit = TARGETS[target]["unit"]
        mine = table.xs(target, level="target").sort_values("value", ascending=False)
        ranked = [f"{i + 1}. {html.escape(g)}: {_difference(r['value'], unit)}"
                  f"{_interval(r['low'], r['high'], unit)}"
                  + (f" (draws {_difference(r['draw_low'], unit)} to "
                     f"{_difference(r['draw_high'], unit)})" if spread else "")
                  + (f", {_per_bn(r, unit)} per bn CNY"
                     if "per_bn" in r else "") for i, (g, r) in enumerate(mine.iterrows())]
        rows.append([_target_heading(target, thresholds), "<br>".join(ranked)])
    note = "" if at == year else f" (the sweep ends in {at}, before {year})"
    scale = outlook.run_scale(SweepResults(path))
    # At 1/10 a Shapley sweep over the draws halved finance's talent contribution and doubled
    # land's against the same draws at full scale (docs/levers.md), so say so where it is read.
    below = "" if scale >= 1.0 else (
        f" The sweep ran at scale {scale:g}: below full scale the groups' contributions are not "
        "faithful (at 1/10 finance's share of talent was half and land's twice the full zone's, "
        "docs/levers.md); run it with <code>--scale 1</code> for a brief.")
    return ["<h2>Lever groups</h2>",
            f"<p>From <code>{html.escape(os.path.basename(path))}</code>: each lever group "
            f"ranked by its {what} on each target's value in {at}{note}, with its 95 % "
            "interval" + (" and per bn CNY of its cost (fractions in percentage points; † "
                          "the interval includes 0)" if "per_bn" in table else "")
            + f". Measured in a separate sweep with {html.escape(over)}.{below}</p>",
            _table(["target", "lever groups, largest first"], rows)]


# --- the page


def brief_html(path: str | os.PathLike, *, year: int | None = None,
               attribution: str | os.PathLike | None = None) -> str:
    """The brief of the outlook at `path` for the verdict `year` (default: its last), with the
    lever groups of the sweep `attribution` if given."""
    results = load(path)
    year = results.years[-1] if year is None else year
    extra = _attribution(os.fspath(attribution), year, results.thresholds()) if attribution \
        else []
    brief = Brief.read(results, year)
    effect = effects(brief) if len(brief.names) > 1 else pd.DataFrame()
    sections = [*_header(brief), *_glance(brief)]
    for target in TARGETS:
        sections += _target_section(brief, target, effect)
    sections += [*_comparison(brief, effect), *extra, *_levers(brief), *_reproduce(brief)]
    return _page(f"Policy brief: {', '.join(brief.names)} to {brief.year}", sections)


def write_brief(path: str | os.PathLike, output: str | os.PathLike, *, year: int | None = None,
                attribution: str | os.PathLike | None = None) -> str:
    """Writes the brief of the outlook at `path` to `output` (written whole, as every report);
    OutputError naming `path` if it is not an outlook. Returns the output path."""
    from clustersim.report import write_report
    load(path)
    return write_report(path, output, year=year, attribution=attribution)


__all__ = ["brief_html", "cumulative_cost", "effects", "even_odds_year", "is_outlook",
           "likelihood", "load", "parameter_name", "rank_correlations", "verdict",
           "write_brief"]
