# Type stubs of clustersim._core, the pybind11 module built from bindings/*.cpp (module.cpp,
# register_errors.cpp, register_scenario.cpp, register_simulation.cpp). Parameter names and
# types follow the signatures pybind11 writes into the docstrings; return types are refined
# where the docstring only says list, dict, tuple or object. tests/python/test_stubs.py fails
# when this file and the module disagree.
#
# Errors: the kernel's exceptions arrive as clustersim.errors.ScenarioError (with key, value,
# expected), DataError, OutputError, InvariantError or ClusterSimError.

from collections.abc import Mapping
from typing import Literal, SupportsFloat, SupportsIndex, SupportsInt, TypedDict

import numpy as np
import numpy.typing as npt

# A parameter's value as the kernel stores it (by its declared type: boolean, integer, number,
# string, list of numbers).
_ParamValue = bool | int | float | str | list[float]
_SeriesShape = Literal["cell", "park", "park_pair", "park_round", "cell_stage", "leading", "total",
                       "lever_group"]

class _PriorInfo(TypedDict):
    distribution: Literal["uniform", "normal", "lognormal"]
    a: float   # uniform: low; normal: mean; lognormal: median
    b: float   # uniform: high; normal: sd; lognormal: sd of the log

class _ParameterInfo(TypedDict):
    key: str
    type: Literal["boolean", "integer", "number", "string", "list of numbers"]
    default: _ParamValue
    min: float | None   # numbers, integers and lists of numbers; None otherwise
    max: float | None
    unit: str
    description: str
    source: str
    plausible: tuple[float, float] | None   # believed range; None where exact or a choice
    prior: _PriorInfo | None   # its 5-95 % interval is `plausible` (docs/levers.md)
    expected: str

class _BaseParkInfo(TypedDict):
    id: str
    name: str
    district: str
    leading_industries: list[str]
    area_km2: float
    revenue_cny: float
    firms: float
    high_tech_firms: float
    employees: float
    sector_revenue_cny: dict[str, float]   # fitted 2022 revenue by sector name

class _BaseDataInfo(TypedDict):
    parks: list[_BaseParkInfo]
    # park_id, quantity, value, low, high, year, certainty, method, source
    figures: list[tuple[str, str, float, float, float, int, str, str, str]]

class _SeriesInfo(TypedDict):
    name: str
    unit: str
    shape: _SeriesShape
    description: str
    summable: bool
    measure: Literal["stock", "flow"]

class _CitySeriesInfo(TypedDict):
    name: str
    unit: str
    shape: _SeriesShape
    description: str
    measure: Literal["stock", "flow"]

class _TargetInfo(TypedDict):
    id: str
    unit: str
    description: str
    comparison: Literal[">", ">="]
    faithful_scale: float

class _LeverInfo(TypedDict):
    key: str
    group: str
    summary: str

class _ParkTable(TypedDict):
    id: list[str]
    name: list[str]
    name_zh: list[str]
    district: list[str]
    area_km2: npt.NDArray[np.float64]
    longitude: npt.NDArray[np.float64]
    latitude: npt.NDArray[np.float64]
    base_revenue_cny: npt.NDArray[np.float64]
    floor_space_m2: npt.NDArray[np.float64]
    leading_mask: npt.NDArray[np.int64]

__version__: str
git_revision: str
base_year: int
sector_names: list[str]
stage_names: list[str]
park_ids: list[str]   # the 22 parks of data/parks.csv, in their order
lever_group_names: list[str]   # the policy's twelve lever groups
lever_group_ids: list[str]     # their ids: columns of the series policy_cost_cny

def parameters() -> list[_ParameterInfo]: ...
def base_data(arg0: Scenario, /) -> _BaseDataInfo: ...
def series_catalogue() -> list[_SeriesInfo]: ...
def city_series_catalogue() -> list[_CitySeriesInfo]: ...
def target_catalogue() -> list[_TargetInfo]: ...
def lever_catalogue() -> list[_LeverInfo]: ...

class Scenario:
    """Parameter values, validated by the kernel's declarations (ScenarioError)."""
    def __init__(self) -> None: ...
    def set(self, key: str, value: object) -> None: ...
    def get(self, key: str) -> _ParamValue: ...
    def is_set(self, key: str) -> bool: ...
    def unset(self, arg0: str, /) -> bool: ...
    def values(self) -> dict[str, _ParamValue]: ...
    def check(self) -> None: ...

class Simulation:
    """One run; stepping, checkpoints and output writing release the GIL."""
    def __init__(
        self,
        scenario: Scenario,
        seed: SupportsInt | SupportsIndex,
        threads: SupportsInt | SupportsIndex,
    ) -> None: ...
    @staticmethod
    def restore(
        path: str,
        scenario: Scenario,
        seed: SupportsInt | SupportsIndex | None,
        threads: SupportsInt | SupportsIndex,
    ) -> Simulation: ...
    def checkpoint(self, path: str, attributes: Mapping[str, str]) -> None: ...
    def step(self) -> None: ...
    def run_until(self, year: SupportsInt | SupportsIndex) -> None: ...
    @property
    def steps_done(self) -> int: ...
    @property
    def total_steps(self) -> int: ...
    @property
    def finished(self) -> bool: ...
    @property
    def year(self) -> int: ...
    @property
    def month(self) -> int: ...
    @property
    def seed(self) -> int: ...
    @property
    def threads(self) -> int: ...
    @property
    def scale(self) -> float: ...
    @property
    def horizon_year(self) -> int: ...
    @property
    def next_firm_id(self) -> int: ...
    @property
    def first_new_firm_id(self) -> int: ...
    @property
    def next_talent_id(self) -> int: ...
    # Agent columns: zero-copy, read-only views by column name (dtypes vary by column).
    def firm_columns(self) -> dict[str, npt.NDArray[np.generic]]: ...
    def talent_columns(self) -> dict[str, npt.NDArray[np.generic]]: ...
    def fund_columns(self) -> dict[str, npt.NDArray[np.generic]]: ...
    def deal_columns(self) -> dict[str, npt.NDArray[np.generic]]: ...
    def incubator_columns(self) -> dict[str, npt.NDArray[np.generic]]: ...
    def park_table(self) -> _ParkTable: ...
    # (months, parks[, sectors[, stages] | parks | rounds]); KeyError for an unknown series.
    def series_values(self, name: str) -> npt.NDArray[np.float64]: ...
    # (months[, leading industries]); KeyError for an unknown series.
    def city_series_values(self, name: str) -> npt.NDArray[np.float64]: ...
    # years (float64 while empty), values (years x targets), met flags (years x targets).
    def target_values(
        self,
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.uint8]]: ...
    def target_thresholds(self) -> list[float]: ...
    @property
    def target_year(self) -> int: ...
    def set_lever(
        self,
        lever: str,
        intensity: SupportsFloat | SupportsIndex,
        start_year: SupportsInt | SupportsIndex,
        end_year: SupportsInt | SupportsIndex,
    ) -> None: ...
    # (intensity, start_year, end_year); KeyError for an unknown lever.
    def lever_schedule(self, arg0: str, /) -> tuple[float, int, int]: ...
    @property
    def lever_changes(self) -> list[str]: ...
    # years and months of the recorded steps.
    def series_time(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]: ...
    def open_output(self, path: str, attributes: Mapping[str, str]) -> None: ...
    def close_output(self, attributes: Mapping[str, str]) -> None: ...
    def abandon_output(self) -> None: ...
    @property
    def output_open(self) -> bool: ...
