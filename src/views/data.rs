//! Daten: loading files (drop zone and picker), the load report, the loaded files with a preview
//! of each and its columns (detected role and type, changeable), and conflicts between files.

use leptos::prelude::*;
use vergleichsring_core::{
    format_bytes, format_integer, FlatLayout, Layout, LayoutColumn, LoadReport, MeasureKind,
    NumberFormat, ReadOptions, Recognised, Role, Shape, YearFrom,
};
use wasm_bindgen::JsCast;

use super::choice;
use super::peers::preview_cell;
use super::DemoBadge;
use crate::i18n::{fill, Said, Texts};
use crate::loaded::{Data, LoadedFile};
use crate::protocol::Preview;
use crate::state::AppState;
use crate::workers::{LoadState, LoadStatus};

/// The view's content.
#[component]
pub fn DataView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t();
    let loading = move || state.load.with(|s| s.state == LoadState::Loading);
    view! {
        <p class="intro">{move || t().data_intro}</p>
        <Upload />
        <super::cases::CaseUpload />
        <div class="actions">
            <button type="button" on:click=move |_| state.load_demo() disabled=loading>
                {move || t().load_demo}
            </button>
            <button
                type="button"
                on:click=move |_| state.clear_data()
                disabled=move || loading() || state.data.with(|d| d.files.is_empty())
            >
                {move || t().clear_data}
            </button>
        </div>
        <LoadStatusPanel />
        <crate::views::exchange::Returns />
        <Conflicts />
        <crate::views::bindings::BindingPanel />
        <LoadedFiles />
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
                accept=".csv,.txt,.tsv,.zip,.geojson,.json,text/csv,text/plain,application/zip,application/geo+json"
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

/// The status of the last load (`load-status`): a sentence, progress and cancel while loading,
/// and the report or the error of each of its files.
#[component]
fn LoadStatusPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    // The page's data, which the load changed (the view's copy may still catch up).
    let data = state.page.data;
    let t = move || state.t();
    let status = move || state.load.get();
    // A memo, so progress updates do not rebuild the progress row (and its cancel button).
    let loading = Memo::new(move |_| state.load.with(|s| s.state == LoadState::Loading));
    let loading = move || loading.get();
    // A figure of the last load's files, summed from their reports as they say now.
    let loaded = move |of: fn(&LoadReport) -> usize, cases: fn(&LoadStatus, &Data) -> u64| {
        let status = state.load.get();
        (status.state == LoadState::Done).then(|| {
            data.with(|d| {
                let of_files: u64 = status
                    .files
                    .iter()
                    .filter_map(|f| f.upload.and_then(|u| d.file(u)))
                    .map(|f| of(&f.report) as u64)
                    .sum();
                (of_files + cases(&status, d)).to_string()
            })
        })
    };
    // Data rows (for a case-level run, the cases read), and cells of the datasets (benchmarks
    // compare them with an independent parse; case groups have none of their own here).
    let rows = move || loaded(|r| r.rows, case_rows);
    let cells = move || loaded(|r| r.cells, |_, _| 0);
    view! {
        <div
            id="ladebericht"
            class="load-status"
            data-testid="load-status"
            data-state=move || state.load.with(|s| s.state.code())
            data-rows=rows
            data-cells=cells
            tabindex="-1"
        >
            <h3>{move || t().report_heading}</h3>
            <p role="status" class="summary">{move || data.with(|d| summary(&status(), d, t()))}</p>
            {move || {
                loading()
                    .then(|| {
                        let reading = move || state.load.with(|s| s.reading.clone());
                        view! {
                            <div class="progress-row">
                                <progress
                                    data-testid="load-progress"
                                    aria-label=move || t().progress_label
                                    max=move || {
                                        reading().map(|(_, _, total)| total as f64).unwrap_or(1.0)
                                    }
                                    value=move || reading().map(|(_, done, _)| done as f64)
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
            {move || status().message.map(|m| view! { <p class="error">{state.say(&m)}</p> })}
            <ul class="file-reports">
                {move || {
                    status()
                        .files
                        .into_iter()
                        .map(|outcome| {
                            let report = outcome
                                .upload
                                .and_then(|u| data.with(|d| d.file(u).map(|f| f.report.clone())));
                            let failed = outcome.failure.is_some();
                            view! {
                                <li class:failed=failed>
                                    <p class="file-name">
                                        <strong>{outcome.name.clone()}</strong>
                                        " (" {format_bytes(outcome.size)} ")"
                                    </p>
                                    {outcome.failure.map(|f| view! { <p class="error">{state.say(&f.message)}</p> })}
                                    {outcome.superseded.map(|m| view! { <p class="hint">{state.say(&m)}</p> })}
                                    {report.map(|r| view! { <FileReport report=r /> })}
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
/// The cases a finished case-level run read (0 for a table load).
fn case_rows(status: &LoadStatus, data: &Data) -> u64 {
    data.cases
        .as_ref()
        .filter(|_| status.cases)
        .map_or(0, |c| c.stored.aggregate.rows())
}

fn summary(status: &LoadStatus, data: &Data, t: &Texts) -> String {
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
        LoadState::Done => {
            let files: Vec<String> = status
                .files
                .iter()
                .filter_map(|f| f.upload.and_then(|u| data.file(u)))
                .map(|f| {
                    fill(
                        t.status_done_file,
                        &[
                            ("file", &f.report.file),
                            ("rows", &format_integer(f.report.rows as u64)),
                            ("columns", &format_integer(f.report.columns as u64)),
                            ("encoding", &f.report.encoding),
                            ("separator", &separator_name(f.report.separator, t)),
                        ],
                    )
                })
                .collect();
            let cases = data.cases.as_ref().filter(|_| status.cases).map(|c| {
                fill(
                    t.status_done_cases,
                    &[
                        ("file", &c.stored.file),
                        ("rows", &format_integer(c.stored.aggregate.rows())),
                        (
                            "groups",
                            &format_integer(c.stored.aggregate.groups().len() as u64),
                        ),
                    ],
                )
            });
            let files: Vec<String> = files.into_iter().chain(cases).collect();
            let done = fill(t.status_done, &[("files", &files.join("; "))]);
            if status.demo {
                format!("{done} {}", t.demo_loaded)
            } else {
                done
            }
        }
        // A table was read but its columns do not give data yet: it waits in the column panel.
        LoadState::Error
            if status
                .files
                .iter()
                .any(|f| f.upload.is_some() && f.failure.is_some()) =>
        {
            t.status_needs_columns.to_string()
        }
        LoadState::Error => format!("{} {}", t.status_error, t.status_kept),
        LoadState::Cancelled => t.status_cancelled.to_string(),
    }
}

/// What was read from one file.
#[component]
fn FileReport(
    /// The report.
    report: LoadReport,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let t = state.t();
        let r = report.clone();
        let header = if r.header_lines > 1 {
            fill(
                t.header_line_block,
                &[
                    ("line", &r.header_line.to_string()),
                    ("lines", &r.header_lines.to_string()),
                ],
            )
        } else {
            fill(t.header_line_at, &[("line", &r.header_line.to_string())])
        };
        let years = match (r.years.first(), r.years.last()) {
            (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
            (Some(a), _) => a.to_string(),
            _ => "–".to_string(),
        };
        view! {
            <dl class="facts">
                <dt>{t.report_rows}</dt>
                <dd>{format_integer(r.rows as u64)}</dd>
                <dt>{t.report_columns}</dt>
                <dd>{format_integer(r.columns as u64)}</dd>
                <dt>{t.report_encoding}</dt>
                <dd>{r.encoding.clone()}</dd>
                <dt>{t.report_separator}</dt>
                <dd>{separator_name(r.separator, t)}</dd>
                <dt>{t.report_header_line}</dt>
                <dd>{header}</dd>
                <dt>{t.report_shape}</dt>
                <dd>{shape_name(r.shape, t)}</dd>
                {r
                    .recognised
                    .as_ref()
                    .map(|k| {
                        view! {
                            <dt>{t.report_recognised}</dt>
                            <dd data-testid="recognised">{recognised_text(k, t)}</dd>
                        }
                    })}
                <dt>{t.report_municipalities}</dt>
                <dd>{format_integer(r.municipalities as u64)}</dd>
                <dt>{t.report_years}</dt>
                <dd>
                    {years}
                    {r.file_year.map(|y| fill(t.file_year_note, &[("year", &y.to_string())]))}
                </dd>
                <dt>{t.report_measures}</dt>
                <dd>{format_integer(r.measures as u64)}</dd>
                {(r.duplicates > 0)
                    .then(|| {
                        view! {
                            <dt>{t.report_duplicates}</dt>
                            <dd class="warning">{format_integer(r.duplicates as u64)}</dd>
                        }
                    })}
                <dt>{t.report_skipped}</dt>
                <dd>
                    {line_list(
                        t.report_no_skipped,
                        "skipped",
                        r
                            .skipped
                            .iter()
                            .map(|s| {
                                let text = if s.text.is_empty() {
                                    t.empty_line.to_string()
                                } else {
                                    state.mask_names(&s.text)
                                };
                                (format!("{} {}: ", t.report_line, s.line), text)
                            })
                            .collect(),
                    )}
                    {(r.skipped_more > 0)
                        .then(|| {
                            view! {
                                <p class="skipped-more">
                                    {fill(
                                        t.report_skipped_more,
                                        &[("count", &format_integer(r.skipped_more as u64))],
                                    )}
                                </p>
                            }
                        })}
                </dd>
                <dt>{t.report_problems}</dt>
                <dd>
                    {line_list(
                        t.report_no_problems,
                        "warning",
                        r
                            .problems
                            .iter()
                            .map(|p| {
                                let at = match p.column {
                                    Some(c) => {
                                        format!(
                                            "{} {}, {} {}: ",
                                            t.report_line,
                                            p.line,
                                            t.report_column,
                                            c,
                                        )
                                    }
                                    None => format!("{} {}: ", t.report_line, p.line),
                                };
                                (at, state.mask_names(&state.say(&Said::Core(p.message.clone()))))
                            })
                            .collect(),
                    )}
                </dd>
            </dl>
        }
    }
}

/// Lines of a file the report names (skipped lines, problems) as "Zeile N: text", or `none`.
fn line_list(none: &'static str, class: &'static str, lines: Vec<(String, String)>) -> AnyView {
    if lines.is_empty() {
        return none.into_any();
    }
    view! {
        <ul class="lines">
            {lines
                .into_iter()
                .map(|(at, text)| view! { <li>{at} <span class=class>{text}</span></li> })
                .collect_view()}
        </ul>
    }
    .into_any()
}

fn separator_name(separator: char, t: &Texts) -> String {
    let name = match separator {
        ';' => t.separator_semicolon,
        ',' => t.separator_comma,
        '\t' => return t.separator_tab.to_string(),
        '|' => t.separator_pipe,
        _ => t.separator_other,
    };
    format!("{name} ({separator})")
}

fn shape_name(shape: Shape, t: &Texts) -> &'static str {
    match shape {
        Shape::Wide => t.shape_wide,
        Shape::Long => t.shape_long,
        Shape::CaseLevel => t.shape_cases,
    }
}

/// Measure keys that several files bring, with the choice of which file counts.
#[component]
fn Conflicts() -> impl IntoView {
    let state = expect_context::<AppState>();
    let error = RwSignal::new(None::<Said>);
    move || {
        let t = state.t();
        let (conflicts, names) = state.data.with(|d| {
            (
                d.conflicts.clone(),
                // In merge order: the files, then the case groups.
                d.files
                    .iter()
                    .map(|f| f.report.file.clone())
                    .chain(d.cases.iter().map(|c| c.stored.file.clone()))
                    .collect::<Vec<_>>(),
            )
        });
        (!conflicts.is_empty()).then(|| {
            view! {
                <div class="conflicts">
                    <h3>{t.conflicts_heading}</h3>
                    <p>{t.conflicts_intro}</p>
                    {move || error.get().map(|e| view! { <p class="error">{state.say(&e)}</p> })}
                    <ul>
                        {conflicts
                            .into_iter()
                            .map(|c| {
                                let key = c.key.clone();
                                let text = fill(
                                    t.conflict_line,
                                    &[
                                        ("key", &c.key),
                                        ("overlapping", &format_integer(c.overlapping as u64)),
                                        ("differing", &format_integer(c.differing as u64)),
                                    ],
                                );
                                let label = fill(t.conflict_choice, &[("key", &c.key)]);
                                view! {
                                    <li>
                                        <label>
                                            <span>{text}</span>
                                            " "
                                            <select
                                                aria-label=label
                                                on:change=move |ev| {
                                                    if let Ok(file) = event_target_value(&ev).parse() {
                                                        error.set(state.choose_source(key.clone(), file).err());
                                                    }
                                                }
                                            >
                                                {c
                                                    .files
                                                    .iter()
                                                    .map(|&i| {
                                                        view! {
                                                            <option value=i.to_string() selected=i == c.chosen>
                                                                {fill(
                                                                    t.conflict_file,
                                                                    &[
                                                                        ("n", &(i + 1).to_string()),
                                                                        ("file", names.get(i).map_or("", String::as_str)),
                                                                    ],
                                                                )}
                                                            </option>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </select>
                                        </label>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// The loaded files: a line per file, and for the chosen one its report, preview and columns.
#[component]
fn LoadedFiles() -> impl IntoView {
    let state = expect_context::<AppState>();
    let chosen = RwSignal::new(None::<u32>);
    // A finding's "In den Daten zeigen" chooses the file it points into.
    Effect::new(move |_| {
        let Some(focus) = state.focus.get() else {
            return;
        };
        let upload = state.data.with_untracked(|d| {
            d.files
                .iter()
                .find(|f| f.report.file == focus.file)
                .map(|f| f.upload)
        });
        if upload.is_some() {
            chosen.set(upload);
        }
    });
    // The chosen file, or the last one loaded when none is chosen (or it was removed).
    let shown = move || {
        state.data.with(|d| {
            chosen
                .get()
                .and_then(|u| d.file(u))
                .or_else(|| d.files.last())
                .map(|f| f.upload)
        })
    };
    move || {
        let t = state.t();
        let (files, cases) = state.data.with(|d| (d.files.clone(), d.cases.clone()));
        if files.is_empty() && cases.is_none() {
            return view! { <p class="empty-state">{t.empty_no_data}</p> }.into_any();
        }
        let case_line = cases.map(|c| {
            let name = c.stored.file;
            let facts = fill(
                t.case_groups_line,
                &[
                    ("rows", &format_integer(c.stored.aggregate.rows())),
                    ("groups", &format_integer(c.stored.aggregate.groups().len() as u64)),
                ],
            );
            let remove_label = fill(t.remove_file, &[("file", &name)]);
            view! {
                <li>
                    <strong>{name}</strong>
                    <span class="muted">{facts}</span>
                    <button type="button" aria-label=remove_label on:click=move |_| state.remove_cases()>
                        {t.remove}
                    </button>
                </li>
            }
        });
        view! {
            <h3>
                {t.loaded_files_heading} " "
                <DemoBadge />
            </h3>
            <DatasetSummary />
            <ul class="loaded-files">
                {files
                    .iter()
                    .map(|f| {
                        let upload = f.upload;
                        let name = f.report.file.clone();
                        let facts = fill(
                            t.file_line,
                            &[
                                ("rows", &format_integer(f.report.rows as u64)),
                                ("columns", &format_integer(f.report.columns as u64)),
                                ("encoding", &f.report.encoding),
                            ],
                        );
                        let show_label = fill(t.show_file, &[("file", &name)]);
                        let remove_label = fill(t.remove_file, &[("file", &name)]);
                        view! {
                            <li>
                                <strong>{name.clone()}</strong>
                                <span class="muted">{facts}</span>
                                <button
                                    type="button"
                                    aria-pressed=move || (shown() == Some(upload)).to_string()
                                    aria-label=show_label
                                    on:click=move |_| chosen.set(Some(upload))
                                >
                                    {t.show}
                                </button>
                                <button
                                    type="button"
                                    aria-label=remove_label
                                    on:click=move |_| state.remove_file(upload)
                                >
                                    {t.remove}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()} {case_line}
            </ul>
            {move || {
                shown()
                    .and_then(|u| state.data.with(|d| d.file(u).cloned()))
                    .map(|file| view! { <FileDetails file=file /> })
            }}
        }
        .into_any()
    }
}

/// What is loaded in all: municipalities, years, measures.
#[component]
fn DatasetSummary() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let t = state.t();
        let (municipalities, years, measures) = state.data.with(|d| {
            (
                d.dataset.municipalities.len(),
                d.dataset.years(),
                d.dataset.measures.len(),
            )
        });
        let span = match (years.first(), years.last()) {
            (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
            (Some(a), _) => a.to_string(),
            _ => "–".to_string(),
        };
        let text = fill(
            t.dataset_line,
            &[
                ("municipalities", &format_integer(municipalities as u64)),
                ("years", &span),
                ("measures", &format_integer(measures as u64)),
            ],
        );
        view! { <p class="dataset-line">{text}</p> }
    }
}

/// One file's report, preview and column panel.
#[component]
fn FileDetails(
    /// The file.
    file: LoadedFile,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = state.t();
    let name = file.report.file.clone();
    view! {
        <div class="file-details">
            {file.problem.clone().map(|e| view! { <p class="error" role="alert">{move || state.say(&e)}</p> })}
            <details>
                <summary>{fill(t.report_of, &[("file", &name)])}</summary>
                <FileReport report=file.report.clone() />
            </details>
            <ReadSettings file=file.clone() />
            <h4>{fill(t.preview_heading, &[("file", &name)])}</h4>
            <PreviewTable preview=file.preview.clone() name=name.clone() />
            <h4>{fill(t.columns_heading, &[("file", &name)])}</h4>
            <ColumnPanel file=file />
        </div>
    }
}

/// Encodings offered for reading a file again (label for encoding_rs, name shown).
const ENCODINGS: [(&str, &str); 5] = [
    ("utf-8", "UTF-8"),
    ("windows-1252", "Windows-1252"),
    ("iso-8859-15", "ISO-8859-15"),
    ("utf-16le", "UTF-16LE"),
    ("utf-16be", "UTF-16BE"),
];

/// Separators offered for reading a file again.
const SEPARATORS: [char; 4] = [';', ',', '\t', '|'];

/// How the file is read — encoding, separator, header line — detected, and changeable: a
/// change reads the file again at once.
#[component]
fn ReadSettings(
    /// The file.
    file: LoadedFile,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = state.t();
    let upload = file.upload;
    let options = StoredValue::new(file.options.clone());
    let apply = move |change: &dyn Fn(&mut ReadOptions)| {
        let mut edited = options.get_value();
        change(&mut edited);
        state.reread(upload, edited);
    };
    let detected = |value: String| fill(t.read_detected, &[("value", &value)]);
    let encoding = file.options.encoding.clone();
    let separator = file.options.separator;
    view! {
        <fieldset class="read-settings">
            <legend>{t.read_settings}</legend>
            <label class="field">
                <span>{t.report_encoding}</span>
                {choice(
                    None,
                    std::iter::once((None, detected(file.report.encoding.clone())))
                        .chain(ENCODINGS.iter().map(|&(label, name)| (Some(label), name.to_string())))
                        .collect(),
                    ENCODINGS
                        .iter()
                        .map(|&(label, _)| label)
                        .find(|&label| encoding.as_deref() == Some(label)),
                    move |chosen: Option<&'static str>| {
                        apply(&|o| o.encoding = chosen.map(str::to_string))
                    },
                )}
            </label>
            <label class="field">
                <span>{t.report_separator}</span>
                {choice(
                    None,
                    std::iter::once((None, detected(separator_name(file.report.separator, t))))
                        .chain(SEPARATORS.iter().map(|&c| (Some(c), separator_name(c, t))))
                        .collect(),
                    separator,
                    move |chosen| apply(&|o| o.separator = chosen),
                )}
            </label>
            <label class="field">
                <span>{t.read_header_line}</span>
                <input
                    type="number"
                    min="1"
                    step="1"
                    inputmode="numeric"
                    placeholder=detected(file.report.header_line.to_string())
                    value=file.options.header_line.map(|l| l.to_string()).unwrap_or_default()
                    on:change=move |ev| {
                        let line = event_target_value(&ev).trim().parse().ok();
                        apply(&|o| o.header_line = line);
                    }
                />
            </label>
        </fieldset>
    }
}

/// The first rows of a file as written.
#[component]
fn PreviewTable(
    /// The rows.
    preview: Preview,
    /// The file's name, for the caption.
    name: String,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = state.t();
    let caption = fill(
        t.preview_caption,
        &[
            ("shown", &format_integer(preview.rows.len() as u64)),
            ("total", &format_integer(preview.total as u64)),
            ("file", &name),
        ],
    );
    view! {
        <div class="table-box" tabindex="0" role="region" aria-label=caption.clone()>
            <table class="preview">
                <caption>{caption.clone()}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.report_line}</th>
                        {preview
                            .header
                            .iter()
                            .map(|h| view! { <th scope="col">{h.clone()}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {preview
                        .rows
                        .iter()
                        .map(|(line, cells)| {
                            let line = *line;
                            let here = {
                                let name = name.clone();
                                move || {
                                    state.focus.with(|f| {
                                        f.as_ref().filter(|f| f.file == name && f.line == line).map(|f| f.column)
                                    })
                                }
                            };
                            let row_here = here.clone();
                            view! {
                                <tr class:focused=move || row_here().is_some() id=format!("vorschau-{line}")>
                                    <th scope="row" class="num">{line}</th>
                                    {cells
                                        .iter()
                                        .enumerate()
                                        .map(|(j, c)| {
                                            let here = here.clone();
                                            // Names in the raw rows too follow the workshop's pseudonyms.
                                            let (c, row) = (c.clone(), cells.clone());
                                            view! {
                                                <td class:focused=move || here() == Some(Some(j + 1))>
                                                    {move || preview_cell(state, &row, &c)}
                                                </td>
                                            }
                                        })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        {move || state.pseudonymise.get().then(|| view! { <p class="hint">{state.t().peers.hidden_rows}</p> })}
        <FocusNote preview=preview.clone() name=name.clone() />
    }
}

/// Brings the cell a finding points to into view: in the preview, or beyond it in the rows
/// around it that the worker sends.
#[component]
fn FocusNote(
    /// The rows shown.
    preview: Preview,
    /// The file's name.
    name: String,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lines: Vec<usize> = preview.rows.iter().map(|(line, _)| *line).collect();
    let shown = lines.len();
    let header = preview.header;
    Effect::new(move |_| {
        state.focus_rows.track();
        let Some(line) = state.focus.with(|f| f.as_ref().map(|f| f.line)) else {
            return;
        };
        // The cell itself, centred, so a wide table scrolls sideways to it too.
        if let Some(row) = document().get_element_by_id(&format!("vorschau-{line}")) {
            let target = row
                .query_selector("td.focused")
                .ok()
                .flatten()
                .unwrap_or(row);
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Center);
            options.set_inline(web_sys::ScrollLogicalPosition::Center);
            target.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
    move || {
        let focus = state.focus.get().filter(|f| f.file == name)?;
        if lines.contains(&focus.line) {
            return None;
        }
        let t = state.t();
        let text = fill(
            t.check.focus_outside,
            &[
                ("line", &focus.line.to_string()),
                ("file", &focus.file),
                ("shown", &shown.to_string()),
            ],
        );
        let rows = state
            .focus_rows
            .get()
            .map(|(_, rows)| rows)
            .unwrap_or_default();
        let header = header.clone();
        Some(view! {
            <div class="focus-note">
                <p role="status">{text.clone()}</p>
                <div class="table-box" tabindex="0" role="region" aria-label=text.clone()>
                    <table class="preview">
                        <thead>
                            <tr>
                                <th scope="col">{t.report_line}</th>
                                {header.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|(line, cells)| {
                                    let here = line == focus.line;
                                    view! {
                                        <tr class:focused=here id=here.then(|| format!("vorschau-{line}"))>
                                            <th scope="row" class="num">{line}</th>
                                            {cells
                                                .iter()
                                                .enumerate()
                                                .map(|(j, c)| {
                                                    let cell = here && focus.column == Some(j + 1);
                                                    view! { <td class:focused=cell>{preview_cell(state, &cells, c)}</td> }
                                                })
                                                .collect_view()}
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </div>
        })
    }
}

/// How the reader understood an official export, in the UI's language.
fn recognised_text(k: &Recognised, t: &Texts) -> String {
    let format = match k.flat {
        None => t.recognised_genesis,
        Some(FlatLayout::English) => t.recognised_flat_english,
        Some(FlatLayout::German) => t.recognised_flat_german,
    };
    let mut text = fill(format, &[("code", &k.code)]);
    text.push_str(&match k.year {
        Some(YearFrom::Column(j)) => fill(t.recognised_year_column, &[("column", &j.to_string())]),
        Some(YearFrom::Header) => t.recognised_year_header.to_string(),
        Some(YearFrom::Title(y)) => fill(t.recognised_year_title, &[("year", &y.to_string())]),
        None => String::new(),
    });
    if let Some(line) = k.units_line {
        text.push_str(&fill(t.recognised_units, &[("line", &line.to_string())]));
    }
    text
}

const ROLES: [Role; 10] = [
    Role::Municipality,
    Role::Code,
    Role::Year,
    Role::Measure,
    Role::MeasureName,
    Role::Value,
    Role::Unit,
    Role::Dimension,
    Role::Quality,
    Role::Ignore,
];

fn role_name(role: Role, t: &Texts) -> &'static str {
    match role {
        Role::Municipality => t.role_municipality,
        Role::Code => t.role_code,
        Role::Year => t.role_year,
        Role::Measure => t.role_measure,
        Role::MeasureName => t.role_measure_name,
        Role::Value => t.role_value,
        Role::Unit => t.role_unit,
        Role::Dimension => t.role_dimension,
        Role::Quality => t.role_quality,
        Role::Ignore => t.role_ignore,
    }
}

/// The columns with their detected role, number notation and kind; every change is applied at
/// once (the worker builds the dataset again from the table and the edited layout).
#[component]
fn ColumnPanel(
    /// The file.
    file: LoadedFile,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = state.t();
    let upload = file.upload;
    let layout = file.layout.clone();
    let edit = move |layout: &Layout, change: &dyn Fn(&mut Layout)| {
        let mut edited = layout.clone();
        change(&mut edited);
        state.relayout(upload, edited);
    };
    let shape_select = {
        let layout = layout.clone();
        view! {
            <label class="field inline">
                <span>{t.report_shape}</span>
                {choice(
                    None,
                    [Shape::Wide, Shape::Long, Shape::CaseLevel]
                        .into_iter()
                        .map(|shape| (shape, shape_name(shape, t).to_string()))
                        .collect(),
                    file.layout.shape,
                    move |shape| edit(&layout, &|l| l.shape = shape),
                )}
            </label>
        }
    };
    let year_input = {
        let layout = layout.clone();
        view! {
            <label class="field inline">
                <span>{t.file_year_label}</span>
                <input
                    type="number"
                    min="1900"
                    max="2100"
                    step="1"
                    inputmode="numeric"
                    value=file.layout.year.map(|y| y.to_string()).unwrap_or_default()
                    on:change=move |ev| {
                        let year = event_target_value(&ev).trim().parse().ok();
                        edit(&layout, &|l| l.year = year);
                    }
                />
            </label>
        }
    };
    view! {
        <p class="intro">{t.columns_intro}</p>
                <div class="layout-fields">{shape_select} {year_input}</div>
        <div class="table-box" tabindex="0" role="region" aria-label=t.columns_table>
            <table class="columns">
                <caption>{t.columns_table}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.column_number}</th>
                        <th scope="col">{t.column_header}</th>
                        <th scope="col">{t.column_role}</th>
                        <th scope="col">{t.column_format}</th>
                        <th scope="col">{t.column_kind}</th>
                        <th scope="col">{t.column_key}</th>
                        <th scope="col">{t.column_unit}</th>
                    </tr>
                </thead>
                <tbody>
                    {layout
                        .columns
                        .iter()
                        .enumerate()
                        .map(|(j, column)| {
                            let header = if column.name.is_empty() {
                                format!("({} {})", t.report_column, j + 1)
                            } else {
                                column.name.clone()
                            };
                            let label = |what: &str| format!("{what}: {header}");
                            let roles = || ROLES.iter().map(|&role| (role, role_name(role, t).to_string())).collect();
                            let formats = || vec![(NumberFormat::German, t.format_german.to_string()), (NumberFormat::Plain, t.format_plain.to_string())];
                            let kinds = || vec![(MeasureKind::Amount, t.kind_amount.to_string()), (MeasureKind::Rate, t.kind_rate.to_string())];
                            view! {
                                <tr>
                                    <th scope="row" class="num">{j + 1}</th>
                                    <td>{header.clone()}</td>
                                    {column_choice(label(t.column_role), roles(), column.role, (layout.clone(), j), |c, role| c.role = role, edit)}
                                    {column_choice(label(t.column_format), formats(), column.format, (layout.clone(), j), |c, format| c.format = format, edit)}
                                    {column_choice(label(t.column_kind), kinds(), column.kind, (layout.clone(), j), |c, kind| c.kind = kind, edit)}
                                    <td>
                                        <code>{column.key.clone()}</code>
                                    </td>
                                    <td>{column.unit.clone().unwrap_or_default()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A select in a column's row of the layout table (`at`: the layout and the column's index):
/// `set` puts the chosen value into the column and the layout is applied.
fn column_choice<T: Copy + PartialEq + Send + Sync + 'static>(
    label: String,
    options: Vec<(T, String)>,
    current: T,
    (layout, j): (Layout, usize),
    set: fn(&mut LayoutColumn, T),
    edit: impl Fn(&Layout, &dyn Fn(&mut Layout)) + 'static,
) -> impl IntoView {
    view! {
        <td>
            {choice(Some(label), options, current, move |value| {
                edit(&layout, &|l| set(&mut l.columns[j], value))
            })}
        </td>
    }
}
