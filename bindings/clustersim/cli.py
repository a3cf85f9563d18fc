"""The `clustersim` command: run, info, validate, sweep, outlook, screen, search, calibrate, report,
parameters.

Errors end with one line on stderr and a non-zero status (2: bad input, 1: a run failed,
130: interrupted); no traceback unless CLUSTERSIM_DEBUG=1.
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import sys
import threading
import time
import tomllib

import pandas as pd

from clustersim import _core
from clustersim._common import Progress
from clustersim._files import check_output, file_format, written_whole
from clustersim.errors import ClusterSimError, OutputError, ScenarioError
from clustersim.results import describe
from clustersim.scenario import Scenario
from clustersim.simulation import Simulation


def _parse_set(assignment: str) -> tuple[str, object]:
    """`key=value`, the value read as a TOML value (bare words are strings)."""
    key, sep, text = assignment.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ScenarioError(f"--set {assignment!r}: expected key=value", file="--set",
                            key=key or None, value=assignment, expected="key=value")
    try:
        return key, tomllib.loads(f"v = {text.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        return key, text.strip()


def _load_scenario(path: str | Scenario, assignments: list[str]) -> Scenario:
    scenario = path if isinstance(path, Scenario) else Scenario.load(path)
    path = scenario.source or ""
    for assignment in assignments:
        key, value = _parse_set(assignment)
        try:
            scenario[key] = value
        except ScenarioError as error:
            raise ScenarioError(f"--set {assignment}: {error}".replace(f"{path}: ", ""),
                                file="--set", key=error.key, value=error.value,
                                expected=error.expected) from None
    return scenario.validate()


def _default_threads() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _outside_note(sim: Simulation) -> str:
    """Firms of parks whose plaque was removed stay agents but leave the zone's totals: say how
    many, so the agent count and the summary's firm count can be reconciled."""
    in_zone = sim.series("park", "in_zone").iloc[-1].to_numpy() > 0
    if in_zone.all():
        return ""
    park = sim.firms.park[sim.firms.alive]
    outside = int((~in_zone[park]).sum())
    removed = int((~in_zone).sum())
    return (f" ({outside:,d} of them in the {removed} park{'s' if removed > 1 else ''} removed "
            "from the zone, outside its totals)")


def summary_frame(sim: Simulation) -> pd.DataFrame:
    """One row per simulated year: the zone at December's end and the year's flows
    (full-scale equivalents)."""
    revenue = sim.series("zone", "revenue_cny")
    firms = sim.series("zone", "firms").sum(axis=1)
    employees = sim.series("zone", "employees").sum(axis=1)
    entries = sim.series("zone", "entries").sum(axis=1)
    exits = sim.series("zone", "exits").sum(axis=1)
    leading = revenue[["IC", "biomedicine", "AI"]].sum(axis=1)
    total = revenue.sum(axis=1)
    rows = []
    for year in sorted(set(revenue.index.year)):
        in_year = revenue.index.year == year
        last = revenue.index[in_year][-1]
        rows.append({"year": year, "firms": firms[last], "revenue_cny": total[last],
                     "leading_revenue_cny": leading[last], "employees": employees[last],
                     "entries": entries[in_year].sum(), "exits": exits[in_year].sum()})
    return pd.DataFrame(rows).set_index("year")


def summary_table(sim: Simulation) -> str:
    """One line per simulated year: the zone at December's end and the year's flows."""
    frame = summary_frame(sim)
    header = (f"{'year':>4}  {'firms':>9}  {'revenue trn CNY':>15}  {'leading trn':>11}  "
              f"{'employees m':>11}  {'entries':>8}  {'exits':>8}")
    lines = [header, "-" * len(header)]
    for year, row in frame.iterrows():
        lines.append(f"{year:>4}  {row['firms']:>9,.0f}  {row['revenue_cny'] / 1e12:>15.3f}  "
                     f"{row['leading_revenue_cny'] / 1e12:>11.3f}  "
                     f"{row['employees'] / 1e6:>11.3f}  {row['entries']:>8,.0f}  "
                     f"{row['exits']:>8,.0f}")
    return "\n".join(lines)


_TARGET_FORMAT = {"fraction": lambda v: f"{v:.1%}", "firms/day": lambda v: f"{v:,.1f}"}


def target_table(sim: Simulation) -> str:
    """One line per target of docs/policy.md: threshold, value in the target year (or the last year
    run before it), met then, and the first year it is met in the run."""
    summary = sim.target_summary()
    year = sim.targets().attrs["target_year"]
    header = (f"{'target':<15}  {'threshold':>12}  {f'value {year}':>12}  {'met':>4}  "
              f"{'first met':>9}  {'unit':<17}").rstrip()
    lines = [header, "-" * len(header)]
    for target, row in summary.iterrows():
        fmt = _TARGET_FORMAT.get(row["unit"], lambda v: f"{v:,.0f}")
        value = fmt(row["value"]) if not pd.isna(row["year"]) else "-"
        first = str(row["first_met"]) if not pd.isna(row["first_met"]) else "not yet"
        mark = "" if row.get("faithful", True) else " *"
        unit = "share" if row["unit"] == "fraction" else row["unit"]
        lines.append((f"{target:<15}  {row['comparison']:>2}{fmt(row['threshold']):>10}  "
                      f"{value:>12}  {'yes' if row['met'] else 'no':>4}  {first:>9}  "
                      f"{unit:<17}").rstrip() + mark)
    if "faithful" in summary and not summary["faithful"].all():
        lines.append(f"* not faithful at scale {sim.scenario['scale']:g}: the full zone's "
                     "verdict can differ; run at full scale (docs/model.md, section 3.4.7)")
    return "\n".join(lines)


def _checkpoint_state(path: str, identity: dict[str, str]) -> str:
    """How a checkpoint's run is described in messages: scenario, seed and the month it is at."""
    at = (f", at the end of {identity['year']}-{int(identity['month']):02d}"
          if "year" in identity and "month" in identity else "")
    return (f"{path} (scenario {identity.get('scenario_name', '?')!r}, seed "
            f"{identity.get('seed', '?')}{at})")


def _check_until(path: str, identity: dict[str, str], until: int, horizon: int) -> None:
    """A resumed run only goes forward: an --until before the checkpoint's year would write a
    'complete' file holding more years than asked."""
    year = int(identity.get("year", _core.base_year))
    if until < year:
        raise ScenarioError(
            f"--until {until}: before the state of the checkpoint {path} (the end of "
            f"{year}-{int(identity.get('month', 12)):02d}); a resumed run only goes forward: "
            f"expected a year from {year} to {horizon} (horizon_year)", file=path, key="until",
            value=str(until), expected=f"a year from {year} to {horizon}")


def _run(args: argparse.Namespace) -> int:
    from clustersim.simulation import _checkpoint_scenario, check_memory, checkpoint_identity
    if args.scenario is None and args.from_checkpoint is None:
        raise ScenarioError("no scenario: give a scenario file, or --from a checkpoint",
                            key="scenario")
    base = args.scenario if args.scenario is not None else \
        _checkpoint_scenario(args.from_checkpoint)
    scenario = _load_scenario(base, args.set or [])
    if args.checkpoint_every is not None and args.checkpoint_every < 1:
        raise ScenarioError(f"--checkpoint-every {args.checkpoint_every}: expected a positive "
                            "number of months", key="checkpoint-every",
                            value=str(args.checkpoint_every))
    if args.max_memory is not None and not args.max_memory > 0:
        raise ScenarioError(f"--max-memory {args.max_memory}: expected a positive number of GiB",
                            key="max-memory", value=str(args.max_memory))
    inputs = {"scenario file": args.scenario, "checkpoint": args.from_checkpoint}
    if args.csv:
        folder = os.path.dirname(os.path.abspath(args.csv))
        if not os.path.isdir(folder):
            raise OutputError(f"--csv {args.csv}: directory {folder} does not exist")
        for suffix in ("years", "targets"):
            check_output(f"{args.csv}-{suffix}.csv", inputs, example="table.csv")
    output = check_output(args.output, inputs)
    horizon = int(scenario["horizon_year"])
    until = args.until if args.until is not None else horizon
    if args.from_checkpoint is not None:
        _check_until(args.from_checkpoint, checkpoint_identity(args.from_checkpoint), until,
                     horizon)
    # Before anything is allocated: a run that cannot fit is refused with the estimate, not
    # killed by bad_alloc after minutes.
    max_memory = None if args.max_memory is None else args.max_memory * 2**30
    check_memory(scenario, min(max(until, _core.base_year), horizon), max_memory,
                 option="--max-memory")
    started = time.perf_counter()
    if args.from_checkpoint is not None:
        # A fork when --set or another scenario changes it; the checkpoint's seed unless --seed.
        sim = Simulation.restore(args.from_checkpoint, scenario, seed=args.seed,
                                 threads=args.threads)
        if not args.quiet:
            # Say whether the checkpoint's run is continued or forked, and what differs.
            kind, changes = sim._parent["restore_kind"], sim._parent["fork_changes"]
            state = _checkpoint_state(args.from_checkpoint,
                                      checkpoint_identity(args.from_checkpoint))
            print(f"clustersim: {'forking' if kind == 'fork' else 'resuming'} {state}"
                  + (f" with changes: {changes}" if changes else ""), file=sys.stderr)
    else:
        sim = Simulation(scenario, seed=1 if args.seed is None else args.seed,
                         threads=args.threads, max_memory=math.inf)
    total = (min(until, horizon) - _core.base_year + 1) * 12
    # disable=None: a bar on a terminal, nothing in logs and pipes.
    progress = Progress(total, unit="month", enabled=not args.quiet, desc="simulating",
                        file=sys.stderr, leave=False, disable=None)
    checkpoint = output + ".checkpoint.h5"

    def step_done(done: int, total_steps: int) -> None:
        progress(done, total_steps)
        if args.checkpoint_every and done % args.checkpoint_every == 0 and done < total_steps:
            sim.checkpoint(checkpoint)
    try:
        sim.run(until, output=output, progress=step_done, max_memory=math.inf)
    except KeyboardInterrupt:
        args.resume_hint = _resume_hint(sim, checkpoint, output) if args.checkpoint_every \
            else ""
        raise
    finally:
        progress.close()
    elapsed = time.perf_counter() - started
    if not args.quiet:
        print(summary_table(sim))
        print()
        print(target_table(sim))
    if args.csv:
        # The two tables above, whole numbers in CNY and persons, for a spreadsheet.
        for suffix, frame in (("years", summary_frame(sim)), ("targets", sim.target_summary())):
            path = f"{args.csv}-{suffix}.csv"
            with written_whole(path) as handle:
                frame.to_csv(handle)
            print(f"wrote {path}")
    print(f"wrote {output}: {sim.steps_done} months, {len(sim.firms):,d} firm agents at the end"
          f"{_outside_note(sim)}, seed {sim.seed}, {sim.threads} threads, {elapsed:.1f} s")
    return 0


def _resume_hint(sim: Simulation, checkpoint: str, output: str) -> str:
    """The command that resumes an interrupted run, only if `checkpoint` holds this run's state
    (its run id: written by this process, or the one this resume continues). A checkpoint left
    by another run on the same -o (another scenario or seed) would continue that run instead."""
    from clustersim.simulation import checkpoint_identity
    if not os.path.exists(checkpoint):
        return ""
    identity = checkpoint_identity(checkpoint)
    if identity.get("run_id") == sim._run_id:
        return (f"; resume from the last checkpoint with: clustersim run --from {checkpoint} "
                f"-o {output}")
    return (f"; {output}.partial holds what was written (marked incomplete). No checkpoint of "
            f"this run was written yet: {_checkpoint_state(checkpoint, identity)} is another "
            "run's and would not resume this one; run the command again to start over")


def describe_sweep(path: str) -> str:
    from clustersim.sweepresults import SweepResults
    results = SweepResults(path)
    runs = results.runs()
    counts = runs["status"].value_counts()
    design = results.design()
    lines = [f"file:        {path} ({os.path.getsize(path) / 1e6:.2f} MB): a sweep file",
             f"complete:    {'yes' if results.complete else 'no (re-run clustersim sweep to resume)'}",
             f"name:        {results.meta.get('name', '')}",
             f"design:      {results.meta.get('design', '')}, {len(design)} points x "
             f"{results.replicates} replicates over {', '.join(results.keys) or 'nothing'}",
             f"runs:        {len(runs)}: {counts.get('done', 0)} done, "
             f"{counts.get('failed', 0)} failed, {counts.get('pending', 0)} pending",
             f"years:       {results.years[0]}-{results.years[-1]}" if results.years else
             "years:       none"]
    return "\n".join(lines)


def describe_checkpoint(path: str) -> str:
    import h5py
    with h5py.File(path, "r") as f:
        meta = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
    lines = [f"file:               {path} ({os.path.getsize(path) / 1e6:.2f} MB): a checkpoint "
             "(resume with clustersim run --from)"]
    if "year" in meta and "month" in meta:
        lines.append(f"state at:           end of {meta['year']}-{int(meta['month']):02d} "
                     f"({meta.get('steps_done', '?')} months run)")
    for key in ("scenario_name", "scenario_path", "seed", "scale", "run_id", "run_output",
                "clustersim_version", "git_revision", "created"):
        if key in meta:
            lines.append(f"{key + ':':<20}{meta[key]}")
    return "\n".join(lines)


def describe_fit(path: str) -> str:
    from clustersim.fit import Fit
    fit = Fit(path)
    spec = fit.spec   # rebuilt from the file: once
    return "\n".join([
        f"file:        {path} ({os.path.getsize(path) / 1e6:.2f} MB): a calibration fit",
        f"name:        {fit.meta.get('name', '')}",
        f"method:      {fit.meta.get('method', '')}, {fit.meta.get('generations_run', '?')} "
        f"generations, {fit.meta.get('evaluations', '?')} simulations, "
        f"{len(fit.weights)} particles",
        f"parameters:  {', '.join(fit.keys)}",
        f"moments:     {len(spec.moments())} ({len(spec.facts)} behavioural facts, "
        f"{len(spec.report_only)} reported only)"])


def _info(args: argparse.Namespace) -> int:
    kind = file_format(args.file)
    if kind == "clustersim-sweep":
        print(describe_sweep(args.file))
    elif kind == "clustersim-checkpoint":
        print(describe_checkpoint(args.file))
    elif kind == "clustersim-calibration":
        print(describe_fit(args.file))
    else:  # results files, and the clear errors for anything else
        print(describe(args.file))
    return 0


def _validate(args: argparse.Namespace) -> int:
    scenario = _load_scenario(args.scenario, args.set or [])
    print(f"{args.scenario}: valid ({len(scenario._core.values())} "
          "parameters set, the rest at their defaults)")
    return 0


def _parameters(args: argparse.Namespace) -> int:
    from clustersim.scenario import parameters
    chosen = [p for p in parameters()
              if args.prefix is None or p["key"] == args.prefix
              or p["key"].startswith(args.prefix.rstrip(".") + ".")]
    if not chosen:
        raise ScenarioError(f"no parameter key starts with {args.prefix!r}; "
                            "`clustersim parameters` lists them all", key=args.prefix)
    for p in chosen:
        unit = f" [{p['unit']}]" if p["unit"] else ""
        print(f"{p['key']} = {p['default']!r}{unit}\n    {p['description']} "
              f"(source: {p['source']})")
    return 0


def _sweep(args: argparse.Namespace) -> int:
    from clustersim.sweep import run_sweep
    from clustersim.sweepfile import SweepSpec
    spec = SweepSpec.load(args.sweep)
    if args.replicates is not None:
        if not 1 <= args.replicates <= 1_000_000:
            raise ScenarioError(f"--replicates {args.replicates}: expected a number of runs per "
                                "design point in [1, 1000000]", key="replicates",
                                value=str(args.replicates))
        spec.replicates = args.replicates
    if args.max_memory is not None and not args.max_memory > 0:
        raise ScenarioError(f"--max-memory {args.max_memory}: expected a positive number of GiB",
                            key="max-memory", value=str(args.max_memory))
    if args.workers is not None and args.workers < 1:
        raise ScenarioError(f"--workers {args.workers}: expected a positive number of worker "
                            "processes", key="workers", value=str(args.workers))
    if args.run_timeout is not None and not args.run_timeout > 0:
        raise ScenarioError(f"--run-timeout {args.run_timeout}: expected a positive number of "
                            "seconds", key="run-timeout", value=str(args.run_timeout))
    started = time.perf_counter()
    try:
        results = run_sweep(spec, args.output, workers=args.workers, scheduler=args.scheduler,
                            run_timeout=args.run_timeout,
                            progress=not args.quiet and sys.stderr.isatty(),
                            max_memory=None if args.max_memory is None
                            else args.max_memory * 2**30)
    except KeyboardInterrupt:
        print(f"\nclustersim: interrupted; {args.output} holds the runs finished so far: run "
              "the same command again to resume", file=sys.stderr)
        return 130
    runs = results.runs()
    counts = runs["status"].value_counts()
    elapsed = time.perf_counter() - started
    print(f"wrote {args.output}: {len(runs)} runs ({counts.get('done', 0)} done, "
          f"{counts.get('failed', 0)} failed), {elapsed:.1f} s")
    if counts.get("failed", 0):
        first = runs[runs["status"] == "failed"].iloc[0]
        print(f"first failure (run {first.name}): {first['error']}", file=sys.stderr)
        return 1
    return 0


def _outlook(args: argparse.Namespace) -> int:
    from clustersim.outlook import OutlookSpec, run_outlook, summary
    if args.workers is not None and args.workers < 1:
        raise ScenarioError(f"--workers {args.workers}: expected a positive number of worker "
                            "processes", key="workers", value=str(args.workers))
    spec = OutlookSpec(args.scenarios, draws=args.draws, seeds=args.seeds, seed=args.seed,
                       scale=args.scale, until=args.until, split=args.split,
                       posterior=args.posterior)
    if args.brief:   # refused before hours of runs, not after
        check_output(args.brief, {"outlook file": args.output}, example="brief.html")
    started = time.perf_counter()
    try:
        results = run_outlook(spec, args.output, workers=args.workers, scheduler=args.scheduler,
                              progress=not args.quiet and sys.stderr.isatty())
    except KeyboardInterrupt:
        print(f"\nclustersim: interrupted; {args.output} holds the runs finished so far: run "
              "the same command again to resume", file=sys.stderr)
        return 130
    year = args.year if args.year is not None else min(2025, results.years[-1])
    if year not in results.years:
        raise ScenarioError(f"--year {year}: expected a year the runs reach "
                            f"({results.years[0]}-{results.years[-1]})", key="year",
                            value=str(year))
    print(summary(results, year))
    runs = results.runs()
    failed = int((runs["status"] == "failed").sum())
    print(f"\nwrote {args.output}: {len(runs)} runs ({failed} failed), "
          f"{time.perf_counter() - started:.1f} s")
    if args.brief:
        from clustersim.brief import write_brief
        print(f"wrote {write_brief(args.output, args.brief, year=args.year)}")
    return 1 if failed else 0


def _search(args: argparse.Namespace) -> int:
    from clustersim.search import SearchSpec, run_search, summary
    if args.workers is not None and args.workers < 1:
        raise ScenarioError(f"--workers {args.workers}: expected a positive number of worker "
                            "processes", key="workers", value=str(args.workers))
    levers = [x for part in args.levers for x in part.split(",") if x] if args.levers else None
    spec = SearchSpec(args.base, args.target, args.year, probability=args.probability,
                      levers=levers, max_intensity=args.max_intensity, step=args.step,
                      start_year=args.start_year, draws=args.draws, seeds=args.seeds,
                      seed=args.seed, scale=args.scale, trials=args.trials,
                      posterior=args.posterior)
    started = time.perf_counter()
    args.resume_hint = (f"; {args.output} holds the candidates evaluated so far: run the same "
                        "command again to resume")

    def report_trial(trial: int, row: dict) -> None:
        # Each trial is draws x seeds runs: a line per trial, with the time left at this pace.
        spent = time.perf_counter() - started
        left = spent / trial * (spec.trials - trial)
        print(f"trial {trial}/{spec.trials}: cost {row['cost_cny'] / 1e9:,.1f} bn CNY, "
              f"P = {row['p_met']:.2f}{' (meets P)' if row['feasible'] else ''}; "
              f"{spent:.0f} s, about {left:.0f} s left", file=sys.stderr, flush=True)

    result = run_search(spec, args.output, client="inline" if args.inline else None,
                        workers=args.workers, scheduler=args.scheduler,
                        on_trial=None if args.quiet else report_trial)
    print(summary(spec, result))
    print(f"\nwrote {args.output}/search.json and best.toml, "
          f"{time.perf_counter() - started:.1f} s")
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from clustersim.calibfile import CalibrationSpec
    from clustersim.calibration import run_calibration
    spec = CalibrationSpec.load(args.calibration)
    if args.posterior:   # refused before the simulations, not after
        check_output(args.posterior, {"calibration file": args.calibration,
                                      "fit file": args.output}, example="posterior.csv")
    if args.workers is not None and args.workers < 1:
        raise ScenarioError(f"--workers {args.workers}: expected a positive number of worker "
                            "processes", key="workers", value=str(args.workers))
    started = time.perf_counter()
    client = "inline" if args.inline else None
    batches = {"n": 0}

    def report_batch(generation: int, batch: int) -> None:
        # A calibration runs for minutes to hours: one line per batch says it is alive.
        # How many generations SMC needs is not known in advance; the budget bounds it, so
        # the estimate is the time to spend the rest of the budget at this pace (at most).
        batches["n"] += 1
        done, spent = batches["n"] * spec.batch, time.perf_counter() - started
        left = max(0, spec.budget - done) * spent / done
        print(f"clustersim: generation {generation} of at most {spec.generations}, batch "
              f"{batch + 1}: {done} of at most {spec.budget} simulations in {spent:.0f} s, "
              f"at most about {left:.0f} s left", file=sys.stderr, flush=True)

    try:
        fit = run_calibration(spec, args.output, client=client, workers=args.workers,
                              scheduler=args.scheduler,
                              on_batch=None if args.quiet else report_batch)
    except KeyboardInterrupt:
        print(f"\nclustersim: interrupted; {args.output}.abc.db holds the generations finished "
              "so far: run the same command again to resume", file=sys.stderr)
        return 130
    elapsed = time.perf_counter() - started
    table = fit.identification()
    with pd.option_context("display.width", 140, "display.max_columns", 20):
        print(table[["prior_low", "prior_high", "posterior_mean", "low_90", "high_90", "ratio",
                     "constrained"]].to_string(float_format=lambda v: f"{v:.4g}"))
    print(f"wrote {args.output}: {len(fit.weights)} particles, {fit.meta['evaluations']} "
          f"simulations, {fit.meta['generations_run']} generations, {elapsed:.1f} s")
    if args.posterior:
        from clustersim.posterior import write_posterior
        print(f"wrote {write_posterior(fit, args.posterior)}: the joint posterior")
    return 0


def _report(args: argparse.Namespace) -> int:
    from clustersim.report import write_report
    check_output(args.output, {"results file": args.file, "attribution sweep": args.attribution},
                 example="report.html")
    if args.seeds is not None and not 1 <= args.seeds <= 1000:
        raise ScenarioError(f"--seeds {args.seeds}: expected a number of runs in [1, 1000]",
                            key="seeds", value=str(args.seeds))
    write_report(args.file, args.output, seeds=args.seeds or 0, year=args.year,
                 attribution=args.attribution)
    print(f"wrote {args.output}")
    return 0


def _screen(args: argparse.Namespace) -> int:
    from clustersim.screening import (ScreeningSpec, policy_ranking, ranking, run_screening)
    if args.workers is not None and args.workers < 1:
        raise ScenarioError(f"--workers {args.workers}: expected a positive number of worker "
                            "processes", key="workers", value=str(args.workers))
    specs = [ScreeningSpec(path, factor=args.factor, seeds=args.seeds, seed=args.seed,
                           scale=args.scale, until=args.until, keys=args.key or None,
                           hold_fit=not args.alone)
             for path in [args.scenario] + ([args.against] if args.against else [])]
    outputs = [args.output] + ([os.path.splitext(args.output)[0] + "-against.h5"]
                               if args.against else [])
    if args.against:   # the same steps in both, or the effects could not be paired
        if specs[0].points()[1] != specs[1].points()[1]:
            raise ScenarioError(f"--against {args.against}: its held assumptions differ from "
                                f"{args.scenario}'s, so the steps would differ", key="against",
                                value=args.against, expected="a scenario with the same values "
                                "of the assumed parameters")
    spec = specs[0]
    started = time.perf_counter()
    try:
        every = [run_screening(s, out, workers=args.workers, scheduler=args.scheduler,
                               progress=not args.quiet and sys.stderr.isatty())
                 for s, out in zip(specs, outputs)]
        results = every[0]
    except KeyboardInterrupt:
        print(f"\nclustersim: interrupted; {args.output} holds the runs finished so far: run "
              "the same command again to resume", file=sys.stderr)
        return 130
    year = args.year if args.year is not None else results.years[-1]
    if year not in results.years:
        raise ScenarioError(f"--year {year}: expected a year the runs reach "
                            f"({results.years[0]}-{results.years[-1]})", key="year",
                            value=str(year))
    table = ranking(results, year)
    with pd.option_context("display.max_rows", None, "display.width", 200,
                           "display.max_colwidth", 80):
        print(f"held assumptions stepped x/÷ {args.factor:g}, effects on the targets in {year} "
              f"(paired over {args.seeds} seeds; a move counts where its 95 % interval "
              "excludes 0):")
        print(table.to_string(index=False))
        if args.against:
            print(f"\nshifts of the effect of {os.path.basename(args.scenario)} against "
                  f"{os.path.basename(args.against)} in {year} (paired by seed):")
            print(policy_ranking(every[0], every[1], year).to_string(index=False))
    for key, why in spec.skipped.items():
        print(f"not stepped: {key}: {why}")
    print()
    failed = 0
    for out, done in zip(outputs, every):
        status = done.runs()["status"]
        failed += int((status == "failed").sum())
        print(f"wrote {out}: {len(status)} runs ({int((status == 'failed').sum())} failed)")
    print(f"{time.perf_counter() - started:.1f} s")
    return 1 if failed else 0


def _add_dask_options(command: argparse.ArgumentParser) -> argparse._MutuallyExclusiveGroup:
    """--workers or --scheduler: where a sweep's or a calibration's runs go."""
    where = command.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int,
                       help="local Dask cluster of this many single-threaded worker processes "
                            "(default: all cores)")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="a running Dask scheduler, e.g. tcp://host:8786")
    return where


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clustersim", description=(
        "Agent-based simulator of the Zhangjiang high-tech zone's 22 parks."))
    parser.add_argument("--version", action="version", version=f"clustersim {_core.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run a scenario and write an HDF5 results file")
    run.add_argument("scenario", nargs="?",
                     help="scenario TOML file (with --from: replaces the checkpoint's scenario)")
    run.add_argument("-o", "--output", required=True, help="results file to write (HDF5)")
    run.add_argument("--seed", type=int, default=None,
                     help="random seed (default 1; with --from, the checkpoint's)")
    run.add_argument("--checkpoint-every", type=int, metavar="MONTHS",
                     help="write the complete state to <output>.checkpoint.h5 every MONTHS steps")
    run.add_argument("--from", dest="from_checkpoint", metavar="CHECKPOINT",
                     help="resume (or, with --set or a scenario, fork) a checkpoint")
    run.add_argument("--threads", type=int, default=_default_threads(),
                     help="worker threads (default: all cores; results do not depend on it)")
    run.add_argument("--until", type=int, help="last year to simulate (default: horizon_year)")
    run.add_argument("--set", action="append", metavar="KEY=VALUE",
                     help="override a parameter (repeatable), e.g. --set scale=0.01")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    run.add_argument("--csv", metavar="PREFIX",
                     help="also write the summary tables as PREFIX-years.csv and "
                          "PREFIX-targets.csv")
    run.add_argument("--max-memory", metavar="GIB", type=float,
                     help="refuse a run whose estimated peak memory is more than this "
                          "(default: the memory available now)")
    run.set_defaults(handler=_run)

    info = commands.add_parser("info", help="describe a results, sweep, checkpoint or "
                               "calibration file")
    info.add_argument("file", help="a file written by clustersim run, sweep or calibrate, or a "
                      "checkpoint")
    info.set_defaults(handler=_info)

    validate = commands.add_parser("validate", help="check a scenario file without running it")
    validate.add_argument("scenario", help="scenario TOML file")
    validate.add_argument("--set", action="append", metavar="KEY=VALUE",
                          help="override a parameter (repeatable), as for run")
    validate.set_defaults(handler=_validate)

    sweep = commands.add_parser("sweep", help="run a sweep file on Dask into an HDF5 sweep file "
                                "(re-run the same command to resume)")
    sweep.add_argument("sweep", help="sweep TOML file (docs/sweeps.md)")
    sweep.add_argument("-o", "--output", required=True, help="sweep file to write (HDF5)")
    _add_dask_options(sweep)
    sweep.add_argument("--replicates", type=int, help="replicates per point (default: the file's)")
    sweep.add_argument("--max-memory", metavar="GIB", type=float,
                       help="refuse a new sweep whose set-up needs more memory than this "
                       "(default: the memory available now)")
    sweep.add_argument("--run-timeout", metavar="SECONDS", type=float,
                       help="give up on a run that holds its worker longer than this: restart "
                       "the worker, try the run again (default: 10 x the slowest run, at least "
                       "10 min)")
    sweep.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    sweep.set_defaults(handler=_sweep)

    outlook = commands.add_parser(
        "outlook", help="P(each target met) per scenario over seeds and the uncertain "
        "parameters, with paired comparisons (docs/outlook.md; re-run to resume)")
    outlook.add_argument("scenarios", nargs="+", help="scenario TOML files to compare")
    outlook.add_argument("-o", "--output", required=True, help="outlook file to write (HDF5)")
    outlook.add_argument("--draws", type=int, default=16,
                         help="joint draws of the uncertain parameters (default 16)")
    outlook.add_argument("--seeds", type=int, default=4,
                         help="runs per draw and scenario, with common seeds (default 4)")
    outlook.add_argument("--seed", type=int, default=1, help="seed of the draws and runs")
    outlook.add_argument("--scale", type=float,
                         help="agents per real firm (default: the scenarios'; see README, "
                         "'Which scale for which target')")
    outlook.add_argument("--until", type=int, help="last year run (default: the horizon)")
    outlook.add_argument("--split", action="store_true",
                         help="also run the draws with only the model's parameters and with "
                         "only the lever effects drawn: the variance by source (3x the runs)")
    outlook.add_argument("--posterior", metavar="CSV",
                         help="a calibration's joint posterior (clustersim calibrate "
                              "--posterior): its parameters are drawn as whole particles")
    outlook.add_argument("--year", type=int,
                         help="year of the printed summary (default 2025, the policy's) and of "
                         "the brief's verdicts (default: the last year)")
    outlook.add_argument("--brief", metavar="HTML",
                         help="also write the policy brief (as clustersim report does)")
    _add_dask_options(outlook)
    outlook.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    outlook.set_defaults(handler=_outlook)

    screen = commands.add_parser(
        "screen", help="how much each assumed parameter that the outlook holds at its default "
        "moves the targets: one step down and up at a time (docs/outlook.md; re-run to resume)")
    screen.add_argument("scenario", help="scenario TOML file")
    screen.add_argument("-o", "--output", required=True, help="sweep file to write (HDF5)")
    screen.add_argument("--factor", type=float, default=2.0,
                        help="each step divides and multiplies the default by this (default 2)")
    screen.add_argument("--seeds", type=int, default=2,
                        help="replicates per point, common to every point (default 2)")
    screen.add_argument("--seed", type=int, default=1, help="seed of the runs")
    screen.add_argument("--scale", type=float, help="agents per firm (default: the scenario's)")
    screen.add_argument("--until", type=int, help="last year run (default: the horizon)")
    screen.add_argument("--year", type=int, help="year of the effects (default: the last)")
    screen.add_argument("--against", metavar="SCENARIO",
                        help="also screen this scenario (the counterfactual) with the same steps "
                             "and seeds, into <output>-against.h5, and rank how each step shifts "
                             "the first scenario's effect against it")
    screen.add_argument("--key", action="append",
                        help="step only this parameter (repeatable; default: every held "
                             "assumption)")
    screen.add_argument("--alone", action="store_true",
                        help="step each parameter alone, without the partner fitted to the same "
                             "base-year figure (clustersim.screening.FIT_PARTNERS)")
    _add_dask_options(screen)
    screen.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    screen.set_defaults(handler=_screen)

    search = commands.add_parser(
        "search", help="the least-cost lever mix that reaches P(targets met by a year) over "
        "the outlook's uncertainty (docs/search.md; re-run to resume)")
    search.add_argument("base", help="scenario file the levers are set on, e.g. "
                        "scenarios/no-new-policy.toml")
    search.add_argument("--target", action="append", required=True, metavar="ID",
                        help="a target that must be met (repeat for several: all of them)")
    search.add_argument("--year", type=int, required=True, help="met by December of this year")
    search.add_argument("--probability", type=float, default=0.8,
                        help="the chance required over draws and seeds (default 0.8)")
    search.add_argument("--levers", action="append", metavar="NAMES",
                        help="decision variables, comma-separated: lever groups (land) or "
                             "levers (land.supply); default every group")
    search.add_argument("--max-intensity", type=float, default=2.0,
                        help="each variable's highest intensity (default 2)")
    search.add_argument("--step", type=float, default=0.25, help="intensity grid step")
    search.add_argument("--start-year", type=int, default=2023,
                        help="the year the levers switch on (default 2023)")
    search.add_argument("--trials", type=int, default=40, help="candidate mixes evaluated")
    search.add_argument("--draws", type=int, default=8,
                        help="joint parameter draws per candidate (the same for every one)")
    search.add_argument("--seeds", type=int, default=2, help="seeds per draw")
    search.add_argument("--seed", type=int, default=1, help="seed of the draws, runs and search")
    search.add_argument("--scale", type=float, help="sample fraction of every run")
    search.add_argument("--posterior", metavar="CSV",
                        help="a calibration's joint posterior, drawn as whole particles by "
                             "every candidate's outlook")
    search.add_argument("-o", "--output", required=True,
                        help="search directory (candidates, search.json, best.toml)")
    where = _add_dask_options(search)
    where.add_argument("--inline", action="store_true",
                       help="no Dask: every simulation in this process (the same result)")
    search.add_argument("-q", "--quiet", action="store_true", help="no line per trial")
    search.set_defaults(handler=_search)

    calib = commands.add_parser("calibrate", help="fit parameters to observations (SMC-ABC) "
                                "into an HDF5 fit file (re-run the same command to resume)")
    calib.add_argument("calibration", help="calibration TOML file (docs/calibration.md)")
    calib.add_argument("-o", "--output", required=True, help="fit file to write (HDF5)")
    where = _add_dask_options(calib)
    where.add_argument("--inline", action="store_true",
                       help="no Dask: every simulation in this process (the same result)")
    calib.add_argument("--posterior", metavar="CSV",
                       help="also write the joint posterior (particles and weights) as CSV, "
                            "for clustersim outlook --posterior")
    calib.add_argument("-q", "--quiet", action="store_true",
                       help="no progress lines (one per batch of simulations, on stderr)")
    calib.set_defaults(handler=_calibrate)

    report = commands.add_parser("report", help="write a self-contained HTML report of a "
                                 "results or sweep file")
    report.add_argument("file", help="results file (clustersim run) or sweep file")
    report.add_argument("-o", "--output", required=True, help="HTML file to write")
    report.add_argument("--seeds", type=int, metavar="N",
                        help="for a run: also run its scenario with seeds 1..N and show each "
                             "target's seed spread and P(met)")
    report.add_argument("--year", type=int,
                        help="for an outlook: the year of the brief's verdicts (default: its "
                             "last)")
    report.add_argument("--attribution", metavar="SWEEP",
                        help="for an outlook: add the lever groups ranked by a lever-groups or "
                             "Shapley sweep file (docs/levers.md)")
    report.set_defaults(handler=_report)

    params = commands.add_parser("parameters", help="list every parameter with its default")
    params.add_argument("prefix", nargs="?",
                        help="only keys under this prefix, e.g. policy.finance or firms.exit")
    params.set_defaults(handler=_parameters)
    return parser


def _terminate(signum: int, frame: object) -> None:
    # SIGTERM (a batch system's stop) ends the run like Ctrl-C: between two steps, with the
    # output left as <output>.partial marked incomplete.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    debug = os.environ.get("CLUSTERSIM_DEBUG") == "1"
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        output = getattr(args, "output", None)
        where = (f"; {output}.partial holds what was written (marked incomplete); run the "
                 "command again to start over" if args.command == "run" and output else "")
        where = getattr(args, "resume_hint", "") or where
        print(f"\nclustersim: interrupted{where}", file=sys.stderr)
        return 130
    except (ScenarioError, OutputError, KeyError) as error:
        if debug:
            raise
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        print(f"clustersim: error: {message}", file=sys.stderr)
        if isinstance(error, OutputError) and "cannot write" in str(error):
            # HDF5 1.10 crashes at exit on a file whose close failed (a full disk): the
            # partial file is already closed as far as it can be, so leave without atexit.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(2)
        return 2
    except ClusterSimError as error:
        if debug:
            raise
        print(f"clustersim: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        if debug:
            raise
        print(f"clustersim: error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
