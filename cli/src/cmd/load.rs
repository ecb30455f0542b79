//! `vergleichsring load` (CONTRACT §5): read and merge the data files as the app does and print
//! the dataset as long records; the load reports and merge conflicts go to stderr.

use std::fmt::Write as _;

use vergleichsring_core::{merge, read_table, Dataset, MergeChoices, ReadOptions, Upload};

use crate::output::{Field, Format, Records};
use crate::Failure;

/// Datendateien laden und als lange Sätze ausgeben.
///
/// Liest und vereint die Datendateien wie die App und gibt den Datenbestand als lange Sätze aus:
/// municipality, code, year, measure, value, reason und ein Feld je Dimensionsspalte. Die
/// Ladeberichte und Konflikte beim Zusammenführen gehen nach stderr.
#[derive(clap::Args)]
pub struct Args {
    /// Datendateien (Ring-CSV, GENESIS-Tabelle, Flatfile), zusammengeführt wie in der App.
    #[arg(value_name = "DATA.csv")]
    pub files: Vec<String>,
    /// Ausgabeformat.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
}

/// Run the subcommand.
pub fn run(args: &Args) -> Result<(), Failure> {
    let dataset = read_files(&args.files)?;
    print(&dataset, args.format)
}

/// Read the data files, report each on stderr, and merge them (the first file wins a
/// conflicting measure where both have a value). Shared by the subcommands that read data.
pub fn read_files(paths: &[String]) -> Result<Dataset, Failure> {
    read_files_reported(paths).map(|(dataset, _)| dataset)
}

/// [`read_files`], also giving the load reports' text (for a submission package).
pub fn read_files_reported(paths: &[String]) -> Result<(Dataset, String), Failure> {
    if paths.is_empty() {
        return Err(Failure::Input("Keine Datendatei angegeben.".to_string()));
    }
    let mut datasets = Vec::with_capacity(paths.len());
    let mut reports = Vec::with_capacity(paths.len());
    for path in paths {
        // The bytes go before the dataset is built, which takes the most memory.
        let table = {
            let bytes = std::fs::read(path).map_err(|e| {
                Failure::Input(format!("Datei {path}: lässt sich nicht öffnen ({e})."))
            })?;
            read_table(path, &bytes, &ReadOptions::default())?
        };
        let upload = Upload::from_table(table)?;
        eprintln!("{}", upload.report);
        reports.push(upload.report.to_string());
        datasets.push(upload.dataset);
    }
    let merged = merge(datasets, &MergeChoices::new())?;
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
    Ok((merged.dataset, reports.join("\n")))
}

/// One record per cell: municipality, code, year, measure, value, reason, then the dimensions;
/// written as they are read from the dataset, never all held at once.
fn print(dataset: &Dataset, format: Format) -> Result<(), Failure> {
    let mut names: Vec<String> = ["municipality", "code", "year", "measure", "value", "reason"]
        .map(String::from)
        .to_vec();
    names.extend(dataset.dimensions.iter().cloned());
    let mut out = Records::new(format, names);
    let mut reason = String::new();
    for (key, observation) in &dataset.cells {
        let municipality = &dataset.municipalities[key.municipality];
        reason.clear();
        if let Some(r) = observation.value.reason() {
            // Writing into a String cannot fail.
            let _ = write!(reason, "{r}");
        }
        let mut fields = Vec::with_capacity(6 + dataset.dimensions.len());
        fields.extend([
            Field::Text(&municipality.name),
            municipality
                .code
                .as_deref()
                .map_or(Field::Null, Field::Text),
            Field::Int(key.year.into()),
            Field::Text(&dataset.measures[key.measure].key),
            observation
                .value
                .number()
                .map_or(Field::Null, Field::Number),
            Field::Text(&reason),
        ]);
        // A JSON record carries the dimensions that apply to it: none for a year with one date
        // only (no Stichtag to tell apart, CONTRACT §1), none for a flat file's row that its
        // variable does not break down, as the official parsers read them. CSV keeps its
        // columns and leaves the cell empty.
        let combination = dataset.combinations.get(key.combination);
        fields.extend((0..dataset.dimensions.len()).map(|i| {
            match combination
                .and_then(|c| c.get(i))
                .map_or("", String::as_str)
            {
                "" => Field::Absent,
                value => Field::Text(value),
            }
        }));
        out.write(&fields)?;
    }
    out.finish()
}
