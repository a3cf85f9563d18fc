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

import base64
import contextlib
import fcntl
import functools
import hashlib
import inspect
import itertools
import json
import math
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import h5py
import numpy as np

from clustersim import _core
from clustersim._common import Progress, now
from clustersim._files import available_memory, check_output
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


# --- the sweep file (written by the client only: a journal, then a writer process)
JOURNAL_FORMAT = b"clustersim-sweep-journal 1"
_BATCH_ROWS = 4096       # finished runs per write when a journal is replayed or a file's rows read
_COMMAND_ROWS = 65536    # commands per message while a new sweep file is built


@dataclass
class _Finished:
    """One finished run as the journal and the sweep file keep it: done (with its outcomes) or
    failed (with its error). ``attempts`` is the count of recorded tries, not an increment, so
    replaying a record twice changes nothing."""
    run: int
    status: int
    attempts: int
    wall_s: float = float("nan")
    worker: str = ""
    error: str = ""
    targets: np.ndarray | None = None      # (years, targets)
    met: np.ndarray | None = None          # (years, targets) 0/1
    series: dict[str, np.ndarray] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {"run": self.run, "status": self.status,
                                  "attempts": self.attempts}
        if self.status == DONE:
            # Outcomes as their bytes (base64): replayed runs equal the computed ones bit for bit.
            record.update(wall_s=self.wall_s, worker=self.worker,
                          series={k: _to_text(v, "<f8") for k, v in self.series.items()})
            if self.targets is not None:
                record.update(targets=_to_text(self.targets, "<f8"), met=_to_text(self.met, "i1"))
        else:
            record["error"] = self.error
        return record

    @classmethod
    def from_json(cls, record: dict[str, Any], n_years: int) -> _Finished:
        run, status, attempts = int(record["run"]), int(record["status"]), int(record["attempts"])
        if status != DONE:
            return cls(run, FAILED, attempts, error=str(record["error"]))
        targets = met = None
        if "targets" in record:
            targets = _from_text(record["targets"], "<f8").reshape(n_years, len(TARGET_IDS))
            met = _from_text(record["met"], "i1").reshape(n_years, len(TARGET_IDS))
        series = {k: _from_text(v, "<f8").reshape(n_years) for k, v in record["series"].items()}
        return cls(run, DONE, attempts, float(record["wall_s"]), str(record["worker"]), "",
                   targets, met, series)


def _to_text(values: np.ndarray, dtype: str) -> str:
    return base64.b64encode(np.ascontiguousarray(values, dtype=dtype).tobytes()).decode("ascii")


def _from_text(text: str, dtype: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text, validate=True), dtype=dtype)


def _locked_message(path: str) -> str:
    return (f"{path}: another process has this sweep file open for writing (is clustersim sweep "
            "running on it?); wait for it to finish or choose another file")


class _Journal:
    """``<sweep file>.journal``: every finished run of the sweep, appended and fsync'ed before
    the sweep file is written, so no failure of the sweep file's writes loses one. Its first line
    names the sweep (a digest of its text and base scenario); each further line is a record,
    ``<crc32> <json>``, so a record torn by a crash or a full disk is recognised and dropped.
    Marks: ``start`` (from here on the journal holds every finished run in the sweep file),
    ``begin`` and ``end`` around each write of the sweep file (a ``begin`` without its ``end``:
    that write failed or was cut off, and the file may be damaged). The open journal is locked
    (``flock``) for as long as a sweep uses its sweep file: one sweep per file."""

    def __init__(self, path: str, sweep_path: str, digest: str):
        self.path, self.sweep_path = path, sweep_path
        self.header = JOURNAL_FORMAT + b" " + digest.encode("ascii") + b"\n"
        self.started, self.clean, self.runs = False, True, 0
        self.removed = False
        self.fd = self._open_locked()
        try:
            self._scan()
        except OSError as error:
            os.close(self.fd)
            raise OutputError(f"{path}: cannot write the journal of the sweep's finished runs "
                              f"({error.strerror or error}; disk full?); free space and re-run "
                              "the same command") from None
        except BaseException:
            os.close(self.fd)
            raise

    def _open_locked(self) -> int:
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW
                             | os.O_CLOEXEC, 0o644)
            except OSError as error:
                raise OutputError(f"{self.path}: cannot open the sweep's journal of finished "
                                  f"runs ({error.strerror}); expected a regular file beside "
                                  f"{self.sweep_path} that clustersim sweep may write") from None
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                os.close(fd)
                raise OutputError(f"{self.path}: is not a regular file; clustersim sweep keeps "
                                  "the journal of the sweep's finished runs there: remove it")
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise OutputError(_locked_message(self.sweep_path)) from None
            # A sweep that has just finished removes its journal: lock the file there now.
            with contextlib.suppress(FileNotFoundError):
                if os.stat(self.path, follow_symlinks=False).st_ino == info.st_ino:
                    return fd
            os.close(fd)

    def _lines(self) -> Iterator[tuple[int, bytes, dict[str, Any] | None]]:
        """(offset, line, record or None when damaged) after the header."""
        with open(os.dup(self.fd), "rb") as f:
            f.seek(len(self.header))
            offset = len(self.header)
            for line in f:
                yield offset, line, _parse_record(line)
                offset += len(line)

    def _scan(self) -> None:
        with open(os.dup(self.fd), "rb") as f:
            first = f.readline()
        if not first.endswith(b"\n"):   # new, or torn while its header was written
            os.ftruncate(self.fd, 0)
            self._write(self.header)
            _sync_folder(self.path)
            return
        if first != self.header:
            if first.startswith(JOURNAL_FORMAT + b" "):
                raise OutputError(f"{self.path}: holds the finished runs of another sweep "
                                  f"(another sweep file or base scenario) than the one asked "
                                  f"for; delete it (and {self.sweep_path}) to start over, or "
                                  "choose another output")
            raise OutputError(f"{self.path}: not a clustersim sweep journal (its first line "
                              f"is {first[:40]!r}); expected the journal clustersim sweep keeps "
                              f"beside {self.sweep_path}: move it away or choose another output")
        good_end = len(self.header)
        for offset, line, record in self._lines():
            if record is None:
                continue            # a damaged record: its run is computed again
            good_end = offset + len(line)
            mark = record.get("mark")
            if mark == "start":
                self.started = True
            elif mark in ("begin", "end"):
                self.clean = mark == "end"
            else:
                self.runs += 1
        # A record torn by a crash or a full disk can only be the last: cut it off, so that the
        # next record starts on a line of its own.
        if good_end < os.fstat(self.fd).st_size:
            os.ftruncate(self.fd, good_end)

    def records(self, n_years: int, n_runs: int) -> Iterator[_Finished]:
        for _, _, record in self._lines():
            if record is None or "run" not in record:
                continue
            try:
                finished = _Finished.from_json(record, n_years)
                if not 0 <= finished.run < n_runs:
                    raise ValueError(f"expected a run in [0, {n_runs})")
            except (KeyError, TypeError, ValueError) as error:
                raise OutputError(f"{self.path}: the record of run {record.get('run')!r} does "
                                  f"not fit this sweep ({error}); delete the journal to compute "
                                  "its runs again") from None
            yield finished

    def append(self, finished: _Finished, *, sync: bool = True) -> None:
        self._record(finished.to_json(), sync)
        self.runs += 1

    def mark(self, mark: str) -> None:
        self._record({"mark": mark}, True)
        if mark == "start":
            self.started = True
        elif mark in ("begin", "end"):
            self.clean = mark == "end"

    def reset(self) -> None:
        """Back to the header alone (before the journal is filled from a readable sweep file)."""
        os.ftruncate(self.fd, len(self.header))
        self.started, self.clean, self.runs = False, True, 0

    def sync(self) -> None:
        os.fsync(self.fd)

    def _record(self, record: dict[str, Any], sync: bool) -> None:
        payload = json.dumps(record, separators=(",", ":")).encode("ascii")
        self._write(b"%08x %s\n" % (zlib.crc32(payload), payload), sync)

    def _write(self, data: bytes, sync: bool = True) -> None:
        size = os.fstat(self.fd).st_size
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self.fd, view):]
            if sync:
                os.fsync(self.fd)
        except OSError:
            with contextlib.suppress(OSError):   # leave no torn record behind
                os.ftruncate(self.fd, size)
            raise

    def remove(self) -> None:
        os.unlink(self.path)
        self.removed = True
        self.close()

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def _parse_record(line: bytes) -> dict[str, Any] | None:
    """A journal line's record; None for a torn or damaged line (no newline, wrong checksum)."""
    if not line.endswith(b"\n") or len(line) < 10 or line[8:9] != b" ":
        return None
    payload = line[9:-1]
    try:
        if int(line[:8], 16) != zlib.crc32(payload):
            return None
        record = json.loads(payload)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def _sync_folder(path: str) -> None:
    """Makes a new file's name durable (its folder's entry)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


class _WriteFailed(Exception):
    """The writer process could not do what it was asked: ``kind`` is "locked" (another
    process has the file open) or "error"; ``reason`` says why, in a few words."""

    def __init__(self, kind: str, reason: str):
        super().__init__(reason)
        self.kind, self.reason = kind, reason


class _Writer:
    """The process that writes sweep files with h5py. After a failed write (a full disk) HDF5
    must not touch the file again, and the process crashes at exit (SIGSEGV): so h5py's writes
    happen in a process of their own, which leaves with ``os._exit`` when one fails, and the
    sweep (its journal, its Dask client) goes on to stop cleanly. It runs in a session of its
    own, so Ctrl-C reaches the sweep only, which then has its last batch written."""

    def __init__(self) -> None:
        from multiprocessing.connection import Connection
        ours, theirs = socket.socketpair()
        self.log = tempfile.TemporaryFile()   # HDF5's complaints, read for the reason of a failure
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _writer_program(), str(theirs.fileno())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True)
        except BaseException:
            ours.close()
            self.log.close()
            raise
        finally:
            theirs.close()
        self.connection = Connection(ours.detach())

    def call(self, *message: Any) -> None:
        try:
            self.connection.send(message)
            reply = self.connection.recv()
        except (EOFError, OSError):
            reply = ("error", self._death())
        if reply[0] != "ok":
            raise _WriteFailed(reply[0], _reason(reply[1]))

    def _death(self) -> str:
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            code = None
        self.log.seek(0)
        said = self.log.read().decode("utf-8", "replace")
        if "error message = '" in said:
            return said
        how = (f"killed by signal {-code}" if code is not None and code < 0
               else f"exit status {code}")
        return f"the sweep file's writer process stopped ({how}){': ' + said if said else ''}"

    def close(self) -> None:
        self.connection.close()   # the writer closes its file at the end of its input
        try:
            self.process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def _reason(text: str) -> str:
    """HDF5's own words for a failed write ('File too large', 'No space left on device'), else
    the last line of the error."""
    found = re.search(r"error message = '([^']*)'", text)
    if found:
        return found.group(1)
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no reason given"


@functools.cache
def _writer_program() -> str:
    """The writer process's program: _serve_writer's own source, which needs only h5py (the
    process starts in a fifth of the time it takes to import clustersim), or, where the source
    is not installed, clustersim's."""
    try:
        return f"import os, sys, h5py\n{inspect.getsource(_serve_writer)}\n" \
               "_serve_writer(int(sys.argv[1]))\n"
    except (OSError, TypeError):
        return "import sys; from clustersim.sweep import _serve_writer; " \
               "_serve_writer(int(sys.argv[1]))"


def _serve_writer(descriptor: int) -> None:
    """The writer process (see _Writer): does each message's operation on one HDF5 file and
    answers ("ok",), ("locked", text) or ("error", text); after a failure it leaves at once."""
    from multiprocessing.connection import Connection
    connection = Connection(descriptor)
    f: h5py.File | None = None
    # Datasets stay open: closing one whose cached chunks failed to write crashes HDF5.
    datasets: dict[str, h5py.Dataset] = {}
    while True:
        try:
            op, *args = connection.recv()
        except (EOFError, OSError):
            break
        try:
            if op in ("create", "open"):
                f, datasets = h5py.File(args[0], "w" if op == "create" else "r+"), {}
            elif op == "dataset":
                name, options = args
                if options.pop("text", False):
                    options["dtype"] = h5py.string_dtype()
                f.create_dataset(name, **options)
            elif op == "attrs":
                group, values = args
                (f if group == "/" else f.require_group(group)).attrs.update(values)
            elif op == "write":
                operations, attrs = args
                for name, rows, values in operations:
                    if name not in datasets:
                        datasets[name] = f[name]
                    datasets[name][rows] = values
                if attrs:
                    f.attrs.update(attrs)
                f.flush()
            elif op == "close":
                datasets.clear()
                f.close()
                f = None
            else:
                raise ValueError(f"unknown operation {op!r}")
        except BlockingIOError as error:
            reply = ("locked", str(error))
        except BaseException as error:  # every failure is the sweep's to report
            reply = ("error", f"{type(error).__name__}: {error}")
        else:
            reply = ("ok",)
        connection.send(reply)
        if reply[0] != "ok":
            sys.stderr.flush()
            os._exit(1)   # never close (nor let Python's exit close) a file after a failed write
    if f is not None:
        datasets.clear()
        f.close()
    os._exit(0)   # every file is closed: nothing is left for Python's (slow) teardown


class _Layout:
    """A new sweep file's contents, as messages for the writer process."""

    def __init__(self) -> None:
        self.messages: list[tuple[Any, ...]] = []

    def attrs(self, group: str, **values: Any) -> None:
        self.messages.append(("attrs", group, values))

    def dataset(self, name: str, data: Any = None, **options: Any) -> None:
        self.messages.append(("dataset", name, options if data is None else {"data": data}))

    def text(self, name: str, n: int, fill: Callable[[int, int], list[str]] | None = None
             ) -> None:
        """A text dataset of n rows, filled (when given) a slice at a time: the commands of a
        sweep of millions of runs are never all in a message."""
        self.messages.append(("dataset", name, {"shape": (n,), "text": True}))
        for start in range(0, n if fill else 0, _COMMAND_ROWS):
            stop = min(n, start + _COMMAND_ROWS)
            self.messages.append(("write", [(name, slice(start, stop), fill(start, stop))],
                                  None))


class _Unreadable(Exception):
    """The sweep file exists but HDF5 cannot read it (damaged)."""


class SweepFile:
    """The HDF5 sweep file: design, run table, outcomes per run and year.

    A finished run is first appended to the sweep's journal (``<file>.journal``, fsync'ed); the
    sweep file is then written in batches (at most 64 runs or 0.5 s old) by a writer process.
    A write that fails (a full disk) stops the sweep with an OutputError naming the file and
    the journal; the next sweep replays the journal into the file, or rebuilds the file from the
    sweep and the journal when the failed write left it damaged, then runs only what is
    missing. The journal is removed once every run is done or failed."""

    def __init__(self, path: str, spec: SweepSpec, points: np.ndarray):
        self.path = path
        self.spec = spec
        self.points = points
        self.n_runs = len(points) * spec.replicates
        self.years = spec.years()
        self.journal_path = f"{path}.journal"
        self.status = np.zeros(self.n_runs, dtype=np.uint8)     # as the journal has it
        self.attempts = np.zeros(self.n_runs, dtype=np.int32)
        self._labels = [outcome.label for outcome in spec.series]
        self._buffer: list[_Finished] = []
        self._flushed = time.monotonic()
        self._writer: _Writer | None = None
        self._writing = False          # the writer has the sweep file open
        self._wrote = False
        self._failed = False
        self._closed = False
        self._complete_in_file = 0
        identity = _identity(spec)
        base_toml = spec.base.to_toml()
        digest = hashlib.sha256(f"{identity}\0{base_toml}".encode()).hexdigest()
        self.journal = _Journal(self.journal_path, path, digest)
        try:
            self._open(identity, base_toml)
        except BaseException:
            self._release()
            raise

    # -- opening: create, replay, or rebuild
    def _open(self, identity: str, base_toml: str) -> None:
        if not os.path.exists(self.path):
            if self.journal.started and self.journal.runs:
                self._rebuild(identity, "is missing")
            else:
                self.journal.reset()
                self._create_whole(identity)
                self._journal(self.journal.mark, "start")
            return
        try:
            status, attempts, complete = self._read_state(identity, base_toml)
        except _Unreadable as damage:
            if not self.journal.started:
                raise OutputError(f"{self.path}: cannot read the sweep file ({damage}); there "
                                  f"is no journal of its finished runs ({self.journal_path}) to "
                                  "rebuild it from: delete it to start the sweep over, or "
                                  "choose another output") from None
            self._rebuild(identity, f"cannot be read ({damage})")
            return
        if not self.journal.started:
            self.status, self.attempts, self._complete_in_file = status, attempts, complete
            if (self.status != DONE).any() or complete != self._complete():
                self._fill_journal()
        elif not self.journal.clean:
            self._rebuild(identity, "was being written when its last sweep stopped")
        else:
            self.status, self.attempts, self._complete_in_file = status, attempts, complete
            self._replay()

    def _read_state(self, identity: str, base_toml: str) -> tuple[np.ndarray, np.ndarray, int]:
        """The run table's status and attempts and the file's `complete` flag; OutputError for
        a file that is not this sweep's, _Unreadable for one HDF5 cannot read."""
        try:
            f = h5py.File(self.path, "r")
        except BlockingIOError:
            raise OutputError(_locked_message(self.path)) from None
        except OSError as error:
            raise _Unreadable(str(error)) from None
        with f:
            try:
                if f.attrs.get("format") != SWEEP_FORMAT:
                    raise OutputError(f"{self.path}: not a clustersim sweep file")
                if int(f.attrs.get("format_version", -1)) != SWEEP_FORMAT_VERSION:
                    raise OutputError(f"{self.path}: sweep format version "
                                      f"{f.attrs.get('format_version')}; this clustersim reads "
                                      f"version {SWEEP_FORMAT_VERSION}")
                if f.attrs["sweep_toml"] != identity or f.attrs["base_scenario_toml"] != base_toml:
                    raise OutputError(f"{self.path}: holds a different sweep (another sweep file "
                                      "or base scenario); choose another output or delete it")
                status = f["runs/status"][()].astype(np.uint8)
                attempts = f["runs/attempts"][()].astype(np.int32)
                complete = int(f.attrs["complete"])
            except (OSError, RuntimeError, KeyError, ValueError) as error:
                raise _Unreadable(f"{type(error).__name__}: {error}") from None
        if len(status) != self.n_runs or len(attempts) != self.n_runs:
            raise _Unreadable(f"runs/status has {len(status)} rows; expected {self.n_runs}")
        return status, attempts, complete

    def _fill_journal(self) -> None:
        """Starts the journal with every finished run of the (readable) sweep file, so that it
        can rebuild the file if a later write damages it (a sweep file of an older clustersim,
        or one whose journal was removed when every run had finished, some failed)."""
        self.journal.reset()
        rows = np.flatnonzero(self.status != PENDING)
        try:
            with h5py.File(self.path, "r") as f:
                for start in range(0, len(rows), _BATCH_ROWS):
                    for finished in self._read_rows(f, rows[start:start + _BATCH_ROWS]):
                        self._journal(self.journal.append, finished, sync=False)
        except (OSError, RuntimeError, KeyError, ValueError) as error:
            raise OutputError(f"{self.path}: cannot read the sweep file's finished runs "
                              f"({type(error).__name__}: {error}); delete it to start the sweep "
                              "over, or choose another output") from None
        self._journal(self.journal.sync)
        self._journal(self.journal.mark, "start")

    def _read_rows(self, f: h5py.File, rows: np.ndarray) -> Iterator[_Finished]:
        status, attempts = f["runs/status"][rows], f["runs/attempts"][rows]
        wall_s, worker = f["runs/wall_s"][rows], f["runs/worker"][rows]
        error = f["runs/error"][rows]
        targets = met = None
        if self.spec.targets and "outcomes/targets" in f:
            targets = np.stack([f[f"outcomes/targets/{t}"][rows] for t in TARGET_IDS], axis=2)
            met = np.stack([f[f"outcomes/targets/{t}_met"][rows] for t in TARGET_IDS], axis=2)
        series = {label: f[f"outcomes/series/{label}"][rows] for label in self._labels
                  if f"outcomes/series/{label}" in f}
        for i, run in enumerate(rows):
            if status[i] == DONE:
                yield _Finished(int(run), DONE, int(attempts[i]), float(wall_s[i]),
                                _text(worker[i]), "",
                                None if targets is None else targets[i],
                                None if met is None else met[i],
                                {label: values[i] for label, values in series.items()})
            else:
                yield _Finished(int(run), FAILED, int(attempts[i]), error=_text(error[i]))

    def _replay(self) -> None:
        """Writes the journal's runs that the sweep file lacks (its last batch before a crash,
        or the batch whose write failed without damaging it)."""
        missing = []
        for finished in self.journal.records(len(self.years), self.n_runs):
            if finished.attempts > self.attempts[finished.run]:
                missing.append(finished)
                self._note(finished)
            if len(missing) >= _BATCH_ROWS:
                self._commit(missing)
                missing = []
        if missing:
            self._commit(missing)

    def _rebuild(self, identity: str, why: str) -> None:
        """A new sweep file from the sweep and every finished run in the journal, put in place of
        a missing or damaged one (no half-written file is ever used)."""
        self.status[:], self.attempts[:] = PENDING, 0
        self._create_whole(identity, replay=True)
        self._journal(self.journal.mark, "end")   # the file is whole again
        if (self.status == DONE).any() or why != "is missing":
            print(f"clustersim: {self.path} {why}; rebuilt it from {self.journal_path} "
                  f"({_runs(self.status)})", file=sys.stderr)

    def _create_whole(self, identity: str, *, replay: bool = False) -> None:
        """Builds the file under a temporary name beside `path` and puts it into place only when
        whole: an interrupted or failed creation (a signal, a full disk, too little memory)
        leaves no file that looks like a sweep. A new file is linked (``os.link`` fails on an
        existing name: nothing is replaced); a rebuilt one replaces the damaged file."""
        layout = _Layout()
        self._create(layout, identity)
        folder, name = os.path.split(os.path.abspath(self.path))
        descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".creating",
                                                 dir=folder)
        os.close(descriptor)
        try:
            writer = self._writer_process()
            self._call(writer, "create", temporary)
            for message in layout.messages:
                self._call(writer, *message)
            if replay:
                batch: list[_Finished] = []
                for finished in self.journal.records(len(self.years), self.n_runs):
                    self._note(finished)
                    batch.append(finished)
                    if len(batch) >= _BATCH_ROWS:
                        self._call(writer, "write", self._operations(batch), None)
                        batch = []
                if batch:
                    self._call(writer, "write", self._operations(batch), None)
            self._call(writer, "close")
            os.chmod(temporary, 0o644)
            if replay and os.path.exists(self.path):
                os.replace(temporary, self.path)
            else:
                with contextlib.suppress(FileExistsError):
                    os.link(temporary, self.path)
            _sync_folder(self.path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)

    def _create(self, f: _Layout, identity: str) -> None:
        spec = self.spec
        f.attrs("/", format=SWEEP_FORMAT, format_version=SWEEP_FORMAT_VERSION, complete=0,
                sweep_toml=identity, sweep_source=spec.source, name=spec.name,
                base_scenario_toml=spec.base.to_toml(), base_source=spec.base_source,
                design=spec.design, seed=spec.seed, replicates=spec.replicates,
                clustersim_version=_core.__version__,
                git_revision=_core.git_revision, created=now())
        f.dataset("design/points", self.points.reshape(len(self.points), -1))
        f.attrs("design", keys=json.dumps(spec.keys),
                problem=json.dumps(spec.problem()) if spec.factors else "{}")
        index = np.arange(self.n_runs)
        f.dataset("runs/point", index // spec.replicates)
        f.dataset("runs/replicate", index % spec.replicates)
        f.dataset("runs/seed", np.array([spec.run_seed(r) for r in index], dtype=np.uint64))
        f.dataset("runs/status", np.zeros(self.n_runs, dtype=np.uint8))
        f.dataset("runs/attempts", np.zeros(self.n_runs, dtype=np.int32))
        f.dataset("runs/wall_s", np.full(self.n_runs, np.nan))
        f.text("runs/error", self.n_runs)
        f.text("runs/worker", self.n_runs)
        sets = spec.set_values()   # parsed once, not per run
        f.text("runs/command", self.n_runs, lambda start, stop: [
            spec.command(r, self.points[r // spec.replicates], sets) for r in range(start, stop)])
        f.dataset("years", np.array(self.years, dtype=np.int32))
        shape = (self.n_runs, len(self.years))
        chunks = (min(self.n_runs, 1024), len(self.years))
        if spec.targets:
            for t in TARGET_IDS:
                f.dataset(f"outcomes/targets/{t}", shape=shape, dtype=float, fillvalue=np.nan,
                          chunks=chunks)
                f.dataset(f"outcomes/targets/{t}_met", shape=shape, dtype=np.int8,
                          fillvalue=-1, chunks=chunks)
            f.attrs("outcomes/targets", thresholds=json.dumps(_thresholds(spec.base)),
                    target_year=int(spec.base["targets.year"]))
        if spec.series:
            for outcome in spec.series:
                f.dataset(f"outcomes/series/{outcome.label}", shape=shape, dtype=float,
                          fillvalue=np.nan, chunks=chunks)

    # -- recording runs
    def pending(self) -> list[int]:
        """Runs not yet done (pending, or failed earlier: tried again)."""
        return [int(r) for r in np.flatnonzero(self.status != DONE)]

    def record(self, result: RunResult) -> None:
        """Journals a finished run, then buffers it; rows are written in batches (at most 64
        runs or 0.5 s old)."""
        labels = set(self._labels)
        finished = _Finished(
            result.run, DONE, int(self.attempts[result.run]) + 1, float(result.wall_s),
            str(result.worker), "",
            None if result.targets is None else np.asarray(result.targets, dtype=float),
            None if result.met is None else np.asarray(result.met, dtype=np.int8),
            {k: np.asarray(v, dtype=float) for k, v in result.series.items() if k in labels})
        self._accept(finished)

    def fail(self, run: int, error: str) -> None:
        self._accept(_Finished(run, FAILED, int(self.attempts[run]) + 1, error=error[:2000]))

    def _accept(self, finished: _Finished) -> None:
        if self._failed:
            raise OutputError(f"{self.path}: an earlier write failed; re-run the sweep to resume")
        self._journal(self.journal.append, finished)
        self._note(finished)
        self._buffer.append(finished)
        if len(self._buffer) >= 64 or time.monotonic() - self._flushed >= 0.5:
            self._write()

    def _note(self, finished: _Finished) -> None:
        self.status[finished.run] = finished.status
        self.attempts[finished.run] = finished.attempts

    def _write(self) -> None:
        if self._buffer:
            self._commit(self._buffer)
            self._buffer = []
        self._flushed = time.monotonic()

    def _commit(self, batch: list[_Finished], attrs: dict[str, Any] | None = None) -> None:
        """Writes a batch into the sweep file between a begin and an end mark in the journal."""
        writer = self._writer_process()
        if not self._writing:
            self._call(writer, "open", self.path)
            self._writing = True
        self._journal(self.journal.mark, "begin")
        self._call(writer, "write", self._operations(batch), attrs)
        self._wrote = True
        self._journal(self.journal.mark, "end")

    def _operations(self, batch: list[_Finished]) -> list[tuple[str, Any, Any]]:
        """(dataset, rows, values) to write a batch: outcomes first and status last (a row
        counts only once its outcomes are in); a run in the batch twice is written as last."""
        last = {finished.run: finished for finished in batch}
        rows = sorted(last)
        done = [last[r] for r in rows if last[r].status == DONE]
        failed = [last[r] for r in rows if last[r].status != DONE]
        operations: list[tuple[str, Any, Any]] = []
        with_targets = [x for x in done if x.targets is not None] if self.spec.targets else []
        if with_targets:
            runs = [x.run for x in with_targets]
            values = np.stack([x.targets for x in with_targets])   # (runs, years, targets)
            met = np.stack([x.met for x in with_targets])
            for j, t in enumerate(TARGET_IDS):
                operations.append((f"outcomes/targets/{t}", runs, values[:, :, j]))
                operations.append((f"outcomes/targets/{t}_met", runs, met[:, :, j]))
        for label in self._labels:
            having = [x for x in done if label in x.series]
            if having:
                operations.append((f"outcomes/series/{label}", [x.run for x in having],
                                   np.stack([x.series[label] for x in having])))
        if done:
            runs = [x.run for x in done]
            operations += [("runs/wall_s", runs, np.array([x.wall_s for x in done])),
                           ("runs/worker", runs, [x.worker for x in done]),
                           ("runs/error", runs, [""] * len(done))]
        if failed:
            operations.append(("runs/error", [x.run for x in failed], [x.error for x in failed]))
        operations.append(("runs/attempts", rows,
                           np.array([last[r].attempts for r in rows], dtype=np.int32)))
        operations.append(("runs/status", rows,
                           np.array([last[r].status for r in rows], dtype=np.uint8)))
        return operations

    def _complete(self) -> int:
        return int(bool(self.n_runs) and bool((self.status != PENDING).all()))

    def close(self) -> None:
        """Writes the last batch and the `complete` flag; removes the journal once every run is
        done or failed (and the file is on disk). After a failed write it only lets go."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._failed:
                return
            complete = self._complete()
            if self._buffer or self._wrote or complete != self._complete_in_file:
                self._commit(self._buffer, {"complete": complete, "updated": now()})
                self._buffer = []
                self._call(self._writer, "close")
                self._writing = False
            if complete:
                # The journal stays where the file cannot be synced to disk.
                with contextlib.suppress(OSError):
                    _sync_file(self.path)
                    self.journal.remove()
        finally:
            self._release()

    def _release(self) -> None:
        """Stops the writer and lets go of the journal: a journal that holds no finished run
        (and no unfinished write) is removed, as a sweep refused or interrupted before its first
        run leaves nothing behind."""
        if self._writer is not None:
            with contextlib.suppress(OSError):
                self._writer.close()
            self._writer = None
        if not self.journal.removed and self.journal.fd >= 0:
            if self.journal.runs == 0 and self.journal.clean:
                with contextlib.suppress(OSError):
                    os.unlink(self.journal_path)
                self.journal.removed = True
            self.journal.close()

    # -- failures
    def _writer_process(self) -> _Writer:
        if self._writer is None:
            self._writer = _Writer()
        return self._writer

    def _call(self, writer: _Writer, *message: Any) -> None:
        try:
            writer.call(*message)
        except _WriteFailed as failure:
            self._failed = True
            self._writing = False
            kept = (f"{_runs(self.status)} kept in {self.journal_path}"
                    if (self.status == DONE).any() else "no run had finished yet")
            if failure.kind == "locked":
                raise OutputError(f"{self.path}: another process has the sweep file open, so it "
                                  f"cannot be updated; {kept}: re-run the same command once it "
                                  "is closed") from None
            raise OutputError(f"{self.path}: cannot write the sweep file ({failure.reason}; "
                              f"disk full?); {kept}: free space and re-run the same command to "
                              "resume") from None

    def _journal(self, action: Callable[..., None], *args: Any, **kwargs: Any) -> None:
        try:
            action(*args, **kwargs)
        except OSError as error:
            self._failed = True
            raise OutputError(f"{self.journal_path}: cannot write the journal of the sweep's "
                              f"finished runs ({error.strerror or error}; disk full?); "
                              f"{_runs(self.status)} kept in it: free space and re-run the "
                              "same command to resume") from None


def _runs(status: np.ndarray) -> str:
    done = int((status == DONE).sum())
    return f"{done} finished run{'' if done == 1 else 's'}"


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _sync_file(path: str) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


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
# A full-scale year takes ~1.2 s on the 2-core development machine (docs/calibration.md); the
# default per-run timeout allows many times that, for slower or busier machines.
SECONDS_PER_FULL_SCALE_YEAR = 1.2
MIN_RUN_TIMEOUT = 600.0


class RunTimeout:
    """How long a run may hold a worker before it counts as hung: ``seconds`` when given, else
    the largest of 10 minutes, 20 times the run's expected time (1.2 s per simulated year at
    full scale) and 10 times the slowest run finished so far."""

    def __init__(self, seconds: float | None = None, expected: float = 0.0):
        self.fixed = seconds
        self.floor = max(MIN_RUN_TIMEOUT, 20 * expected)
        self.slowest = 0.0

    def seconds(self) -> float:
        if self.fixed is not None:
            return self.fixed
        return max(self.floor, 10 * self.slowest)

    def observe(self, wall_s: float) -> None:
        if math.isfinite(wall_s):
            self.slowest = max(self.slowest, wall_s)


def _expected_run_seconds(spec: SweepSpec, points: np.ndarray) -> float:
    """A run's expected time from its scale (the largest of the design) and years simulated."""
    scale = float(spec.base["scale"])
    if "scale" in spec.keys and len(points):
        scale = max(scale, float(np.max(points[:, spec.keys.index("scale")])))
    return SECONDS_PER_FULL_SCALE_YEAR * scale * len(spec.years())


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
              max_memory: float | None = None, run_timeout: float | None = None
              ) -> SweepResults:
    """Runs (or resumes) a sweep into ``output``; returns its results.

    ``client``: a ``distributed.Client``; ``"inline"`` runs every task in this process, in
    order (debugging, tests). Otherwise a client for ``scheduler`` (an address), or a local
    cluster of ``workers`` single-threaded processes (default: the CPU count).
    ``on_result(done)`` is called after each recorded run (it may raise KeyboardInterrupt).
    A run whose worker died, or that holds its worker longer than ``run_timeout`` seconds
    (default: see ``RunTimeout``; not applied inline), is tried again up to ``retries`` times,
    the hung worker restarted, then recorded as failed. Finished runs go to ``<output>.journal``
    before the sweep file: a sweep stopped by a failed write (a full disk) resumes from it.
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
    if run_timeout is not None and (isinstance(run_timeout, bool)
                                    or not isinstance(run_timeout, (int, float))
                                    or not 0 < run_timeout < math.inf):
        raise SweepError(f"run_timeout = {run_timeout!r}: expected a positive number of seconds "
                         "(or None: 10 times the slowest run, at least 10 minutes)",
                         key="run_timeout", value=repr(run_timeout))
    points = spec.points()
    if not os.path.exists(output):
        check_resources(spec, points, output, max_memory=max_memory)
    timeout = RunTimeout(run_timeout, _expected_run_seconds(spec, points))
    store = SweepFile(output, spec, points)
    bar = None
    try:
        keep_dir = None
        if spec.keep_runs:
            keep_dir = output + ".runs"
            os.makedirs(keep_dir, exist_ok=True)
        todo = store.pending()
        bar = Progress(store.n_runs, unit="run", enabled=progress,
                       initial=store.n_runs - len(todo))
        done = store.n_runs - len(todo)
        with _client(client, workers, scheduler) as dask_client:
            for run, result, error in _execute(dask_client, runner,
                                               _tasks(spec, points, todo, keep_dir), retries,
                                               timeout):
                if error is None:
                    store.record(result)
                else:
                    store.fail(run, error)
                done += 1
                bar.update(error is not None)
                if on_result is not None:
                    on_result(done)
    finally:
        if bar is not None:
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
    available = max_memory if max_memory is not None else available_memory()

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


def _execute(client: Any, runner: Callable, tasks: Iterator[RunTask], retries: int,
             timeout: RunTimeout | None = None
             ) -> Iterator[tuple[int, RunResult | None, str | None]]:
    """Yields (run, result, error) as runs finish, keeping a bounded number in flight. A run
    that holds its worker longer than the timeout is cancelled, its worker restarted, and the
    run submitted again (at most ``retries`` times), then given up as failed."""
    if client == "inline":
        for task in tasks:
            try:
                yield task.run, runner(task), None
            except Exception as error:  # a failed run is recorded, the sweep goes on
                yield task.run, None, f"{type(error).__name__}: {error}"
        return
    from distributed import wait
    timeout = timeout or RunTimeout()
    limit = max(4, 4 * len(client.scheduler_info().get("workers", {})))
    in_flight: dict[str, tuple[Any, RunTask, int]] = {}   # key -> (future, task, timeouts)
    clocks = _RunClocks(client)

    def submit(task: RunTask, timeouts: int = 0) -> None:
        future = client.submit(_run_and_report, runner, clocks.topic, task,
                               key=f"clustersim-run-{task.run}-{time.time_ns()}",
                               retries=retries, pure=False)
        in_flight[future.key] = (future, task, timeouts)

    def refill() -> None:
        task = next(tasks, None)
        if task is not None:
            submit(task)

    def retry(hung: dict[str, list[str]], waiting: dict[str, list[str]]
              ) -> Iterator[tuple[int, None, str]]:
        """Restarts the hung workers and submits their runs again: those they were running (or,
        stopped, never started, or whose results they keep) count a try, and are given up as
        failed after ``retries``; those merely queued behind them do not count one."""
        queued = list(itertools.chain(*waiting.values()))
        for key in itertools.chain(*hung.values(), queued):
            in_flight[key][0].cancel()
        _restart_workers(client, list(hung))
        for key in queued:
            _, task, timeouts = in_flight.pop(key)
            submit(task, timeouts)
        seconds = timeout.seconds()
        for worker, keys in hung.items():
            for key in keys:
                _, task, timeouts = in_flight.pop(key)
                if timeouts < retries:
                    submit(task, timeouts + 1)
                    continue
                yield task.run, None, (
                    f"TimeoutError: run {task.run} got no result from its worker within the run "
                    f"timeout of {seconds:g} s on each of {timeouts + 1} tries (last on {worker}, "
                    "which was restarted); if runs are this slow, raise the timeout "
                    "(run_timeout)")
                refill()

    try:
        for task in itertools.islice(tasks, limit):
            submit(task)
        checked = time.monotonic()
        while in_flight:
            poll = min(1.0, timeout.seconds() / 4)
            futures = [future for future, _, _ in in_flight.values()]
            try:
                wait(futures, timeout=poll, return_when="FIRST_COMPLETED")
            except TimeoutError:
                pass
            except Exception:
                if not any(future.cancelled() for future in futures):
                    raise          # a cancelled future is reported below, as a failed run
            for future in [f for f in futures if f.status not in ("pending", "lost")]:
                if future.key not in in_flight or future.status in ("pending", "lost"):
                    continue     # handled with another run's worker, or lost: computed again
                if future.status == "finished":
                    try:
                        result = future.result(timeout=timeout.seconds())
                    except TimeoutError:
                        # Its result is on a worker that does not answer (stopped): that worker
                        # is restarted and every run whose result it keeps is tried again.
                        yield from retry(_silent_holders(client, future, in_flight), {})
                        continue
                    timeout.observe(result.wall_s)
                    outcome: tuple[RunResult | None, str | None] = (result, None)
                else:
                    error = (future.exception() if future.status == "error" else
                             RuntimeError(f"cancelled by the Dask scheduler ({future.status})"))
                    outcome = (None, f"{type(error).__name__}: {error}")
                _, task, _ = in_flight.pop(future.key)
                yield task.run, *outcome
                future.release()
                refill()
            if time.monotonic() - checked < poll:
                continue
            checked = time.monotonic()
            seconds = timeout.seconds()
            hung, waiting = clocks.hung(set(in_flight), seconds)
            if hung:
                yield from retry(hung, waiting)
    finally:
        for future, _, _ in in_flight.values():
            future.cancel()
        clocks.close()


def _silent_holders(client: Any, future: Any, in_flight: dict[str, tuple[Any, RunTask, int]]
                    ) -> dict[str, list[str]]:
    """{worker: runs whose results it alone keeps} for the workers keeping ``future``'s."""
    finished = [f for f, _, _ in in_flight.values() if f.status == "finished"]
    try:
        holders = {key: set(workers) for key, workers in client.who_has(finished).items()}
    except Exception:   # the scheduler does not answer now: try this run again
        holders = {}
    silent = holders.get(future.key) or {"(unknown worker)"}
    found: dict[str, list[str]] = {}
    for key, workers in holders.items():
        if key in in_flight and workers and workers <= silent:
            found.setdefault(min(workers), []).append(key)
    if not any(future.key in keys for keys in found.values()):
        found.setdefault(min(silent), []).append(future.key)
    return found


def _run_and_report(runner: Callable[[RunTask], RunResult], topic: str, task: RunTask
                    ) -> RunResult:
    """Runs a task on a Dask worker, first telling the sweep (an event on ``topic``) that this
    worker has started it: the run's clock for the timeout starts then, not while it waits."""
    from distributed import get_worker
    try:
        worker = get_worker()
    except ValueError:   # not on a worker: nothing to tell
        pass
    else:
        worker.log_event(topic, {"key": worker.get_current_task(), "worker": worker.address})
    return runner(task)


class _RunClocks:
    """Which in-flight runs have held their worker too long. A worker tells when it starts a
    run (an event, see _run_and_report); a run started longer ago than the timeout is hung, and
    so is every run of a worker that has held runs of the sweep for as long without starting
    one (stopped between two runs)."""

    def __init__(self, client: Any):
        self.client = client
        self.topic = f"clustersim-run-started-{os.getpid()}-{time.time_ns()}"
        self.lock = threading.Lock()   # events arrive on the client's event-loop thread
        self.started: dict[str, tuple[str, float]] = {}   # key -> (worker, since)
        self.heard: dict[str, float] = {}                 # worker -> its last start
        self.busy: dict[str, float] = {}                  # worker -> holding runs since
        try:
            client.subscribe_topic(self.topic, self._on_start)
            self.listening = True
        except Exception:   # no events, no timeouts: better than restarting healthy workers
            self.listening = False

    def _on_start(self, event: tuple[float, dict[str, Any]]) -> None:
        message, now = event[1], time.monotonic()
        with self.lock:
            self.started[message["key"]] = (message["worker"], now)
            self.heard[message["worker"]] = now

    def hung(self, keys: set[str], seconds: float
             ) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """({worker: hung runs}, {worker: runs queued there behind them}) among ``keys``."""
        if not self.listening:
            return {}, {}
        try:
            processing = self.client.processing()
        except Exception:   # the scheduler does not answer now: look again next time
            return {}, {}
        now = time.monotonic()
        with self.lock:
            self.started = {k: v for k, v in self.started.items() if k in keys}
            started = dict(self.started)
            heard = dict(self.heard)
        hung: dict[str, list[str]] = {}
        for key, (worker, since) in started.items():
            if now - since > seconds:
                hung.setdefault(worker, []).append(key)
        held = {worker: [k for k in on_worker if k in keys]
                for worker, on_worker in processing.items()}
        held = {worker: ours for worker, ours in held.items() if ours}
        self.busy = {worker: self.busy.get(worker, now) for worker in held}
        waiting: dict[str, list[str]] = {}
        for worker, ours in held.items():
            queued = [k for k in ours if k not in started]
            if worker not in hung and now - max(self.busy[worker], heard.get(worker, 0.0)) \
                    > seconds:
                hung[worker] = ours   # stopped before starting any of them
            elif worker in hung:
                waiting[worker] = [k for k in queued if k not in hung[worker]]
        return hung, waiting

    def close(self) -> None:
        if self.listening:
            with contextlib.suppress(Exception):
                self.client.unsubscribe_topic(self.topic)


def _restart_workers(client: Any, workers: list[str]) -> None:
    """Restarts the workers of hung runs (their nannies kill and replace the process, even a
    stopped one), so that no further run is sent to them; a worker without a nanny is removed."""
    try:
        client.restart_workers(workers, timeout=60, raise_for_error=False)
    except Exception:
        with contextlib.suppress(Exception):
            client.run_on_scheduler(_remove_workers, workers)


async def _remove_workers(workers: list[str], dask_scheduler: Any = None) -> None:
    for worker in workers:
        await dask_scheduler.remove_worker(address=worker, stimulus_id=f"clustersim-hung-"
                                           f"{time.time_ns()}", close=True)


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


__all__ = ["RunResult", "RunTask", "RunTimeout", "SweepFile", "SweepResults", "load_sweep",
           "run_sweep", "simulate", "sobol_indices", "sweep", "wilson_interval"]
