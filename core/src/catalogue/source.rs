//! Measure sources: a [`Binding`] says which loaded measure (or measures, added), in which
//! dimension values, gives a catalogue measure key its values. The catalogue's
//! `[[measure.source]]` entries and the user's choices are both bindings; `binding.rs` applies them.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;

/// The values of one dimension a binding takes: one, or several added (age groups to make 65+).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DimValues {
    /// One value (`Geschlecht = "Insgesamt"`).
    One(String),
    /// Several values whose figures are added (`dim1 = ["65 bis unter 75 Jahre", "75 Jahre und mehr"]`).
    Several(Vec<String>),
}

impl DimValues {
    /// The values, in the order written.
    pub fn values(&self) -> &[String] {
        match self {
            DimValues::One(v) => std::slice::from_ref(v),
            DimValues::Several(v) => v,
        }
    }

    /// One value as `One`, several as `Several` (how the TOML reads best).
    pub fn from_values(mut values: Vec<String>) -> DimValues {
        if values.len() == 1 {
            DimValues::One(values.remove(0))
        } else {
            DimValues::Several(values)
        }
    }
}

/// Where a catalogue measure's values come from: a catalogue's `[[measure.source]]`, or the
/// user's choice in the Zuordnung panel.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Binding {
    /// The official statistic the loaded measure must come from (`12411`); `None`: any file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistic: Option<String>,
    /// The GENESIS table to download (`12411-01-01-4`): shown to the user, not used to bind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// The loaded measure key (instead of `sum`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
    /// Several loaded measure keys whose values are added (instead of `measure`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sum: Vec<String>,
    /// The dimension values to take, by dimension name (`Geschlecht`) or position (`dim1`);
    /// a dimension not named takes the value of the data's default view (the total).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dims: BTreeMap<String, DimValues>,
}

impl Binding {
    /// A binding of the loaded measures `keys` (one, or several added) of a statistic.
    pub fn of(statistic: Option<String>, mut keys: Vec<String>) -> Binding {
        let (measure, sum) = if keys.len() == 1 {
            (Some(keys.remove(0)), Vec::new())
        } else {
            (None, keys)
        };
        Binding {
            statistic,
            measure,
            sum,
            ..Binding::default()
        }
    }

    /// The loaded measure keys it adds up (one for `measure`).
    pub fn keys(&self) -> Vec<&str> {
        match &self.measure {
            Some(m) => vec![m.as_str()],
            None => self.sum.iter().map(String::as_str).collect(),
        }
    }

    /// The values it takes of dimension `dimension` of the dataset: those named (by the
    /// dimension's name or position, `dim2` is the second), else the default view's value.
    pub fn chosen_values(&self, dataset: &Dataset, dimension: usize) -> Vec<String> {
        let named = self
            .dims
            .iter()
            .find(|(name, _)| dimension_index(dataset, name) == Some(dimension));
        match named {
            Some((_, values)) => values.values().to_vec(),
            None => dataset
                .combinations
                .first()
                .and_then(|c| c.get(dimension))
                .cloned()
                .into_iter()
                .collect(),
        }
    }

    /// The binding with loaded measure `key` as its only measure; the dimension values stay.
    pub fn with_measure(&self, key: &str) -> Binding {
        Binding {
            measure: Some(key.to_string()),
            sum: Vec::new(),
            ..self.clone()
        }
    }

    /// The binding with loaded measure `key` added to its sum or taken out of it; the last
    /// measure stays (a binding adds at least one).
    pub fn toggle_measure(&self, key: &str) -> Binding {
        let mut keys: Vec<String> = self.keys().iter().map(|k| k.to_string()).collect();
        match keys.iter().position(|k| k == key) {
            Some(_) if keys.len() == 1 => {}
            Some(i) => {
                keys.remove(i);
            }
            None => keys.push(key.to_string()),
        }
        Binding {
            table: self.table.clone(),
            dims: self.dims.clone(),
            ..Binding::of(self.statistic.clone(), keys)
        }
    }

    /// The binding with `value` of dimension `dimension` added to the values it takes or taken
    /// out of them (several values are added up); the last value stays. The dimension is named
    /// as the dataset names it.
    pub fn toggle_value(&self, dataset: &Dataset, dimension: usize, value: &str) -> Binding {
        let Some(name) = dataset.dimensions.get(dimension) else {
            return self.clone();
        };
        let mut values = self.chosen_values(dataset, dimension);
        match values.iter().position(|v| v == value) {
            Some(_) if values.len() == 1 => {}
            Some(i) => {
                values.remove(i);
            }
            None => values.push(value.to_string()),
        }
        let mut binding = self.clone();
        binding
            .dims
            .retain(|n, _| dimension_index(dataset, n) != Some(dimension));
        binding
            .dims
            .insert(name.clone(), DimValues::from_values(values));
        binding
    }
}

/// In words, for the load report and the CLI: `Statistik 12411, „insgesamt“ (Geschlecht =
/// Insgesamt)`, several keys or values joined by ` + `.
impl fmt::Display for Binding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(statistic) = &self.statistic {
            write!(f, "Statistik {statistic}, ")?;
        }
        let keys: Vec<String> = self.keys().iter().map(|k| format!("„{k}“")).collect();
        f.write_str(&keys.join(" + "))?;
        if !self.dims.is_empty() {
            let dims: Vec<String> = self
                .dims
                .iter()
                .map(|(name, values)| format!("{name} = {}", values.values().join(" + ")))
                .collect();
            write!(f, " ({})", dims.join(", "))?;
        }
        Ok(())
    }
}

/// The user's choices: a binding per catalogue measure key.
pub type Bindings = BTreeMap<String, Binding>;

/// A dimension of the dataset by its name, or by position as `dim1`, `dim2`, … (classic GENESIS
/// tables leave their dimension columns unnamed; a named one is found by either).
pub(crate) fn dimension_index(dataset: &Dataset, name: &str) -> Option<usize> {
    dataset
        .dimensions
        .iter()
        .position(|d| d == name)
        .or_else(|| {
            let n: usize = name.strip_prefix("dim")?.parse().ok()?;
            (1..=dataset.dimensions.len()).contains(&n).then(|| n - 1)
        })
}
