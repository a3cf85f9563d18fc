"""Shared fixtures: a small scenario and one results file per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import clustersim as cs

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"


def small(horizon: int = 2023, scale: float = 0.02) -> cs.Scenario:
    """1/50 of the zone over two years: every mechanism acts, each run takes ~0.1 s."""
    sc = cs.Scenario.load(SCENARIOS / "small.toml")
    sc["scale"] = scale
    sc["horizon_year"] = horizon
    return sc


def run_cli(*args: str, check: bool = False) -> subprocess.CompletedProcess:
    """The real command in a separate process, as a user runs it."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("CLUSTERSIM_DEBUG", None)
    result = subprocess.run([sys.executable, "-m", "clustersim.cli", *args], capture_output=True,
                            text=True, env=env, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"clustersim {' '.join(args)} failed:\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def small_results(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("results") / "small.h5"
    sim = cs.Simulation(small(), seed=7, threads=2)
    sim.run(output=path)
    return path
