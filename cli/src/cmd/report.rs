//! `vergleichsring report` (CONTRACT §5): the Kurzbericht of every municipality (or of `--own`)
//! for year Y, one self-contained HTML file each (inline SVG charts, A4 print CSS, no external
//! reference), compared with the whole ring.

use std::path::Path;

use vergleichsring_core::{member_report, report_file_name, KpiTable, PeerGroup, ReportInput};

use crate::options::{required, Inputs, Year};
use crate::Failure;

/// Den Kurzbericht jeder Kommune als HTML schreiben.
///
/// Schreibt den Kurzbericht jeder Kommune (oder nur von NAME) für das Jahr Y als eigenständige
/// HTML-Datei DIR/<Kommune>.html: je Kernkennzahl Wert, Lage in der Vergleichsgruppe (alle Kommunen
/// des Rings) und Entwicklung in Worten, die Grafik als SVG mit Tabelle, Ereignisse; für A4
/// druckbar, ohne jeden Verweis nach außen.
#[derive(clap::Args)]
#[command(mut_arg("year", |a| a.help("Das Jahr des Berichts (Pflicht)")))]
pub struct Args {
    #[command(flatten)]
    pub inputs: Inputs,
    #[command(flatten)]
    pub year: Year,
    /// Ordner für die HTML-Dateien (Pflicht).
    #[arg(long, value_name = "DIR")]
    pub out: Option<String>,
    /// Nur der Bericht dieser Kommune.
    #[arg(long, value_name = "NAME")]
    pub own: Option<String>,
}

/// Run the subcommand.
pub fn run(args: &Args) -> Result<(), Failure> {
    let year = args.year.get()?;
    let out = Path::new(required(&args.out, "out")?);
    let (catalogue, dataset) = crate::cmd::kpi::read_inputs(&args.inputs)?;
    let members: Vec<usize> = match &args.own {
        Some(own) => vec![dataset.municipality_index(own).ok_or_else(|| {
            Failure::Input(format!("--own: „{own}“ kommt in den Daten nicht vor."))
        })?],
        None => (0..dataset.municipalities.len())
            .filter(|&m| !dataset.municipalities[m].aggregate)
            .collect(),
    };
    let table = KpiTable::compute(&catalogue, &dataset);
    if !table.years().contains(&year) {
        return Err(Failure::Input(format!(
            "--year: die Daten haben kein Jahr {year}."
        )));
    }
    let input = ReportInput {
        catalogue: &catalogue,
        dataset: &dataset,
        table: &table,
        year,
        group: &PeerGroup::All,
        comments: &Default::default(),
        // The files by name, as the app names its uploads: the same report from both.
        source: format!(
            "Eigene Erhebung: {}",
            dataset
                .files
                .iter()
                .map(|f| Path::new(f)
                    .file_name()
                    .map_or_else(|| f.clone(), |n| n.to_string_lossy().into_owned()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut files = Vec::with_capacity(members.len());
    for m in members {
        let html = member_report(&input, m)?;
        files.push((report_file_name(&dataset.municipalities[m].name), html));
    }
    for path in crate::output::write_files(out, files)? {
        eprintln!("{} geschrieben.", path.display());
    }
    Ok(())
}
