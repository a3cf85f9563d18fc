"""Turns recorded arrays into the DataFrames that Simulation and Results both return."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clustersim import _core

LEVELS = ("park", "zone")
ROUNDS = ["seed", "A", "B", "C", "later"]
FUND_KINDS = ["government", "private", "corporate"]
SERIES = {s["name"]: s for s in _core.series_catalogue()}


def check_series(level: str, name: str) -> dict:
    if level not in LEVELS:
        raise KeyError(f"level {level!r} is unknown; expected one of {', '.join(LEVELS)}")
    if name not in SERIES:
        raise KeyError(f"series {name!r} is unknown; expected one of {', '.join(SERIES)}")
    return SERIES[name]


def time_index(years: np.ndarray, months: np.ndarray) -> pd.PeriodIndex:
    return pd.PeriodIndex.from_fields(year=np.asarray(years), month=np.asarray(months), freq="M",
                                      ).rename("month")


def zone_sum(name: str, park_values: np.ndarray) -> np.ndarray:
    """Sum over parks (axis 1) in park order, exactly as the results writer adds them; for
    moves between parks, the zone's total of the month."""
    total = np.zeros_like(park_values[:, 0])
    for p in range(park_values.shape[1]):
        total = total + park_values[:, p]
    if SERIES[name]["shape"] == "park_pair":
        pairs = total
        total = np.zeros(len(pairs))
        for d in range(pairs.shape[1]):
            total = total + pairs[:, d]
    return total


def series_frame(level: str, name: str, values: np.ndarray, index: pd.PeriodIndex,
                 park_ids: list[str]) -> pd.DataFrame:
    """values: (months, parks, sectors) or (months, parks) for level 'park'; for 'zone',
    (months, sectors) or (months,)."""
    info = SERIES[name]
    sectors = list(_core.sector_names)
    if level == "park":
        if info["shape"] == "cell":
            columns = pd.MultiIndex.from_product([park_ids, sectors], names=["park", "sector"])
            frame = pd.DataFrame(values.reshape(len(index), -1), index=index, columns=columns)
        elif info["shape"] == "cell_stage":
            columns = pd.MultiIndex.from_product([park_ids, sectors, list(_core.stage_names)],
                                                 names=["park", "sector", "stage"])
            frame = pd.DataFrame(values.reshape(len(index), -1), index=index, columns=columns)
        elif info["shape"] == "park_round":
            columns = pd.MultiIndex.from_product([park_ids, ROUNDS], names=["park", "round"])
            frame = pd.DataFrame(values.reshape(len(index), -1), index=index, columns=columns)
        elif info["shape"] == "park_pair":
            columns = pd.MultiIndex.from_product([park_ids, park_ids],
                                                 names=["origin", "destination"])
            frame = pd.DataFrame(values.reshape(len(index), -1), index=index, columns=columns)
        else:
            frame = pd.DataFrame(values, index=index, columns=pd.Index(park_ids, name="park"))
    else:
        if info["shape"] == "cell":
            frame = pd.DataFrame(values, index=index, columns=pd.Index(sectors, name="sector"))
        elif info["shape"] == "park_round":
            frame = pd.DataFrame(values, index=index, columns=pd.Index(ROUNDS, name="round"))
        elif info["shape"] == "cell_stage":
            columns = pd.MultiIndex.from_product([sectors, list(_core.stage_names)],
                                                 names=["sector", "stage"])
            frame = pd.DataFrame(values.reshape(len(index), -1), index=index, columns=columns)
        else:
            frame = pd.DataFrame({"zone": values}, index=index)
    frame.attrs.update(name=name, level=level, unit=info["unit"], description=info["description"])
    return frame


def agent_frame(columns: dict[str, np.ndarray], park_ids: list[str]) -> pd.DataFrame:
    """An agent table with categorical park, sector and (firms) stage names."""
    frame = pd.DataFrame({k: np.asarray(v) for k, v in columns.items()})
    for column in ("park", "target_park"):
        if column in frame:
            frame[column] = pd.Categorical.from_codes(frame[column].astype(np.int64),
                                                      categories=park_ids)
    if "sector" in frame:
        codes = frame["sector"].astype(np.int64).where(frame["sector"] != 255, -1)
        frame["sector"] = pd.Categorical.from_codes(codes, categories=list(_core.sector_names))
    if "kind" in frame:
        frame["kind"] = pd.Categorical.from_codes(frame["kind"].astype(np.int64),
                                                  categories=FUND_KINDS)
    if "round" in frame:
        frame["round"] = pd.Categorical.from_codes(frame["round"].astype(np.int64),
                                                   categories=ROUNDS)
    if "status" in frame:
        frame["status"] = pd.Categorical.from_codes(frame["status"].astype(np.int64),
                                                    categories=["active", "exited", "written_off"])
    if "high_quality" in frame:
        frame["high_quality"] = frame["high_quality"].astype(bool)
    if "stage" in frame:
        frame["stage"] = pd.Categorical.from_codes(frame["stage"].astype(np.int64),
                                                   categories=list(_core.stage_names))
    return frame


PARK_COLUMNS = ["name", "name_zh", "district", "area_km2", "longitude", "latitude",
                "base_revenue_cny", "leading_industries"]


def park_frame(table: dict) -> pd.DataFrame:
    """The park table (index: park id), the same from a Simulation and from a results file."""
    table = {k: ([x.decode() if isinstance(x, bytes) else x for x in v]
                 if k in ("id", "name", "name_zh", "district") else np.asarray(v))
             for k, v in table.items()}
    mask = table.pop("leading_mask")
    table["leading_industries"] = [
        ";".join(s for i, s in enumerate(_core.sector_names) if int(m) >> i & 1) for m in mask]
    return pd.DataFrame(table).set_index("id")[PARK_COLUMNS]
