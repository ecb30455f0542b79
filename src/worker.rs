//! The reading worker: uploads are read and parsed off the main thread, so the page stays
//! responsive and a load can be cancelled.
//!
//! The protocol is an enum of requests and one of responses; new kinds of work (a streaming
//! case-level aggregation, say) are new variants. A `web_sys::File` cannot go through the default
//! bincode codec, so messages travel as JS values ([`JsCodec`], serde-wasm-bindgen) and the file
//! handle itself is passed through untouched ([`FileHandle`]); the worker reads it with
//! `FileReaderSync` in slices, reports progress after each and yields to its event loop between
//! steps, which is where a `Cancel` gets through.

use std::cell::Cell;
use std::rc::Rc;

use gloo_worker::{Codec, HandlerId, Worker, WorkerScope};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use vergleichsring_core::{format_bytes, Position};
use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt};
use wasm_bindgen_futures::JsFuture;

/// Tables larger than this are refused with a message instead of exhausting the tab's memory.
pub const MAX_TABLE_BYTES: u64 = 50 * 1024 * 1024;

/// Bytes read per `FileReaderSync` call: large enough to be fast, small enough for progress.
const SLICE_BYTES: u64 = 8 * 1024 * 1024;

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
    },
    /// Stop every job up to and including this one at its next step.
    Cancel {
        /// The last job to stop.
        job: u32,
    },
    /// Work on a case-level file (`case_worker.rs`).
    Cases(crate::case_worker::CaseRequest),
}

/// Why a file was not read: the message the user reads and where in the file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoadFailure {
    /// Plain German, naming file, line and column where known.
    pub message: String,
    /// Where the problem is.
    pub position: Position,
}

/// What the worker answers.
#[derive(Debug, Serialize, Deserialize)]
pub enum Response {
    /// Bytes of a file read so far.
    Reading {
        /// The job.
        job: u32,
        /// The file's name.
        file: String,
        /// Bytes read.
        done: u64,
        /// The file's size.
        total: u64,
    },
    /// A file is read and being parsed.
    Parsing {
        /// The job.
        job: u32,
        /// The file's name.
        file: String,
    },
    /// One file of a job is done (read or refused).
    Loaded {
        /// The job.
        job: u32,
        /// The file's name.
        file: String,
        /// The file's size in bytes.
        size: u64,
        /// The parsed upload or why not.
        result: Result<Box<crate::load::Parsed>, LoadFailure>,
    },
    /// Every file of the job has been answered.
    Finished {
        /// The job.
        job: u32,
    },
    /// The job stopped after a `Cancel`.
    Cancelled {
        /// The job.
        job: u32,
    },
    /// An answer about a case-level file (`case_worker.rs`).
    Cases(crate::case_worker::CaseResponse),
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

/// The worker itself. Its only state is the highest cancelled job.
pub struct Reader {
    cancelled: Rc<Cell<u32>>,
}

impl Worker for Reader {
    type Message = ();
    type Input = Request;
    type Output = Response;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        Reader {
            cancelled: Rc::new(Cell::new(0)),
        }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Self::Input, id: HandlerId) {
        match msg {
            Request::Cancel { job } => self.cancelled.set(self.cancelled.get().max(job)),
            Request::Cases(request) => crate::case_worker::received(scope, id, request),
            Request::Load { job, files } => {
                let run = Job {
                    scope: scope.clone(),
                    id,
                    job,
                    cancelled: self.cancelled.clone(),
                };
                wasm_bindgen_futures::spawn_local(run.load(files));
            }
        }
    }
}

/// One running request, with what it needs to answer and to notice a cancel.
struct Job {
    scope: WorkerScope<Reader>,
    id: HandlerId,
    job: u32,
    cancelled: Rc<Cell<u32>>,
}

impl Job {
    fn respond(&self, response: Response) {
        self.scope.respond(self.id, response);
    }

    fn is_cancelled(&self) -> bool {
        self.cancelled.get() >= self.job
    }

    async fn load(self, files: Vec<FileHandle>) {
        for FileHandle(file) in files {
            let name = file.name();
            let size = file.size() as u64;
            let result = if size > MAX_TABLE_BYTES {
                Err(too_large(&name, size))
            } else {
                match self.read(&file, &name, size).await {
                    Ok(Some(bytes)) => {
                        self.respond(Response::Parsing {
                            job: self.job,
                            file: name.clone(),
                        });
                        yield_now().await;
                        if self.is_cancelled() {
                            break;
                        }
                        crate::load::parse(&name, &bytes).map(Box::new)
                    }
                    Ok(None) => break,
                    Err(failure) => Err(failure),
                }
            };
            self.respond(Response::Loaded {
                job: self.job,
                file: name,
                size,
                result,
            });
        }
        if self.is_cancelled() {
            self.respond(Response::Cancelled { job: self.job });
        } else {
            self.respond(Response::Finished { job: self.job });
        }
    }

    /// All bytes of the file, or `None` when the job was cancelled meanwhile.
    async fn read(
        &self,
        file: &web_sys::File,
        name: &str,
        size: u64,
    ) -> Result<Option<Vec<u8>>, LoadFailure> {
        let browser_error = |e: JsValue| LoadFailure {
            message: format!(
                "Datei {name}: Der Browser konnte die Datei nicht lesen ({}).",
                e.as_string().unwrap_or_else(|| format!("{e:?}"))
            ),
            position: Position {
                file: Some(name.to_string()),
                line: None,
                column: None,
            },
        };
        let reader = web_sys::FileReaderSync::new().map_err(browser_error)?;
        let mut bytes = Vec::with_capacity(size as usize);
        let mut start = 0;
        while start < size {
            let end = (start + SLICE_BYTES).min(size);
            let slice = file
                .slice_with_f64_and_f64(start as f64, end as f64)
                .map_err(browser_error)?;
            let buffer = reader.read_as_array_buffer(&slice).map_err(browser_error)?;
            let chunk = js_sys::Uint8Array::new(&buffer);
            let at = bytes.len();
            bytes.resize(at + chunk.length() as usize, 0);
            chunk.copy_to(&mut bytes[at..]);
            start = end;
            self.respond(Response::Reading {
                job: self.job,
                file: name.to_string(),
                done: end,
                total: size,
            });
            yield_now().await;
            if self.is_cancelled() {
                return Ok(None);
            }
        }
        Ok(Some(bytes))
    }
}

fn too_large(name: &str, size: u64) -> LoadFailure {
    LoadFailure {
        message: crate::i18n::fill(
            crate::i18n::DE.too_large,
            &[
                ("file", name),
                ("size", &format_bytes(size)),
                ("limit", &format_bytes(MAX_TABLE_BYTES)),
            ],
        ),
        position: Position {
            file: Some(name.to_string()),
            line: None,
            column: None,
        },
    }
}

/// Lets the worker's event loop run once, so that queued messages (a cancel) are handled.
async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let global: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
        // Without a timer the promise would never settle; then the job just runs to its end.
        let _ = global.set_timeout_with_callback(&resolve);
    });
    let _ = JsFuture::from(promise).await;
}
