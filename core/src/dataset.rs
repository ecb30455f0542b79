//! The dataset: measures by municipality and year, the common ground every later step reads.
//!
//! A value is either a number (possibly flagged by the official sign legend) or missing with the
//! reason the user sees. Every observation remembers the upload and line it came from, so a
//! finding can point back at the cell.
//!
//! The cells live in [`Cells`], packed, not as a map of [`Observation`]s, because a
//! municipality-level table has close to a million of them and the browser tab, the worker
//! transfer and the CLI all pay for every byte per cell.

use serde::{Deserialize, Serialize};

use crate::value::{Flag, Reason, Value};

mod cells;

pub use cells::{Cells, CellsBuilder};

/// Where an observation came from: which upload and which line of it (1-based).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Source {
    /// Index into `Dataset::files`.
    pub file: usize,
    /// 1-based line of the decoded text where the record starts.
    pub line: usize,
    /// 1-based column (field) of the cell.
    pub column: usize,
}

/// One cell of the dataset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// The value.
    pub value: Value,
    /// A flag of the sign legend, if the number carries one.
    pub flag: Option<Flag>,
    /// Where it came from.
    pub source: Source,
}

/// A municipality (Kommune), county or region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Municipality {
    /// Its name as the data spells it (indentation trimmed).
    pub name: String,
    /// The official region code, when the data has one (`02000`, `DG`).
    pub code: Option<String>,
    /// A region aggregate (Germany, a Land) rather than a county or city: not a peer by default.
    pub aggregate: bool,
}

/// What kind of quantity a measure is: negative counts and money are errors, rates may be anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MeasureKind {
    /// Persons, cases, money: never below zero.
    Amount,
    /// Rates, shares, percentages: may be negative (a change) or anything.
    Rate,
}

/// A measure (Merkmal): a column of a wide file, a value of the measure column of a long file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    /// The key used in formulas (CONTRACT §1 measure keys).
    pub key: String,
    /// The header as the file spells it.
    pub label: String,
    /// The unit, when the file says (`Anzahl`, `EUR`, `%`).
    pub unit: Option<String>,
    /// Amount or rate.
    pub kind: MeasureKind,
    /// The official statistic the measure comes from (`12411`, `22151`: the first part of a
    /// GENESIS table code or the flat file's `statistics_code`), so a catalogue's measure sources
    /// (CONTRACT §2) can bind it.
    #[serde(default)]
    pub statistic: Option<String>,
}

/// Words in a measure's key or unit that mark money: amounts of money are no counts of persons
/// or cases, so chance (Poisson) says nothing about how much they may move.
const MONEY_WORDS: [&str; 8] = [
    "eur",
    "€",
    "ausgaben",
    "einnahmen",
    "kosten",
    "betrag",
    "aufwand",
    "ertr",
];

impl Measure {
    /// Whether the measure counts persons or cases: an amount that is not money.
    pub fn is_count(&self) -> bool {
        let unit = self.unit.as_deref().unwrap_or_default().to_lowercase();
        self.kind == MeasureKind::Amount
            && !MONEY_WORDS
                .iter()
                .any(|w| self.key.contains(w) || unit.contains(w))
    }
}

/// A municipality–year pair that occurred again; the first row counts (CONTRACT §1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicate {
    /// Index into `Dataset::municipalities`.
    pub municipality: usize,
    /// The year.
    pub year: i32,
    /// Where the repeated row is.
    pub source: Source,
}

/// The key of an observation: municipality index, year, dimension combination index, measure index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CellKey {
    /// Index into `Dataset::municipalities`.
    pub municipality: usize,
    /// The year.
    pub year: i32,
    /// Index into `Dataset::combinations` (0 when the data has no dimension columns).
    pub combination: usize,
    /// Index into `Dataset::measures`.
    pub measure: usize,
}

/// Measures by municipality and year (and, for tables with dimension columns, by dimension).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// The uploads' names, in load order.
    pub files: Vec<String>,
    /// Municipalities in order of first appearance.
    pub municipalities: Vec<Municipality>,
    /// Measures in order of first appearance.
    pub measures: Vec<Measure>,
    /// Names of the dimension columns (`Geschlecht`, `Stadtteil`), empty for most ring files.
    pub dimensions: Vec<String>,
    /// The distinct combinations of dimension values; index 0 is the default view
    /// (the empty combination when there are no dimensions).
    pub combinations: Vec<Vec<String>>,
    /// The cells.
    pub cells: Cells,
    /// Municipality–year pairs that occurred again.
    pub duplicates: Vec<Duplicate>,
}

impl Dataset {
    /// The index of a municipality by name.
    pub fn municipality_index(&self, name: &str) -> Option<usize> {
        self.municipalities.iter().position(|m| m.name == name)
    }

    /// The index of a measure by key.
    pub fn measure_index(&self, key: &str) -> Option<usize> {
        self.measures.iter().position(|m| m.key == key)
    }

    /// The distinct years, ascending (found once per state of the cells: views ask often).
    pub fn years(&self) -> Vec<i32> {
        self.cells
            .derived
            .years
            .get_or_init(|| {
                let mut years: Vec<i32> = Vec::new();
                // A municipality's cells of one year are neighbours: look at each run once.
                let mut last = None;
                for key in self.cells.keys() {
                    let row = Some((key.municipality, key.year));
                    if row != last {
                        last = row;
                        if let Err(i) = years.binary_search(&key.year) {
                            years.insert(i, key.year);
                        }
                    }
                }
                years
            })
            .clone()
    }

    /// The observation of a municipality, year and measure in the default combination.
    pub fn get(&self, municipality: usize, year: i32, measure: usize) -> Option<Observation> {
        self.get_in(municipality, year, 0, measure)
    }

    /// The observation in a given dimension combination.
    pub fn get_in(
        &self,
        municipality: usize,
        year: i32,
        combination: usize,
        measure: usize,
    ) -> Option<Observation> {
        self.cells.get(&CellKey {
            municipality,
            year,
            combination,
            measure,
        })
    }

    /// The dataset as seen in one dimension combination (a gender, a district, a target group):
    /// its cells become the default view (combination 0), which KPIs, comparisons and checks
    /// read, and the other combinations are left out. `None` when there is no such combination.
    pub fn in_combination(&self, combination: usize) -> Option<Dataset> {
        let chosen = self.combinations.get(combination)?.clone();
        let cells = self
            .cells
            .iter()
            .filter(|(key, _)| key.combination == combination)
            .map(|(key, observation)| {
                let key = CellKey {
                    combination: 0,
                    ..key
                };
                (key, observation)
            })
            .collect();
        Some(Dataset {
            files: self.files.clone(),
            municipalities: self.municipalities.clone(),
            measures: self.measures.clone(),
            dimensions: self.dimensions.clone(),
            combinations: vec![chosen],
            cells,
            duplicates: self.duplicates.clone(),
        })
    }

    /// The value of a municipality, year and measure: missing with `NoRecord` when absent.
    pub fn value(&self, municipality: usize, year: i32, measure: usize) -> Value {
        self.get(municipality, year, measure)
            .map(|o| o.value)
            .unwrap_or(Value::Missing(Reason::NoRecord))
    }
}

/// The cells of the default combination laid out for lookups by municipality, year and
/// measure, their numbers read once: KPIs look every cell up again and again. Only the rows
/// and cells there are take room (a dense grid of municipalities × years × measures took
/// gigabytes for a long table of many municipalities, each in other years).
#[derive(Debug, PartialEq)]
pub(crate) struct Grid {
    /// The municipalities and measures the grid was laid out for.
    pub(crate) shape: (usize, usize),
    pub(crate) years: Vec<i32>,
    /// The rows of municipality `m`: `rows[by_municipality[m]..by_municipality[m + 1]]`.
    by_municipality: Vec<u32>,
    rows: Vec<GridRow>,
    /// Each row's cells by measure, ascending.
    measures: Vec<u32>,
    /// Each cell's number; NaN where the cells hold something else (read from them).
    numbers: Vec<f64>,
}

/// A municipality's year in a [`Grid`].
#[derive(Clone, Copy, Debug, PartialEq)]
struct GridRow {
    year: i32,
    /// The row's first cell in `Grid::measures` and `Grid::numbers`.
    first: u32,
    /// That cell's position in the dataset's cells (the row's cells are neighbours there).
    at: u32,
}

impl Grid {
    pub(crate) fn new(dataset: &Dataset) -> Grid {
        let years = dataset.years();
        let shape = (dataset.municipalities.len(), dataset.measures.len());
        let (municipalities, n_measures) = shape;
        let mut by_municipality = vec![0u32; municipalities + 1];
        let mut rows: Vec<GridRow> = Vec::new();
        let (mut measures, mut numbers) = (Vec::new(), Vec::new());
        let mut last = None;
        for (at, (key, number)) in dataset.cells.numbers().enumerate() {
            if key.combination != 0 || key.municipality >= municipalities {
                continue;
            }
            if last != Some((key.municipality, key.year)) {
                last = Some((key.municipality, key.year));
                by_municipality[key.municipality + 1] += 1;
                rows.push(GridRow {
                    year: key.year,
                    first: cells::narrow(measures.len()),
                    at: cells::narrow(at),
                });
            }
            // Measures beyond the shape come last in a row, so the row's cells stay neighbours.
            if key.measure < n_measures {
                measures.push(cells::narrow(key.measure));
                numbers.push(number.unwrap_or(f64::NAN));
            }
        }
        for m in 0..municipalities {
            by_municipality[m + 1] += by_municipality[m];
        }
        Grid {
            shape,
            years,
            by_municipality,
            rows,
            measures,
            numbers,
        }
    }

    /// The row of a municipality in a year, when it has one.
    pub(crate) fn row(&self, municipality: usize, year: i32) -> Option<usize> {
        let from = *self.by_municipality.get(municipality)? as usize;
        let to = *self.by_municipality.get(municipality + 1)? as usize;
        let found = self
            .rows
            .get(from..to)?
            .binary_search_by_key(&year, |r| r.year);
        found.ok().map(|i| from + i)
    }

    /// The years of a municipality's rows, ascending.
    pub(crate) fn years_of(&self, municipality: usize) -> impl Iterator<Item = i32> + '_ {
        let range = |m: usize| self.by_municipality.get(m).map_or(0, |&r| r as usize);
        let rows = self.rows.get(range(municipality)..range(municipality + 1));
        rows.unwrap_or_default().iter().map(|r| r.year)
    }

    /// The cell of a measure in a row: its number, or (`Err`) its position in the dataset's
    /// cells to read what else it holds; `None` when the row has no such cell.
    pub(crate) fn cell(&self, row: usize, measure: usize) -> Option<Result<f64, usize>> {
        let r = self.rows.get(row)?;
        let end = self
            .rows
            .get(row + 1)
            .map_or(self.measures.len(), |n| n.first as usize);
        let cells = self.measures.get(r.first as usize..end)?;
        let i = cells.binary_search(&cells::narrow(measure)).ok()?;
        let number = self.numbers[r.first as usize + i];
        Some(match number.is_nan() {
            false => Ok(number),
            true => Err(r.at as usize + i),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::dataset;

    #[test]
    fn one_combination_becomes_the_default_view() {
        let mut d = dataset(&[("A", 2020, &[("ew", Value::Number(100.0))])]);
        d.dimensions = vec!["Geschlecht".into()];
        d.combinations = vec![vec!["Insgesamt".into()], vec!["weiblich".into()]];
        let female = CellKey {
            combination: 1,
            ..d.cells.keys().next().unwrap()
        };
        let observation = Observation {
            value: Value::Number(55.0),
            ..d.cells.values().next().unwrap()
        };
        d.cells.insert(female, observation);
        let cases = [
            (0, Some((vec!["Insgesamt"], 100.0))),
            (1, Some((vec!["weiblich"], 55.0))),
            (2, None),
        ];
        for (combination, want) in cases {
            let got = d.in_combination(combination).map(|v| {
                assert_eq!(v.cells.len(), 1);
                let names = v.combinations[0].clone();
                let value = v.value(0, 2020, 0).number().unwrap_or(f64::NAN);
                (names, value)
            });
            let want = want.map(|(names, value)| {
                let names: Vec<String> = names.iter().map(|n: &&str| n.to_string()).collect();
                (names, value)
            });
            assert_eq!(got, want, "combination {combination}");
        }
    }
}
