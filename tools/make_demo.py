#!/usr/bin/env python3
"""Make the demo ring (core/demo/demo-ring.csv): fictional municipalities, 2019-2024.

Deterministic (fixed seed, only random.random()), so the committed file can be re-made and
checked. The figures are plausible, not real: densities, expenses per case and trends follow
the orders of magnitude of German SGB XII statistics, with the breaks of shared/DOMAIN.md
(2020 Angehoerigen-Entlastungsgesetz and GSiAE counts rounded to 5, 2022 Ukraine and the
Pflege-Leistungszuschlag, 2023 Buergergeld, 2024 Zensus 2022). Two deliberate data problems
give the check view something to show: a year-on-year jump and unknown/not-yet-available cells.

    python3 tools/make_demo.py [--out core/demo/demo-ring.csv]
"""
import argparse
import math
import random

YEARS = range(2019, 2025)

# name, inhabitants 2019, poverty, share 65+, rent level, outpatient share of HzP, unemployment %
MUNICIPALITIES = [
    ("Musterstadt", 612_400, 1.35, 0.192, 1.22, 0.41, 8.9),
    ("Beispielhausen", 84_300, 0.95, 0.231, 0.97, 0.31, 5.8),
    ("Modellstadt", 248_900, 1.15, 0.208, 1.08, 0.37, 7.4),
    ("Probeburg", 156_200, 0.82, 0.224, 1.02, 0.29, 5.1),
    ("Fiktivhafen", 315_700, 1.55, 0.201, 1.06, 0.44, 10.8),
    ("Musterhausen am See", 47_100, 0.64, 0.262, 1.11, 0.26, 4.2),
    ("Neu-Exempel", 128_600, 1.08, 0.214, 0.94, 0.34, 7.9),
    ("Schablonenbach", 61_300, 0.77, 0.247, 0.91, 0.28, 5.6),
    ("Vorlagenfeld", 193_400, 1.22, 0.199, 1.15, 0.39, 8.3),
    ("Testingen", 38_200, 0.71, 0.238, 0.89, 0.33, 4.7),
    ("Demoheim", 102_800, 0.99, 0.219, 1.00, 0.36, 6.5),
    ("Platzhalterstadt", 274_500, 1.41, 0.205, 1.18, 0.42, 9.6),
    ("Kreis Musterland", 226_300, 0.68, 0.241, 0.88, 0.27, 4.4),
    ("Entwurfsberg", 29_600, 0.58, 0.256, 0.86, 0.24, 3.9),
]

HEADER = [
    "Kommune", "Jahr", "Einwohner", "Einwohner 65+", "Leistungsberechtigte HLU",
    "Leistungsberechtigte GruSi", "Leistungsberechtigte GruSi 65+",
    "Leistungsberechtigte HzP ambulant", "Leistungsberechtigte HzP stationär",
    "Pflegebedürftige SGB XI", "Ausgaben HLU", "Ausgaben GruSi", "Ausgaben HzP", "Einnahmen",
    "Arbeitslosenquote",
]

# Cells replaced by a marker of the official sign legend: (municipality, year, column) -> sign.
MARKERS = {
    ("Testingen", 2021, "Einnahmen"): ".",
    ("Demoheim", 2024, "Pflegebedürftige SGB XI"): "...",
}
# A year-on-year jump: HLU recipients counted on a different reference date in one year.
JUMP = ("Beispielhausen", 2022, "Leistungsberechtigte HLU", 1.52)


def money(x):
    return f"{x:.2f}".replace(".", ",")


def count(x):
    return str(int(round(x)))


def round5(x):
    return 5 * int(round(x / 5))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="core/demo/demo-ring.csv")
    args = ap.parse_args()
    rng = random.Random(20240601)

    def noise(sd=0.015):
        # Sum of uniforms: close to normal, and stable across Python versions.
        return 1.0 + sd * (sum(rng.random() for _ in range(6)) - 3.0) / math.sqrt(0.5)

    lines = [";".join(HEADER)]
    for name, ew0, poverty, share65, rent, amb0, alq0 in MUNICIPALITIES:
        growth = 0.002 + 0.006 * (rng.random() - 0.4)
        cost = 0.95 + 0.15 * rng.random()
        # Each municipality follows its own trends, as real ones do (local labour market,
        # housing, care infrastructure), so the ring's spread is not just noise.
        trend_hlu = -0.03 + 0.07 * rng.random()
        trend_grusi = 0.005 + 0.04 * rng.random()
        trend_hzp = 0.0 + 0.045 * rng.random()
        care_need = 0.8 + 0.45 * rng.random()
        ew = ew0
        for i, year in enumerate(YEARS):
            if i > 0:
                ew *= 1 + growth + (0.011 if year == 2022 else 0.0)
            # Zensus 2022: fewer inhabitants than the old projection.
            ew_year = ew * (0.984 if year >= 2024 else 1.0)
            ew65 = ew_year * (share65 + 0.0016 * i) * noise(0.004)
            under65 = ew_year - ew65

            hlu = ew_year / 1000 * 2.1 * poverty * (1.0 + trend_hlu) ** i
            hlu *= 1.08 if year >= 2022 else 1.0  # Ukraine, from June 2022
            hlu *= 0.96 if year >= 2023 else 1.0  # Wohngeld-Plus
            hlu *= noise(0.03)
            g65 = ew65 / 1000 * 33 * poverty * (1 + trend_grusi) ** i * (1.05 if year >= 2022 else 1.0)
            gem = under65 / 1000 * 7.2 * poverty * (1.13 if year >= 2020 else 1.0)  # BTHG
            g65, gem = g65 * noise(0.02), gem * noise(0.02)
            if year >= 2020:  # GSiAE counts rounded to multiples of 5 from 2020
                g65, grusi = round5(g65), round5(g65 + gem)
            else:
                g65, grusi = round(g65), round(g65 + gem)

            hzp = ew65 / 1000 * 15.5 * care_need * poverty ** 0.6 * (1 + trend_hzp) ** i
            hzp *= 1.09 if year >= 2020 else 1.0  # Angehoerigen-Entlastungsgesetz
            amb_share = min(0.7, amb0 + 0.006 * i)
            amb = hzp * amb_share * noise(0.025)
            stat = hzp * (1 - amb_share) * (0.88 if year >= 2022 else 1.0) * noise(0.025)
            care = ew_year / 1000 * 49 * (share65 / 0.21) * (1.068 ** i) * noise(0.01)

            rate = (1.02 ** i) * (1.12 if year >= 2023 else 1.0) * (1.10 if year >= 2024 else 1.0)
            a_hlu = round(hlu) * 8200 * rent * rate * noise(0.02)
            a_grusi = grusi * 9300 * rent * rate * noise(0.02)
            care_rate = (1.04 ** i) * (1.06 if year >= 2023 else 1.0)
            a_stat = round(stat) * 17000 * cost * care_rate * (0.8 if year >= 2022 else 1.0)
            a_hzp = (round(amb) * 9500 * cost * care_rate + a_stat) * noise(0.015)
            recourse = 0.14 if year < 2020 else 0.10
            income = (0.045 * (a_hlu + a_grusi) + recourse * a_hzp) * noise(0.03)
            alq = alq0 * (1.15 if year == 2020 else 1.08 if year == 2021 else 1.03 if year >= 2023 else 1.0)
            alq *= noise(0.02)

            row = {
                "Kommune": name, "Jahr": str(year), "Einwohner": count(ew_year),
                "Einwohner 65+": count(ew65), "Leistungsberechtigte HLU": count(hlu),
                "Leistungsberechtigte GruSi": count(grusi),
                "Leistungsberechtigte GruSi 65+": count(g65),
                "Leistungsberechtigte HzP ambulant": count(amb),
                "Leistungsberechtigte HzP stationär": count(stat),
                "Pflegebedürftige SGB XI": count(care),
                "Ausgaben HLU": money(a_hlu), "Ausgaben GruSi": money(a_grusi),
                "Ausgaben HzP": money(a_hzp), "Einnahmen": money(income),
                "Arbeitslosenquote": f"{alq:.1f}".replace(".", ","),
            }
            if (name, year, JUMP[2]) == JUMP[:3]:
                row[JUMP[2]] = count(hlu * JUMP[3])
            for column in HEADER:
                if (name, year, column) in MARKERS:
                    row[column] = MARKERS[(name, year, column)]
            lines.append(";".join(row[c] for c in HEADER))
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
