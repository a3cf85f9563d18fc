"""Figures of runs and sweeps (matplotlib). Every function takes a results object (a finished
``Simulation``, ``clustersim.load(...)``, or ``clustersim.load_sweep(...)`` where it says so) or
the path of a file, and returns a ``matplotlib.figure.Figure``; nothing is shown or saved here.
``target_dashboard`` takes a run or a sweep, ``fan_chart`` a sweep, the others one run.

    import clustersim as cs, clustersim.plot as cplot
    fig = cplot.target_dashboard(cs.load("out.h5"))
    fig.savefig("targets.png")
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from clustersim import _core

LEADING = list(_core.sector_names)[:3]
SECTOR_COLOURS = {"IC": "#1f77b4", "biomedicine": "#2ca02c", "AI": "#d62728", "other": "#bbbbbb"}
TARGETS = [t["id"] for t in _core.target_catalogue()]
UNITS = {t["id"]: t["unit"] for t in _core.target_catalogue()}
TITLES = {
    "champions": "unicorns + hidden champions", "leading_share": "share of city's leading ind.",
    "trillion_parks": "parks at trillion scale", "talent": "talent, leading industries",
    "hq_incubators": "high-quality incubators", "new_tech_firms": "new tech firms a day",
    "rd_intensity": "R&D / GDP", "pct": "PCT applications", "vc_share": "share of city's VC",
    "nuclear_points": "innovation nuclear points"}


def _figure(rows: int = 1, cols: int = 1, *, width: float = 10, height: float = 4, **kw):
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False, **kw)
    return fig, axes


def _is_sweep(obj: Any) -> bool:
    return hasattr(obj, "target_probability")


def _open(results: Any) -> Any:
    """A path becomes the results or sweep file it names; anything else is used as it is."""
    import os
    if isinstance(results, (str, os.PathLike)):
        from clustersim._files import file_format
        from clustersim.results import Results
        from clustersim.sweepresults import SWEEP_FORMAT, SweepResults
        path = os.fspath(results)
        return SweepResults(path) if file_format(path) == SWEEP_FORMAT else Results(path)
    return results


def _one_run(results: Any, figure: str) -> Any:
    """The results of one run (a path, a results file or a Simulation); a sweep is refused
    with the figures that draw sweeps."""
    results = _open(results)
    if _is_sweep(results):
        raise TypeError(f"{figure}() draws one run, not a sweep: for a sweep use "
                        "target_dashboard(sweep, point=...) or fan_chart(sweep, outcome), or "
                        "draw one run of it (runs().command repeats it alone)")
    return results


def _check_point(sweep: Any, point: int | None) -> None:
    if point is None:
        return
    n = len(sweep.design())
    if isinstance(point, bool) or not isinstance(point, (int, np.integer)) or not 0 <= point < n:
        raise ValueError(f"point={point!r} is not a design point of this sweep; expected an "
                         f"integer in [0, {n - 1}]")


def _yearly_december(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.groupby(frame.index.year).last()


def _after_evaluation(frame: pd.DataFrame) -> pd.DataFrame:
    """The evaluation of December y shows in the series from January y + 1: those rows,
    labelled y."""
    january = frame[frame.index.month == 1]
    january = january[january.index.year > _core.base_year]
    january.index = january.index.year - 1
    return january


def _integer_years(ax) -> None:
    from matplotlib.ticker import MaxNLocator
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _plain_numbers(ax) -> None:
    """Tick labels as plain numbers: no "1e12" multiplier or offset above the axis."""
    ax.ticklabel_format(axis="y", style="plain", useOffset=False)


def short_key(key: str) -> str:
    """A varied key as a label: a lever by its group and name, other keys as they are."""
    if key.startswith("policy.") and key.endswith(".intensity"):
        return key.removeprefix("policy.").removesuffix(".intensity")
    return key


def point_labels(sweep: Any) -> list[str]:
    """Each design point of a sweep by the values it sets (``land.supply=1, scale=0.1``)."""
    design = sweep.design()
    return [", ".join(f"{short_key(k)}={v}" if isinstance(v, str) else f"{short_key(k)}={v:g}"
                      for k, v in row.items())
            for _, row in design.iterrows()]


_MONEY = [(1e12, "trn"), (1e9, "bn"), (1e6, "mn"), (1.0, "")]


def outcome_axis(outcome: str, values: np.ndarray | None = None) -> tuple[str, str, float]:
    """A sweep outcome in words: (title, unit as shown, factor from the stored unit). Targets by
    their name (fractions in %); series labels ``level.name.reduce`` by their name, money in
    trn/bn/mn CNY by the largest value."""
    if outcome in UNITS:
        unit = UNITS[outcome]
        return (TITLES[outcome], "%", 100.0) if unit == "fraction" else (TITLES[outcome], unit, 1.0)
    from clustersim._frames import CITY_SERIES, SERIES
    parts = outcome.split(".")
    if len(parts) not in (3, 4):
        return outcome, "", 1.0
    level, name, reduce = parts[0], parts[1], parts[-1]
    spec = SERIES.get(name) or CITY_SERIES.get(name) or {"unit": ""}
    unit, factor = spec["unit"], 1.0
    if reduce == "sum" and unit.endswith("/month"):
        unit = unit.removesuffix("/month") + "/year"   # a year's months summed
    words = name.removesuffix("_cny").replace("_", " ")
    column = f" ({parts[2]})" if len(parts) == 4 else ""
    when = {"december": "in December", "sum": "over the year", "mean": "mean over the year"}
    title = f"{level} {words}{column}, {when.get(reduce, reduce)}"
    if unit.startswith("CNY"):
        peak = float(np.nanmax(np.abs(values))) if values is not None and np.size(values) else 0.0
        factor, prefix = next(((1.0 / f, p) for f, p in _MONEY if peak >= f), (1.0, ""))
        unit = f"{prefix} {unit}".strip()
    return title, unit, factor


def revenue(results: Any) -> Any:
    """The zone's revenue by sector (stacked, trn CNY/year), month by month."""
    results = _one_run(results, "revenue")
    frame = results.series("zone", "revenue_cny") / 1e12
    fig, axes = _figure()
    ax = axes[0, 0]
    x = frame.index.to_timestamp()
    ax.stackplot(x, [frame[s] for s in frame.columns], labels=list(frame.columns),
                 colors=[SECTOR_COLOURS[s] for s in frame.columns], alpha=0.85)
    ax.set_ylabel("revenue, trn CNY/year")
    ax.set_title("Zone revenue by sector")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def target_dashboard(results: Any, *, point: int | None = None) -> Any:
    """One panel per target. A run: the value each December against the threshold, met years
    marked. A sweep: P(met by each year) with its 95 % interval, one line per design point
    (labelled by the values it sets), or only ``point``."""
    results = _open(results)
    if _is_sweep(results):
        return _probability_dashboard(results, point)
    if point is not None:
        raise TypeError(f"point={point!r}: a run has no design points; point= is for a sweep")
    fig, axes = _figure(2, 5, width=16, height=6.5)
    targets = results.targets()
    years = targets.index.to_numpy()
    target_year = targets.attrs["target_year"]
    for ax, target in zip(axes.flat, TARGETS, strict=True):
        value = targets[target].to_numpy(dtype=float)
        met = targets[f"{target}_met"].to_numpy(dtype=bool)
        scale = 100.0 if targets.attrs["units"][target] == "fraction" else 1.0
        ax.plot(years, value * scale, color="#333333", lw=1.5)
        ax.scatter(years[met], value[met] * scale, color="#2ca02c", s=18, zorder=3, label="met")
        ax.scatter(years[~met], value[~met] * scale, color="#d62728", s=18, zorder=3,
                   label="not met")
        ax.axhline(targets.attrs["thresholds"][target] * scale, color="#1f77b4", ls="--", lw=1,
                   label="threshold")
        ax.axvline(target_year, color="#999999", lw=0.8)
        unit = "%" if scale == 100.0 else targets.attrs["units"][target]
        ax.set_title(f"{TITLES[target]} ({unit})", fontsize=9)
        ax.tick_params(labelsize=7)
        _integer_years(ax)
    axes[0, 0].legend(fontsize=7)
    fig.suptitle("Targets each December against their thresholds (grey line: target year)")
    return fig


def _probability_dashboard(sweep: Any, point: int | None) -> Any:
    """P(met by each year) per target: every design point as its own line (never pooled)."""
    _check_point(sweep, point)
    table = sweep.target_probability()
    labels = point_labels(sweep)
    points = range(len(labels)) if point is None else [point]
    thresholds = sweep.thresholds()
    fig, axes = _figure(2, 5, width=16, height=7 if len(points) > 1 else 6.5)
    colours = _colours(len(labels))
    one = len(points) == 1
    # Several points: each point's intervals as error bars dodged around the year, so that
    # they stay apart (overlapping shaded bands would merge into one block).
    width = 0.6 / len(points)
    for ax, target in zip(axes.flat, TARGETS, strict=True):
        for k, p in enumerate(points):
            rows = table.xs((p, target), level=("point", "target"))
            years = rows.index.to_numpy()
            if one:
                ax.fill_between(years, rows["low"], rows["high"], color="#9ecae1", alpha=0.6,
                                lw=0, label="95 % interval")
                ax.plot(years, rows["p"], color="#08519c", marker="o", ms=3,
                        label="P(met by year)")
                continue
            x = years + (k - (len(points) - 1) / 2) * width
            ax.errorbar(x, rows["p"], yerr=[rows["p"] - rows["low"], rows["high"] - rows["p"]],
                        color=colours[p], marker="o", ms=3, lw=0.8, elinewidth=0.8,
                        capsize=0, label=labels[p])
        if sweep.years[0] <= sweep.target_year <= sweep.years[-1]:
            ax.axvline(sweep.target_year, color="#999999", lw=0.8)
        ax.set_ylim(-0.02, 1.02)
        ax.set_title(f"{TITLES[target]}\n{threshold_words(target, thresholds[target])}",
                     fontsize=8)
        ax.tick_params(labelsize=7)
        _integer_years(ax)
    for ax in axes[:, 0]:
        ax.set_ylabel("P(met by the year)")
    if len(points) == 1:
        axes[0, 0].legend(fontsize=7)
        fig.suptitle(f"Probability that each target is met by each year: {labels[point]}"
                     " (grey line: target year)", fontsize=10)
    else:
        handles, names = axes[0, 0].get_legend_handles_labels()
        fig.legend(handles, names, loc="outside lower center", ncol=min(len(names), 3),
                   fontsize=7, title="design point (bars: 95 % interval)",
                   title_fontsize=7)
        fig.suptitle("Probability that each target is met by each year, per design point "
                     "(grey line: target year)", fontsize=10)
    return fig


def threshold_words(target: str, threshold: dict) -> str:
    """``>= 85 %`` or ``> 100 firms``: the target's condition in its unit."""
    unit = UNITS[target]
    value = threshold["threshold"]
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"
    shown = f"{value * 100:g} %" if unit == "fraction" else f"{number} {unit}"
    return f"{threshold['comparison']} {shown}"


def fan_chart(sweep: Any, outcome: str, *, point: int | None = None, pooled: bool = False,
              scale: float | None = None, ylabel: str = "") -> Any:
    """Year by year, the median and bands over the runs of a sweep, for a target id or a series
    label of the sweep, titled in words with its unit (``scale`` and ``ylabel`` override the
    automatic unit). ``point``: that design point, median with 50 % and 90 % bands. Otherwise
    each design point its own median and 50 % band, labelled by its values (``pooled=True``:
    all runs together). A target's threshold is drawn."""
    sweep = _open(sweep)
    if not _is_sweep(sweep):
        raise TypeError("fan_chart() draws the runs of a sweep (clustersim.load_sweep); for one "
                        "run use target_dashboard(results) or results.series(...)")
    _check_point(sweep, point)
    values = sweep.outcome(outcome)
    runs = sweep.runs()
    done = (runs["status"] == "done").to_numpy()
    raw = values.to_numpy(dtype=float)
    title, unit, factor = outcome_axis(outcome, raw[done])
    if scale is not None:
        factor, unit = scale, ylabel or ""
    data = raw * factor
    years = values.columns.to_numpy()
    labels = point_labels(sweep)
    fig, axes = _figure(width=11, height=4.8)
    ax = axes[0, 0]
    if point is not None or pooled:
        keep = done if pooled else done & (runs["point"] == point).to_numpy()
        if keep.any():
            q = np.nanpercentile(data[keep], [5, 25, 50, 75, 95], axis=0)
            ax.fill_between(years, q[0], q[4], color="#c6dbef", label="90 % of runs")
            ax.fill_between(years, q[1], q[3], color="#6baed6", label="50 % of runs")
            ax.plot(years, q[2], color="#08306b", lw=2, label="median")
        which = f"all {len(labels)} design points pooled" if pooled else labels[point]
        ax.set_title(f"{title}: {int(keep.sum())} runs, {which}", fontsize=10)
    else:
        colours = _colours(len(labels))
        for p, label in enumerate(labels):
            keep = done & (runs["point"] == p).to_numpy()
            if not keep.any():
                continue
            q = np.nanpercentile(data[keep], [25, 50, 75], axis=0)
            ax.fill_between(years, q[0], q[2], color=colours[p], alpha=0.15, lw=0)
            ax.plot(years, q[1], color=colours[p], lw=1.5, label=label)
        ax.set_title(f"{title}: median and 50 % of runs per design point "
                     f"({int(done.sum())} runs)", fontsize=10)
    if outcome in UNITS:
        threshold = sweep.thresholds()[outcome]
        ax.axhline(threshold["threshold"] * factor, color="#d62728", ls="--", lw=1,
                   label=f"target: {threshold_words(outcome, threshold)}")
        if years[0] <= sweep.target_year <= years[-1]:
            ax.axvline(sweep.target_year, color="#999999", lw=0.8)
    _integer_years(ax)
    _plain_numbers(ax)
    ax.set_xlabel("year")
    ax.set_ylabel(ylabel or unit or outcome)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return fig


def park_ranking(results: Any, *, top: int = 5) -> Any:
    """The parks' ranks each December: by the evaluation's composite score where parks were
    evaluated, else by revenue. The ``top`` parks of the last ranking and every park that got a
    notice or lost its plaque are drawn in colour and named; the rest in grey. Notices are
    circled, removals crossed."""
    results = _one_run(results, "park_ranking")
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 0:
        raise ValueError(f"top={top!r}; expected a whole number of parks >= 0")
    score = _after_evaluation(results.series("park", "evaluation_score"))
    standing = _after_evaluation(results.series("park", "standing"))
    revenue = _yearly_december(results.series("park", "revenue_cny")).T.groupby(level="park") \
        .sum().T.reindex(score.index)
    evaluated = score.notna().any(axis=1)
    basis = score.where(evaluated, other=np.nan).combine_first(revenue.where(~evaluated))
    basis = basis.where(standing != -2)   # removed parks are not ranked
    ranks = basis.rank(axis=1, ascending=False, method="first")
    last = ranks.ffill().iloc[-1].sort_values()
    flagged = [p for p in ranks.columns if (standing[p] < 0).any()]
    named = list(dict.fromkeys([*last.index[:top], *flagged]))
    fig, axes = _figure(width=11, height=6)
    ax = axes[0, 0]
    colours = dict(zip(named, _colours(len(named)), strict=True))
    years = ranks.index.to_numpy()
    others = [p for p in ranks.columns if p not in colours]
    for k, park in enumerate(others):
        ax.plot(years, ranks[park], color="#c8c8c8", lw=0.8, zorder=1,
                label=f"the other {len(others)} parks" if k == 0 else None)
    for park in named:
        ax.plot(years, ranks[park], color=colours[park], lw=1.8, zorder=2, label=park)
        end = ranks[park].last_valid_index()
        if end is not None:
            ax.annotate(park, (end, ranks[park][end]), fontsize=7, xytext=(3, 0),
                        textcoords="offset points", va="center", color=colours[park])
    marked = {"notice": False, "removed": False}
    for park in ranks.columns:
        notified = standing.index[standing[park] == -1]
        if len(notified):
            ax.scatter(notified, ranks[park].reindex(notified), facecolors="none",
                       edgecolors="#d62728", s=45, zorder=3,
                       label=None if marked["notice"] else "notice (bottom of the ranking)")
            marked["notice"] = True
        removed = standing.index[standing[park] == -2]
        before = ranks[park].dropna()
        if len(removed) and len(before):
            ax.scatter([removed[0]], [before.iloc[-1]], marker="x", color="#d62728", s=55,
                       zorder=3, label=None if marked["removed"] else "plaque removed")
            marked["removed"] = True
    ax.invert_yaxis()
    _integer_years(ax)
    ax.set_xlabel("evaluation (December of the year)")
    ax.set_ylabel("rank (1 = best)")
    ax.set_title(f"Park ranking each December\n(in colour: the top {min(top, len(last))} of the "
                 "last ranking and every park with a notice or a removal)", fontsize=10)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.1, 0.5))
    return fig


def sector_mix(results: Any, *, year: int | None = None) -> Any:
    """Each park's revenue by sector in December of ``year`` (default: the last), largest
    parks first."""
    results = _one_run(results, "sector_mix")
    frame = _yearly_december(results.series("park", "revenue_cny"))
    if year is not None and year not in frame.index:
        raise ValueError(f"year={year!r} is not a year of this run; expected one of "
                         f"{int(frame.index[0])}-{int(frame.index[-1])}")
    year = int(frame.index[-1]) if year is None else year
    row = frame.loc[year].unstack("sector") / 1e9
    row = row.loc[row.sum(axis=1).sort_values().index]
    fig, axes = _figure(width=9, height=7)
    ax = axes[0, 0]
    left = np.zeros(len(row))
    for sector in row.columns:
        ax.barh(row.index, row[sector], left=left, color=SECTOR_COLOURS[sector], label=sector)
        left += row[sector].to_numpy()
    if left.max() > 50 * max(np.median(left), 1e-9):
        ax.set_xscale("log")   # the Core Park dwarfs the rest
    ax.set_xlabel("revenue, bn CNY/year")
    ax.set_title(f"Sector mix of each park, December {year}")
    ax.legend(fontsize=8, loc="lower right")
    ax.tick_params(axis="y", labelsize=7)
    return fig


def talent_flows(results: Any, *, top: int = 40) -> Any:
    """Talent hired across parks over the run (origin rows, destination columns), as a matrix,
    and the ``top`` largest flows as arcs between the parks' locations."""
    results = _one_run(results, "talent_flows")
    moves = results.series("park", "talent_moves").sum()
    matrix = moves.unstack("destination")
    parks = results.parks
    matrix = matrix.loc[parks.index, parks.index]
    fig, axes = _figure(1, 2, width=15, height=6.5)
    ax = axes[0, 0]
    shown = np.log10(matrix.to_numpy() + 1.0)
    image = ax.imshow(shown, cmap="viridis")
    ax.set_xticks(range(len(matrix)), matrix.columns, rotation=90, fontsize=6)
    ax.set_yticks(range(len(matrix)), matrix.index, fontsize=6)
    ax.set_xlabel("destination park")
    ax.set_ylabel("origin park")
    fig.colorbar(image, ax=ax, label="log10(1 + persons)")
    ax.set_title("Talent moves between parks, whole run")
    ax = axes[0, 1]
    flows = moves[moves > 0].sort_values(ascending=False).head(top)
    biggest = flows.max() if len(flows) else 1.0
    for (origin, destination), value in flows.items():
        a, b = parks.loc[origin], parks.loc[destination]
        ax.annotate("", xy=(b["longitude"], b["latitude"]), xytext=(a["longitude"], a["latitude"]),
                    arrowprops={"arrowstyle": "-|>", "color": "#3182bd", "alpha": 0.6,
                                "lw": 0.5 + 4 * value / biggest,
                                "connectionstyle": "arc3,rad=0.2"})
    ax.scatter(parks["longitude"], parks["latitude"], s=20, color="#333333", zorder=3)
    for park, row in parks.iterrows():
        ax.annotate(park, (row["longitude"], row["latitude"]), fontsize=6, xytext=(2, 2),
                    textcoords="offset points")
    if len(flows):
        from matplotlib.lines import Line2D
        sizes = [biggest, biggest / 4]
        ax.legend([Line2D([], [], color="#3182bd", alpha=0.6, lw=0.5 + 4 * v / biggest)
                   for v in sizes], [f"{v:,.0f} persons" for v in sizes], fontsize=7,
                  title="flow", title_fontsize=7, loc="best")
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title(f"The {len(flows)} largest flows (arrow width: persons)")
    return fig


def space_use(results: Any, *, top: int = 3) -> Any:
    """Occupancy (floor space used / available) of the parks month by month: the median park
    and the range over parks, with the ``top`` fullest parks at the end named."""
    results = _one_run(results, "space_use")
    used = results.series("park", "used_floor_space_m2")
    available = results.series("park", "floor_space_m2")
    occupancy = used / available
    fig, axes = _figure(width=10, height=4.5)
    ax = axes[0, 0]
    x = occupancy.index.to_timestamp()
    ax.fill_between(x, occupancy.min(axis=1), occupancy.max(axis=1), color="#deebf7",
                    label=f"range over the {occupancy.shape[1]} parks")
    ax.fill_between(x, occupancy.quantile(0.25, axis=1), occupancy.quantile(0.75, axis=1),
                    color="#9ecae1", label="middle half of the parks")
    ax.plot(x, occupancy.median(axis=1), color="#08519c", lw=2, label="median park")
    fullest = occupancy.iloc[-1].sort_values(ascending=False).index[:top]
    for park, colour in zip(fullest, _colours(len(fullest)), strict=True):
        ax.plot(x, occupancy[park], color=colour, lw=1, label=f"{park} (fullest at the end)")
    ax.axhline(1.0, color="#d62728", ls="--", lw=1, label="full")
    ax.set_ylabel("occupancy (used / available floor space)")
    ax.set_title("Floor space use of the parks")
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return fig


def calibration_check(check: Any, *, draws: int = 20, seed: int = 1) -> Any:
    """The posterior predictive check of a calibration: one panel per moment, the observation
    with its 90 % error bar (±1.645 sd) beside the simulated median and 90 % band. ``check`` is
    the table of ``fit.check()``, or a fit (then ``fit.check(draws, seed=seed)`` is run)."""
    table = check.check(draws, seed=seed) if hasattr(check, "check") else check
    n = len(table)
    if n == 0:
        raise ValueError("the check has no moments to plot")
    cols = min(n, 4)
    rows = (n + cols - 1) // cols
    fig, axes = _figure(rows, cols, width=3.2 * cols, height=3.0 * rows)
    for k, (label, row) in enumerate(table.iterrows()):
        ax = axes[k // cols, k % cols]
        ax.errorbar([0], [row["observed"]], yerr=[[1.645 * row["sd"]], [1.645 * row["sd"]]],
                    fmt="o", color="black", capsize=4, label="observed ±90 %")
        median = row["simulated_median"]
        band = [[median - row["simulated_low_90"]], [row["simulated_high_90"] - median]]
        ax.errorbar([1], [median], yerr=band, fmt="s",
                    color="#1f77b4" if row["within_90"] else "#d62728", capsize=4,
                    label="simulated median, 90 %")
        ax.set_xticks([0, 1], ["observed", "simulated"])
        ax.set_xlim(-0.6, 1.6)
        ax.set_title(str(label), fontsize=9)
        if k == 0:
            ax.legend(fontsize=7, loc="best")
    for k in range(n, rows * cols):
        axes[k // cols, k % cols].set_visible(False)
    fig.suptitle("Posterior predictive check (red: observation outside the simulated 90 % band)",
                 fontsize=10)
    return fig


def _colours(n: int) -> list:
    from matplotlib import colormaps
    if n <= 10:   # ten distinct hues; tab20 pairs similar ones
        return [colormaps["tab10"](i) for i in range(n)]
    cmap = colormaps["tab20"]
    return [cmap(i % 20) for i in range(n)]


def save_png(fig: Any, path: Any = None, *, dpi: int = 110) -> bytes:
    """The figure as PNG bytes (and written to ``path`` if given)."""
    import io
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    data = buffer.getvalue()
    if path is not None:
        with open(path, "wb") as handle:
            handle.write(data)
    return data


__all__ = ["calibration_check", "fan_chart", "park_ranking", "revenue", "save_png", "sector_mix",
           "space_use", "talent_flows", "target_dashboard"]
