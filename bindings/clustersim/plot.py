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


def target_dashboard(results: Any, *, point: int = 0) -> Any:
    """One panel per target. A run: the value each December against the threshold, met years
    marked. A sweep: P(met by each year) for a design point, with its 95 % interval."""
    results = _open(results)
    fig, axes = _figure(2, 5, width=16, height=6.5)
    if _is_sweep(results):
        _check_point(results, point)
        table = results.target_probability().xs(point, level="point")
        for ax, target in zip(axes.flat, TARGETS, strict=True):
            rows = table.xs(target, level="target")
            years = rows.index.to_numpy()
            ax.fill_between(years, rows["low"], rows["high"], color="#9ecae1", alpha=0.6,
                            label="95 % interval")
            ax.plot(years, rows["p"], color="#08519c", marker="o", ms=3, label="P(met by year)")
            ax.set_ylim(-0.02, 1.02)
            ax.set_title(TITLES[target], fontsize=9)
            _integer_years(ax)
        axes[0, 0].legend(fontsize=7)
        fig.suptitle(f"Probability that each target is met, design point {point}")
        return fig
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


def fan_chart(sweep: Any, outcome: str, *, point: int | None = None, scale: float = 1.0,
              ylabel: str = "") -> Any:
    """Median and 50 % / 90 % bands over the runs of a sweep (one design point, or all), year by
    year, for a target id or a series label of the sweep."""
    sweep = _open(sweep)
    if not _is_sweep(sweep):
        raise TypeError("fan_chart() draws the runs of a sweep (clustersim.load_sweep); for one "
                        "run use target_dashboard(results) or results.series(...)")
    _check_point(sweep, point)
    values = sweep.outcome(outcome)
    runs = sweep.runs()
    keep = (runs["status"] == "done").to_numpy().copy()
    if point is not None:
        keep &= (runs["point"] == point).to_numpy()
    data = values.to_numpy(dtype=float)[keep] * scale
    years = values.columns.to_numpy()
    fig, axes = _figure(width=8, height=4)
    ax = axes[0, 0]
    if len(data):
        q = np.nanpercentile(data, [5, 25, 50, 75, 95], axis=0)
        ax.fill_between(years, q[0], q[4], color="#c6dbef", label="90 % of runs")
        ax.fill_between(years, q[1], q[3], color="#6baed6", label="50 % of runs")
        ax.plot(years, q[2], color="#08306b", lw=2, label="median")
    which = "all design points" if point is None else f"design point {point}"
    ax.set_title(f"{outcome}: {len(data)} runs, {which}")
    _integer_years(ax)
    ax.set_ylabel(ylabel or outcome)
    ax.legend(fontsize=8)
    return fig


def park_ranking(results: Any) -> Any:
    """The parks' ranks each December: by the evaluation's composite score where parks were
    evaluated, else by revenue. Removed parks end in a cross; notified years are circled."""
    results = _one_run(results, "park_ranking")
    score = _after_evaluation(results.series("park", "evaluation_score"))
    standing = _after_evaluation(results.series("park", "standing"))
    revenue = _yearly_december(results.series("park", "revenue_cny")).T.groupby(level="park") \
        .sum().T.reindex(score.index)
    evaluated = score.notna().any(axis=1)
    basis = score.where(evaluated, other=np.nan).combine_first(revenue.where(~evaluated))
    basis = basis.where(standing != -2)   # removed parks are not ranked
    ranks = basis.rank(axis=1, ascending=False, method="first")
    fig, axes = _figure(width=11, height=6)
    ax = axes[0, 0]
    cmap = _colours(len(ranks.columns))
    years = ranks.index.to_numpy()
    for i, park in enumerate(ranks.columns):
        ax.plot(years, ranks[park], color=cmap[i], lw=1.2)
        last = ranks[park].last_valid_index()
        if last is not None:
            ax.annotate(park, (last, ranks[park][last]), fontsize=6, xytext=(3, 0),
                        textcoords="offset points", va="center")
        notified = standing.index[standing[park] == -1]
        ax.scatter(notified, ranks[park].reindex(notified), facecolors="none",
                   edgecolors="#d62728", s=40, zorder=3)
        removed = standing.index[standing[park] == -2]
        if len(removed):
            before = ranks[park].dropna()
            if len(before):
                ax.scatter([removed[0]], [before.iloc[-1]], marker="x", color="#d62728", s=50)
    ax.invert_yaxis()
    _integer_years(ax)
    ax.set_xlabel("evaluation (December of the year)")
    ax.set_ylabel("rank (1 = best)")
    ax.set_title("Park ranking each December (circles: notices; crosses: plaques removed)")
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
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title(f"The {len(flows)} largest flows (width: persons)")
    return fig


def space_use(results: Any) -> Any:
    """Occupancy (floor space used / available) of each park, month by month."""
    results = _one_run(results, "space_use")
    used = results.series("park", "used_floor_space_m2")
    available = results.series("park", "floor_space_m2")
    occupancy = used / available
    fig, axes = _figure(width=10, height=4.5)
    ax = axes[0, 0]
    x = occupancy.index.to_timestamp()
    cmap = _colours(len(occupancy.columns))
    for i, park in enumerate(occupancy.columns):
        ax.plot(x, occupancy[park], color=cmap[i], lw=1)
    ax.axhline(1.0, color="#d62728", ls="--", lw=1)
    ax.set_ylabel("occupancy")
    ax.set_title("Floor space use per park (dashed: full)")
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
