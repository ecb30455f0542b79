//! The layout: what each column of a table means (its role, number notation, measure key and
//! unit) and the table's shape. Detected from header names and the data, shown to the user in
//! the column panel, and editable: building the dataset again from the edited layout applies
//! the change at once.

use std::collections::HashSet;

use crate::read::column::{
    is_district_header, measure_key, measure_kind, Layout, LayoutColumn, Role, Shape,
};
use crate::read::genesis::flatten_header;
use crate::read::number::{is_euro, is_percent, parse_number, parse_year, Evidence, NumberFormat};
use crate::read::table::{Row, Table};

/// How many data rows the role detection looks at; enough to see what a column holds.
const SAMPLE_ROWS: usize = 20_000;

/// What a column's cells look like.
#[derive(Debug, Default)]
struct Stats {
    filled: usize,
    numeric: usize,
    years: usize,
    /// Four-digit cells that are no plausible year (`20x0`, `1850`): a year column mistyped.
    near_years: usize,
    codes: usize,
    dates: usize,
    percent: usize,
    euro: usize,
    distinct: HashSet<String>,
}

impl Stats {
    fn share(&self, n: usize) -> f64 {
        if self.filled == 0 {
            0.0
        } else {
            n as f64 / self.filled as f64
        }
    }

    fn is_text(&self) -> bool {
        self.filled > 0 && self.share(self.numeric) < 0.5
    }
}

/// The notation evidence of every column, from all rows.
fn column_evidence(table: &Table) -> Vec<Evidence> {
    let mut evidence = vec![Evidence::default(); table.width()];
    for row in table.rows() {
        for (j, e) in evidence.iter_mut().enumerate() {
            let cell = row.get(j).trim();
            // Plain digits say nothing of the notation (most cells: skipped at once); dates
            // (`31.12.2020`) would look like German thousands.
            if !cell.bytes().all(|b| b.is_ascii_digit()) && parse_year(cell).is_none() {
                e.add(cell);
            }
        }
    }
    evidence
}

/// What the first rows of each column hold, numbers read in the column's notation.
fn column_stats(table: &Table, format_of: impl Fn(usize) -> NumberFormat) -> Vec<Stats> {
    let mut stats: Vec<Stats> = (0..table.width()).map(|_| Stats::default()).collect();
    for row in table.rows().take(SAMPLE_ROWS) {
        for (j, s) in stats.iter_mut().enumerate() {
            let cell = row.get(j).trim();
            if crate::value::Reason::from_marker(cell).is_some() || cell == "-" {
                continue;
            }
            s.filled += 1;
            s.numeric += usize::from(parse_number(cell, format_of(j)).is_some());
            let year = parse_year(cell).is_some();
            s.years += usize::from(year);
            s.near_years += usize::from(!year && starts_like_a_year(cell));
            s.dates += usize::from(year && cell.len() > 4);
            s.codes += usize::from(is_code(cell));
            s.percent += usize::from(is_percent(cell));
            s.euro += usize::from(is_euro(cell));
            // Looked up first: a column of few values would copy each cell only to drop it.
            if s.distinct.len() <= 1000 && !s.distinct.contains(cell) {
                s.distinct.insert(cell.to_string());
            }
        }
    }
    stats
}

/// Four characters, the first two digits: a cell that is no year (`20x0`, `1850`) but starts
/// like one.
fn starts_like_a_year(cell: &str) -> bool {
    let b = cell.as_bytes();
    b.len() == 4 && b[..2].iter().all(u8::is_ascii_digit)
}

/// A region code: `DG`, `02`, `05111000`, `091620000000` (digits, or short capital codes).
fn is_code(cell: &str) -> bool {
    (1..=12).contains(&cell.len())
        && cell
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        && (cell.bytes().any(|b| b.is_ascii_digit()) || cell == "DG")
}

const MUNICIPALITY_WORDS: &[&str] = &[
    "kommune",
    "kommunen",
    "stadt",
    "gemeinde",
    "region",
    "municipality",
    "kreis",
    "landkreis",
    "name",
    "ort",
    "gebiet",
    "gebietskoerperschaft",
    "city",
    "traeger",
    "mitglied",
    "teilnehmer",
];
const CODE_WORDS: &[&str] = &[
    "code",
    "ags",
    "ars",
    "kennziffer",
    "regionalschluessel",
    "gemeindeschluessel",
    "kreisschluessel",
    "schluessel",
    "gkz",
    "kreiskennziffer",
    "gemeindekennziffer",
    "rs",
];
const YEAR_WORDS: &[&str] = &[
    "jahr",
    "year",
    "stichtag",
    "berichtsjahr",
    "erhebungsjahr",
    "datum",
    "date",
    "zeit",
    "zeitraum",
];
const MEASURE_NAME_WORDS: &[&str] = &[
    "merkmal",
    "merkmale",
    "kennzahl",
    "kennzahlen",
    "measure",
    "indikator",
    "indicator",
    "variable",
];
const VALUE_WORDS: &[&str] = &["wert", "werte", "value"];
const UNIT_WORDS: &[&str] = &["einheit", "unit", "masseinheit"];
const IDENTIFIER_WORDS: &[&str] = &[
    "id",
    "lfd",
    "nr",
    "nummer",
    "fallnummer",
    "aktenzeichen",
    "az",
    "fall",
];
// `reason` and `flag` are the columns of a submission package's long table (CONTRACT §8):
// derived from the value, no breakdown of it.
const REMARK_WORDS: &[&str] = &[
    "reason",
    "flag",
    "bemerkung",
    "bemerkungen",
    "kommentar",
    "anmerkung",
    "hinweis",
    "notiz",
];

/// Detect the layout of a table from its header names and data.
pub fn detect_layout(table: &Table) -> Layout {
    let header = flatten_header(table);
    let width = table.width();
    // The notation evidence of each column comes first; the default is the file's.
    let evidence = column_evidence(table);
    let total = evidence.iter().fold(Evidence::default(), |mut acc, e| {
        acc.german += e.german;
        acc.plain += e.plain;
        acc
    });
    // GENESIS writes no thousands separators, so plain reading is right for its whole numbers and
    // for dot decimals alike.
    let default_format =
        total
            .format()
            .unwrap_or(if table.separator() == ',' || table.is_genesis() {
                NumberFormat::Plain
            } else {
                NumberFormat::German
            });
    let formats: Vec<NumberFormat> = evidence
        .iter()
        .map(|e| e.format().unwrap_or(default_format))
        .collect();
    if let Some(flat) = table.flat_layout() {
        let mut columns = crate::read::flat::flat_columns(table, flat, &formats);
        keys_with_units(&mut columns, true);
        let long = columns.iter().any(|c| c.role == Role::Value);
        return Layout {
            shape: if long { Shape::Long } else { Shape::Wide },
            columns,
            year: None,
        };
    }
    let stats = column_stats(table, |j| formats[j]);
    let lead = (0..width)
        .find(|&j| !header[j].name.is_empty() || header[j].year.is_some())
        .unwrap_or(width);

    let mut roles: Vec<Role> = Vec::with_capacity(width);
    for j in 0..width {
        let taken = |r: Role| roles.contains(&r);
        let s = &stats[j];
        let h = &header[j];
        let role = if j < lead && table.is_genesis() {
            genesis_lead_role(j, &stats, &roles)
        } else if j < lead {
            if s.filled == 0 {
                Role::Ignore
            } else if !taken(Role::Year) && s.share(s.years) >= 0.8 {
                Role::Year
            } else if !taken(Role::Code) && s.share(s.codes) >= 0.8 && !taken(Role::Municipality) {
                Role::Code
            } else if !taken(Role::Municipality) && s.is_text() {
                Role::Municipality
            } else {
                Role::Dimension
            }
        } else {
            named_role(h.name.as_str(), h.year, s, &taken)
        };
        roles.push(role);
    }
    fallbacks(&mut roles, &stats, &header);
    // One district column is the unit; a second one (`Stadtteil-Nr.` beside `Stadtteil`) would
    // split every district into combinations of itself.
    let mut districts =
        (0..width).filter(|&j| roles[j] == Role::Dimension && is_district_header(&header[j].name));
    if districts.next().is_some() {
        for j in districts.collect::<Vec<_>>() {
            roles[j] = Role::Ignore;
        }
    }

    let mut columns: Vec<LayoutColumn> = (0..width)
        .map(|j| {
            let h = &header[j];
            let unit = h
                .unit
                .clone()
                .or_else(|| unit_in_name(&h.name))
                .or_else(|| cell_unit(&stats[j]).map(str::to_string));
            let mut key = measure_key(&h.name);
            if key.is_empty() {
                key = if h.year.is_some() {
                    "wert".to_string()
                } else {
                    format!("spalte_{}", j + 1)
                };
            }
            LayoutColumn {
                name: h.name.clone(),
                role: roles[j],
                format: formats[j],
                kind: measure_kind(&h.name, unit.as_deref()),
                key,
                unit,
                year: h.year,
                date: h.date.clone(),
            }
        })
        .collect();
    keys_with_units(&mut columns, table.is_genesis());
    let shape = shape(table, &mut columns);
    let by_year = columns.iter().any(|c| c.year.is_some());
    let titles = table
        .skipped()
        .iter()
        .filter(|s| s.line < table.header_line());
    let year = match (
        by_year || columns.iter().any(|c| c.role == Role::Year),
        table.is_genesis(),
    ) {
        (true, _) => None,
        (false, true) => crate::read::genesis::title_year(titles.map(|s| s.text.as_str())),
        (false, false) => year_of_titles(table),
    };
    Layout {
        shape,
        columns,
        year,
    }
}

/// The leading columns of a GENESIS table (CONTRACT §1): a column of dates or bare years
/// first when there is one, then the region code (when the column holds codes), the region
/// name, and dimensions. A column that holds years in some rows and other things in others is
/// taken as the year, so that loading refuses it with the cell rather than read years as codes.
fn genesis_lead_role(j: usize, stats: &[Stats], roles: &[Role]) -> Role {
    let s = &stats[j];
    let taken = |r: Role| roles.contains(&r);
    let years = j == 0 && s.filled > 0 && s.share(s.years + s.near_years) >= 0.8;
    if years {
        Role::Year
    } else if !taken(Role::Code) && !taken(Role::Municipality) && s.share(s.codes) >= 0.5 {
        Role::Code
    } else if !taken(Role::Municipality) {
        Role::Municipality
    } else {
        Role::Dimension
    }
}

/// CONTRACT §1 "Keys that would collide": measure columns that would share a key (for the same
/// year and date) but differ in unit, a count and its share, each get their unit appended
/// (`gebaeude_anzahl`, `gebaeude_prozent`).
/// In an official table a column without a unit beside one with a unit differs in unit too;
/// in a city's own file the two are a clash the user must resolve.
fn keys_with_units(columns: &mut [LayoutColumn], official: bool) {
    let measures: Vec<usize> = (0..columns.len())
        .filter(|&j| columns[j].role == Role::Measure)
        .collect();
    let same = |a: &LayoutColumn, b: &LayoutColumn| {
        measure_key(&a.key) == measure_key(&b.key) && a.year == b.year && a.date == b.date
    };
    let differ = |a: &LayoutColumn, b: &LayoutColumn| match (&a.unit, &b.unit) {
        (Some(x), Some(y)) => x != y,
        (x, y) => official && x != y,
    };
    let appended: Vec<usize> = measures
        .iter()
        .copied()
        .filter(|&a| {
            measures
                .iter()
                .any(|&b| same(&columns[a], &columns[b]) && differ(&columns[a], &columns[b]))
        })
        .collect();
    for j in appended {
        let unit = unit_key(columns[j].unit.as_deref().unwrap_or(""));
        columns[j].key = format!("{}_{unit}", measure_key(&columns[j].key));
    }
}

/// A unit as part of a key: `%` is `prozent`, other units as keys (`Tsd. EUR` → `tsd_eur`).
pub(crate) fn unit_key(unit: &str) -> String {
    match unit.trim() {
        "%" => "prozent".to_string(),
        unit => measure_key(unit),
    }
}

fn named_role(name: &str, year: Option<i32>, s: &Stats, taken: &dyn Fn(Role) -> bool) -> Role {
    let key = measure_key(name);
    let has = |words: &[&str]| key.split('_').any(|t| words.contains(&t));
    // Compounds name the same (`Mitgliedskommune`, `Hansestadt`, `Landkreis`, `Berichtsjahr`).
    let ends = |words: &[&str]| key.split('_').any(|t| words.iter().any(|w| t.ends_with(w)));
    let first = |r: Role| (!taken(r)).then_some(r);
    if year.is_some() {
        return Role::Measure;
    }
    if s.filled == 0 {
        return if name.is_empty() {
            Role::Ignore
        } else {
            Role::Measure
        };
    }
    // A district column (CONTRACT §1 district level) names the unit even when it holds numbers,
    // and before "name" in `Stadtteil Name` could make it the municipality.
    if is_district_header(name) {
        return Role::Dimension;
    }
    let year_like = s.share(s.years) >= 0.5;
    if s.is_text() {
        let role = if has(REMARK_WORDS) || has(IDENTIFIER_WORDS) {
            Some(Role::Ignore)
        } else if has(CODE_WORDS) {
            first(Role::Code)
        } else if (has(YEAR_WORDS) || ends(&["jahr"])) && year_like {
            first(Role::Year)
        } else if has(MEASURE_NAME_WORDS) {
            first(Role::MeasureName)
        } else if has(UNIT_WORDS) {
            first(Role::Unit)
        } else if has(MUNICIPALITY_WORDS) || ends(&["kommune", "stadt", "gemeinde", "kreis"]) {
            first(Role::Municipality)
        } else {
            None
        };
        role.unwrap_or(
            if s.share(s.dates) >= 0.5
                || s.distinct.len() > 1000
                || s.distinct.len() * 2 > s.filled.max(20)
            {
                Role::Ignore
            } else {
                Role::Dimension
            },
        )
    } else if (has(YEAR_WORDS) || ends(&["jahr"])) && year_like {
        first(Role::Year).unwrap_or(Role::Measure)
    } else if has(CODE_WORDS) {
        first(Role::Code).unwrap_or(Role::Ignore)
    } else if has(IDENTIFIER_WORDS) {
        Role::Ignore
    } else if has(VALUE_WORDS) {
        first(Role::Value).unwrap_or(Role::Measure)
    } else {
        Role::Measure
    }
}

/// Without a municipality or year column by name, take the first text column for the
/// municipality and a column of nothing but years for the year.
fn fallbacks(roles: &mut [Role], stats: &[Stats], header: &[crate::read::genesis::HeaderColumn]) {
    if !roles.contains(&Role::Municipality) && !roles.contains(&Role::Code) {
        if let Some(j) = (0..roles.len()).find(|&j| {
            matches!(roles[j], Role::Dimension | Role::Ignore)
                && stats[j].is_text()
                && !header[j].name.is_empty()
                && !is_district_header(&header[j].name)
        }) {
            roles[j] = Role::Municipality;
        }
    }
    let by_year = header.iter().any(|h| h.year.is_some());
    if !roles.contains(&Role::Year) && !by_year {
        if let Some(j) = (0..roles.len()).find(|&j| {
            roles[j] == Role::Measure && stats[j].filled > 0 && stats[j].years == stats[j].filled
        }) {
            roles[j] = Role::Year;
        }
    }
}

/// The one year the title lines above the header name (`Kennzahlen 2023`, `Stand 31.12.2023`),
/// if they name exactly one.
fn year_of_titles(table: &Table) -> Option<i32> {
    let mut years: Vec<i32> = table
        .skipped()
        .iter()
        .filter(|s| s.line < table.header_line())
        .flat_map(|s| s.text.split(|c: char| !c.is_ascii_digit() && c != '.'))
        .filter_map(|word| parse_year(word.trim_matches('.')))
        .collect();
    years.sort_unstable();
    years.dedup();
    match years.as_slice() {
        [year] => Some(*year),
        _ => None,
    }
}

/// The unit most cells of a column are written with (`12,5 %`, `1.234,56 €`).
fn cell_unit(s: &Stats) -> Option<&'static str> {
    if s.share(s.percent) >= 0.5 {
        Some("%")
    } else if s.share(s.euro) >= 0.5 {
        Some("EUR")
    } else {
        None
    }
}

/// A unit written into the header: `Ausgaben (EUR)`, `Quote [%]`, `Ausgaben in EUR`.
fn unit_in_name(name: &str) -> Option<String> {
    let name = name.trim();
    let bracketed = name
        .strip_suffix(')')
        .and_then(|r| r.rsplit_once('(').map(|(_, u)| u))
        .or_else(|| {
            name.strip_suffix(']')
                .and_then(|r| r.rsplit_once('[').map(|(_, u)| u))
        });
    let unit = bracketed
        .or_else(|| name.rsplit_once(" in ").map(|(_, u)| u))?
        .trim();
    const KNOWN: [&str; 9] = [
        "EUR", "€", "%", "Prozent", "Tsd. EUR", "Mio. EUR", "Anzahl", "Personen", "Euro",
    ];
    KNOWN.contains(&unit).then(|| unit.to_string())
}

/// Decide the shape, turning a wide-by-year column into a long table's value column where a
/// measure-name column says the table is long.
fn shape(table: &Table, columns: &mut [LayoutColumn]) -> Shape {
    if let Some(name) = columns.iter().position(|c| c.role == Role::MeasureName) {
        for c in columns.iter_mut() {
            if c.role == Role::Measure && c.year.is_some() && c.name.is_empty() {
                c.role = Role::Value;
            }
        }
        if columns.iter().any(|c| c.role == Role::Value) {
            return Shape::Long;
        }
        columns[name].role = Role::Dimension;
    }
    // Without a measure-name column a value column is just a measure named by its header.
    for c in columns.iter_mut().filter(|c| c.role == Role::Value) {
        c.role = Role::Measure;
    }
    if is_case_level(table, columns) {
        Shape::CaseLevel
    } else {
        Shape::Wide
    }
}

/// Many rows per municipality and year that the dimension columns do not tell apart, or a case
/// number column with more than one row per municipality and year.
fn is_case_level(table: &Table, columns: &[LayoutColumn]) -> bool {
    let pick = |roles: &[Role]| -> Vec<usize> {
        (0..columns.len())
            .filter(|&j| roles.contains(&columns[j].role))
            .collect()
    };
    let who = pick(&[Role::Municipality, Role::Code, Role::Year]);
    let mut with_dims = who.clone();
    with_dims.extend(pick(&[Role::Dimension]));
    // A case number (not a running number, which wide files have too).
    let identifier = columns.iter().any(|c| {
        c.role == Role::Ignore
            && measure_key(&c.name)
                .split('_')
                .any(|t| ["fall", "fallnummer", "aktenzeichen"].contains(&t))
    });
    let rows: Vec<Row<'_>> = table.rows().take(SAMPLE_ROWS).collect();
    let distinct = |cols: &[usize]| -> usize {
        rows.iter()
            .map(|r| {
                cols.iter()
                    .map(|&j| r.get(j).trim())
                    .collect::<Vec<_>>()
                    .join("\u{1f}")
            })
            .collect::<HashSet<_>>()
            .len()
    };
    if who.is_empty() || rows.is_empty() {
        return false;
    }
    let keys = distinct(&with_dims);
    let repeated = rows.len() - keys;
    // A few repeated rows are duplicates to report, not a case-level file; so are rows copied
    // whole (an export appended twice). Cases differ in what they hold.
    let used = pick(&[
        Role::Municipality,
        Role::Code,
        Role::Year,
        Role::Dimension,
        Role::Measure,
    ]);
    let differing = distinct(&used) - keys;
    (repeated * 5 > rows.len() && repeated >= 5 && differing * 2 > repeated)
        || (identifier && distinct(&who) < rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::MeasureKind;
    use crate::read::table::{read_table, ReadOptions};

    #[test]
    fn keys() {
        let cases = [
            (
                "Leistungsberechtigte HzP stationär",
                "leistungsberechtigte_hzp_stationaer",
            ),
            ("Einwohner 65+", "einwohner_65"),
            ("  Ausgaben (EUR) ", "ausgaben_eur"),
            ("ÄÖÜ-Straße", "aeoeue_strasse"),
            (
                "nachrichtl.: Anspr.berecht. nach §264 Abs. 2 SGB V",
                "nachrichtl_anspr_berecht_nach_264_abs_2_sgb_v",
            ),
            ("Café", "caf"),
            ("___", ""),
        ];
        for (name, key) in cases {
            assert_eq!(measure_key(name), key, "{name:?}");
        }
    }

    #[test]
    fn kinds_and_units() {
        let cases = [
            ("Arbeitslosenquote", None, MeasureKind::Rate, None),
            ("Anteil HzP a.v.E.", None, MeasureKind::Rate, None),
            ("Einwohner", Some("Anzahl"), MeasureKind::Amount, None),
            ("Ausgaben (EUR)", None, MeasureKind::Amount, Some("EUR")),
            ("Quote [%]", None, MeasureKind::Rate, Some("%")),
            (
                "Ausgaben in Tsd. EUR",
                None,
                MeasureKind::Amount,
                Some("Tsd. EUR"),
            ),
            ("Veränderung", Some("%"), MeasureKind::Rate, None),
            ("Leistungen (ambulant)", None, MeasureKind::Amount, None),
        ];
        for (name, unit, kind, in_name) in cases {
            assert_eq!(
                (measure_kind(name, unit), unit_in_name(name).as_deref()),
                (kind, in_name),
                "{name:?}"
            );
        }
    }

    fn layout(text: &str) -> (Shape, Vec<(Role, NumberFormat, String)>) {
        let t = read_table("l.csv", text.as_bytes(), &ReadOptions::default()).unwrap();
        let l = detect_layout(&t);
        (
            l.shape,
            l.columns
                .into_iter()
                .map(|c| (c.role, c.format, c.key))
                .collect(),
        )
    }

    #[test]
    fn roles() {
        use NumberFormat::{German as G, Plain as P};
        use Role::*;
        type Case<'a> = (&'a str, Shape, &'a [(Role, NumberFormat, &'a str)]);
        let cases: &[Case] = &[
            (
                "Kommune;Jahr;Einwohner;Quote\nA;2019;1.234;10,5\nB;2019;2.345;9,5\n",
                Shape::Wide,
                &[(Municipality, G, "kommune"), (Year, G, "jahr"), (Measure, G, "einwohner"), (Measure, G, "quote")],
            ),
            (
                "municipality,year,population,rate\nA,2019,1234,10.5\nB,2019,2345,9.5\n",
                Shape::Wide,
                &[(Municipality, P, "municipality"), (Year, P, "year"), (Measure, P, "population"), (Measure, P, "rate")],
            ),
            (
                "AGS;Gemeinde;Stichtag;Einwohner\n05111000;Düsseldorf;31.12.2020;620.523\n05113000;Essen;31.12.2020;582.760\n",
                Shape::Wide,
                &[(Code, G, "ags"), (Municipality, G, "gemeinde"), (Year, G, "stichtag"), (Measure, G, "einwohner")],
            ),
            (
                "Kommune;Jahr;Ausgaben;Quote\nA;2019;1.234,56 €;12,5 %\nB;2019;99,00 €;3 %\n",
                Shape::Wide,
                &[(Municipality, G, "kommune"), (Year, G, "jahr"), (Measure, G, "ausgaben"), (Measure, G, "quote")],
            ),
            (
                "Nr;Kommune;Jahr;Einwohner\n1;A;2019;1\n2;A;2019;1\n3;B;2019;2\n",
                Shape::Wide,
                &[(Ignore, G, "nr"), (Municipality, G, "kommune"), (Year, G, "jahr"), (Measure, G, "einwohner")],
            ),
            (
                "Kommune;Jahr;Einwohner\nA;2019;1\nB;2019;2\nC;2019;3\nD;2019;4\nE;2019;5\nA;2019;1\nB;2019;2\nC;2019;3\nD;2019;4\nE;2019;5\n",
                Shape::Wide,
                &[(Municipality, G, "kommune"), (Year, G, "jahr"), (Measure, G, "einwohner")],
            ),
            (
                "Kommune;Jahr;Ausgaben\nA;2019;1\nA;2019;2\nA;2019;3\nB;2019;4\nB;2019;5\nB;2019;6\nA;2019;7\nB;2019;8\n",
                Shape::CaseLevel,
                &[(Municipality, G, "kommune"), (Year, G, "jahr"), (Measure, G, "ausgaben")],
            ),
            (
                "Mitgliedskommune;Berichtsjahr;Einwohner\nA;2019;1\nB;2019;2\n",
                Shape::Wide,
                &[(Municipality, G, "mitgliedskommune"), (Year, G, "berichtsjahr"), (Measure, G, "einwohner")],
            ),
            (
                "Stadt;Jahr;Merkmal;Wert\nA;2019;Einwohner;100\nA;2019;Quote;1,5\nB;2019;Einwohner;200\n",
                Shape::Long,
                &[(Municipality, G, "stadt"), (Year, G, "jahr"), (MeasureName, G, "merkmal"), (Value, G, "wert")],
            ),
            (
                "Kommune;Kennzahl;2019;2020\nA;Einwohner;100;110\nA;Quote;1,5;1,6\n",
                Shape::Long,
                &[(Municipality, G, "kommune"), (MeasureName, G, "kennzahl"), (Value, G, "wert"), (Value, G, "wert")],
            ),
            (
                "Kommune;Jahr;Geschlecht;Einwohner\nA;2019;männlich;100\nA;2019;weiblich;110\nB;2019;männlich;50\n",
                Shape::Wide,
                &[(Municipality, G, "kommune"), (Year, G, "jahr"), (Dimension, G, "geschlecht"), (Measure, G, "einwohner")],
            ),
            (
                "Fall-ID;Kommune;Leistungsart;Jahr;Beginn;Bruttoausgaben;Bemerkung\nF1;A;HLU;2022;01.02.2022;1.963,13;\nF2;A;HLU;2022;01.03.2022;1.771,71;x y\nF3;B;GruSi;2022;01.01.2022;100,00;\n",
                Shape::CaseLevel,
                &[(Ignore, G, "fall_id"), (Municipality, G, "kommune"), (Dimension, G, "leistungsart"), (Year, G, "jahr"), (Ignore, G, "beginn"), (Measure, G, "bruttoausgaben"), (Ignore, G, "bemerkung")],
            ),
        ];
        for (text, shape, want) in cases {
            let want: Vec<(Role, NumberFormat, String)> = want
                .iter()
                .map(|(r, f, k)| (*r, *f, k.to_string()))
                .collect();
            assert_eq!(layout(text), (*shape, want), "{text:?}");
        }
    }

    #[test]
    fn year_from_the_title() {
        let cases = [
            ("Kennzahlen 2023\nKommune;Einwohner\nA;1\n", Some(2023)),
            ("Stand: 31.12.2022;\nKommune;Einwohner\nA;1\n", Some(2022)),
            ("Vergleich 2022 und 2023\nKommune;Einwohner\nA;1\n", None),
            ("Titel 2023\nKommune;Jahr;Einwohner\nA;2019;1\n", None),
            ("Kommune;Einwohner\nA;1\nQuelle 2023\n", None),
        ];
        for (text, year) in cases {
            let t = read_table("y.csv", text.as_bytes(), &ReadOptions::default()).unwrap();
            assert_eq!(detect_layout(&t).year, year, "{text:?}");
        }
    }

    #[test]
    fn genesis_lead_columns() {
        let text = "GENESIS-Tabelle: 1\n;;;;Leistungsempfänger\n;;;;Anzahl\n31.12.2015;DG;Deutschland;Insgesamt;5\n31.12.2015;01;  Schleswig-Holstein;Insgesamt;4\n";
        let (shape, cols) = layout(text);
        let roles: Vec<Role> = cols.iter().map(|c| c.0).collect();
        assert_eq!(
            (shape, roles),
            (
                Shape::Wide,
                vec![
                    Role::Year,
                    Role::Code,
                    Role::Municipality,
                    Role::Dimension,
                    Role::Measure
                ]
            )
        );
    }
}
