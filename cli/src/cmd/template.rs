//! `vergleichsring template` (beyond CONTRACT §5): the collection template of a catalogue, as the
//! app makes it — an empty CSV and XLSX with one column per measure, ready to fill and load
//! back with no setting.

use std::path::Path;

use vergleichsring_core::collection_template;

use crate::args::Args;
use crate::Failure;

const USAGE: &str = "\
Aufruf: vergleichsring template [--catalogue C.toml] --out DIR

Schreibt die Erfassungsvorlage des Katalogs: DIR/erfassungsvorlage.csv (Kommune, Jahr und eine
Spalte je Merkmal, das die Kennzahlen und Regeln brauchen; für deutsches Excel) und
DIR/erfassungsvorlage.xlsx (dieselbe Tabelle und ein Blatt „Erläuterungen“ mit Bezeichnung,
Einheit und den Kennzahlen je Spalte). Ausgefüllt lädt die Vorlage ohne Einstellung.";

/// Run the subcommand.
pub fn run(argv: &[String]) -> Result<(), Failure> {
    let args = Args::parse(argv, &["catalogue", "out"], USAGE)?;
    if let Some(extra) = args.files.first() {
        return Err(Failure::Input(format!(
            "Unerwartetes Argument „{extra}“.\n\n{USAGE}"
        )));
    }
    let out = Path::new(args.required("out", USAGE)?);
    let catalogue = args.catalogue()?;
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
