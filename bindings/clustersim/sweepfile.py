"""Sweep files: a base scenario, the factors to vary, a design, replicates and the outcomes to
keep (docs/sweeps.md). Description only: nothing here runs a simulation."""

from __future__ import annotations

import itertools
import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from clustersim import _core
from clustersim._common import did_you_mean, value_error
from clustersim._files import decode_input, read_input
from clustersim._schema import REQUIRED, Field, Schema
from clustersim.errors import ScenarioError
from clustersim.scenario import Scenario, _flatten, parameters

DESIGNS = ("full_factorial", "latin_hypercube", "saltelli", "points")
# "prior": the parameter's own prior (parameters()' `prior`, docs/levers.md), as uniform, normal
# or lognormal; "lognormal" is reached only that way.
DISTRIBUTIONS = ("uniform", "loguniform", "normal", "triangular", "prior")
REDUCTIONS = ("december", "sum", "mean")
TARGET_IDS = [t["id"] for t in _core.target_catalogue()]
_SPECS = {p["key"]: p for p in parameters()}
SEEDINGS = ("per_run", "per_replicate")

# The keys of a sweep file's tables (docs/sweeps.md), checked by _schema.
SWEEP_SCHEMA = Schema(
    Field("name", "string", default="sweep", description="the sweep's name"),
    Field("description", "any", default=None, description="free text"),
    Field("base", "string", expected="the path of a scenario file (relative to the sweep file)",
          description="the base scenario file, relative to the sweep file"),
    Field("seed", "integer", default=1, low=0, high=2**63 - 1,
          description="the sweep's seed: every run's seed derives from it and the run index"),
    Field("seeds", "choice", default="per_run", choices=SEEDINGS,
          description="per_replicate: common random numbers across design points"),
    Field("replicates", "integer", default=1, low=1, high=1_000_000,
          description="runs per design point"),
    Field("design", "choice", default="full_factorial", choices=DESIGNS,
          description="how design points are chosen"),
    Field("samples", "integer", default=0, low=0, high=10_000_000,
          description="samples of the latin_hypercube and saltelli designs"),
    Field("until", "integer", default=None, low=_core.base_year,
          expected="a year in [{low}, {high}] (the base scenario's horizon)",
          description="the last year simulated (default: the base scenario's horizon)"),
    Field("vary", "tables", default=[],
          expected="an array of tables ([[sweep.vary]] key = ..., values or a range)",
          description="the factors ([[sweep.vary]])"),
    Field("set", "table", default={}, expected="a table of scenario keys and values",
          description="scenario values fixed for every run ([sweep.set])"),
    Field("points", "any", default=[],
          description="the points design's points, one list of values per point"),
    Field("outcomes", "table", default={},
          expected="a table (targets = true, series = [...])",
          description="what is kept per run and year ([sweep.outcomes])"),
    Field("keep_runs", "boolean", default=False,
          description="keep every run's results file in <output>.runs"),
    unknown="one of the sweep keys ({keys})")
FACTOR_SCHEMA = Schema(
    Field("key", "string", expected="a scenario key, e.g. \"policy.land.supply.intensity\"",
          description="the scenario key varied"),
    Field("values", "list", nonempty=True, expected="a non-empty list of values",
          description="discrete values (full_factorial, points)"),
    Field("range", "range", description="[low, high] of the distribution"),
    Field("distribution", "choice", default="uniform", choices=DISTRIBUTIONS,
          description="sampled distribution (latin_hypercube, saltelli)"),
    Field("mode", "number", expected="a number in [{low}, {high}]",
          description="the triangular distribution's mode"),
    Field("mean", "number", expected="a number (the normal distribution's mean)",
          description="the normal distribution's mean"),
    Field("sd", "number", positive=True,
          expected="a positive number (the normal distribution's sd)",
          description="the normal distribution's standard deviation"))
OUTCOMES_SCHEMA = Schema(
    Field("targets", "boolean", default=True, description="the targets of docs/policy.md"),
    Field("series", "any", default=[], description="series kept per year (tables)"),
    unknown="targets or series")
SERIES_OUTCOME_SCHEMA = Schema(   # undeclared keys of a series table are ignored
    Field("level", "choice", default="zone", choices=("zone", "city"), expected="zone or city",
          description="a zone or a city series"),
    Field("name", "choice", default=REQUIRED, expected="a {level} series ({choices})",
          description="the series (a summable one at level zone); choices known when read"),
    Field("reduce", "choice", default="december", choices=REDUCTIONS,
          description="December's value, or the year's sum or mean"),
    Field("column", "string", default=None, expected="a column name (e.g. \"IC\")",
          description="one column (a sector...); default: the sum over columns"))


# A varied or calibrated parameter is a number or integer key, or one element of a list of
# numbers:
# ``city.outside_growth[0]`` (0-based, within the base scenario's list).
_ELEMENT = re.compile(r"^(?P<key>[a-z0-9_.]+)\[(?P<index>[0-9]+)\]$")


def points_sweep_lines(name: str, base: str, points: list[list[float]], *, replicates: int,
                       seed: int, until: int | None, scale: float | None) -> list[str]:
    """The head of a generated sweep file with the "points" design and common random numbers,
    up to and including `[sweep.set]` (the outlook's and the screening's): the caller adds its
    factors and outcomes."""
    lines = ["[sweep]", f'name = "{name}"', f"base = {json.dumps(base)}", 'design = "points"',
             f"replicates = {replicates}", 'seeds = "per_replicate"', f"seed = {seed}"]
    if until is not None:
        lines.append(f"until = {until}")
    lines.append("points = [" + ", ".join("[" + ", ".join(repr(x) for x in p) + "]"
                                          for p in points) + "]")
    lines.append("[sweep.set]")
    if scale is not None:
        lines.append(f"scale = {scale!r}")
    return lines


def split_element(name: str) -> tuple[str, int | None]:
    """``"city.outside_growth[0]"`` -> ``("city.outside_growth", 0)``; a plain key ->
    ``(key, None)``."""
    match = _ELEMENT.match(name)
    return (match["key"], int(match["index"])) if match else (name, None)


def set_parameter(scenario: Scenario, name: str, value: float) -> None:
    """Sets a varied or calibrated parameter (a key, or a list element: the rest of the list is kept) on
    ``scenario``, validated like any scenario value; integers are rounded."""
    key, index = split_element(name)
    if index is None:
        scenario[key] = int(round(value)) if _SPECS[key]["type"] == "integer" else float(value)
        return
    values = list(scenario[key])
    values[index] = float(value)
    scenario[key] = values


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
    mean: float | None = None    # normal; lognormal: of the log
    sd: float | None = None
    integer: bool = False
    # key = "scenario": whole scenario files compared (paths as written); the design holds the
    # index of each point's file in this list.
    scenarios: tuple[str, ...] = ()

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        """Maps uniform [0, 1) draws to this factor's distribution (inverse CDF)."""
        from scipy import stats
        if self.distribution == "uniform":
            x = self.low + u * (self.high - self.low)
        elif self.distribution == "loguniform":
            x = np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low)))
        elif self.distribution == "normal":
            x = stats.norm.ppf(u, loc=self.mean, scale=self.sd)
        elif self.distribution == "lognormal":
            x = np.exp(stats.norm.ppf(u, loc=self.mean, scale=self.sd))
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
    # The scenarios of a `key = "scenario"` factor, loaded (with [sweep.set] on top), and their
    # files: a point's run starts from its scenario instead of `base`.
    choices: list[Scenario] = field(default_factory=list)
    choice_sources: list[str] = field(default_factory=list)

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
        fail = value_error(SweepError, source, "sweep.")
        if tree is None or not isinstance(tree, Mapping):
            raise SweepError(f"{source}: no [sweep] table; expected a sweep file with a [sweep] "
                             "table (docs/sweeps.md)", file=source)
        extra = [k for k in (root_keys or []) if k != "sweep"]
        if extra:
            raise SweepError(f"{source}: unknown top-level key {extra[0]!r}; expected everything "
                             "under [sweep]", file=source, key=extra[0])
        SWEEP_SCHEMA.check_unknown(tree, fail)

        def get(key: str, **context: Any) -> Any:
            return SWEEP_SCHEMA.get(tree, key, fail, **context)

        # The base scenario, with the sweep's fixed settings on top.
        base_source = ""
        if base is None:
            here = os.path.dirname(os.path.abspath(source)) if os.path.exists(source) else "."
            base_source = os.path.normpath(os.path.join(here, get("base")))
            try:
                base = Scenario.load(base_source)
            except ScenarioError as error:
                raise SweepError(f"{source}: key 'sweep.base': {error}", file=source,
                                 key="sweep.base", value=error.value,
                                 expected=error.expected) from None
        else:
            base = base.copy()
        fixed = get("set")
        try:
            flat = dict(_flatten(fixed))
            Scenario.from_dict(flat)   # checked without a file: the values are the sweep file's
            for key, value in flat.items():
                base[key] = value
        except ScenarioError as error:
            raise SweepError(f"{source}: [sweep.set]: {error}", file=source, key=error.key,
                             value=error.value, expected=error.expected) from None

        design = get("design")
        vary = get("vary")
        factors = [_factor(v, i, design, source, base, check_keys) for i, v in enumerate(vary)]
        keys = [f.key for f in factors]
        if len(set(keys)) != len(keys):
            dup = next(k for k in keys if keys.count(k) > 1)
            raise fail("vary", dup, "each key varied once")
        choices, choice_sources = [], []
        for index, factor in enumerate(factors):
            if factor.scenarios:
                choice_sources, choices = _scenario_choices(factor, index, source, flat, base,
                                                            get("until"))
        replicates = get("replicates")
        seed = get("seed")
        samples = get("samples")
        if design in ("latin_hypercube", "saltelli") and samples < 1:
            raise fail("samples", tree.get("samples"), f"a positive number of samples for the "
                       f"{design} design")
        if design in ("latin_hypercube", "saltelli") and not factors:
            raise fail("vary", vary, f"at least one factor for the {design} design")
        points = get("points")
        if design == "points":
            if (not isinstance(points, list) or not points or
                    not all(isinstance(p, list) and len(p) == len(factors) for p in points)):
                raise fail("points", points, f"a non-empty list of points, each a list of "
                           f"{len(factors)} values (one per [[sweep.vary]] key, in order)")
            for j, factor in enumerate(factors):
                files = len(factor.scenarios)
                if files and not all(isinstance(p[j], (int, float)) and float(p[j]).is_integer()
                                     and 0 <= p[j] < files for p in points):
                    raise fail("points", points, f"the scenario factor's value of each point "
                               f"(column {j + 1}) as the index of its file, 0 to {files - 1}")
        until = get("until", high=base["horizon_year"])
        targets, series = _outcomes(get("outcomes"), source)
        keep_runs = get("keep_runs")
        seeds = get("seeds")
        name = get("name")
        spec = cls(name=name, base=base, factors=factors, design=design, samples=samples,
                   explicit_points=[list(p) for p in points] if design == "points" else [],
                   replicates=replicates, seed=seed, until=until, targets=targets, series=series,
                   keep_runs=keep_runs, seeds=seeds, source=source, base_source=base_source,
                   check_keys=check_keys, choices=choices, choice_sources=choice_sources)
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
            elif f.distribution == "lognormal":   # SALib's lognorm: the log's mean and sd
                bounds.append([f.mean, f.sd])
                dists.append("lognorm")
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
        """The scenario values of one design point, in the parameters' own types (a
        ``scenario`` factor chooses the scenario instead: ``scenario_for``)."""
        out = {}
        for f, x in zip(self.factors, point, strict=True):
            if f.scenarios:
                continue
            spec = _SPECS.get(f.key)
            if spec is not None and spec["type"] == "integer":
                out[f.key] = int(round(float(x)))
            elif spec is not None and spec["type"] == "boolean":
                out[f.key] = bool(x)
            else:
                out[f.key] = float(x)
        return out

    def choice(self, point: np.ndarray) -> int | None:
        """The index of the point's scenario file (a ``scenario`` factor), or None."""
        for f, x in zip(self.factors, point, strict=True):
            if f.scenarios:
                return int(round(float(x)))
        return None

    def scenario_for(self, point: np.ndarray) -> Scenario:
        choice = self.choice(point)
        scenario = (self.base if choice is None else self.choices[choice]).copy()
        for key, value in self.overrides(point).items():
            if split_element(key)[1] is None:
                scenario[key] = value
            else:
                set_parameter(scenario, key, value)
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
        choice = self.choice(point)
        base = (self.choice_sources[choice] if choice is not None
                else self.base_source or "<base scenario>")
        fixed = self.set_values() if sets is None else sets
        varied = self.overrides(point)
        lists = {split_element(k)[0] for k in varied if split_element(k)[1] is not None}
        if lists:   # list elements are set as whole lists (--set takes keys, not elements)
            scenario = self.scenario_for(point)
            varied = {k: v for k, v in varied.items() if split_element(k)[1] is None}
            varied.update({name: list(scenario[name]) for name in sorted(lists)})
        sets = " ".join(f"--set {k}={_toml_value(v)}" for k, v in {**fixed, **varied}.items())
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
    if isinstance(value, (list, tuple)):   # no spaces: one shell word
        return "[" + ",".join(_toml_value(v) for v in value) + "]"
    return repr(value)


def _factor(table: Mapping[str, Any], index: int, design: str, source: str, base: Scenario,
            check_keys: bool) -> Factor:
    fail = value_error(SweepError, source, f"sweep.vary[{index}].")
    FACTOR_SCHEMA.check_unknown(table, fail)

    def get(name: str, **context: Any) -> Any:
        return FACTOR_SCHEMA.get(table, name, fail, **context)
    key = get("key")
    if key == "scenario":
        # Whole scenario files compared: crossed with the other factors, never sampled.
        values = get("values") if "values" in table else None
        if design not in ("full_factorial", "points"):
            raise fail("key", key, "a scenario factor in the full_factorial or points design "
                       "only (its values are files, not numbers to sample)")
        if (not values or not all(isinstance(v, str) and v.strip() for v in values)
                or len(set(values)) != len(values)):
            raise fail("values", values, "a list of different scenario files (paths relative "
                       "to the sweep file)")
        return Factor(key, values=tuple(range(len(values))), integer=True,
                      scenarios=tuple(values))
    name, element = split_element(key)
    spec = _SPECS.get(name)
    if check_keys and spec is None:
        raise fail("key", key, f"a known scenario key{did_you_mean(name, _SPECS)}")
    if check_keys and element is not None:
        # One element of a list of numbers (`city.outside_growth[0]`); the rest is kept.
        length = len(base[name]) if spec["type"] == "list of numbers" else 0
        if element >= length:
            raise fail("key", key, f"an element of a list of numbers within its length "
                       f"({name} has {length})")
        spec = {**spec, "type": "number"}
    elif check_keys and spec["type"] not in ("number", "integer", "boolean"):
        raise fail("key", key, "a number, integer or boolean parameter (lists and strings "
                   "cannot be varied)")
    integer = bool(spec and spec["type"] == "integer")

    def check_value(value: Any) -> None:
        if check_keys:
            try:
                if element is not None:
                    set_parameter(base.copy(), key, value)
                    return
                base.copy()[key] = int(round(value)) if integer and isinstance(value, float) \
                    else value
            except ScenarioError as error:
                raise fail("values" if "values" in table else "range", value,
                           error.expected or "a valid value") from None

    if "values" in table:
        values = get("values")
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
    distribution = get("distribution")
    if distribution == "prior":
        factor = prior_factor(key) if element is None else None
        if factor is None:
            raise fail("distribution", distribution, "a parameter with a prior (the lever "
                       "effects and costs, docs/levers.md); this one has none: give a range")
        return factor
    if distribution == "normal":
        mean, sd = get("mean"), get("sd")
        return Factor(key, distribution="normal", mean=float(mean), sd=float(sd), integer=integer)
    bounds = get("range")
    low, high = float(bounds[0]), float(bounds[1])
    if distribution == "loguniform" and low <= 0:
        raise fail("range", bounds, "a positive low bound for the loguniform distribution")
    for b in (low, high):
        check_value(b)
    mode = None
    if distribution == "triangular":
        mode = float(get("mode", low=low, high=high))
    return Factor(key, distribution=distribution, low=low, high=high, mode=mode, integer=integer)


def prior_factor(key: str) -> Factor | None:
    """The factor that draws parameter `key` from its declared prior (parameters()' `prior`:
    uniform, normal or lognormal), or None where it declares none."""
    spec = _SPECS.get(key)
    prior = spec.get("prior") if spec else None
    if prior is None:
        return None
    a, b = float(prior["a"]), float(prior["b"])
    integer = spec["type"] == "integer"
    if prior["distribution"] == "lognormal":
        return Factor(key, distribution="lognormal", mean=float(np.log(a)), sd=b, integer=integer)
    if prior["distribution"] == "normal":
        return Factor(key, distribution="normal", mean=a, sd=b, integer=integer)
    return Factor(key, distribution="uniform", low=a, high=b, integer=integer)


def _scenario_choices(factor: Factor, index: int, source: str, fixed: dict[str, Any],
                      base: Scenario, until: int | None) -> tuple[list[str], list[Scenario]]:
    """The files of a ``scenario`` factor, loaded relative to the sweep file, each with the
    sweep's [sweep.set] on top. They must share the base's horizon unless `until` ends the runs
    before every horizon, so that every run reports the same years."""
    fail = value_error(SweepError, source, f"sweep.vary[{index}].")
    here = os.path.dirname(os.path.abspath(source)) if os.path.exists(source) else "."
    paths, scenarios = [], []
    for value in factor.scenarios:
        path = os.path.normpath(os.path.join(here, os.path.expanduser(value)))
        try:
            scenario = Scenario.load(path)
            for key, setting in fixed.items():
                scenario[key] = setting
        except ScenarioError as error:
            raise fail("values", value, f"a valid scenario file ({error})") from None
        last = until if until is not None else int(base["horizon_year"])
        if until is None and int(scenario["horizon_year"]) != last:
            raise fail("values", value, f"a scenario with the base's horizon_year ({last}), or "
                       f"set sweep.until (its horizon_year is {scenario['horizon_year']})")
        if int(scenario["horizon_year"]) < last:
            raise fail("values", value, f"a scenario whose horizon_year reaches sweep.until "
                       f"({last}; it ends in {scenario['horizon_year']})")
        paths.append(path)
        scenarios.append(scenario)
    return paths, scenarios


def _outcomes(table: Mapping[str, Any], source: str) -> tuple[bool, list[SeriesOutcome]]:
    fail = value_error(SweepError, source, "sweep.outcomes.")
    given = OUTCOMES_SCHEMA.validate(table, fail)
    targets = given["targets"]
    series = []
    city = {s["name"] for s in _core.city_series_catalogue()}
    park = {s["name"]: s for s in _core.series_catalogue()}
    for i, item in enumerate(given["series"]):
        if not isinstance(item, Mapping):
            raise fail(f"series[{i}]", item, "a table {level, name, reduce, column}")
        item_fail = value_error(SweepError, source, f"sweep.outcomes.series[{i}].")
        level = SERIES_OUTCOME_SCHEMA.get(item, "level", item_fail)
        known = city if level == "city" else {n for n, s in park.items() if s["summable"]}
        name = SERIES_OUTCOME_SCHEMA.get(item, "name", item_fail, choices=sorted(known),
                                         level=level)
        reduce = SERIES_OUTCOME_SCHEMA.get(item, "reduce", item_fail)
        column = SERIES_OUTCOME_SCHEMA.get(item, "column", item_fail)
        series.append(SeriesOutcome(level, name, reduce, column))
    if not targets and not series:
        raise value_error(SweepError, source, "sweep.")(
            "outcomes", table, "at least one outcome (targets = true or a series)")
    return targets, series
