//! Merging several uploads into one dataset (CONTRACT §1): municipalities match on the region
//! code where both files have one, else on the name; years match; a measure key two files both
//! bring is a conflict the user resolves (by default the first file wins where both have a cell).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::dataset::{CellKey, Dataset, Duplicate, Municipality};
use crate::error::Result;
use crate::read::upload::is_total;

/// A measure key that several uploads bring.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// The measure key.
    pub key: String,
    /// The uploads that bring it (indices into the merged datasets, in load order).
    pub files: Vec<usize>,
    /// The upload whose value counts where several have one for the same municipality and year.
    pub chosen: usize,
    /// Cells (municipality, year, dimension values) that several uploads have.
    pub overlapping: usize,
    /// Of those, cells whose values differ.
    pub differing: usize,
}

/// Which upload wins per measure key (index into the merged datasets); keys not named: the first.
pub type MergeChoices = BTreeMap<String, usize>;

/// The merged dataset and the conflicts to show the user.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    /// The merged dataset; its `files` are the uploads' files in order.
    pub dataset: Dataset,
    /// Measure keys several uploads bring, in key order.
    pub conflicts: Vec<Conflict>,
    /// Municipalities matched only by the name before a comma (`Kiel` with `Kiel,
    /// Landeshauptstadt, Kreisfreie Stadt`), for the user to confirm.
    pub name_matches: Vec<NameMatch>,
}

/// A municipality of an upload matched by its short name to one of another upload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameMatch {
    /// The upload (index into the merged datasets).
    pub file: usize,
    /// Its name in that upload.
    pub name: String,
    /// The merged municipality it was matched to (index into `Merged::dataset.municipalities`).
    pub municipality: usize,
}

/// Merge datasets (one per upload, in load order). They are taken, not borrowed, so that their
/// cells move into the merged dataset instead of being copied.
pub fn merge(datasets: Vec<Dataset>, choices: &MergeChoices) -> Result<Merged> {
    let mut out = Dataset::default();
    let mut files_of_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (d, ds) in datasets.iter().enumerate() {
        for m in &ds.measures {
            let files = files_of_key.entry(m.key.clone()).or_default();
            if !files.contains(&d) {
                files.push(d);
            }
        }
    }
    let mut conflicts: BTreeMap<String, Conflict> = BTreeMap::new();
    for (key, files) in files_of_key.iter().filter(|(_, f)| f.len() > 1) {
        let chosen = match choices.get(key) {
            // A choice left from a file no longer loaded falls back to the first file.
            Some(c) if files.contains(c) => *c,
            _ => files[0],
        };
        conflicts.insert(
            key.clone(),
            Conflict {
                key: key.clone(),
                files: files.clone(),
                chosen,
                overlapping: 0,
                differing: 0,
            },
        );
    }
    let mut places = Places::default();
    let mut name_matches = Vec::new();
    let mut combination_index: HashMap<Vec<String>, usize> = HashMap::new();
    for ds in &datasets {
        for d in &ds.dimensions {
            if !out.dimensions.contains(d) {
                out.dimensions.push(d.clone());
            }
        }
    }
    // A file without a dimension holds its totals: its cells join the other files' total
    // (`Insgesamt`), so the default view shows them side by side.
    let totals: Vec<String> = out
        .dimensions
        .iter()
        .map(|name| {
            datasets
                .iter()
                .find_map(|ds| {
                    let i = ds.dimensions.iter().position(|d| d == name)?;
                    ds.combinations.first()?.get(i).cloned()
                })
                .filter(|v| is_total(v))
                .unwrap_or_default()
        })
        .collect();
    for (d, mut ds) in datasets.into_iter().enumerate() {
        let file_offset = out.files.len();
        out.files.extend(ds.files.iter().cloned());
        let mut municipality: Vec<usize> = Vec::with_capacity(ds.municipalities.len());
        // Taken, not cloned: a file of many municipalities is not held twice.
        let incoming = std::mem::take(&mut ds.municipalities);
        if out.municipalities.is_empty() {
            // None of one upload is matched with another of it: the first one's are the
            // merged ones as they are.
            municipality.extend(0..incoming.len());
            places.last_upload = vec![d; incoming.len()];
            out.municipalities = incoming;
        } else {
            out.municipalities.reserve(incoming.len());
            for m in incoming {
                let (i, by_short_name) = places.find_or_add(&mut out, m, d);
                if let Some(name) = by_short_name {
                    name_matches.push(NameMatch {
                        file: d,
                        name,
                        municipality: i,
                    });
                }
                municipality.push(i);
            }
        }
        let measure: Vec<usize> = ds
            .measures
            .iter()
            .map(|m| {
                out.measure_index(&m.key).unwrap_or_else(|| {
                    out.measures.push(m.clone());
                    out.measures.len() - 1
                })
            })
            .collect();
        let combination: Vec<usize> = ds
            .combinations
            .iter()
            .map(|c| {
                let merged: Vec<String> = out
                    .dimensions
                    .iter()
                    .zip(&totals)
                    .map(
                        |(name, total)| match ds.dimensions.iter().position(|d| d == name) {
                            Some(i) => c.get(i).cloned().unwrap_or_default(),
                            None => total.clone(),
                        },
                    )
                    .collect();
                let next = out.combinations.len();
                *combination_index.entry(merged.clone()).or_insert_with(|| {
                    out.combinations.push(merged);
                    next
                })
            })
            .collect();
        let incoming = std::mem::take(&mut ds.cells).remapped(file_offset, |key| {
            Some(CellKey {
                municipality: *municipality.get(key.municipality)?,
                year: key.year,
                combination: *combination.get(key.combination)?,
                measure: *measure.get(key.measure)?,
            })
        });
        let measures = &out.measures;
        out.cells
            .merge_from(incoming, |key, existing, observation| {
                let Some(conflict) = conflicts.get_mut(&measures[key.measure].key) else {
                    return false;
                };
                conflict.overlapping += 1;
                conflict.differing += usize::from(existing.value != observation.value);
                conflict.chosen == d
            });
        for dup in &ds.duplicates {
            if let Some(&m) = municipality.get(dup.municipality) {
                let mut source = dup.source;
                source.file += file_offset;
                out.duplicates.push(Duplicate {
                    municipality: m,
                    year: dup.year,
                    source,
                });
            }
        }
    }
    if out.combinations.is_empty() {
        out.combinations
            .push(vec![String::new(); out.dimensions.len()]);
    }
    Ok(Merged {
        dataset: out,
        conflicts: conflicts.into_values().collect(),
        name_matches,
    })
}

/// Finding a municipality of one upload among those merged so far.
#[derive(Default)]
struct Places {
    by_code: HashMap<String, usize>,
    /// Merged municipalities by their short name (before the first comma, normalised).
    by_short: HashMap<String, Vec<usize>>,
    /// The last upload each merged municipality has come from: never two of the same upload
    /// (uploads are merged in order, so the last is the only one that can be the current).
    last_upload: Vec<usize>,
    /// How many merged municipalities are in `by_code` and `by_short`: the first upload's
    /// join them when a second one is merged (a single upload needs neither).
    indexed: usize,
}

impl Places {
    /// The merged municipality for municipality `m` of upload `d`, and `m`'s name when it was
    /// found only by the short name.
    fn find_or_add(
        &mut self,
        out: &mut Dataset,
        m: Municipality,
        d: usize,
    ) -> (usize, Option<String>) {
        for i in self.indexed..out.municipalities.len() {
            let first = &out.municipalities[i];
            self.remember(i, first.code.clone(), short_name(&first.name));
        }
        let taken = |i: usize| self.last_upload[i] == d;
        let usable =
            |i: usize| !taken(i) && (m.code.is_none() || out.municipalities[i].code.is_none());
        let by_code = m
            .code
            .as_ref()
            .and_then(|c| self.by_code.get(c).copied())
            .filter(|&i| !taken(i));
        let short = self
            .by_short
            .get(&short_name(&m.name))
            .map(Vec::as_slice)
            .unwrap_or_default();
        let name = normalized(&m.name);
        let same_name: Vec<usize> = short
            .iter()
            .copied()
            .filter(|&i| usable(i) && normalized(&out.municipalities[i].name) == name)
            .collect();
        // A county beats an aggregate of the same name.
        let exact = same_name
            .iter()
            .copied()
            .find(|&i| !out.municipalities[i].aggregate)
            .or(same_name.first().copied());
        // `Kiel` and `Kiel, Landeshauptstadt, Kreisfreie Stadt` are one place, if only one is meant.
        let peers: Vec<usize> = short
            .iter()
            .copied()
            .filter(|&i| usable(i) && !out.municipalities[i].aggregate)
            .collect();
        let by_short = (peers.len() == 1 && !m.aggregate).then(|| peers[0]);
        let found = by_code.or(exact);
        let (code, short) = (m.code.clone(), short_name(&m.name));
        let (i, fuzzy) = match found.map(|i| (i, false)).or(by_short.map(|i| (i, true))) {
            Some((i, fuzzy)) => {
                let merged = &mut out.municipalities[i];
                if merged.code.is_none() {
                    merged.code = m.code;
                }
                merged.aggregate |= m.aggregate;
                (i, fuzzy.then_some(m.name))
            }
            None => {
                out.municipalities.push(m);
                self.last_upload.push(d);
                (out.municipalities.len() - 1, None)
            }
        };
        self.last_upload[i] = d;
        self.remember(i, code, short);
        self.indexed = out.municipalities.len();
        (i, fuzzy)
    }

    /// Makes merged municipality `i` found by its code and by its short name.
    fn remember(&mut self, i: usize, code: Option<String>, short: String) {
        if let Some(code) = code {
            self.by_code.entry(code).or_insert(i);
        }
        let same = self.by_short.entry(short).or_default();
        if !same.contains(&i) {
            same.push(i);
        }
    }
}

/// The name before its first comma (`Kiel, Landeshauptstadt, Kreisfreie Stadt` → `kiel`).
fn short_name(name: &str) -> String {
    normalized(name.split(',').next().unwrap_or(name))
}

/// Names compare without case and extra spaces.
fn normalized(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::upload::load;
    use crate::value::Value;

    fn dataset(name: &str, text: &str) -> Dataset {
        load(name, text.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"))
            .dataset
    }

    fn value(d: &Dataset, m: &str, year: i32, key: &str) -> Option<(Value, usize)> {
        let o = d.get(d.municipality_index(m)?, year, d.measure_index(key)?)?;
        Some((o.value.clone(), o.source.file))
    }

    #[test]
    fn merges_on_code_then_name() {
        let stats = dataset("stat.csv", "AGS;Gemeinde;Jahr;Einwohner\n05111000;Düsseldorf;2020;620523\n05113000;Essen;2020;582760\n");
        let own = dataset(
            "own.csv",
            "Kommune;Jahr;Empfänger\n  düsseldorf ;2020;1200\nKöln;2020;900\n",
        );
        let m = merge(vec![stats, own], &MergeChoices::new()).unwrap();
        let d = &m.dataset;
        let names: Vec<&str> = d.municipalities.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["Düsseldorf", "Essen", "Köln"]);
        assert_eq!(
            value(d, "Düsseldorf", 2020, "empfaenger"),
            Some((Value::Number(1200.0), 1))
        );
        assert_eq!(
            value(d, "Düsseldorf", 2020, "einwohner"),
            Some((Value::Number(620523.0), 0))
        );
        assert_eq!(d.files, ["stat.csv", "own.csv"]);
        assert!(m.conflicts.is_empty());
        let other_code = dataset(
            "x.csv",
            "AGS;Gemeinde;Jahr;Schulden\n09999000;Düsseldorf;2020;1\n",
        );
        let stats = dataset(
            "stat.csv",
            "AGS;Gemeinde;Jahr;Einwohner\n05111000;Düsseldorf;2020;620523\n",
        );
        assert_eq!(
            merge(vec![stats, other_code], &MergeChoices::new())
                .unwrap()
                .dataset
                .municipalities
                .len(),
            2
        );
    }

    #[test]
    fn short_names_match_when_unambiguous() {
        let stats = dataset("stat.csv", "Kennziffer;Region;Jahr;Einwohner\n01002;Kiel, Landeshauptstadt, Kreisfreie Stadt;2020;246000\n06611;Kassel, Kreisfreie Stadt;2020;200000\n06633;Kassel, Landkreis;2020;236000\n");
        let own = dataset(
            "own.csv",
            "Kommune;Jahr;Fälle\nKiel;2020;10\nKassel;2020;20\n",
        );
        let m = merge(vec![stats, own], &MergeChoices::new()).unwrap();
        let names: Vec<&str> = m
            .dataset
            .municipalities
            .iter()
            .map(|m| m.name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "Kiel, Landeshauptstadt, Kreisfreie Stadt",
                "Kassel, Kreisfreie Stadt",
                "Kassel, Landkreis",
                "Kassel"
            ]
        );
        assert_eq!(
            m.name_matches,
            [NameMatch {
                file: 1,
                name: "Kiel".into(),
                municipality: 0
            }]
        );
        // Within one upload, names are never matched to each other.
        let one = dataset(
            "one.csv",
            "Kommune;Jahr;Fälle\nNeustadt, Stadt;2020;1\nNeustadt;2020;2\n",
        );
        assert_eq!(
            merge(vec![one], &MergeChoices::new())
                .unwrap()
                .dataset
                .municipalities
                .len(),
            2
        );
    }

    #[test]
    fn conflicts_first_file_wins_unless_chosen() {
        let a = dataset("a.csv", "Kommune;Jahr;Einwohner\nA;2020;100\nB;2020;200\n");
        let b = dataset(
            "b.csv",
            "Kommune;Jahr;Einwohner;Fälle\nA;2020;110;\nC;2020;300;3\n",
        );
        let files = [a, b];
        let m = merge(files.to_vec(), &MergeChoices::new()).unwrap();
        let want = Conflict {
            key: "einwohner".into(),
            files: vec![0, 1],
            chosen: 0,
            overlapping: 1,
            differing: 1,
        };
        assert_eq!(m.conflicts, std::slice::from_ref(&want));
        assert_eq!(
            value(&m.dataset, "A", 2020, "einwohner"),
            Some((Value::Number(100.0), 0))
        );
        assert_eq!(
            value(&m.dataset, "C", 2020, "einwohner"),
            Some((Value::Number(300.0), 1))
        );
        let choices = MergeChoices::from([("einwohner".to_string(), 1)]);
        let m = merge(files.to_vec(), &choices).unwrap();
        assert_eq!(m.conflicts, [Conflict { chosen: 1, ..want }]);
        assert_eq!(
            value(&m.dataset, "A", 2020, "einwohner"),
            Some((Value::Number(110.0), 1))
        );
        assert_eq!(
            value(&m.dataset, "B", 2020, "einwohner"),
            Some((Value::Number(200.0), 0))
        );
        let stale = MergeChoices::from([("einwohner".to_string(), 2)]);
        assert_eq!(
            merge(files.to_vec(), &stale).unwrap().conflicts[0].chosen,
            0
        );
    }

    #[test]
    fn dimensions_are_united() {
        let a = dataset("a.csv", "Kommune;Jahr;Einwohner\nA;2020;100\n");
        let b = dataset(
            "b.csv",
            "Kommune;Jahr;Geschlecht;Fälle\nA;2020;Insgesamt;3\nA;2020;weiblich;2\n",
        );
        let m = merge(vec![a, b], &MergeChoices::new()).unwrap();
        assert_eq!(m.dataset.dimensions, ["Geschlecht"]);
        assert_eq!(
            m.dataset.combinations,
            [vec!["Insgesamt".to_string()], vec!["weiblich".into()]]
        );
        // The file without the dimension and the other file's total meet in the default view.
        assert_eq!(
            value(&m.dataset, "A", 2020, "einwohner"),
            Some((Value::Number(100.0), 0))
        );
        assert_eq!(
            value(&m.dataset, "A", 2020, "faelle"),
            Some((Value::Number(3.0), 1))
        );
    }
}
