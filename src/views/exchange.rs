//! The ring's exchange (CONTRACT §8): in Prüfung the city makes its submission package; in
//! Daten the coordinator sees the packages received (Rücklauf). Opening packages happens in the
//! reading worker with the other uploads (`worker.rs`); making one is a small ZIP of one
//! municipality's figures and is done here.

use leptos::prelude::*;
use vergleichsring_core::{
    collection_template, format_bytes, format_integer, member_report, official_source,
    package_file_name, report_file_name, timestamp, zip_texts, Finding, ReportInput, Severity,
    Submission,
};

use crate::i18n::fill;
use crate::state::AppState;

/// "Für den Ring abgeben": errors of the own municipality block it (the reason is shown);
/// warnings without a comment are listed and the user confirms.
#[component]
pub fn SubmitPackage(
    /// The check's findings (every municipality's).
    findings: Memo<Vec<Finding>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().exchange;
    let confirming = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let own_findings = Memo::new(move |_| {
        let own = state.own.get();
        findings.with(|f| {
            f.iter()
                .filter(|f| Some(&f.municipality) == own.as_ref())
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let uncommented = Memo::new(move |_| {
        own_findings.with(|f| {
            state.comments.with(|c| {
                f.iter()
                    .filter(|f| f.severity == Severity::Warning && c.get(&f.key()).is_none())
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    });
    // Why the package cannot be made now, if it cannot.
    let blocked = move || {
        let (Some(own), Some(_)) = (state.own.get(), state.year.get()) else {
            return Some(t().submit_no_own.to_string());
        };
        let errors =
            own_findings.with(|f| f.iter().filter(|f| f.severity == Severity::Error).count());
        (errors > 0).then(|| {
            fill(
                t().submit_blocked,
                &[("errors", &format_integer(errors as u64)), ("own", &own)],
            )
        })
    };
    let write = move || {
        confirming.set(false);
        let (Some(own), Some(year)) = (state.own.get_untracked(), state.year.get_untracked())
        else {
            return;
        };
        let made = state.data.with_untracked(|d| {
            let municipality = d.dataset.municipality_index(&own)?;
            let load_report: Vec<String> = d.files.iter().map(|f| f.report.to_string()).collect();
            let load_report = load_report.join("\n");
            let bytes = state.catalogue.with_untracked(|catalogue| {
                own_findings.with_untracked(|findings| {
                    state.comments.with_untracked(|comments| {
                        Submission {
                            catalogue,
                            dataset: &d.dataset,
                            municipality,
                            year,
                            findings,
                            comments,
                            load_report: &load_report,
                            created: timestamp((js_sys::Date::now() / 1000.0) as i64),
                        }
                        .write()
                    })
                })
            });
            Some(bytes)
        });
        let Some(bytes) = made else { return };
        let name = package_file_name(&own, year);
        if crate::download::download(&bytes, "application/zip", &name).is_ok() {
            done.set(Some(fill(
                t().submitted,
                &[("file", &name), ("size", &format_bytes(bytes.len() as u64))],
            )));
        }
    };
    let click = move |_| {
        if uncommented.with(Vec::is_empty) {
            write();
        } else {
            confirming.set(true);
        }
    };
    view! {
        <section class="submit-package no-print" aria-labelledby="pruefung-abgabe">
            <h3 id="pruefung-abgabe">{move || t().submit_heading}</h3>
            <p class="hint">
                {move || {
                    fill(t().submit_intro, &[("own", &state.own.get().unwrap_or_default())])
                }}
            </p>
            {move || {
                blocked()
                    .map(|reason| {
                        view! {
                            <p class="error" id="submit-blocked" data-testid="submit-blocked">
                                {reason}
                            </p>
                        }
                    })
            }}
            <div class="actions">
                <button
                    type="button"
                    class="primary"
                    data-testid="submit-package"
                    disabled=move || blocked().is_some()
                    aria-describedby=move || blocked().map(|_| "submit-blocked")
                    on:click=click
                >
                    {move || t().submit_button}
                </button>
            </div>
            {move || {
                confirming
                    .get()
                    .then(|| {
                        let list = uncommented.get();
                        view! {
                            <div class="submit-confirm" role="group" aria-labelledby="submit-uncommented">
                                <p id="submit-uncommented">
                                    {fill(
                                        t().uncommented,
                                        &[("count", &format_integer(list.len() as u64))],
                                    )}
                                </p>
                                <ul data-testid="uncommented">
                                    {list
                                        .into_iter()
                                        .map(|f| {
                                            let text = format!(
                                                "{} · {}",
                                                f.year,
                                                crate::views::words::finding_message(&f, state),
                                            );
                                            view! {
                                                <li data-code=f.code.to_string() data-subject=f.subject.clone()>
                                                    {text}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                                <div class="actions">
                                    <button
                                        type="button"
                                        class="primary"
                                        data-testid="submit-confirm"
                                        on:click=move |_| write()
                                    >
                                        {move || t().confirm}
                                    </button>
                                    <button type="button" on:click=move |_| confirming.set(false)>
                                        {move || t().cancel}
                                    </button>
                                </div>
                            </div>
                        }
                    })
            }}
            {move || {
                done.get()
                    .map(|m| view! { <p role="status" data-testid="submit-done">{m}</p> })
            }}
        </section>
    }
}

/// A manifest's time stamp (`2026-12-04T14:32:00Z`) as German date and time, UTC.
fn shown_time(created: &str) -> String {
    let part = |from: usize, to: usize| created.get(from..to).unwrap_or_default();
    format!(
        "{}.{}.{}, {} UTC",
        part(8, 10),
        part(5, 7),
        part(0, 4),
        part(11, 16)
    )
}

/// The Rücklauf: one row per received submission package.
#[component]
pub fn Returns() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().exchange;
    let rows = Memo::new(move |_| {
        state.data.with(|d| {
            d.files
                .iter()
                .filter_map(|f| {
                    let p = f.package.as_ref()?;
                    Some((
                        f.report.file.clone(),
                        p.manifest.municipality.clone(),
                        p.manifest.year,
                        p.manifest.created.clone(),
                        p.open_warnings(),
                        p.comments(),
                    ))
                })
                .collect::<Vec<_>>()
        })
    });
    move || {
        (!rows.with(Vec::is_empty)).then(|| {
            view! {
                <section class="returns" aria-labelledby="daten-ruecklauf">
                    <h3 id="daten-ruecklauf">{move || t().returns_heading}</h3>
                    <div
                        class="table-box"
                        tabindex="0"
                        role="region"
                        aria-labelledby="daten-ruecklauf"
                    >
                        <table data-testid="returns">
                            <caption>{move || t().returns_intro}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{move || t().col_member}</th>
                                    <th scope="col">{move || t().col_year}</th>
                                    <th scope="col">{move || t().col_created}</th>
                                    <th scope="col">{move || t().col_open}</th>
                                    <th scope="col">{move || t().col_comments}</th>
                                    <th scope="col">{move || t().col_file}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {move || {
                                    rows.get()
                                        .into_iter()
                                        .map(|(file, member, year, created, open, comments)| {
                                            let shown = state.display_name_of(&member);
                                            let hook = shown.clone();
                                            view! {
                                                <tr
                                                    data-municipality=hook
                                                    data-year=year
                                                    data-created=created.clone()
                                                    data-open-warnings=open
                                                    data-comments=comments
                                                >
                                                    <th scope="row">{shown}</th>
                                                    <td class="num">{year}</td>
                                                    <td>{shown_time(&created)}</td>
                                                    <td class="num">{format_integer(open as u64)}</td>
                                                    <td class="num">{format_integer(comments as u64)}</td>
                                                    <td>{file}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </tbody>
                        </table>
                    </div>
                </section>
            }
        })
    }
}

/// The collection template of the catalogue in use, as CSV or as XLSX (the XLSX is written in
/// the export worker).
#[component]
pub fn TemplateDownloads() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().exchange;
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let done = move |name: &str| outcome.set(Some(Ok(fill(t().template_done, &[("file", name)]))));
    let csv = move |_| {
        let text = state.catalogue.with(|c| collection_template(c)[0].to_csv());
        let name = "erfassungsvorlage.csv";
        if crate::download::download(text.as_bytes(), crate::export::CSV_TYPE, name).is_ok() {
            done(name);
        }
    };
    let xlsx = move |_| {
        let sheets = state.catalogue.with(collection_template).to_vec();
        crate::export::write_workbook(sheets, move |result| {
            let name = "erfassungsvorlage.xlsx";
            match result.and_then(|bytes| {
                crate::download::download(&bytes, crate::export::XLSX_TYPE, name)
                    .map_err(|e| format!("{e:?}"))
            }) {
                Ok(()) => done(name),
                Err(msg) => outcome.set(Some(Err(fill(t().template_failed, &[("msg", &msg)])))),
            }
        });
    };
    view! {
        <p class="hint">{move || t().template_hint}</p>
        <div class="actions">
            <button type="button" data-testid="template-csv" on:click=csv>
                {move || t().template_csv}
            </button>
            <button type="button" data-testid="template-xlsx" on:click=xlsx>
                {move || t().template_xlsx}
            </button>
        </div>
        {move || {
            outcome
                .get()
                .map(|r| match r {
                    Ok(m) => view! { <p role="status">{m}</p> }.into_any(),
                    Err(m) => view! { <p role="alert" class="error">{m}</p> }.into_any(),
                })
        }}
    }
}

/// "Berichte für alle": the Kurzbericht of every municipality of the ring as one HTML file each
/// (the same files as `vergleichsring report`), in one ZIP. Each file names only its own
/// municipality, so the workshop's pseudonyms have nothing to hide in it.
#[component]
pub fn ReportsForAll() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().exchange;
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let make = move |_| {
        let Some(year) = state.year.get_untracked() else {
            return;
        };
        let group = state.peers.get_untracked();
        let files = state.data.with_untracked(|d| {
            let reports: Vec<_> = d.files.iter().map(|f| f.report.clone()).collect();
            let source = if d.demo {
                state.t().brief.source_demo.to_string()
            } else {
                official_source(&reports).unwrap_or_else(|| {
                    fill(
                        state.t().brief.source_files,
                        &[("files", &d.dataset.files.join(", "))],
                    )
                })
            };
            state.catalogue.with_untracked(|catalogue| {
                state.kpis.with_untracked(|table| {
                    state.comments.with_untracked(|comments| {
                        let input = ReportInput {
                            catalogue,
                            dataset: &d.dataset,
                            table,
                            year,
                            group: &group,
                            comments,
                            source,
                        };
                        (0..d.dataset.municipalities.len())
                            .filter(|&m| !d.dataset.municipalities[m].aggregate)
                            .map(|m| {
                                let name = &d.dataset.municipalities[m].name;
                                member_report(&input, m)
                                    .map(|html| (report_file_name(name), html))
                                    .map_err(|e| {
                                        fill(
                                            t().reports_failed,
                                            &[("own", name), ("msg", &e.to_string())],
                                        )
                                    })
                            })
                            .collect::<Result<Vec<_>, String>>()
                    })
                })
            })
        });
        match files {
            Ok(files) => {
                let entries: Vec<(&str, String)> =
                    files.iter().map(|(n, h)| (n.as_str(), h.clone())).collect();
                let name = format!("kurzberichte-{year}.zip");
                if crate::download::download(&zip_texts(&entries), "application/zip", &name).is_ok()
                {
                    outcome.set(Some(Ok(fill(
                        t().reports_done,
                        &[("file", &name), ("n", &files.len().to_string())],
                    ))));
                }
            }
            Err(msg) => outcome.set(Some(Err(msg))),
        }
    };
    view! {
        <button
            type="button"
            data-testid="reports-all"
            on:click=make
            disabled=move || state.year.get().is_none() || state.data.with(|d| d.is_empty())
        >
            {move || t().reports_all}
        </button>
        {move || {
            outcome
                .get()
                .map(|r| match r {
                    Ok(m) => view! { <p role="status" data-testid="reports-done">{m}</p> }.into_any(),
                    Err(m) => view! { <p role="alert" class="error">{m}</p> }.into_any(),
                })
        }}
    }
}
