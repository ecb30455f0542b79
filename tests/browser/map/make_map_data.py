#!/usr/bin/env python3
"""Test data of tests/browser/map.test.mjs, all FICTIONAL: the districts of an invented city
"Nordheim" as an office would export them (Windows-1252, `;`, German numbers, a title line, a
missing cell `.`), their boundaries as GeoJSON in WGS84 without a `crs` member (a hole, a
MultiPolygon, an area without data, a feature without geometry, a district without area), and
the expected KPI values computed here from the same numbers, independently of the app.

    python3 tests/browser/map/make_map_data.py
"""
import csv
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

# district: year -> (Einwohner, Einwohner 65+, Leistungsberechtigte HLU, GruSi 65+); None = "."
DATA = {
    "Altstadt": {2022: (12345, 2101, 187, 96), 2023: (12501, 2150, 201, 99)},
    "Hafenviertel": {2022: (8020, 1203, 240, 71), 2023: (8110, 1221, 233, 75)},
    "Südstadt": {2022: (15870, 3310, 121, 88), 2023: (15999, 3402, 130, 90)},
    "Am Mühlbach": {2022: (6400, 1790, 35, 41), 2023: (6388, 1811, 37, 44)},
    "Oberdorf": {2022: (4300, 1120, 18, 12), 2023: (4290, 1135, None, 13)},
    "Neuland": {2022: (2100, 240, 9, 2), 2023: (2600, 260, 12, 3)},
}


def german(n):
    return f"{n:,}".replace(",", ".")


def write_csv():
    lines = ["Sozialdaten nach Stadtteilen \u2013 Nordheim (fiktiv)", ""]
    lines.append("Stadtteil;Jahr;Einwohner;Einwohner 65+;Leistungsberechtigte HLU;Leistungsberechtigte GruSi 65+")
    for district, years in DATA.items():
        for year, values in years.items():
            cells = ["." if v is None else german(v) for v in values]
            lines.append(";".join([district, str(year)] + cells))
    (HERE / "stadtteile.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def square(lon, lat, size):
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


def write_geojson():
    s = 0.02
    features = [
        # Names as the surveying office writes them: other case, hyphens, numbers as strings.
        ("ALTSTADT", "1", {"type": "Polygon", "coordinates": [
            square(10.50, 52.00, s),
            list(reversed(square(10.505, 52.005, 0.008))),  # a park: a hole
        ]}),
        ("Hafenviertel", "2", {"type": "MultiPolygon", "coordinates": [
            [square(10.52, 52.00, s)],
            [square(10.545, 52.005, 0.006)],  # an island
        ]}),
        ("Südstadt", "3", {"type": "Polygon", "coordinates": [square(10.50, 51.98, s)]}),
        ("Am-Mühlbach", 4, {"type": "Polygon", "coordinates": [
            [[x, y, 61.5] for x, y in square(10.52, 51.98, s)]]}),  # 3D positions
        ("Oberdorf", "5", {"type": "Polygon", "coordinates": [square(10.50, 52.02, s)]}),
        ("Flughafen", "9", {"type": "Polygon", "coordinates": [square(10.52, 52.02, s)]}),
        ("Wasserfläche", "10", None),
    ]
    collection = {
        "type": "FeatureCollection",
        "bbox": [10.50, 51.98, 10.551, 52.04],
        "features": [
            {"type": "Feature", "properties": {"STT_NAME": name, "STT_NR": nr, "FLAECHE_HA": None},
             "geometry": geometry}
            for name, nr, geometry in features
        ],
    }
    (HERE / "grenzen.geojson").write_text(json.dumps(collection, ensure_ascii=False, indent=1), encoding="utf-8")


def write_expected():
    rows = []
    for district, years in DATA.items():
        for year, (ew, ew65, hlu, grusi65) in years.items():
            rows.append((district, year, "dichte_hlu", "" if hlu is None else repr(hlu / ew * 1000)))
            rows.append((district, year, "dichte_grusi_65", repr(grusi65 / ew65 * 1000)))
    # The city as a whole: the districts' sums (a missing part gives no sum).
    for year in (2022, 2023):
        parts = [years[year] for years in DATA.values()]
        ew = sum(p[0] for p in parts)
        ew65 = sum(p[1] for p in parts)
        hlu = None if any(p[2] is None for p in parts) else sum(p[2] for p in parts)
        grusi65 = sum(p[3] for p in parts)
        rows.append(("", year, "dichte_hlu", "" if hlu is None else repr(hlu / ew * 1000)))
        rows.append(("", year, "dichte_grusi_65", repr(grusi65 / ew65 * 1000)))
    with open(HERE / "expected.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["district", "year", "kpi", "value"])
        w.writerows(rows)


write_csv()
write_geojson()
write_expected()
