//! The layout as data: what each column of a table means (its role, number notation, measure
//! key and unit), the table's shape, and the words headers are recognised by. Detected by
//! `layout.rs` (or, for GENESIS flat files, `flat.rs`), edited by the user in the column panel.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::dataset::MeasureKind;
use crate::read::number::NumberFormat;

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// The municipality's name (Kommune, Stadt, Gemeinde, Region).
    Municipality,
    /// The official region code (Regionalschlüssel, AGS, Kennziffer).
    Code,
    /// The year, or a Stichtag (`31.12.2014`) giving the year.
    Year,
    /// A measure of a wide table: its values, named by the header.
    Measure,
    /// The column naming the measure of a long table (Merkmal, Kennzahl).
    MeasureName,
    /// A value column of a long table (Wert); a year in its header gives the year.
    Value,
    /// The unit of a long table's measure (Einheit).
    Unit,
    /// A grouping the values are broken down by (Geschlecht, Stadtteil, Leistungsart).
    Dimension,
    /// The quality marks of a GENESIS flat file's values (`p`, `r`, `s`): a flag on the value
    /// column whose key it names.
    Quality,
    /// Not used (case numbers, remarks, dates).
    Ignore,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Municipality => "Kommune",
            Role::Code => "Regionalschlüssel",
            Role::Year => "Jahr",
            Role::Measure => "Merkmal (Werte)",
            Role::MeasureName => "Merkmalsname",
            Role::Value => "Wert",
            Role::Unit => "Einheit",
            Role::Dimension => "Gliederung",
            Role::Quality => "Qualitätskennzeichen",
            Role::Ignore => "nicht verwendet",
        })
    }
}

/// How the table is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Shape {
    /// One row per municipality and year (and dimension values), one column per measure; GENESIS
    /// tables that are wide by year too.
    Wide,
    /// Columns municipality, year, measure, value (and dimensions).
    Long,
    /// One row per case: many rows per municipality and year, to be aggregated first.
    CaseLevel,
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Shape::Wide => "breit (eine Zeile je Kommune und Jahr, eine Spalte je Merkmal)",
            Shape::Long => "lang (Kommune, Jahr, Merkmal, Wert)",
            Shape::CaseLevel => "Fallebene (viele Zeilen je Kommune und Jahr; erst zusammenfassen)",
        })
    }
}

/// One column of the layout.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayoutColumn {
    /// The header as the file spells it (a GENESIS header block flattened); may be empty.
    pub name: String,
    /// What the column holds.
    pub role: Role,
    /// How its numbers are written.
    pub format: NumberFormat,
    /// The measure key (for `Measure` columns; CONTRACT §1).
    pub key: String,
    /// The unit (`Anzahl`, `EUR`, `%`), when the header or the cells say.
    pub unit: Option<String>,
    /// Amount or rate.
    pub kind: MeasureKind,
    /// The year from a date or year header cell: the table is wide by year.
    pub year: Option<i32>,
    /// The date of a date header cell (`31.12.2014`): tells quarterly Stichtage apart.
    #[serde(default)]
    pub date: Option<String>,
}

/// The layout of a table: its shape and one entry per column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    /// The shape.
    pub shape: Shape,
    /// One entry per column of the table, in order.
    pub columns: Vec<LayoutColumn>,
    /// The year of every row, for a file without a year column (taken from its title line,
    /// or set by the user).
    #[serde(default)]
    pub year: Option<i32>,
}

impl Layout {
    /// The index of the first column with a role.
    pub fn find(&self, role: Role) -> Option<usize> {
        self.columns.iter().position(|c| c.role == role)
    }

    /// The indices of all columns with a role.
    pub fn all(&self, role: Role) -> Vec<usize> {
        (0..self.columns.len())
            .filter(|&j| self.columns[j].role == role)
            .collect()
    }
}

/// The measure key of a header (CONTRACT §1): lower-cased, `ä ö ü ß` → `ae oe ue ss`, every run
/// of other characters than `a-z 0-9` → `_`, trimmed of `_`.
pub fn measure_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'a'..='z' | '0'..='9' => key.push(c),
            'ä' => key.push_str("ae"),
            'ö' => key.push_str("oe"),
            'ü' => key.push_str("ue"),
            'ß' => key.push_str("ss"),
            _ if !key.ends_with('_') => key.push('_'),
            _ => {}
        }
    }
    key.trim_matches('_').to_string()
}

/// Rates (shares, quotas, percentages) may take any value; everything else is an amount.
pub(crate) fn measure_kind(name: &str, unit: Option<&str>) -> MeasureKind {
    let says_rate = |s: &str| {
        let s = s.to_lowercase();
        ["%", "quote", "anteil", "prozent"]
            .iter()
            .any(|w| s.contains(w))
    };
    if says_rate(name) || unit.is_some_and(says_rate) {
        MeasureKind::Rate
    } else {
        MeasureKind::Amount
    }
}

/// Words a district column's header starts with (its measure key's first part):
/// `Stadtteil`, `Stadtteilname`, `Stadtbezirk Nr.`, `Sozialraum`, `Planungsraum`, `district`.
const DISTRICT_WORDS: [&str; 8] = [
    "stadtteil",
    "stadtbezirk",
    "bezirk",
    "ortsteil",
    "sozialraum",
    "sozialraeume",
    "planungsraum",
    "district",
];

/// Whether a header names a district column. Only short headers count, so a measure such as
/// `Einwohner im Bezirk` or `Bezirksausgaben insgesamt in EUR` stays a measure.
pub fn is_district_header(name: &str) -> bool {
    let key = measure_key(name);
    let mut parts = key.split('_');
    let first = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    DISTRICT_WORDS.iter().any(|w| first.starts_with(w))
        && first.len() <= "planungsraumnummer".len()
        && rest.len() <= 1
        && rest.iter().all(|p| {
            [
                "name",
                "nr",
                "nummer",
                "id",
                "code",
                "bezeichnung",
                "schluessel",
            ]
            .contains(p)
        })
}
