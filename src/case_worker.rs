//! The worker side of case-level files (one row per case): their layout is read from the first
//! megabyte, then a byte range of the file is aggregated slice by slice with the core's
//! [`CaseAggregator`], never holding the file in memory. The page runs one worker per core, each
//! on its own range, and merges the parts (see `cases.rs`).
//!
//! Reading and parsing overlap: the next slice is requested (`Blob.arrayBuffer`, done by the
//! browser off this thread) before the current one is parsed, and awaiting it lets a `Cancel`
//! through between slices.

use std::cell::Cell;

use vergleichsring_core::{Aggregate, CaseAggregator, CaseLayout, CaseQuery};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::protocol::{browser_error, CaseRequest, CaseResponse, FileHandle, LoadFailure};

/// Bytes per slice: small enough for smooth progress and for overlapping reads, large enough
/// that the per-slice cost (a promise, a copy into wasm memory) does not matter.
const SLICE_BYTES: u64 = 4 * 1024 * 1024;

/// How much of a file the layout is read from (the core reads at most this much of it).
const INSPECT_BYTES: u64 = 1024 * 1024;

thread_local! {
    /// The highest cancelled job; a part of it stops at its next slice.
    static CANCELLED: Cell<u32> = const { Cell::new(0) };
}

/// Handles a case request in the reading worker, answering through `respond`.
pub(crate) fn received(respond: impl Fn(CaseResponse) + 'static, request: CaseRequest) {
    match request {
        CaseRequest::Cancel { job } => CANCELLED.with(|c| c.set(c.get().max(job))),
        CaseRequest::Inspect {
            file: FileHandle(file),
        } => {
            wasm_bindgen_futures::spawn_local(async move {
                let result = inspect(&file).await.map(Box::new);
                respond(CaseResponse::Inspected { result });
            });
        }
        CaseRequest::Aggregate {
            job,
            part,
            file: FileHandle(file),
            layout,
            query,
            start,
            end,
        } => {
            wasm_bindgen_futures::spawn_local(async move {
                let run = Run {
                    job,
                    part,
                    respond: &respond,
                };
                match run.aggregate(&file, *layout, query, start, end).await {
                    Some(result) => respond(CaseResponse::Done {
                        job,
                        part,
                        result: result.map(Box::new),
                    }),
                    None => respond(CaseResponse::Cancelled { job, part }),
                }
            });
        }
    }
}

async fn inspect(file: &web_sys::File) -> Result<CaseLayout, LoadFailure> {
    let name = file.name();
    let size = file.size() as u64;
    let first = read_slice(file, 0, size.min(INSPECT_BYTES))
        .await
        .map_err(|e| browser_error(&name, e))?;
    CaseLayout::sniff(&first, size <= INSPECT_BYTES, None).map_err(|e| failure(&name, e))
}

/// One part of a run.
struct Run<'a, F: Fn(CaseResponse)> {
    job: u32,
    part: usize,
    respond: &'a F,
}

impl<F: Fn(CaseResponse)> Run<'_, F> {
    /// The part's groups, or `None` when the run was cancelled.
    async fn aggregate(
        &self,
        file: &web_sys::File,
        layout: CaseLayout,
        query: CaseQuery,
        start: u64,
        end: u64,
    ) -> Option<Result<Aggregate, LoadFailure>> {
        let name = file.name();
        let size = file.size() as u64;
        let aggregator = if start == 0 && end >= size {
            CaseAggregator::with_layout(layout, query)
        } else {
            CaseAggregator::range(layout, query, start, end)
        };
        let mut aggregator = match aggregator {
            Ok(a) => a,
            Err(e) => return Some(Err(failure(&name, e))),
        };
        let mut at = aggregator.read_from();
        let mut next = (at < size).then(|| start_read(file, at, (at + SLICE_BYTES).min(size)));
        while let Some(pending) = next.take() {
            let bytes = match pending {
                Ok(promise) => finish_read(promise).await,
                Err(e) => Err(e),
            };
            let bytes = match bytes {
                Ok(bytes) => bytes,
                Err(e) => return Some(Err(browser_error(&name, e))),
            };
            if CANCELLED.with(Cell::get) >= self.job {
                return None;
            }
            at += bytes.len() as u64;
            // The browser reads the next slice while this one is parsed.
            if at < size {
                next = Some(start_read(file, at, (at + SLICE_BYTES).min(size)));
            }
            match aggregator.feed(&bytes) {
                Ok(true) => {}
                Ok(false) => next = None,
                Err(e) => return Some(Err(failure(&name, e))),
            }
            (self.respond)(CaseResponse::Progress {
                job: self.job,
                part: self.part,
                bytes: aggregator.bytes(),
                rows: aggregator.rows(),
            });
        }
        Some(aggregator.finish().map_err(|e| failure(&name, e)))
    }
}

fn start_read(file: &web_sys::File, start: u64, end: u64) -> Result<js_sys::Promise, JsValue> {
    Ok(file
        .slice_with_f64_and_f64(start as f64, end as f64)?
        .array_buffer())
}

async fn finish_read(promise: js_sys::Promise) -> Result<Vec<u8>, JsValue> {
    let buffer = JsFuture::from(promise).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

async fn read_slice(file: &web_sys::File, start: u64, end: u64) -> Result<Vec<u8>, JsValue> {
    finish_read(start_read(file, start, end)?).await
}

fn failure(name: &str, error: vergleichsring_core::Error) -> LoadFailure {
    LoadFailure::from(error.in_file(name))
}
