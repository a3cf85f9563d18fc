"""Observations: sourced yearly figures that the model is calibrated to, and the moments (what a
simulation must reproduce) derived from them (docs/calibration.md).

    obs = cs.Observations.from_csv("data/observed.csv")   # year, quantity, value, source, sd
    obs.moments()             # the fitted moments: levels and first-year growth rates
    obs.statistics(sim)       # the same moments measured on a finished Simulation

A quantity names a model output: ``zone.<series>[.<column>]`` (a zone series, summed over its
sectors unless a sector or, for ``firms_by_stage``, a stage is named),
``park.<park>.<series>[.<column>]`` (the same for one park), ``city.<series>[.<column>]`` (a city
series; a column is a leading industry) or ``target.<id>`` (a target's yearly value). A row is a
level, or with ``kind = growth`` a published year-on-year growth rate.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from clustersim import _core
from clustersim._common import invalid_value
from clustersim._files import decode_input, read_input
from clustersim._frames import CITY_SERIES, LEADING, LEVER_GROUPS, SERIES, TARGETS
from clustersim.errors import ScenarioError

BASE_YEAR = _core.base_year
FIRST_YEAR = 1990   # older figures are not about the zone's 22 parks (founded 1991)
COLUMNS = ("year", "quantity", "value", "source", "sd")
OPTIONAL = ("share", "kind")
KINDS = ("level", "growth")
PARKS = list(_core.park_ids)
PARK_SHAPES = ("cell", "cell_stage", "park")   # series with a value per park
SECTORS = list(_core.sector_names)
STAGES = list(_core.stage_names)


class ObservationError(ScenarioError):
    """An observation file (or table) is invalid; names the file, line, column and value."""


@dataclass(frozen=True)
class Quantity:
    """A model output per year: a zone, park or city series reduced over the year, or a target."""
    level: str                 # zone | park | city | target
    name: str
    column: str | None = None  # sector, leading industry or stage; None: the sum
    flow: bool = False         # a flow: the year's sum; otherwise December's value
    park: str | None = None    # level park: the park's id

    @property
    def label(self) -> str:
        return ".".join(x for x in (self.level, self.park, self.name, self.column) if x)

    @property
    def unit(self) -> str:
        if self.level == "target":
            return TARGETS[self.name].get("unit", "")
        info = CITY_SERIES[self.name] if self.level == "city" else SERIES[self.name]
        return info["unit"].replace("/month", "/year") if self.flow else info["unit"]

    def _frame(self, sim) -> pd.DataFrame:
        frame = sim.series(self.level, self.name)
        if self.level != "park":
            return frame
        frame = frame[self.park]   # the park's columns (sector[, stage]), or a Series
        return frame.to_frame(self.park) if isinstance(frame, pd.Series) else frame

    def yearly(self, sim) -> pd.Series:
        """This quantity per simulated year (index: year)."""
        if self.level == "target":
            frame = sim.targets()
            return frame[self.name].astype(float)
        frame = self._frame(sim)
        if self.column is None:
            values = frame.sum(axis=1)
        elif isinstance(frame.columns, pd.MultiIndex):
            level = "stage" if self.column in STAGES and "stage" in frame.columns.names \
                else "sector"
            values = frame.xs(self.column, level=level, axis=1).sum(axis=1)
        else:
            values = frame[self.column]
        by_year = values.groupby(values.index.year)
        return (by_year.sum() if self.flow else by_year.last()).astype(float)

    def first_year_growth(self, sim) -> float:
        """Mean annual log growth over the first simulated year: January's end to December's,
        annualised (x 12/11). Only for stocks."""
        frame = self._frame(sim)
        values = frame.sum(axis=1) if self.column is None else (
            frame[self.column] if not isinstance(frame.columns, pd.MultiIndex)
            else frame.xs(self.column, level="sector", axis=1).sum(axis=1))
        first = values[values.index.year == BASE_YEAR]
        start, end = float(first.iloc[0]), float(first.iloc[-1])
        if start <= 0 or end <= 0:
            return math.nan
        return math.log(end / start) * 12.0 / (len(first) - 1)


def quantities() -> list[str]:
    """Every quantity name an observation may use (columns: see the module's docstring)."""
    names = [f"target.{t}" for t in TARGETS]
    for name, info in SERIES.items():
        if info["summable"]:
            names.append(f"zone.{name}")
    names += [f"park.<park>.{name}" for name, info in SERIES.items()
              if info["shape"] in PARK_SHAPES]
    names += [f"city.{name}" for name in CITY_SERIES]
    return names


def parse_quantity(text: str) -> Quantity:
    """``zone.revenue_cny.IC`` -> Quantity; raises KeyError with what was expected."""
    level, _, rest = text.partition(".")
    name, _, column = rest.partition(".")
    column = column or None
    if level == "target":
        if name not in TARGETS or column:
            raise KeyError(f"a target ({', '.join('target.' + t for t in TARGETS)})")
        return Quantity("target", name)
    park = None
    if level == "park":
        park, _, rest = rest.partition(".")
        name, _, column = rest.partition(".")
        column = column or None
        if park not in PARKS:
            raise KeyError(f"a park id after 'park.' ({', '.join(PARKS)})")
        info = SERIES.get(name)
        if info is None or info["shape"] not in PARK_SHAPES:
            raise KeyError("a park series (park.<park>.<name>, names: " + ", ".join(
                n for n, s in SERIES.items() if s["shape"] in PARK_SHAPES) + ")")
        allowed = _series_columns(info)
    elif level == "zone":
        info = SERIES.get(name)
        if info is None or not info["summable"]:
            raise KeyError("a zone series (zone.<name>, names: "
                           f"{', '.join(n for n, s in SERIES.items() if s['summable'])})")
        allowed = _series_columns(info)
    elif level == "city":
        info = CITY_SERIES.get(name)
        if info is None:
            raise KeyError(f"a city series (city.<name>, names: {', '.join(CITY_SERIES)})")
        allowed = {"leading": LEADING, "lever_group": LEVER_GROUPS}.get(info["shape"], [])
    else:
        raise KeyError("a quantity zone.<series>[.<column>], park.<park>.<series>[.<column>], "
                       "city.<series>[.<column>] or target.<id>")
    if column is not None and column not in allowed:
        where = ".".join(x for x in (level, park, name) if x)
        raise KeyError(f"a column of {where} ({', '.join(allowed) or 'none'})")
    return Quantity(level, name, column, flow=info["unit"].endswith("/month"), park=park)


def _series_columns(info: dict) -> list[str]:
    """The columns a zone or park series may name: sectors, and stages for firms_by_stage."""
    return (SECTORS + STAGES) if info["shape"] == "cell_stage" else \
        (SECTORS if info["shape"] == "cell" else [])


@dataclass(frozen=True)
class Observation:
    year: int
    quantity: Quantity
    value: float
    sd: float
    source: str
    share: float = 1.0   # the model's scope / the figure's scope (e.g. zone / city)
    line: int = 0        # in the file, for messages
    kind: str = "level"  # level, or growth: a published growth rate (0.083 = +8.3 %)


@dataclass(frozen=True)
class Moment:
    """What is fitted: a level in a year, or the first simulated year's growth rate."""
    label: str
    quantity: Quantity
    kind: str            # level | growth
    year: int            # the year compared (growth: the first simulated year)
    observed: float      # in the model's scope (growth: log points a year)
    sd: float
    note: str            # how it was derived from the rows
    rows: tuple[int, ...] = field(default=(), compare=False)  # their positions in the table


class Observations:
    """A validated table of observations (one row per quantity and year)."""

    def __init__(self, rows: Iterable[Observation], *, source: str = "<observations>",
                 text: str = ""):
        self.rows = list(rows)
        self.source = source
        self.text = text
        if not self.rows:
            raise ObservationError(f"{source}: no observations; expected at least one row "
                                   f"({', '.join(COLUMNS)})", file=source)

    # --- construction
    @classmethod
    def from_csv(cls, path: str | os.PathLike, *, horizon_year: int = 2100) -> Observations:
        path = os.fspath(path)
        raw = read_input(path, ObservationError, "observation")
        return cls.from_text(raw, source=path, horizon_year=horizon_year)

    @classmethod
    def from_text(cls, text: str | bytes, *, source: str = "<string>",
                  horizon_year: int = 2100) -> Observations:
        if isinstance(text, bytes):
            text = decode_input(text, source, ObservationError, "a CSV file", "utf-8-sig")
        lines = [(n, line) for n, line in enumerate(text.splitlines(), 1)
                 if line.strip() and not line.lstrip().startswith("#")]
        if not lines:
            raise ObservationError(f"{source}: the file is empty; expected a CSV header "
                                   f"{','.join(COLUMNS)} and rows", file=source)
        numbers = [n for n, _ in lines]
        reader = csv.reader(io.StringIO("\n".join(line for _, line in lines)))
        header = [h.strip() for h in next(reader)]
        missing = [c for c in COLUMNS if c not in header]
        unknown = [c for c in header if c not in COLUMNS + OPTIONAL]
        if missing or unknown:
            what = f"missing column {missing[0]!r}" if missing else f"unknown column {unknown[0]!r}"
            raise ObservationError(f"{source}: line {numbers[0]}: {what}; expected the header "
                                   f"{','.join(COLUMNS)} (optional: {', '.join(OPTIONAL)})",
                                   file=source, key=(missing or unknown)[0])
        rows, seen = [], {}
        for number, cells in zip(numbers[1:], reader, strict=True):
            if len(cells) != len(header):
                raise ObservationError(f"{source}: line {number}: {len(cells)} fields; expected "
                                       f"{len(header)} ({','.join(header)}); quote a field that "
                                       "holds a comma", file=source)
            row = dict(zip(header, (c.strip() for c in cells), strict=True))
            rows.append(_row(row, number, source, horizon_year))
            key = (rows[-1].quantity.label, rows[-1].year, rows[-1].kind)
            if key in seen:
                what = "" if key[2] == "level" else " (growth)"
                raise ObservationError(f"{source}: line {number}: {key[0]}{what} in {key[1]} is "
                                       f"already given on line {seen[key]}; expected one row "
                                       "per quantity, year and kind", file=source,
                                       key="quantity", value=key[0])
            seen[key] = number
        # A published growth rate and one derived from two levels would be the same moment.
        for o in rows:
            if o.kind == "growth" and o.year == BASE_YEAR:
                early = [e for e in rows if e.kind == "level" and e.year <= BASE_YEAR
                         and e.quantity.label == o.quantity.label]
                if len(early) >= 2:
                    raise ObservationError(
                        f"{source}: line {o.line}: the {BASE_YEAR} growth of "
                        f"{o.quantity.label} is also derived from its levels on lines "
                        f"{early[-2].line} and {early[-1].line}; expected either a growth row "
                        "or levels for the first simulated year", file=source, key="kind",
                        value="growth")
        return cls(rows, source=source, text=text)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, source: str = "<frame>") -> Observations:
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False)
        return cls.from_text(buffer.getvalue(), source=source)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"year": o.year, "quantity": o.quantity.label, "value": o.value,
                              "sd": o.sd, "share": o.share, "kind": o.kind, "source": o.source}
                             for o in self.rows])

    def to_csv(self) -> str:
        return self.to_frame()[["year", "quantity", "value", "source", "sd", "share",
                                "kind"]].to_csv(index=False)

    # --- what is fitted
    def moments(self) -> list[Moment]:
        """The moments the model must reproduce, by the rule of docs/calibration.md:

        - a flow or target in the base year or later, and a stock after the base year: the
          model's value that year (flows: the year's sum; stocks: December; targets: their
          yearly value), compared with value x share;
        - a stock with two or more rows up to the base year (the base year's level is the
          model's initial state): the mean annual log growth between its latest two rows,
          which the first simulated year's growth must reproduce (the latest rows: the year
          the model simulates first, not an earlier rebound or slump);
        - a published growth rate g (``kind = growth``, a stock) of the base year: the first
          simulated year's growth must reproduce log(1 + g), sd sd / (1 + g); of a later year
          y: the log growth from December y - 1 to December y;
        - anything else (one pre-base stock row, the older rows of a growth, flows and targets
          before the base year, growth rates before it): reported by ``Fit.check()`` but not
          fitted."""
        out = []
        position = {id(o): k for k, o in enumerate(self.rows)}
        by_quantity: dict[str, list[Observation]] = {}
        for o in self.rows:
            if o.kind == "growth":
                if o.year < BASE_YEAR:
                    continue
                label = o.quantity.label + ("@growth" if o.year == BASE_YEAR
                                            else f"@growth{o.year}")
                out.append(Moment(label, o.quantity, "growth", o.year,
                                  math.log1p(o.value), o.sd / (1.0 + o.value),
                                  f"log(1 + {o.value:g}), a published growth rate, line {o.line}",
                                  (position[id(o)],)))
                continue
            by_quantity.setdefault(o.quantity.label, []).append(o)
        for label, rows in by_quantity.items():
            rows.sort(key=lambda o: o.year)
            q = rows[0].quantity
            direct = [o for o in rows if o.year > BASE_YEAR or
                      (o.year == BASE_YEAR and (q.flow or q.level == "target"))]
            for o in direct:
                out.append(Moment(f"{label}@{o.year}", q, "level", o.year, o.value * o.share,
                                  o.sd * o.share, f"line {o.line}", (position[id(o)],)))
            early = [o for o in rows if o.year <= BASE_YEAR and q.level != "target"
                     and not q.flow]
            if len(early) >= 2:
                a, b = early[-2], early[-1]
                years = b.year - a.year
                growth = math.log(b.value / a.value) / years
                sd = math.hypot(a.sd / a.value, b.sd / b.value) / years
                out.append(Moment(f"{label}@growth", q, "growth", BASE_YEAR, growth, sd,
                                  f"log({b.value:g}/{a.value:g})/{years} from lines "
                                  f"{a.line} and {b.line}", (position[id(a)], position[id(b)])))
        return out

    def unfitted(self) -> list[Observation]:
        """The rows that no moment uses (reported only)."""
        used = {k for m in self.moments() for k in m.rows}
        return [o for k, o in enumerate(self.rows) if k not in used]

    def last_year(self) -> int:
        """The last year a simulation must run to measure every moment."""
        return max([BASE_YEAR] + [m.year for m in self.moments()])

    def statistics(self, sim) -> dict[str, float]:
        """The moments measured on a finished simulation, by label."""
        out, yearly = {}, {}

        def yearly_of(q: Quantity) -> pd.Series:   # each quantity read from the run once
            if q.label not in yearly:
                yearly[q.label] = q.yearly(sim)
            return yearly[q.label]
        for m in self.moments():
            if m.kind == "growth" and m.year == BASE_YEAR:
                out[m.label] = m.quantity.first_year_growth(sim)
            elif m.kind == "growth":
                series = yearly_of(m.quantity)
                before, now = series.get(m.year - 1, math.nan), series.get(m.year, math.nan)
                out[m.label] = (math.log(now / before) if before > 0 and now > 0
                                else math.nan)
            else:
                series = yearly_of(m.quantity)
                out[m.label] = float(series.get(m.year, math.nan))
        return out

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return (f"<Observations {self.source}: {len(self.rows)} rows, {len(self.moments())} "
                "moments>")


def _row(row: dict[str, str], number: int, source: str, horizon_year: int) -> Observation:
    def fail(column: str, expected: str) -> ObservationError:
        return invalid_value(ObservationError, source, column, row.get(column, ""), expected,
                             where=f"line {number}, column '{column}'")
    try:
        year = int(row["year"])
    except ValueError:
        raise fail("year", f"a year (an integer in [{FIRST_YEAR}, {horizon_year}])") from None
    if not FIRST_YEAR <= year <= horizon_year:
        raise fail("year", f"a year in [{FIRST_YEAR}, {horizon_year}] (the zone's history to "
                   "the scenario's horizon)")
    try:
        quantity = parse_quantity(row["quantity"])
    except KeyError as error:
        raise fail("quantity", error.args[0]) from None

    def number_in(column: str, positive: bool, default: str | None = None) -> float:
        text = row.get(column, default) if default is not None else row[column]
        if text == "" and default is not None:
            text = default
        try:
            x = float(text)
        except ValueError:
            raise fail(column, "a number") from None
        if not math.isfinite(x) or (positive and x <= 0):
            raise fail(column, "a finite number" + (" > 0" if positive else ""))
        return x
    kind = row.get("kind", "") or "level"
    if kind not in KINDS:
        raise fail("kind", f"one of {', '.join(KINDS)} (empty: level)")
    if kind == "growth":
        if quantity.level == "target" or quantity.flow:
            raise fail("quantity", "a stock (a zone, park or city series that is not a flow) "
                       "for a growth row")
        value = number_in("value", False)
        if value <= -1:
            raise fail("value", "a growth rate > -1 (a fraction: 0.083 for +8.3 %)")
    else:
        value = number_in("value", quantity.level != "target" and not quantity.flow)
    sd = number_in("sd", True)
    share = number_in("share", True, default="1")
    if kind == "growth" and share != 1:
        raise fail("share", "1 for a growth row (a growth rate needs no scope share)")
    if not row["source"]:
        raise fail("source", "the figure's source (publisher, date; certainty H/M/L)")
    return Observation(year, quantity, value, sd, row["source"], share, number, kind)


__all__ = ["Moment", "Observation", "ObservationError", "Observations", "Quantity",
           "parse_quantity", "quantities"]
