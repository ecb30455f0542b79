//! Writing records as JSON (an array of objects) or CSV (a header, then rows), both from the
//! same `serde_json::Value` objects so every subcommand prints its fields once.

use std::io::Write;

use serde_json::{Map, Value};

use crate::Failure;

/// The output format of a subcommand.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An array of objects.
    Json,
    /// A header line and one row per record; null as an empty field.
    Csv,
}

/// Print records (objects with the same fields in the same order) to stdout.
pub fn print(records: &[Map<String, Value>], format: Format) -> Result<(), Failure> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match format {
        Format::Json => serde_json::to_writer(&mut out, records)
            .map_err(|e| e.to_string())
            .and_then(|_| writeln!(out).map_err(|e| e.to_string())),
        Format::Csv => write_csv(&mut out, records),
    };
    written
        .and_then(|_| out.flush().map_err(|e| e.to_string()))
        .map_err(|e| Failure::Input(format!("Ausgabe fehlgeschlagen: {e}")))
}

fn write_csv(out: &mut impl Write, records: &[Map<String, Value>]) -> Result<(), String> {
    let mut w = csv::Writer::from_writer(out);
    let Some(first) = records.first() else {
        return Ok(());
    };
    w.write_record(first.keys()).map_err(|e| e.to_string())?;
    for r in records {
        w.write_record(r.values().map(cell))
            .map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
