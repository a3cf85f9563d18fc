"""Turns recorded arrays into the DataFrames that Simulation and Results both return."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clustersim import _core

LEVELS = ("park", "zone", "city")
ROUNDS = ["seed", "A", "B", "C", "later"]
FUND_KINDS = ["government", "private", "corporate"]
SERIES = {s["name"]: s for s in _core.series_catalogue()}
CITY_SERIES = {s["name"]: s for s in _core.city_series_catalogue()}
LEADING = list(_core.sector_names)[:3]
LEVER_GROUPS = list(_core.lever_group_ids)
TARGETS = {t["id"]: t for t in _core.target_catalogue()}


def check_series(level: str, name: str) -> dict:
    if level not in LEVELS:
        raise KeyError(f"level {level!r} is unknown; expected one of {', '.join(LEVELS)}")
    if level == "city":
        if name not in CITY_SERIES:
            raise KeyError(f"city series {name!r} is unknown; expected one of "
                           f"{', '.join(CITY_SERIES)}")
        return CITY_SERIES[name]
    if name not in SERIES:
        raise KeyError(f"series {name!r} is unknown; expected one of {', '.join(SERIES)}")
    if level == "zone" and not SERIES[name]["summable"]:
        raise KeyError(f"series {name!r} is a park code or score with no zone total; "
                       "use level 'park'")
    return SERIES[name]


def time_index(years: np.ndarray, months: np.ndarray) -> pd.PeriodIndex:
    return pd.PeriodIndex.from_fields(year=np.asarray(years), month=np.asarray(months), freq="M",
                                      ).rename("month")


def zone_sum(name: str, park_values: np.ndarray, in_zone: np.ndarray) -> np.ndarray:
    """Sum over the parks in the zone that month (axis 1) in park order, exactly as the results
    writer adds them; for moves between parks, the zone's total of the month."""
    total = np.zeros_like(park_values[:, 0])
    for p in range(park_values.shape[1]):
        inside = (in_zone[:, p] != 0).reshape((-1,) + (1,) * (park_values.ndim - 2))
        total = total + np.where(inside, park_values[:, p], 0.0)
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
    info = CITY_SERIES[name] if level == "city" else SERIES[name]
    sectors = list(_core.sector_names)
    if level == "city":
        if info["shape"] == "leading":
            frame = pd.DataFrame(values, index=index, columns=pd.Index(LEADING, name="sector"))
        elif info["shape"] == "lever_group":
            frame = pd.DataFrame(values, index=index,
                                 columns=pd.Index(LEVER_GROUPS, name="lever_group"))
        else:
            frame = pd.DataFrame({"city": values}, index=index)
    elif level == "park":
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


def faithful_at(target: str, scale: float) -> bool:
    """Whether a run at ``scale`` gives the full zone's verdict on ``target`` (P(met by 2025 and
    by 2030) agrees; docs/model.md, "Which scale for which target")."""
    return scale >= TARGETS[target]["faithful_scale"] * (1 - 1e-9)


def targets_frame(years: np.ndarray, values: np.ndarray, met: np.ndarray,
                  thresholds: list[float], target_year: int,
                  scale: float | None = None) -> pd.DataFrame:
    """Rows: years (December); columns: each target's value and ``<id>_met``. ``attrs`` holds
    the thresholds, the target year, the first year each target is met (None: not yet) and,
    given the run's scale, whether the scale gives each target's verdict faithfully."""
    ids = list(TARGETS)
    frame = pd.DataFrame(index=pd.Index(np.asarray(years, dtype=np.int64), name="year"))
    for t, target in enumerate(ids):
        frame[target] = np.asarray(values)[:, t] if len(frame) else np.array([], dtype=float)
        frame[f"{target}_met"] = (np.asarray(met)[:, t] != 0) if len(frame) else \
            np.array([], dtype=bool)
    first = {}
    for target in ids:
        hit = frame.index[frame[f"{target}_met"]]
        first[target] = int(hit[0]) if len(hit) else None
    frame.attrs.update(
        thresholds=dict(zip(ids, (float(x) for x in thresholds))),
        comparison={t: TARGETS[t]["comparison"] for t in ids},
        units={t: TARGETS[t]["unit"] for t in ids},
        target_year=int(target_year), first_met=first)
    if scale is not None:
        frame.attrs.update(scale=float(scale),
                           faithful={t: faithful_at(t, float(scale)) for t in ids})
    return frame


def target_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per target: threshold, value in the target year (or the last year recorded
    before it), whether it is met then, the first year it is met and, where the run's scale is
    known, whether that scale gives the target's verdict faithfully (``faithful``)."""
    year = frame.attrs["target_year"]
    rows = []
    for target in TARGETS:
        upto = frame.loc[frame.index <= year]
        at = upto.iloc[-1] if len(upto) else None
        rows.append({
            "target": target,
            "threshold": frame.attrs["thresholds"][target],
            "comparison": frame.attrs["comparison"][target],
            "unit": frame.attrs["units"][target],
            "year": int(upto.index[-1]) if len(upto) else None,
            "value": float(at[target]) if at is not None else float("nan"),
            "met": bool(at[f"{target}_met"]) if at is not None else False,
            "first_met": frame.attrs["first_met"][target],
            **({"faithful": frame.attrs["faithful"][target]} if "faithful" in frame.attrs
               else {}),
        })
    summary = pd.DataFrame(rows).set_index("target")
    for column in ("year", "first_met"):  # years, with <NA> where there is none
        summary[column] = pd.array([r[column] for r in rows], dtype="Int64")
    return summary
