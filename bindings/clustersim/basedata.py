"""The base year as the model starts it: each park's 2022 figures and sector revenue.

    cs.base_data()                     # one row per park: figures and fitted sector revenue
    cs.base_data(scenario)             # the same under a scenario's city and share parameters
    cs.park_figures()                  # data/park_figures.csv: value, band, year, certainty, source

The park figures are sourced or derived (see data/README.md); the revenue of each park's
leading industries is fitted (docs/model.md, section 3.2) and depends on the scenario's
`population.zone_*_share`, `population.city_*_cny` and
`population.non_leading_park_weight`.
"""

from __future__ import annotations

import os

import pandas as pd

from clustersim import _core
from clustersim.scenario import Scenario

_FIGURE_COLUMNS = ["park_id", "quantity", "value", "low", "high", "year", "certainty", "method",
                   "source"]


def base_data(scenario: Scenario | str | os.PathLike | None = None) -> pd.DataFrame:
    """One row per park (index: park id): name, district, leading industries, the 2022 figures
    (`area_km2`, `revenue_cny`, `firms`, `high_tech_firms`, `employees`) and the fitted 2022
    revenue of each sector (`revenue_cny.IC`, ..., `revenue_cny.other`; annual totals, full
    scale)."""
    if scenario is None:
        scenario = Scenario()
    elif not isinstance(scenario, Scenario):
        scenario = Scenario.load(scenario)
    scenario.validate()
    rows = []
    for park in _core.base_data(scenario._core)["parks"]:
        row = {key: park[key] for key in ("id", "name", "district", "area_km2", "revenue_cny",
                                          "firms", "high_tech_firms", "employees")}
        row["leading_industries"] = ";".join(park["leading_industries"])
        for sector, revenue in park["sector_revenue_cny"].items():
            row[f"revenue_cny.{sector}"] = revenue
        rows.append(row)
    return pd.DataFrame(rows).set_index("id")


def park_figures() -> pd.DataFrame:
    """The shipped data/park_figures.csv as the kernel read it: one row per park and quantity,
    with the value, its band, the year the source describes, certainty, method and source."""
    figures = _core.base_data(Scenario()._core)["figures"]
    return pd.DataFrame([list(f) for f in figures], columns=_FIGURE_COLUMNS)
