"""Simulation: one run of a scenario, stepped month by month from Python."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable

import numpy as np
import pandas as pd

from clustersim import _core
from clustersim._common import did_you_mean, now
from clustersim._frames import (
    agent_frame,
    check_series,
    park_frame,
    series_frame,
    target_summary,
    targets_frame,
    time_index,
    zone_sum,
)
from clustersim.errors import NotRunYetError, OutputError, ScenarioError
from clustersim.scenario import Scenario

_MAX_SEED = 2**64 - 1


def _is_integer(value: object) -> bool:
    """An int or a NumPy integer, not a bool (True is not a year or a seed)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


class AgentView:
    """Agents (``sim.firms``, ``sim.talent``) as read-only NumPy views of the kernel's arrays,
    without copies.

    Attribute access gives one column (``sim.firms.revenue_cny``). Views show the state when
    they were taken; take them again after stepping. Rows include agents that left this year
    (``alive`` is False); they are dropped at each year's end.
    """

    def __init__(self, columns: dict[str, np.ndarray], park_ids: list[str]):
        self._columns = columns
        self._park_ids = park_ids

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.__dict__["_columns"][name]
        except KeyError:
            raise AttributeError(f"no column {name!r}; columns: "
                                 f"{', '.join(self.__dict__['_columns'])}") from None

    def __dir__(self):
        return list(self._columns) + ["columns", "to_frame"]

    def __len__(self) -> int:
        return len(next(iter(self._columns.values())))

    @property
    def columns(self) -> list[str]:
        return list(self._columns)

    def to_frame(self, *, alive_only: bool = True) -> pd.DataFrame:
        """A copy as a DataFrame with park, sector and stage names."""
        frame = agent_frame(self._columns, self._park_ids)
        if alive_only:
            frame = frame[frame.pop("alive")].reset_index(drop=True)
        return frame


class Simulation:
    """One run: ``Simulation(scenario, seed=7, threads=2).run(until=2030)``.

    ``threads`` is the size of the oneTBB arena (results are bit-identical for any value);
    ``threads=0`` runs the serial reference implementation. More threads than the machine has
    cores are allowed (up to 1024) and only time-share the cores: oneTBB runs at most as many
    workers as the process may use, so a large value costs nothing and gains nothing.
    """

    def __init__(self, scenario: Scenario | str | os.PathLike, seed: int = 1, threads: int = 1):
        if not isinstance(scenario, Scenario):
            scenario = Scenario.load(scenario)
        if not _is_integer(seed) or not 0 <= seed <= _MAX_SEED:
            raise ScenarioError(f"seed {seed!r} is invalid; expected an integer in [0, 2^64)",
                                key="seed", value=repr(seed), expected="an integer in [0, 2^64)")
        if not _is_integer(threads) or not 0 <= threads <= 1024:
            raise ScenarioError(f"threads {threads!r} is invalid; expected an integer in "
                                "[0, 1024] (0: serial reference)", key="threads",
                                value=repr(threads), expected="an integer in [0, 1024]")
        scenario.validate()
        self.scenario = scenario.copy()
        self._core = _core.Simulation(scenario._core, int(seed), int(threads))
        self._park_ids = list(self._core.park_table()["id"])

    # --- time
    @property
    def year(self) -> int:
        """Year of the last completed month (the base year before the first step)."""
        return self._core.year

    @property
    def month(self) -> int:
        """Last completed month (1-12); 0 before the first step."""
        return self._core.month

    @property
    def steps_done(self) -> int:
        return self._core.steps_done

    @property
    def total_steps(self) -> int:
        return self._core.total_steps

    @property
    def finished(self) -> bool:
        return self._core.finished

    @property
    def seed(self) -> int:
        return self._core.seed

    @property
    def threads(self) -> int:
        return self._core.threads

    def step(self, months: int = 1) -> Simulation:
        """Advances by `months` monthly steps (the GIL is released while the kernel runs)."""
        for _ in range(months):
            self._core.step()
        return self

    def run(self, until: int | None = None, *, output: str | os.PathLike | None = None,
            progress: Callable[[int, int], None] | None = None,
            metadata: dict[str, str] | None = None) -> Simulation:
        """Steps through December of `until` (default: the horizon).

        With `output`, writes the results file (docs/output-format.md): built as
        ``<output>.partial`` and renamed when the run is complete. `progress(done, total)` is
        called after every step.
        """
        horizon = self._core.horizon_year
        if until is not None and not _is_integer(until):
            raise ScenarioError(f"until {until!r} is invalid; expected an integer year in "
                                f"[{_core.base_year}, {horizon}] (the horizon_year)",
                                key="until", value=repr(until),
                                expected=f"an integer year in [{_core.base_year}, {horizon}]")
        last_year = horizon if until is None else int(until)
        if not _core.base_year <= last_year <= horizon:
            raise ScenarioError(f"until {until!r} is invalid; expected a year in "
                                f"[{_core.base_year}, {horizon}] (the horizon_year)",
                                key="until", value=repr(until),
                                expected=f"a year in [{_core.base_year}, {horizon}]")
        last_step = (last_year - _core.base_year + 1) * 12
        if last_step < self._core.steps_done:
            raise ScenarioError(
                f"until {until!r} is in the past: the run is at {self.year}-{self.month:02d}; "
                "a run only goes forward (Simulation.restore a checkpoint to go back)",
                key="until", value=repr(until),
                expected=f"a year in [{self.year}, {horizon}]")
        if output is not None:
            self._open_output(os.fspath(output), last_year, metadata or {})
        try:
            while self._core.steps_done < last_step:
                self._core.step()
                if progress is not None:
                    progress(self._core.steps_done, last_step)
        except BaseException:
            if self._core.output_open:
                self._core.abandon_output()  # leaves <output>.partial, marked incomplete
            raise
        if output is not None:
            self._core.close_output({"end_time": now(),
                                     "until_year": str(last_year)})
        return self

    # --- checkpoints
    def checkpoint(self, path: str | os.PathLike) -> str:
        """Writes the complete state to ``path`` (HDF5; built as ``<path>.partial`` and renamed):
        ``Simulation.restore(path)`` continues it bit for bit."""
        path = os.fspath(path)
        parent = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(parent):
            raise OutputError(f"{path}: directory {parent} does not exist")
        self._core.checkpoint(path, {
            "scenario_toml": self.scenario.to_toml(include_defaults=True),
            "scenario_name": str(self.scenario["name"]),
            "scenario_path": self.scenario.source or "",
            "clustersim_version": _core.__version__, "git_revision": _core.git_revision,
            "created": now(), "year": str(self.year), "month": str(self.month)})
        return path

    @classmethod
    def restore(cls, path: str | os.PathLike, scenario: Scenario | str | os.PathLike | None = None,
                *, seed: int | None = None, threads: int = 1) -> Simulation:
        """Resumes a checkpoint. With ``scenario`` (a modified copy of the checkpoint's, e.g.
        levers changed from 2026 on) it is a fork: the same past, another future. ``seed``
        replaces the checkpoint's seed for the steps to come. Outputs record the parent."""
        path = os.fspath(path)
        stored = _checkpoint_scenario(path)
        if scenario is None:
            scenario = stored
        elif not isinstance(scenario, Scenario):
            scenario = Scenario.load(scenario)
        scenario.validate()
        self = cls.__new__(cls)
        self.scenario = scenario.copy()
        self._core = _core.Simulation.restore(path, scenario._core, seed, int(threads))
        self._park_ids = list(self._core.park_table()["id"])
        self._parent = {"parent_checkpoint": os.path.abspath(path),
                        "parent_step": str(self._core.steps_done),
                        "parent_scenario_toml": stored.to_toml(include_defaults=True)}
        return self

    def _open_output(self, path: str, last_year: int, metadata: dict[str, str]) -> None:
        from clustersim._files import check_output
        check_output(path, {"scenario file": self.scenario.source or None})
        attributes = {
            "clustersim_version": _core.__version__,
            "git_revision": _core.git_revision,
            "scenario_toml": self.scenario.to_toml(include_defaults=True),
            "scenario_name": str(self.scenario["name"]),
            "scenario_path": self.scenario.source or "",
            "seed": str(self.seed),
            "threads": str(self.threads),
            "scale": repr(self._core.scale),
            "start_time": now(),
            "host": socket.gethostname(),
            "until_year": str(last_year),
            **getattr(self, "_parent", {}),
        }
        clashes = sorted(set(map(str, metadata)) & (set(attributes) | {"end_time"}))
        if clashes:
            raise OutputError(f"{path}: metadata may not replace the run's own attributes "
                              f"({', '.join(clashes)})")
        attributes.update({str(k): str(v) for k, v in metadata.items()})
        self._core.open_output(path, attributes)

    # --- state
    @property
    def firms(self) -> AgentView:
        """Firm agents: read-only views of their columns (``sim.firms.revenue_cny``)."""
        return AgentView(self._core.firm_columns(), self._park_ids)

    @property
    def funds(self) -> AgentView:
        """Venture-capital funds (sector 255, NaN in ``to_frame()``: a generalist; kind 0-2:
        government, private, corporate)."""
        return AgentView(self._core.fund_columns(), self._park_ids)

    @property
    def deals(self) -> AgentView:
        """Every fund stake so far, one row per fund and round (``status``: active, exited,
        written off)."""
        return AgentView(self._core.deal_columns(), self._park_ids)

    @property
    def incubators(self) -> AgentView:
        """Incubators: read-only views of their columns (``sim.incubators.high_quality``)."""
        return AgentView(self._core.incubator_columns(), self._park_ids)

    @property
    def talent(self) -> AgentView:
        """Talent agents: read-only views of their columns (``sim.talent.skill``)."""
        return AgentView(self._core.talent_columns(), self._park_ids)

    @property
    def parks(self) -> pd.DataFrame:
        """The 22 parks (index: id); floor space over time is the series 'floor_space_m2'."""
        return park_frame(self._core.park_table())

    def series(self, level: str, name: str) -> pd.DataFrame:
        """Monthly series recorded so far: level 'park' (columns park x sector, park, or
        origin x destination park) or 'zone' (columns sector, or one column). Values are
        full-scale equivalents."""
        check_series(level, name)
        self._require_steps("series")
        years, months = self._core.series_time()
        if level == "city":
            values = self._core.city_series_values(name)
        else:
            values = self._core.series_values(name)
        if level == "zone":
            values = zone_sum(name, values, self._core.series_values("in_zone"))
        return series_frame(level, name, values, time_index(years, months), self._park_ids)

    # --- targets and levers
    def targets(self) -> pd.DataFrame:
        """The targets of docs/policy.md, a row per December so far: each target's value and
        ``<id>_met``; ``attrs`` holds thresholds, the target year and the first year met."""
        self._require_steps("targets", december=True)
        years, values, met = self._core.target_values()
        return targets_frame(years, values, met, self._core.target_thresholds(),
                             self._core.target_year, float(self.scenario["scale"]))

    def target_summary(self) -> pd.DataFrame:
        """One row per target: threshold, value and met in the target year, first year met."""
        return target_summary(self.targets())

    def lever(self, lever: str) -> dict:
        """A lever's schedule now: ``{"intensity", "start_year", "end_year"}``."""
        intensity, start, end = self._core.lever_schedule(_lever_key(lever))
        return {"intensity": intensity, "start_year": start, "end_year": end}

    def set_lever(self, lever: str, intensity: float, *, start_year: int | None = None,
                  end_year: int | None = None) -> Simulation:
        """Changes a lever between steps, e.g. ``sim.set_lever("land.supply", 1.5)``: from the
        next step's year (or ``start_year``) to ``end_year`` (default: its current end, or
        2100 if that is earlier than the start). Logged in the output's ``lever_changes``."""
        key = _lever_key(lever)
        for name, year in (("start_year", start_year), ("end_year", end_year)):
            if year is not None and not _is_integer(year):
                raise ScenarioError(f"lever {lever!r}: {name} {year!r} is invalid; expected an "
                                    "integer year", key=f"policy.{key}.{name}", value=repr(year),
                                    expected="an integer year")
        _, _, current_end = self._core.lever_schedule(key)
        next_year = _core.base_year + self.steps_done // 12
        if start_year is not None and start_year < next_year:
            raise ScenarioError(
                f"lever {lever!r}: start_year {start_year} is in the past; the next step is in "
                f"{next_year}, and a change acts from then on (the months run are kept)",
                key=f"policy.{key}.start_year", value=repr(start_year),
                expected=f"a year from {next_year}")
        start = next_year if start_year is None else start_year
        end = (current_end if current_end >= start else 2100) if end_year is None else end_year
        try:
            self._core.set_lever(key, float(intensity), int(start), int(end))
        except (TypeError, ValueError) as error:
            raise ScenarioError(f"lever {lever!r}: {error}", key=f"policy.{key}") from None
        return self

    def _require_steps(self, what: str, *, december: bool = False) -> None:
        """Series need a month run, targets a December: say so instead of an empty frame."""
        needed = 12 if december else 1
        if self._core.steps_done < needed:
            where = (f"the run is at {self.year}-{self.month:02d}" if self._core.steps_done
                     else "the run has not started")
            raise NotRunYetError(
                f"{what}() has nothing yet: {where}, and "
                + ("targets are computed each December" if december else "no month has run")
                + "; step or run first (e.g. sim.run(until=2025))")

    def __repr__(self) -> str:
        return (f"<Simulation {self.scenario['name']!r} seed={self.seed} threads={self.threads} "
                f"at {self.year}-{self.month:02d}, {self.steps_done}/{self.total_steps} months>")


def _checkpoint_scenario(path: str) -> Scenario:
    """The scenario stored in a checkpoint; OutputError for a file that is not one."""
    import h5py
    try:
        with h5py.File(path, "r") as f:
            if f.attrs.get("format") not in ("clustersim-checkpoint", b"clustersim-checkpoint"):
                raise OutputError(f"{path}: not a clustersim checkpoint")
            text = f.attrs["scenario_toml"]
    except OSError as error:
        raise OutputError(f"{path}: cannot open the checkpoint ({error}); expected a file "
                          "written by Simulation.checkpoint or --checkpoint-every") from None
    except KeyError:
        raise OutputError(f"{path}: the checkpoint has no scenario (truncated?)") from None
    text = text.decode() if isinstance(text, bytes) else text
    return Scenario.from_toml(text, source=f"{path} (checkpoint)")


def _lever_key(lever: str) -> str:
    key = lever.removeprefix("policy.")
    if key not in LEVERS:
        hint = did_you_mean(key, LEVERS, quote=repr)
        raise KeyError(f"lever {lever!r} is unknown{hint}; expected one of {', '.join(LEVERS)}")
    return key


LEVERS = {lever["key"]: lever for lever in _core.lever_catalogue()}


def run(scenario: Scenario | str | os.PathLike, *, seed: int = 1, threads: int = 1,
        until: int | None = None, output: str | os.PathLike | None = None) -> Simulation:
    """Convenience: build and run a simulation."""
    return Simulation(scenario, seed=seed, threads=threads).run(until, output=output)


__all__ = ["AgentView", "Simulation", "run"]
