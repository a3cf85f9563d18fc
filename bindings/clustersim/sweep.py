"""Scenario sweeps on Dask: one task per run (design point x replicate), results streamed into
one HDF5 sweep file by the client, resumable (docs/sweeps.md). This is the runner; the results
are read and analysed by clustersim.sweepresults (``SweepResults``, ``load_sweep``,
``wilson_interval``, ``sobol_indices``, re-exported here).

    import clustersim as cs
    results = cs.sweep("scenarios/sweeps/small.toml", output="sweep.h5")   # local Dask cluster
    results.target_probability()         # P(met by each year) per design point, Wilson 95 %
    results.sensitivity("leading_share", year=2025)   # Sobol indices (saltelli designs)
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import h5py
import numpy as np

from clustersim import _core
from clustersim._common import Progress, now
from clustersim._files import check_output
from clustersim.errors import OutputError
from clustersim.scenario import Scenario
from clustersim.sweepfile import TARGET_IDS, SeriesOutcome, SweepError, SweepSpec

# The sweep file's reader and analysis, re-exported (clustersim.sweep.SweepResults and the rest
# are still here).
from clustersim.sweepresults import (DONE, FAILED, PENDING, STATUS_NAMES,  # noqa: F401
                                     SWEEP_FORMAT, SWEEP_FORMAT_VERSION, SweepResults,
                                     _open_sweep, load_sweep, sobol_indices, wilson_interval)


# --- one run (executed on a worker)
@dataclass(frozen=True)
class RunTask:
    """Everything a worker needs for one run; small and picklable."""
    run: int
    point: int
    replicate: int
    seed: int
    scenario_toml: str
    years: tuple[int, ...]
    targets: bool
    series: tuple[SeriesOutcome, ...]
    until: int | None = None
    output: str | None = None
    values: tuple[tuple[str, Any], ...] = ()   # the design point (for custom runners)


@dataclass
class RunResult:
    run: int
    targets: np.ndarray | None = None       # (years, targets) values
    met: np.ndarray | None = None           # (years, targets) 0/1
    series: dict[str, np.ndarray] = field(default_factory=dict)   # label -> (years,)
    wall_s: float = 0.0
    worker: str = ""


def simulate(task: RunTask) -> RunResult:
    """Runs one simulation single-threaded and reduces it to the sweep's outcomes."""
    from clustersim.simulation import Simulation
    started = time.perf_counter()
    scenario = Scenario.from_toml(task.scenario_toml, source=f"<sweep run {task.run}>")
    sim = Simulation(scenario, seed=task.seed, threads=1)
    sim.run(task.until, output=task.output)
    result = RunResult(task.run, worker=socket.gethostname())
    n_years = len(task.years)
    if task.targets:
        frame = sim.targets().reindex(list(task.years))
        result.targets = frame[TARGET_IDS].to_numpy(dtype=float)
        result.met = frame[[f"{t}_met" for t in TARGET_IDS]].fillna(False).to_numpy(dtype=np.int8)
    for outcome in task.series:
        frame = sim.series(outcome.level, outcome.name)
        values = frame[outcome.column] if outcome.column else frame.sum(axis=1)
        by_year = values.groupby(values.index.year)
        reduced = {"december": by_year.last(), "sum": by_year.sum(),
                   "mean": by_year.mean()}[outcome.reduce]
        result.series[outcome.label] = reduced.reindex(list(task.years)).to_numpy(dtype=float)
        assert len(result.series[outcome.label]) == n_years
    result.wall_s = time.perf_counter() - started
    return result


# --- the sweep file (written by the client only)
class SweepFile:
    """The HDF5 sweep file: design, run table, outcomes per run and year. Rows are written as
    runs finish and flushed, so an interrupted sweep leaves a consistent, resumable file."""

    def __init__(self, path: str, spec: SweepSpec, points: np.ndarray):
        self.path = path
        self.spec = spec
        self.points = points
        self.n_runs = len(points) * spec.replicates
        self.years = spec.years()
        identity = _identity(spec)
        if not os.path.exists(path):
            self._create_whole(path, identity)
        self.f = _open_sweep(path, "r+")
        if self.f.attrs["sweep_toml"] != identity or self.f.attrs["base_scenario_toml"] != \
                spec.base.to_toml():
            self.f.close()
            raise OutputError(f"{path}: holds a different sweep (another sweep file or base "
                              "scenario); choose another output or delete it")
        self.status = self.f["runs/status"]
        self._flushed = time.monotonic()
        self._buffer: list[RunResult] = []
        self._datasets: dict[str, h5py.Dataset] = {}

    def _create_whole(self, path: str, identity: str) -> None:
        """Builds the new file under a temporary name beside `path` and links it into place only
        when whole: an interrupted or failed creation (a signal, a full disk, too little memory)
        leaves no file that looks like a sweep, and a second sweep creating the same file at the
        same time finds this one's (``os.link`` fails on an existing name: nothing is replaced)."""
        folder, name = os.path.split(os.path.abspath(path))
        descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".creating",
                                                 dir=folder)
        os.close(descriptor)
        try:
            with h5py.File(temporary, "w") as f:
                self._create(f, identity)
            os.chmod(temporary, 0o644)
            with contextlib.suppress(FileExistsError):   # the other sweep's file is used
                os.link(temporary, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)

    def _create(self, f: h5py.File, identity: str) -> None:
        spec = self.spec
        f.attrs.update(format=SWEEP_FORMAT, format_version=SWEEP_FORMAT_VERSION, complete=0,
                       sweep_toml=identity, sweep_source=spec.source, name=spec.name,
                       base_scenario_toml=spec.base.to_toml(), base_source=spec.base_source,
                       design=spec.design, seed=spec.seed, replicates=spec.replicates,
                       clustersim_version=_core.__version__,
                       git_revision=_core.git_revision, created=now())
        design = f.create_group("design")
        design.create_dataset("points", data=self.points.reshape(len(self.points), -1))
        design.attrs["keys"] = json.dumps(spec.keys)
        design.attrs["problem"] = json.dumps(spec.problem()) if spec.factors else "{}"
        runs = f.create_group("runs")
        index = np.arange(self.n_runs)
        runs["point"] = index // spec.replicates
        runs["replicate"] = index % spec.replicates
        runs["seed"] = np.array([spec.run_seed(r) for r in index], dtype=np.uint64)
        runs.create_dataset("status", data=np.zeros(self.n_runs, dtype=np.uint8))
        runs.create_dataset("attempts", data=np.zeros(self.n_runs, dtype=np.int32))
        runs.create_dataset("wall_s", data=np.full(self.n_runs, np.nan))
        text = h5py.string_dtype()
        runs.create_dataset("error", shape=(self.n_runs,), dtype=text)
        runs.create_dataset("worker", shape=(self.n_runs,), dtype=text)
        sets = spec.set_values()   # parsed once, not per run
        runs["command"] = np.array([spec.command(r, self.points[r // spec.replicates], sets)
                                    for r in index], dtype=object).astype(text)
        f["years"] = np.array(self.years, dtype=np.int32)
        shape = (self.n_runs, len(self.years))
        chunks = (min(self.n_runs, 1024), len(self.years))
        if spec.targets:
            group = f.create_group("outcomes/targets")
            for t in TARGET_IDS:
                group.create_dataset(t, shape=shape, dtype=float, fillvalue=np.nan,
                                     chunks=chunks)
                group.create_dataset(f"{t}_met", shape=shape, dtype=np.int8, fillvalue=-1,
                                     chunks=chunks)
            thresholds = _thresholds(spec.base)
            group.attrs["thresholds"] = json.dumps(thresholds)
            group.attrs["target_year"] = int(spec.base["targets.year"])
        if spec.series:
            group = f.create_group("outcomes/series")
            for outcome in spec.series:
                group.create_dataset(outcome.label, shape=shape, dtype=float, fillvalue=np.nan,
                                     chunks=chunks)

    def pending(self) -> list[int]:
        """Runs not yet done (pending, or failed earlier: tried again)."""
        status = self.status[()]
        return [int(r) for r in np.flatnonzero(status != DONE)]

    def record(self, result: RunResult) -> None:
        """Buffers a finished run; rows are written in batches (at most 64 runs or 0.5 s old),
        outcomes first and status last, then flushed."""
        self._buffer.append(result)
        if len(self._buffer) >= 64 or time.monotonic() - self._flushed >= 0.5:
            self._write()

    def fail(self, run: int, error: str) -> None:
        self._write()
        self.f["runs/error"][run] = error[:2000]
        self.f["runs/attempts"][run] += 1
        self.status[run] = FAILED
        self.f.flush()

    def _write(self) -> None:
        if self._buffer:
            results = sorted(self._buffer, key=lambda x: x.run)
            rows = [x.run for x in results]
            if results[0].targets is not None and "outcomes/targets" in self.f:
                values = np.stack([x.targets for x in results])     # (runs, years, targets)
                met = np.stack([x.met for x in results])
                for j, t in enumerate(TARGET_IDS):
                    self._dataset(f"outcomes/targets/{t}")[rows] = values[:, :, j]
                    self._dataset(f"outcomes/targets/{t}_met")[rows] = met[:, :, j]
            for label in results[0].series:
                self._dataset(f"outcomes/series/{label}")[rows] = \
                    np.stack([x.series[label] for x in results])
            self._dataset("runs/wall_s")[rows] = [x.wall_s for x in results]
            self._dataset("runs/worker")[rows] = [x.worker for x in results]
            self._dataset("runs/error")[rows] = [""] * len(rows)
            attempts = self._dataset("runs/attempts")
            attempts[rows] = attempts[rows] + 1
            self.status[rows] = DONE   # last: a row counts only once its outcomes are in
            self._buffer.clear()
        self.f.flush()
        self._flushed = time.monotonic()

    def _dataset(self, name: str) -> h5py.Dataset:
        if name not in self._datasets:
            self._datasets[name] = self.f[name]
        return self._datasets[name]

    def close(self) -> None:
        self._write()
        status = self.status[()]
        self.f.attrs["complete"] = int(bool(len(status)) and bool((status != PENDING).all()))
        self.f.attrs["updated"] = now()
        self.f.close()


def _identity(spec: SweepSpec) -> str:
    """What makes two sweeps the same: the sweep file's text and the replicates asked for."""
    text = spec.text or json.dumps({"keys": spec.keys, "design": spec.design,
                                    "points": spec.points().tolist()})
    return f"{text}\n# replicates = {spec.replicates}\n"


def _thresholds(scenario: Scenario) -> dict[str, dict[str, Any]]:
    comparison = {t["id"]: t["comparison"] for t in _core.target_catalogue()}
    return {t: {"threshold": float(scenario[f"targets.{t}"]), "comparison": comparison[t]}
            for t in TARGET_IDS}


# --- execution
def _tasks(spec: SweepSpec, points: np.ndarray, runs: list[int], keep_dir: str | None
           ) -> Iterator[RunTask]:
    years = tuple(spec.years())
    for r in runs:
        p = r // spec.replicates
        scenario = spec.scenario_for(points[p]) if spec.check_keys else spec.base
        output = os.path.join(keep_dir, f"run-{r:06d}.h5") if keep_dir else None
        yield RunTask(run=r, point=p, replicate=r % spec.replicates, seed=spec.run_seed(r),
                      scenario_toml=scenario.to_toml(), years=years, targets=spec.targets,
                      series=tuple(spec.series), until=spec.until, output=output,
                      values=tuple(zip(spec.keys, (float(x) for x in points[p]), strict=True)))


def run_sweep(spec: SweepSpec | str | os.PathLike, output: str | os.PathLike, *,
              client: Any = None, workers: int | None = None, scheduler: str | None = None,
              runner: Callable[[RunTask], RunResult] = simulate, progress: bool = False,
              on_result: Callable[[int], None] | None = None, retries: int = 1,
              max_memory: float | None = None) -> SweepResults:
    """Runs (or resumes) a sweep into ``output``; returns its results.

    ``client``: a ``distributed.Client``; ``"inline"`` runs every task in this process, in
    order (debugging, tests). Otherwise a client for ``scheduler`` (an address), or a local
    cluster of ``workers`` single-threaded processes (default: the CPU count).
    ``on_result(done)`` is called after each recorded run (it may raise KeyboardInterrupt).
    A new sweep file is refused before anything is written when its estimated size exceeds the
    free disk space, or building it would need more memory than is available (or than
    ``max_memory`` bytes): see ``check_resources``."""
    if not isinstance(spec, SweepSpec):
        spec = SweepSpec.load(spec)
    output = check_output(output, {"sweep file": spec.source or None,
                                   "base scenario": spec.base_source or None}, example="sweep.h5")
    if isinstance(spec.replicates, bool) or not isinstance(spec.replicates, (int, np.integer)) \
            or not 1 <= spec.replicates <= 1_000_000:
        raise SweepError(f"replicates = {spec.replicates!r}: expected a whole number of runs "
                         "per design point in [1, 1000000]", key="replicates",
                         value=repr(spec.replicates))
    points = spec.points()
    if not os.path.exists(output):
        check_resources(spec, points, output, max_memory=max_memory)
    store = SweepFile(output, spec, points)
    keep_dir = None
    if spec.keep_runs:
        keep_dir = output + ".runs"
        os.makedirs(keep_dir, exist_ok=True)
    todo = store.pending()
    bar = Progress(store.n_runs, unit="run", enabled=progress, initial=store.n_runs - len(todo))
    done = store.n_runs - len(todo)
    try:
        with _client(client, workers, scheduler) as dask_client:
            for run, result, error in _execute(dask_client, runner,
                                               _tasks(spec, points, todo, keep_dir), retries):
                if error is None:
                    store.record(result)
                else:
                    store.fail(run, error)
                done += 1
                bar.update(error is not None)
                if on_result is not None:
                    on_result(done)
    finally:
        bar.close()
        store.close()
    return SweepResults(output)


def check_resources(spec: SweepSpec, points: np.ndarray, output: str, *,
                    max_memory: float | None = None) -> tuple[float, float]:
    """The sweep file's estimated size and the memory needed to build it (bytes); SweepError,
    with both estimates in the message, when the disk under ``output`` has less free space or
    the machine less available memory (``max_memory`` if given). Per run the file keeps the run
    table (its command repeats the run: the longest part) and, per year, each target's value and
    flag and each series; building it holds the commands about three times (Python strings, a
    NumPy array, HDF5's copy)."""
    n_runs = len(points) * spec.replicates
    years = len(spec.years())
    command = len(spec.command(0, points[0]).encode()) if len(points) else 0
    per_run = 64 + command + years * ((9 * len(TARGET_IDS) if spec.targets else 0)
                                      + 8 * len(spec.series))
    disk = float(n_runs * per_run)
    memory = float(n_runs * (3 * command + 256))
    free = shutil.disk_usage(os.path.dirname(os.path.abspath(output))).free
    available = max_memory if max_memory is not None else _available_memory()

    def size(n: float) -> str:
        return f"{n / 2**30:.1f} GiB" if n >= 2**30 else f"{n / 2**20:.0f} MiB"

    needs = (f"{n_runs:,} runs ({len(points):,} design points x {spec.replicates:,} replicates) "
             f"need about {size(disk)} of disk and {size(memory)} of memory to set up")
    if disk > free:
        raise SweepError(f"{output}: {needs}; only {size(free)} of disk is free there. Use fewer "
                         "replicates or points, or another disk", key="replicates",
                         value=str(spec.replicates))
    if available is not None and memory > available:
        limit = (f"the limit (--max-memory) is {size(available)}" if max_memory is not None
                 else f"only {size(available)} of memory is available")
        raise SweepError(f"{output}: {needs}; {limit}. Use fewer replicates or points, or split "
                         "the sweep", key="replicates", value=str(spec.replicates))
    return disk, memory


def _available_memory() -> float | None:
    """MemAvailable of /proc/meminfo in bytes (None where the system has no such file)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024
    except OSError:
        return None
    return None


@contextlib.contextmanager
def _client(client: Any, workers: int | None, scheduler: str | None) -> Iterator[Any]:
    if client == "inline" or client is not None:
        yield client
        return
    from distributed import Client, LocalCluster
    if scheduler:
        with Client(scheduler) as remote:
            yield remote
        return
    # Workers are single-threaded processes; numerical libraries must not spin extra threads.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    n = workers or os.cpu_count() or 1
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=40) as cluster, Client(cluster) as local:
        yield local


def _execute(client: Any, runner: Callable, tasks: Iterator[RunTask], retries: int
             ) -> Iterator[tuple[int, RunResult | None, str | None]]:
    """Yields (run, result, error) as runs finish, keeping a bounded number in flight."""
    if client == "inline":
        for task in tasks:
            try:
                yield task.run, runner(task), None
            except Exception as error:  # a failed run is recorded, the sweep goes on
                yield task.run, None, f"{type(error).__name__}: {error}"
        return
    from distributed import as_completed
    limit = max(4, 4 * len(client.scheduler_info().get("workers", {})))
    pending = as_completed()
    run_of = {}

    def submit(task: RunTask) -> None:
        future = client.submit(runner, task, key=f"clustersim-run-{task.run}-{time.time_ns()}",
                               retries=retries, pure=False)
        run_of[future.key] = task.run
        pending.add(future)

    try:
        for task in itertools.islice(tasks, limit):
            submit(task)
        for future in pending:
            run = run_of.pop(future.key)
            if future.status == "finished":
                yield run, future.result(), None
            else:
                error = future.exception()
                yield run, None, f"{type(error).__name__}: {error}"
            future.release()
            nxt = next(tasks, None)
            if nxt is not None:
                submit(nxt)
    finally:
        for future in list(pending.futures):
            future.cancel()


def sweep(design: SweepSpec | str | os.PathLike, *, replicates: int | None = None,
          client: Any = None, output: str | os.PathLike | None = None,
          workers: int | None = None, progress: bool = False) -> SweepResults:
    """Runs a sweep (a sweep file or a SweepSpec), optionally with another number of
    replicates, on ``client`` (a ``distributed.Client``; None: a local cluster) and returns its
    results. ``output`` defaults to a new file in the temporary directory."""
    if not isinstance(design, SweepSpec):
        design = SweepSpec.load(design)
    if replicates is not None:
        if isinstance(replicates, bool) or not isinstance(replicates, int) or replicates < 1:
            raise SweepError(f"replicates={replicates!r}; expected a positive integer",
                             key="replicates", value=repr(replicates))
        design.replicates = replicates
    if output is None:
        handle, output = tempfile.mkstemp(suffix=".h5", prefix=f"sweep-{design.name}-")
        os.close(handle)
        os.unlink(output)
    return run_sweep(design, output, client=client, workers=workers, progress=progress)


__all__ = ["RunResult", "RunTask", "SweepFile", "SweepResults", "load_sweep", "run_sweep",
           "simulate", "sobol_indices", "sweep", "wilson_interval"]
