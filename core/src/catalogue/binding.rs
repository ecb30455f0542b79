//! Binding: which loaded measure feeds each measure key of the catalogue (CONTRACT §2, "Measures
//! and their official sources").
//!
//! Official tables name their measures in their own words (`insgesamt` in the population table
//! 12411, `empfaenger_von_grundsicherung_insgesamt` in 22151) and split them by dimensions (sex,
//! age group), while the catalogue's formulas name `einwohner` and `leistungsberechtigte_grusi`.
//! A [`Binding`] says which loaded measure (or measures, added), in which dimension values, gives
//! a catalogue key its values. The catalogue's `[[measure.source]]` entries are bindings tried in
//! order; the user's choices are bindings too, so nobody edits a formula to use an official table.
//!
//! [`bind`] adds every bound key as a measure of the dataset, in its default view (combination
//! 0), which is what KPIs, comparisons and checks read. A key the data already carry stays as it
//! is, so ring files work exactly as without bindings.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::catalogue::definition::Catalogue;
use crate::catalogue::source::{dimension_index, Binding, Bindings};
use crate::dataset::{CellKey, CellsBuilder, Dataset, Measure, Observation, Source};
use crate::value::{Flag, Reason, Value};

/// The bindings in force, by catalogue key, each naming the statistic its measures come from
/// (when they share one): what the catalogue's TOML gets as sources so that the next user's
/// files bind the same way.
pub fn in_force(bound: &[MeasureBinding], dataset: &Dataset) -> Bindings {
    bound
        .iter()
        .filter_map(|b| match &b.state {
            BindingState::Bound { binding, .. } => Some((b.key.clone(), binding.clone())),
            _ => None,
        })
        .map(|(key, mut binding)| {
            if binding.statistic.is_none() {
                let statistics: Vec<Option<&String>> = binding
                    .keys()
                    .iter()
                    .map(|k| {
                        let m = dataset.measure_index(k)?;
                        dataset.measures[m].statistic.as_ref()
                    })
                    .collect();
                if statistics
                    .iter()
                    .all(|s| s.is_some() && *s == statistics[0])
                {
                    binding.statistic = statistics[0].cloned();
                }
            }
            (key, binding)
        })
        .collect()
}

/// The distinct values of dimension `dimension` of a dataset, in the order of its combinations.
pub fn dimension_values(dataset: &Dataset, dimension: usize) -> Vec<&str> {
    let mut values: Vec<&str> = Vec::new();
    for c in &dataset.combinations {
        if let Some(v) = c.get(dimension) {
            if !values.contains(&v.as_str()) {
                values.push(v);
            }
        }
    }
    values
}

/// The name of an official statistic by its code, for telling the user what to download.
pub fn statistic_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "12411" => "Fortschreibung des Bevölkerungsstandes",
        "13211" => "Arbeitsmarktstatistik der Bundesagentur für Arbeit",
        "22121" => "Statistik der Empfänger von laufender Hilfe zum Lebensunterhalt",
        "22131" => "Statistik der Empfänger von Leistungen nach dem 5. bis 9. Kapitel SGB XII",
        "22151" => "Statistik der Empfänger von Grundsicherung im Alter und bei Erwerbsminderung",
        "22411" => "Pflegestatistik",
        _ => return None,
    })
}

/// How a catalogue measure key got its values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BindingState {
    /// The data carry the key themselves (a ring file); nothing to bind.
    Own,
    /// Bound by a catalogue source (`chosen` false) or the user's choice (`chosen` true).
    Bound {
        /// The binding in force.
        binding: Binding,
        /// Chosen by the user rather than found among the catalogue's sources.
        chosen: bool,
    },
    /// Nothing loaded binds it: its KPIs are missing with „Merkmal fehlt: <key>“.
    Unbound,
}

/// One catalogue measure key and how it is fed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureBinding {
    /// The key the formulas use.
    pub key: String,
    /// Its label (the catalogue's `[[measure]]` label, else the key).
    pub label: String,
    /// How it got its values.
    pub state: BindingState,
    /// The user's choice when it did not fit the loaded data (and the catalogue's sources
    /// were tried instead).
    pub rejected: Option<Binding>,
}

/// Bind every measure key of the catalogue (those its formulas use, then the other
/// `[[measure]]` entries): the key itself when the data carry it, else the user's choice when it
/// resolves in the data, else the first of the catalogue's sources that resolves. Bound keys
/// are added to `dataset` as measures after the loaded ones, their cells in the default view;
/// [`unbind`] with the number of loaded measures takes them out again.
pub fn bind(
    catalogue: &Catalogue,
    dataset: &mut Dataset,
    choices: &Bindings,
) -> Vec<MeasureBinding> {
    let present = parts_present(dataset);
    let mut states = Vec::new();
    let mut adds: Vec<(Measure, Vec<(usize, usize)>)> = Vec::new();
    for key in catalogue_keys(catalogue) {
        let definition = catalogue.measure(key);
        let label = definition.map_or(key, |d| d.label.as_str()).to_string();
        // A key the data carry keeps its own values: binding another measure to it would make
        // two measures of one key.
        let choice = choices.get(key);
        let mut rejected = None;
        let state = if dataset.measure_index(key).is_some() {
            BindingState::Own
        } else {
            let chosen = choice.and_then(|b| Some((b, resolve(dataset, &present, b)?, true)));
            if chosen.is_none() {
                rejected = choice.cloned();
            }
            let found = chosen.or_else(|| {
                definition?
                    .sources
                    .iter()
                    .find_map(|b| Some((b, resolve(dataset, &present, b)?, false)))
            });
            match found {
                Some((binding, parts, chosen)) => {
                    let first = &dataset.measures[parts[0].0];
                    let measure = Measure {
                        key: key.to_string(),
                        label: label.clone(),
                        unit: definition
                            .and_then(|d| d.unit.clone())
                            .or_else(|| first.unit.clone()),
                        kind: first.kind,
                        statistic: first.statistic.clone(),
                    };
                    adds.push((measure, parts));
                    BindingState::Bound {
                        binding: binding.clone(),
                        chosen,
                    }
                }
                None => BindingState::Unbound,
            }
        };
        states.push(MeasureBinding {
            key: key.to_string(),
            label,
            state,
            rejected,
        });
    }
    add_measures(dataset, adds);
    states
}

/// Take out the measures [`bind`] added: every measure from index `loaded` on, with its cells.
pub fn unbind(dataset: &mut Dataset, loaded: usize) {
    if dataset.measures.len() <= loaded {
        return;
    }
    dataset.measures.truncate(loaded);
    dataset.cells.retain(|key, _| key.measure < loaded);
}

/// The catalogue's measure keys: those the formulas use, in formula order, then the other
/// `[[measure]]` entries.
fn catalogue_keys(catalogue: &Catalogue) -> Vec<&str> {
    let mut keys = catalogue.measure_keys();
    for m in catalogue.measures() {
        if !keys.contains(&m.key.as_str()) {
            keys.push(&m.key);
        }
    }
    keys
}

/// The (measure, combination) pairs that have at least one cell.
fn parts_present(dataset: &Dataset) -> FxHashSet<(usize, usize)> {
    // A fast hash: every cell of the data passes here, on each load and each binding choice.
    dataset
        .cells
        .keys()
        .map(|k| (k.measure, k.combination))
        .collect()
}

/// The (measure, combination) pairs a binding adds up, when every one of them is in the data:
/// each measure key from the binding's statistic, each chosen dimension value present, and
/// cells for every pair. `None` when the binding does not apply to the data.
fn resolve(
    dataset: &Dataset,
    present: &FxHashSet<(usize, usize)>,
    binding: &Binding,
) -> Option<Vec<(usize, usize)>> {
    let keys = binding.keys();
    if keys.is_empty() {
        return None;
    }
    let measures = keys
        .iter()
        .map(|&key| {
            dataset.measures.iter().position(|m| {
                m.key == key
                    && binding
                        .statistic
                        .as_ref()
                        .is_none_or(|s| m.statistic.as_ref() == Some(s))
            })
        })
        .collect::<Option<Vec<usize>>>()?;
    let mut wanted: Vec<Option<&[String]>> = vec![None; dataset.dimensions.len()];
    for (name, values) in &binding.dims {
        wanted[dimension_index(dataset, name)?] = Some(values.values());
    }
    let default = dataset.combinations.first()?;
    let combinations: Vec<usize> = dataset
        .combinations
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            wanted.iter().enumerate().all(|(i, w)| match w {
                Some(values) => c.get(i).is_some_and(|v| values.contains(v)),
                None => c.get(i) == default.get(i),
            })
        })
        .map(|(i, _)| i)
        .collect();
    // A chosen value that is not in the data would silently leave out a part of the sum.
    let every_value_found = wanted.iter().enumerate().all(|(i, w)| {
        w.is_none_or(|values| {
            values.iter().all(|v| {
                combinations
                    .iter()
                    .any(|&c| dataset.combinations[c].get(i) == Some(v))
            })
        })
    });
    if combinations.is_empty() || !every_value_found {
        return None;
    }
    let parts: Vec<(usize, usize)> = measures
        .iter()
        .flat_map(|&m| combinations.iter().map(move |&c| (m, c)))
        .collect();
    parts.iter().all(|p| present.contains(p)).then_some(parts)
}

/// A bound value being added up from its parts.
struct Sum {
    total: f64,
    parts: usize,
    missing: Option<Reason>,
    flag: Option<Flag>,
    source: Source,
}

/// Add the bound measures and their cells (one pass over the loaded cells for all of them).
fn add_measures(dataset: &mut Dataset, adds: Vec<(Measure, Vec<(usize, usize)>)>) {
    // Asked for every cell of the data: a fast hash.
    let mut feeds: FxHashMap<(usize, usize), Vec<usize>> = FxHashMap::default();
    for (i, (_, parts)) in adds.iter().enumerate() {
        for &part in parts {
            feeds.entry(part).or_default().push(i);
        }
    }
    let mut sums: Vec<BTreeMap<(usize, i32), Sum>> = adds.iter().map(|_| BTreeMap::new()).collect();
    for (key, observation) in &dataset.cells {
        let Some(targets) = feeds.get(&(key.measure, key.combination)) else {
            continue;
        };
        for &i in targets {
            let sum = sums[i].entry((key.municipality, key.year)).or_insert(Sum {
                total: 0.0,
                parts: 0,
                missing: None,
                flag: None,
                source: observation.source,
            });
            sum.parts += 1;
            match &observation.value {
                Value::Number(x) => sum.total += x,
                // The first missing part says why, and a finding points at its cell.
                Value::Missing(reason) if sum.missing.is_none() => {
                    sum.missing = Some(reason.clone());
                    sum.source = observation.source;
                }
                Value::Missing(_) => {}
            }
            sum.flag = sum.flag.or(observation.flag);
        }
    }
    // Collected and joined in one pass: inserting one by one would move the cells behind each.
    let mut added = CellsBuilder::default();
    for ((measure, parts), sums) in adds.into_iter().zip(sums) {
        let index = dataset.measures.len();
        dataset.measures.push(measure);
        for ((municipality, year), sum) in sums {
            let value = match sum.missing {
                Some(reason) => Value::Missing(reason),
                None if sum.parts < parts.len() => Value::Missing(Reason::NoRecord),
                None => Value::Number(sum.total),
            };
            let key = CellKey {
                municipality,
                year,
                combination: 0,
                measure: index,
            };
            let observation = Observation {
                value,
                flag: sum.flag,
                source: sum.source,
            };
            added.push(key, &observation);
        }
    }
    dataset.cells.merge_from(added.finish(), |_, _, _| true);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::kpi::KpiTable;
    use crate::dataset::MeasureKind;
    use crate::output::session::Session;
    use crate::read::merge::{merge, MergeChoices};

    /// A cell of a test table: municipality, year, dimension values, measure key, value.
    type Cell<'a> = (&'a str, i32, &'a [&'a str], &'a str, Option<f64>);

    /// One upload's dataset: measures of `statistic`, dimensions named `dimensions`, the first
    /// combination of the cells the default view (as the reader puts the total first).
    fn table(statistic: Option<&str>, dimensions: &[&str], cells: &[Cell]) -> Dataset {
        let mut d = Dataset {
            files: vec![format!("{}.csv", statistic.unwrap_or("ring"))],
            dimensions: dimensions.iter().map(|d| d.to_string()).collect(),
            ..Dataset::default()
        };
        for (line, &(name, year, combination, key, value)) in cells.iter().enumerate() {
            let municipality = crate::testing::municipality(&mut d, name);
            let measure = d.measure_index(key).unwrap_or_else(|| {
                d.measures.push(Measure {
                    key: key.into(),
                    label: key.into(),
                    unit: Some("Anzahl".into()),
                    kind: MeasureKind::Amount,
                    statistic: statistic.map(str::to_string),
                });
                d.measures.len() - 1
            });
            let combination: Vec<String> = combination.iter().map(|v| v.to_string()).collect();
            let c = d
                .combinations
                .iter()
                .position(|c| *c == combination)
                .unwrap_or_else(|| {
                    d.combinations.push(combination);
                    d.combinations.len() - 1
                });
            let key = CellKey {
                municipality,
                year,
                combination: c,
                measure,
            };
            let value = value.map_or(Value::Missing(Reason::Unknown), Value::Number);
            let source = Source {
                file: 0,
                line: line + 2,
                column: 4,
            };
            d.cells.insert(
                key,
                Observation {
                    value,
                    flag: None,
                    source,
                },
            );
        }
        if d.combinations.is_empty() {
            d.combinations.push(Vec::new());
        }
        d
    }

    fn merged(tables: &[Dataset]) -> Dataset {
        match merge(tables.to_vec(), &MergeChoices::new()) {
            Ok(m) => m.dataset,
            Err(e) => panic!("{e}"),
        }
    }

    const CATALOGUE: &str = r#"
[catalogue]
name = "Test"

[[kpi]]
id = "dichte"
label = "Dichte"
formula = "empfaenger / einwohner * 1000"
unit = "je 1.000 EW"
better = "lower"
level = "output"
decimals = 2

[[kpi]]
id = "alte"
label = "Anteil 65+"
formula = "einwohner_65 / einwohner * 100"
unit = "%"
better = "neutral"
level = "input"
decimals = 1

[[measure]]
key = "einwohner"
label = "Einwohner"
unit = "Anzahl"

[[measure.source]]
statistic = "12411"
table = "12411-01-01-4"
measure = "insgesamt"

[[measure.source]]
statistic = "12411"
measure = "bevoelkerungsstand"
dims = { Geschlecht = "Insgesamt" }

[[measure]]
key = "einwohner_65"
label = "Einwohner ab 65"

[[measure.source]]
statistic = "12411"
table = "12411-02-03-4"
measure = "insgesamt"
dims = { dim1 = ["65 bis unter 75 Jahre", "75 Jahre und mehr"] }

[[measure]]
key = "empfaenger"
label = "Empfänger"

[[measure.source]]
statistic = "22151"
sum = ["ausserhalb", "in_einrichtungen"]
dims = { dim1 = "Insgesamt" }
"#;

    fn catalogue() -> Catalogue {
        match Catalogue::from_toml(CATALOGUE) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        }
    }

    /// The value of a KPI for municipality 0 in 2014, as number or reason text.
    fn kpi(dataset: &Dataset, catalogue: &Catalogue, id: &str) -> String {
        let table = KpiTable::compute(catalogue, dataset);
        match table.value(0, 2014, id) {
            Some(Value::Number(x)) => format!("{x}"),
            Some(Value::Missing(r)) => r.to_string(),
            None => "keine Zeile".into(),
        }
    }

    fn states(bound: &[MeasureBinding]) -> Vec<(&str, &str)> {
        bound
            .iter()
            .map(|b| {
                let state = match &b.state {
                    BindingState::Own => "own",
                    BindingState::Bound { chosen: false, .. } => "source",
                    BindingState::Bound { chosen: true, .. } => "chosen",
                    BindingState::Unbound => "unbound",
                };
                (b.key.as_str(), state)
            })
            .collect()
    }

    fn population_classic() -> Dataset {
        table(
            Some("12411"),
            &[],
            &[
                ("A", 2014, &[], "insgesamt", Some(2000.0)),
                ("A", 2014, &[], "maennlich", Some(990.0)),
            ],
        )
    }

    fn recipients() -> Dataset {
        let cells: &[Cell] = &[
            ("A", 2014, &["Insgesamt"], "ausserhalb", Some(30.0)),
            ("A", 2014, &["Insgesamt"], "in_einrichtungen", Some(10.0)),
            ("A", 2014, &["weiblich"], "ausserhalb", Some(17.0)),
            ("A", 2014, &["weiblich"], "in_einrichtungen", Some(6.0)),
        ];
        table(Some("22151"), &["dim1"], cells)
    }

    #[test]
    fn sources_parse_and_round_trip() {
        let c = catalogue();
        let einwohner = c.measure("einwohner").map(|m| m.sources.len());
        assert_eq!(einwohner, Some(2));
        let sum = c.measure("empfaenger").map(|m| m.sources[0].keys());
        assert_eq!(sum, Some(vec!["ausserhalb", "in_einrichtungen"]));
        assert_eq!(
            c.measure("einwohner").map(|m| m.tables()),
            Some(vec![("12411-01-01-4", "12411")])
        );
        let again = Catalogue::from_toml(&c.to_toml()).map_err(|e| e.to_string());
        assert_eq!(again.as_ref(), Ok(&c));
    }

    #[test]
    fn bad_sources_are_refused_naming_the_field() {
        let source = "[[kpi]]\nid = \"a\"\nlabel = \"A\"\nformula = \"x\"\nunit = \"%\"\nbetter = \"lower\"\nlevel = \"output\"\ndecimals = 1\n[[measure]]\nkey = \"x\"\nlabel = \"X\"\n[[measure.source]]\n";
        let cases = [
            (
                "statistic = \"1\"\nmeasure = \"m\"\nfarbe = 1\n",
                "Unbekanntes Feld „farbe“ (erlaubt: statistic, table, measure, sum, dims)",
            ),
            (
                "statistic = \"1\"\nmeasure = \"m\"\nsum = [\"a\", \"b\"]\n",
                "Merkmal „x“, Quelle 1: genau eines von „measure“ oder „sum“",
            ),
            ("statistic = \"1\"\n", "Merkmal „x“, Quelle 1: genau eines"),
            (
                "measure = \"m\"\ndims = { dim1 = [] }\n",
                "mindestens einen Wert",
            ),
        ];
        for (body, want) in cases {
            let text = format!("[catalogue]\nname = \"T\"\n{source}{body}");
            let got = Catalogue::from_toml(&text)
                .map(|_| ())
                .map_err(|e| e.to_string());
            assert!(
                got.as_ref().is_err_and(|e| e.contains(want)),
                "{body}: {got:?}"
            );
        }
        let unknown =
            "[catalogue]\nname = \"T\"\n[[measure]]\nkey = \"x\"\nlabel = \"X\"\neinheit = \"%\"\n";
        let got = Catalogue::from_toml(unknown)
            .map(|_| ())
            .map_err(|e| e.to_string());
        assert!(got.is_err_and(
            |e| e.contains("Unbekanntes Feld „einheit“ (erlaubt: key, label, unit, source)")
        ));
    }

    #[test]
    fn official_tables_fill_the_catalogue_and_sums_add() {
        let c = catalogue();
        let mut d = merged(&[population_classic(), recipients()]);
        let bound = bind(&c, &mut d, &Bindings::new());
        assert_eq!(
            states(&bound),
            [
                ("empfaenger", "source"),
                ("einwohner", "source"),
                ("einwohner_65", "unbound")
            ]
        );
        assert_eq!(kpi(&d, &c, "dichte"), "20");
        assert_eq!(kpi(&d, &c, "alte"), "Merkmal fehlt: einwohner_65");
        // The bound measure carries the catalogue's label and unit.
        let m = d.measure_index("einwohner").map(|i| d.measures[i].clone());
        assert_eq!(
            m.map(|m| (m.label, m.unit)),
            Some(("Einwohner".into(), Some("Anzahl".into())))
        );
        // Unbinding restores the loaded measures exactly.
        let loaded = merged(&[population_classic(), recipients()]);
        unbind(&mut d, loaded.measures.len());
        assert_eq!(d, loaded);
    }

    #[test]
    fn dimensions_by_name_and_by_position() {
        let c = catalogue();
        let flat = table(
            Some("12411"),
            &["Geschlecht"],
            &[
                (
                    "A",
                    2014,
                    &["Insgesamt"],
                    "bevoelkerungsstand",
                    Some(4000.0),
                ),
                ("A", 2014, &["weiblich"], "bevoelkerungsstand", Some(2100.0)),
            ],
        );
        let ages = table(
            Some("12411"),
            &["dim1"],
            &[
                ("A", 2014, &["Insgesamt"], "insgesamt", Some(4000.0)),
                ("A", 2014, &["unter 65 Jahre"], "insgesamt", Some(3000.0)),
                (
                    "A",
                    2014,
                    &["65 bis unter 75 Jahre"],
                    "insgesamt",
                    Some(600.0),
                ),
                ("A", 2014, &["75 Jahre und mehr"], "insgesamt", Some(400.0)),
            ],
        );
        let cases: [(Vec<Dataset>, &str, &str); 3] = [
            (vec![flat.clone(), recipients()], "dichte", "10"),
            (vec![ages.clone()], "alte", "25"),
            (vec![flat, ages, recipients()], "alte", "25"),
        ];
        for (tables, id, want) in cases {
            let mut d = merged(&tables);
            bind(&c, &mut d, &Bindings::new());
            assert_eq!(kpi(&d, &c, id), want, "{id} from {} tables", tables.len());
        }
    }

    #[test]
    fn a_key_the_data_carry_stays_its_own() {
        let c = catalogue();
        let ring = table(
            None,
            &[],
            &[
                ("A", 2014, &[], "einwohner", Some(500.0)),
                ("A", 2014, &[], "empfaenger", Some(5.0)),
            ],
        );
        let mut d = merged(&[ring.clone(), population_classic()]);
        let choice = Binding::of(None, vec!["insgesamt".into()]);
        let choices = Bindings::from([("einwohner".to_string(), choice)]);
        let bound = bind(&c, &mut d, &choices);
        assert_eq!(
            states(&bound)[..2],
            [("empfaenger", "own"), ("einwohner", "own")]
        );
        assert_eq!(kpi(&d, &c, "dichte"), "10");
    }

    #[test]
    fn the_users_choice_binds_and_a_choice_that_does_not_fit_is_named() {
        let c = catalogue();
        let mut d = merged(&[population_classic(), recipients()]);
        let women = Binding::of(Some("22151".into()), vec!["ausserhalb".into()]);
        let women = women
            .toggle_value(&d, 0, "weiblich")
            .toggle_value(&d, 0, "Insgesamt");
        assert_eq!(women.chosen_values(&d, 0), ["weiblich"]);
        let both = women.toggle_measure("in_einrichtungen");
        assert_eq!(both.keys(), ["ausserhalb", "in_einrichtungen"]);
        let cases = [
            (women.clone(), "chosen", "8.5", false),
            (both.clone(), "chosen", "11.5", false),
            // A value the data lack, a measure of another statistic: the catalogue's source.
            (women.toggle_value(&d, 0, "divers"), "source", "20", true),
            (
                Binding {
                    statistic: Some("12411".into()),
                    ..women
                },
                "source",
                "20",
                true,
            ),
        ];
        let loaded = d.measures.len();
        for (choice, state, want, rejected) in cases {
            unbind(&mut d, loaded);
            let choices = Bindings::from([("empfaenger".to_string(), choice.clone())]);
            let bound = bind(&c, &mut d, &choices);
            assert_eq!(states(&bound)[0], ("empfaenger", state), "{choice}");
            assert_eq!(bound[0].rejected.is_some(), rejected, "{choice}");
            assert_eq!(kpi(&d, &c, "dichte"), want, "{choice}");
        }
    }

    #[test]
    fn missing_parts_make_the_sum_missing_with_their_reason() {
        let c = catalogue();
        let mut r = recipients();
        let secret = CellKey {
            municipality: 0,
            year: 2014,
            combination: 0,
            measure: 1,
        };
        if let Some(mut o) = r.cells.get(&secret) {
            o.value = Value::Missing(Reason::Unknown);
            r.cells.insert(secret, o);
        }
        let mut d = merged(&[population_classic(), r]);
        bind(&c, &mut d, &Bindings::new());
        assert_eq!(kpi(&d, &c, "dichte"), "empfaenger: unbekannt/geheim");
        // The bound value points at the missing part's cell.
        let part = d
            .measure_index("in_einrichtungen")
            .and_then(|m| d.get(0, 2014, m));
        let at = part.map(|o| o.source);
        let bound = d
            .measure_index("empfaenger")
            .and_then(|m| d.get(0, 2014, m));
        assert_eq!(bound.map(|o| o.source), at);
        // The check names that cell's finding once, under the loaded measure.
        let table = KpiTable::compute(&c, &d);
        let findings = crate::analysis::finding::check(&c, &d, &table, c.checks());
        let missing: Vec<(&str, Option<Source>)> = findings
            .iter()
            .filter(|f| f.code == crate::analysis::finding::Code::Missing)
            .map(|f| (f.subject.as_str(), f.source))
            .collect();
        assert_eq!(missing, [("in_einrichtungen", at)]);
    }

    #[test]
    fn bindings_travel_in_the_session_and_into_the_catalogue() {
        let c = catalogue();
        let mut d = merged(&[population_classic(), recipients()]);
        let choice = Binding::of(None, vec!["ausserhalb".into()]);
        let choices = Bindings::from([("empfaenger".to_string(), choice.clone())]);
        let bound = bind(&c, &mut d, &choices);
        let mut session = Session::new(&c.to_toml());
        session.bindings = choices.clone();
        let back = Session::from_json(&session.to_json()).map(|s| s.bindings);
        assert_eq!(back.map_err(|e| e.to_string()), Ok(choices));
        // Written into the catalogue, the choice (with its statistic) becomes the first source.
        let written = c.with_bindings(&in_force(&bound, &d)).to_toml();
        let again = Catalogue::from_toml(&written).map_err(|e| e.to_string());
        let first = again
            .as_ref()
            .ok()
            .and_then(|a| a.measure("empfaenger"))
            .map(|m| m.sources[0].clone());
        let want = Binding {
            statistic: Some("22151".into()),
            ..choice
        };
        assert_eq!(first, Some(want));
        assert!(written.contains("[[measure.source]]"), "{written}");
        let mut fresh = merged(&[population_classic(), recipients()]);
        if let Ok(a) = &again {
            bind(a, &mut fresh, &Bindings::new());
            assert_eq!(kpi(&fresh, a, "dichte"), "15");
        }
    }

    #[test]
    fn official_exports_give_the_expected_gsiae_density() {
        let files: [(&str, &[u8]); 2] = [
            (
                "12411-01-01-4_00.csv",
                include_bytes!("../../../../shared/data/genesis/12411-01-01-4_00.csv"),
            ),
            (
                "22151-01-01-4_00.csv",
                include_bytes!("../../../../shared/data/genesis/22151-01-01-4_00.csv"),
            ),
        ];
        let tables: Vec<Dataset> = files
            .iter()
            .map(
                |(name, bytes)| match crate::read::upload::load(name, bytes) {
                    Ok(u) => u.dataset,
                    Err(e) => panic!("{name}: {e}"),
                },
            )
            .collect();
        let mut d = merged(&tables);
        let c = Catalogue::builtin();
        bind(&c, &mut d, &Bindings::new());
        let table = KpiTable::compute(&c, &d);
        let expected = include_str!("../../../../shared/data/official/expected_official.csv");
        let mut checked = 0;
        for line in expected.lines().skip(1) {
            // municipality (maybe quoted, with commas), code, year, kpi, value: from the right.
            let mut fields = line.rsplitn(5, ',');
            let (Some(value), Some(kpi), Some(year), Some(code)) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                panic!("{line}");
            };
            let m = d
                .municipalities
                .iter()
                .position(|m| m.code.as_deref() == Some(code));
            let year: i32 = year.parse().unwrap_or_default();
            let want: f64 = value.parse().unwrap_or(f64::NAN);
            let got = m
                .and_then(|m| table.value(m, year, kpi))
                .and_then(Value::number);
            let close = got.is_some_and(|g| (g - want).abs() <= 1e-9 * want.abs().max(1.0));
            assert!(close, "{line}: {got:?}");
            checked += 1;
        }
        assert_eq!(checked, 3171);
    }
}
