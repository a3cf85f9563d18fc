"""Writes data/park_figures.csv: each park's 2022 figures from the sourced inputs below, by the
rules stated in data/README.md. Run it after changing an input; tests/python/test_base_data.py
checks that the file is what this script writes.

Every input names its source; figures describing 2023 or later are never used (they are the
out-of-sample check). Most parks publish nothing at their own boundary, so most figures are
derived (certainty L) and carry wide bands: see data/README.md, "How the figures are derived".
"""
from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

BN = 1e9
YEAR = 2022

# --- zone-wide anchors ------------------------------------------------------------------------
# Zone enterprise revenue 4.31 trn CNY in 2016 (China Daily via en.zjsfq.gov.cn, 2017-07-12; H),
# tax 242.9 bn, ~70,000 S&T firms; 3,759 high-tech firms in 2017-18 (China Daily via
# english.cnipr.com, 2018-04-11; H).
ZONE_REVENUE_2016 = 4.31e12
ZONE_TAX_2016 = 242.9 * BN
ZONE_FIRMS_2016 = 70_000
ZONE_HIGH_TECH_2018 = 3_759
ZONE_AREA_KM2 = 531.0
# Growth of the zone's revenue 2016-2022, a band: Science City +8.3 % in 2022 (pudong.gov.cn
# 2023-05-05; H) below, Shanghai's high-tech enterprises 3.43 -> 4.38 trn CNY 2020-22, +13.0 % a
# year (SASS/STCSM; H) above; the centre is their midpoint.
ZONE_GROWTH = (0.083, 0.1065, 0.130)
# Value added per unit of revenue: national high-tech zones 2021, 15.3 trn GDP / 49.51 trn revenue
# (MOST / Torch; H, the ratio L): turns a GDP ("economic aggregate") into a revenue equivalent.
VALUE_ADDED_PER_REVENUE = 0.31
# Revenue per employee: Core Park 2014, 545 bn / 350,000 (en.zjsfq.gov.cn 2016-01-28; H), grown to
# 2022 at firms.revenue_per_employee_growth (0.06 a year, continuous; assumed).
REVENUE_PER_EMPLOYEE_2022 = 545 * BN / 350_000 * math.exp(0.06 * 8)
# District figures older than 2022 are carried forward at 6 % a year (assumed, 0 to 10.65 %).
DISTRICT_GROWTH = 0.06

# --- the parks' own inputs --------------------------------------------------------------------
# area: (km2, year, certainty, source). None: not found (derived below).
AREA = {
    "core": (79.7, 2022, "H", "Core Park 79.7 km2 (../shared CALIBRATION.md; zone pages)"),
    "caohejing": (14.28, 2022, "M", "Caohejing ETDZ 14.28 km2 (encyclopedia page; head area)"),
    "jinqiao": (20.48, 2022, "H", "Jinqiao 20.48 km2 (english.pudong.gov.cn 2023-04-10)"),
    "lujiazui": None, "world_expo": (9.93, 2018, "M",
                                     "Expo section of the FTZ 9.93 km2 (上观新闻 2018-08-31)"),
    "lingang": None,
    "minhang": (56.5, 2022, "H", "Minhang park 56.5 km2 (CALIBRATION.md); 44.49 km2 in 2016 "
                "(en.zjsfq.gov.cn 2016-01-28)"),
    "zizhu": (13.0, 2016, "M", "Zizhu phase 1, 13 km2 (en.sh-italent.com 2016-12-20)"),
    "baoshan": (9.39, 2022, "M", "robot park 3.09 km2 (2022 national SME cluster list) + "
                "Nanda smart city ~6.3 km2; other sub-parks not found"),
    "jiading": None, "yangpu": None, "xuhui": None, "changning": None,
    "putuo": (10.2, 2022, "M", "Putuo park 10.2 km2 (park and government pages)"),
    "hongkou": (8.0, 2022, "H", "Hongkou park 8.0 km2 (CALIBRATION.md)"),
    "jingan": (3.13, 2017, "M", "Shibei Hi-Tech Park 3.13 km2 (en.sh-italent.com 2017-02-08); "
               "other sub-parks not found"),
    "huangpu": None,
    "qingpu": (16.1, 2022, "M", "Qingpu Industrial Park 16.1 km2 (park pages)"),
    "songjiang": (21.2, 2022, "H", "Songjiang park 21.2 km2 (CALIBRATION.md)"),
    "jinshan": (21.08, 2022, "H", "Jinshan park 21.08 km2: 金山工业区 8.88 + 枫泾 12.2 (park pages)"),
    "fengxian": (18.95, 2022, "H", "Fengxian park 18.95 km2 (park ten-year report, 2022)"),
    "chongming": (10.0, 2016, "M", "Chongming Industrial Park 10 km2 (2016 park page)"),
}

# Revenue by one of four rules (data/README.md):
#   own      the park's own 2022 figure (or one at a larger scope, said so), kept as it is
#   project  an older own figure carried to 2022 at a growth band
#   scope    a figure of a larger unit times the park's share of it
#   firms    a firm count times the zone's revenue per firm (2016)
#   district the park's district economy times the share the zone's total leaves (see below)
# Each: (rule, value args, year, source).
REVENUE = {
    "core": ("own", 1178 * BN, (990 * BN, 1178 * BN * 1.05), 2022, "M",
             "Science City operating revenue 1.178 trn CNY 2022, +8.3 % (pudong.gov.cn "
             "2023-05-05); the Science City (95 km2) is larger than the Core Park (79.7 km2): low "
             "end its area share, high end the figure + 5 % (an official figure's precision)"),
    "fengxian": ("tax", 8.943 * BN, 2022, "H",
                 "Fengxian park tax 8.943 bn CNY 2022, 14.8 % of the district (park ten-year "
                 "report, Dec 2022); industrial output 68.5 bn"),
    "caohejing": ("project_va", 113.3 * BN, 2017, "L",
                  "Caohejing ETDZ value added 113.3 bn CNY 2017 (aggregator page, undated)"),
    "jinqiao": ("project", 600 * BN, 2015, "M",
                "Jinqiao FTZ section operating revenue ~600 bn CNY 2015, 1.8 x 2010 (secondary "
                "page, ~2016); the park's growth since is taken at 0 to 10.65 % a year"),
    "lingang": ("scope", 158.67 * BN * 12 / 8 * (1 + ZONE_GROWTH[1]), (0.3, 0.6, 1.0), 2021, "M",
                "Lingang Special Area industrial output 158.67 bn CNY Jan-Aug 2021 (浦东时报 "
                "2021-10-13), annualised and carried to 2022; the park's share of the Special "
                "Area is taken at 0.3 to 1"),
    "songjiang": ("scope", 290.1 * BN, (21.2 / 42.8 * 0.7, 21.2 / 42.8, 1.0), 2022, "M",
                  "Songjiang ETDZ industrial output 290.1 bn CNY 2022 (ETDZ reports, M); the ETDZ "
                  "(42.8 km2) overlaps the 21.2 km2 park: centre its area share, high the whole"),
    "baoshan": ("scope", 25.0 * BN * (1 + ZONE_GROWTH[1]), (1.0, 9.39 / 3.09, 5.0), 2021, "M",
                "Baoshan robot park cluster output 25 bn CNY (~2021, 2022 national SME cluster "
                "list), carried to 2022; the park is taken at its area multiple of the robot park "
                "(1 to 5)"),
    "world_expo": ("firms", 9_000, 2018, "L",
                   "Expo area ~9,000 enterprises 2018 (Shanghai Daily 2018-10-28: > 900 financial "
                   "firms, 10 % of the local enterprises)"),
    "jingan": ("firms", 3_500, 2021, "M",
               "Shibei Hi-Tech Park area > 3,500 enterprises 2021 (shine.cn 2021-04-28)"),
    # district: (district economy in CNY as a revenue equivalent, year, certainty, source)
    "minhang": ("district", 2 * 122.8 * BN / VALUE_ADDED_PER_REVENUE, 2022, "L",
                "Minhang district GDP 122.8 bn CNY in H1 2022 (district release), doubled; the "
                "park is at least the Minhang ETDZ's sales, 67.5 bn CNY 2022 (press report "
                "2023-05-13)"),
    "zizhu": ("district", 2 * 122.8 * BN / VALUE_ADDED_PER_REVENUE, 2022, "L",
              "Minhang district GDP 122.8 bn CNY in H1 2022 (district release), doubled"),
    "xuhui": ("district", (400 + 75) * BN, 2021, "M",
              "Xuhui district modern-services revenue > 400 bn and above-scale industrial output "
              "~75 bn CNY 2021 (2022 government work report)"),
    "changning": ("district", 156.1 * BN / VALUE_ADDED_PER_REVENUE, 2020, "L",
                  "Changning district GDP ~156.1 bn CNY 2020 (derived from a 14th-plan review)"),
    "putuo": ("district", 112.95 * BN / VALUE_ADDED_PER_REVENUE, 2020, "M",
              "Putuo district value added 112.95 bn CNY 2020 (english.shpt.gov.cn)"),
    "huangpu": ("district", 302.305 * BN / VALUE_ADDED_PER_REVENUE, 2022, "M",
                "Huangpu district GDP 302.305 bn CNY 2022 (Shanghai press briefing 2023-08-01)"),
    "hongkou": ("district", 78.05 * BN / VALUE_ADDED_PER_REVENUE, 2017, "L",
                "Hongkou district GDP 78.05 bn CNY 2017 (secondary page)"),
    "yangpu": ("district", 200 * BN / VALUE_ADDED_PER_REVENUE, 2022, "M",
               "Yangpu district GDP > 200 bn CNY 2022 (district release)"),
    "jiading": ("district", 276.83 * BN / VALUE_ADDED_PER_REVENUE, 2022, "L",
                "Jiading district GDP 276.83 bn CNY 2022 (search snippet without address)"),
    "qingpu": ("district", 127 * BN / VALUE_ADDED_PER_REVENUE, 2021, "L",
               "Qingpu district GDP ~127 bn CNY 2021 (district pages)"),
    "jinshan": ("district", 104.5 * BN / 0.77, 2020, "M",
                "Jinshan's four industrial clusters 104.5 bn CNY output 2020, 77 % of the "
                "district's (district release): district output ~135.7 bn"),
    "chongming": ("district", 38.2 * BN / VALUE_ADDED_PER_REVENUE, 2020, "L",
                  "Chongming district GDP ~38.2 bn CNY 2020 (derived, secondary page)"),
    "lujiazui": ("scope", 630 * BN / VALUE_ADDED_PER_REVENUE, (0.05, 0.2, 0.5), 2022, "M",
                 "Lujiazui Financial City 'economic aggregate' > 630 bn CNY 2022 (english.pudong."
                 "gov.cn 2023-07-07), as revenue (/ 0.31); the Financial City (31.78 km2, mostly "
                 "finance) is far larger than the park: share taken at 0.05 to 0.5"),
}
# Figures at the park's own scope: (quantity, value, year, certainty, source)
OWN = [
    ("core", "firms", 18_000, 2022, "M",
     "Science City > 18,000 enterprises (english.pudong.gov.cn 2023-04-24, end-2022)"),
    ("core", "high_tech_firms", 828, 2022, "M",
     "Science City 828 high-tech enterprises (english.pudong.gov.cn 2023-04-24, end-2022)"),
    ("core", "revenue_cny.IC", 201.1 * BN, 2022, "H",
     "Science City IC sales 201.1 bn CNY 2022, +18.1 %, 65.8 % of the city's (pudong.gov.cn "
     "2023-05-05); Science City scope"),
    ("fengxian", "high_tech_firms", 500, 2022, "H",
     "Fengxian park 500 high-tech enterprises 2022 (park ten-year report)"),
    ("lingang", "high_tech_firms", 700, 2022, "L",
     "Lingang ~700 high-tech enterprises end-2022: the 2023 goal 'up 300 to over 1,000' "
     "(en.lingang.gov.cn 2023-01-30); Special Area scope"),
    ("jingan", "firms", 3_500, 2021, "M", "Shibei > 3,500 enterprises 2021 (shine.cn 2021-04-28)"),
    ("world_expo", "firms", 9_000, 2018, "L", "Expo area ~9,000 enterprises 2018 (Shanghai Daily)"),
    ("chongming", "firms", 6_000, 2016, "M",
     "Chongming Industrial Park > 6,000 registered firms 2016 (park page)"),
]
# Districts with more than one park split the district's share between them by area.
DISTRICT_OF = {"minhang": "Minhang", "zizhu": "Minhang"}


def band_csv(value: float, low: float, high: float) -> tuple[str, str, str]:
    return f"{value:.6g}", f"{low:.6g}", f"{high:.6g}"


def derive() -> list[list[str]]:
    revenue: dict[str, tuple[float, float, float, int, str, str, str]] = {}
    g_lo, g_mid, g_hi = ZONE_GROWTH
    per_firm = ZONE_REVENUE_2016 / ZONE_FIRMS_2016
    per_tax = ZONE_REVENUE_2016 / ZONE_TAX_2016
    for park, spec in REVENUE.items():
        rule = spec[0]
        if rule == "own":
            _, value, (low, high), year, cert, source = spec
            method = "own figure (larger scope)"
        elif rule == "tax":
            _, tax, year, cert, source = spec
            value, low, high = tax * per_tax, tax * per_tax * 0.65, tax * per_tax * 1.35
            method = (f"tax x {per_tax:.2f} (the zone's revenue per unit of tax, 2016: 4.31 trn / "
                      "242.9 bn); band +-35 %")
            cert = "L"
        elif rule == "project_va":
            _, va, year, cert, source = spec
            n = YEAR - year
            base = va / VALUE_ADDED_PER_REVENUE
            value, low, high = base * (1 + g_mid) ** n, 0.7 * base * (1 + g_lo) ** n, \
                1.3 * base * (1 + g_hi) ** n
            method = (f"value added / {VALUE_ADDED_PER_REVENUE} (value added per revenue, national "
                      f"high-tech zones 2021) carried {n} years at the zone's growth "
                      f"{g_lo:.3f}-{g_hi:.3f}; band also +-30 % for the ratio")
        elif rule == "project":
            _, base, year, cert, source = spec
            n = YEAR - year
            value, low, high = base * (1 + g_mid / 2) ** n, base, base * (1 + g_mid) ** n
            method = f"carried {n} years at half the zone's growth ({g_mid / 2:.3f}); band 0 to {g_mid:.3f}"
            cert = "L"
        elif rule == "scope":
            _, base, (s_lo, s_mid, s_hi), year, cert, source = spec
            value, low, high = base * s_mid, base * s_lo, base * s_hi
            method = (f"larger unit ({base / BN:.1f} bn CNY) x the park's share {s_mid:.3g} (band "
                      f"{s_lo:.3g}-{s_hi:.3g})")
            cert = "L"
        elif rule == "firms":
            _, firms, year, cert, source = spec
            value, low, high = firms * per_firm, 0.25 * firms * per_firm, 1.5 * firms * per_firm
            method = (f"firms x {per_firm / 1e6:.1f} m CNY (the zone's revenue per firm, 2016); "
                      "band 0.25-1.5 x (the park's firms may be smaller or larger than the zone's)")
            cert = "L"
        else:
            continue
        revenue[park] = (value, low, high, year, cert, method, source)

    # District rule: what the zone's projected 2022 total leaves after the parks above, shared in
    # proportion to each district's economy (split by area between a district's parks).
    zone_total = [ZONE_REVENUE_2016 * (1 + g) ** (YEAR - 2016) for g in ZONE_GROWTH]
    assigned = sum(v[0] for v in revenue.values())
    base_of: dict[str, float] = {}
    for park, (rule, base, year, *_rest) in ((p, s) for p, s in REVENUE.items()
                                              if s[0] == "district"):
        base_2022 = base * (1 + DISTRICT_GROWTH) ** (YEAR - year)
        district = DISTRICT_OF.get(park)
        if district:
            sharing = [p for p, d in DISTRICT_OF.items() if d == district]
            area = sum(AREA[p][0] for p in sharing)
            base_2022 *= AREA[park][0] / area
        base_of[park] = base_2022
    district_total = sum(base_of.values())
    share = [(t - assigned) / district_total for t in zone_total]
    for park, base in base_of.items():
        _, _, year, cert, source = REVENUE[park]
        value, low, high = base * share[1], base * 0.2, base * min(1.0, 2 * share[1])
        if park == "minhang":
            low = max(low, 67.5 * BN)  # at least the Minhang ETDZ's own sales
        method = (f"district economy as revenue ({base / BN:.1f} bn CNY in 2022, GDP / "
                  f"{VALUE_ADDED_PER_REVENUE} where a GDP; older years carried at "
                  f"{DISTRICT_GROWTH}) x {share[1]:.3f}, the share the zone's projected 2022 "
                  f"revenue ({zone_total[1] / 1e12:.2f} trn: 4.31 trn in 2016 at "
                  f"{g_mid:.4f} a year) leaves for the parks without a figure of their own; band "
                  f"0.2 to {min(1.0, 2 * share[1]):.2f} of the district")
        revenue[park] = (value, low, high, year, "L", method, source)

    rows = []
    total_revenue = sum(v[0] for v in revenue.values())
    known_area = sum(a[0] for a in AREA.values() if a)
    unknown_revenue = sum(revenue[p][0] for p, a in AREA.items() if a is None)
    own = {(p, q): (v, y, c, s) for p, q, v, y, c, s in OWN}
    for park in AREA:
        value, low, high, year, cert, method, source = revenue[park]
        if AREA[park]:
            a, a_year, a_cert, a_source = AREA[park]
            rows.append([park, "area_km2", *band_csv(a, 0.8 * a, 1.25 * a), a_year, a_cert,
                         "own figure", a_source])
        else:
            a = (ZONE_AREA_KM2 - known_area) * value / unknown_revenue
            rows.append([park, "area_km2", *band_csv(a, 0.5 * a, 2 * a), YEAR, "L",
                         f"the zone's {ZONE_AREA_KM2} km2 less the parks with a sourced area "
                         f"({known_area:.2f} km2), shared by derived revenue",
                         "no area found for this park"])
        rows.append([park, "revenue_cny", *band_csv(value, low, high), year, cert, method, source])
        for quantity in ("firms", "high_tech_firms"):
            if (park, quantity) in own:
                v, y, c, s = own[(park, quantity)]
                rows.append([park, quantity, *band_csv(v, 0.7 * v, 1.3 * v), y, c, "own figure",
                             s])
            elif quantity == "firms":
                v = value / per_firm
                rows.append([park, quantity, *band_csv(v, 0.5 * v, 2 * v), YEAR, "L",
                             f"revenue / {per_firm / 1e6:.1f} m CNY (the zone's revenue per firm, "
                             "2016); band 0.5-2 x", "derived from this park's revenue_cny row"])
            else:
                firms = own.get((park, "firms"), (value / per_firm,))[0]
                rate = ZONE_HIGH_TECH_2018 / ZONE_FIRMS_2016
                v = firms * rate
                rows.append([park, quantity, *band_csv(v, 0.5 * v, 2 * v), YEAR, "L",
                             f"firms x {rate:.4f} (the zone's high-tech firms per firm, 2017-18: "
                             "3,759 / 70,000); band 0.5-2 x",
                             "derived from this park's firms row"])
        v = value / REVENUE_PER_EMPLOYEE_2022
        rows.append([park, "employees", *band_csv(v, 0.6 * v, 1.6 * v), YEAR, "L",
                     f"revenue / {REVENUE_PER_EMPLOYEE_2022 / 1e6:.2f} m CNY per employee (Core "
                     "Park 2014, 545 bn / 350,000, grown at 6 % a year); band 0.6-1.6 x",
                     "derived from this park's revenue_cny row"])
        if (park, "revenue_cny.IC") in own:
            v, y, c, s = own[(park, "revenue_cny.IC")]
            rows.append([park, "revenue_cny.IC", *band_csv(v, 0.95 * v, 1.05 * v), y, c,
                         "own figure (larger scope)", s])
    print(f"zone 2022: {total_revenue / 1e12:.3f} trn CNY from the parks; projection "
          f"{zone_total[0] / 1e12:.2f}-{zone_total[2] / 1e12:.2f}; district share "
          f"{share[1]:.3f} ({share[0]:.3f}-{share[2]:.3f})", file=sys.stderr)
    return rows


def docs_table(rows: list[list[str]]) -> str:
    """The base-data table of docs/model.md, section 3.2 (rows of data/park_figures.csv)."""
    by_park: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        by_park.setdefault(row[0], {})[row[1]] = row
    lines = []
    for park, figures in by_park.items():
        rev = figures["revenue_cny"]
        rule = rev[7].split(" ")[0] if not rev[7].startswith("own") else "own"
        rule = {"tax": "tax", "value": "project", "carried": "project", "larger": "scope",
                "firms": "firms", "district": "district"}.get(rule, rule)
        firms = figures["firms"]
        area = figures["area_km2"]
        lines.append(f"| {park} | {float(rev[2]) / BN:,.1f} | {float(rev[3]) / BN:,.0f}–"
                     f"{float(rev[4]) / BN:,.0f} | {rule}, {rev[5]}, {rev[6]} | "
                     f"{float(firms[2]):,.0f} ({firms[6]}) | {float(area[2]):.2f} ({area[6]}) |")
    return "\n".join(lines)


def main() -> None:
    if sys.argv[1:] == ["--docs"]:
        print(docs_table([[str(c) for c in row] for row in derive()]))
        return
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("park_figures.csv")
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["park_id", "quantity", "value", "low", "high", "year", "certainty",
                         "method", "source"])
        writer.writerows(derive())


if __name__ == "__main__":
    main()
