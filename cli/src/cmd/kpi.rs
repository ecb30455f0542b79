//! `vergleichsring kpi` (CONTRACT §5): every KPI of a catalogue for every municipality and year
//! of the data, one record each: `municipality, year, kpi, value, reason`.

use serde_json::{Map, Value as Json};
use vergleichsring_core::{
    bind, district_dimension, BindingState, Bindings, Catalogue, Dataset, Districts, KpiTable,
    Value,
};

use crate::options::{Inputs, RecordInputs};
use crate::Failure;

/// Jede Kennzahl je Kommune und Jahr berechnen.
///
/// Berechnet jede Kennzahl des Katalogs für jede Kommune und jedes Jahr der Daten.
/// Ohne --catalogue gilt der eingebaute SGB-XII-Katalog. Ausgabe je Kommune, Jahr und Kennzahl:
/// municipality, year, kpi, value (volle Genauigkeit, leer wenn fehlend), reason (warum fehlend).
/// Eine Datei je Stadtteil (Spalte Stadtteil, Stadtbezirk, Sozialraum, …) gibt die Kennzahlen je
/// Stadtteil, den Stadtteil im Feld ihrer Spaltenüberschrift, und die der ganzen Stadt (dort
/// „Insgesamt“): aus einer Gesamt-Zeile der Datei, sonst als Summe der Stadtteile.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub records: RecordInputs,
}

/// Run the subcommand.
pub fn run(args: &Args) -> Result<(), Failure> {
    let format = args.records.format;
    let (catalogue, dataset) = read_inputs(&args.records.inputs)?;
    if district_dimension(&dataset).is_some() {
        return crate::output::print(&district_records(&catalogue, &dataset), format);
    }
    let table = KpiTable::compute(&catalogue, &dataset);
    let names: Vec<&str> = dataset
        .municipalities
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    let records = records(&table, |unit| {
        let mut r = Map::new();
        r.insert("municipality".into(), names[unit].into());
        r
    });
    crate::output::print(&records, format)
}

/// The KPI records of a table, each starting with the fields `unit` gives for its unit.
fn records(table: &KpiTable, unit: impl Fn(usize) -> Map<String, Json>) -> Vec<Map<String, Json>> {
    table
        .iter()
        .map(|v| {
            let mut r = unit(v.municipality);
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
        .collect()
}

/// A district file (CONTRACT §1 district level): the records of every district, the district
/// in a field named by the file's header as `load` prints it, then the city's as reference,
/// its district field `Insgesamt` as a total row of such a file reads.
fn district_records(catalogue: &Catalogue, dataset: &Dataset) -> Vec<Map<String, Json>> {
    (0..dataset.municipalities.len())
        .filter_map(|m| Districts::of(dataset, m))
        .flat_map(|districts| {
            let table = KpiTable::compute(catalogue, &districts.dataset);
            records(&table, |unit| {
                let mut r = Map::new();
                r.insert("municipality".into(), districts.city.clone().into());
                let name = if unit == districts.city_unit() {
                    "Insgesamt"
                } else {
                    districts.dataset.municipalities[unit].name.as_str()
                };
                r.insert(districts.dimension.clone(), name.into());
                r
            })
        })
        .collect()
}

/// The catalogue and the merged data files of a subcommand that computes KPIs (`kpi`,
/// `compare`, `check`). A given catalogue that names a key the data lack is refused.
pub fn read_inputs(inputs: &Inputs) -> Result<(Catalogue, Dataset), Failure> {
    read_inputs_reported(inputs).map(|(catalogue, dataset, _)| (catalogue, dataset))
}

/// [`read_inputs`], also giving the load reports' text.
pub fn read_inputs_reported(inputs: &Inputs) -> Result<(Catalogue, Dataset, String), Failure> {
    let catalogue = inputs.catalogue()?;
    let (mut dataset, report) = crate::cmd::load::read_files_reported(&inputs.files)?;
    // Official tables fill the catalogue's measures through its sources (CONTRACT §2).
    for b in bind(&catalogue, &mut dataset, &Bindings::new()) {
        if let BindingState::Bound { binding, .. } = &b.state {
            eprintln!("Merkmal „{}“ aus {binding}.", b.key);
        }
    }
    if let Some(file) = &inputs.catalogue {
        // A given catalogue that names a key the data lack is most likely a typo: refuse it
        // rather than print a column of missing values. The built-in one takes what is there.
        let errors = catalogue.check_keys(&dataset);
        if !errors.is_empty() {
            let lines: Vec<String> = errors
                .into_iter()
                .map(|e| e.in_file(file).to_string())
                .collect();
            return Err(Failure::Input(lines.join("\n")));
        }
    }
    Ok((catalogue, dataset, report))
}
