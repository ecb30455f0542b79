//! `vergleichsring collect` (CONTRACT §5, §8): the coordinator's side of the exchange. Every
//! package is checked; the accepted ones become one long table of the ring, their findings one
//! list with the comments, and `collect.txt` says for each package what became of it.

use std::fmt::Write as _;
use std::path::Path;

use vergleichsring_core::{open_package, ring_csv, ring_findings_csv, superseded, Package};

use crate::options::{catalogue, required};
use crate::Failure;

/// Abgabepakete prüfen und zu einer Ring-Tabelle vereinen.
///
/// Prüft die Abgabepakete der Mitglieder gegen den Katalog und schreibt DIR/ring.csv (die Daten
/// aller angenommenen Pakete, eine lange Tabelle), DIR/findings.csv (ihre Befunde mit Kommentaren)
/// und DIR/collect.txt (je Paket: angenommen, ersetzt oder abgelehnt und warum). Von zwei Paketen
/// derselben Kommune und desselben Jahres gilt das später erstellte.
/// Exit-Code 0, wenn jedes Paket angenommen wurde, 1, wenn eines abgelehnt wurde.
#[derive(clap::Args)]
pub struct Args {
    /// Kennzahlen-Katalog (TOML, UTF-8), gegen den die Pakete geprüft werden.
    #[arg(long, value_name = "C.toml")]
    pub catalogue: Option<String>,
    /// Abgabepakete der Mitglieder.
    #[arg(value_name = "P.zip")]
    pub files: Vec<String>,
    /// Ordner für ring.csv, findings.csv und collect.txt (Pflicht).
    #[arg(long, value_name = "DIR")]
    pub out: Option<String>,
}

/// Run the subcommand.
pub fn run(args: &Args) -> Result<(), Failure> {
    let out = Path::new(required(&args.out, "out")?);
    if args.files.is_empty() {
        return Err(Failure::Input("Kein Paket angegeben.".to_string()));
    }
    let catalogue = catalogue(args.catalogue.as_deref())?;
    let mut opened: Vec<(String, Result<Package, String>)> = Vec::new();
    for path in &args.files {
        let bytes = std::fs::read(path)
            .map_err(|e| Failure::Input(format!("Datei {path}: lässt sich nicht öffnen ({e}).")))?;
        let name = Path::new(path)
            .file_name()
            .map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned());
        opened.push((
            name,
            open_package(&bytes, &catalogue).map_err(|r| r.to_string()),
        ));
    }
    let accepted: Vec<(usize, &Package)> = opened
        .iter()
        .enumerate()
        .filter_map(|(i, (_, p))| p.as_ref().ok().map(|p| (i, p)))
        .collect();
    let manifests: Vec<_> = accepted.iter().map(|(_, p)| &p.manifest).collect();
    let replaced = superseded(&manifests);
    let standing: Vec<&Package> = accepted
        .iter()
        .zip(&replaced)
        .filter(|(_, r)| r.is_none())
        .map(|((_, p), _)| *p)
        .collect();
    let mut report = String::new();
    let mut refused = 0;
    for (i, (name, result)) in opened.iter().enumerate() {
        // Writing into a String cannot fail.
        let _ = match result {
            Err(reason) => {
                refused += 1;
                writeln!(report, "{name}: abgelehnt – {reason}")
            }
            Ok(p) => {
                let m = &p.manifest;
                let slot = accepted.iter().position(|(j, _)| *j == i);
                match slot.and_then(|s| replaced[s]) {
                    Some(winner) => writeln!(
                        report,
                        "{name}: ersetzt durch {} (später erstellt) – {} {}, erstellt {}",
                        opened[accepted[winner].0].0, m.municipality, m.year, m.created
                    ),
                    None => writeln!(
                        report,
                        "{name}: angenommen – {} {}, erstellt {}, {} offene Warnungen, {} Kommentare",
                        m.municipality,
                        m.year,
                        m.created,
                        p.open_warnings(),
                        p.comments()
                    ),
                }
            }
        };
    }
    crate::output::write_files(
        out,
        [
            ("ring.csv".to_string(), ring_csv(&standing)),
            ("findings.csv".to_string(), ring_findings_csv(&standing)),
            ("collect.txt".to_string(), report.clone()),
        ],
    )?;
    eprint!("{report}");
    if refused > 0 {
        eprintln!("{refused} von {} Paketen abgelehnt.", opened.len());
        Err(Failure::Findings)
    } else {
        Ok(())
    }
}
