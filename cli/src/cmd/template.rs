//! `vergleichsring template` (beyond CONTRACT §5): the collection template of a catalogue, as the
//! app makes it — an empty CSV and XLSX with one column per measure, ready to fill and load
//! back with no setting.

use std::path::Path;

use vergleichsring_core::collection_template;

use crate::options::{catalogue, required};
use crate::Failure;

/// Die Erfassungsvorlage des Katalogs schreiben (CSV und XLSX).
///
/// Schreibt die Erfassungsvorlage des Katalogs: DIR/erfassungsvorlage.csv (Kommune, Jahr und eine
/// Spalte je Merkmal, das die Kennzahlen und Regeln brauchen; für deutsches Excel) und
/// DIR/erfassungsvorlage.xlsx (dieselbe Tabelle und ein Blatt „Erläuterungen“ mit Bezeichnung,
/// Einheit und den Kennzahlen je Spalte). Ausgefüllt lädt die Vorlage ohne Einstellung.
#[derive(clap::Args)]
pub struct Args {
    /// Kennzahlen-Katalog (TOML, UTF-8); ohne Angabe der eingebaute SGB-XII-Katalog.
    #[arg(long, value_name = "C.toml")]
    pub catalogue: Option<String>,
    /// Ordner für die Vorlage (Pflicht).
    #[arg(long, value_name = "DIR")]
    pub out: Option<String>,
}

/// Run the subcommand.
pub fn run(args: &Args) -> Result<(), Failure> {
    let out = Path::new(required(&args.out, "out")?);
    let catalogue = catalogue(args.catalogue.as_deref())?;
    let sheets = collection_template(&catalogue);
    let xlsx = vergleichsring_workbook::workbook(&sheets).map_err(Failure::Input)?;
    let files = [
        (
            "erfassungsvorlage.csv".to_string(),
            sheets[0].to_csv().into_bytes(),
        ),
        ("erfassungsvorlage.xlsx".to_string(), xlsx),
    ];
    for path in crate::output::write_files(out, files)? {
        eprintln!("{} geschrieben.", path.display());
    }
    Ok(())
}
