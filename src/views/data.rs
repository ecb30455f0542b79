//! Daten: loading files (drop zone and picker), the load report, a preview of the data and the
//! columns with their detected roles.

use leptos::prelude::*;
use vergleichsring_core::{format_bytes, format_integer};
use wasm_bindgen::JsCast;

use crate::i18n::fill;
use crate::load::{LoadState, LoadStatus};
use crate::AppState;

/// The view's content.
#[component]
pub fn DataView() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <p class="intro">{move || state.t().data_intro}</p>
        <Upload />
        <crate::cases::CaseUpload />
        <LoadReport />
        <DatasetSummary />
    }
}

/// The drop zone with the file picker.
#[component]
fn Upload() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t();
    let dragging = RwSignal::new(false);
    let take_files = move |list: Option<web_sys::FileList>| {
        let files: Vec<web_sys::File> = list
            .map(|list| (0..list.length()).filter_map(|i| list.item(i)).collect())
            .unwrap_or_default();
        state.load_files(files);
    };
    view! {
        <div
            class="drop-zone"
            class:dragging=move || dragging.get()
            on:dragover=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                dragging.set(false);
                take_files(ev.data_transfer().and_then(|d| d.files()));
            }
        >
            <p class="drop-title">{move || t().drop_zone}</p>
            <p class="drop-hint">{move || t().drop_zone_hint}</p>
            <input
                id="file-input"
                class="file-input"
                type="file"
                multiple=true
                accept=".csv,.txt,.tsv,text/csv,text/plain"
                data-testid="file-input"
                on:change=move |ev| {
                    let Some(input) = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
                        return;
                    };
                    take_files(input.files());
                    // Choosing the same file again must load it again.
                    input.set_value("");
                }
            />
            <label for="file-input" class="button primary">
                {move || t().file_input_label}
            </label>
        </div>
    }
}

/// The status of the last load (`load-status`), its progress and cancel button, and the report
/// of every file.
#[component]
fn LoadReport() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t();
    let status = move || state.load.get();
    let loading = move || state.load.with(|s| s.state == LoadState::Loading);
    view! {
        <div
            id="ladebericht"
            class="load-status"
            data-testid="load-status"
            data-state=move || state.load.with(|s| s.state.code())
            tabindex="-1"
        >
            <h3>{move || t().report_heading}</h3>
            <p role="status" class="summary">{move || summary(&status(), t())}</p>
            {move || {
                loading()
                    .then(|| {
                        let progress = move || state.load.with(|s| s.reading.clone());
                        view! {
                            <div class="progress-row">
                                <progress
                                    data-testid="load-progress"
                                    aria-label=move || t().status_loading.replace(" {files} …", "")
                                    max=move || progress().map(|(_, _, total)| total as f64).unwrap_or(1.0)
                                    value=move || progress().map(|(_, done, _)| done as f64)
                                ></progress>
                                <button
                                    type="button"
                                    data-testid="load-cancel"
                                    on:click=move |_| state.cancel_load()
                                >
                                    {move || t().cancel}
                                </button>
                            </div>
                        }
                    })
            }}
            <ul class="file-reports">
                {move || {
                    status()
                        .files
                        .into_iter()
                        .map(|file| {
                            let size = format_bytes(file.size);
                            view! {
                                <li>
                                    <strong>{file.name.clone()}</strong>
                                    " (" {size} ")"
                                    {file
                                        .failure
                                        .map(|f| view! { <p class="error">{f.message}</p> })}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

/// One sentence on the last load.
fn summary(status: &LoadStatus, t: &crate::Texts) -> String {
    match status.state {
        LoadState::Idle => t.status_idle.to_string(),
        LoadState::Loading => match (&status.reading, &status.parsing) {
            (Some((file, done, total)), _) => fill(
                t.status_reading,
                &[
                    ("file", file),
                    ("done", &format_bytes(*done)),
                    ("total", &format_bytes(*total)),
                ],
            ),
            (None, Some(file)) => fill(t.status_parsing, &[("file", file)]),
            (None, None) => fill(t.status_loading, &[("files", &status.names.join(", "))]),
        },
        LoadState::Done => t.status_done.to_string(),
        LoadState::Error => format!("{} {}", t.status_error, t.status_kept),
        LoadState::Cancelled => t.status_cancelled.to_string(),
    }
}

/// What is loaded: municipalities, years, measures.
#[component]
fn DatasetSummary() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t();
    move || {
        let data = state.data.get();
        if data.is_empty() {
            return view! { <p class="empty-state">{t().empty_no_data}</p> }.into_any();
        }
        let years = data.dataset.years();
        let span = match (years.first(), years.last()) {
            (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
            (Some(a), _) => a.to_string(),
            _ => String::new(),
        };
        view! {
            <h3>{t().dataset_heading}</h3>
            <dl class="facts">
                <dt>{t().report_municipalities}</dt>
                <dd>{format_integer(data.dataset.municipalities.len() as u64)}</dd>
                <dt>{t().report_years}</dt>
                <dd>{span}</dd>
                <dt>{t().report_measures}</dt>
                <dd>{format_integer(data.dataset.measures.len() as u64)}</dd>
            </dl>
        }
        .into_any()
    }
}
