//! The reading worker: uploads are read and parsed off the main thread, so the page stays
//! responsive and a load can be cancelled.
//!
//! The messages are in `protocol.rs`. The worker reads a file handle with `FileReaderSync` in
//! slices, reports progress after each and yields to its event loop between steps, which is where
//! a `Cancel` gets through.
//!
//! A GeoJSON file of district boundaries is read here too ([`Request::Boundaries`]), whole.
//!
//! The worker keeps each upload's table (the page only gets its dataset, report and a preview),
//! so an edited layout is applied here ([`Request::Relayout`]) without sending tables around.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use crate::i18n::Said;
use crate::protocol::{
    browser_error, is_package, FileHandle, JobEvent, LoadFailure, PackedBoundaries, Parsed,
    Preview, Request, Response, MAX_TABLE_BYTES,
};
use gloo_worker::{HandlerId, Worker, WorkerScope};
use vergleichsring_core::{
    build_dataset, detect_layout, format_bytes, open_package_checked, read_boundaries, read_table,
    Dataset, Layout, LoadReport, Position, ReadOptions, Table, DEMO_DISTRICTS_CSV,
    DEMO_DISTRICTS_FILE_NAME, DEMO_RING_CSV, DEMO_RING_FILE_NAME,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Bytes read per `FileReaderSync` call: large enough to be fast, small enough for progress.
const SLICE_BYTES: u64 = 8 * 1024 * 1024;

/// Data rows the page gets for its preview.
const PREVIEW_ROWS: usize = 20;

/// A table's row as the page shows it: its line and its fields.
fn shown_row(table: &Table, row: vergleichsring_core::Row<'_>) -> (usize, Vec<String>) {
    (
        row.line(),
        (0..table.width()).map(|j| row.get(j).to_string()).collect(),
    )
}

/// The rows around the record that starts at `line` (two on each side).
fn rows_around(table: &Table, line: usize) -> Vec<(usize, Vec<String>)> {
    let Some(at) = table.rows().position(|row| row.line() >= line) else {
        return Vec::new();
    };
    table
        .rows()
        .skip(at.saturating_sub(2))
        .take(5)
        .map(|row| shown_row(table, row))
        .collect()
}

impl Preview {
    fn of(table: &Table, layout: &Layout) -> Preview {
        Preview {
            header: layout.columns.iter().map(|c| c.name.clone()).collect(),
            rows: table
                .rows()
                .take(PREVIEW_ROWS)
                .map(|row| shown_row(table, row))
                .collect(),
            total: table.len(),
        }
    }
}

/// What the worker keeps of an upload.
struct Kept {
    name: String,
    bytes: Vec<u8>,
    table: Table,
}

/// The worker's state, shared with its running jobs.
#[derive(Default)]
struct Store {
    /// The highest cancelled job.
    cancelled: Cell<u32>,
    /// The uploads, by upload number: the table, and the bytes for reading them again.
    uploads: RefCell<HashMap<u32, Kept>>,
    /// The last upload number given out.
    last_upload: Cell<u32>,
}

impl Store {
    /// Reads a file, keeps its table and hands the page the rest.
    fn parse(&self, name: &str, bytes: Vec<u8>) -> Result<Box<Parsed>, LoadFailure> {
        let options = ReadOptions::default();
        let table = read_table(name, &bytes, &options)?;
        let id = self.last_upload.get() + 1;
        self.last_upload.set(id);
        Ok(self.keep(id, name.to_string(), bytes, table, options))
    }

    /// Opens a submission package (CONTRACT §8) and reads its `data.csv` as the upload, so the
    /// member's figures join the ring like any loaded file; a refused package says why.
    fn parse_package(
        &self,
        name: &str,
        bytes: &[u8],
        catalogue: &str,
    ) -> Result<Box<Parsed>, LoadFailure> {
        let package = open_package_checked(bytes, catalogue).map_err(|refusal| LoadFailure {
            message: Said::app(
                |t| t.exchange.package_refused,
                &[("file", name), ("reason", &refusal.to_string())],
            ),
            position: Position {
                file: Some(name.to_string()),
                line: None,
                column: None,
            },
        })?;
        let mut parsed = self.parse(name, package.data_csv.clone().into_bytes())?;
        parsed.package = Some(Box::new(package));
        Ok(parsed)
    }

    /// Reads an upload again with other settings; on failure the old reading stays. `None`
    /// when the upload is gone.
    fn reread(&self, id: u32, options: ReadOptions) -> Option<Result<Box<Parsed>, LoadFailure>> {
        let kept = self.uploads.borrow_mut().remove(&id)?;
        Some(match read_table(&kept.name, &kept.bytes, &options) {
            Ok(table) => Ok(self.keep(id, kept.name, kept.bytes, table, options)),
            Err(e) => {
                self.uploads.borrow_mut().insert(id, kept);
                Err(e.into())
            }
        })
    }

    /// Detects the layout, builds the dataset and keeps the table. A table whose detected
    /// layout does not build is kept too, with an empty dataset and the reason, so its columns
    /// can be fixed in the column panel.
    fn keep(
        &self,
        id: u32,
        name: String,
        bytes: Vec<u8>,
        table: Table,
        options: ReadOptions,
    ) -> Box<Parsed> {
        let layout = detect_layout(&table);
        let (dataset, report, problem) = match build_dataset(&table, &layout) {
            Ok((dataset, report)) => (dataset, report, None),
            Err(e) => (
                Dataset::default(),
                LoadReport::of_table(&table, &layout),
                Some(e.into()),
            ),
        };
        let preview = Preview::of(&table, &layout);
        self.uploads
            .borrow_mut()
            .insert(id, Kept { name, bytes, table });
        Box::new(Parsed {
            upload: id,
            options,
            layout,
            dataset,
            report,
            preview,
            problem,
            package: None,
        })
    }
}

/// The worker itself.
pub struct Reader {
    store: Rc<Store>,
}

impl Worker for Reader {
    type Message = ();
    type Input = Request;
    type Output = Response;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        Reader {
            store: Rc::new(Store::default()),
        }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Self::Input, id: HandlerId) {
        let job = |job| Job {
            scope: scope.clone(),
            id,
            job,
            store: self.store.clone(),
        };
        match msg {
            Request::Cancel { job } => {
                self.store
                    .cancelled
                    .set(self.store.cancelled.get().max(job));
            }
            Request::Load {
                job: n,
                files,
                catalogue,
            } => wasm_bindgen_futures::spawn_local(job(n).load(files, catalogue)),
            Request::LoadDemo { job: n } => job(n).load_demo(),
            Request::Cases(request) => {
                let scope = scope.clone();
                crate::case_worker::received(
                    move |r| scope.respond(id, Response::Cases(r)),
                    request,
                )
            }
            Request::Relayout { upload, layout } => {
                let result = match self.store.uploads.borrow().get(&upload) {
                    Some(kept) => build_dataset(&kept.table, &layout)
                        .map(|(dataset, report)| Box::new((layout, dataset, report)))
                        .map_err(LoadFailure::from),
                    // The page dropped the upload meanwhile; nothing to apply.
                    None => return,
                };
                scope.respond(id, Response::Relayouted { upload, result });
            }
            Request::Rows { upload, line } => {
                let rows = match self.store.uploads.borrow().get(&upload) {
                    Some(kept) => rows_around(&kept.table, line),
                    None => return,
                };
                scope.respond(id, Response::Rows { upload, rows });
            }
            Request::Reread { upload, options } => {
                // `None`: the page dropped the upload meanwhile; nothing to apply.
                if let Some(result) = self.store.reread(upload, options) {
                    scope.respond(id, Response::Reread { upload, result });
                }
            }
            Request::Boundaries {
                file: FileHandle(file),
            } => {
                let name = file.name();
                let result = read_file(&file, &name).and_then(|bytes| {
                    read_boundaries(&name, &bytes)
                        .map(PackedBoundaries)
                        .map_err(LoadFailure::from)
                });
                scope.respond(id, Response::Boundaries { file: name, result });
            }
            Request::Forget { uploads } => {
                let mut kept = self.store.uploads.borrow_mut();
                for upload in uploads {
                    kept.remove(&upload);
                }
            }
        }
    }
}

/// One running request, with what it needs to answer and to notice a cancel.
struct Job {
    scope: WorkerScope<Reader>,
    id: HandlerId,
    job: u32,
    store: Rc<Store>,
}

impl Job {
    fn respond(&self, event: JobEvent) {
        self.scope.respond(
            self.id,
            Response::Job {
                job: self.job,
                event,
            },
        );
    }

    fn is_cancelled(&self) -> bool {
        self.store.cancelled.get() >= self.job
    }

    fn load_demo(self) {
        let result = self
            .store
            .parse(DEMO_RING_FILE_NAME, DEMO_RING_CSV.as_bytes().to_vec());
        self.respond(JobEvent::Loaded {
            file: DEMO_RING_FILE_NAME.to_string(),
            size: DEMO_RING_CSV.len() as u64,
            result,
        });
        let districts = self.store.parse(
            DEMO_DISTRICTS_FILE_NAME,
            DEMO_DISTRICTS_CSV.as_bytes().to_vec(),
        );
        self.respond(JobEvent::Loaded {
            file: DEMO_DISTRICTS_FILE_NAME.to_string(),
            size: DEMO_DISTRICTS_CSV.len() as u64,
            result: districts,
        });
        self.respond(JobEvent::Finished);
    }

    async fn load(self, files: Vec<FileHandle>, catalogue: String) {
        for FileHandle(file) in files {
            let name = file.name();
            let size = file.size() as u64;
            let result = if size > MAX_TABLE_BYTES {
                Err(too_large(&name, size))
            } else {
                match self.read(&file, &name, size).await {
                    Ok(Some(bytes)) => {
                        self.respond(JobEvent::Parsing { file: name.clone() });
                        yield_now().await;
                        if self.is_cancelled() {
                            break;
                        }
                        if is_package(&name) {
                            self.store.parse_package(&name, &bytes, &catalogue)
                        } else {
                            self.store.parse(&name, bytes)
                        }
                    }
                    Ok(None) => break,
                    Err(failure) => Err(failure),
                }
            };
            self.respond(JobEvent::Loaded {
                file: name,
                size,
                result,
            });
        }
        if self.is_cancelled() {
            self.respond(JobEvent::Cancelled);
        } else {
            self.respond(JobEvent::Finished);
        }
    }

    /// All bytes of the file, or `None` when the job was cancelled meanwhile.
    async fn read(
        &self,
        file: &web_sys::File,
        name: &str,
        size: u64,
    ) -> Result<Option<Vec<u8>>, LoadFailure> {
        let browser_error = |e: JsValue| browser_error(name, e);
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
            self.respond(JobEvent::Reading {
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

/// All bytes of a file at once (a GeoJSON file: its size is checked on the page).
fn read_file(file: &web_sys::File, name: &str) -> Result<Vec<u8>, LoadFailure> {
    let browser_error = |e: JsValue| browser_error(name, e);
    let reader = web_sys::FileReaderSync::new().map_err(browser_error)?;
    let buffer = reader.read_as_array_buffer(file).map_err(browser_error)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

fn too_large(name: &str, size: u64) -> LoadFailure {
    LoadFailure {
        message: Said::app(
            |t| t.too_large,
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
