//! The submission package (Abgabepaket, CONTRACT §8): what a city sends its ring after the
//! check, as one ZIP file whose manifest names the SHA-256 of every part, so the coordinator
//! can see that the figures are the ones that were checked — and what opens such a package
//! again, refusing anything that is not exactly that.
//!
//! Opening never trusts the archive: the sizes its headers declare are summed before anything
//! is unpacked, and the bytes actually unpacked are counted while reading, so a package that
//! would unpack to more than [`MAX_EXPANSION`] times its size stops at that bound.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{Cursor, Read, Write};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};
use sha2::{Digest, Sha256};

use crate::analysis::finding::{finding_record, Comments, Finding};
use crate::catalogue::definition::{Catalogue, Severity};
use crate::dataset::{CellKey, CellsBuilder, Dataset, Measure, Municipality, Observation, Source};
use crate::read::column::measure_kind;
use crate::value::{Flag, Reason, Value};

/// The manifest's `format`.
pub const PACKAGE_FORMAT: &str = "vergleichsring-abgabe";
/// The manifest's `version` this code writes and reads.
pub const PACKAGE_VERSION: u64 = 1;
/// A package may unpack to at most this many times its own size.
pub const MAX_EXPANSION: u64 = 100;
/// The program as the manifest's `app` names it.
pub const APP: &str = concat!("vergleichsring ", env!("CARGO_PKG_VERSION"));

const MANIFEST: &str = "manifest.json";
const DATA: &str = "data.csv";
const FINDINGS: &str = "findings.csv";
const CATALOGUE: &str = "catalogue.toml";
const LOAD_REPORT: &str = "load-report.txt";
/// The parts every package of version 1 has, besides the manifest.
const PARTS: [&str; 4] = [DATA, FINDINGS, CATALOGUE, LOAD_REPORT];

/// The columns of `data.csv`.
pub const DATA_HEADER: [&str; 7] = [
    "municipality",
    "code",
    "year",
    "measure",
    "value",
    "reason",
    "flag",
];
/// The columns of `findings.csv`: the fields of CONTRACT §4 as `check` prints them, and the
/// user's comment.
pub const FINDINGS_HEADER: [&str; 12] = [
    "code",
    "severity",
    "municipality",
    "year",
    "subject",
    "value",
    "values",
    "message",
    "file",
    "line",
    "notable",
    "comment",
];

/// The SHA-256 of bytes as 64 lower-case hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A municipality's name as part of a file name: every character other than letters, digits,
/// `-` and `_` becomes `_` (CONTRACT §5), so the name is safe on every file system.
pub fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphabetic() || c.is_ascii_digit() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The package's file name: `abgabe-<municipality>-<year>.zip`.
pub fn package_file_name(municipality: &str, year: i32) -> String {
    format!("abgabe-{}-{year}.zip", file_stem(municipality))
}

/// A moment as the manifest writes it (`2026-12-04T14:32:00Z`), from seconds since 1970 UTC.
/// The core has no clock: the app and the CLI pass the time in.
pub fn timestamp(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Whether a text is a manifest time stamp (`YYYY-MM-DDTHH:MM:SSZ`): only that form compares
/// correctly as text, which is how the later of two packages is found.
fn is_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// The catalogue a package names: its name and the SHA-256 of its TOML.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestCatalogue {
    /// The catalogue's name.
    pub name: String,
    /// The SHA-256 of `catalogue.toml`.
    pub sha256: String,
}

/// `manifest.json` (CONTRACT §8).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`PACKAGE_FORMAT`].
    pub format: String,
    /// Always [`PACKAGE_VERSION`] for what this code writes.
    pub version: u64,
    /// The municipality the package is for.
    pub municipality: String,
    /// Its official region code, if the data have one.
    pub code: Option<String>,
    /// The year that was checked for submission.
    pub year: i32,
    /// When the package was made (`2026-12-04T14:32:00Z`).
    pub created: String,
    /// The program that made it (`vergleichsring 0.1.0`).
    pub app: String,
    /// The catalogue the figures were checked with.
    pub catalogue: ManifestCatalogue,
    /// Every part but the manifest, with its SHA-256.
    pub files: BTreeMap<String, String>,
}

/// The catalogue in its written form: the text a package carries and whose hash it names. The
/// app and the CLI both hash this canonical text, so the same catalogue gives the same hash
/// however it was loaded or edited.
pub fn catalogue_text(catalogue: &Catalogue) -> String {
    catalogue.to_toml()
}

/// What goes into a package.
pub struct Submission<'a> {
    /// The catalogue the figures were checked with.
    pub catalogue: &'a Catalogue,
    /// The loaded data (every municipality; only the own one is packed).
    pub dataset: &'a Dataset,
    /// The own municipality (index into the dataset).
    pub municipality: usize,
    /// The year checked for submission.
    pub year: i32,
    /// The check's findings (every municipality's; only the own ones are packed).
    pub findings: &'a [Finding],
    /// The comments on findings.
    pub comments: &'a Comments,
    /// What was read from which file, as the load reports say it.
    pub load_report: &'a str,
    /// When the package is made ([`timestamp`]).
    pub created: String,
}

impl Submission<'_> {
    /// The package as ZIP bytes.
    pub fn write(&self) -> Vec<u8> {
        let own = &self.dataset.municipalities[self.municipality];
        let catalogue = catalogue_text(self.catalogue);
        let parts: [(&str, String); 4] = [
            (DATA, data_csv(self.dataset, self.municipality)),
            (
                FINDINGS,
                findings_csv(self.findings, self.comments, own, &self.dataset.files),
            ),
            (CATALOGUE, catalogue),
            (LOAD_REPORT, self.load_report.to_string()),
        ];
        let files: BTreeMap<String, String> = parts
            .iter()
            .map(|(name, text)| (name.to_string(), sha256_hex(text.as_bytes())))
            .collect();
        let manifest = Manifest {
            format: PACKAGE_FORMAT.to_string(),
            version: PACKAGE_VERSION,
            municipality: own.name.clone(),
            code: own.code.clone(),
            year: self.year,
            created: self.created.clone(),
            app: APP.to_string(),
            catalogue: ManifestCatalogue {
                name: self.catalogue.name().to_string(),
                sha256: files[CATALOGUE].clone(),
            },
            files,
        };
        // Plain strings and numbers always serialise.
        let manifest = serde_json::to_string_pretty(&manifest).unwrap_or_default();
        let mut entries = vec![(MANIFEST, manifest)];
        entries.extend(parts);
        zip_texts(&entries)
    }
}

/// A ZIP archive of text files, compressed. Writing into memory cannot fail; the zip crate's
/// `Result` only carries the I/O errors of other sinks.
pub fn zip_texts(entries: &[(&str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in entries {
        if zip.start_file(*name, options).is_ok() {
            let _ = zip.write_all(text.as_bytes());
        }
    }
    zip.finish().map(Cursor::into_inner).unwrap_or_default()
}

/// A value of `data.csv`: full precision with a decimal point.
fn plain(x: f64) -> String {
    format!("{x}")
}

/// The reason read back from its text in `data.csv`.
fn reason_of(text: &str) -> Option<Reason> {
    if let Some(inner) = text
        .strip_prefix("keine Zahl: „")
        .and_then(|t| t.strip_suffix('“'))
    {
        return Some(Reason::NotNumeric(inner.to_string()));
    }
    Reason::SIMPLE[..Reason::IN_DATA]
        .iter()
        .find(|r| r.to_string() == text)
        .cloned()
}

/// `data.csv`: the municipality's measures in every loaded year, long records, the default
/// breakdown of tables with dimensions (the data a ring compares).
pub fn data_csv(dataset: &Dataset, municipality: usize) -> String {
    let own = &dataset.municipalities[municipality];
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut rows: Vec<[String; 7]> = Vec::new();
    for (key, observation) in &dataset.cells {
        if key.municipality != municipality || key.combination != 0 {
            continue;
        }
        let (value, reason) = match &observation.value {
            Value::Number(x) => (plain(*x), String::new()),
            Value::Missing(r) => (String::new(), r.to_string()),
        };
        rows.push([
            own.name.clone(),
            own.code.clone().unwrap_or_default(),
            key.year.to_string(),
            dataset.measures[key.measure].key.clone(),
            value,
            reason,
            observation.flag.map(|f| f.to_string()).unwrap_or_default(),
        ]);
    }
    // Writing into a Vec cannot fail.
    let _ = w.write_record(DATA_HEADER);
    for row in &rows {
        let _ = w.write_record(row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// `findings.csv`: the check's findings for one municipality with their comments.
fn findings_csv(
    findings: &[Finding],
    comments: &Comments,
    own: &Municipality,
    files: &[String],
) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(FINDINGS_HEADER);
    for f in findings.iter().filter(|f| f.municipality == own.name) {
        let record = finding_record(f, files);
        let mut row: Vec<String> = record.iter().map(|(_, v)| csv_text(v)).collect();
        row.push(comments.get(&f.key()).unwrap_or_default().to_string());
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A JSON field as CSV text: a string as it is, null empty, anything else as JSON writes it.
pub fn csv_text(value: &Json) -> String {
    match value {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Why a package is refused (CONTRACT §8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not a ZIP archive (or a damaged one).
    NotZip(String),
    /// It would unpack to more than [`MAX_EXPANSION`] times its size.
    TooLarge {
        /// The package's size in bytes.
        size: u64,
        /// How many bytes it declared or was found to unpack to (at least).
        unpacked: u64,
    },
    /// No `manifest.json`, or one that is no manifest.
    Manifest(String),
    /// Another format or version than this program reads.
    UnknownFormat {
        /// The manifest's format.
        format: String,
        /// The manifest's version.
        version: u64,
    },
    /// A file the manifest lists is not in the archive.
    Missing(String),
    /// The archive holds a file the manifest does not list.
    Unlisted(String),
    /// A file's SHA-256 differs from the manifest.
    HashDiffers(String),
    /// The package was checked with another catalogue than the one in use.
    Catalogue {
        /// The name of the package's catalogue.
        name: String,
    },
    /// A part does not read as its format says (file, line, what is wrong).
    Content {
        /// The part.
        file: String,
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        msg: String,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NotZip(e) => write!(f, "kein lesbares ZIP-Archiv ({e})"),
            Refusal::TooLarge { size, unpacked } => write!(
                f,
                "entpackt mehr als das {MAX_EXPANSION}-Fache seiner Größe ({size} Bytes, entpackt mindestens {unpacked} Bytes)"
            ),
            Refusal::Manifest(e) => write!(f, "manifest.json fehlt oder ist ungültig ({e})"),
            Refusal::UnknownFormat { format, version } => write!(
                f,
                "unbekanntes Format „{format}“ Version {version} (erwartet: {PACKAGE_FORMAT} Version {PACKAGE_VERSION})"
            ),
            Refusal::Missing(file) => write!(f, "im Manifest genannte Datei {file} fehlt"),
            Refusal::Unlisted(file) => write!(f, "Datei {file} steht nicht im Manifest"),
            Refusal::HashDiffers(file) => {
                write!(f, "SHA-256 von {file} weicht vom Manifest ab")
            }
            Refusal::Catalogue { name } => write!(
                f,
                "mit einem anderen Katalog geprüft („{name}“, SHA-256 weicht vom verwendeten Katalog ab)"
            ),
            Refusal::Content { file, line, msg } => write!(f, "{file}, Zeile {line}: {msg}"),
        }
    }
}

/// One finding as a package carries it: the text of its `findings.csv` record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackedFinding {
    /// The fields in the order of [`FINDINGS_HEADER`].
    pub fields: Vec<String>,
}

impl PackedFinding {
    /// Its severity.
    pub fn severity(&self) -> Option<Severity> {
        match self.fields[1].as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            _ => None,
        }
    }

    /// The user's comment, empty when none.
    pub fn comment(&self) -> &str {
        &self.fields[11]
    }
}

/// An opened, verified package.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Package {
    /// Its manifest.
    pub manifest: Manifest,
    /// `data.csv` as it is.
    pub data_csv: String,
    /// The findings with their comments.
    pub findings: Vec<PackedFinding>,
    /// `load-report.txt`.
    pub load_report: String,
}

impl Package {
    /// Warnings the city did not comment on.
    pub fn open_warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity() == Some(Severity::Warning) && f.comment().trim().is_empty())
            .count()
    }

    /// Findings that carry a comment.
    pub fn comments(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| !f.comment().trim().is_empty())
            .count()
    }

    /// The package's figures as a dataset of one municipality, named `file` for the load
    /// report and the findings' sources. Reasons and flags are kept.
    pub fn dataset(&self, file: &str) -> Dataset {
        let mut dataset = Dataset {
            files: vec![file.to_string()],
            municipalities: vec![Municipality {
                name: self.manifest.municipality.clone(),
                code: self.manifest.code.clone(),
                aggregate: false,
            }],
            combinations: vec![Vec::new()],
            ..Dataset::default()
        };
        let mut builder = CellsBuilder::default();
        // The rows were checked when the package was opened; a row that does not read is
        // impossible here and is left out rather than trusted.
        for (line, row) in data_rows(&self.data_csv).flatten() {
            let measure = match dataset.measure_index(&row.measure) {
                Some(m) => m,
                None => {
                    dataset.measures.push(Measure {
                        key: row.measure.clone(),
                        label: row.measure.clone(),
                        unit: None,
                        kind: measure_kind(&row.measure, None),
                        statistic: None,
                    });
                    dataset.measures.len() - 1
                }
            };
            let key = CellKey {
                municipality: 0,
                year: row.year,
                combination: 0,
                measure,
            };
            let observation = Observation {
                value: row.value,
                flag: row.flag,
                source: Source {
                    file: 0,
                    line,
                    column: 5,
                },
            };
            builder.push(key, &observation);
        }
        dataset.cells = builder.finish();
        dataset
    }
}

/// One record of `data.csv`, read.
struct DataRow {
    municipality: String,
    code: String,
    year: i32,
    measure: String,
    value: Value,
    flag: Option<Flag>,
}

/// The records of `data.csv` with their 1-based lines, each read or refused.
fn data_rows(text: &str) -> impl Iterator<Item = Result<(usize, DataRow), Refusal>> + '_ {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader.records().enumerate().collect::<Vec<_>>().into_iter();
    let header = records.next();
    let header_ok = match header {
        Some((_, Ok(h))) if h.iter().eq(DATA_HEADER) => Ok(()),
        _ => Err(Refusal::Content {
            file: DATA.to_string(),
            line: 1,
            msg: format!("Kopfzeile muss {} lauten", DATA_HEADER.join(",")),
        }),
    };
    let head = header_ok.err().map(Err).into_iter();
    head.chain(records.map(|(i, record)| {
        let line = record
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(i + 1, |p| p.line() as usize);
        let bad = |msg: String| Refusal::Content {
            file: DATA.to_string(),
            line,
            msg,
        };
        let record = record.map_err(|e| bad(e.to_string()))?;
        if record.len() != DATA_HEADER.len() {
            return Err(bad(format!(
                "{} Felder statt {}",
                record.len(),
                DATA_HEADER.len()
            )));
        }
        let year: i32 = record[2]
            .parse()
            .map_err(|_| bad(format!("Spalte 3: „{}“ ist keine Jahreszahl", &record[2])))?;
        let value = match (&record[4], &record[5]) {
            (v, "") => Value::Number(
                v.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| bad(format!("Spalte 5: „{v}“ ist keine Zahl")))?,
            ),
            ("", r) => Value::Missing(
                reason_of(r).ok_or_else(|| bad(format!("Spalte 6: unbekannter Grund „{r}“")))?,
            ),
            _ => return Err(bad("Wert und Grund zugleich".to_string())),
        };
        let flag = match &record[6] {
            "" => None,
            text => Some(
                Flag::ALL
                    .into_iter()
                    .find(|f| f.to_string() == text)
                    .ok_or_else(|| bad(format!("Spalte 7: unbekanntes Kennzeichen „{text}“")))?,
            ),
        };
        Ok((
            line,
            DataRow {
                municipality: record[0].to_string(),
                code: record[1].to_string(),
                year,
                measure: record[3].to_string(),
                value,
                flag,
            },
        ))
    }))
}

/// Open a package and verify it against the catalogue in use (CONTRACT §8): every refusal
/// names its reason.
pub fn open(bytes: &[u8], catalogue: &Catalogue) -> Result<Package, Refusal> {
    open_checked(bytes, &catalogue_hash(catalogue))
}

/// The SHA-256 of the catalogue's written form, as a package's manifest names it.
pub fn catalogue_hash(catalogue: &Catalogue) -> String {
    sha256_hex(catalogue_text(catalogue).as_bytes())
}

/// [`open`] against the hash of the catalogue in use ([`catalogue_hash`]), for a reader that
/// has the hash but not the catalogue (the app's worker).
pub fn open_checked(bytes: &[u8], catalogue_sha256: &str) -> Result<Package, Refusal> {
    let size = bytes.len() as u64;
    let limit = size.saturating_mul(MAX_EXPANSION);
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Refusal::NotZip(e.to_string()))?;
    // What the headers declare, before anything is unpacked.
    let mut declared: u64 = 0;
    let mut names = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| Refusal::NotZip(e.to_string()))?;
        declared = declared.saturating_add(entry.size());
        let name = entry
            .name()
            .map_err(|e| Refusal::NotZip(e.to_string()))?
            .to_string();
        names.push(name);
    }
    if declared > limit {
        return Err(Refusal::TooLarge {
            size,
            unpacked: declared,
        });
    }
    // What is actually unpacked, counted over all entries while reading.
    let mut unpacked: u64 = 0;
    let mut read = |name: &str| -> Result<Option<Vec<u8>>, Refusal> {
        let Some(index) = names.iter().position(|n| n == name) else {
            return Ok(None);
        };
        let mut entry = archive
            .by_index(index)
            .map_err(|e| Refusal::NotZip(e.to_string()))?;
        let mut out = Vec::new();
        let mut chunk = [0u8; 16 * 1024];
        loop {
            let n = entry
                .read(&mut chunk)
                .map_err(|e| Refusal::NotZip(format!("{name}: {e}")))?;
            if n == 0 {
                return Ok(Some(out));
            }
            unpacked += n as u64;
            if unpacked > limit {
                return Err(Refusal::TooLarge { size, unpacked });
            }
            out.extend_from_slice(&chunk[..n]);
        }
    };
    let manifest = read(MANIFEST)?.ok_or_else(|| Refusal::Manifest("nicht im Archiv".into()))?;
    let manifest: Map<String, Json> =
        serde_json::from_slice(&manifest).map_err(|e| Refusal::Manifest(e.to_string()))?;
    let format = manifest.get("format").and_then(Json::as_str).unwrap_or("");
    let version = manifest.get("version").and_then(Json::as_u64).unwrap_or(0);
    if format != PACKAGE_FORMAT || version != PACKAGE_VERSION {
        return Err(Refusal::UnknownFormat {
            format: format.to_string(),
            version,
        });
    }
    let manifest: Manifest = serde_json::from_value(Json::Object(manifest))
        .map_err(|e| Refusal::Manifest(e.to_string()))?;
    if !is_timestamp(&manifest.created) {
        return Err(Refusal::Manifest(format!(
            "created „{}“ ist kein Zeitstempel JJJJ-MM-TTThh:mm:ssZ",
            manifest.created
        )));
    }
    if let Some(part) = PARTS.iter().find(|p| !manifest.files.contains_key(**p)) {
        return Err(Refusal::Manifest(format!("{part} fehlt in files")));
    }
    if let Some(name) = names
        .iter()
        .find(|n| n.as_str() != MANIFEST && !manifest.files.contains_key(n.as_str()))
    {
        return Err(Refusal::Unlisted(name.clone()));
    }
    let mut parts: BTreeMap<&str, String> = BTreeMap::new();
    for (name, hash) in &manifest.files {
        let bytes = read(name)?.ok_or_else(|| Refusal::Missing(name.clone()))?;
        if !sha256_hex(&bytes).eq_ignore_ascii_case(hash) {
            return Err(Refusal::HashDiffers(name.clone()));
        }
        if let Some(part) = PARTS.iter().find(|p| **p == name.as_str()) {
            let text = String::from_utf8(bytes).map_err(|e| Refusal::Content {
                file: name.clone(),
                line: 1,
                msg: format!("kein UTF-8 (Byte {})", e.utf8_error().valid_up_to() + 1),
            })?;
            parts.insert(part, text);
        }
    }
    if !manifest
        .catalogue
        .sha256
        .eq_ignore_ascii_case(catalogue_sha256)
        || !manifest.files[CATALOGUE].eq_ignore_ascii_case(catalogue_sha256)
    {
        return Err(Refusal::Catalogue {
            name: manifest.catalogue.name.clone(),
        });
    }
    let data_csv = parts.remove(DATA).unwrap_or_default();
    for row in data_rows(&data_csv) {
        let (line, row) = row?;
        if row.municipality != manifest.municipality
            || row.code != manifest.code.clone().unwrap_or_default()
        {
            return Err(Refusal::Content {
                file: DATA.to_string(),
                line,
                msg: format!(
                    "Zeile gehört zu „{}“, das Paket zu „{}“",
                    row.municipality, manifest.municipality
                ),
            });
        }
    }
    let findings = packed_findings(&parts.remove(FINDINGS).unwrap_or_default())?;
    Ok(Package {
        manifest,
        data_csv,
        findings,
        load_report: parts.remove(LOAD_REPORT).unwrap_or_default(),
    })
}

/// The records of `findings.csv`.
fn packed_findings(text: &str) -> Result<Vec<PackedFinding>, Refusal> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let bad = |line: usize, msg: String| Refusal::Content {
            file: FINDINGS.to_string(),
            line,
            msg,
        };
        let record = record.map_err(|e| bad(i + 1, e.to_string()))?;
        let line = record.position().map_or(i + 1, |p| p.line() as usize);
        if i == 0 {
            if !record.iter().eq(FINDINGS_HEADER) {
                return Err(bad(
                    1,
                    format!("Kopfzeile muss {} lauten", FINDINGS_HEADER.join(",")),
                ));
            }
            continue;
        }
        if record.len() != FINDINGS_HEADER.len() {
            return Err(bad(
                line,
                format!("{} Felder statt {}", record.len(), FINDINGS_HEADER.len()),
            ));
        }
        let finding = PackedFinding {
            fields: record.iter().map(str::to_string).collect(),
        };
        if finding.severity().is_none() {
            return Err(bad(
                line,
                format!("Spalte 2: unbekannte Schwere „{}“", &record[1]),
            ));
        }
        out.push(finding);
    }
    Ok(out)
}

/// Of packages for the same municipality and year, which one is replaced by which: for each
/// package the index of the later one (by `created`; of equal times the one given later) that
/// wins over it, or `None` when it stands.
pub fn superseded(manifests: &[&Manifest]) -> Vec<Option<usize>> {
    (0..manifests.len())
        .map(|i| {
            let a = manifests[i];
            let mut winner = i;
            for (j, b) in manifests.iter().enumerate() {
                let w = manifests[winner];
                if b.municipality == a.municipality
                    && b.year == a.year
                    && (b.created > w.created || (b.created == w.created && j > winner))
                {
                    winner = j;
                }
            }
            (winner != i).then_some(winner)
        })
        .collect()
}

/// The collected ring as one long table: the header of `data.csv` once, then every package's
/// records.
pub fn ring_csv(packages: &[&Package]) -> String {
    let mut out = DATA_HEADER.join(",");
    out.push('\n');
    for p in packages {
        for line in p.data_csv.lines().skip(1) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The collected findings with their comments: the header once, then every package's records.
pub fn ring_findings_csv(packages: &[&Package]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(FINDINGS_HEADER);
    for f in packages.iter().flat_map(|p| &p.findings) {
        let _ = w.write_record(&f.fields);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::finding::check;
    use crate::analysis::kpi::KpiTable;
    use crate::catalogue::definition::Checks;
    use crate::read::upload::load;

    const QUIRKS: &[u8] = include_bytes!("../../../../shared/data/ring-quirks/ring.csv");
    const QUIRKS_CATALOGUE: &str =
        include_str!("../../../../shared/data/ring-quirks/catalogue.toml");

    fn fixture() -> (Catalogue, Dataset, Vec<Finding>) {
        let catalogue = Catalogue::from_toml(QUIRKS_CATALOGUE).expect("catalogue");
        let dataset = load("ring.csv", QUIRKS).expect("ring").dataset;
        let table = KpiTable::compute(&catalogue, &dataset);
        let findings = check(&catalogue, &dataset, &table, &Checks::default());
        (catalogue, dataset, findings)
    }

    fn package_of(
        catalogue: &Catalogue,
        dataset: &Dataset,
        findings: &[Finding],
        name: &str,
        comments: &Comments,
        created: i64,
    ) -> Vec<u8> {
        Submission {
            catalogue,
            dataset,
            municipality: dataset.municipality_index(name).expect("member"),
            year: 2024,
            findings,
            comments,
            load_report: "ring.csv: Windows-1252",
            created: timestamp(created),
        }
        .write()
    }

    /// Rewrite one entry of a ZIP (stored, not compressed), keeping or dropping the others.
    fn rezip(bytes: &[u8], change: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>) -> Vec<u8> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).expect("entry");
            let name = entry.name().expect("name").to_string();
            let mut content = Vec::new();
            entry.read_to_end(&mut content).expect("read");
            if let Some(content) = change(&name, content) {
                out.start_file(name, options).expect("start");
                out.write_all(&content).expect("write");
            }
        }
        out.finish().expect("finish").into_inner()
    }

    #[test]
    fn timestamps_are_utc_calendar_times() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        // 2026-12-04T14:32:00Z, computed with Python's datetime.
        assert_eq!(timestamp(1_796_394_720), "2026-12-04T14:32:00Z");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert!(is_timestamp(&timestamp(1_796_394_720)));
        assert!(!is_timestamp("2026-12-04 14:32:00"));
    }

    #[test]
    fn file_names_keep_letters_digits_dash_and_underscore() {
        assert_eq!(
            package_file_name("Bad Sankt-Ludwig (Kreis)", 2024),
            "abgabe-Bad_Sankt-Ludwig__Kreis_-2024.zip"
        );
        assert_eq!(file_stem("Müllheim/Baden"), "Müllheim_Baden");
    }

    #[test]
    fn a_package_opens_to_the_same_figures_reasons_and_comments() {
        let (catalogue, dataset, findings) = fixture();
        let own = "Altenmarkt";
        let mut comments = Comments::new();
        let warning = findings
            .iter()
            .find(|f| f.municipality == own && f.severity == Severity::Warning)
            .expect("a warning for Altenmarkt");
        comments.set(warning.key(), "Neue Einrichtung, geprüft");
        let bytes = package_of(
            &catalogue,
            &dataset,
            &findings,
            own,
            &comments,
            1_796_394_720,
        );
        let package = open(&bytes, &catalogue).expect("accepted");
        assert_eq!(package.manifest.municipality, own);
        assert_eq!(package.manifest.created, "2026-12-04T14:32:00Z");
        assert_eq!(package.manifest.catalogue.name, catalogue.name());
        let back = package.dataset("abgabe.zip");
        let m = dataset.municipality_index(own).expect("own");
        let own_cells: Vec<_> = dataset
            .cells
            .iter()
            .filter(|(k, _)| k.municipality == m)
            .collect();
        assert_eq!(back.cells.len(), own_cells.len());
        for (key, observation) in own_cells {
            let measure = &dataset.measures[key.measure].key;
            let got = back
                .get(0, key.year, back.measure_index(measure).expect("measure"))
                .expect("cell");
            assert_eq!(got.value, observation.value, "{measure} {}", key.year);
            assert_eq!(got.flag, observation.flag);
        }
        let own_findings = findings.iter().filter(|f| f.municipality == own).count();
        assert_eq!(package.findings.len(), own_findings);
        assert_eq!(package.comments(), 1);
        let warnings = findings
            .iter()
            .filter(|f| f.municipality == own && f.severity == Severity::Warning)
            .count();
        assert_eq!(package.open_warnings(), warnings - 1);
    }

    #[test]
    fn every_refusal_of_the_contract_names_its_reason() {
        let (catalogue, dataset, findings) = fixture();
        let comments = Comments::new();
        let good = package_of(&catalogue, &dataset, &findings, "Altenmarkt", &comments, 0);
        assert!(open(&good, &catalogue).is_ok());

        let changed = rezip(&good, |name, mut c| {
            if name == DATA {
                let at = c.len() - 3;
                c[at] ^= 1;
            }
            Some(c)
        });
        assert_eq!(
            open(&changed, &catalogue),
            Err(Refusal::HashDiffers(DATA.into()))
        );

        let missing = rezip(&good, |name, c| (name != LOAD_REPORT).then_some(c));
        assert_eq!(
            open(&missing, &catalogue),
            Err(Refusal::Missing(LOAD_REPORT.into()))
        );

        let mut extra = zip::ZipWriter::new_append(Cursor::new(good.clone())).expect("append");
        extra
            .start_file("notiz.txt", zip::write::SimpleFileOptions::default())
            .expect("start");
        extra.write_all(b"x").expect("write");
        let extra = extra.finish().expect("finish").into_inner();
        assert_eq!(
            open(&extra, &catalogue),
            Err(Refusal::Unlisted("notiz.txt".into()))
        );

        let other = Catalogue::builtin();
        assert_eq!(
            open(&good, &other),
            Err(Refusal::Catalogue {
                name: catalogue.name().into()
            })
        );

        let version2 = rezip(&good, |name, c| {
            Some(if name == MANIFEST {
                String::from_utf8(c)
                    .expect("utf8")
                    .replace("\"version\": 1", "\"version\": 2")
                    .into_bytes()
            } else {
                c
            })
        });
        assert_eq!(
            open(&version2, &catalogue),
            Err(Refusal::UnknownFormat {
                format: PACKAGE_FORMAT.into(),
                version: 2
            })
        );

        assert!(matches!(
            open(b"PK\x03\x04 nonsense", &catalogue),
            Err(Refusal::NotZip(_))
        ));
    }

    #[test]
    fn a_zip_bomb_stops_at_the_bound_whatever_its_headers_say() {
        let (catalogue, dataset, findings) = fixture();
        let good = package_of(
            &catalogue,
            &dataset,
            &findings,
            "Altenmarkt",
            &Comments::new(),
            0,
        );
        // A package whose data.csv is 20 MB of zeros, deflated to about 20 kB: a thousandfold
        // expansion, its manifest otherwise right.
        let zeros = "\0".repeat(20 << 20);
        let mut archive = zip::ZipArchive::new(Cursor::new(&good[..])).expect("zip");
        let mut entries = Vec::new();
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).expect("entry");
            let name = entry.name().expect("name").to_string();
            let mut text = String::new();
            entry.read_to_string(&mut text).expect("read");
            if name == DATA {
                text = zeros.clone();
            }
            if name == MANIFEST {
                let old = sha256_hex(data_csv(&dataset, 0).as_bytes());
                text = text.replace(&old, &sha256_hex(zeros.as_bytes()));
            }
            entries.push((name, text));
        }
        let entries: Vec<(&str, String)> = entries
            .iter()
            .map(|(n, t)| (n.as_str(), t.clone()))
            .collect();
        let bomb = zip_texts(&entries);
        assert!(bomb.len() < 200_000, "{}", bomb.len());
        match open(&bomb, &catalogue) {
            Err(Refusal::TooLarge { size, unpacked }) => {
                assert_eq!(size, bomb.len() as u64);
                assert_eq!(unpacked, declared_total(&bomb));
            }
            other => panic!("{other:?}"),
        }
        // The same bomb with data.csv's declared size lowered to 1 byte in both its headers:
        // the headers pass, and the count while unpacking (or the archive's own check of the
        // length) stops it; never is more than the bound unpacked.
        let mut lying = bomb.clone();
        let declared = (20u32 << 20).to_le_bytes();
        let positions: Vec<usize> = lying
            .windows(4)
            .enumerate()
            .filter(|(_, w)| *w == declared)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(positions.len(), 2, "local and central header");
        for p in positions {
            lying[p..p + 4].copy_from_slice(&1u32.to_le_bytes());
        }
        assert!(declared_total(&lying) < lying.len() as u64 * MAX_EXPANSION);
        match open(&lying, &catalogue) {
            Err(Refusal::TooLarge { unpacked, .. }) => {
                assert!(unpacked <= lying.len() as u64 * MAX_EXPANSION + 16 * 1024)
            }
            Err(Refusal::NotZip(msg)) => assert!(msg.starts_with(DATA), "{msg}"),
            other => panic!("{other:?}"),
        }
    }

    /// The unpacked sizes a ZIP's central directory declares, summed.
    fn declared_total(bytes: &[u8]) -> u64 {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
        (0..archive.len())
            .map(|i| archive.by_index_raw(i).expect("entry").size())
            .sum()
    }

    #[test]
    fn of_two_packages_for_one_member_and_year_the_later_wins() {
        let m = |name: &str, created: &str| Manifest {
            format: PACKAGE_FORMAT.into(),
            version: 1,
            municipality: name.into(),
            code: None,
            year: 2024,
            created: created.into(),
            app: APP.into(),
            catalogue: ManifestCatalogue {
                name: "K".into(),
                sha256: String::new(),
            },
            files: BTreeMap::new(),
        };
        let a = m("A", "2026-12-04T14:32:00Z");
        let b = m("B", "2026-12-01T00:00:00Z");
        let a2 = m("A", "2026-12-05T08:00:00Z");
        let a0 = m("A", "2026-11-30T08:00:00Z");
        assert_eq!(
            superseded(&[&a, &b, &a2, &a0]),
            [Some(2), None, None, Some(2)]
        );
    }
}
