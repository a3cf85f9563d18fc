"""The instruction-count gate: counts the instructions each phase of the step executes on a fixed
workload (`gate_workload.cpp`, the serial reference) under valgrind's callgrind, compares them
with the committed baseline (`instruction_baseline.json`) and fails when a phase costs more than
10 % over it. Counts do not depend on the machine's load, so a noisy shared machine cannot fool
it; wall-clock time is printed beside them and never fails anything.

    .venv/bin/python benchmarks/gate.py              # check (CI)
    .venv/bin/python benchmarks/gate.py --update     # a deliberate new baseline (commit it)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "benchmarks" / "instruction_baseline.json"
TOLERANCE = 0.10
# Phases cheaper than this (on the workload) are reported, not gated: a 10 % change of a few
# thousand instructions is one added branch, not a regression worth stopping CI for.
FLOOR = 200_000
PHASES = [
    "Simulation::step", "generate_population", "supply_floor_space", "grow_city", "grow_firms",
    "innovate", "check_firm_invariants", "exit_firms", "vc_exits", "vc_deals", "relocate_firms",
    "graduate_incubatees", "talent_life", "enter_firms", "found_incubator_teams",
    "enter_spinoffs", "admit_to_incubators", "talent_arrivals", "match_labour", "staff_firms",
    "award_titles", "measure_cells", "measure_talent", "measure_incubators",
    "evaluate_incubators", "close_fund_year", "raise_funds", "develop_incubators",
    "evaluate_parks", "compact_agents", "take_accounts", "check_step_accounts",
    "check_talent_invariants",
]


def toolchain() -> str:
    def first_line(*command: str) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True).stdout.splitlines()[0]
        except (OSError, IndexError):
            return "?"
    return f"{first_line('c++', '--version')} | {first_line('valgrind', '--version')}"


def count(workload: Path) -> tuple[dict[str, int], float]:
    started = time.perf_counter()
    subprocess.run([str(workload)], check=True, capture_output=True)
    wall = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                        str(workload)], check=True, capture_output=True)
        text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out],
                              check=True, capture_output=True, text=True).stdout
    counts: dict[str, int] = {}
    for line in text.splitlines():
        match = re.match(r"\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+\S*?:clustersim::([\w:]+)\((.*)", line)
        if not match or "{lambda" in match.group(3):
            continue
        name = match.group(2)
        if name in PHASES:
            counts[name] = max(counts.get(name, 0), int(match.group(1).replace(",", "")))
    return counts, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="write a new baseline")
    parser.add_argument("--build", default=str(ROOT / "build" / "python"))
    parser.add_argument("--baseline", default=str(BASELINE), help="baseline JSON file")
    args = parser.parse_args()
    baseline_path = Path(args.baseline)
    workload = Path(args.build) / "benchmarks" / "clustersim_gate_workload"
    if not workload.exists():
        print(f"gate: {workload} is missing; build with `bash .ci/setup --with-tests`",
              file=sys.stderr)
        return 2
    if shutil.which("valgrind") is None:
        print("gate: valgrind is missing (.ci/setup --with-tests installs it)", file=sys.stderr)
        return 2
    counts, wall = count(workload)
    missing = [p for p in PHASES if p not in counts]
    if missing:
        print(f"gate: no count for {', '.join(missing)} (renamed or inlined?)", file=sys.stderr)
        return 2
    if args.update:
        baseline_path.write_text(json.dumps({"toolchain": toolchain(), "instructions": counts},
                                            indent=2) + "\n")
        print(f"gate: wrote {baseline_path}")
        return 0
    baseline = json.loads(baseline_path.read_text())
    same_toolchain = baseline["toolchain"] == toolchain()
    failures = []
    print(f"{'phase':<24}{'baseline':>14}{'now':>14}{'change':>9}")
    for phase in PHASES:
        before, now = baseline["instructions"].get(phase), counts[phase]
        change = (now - before) / before if before else float("nan")
        gated = before is not None and before >= FLOOR
        flag = ""
        if gated and change > TOLERANCE:
            failures.append(phase)
            flag = "  > +10 %"
        elif before is None:
            flag = "  (new: not in the baseline, not gated)"
        elif not gated:
            flag = "  (not gated)"
        before_text = f"{before:,}" if before is not None else "-"
        print(f"{phase:<24}{before_text:>14}{now:>14,}{change:>+9.1%}{flag}")
    print(f"wall clock of the workload (reported, never gated): {wall:.3f} s")
    if not same_toolchain:
        print(f"gate: the baseline was counted with another toolchain ({baseline['toolchain']});"
              f" this one is {toolchain()}: counts are not comparable, nothing is gated",
              file=sys.stderr)
        return 0
    if failures:
        print(f"gate: {', '.join(failures)} cost more than 10 % over the baseline. If that is "
              "deliberate, run benchmarks/gate.py --update and commit the new baseline.",
              file=sys.stderr)
        return 1
    print("gate: every phase within 10 % of its baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
