//! The page's handles on its workers and what they report: the reading worker's bridge and
//! the status of the last load, the case-level workers and their run. Plain state the
//! [`AppState`](crate::state) holds; the methods that drive them are in `load.rs` and `cases.rs`.

use std::cell::RefCell;

use gloo_worker::WorkerBridge;
use leptos::prelude::*;
use vergleichsring_core::{Aggregate, CaseLayout};
use wasm_bindgen::JsValue;

use crate::i18n::Said;
use crate::protocol::{LoadFailure, Parsed};
use crate::worker::Reader;

/// Where the worker's loader script is when the page does not say otherwise (Trunk's shim).
const DEFAULT_WORKER_URL: &str = "./vergleichsring-worker_loader.js";

/// The global a page can set to start the worker from elsewhere (the single-file build
/// passes a `blob:` URL there).
const WORKER_URL_GLOBAL: &str = "vergleichsringWorkerUrl";

/// The phase of the last load, as `load-status` reports it in `data-state`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LoadState {
    /// Nothing loaded yet.
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
    /// Its upload number once read (its report is then in [`Data::files`]).
    pub upload: Option<u32>,
    /// Why it was not read, if it was not.
    pub failure: Option<LoadFailure>,
    /// The later package that replaced this one (a submission package of the same member and
    /// year), in words.
    pub superseded: Option<Said>,
}

/// The status of the last load.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadStatus {
    /// The phase.
    pub state: LoadState,
    /// The job's number.
    pub job: u32,
    /// Whether the job loads the demo ring.
    pub demo: bool,
    /// The names of the job's files.
    pub names: Vec<String>,
    /// The file being read, bytes read and its size.
    pub reading: Option<(String, u64, u64)>,
    /// The file being parsed.
    pub parsing: Option<String>,
    /// Files answered so far.
    pub files: Vec<FileOutcome>,
    /// A problem of the job as a whole (the files could not be merged).
    pub message: Option<Said>,
    /// Whether the job aggregated a case-level file into the data's case groups.
    pub cases: bool,
}

/// The URL the reading worker starts from.
pub(crate) fn worker_url() -> String {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(WORKER_URL_GLOBAL))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| DEFAULT_WORKER_URL.to_string())
}

/// The page's handle on the worker and the files of the running job.
pub(crate) struct Loader {
    pub(crate) bridge: WorkerBridge<Reader>,
    /// The worker itself, to end it when it has failed.
    pub(crate) worker: Option<web_sys::Worker>,
    pub(crate) pending: RefCell<Vec<(u64, Parsed)>>,
}

/// Spawns a worker through gloo-worker and calls `failed` with the error's text when it fails
/// (a panic or running out of memory ends its wasm; only the `Worker` object hears that, as an
/// `error` event). gloo-worker does not hand that object out, so while `spawn` runs the page's
/// `Worker` constructor is wrapped in a proxy that keeps what it builds. Returns the worker too,
/// so that a failed one can be ended.
pub(crate) fn spawn_watched<T>(
    spawn: impl FnOnce() -> T,
    failed: impl Fn(String) + 'static,
) -> (T, Option<web_sys::Worker>) {
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let global = js_sys::global();
    let name = JsValue::from_str("Worker");
    let Ok(native) = js_sys::Reflect::get(&global, &name) else {
        return (spawn(), None);
    };
    let made: Rc<RefCell<Option<JsValue>>> = Rc::default();
    let keep = made.clone();
    let construct =
        Closure::<dyn FnMut(js_sys::Function, js_sys::Array) -> Result<JsValue, JsValue>>::new(
            move |target: js_sys::Function, args: js_sys::Array| {
                let worker = js_sys::Reflect::construct(&target, &args)?;
                keep.replace(Some(worker.clone()));
                Ok(worker)
            },
        );
    let handler = js_sys::Object::new();
    let proxied = js_sys::Reflect::set(
        &handler,
        &JsValue::from_str("construct"),
        construct.as_ref(),
    )
    .and_then(|_| {
        let proxy = js_sys::Proxy::new(&native, &handler);
        js_sys::Reflect::set(&global, &name, &proxy)
    })
    .unwrap_or(false);
    let result = spawn();
    if proxied {
        // Putting back the page's own constructor cannot fail where replacing it did not.
        let _ = js_sys::Reflect::set(&global, &name, &native);
    }
    let worker = made
        .take()
        .and_then(|w| w.dyn_into::<web_sys::Worker>().ok());
    if let Some(worker) = &worker {
        let listener =
            Closure::<dyn Fn(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
                failed(event.message())
            });
        let _ = worker.add_event_listener_with_callback("error", listener.as_ref().unchecked_ref());
        // The worker lives as long as the page may use it; so does its listener.
        listener.forget();
    }
    (result, worker)
}

/// The case-level upload and its aggregation, as signals (a `Copy` handle like [`AppState`]).
#[derive(Clone, Copy)]
pub struct CaseState {
    /// The inspected case-level upload: its name, size and layout.
    pub(crate) upload: RwSignal<Option<(String, u64, CaseLayout)>>,
    /// The chosen group columns.
    pub(crate) by: RwSignal<Vec<String>>,
    /// The chosen sum columns.
    pub(crate) sum: RwSignal<Vec<String>>,
    /// Rows and bytes read by the running aggregation, and when it started (ms).
    pub(crate) progress: RwSignal<Option<Progress>>,
    /// The last result.
    pub(crate) result: RwSignal<Option<Aggregate>>,
    /// Why the last aggregation failed, or what it could not do.
    pub(crate) message: RwSignal<Option<Said>>,
    pub(crate) pool: StoredValue<Pool, LocalStorage>,
}

/// How far the running aggregation is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Progress {
    pub(crate) rows: u64,
    pub(crate) bytes: u64,
    pub(crate) total: u64,
    pub(crate) started: f64,
}

/// The workers, the file and the parts of the running aggregation.
#[derive(Default)]
pub(crate) struct Pool {
    pub(crate) workers: Vec<WorkerBridge<Reader>>,
    /// The workers themselves, to end them when one has failed.
    pub(crate) handles: Vec<web_sys::Worker>,
    pub(crate) file: Option<web_sys::File>,
    pub(crate) job: u32,
    /// The page's load job the run shows its progress in (a cancel there stops it).
    pub(crate) load_job: u32,
    /// The page's load job of the running inspection.
    pub(crate) inspect_job: u32,
    pub(crate) running: bool,
    pub(crate) parts: Vec<Part>,
}

/// One byte range of a run.
pub(crate) struct Part {
    pub(crate) start: u64,
    pub(crate) end: u64,
    pub(crate) bytes: u64,
    pub(crate) rows: u64,
    pub(crate) result: Option<Aggregate>,
}

impl CaseState {
    /// Empty: no case-level upload.
    pub fn new() -> CaseState {
        CaseState {
            upload: RwSignal::new(None),
            by: RwSignal::new(Vec::new()),
            sum: RwSignal::new(Vec::new()),
            progress: RwSignal::new(None),
            result: RwSignal::new(None),
            message: RwSignal::new(None),
            pool: StoredValue::new_local(Pool::default()),
        }
    }
}

impl Default for CaseState {
    fn default() -> Self {
        CaseState::new()
    }
}
