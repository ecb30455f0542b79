//! Writing records as JSON (an array of objects) or CSV (a header, then rows). Records are
//! written one at a time as they are made ([`Records`]), so a table of a million cells is never
//! held as a million objects; subcommands with few records hand over `serde_json` objects
//! ([`print`]), which go through the same writer.

use std::io::{BufWriter, StdoutLock, Write};

use serde_json::{Map, Value};

use crate::Failure;

/// The output format of a subcommand.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An array of objects.
    #[value(help = "ein Array von Objekten")]
    Json,
    /// A header line and one row per record; null as an empty field.
    #[value(help = "eine Kopfzeile und eine Zeile je Satz; fehlend als leeres Feld")]
    Csv,
}

/// One field of a record.
pub enum Field<'a> {
    /// No value: `null` in JSON, an empty CSV field.
    Null,
    /// No field: left out of the JSON object, an empty CSV field.
    Absent,
    /// Text.
    Text(&'a str),
    /// A whole number.
    Int(i64),
    /// A number: whole ones print without `.0`, others with full precision; not finite is null.
    Number(f64),
    /// Any JSON value, written as JSON prints it.
    Json(&'a Value),
}

enum Sink {
    Json(BufWriter<StdoutLock<'static>>),
    // Boxed: the CSV writer carries its own buffers, ten times the JSON side's size.
    Csv(Box<csv::Writer<BufWriter<StdoutLock<'static>>>>),
}

/// Records written to stdout one by one, all with the fields named at the start.
pub struct Records {
    sink: Sink,
    names: Vec<String>,
    written: usize,
    /// Room to format a number in, reused.
    scratch: Vec<u8>,
}

impl Records {
    /// A writer of records with these field names.
    pub fn new(format: Format, names: Vec<String>) -> Records {
        let out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let sink = match format {
            Format::Json => Sink::Json(out),
            Format::Csv => Sink::Csv(Box::new(csv::Writer::from_writer(out))),
        };
        Records {
            sink,
            names,
            written: 0,
            scratch: Vec::new(),
        }
    }

    /// Writes one record, its fields in the order of the names.
    pub fn write(&mut self, fields: &[Field<'_>]) -> Result<(), Failure> {
        self.write_record(fields).map_err(failed)
    }

    fn write_record(&mut self, fields: &[Field<'_>]) -> Result<(), String> {
        let first = self.written == 0;
        self.written += 1;
        match &mut self.sink {
            Sink::Json(out) => {
                out.write_all(if first { b"[{" } else { b",{" })
                    .map_err(|e| e.to_string())?;
                let present = self
                    .names
                    .iter()
                    .zip(fields)
                    .filter(|(_, f)| !matches!(f, Field::Absent));
                for (i, (name, field)) in present.enumerate() {
                    if i > 0 {
                        out.write_all(b",").map_err(|e| e.to_string())?;
                    }
                    serde_json::to_writer(&mut *out, name).map_err(|e| e.to_string())?;
                    out.write_all(b":").map_err(|e| e.to_string())?;
                    match field {
                        Field::Null => out.write_all(b"null").map_err(|e| e.to_string())?,
                        Field::Text(text) => {
                            serde_json::to_writer(&mut *out, text).map_err(|e| e.to_string())?
                        }
                        number => {
                            out.write_all(shown(number, &mut self.scratch))
                                .map_err(|e| e.to_string())?;
                        }
                    }
                }
                out.write_all(b"}").map_err(|e| e.to_string())
            }
            Sink::Csv(w) => {
                if first {
                    w.write_record(&self.names).map_err(|e| e.to_string())?;
                }
                for field in fields {
                    let bytes: &[u8] = match field {
                        Field::Null | Field::Absent => b"",
                        Field::Text(text) => text.as_bytes(),
                        Field::Json(Value::String(text)) => text.as_bytes(),
                        number => match shown(number, &mut self.scratch) {
                            b"null" => b"",
                            bytes => bytes,
                        },
                    };
                    w.write_field(bytes).map_err(|e| e.to_string())?;
                }
                w.write_record(None::<&[u8]>).map_err(|e| e.to_string())
            }
        }
    }

    /// Closes the array (JSON) and flushes.
    pub fn finish(self) -> Result<(), Failure> {
        let done = match self.sink {
            Sink::Json(mut out) => {
                let end: &[u8] = if self.written == 0 { b"[]\n" } else { b"]\n" };
                out.write_all(end).and_then(|_| out.flush())
            }
            Sink::Csv(mut w) => w.flush(),
        };
        done.map_err(|e| failed(e.to_string()))
    }
}

/// A number (or other JSON value) as JSON writes it, in `scratch`.
fn shown<'s>(field: &Field<'_>, scratch: &'s mut Vec<u8>) -> &'s [u8] {
    scratch.clear();
    // Writing into a Vec cannot fail.
    let _ = match *field {
        Field::Int(n) => serde_json::to_writer(&mut *scratch, &n),
        Field::Number(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => {
            serde_json::to_writer(&mut *scratch, &(x as i64))
        }
        Field::Number(x) => serde_json::to_writer(&mut *scratch, &x),
        Field::Json(v) => serde_json::to_writer(&mut *scratch, v),
        Field::Null | Field::Absent => serde_json::to_writer(&mut *scratch, &()),
        Field::Text(t) => serde_json::to_writer(&mut *scratch, t),
    };
    scratch
}

fn failed(e: String) -> Failure {
    Failure::Input(format!("Ausgabe fehlgeschlagen: {e}"))
}

/// Print records (objects with the same fields in the same order) to stdout.
pub fn print(records: &[Map<String, Value>], format: Format) -> Result<(), Failure> {
    let names = records
        .first()
        .map(|r| r.keys().cloned().collect())
        .unwrap_or_default();
    let mut out = Records::new(format, names);
    for r in records {
        let fields: Vec<Field<'_>> = r
            .values()
            .map(|v| match v {
                Value::Null => Field::Null,
                Value::String(text) => Field::Text(text),
                other => Field::Json(other),
            })
            .collect();
        out.write(&fields)?;
    }
    out.finish()
}

/// Writes `files` (name, content) into the folder `dir`, made when missing; a folder or file
/// that cannot be written is bad input (exit 2) naming it. Returns the paths written.
pub fn write_files<C: AsRef<[u8]>>(
    dir: &std::path::Path,
    files: impl IntoIterator<Item = (String, C)>,
) -> Result<Vec<std::path::PathBuf>, Failure> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Failure::Input(format!(
            "Ordner {}: lässt sich nicht anlegen ({e}).",
            dir.display()
        ))
    })?;
    let mut written = Vec::new();
    for (name, content) in files {
        let path = dir.join(name);
        std::fs::write(&path, content).map_err(|e| {
            Failure::Input(format!(
                "Datei {}: lässt sich nicht schreiben ({e}).",
                path.display()
            ))
        })?;
        written.push(path);
    }
    Ok(written)
}
