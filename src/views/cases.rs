//! The case-level panel of the Daten view: group and sum columns, the run, its progress and the
//! groups of the last run.

use leptos::prelude::*;
use vergleichsring_core::{format_integer, format_number};
use wasm_bindgen::JsCast;

use crate::i18n::fill;
use crate::state::AppState;
use crate::workers::{LoadState, Progress};

/// Groups shown in the result table; the dataset keeps them all.
const SHOWN_GROUPS: usize = 1000;

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
