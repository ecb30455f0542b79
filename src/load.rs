//! Loading files: the page side of the reading worker and the status the Daten view shows.
//!
//! One load is one job: its files are read in the worker one after the other, their results are
//! collected here and applied together when the job finishes, so a cancelled job leaves the
//! data exactly as they were. Files that fail are reported and skipped; the others still load.

use std::cell::RefCell;

use gloo_worker::{Spawnable, WorkerBridge};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use vergleichsring_core::{Dataset, Position};
use wasm_bindgen::JsValue;

use crate::state::{AppState, Data};
use crate::worker::{FileHandle, JsCodec, LoadFailure, Reader, Request, Response};

/// Where the worker's loader script is when the page does not say otherwise (Trunk's shim).
const DEFAULT_WORKER_URL: &str = "./vergleichsring-worker_loader.js";

/// The global a page can set to start the worker from elsewhere (the single-file build
/// passes a `blob:` URL there).
const WORKER_URL_GLOBAL: &str = "vergleichsringWorkerUrl";

/// What the worker hands back for one file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Parsed {
    /// The file's dataset.
    pub dataset: Dataset,
}

/// Parses one file's bytes (runs in the worker).
pub fn parse(name: &str, bytes: &[u8]) -> Result<Parsed, LoadFailure> {
    let _ = bytes;
    Err(LoadFailure {
        message: format!("Datei {name}: Dieses Format kann noch nicht gelesen werden."),
        position: Position {
            file: Some(name.to_string()),
            line: None,
            column: None,
        },
    })
}

/// The phase of the last load, as `load-status` reports it in `data-state`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LoadState {
    /// Nothing loaded by the user yet.
    #[default]
    Idle,
    /// A job is running.
    Loading,
    /// The last job loaded every file.
    Done,
    /// At least one file of the last job failed.
    Error,
    /// The user cancelled the last job.
    Cancelled,
}

impl LoadState {
    /// The `data-state` value (`idle` before anything happened).
    pub fn code(self) -> &'static str {
        match self {
            LoadState::Idle => "idle",
            LoadState::Loading => "loading",
            LoadState::Done => "done",
            LoadState::Error => "error",
            LoadState::Cancelled => "cancelled",
        }
    }
}

/// What happened to one file of the last job.
#[derive(Clone, Debug, PartialEq)]
pub struct FileOutcome {
    /// The file's name.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// Why it was not read, if it was not.
    pub failure: Option<LoadFailure>,
}

/// The status of the last load.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadStatus {
    /// The phase.
    pub state: LoadState,
    /// The job's number.
    pub job: u32,
    /// The names of the job's files.
    pub names: Vec<String>,
    /// The file being worked on, bytes read and its size; `None` while nothing is read.
    pub reading: Option<(String, u64, u64)>,
    /// The file being parsed.
    pub parsing: Option<String>,
    /// Files answered so far.
    pub files: Vec<FileOutcome>,
}

/// The URL the reading worker starts from.
pub(crate) fn worker_url() -> String {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(WORKER_URL_GLOBAL))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| DEFAULT_WORKER_URL.to_string())
}

/// The page's handle on the worker and the results of the running job.
pub(crate) struct Loader {
    bridge: WorkerBridge<Reader>,
    pending: RefCell<Vec<Parsed>>,
}

impl Loader {
    fn spawn(state: AppState) -> Loader {
        let url = worker_url();
        let mut spawner = Reader::spawner();
        let bridge = spawner
            .encoding::<JsCodec>()
            .callback(move |response| state.on_worker(response))
            .spawn_with_loader(&url);
        Loader {
            bridge,
            pending: RefCell::new(Vec::new()),
        }
    }
}

impl AppState {
    /// Starts the worker (early, so that the first upload does not wait for it).
    pub fn start_worker(&self) {
        let state = *self;
        self.loader.update_value(|loader| {
            if loader.is_none() {
                *loader = Some(Loader::spawn(state));
            }
        });
    }

    /// Reads files in the worker; their data join the loaded data when all are done. A single
    /// file is first checked for case-level rows (`cases.rs`).
    pub fn load_files(&self, files: Vec<web_sys::File>) {
        if !self.offer_cases(&files) {
            self.load_table_files(files);
        }
    }

    /// Reads files as tables in the worker.
    pub(crate) fn load_table_files(&self, files: Vec<web_sys::File>) {
        if files.is_empty() {
            return;
        }
        self.start_worker();
        let job = self.load.get_untracked().job + 1;
        let names = files.iter().map(|f| f.name()).collect();
        self.load.set(LoadStatus {
            state: LoadState::Loading,
            job,
            names,
            ..LoadStatus::default()
        });
        let files = files.into_iter().map(FileHandle).collect();
        self.loader.with_value(|loader| {
            if let Some(loader) = loader {
                loader.pending.borrow_mut().clear();
                loader.bridge.send(Request::Load { job, files });
            }
        });
    }

    /// Stops the running load; the data stay as they were.
    pub fn cancel_load(&self) {
        let job = self.load.get_untracked().job;
        self.loader.with_value(|loader| {
            if let Some(loader) = loader {
                loader.pending.borrow_mut().clear();
                loader.bridge.send(Request::Cancel { job });
            }
        });
        self.load.update(|s| {
            s.state = LoadState::Cancelled;
            s.reading = None;
            s.parsing = None;
        });
    }

    fn on_worker(&self, response: Response) {
        let current = self.load.get_untracked();
        let job = match &response {
            Response::Reading { job, .. }
            | Response::Parsing { job, .. }
            | Response::Loaded { job, .. }
            | Response::Finished { job }
            | Response::Cancelled { job } => *job,
            // Case-level work answers on the case workers' own bridges.
            Response::Cases(_) => return,
        };
        // Answers of a cancelled or superseded job are dropped.
        if job != current.job || current.state != LoadState::Loading {
            return;
        }
        match response {
            Response::Reading {
                file, done, total, ..
            } => self.load.update(|s| {
                s.reading = Some((file, done, total));
                s.parsing = None;
            }),
            Response::Parsing { file, .. } => self.load.update(|s| {
                s.reading = None;
                s.parsing = Some(file);
            }),
            Response::Loaded {
                file, size, result, ..
            } => {
                let failure = match result {
                    Ok(parsed) => {
                        self.loader.with_value(|loader| {
                            if let Some(loader) = loader {
                                loader.pending.borrow_mut().push(*parsed);
                            }
                        });
                        None
                    }
                    Err(failure) => Some(failure),
                };
                self.load.update(|s| {
                    s.reading = None;
                    s.parsing = None;
                    s.files.push(FileOutcome {
                        name: file,
                        size,
                        failure,
                    });
                });
            }
            Response::Finished { .. } => {
                let parsed = self.loader.with_value(|loader| {
                    loader
                        .as_ref()
                        .map(|l| l.pending.take())
                        .unwrap_or_default()
                });
                if let Some(last) = parsed.into_iter().last() {
                    self.set_data(Data {
                        dataset: last.dataset,
                        demo: false,
                    });
                }
                self.load.update(|s| {
                    let failed = s.files.iter().any(|f| f.failure.is_some());
                    s.state = if failed {
                        LoadState::Error
                    } else {
                        LoadState::Done
                    };
                });
            }
            Response::Cancelled { .. } => self.load.update(|s| s.state = LoadState::Cancelled),
            Response::Cases(_) => {}
        }
    }
}
