//! The dataset: measures by municipality and year, the common ground every later step reads.
//!
//! A value is either a number (possibly flagged by the official sign legend) or missing with the
//! reason the user sees. Every observation remembers the upload and line it came from, so a
//! finding can point back at the cell.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a value is missing. The German text is what the user reads (CONTRACT §1, DOMAIN legend).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Reason {
    /// An empty cell.
    Empty,
    /// `.`: unknown or confidential.
    Unknown,
    /// `...`: figure not yet available.
    NotYetAvailable,
    /// `/`: not reliable enough.
    Unreliable,
    /// `x`: locked cell.
    Locked,
    /// `k.A.`: no answer.
    NoAnswer,
    /// A cell that is neither a number nor a marker; keeps its text.
    NotNumeric(String),
    /// A formula divided by zero.
    DivisionByZero,
    /// No record for that municipality, year and measure.
    NoRecord,
    /// `prev(x)` with no year before.
    NoPreviousYear,
    /// A missing input of a computation, naming the key that was missing and its own reason.
    Input(String, Box<Reason>),
    /// A measure key of the catalogue that nothing in the data carries or binds (CONTRACT §2
    /// measure sources): the user can bind a loaded measure to it.
    Unbound(String),
}

impl Reason {
    /// The reason for a sign of the official legend, if the text is one.
    pub fn from_marker(text: &str) -> Option<Reason> {
        match text {
            "" => Some(Reason::Empty),
            "." => Some(Reason::Unknown),
            "..." | "…" => Some(Reason::NotYetAvailable),
            "/" => Some(Reason::Unreliable),
            "x" | "X" => Some(Reason::Locked),
            "k.A." | "k. A." | "k.A" => Some(Reason::NoAnswer),
            _ => None,
        }
    }

    /// A short stable code for the reason (for i18n and exports).
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Empty => "empty",
            Reason::Unknown => "unknown",
            Reason::NotYetAvailable => "not_yet_available",
            Reason::Unreliable => "unreliable",
            Reason::Locked => "locked",
            Reason::NoAnswer => "no_answer",
            Reason::NotNumeric(_) => "not_numeric",
            Reason::DivisionByZero => "division_by_zero",
            Reason::NoRecord => "no_record",
            Reason::NoPreviousYear => "no_previous_year",
            Reason::Input(_, inner) => inner.code(),
            Reason::Unbound(_) => "unbound",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Empty => f.write_str("leer"),
            Reason::Unknown => f.write_str("unbekannt/geheim"),
            Reason::NotYetAvailable => f.write_str("liegt noch nicht vor"),
            Reason::Unreliable => f.write_str("nicht sicher genug"),
            Reason::Locked => f.write_str("gesperrt"),
            Reason::NoAnswer => f.write_str("keine Angabe"),
            Reason::NotNumeric(text) => write!(f, "keine Zahl: „{text}“"),
            Reason::DivisionByZero => f.write_str("Division durch 0"),
            Reason::NoRecord => f.write_str("keine Angabe in den Daten"),
            Reason::NoPreviousYear => f.write_str("kein Vorjahr"),
            Reason::Input(key, inner) => write!(f, "{key}: {inner}"),
            Reason::Unbound(key) => write!(f, "Merkmal fehlt: {key}"),
        }
    }
}

/// A flag that a number carries from the official sign legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Flag {
    /// `0`: rounded to zero, more than nothing.
    Rounded,
    /// `(123)`: limited reliability.
    Uncertain,
    /// `123p`: provisional.
    Provisional,
    /// `123r`: corrected.
    Corrected,
    /// `123s`: estimated.
    Estimated,
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Flag::Rounded => "gerundet",
            Flag::Uncertain => "unsicher",
            Flag::Provisional => "vorläufig",
            Flag::Corrected => "berichtigt",
            Flag::Estimated => "geschätzt",
        })
    }
}

/// A value: a number or missing with its reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Value {
    /// A number (full f64 precision).
    Number(f64),
    /// Missing, with the reason.
    Missing(Reason),
}

impl Value {
    /// The number, if there is one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Value::Number(x) => Some(*x),
            Value::Missing(_) => None,
        }
    }

    /// The reason, if missing.
    pub fn reason(&self) -> Option<&Reason> {
        match self {
            Value::Number(_) => None,
            Value::Missing(r) => Some(r),
        }
    }
}

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
    pub cells: BTreeMap<CellKey, Observation>,
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

    /// The distinct years, ascending.
    pub fn years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self.cells.keys().map(|k| k.year).collect();
        years.sort_unstable();
        years.dedup();
        years
    }

    /// The observation of a municipality, year and measure in the default combination.
    pub fn get(&self, municipality: usize, year: i32, measure: usize) -> Option<&Observation> {
        self.get_in(municipality, year, 0, measure)
    }

    /// The observation in a given dimension combination.
    pub fn get_in(
        &self,
        municipality: usize,
        year: i32,
        combination: usize,
        measure: usize,
    ) -> Option<&Observation> {
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
                    ..*key
                };
                (key, observation.clone())
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
            .map(|o| o.value.clone())
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
            ..*d.cells.keys().next().unwrap()
        };
        let observation = Observation {
            value: Value::Number(55.0),
            ..d.cells.values().next().unwrap().clone()
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
