//! `vergleichsring check` (CONTRACT §5): the plausibility findings of CONTRACT §4, one record
//! each; exit 1 when a finding of severity error exists. A summary goes to stderr.

use serde_json::{Map, Value as Json};
use vergleichsring_core::{
    check, finding_record, CheckSummary, Comments, Dataset, Finding, KpiTable,
};

use crate::options::RecordInputs;
use crate::Failure;

/// Die Daten vor der Einreichung prüfen (Exit-Code 1 bei einem Fehler).
///
/// Prüft die Daten vor der Einreichung: fehlende und nicht numerische Zellen, negative Anzahlen und
/// Beträge, doppelte Zeilen, die Regeln des Katalogs, Sprünge zum Vorjahr und Ausreißer. Die
/// Schwellen kommen aus [checks] des Katalogs und lassen sich hier überschreiben. Ausgabe je Befund:
/// code, severity, municipality, year, subject, value, values, message, file, line, notable
/// (jenseits zufälliger Schwankung: true/false, leer wo der Test nicht gilt).
/// Exit-Code 1, wenn ein Befund der Schwere „error“ vorliegt, sonst 0.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub records: RecordInputs,
    /// Schwelle für Sprünge zum Vorjahr in Prozent (statt [checks] des Katalogs).
    #[arg(long, value_name = "P")]
    pub yoy_threshold_percent: Option<String>,
    /// Schwelle für Ausreißer als robuster z-Wert (statt [checks] des Katalogs).
    #[arg(long, value_name = "Z")]
    pub outlier_robust_z: Option<String>,
}

/// Run the subcommand.
pub fn run(args: &Args) -> Result<(), Failure> {
    let format = args.records.format;
    let (catalogue, dataset) = crate::cmd::kpi::read_inputs(&args.records.inputs)?;
    let mut thresholds = catalogue.checks().clone();
    if let Some(p) = threshold(&args.yoy_threshold_percent, "yoy-threshold-percent")? {
        thresholds.yoy_threshold_percent = p;
    }
    if let Some(z) = threshold(&args.outlier_robust_z, "outlier-robust-z")? {
        thresholds.outlier_robust_z = z;
    }
    let table = KpiTable::compute(&catalogue, &dataset);
    let findings = check(&catalogue, &dataset, &table, &thresholds);
    let records: Vec<Map<String, Json>> = findings.iter().map(|f| record(f, &dataset)).collect();
    crate::output::print(&records, format)?;
    let summary = CheckSummary::of(&findings, &Comments::new());
    eprintln!(
        "{} Befunde: {} Fehler, {} Warnungen – {}.",
        findings.len(),
        summary.errors,
        summary.warnings,
        if summary.ready_to_submit() {
            "einreichbar"
        } else {
            "nicht einreichbar"
        }
    );
    if summary.ready_to_submit() {
        Ok(())
    } else {
        Err(Failure::Findings)
    }
}

/// A threshold option: a non-negative number (`.` or `,` as decimal sign).
fn threshold(value: &Option<String>, name: &str) -> Result<Option<f64>, Failure> {
    let Some(text) = value else {
        return Ok(None);
    };
    match text.replace(',', ".").parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(Some(x)),
        _ => Err(Failure::Input(format!(
            "--{name}: „{text}“ ist keine Zahl ≥ 0."
        ))),
    }
}

/// One record: the fields of CONTRACT §4 (see [`finding_record`]).
fn record(f: &Finding, dataset: &Dataset) -> Map<String, Json> {
    finding_record(f, &dataset.files)
        .into_iter()
        .map(|(name, value)| (name.to_string(), value))
        .collect()
}
