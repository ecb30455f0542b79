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

use crate::value::{Reason, Value};

mod cells;

pub(crate) use cells::Grid;
pub use cells::{CellKey, Cells, CellsBuilder, Observation, Source};

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
        self.cells.years()
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
