"""A sweep file's results and their analysis (docs/sweeps.md): the design, the run table, the
outcomes per run and year, P(target met) with Wilson intervals and Sobol indices. The sweep file
is written by clustersim.sweep (the runner); this module defines its format and reads it.

    results = cs.load_sweep("sweep.h5")
    results.target_probability()         # P(met by each year) per design point, Wilson 95 %
    results.sensitivity("leading_share", year=2025)   # Sobol indices (saltelli designs)
"""

from __future__ import annotations

import json
import os
import tomllib
from typing import Any

import h5py
import numpy as np
import pandas as pd

from clustersim._files import open_own_file
from clustersim.scenario import Scenario
from clustersim.sweepfile import TARGET_IDS, SweepError, SweepSpec

SWEEP_FORMAT = "clustersim-sweep"
SWEEP_FORMAT_VERSION = 1
PENDING, DONE, FAILED = 0, 1, 2   # runs/status
STATUS_NAMES = ["pending", "done", "failed"]


def _open_sweep(path: str, mode: str) -> h5py.File:
    return open_own_file(path, mode, kind="sweep", command="clustersim sweep",
                         file_format=SWEEP_FORMAT, version=SWEEP_FORMAT_VERSION)


def wilson_interval(successes: np.ndarray, n: np.ndarray, z: float = 1.959963984540054
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a binomial proportion (95 % by default); NaN where n = 0."""
    successes, n = np.asarray(successes, float), np.asarray(n, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = successes / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # Exact at the ends (0 successes: low 0; all: high 1), where rounding would stray.
    low = np.where(successes == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where(successes == n, 1.0, np.clip(centre + half, 0.0, 1.0))
    return low, high


def sobol_indices(problem: dict[str, Any], outputs: np.ndarray, *, seed: int = 1
                  ) -> pd.DataFrame:
    """First-order and total Sobol indices with 95 % confidence intervals (SALib, Saltelli
    design without second order), one row per input."""
    from SALib.analyze import sobol
    result = sobol.analyze(problem, np.asarray(outputs, float), calc_second_order=False,
                           conf_level=0.95, seed=seed)
    return pd.DataFrame({"S1": result["S1"], "S1_conf": result["S1_conf"], "ST": result["ST"],
                         "ST_conf": result["ST_conf"]},
                        index=pd.Index(problem["names"], name="input"))


class SweepResults:
    """A sweep file's contents. Each call reads what it needs; no handle stays open."""

    def __init__(self, path: str | os.PathLike):
        self.path = os.fspath(path)
        with _open_sweep(self.path, "r") as f:
            self.meta = {k: (v.decode() if isinstance(v, bytes) else v)
                         for k, v in f.attrs.items()}
            self.keys = json.loads(f["design"].attrs["keys"])
            self.years = [int(y) for y in f["years"][()]]
            self.replicates = int(f.attrs["replicates"])
            targets = f["outcomes/targets"].attrs if "outcomes/targets" in f else {}
            self._thresholds = json.loads(targets["thresholds"]) if "thresholds" in targets \
                else None
            self._target_year = int(targets["target_year"]) if "target_year" in targets else None

    @property
    def complete(self) -> bool:
        return bool(int(self.meta["complete"]))

    @property
    def target_year(self) -> int:
        """The policy's target year of the sweep's base scenario (``targets.year``)."""
        if self._target_year is None:
            return int(self.spec.base["targets.year"])
        return self._target_year

    def thresholds(self) -> dict[str, dict[str, Any]]:
        """Per target id, its ``threshold`` and ``comparison`` as the sweep judged them."""
        if self._thresholds is None:
            raise KeyError(f"{self.path}: the sweep kept no targets ([sweep.outcomes] targets "
                           "= false)")
        return self._thresholds

    @property
    def spec(self) -> SweepSpec:
        """The sweep as specified: the text and base scenario stored in the file."""
        base = Scenario.from_toml(self.meta["base_scenario_toml"], source=self.path)
        tree = tomllib.loads(self.meta["sweep_toml"])
        spec = SweepSpec.from_dict(tree.get("sweep"), source=self.meta["sweep_source"],
                                   base=base, root_keys=list(tree))
        spec.replicates = self.replicates
        return spec

    def design(self) -> pd.DataFrame:
        """The design points (rows) by the values they set; a ``scenario`` factor's column holds
        each point's scenario file by name (``levers-land``)."""
        with _open_sweep(self.path, "r") as f:
            points = f["design/points"][()]
        frame = pd.DataFrame(points, columns=self.keys,
                             index=pd.RangeIndex(len(points), name="point"))
        if "scenario" in frame.columns:
            names = self.scenario_names()
            frame["scenario"] = [names[int(round(x))] for x in frame["scenario"]]
        return frame

    def scenario_names(self) -> list[str]:
        """The files of a ``scenario`` factor by name (without folder and ``.toml``), in the
        order of its values; [] when the sweep compares no scenario files."""
        tree = tomllib.loads(self.meta["sweep_toml"]).get("sweep", {})
        for factor in tree.get("vary", []):
            if factor.get("key") == "scenario":
                return [os.path.splitext(os.path.basename(v))[0] for v in factor["values"]]
        return []

    def runs(self) -> pd.DataFrame:
        """One row per run: point, replicate, seed, status, attempts, wall_s, worker, error and
        the command that repeats it alone."""
        with _open_sweep(self.path, "r") as f:
            g = f["runs"]
            frame = pd.DataFrame({k: g[k][()] for k in g})
        for column in ("error", "worker", "command"):
            frame[column] = [x.decode() if isinstance(x, bytes) else x for x in frame[column]]
        frame["status"] = pd.Categorical.from_codes(frame["status"].astype(int), STATUS_NAMES)
        return frame.rename_axis("run")

    def outcome(self, name: str) -> pd.DataFrame:
        """One outcome for every run (rows) and year (columns): a target id, ``<id>_met``
        (-1 where the run is not done) or a series label (``zone.revenue_cny.december``)."""
        with _open_sweep(self.path, "r") as f:
            for group in ("outcomes/targets", "outcomes/series"):
                if group in f and name in f[group]:
                    values = f[f"{group}/{name}"][()]
                    break
            else:
                known = [n for g in ("outcomes/targets", "outcomes/series") if g in f
                         for n in f[g]]
                raise KeyError(f"outcome {name!r} is unknown; expected one of "
                               f"{', '.join(known)}")
        return pd.DataFrame(values, columns=pd.Index(self.years, name="year"),
                            index=pd.RangeIndex(len(values), name="run"))

    def target_probability(self, *, by: str = "by") -> pd.DataFrame:
        """P(target met) per design point, target and year over the point's finished runs,
        with the Wilson 95 % interval. ``by="by"``: met in that year or any earlier one (the
        policy's "by 2025"); ``by="in"``: met in that year."""
        if by not in ("by", "in"):
            raise ValueError(f"by={by!r}; expected 'by' or 'in'")
        runs = self.runs()
        done = (runs["status"] == "done").to_numpy()
        points = runs["point"].to_numpy()
        rows = []
        n_points = int(points.max()) + 1 if len(points) else 0
        for target in TARGET_IDS:
            met = self.outcome(f"{target}_met").to_numpy() == 1
            if by == "by":
                met = np.maximum.accumulate(met, axis=1)
            for p in range(n_points):
                mine = done & (points == p)
                n = int(mine.sum())
                k = met[mine].sum(axis=0)
                lo, hi = wilson_interval(k, np.full(len(self.years), n))
                for j, year in enumerate(self.years):
                    rows.append((p, target, year, n, int(k[j]),
                                 k[j] / n if n else np.nan, lo[j], hi[j]))
        frame = pd.DataFrame(rows, columns=["point", "target", "year", "runs", "met", "p",
                                            "low", "high"])
        return frame.set_index(["point", "target", "year"])

    def point_means(self, name: str, year: int) -> np.ndarray:
        """The mean over replicates of an outcome in a year, per design point (NaN where a
        point has no finished run)."""
        values = self.outcome(name)[year].to_numpy(dtype=float)
        runs = self.runs()
        done = (runs["status"] == "done").to_numpy()
        points = runs["point"].to_numpy()
        n_points = len(self.design())
        out = np.full(n_points, np.nan)
        for p in range(n_points):
            mine = done & (points == p)
            if mine.any():
                out[p] = values[mine].mean()
        return out

    def difference(self, name: str, year: int, *, reference: int = 0,
                   level: float = 0.95) -> pd.DataFrame:
        """Each design point's difference from the `reference` point in an outcome in a year,
        over finished runs, with a `level` t-interval: paired by replicate where the sweep gave
        every point's replicate r the same seed (``seeds = "per_replicate"``: common random
        numbers, the differences are then the factors' effects), Welch's unpaired interval
        otherwise. For ``<id>_met`` the outcome is "met by that year" (0/1), so the difference
        is one of probabilities. One row per point: runs compared, the reference's and the
        point's mean, the difference, its interval and whether it is paired."""
        from scipy import stats
        if year not in self.years:
            raise KeyError(f"year {year} is not in the sweep ({self.years[0]}-{self.years[-1]})")
        if not 0 < level < 1:
            raise ValueError(f"level={level!r}; expected a probability in (0, 1)")
        table = self.outcome(name)
        if name.endswith("_met"):
            table = (table == 1).cummax(axis=1).astype(float)
        values = table[year].to_numpy(dtype=float)
        runs = self.runs()
        done = (runs["status"] == "done").to_numpy()
        points, replicates = runs["point"].to_numpy(), runs["replicate"].to_numpy()
        n_points = len(self.design())
        if not 0 <= reference < n_points:
            raise IndexError(f"reference={reference}; expected a design point, 0 to "
                             f"{n_points - 1}")
        paired = tomllib.loads(self.meta["sweep_toml"]).get("sweep", {}).get(
            "seeds", "per_run") == "per_replicate"
        base = pd.Series(values[done & (points == reference)],
                         index=replicates[done & (points == reference)])
        rows = []
        for p in range(n_points):
            mine = pd.Series(values[done & (points == p)], index=replicates[done & (points == p)])
            if paired:
                common = base.index.intersection(mine.index)
                a, b = base[common].to_numpy(), mine[common].to_numpy()
                d = b - a
                n = len(d)
                se = d.std(ddof=1) / np.sqrt(n) if n > 1 else np.nan
                df = n - 1
            else:
                a, b = base.to_numpy(), mine.to_numpy()
                n = min(len(a), len(b))
                va = a.var(ddof=1) / len(a) if len(a) > 1 else np.nan
                vb = b.var(ddof=1) / len(b) if len(b) > 1 else np.nan
                se = np.sqrt(va + vb)
                # Welch-Satterthwaite degrees of freedom (a zero variance on both sides: any).
                df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1)) \
                    if n > 1 and va + vb > 0 else max(len(a) + len(b) - 2, 1)
            mean = float(b.mean() - a.mean()) if n else np.nan
            half = float(stats.t.ppf(0.5 + level / 2, df) * se) if n > 1 else np.nan
            rows.append((p, n, float(a.mean()) if len(a) else np.nan,
                         float(b.mean()) if len(b) else np.nan, mean, mean - half,
                         mean + half, paired))
        return pd.DataFrame(rows, columns=["point", "runs", "reference_mean", "mean",
                                           "difference", "low", "high", "paired"]
                            ).set_index("point")

    def sensitivity(self, outcome: str, year: int, *, seed: int = 1) -> pd.DataFrame:
        """Sobol indices (first order, total, 95 % intervals) of the varied inputs on an
        outcome in a year, from a ``saltelli`` design (the replicates' mean per point)."""
        if self.meta["design"] != "saltelli":
            raise SweepError(f"{self.path}: Sobol indices need a saltelli design; this sweep's "
                             f"design is {self.meta['design']}")
        if year not in self.years:
            raise KeyError(f"year {year} is not in the sweep ({self.years[0]}-{self.years[-1]})")
        y = self.point_means(outcome, year)
        if np.isnan(y).any():
            raise SweepError(f"{self.path}: {int(np.isnan(y).sum())} design points have no "
                             "finished run; finish the sweep (re-run it) first")
        with _open_sweep(self.path, "r") as f:
            problem = json.loads(f["design"].attrs["problem"])
        return sobol_indices(problem, y, seed=seed)

    def __repr__(self) -> str:
        runs = self.runs()
        counts = runs["status"].value_counts()
        return (f"<SweepResults {self.path}: {len(runs)} runs ({counts.get('done', 0)} done, "
                f"{counts.get('failed', 0)} failed)>")


def load_sweep(path: str | os.PathLike) -> SweepResults:
    return SweepResults(path)


__all__ = ["DONE", "FAILED", "PENDING", "STATUS_NAMES", "SWEEP_FORMAT", "SWEEP_FORMAT_VERSION",
           "SweepResults", "load_sweep", "sobol_indices", "wilson_interval"]
