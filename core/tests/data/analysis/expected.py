#!/usr/bin/env python3
"""Expected values for the change split, funnel limits and notable findings (CONTRACT §3, §4),
computed independently of the project: the demo ring's CSV read with Python's csv module, each
KPI written out by hand as (numerator, denominator, factor), in plain float arithmetic.

Writes expected_change.csv, expected_funnel.csv, expected_similar.csv and expected_notable.csv
beside this script.
Run: python3 expected.py [SHARED_DATA_DIR]   (default: ../../../../../shared/data)
"""
import csv
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../../shared/data")

Z95, Z998 = 1.959964, 3.090232


def number(text):
    try:
        return float(text.replace(".", "").replace(",", ".")) if "," in text else float(text)
    except ValueError:
        return None  # a missing marker or a text that is no number


def read_ring(path):
    """{(municipality, year): {column: value or None}}; a repeated pair keeps its first row."""
    rows = {}
    with open(path, encoding="utf-8") as f:
        reader = csv.reader(f, delimiter=";")
        header = next(reader)
        for r in reader:
            key = (r[0], int(r[1]))
            if key not in rows:
                rows[key] = {h: number(v) for h, v in zip(header[2:], r[2:])}
    return header, rows


HEADER, RING = read_ring(os.path.join(DATA, "ring/ring.csv"))
NAMES = list(dict.fromkeys(m for m, _ in RING))
YEARS = sorted({y for _, y in RING})


def kpis(m, y, ring=RING):
    """(numerator, denominator, factor) per KPI; None where an input is missing."""
    def g(col, year=y):
        return ring.get((m, year), {}).get(col)

    lb, prev = g("Leistungsberechtigte HLU"), g("Leistungsberechtigte HLU", y - 1)
    ew, ew65 = g("Einwohner"), g("Einwohner 65+")
    parts = [g("Ausgaben HLU"), g("Ausgaben GruSi"), g("Ausgaben HzP")]
    ausg = None if None in parts else sum(parts)
    ein = g("Einnahmen")
    amb, stat = g("Leistungsberechtigte HzP ambulant"), g("Leistungsberechtigte HzP stationär")
    grusi65 = g("Leistungsberechtigte GruSi 65+")
    ok = lambda *xs: None not in xs
    return {
        "dichte_hlu": (lb, ew, 1000.0) if ok(lb, ew) else None,
        "dichte_grusi_65": (grusi65, ew65, 1000.0) if ok(grusi65, ew65) else None,
        "ausgaben_hlu_je_lb": (g("Ausgaben HLU"), lb, 1.0) if ok(g("Ausgaben HLU"), lb) else None,
        "ausgaben_je_ew": (ausg, ew, 1.0) if ok(ausg, ew) else None,
        "nettoausgaben_je_ew": (ausg - ein, ew, 1.0) if ok(ausg, ein, ew) else None,
        "ambulant_quote_hzp": (amb, amb + stat, 100.0) if ok(amb, stat) else None,
        "veraenderung_lb_hlu": (lb - prev, prev, 100.0) if ok(lb, prev) else None,
    }


KPI_IDS = list(kpis(NAMES[0], YEARS[1]).keys())
FUNNEL = {"dichte_hlu": "poisson", "dichte_grusi_65": "poisson", "ambulant_quote_hzp": "binomial"}


def fmt(x):
    return "" if x is None else repr(float(x))


def change_rows():
    pairs = [(YEARS[0], YEARS[-1]), (2021, 2022), (2020, 2023)]
    for m in NAMES:
        for a, b in pairs:
            ka, kb = kpis(m, a), kpis(m, b)
            for k in KPI_IDS:
                pa, pb = ka[k], kb[k]
                if pa is None or pb is None:
                    value = lambda p: "" if p is None else fmt(p[0] / p[1] * p[2])
                    yield [m, a, b, k, value(pa), value(pb), "", "", ""]
                    continue
                (na, da, c), (nb, db, _) = pa, pb
                va, vb = na / da * c, nb / db * c
                num = c * (nb - na) / 2 * (1 / da + 1 / db)
                den = c * (na + nb) / 2 * (1 / db - 1 / da)
                yield [m, a, b, k, fmt(va), fmt(vb), fmt(vb - va), fmt(num), fmt(den)]


def funnel(k, y, members, ring=RING):
    parts = {m: kpis(m, y, ring)[k] for m in members}
    sn = sum(p[0] for p in parts.values())
    sd = sum(p[1] for p in parts.values())
    p = sn / sd
    for m in members:
        n, d, c = parts[m]
        var = p if FUNNEL[k] == "poisson" else p * (1 - p)
        s = math.sqrt(var / d)
        lo = lambda z: max(0.0, c * (p - z * s))
        hi = lambda z: c * (p + z * s)
        v = n / d * c
        yield m, v, d, p * c, lo(Z95), hi(Z95), lo(Z998), hi(Z998), v > hi(Z998) or v < lo(Z998)


PEERS = ["Altenmarkt", "Burgdorf", "Kirchhain", "Rosental", "Südstadt"]


def funnel_rows():
    for k in FUNNEL:
        for y in YEARS:
            for group, members in (("all", NAMES), ("peers", PEERS)):
                for m, v, d, pooled, l95, u95, l998, u998, notable in funnel(k, y, members):
                    yield [k, y, group, m, fmt(v), fmt(d), fmt(pooled), fmt(l95), fmt(u95),
                           fmt(l998), fmt(u998), "true" if notable else "false"]


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def notable_rows():
    """yoy_jump (over 30 %) of every measure; notable only for counts. outlier (robust z over
    3.5) of every KPI; notable only for KPIs with a funnel (outside 99.8 % over all). For the
    clean ring and the ring with injected errors."""
    for fixture in ("ring", "ring-errors"):
        header, ring = read_ring(os.path.join(DATA, fixture, "ring.csv"))
        names = list(dict.fromkeys(m for m, _ in ring))
        years = sorted({y for _, y in ring})
        counts = [h for h in header[2:] if not h.startswith(("Ausgaben", "Einnahmen", "Arbeitslosen"))]
        for m in names:
            for y in years[1:]:
                for h in header[2:]:
                    a, b = ring.get((m, y - 1), {}).get(h), ring.get((m, y), {}).get(h)
                    if a is None or b is None or (a == 0 and b == 0):
                        continue
                    if not (abs(b - a) * 100 > 30 * abs(a) * (1 + 1e-12)):
                        continue
                    key = KEYS[h]
                    notable = (abs(b - a) > Z998 * math.sqrt(a + b)) if h in counts and a >= 0 and b >= 0 else None
                    yield [fixture, "yoy_jump", m, y, key, "" if notable is None else str(notable).lower()]
        for k in KPI_IDS:
            for y in years:
                parts = {m: kpis(m, y, ring)[k] for m in names if (m, y) in ring}
                parts = {m: p for m, p in parts.items() if p is not None and p[1] != 0}
                vals = {m: p[0] / p[1] * p[2] for m, p in parts.items()}
                if not vals:
                    continue
                med = median(vals.values())
                mad = median([abs(x - med) for x in vals.values()])
                if mad == 0:
                    continue
                lim = {}
                if k in FUNNEL:
                    members = [m for m in parts if parts[m][1] > 0]
                    lim = {r[0]: r[8] for r in funnel(k, y, members, ring)}
                for m, x in vals.items():
                    if abs(0.6745 * (x - med) / mad) > 3.5:
                        notable = lim.get(m)
                        yield [fixture, "outlier", m, y, k, "" if notable is None else str(notable).lower()]


KEYS = {
    "Einwohner": "einwohner", "Einwohner 65+": "einwohner_65",
    "Leistungsberechtigte HLU": "leistungsberechtigte_hlu",
    "Leistungsberechtigte GruSi": "leistungsberechtigte_grusi",
    "Leistungsberechtigte GruSi 65+": "leistungsberechtigte_grusi_65",
    "Leistungsberechtigte HzP ambulant": "leistungsberechtigte_hzp_ambulant",
    "Leistungsberechtigte HzP stationär": "leistungsberechtigte_hzp_stationaer",
    "Ausgaben HLU": "ausgaben_hlu", "Ausgaben GruSi": "ausgaben_grusi", "Ausgaben HzP": "ausgaben_hzp",
    "Einnahmen": "einnahmen", "Arbeitslosenquote": "arbeitslosenquote",
}


# The explained similar-peer search (issue 17, "Peers explained"): z-scores with the population
# standard deviation over every municipality that has all keys, the weighted distance
# sqrt(sum w (dz)^2), each key's contribution w (dz)^2 / distance, the k nearest (ties by name),
# whether a neighbour is alone in its size bands, and the group's stability: who stays when one
# key is left out, who leaves with k - 1 and who joins with k + 1. expected_similar.csv: one row
# per neighbour (kind "neighbour": rank, name, distance, contributions joined by "|", alone), per
# key left out ("without": the key, how many stay, who leaves, who joins), and the k - 1 / k + 1
# edges ("fewer", "more" with its distance).
COLUMNS = {"einwohner": "Einwohner", "einwohner_65": "Einwohner 65+",
           "arbeitslosenquote": "Arbeitslosenquote", "leistungsberechtigte_hlu": "Leistungsberechtigte HLU"}

# (case, own, year, k, keys, weights by key; absent = 1)
CASES = [
    ("plain", "Altenmarkt", 2023, 5, ["einwohner", "arbeitslosenquote", "einwohner_65"], {}),
    ("weighted", "Altenmarkt", 2023, 5, ["einwohner", "arbeitslosenquote", "einwohner_65"],
     {"einwohner": 2.0, "arbeitslosenquote": 0.5, "einwohner_65": 0.0}),
    ("two", "Südstadt", 2021, 3, ["einwohner", "leistungsberechtigte_hlu"], {"einwohner": 3.0}),
]


def band(x):
    """The size band of x (docs/ANALYSIS.md): from its leading digit to the next."""
    if x == 0:
        return (0.0, 0.0)
    width = 10.0 ** math.floor(math.log10(abs(x)))
    if abs(x) / width >= 10:
        width *= 10
    lower = math.floor(abs(x) / width) * width
    return (lower, lower + width) if x > 0 else (-(lower + width), -lower)


def ranked(own, year, keys, weights):
    """Every other municipality with all keys, nearest first:
    [(name, distance, contributions, alone in its bands)]."""
    rows = {}
    for m in NAMES:
        values = [RING.get((m, year), {}).get(COLUMNS[k]) for k in keys]
        if None not in values:
            rows[m] = values
    n = len(rows)
    z = {m: [] for m in rows}
    for i in range(len(keys)):
        xs = [rows[m][i] for m in rows]
        mean = sum(xs) / n
        sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / n)
        for m in rows:
            z[m].append((rows[m][i] - mean) / sd if sd > 0 else 0.0)
    bands = {m: tuple(band(x) for x in rows[m]) for m in rows}
    out = []
    for m in rows:
        if m == own:
            continue
        alone = sum(1 for o in rows if bands[o] == bands[m]) == 1
        squares = [weights[i] * (z[m][i] - z[own][i]) ** 2 for i in range(len(keys))]
        d = math.sqrt(sum(squares))
        out.append((m, d, [q / d if d > 0 else 0.0 for q in squares], alone))
    out.sort(key=lambda t: (t[1], t[0]))
    return out


def similar_rows():
    for case, own, year, k, keys, by_key in CASES:
        weights = [by_key.get(key, 1.0) for key in keys]
        everyone = ranked(own, year, keys, weights)
        group = [m for m, _, _, _ in everyone[:k]]
        for rank, (m, d, parts, alone) in enumerate(everyone[:k], 1):
            yield [case, "neighbour", rank, m, fmt(d), "|".join(fmt(p) for p in parts), "", "", "",
                   "true" if alone else "false"]
        for i, key in enumerate(keys):
            if weights[i] == 0:
                continue
            rest = [w for j, w in enumerate(weights) if j != i]
            others = [] if all(w == 0 for w in rest) else [
                m for m, _, _, _ in ranked(own, year, [x for j, x in enumerate(keys) if j != i], rest)[:k]]
            stay = sum(1 for m in group if m in others)
            leave = [m for m in group if m not in others]
            join = [m for m in others if m not in group]
            yield [case, "without", "", key, "", "", stay, "|".join(leave), "|".join(join), ""]
        if k > 1:
            yield [case, "fewer", "", group[-1], "", "", "", "", "", ""]
        if len(everyone) > k:
            m, d, _, _ = everyone[k]
            yield [case, "more", "", m, fmt(d), "", "", "", "", ""]


def write(name, header, rows):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


write("expected_change.csv", ["municipality", "from", "to", "kpi", "value_from", "value_to", "change",
                              "numerator_effect", "denominator_effect"], change_rows())
write("expected_funnel.csv", ["kpi", "year", "group", "municipality", "value", "denominator", "pooled",
                              "lower95", "upper95", "lower998", "upper998", "notable"], funnel_rows())
write("expected_similar.csv", ["case", "kind", "rank", "name", "distance", "contributions", "stay", "leave", "join",
                               "alone"], similar_rows())
write("expected_notable.csv", ["fixture", "code", "municipality", "year", "subject", "notable"], notable_rows())
