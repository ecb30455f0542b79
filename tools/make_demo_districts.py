#!/usr/bin/env python3
"""Make the demo ring's districts: twelve FICTIONAL Stadtteile of the fictional Musterstadt
(core/demo/demo-stadtteile.csv) and their FICTIONAL boundaries (core/demo/demo-stadtteile.geojson,
ETRS89/UTM 32N, EPSG:25832, placed in no real city's area: an invented grid of jittered
blocks, one district with an enclave in a hole, one with an island as a MultiPolygon).

The counts and money of each district add up exactly to Musterstadt's row of the demo ring
(core/demo/demo-ring.csv), so the city's own figures and the districts' sum agree; the
unemployment rate varies around the city's. Deterministic (fixed seed).

    python3 tools/make_demo_districts.py
"""
import csv
import io
import json
import random
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RING = ROOT / "core/demo/demo-ring.csv"
CSV_OUT = ROOT / "core/demo/demo-stadtteile.csv"
GEO_OUT = ROOT / "core/demo/demo-stadtteile.geojson"
CITY = "Musterstadt"

# name, number, share of inhabitants, poverty factor (recipients per inhabitant vs the city),
# age factor (share 65+ vs the city), grid cell (column, row); None = the enclave.
DISTRICTS = [
    ("Altstadt", 1, 0.060, 1.45, 0.80, (1, 1)),
    ("Neue Mitte", 2, 0.030, 1.10, 0.70, None),
    ("Nordviertel", 3, 0.095, 1.20, 0.95, (1, 2)),
    ("Am Hafen", 4, 0.080, 1.85, 0.75, (3, 1)),
    ("Lindenhof", 5, 0.090, 0.70, 1.25, (0, 2)),
    ("Westpark", 6, 0.085, 0.85, 1.10, (0, 1)),
    ("Bergheide", 7, 0.070, 0.55, 1.35, (0, 0)),
    ("Ostend", 8, 0.105, 1.60, 0.85, (3, 2)),
    ("Südfeld", 9, 0.100, 1.05, 1.00, (1, 0)),
    ("Mühlenau", 10, 0.095, 0.90, 1.15, (2, 0)),
    ("Kirchberg", 11, 0.080, 0.65, 1.30, (2, 2)),
    ("Wiesengrund", 12, 0.110, 1.00, 0.95, (3, 0)),
]
# Twelve districts on thirteen blocks: the block east of Altstadt belongs to Neue Mitte too,
# which so is a MultiPolygon of that block and the enclave in Altstadt's hole.
EXTRA_BLOCK = ((2, 1), "Neue Mitte")

ORIGIN = (471_000.0, 5_702_000.0)
CELL = 2_000.0
SUBDIVISIONS = 4

COUNTS = {
    "Einwohner": None,
    "Einwohner 65+": "age",
    "Leistungsberechtigte HLU": "poverty",
    "Leistungsberechtigte GruSi": "poverty",
    "Leistungsberechtigte GruSi 65+": "poverty_age",
    "Leistungsberechtigte HzP ambulant": "age",
    "Leistungsberechtigte HzP stationär": "age",
    "Pflegebedürftige SGB XI": "age",
}
MONEY = {
    "Ausgaben HLU": "poverty",
    "Ausgaben GruSi": "poverty",
    "Ausgaben HzP": "age",
    "Einnahmen": "poverty",
}


def weight(district, kind):
    _, _, share, poverty, age, _ = district
    return share * {
        None: 1.0,
        "age": age,
        "poverty": poverty,
        "poverty_age": poverty * age,
    }[kind]


def split(total, weights, unit):
    """Split total (a Decimal) into parts in proportion to weights, in multiples of unit,
    by the largest remainder, so the parts add up to total exactly."""
    units = int(total / unit)
    s = sum(weights)
    raw = [units * w / s for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: units - sum(parts)]:
        parts[i] += 1
    return [Decimal(p) * unit for p in parts]


def german(d, decimals):
    text = f"{d:.{decimals}f}"
    return text.replace(".", ",")


def make_csv(rng):
    rows = list(csv.reader(io.StringIO(RING.read_text(encoding="utf-8")), delimiter=";"))
    header, body = rows[0], [r for r in rows[1:] if r and r[0] == CITY]
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\n")
    w.writerow(["Stadt", "Stadtteil"] + header[1:])
    jitter = {d[0]: rng.uniform(0.9, 1.1) for d in DISTRICTS}
    for row in body:
        year = row[1]
        cells = {h: v for h, v in zip(header, row)}
        columns = {}
        for h in header[2:]:
            value = cells[h]
            if h in COUNTS or h in MONEY:
                kind = COUNTS.get(h, MONEY.get(h))
                money = h in MONEY
                try:
                    total = Decimal(value.replace(".", "").replace(",", "."))
                except Exception:
                    columns[h] = [value] * len(DISTRICTS)
                    continue
                weights = [weight(d, kind) * jitter[d[0]] for d in DISTRICTS]
                unit = Decimal("0.01") if money else Decimal(1)
                parts = split(total, weights, unit)
                columns[h] = [german(p, 2 if money else 0) for p in parts]
            else:
                # The unemployment rate: the city's, moved by the district's poverty.
                rate = float(value.replace(",", "."))
                columns[h] = [
                    german(Decimal(str(round(rate * (0.55 + 0.45 * d[3]), 1))), 1)
                    for d in DISTRICTS
                ]
        for i, d in enumerate(DISTRICTS):
            w.writerow([CITY, d[0], year] + [columns[h][i] for h in header[2:]])
    CSV_OUT.write_text(out.getvalue(), encoding="utf-8")


def make_geojson(rng):
    cols, rows = 4, 3
    node = {}
    for i in range(cols + 1):
        for j in range(rows + 1):
            edge = i in (0, cols) or j in (0, rows)
            k = 250 if edge else 450
            node[(i, j)] = (
                ORIGIN[0] + i * CELL + rng.uniform(-k, k),
                ORIGIN[1] + j * CELL + rng.uniform(-k, k),
            )
    edges = {}

    def edge_points(a, b):
        key = (min(a, b), max(a, b))
        if key not in edges:
            (x0, y0), (x1, y1) = node[key[0]], node[key[1]]
            pts = []
            for s in range(1, SUBDIVISIONS):
                t = s / SUBDIVISIONS
                dx, dy = x1 - x0, y1 - y0
                off = rng.uniform(-0.08, 0.08)
                pts.append((x0 + t * dx - off * dy, y0 + t * dy + off * dx))
            edges[key] = pts
        pts = edges[key]
        return pts if key == (a, b) else list(reversed(pts))

    def block(c, r):
        corners = [(c, r), (c + 1, r), (c + 1, r + 1), (c, r + 1)]
        ring = []
        for a, b in zip(corners, corners[1:] + corners[:1]):
            ring.append(node[a])
            ring.extend(edge_points(a, b))
        ring.append(ring[0])
        return [[round(x, 2), round(y, 2)] for x, y in ring]

    # The enclave: a small irregular block in the middle of Altstadt's cell.
    cx, cy = ORIGIN[0] + 1.5 * CELL, ORIGIN[1] + 1.5 * CELL
    enclave = [
        [round(cx + 520 * dx + rng.uniform(-60, 60), 2), round(cy + 420 * dy + rng.uniform(-60, 60), 2)]
        for dx, dy in [(-1, -1), (0, -1.2), (1, -1), (1.1, 0), (1, 1), (0, 1.1), (-1, 1), (-1.2, 0)]
    ]
    enclave.append(enclave[0])
    island_x, island_y = node[(cols, 1)][0] + 900, ORIGIN[1] + 1.6 * CELL
    island = [
        [round(island_x + dx, 2), round(island_y + dy, 2)]
        for dx, dy in [(0, 0), (500, -120), (650, 300), (200, 520), (-150, 260), (0, 0)]
    ]
    features = []
    for name, number, _, _, _, cell in DISTRICTS:
        if name == "Altstadt":
            geometry = {"type": "Polygon", "coordinates": [block(*cell), list(reversed(enclave))]}
        elif name == "Am Hafen":
            geometry = {"type": "MultiPolygon", "coordinates": [[block(*cell)], [island]]}
        elif name == "Neue Mitte":
            geometry = {"type": "MultiPolygon", "coordinates": [[enclave], [block(*EXTRA_BLOCK[0])]]}
        else:
            geometry = {"type": "Polygon", "coordinates": [block(*cell)]}
        features.append({
            "type": "Feature",
            "properties": {"STT_NR": f"{number:02d}", "STT_NAME": name, "HINWEIS": "fiktiv"},
            "geometry": geometry,
        })
    collection = {
        "type": "FeatureCollection",
        "name": "Musterstadt (fiktiv): Stadtteile",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}},
        "features": features,
    }
    GEO_OUT.write_text(json.dumps(collection, ensure_ascii=False) + "\n", encoding="utf-8")


def main():
    rng = random.Random(16)
    make_csv(rng)
    make_geojson(rng)


if __name__ == "__main__":
    main()
