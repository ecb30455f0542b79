//! `vergleichsring package` (CONTRACT §5, §8): the submission package of one municipality, as
//! the app's Prüfung makes it. Errors of the own municipality block it, as in the app.

use vergleichsring_core::{
    check, package_file_name, timestamp, CheckSummary, Comments, KpiTable, Session, Severity,
    Submission,
};

use crate::options::{required, Inputs, Own, Year};
use crate::Failure;

/// Das Abgabepaket einer Kommune schreiben.
///
/// Schreibt das Abgabepaket (ZIP) der Kommune NAME für das Jahr Y: ihre Merkmale in jedem
/// geladenen Jahr (data.csv), die Befunde der Prüfung mit den Kommentaren der Sitzungsdatei
/// (findings.csv), den Katalog und den Ladebericht, jedes Teil mit seinem SHA-256 im Manifest.
/// Befunde der Schwere „error“ für die Kommune verhindern die Abgabe (Exit-Code 1).
#[derive(clap::Args)]
#[command(mut_arg("year", |a| a.help("Das Jahr der Abgabe (Pflicht)")))]
pub struct Args {
    #[command(flatten)]
    pub inputs: Inputs,
    #[command(flatten)]
    pub own: Own,
    #[command(flatten)]
    pub year: Year,
    /// Sitzungsdatei, deren Kommentare die Befunde tragen.
    #[arg(long, value_name = "S.json")]
    pub session: Option<String>,
    /// Das zu schreibende Paket (Pflicht).
    #[arg(long, value_name = "P.zip")]
    pub out: Option<String>,
}

/// Run the subcommand.
pub fn run(args: &Args) -> Result<(), Failure> {
    let own = args.own.name()?;
    let year = args.year.get()?;
    let out = required(&args.out, "out")?;
    let session = match &args.session {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Failure::Input(format!("Datei {path}: lässt sich nicht lesen ({e})."))
            })?;
            Some(Session::from_json(&text).map_err(|e| Failure::from(e.in_file(path)))?)
        }
        None => None,
    };
    let (catalogue, dataset, load_report) = crate::cmd::kpi::read_inputs_reported(&args.inputs)?;
    let municipality = dataset
        .municipality_index(own)
        .ok_or_else(|| Failure::Input(format!("--own: „{own}“ kommt in den Daten nicht vor.")))?;
    if !dataset
        .cells
        .keys()
        .any(|k| k.municipality == municipality && k.year == year)
    {
        return Err(Failure::Input(format!(
            "--year: für „{own}“ gibt es keine Daten im Jahr {year}."
        )));
    }
    let thresholds = session.as_ref().map_or_else(
        || catalogue.checks().clone(),
        |s| s.thresholds_for(&catalogue),
    );
    let comments = session.map(|s| s.comments).unwrap_or_else(Comments::new);
    let table = KpiTable::compute(&catalogue, &dataset);
    let findings = check(&catalogue, &dataset, &table, &thresholds);
    let own_findings: Vec<_> = findings
        .iter()
        .filter(|f| f.municipality == own)
        .cloned()
        .collect();
    let summary = CheckSummary::of(&own_findings, &comments);
    if summary.errors > 0 {
        for f in own_findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
        {
            eprintln!("Fehler {} {} {}: {}", f.code, f.year, f.subject, f.message);
        }
        eprintln!(
            "{} Fehler für „{own}“ sind offen: kein Abgabepaket geschrieben.",
            summary.errors
        );
        return Err(Failure::Findings);
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let bytes = Submission {
        catalogue: &catalogue,
        dataset: &dataset,
        municipality,
        year,
        findings: &own_findings,
        comments: &comments,
        load_report: &load_report,
        created: timestamp(now),
    }
    .write();
    std::fs::write(out, &bytes)
        .map_err(|e| Failure::Input(format!("Datei {out}: lässt sich nicht schreiben ({e}).")))?;
    let open = own_findings
        .iter()
        .filter(|f| f.severity == Severity::Warning && comments.get(&f.key()).is_none())
        .count();
    eprintln!(
        "Abgabepaket {out} geschrieben ({} Bytes; üblicher Name {}): {} Befunde, {open} Warnungen ohne Kommentar.",
        bytes.len(),
        package_file_name(own, year),
        own_findings.len()
    );
    Ok(())
}
