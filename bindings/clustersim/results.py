"""Reading a results file written by `clustersim run` (layout: docs/output-format.md)."""

from __future__ import annotations

import functools
import os
from typing import Any

import h5py
import numpy as np
import pandas as pd

from clustersim._frames import (
    TARGETS,
    agent_frame,
    check_series,
    park_frame,
    series_frame,
    target_summary,
    targets_frame,
    time_index,
)
from clustersim.errors import OutputError
from clustersim.scenario import Scenario

FORMAT = "clustersim-results"
FORMAT_VERSION = 2


def _text(value: Any) -> Any:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _open(path: str, *, allow_incomplete: bool) -> h5py.File:
    if not os.path.exists(path):
        partial = path + ".partial"
        hint = f" ({partial} exists: the run did not finish)" if os.path.exists(partial) else ""
        raise OutputError(f"{path}: no such file{hint}")
    try:
        handle = h5py.File(path, "r")
    except OSError as error:
        raise OutputError(f"{path}: not a readable HDF5 file ({error}); expected a clustersim "
                          "results file") from None
    attrs = handle.attrs
    if _text(attrs.get("format")) != FORMAT:
        handle.close()
        raise OutputError(f"{path}: not a clustersim results file (attribute 'format' is "
                          f"{_text(attrs.get('format'))!r}; expected {FORMAT!r})")
    version = int(attrs.get("format_version", -1))
    if version != FORMAT_VERSION:
        handle.close()
        raise OutputError(f"{path}: results format version {version}; this clustersim reads "
                          f"version {FORMAT_VERSION}")
    if not allow_incomplete and int(attrs.get("complete", 0)) != 1:
        handle.close()
        raise OutputError(f"{path}: marked incomplete (the run did not finish); pass "
                          "allow_incomplete=True to read what it holds")
    return handle


def _reads(method):
    """Turns HDF5 read failures inside a method into OutputError naming the file."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (OSError, RuntimeError, ValueError) as error:
            if isinstance(error, OutputError):
                raise
            raise OutputError(f"{self.path}: cannot read it ({error}); truncated or damaged "
                              "file?") from None
    return wrapper


_SNAPSHOT_GROUPS = {"firms": "snapshots", "talent": "talent_snapshots",
                    "incubators": "incubator_snapshots", "funds": "fund_snapshots",
                    "deals": "deal_snapshots"}
_SNAPSHOT_ORDER = {
    "firms": ["firm_id", "park", "sector", "stage", "revenue_cny", "employees", "productivity",
              "age_months", "cash_cny", "staffing_gap", "incubator", "incubated_months",
              "team_skill", "rounds", "last_round_step", "post_money_cny", "valuation_cny",
              "revenue_at_round_cny", "vc_raised_cny", "exit_route"],
    "talent": ["talent_id", "park", "sector", "skill", "employer", "age_months", "wage_cny",
               "months_seeking"],
    "incubators": ["incubator_id", "park", "sector", "capacity", "quality", "high_quality",
                   "occupants", "admissions_year", "graduations_year", "failures_year",
                   "years_meeting", "years_failing", "last_score"],
    "funds": ["fund_id", "kind", "park", "open", "sector", "hard_tech", "first_round",
              "last_round", "vintage_year", "investment_years", "lifetime_years",
              "deals_per_year", "deals_this_year", "size_cny", "invested_cny", "follow_on_cny",
              "realized_cny", "nav_cny", "parent_firm"],
    "deals": ["deal_id", "fund", "firm", "round", "follow_on", "step", "amount_cny", "stake",
              "status", "proceeds_cny"],
}


def _check_agents(agents: str) -> str:
    if agents not in _SNAPSHOT_GROUPS:
        raise KeyError(f"agents {agents!r} are unknown; expected one of "
                       f"{', '.join(_SNAPSHOT_GROUPS)}")
    return agents


# Root attributes that hold numbers (stored as text in the file).
_META_TYPES = {"seed": int, "threads": int, "scale": float, "until_year": int,
               "snapshots_from_year": int}


class SnapshotMissingError(OutputError, KeyError):
    """A snapshot the file does not hold. An OutputError naming the file and the snapshots it
    holds; also a KeyError, as it was before."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def resumed_note(meta: dict[str, Any]) -> str:
    """For the output of a restored run: the snapshots it cannot hold (those before the
    checkpoint are in the output of the run that wrote it); "" for a run from the start."""
    first = meta.get("snapshots_from_year")
    if first is None:
        return ""
    return (f"resumed from the checkpoint {meta.get('parent_checkpoint', '?')} at "
            f"{meta.get('resumed_at', '?')}: 'initial' and the snapshots before {first} are "
            "not in this file; they are in the output of the run that wrote the checkpoint")


class Results:
    """One run's results file. Each call reads what it needs; no file handle stays open."""

    @_reads
    def __init__(self, path: str | os.PathLike, *, allow_incomplete: bool = False):
        self.path = os.fspath(path)
        self._allow_incomplete = allow_incomplete
        with self._file() as f:
            self.meta: dict[str, Any] = {k: _text(v) for k, v in f.attrs.items()}
            self.meta["complete"] = bool(int(self.meta.get("complete", 0)))
            # The file stores text; the numbers a user passes back to the API get their types.
            for key, kind in _META_TYPES.items():
                if key in self.meta:
                    try:
                        self.meta[key] = kind(self.meta[key])
                    except ValueError:
                        raise OutputError(f"{self.path}: attribute {key!r} is "
                                          f"{self.meta[key]!r}; expected a number") from None
            try:
                self._park_ids = [_text(v) for v in f["parks/id"][()]] if "parks" in f else []
            except KeyError:
                self._park_ids = []

    def _file(self) -> h5py.File:
        return _open(self.path, allow_incomplete=self._allow_incomplete)

    def _require(self, f: h5py.File, name: str) -> Any:
        if name not in f:
            raise OutputError(f"{self.path}: has no {name!r} (truncated or incomplete file?)")
        return f[name]

    # --- series
    @_reads
    def series(self, level: str, name: str) -> pd.DataFrame:
        """Monthly series as a DataFrame: level 'park' (columns park x sector, or park) or
        'zone' (columns sector, or one column). Values are full-scale equivalents."""
        check_series(level, name)
        with self._file() as f:
            values = self._require(f, f"series/{level}/{name}")[()]
            index = time_index(self._require(f, "time/year")[()],
                               self._require(f, "time/month")[()])
        return series_frame(level, name, values, index, self._park_ids)

    # --- targets
    @_reads
    def targets(self) -> pd.DataFrame:
        """The targets of docs/policy.md, a row per December: each target's value and ``<id>_met``;
        ``attrs`` holds thresholds, the target year and the first year each is met."""
        with self._file() as f:
            group = self._require(f, "targets")
            years = group["year"][()]
            ids = list(TARGETS)
            values = np.column_stack([group[t][()] for t in ids]) if len(years) else \
                np.zeros((0, len(ids)))
            met = np.column_stack([group[f"{t}_met"][()] for t in ids]) if len(years) else \
                np.zeros((0, len(ids)), dtype=np.uint8)
            thresholds = [float(group[t].attrs["threshold"]) for t in ids]
            target_year = int(group.attrs["target_year"])
        return targets_frame(years, values, met, thresholds, target_year,
                             self.meta.get("scale"))  # a float since __init__ typed it

    @_reads
    def target_summary(self) -> pd.DataFrame:
        """One row per target: threshold, value and met in the target year, first year met."""
        return target_summary(self.targets())

    @_reads
    def series_names(self, level: str = "park") -> list[str]:
        with self._file() as f:
            return sorted(f[f"series/{level}"].keys()) if f"series/{level}" in f else []

    # --- snapshots
    @_reads
    def snapshot_labels(self, agents: str = "firms") -> list[str]:
        group = _SNAPSHOT_GROUPS[_check_agents(agents)]
        with self._file() as f:
            return list(f[group].keys()) if group in f else []

    def snapshot_years(self, agents: str = "firms") -> list[int]:
        """Years with a table of `agents` ("firms", "talent", "incubators", "funds", "deals") at
        December's end (the base-year state is labelled 'initial')."""
        return sorted(int(label) for label in self.snapshot_labels(agents) if label.isdigit())

    @_reads
    def snapshot(self, year: int | str, agents: str = "firms") -> pd.DataFrame:
        """The living firms (or "talent", or "incubators") at the end of `year`, or "initial":
        the base year."""
        label = str(year)
        group_name = f"{_SNAPSHOT_GROUPS[_check_agents(agents)]}/{label}"
        with self._file() as f:
            if group_name not in f:
                note = resumed_note(self.meta)
                raise SnapshotMissingError(
                    f"{self.path}: no {agents} snapshot {label!r}; available: "
                    f"{', '.join(self.snapshot_labels(agents)) or 'none'}"
                    + (f" (this run {note})" if note else ""))
            group = f[group_name]
            columns = {name: group[name][()] for name in group.keys()}
        order = _SNAPSHOT_ORDER[agents]
        columns = {k: columns[k] for k in order if k in columns}
        frame = agent_frame(columns, self._park_ids)
        if agents == "funds" and len(frame):
            # Total value to paid-in: proceeds so far plus holdings at their last mark.
            invested = frame["invested_cny"].where(frame["invested_cny"] > 0)
            frame["multiple"] = (frame["realized_cny"] + frame["nav_cny"]) / invested
        return frame

    # --- description
    @property
    @_reads
    def parks(self) -> pd.DataFrame:
        """The 22 parks (index: id), as Simulation.parks gives them."""
        with self._file() as f:
            group = self._require(f, "parks")
            table = {k: group[k][()] for k in group.keys()}
        return park_frame(table)

    def scenario(self) -> Scenario:
        """The scenario of the run, with every parameter (defaults included) as it was."""
        return Scenario.from_toml(self.meta["scenario_toml"], source=f"{self.path}:scenario_toml")

    def __repr__(self) -> str:
        resumed = (f", resumed at {self.meta.get('resumed_at')}: snapshots from "
                   f"{self.meta['snapshots_from_year']} only" if resumed_note(self.meta) else "")
        return (f"<Results {self.path}: scenario {self.meta.get('scenario_name')!r}, "
                f"seed {self.meta.get('seed')}, complete={self.meta['complete']}{resumed}>")


def load(path: str | os.PathLike, *, allow_incomplete: bool = False) -> Results:
    """Opens a results file; raises OutputError if it is missing, not ours or incomplete."""
    return Results(path, allow_incomplete=allow_incomplete)


def describe(path: str | os.PathLike) -> str:
    """What is in a results file, as text (the `clustersim info` command)."""
    results = Results(path, allow_incomplete=True)
    meta = results.meta
    lines = [f"file:        {results.path} ({os.path.getsize(results.path) / 1e6:.2f} MB)",
             f"complete:    {'yes' if meta['complete'] else 'NO (the run did not finish)'}"]
    for key in ("scenario_name", "scenario_path", "seed", "threads", "scale", "until_year",
                "clustersim_version", "git_revision", "start_time", "end_time", "host"):
        if key in meta:
            lines.append(f"{key + ':':<13}{meta[key]}")
    if resumed_note(meta):
        kind = meta.get("restore_kind", "resume")
        lines.append(f"{kind + ':':<13}{resumed_note(meta)}"
                     + (f"; changes: {meta['fork_changes']}" if meta.get("fork_changes") else ""))
    with results._file() as f:
        if "time/year" in f:
            years, months = f["time/year"][()], f["time/month"][()]
            if len(years):
                lines.append(f"months:      {len(years)} ({years[0]}-{months[0]:02d} to "
                             f"{years[-1]}-{months[-1]:02d})")
        lines.append(f"parks:       {len(results._park_ids)}")
        for level in ("park", "zone", "city"):
            if f"series/{level}" not in f:
                continue
            lines.append(f"series/{level}:")
            for name, data in f[f"series/{level}"].items():
                unit = _text(data.attrs.get("unit", ""))
                lines.append(f"  {name:<30}{data.shape!s:<16}{unit}")
        if "targets/year" in f:
            years = f["targets/year"][()]
            lines.append(f"targets:     {len(years)} year{'' if len(years) == 1 else 's'}"
                         + (f" ({years[0]}-{years[-1]})" if len(years) else "")
                         + f", target year {int(f['targets'].attrs['target_year'])}")
        for agents, group_name in _SNAPSHOT_GROUPS.items():
            if group_name not in f:
                continue
            lines.append(f"{group_name} ({agents} alive):")
            for label, group in f[group_name].items():
                first = next(iter(group.values()), None)
                count = first.shape[0] if first is not None else 0
                lines.append(f"  {label:<10}{count:>10,d}")
    return "\n".join(lines)


