"""Behavioural facts as calibration moments (docs/calibration.md, "Behavioural facts").

A stylised fact from a study up to 2022 (the start-up hazard by age, the early-stage share of
venture deals, ...) says how firms and funds behave, not what the zone measured in a year. It is
compared with the same statistic over a window of simulated years, measured on the running
simulation (no results file): firm snapshots at the Decembers the window needs, the deal table
at its end and at the Decembers whose closed deals or acquisitions a statistic reads.
Description and measurement only; the calibration engine (clustersim.calibration) runs the
simulations.

    [[calibration.facts]]
    statistic = "hazard_age_0"
    value = 0.016
    sd = 0.0048
    years = [2025, 2026]
    source = "SAIC 2013 enterprise survival report; H (national scope: sd 30 %)"
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from clustersim._common import value_error
from clustersim._schema import Field, Schema
from clustersim.observations import BASE_YEAR
from clustersim.validation import (closed_multiples, early_share_of_new_deals, hazard_table,
                                   top_share_of_proceeds)


@dataclass
class Trace:
    """What a window's statistics read: each December's living firms (``firm_id``,
    ``age_months``, ``exit_route``, ``vc_raised_cny``; the key ``BASE_YEAR - 1`` is the
    initial population), the deal table at the window's end, with ``step`` the month of the
    deal (1: January of the base year), and the deal table at each December a return or
    acquisition statistic reads."""
    firms: dict[int, pd.DataFrame]
    deals: pd.DataFrame
    deals_in_december: dict[int, pd.DataFrame] = field(default_factory=dict)


def _months(first: int, last: int) -> tuple[int, int]:
    """The steps of the years first to last: [lo, hi)."""
    return (first - BASE_YEAR) * 12 + 1, (last - BASE_YEAR + 1) * 12 + 1


def _exits(trace: Trace, first: int, last: int) -> pd.DataFrame:
    """Firms alive in December y - 1 and whether they were gone by December y, for y in the
    window, stacked (a firm counts once per year at risk)."""
    years = []
    for year in range(first, last + 1):
        before, after = trace.firms[year - 1], trace.firms[year]
        years.append(pd.DataFrame({"age_months": before["age_months"].to_numpy(),
                                   "exited": ~before["firm_id"].isin(after["firm_id"])}))
    return pd.concat(years, ignore_index=True)


def _hazard(age: int) -> Callable[[Trace, int, int], float]:
    def statistic(trace: Trace, first: int, last: int) -> float:
        exits = _exits(trace, first, last)
        table = hazard_table(exits["age_months"], exits["exited"])
        return float(table.get(age, math.nan))
    return statistic


def _exits_within_5_years(trace: Trace, first: int, last: int) -> float:
    """The share of the window's exits that were younger than five years at the start of the
    year they exited in."""
    exits = _exits(trace, first, last)
    gone = exits[exits["exited"]]
    return float((gone["age_months"] < 60).mean()) if len(gone) else math.nan


def _early_share(trace: Trace, first: int, last: int) -> float:
    """Seed and A rounds among the new deals (follow-ons excluded) made in the window."""
    return early_share_of_new_deals(trace.deals, first, last)


def _closed(trace: Trace, first: int, last: int) -> pd.DataFrame:
    """The deals made from January `first` on that were exited or written off by December
    `last`, with their multiples (as clustersim.validation counts them from the base year)."""
    deals = trace.deals_in_december[last]
    return closed_multiples(deals[deals["step"] >= _months(first, last)[0]])


def _share(rows: Callable[[Trace, int, int], pd.DataFrame],
           test: Callable[[pd.Series], pd.Series]) -> Callable[[Trace, int, int], float]:
    """The statistic: the share of a window's rows (closed deals, acquisitions) whose
    ``multiple`` passes `test`; NaN without rows."""
    def statistic(trace: Trace, first: int, last: int) -> float:
        frame = rows(trace, first, last)
        return float(test(frame["multiple"]).mean()) if len(frame) else math.nan
    return statistic


def _top_share(trace: Trace, first: int, last: int) -> float:
    closed = _closed(trace, first, last)
    return top_share_of_proceeds(closed) if closed["proceeds_cny"].sum() > 0 else math.nan


ACQUIRED = 2   # firms.exit_route of an acquired firm (docs/model.md 3.3.19)


def _acquisitions(trace: Trace, first: int, last: int) -> pd.DataFrame:
    """The firms acquired from January `first` to December `last` (private in December
    `first` - 1 or founded since, acquired and alive in December `last`), with the price paid
    (``price_cny``: an exited deal's proceeds over its stake) and its ``multiple`` of the
    venture capital the firm raised (``vc_raised_cny``)."""
    before, after = trace.firms[first - 1], trace.firms[last]
    earlier = before.loc[before["exit_route"] != 0, "firm_id"]
    acquired = after[(after["exit_route"] == ACQUIRED) & ~after["firm_id"].isin(earlier)]
    deals = trace.deals_in_december[last]
    exited = deals[(deals["status"] == "exited") & (deals["stake"] > 0)]
    price = (exited["proceeds_cny"] / exited["stake"]).groupby(exited["firm"]).first()
    acquired = acquired.assign(price_cny=acquired["firm_id"].map(price)).dropna(
        subset=["price_cny"])
    return acquired.assign(multiple=acquired["price_cny"] / acquired["vc_raised_cny"])


# statistic -> (function of a trace and the window's first and last year, description)
STATISTICS: dict[str, tuple[Callable[[Trace, int, int], float], str]] = {
    "hazard_age_0": (_hazard(0), "exit hazard in the first year of life"),
    "hazard_age_1": (_hazard(1), "exit hazard in the second year of life"),
    "hazard_age_2": (_hazard(2), "exit hazard in the third year of life"),
    "exits_within_5_years": (_exits_within_5_years,
                             "share of exits younger than five years"),
    "seed_and_a_share_of_new_deals": (_early_share,
                                      "seed and A rounds among new venture deals"),
    "closed_deals_share_at_most_1x": (_share(_closed, lambda m: m <= 1.0),
                                      "closed venture deals that returned at most their cost"),
    "closed_deals_share_at_least_10x": (_share(_closed, lambda m: m >= 10.0),
                                        "closed venture deals that returned ten times their "
                                        "cost or more"),
    "top_6pct_share_of_proceeds": (_top_share,
                                   "share of the proceeds of closed deals made by their best "
                                   "6 %"),
    "acquisitions_share_below_vc_raised": (_share(_acquisitions, lambda r: r < 1.0),
                                           "acquisitions priced below the venture capital the "
                                           "firm raised"),
    "acquisitions_share_at_least_10x_vc_raised": (_share(_acquisitions, lambda r: r >= 10.0),
                                                  "acquisitions priced at ten times the venture "
                                                  "capital the firm raised or more"),
}
_NEEDS_FIRMS = {"hazard_age_0", "hazard_age_1", "hazard_age_2", "exits_within_5_years"}
_ACQUISITION_STATISTICS = {"acquisitions_share_below_vc_raised",
                           "acquisitions_share_at_least_10x_vc_raised"}
_NEEDS_DEALS_IN_DECEMBER = {"closed_deals_share_at_most_1x", "closed_deals_share_at_least_10x",
                            "top_6pct_share_of_proceeds"} | _ACQUISITION_STATISTICS

FACT_SCHEMA = Schema(
    Field("statistic", "choice", choices=tuple(STATISTICS),
          description="the statistic measured on the simulated window"),
    Field("value", "number", expected="a finite number (the fact's value)",
          description="the fact's value, in the statistic's units"),
    Field("sd", "number", low=0, expected="a number > 0 (the fact's standard deviation)",
          description="its standard deviation, in the same units"),
    Field("years", "list", expected="[first, last]: the simulated years the statistic pools",
          description="the window of simulated years, both included"),
    Field("source", "string", expected="the study, its year and the certainty grade",
          description="where the fact comes from"),
    unknown="statistic, value, sd, years or source")


@dataclass(frozen=True)
class FactMoment:
    """A fact compared with a statistic over simulated years; quacks like an observations
    Moment (``label``, ``kind``, ``year``, ``observed``, ``sd``, ``note``)."""
    statistic: str
    observed: float
    sd: float
    first: int
    last: int
    source: str

    @property
    def label(self) -> str:
        return f"fact.{self.statistic}@{self.first}-{self.last}"

    kind = "fact"

    @property
    def year(self) -> int:
        return self.last

    @property
    def note(self) -> str:
        return (f"{STATISTICS[self.statistic][1]}, simulated {self.first}-{self.last}; "
                f"{self.source}")

    def to_dict(self) -> dict[str, Any]:
        return {"statistic": self.statistic, "value": self.observed, "sd": self.sd,
                "years": [self.first, self.last], "source": self.source}


def parse_facts(tables: list[Mapping[str, Any]], source: str, horizon_year: int
                ) -> list[FactMoment]:
    """``[[calibration.facts]]``, checked: every problem names the file, the key and the
    value."""
    facts: list[FactMoment] = []
    for i, table in enumerate(tables):
        fail = value_error(_error(), source, f"calibration.facts[{i}].")
        if not isinstance(table, Mapping):
            raise fail("", table, "a table (statistic, value, sd, years, source)")
        FACT_SCHEMA.check_unknown(table, fail)
        statistic = FACT_SCHEMA.get(table, "statistic", fail)
        value = float(FACT_SCHEMA.get(table, "value", fail))
        sd = float(FACT_SCHEMA.get(table, "sd", fail))
        if not math.isfinite(value):
            raise fail("value", value, "a finite number")
        if not (math.isfinite(sd) and sd > 0):
            raise fail("sd", sd, "a finite number > 0")
        years = FACT_SCHEMA.get(table, "years", fail)
        if len(years) != 2 or not all(isinstance(y, int) and not isinstance(y, bool)
                                      for y in years):
            raise fail("years", years, "[first, last]: two whole years")
        first, last = years
        if not BASE_YEAR <= first <= last <= horizon_year:
            raise fail("years", [first, last], f"years with {BASE_YEAR} <= first <= last <= "
                       f"{horizon_year} (the base year to the base scenario's horizon)")
        text = FACT_SCHEMA.get(table, "source", fail).strip()
        if not text:
            raise fail("source", text, "the study, its year and the certainty grade")
        fact = FactMoment(statistic, value, sd, first, last, text)
        if any(f.label == fact.label for f in facts):
            raise fail("statistic", statistic, f"each statistic and window once ({fact.label} "
                       "repeats)")
        facts.append(fact)
    return facts


def _error() -> type:
    from clustersim.calibfile import CalibrationError   # calibfile imports this module
    return CalibrationError


def snapshot_years(facts: list[FactMoment]) -> list[int]:
    """The Decembers whose firms the facts read (``BASE_YEAR - 1``: the initial population)."""
    years: set[int] = set()
    for f in facts:
        if f.statistic in _NEEDS_FIRMS:
            years.update(range(f.first - 1, f.last + 1))
        if f.statistic in _ACQUISITION_STATISTICS:
            years.update((f.first - 1, f.last))
    return sorted(years)


def deal_snapshot_years(facts: list[FactMoment]) -> list[int]:
    """The Decembers whose deal tables the return statistics read (each window's last)."""
    return sorted({f.last for f in facts if f.statistic in _NEEDS_DEALS_IN_DECEMBER})


def run_and_trace(sim: Any, until: int, facts: list[FactMoment]) -> Trace:
    """Runs ``sim`` to December ``until``, keeping the firm and deal snapshots the facts
    need."""
    firms: dict[int, pd.DataFrame] = {}
    deals_in_december: dict[int, pd.DataFrame] = {}
    wanted = snapshot_years(facts)
    wanted_deals = deal_snapshot_years(facts)

    def keep(year: int) -> None:
        frame = sim.firms.to_frame()
        firms[year] = frame[["firm_id", "age_months", "exit_route", "vc_raised_cny"]].copy()
    if BASE_YEAR - 1 in wanted:
        keep(BASE_YEAR - 1)
    for year in sorted({y for y in wanted if y >= BASE_YEAR} | set(wanted_deals) | {until}):
        sim.run(year)   # to December of that year
        if year in wanted:
            keep(year)
        if year in wanted_deals:
            deals_in_december[year] = sim.deals.to_frame()
    # The table at `until` is read once, whether or not a return statistic keeps it too.
    deals = deals_in_december.get(until)
    if deals is None:
        deals = sim.deals.to_frame() if facts else pd.DataFrame()
    return Trace(firms, deals, deals_in_december)


def measure(trace: Trace, facts: list[FactMoment]) -> dict[str, float]:
    return {f.label: STATISTICS[f.statistic][0](trace, f.first, f.last) for f in facts}


__all__ = ["FACT_SCHEMA", "FactMoment", "STATISTICS", "Trace", "deal_snapshot_years", "measure",
           "parse_facts", "run_and_trace", "snapshot_years"]
