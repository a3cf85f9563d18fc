"""Calibration files (``scenarios/calibration/*.toml``): a base scenario, the parameters to fit
with their prior ranges, an observation file, the method and its budget (docs/calibration.md).
Description only: nothing here runs a simulation."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from clustersim._common import did_you_mean, value_error
from clustersim._files import decode_input, read_input
from clustersim._schema import Field, Schema
from clustersim.calibfacts import FactMoment, parse_facts
from clustersim.errors import ScenarioError
from clustersim.observations import Observations
from clustersim.scenario import Scenario
from clustersim.sweepfile import _SPECS, set_parameter, split_element  # noqa: F401

METHODS = ("smc-abc",)

# The keys of a calibration file's tables (docs/calibration.md), checked by _schema.
CALIBRATION_SCHEMA = Schema(
    Field("name", "any", default="calibration", description="the calibration's name"),
    Field("description", "any", default=None, description="free text"),
    Field("base", "string",
          expected="the path of a scenario file (relative to the calibration file)",
          description="the base scenario file, relative to the calibration file"),
    Field("observations", "string",
          expected="the path of an observation CSV file (relative to the calibration file)",
          description="the observation CSV file, relative to the calibration file"),
    Field("method", "choice", default="smc-abc", choices=METHODS,
          description="the fitting method"),
    Field("population", "integer", default=64, low=2, high=1_000_000,
          description="particles per generation"),
    Field("generations", "integer", default=6, low=1, high=1000,
          description="generations at most"),
    Field("budget", "integer", default=5000, low=1, high=10**9,
          description="simulations at most, in all"),
    Field("seed", "integer", default=1, low=0, high=2**63 - 1,
          description="the calibration's seed"),
    Field("scale", "any", default=0.01,
          description="the simulations' scale (checked as the scenario key 'scale')"),
    Field("batch", "integer", default=16, low=1, high=100_000,
          description="particles evaluated per batch (the unit of determinism)"),
    Field("parameters", "tables", default=[], nonempty=True,
          expected="an array of tables ([[calibration.parameters]] key = \"...\", "
                   "range = [low, high])",
          description="the parameters fitted, with their uniform priors"),
    Field("min_epsilon", "number", default=0.0, low=0, expected="a number >= 0 (a distance in sds)",
          description="stop once the acceptance threshold is below this"),
    Field("report_only", "strings", default=[],
          expected="a list of moment labels (e.g. \"target.new_tech_firms@2022\")",
          description="moments the check reports but the distance leaves out"),
    Field("facts", "tables", default=[],
          expected="an array of tables ([[calibration.facts]] statistic, value, sd, years, "
                   "source)",
          description="behavioural facts compared with statistics over simulated years"))
PRIOR_SCHEMA = Schema(
    Field("key", "any", description="a number or integer scenario key, or key[index] of a list"),
    Field("range", "range", expected="[low, high] with low < high (a uniform prior)",
          description="the uniform prior's bounds"),
    unknown="key or range")


class CalibrationError(ScenarioError):
    """A calibration file (or call) is invalid; nothing was run."""


def abc_name(key: str) -> str:
    """A calibrated parameter's name in pyabc, an identifier: ``city.outside_growth[0]`` ->
    ``city__outside_growth_0``."""
    return key.replace(".", "__").replace("[", "_").replace("]", "")


@dataclass(frozen=True)
class Prior:
    """A uniform prior over [low, high] on one scenario key (number or integer) or one element
    of a list of numbers (``key[index]``)."""
    key: str
    low: float
    high: float

    @property
    def sd(self) -> float:
        return (self.high - self.low) / np.sqrt(12.0)

    @property
    def integer(self) -> bool:
        return _SPECS[split_element(self.key)[0]]["type"] == "integer"


@dataclass
class CalibrationSpec:
    """A validated calibration: fit ``priors`` on ``base`` to ``observations``."""
    name: str
    base: Scenario
    observations: Observations
    priors: list[Prior]
    method: str = "smc-abc"
    population: int = 64        # particles per generation
    generations: int = 6        # at most
    budget: int = 5000          # at most this many simulations in all
    min_epsilon: float = 0.0
    report_only: tuple[str, ...] = ()   # moments the check reports but the distance leaves out
    seed: int = 1
    scale: float = 0.01         # the simulations' (the base's is kept in base_scale)
    base_scale: float = 1.0
    batch: int = 16             # particles evaluated per batch (the unit of determinism)
    source: str = "<calibration>"
    text: str = ""
    base_source: str = ""
    observations_source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    facts: list[FactMoment] = field(default_factory=list)   # behavioural facts (calibfacts)

    @classmethod
    def load(cls, path: str | os.PathLike) -> CalibrationSpec:
        path = os.fspath(path)
        raw = read_input(path, CalibrationError, "calibration")
        text = decode_input(raw, path, CalibrationError, "a TOML calibration file")
        try:
            tree = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise CalibrationError(f"{path}: malformed TOML: {error}", file=path) from None
        extra = [k for k in tree if k != "calibration"]
        if "calibration" not in tree or extra:
            raise CalibrationError(f"{path}: expected everything under a [calibration] table "
                                   f"(docs/calibration.md)", file=path,
                                   key=extra[0] if extra else None)
        spec = cls.from_dict(tree["calibration"], source=path)
        spec.text = raw.decode("utf-8")
        return spec

    @classmethod
    def from_dict(cls, tree: Mapping[str, Any], *, source: str = "<dict>",
                  base: Scenario | None = None, observations: Observations | None = None
                  ) -> CalibrationSpec:
        """From the ``[calibration]`` table; ``base`` and ``observations`` replace the files."""
        fail = value_error(CalibrationError, source, "calibration.")
        CALIBRATION_SCHEMA.check_unknown(tree, fail)

        def get(key: str) -> Any:
            return CALIBRATION_SCHEMA.get(tree, key, fail)
        here = os.path.dirname(os.path.abspath(source)) if os.path.exists(source) else "."
        base_source = obs_source = ""
        if base is None:
            base_source = os.path.normpath(os.path.join(here, get("base")))
            try:
                base = Scenario.load(base_source)
            except ScenarioError as error:
                raise CalibrationError(f"{source}: key 'calibration.base': {error}", file=source,
                                       key="calibration.base") from None
        base = base.copy()
        if observations is None:
            obs_source = os.path.normpath(os.path.join(here, get("observations")))
            observations = Observations.from_csv(obs_source,
                                                 horizon_year=int(base["horizon_year"]))
        method = get("method")
        scale = get("scale")
        base_scale = float(base["scale"])
        try:
            base["scale"] = scale
        except ScenarioError as error:
            raise fail("scale", scale, error.expected or "a valid scale") from None
        min_epsilon = get("min_epsilon")
        table = get("parameters")
        priors = [_prior(t, i, source, base) for i, t in enumerate(table)]
        report_only = get("report_only")
        facts = parse_facts(get("facts"), source, int(base["horizon_year"]))
        labels = [m.label for m in observations.moments()] + [f.label for f in facts]
        for label in report_only:
            if label not in labels:
                raise fail("report_only", label,
                           f"a moment of the observations ({', '.join(labels)})")
        if report_only and set(labels) <= set(report_only):
            raise fail("report_only", report_only, "at least one moment left to fit")
        keys = [p.key for p in priors]
        if len(set(keys)) != len(keys):
            raise fail("parameters", next(k for k in keys if keys.count(k) > 1),
                       "each key once")
        if observations.last_year() > int(base["horizon_year"]):
            raise fail("observations", observations.source, "observations up to the base "
                       f"scenario's horizon {base['horizon_year']}")
        spec = cls(name=str(get("name")), base=base,
                   observations=observations, priors=priors, method=method,
                   population=get("population"), generations=get("generations"),
                   budget=get("budget"), min_epsilon=float(min_epsilon),
                   report_only=tuple(dict.fromkeys(report_only)),
                   seed=get("seed"), scale=float(scale), base_scale=base_scale,
                   batch=get("batch"), source=source,
                   base_source=base_source, observations_source=obs_source, facts=facts)
        for point in (p.low for p in priors), (p.high for p in priors):
            spec.scenario_for(dict(zip(keys, point, strict=True))).validate()
        return spec

    @property
    def keys(self) -> list[str]:
        return [p.key for p in self.priors]

    def moments(self) -> list[Any]:
        """What a simulation must reproduce: the observations' moments, then the facts."""
        return [*self.observations.moments(), *self.facts]

    @property
    def until(self) -> int:
        """The last year a simulation must reach."""
        return max([self.observations.last_year(), *(f.last for f in self.facts)])

    def scenario_for(self, values: Mapping[str, float]) -> Scenario:
        """The base scenario with these parameter values (integers rounded), validated per key."""
        scenario = self.base.copy()
        for p in self.priors:
            set_parameter(scenario, p.key, float(values[p.key]))
        return scenario

    def identity(self) -> str:
        """What makes two calibrations the same (a resumed one must match)."""
        priors = "; ".join(f"{p.key} [{p.low!r}, {p.high!r}]" for p in self.priors)
        return (f"method={self.method} population={self.population} generations="
                f"{self.generations} budget={self.budget} min_epsilon={self.min_epsilon!r} "
                f"report_only={list(self.report_only)!r} "
                f"seed={self.seed} scale={self.scale!r} base_scale={self.base_scale!r} "
                f"batch={self.batch}\npriors: {priors}\n"
                + (f"facts: {[f.to_dict() for f in self.facts]!r}\n" if self.facts else "") +
                f"observations:\n{self.observations.to_csv()}\nbase:\n{self.base.to_toml()}")


def _prior(table: Mapping[str, Any], index: int, source: str, base: Scenario) -> Prior:
    fail = value_error(CalibrationError, source, f"calibration.parameters[{index}].")
    PRIOR_SCHEMA.check_unknown(table, fail)
    key = PRIOR_SCHEMA.get(table, "key", fail)
    name, index = split_element(key) if isinstance(key, str) else (None, None)
    spec = _SPECS.get(name)
    if spec is None:
        raise fail("key", key, f"a known scenario key{did_you_mean(str(name), _SPECS)}")
    if spec["type"] not in ("number", "integer", "list of numbers"):
        raise fail("key", key, "a number or integer parameter, or an element of a list of "
                   "numbers (strings and booleans cannot be calibrated)")
    if index is None and spec["type"] == "list of numbers":
        raise fail("key", key, f"one element of the list, '{name}[i]' with i in "
                   f"[0, {len(base[name]) - 1}]")
    if index is not None and spec["type"] != "list of numbers":
        raise fail("key", key, f"'{name}' without an index (it is a {spec['type']}, not a list)")
    if index is not None and index >= len(base[name]):
        raise fail("key", key, f"an index in [0, {len(base[name]) - 1}] (the base scenario's "
                   f"'{name}' has {len(base[name])} elements)")
    bounds = PRIOR_SCHEMA.get(table, "range", fail)
    for b in bounds:
        try:
            set_parameter(base.copy(), key, b)
        except ScenarioError as error:
            raise fail("range", bounds, error.expected or "values valid for the key") from None
    return Prior(key, float(bounds[0]), float(bounds[1]))


__all__ = ["METHODS", "CalibrationError", "CalibrationSpec", "Prior", "set_parameter",
           "split_element"]
