//! `vergleichsring kpi` (CONTRACT §5): every KPI of a catalogue for every municipality and year
//! of the data, one record each: `municipality, year, kpi, value, reason`.

use serde_json::Value as Json;
use vergleichsring_core::{
    bind, district_dimension, BindingState, Bindings, Catalogue, Dataset, Districts, KpiTable,
    Value,
};

use crate::options::{Inputs, RecordInputs};
use crate::output::{Field, Format, Records};
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
        return district_records(&catalogue, &dataset, format);
    }
    let table = KpiTable::compute(&catalogue, &dataset);
    let mut out = Records::new(format, names(&["municipality"]));
    write_records(&mut out, &table, |unit| {
        vec![Field::Text(&dataset.municipalities[unit].name)]
    })?;
    out.finish()
}

/// The fields of a KPI record after those of its unit.
fn names(unit: &[&str]) -> Vec<String> {
    let fields = ["year", "kpi", "value", "reason"];
    unit.iter().chain(&fields).map(|n| n.to_string()).collect()
}

/// Writes the KPI records of a table one by one (a country's municipalities make millions),
/// each starting with the fields `unit` gives for its unit.
fn write_records<'t>(
    out: &mut Records,
    table: &'t KpiTable,
    unit: impl Fn(usize) -> Vec<Field<'t>>,
) -> Result<(), Failure> {
    for v in table.iter() {
        let (value, reason) = match v.value {
            Value::Number(x) => (Json::from(*x), String::new()),
            Value::Missing(reason) => (Json::Null, reason.to_string()),
        };
        let mut fields = unit(v.municipality);
        fields.extend([
            Field::Int(i64::from(v.year)),
            Field::Text(&table.kpis()[v.kpi]),
            Field::Json(&value),
            Field::Text(&reason),
        ]);
        out.write(&fields)?;
    }
    Ok(())
}

/// A district file (CONTRACT §1 district level): the records of every district, the district
/// in a field named by the file's header as `load` prints it, then the city's as reference,
/// its district field `Insgesamt` as a total row of such a file reads.
fn district_records(
    catalogue: &Catalogue,
    dataset: &Dataset,
    format: Format,
) -> Result<(), Failure> {
    let mut out: Option<Records> = None;
    for districts in (0..dataset.municipalities.len()).filter_map(|m| Districts::of(dataset, m)) {
        let out = out.get_or_insert_with(|| {
            Records::new(format, names(&["municipality", &districts.dimension]))
        });
        let table = KpiTable::compute(catalogue, &districts.dataset);
        write_records(out, &table, |unit| {
            let name = if unit == districts.city_unit() {
                "Insgesamt"
            } else {
                districts.dataset.municipalities[unit].name.as_str()
            };
            vec![Field::Text(&districts.city), Field::Text(name)]
        })?;
    }
    out.unwrap_or_else(|| Records::new(format, Vec::new()))
        .finish()
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
