//! Conventions of the official statistics' table exports (GENESIS, Regionaldatenbank): the
//! multi-line header block flattened to one name per column, years from date header cells,
//! a units line, and which region codes are aggregates (CONTRACT §1).

use crate::read::number::parse_year;
use crate::read::table::Table;

/// The units GENESIS writes in a table's last header line (CONTRACT §1, and the spellings of
/// older exports). A last header line whose every filled cell is one of these gives the units;
/// one other word makes it a line of names, as the statistics offices' own readers take it.
const UNITS: [&str; 34] = [
    "Anzahl",
    "EUR",
    "Tsd. EUR",
    "Mill. EUR",
    "Mrd. EUR",
    "Euro",
    "Tsd. Euro",
    "Mill. Euro",
    "%",
    "Prozent",
    "qkm",
    "ha",
    "qm",
    "m²",
    "1000 qm",
    "cbm",
    "1000 cbm",
    "Tsd. m3",
    "t",
    "1000 t",
    "kg",
    "l",
    "1000",
    "Tsd.",
    "Jahre",
    "Tage",
    "Stunden",
    "Tsd. Std.",
    "Tsd. MJ",
    "MWh",
    "kWh",
    "km",
    "GV",
    "AK-E",
];

/// What the header block says about one column.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct HeaderColumn {
    /// The header cells top to bottom, without empty cells, without a cell equal to the one
    /// above it, without year cells, joined by a space.
    pub name: String,
    /// The year of a date or year header cell (`31.12.2014`, `2014`): the table is wide by year.
    pub year: Option<i32>,
    /// The date of a date header cell (`31.12.2014`), which tells quarterly Stichtage apart.
    pub date: Option<String>,
    /// The unit from a units-only last header line.
    pub unit: Option<String>,
}

/// Flatten the header block of `table` to one entry per column.
pub(crate) fn flatten_header(table: &Table) -> Vec<HeaderColumn> {
    let lines: Vec<Vec<&str>> = table
        .header()
        .map(|r| r.fields().map(str::trim).collect())
        .collect();
    let width = table.width();
    fn cell<'a>(line: &[&'a str], j: usize) -> &'a str {
        line.get(j).copied().unwrap_or("")
    }
    let lead = (0..width)
        .find(|&j| lines.iter().any(|l| !cell(l, j).is_empty()))
        .unwrap_or(width);
    let units_line = lines.len() >= 2
        && lines.last().is_some_and(|last| {
            let measure_cells = || {
                (lead..width)
                    .map(|j| cell(last, j))
                    .filter(|c| !c.is_empty())
            };
            measure_cells().next().is_some() && measure_cells().all(|c| UNITS.contains(&c))
        });
    let (name_lines, unit_line) = match (units_line, lines.split_last()) {
        (true, Some((last, names))) => (names.to_vec(), Some(last)),
        _ => (lines.clone(), None),
    };
    let name_lines = if table.is_genesis() {
        name_lines
    } else {
        merged_cells_filled(name_lines, width)
    };
    (0..width)
        .map(|j| {
            let mut parts: Vec<&str> = Vec::new();
            let mut year = None;
            let mut date = None;
            let mut above = "";
            for line in &name_lines {
                let c = cell(line, j);
                if !c.is_empty() {
                    match parse_year(c).filter(|_| is_year_cell(c)) {
                        Some(y) => {
                            year = Some(y);
                            date = (c.len() == 10).then(|| c.to_string());
                        }
                        None if c != above => parts.push(c),
                        None => {}
                    }
                }
                above = c;
            }
            let unit = unit_line
                .map(|l| cell(l, j))
                .filter(|c| !c.is_empty())
                .map(str::to_string);
            HeaderColumn {
                // Excel header cells may hold line breaks (Alt+Enter); the name is one line.
                name: parts
                    .join(" ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                year,
                date,
                unit,
            }
        })
        .collect()
}

/// The one date or year of a whole GENESIS table, from a title line that holds nothing else
/// (`09.05.2011`, `Jahr: 2016`, `Stichtag: 09.05.2011`, `- Stichtag 09.05.2011 -`); the last
/// such line wins. A year in running title text (`(bis 2014)`, `- 2003 bis 2007 -`) is none.
pub(crate) fn title_year<'a>(titles: impl Iterator<Item = &'a str>) -> Option<i32> {
    titles.filter_map(year_line).last()
}

fn year_line(line: &str) -> Option<i32> {
    let t = line.trim().trim_end_matches(';').trim();
    let t = t.strip_prefix('-').unwrap_or(t).trim_start();
    let t = ["Stichtag", "Jahr"]
        .iter()
        .find_map(|w| t.strip_prefix(w))
        .unwrap_or(t)
        .trim_start();
    let t = t.strip_prefix(':').unwrap_or(t).trim();
    let t = t.strip_suffix('-').unwrap_or(t).trim_end();
    (is_year_cell(t) && (t.len() == 4 || t.len() == 10))
        .then(|| parse_year(t))
        .flatten()
}

/// Excel writes a merged group header (`Leistungsberechtigte` over `HLU`, `GruSi`, `HzP`) into
/// its first cell only; every cell of a header line that has a name below it and an empty
/// cell takes the group name from its left. GENESIS repeats group headers itself, so its header
/// block is flattened as written (CONTRACT §1).
fn merged_cells_filled(mut lines: Vec<Vec<&str>>, width: usize) -> Vec<Vec<&str>> {
    for line in &mut lines {
        line.resize(width.max(line.len()), "");
    }
    for r in 0..lines.len().saturating_sub(1) {
        for j in 1..width {
            if lines[r][j].is_empty()
                && !lines[r + 1][j].is_empty()
                && !lines[r + 1][j - 1].is_empty()
            {
                lines[r][j] = lines[r][j - 1];
            }
        }
    }
    lines
}

/// A header cell that is a year or a Stichtag, as GENESIS writes them (`2014`, `31.12.2014`).
fn is_year_cell(c: &str) -> bool {
    let b = c.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        10 => digits(0..2) && b[2] == b'.' && digits(3..5) && b[5] == b'.' && digits(6..10),
        _ => false,
    }
}

/// Which region codes are aggregates: `DG` (Germany) and every code that other codes of the
/// same file extend (a Land `01` above its counties `01001`…, a Regierungsbezirk `051`).
/// Hamburg (`02`) and Berlin (`11`) are Land and city at once; with no county below them they
/// stay peers.
pub(crate) fn aggregate_codes<'a>(
    codes: impl Iterator<Item = &'a str>,
) -> std::collections::BTreeSet<String> {
    let mut sorted: Vec<&str> = codes.filter(|c| !c.is_empty()).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out = std::collections::BTreeSet::new();
    for (i, code) in sorted.iter().enumerate() {
        // Codes that extend `code` sort directly after it.
        let extended = sorted
            .get(i + 1)
            .is_some_and(|next| next.len() > code.len() && next.starts_with(code));
        if *code == "DG" || extended {
            out.insert(code.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::table::{read_table, ReadOptions};

    fn header(text: &str) -> Vec<(String, Option<i32>, Option<String>)> {
        let t = read_table("g.csv", text.as_bytes(), &ReadOptions::default()).unwrap();
        flatten_header(&t)
            .into_iter()
            .map(|c| (c.name, c.year, c.unit))
            .collect()
    }

    fn col(
        name: &str,
        year: Option<i32>,
        unit: Option<&str>,
    ) -> (String, Option<i32>, Option<String>) {
        (name.to_string(), year, unit.map(str::to_string))
    }

    #[test]
    fn flattens() {
        let genesis = "GENESIS-Tabelle: 1\n;;;Leistungsempfänger;Leistungsempfänger;Leistungsempfänger;nachrichtl.: X\n;;;;weiblich;Ausländer;\n;;;Anzahl;Anzahl;Anzahl;Anzahl\n31.12.2015;DG;Deutschland;1;2;3;4\n";
        assert_eq!(
            header(genesis),
            vec![
                col("", None, None),
                col("", None, None),
                col("", None, None),
                col("Leistungsempfänger", None, Some("Anzahl")),
                col("Leistungsempfänger weiblich", None, Some("Anzahl")),
                col("Leistungsempfänger Ausländer", None, Some("Anzahl")),
                col("nachrichtl.: X", None, Some("Anzahl")),
            ]
        );
        let by_year = "GENESIS-Tabelle: 2\n;;31.12.2015;31.12.2015;2014\n;;Insgesamt;männlich;Insgesamt\nDG;Deutschland;1;2;3\n";
        assert_eq!(
            header(by_year),
            vec![
                col("", None, None),
                col("", None, None),
                col("Insgesamt", Some(2015), None),
                col("männlich", Some(2015), None),
                col("Insgesamt", Some(2014), None),
            ]
        );
        let repeated = "GENESIS-Tabelle: 3\n;;A;A\n;;A;\n;;B;A\nDG;D;1;2\n";
        assert_eq!(
            header(repeated)[2..],
            [col("A B", None, None), col("A A", None, None)]
        );
        let merged =
            "Kommune;Jahr;Einwohner;Leistungsberechtigte;;\n;;;HLU;GruSi;HzP\nA;2019;1;2;3;4\n";
        let names: Vec<String> = header(merged).into_iter().map(|c| c.0).collect();
        assert_eq!(
            names,
            [
                "Kommune",
                "Jahr",
                "Einwohner",
                "Leistungsberechtigte HLU",
                "Leistungsberechtigte GruSi",
                "Leistungsberechtigte HzP"
            ]
        );
        let broken = "Kommune;Jahr;\"Leistungsberechtigte\r\nHLU\"\nA;2019;1\n";
        assert_eq!(
            header(broken)[2],
            col("Leistungsberechtigte HLU", None, None)
        );
        let plain = "Kommune;Jahr;Einwohner;Quote\nA;2019;1;2\n";
        assert_eq!(header(plain)[3], col("Quote", None, None));
    }

    #[test]
    fn units_of_every_kind() {
        let area = "GENESIS-Tabelle: 11111-01-01-4\n;;;Gebietsfläche;Gebietsfläche\n;;;qkm;ha\n31.12.2015;DG;Deutschland;1;2\n";
        assert_eq!(
            header(area)[3..],
            [
                col("Gebietsfläche", None, Some("qkm")),
                col("Gebietsfläche", None, Some("ha"))
            ]
        );
        // One word that is no unit makes the line a line of names.
        let names = "GENESIS-Tabelle: 1\n;;;A;B\n;;;qkm;Gemeinden\nDG;D;1;2\n";
        assert_eq!(
            header(names)[3..],
            [col("A qkm", None, None), col("B Gemeinden", None, None)]
        );
    }

    #[test]
    fn year_of_a_title_line() {
        let cases = [
            ("09.05.2011", Some(2011)),
            ("Jahr: 2016", Some(2016)),
            ("Stichtag: 09.05.2011;;;", Some(2011)),
            ("- Stichtag 31.12.2014 -", Some(2014)),
            ("2014", Some(2014)),
            ("(ab 2003)", None),
            ("- 2003 bis 2007 -", None),
            ("regionale Tiefe: Kreise und krfr. Städte (bis 2014)", None),
            ("- Stichtag 31.12. -", None),
            ("Jahr: 20x6", None),
        ];
        for (line, want) in cases {
            assert_eq!(title_year([line].into_iter()), want, "{line:?}");
        }
        assert_eq!(title_year(["2011", "Jahr: 2016"].into_iter()), Some(2016));
    }

    #[test]
    fn aggregates() {
        let cases: &[(&[&str], &[&str])] = &[
            (
                &[
                    "DG", "01", "01001", "01002", "02", "03", "031", "03101", "11",
                ],
                &["01", "03", "031", "DG"],
            ),
            (&["05", "05111"], &["05"]),
            (&["", "05111"], &[]),
        ];
        for (codes, want) in cases {
            let got: Vec<String> = aggregate_codes(codes.iter().copied()).into_iter().collect();
            assert_eq!(got, want.to_vec(), "{codes:?}");
        }
    }
}
