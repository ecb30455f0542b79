//! `vergleichsring load` (CONTRACT §5): read and merge the data files as the app does and print
//! the dataset as long records; the load reports and merge conflicts go to stderr.

use serde_json::{Map, Value};
use vergleichsring_core::{load, merge, Dataset, MergeChoices};

use crate::args::Args;
use crate::output;
use crate::Failure;

const USAGE: &str = "Aufruf: vergleichsring load DATA.csv… [--format json|csv]";

/// Run the subcommand.
pub fn run(argv: &[String]) -> Result<(), Failure> {
    let args = Args::parse(argv, &["format"], USAGE)?;
    let format = args.format()?;
    let dataset = read_files(&args.files, USAGE)?;
    output::print(&records(&dataset, format), format)
}

/// Read the data files, report each on stderr, and merge them (the first file wins a
/// conflicting measure where both have a value). Shared by the subcommands that read data.
pub fn read_files(paths: &[String], usage: &str) -> Result<Dataset, Failure> {
    if paths.is_empty() {
        return Err(Failure::Input(format!(
            "Keine Datendatei angegeben.\n\n{usage}"
        )));
    }
    let mut datasets = Vec::with_capacity(paths.len());
    for path in paths {
        let bytes = std::fs::read(path)
            .map_err(|e| Failure::Input(format!("Datei {path}: lässt sich nicht öffnen ({e}).")))?;
        let upload = load(path, &bytes)?;
        eprintln!("{}", upload.report);
        datasets.push(upload.dataset);
    }
    let merged = merge(&datasets, &MergeChoices::new())?;
    for c in &merged.conflicts {
        let files: Vec<&str> = c.files.iter().map(|&f| paths[f].as_str()).collect();
        eprintln!(
            "Merkmal „{}“ kommt aus mehreren Dateien ({}); {} gleiche Zellen, {} davon verschieden; es gilt {}.",
            c.key,
            files.join(", "),
            c.overlapping,
            c.differing,
            paths[c.chosen]
        );
    }
    for n in &merged.name_matches {
        let to = &merged.dataset.municipalities[n.municipality].name;
        eprintln!(
            "„{}“ aus {} gilt als „{to}“ (gleicher Name vor dem Komma).",
            n.name, paths[n.file]
        );
    }
    Ok(merged.dataset)
}

/// One record per cell: municipality, code, year, measure, value, reason, then the dimensions.
fn records(dataset: &Dataset, format: output::Format) -> Vec<Map<String, Value>> {
    dataset
        .cells
        .iter()
        .map(|(key, observation)| {
            let municipality = &dataset.municipalities[key.municipality];
            let mut r = Map::new();
            r.insert("municipality".into(), municipality.name.clone().into());
            r.insert(
                "code".into(),
                municipality.code.clone().map_or(Value::Null, Value::String),
            );
            r.insert("year".into(), key.year.into());
            r.insert(
                "measure".into(),
                dataset.measures[key.measure].key.clone().into(),
            );
            r.insert(
                "value".into(),
                observation.value.number().map_or(Value::Null, number),
            );
            let reason = observation
                .value
                .reason()
                .map_or(String::new(), ToString::to_string);
            r.insert("reason".into(), reason.into());
            let combination = dataset.combinations.get(key.combination);
            for (i, name) in dataset.dimensions.iter().enumerate() {
                let value = combination
                    .and_then(|c| c.get(i))
                    .cloned()
                    .unwrap_or_default();
                // A JSON record carries the dimensions that apply to it: none for a year with
                // one date only (no Stichtag to tell apart, CONTRACT §1), none for a flat
                // file's row that its variable does not break down, as the official parsers
                // read them. CSV keeps its columns and leaves the cell empty.
                if format == output::Format::Json && value.is_empty() {
                    continue;
                }
                r.insert(name.clone(), value.into());
            }
            r
        })
        .collect()
}

/// Whole numbers print without `.0`; others with full precision.
fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Value::from(x as i64)
    } else {
        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}
