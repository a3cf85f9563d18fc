"""Makes the figures shown in README.md (run from anywhere):

    .venv/bin/python docs/figures/make_figures.py            # the committed figures
    .venv/bin/python docs/figures/make_figures.py --small    # a fast check (tests)

The committed figures come from the baseline at full scale (where every target's verdict is
faithful; docs/model.md, "Which scale for which target"), seed 7, 2022-2030, and a sweep of the
example file `scenarios/sweeps/small.toml`. `--small` is a smoke test at 1/100, not a figure.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import clustersim as cs
import clustersim.plot as cplot

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "figures"))
    parser.add_argument("--small", action="store_true", help="1/100 scale, 2 replicates")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    scenario = cs.Scenario.load(ROOT / "scenarios" / "baseline.toml")
    scenario["scale"] = 0.01 if args.small else 1.0
    scenario["horizon_year"] = 2026 if args.small else 2030
    scenario["output.firm_snapshots"] = False
    scenario["output.talent_snapshots"] = False
    sim = cs.Simulation(scenario, seed=7, threads=2).run()
    cplot.save_png(cplot.target_dashboard(sim), out / "baseline-targets.png", dpi=80)
    cplot.save_png(cplot.revenue(sim), out / "baseline-revenue.png", dpi=80)

    spec = cs.SweepSpec.load(ROOT / "scenarios" / "sweeps" / "small.toml")
    if args.small:
        spec.replicates = 2
        spec.base["scale"] = 0.01
    with tempfile.TemporaryDirectory() as tmp:
        results = cs.sweep(spec, client="inline", output=os.path.join(tmp, "sweep.h5"))
        cplot.save_png(cplot.target_dashboard(results, point=8), out / "sweep-probabilities.png",
                       dpi=80)
    print(f"figures written to {out}")


if __name__ == "__main__":
    main()
