"""clustersim: an agent-based simulator of the Zhangjiang innovation cluster (22 parks).

    import clustersim as cs
    sc = cs.Scenario.load("scenarios/small.toml")
    sim = cs.Simulation(sc, seed=7, threads=2).run(until=2025)
    sim.series("park", "revenue_cny")
    r = cs.load("out.h5")
"""

from clustersim import _core
from clustersim.basedata import base_data, park_figures
from clustersim.calibfile import CalibrationError, CalibrationSpec
from clustersim.errors import (ClusterSimError, DataError, InvariantError, NotRunYetError,
                               OutputError, ScenarioError)
from clustersim.observations import ObservationError, Observations
from clustersim.results import Results, load
from clustersim.scenario import Scenario, parameters
from clustersim.simulation import Simulation, estimate_memory
from clustersim.sweep import sweep
from clustersim.sweepfile import SweepError, SweepSpec
from clustersim.sweepresults import SweepResults, load_sweep

__version__ = _core.__version__


def __getattr__(name: str):
    # The calibration engine imports pyabc (slow to import): only when it is used. Reading a
    # fit (clustersim.fit) needs no pyabc, but is loaded on first use as well.
    if name == "calibrate":
        from clustersim import calibration
        return calibration.calibrate
    if name in ("load_calibration", "Fit"):
        from clustersim import fit
        return getattr(fit, name)
    raise AttributeError(f"module 'clustersim' has no attribute {name!r}")


BASE_YEAR = _core.base_year
SECTORS = tuple(_core.sector_names)
STAGES = tuple(_core.stage_names)

__all__ = [
    "BASE_YEAR", "SECTORS", "STAGES", "CalibrationError", "CalibrationSpec", "ClusterSimError",
    "DataError", "Fit", "InvariantError", "NotRunYetError", "ObservationError", "Observations",
    "OutputError", "Results", "Scenario", "ScenarioError", "Simulation", "SweepError", "SweepResults",
    "SweepSpec", "__version__", "base_data", "calibrate", "estimate_memory", "load",
    "load_calibration",
    "load_sweep", "park_figures", "parameters", "sweep",
]
