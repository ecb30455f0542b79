//! The messages between the page and its workers, in one place: what the page asks the reading
//! worker (`worker.rs`, with the case-level files of `case_worker.rs`) and the export worker
//! (`export.rs`), and what they answer.
//!
//! A `web_sys::File` cannot go through the default bincode codec, so messages travel as JS values
//! ([`JsCodec`], serde-wasm-bindgen) and the file handle itself is passed through untouched
//! ([`FileHandle`]); a dataset travels packed (one byte string). New kinds of work are new variants.

use crate::i18n::Said;
use gloo_worker::Codec;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use vergleichsring_core::{
    Aggregate, Boundaries, CaseLayout, CaseQuery, Dataset, Error, Layout, LoadReport, Package,
    Position, ReadOptions, Sheet,
};
use wasm_bindgen::{JsValue, UnwrapThrowExt};

/// Tables larger than this are refused with a message instead of exhausting the tab's memory.
pub const MAX_TABLE_BYTES: u64 = 50 * 1024 * 1024;

/// A browser file handle, passed to the worker as it is (structured clone, no copy of the bytes).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FileHandle(#[serde(with = "serde_wasm_bindgen::preserve")] pub web_sys::File);

/// What the page asks the worker to do.
#[derive(Debug, Serialize, Deserialize)]
pub enum Request {
    /// Read and parse these files; `job` numbers the request so late answers can be told apart.
    Load {
        /// The request's number (increasing).
        job: u32,
        /// The files, in the order the user gave them.
        files: Vec<FileHandle>,
        /// The SHA-256 of the catalogue in use, which a submission package (`.zip`) must name
        /// (CONTRACT §8).
        catalogue: String,
    },
    /// Parse the built-in demo ring (answered like a load of one file).
    LoadDemo {
        /// The request's number.
        job: u32,
    },
    /// Build an upload's dataset again from its table and an edited layout.
    Relayout {
        /// The upload.
        upload: u32,
        /// The edited layout.
        layout: Layout,
    },
    /// The rows of an upload around a line, so the page can show the cell a finding names
    /// even beyond the preview.
    Rows {
        /// The upload.
        upload: u32,
        /// The line of the record in the decoded text.
        line: usize,
    },
    /// Read an upload again with the user's settings (encoding, separator, header line).
    Reread {
        /// The upload.
        upload: u32,
        /// The settings; `None` fields are detected.
        options: ReadOptions,
    },
    /// Drop the tables of uploads the page no longer has.
    Forget {
        /// The uploads.
        uploads: Vec<u32>,
    },
    /// Stop every job up to and including this one at its next step.
    Cancel {
        /// The last job to stop.
        job: u32,
    },
    /// Work on a case-level file (`case_worker.rs`).
    Cases(CaseRequest),
    /// Read a GeoJSON file of district boundaries (a city's take a few MB: parsed here, so
    /// that the page does not stall).
    Boundaries {
        /// The file.
        file: FileHandle,
    },
}

/// Why a file was not read: the message the user reads and where in the file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoadFailure {
    /// Naming file, line and column where known.
    pub message: Said,
    /// Where the problem is.
    pub position: Position,
}

impl From<Error> for LoadFailure {
    fn from(e: Error) -> LoadFailure {
        LoadFailure {
            position: e.position().clone(),
            message: Said::from(e),
        }
    }
}

/// The first rows of a table as written, for the preview.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    /// The column names (a GENESIS header block flattened).
    pub header: Vec<String>,
    /// Each row's line in the file and its fields.
    pub rows: Vec<(usize, Vec<String>)>,
    /// All data rows of the table.
    pub total: usize,
}

/// A dataset (or the boundaries of a GeoJSON file) travels as one byte string (bincode in a
/// `Uint8Array`): serde-wasm-bindgen would make a JS object of each of its thousands of
/// municipalities and measures (or positions) and read them back one property at a time.
mod packed {
    use serde::de::{DeserializeOwned, Error as _};
    use serde::{ser::Error as _, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
        let bytes = bincode::serialize(value).map_err(S::Error::custom)?;
        serde_wasm_bindgen::preserve::serialize(&js_sys::Uint8Array::from(bytes.as_slice()), s)
    }

    pub fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(
        d: D,
    ) -> Result<T, D::Error> {
        let bytes: js_sys::Uint8Array = serde_wasm_bindgen::preserve::deserialize(d)?;
        bincode::deserialize(&bytes.to_vec()).map_err(D::Error::custom)
    }
}

/// The boundaries of a GeoJSON file, packed as a dataset is.
#[derive(Debug, Serialize, Deserialize)]
pub struct PackedBoundaries(#[serde(with = "packed")] pub Boundaries);

/// What the page gets for one parsed file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Parsed {
    /// The upload's number in the worker (for `Relayout`, `Reread` and `Forget`).
    pub upload: u32,
    /// The settings it was read with (`None` fields detected).
    pub options: ReadOptions,
    /// The detected layout.
    pub layout: Layout,
    /// The file's dataset.
    #[serde(with = "packed")]
    pub dataset: Dataset,
    /// The load report.
    pub report: LoadReport,
    /// The first rows.
    pub preview: Preview,
    /// Why the detected layout does not give a dataset yet (no municipality or year column, a
    /// key two columns share): the table is kept so the user can fix the columns.
    pub problem: Option<LoadFailure>,
    /// The submission package the table came from (its `data.csv`), when the upload was one.
    #[serde(default)]
    pub package: Option<Box<Package>>,
}

/// What the worker answers.
#[derive(Debug, Serialize, Deserialize)]
pub enum Response {
    /// Progress or result of a job (a `Load` or `LoadDemo`).
    Job {
        /// The job.
        job: u32,
        /// What happened.
        event: JobEvent,
    },
    /// The rows asked for with `Rows`: up to two before and after the line's record.
    Rows {
        /// The upload.
        upload: u32,
        /// Each row's line in the file and its fields.
        rows: Vec<(usize, Vec<String>)>,
    },
    /// An upload read again after `Reread`: everything new, under the same upload number.
    Reread {
        /// The upload.
        upload: u32,
        /// The upload as read now, or why it cannot be read so (the old reading stays).
        result: Result<Box<Parsed>, LoadFailure>,
    },
    /// An upload's dataset built again after `Relayout`.
    Relayouted {
        /// The upload.
        upload: u32,
        /// The layout applied, its dataset and report; or why the layout does not work.
        result: Result<Box<(Layout, Dataset, LoadReport)>, LoadFailure>,
    },
    /// An answer about a case-level file (`case_worker.rs`).
    Cases(CaseResponse),
    /// The boundaries read after `Boundaries`, or why the file is refused.
    Boundaries {
        /// The file's name.
        file: String,
        /// The boundaries, or why not.
        result: Result<PackedBoundaries, LoadFailure>,
    },
}

/// What happened in a job.
#[derive(Debug, Serialize, Deserialize)]
pub enum JobEvent {
    /// Bytes of a file read so far.
    Reading {
        /// The file's name.
        file: String,
        /// Bytes read.
        done: u64,
        /// The file's size.
        total: u64,
    },
    /// A file is read and being parsed.
    Parsing {
        /// The file's name.
        file: String,
    },
    /// One file is done (read or refused).
    Loaded {
        /// The file's name.
        file: String,
        /// The file's size in bytes.
        size: u64,
        /// The parsed upload or why not.
        result: Result<Box<Parsed>, LoadFailure>,
    },
    /// Every file has been answered.
    Finished,
    /// The job stopped after a `Cancel`.
    Cancelled,
}

/// Encodes messages as JS values, so that browser objects (files) can travel inside them.
#[derive(Debug)]
pub struct JsCodec;

impl Codec for JsCodec {
    fn encode<I: Serialize>(input: I) -> JsValue {
        serde_wasm_bindgen::to_value(&input).expect_throw("Nachricht an den Worker nicht kodierbar")
    }

    fn decode<O: DeserializeOwned>(input: JsValue) -> O {
        serde_wasm_bindgen::from_value(input).expect_throw("Nachricht vom Worker nicht lesbar")
    }
}

/// A file the browser could not read (also for case-level files, `case_worker.rs`).
pub fn browser_error(name: &str, e: JsValue) -> LoadFailure {
    LoadFailure {
        message: Said::app(
            |t| t.browser_cannot_read,
            &[
                ("file", name),
                ("detail", &e.as_string().unwrap_or_else(|| format!("{e:?}"))),
            ],
        ),
        position: Position {
            file: Some(name.to_string()),
            line: None,
            column: None,
        },
    }
}

/// Whether an upload is a submission package rather than a table.
pub fn is_package(name: &str) -> bool {
    name.to_lowercase().ends_with(".zip")
}

/// What the page asks a worker about a case-level file.
#[derive(Debug, Serialize, Deserialize)]
pub enum CaseRequest {
    /// Read the layout (encoding, separator, header, roles) from the file's first bytes.
    Inspect {
        /// The file.
        file: FileHandle,
    },
    /// Aggregate the records that start in `start..end` (a range of [`CaseLayout::ranges`]).
    Aggregate {
        /// The run's number.
        job: u32,
        /// Which part of the run this is.
        part: usize,
        /// The file.
        file: FileHandle,
        /// Its layout, as inspected.
        layout: Box<CaseLayout>,
        /// Group and sum columns.
        query: CaseQuery,
        /// First byte of the range.
        start: u64,
        /// End of the range.
        end: u64,
    },
    /// Stop every part of this run and the runs before it.
    Cancel {
        /// The run.
        job: u32,
    },
}

/// What a worker answers about a case-level file.
#[derive(Debug, Serialize, Deserialize)]
pub enum CaseResponse {
    /// The layout of an inspected file, and whether it looks case-level.
    Inspected {
        /// The layout or why it could not be read.
        result: Result<Box<CaseLayout>, LoadFailure>,
    },
    /// A part has read this many bytes and rows so far.
    Progress {
        /// The run.
        job: u32,
        /// The part.
        part: usize,
        /// Bytes read by this part.
        bytes: u64,
        /// Rows aggregated by this part.
        rows: u64,
    },
    /// A part is finished.
    Done {
        /// The run.
        job: u32,
        /// The part.
        part: usize,
        /// Its groups, or why it failed.
        result: Result<Box<Aggregate>, LoadFailure>,
    },
    /// A part stopped after a cancel.
    Cancelled {
        /// The run.
        job: u32,
        /// The part.
        part: usize,
    },
}

/// A workbook to write.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExportRequest {
    /// Matches the answer to its request.
    pub id: u32,
    /// The sheets, one worksheet each.
    pub sheets: Vec<Sheet>,
}

/// The written workbook, or why it failed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExportResponse {
    /// The request's id.
    pub id: u32,
    /// The bytes of the `.xlsx` file.
    pub result: Result<Vec<u8>, String>,
}
