#!/usr/bin/env python3
"""A generated ring file with the built-in catalogue's measures, for the re-render and the
Germany-scale benchmarks (bench/views.mjs): MUNICIPALITIES × YEARS rows, semicolon-separated,
German decimals, UTF-8, the columns of the demo ring (core/demo/demo-ring.csv), and EXTRA more
measures ("Merkmal 01" …) so that a file can have 30 measures like a real municipality table.

    python3 bench/gen_ring.py --municipalities 400 --years 20 --out bench/out/ring-400.csv
    python3 bench/gen_ring.py --municipalities 11000 --years 20 --extra 15 --out ...

Values are drawn per municipality (a size and rates) and drift by year, with a fixed seed, so
that every KPI of the catalogue has a value and the file is the same on every machine.
"""

import argparse
import random

# The demo ring's measures, in its column order (the built-in catalogue binds these names).
MEASURES = [
    "Einwohner",
    "Einwohner 65+",
    "Leistungsberechtigte HLU",
    "Leistungsberechtigte GruSi",
    "Leistungsberechtigte GruSi 65+",
    "Leistungsberechtigte HzP ambulant",
    "Leistungsberechtigte HzP stationär",
    "Pflegebedürftige SGB XI",
    "Ausgaben HLU",
    "Ausgaben GruSi",
    "Ausgaben HzP",
    "Einnahmen",
    "Arbeitslosenquote",
]


def german(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def rows(municipalities: int, years: int, extra: int, seed: int):
    rng = random.Random(seed)
    first = 2024 - years + 1
    width = len(str(municipalities))
    for i in range(municipalities):
        name = f"Gemeinde {i + 1:0{width}d}"
        people = rng.randint(2_000, 600_000)
        share_65 = rng.uniform(0.15, 0.3)
        hlu, grusi, hzp = rng.uniform(0.001, 0.006), rng.uniform(0.008, 0.02), rng.uniform(0.002, 0.005)
        # Costs per case, income share and unemployment move a little from year to year, as in a
        # real ring, so that the check finds a few jumps, not thousands.
        cost_hlu, cost_grusi, cost_hzp = rng.uniform(8_000, 10_000), rng.uniform(9_000, 12_000), rng.uniform(20_000, 30_000)
        income_share, alq = rng.uniform(0.05, 0.15), rng.uniform(3, 12)
        extras = [rng.uniform(1, 1000) for _ in range(extra)]
        for y in range(years):
            drift = 1 + 0.01 * y + rng.uniform(-0.02, 0.02)
            ew = round(people * drift)
            ew65 = round(ew * share_65)
            lb_hlu = round(ew * hlu * drift)
            lb_grusi = round(ew * grusi * drift)
            lb_grusi65 = round(lb_grusi * 0.55)
            amb = round(ew * hzp * 0.4)
            stat = round(ew * hzp * 0.6)
            pflege = round(ew * 0.045)
            wobble = lambda: rng.uniform(0.97, 1.03)  # noqa: E731
            a_hlu = lb_hlu * cost_hlu * wobble()
            a_grusi = lb_grusi * cost_grusi * wobble()
            a_hzp = (amb + stat) * cost_hzp * wobble()
            income = (a_hlu + a_grusi + a_hzp) * income_share * wobble()
            alq = min(25.0, max(1.0, alq * wobble()))
            values = [str(ew), str(ew65), str(lb_hlu), str(lb_grusi), str(lb_grusi65), str(amb),
                      str(stat), str(pflege), german(a_hlu), german(a_grusi), german(a_hzp),
                      german(income), f"{alq:.1f}".replace(".", ",")]
            values += [german(e * drift) for e in extras]
            yield [name, str(first + y), *values]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--municipalities", type=int, default=400)
    p.add_argument("--years", type=int, default=20)
    p.add_argument("--extra", type=int, default=0, help="measures beyond the catalogue's")
    p.add_argument("--seed", type=int, default=14)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    header = ["Kommune", "Jahr", *MEASURES, *(f"Merkmal {k + 1:02d}" for k in range(a.extra))]
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        f.write(";".join(header) + "\n")
        for row in rows(a.municipalities, a.years, a.extra, a.seed):
            f.write(";".join(row) + "\n")


if __name__ == "__main__":
    main()
