"""clustersim: an agent-based simulator of the Zhangjiang innovation cluster (22 parks).

    import clustersim as cs
    sc = cs.Scenario.load("scenarios/small.toml")
    sim = cs.Simulation(sc, seed=7, threads=2).run(until=2025)
    sim.series("park", "revenue_cny")
    r = cs.load("out.h5")
"""

from clustersim import _core
from clustersim.errors import (ClusterSimError, DataError, InvariantError, OutputError,
                               ScenarioError)
from clustersim.results import Results, load
from clustersim.scenario import Scenario, parameters
from clustersim.simulation import Simulation
from clustersim.sweep import SweepResults, load_sweep, sweep
from clustersim.sweepfile import SweepError, SweepSpec

__version__ = _core.__version__
BASE_YEAR = _core.base_year
SECTORS = tuple(_core.sector_names)
STAGES = tuple(_core.stage_names)

__all__ = [
    "BASE_YEAR", "SECTORS", "STAGES", "ClusterSimError", "DataError", "InvariantError",
    "OutputError", "Results", "Scenario", "ScenarioError", "Simulation", "SweepError",
    "SweepResults", "SweepSpec", "__version__", "load", "load_sweep", "parameters", "sweep",
]
