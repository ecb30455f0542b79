//! `vergleichsring kpi` (CONTRACT §5): every KPI of a catalogue for every municipality and year
//! of the data, one record each: `municipality, year, kpi, value, reason`.

use serde_json::{Map, Value as Json};
use vergleichsring_core::{bind, BindingState, Bindings, Catalogue, Dataset, KpiTable, Value};

use crate::args::Args;
use crate::Failure;

const USAGE: &str = "\
Aufruf: vergleichsring kpi [--catalogue C.toml] DATA.csv… [--format json|csv]

Berechnet jede Kennzahl des Katalogs für jede Kommune und jedes Jahr der Daten.
Ohne --catalogue gilt der eingebaute SGB-XII-Katalog. Ausgabe je Kommune, Jahr und Kennzahl:
municipality, year, kpi, value (volle Genauigkeit, leer wenn fehlend), reason (warum fehlend).";

/// Run the subcommand.
pub fn run(argv: &[String]) -> Result<(), Failure> {
    let args = Args::parse(argv, &["catalogue", "format"], USAGE)?;
    let format = args.format()?;
    let (catalogue, dataset) = read_inputs(&args, USAGE)?;
    let table = KpiTable::compute(&catalogue, &dataset);
    let records: Vec<Map<String, Json>> = table
        .iter()
        .map(|v| {
            let mut r = Map::new();
            r.insert(
                "municipality".into(),
                dataset.municipalities[v.municipality].name.clone().into(),
            );
            r.insert("year".into(), v.year.into());
            r.insert("kpi".into(), table.kpis()[v.kpi].clone().into());
            let (value, reason) = match v.value {
                Value::Number(x) => (Json::from(*x), Json::from("")),
                Value::Missing(reason) => (Json::Null, reason.to_string().into()),
            };
            r.insert("value".into(), value);
            r.insert("reason".into(), reason);
            r
        })
        .collect();
    crate::output::print(&records, format)
}

/// The catalogue and the merged data files of a subcommand that computes KPIs (`kpi`,
/// `compare`, `check`). A given catalogue that names a key the data lack is refused.
pub fn read_inputs(args: &Args, usage: &str) -> Result<(Catalogue, Dataset), Failure> {
    read_inputs_reported(args, usage).map(|(catalogue, dataset, _)| (catalogue, dataset))
}

/// [`read_inputs`], also giving the load reports' text.
pub fn read_inputs_reported(
    args: &Args,
    usage: &str,
) -> Result<(Catalogue, Dataset, String), Failure> {
    let catalogue = args.catalogue()?;
    let (mut dataset, report) = crate::cmd::load::read_files_reported(&args.files, usage)?;
    // Official tables fill the catalogue's measures through its sources (CONTRACT §2).
    for b in bind(&catalogue, &mut dataset, &Bindings::new()) {
        if let BindingState::Bound { binding, .. } = &b.state {
            eprintln!("Merkmal „{}“ aus {binding}.", b.key);
        }
    }
    if args.get("catalogue").is_some() {
        // A given catalogue that names a key the data lack is most likely a typo: refuse it
        // rather than print a column of missing values. The built-in one takes what is there.
        let errors = catalogue.check_keys(&dataset);
        if !errors.is_empty() {
            let file = args.get("catalogue").unwrap_or_default();
            let lines: Vec<String> = errors
                .into_iter()
                .map(|e| e.in_file(file).to_string())
                .collect();
            return Err(Failure::Input(lines.join("\n")));
        }
    }
    Ok((catalogue, dataset, report))
}
