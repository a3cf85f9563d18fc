"""Runs the kernel's benchmarks (clustersim_bench) and one CLI run of the default scenario, then
writes benchmarks/results.json and the tables of benchmarks/README.md (between the bench
markers): the machine, phase x scale x threads, and the goals of issue 7, met or not met. Speed
never fails it; it is not part of CI.

    nice .venv/bin/python benchmarks/run_benchmarks.py            # the whole suite
    nice .venv/bin/python benchmarks/run_benchmarks.py --quick    # 1/100 and 1/10 only
    .venv/bin/python benchmarks/run_benchmarks.py --quick --filter 'phase/grow_firms/'
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
SCALES = {"full": [100, 10, 1], "quick": [100, 10]}
NAME = re.compile(r"^(?P<kind>phase/(?P<phase>\w+)|step|run)/scale:1/(?P<denominator>\d+)"
                  r"/threads:(?P<threads>\d+)")
TO_SECONDS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}

# The goals of issue 7 (measured on 2 cores).
RUN_WALL_S = 10.0
STEP_RATE = 25e6
LINEARITY = 0.25
EFFICIENCY = 0.85
BYTES_PER_AGENT = 300
FILE_MB = 100


BOUND_THREADS = (4, 8, 16)


def machine(build: Path) -> dict:
    def first(path: str, key: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1]
        except OSError:
            pass
        return "?"

    def output(*command: str) -> str:
        try:
            result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
            return result.stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"

    try:  # the compiler of the build, e.g. "CMAKE_CXX_COMPILER:FILEPATH=/usr/bin/g++"
        cache = (build / "CMakeCache.txt").read_text()
        compiler = re.search(r"^CMAKE_CXX_COMPILER:\w+=(.+)$", cache, re.M)[1]
    except (OSError, TypeError):
        compiler = "c++"
    memory_kib = first("/proc/meminfo", "MemTotal").split()[0]
    revision = output("git", "rev-parse", "--short", "HEAD")
    if output("git", "status", "--porcelain", "--untracked-files=no") not in ("", "?"):
        revision += " (with uncommitted changes)"
    return {
        "cpu": first("/proc/cpuinfo", "model name"),
        "cores": os.cpu_count(),
        "memory_gib": round(int(memory_kib) / 2**20, 1) if memory_kib.isdigit() else None,
        "os": first("/etc/os-release", "PRETTY_NAME").strip('"') or platform.platform(),
        "compiler": output(compiler, "--version"),
        "date": datetime.date.today().isoformat(),
        "revision": revision,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def run_suite(binary: Path, scales: list[int], gb_filter: str, min_time: float,
              repetitions: int, threads: list[int] = (0, 1, 2)) -> list[dict]:
    """One row per case: kind, phase, denominator, threads, seconds per call, agents, rate.

    Each case runs `repetitions` times in a row and the fastest is kept: on a shared machine
    the other tenants' work only ever adds time. (Whole runs, `run/`, are timed once.) The
    repetitions are not interleaved across cases: the warmed state is built for one scale at
    a time, and interleaving rebuilt it between most cases.
    """
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.json"
        command = [str(binary), "--scales=" + ",".join(map(str, scales)),
                   "--threads=" + ",".join(map(str, threads)),
                   f"--benchmark_filter={gb_filter}", f"--benchmark_min_time={min_time}",
                   f"--benchmark_repetitions={repetitions}",
                   f"--benchmark_out={out}", "--benchmark_out_format=json"]
        print("$", " ".join(command), flush=True)
        subprocess.run(command, check=True, stdout=sys.stderr)
        report = json.loads(out.read_text())
    fastest: dict[str, dict] = {}
    for bench in report["benchmarks"]:
        if bench.get("run_type") == "aggregate" or bench.get("error_occurred"):
            continue
        seconds = bench["real_time"] * TO_SECONDS[bench["time_unit"]]
        kept = fastest.get(bench["name"])
        if kept is None or seconds < kept["real_time"] * TO_SECONDS[kept["time_unit"]]:
            fastest[bench["name"]] = bench
    rows = []
    for bench in fastest.values():
        match = NAME.match(bench["name"])
        if not match:
            continue
        rows.append({
            "kind": match["kind"].split("/")[0], "phase": match["phase"] or match["kind"],
            "denominator": int(match["denominator"]), "threads": int(match["threads"]),
            # A step case times several months per call (`months`); its figures are per month.
            "seconds_per_call": (bench["real_time"] * TO_SECONDS[bench["time_unit"]]
                                 / bench.get("months", 1)),
            "iterations": bench["iterations"], "agents": bench.get("agents"),
            "agent_updates_per_s": bench.get("agent_updates_per_s"),
            # On 1 thread: the share of the time in parallel regions and the speed-up bounds
            # on 4, 8 and 16 threads (registry.hpp, report_scaling_bounds).
            "parallel_share": bench.get("parallel_share"),
            "bounds": {str(t): bench[f"speedup_bound_{t}"] for t in BOUND_THREADS
                       if f"speedup_bound_{t}" in bench},
        })
    return rows


def run_cli(denominator: int, threads: int) -> dict:
    """`clustersim run` of baseline.toml with default output, under /usr/bin/time -v."""
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "baseline.h5"
        # GNU time reports the peak RSS; without it the run is still timed.
        timer = ["/usr/bin/time", "-v"] if Path("/usr/bin/time").exists() else []
        command = [*timer, str(ROOT / ".venv" / "bin" / "clustersim"), "run",
                   str(ROOT / "scenarios" / "baseline.toml"), "-o", str(output), "--seed", "7",
                   "--threads", str(threads), "-q"]
        if denominator != 1:
            command += ["--set", f"scale={1 / denominator}"]
        print("$", " ".join(command), flush=True)
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        file_mb = output.stat().st_size / 1e6
    # The CLI's own timing: scenario, population, steps and output, not Python's start-up.
    wall = re.search(r"threads, ([\d.]+) s", result.stdout)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    return {"denominator": denominator, "threads": threads,
            "wall_s": float(wall[1]) if wall else None,
            "peak_rss_bytes": int(rss[1]) * 1024 if rss else None, "file_mb": file_mb}


def find(rows: list[dict], phase: str, denominator: int, threads: int) -> dict | None:
    return next((r for r in rows if r["phase"] == phase and r["denominator"] == denominator
                 and r["threads"] == threads), None)


def goals(rows: list[dict], cli: dict | None) -> list[dict]:
    """Each goal with its measured value; met is None where it was not measured."""
    def goal(name: str, target: str, value: str | None, met: bool | None) -> dict:
        return {"goal": name, "target": target, "measured": value or "not measured",
                "met": met if value else None}

    full_cli = cli if cli and cli["denominator"] == 1 else None
    out = [goal("full-scale run of baseline.toml, 2 threads", f"< {RUN_WALL_S:g} s wall",
                f"{full_cli['wall_s']:.1f} s" if full_cli and full_cli["wall_s"] else None,
                bool(full_cli and full_cli["wall_s"] and full_cli["wall_s"] < RUN_WALL_S))]
    step = find(rows, "step", 1, 2)
    out.append(goal("step throughput, full scale, 2 threads", f">= {STEP_RATE / 1e6:g} M/s",
                    f"{step['agent_updates_per_s'] / 1e6:.1f} M/s" if step else None,
                    bool(step and step["agent_updates_per_s"] >= STEP_RATE)))
    # Linearity is read on one thread: the cost of an agent-update, which should not grow
    # with the number of agents. On two threads the small scales (one block of 8,192 agents,
    # and at 1/10 every firm phase) cannot use the second thread, so the spread there measures
    # the full scale's parallel speed-up (the efficiency goal) more than the cost per agent; it
    # is reported beside.
    def spread(threads: int) -> tuple[dict, float] | None:
        costs = {d: find(rows, "step", d, threads) for d in SCALES["full"]}
        if not all(costs.values()):
            return None
        ns = {d: 1e9 / r["agent_updates_per_s"] for d, r in costs.items()}
        mean = statistics.mean(ns.values())
        return ns, max(abs(v / mean - 1) for v in ns.values())
    one_thread, two_threads = spread(1), spread(2)
    name = "linear cost: step at 1/100, 1/10, 1, 1 thread"
    if one_thread:
        ns, worst = one_thread
        value = (" / ".join(f"{ns[d]:.1f}" for d in SCALES["full"]) +
                 f" ns per agent-update (1/100, 1/10, 1); worst {worst:+.0%} of the mean")
        if two_threads:
            ns2, worst2 = two_threads
            value += (" (2 threads: " + " / ".join(f"{ns2[d]:.1f}" for d in SCALES["full"]) +
                      f" ns, worst {worst2:+.0%})")
        out.append(goal(name, f"within ±{LINEARITY:.0%} of the mean", value, worst <= LINEARITY))
    else:
        out.append(goal(name, f"within ±{LINEARITY:.0%} of the mean", None, None))
    one, two = find(rows, "step", 1, 1), find(rows, "step", 1, 2)
    efficiency = (two["agent_updates_per_s"] / (2 * one["agent_updates_per_s"])
                  if one and two else None)
    out.append(goal("parallel efficiency of the step, 1 -> 2 threads, full scale",
                    f">= {EFFICIENCY:.0%}", f"{efficiency:.0%}" if efficiency else None,
                    bool(efficiency and efficiency >= EFFICIENCY)))
    run = find(rows, "run", 1, 2)
    per_agent = (full_cli["peak_rss_bytes"] / run["agents"]
                 if full_cli and full_cli["peak_rss_bytes"] and run else None)
    out.append(goal("memory, full scale (peak RSS / agents at the end)",
                    f"<= {BYTES_PER_AGENT} B per agent",
                    f"{per_agent:.0f} B ({full_cli['peak_rss_bytes'] / 2**20:.0f} MiB / "
                    f"{run['agents']:,.0f} agents)" if per_agent else None,
                    bool(per_agent and per_agent <= BYTES_PER_AGENT)))
    out.append(goal("HDF5 output, full scale, default output settings", f"<= {FILE_MB} MB",
                    f"{full_cli['file_mb']:.1f} MB" if full_cli else None,
                    bool(full_cli and full_cli["file_mb"] <= FILE_MB)))
    return out


def duration(seconds: float) -> str:
    for unit, factor in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= factor:
            return f"{seconds / factor:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def rate(row: dict | None) -> str:
    if row is None:
        return "–"
    text = duration(row["seconds_per_call"])
    if row["agent_updates_per_s"]:
        text += f" · {row['agent_updates_per_s'] / 1e6:.3g} M/s"
    return text


def markdown(info: dict, rows: list[dict], cli: dict | None, goal_rows: list[dict],
             mode: str) -> str:
    lines = [f"Measured {info['date']} at {info['revision']} ({mode} mode) on {info['cpu']}, "
             f"{info['cores']} cores, {info['memory_gib']} GiB, {info['os']}, {info['compiler']}; "
             f"load average (1, 5, 15 min) before "
             f"{', '.join(map(str, info.get('load_average_before', ['?'])))}, after "
             f"{', '.join(map(str, info['load_average']))}; the suite took "
             f"{info.get('suite_minutes', '?')} min; each case the fastest of "
             f"{info.get('repetitions', 1)} repetitions (whole runs: one).", ""]
    lines += ["### Goals", "", "| goal | target | measured | met |", "|---|---|---|---|"]
    for g in goal_rows:
        met = {True: "met", False: "**not met**", None: "–"}[g["met"]]
        lines.append(f"| {g['goal']} | {g['target']} | {g['measured']} | {met} |")
    lines.append("")
    runs = [r for r in rows if r["kind"] == "run"]
    if runs or cli:
        lines += ["### Whole runs of baseline.toml, 2022–2035", "",
                  "| how | scale | threads | wall | agents at the end | peak RSS | file |",
                  "|---|---|---|---|---|---|---|"]
        for r in runs:
            lines.append(f"| Google Benchmark (`run/`) | 1/{r['denominator']} | {r['threads']} | "
                         f"{duration(r['seconds_per_call'])} | {r['agents']:,.0f} | – | – |")
        if cli:
            run = find(rows, "run", cli["denominator"], cli["threads"])
            agents = f"{run['agents']:,.0f}" if run else "–"
            rss = f"{cli['peak_rss_bytes'] / 2**20:.0f} MiB" if cli["peak_rss_bytes"] else "–"
            lines.append(f"| `clustersim run` (CLI) | 1/{cli['denominator']} | {cli['threads']} | "
                         f"{cli['wall_s']} s | {agents} | {rss} | {cli['file_mb']:.1f} MB |")
        lines.append("")
    phases = list(dict.fromkeys(r["phase"] for r in rows if r["kind"] != "run"))
    for denominator in sorted({r["denominator"] for r in rows if r["kind"] != "run"},
                              reverse=True):
        lines += [f"### Scale 1/{denominator}: time per call · agent-updates per second", "",
                  "| phase | agents | serial reference | 1 thread | 2 threads | 1 → 2 efficiency |",
                  "|---|---|---|---|---|---|"]
        for phase in phases:
            cells = [find(rows, phase, denominator, t) for t in (0, 1, 2)]
            known = next((c for c in cells if c), None)
            if known is None:
                continue
            one, two = cells[1], cells[2]
            efficiency = (f"{one['seconds_per_call'] / (2 * two['seconds_per_call']):.0%}"
                          if one and two else "–")
            name = f"**{phase}**" if phase == "step" else f"`{phase}`"
            lines.append(f"| {name} | {known['agents']:,.0f} | {rate(cells[0])} | {rate(one)} | "
                         f"{rate(two)} | {efficiency} |")
        lines.append("")
    lines += bound_tables(rows)
    lines += scaling_tables(rows)
    return "\n".join(lines).rstrip() + "\n"


def bound_tables(rows: list[dict]) -> list[str]:
    """Per scale, from the 1-thread cases: each phase's and the step's share of time in
    parallel regions, its serial time, and the speed-up bounds on 4, 8 and 16 threads
    (README, "Scaling from one thread"); phases below 1 % of the step left out."""
    lines = []
    for denominator in sorted({r["denominator"] for r in rows if r["kind"] != "run"},
                              reverse=True):
        ones = [r for r in rows if r["denominator"] == denominator and r["threads"] == 1
                and r["kind"] != "run" and r.get("parallel_share") is not None]
        step = next((r for r in ones if r["phase"] == "step"), None)
        if not ones or step is None:
            continue
        lines += [f"### Scale 1/{denominator}: scaling bounds from one thread", "",
                  "| phase | 1 thread | in parallel regions | serial | " +
                  " | ".join(f"bound on {t}" for t in BOUND_THREADS) + " |",
                  "|---|---|---|---|" + "---|" * len(BOUND_THREADS)]
        ones.sort(key=lambda r: (r["phase"] != "step", -r["seconds_per_call"]))
        for r in ones:
            if r["phase"] != "step" and r["seconds_per_call"] < 0.01 * step["seconds_per_call"]:
                continue
            serial = r["seconds_per_call"] * (1 - r["parallel_share"])
            name = "**step** (per month)" if r["phase"] == "step" else f"`{r['phase']}`"
            lines.append(f"| {name} | {r['seconds_per_call'] * 1e3:.3g} ms | "
                         f"{r['parallel_share']:.1%} | {serial * 1e3:.3g} ms | " +
                         " | ".join(f"{r['bounds'][str(t)]:.1f}×" if str(t) in r["bounds"]
                                    else "–" for t in BOUND_THREADS) + " |")
        lines.append("")
    return lines


def scaling_tables(rows: list[dict]) -> list[str]:
    """With thread counts beyond 2 (`--threads 1,2,4,8,16`): per scale, each phase's, the step's
    and the run's speed-up over 1 thread and parallel efficiency (speed-up / threads)."""
    counts = sorted({r["threads"] for r in rows if r["threads"] >= 1})
    if not counts or max(counts) <= 2:
        return []
    lines = []
    for denominator in sorted({r["denominator"] for r in rows}, reverse=True):
        lines += [f"### Scale 1/{denominator}: speed-up over 1 thread (efficiency)", "",
                  "| phase | 1 thread | " + " | ".join(f"{t} threads" for t in counts[1:]) + " |",
                  "|---" * len(counts) + "|---|"]
        for phase in dict.fromkeys(r["phase"] for r in rows if r["denominator"] == denominator):
            one = find(rows, phase, denominator, 1)
            if one is None:
                continue
            cells = []
            for t in counts[1:]:
                other = find(rows, phase, denominator, t)
                if other is None:
                    cells.append("–")
                    continue
                speedup = one["seconds_per_call"] / other["seconds_per_call"]
                cells.append(f"{speedup:.2f}× ({speedup / t:.0%})")
            name = f"**{phase}**" if phase in ("step", "run") else f"`{phase}`"
            lines.append(f"| {name} | {one['seconds_per_call'] * 1e3:.3g} ms | " +
                         " | ".join(cells) + " |")
        lines.append("")
    return lines


def write_readme(readme: Path, section: str) -> None:
    """Replaces what lies between the marker lines (markers quoted in prose are not lines)."""
    text = readme.read_text() if readme.exists() else ""
    block = f"{BEGIN}\n{section}{END}"
    marked = re.compile(rf"^{re.escape(BEGIN)}$.*?^{re.escape(END)}$", re.M | re.S)
    if marked.search(text):
        text = marked.sub(lambda _: block, text, count=1)
    else:
        text = text.rstrip() + "\n\n## Measured\n\n" + block + "\n"
    readme.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="1/100 and 1/10 only (the CLI run at 1/100), for CI-sized runs")
    parser.add_argument("--filter", default=".", help="Google Benchmark regex over case names")
    parser.add_argument("--repetitions", type=int, default=3,
                        help="runs of each case, in a row; the fastest is reported")
    parser.add_argument("--min-time", type=float, default=0.2,
                        help="seconds of timed work per case (Google Benchmark's min_time)")
    parser.add_argument("--threads", default="0,1,2",
                        help="thread counts, e.g. 1,2,4,8,16 (0: the serial reference); beyond 2 "
                             "the section gains a speed-up table per scale")
    parser.add_argument("--no-cli", action="store_true", help="skip the `clustersim run`")
    parser.add_argument("--build", default=str(ROOT / "build" / "python"))
    parser.add_argument("--readme", default=str(ROOT / "benchmarks" / "README.md"))
    parser.add_argument("--results", default=str(ROOT / "benchmarks" / "results.json"))
    parser.add_argument("--render-only", action="store_true",
                        help="rewrite the README section from the results file, run nothing")
    args = parser.parse_args()
    if args.render_only:
        report = json.loads(Path(args.results).read_text())
        write_readme(Path(args.readme), markdown(report["machine"], report["cases"],
                                                 report["cli_run"], report["goals"],
                                                 report["mode"]))
        return 0
    binary = Path(args.build) / "benchmarks" / "clustersim_bench"
    if not binary.exists():
        print(f"run_benchmarks: {binary} is missing; build with `bash .ci/setup --with-tests`",
              file=sys.stderr)
        return 2
    mode = "quick" if args.quick else "full"
    started, load_before = datetime.datetime.now(), [round(x, 2) for x in os.getloadavg()]
    try:
        threads = [int(t) for t in args.threads.split(",")]
    except ValueError:
        threads = [-1]
    if min(threads) < 0:
        print(f"run_benchmarks: --threads {args.threads}: expected thread counts such as "
              "1,2,4,8,16 (0: the serial reference)", file=sys.stderr)
        return 2
    rows = run_suite(binary, SCALES[mode], args.filter, args.min_time, args.repetitions,
                     threads)
    cli = None if args.no_cli else run_cli(1 if mode == "full" else 100, 2)
    info = machine(Path(args.build))
    info["load_average_before"] = load_before
    info["suite_minutes"] = round((datetime.datetime.now() - started).total_seconds() / 60, 1)
    info["repetitions"] = args.repetitions
    goal_rows = goals(rows, cli)
    Path(args.results).write_text(json.dumps(
        {"machine": info, "mode": mode, "filter": args.filter, "min_time_s": args.min_time,
         "repetitions": args.repetitions,
         "cases": rows, "cli_run": cli, "goals": goal_rows}, indent=1) + "\n")
    write_readme(Path(args.readme), markdown(info, rows, cli, goal_rows, mode))
    print(f"wrote {args.results} and {args.readme} ({len(rows)} cases, "
          f"{info['suite_minutes']} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
