#!/usr/bin/env python3
"""A look-alike of a real municipality-level GENESIS table (12111-02-01-5, census 2011: about
14,500 regions x 59 measures, 3.2 MB) for the table-file benchmark, since the real one is not in
../shared. It has what the real export has: `GENESIS-Tabelle:` title lines padded with `;`, a
four-line header block (group, sex, age band, units) starting with `;;;`, data lines
`09.05.2011;01001000;      Flensburg, Stadt;...` for Germany, the Laender, Regierungsbezirke,
Kreise, Gemeindeverbaende and Gemeinden (aggregates are the sums of their members), German
decimals in the share and mean-age columns, the markers `-` (nothing) `.` (secret) `/` (not
reliable), and a `__________` footer with quoted multi-line notes.

    gen_table.py --out table.csv [--rows 14493] [--seed 1] [--encoding utf-8]
"""
import argparse
import random

AGES = ["unter 3 Jahre", "3 bis unter 5 Jahre", "5 bis unter 6 Jahre", "6 bis unter 10 Jahre",
        "10 bis unter 15 Jahre", "15 bis unter 18 Jahre", "18 bis unter 20 Jahre",
        "20 bis unter 25 Jahre", "25 bis unter 30 Jahre", "30 bis unter 35 Jahre",
        "35 bis unter 40 Jahre", "40 bis unter 45 Jahre", "45 bis unter 50 Jahre",
        "50 bis unter 55 Jahre", "55 bis unter 60 Jahre", "60 bis unter 65 Jahre",
        "65 bis unter 75 Jahre", "75 Jahre und mehr"]
# Share of each age band in the population and the band's mid age (for the mean age column).
SHARES = [0.026, 0.017, 0.009, 0.036, 0.046, 0.030, 0.022, 0.058, 0.060, 0.059, 0.060, 0.074,
          0.087, 0.083, 0.071, 0.064, 0.110, 0.088]
MIDS = [1.5, 4, 5.5, 8, 12.5, 16.5, 19, 22.5, 27.5, 32.5, 37.5, 42.5, 47.5, 52.5, 57.5, 62.5,
        70, 82]
SEXES = ["Insgesamt", "männlich", "weiblich"]
LAENDER = ["Schleswig-Holstein", "Hamburg", "Niedersachsen", "Bremen", "Nordrhein-Westfalen",
           "Hessen", "Rheinland-Pfalz", "Baden-Württemberg", "Bayern", "Saarland", "Berlin",
           "Brandenburg", "Mecklenburg-Vorpommern", "Sachsen", "Sachsen-Anhalt", "Thüringen"]
SYLLABLES = ["al", "bers", "dorf", "burg", "feld", "hau", "sen", "kir", "chen", "ber", "gen",
             "stein", "wal", "de", "rode", "bach", "hol", "thal", "mün", "ster", "lin", "neu",
             "ohr", "witz", "hei", "de", "lü", "beck", "groß", "klein", "ober", "un", "ter"]


def name(rng):
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
    return word[0].upper() + word[1:]


def regions(rows, rng):
    """(code, indented name, level) in the export's order; level 5 rows are Gemeinden."""
    out = [("DG", "Deutschland", 0)]
    # Leave room for the Laender, Regierungsbezirke and Kreise above the Gemeinden.
    kreise_per_land = max(1, (rows - 17) // 16 // 36)
    for l, land in enumerate(LAENDER, 1):
        lc = f"{l:02d}"
        out.append((lc, "  " + land, 1))
        bezirke = 3 if l in (5, 6, 8, 9) else 0
        for r in range(1, bezirke + 1):
            out.append((f"{lc}{r}", f"    Regierungsbezirk {name(rng)}", 2))
        for k in range(1, kreise_per_land + 1):
            kc = f"{lc}{1 + k % bezirke if bezirke else 0}{k:02d}"
            out.append((kc, f"      {name(rng)}, {rng.choice(['Kreis', 'Landkreis'])}", 3))
    return out


def gemeinden(regions_list, rows, rng):
    """Gemeinden and Gemeindeverbaende below each Kreis until `rows` regions are listed."""
    kreise = [r for r in regions_list if r[2] == 3]
    left = rows - len(regions_list)
    below = {k[0]: [] for k in kreise}
    for i in range(max(left, 0)):
        kc = kreise[i % len(kreise)][0]
        n = len(below[kc]) + 1
        if n % 5 == 0:  # every fifth a Gemeindeverband (Amt, Verbandsgemeinde)
            below[kc].append((f"{kc}{5000 + n:04d}", f"      Amt {name(rng)}", 4))
        else:
            suffix = ", Stadt" if rng.random() < 0.15 else ""
            below[kc].append((f"{kc}{n:03d}", f"      {name(rng)}{suffix}", 5))
    if kreise:
        first = below[kreise[0][0]]
        if first:  # the brief's and the real table's first Gemeinde
            first[0] = (first[0][0], "      Flensburg, Stadt", 5)
    out = []
    for r in regions_list:
        out.append(r)
        if r[2] == 3:
            out.extend(sorted(below[r[0]]))
    return out


def cell(count, rng):
    """A count as the census writes it: `-` for none, `/` or `.` for a few small ones."""
    if count == 0:
        return "-"
    if count < 3 and rng.random() < 0.5:
        return "/"
    if rng.random() < 0.002:
        return "."
    return str(count)


def figures(pop, rng):
    """Counts by sex and age band for a population, and its mean age."""
    by_sex = []
    men = round(pop * rng.uniform(0.47, 0.51))
    for total in (men, pop - men):
        weights = [s * rng.uniform(0.7, 1.3) for s in SHARES]
        scale = total / sum(weights)
        bands = [int(w * scale) for w in weights]
        bands[-1] += total - sum(bands)
        by_sex.append(bands)
    total = [a + b for a, b in zip(*by_sex)]
    return [total] + by_sex


def german(x, decimals=1):
    return f"{x:.{decimals}f}".replace(".", ",")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--rows", type=int, default=14493)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--encoding", default="utf-8")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    listed = gemeinden(regions(a.rows, rng), a.rows, rng)
    # Gemeinden and Gemeindeverbaende get counts of their own; the Kreise, Regierungsbezirke,
    # Laender and Germany the sums of the Gemeinden whose codes they begin.
    own, sums = {}, {}
    for code, _, level in listed:
        if level >= 4:
            pop = max(0, int(rng.lognormvariate(7.4, 1.3)))
            own[code] = (figures(pop, rng), pop * rng.uniform(0.0, 0.15))
        else:
            sums[code] = ([[0] * len(AGES) for _ in SEXES], 0.0)
    for code, _, level in listed:
        if level != 5:
            continue
        counts, foreign = own[code]
        for above in {"DG", code[:2], code[:3], code[:5]} & sums.keys():
            total, f = sums[above]
            for s, bands in enumerate(counts):
                for i, n in enumerate(bands):
                    total[s][i] += n
            sums[above] = (total, f + foreign)
    width = 3 + 3 * (1 + len(AGES)) + 2
    pad = ";" * (width - 1)
    lines = [
        "GENESIS-Tabelle: 12111-02-01-5",
        "Bevölkerung nach Geschlecht und Altersgruppen (18)" + pad,
        "- Stichtag 09.05.2011 -" + pad,
        "regionale Tiefe: Gemeinden" + pad,
        "Zensus 2011" + pad,
    ]
    columns = [(s, a) for s in SEXES for a in ["Insgesamt"] + AGES]
    lines.append(";;;" + ";".join(["Bevölkerung"] * len(columns) + ["Ausländeranteil", "Durchschnittsalter"]))
    lines.append(";;;" + ";".join([s for s, _ in columns] + ["Insgesamt", "Insgesamt"]))
    lines.append(";;;" + ";".join([a for _, a in columns] + ["", ""]))
    lines.append(";;;" + ";".join(["Anzahl"] * len(columns) + ["%", "Jahre"]))
    for code, label, level in listed:
        sexes, foreign = own.get(code) or sums[code]
        pop = sum(sexes[0])
        values = []
        for bands in sexes:
            values.append(cell(sum(bands), rng))
            values.extend(cell(n, rng) for n in bands)
        if pop < 100:
            values += ["/", "/"]
        else:
            mean = sum(n * m for n, m in zip(sexes[0], MIDS)) / pop
            values += [german(100 * foreign / pop), german(mean)]
        lines.append(f"09.05.2011;{code};{label};" + ";".join(values))
    lines += [
        "__________",
        '"Ergebnisse des Zensus 2011 zum Berichtszeitpunkt 09.05.2011.\n'
        'Gebietsstand: 31.12.2015; Gemeinden mit ""weniger als 3 Personen"" je Zelle\n'
        'werden mit / ausgewiesen."',
        '"© Statistische Ämter des Bundes und der Länder, Deutschland, 2016.\n'
        "Dieses Werk ist lizensiert unter der Datenlizenz Deutschland\n"
        '- Namensnennung - Version 2.0."',
        "Stand: 04.12.2026 / 10:47:46",
    ]
    with open(a.out, "w", encoding=a.encoding, newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")


if __name__ == "__main__":
    main()
