"""Sweep files: a base scenario, the factors to vary, a design, replicates and the outcomes to
keep (docs/sweeps.md). Description only: nothing here runs a simulation."""

from __future__ import annotations

import itertools
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from clustersim import _core
from clustersim._files import decode_input, read_input
from clustersim.errors import ScenarioError
from clustersim.scenario import Scenario, _flatten, parameters

DESIGNS = ("full_factorial", "latin_hypercube", "saltelli", "points")
DISTRIBUTIONS = ("uniform", "loguniform", "normal", "triangular")
REDUCTIONS = ("december", "sum", "mean")
TARGET_IDS = [t["id"] for t in _core.target_catalogue()]
_SPECS = {p["key"]: p for p in parameters()}
_SWEEP_KEYS = {"name", "description", "base", "seed", "seeds", "replicates", "design", "samples",
               "until", "vary", "set", "points", "outcomes", "keep_runs"}
SEEDINGS = ("per_run", "per_replicate")


class SweepError(ScenarioError):
    """A sweep file (or design) is invalid; nothing was run."""


@dataclass(frozen=True)
class Factor:
    """One input varied by the design: discrete values, or a distribution over a range."""
    key: str
    values: tuple[Any, ...] | None = None
    distribution: str = "uniform"
    low: float | None = None     # uniform, loguniform, triangular
    high: float | None = None
    mode: float | None = None    # triangular
    mean: float | None = None    # normal
    sd: float | None = None
    integer: bool = False

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        """Maps uniform [0, 1) draws to this factor's distribution (inverse CDF)."""
        from scipy import stats
        if self.distribution == "uniform":
            x = self.low + u * (self.high - self.low)
        elif self.distribution == "loguniform":
            x = np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low)))
        elif self.distribution == "normal":
            x = stats.norm.ppf(u, loc=self.mean, scale=self.sd)
        else:
            c = (self.mode - self.low) / (self.high - self.low)
            x = stats.triang.ppf(u, c, loc=self.low, scale=self.high - self.low)
        return np.round(x) if self.integer else x


@dataclass(frozen=True)
class SeriesOutcome:
    """A series kept per run and year: December's value, or the year's sum or mean."""
    level: str
    name: str
    reduce: str = "december"
    column: str | None = None    # a sector (or round...) column; None: the sum over columns

    @property
    def label(self) -> str:
        column = f".{self.column}" if self.column else ""
        return f"{self.level}.{self.name}{column}.{self.reduce}"


@dataclass
class SweepSpec:
    """A validated sweep: every run is the base scenario with one design point set."""
    name: str
    base: Scenario
    factors: list[Factor]
    design: str = "full_factorial"
    samples: int = 0
    explicit_points: list[list[float]] = field(default_factory=list)
    replicates: int = 1
    seed: int = 1
    until: int | None = None
    targets: bool = True
    series: list[SeriesOutcome] = field(default_factory=list)
    keep_runs: bool = False
    seeds: str = "per_run"   # per_replicate: common random numbers across design points
    source: str = "<sweep>"
    text: str = ""
    base_source: str = ""
    check_keys: bool = True

    # --- construction
    @classmethod
    def load(cls, path: str | os.PathLike) -> SweepSpec:
        path = os.fspath(path)
        return cls.from_toml(read_input(path, SweepError, "sweep"), source=path)

    @classmethod
    def from_toml(cls, text: str | bytes, *, source: str = "<string>") -> SweepSpec:
        if isinstance(text, bytes):
            text = decode_input(text, source, SweepError, "a TOML sweep file")
        try:
            tree = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise SweepError(f"{source}: malformed TOML: {error}", file=source) from None
        spec = cls.from_dict(tree.get("sweep") if "sweep" in tree else None, source=source,
                             root_keys=list(tree))
        spec.text = text
        return spec

    @classmethod
    def from_dict(cls, tree: Mapping[str, Any] | None, *, source: str = "<dict>",
                  root_keys: list[str] | None = None, base: Scenario | None = None,
                  check_keys: bool = True) -> SweepSpec:
        """From the ``[sweep]`` table as a dict. ``base`` replaces the ``base`` file (Python use);
        ``check_keys=False`` allows factors that are not model parameters (custom runners)."""
        def fail(key: str, value: Any, expected: str) -> SweepError:
            return SweepError(f"{source}: key 'sweep.{key}': value {value!r} is invalid; "
                              f"expected {expected}", file=source, key=f"sweep.{key}",
                              value=repr(value), expected=expected)
        if tree is None or not isinstance(tree, Mapping):
            raise SweepError(f"{source}: no [sweep] table; expected a sweep file with a [sweep] "
                             "table (docs/sweeps.md)", file=source)
        extra = [k for k in (root_keys or []) if k != "sweep"]
        if extra:
            raise SweepError(f"{source}: unknown top-level key {extra[0]!r}; expected everything "
                             "under [sweep]", file=source, key=extra[0])
        unknown = [k for k in tree if k not in _SWEEP_KEYS]
        if unknown:
            raise fail(unknown[0], tree[unknown[0]],
                       f"one of the sweep keys ({', '.join(sorted(_SWEEP_KEYS))})")

        def integer(key: str, default: int, low: int, high: int) -> int:
            value = tree.get(key, default)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise fail(key, value, f"an integer in [{low}, {high}]")
            return value

        # The base scenario, with the sweep's fixed settings on top.
        base_source = ""
        if base is None:
            if "base" not in tree or not isinstance(tree["base"], str):
                raise fail("base", tree.get("base"), "the path of a scenario file (relative to "
                           "the sweep file)")
            here = os.path.dirname(os.path.abspath(source)) if os.path.exists(source) else "."
            base_source = os.path.normpath(os.path.join(here, tree["base"]))
            try:
                base = Scenario.load(base_source)
            except ScenarioError as error:
                raise SweepError(f"{source}: key 'sweep.base': {error}", file=source,
                                 key="sweep.base", value=error.value,
                                 expected=error.expected) from None
        else:
            base = base.copy()
        fixed = tree.get("set", {})
        if not isinstance(fixed, Mapping):
            raise fail("set", fixed, "a table of scenario keys and values")
        try:
            flat = dict(_flatten(fixed))
            Scenario.from_dict(flat)   # checked without a file: the values are the sweep file's
            for key, value in flat.items():
                base[key] = value
        except ScenarioError as error:
            raise SweepError(f"{source}: [sweep.set]: {error}", file=source, key=error.key,
                             value=error.value, expected=error.expected) from None

        design = tree.get("design", "full_factorial")
        if design not in DESIGNS:
            raise fail("design", design, f"one of {', '.join(DESIGNS)}")
        vary = tree.get("vary", [])
        if not isinstance(vary, list) or not all(isinstance(v, Mapping) for v in vary):
            raise fail("vary", vary, "an array of tables ([[sweep.vary]] key = ..., values or "
                       "a range)")
        factors = [_factor(v, i, design, source, base, check_keys) for i, v in enumerate(vary)]
        keys = [f.key for f in factors]
        if len(set(keys)) != len(keys):
            dup = next(k for k in keys if keys.count(k) > 1)
            raise fail("vary", dup, "each key varied once")
        replicates = integer("replicates", 1, 1, 1_000_000)
        seed = integer("seed", 1, 0, 2**63 - 1)
        samples = integer("samples", 0, 0, 10_000_000)
        if design in ("latin_hypercube", "saltelli") and samples < 1:
            raise fail("samples", tree.get("samples"), f"a positive number of samples for the "
                       f"{design} design")
        if design in ("latin_hypercube", "saltelli") and not factors:
            raise fail("vary", vary, f"at least one factor for the {design} design")
        points = tree.get("points", [])
        if design == "points":
            if (not isinstance(points, list) or not points or
                    not all(isinstance(p, list) and len(p) == len(factors) for p in points)):
                raise fail("points", points, f"a non-empty list of points, each a list of "
                           f"{len(factors)} values (one per [[sweep.vary]] key, in order)")
        until = tree.get("until")
        if until is not None and (isinstance(until, bool) or not isinstance(until, int)
                                  or not _core.base_year <= until <= base["horizon_year"]):
            raise fail("until", until, f"a year in [{_core.base_year}, {base['horizon_year']}] "
                       "(the base scenario's horizon)")
        targets, series = _outcomes(tree.get("outcomes", {}), source, fail)
        keep_runs = tree.get("keep_runs", False)
        if not isinstance(keep_runs, bool):
            raise fail("keep_runs", keep_runs, "true or false")
        seeds = tree.get("seeds", "per_run")
        if seeds not in SEEDINGS:
            raise fail("seeds", seeds, f"one of {', '.join(SEEDINGS)}")
        name = tree.get("name", "sweep")
        if not isinstance(name, str):
            raise fail("name", name, "a string")
        spec = cls(name=name, base=base, factors=factors, design=design, samples=samples,
                   explicit_points=[list(p) for p in points] if design == "points" else [],
                   replicates=replicates, seed=seed, until=until, targets=targets, series=series,
                   keep_runs=keep_runs, seeds=seeds, source=source, base_source=base_source,
                   check_keys=check_keys)
        if check_keys:
            for point in spec.points()[:1]:
                spec.scenario_for(point).validate()  # cross-field checks on a first point
        return spec

    # --- the design
    def problem(self) -> dict[str, Any]:
        """The SALib problem of the factors (loguniform factors are sampled in log space)."""
        bounds, dists = [], []
        for f in self.factors:
            if f.distribution == "uniform":
                bounds.append([f.low, f.high])
                dists.append("unif")
            elif f.distribution == "loguniform":
                bounds.append([float(np.log(f.low)), float(np.log(f.high))])
                dists.append("unif")
            elif f.distribution == "normal":
                bounds.append([f.mean, f.sd])
                dists.append("norm")
            else:
                bounds.append([f.low, f.high, (f.mode - f.low) / (f.high - f.low)])
                dists.append("triang")
        return {"num_vars": len(self.factors), "names": [f.key for f in self.factors],
                "bounds": bounds, "dists": dists}

    def points(self) -> np.ndarray:
        """The design points (rows) over the factors (columns), in run order."""
        n = len(self.factors)
        if self.design == "points":
            return np.array(self.explicit_points, dtype=float).reshape(-1, n)
        if self.design == "full_factorial":
            if not self.factors:
                return np.zeros((1, 0))
            return np.array(list(itertools.product(*(f.values for f in self.factors))),
                            dtype=float)
        if self.design == "latin_hypercube":
            from scipy.stats import qmc
            unit = qmc.LatinHypercube(d=n, seed=self.seed).random(self.samples)
            return np.column_stack([f.from_unit(unit[:, j]) for j, f in enumerate(self.factors)])
        from SALib.sample import sobol
        raw = sobol.sample(self.problem(), self.samples, calc_second_order=False,
                           seed=self.seed)
        for j, f in enumerate(self.factors):
            if f.distribution == "loguniform":
                raw[:, j] = np.exp(raw[:, j])
            if f.integer:
                raw[:, j] = np.round(raw[:, j])
        return raw

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.factors]

    def overrides(self, point: np.ndarray) -> dict[str, Any]:
        """The scenario values of one design point, in the parameters' own types."""
        out = {}
        for f, x in zip(self.factors, point, strict=True):
            spec = _SPECS.get(f.key)
            if spec is not None and spec["type"] == "integer":
                out[f.key] = int(round(float(x)))
            elif spec is not None and spec["type"] == "boolean":
                out[f.key] = bool(x)
            else:
                out[f.key] = float(x)
        return out

    def scenario_for(self, point: np.ndarray) -> Scenario:
        scenario = self.base.copy()
        for key, value in self.overrides(point).items():
            scenario[key] = value
        return scenario

    # --- runs
    def run_seed(self, run: int) -> int:
        """The seed of run ``run``: from the sweep seed and the run index alone, so that a run
        can be repeated on its own (``clustersim run ... --seed``). With ``seeds =
        "per_replicate"`` every design point's replicate r gets the same seed (common random
        numbers: differences between points are then the factors' effects, not noise)."""
        index = run % self.replicates if self.seeds == "per_replicate" else run
        state = np.random.SeedSequence([self.seed, index]).generate_state(2, dtype=np.uint32)
        return int(state[0]) << 32 | int(state[1])

    def set_values(self) -> dict[str, Any]:
        """The values of ``[sweep.set]``, flattened to scenario keys."""
        return _set_values(self)

    def command(self, run: int, point: np.ndarray, sets: dict[str, Any] | None = None) -> str:
        """The ``clustersim run`` command that repeats run ``run`` alone (``sets``: the
        ``set_values()``, when the caller has them already)."""
        base = self.base_source or "<base scenario>"
        fixed = self.set_values() if sets is None else sets
        sets = " ".join(f"--set {k}={_toml_value(v)}"
                        for k, v in {**fixed, **self.overrides(point)}.items())
        until = f" --until {self.until}" if self.until is not None else ""
        return (f"clustersim run {base} -o run-{run}.h5 --seed {self.run_seed(run)} --threads 1"
                f"{until} {sets}").rstrip()

    def years(self) -> list[int]:
        last = self.until if self.until is not None else int(self.base["horizon_year"])
        return list(range(_core.base_year, last + 1))


def _set_values(spec: SweepSpec) -> dict[str, Any]:
    """The base scenario's values that the sweep's [sweep.set] changed, flattened."""
    if not spec.text:
        return {}
    return dict(_flatten(tomllib.loads(spec.text).get("sweep", {}).get("set", {})))


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def _factor(table: Mapping[str, Any], index: int, design: str, source: str, base: Scenario,
            check_keys: bool) -> Factor:
    where = f"sweep.vary[{index}]"

    def fail(key: str, value: Any, expected: str) -> SweepError:
        return SweepError(f"{source}: key '{where}.{key}': value {value!r} is invalid; expected "
                          f"{expected}", file=source, key=f"{where}.{key}", value=repr(value),
                          expected=expected)
    allowed = {"key", "values", "range", "distribution", "mode", "mean", "sd"}
    unknown = [k for k in table if k not in allowed]
    if unknown:
        raise fail(unknown[0], table[unknown[0]], f"one of {', '.join(sorted(allowed))}")
    key = table.get("key")
    if not isinstance(key, str):
        raise fail("key", key, "a scenario key, e.g. \"policy.land.supply.intensity\"")
    spec = _SPECS.get(key)
    if check_keys and spec is None:
        import difflib
        close = difflib.get_close_matches(key, list(_SPECS), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise fail("key", key, f"a known scenario key{hint}")
    if check_keys and spec["type"] not in ("number", "integer", "boolean"):
        raise fail("key", key, "a number, integer or boolean parameter (lists and strings "
                   "cannot be varied)")
    integer = bool(spec and spec["type"] == "integer")

    def check_value(value: Any) -> None:
        if check_keys:
            try:
                base.copy()[key] = int(round(value)) if integer and isinstance(value, float) \
                    else value
            except ScenarioError as error:
                raise fail("values" if "values" in table else "range", value,
                           error.expected or "a valid value") from None

    if "values" in table:
        values = table["values"]
        if not isinstance(values, list) or not values:
            raise fail("values", values, "a non-empty list of values")
        for v in values:
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                if not (isinstance(v, bool) and spec and spec["type"] == "boolean"):
                    raise fail("values", v, "numbers")
            check_value(v)
        if design in ("latin_hypercube", "saltelli"):
            raise fail("values", values, f"a range (the {design} design samples a "
                       "distribution)")
        return Factor(key, values=tuple(values), integer=integer)
    if design in ("full_factorial",):
        raise fail("values", None, "a list of values (the full_factorial design crosses them)")
    if design == "points":
        return Factor(key, integer=integer)
    distribution = table.get("distribution", "uniform")
    if distribution not in DISTRIBUTIONS:
        raise fail("distribution", distribution, f"one of {', '.join(DISTRIBUTIONS)}")
    if distribution == "normal":
        mean, sd = table.get("mean"), table.get("sd")
        if not isinstance(mean, (int, float)) or isinstance(mean, bool):
            raise fail("mean", mean, "a number (the normal distribution's mean)")
        if not isinstance(sd, (int, float)) or isinstance(sd, bool) or not sd > 0:
            raise fail("sd", sd, "a positive number (the normal distribution's sd)")
        return Factor(key, distribution="normal", mean=float(mean), sd=float(sd), integer=integer)
    bounds = table.get("range")
    if (not isinstance(bounds, list) or len(bounds) != 2
            or not all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in bounds)
            or not bounds[0] < bounds[1]):
        raise fail("range", bounds, "[low, high] with low < high")
    low, high = float(bounds[0]), float(bounds[1])
    if distribution == "loguniform" and low <= 0:
        raise fail("range", bounds, "a positive low bound for the loguniform distribution")
    for b in (low, high):
        check_value(b)
    mode = None
    if distribution == "triangular":
        mode = table.get("mode")
        if not isinstance(mode, (int, float)) or isinstance(mode, bool) or not low <= mode <= high:
            raise fail("mode", mode, f"a number in [{low}, {high}]")
        mode = float(mode)
    return Factor(key, distribution=distribution, low=low, high=high, mode=mode, integer=integer)


def _outcomes(table: Any, source: str, fail) -> tuple[bool, list[SeriesOutcome]]:
    if not isinstance(table, Mapping):
        raise fail("outcomes", table, "a table (targets = true, series = [...])")
    unknown = [k for k in table if k not in ("targets", "series")]
    if unknown:
        raise fail(f"outcomes.{unknown[0]}", table[unknown[0]], "targets or series")
    targets = table.get("targets", True)
    if not isinstance(targets, bool):
        raise fail("outcomes.targets", targets, "true or false")
    series = []
    city = {s["name"] for s in _core.city_series_catalogue()}
    park = {s["name"]: s for s in _core.series_catalogue()}
    for i, item in enumerate(table.get("series", [])):
        if not isinstance(item, Mapping):
            raise fail(f"outcomes.series[{i}]", item, "a table {level, name, reduce, column}")
        level, name = item.get("level", "zone"), item.get("name")
        reduce, column = item.get("reduce", "december"), item.get("column")
        if level not in ("zone", "city"):
            raise fail(f"outcomes.series[{i}].level", level, "zone or city")
        known = city if level == "city" else {n for n, s in park.items() if s["summable"]}
        if name not in known:
            raise fail(f"outcomes.series[{i}].name", name, f"a {level} series "
                       f"({', '.join(sorted(known))})")
        if reduce not in REDUCTIONS:
            raise fail(f"outcomes.series[{i}].reduce", reduce, f"one of {', '.join(REDUCTIONS)}")
        if column is not None and not isinstance(column, str):
            raise fail(f"outcomes.series[{i}].column", column, "a column name (e.g. \"IC\")")
        series.append(SeriesOutcome(level, name, reduce, column))
    if not targets and not series:
        raise fail("outcomes", table, "at least one outcome (targets = true or a series)")
    return targets, series
