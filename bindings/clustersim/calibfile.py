"""Calibration files (``scenarios/calibration/*.toml``): a base scenario, the parameters to fit
with their prior ranges, an observation file, the method and its budget (docs/calibration.md).
Description only: nothing here runs a simulation."""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from clustersim._files import decode_input, read_input
from clustersim.errors import ScenarioError
from clustersim.observations import Observations
from clustersim.scenario import Scenario
from clustersim.sweepfile import _SPECS

METHODS = ("smc-abc",)
_KEYS = {"name", "description", "base", "observations", "method", "population", "generations",
         "budget", "seed", "scale", "batch", "parameters", "min_epsilon", "report_only"}


class CalibrationError(ScenarioError):
    """A calibration file (or call) is invalid; nothing was run."""


# A calibrated parameter is a number or integer key, or one element of a list of numbers:
# ``city.outside_growth[0]`` (0-based, within the base scenario's list).
_ELEMENT = re.compile(r"^(?P<key>[a-z0-9_.]+)\[(?P<index>[0-9]+)\]$")


def split_element(name: str) -> tuple[str, int | None]:
    """``"city.outside_growth[0]"`` -> ``("city.outside_growth", 0)``; a plain key ->
    ``(key, None)``."""
    match = _ELEMENT.match(name)
    return (match["key"], int(match["index"])) if match else (name, None)


def set_parameter(scenario: Scenario, name: str, value: float) -> None:
    """Sets a calibrated parameter (a key, or a list element: the rest of the list is kept) on
    ``scenario``, validated like any scenario value; integers are rounded."""
    key, index = split_element(name)
    if index is None:
        scenario[key] = int(round(value)) if _SPECS[key]["type"] == "integer" else float(value)
        return
    values = list(scenario[key])
    values[index] = float(value)
    scenario[key] = values


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
        def fail(key: str, value: Any, expected: str) -> CalibrationError:
            return CalibrationError(f"{source}: key 'calibration.{key}': value {value!r} is "
                                    f"invalid; expected {expected}", file=source,
                                    key=f"calibration.{key}", value=repr(value),
                                    expected=expected)
        unknown = [k for k in tree if k not in _KEYS]
        if unknown:
            raise fail(unknown[0], tree[unknown[0]], f"one of {', '.join(sorted(_KEYS))}")
        here = os.path.dirname(os.path.abspath(source)) if os.path.exists(source) else "."
        base_source = obs_source = ""
        if base is None:
            if not isinstance(tree.get("base"), str):
                raise fail("base", tree.get("base"), "the path of a scenario file (relative "
                           "to the calibration file)")
            base_source = os.path.normpath(os.path.join(here, tree["base"]))
            try:
                base = Scenario.load(base_source)
            except ScenarioError as error:
                raise CalibrationError(f"{source}: key 'calibration.base': {error}", file=source,
                                       key="calibration.base") from None
        base = base.copy()
        if observations is None:
            if not isinstance(tree.get("observations"), str):
                raise fail("observations", tree.get("observations"), "the path of an "
                           "observation CSV file (relative to the calibration file)")
            obs_source = os.path.normpath(os.path.join(here, tree["observations"]))
            observations = Observations.from_csv(obs_source,
                                                 horizon_year=int(base["horizon_year"]))

        def integer(key: str, default: int, low: int, high: int) -> int:
            value = tree.get(key, default)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise fail(key, value, f"an integer in [{low}, {high}]")
            return value
        method = tree.get("method", "smc-abc")
        if method not in METHODS:
            raise fail("method", method, f"one of {', '.join(METHODS)}")
        scale = tree.get("scale", 0.01)
        base_scale = float(base["scale"])
        try:
            base["scale"] = scale
        except ScenarioError as error:
            raise fail("scale", scale, error.expected or "a valid scale") from None
        min_epsilon = tree.get("min_epsilon", 0.0)
        if isinstance(min_epsilon, bool) or not isinstance(min_epsilon, (int, float)) \
                or min_epsilon < 0:
            raise fail("min_epsilon", min_epsilon, "a number >= 0 (a distance in sds)")
        table = tree.get("parameters", [])
        if not isinstance(table, list) or not table or \
                not all(isinstance(t, Mapping) for t in table):
            raise fail("parameters", table, "an array of tables ([[calibration.parameters]] "
                       "key = \"...\", range = [low, high])")
        priors = [_prior(t, i, source, base) for i, t in enumerate(table)]
        report_only = tree.get("report_only", [])
        labels = [m.label for m in observations.moments()]
        if not isinstance(report_only, list) or not all(isinstance(x, str) for x in report_only):
            raise fail("report_only", report_only, "a list of moment labels (e.g. "
                       "\"target.new_tech_firms@2022\")")
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
        spec = cls(name=str(tree.get("name", "calibration")), base=base,
                   observations=observations, priors=priors, method=method,
                   population=integer("population", 64, 2, 1_000_000),
                   generations=integer("generations", 6, 1, 1000),
                   budget=integer("budget", 5000, 1, 10**9), min_epsilon=float(min_epsilon),
                   report_only=tuple(dict.fromkeys(report_only)),
                   seed=integer("seed", 1, 0, 2**63 - 1), scale=float(scale),
                   base_scale=base_scale,
                   batch=integer("batch", 16, 1, 100_000), source=source,
                   base_source=base_source, observations_source=obs_source)
        for point in (p.low for p in priors), (p.high for p in priors):
            spec.scenario_for(dict(zip(keys, point, strict=True))).validate()
        return spec

    @property
    def keys(self) -> list[str]:
        return [p.key for p in self.priors]

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
                f"observations:\n{self.observations.to_csv()}\nbase:\n{self.base.to_toml()}")


def _prior(table: Mapping[str, Any], index: int, source: str, base: Scenario) -> Prior:
    where = f"calibration.parameters[{index}]"

    def fail(key: str, value: Any, expected: str) -> CalibrationError:
        return CalibrationError(f"{source}: key '{where}.{key}': value {value!r} is invalid; "
                                f"expected {expected}", file=source, key=f"{where}.{key}",
                                value=repr(value), expected=expected)
    unknown = [k for k in table if k not in ("key", "range")]
    if unknown:
        raise fail(unknown[0], table[unknown[0]], "key or range")
    key = table.get("key")
    name, index = split_element(key) if isinstance(key, str) else (None, None)
    spec = _SPECS.get(name)
    if spec is None:
        close = difflib.get_close_matches(str(name), list(_SPECS), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise fail("key", key, f"a known scenario key{hint}")
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
    bounds = table.get("range")
    if (not isinstance(bounds, list) or len(bounds) != 2
            or not all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in bounds)
            or not bounds[0] < bounds[1]):
        raise fail("range", bounds, "[low, high] with low < high (a uniform prior)")
    for b in bounds:
        try:
            set_parameter(base.copy(), key, b)
        except ScenarioError as error:
            raise fail("range", bounds, error.expected or "values valid for the key") from None
    return Prior(key, float(bounds[0]), float(bounds[1]))


__all__ = ["METHODS", "CalibrationError", "CalibrationSpec", "Prior", "set_parameter",
           "split_element"]
