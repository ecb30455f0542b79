//! Case-level files on the page: a single upload is first inspected in a worker; when its rows
//! are cases, the user picks group and sum columns (`case-by`, `case-sum`) and `case-run`
//! aggregates it with one worker per core, each reading its own byte range of the file. The
//! parts are merged here and the result replaces the dataset the other views use. Progress and
//! cancel go through the page's load status (`load-status`, `load-progress`, `load-cancel`); a
//! cancelled run leaves the previous data as they were.

use gloo_worker::Spawnable;
use leptos::prelude::*;
use vergleichsring_core::{Aggregate, CaseLayout, CaseQuery, MergeChoices, StoredCases};

use crate::i18n::Said;
use crate::loaded::CaseData;
use crate::protocol::{
    CaseRequest, CaseResponse, FileHandle, JsCodec, LoadFailure, Request, Response,
};
use crate::state::AppState;
use crate::worker::Reader;
use crate::workers::{spawn_watched, worker_url, CaseState, LoadState, Part, Progress};

/// Files below this size are read by one worker: starting more costs more than it saves.
const SPLIT_FROM: u64 = 8 * 1024 * 1024;

/// At most this many workers, whatever the machine reports.
const MAX_WORKERS: usize = 8;

impl CaseState {
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
                            .spawn_with_loader(&worker_url())
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
        // The inspection is part of the load: `load-status` says loading until it is decided.
        let job = self.begin_job(vec![file.name()], false);
        cases.pool.update_value(|p| {
            p.file = Some(file.clone());
            p.inspect_job = job;
        });
        // The reading worker inspects (it runs already; a case worker would have to start
        // first, and most uploads are table files that the reading worker reads next).
        self.send(Request::Cases(CaseRequest::Inspect {
            file: FileHandle(file.clone()),
        }));
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
    pub(crate) fn cancel_cases(&self) {
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

    pub(crate) fn on_case(&self, response: CaseResponse) {
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
        let (files, choices) = self.page.data.with_untracked(|d| {
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
