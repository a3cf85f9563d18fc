"""Estimators for the stylised facts of CALIBRATION.md, measured on a results file.

Each function takes a `Results` object (``clustersim.load(path)``) and returns plain numbers, so
that tests, notebooks and docs/validation.md use the same measurements.

    python -m clustersim.validation out.h5     # prints every measurement
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd

from clustersim.results import Results, load


@dataclass
class ParetoFit:
    alpha: float   # CCDF exponent: P(R > x) ~ x^-alpha above x_min
    x_min: float   # fitted lower cut-off
    n_tail: int    # firms at or above x_min
    ks: float      # Kolmogorov-Smirnov distance of the fit


def pareto_tail(sizes: np.ndarray, min_tail: int = 100) -> ParetoFit:
    """Maximum-likelihood Pareto exponent with the cut-off that minimises the KS distance
    (Clauset, Shalizi & Newman 2009), over candidate cut-offs at quantiles 0.50-0.99."""
    x = np.sort(np.asarray(sizes, dtype=float))
    x = x[x > 0]
    best: ParetoFit | None = None
    for x_min in np.unique(np.quantile(x, np.linspace(0.5, 0.99, 50))):
        tail = x[x >= x_min]
        n = len(tail)
        if n < min_tail:
            continue
        alpha = n / np.sum(np.log(tail / x_min))
        empirical = np.arange(n, 0, -1) / n
        ks = float(np.max(np.abs(empirical - (tail / x_min) ** (-alpha))))
        if best is None or ks < best.ks:
            best = ParetoFit(float(alpha), float(x_min), n, ks)
    if best is None:
        raise ValueError(f"too few firms for a tail fit (need {min_tail})")
    return best


def annual_growth(results: Results, year: int) -> pd.DataFrame:
    """Log revenue growth from December `year - 1` to December `year` of firms alive at both,
    with their size at the start."""
    before = results.snapshot(year - 1).set_index("firm_id")
    after = results.snapshot(year).set_index("firm_id")
    common = before.index.intersection(after.index)
    start = before.loc[common, "revenue_cny"].to_numpy()
    growth = np.log(after.loc[common, "revenue_cny"].to_numpy() / start)
    return pd.DataFrame({"log_size": np.log(start), "growth": growth}, index=common)


def excess_kurtosis(values: np.ndarray) -> float:
    centred = np.asarray(values) - np.mean(values)
    return float(np.mean(centred**4) / np.mean(centred**2) ** 2 - 3.0)


def volatility_size_exponent(growth: pd.DataFrame, bins: int = 10) -> float:
    """beta in sd(growth | size) ~ size^-beta: slope of log sd against mean log size over
    size deciles."""
    groups = growth.groupby(pd.qcut(growth["log_size"], bins), observed=True)
    sd = groups["growth"].std()
    size = groups["log_size"].mean()
    return float(-np.polyfit(size.to_numpy(), np.log(sd.to_numpy()), 1)[0])


def hazard_by_age(results: Results, year: int, max_age: int = 10) -> pd.Series:
    """Share of the firms alive in December `year - 1` that exited by December `year`, by
    completed years of age at the start (0 = in the first year of life)."""
    before = results.snapshot(year - 1).set_index("firm_id")
    after_ids = results.snapshot(year)["firm_id"]
    exited = ~before.index.isin(after_ids)
    age = (before["age_months"] // 12).clip(upper=max_age)
    return pd.Series(exited, index=before.index).groupby(age.to_numpy()).mean()


def talent_moves_by_distance(results: Results,
                             edges_km: tuple[float, ...] = (0, 10, 20, 40, 80)) -> pd.Series:
    """Mean talent moves per ordered pair of parks over the run, by distance band."""
    moves = results.series("park", "talent_moves").sum()
    parks = results.parks
    lat = np.radians(parks["latitude"])
    lon = np.radians(parks["longitude"])
    rows = []
    for (origin, destination), count in moves.items():
        if origin == destination:
            continue
        h = (np.sin((lat[destination] - lat[origin]) / 2) ** 2 +
             np.cos(lat[origin]) * np.cos(lat[destination]) *
             np.sin((lon[destination] - lon[origin]) / 2) ** 2)
        rows.append((2 * 6371.0 * np.arcsin(np.sqrt(min(1.0, h))), count))
    frame = pd.DataFrame(rows, columns=["km", "moves"])
    return frame.groupby(pd.cut(frame["km"], list(edges_km)), observed=True)["moves"].mean()


def report(results: Results, year: int) -> str:
    """Every measurement, as text."""
    fit = pareto_tail(results.snapshot(year)["revenue_cny"])
    growth = annual_growth(results, year)
    hazard = hazard_by_age(results, year)
    moves = talent_moves_by_distance(results)
    lines = [
        f"file: {results.path} (seed {results.meta.get('seed')}, scale {results.meta.get('scale')})",
        f"Pareto tail of revenue, December {year}: alpha = {fit.alpha:.3f} above "
        f"{fit.x_min / 1e6:.0f} m CNY ({fit.n_tail} firms, KS {fit.ks:.4f})",
        f"annual log growth {year - 1}-{year}: excess kurtosis = "
        f"{excess_kurtosis(growth['growth']):.2f} ({len(growth)} firms)",
        f"volatility vs size: beta = {volatility_size_exponent(growth):.3f}",
        "exit rate by age (years): " + ", ".join(f"{int(a)}: {h:.3f}" for a, h in hazard.items()),
        "talent moves per park pair by distance: " +
        ", ".join(f"{band}: {value:.0f}" for band, value in moves.items()),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python -m clustersim.validation RESULTS.h5 [YEAR]", file=sys.stderr)
        return 2
    results = load(argv[0])
    year = int(argv[1]) if len(argv) > 1 else max(results.snapshot_years())
    print(report(results, year))
    return 0


if __name__ == "__main__":
    sys.exit(main())
