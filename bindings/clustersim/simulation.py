"""Simulation: one run of a scenario, stepped month by month from Python."""

from __future__ import annotations

import functools
import math
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from clustersim import _core
from clustersim._common import did_you_mean, now
from clustersim._files import available_memory, kernel_path, printable_path
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

    # Set by restore only: the checkpoint's attributes its outputs record, and its step.
    _parent: dict[str, str]
    _restored_steps: int

    def __init__(self, scenario: Scenario | str | os.PathLike, seed: int = 1, threads: int = 1,
                 *, max_memory: float | None = None):
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
        # The initial population is allocated now: refuse one that cannot fit before building it.
        check_memory(scenario, _core.base_year, max_memory)
        self.scenario = scenario.copy()
        self._core = _core.Simulation(scenario._core, int(seed), int(threads))
        self._park_ids = list(self._core.park_table()["id"])
        # Names this run in its checkpoints and outputs: a checkpoint says whose state it holds.
        self._run_id = uuid.uuid4().hex
        self._output: str | None = None

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
            metadata: dict[str, str] | None = None,
            max_memory: float | None = None) -> Simulation:
        """Steps through December of `until` (default: the horizon).

        With `output`, writes the results file (docs/output-format.md): built as
        ``<output>.partial`` and renamed when the run is complete. `progress(done, total)` is
        called after every step. A run whose estimated peak memory (``estimate_memory``)
        exceeds ``max_memory`` bytes (default: the memory available now; ``math.inf``: no
        limit) is refused with a ScenarioError before it steps.
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
            parent = getattr(self, "_parent", {}).get("parent_checkpoint")
            restored_now = getattr(self, "_restored_steps", None) == self._core.steps_done
            where = (f"restored from the checkpoint {parent}, which is at the end of "
                     f"{self.year}-{self.month:02d}" if parent and restored_now
                     else f"at {self.year}-{self.month:02d}")
            raise ScenarioError(
                f"until {until!r} is in the past: the run is {where}; a run only goes forward "
                "(restore an earlier checkpoint, or start a new run, to stop before then)",
                key="until", value=repr(until),
                expected=f"a year in [{self.year}, {horizon}]")
        if last_step > self._core.steps_done:
            check_memory(self.scenario, last_year, max_memory)
        if output is not None:
            output = kernel_path(output, "results file")
            self._open_output(output, last_year, metadata or {})
            self._output = os.path.abspath(output)
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
        path = kernel_path(path, "checkpoint")
        parent = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(parent):
            raise OutputError(f"{path}: directory {parent} does not exist")
        self._core.checkpoint(path, {
            "scenario_toml": self.scenario.to_toml(include_defaults=True),
            "scenario_name": str(self.scenario["name"]),
            "scenario_path": printable_path(self.scenario.source or ""),
            "clustersim_version": _core.__version__, "git_revision": _core.git_revision,
            "created": now(), "year": str(self.year), "month": str(self.month),
            # Whose state this is: `run --from` and the CLI's resume hint compare them.
            "run_id": self._run_id, "run_output": printable_path(self._output or "")})
        return path

    @classmethod
    def restore(cls, path: str | os.PathLike, scenario: Scenario | str | os.PathLike | None = None,
                *, seed: int | None = None, threads: int = 1) -> Simulation:
        """Resumes a checkpoint. With ``scenario`` (a modified copy of the checkpoint's, e.g.
        levers changed from 2026 on) it is a fork: the same past, another future. ``seed``
        replaces the checkpoint's seed for the steps to come. Outputs record the parent."""
        path = kernel_path(path, "checkpoint")
        stored = _checkpoint_scenario(path)
        identity = checkpoint_identity(path)
        if scenario is None:
            scenario = stored
        elif not isinstance(scenario, Scenario):
            scenario = Scenario.load(scenario)
        scenario.validate()
        check_initial_state_keys(path, stored, scenario)
        changes = fork_changes(stored, scenario, identity.get("seed"), seed)
        self = cls.__new__(cls)
        self.scenario = scenario.copy()
        self._core = _core.Simulation.restore(path, scenario._core, seed, int(threads))
        self._park_ids = list(self._core.park_table()["id"])
        self._restored_steps = self._core.steps_done
        self._output = None
        # A resume continues the checkpoint's run (its id); a fork is a new run from its past.
        parent_run = identity.get("run_id", "")
        self._run_id = parent_run if not changes and parent_run else uuid.uuid4().hex
        self._parent = {"parent_checkpoint": printable_path(os.path.abspath(path)),
                        "parent_step": str(self._core.steps_done),
                        "parent_scenario_toml": stored.to_toml(include_defaults=True),
                        "parent_run_id": parent_run,
                        "restore_kind": "fork" if changes else "resume",
                        "fork_changes": "; ".join(changes),
                        "resumed_at": f"{self.year}-{self.month:02d}"}
        return self

    def _open_output(self, path: str, last_year: int, metadata: dict[str, str]) -> None:
        from clustersim._files import check_output
        check_output(path, {"scenario file": self.scenario.source or None})
        attributes = {
            "clustersim_version": _core.__version__,
            "git_revision": _core.git_revision,
            "scenario_toml": self.scenario.to_toml(include_defaults=True),
            "scenario_name": str(self.scenario["name"]),
            "scenario_path": printable_path(self.scenario.source or ""),
            "seed": str(self.seed),
            "threads": str(self.threads),
            "scale": repr(self._core.scale),
            "start_time": now(),
            "host": socket.gethostname(),
            "until_year": str(last_year),
            "run_id": self._run_id,
            **getattr(self, "_parent", {}),
        }
        if hasattr(self, "_parent"):
            # The snapshots of Decembers before the checkpoint are in the parent's output,
            # not in this one: say from which year on this file holds them.
            attributes["snapshots_from_year"] = str(
                min(_core.base_year + self._core.steps_done // 12, last_year))
        clashes = sorted(set(map(str, metadata))
                         & (set(attributes) | {"end_time", "snapshots_from_year"}))
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


def checkpoint_identity(path: str) -> dict[str, str]:
    """The attributes that say whose state a checkpoint holds (scenario name, seed, run id, the
    output its run wrote, year and month), as text; {} for a file that cannot be read."""
    import h5py
    keys = ("scenario_name", "seed", "run_id", "run_output", "year", "month", "steps_done",
            "created")
    try:
        with h5py.File(path, "r") as f:
            return {k: (v.decode() if isinstance(v := f.attrs[k], bytes) else str(v))
                    for k in keys if k in f.attrs}
    except OSError:
        return {}


# Parameters read only when the initial population is built (sim/src/init: firms, talent,
# incubators, the city region; vc.initial_funds by the constructor's first fund raising): a
# restored run keeps the checkpoint's agents, so a new value would be recorded but do nothing.
# `scale` is refused by the kernel's restore.
INITIAL_STATE_KEYS = (
    "population.firms_total", "population.base_year_growth", "population.zone_ic_share",
    "population.zone_biomedicine_share", "population.zone_ai_share", "population.city_ic_cny",
    "population.city_biomedicine_cny", "population.city_ai_cny",
    "population.non_leading_park_weight", "population.pareto_alpha", "population.unicorns",
    "population.potential_unicorns", "population.unicorn_valuation_excess",
    "population.mean_age_years", "population.initial_productivity_sd",
    "population.cash_to_revenue", "talent.skill_productivity_link", "talent.mean_age_years",
    "incubators.count", "incubators.quality_sd", "incubators.initial_high_quality",
    "vc.initial_funds", "vc.potential_unicorn_valuation_usd", "parks.initial_occupancy",
)


def check_initial_state_keys(path: str, stored: Scenario, scenario: Scenario) -> None:
    """ScenarioError when a fork changes a parameter that acts only on the initial population:
    the restored agents were built with the checkpoint's value, so the new one cannot act."""
    for key in INITIAL_STATE_KEYS:
        before, after = stored[key], scenario[key]
        if before != after:
            raise ScenarioError(
                f"{key} = {after!r} differs from the checkpoint's {before!r} ({path}): it acts "
                "only when the initial population is built, and a restored run keeps the "
                f"checkpoint's agents; expected {before!r}, or a new run (without --from) to "
                "use the new value", file=path, key=key, value=repr(after),
                expected=f"the checkpoint's value {before!r}")


def fork_changes(stored: Scenario, scenario: Scenario, stored_seed: str | None,
                 seed: int | None) -> list[str]:
    """What a restore changes of the checkpoint's run: ``["key: old -> new", ...,
    "seed: 1 -> 2"]``; empty for a resume of the same run."""
    changes = [f"{key}: {stored[key]!r} -> {scenario[key]!r}" for key in scenario.keys()
               if stored[key] != scenario[key]]
    if seed is not None and stored_seed is not None and str(seed) != stored_seed:
        changes.append(f"seed: {stored_seed} -> {seed}")
    return changes


# --- resources

# Peak resident memory per byte of agent rows: a growing array (std::vector) holds its old
# buffer while it fills the new one. Measured (one thread): 2.0 without an output file, 2.15
# with one (its snapshot queue); 2.5 leaves room for the allocator.
_GROWTH_COPIES = 2.5
# Series, cell statistics, park tables, HDF5 and thread buffers: small and about constant
# (a 1/100-scale run to 2030 grows the process by about 30 MiB in all).
_FIXED_BYTES = 32 * 2**20


@functools.cache
def _row_bytes() -> dict[str, int]:
    """Bytes per agent of each kind, from the kernel's column types (a 7-firm simulation)."""
    tiny = _core.Simulation(Scenario({"scale": 1e-4})._core, 1, 0)
    return {kind: sum(column.dtype.itemsize for column in columns().values())
            for kind, columns in (("firms", tiny.firm_columns), ("talent", tiny.talent_columns),
                                  ("funds", tiny.fund_columns), ("deals", tiny.deal_columns),
                                  ("incubators", tiny.incubator_columns))}


@dataclass
class MemoryEstimate:
    """A run's estimated peak agents of each kind and the memory they take (bytes), with the
    parameters that drive each count (for the message that refuses a run)."""
    until: int
    agents: dict[str, float]
    row_bytes: dict[str, int]
    drivers: dict[str, str]
    keys: dict[str, str]   # per kind, the parameter that drives its count most

    @property
    def bytes(self) -> float:
        rows = sum(self.agents[kind] * self.row_bytes[kind] for kind in self.agents)
        return _GROWTH_COPIES * rows + _FIXED_BYTES

    def largest(self) -> str:
        """The kind of agent that takes the most memory."""
        return max(self.agents, key=lambda kind: self.agents[kind] * self.row_bytes[kind])

    def describe(self) -> str:
        kind = self.largest()
        return (f"a run to {self.until} needs up to about {_size(self.bytes)} of memory (an "
                f"upper estimate); most of it for up to {_count(self.agents[kind])} {kind} "
                f"agents of {self.row_bytes[kind]} bytes ({self.drivers[kind]})")


def _size(n: float) -> str:
    if n >= 2**50:
        return "more than 1 PiB"
    return f"{n / 2**30:.1f} GiB" if n >= 2**30 else f"{n / 2**20:.0f} MiB"


def _count(n: float) -> str:
    return f"{n:,.0f}" if n < 1e15 else f"{n:.1e}"


def estimate_memory(scenario: Scenario, until: int | None = None) -> MemoryEstimate:
    """The peak memory of a run of `scenario` through December of `until` (default: its
    horizon), estimated from its parameters before anything is allocated: the initial
    population as the kernel builds it, then every yearly inflow (graduates, trainees,
    international talent, postdocs, funds, incubators) kept until its agents retire, firms
    compounding at their entry rate net of the base exit hazard, and deals at the funds' pace.
    An upper estimate: agents that leave early, and the floor space that slows entries, are not
    counted; then 2.5 times the rows' bytes (a growing array holds two buffers) and 32 MiB."""
    g = scenario.__getitem__
    last_year = int(g("horizon_year") if until is None else until)
    years = max(0, last_year - _core.base_year + 1)
    scale = float(g("scale"))

    def lever(name: str) -> float:
        return max(0.0, float(g(f"policy.{name}.intensity")))

    firms0 = round(g("population.firms_total") * scale)
    # Talent: the staff of the leading-sector firms, head counts rounded up per firm; the
    # productivities' spread raises them by E[1/productivity] = exp(sd^2 / 2).
    parks = _core.base_data(scenario._core)["parks"]
    leading_revenue = sum(park["sector_revenue_cny"][sector] for park in parks
                          for sector in ("IC", "biomedicine", "AI"))
    talent0 = (leading_revenue * scale / g("firms.revenue_per_employee_cny")
               * math.exp(g("population.initial_productivity_sd") ** 2 / 2) + firms0)
    talent_per_year = scale * (
        sum(g("talent.graduates_per_year"))
        + g("talent.training_per_year") * (1 + g("policy.talent.training_gain")
                                           * lever("talent.training"))
        + g("talent.international_per_year") * (
            1 + g("policy.talent.international_gain") * lever("talent.international")
            + g("policy.global.international_gain") * lever("global.network"))
        + g("policy.talent.postdocs_per_year") * lever("talent.postdoc"))
    working_years = max(1.0, g("talent.retirement_age_years") - min(g("talent.arrival_age_years")))
    talent = talent0 + talent_per_year * min(years, working_years)

    count = g("incubators.count")
    incubators = ((max(1, round(count * scale)) if count else 0)
                  + g("policy.incubation.new_incubators_per_year")
                  * lever("incubation.new_incubators") * scale * years)

    cells = len(parks) * 3  # parks x the leading sectors a park can name
    teams = g("incubators.university_teams_per_year") * (
        1 + g("policy.incubation.proof_of_concept_team_gain")
        * lever("incubation.proof_of_concept"))
    other_entries = (g("firms.entry.seed_per_month") * 12 * cells * scale
                     + g("talent.spinoff_rate") * talent + teams * incubators)
    net_rate = max(0.0, g("firms.entry.rate") - g("firms.exit.base_hazard"))
    firms = firms0 * math.exp(min(700.0, net_rate * years)) + other_entries * years

    initial_funds = sum(max(1, round(n * scale)) for n in g("vc.initial_funds") if n > 0)
    government, private, corporate = g("vc.new_funds_per_year")
    funds_per_year = scale * (
        government + g("policy.finance.government_fund_new_per_year")
        * lever("finance.government_fund")
        + private * (1 + g("policy.global.private_funds_gain") * lever("global.network"))
        + corporate + g("policy.finance.corporate_vc_new_per_year") * lever("finance.corporate_vc"))
    funds = initial_funds + funds_per_year * years
    # Deals a year: what the funds will make (the larger of their floor and their size's pace),
    # or what the firms seeking rounds can take (new investors and as many follow-ons).
    size = max(g("vc.fund_size_cny")) * math.exp(g("vc.fund_size_sd") ** 2 / 2)
    per_fund = max(g("vc.min_deals_per_year"), g("vc.deals_per_billion") * size / 1e9)
    deals = years * min(funds * per_fund,
                        firms * g("vc.seek_rate") * 2 * g("vc.max_new_investors"))

    drivers = {
        "firms": (f"{_count(firms0)} at the start from population.firms_total times scale, "
                  "entering at firms.entry.rate net of firms.exit.base_hazard, with seeds, "
                  f"spin-offs and incubator teams, for {years} years"),
        "talent": (f"{_count(talent0)} at the start and {_count(talent_per_year)} a year for "
                   f"{min(years, working_years):g} years from talent.graduates_per_year, "
                   "talent.training_per_year, talent.international_per_year and "
                   "policy.talent.postdocs_per_year times scale"),
        "funds": (f"vc.initial_funds and {_count(funds_per_year)} a year for {years} years from "
                  "vc.new_funds_per_year and the finance levers, times scale"),
        "deals": (f"every stake of {years} years: vc.min_deals_per_year or vc.deals_per_billion "
                  "per fund, at most what the firms seeking rounds take"),
        "incubators": ("incubators.count and policy.incubation.new_incubators_per_year, "
                       "times scale"),
    }
    # The parameter to lower first: the largest inflow, or what sizes the initial population.
    inflows = {"talent.graduates_per_year": sum(g("talent.graduates_per_year")),
               "talent.training_per_year": g("talent.training_per_year"),
               "talent.international_per_year": g("talent.international_per_year"),
               "policy.talent.postdocs_per_year": g("policy.talent.postdocs_per_year")}
    talent_key = ("firms.revenue_per_employee_cny" if talent0 >= talent - talent0
                  else max(inflows, key=inflows.__getitem__))
    firms_key = ("population.firms_total" if firms0 >= firms - firms0 else "firms.entry.rate")
    keys = {"firms": firms_key, "talent": talent_key, "funds": "vc.new_funds_per_year",
            "deals": "vc.min_deals_per_year", "incubators": "incubators.count"}
    agents = {"firms": firms, "talent": talent, "funds": funds, "deals": deals,
              "incubators": incubators}
    return MemoryEstimate(last_year, agents, _row_bytes(), drivers, keys)


def check_memory(scenario: Scenario, until: int | None, max_memory: float | None = None,
                 *, option: str = "max_memory") -> MemoryEstimate:
    """ScenarioError, with the estimate, when a run of `scenario` to `until` would need more
    memory than `max_memory` bytes (default: the memory available now; inf: no limit)."""
    estimate = estimate_memory(scenario, until)
    limit = max_memory if max_memory is not None else available_memory()
    if limit is None or estimate.bytes <= limit:
        return estimate
    source = f"{scenario.source}: " if scenario.source else ""
    key = estimate.keys[estimate.largest()]
    where = (f"the limit ({option}) is {_size(limit)}" if max_memory is not None
             else f"only {_size(limit)} of memory is available")
    until_option = "--until" if option.startswith("--") else "until"
    raise ScenarioError(
        f"{source}{estimate.describe()}; {where}. Expected a run that fits: lower {key} or the "
        f"other parameters named, horizon_year ({until_option}) or scale, or raise {option} if "
        "the estimate is too high for this scenario", file=scenario.source, key=key,
        value=repr(scenario[key]), expected=f"a run that fits in {_size(limit)}")


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


__all__ = ["AgentView", "MemoryEstimate", "Simulation", "estimate_memory", "run"]
