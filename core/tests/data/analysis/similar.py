#!/usr/bin/env python3
"""Expected values for the explained similar-peer search (CONTRACT §3 "Similar municipalities",
issue 17 "Peers explained"), computed independently of the project from the demo ring's CSV:
z-scores with the population standard deviation over every municipality that has all keys, the
weighted distance sqrt(sum w (dz)^2), each key's contribution w (dz)^2 / distance, the k nearest
(ties by name), and the group's stability: who stays when one key is left out, who leaves with
k - 1 and who joins with k + 1.

Writes expected_similar.csv beside this script: one row per neighbour (kind "neighbour": rank,
name, distance, contributions joined by "|", whether no other municipality shares its size bands), per key left out (kind "without": the key, how many
stay, who leaves and who joins, names joined by "|"), and the k - 1 / k + 1 edges ("fewer",
"more" with its distance). Run: python3 similar.py [SHARED_DATA_DIR]
"""
import csv
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../../shared/data")

COLUMNS = {"einwohner": "Einwohner", "einwohner_65": "Einwohner 65+",
           "arbeitslosenquote": "Arbeitslosenquote", "leistungsberechtigte_hlu": "Leistungsberechtigte HLU"}

# (case, own, year, k, keys, weights by key; absent = 1)
CASES = [
    ("plain", "Altenmarkt", 2023, 5, ["einwohner", "arbeitslosenquote", "einwohner_65"], {}),
    ("weighted", "Altenmarkt", 2023, 5, ["einwohner", "arbeitslosenquote", "einwohner_65"],
     {"einwohner": 2.0, "arbeitslosenquote": 0.5, "einwohner_65": 0.0}),
    ("two", "Südstadt", 2021, 3, ["einwohner", "leistungsberechtigte_hlu"], {"einwohner": 3.0}),
]


def number(text):
    try:
        return float(text.replace(".", "").replace(",", ".")) if "," in text else float(text)
    except ValueError:
        return None


def read_ring(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        reader = csv.reader(f, delimiter=";")
        header = next(reader)
        for r in reader:
            key = (r[0], int(r[1]))
            if key not in rows:
                rows[key] = {h: number(v) for h, v in zip(header[2:], r[2:])}
    return rows


RING = read_ring(os.path.join(DATA, "ring/ring.csv"))
NAMES = list(dict.fromkeys(m for m, _ in RING))


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


def fmt(x):
    return repr(float(x))


def rows():
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


with open(os.path.join(HERE, "expected_similar.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["case", "kind", "rank", "name", "distance", "contributions", "stay", "leave", "join", "alone"])
    w.writerows(rows())
