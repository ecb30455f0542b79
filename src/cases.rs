//! Case-level files on the page: a single upload is first inspected in a worker; when its rows
//! are cases, the user picks group and sum columns (`case-by`, `case-sum`) and `case-run`
//! aggregates it with one worker per core, each reading its own byte range of the file. The
//! parts are merged here and the result replaces the dataset the other views use. Progress and
//! cancel go through the page's load status (`load-status`, `load-progress`, `load-cancel`); a
//! cancelled run leaves the previous data as they were.

use gloo_worker::{Spawnable, WorkerBridge};
use leptos::prelude::*;
use vergleichsring_core::{
    format_integer, format_number, Aggregate, CaseLayout, CaseQuery, MergeChoices, StoredCases,
};
use wasm_bindgen::JsCast;

use crate::i18n::{fill, Said};
use crate::load::{spawn_watched, LoadState};
use crate::protocol::{
    CaseRequest, CaseResponse, FileHandle, JsCodec, LoadFailure, Request, Response,
};
use crate::state::{AppState, CaseData};
use crate::worker::Reader;

/// Files below this size are read by one worker: starting more costs more than it saves.
const SPLIT_FROM: u64 = 8 * 1024 * 1024;

/// At most this many workers, whatever the machine reports.
const MAX_WORKERS: usize = 8;

/// Groups shown in the result table; the dataset keeps them all.
const SHOWN_GROUPS: usize = 1000;

/// The case-level upload and its aggregation, as signals (a `Copy` handle like [`AppState`]).
#[derive(Clone, Copy)]
pub struct CaseState {
    /// The inspected case-level upload: its name, size and layout.
    upload: RwSignal<Option<(String, u64, CaseLayout)>>,
    /// The chosen group columns.
    by: RwSignal<Vec<String>>,
    /// The chosen sum columns.
    sum: RwSignal<Vec<String>>,
    /// Rows and bytes read by the running aggregation, and when it started (ms).
    progress: RwSignal<Option<Progress>>,
    /// The last result.
    result: RwSignal<Option<Aggregate>>,
    /// Why the last aggregation failed, or what it could not do.
    message: RwSignal<Option<Said>>,
    pool: StoredValue<Pool, LocalStorage>,
}

/// How far the running aggregation is.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Progress {
    rows: u64,
    bytes: u64,
    total: u64,
    started: f64,
}

/// The workers, the file and the parts of the running aggregation.
#[derive(Default)]
struct Pool {
    workers: Vec<WorkerBridge<Reader>>,
    /// The workers themselves, to end them when one has failed.
    handles: Vec<web_sys::Worker>,
    file: Option<web_sys::File>,
    job: u32,
    /// The page's load job the run shows its progress in (a cancel there stops it).
    load_job: u32,
    /// The page's load job of the running inspection.
    inspect_job: u32,
    running: bool,
    parts: Vec<Part>,
}

/// One byte range of a run.
struct Part {
    start: u64,
    end: u64,
    bytes: u64,
    rows: u64,
    result: Option<Aggregate>,
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

    fn running(&self) -> bool {
        self.pool.with_value(|p| p.running)
    }

    /// Makes sure `n` workers run; their answers come to [`AppState::on_case`].
    fn workers(&self, state: AppState, n: usize) {
        self.pool.update_value(|pool| {
            while pool.workers.len() < n {
                let (bridge, handle) = spawn_watched(
                    || {
                        Reader::spawner()
                            .encoding::<JsCodec>()
                            .callback(move |response| {
                                if let Response::Cases(response) = response {
                                    state.on_case(response);
                                }
                            })
                            .spawn_with_loader(&crate::load::worker_url())
                    },
                    move |detail| state.on_case_worker_failed(&detail),
                );
                pool.workers.push(bridge);
                pool.handles.extend(handle);
            }
        });
    }

    fn send(&self, worker: usize, request: CaseRequest) {
        self.pool.with_value(|pool| {
            if let Some(bridge) = pool.workers.get(worker) {
                bridge.send(Request::Cases(request));
            }
        });
    }
}

impl Default for CaseState {
    fn default() -> Self {
        CaseState::new()
    }
}

impl AppState {
    /// Takes a single upload to check whether it is case-level; if it is not, it goes on to
    /// the table reader. Returns whether it took the files.
    pub fn offer_cases(&self, files: &[web_sys::File]) -> bool {
        let [file] = files else {
            return false;
        };
        let cases = self.cases;
        if cases.running() {
            return false;
        }
        cases.workers(*self, 1);
        // The inspection is part of the load: `load-status` says loading until it is decided.
        let job = self.begin_job(vec![file.name()], false);
        cases.pool.update_value(|p| {
            p.file = Some(file.clone());
            p.inspect_job = job;
        });
        cases.send(
            0,
            CaseRequest::Inspect {
                file: FileHandle(file.clone()),
            },
        );
        true
    }

    /// Aggregates the case-level upload by the chosen columns.
    pub fn run_cases(&self) {
        let cases = self.cases;
        let Some((name, size, layout)) = cases.upload.get_untracked() else {
            return;
        };
        let Some(file) = cases.pool.with_value(|p| p.file.clone()) else {
            return;
        };
        let query = CaseQuery {
            by: cases.by.get_untracked(),
            sum: cases.sum.get_untracked(),
            encoding: None,
        };
        let ranges = layout.ranges(size, workers_for(size));
        cases.workers(*self, ranges.len());
        let load_job = self.begin_job(vec![name.clone()], false);
        self.load
            .update(|s| s.reading = Some((name.clone(), 0, size)));
        cases.message.set(None);
        cases.progress.set(Some(Progress {
            rows: 0,
            bytes: 0,
            total: size,
            started: js_sys::Date::now(),
        }));
        let job = cases.pool.with_value(|p| p.job) + 1;
        cases.pool.update_value(|pool| {
            pool.job = job;
            pool.load_job = load_job;
            pool.running = true;
            pool.parts = ranges
                .iter()
                .map(|&(start, end)| Part {
                    start,
                    end,
                    bytes: 0,
                    rows: 0,
                    result: None,
                })
                .collect();
        });
        for (part, &(start, end)) in ranges.iter().enumerate() {
            cases.send(
                part,
                CaseRequest::Aggregate {
                    job,
                    part,
                    file: FileHandle(file.clone()),
                    layout: Box::new(layout.clone()),
                    query: query.clone(),
                    start,
                    end,
                },
            );
        }
    }

    /// Stops the running aggregation; the data stay as they were.
    fn cancel_cases(&self) {
        let cases = self.cases;
        let (job, workers) = cases.pool.with_value(|p| (p.job, p.workers.len()));
        for worker in 0..workers {
            cases.send(worker, CaseRequest::Cancel { job });
        }
        cases.pool.update_value(|p| {
            p.running = false;
            p.parts.clear();
        });
        cases.progress.set(None);
    }

    /// A case worker failed (a panic, out of memory): every case worker is ended and the run
    /// stops; the next run starts fresh ones. The data stay as they were.
    fn on_case_worker_failed(&self, detail: &str) {
        let cases = self.cases;
        cases.pool.update_value(|p| {
            p.handles.drain(..).for_each(|w| w.terminate());
            p.workers.clear();
            p.running = false;
            p.parts.clear();
        });
        cases.progress.set(None);
        cases
            .message
            .set(Some(Said::app(|t| t.worker_failed, &[("detail", detail)])));
        self.load.update(|s| {
            s.state = LoadState::Error;
            s.reading = None;
            s.parsing = None;
        });
    }

    fn on_case(&self, response: CaseResponse) {
        let cases = self.cases;
        let current = |job: u32| cases.pool.with_value(|p| p.running && p.job == job);
        match response {
            CaseResponse::Inspected { result } => self.inspected(result),
            CaseResponse::Progress {
                job,
                part,
                bytes,
                rows,
            } if current(job) => {
                let (bytes, rows) = cases
                    .pool
                    .try_update_value(|pool| {
                        if let Some(p) = pool.parts.get_mut(part) {
                            p.bytes = bytes;
                            p.rows = rows;
                        }
                        (
                            pool.parts.iter().map(|p| p.bytes).sum(),
                            pool.parts.iter().map(|p| p.rows).sum(),
                        )
                    })
                    .unwrap_or((0, 0));
                cases.progress.update(|p| {
                    if let Some(p) = p {
                        p.bytes = bytes.min(p.total);
                        p.rows = rows;
                    }
                });
                self.load.update(|s| {
                    if let Some(reading) = s.reading.as_mut() {
                        reading.1 = bytes.min(reading.2);
                    }
                });
            }
            CaseResponse::Done { job, part, result } if current(job) => match result {
                Ok(aggregate) => {
                    cases.pool.update_value(|pool| {
                        if let Some(p) = pool.parts.get_mut(part) {
                            p.result = Some(*aggregate);
                        }
                    });
                    self.assemble();
                }
                Err(failure) => self.part_failed(failure),
            },
            CaseResponse::Progress { .. }
            | CaseResponse::Done { .. }
            | CaseResponse::Cancelled { .. } => {}
        }
    }

    fn inspected(&self, result: Result<Box<CaseLayout>, LoadFailure>) {
        let cases = self.cases;
        let (file, job) = cases.pool.with_value(|p| (p.file.clone(), p.inspect_job));
        let current = self
            .load
            .with_untracked(|s| s.job == job && s.state == LoadState::Loading);
        // Cancelled or overtaken by another load meanwhile.
        let (Some(file), true) = (file, current) else {
            return;
        };
        match result {
            Ok(layout) if layout.is_case_level() => {
                // The workers start while the user picks the columns, not when the run begins.
                cases.workers(*self, workers_for(file.size() as u64));
                cases.by.set(layout.suggested_by());
                cases.sum.set(layout.suggested_sum());
                cases.result.set(None);
                cases.message.set(None);
                cases
                    .upload
                    .set(Some((file.name(), file.size() as u64, *layout)));
                self.load.update(|s| s.state = LoadState::Done);
            }
            // Not case-level, or not readable this way: the table reader has its say.
            _ => {
                cases.upload.set(None);
                self.load_table_files(vec![file]);
            }
        }
    }

    /// When every part is in: merge them in file order. A part whose start does not meet the
    /// end of the part before (its range began inside a quoted line break) is read again from
    /// that end.
    fn assemble(&self) {
        let cases = self.cases;
        let (job, redo, merged) = cases.pool.with_value(|pool| {
            if pool.parts.iter().any(|p| p.result.is_none()) {
                return (pool.job, None, None);
            }
            let mut parts = pool.parts.iter().filter_map(|p| p.result.as_ref());
            let Some(mut merged) = parts.next().cloned() else {
                return (pool.job, None, None);
            };
            for (i, part) in parts.enumerate() {
                if merged.end() != part.start() {
                    return (pool.job, Some((i + 1, merged.end())), None);
                }
                if merged.merge(part.clone()).is_err() {
                    return (pool.job, None, None);
                }
            }
            (pool.job, None, Some(merged))
        });
        if let Some((part, start)) = redo {
            let request = cases.pool.try_update_value(|pool| {
                let p = &mut pool.parts[part];
                p.result = None;
                p.start = start;
                let layout = cases.upload.get_untracked()?.2;
                Some(CaseRequest::Aggregate {
                    job,
                    part,
                    file: FileHandle(pool.file.clone()?),
                    layout: Box::new(layout),
                    query: CaseQuery {
                        by: cases.by.get_untracked(),
                        sum: cases.sum.get_untracked(),
                        encoding: None,
                    },
                    start,
                    end: p.end,
                })
            });
            if let Some(Some(request)) = request {
                cases.send(part, request);
            }
            return;
        }
        if let Some(merged) = merged {
            self.finish_cases(merged);
        }
    }

    /// A part failed. Lines inside a part count from its start, so the whole file is read
    /// again by one worker to name the exact line; a failure of that is the user's message.
    fn part_failed(&self, failure: LoadFailure) {
        let cases = self.cases;
        let parts = cases.pool.with_value(|p| p.parts.len());
        if parts > 1 {
            let Some((_, size, layout)) = cases.upload.get_untracked() else {
                return;
            };
            self.cancel_cases();
            cases.pool.update_value(|pool| {
                pool.running = true;
                pool.job += 1;
                pool.parts = vec![Part {
                    start: 0,
                    end: size,
                    bytes: 0,
                    rows: 0,
                    result: None,
                }];
            });
            let (job, file) = cases.pool.with_value(|p| (p.job, p.file.clone()));
            if let Some(file) = file {
                cases.send(
                    0,
                    CaseRequest::Aggregate {
                        job,
                        part: 0,
                        file: FileHandle(file),
                        layout: Box::new(layout),
                        query: CaseQuery {
                            by: cases.by.get_untracked(),
                            sum: cases.sum.get_untracked(),
                            encoding: None,
                        },
                        start: 0,
                        end: size,
                    },
                );
            }
            return;
        }
        cases.pool.update_value(|p| p.running = false);
        cases.progress.set(None);
        cases.message.set(Some(failure.message));
        self.load.update(|s| {
            s.state = LoadState::Error;
            s.reading = None;
        });
    }

    /// Shows the groups and makes them the dataset. One task: split into several, each
    /// would still hold the views' re-rendering, and the page would block more often.
    fn finish_cases(&self, aggregate: Aggregate) {
        let cases = self.cases;
        cases.pool.update_value(|p| {
            p.running = false;
            p.parts.clear();
        });
        cases.progress.set(None);
        let name = cases
            .upload
            .with_untracked(|u| u.as_ref().map(|u| u.0.clone()))
            .unwrap_or_default();
        let stored = StoredCases {
            file: name,
            aggregate: aggregate.clone(),
        };
        // The groups join the loaded tables (they replace the demo ring and earlier groups).
        let (files, choices) = self.data.with_untracked(|d| {
            if d.demo {
                (Vec::new(), MergeChoices::new())
            } else {
                (d.files.clone(), d.choices.clone())
            }
        });
        let merged = CaseData::new(stored)
            .map_err(Said::from)
            .and_then(|groups| self.remerge_with(files, Some(groups), choices));
        let failed = merged.err();
        cases.message.set(failed.clone());
        cases.result.set(Some(aggregate));
        self.load.update(|s| {
            s.state = if failed.is_some() {
                LoadState::Error
            } else {
                LoadState::Done
            };
            s.cases = failed.is_none();
            s.reading = None;
        });
    }
}

/// How many workers read a file of this size: one per core for a large file.
fn workers_for(size: u64) -> usize {
    if size < SPLIT_FROM {
        return 1;
    }
    web_sys::window()
        .map_or(1, |w| w.navigator().hardware_concurrency() as usize)
        .clamp(1, MAX_WORKERS)
}

/// The case-level panel: column choice, run, progress and the groups.
#[component]
pub fn CaseUpload() -> impl IntoView {
    let state = expect_context::<AppState>();
    let cases = state.cases;
    // A cancel of the page's load (the `load-cancel` button) stops the run.
    Effect::new(move |_| {
        let (job, cancelled) = state
            .load
            .with(|s| (s.job, s.state == LoadState::Cancelled));
        let ours = cases.pool.with_value(|p| p.running && p.load_job == job);
        if cancelled && ours {
            state.cancel_cases();
        }
    });
    move || {
        cases.upload.get().map(|(name, size, layout)| {
            let t = move || state.t();
            let header = layout.header().to_vec();
            view! {
                <section class="case-upload" aria-labelledby="faelle-titel">
                    <h3 id="faelle-titel">{move || t().case_heading}</h3>
                    <p>
                        {move || {
                            fill(
                                t().case_intro,
                                &[("file", &name), ("size", &vergleichsring_core::format_bytes(size))],
                            )
                        }}
                    </p>
                    <div class="case-columns">
                        <ColumnChoice
                            label=move || t().case_by
                            testid="case-by"
                            columns=header.clone()
                            chosen=cases.by
                        />
                        <ColumnChoice
                            label=move || t().case_sum
                            testid="case-sum"
                            columns=header
                            chosen=cases.sum
                        />
                    </div>
                    <p class="hint">{move || t().case_choose_hint}</p>
                    <button
                        type="button"
                        class="button primary"
                        data-testid="case-run"
                        disabled=move || {
                            cases.progress.with(Option::is_some) || cases.by.with(Vec::is_empty)
                        }
                        on:click=move |_| state.run_cases()
                    >
                        {move || t().case_run}
                    </button>
                    <p role="status" class="case-progress">
                        {move || cases.progress.get().map(|p| progress_text(&p, t()))}
                    </p>
                    {move || cases.message.get().map(|m| view! { <p class="error">{state.say(&m)}</p> })}
                    <CaseTable />
                </section>
            }
        })
    }
}

/// A `<select multiple>` of the header's columns bound to a list of chosen names.
#[component]
fn ColumnChoice(
    /// The label text.
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    /// The `data-testid`.
    testid: &'static str,
    /// The columns to choose from.
    columns: Vec<String>,
    /// The chosen columns.
    chosen: RwSignal<Vec<String>>,
) -> impl IntoView {
    let size = columns.len().min(8);
    view! {
        <label class="field">
            <span>{label}</span>
            <select
                multiple=true
                size=size
                data-testid=testid
                on:change=move |ev| {
                    let Some(select) = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) else {
                        return;
                    };
                    let options = select.selected_options();
                    let names = (0..options.length())
                        .filter_map(|i| options.item(i))
                        .filter_map(|o| o.dyn_into::<web_sys::HtmlOptionElement>().ok())
                        .map(|o| o.value())
                        .collect();
                    chosen.set(names);
                }
            >
                {columns
                    .into_iter()
                    .map(|column| {
                        let selected = {
                            let column = column.clone();
                            move || chosen.with(|c| c.contains(&column))
                        };
                        view! {
                            <option value=column.clone() prop:selected=selected>
                                {column.clone()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// The groups of the last run (`case-table`, its group columns in `data-by`): rows carry
/// `data-values`, `data-cases` and `data-sums` (JSON) for tests and the benchmark.
#[component]
fn CaseTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t();
    move || {
        state.cases.result.get().map(|aggregate| {
            let groups = aggregate.groups();
            let more = groups.len().saturating_sub(SHOWN_GROUPS);
            let caption = fill(
                t().case_result,
                &[
                    ("groups", &format_integer(groups.len() as u64)),
                    ("rows", &format_integer(aggregate.rows())),
                ],
            );
            let by_json = serde_json::to_string(aggregate.by()).unwrap_or_default();
            view! {
                <div class="table-scroll">
                    <table data-testid="case-table" data-by=by_json>
                        <caption>{caption}</caption>
                        <thead>
                            <tr>
                                {aggregate.by().iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}
                                <th scope="col" class="number">{t().case_cases}</th>
                                {aggregate
                                    .sum()
                                    .iter()
                                    .map(|c| view! { <th scope="col" class="number">{c.clone()}</th> })
                                    .collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {groups
                                .iter()
                                .take(SHOWN_GROUPS)
                                .map(|g| {
                                    let values = serde_json::to_string(&g.values).unwrap_or_default();
                                    let sums = serde_json::to_string(&g.sums).unwrap_or_default();
                                    view! {
                                        <tr data-values=values data-cases=g.cases.to_string() data-sums=sums>
                                            {g.values.iter().map(|v| view! { <td>{v.clone()}</td> }).collect_view()}
                                            <td class="number">{format_integer(g.cases)}</td>
                                            {g
                                                .sums
                                                .iter()
                                                .map(|s| {
                                                    let text = s.map(|x| format_number(x, 2)).unwrap_or_default();
                                                    view! { <td class="number">{text}</td> }
                                                })
                                                .collect_view()}
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                    {(more > 0)
                        .then(|| {
                            view! {
                                <p class="hint">
                                    {fill(t().case_more, &[("more", &format_integer(more as u64))])}
                                </p>
                            }
                        })}
                </div>
            }
        })
    }
}

/// "120.000 Fälle gelesen · 85 MB/s · noch etwa 1 s".
fn progress_text(p: &Progress, t: &crate::i18n::Texts) -> String {
    let seconds = ((js_sys::Date::now() - p.started) / 1000.0).max(0.001);
    let rate = p.bytes as f64 / seconds;
    let left = if rate > 0.0 {
        (p.total.saturating_sub(p.bytes)) as f64 / rate
    } else {
        0.0
    };
    fill(
        t.case_progress,
        &[
            ("rows", &format_integer(p.rows)),
            ("mbs", &format_number(rate / 1e6, 0)),
            ("left", &format_number(left.ceil(), 0)),
        ],
    )
}
