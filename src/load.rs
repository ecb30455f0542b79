//! Loading files: the page side of the reading worker and the status the Daten view shows.
//!
//! One load is one job: its files are read in the worker one after the other, their results are
//! collected here and applied together when the job finishes, so a cancelled job leaves the
//! data exactly as they were. Files that fail are reported and skipped; the others still load.
//! The first files the user loads replace the demo ring; later ones join the loaded files.

use std::cell::RefCell;
use std::sync::Arc;

use gloo_worker::Spawnable;
use leptos::prelude::*;
use vergleichsring_core::{
    catalogue_hash, format_bytes, read_boundaries, superseded, Dataset, Layout, LoadReport,
    MergeChoices, ReadOptions, DEMO_BOUNDARIES_FILE_NAME, DEMO_BOUNDARIES_GEOJSON,
    MAX_GEOJSON_BYTES,
};

use crate::i18n::Said;
use crate::loaded::{Data, LoadedFile};
use crate::protocol::{
    is_package, FileHandle, JobEvent, JsCodec, LoadFailure, Parsed, Request, Response,
};
use crate::state::AppState;
use crate::worker::Reader;
use crate::workers::{spawn_watched, worker_url, FileOutcome, LoadState, LoadStatus, Loader};

/// Whether a file is a GeoJSON file of boundaries (by its name, as the file input offers it).
pub(crate) fn is_boundary_file(name: &str) -> bool {
    let name = name.to_lowercase();
    name.ends_with(".geojson") || name.ends_with(".json")
}

impl Loader {
    fn spawn(state: AppState) -> Loader {
        let url = worker_url();
        let mut spawner = Reader::spawner();
        let (bridge, worker) = spawn_watched(
            || {
                spawner
                    .encoding::<JsCodec>()
                    .callback(move |response| state.on_worker(response))
                    .spawn_with_loader(&url)
            },
            move |detail| state.on_worker_failed(&detail),
        );
        Loader {
            bridge,
            worker,
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

    pub(crate) fn send(&self, request: Request) {
        self.start_worker();
        self.loader.with_value(|loader| {
            if let Some(loader) = loader {
                loader.bridge.send(request);
            }
        });
    }

    /// Starts a new load job in `load-status`; answers of older jobs are dropped from now on.
    pub(crate) fn begin_job(&self, names: Vec<String>, demo: bool) -> u32 {
        let job = self.load.get_untracked().job + 1;
        self.load.set(LoadStatus {
            state: LoadState::Loading,
            job,
            demo,
            names,
            ..LoadStatus::default()
        });
        self.loader.with_value(|loader| {
            if let Some(loader) = loader {
                loader.pending.borrow_mut().clear();
            }
        });
        job
    }

    /// Loads the built-in demo ring in place of whatever is loaded.
    pub fn load_demo(&self) {
        let job = self.begin_job(
            vec![
                vergleichsring_core::DEMO_RING_FILE_NAME.to_string(),
                vergleichsring_core::DEMO_DISTRICTS_FILE_NAME.to_string(),
            ],
            true,
        );
        self.send(Request::LoadDemo { job });
        let demo = read_boundaries(
            DEMO_BOUNDARIES_FILE_NAME,
            DEMO_BOUNDARIES_GEOJSON.as_bytes(),
        );
        self.boundaries
            .set(Some(demo.map(Arc::new).map_err(|e| {
                (DEMO_BOUNDARIES_FILE_NAME.to_string(), Said::from(e))
            })));
    }

    /// Reads files in the worker; they join the loaded data (or replace the demo) when all
    /// are done. A single file is first checked for case-level rows (`cases.rs`). A GeoJSON
    /// file holds district boundaries (`.geojson`, `.json`) and replaces the ones shown.
    pub fn load_files(&self, files: Vec<web_sys::File>) {
        let (boundaries, tables): (Vec<_>, Vec<_>) =
            files.into_iter().partition(|f| is_boundary_file(&f.name()));
        if let Some(file) = boundaries.into_iter().last() {
            self.load_boundaries(file);
        }
        // Submission packages are no case-level files: they go to the worker with the tables.
        let packages = tables.iter().any(|f| is_package(&f.name()));
        if !tables.is_empty() && (packages || !self.offer_cases(&tables)) {
            self.load_table_files(tables);
        }
    }

    /// Reads a GeoJSON file of district boundaries in the worker (a city's take a few MB, whose
    /// parsing would stall the page); they replace the ones shown when it answers.
    fn load_boundaries(&self, file: web_sys::File) {
        let name = file.name();
        // Kept, so that a session saved with its data carries the boundaries.
        self.remember(std::slice::from_ref(&file));
        if file.size() > MAX_GEOJSON_BYTES as f64 {
            let size = format_bytes(file.size() as u64);
            let message = Said::app(|t| t.map.too_large, &[("size", &size)]);
            self.boundaries.set(Some(Err((name, message))));
            return;
        }
        self.send(Request::Boundaries {
            file: FileHandle(file),
        });
    }

    /// Reads files as tables in the worker.
    pub(crate) fn load_table_files(&self, files: Vec<web_sys::File>) {
        if files.is_empty() {
            return;
        }
        self.remember(&files);
        let job = self.begin_job(files.iter().map(|f| f.name()).collect(), false);
        let catalogue = self.catalogue.with_untracked(catalogue_hash);
        self.send(Request::Load {
            job,
            files: files.into_iter().map(FileHandle).collect(),
            catalogue,
        });
    }

    /// Stops the running load; the data stay as they were.
    pub fn cancel_load(&self) {
        let job = self.load.get_untracked().job;
        self.send(Request::Cancel { job });
        self.forget_pending();
        self.load.update(|s| {
            s.state = LoadState::Cancelled;
            s.reading = None;
            s.parsing = None;
        });
    }

    /// Asks the worker for the rows around a line of an upload (they arrive in `focus_rows`).
    pub(crate) fn request_rows(&self, upload: u32, line: usize) {
        self.send(Request::Rows { upload, line });
    }

    /// Applies an edited layout to a file: its dataset is built again in the worker.
    pub fn relayout(&self, upload: u32, layout: Layout) {
        self.send(Request::Relayout { upload, layout });
    }

    /// Reads a file again with the user's settings (encoding, separator, header line).
    pub fn reread(&self, upload: u32, options: ReadOptions) {
        self.send(Request::Reread { upload, options });
    }

    /// Removes one loaded file.
    pub fn remove_file(&self, upload: u32) {
        let (files, choices) = self.page.data.with_untracked(|d| {
            (
                d.files
                    .iter()
                    .filter(|f| f.upload != upload)
                    .cloned()
                    .collect(),
                d.choices.clone(),
            )
        });
        if self.remerge(files, choices).is_ok() {
            self.send(Request::Forget {
                uploads: vec![upload],
            });
        }
    }

    /// Removes every loaded file.
    pub fn clear_data(&self) {
        let uploads = self
            .page
            .data
            .with_untracked(|d| d.files.iter().map(|f| f.upload).collect());
        self.send(Request::Forget { uploads });
        self.set_data(Data::default());
    }

    /// Chooses which file's values count for a measure key several files bring.
    pub fn choose_source(&self, key: String, file: usize) -> Result<(), Said> {
        let (files, mut choices) = self
            .page
            .data
            .with_untracked(|d| (d.files.clone(), d.choices.clone()));
        choices.insert(key, file);
        self.remerge(files, choices)
    }

    fn forget_pending(&self) {
        let uploads: Vec<u32> = self.loader.with_value(|loader| {
            loader
                .as_ref()
                .map(|l| {
                    l.pending
                        .take()
                        .into_iter()
                        .map(|(_, p)| p.upload)
                        .collect()
                })
                .unwrap_or_default()
        });
        if !uploads.is_empty() {
            self.send(Request::Forget { uploads });
        }
    }

    /// The reading worker failed (a panic, out of memory): it is ended, whatever it was reading
    /// is lost, and the next request starts a fresh one. The data on the page stay as they
    /// were, because a job's results are applied only when it finishes.
    fn on_worker_failed(&self, detail: &str) {
        self.loader.update_value(|loader| {
            if let Some(worker) = loader.take().and_then(|l| l.worker) {
                worker.terminate();
            }
        });
        let message = Said::app(|t| t.worker_failed, &[("detail", detail)]);
        self.load.update(|s| {
            s.state = LoadState::Error;
            s.reading = None;
            s.parsing = None;
            s.message = Some(message);
        });
    }

    fn on_worker(&self, response: Response) {
        match response {
            Response::Relayouted { upload, result } => self.apply_layout(upload, result),
            Response::Reread { upload, result } => self.apply_reread(upload, result),
            Response::Rows { upload, rows } => self.focus_rows.set(Some((upload, rows))),
            Response::Job { job, event } => self.on_job(job, event),
            Response::Boundaries { file, result } => self.boundaries.set(Some(
                result
                    .map(|b| Arc::new(b.0))
                    .map_err(|failure| (file, failure.message)),
            )),
            // The inspection of an upload (`cases.rs`); the aggregation answers on the case
            // workers' own bridges.
            Response::Cases(response) => self.on_case(response),
        }
    }

    fn on_job(&self, job: u32, event: JobEvent) {
        let current = self.load.get_untracked();
        // Answers of a cancelled or superseded job are dropped (their tables too).
        if job != current.job || current.state != LoadState::Loading {
            if let JobEvent::Loaded {
                result: Ok(parsed), ..
            } = event
            {
                self.send(Request::Forget {
                    uploads: vec![parsed.upload],
                });
            }
            return;
        }
        match event {
            JobEvent::Reading { file, done, total } => self.load.update(|s| {
                s.reading = Some((file, done, total));
                s.parsing = None;
            }),
            JobEvent::Parsing { file } => self.load.update(|s| {
                s.reading = None;
                s.parsing = Some(file);
            }),
            JobEvent::Loaded { file, size, result } => {
                let (upload, failure) = match result {
                    Ok(parsed) => {
                        let outcome = (Some(parsed.upload), parsed.problem.clone());
                        self.loader.with_value(|loader| {
                            if let Some(loader) = loader {
                                loader.pending.borrow_mut().push((size, *parsed));
                            }
                        });
                        outcome
                    }
                    Err(failure) => (None, Some(failure)),
                };
                self.load.update(|s| {
                    s.reading = None;
                    s.parsing = None;
                    s.files.push(FileOutcome {
                        name: file,
                        size,
                        upload,
                        failure,
                        superseded: None,
                    });
                });
            }
            JobEvent::Finished => self.finish(current.demo),
            JobEvent::Cancelled => self.load.update(|s| s.state = LoadState::Cancelled),
        }
    }

    /// Applies the files of a finished job: they replace the demo (or everything, for the demo
    /// itself) or join the loaded files.
    fn finish(&self, demo: bool) {
        let parsed: Vec<(u64, Parsed)> = self.loader.with_value(|loader| {
            loader
                .as_ref()
                .map(|l| l.pending.take())
                .unwrap_or_default()
        });
        let mut message = None;
        if !parsed.is_empty() {
            let (mut files, cases, choices, replaced) = self.page.data.with_untracked(|d| {
                if demo || d.demo {
                    let replaced = d.files.iter().map(|f| f.upload).collect();
                    (Vec::new(), None, MergeChoices::new(), replaced)
                } else {
                    (
                        d.files.clone(),
                        d.cases.clone(),
                        d.choices.clone(),
                        Vec::new(),
                    )
                }
            });
            let new: Vec<u32> = parsed.iter().map(|(_, p)| p.upload).collect();
            files.extend(parsed.into_iter().map(|(size, p)| LoadedFile::new(size, p)));
            let dropped = self.drop_superseded(&mut files);
            if !dropped.is_empty() {
                self.send(Request::Forget { uploads: dropped });
            }
            match Data::merged(files, cases, choices, demo) {
                Ok(data) => {
                    self.set_data(data);
                    // The demo's boundaries go with the demo's districts.
                    let demo_shown = self.boundaries.with_untracked(
                        |b| matches!(b, Some(Ok(b)) if b.file == DEMO_BOUNDARIES_FILE_NAME),
                    );
                    if !demo && !replaced.is_empty() && demo_shown {
                        self.boundaries.set(None);
                    }
                    if !replaced.is_empty() {
                        self.send(Request::Forget { uploads: replaced });
                    }
                }
                Err(e) => {
                    message = Some(Said::from(e));
                    self.send(Request::Forget { uploads: new });
                }
            }
        }
        self.load.update(|s| {
            let failed = message.is_some() || s.files.iter().any(|f| f.failure.is_some());
            s.state = if failed {
                LoadState::Error
            } else {
                LoadState::Done
            };
            s.message = message;
        });
    }

    /// Of two submission packages for the same member and year the later `created` stays
    /// (CONTRACT §8); the other leaves the files, and its line in `load-status` names the one
    /// that replaced it. Returns the uploads dropped.
    fn drop_superseded(&self, files: &mut Vec<LoadedFile>) -> Vec<u32> {
        let packed: Vec<usize> = (0..files.len())
            .filter(|&i| files[i].package.is_some())
            .collect();
        let manifests: Vec<_> = packed
            .iter()
            .filter_map(|&i| files[i].package.as_ref().map(|p| &p.manifest))
            .collect();
        let replaced: Vec<(u32, String)> = superseded(&manifests)
            .into_iter()
            .enumerate()
            .filter_map(|(k, by)| {
                by.map(|w| {
                    (
                        files[packed[k]].upload,
                        files[packed[w]].report.file.clone(),
                    )
                })
            })
            .collect();
        self.load.update(|s| {
            for outcome in &mut s.files {
                if let Some((_, by)) = replaced.iter().find(|(u, _)| Some(*u) == outcome.upload) {
                    outcome.upload = None;
                    outcome.superseded =
                        Some(Said::app(|t| t.exchange.package_superseded, &[("by", by)]));
                }
            }
        });
        files.retain(|f| !replaced.iter().any(|(u, _)| *u == f.upload));
        replaced.into_iter().map(|(u, _)| u).collect()
    }

    fn apply_layout(
        &self,
        upload: u32,
        result: Result<Box<(Layout, Dataset, LoadReport)>, LoadFailure>,
    ) {
        self.update_file(upload, |file| match result {
            Ok(built) => {
                let (layout, dataset, report) = *built;
                file.layout = layout;
                file.dataset = Arc::new(dataset);
                file.report = report;
                file.problem = None;
            }
            Err(failure) => file.problem = Some(failure.message),
        });
    }

    fn apply_reread(&self, upload: u32, result: Result<Box<Parsed>, LoadFailure>) {
        self.update_file(upload, |file| match result {
            Ok(parsed) => {
                // Reading again keeps what the upload came in (a submission package).
                let package = file.package.take();
                *file = LoadedFile::new(file.size, *parsed);
                file.package = package;
            }
            Err(failure) => file.problem = Some(failure.message),
        });
    }

    /// Changes one file and merges again; when the merge fails the data stay and the file
    /// says why.
    fn update_file(&self, upload: u32, change: impl FnOnce(&mut LoadedFile)) {
        let (mut files, choices) = self
            .page
            .data
            .with_untracked(|d| (d.files.clone(), d.choices.clone()));
        let Some(file) = files.iter_mut().find(|f| f.upload == upload) else {
            return;
        };
        change(file);
        if let Err(message) = self.remerge(files, choices) {
            self.page.data.update(|d| {
                if let Some(file) = Arc::make_mut(d)
                    .files
                    .iter_mut()
                    .find(|f| f.upload == upload)
                {
                    file.problem = Some(message);
                }
            });
        }
    }
}
