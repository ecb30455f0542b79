//! Prüfung: the plausibility check before submission. Thresholds (the catalogue's until changed
//! here), a summary that says whether the data can go to the ring, the findings grouped by kind
//! and filterable, a comment on each, and the report as CSV for Excel or as a printed page.
//!
//! Findings are recomputed by core whenever data, catalogue or thresholds change; comments live
//! in `state.comments` under the finding's key, so they come back with the finding.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use leptos::prelude::*;
use vergleichsring_core::{
    check, cited_value, findings_csv_banded, format_integer, format_number, format_typed_number,
    parse_typed_number, CheckSummary, Checks, Code, Finding, FindingKey, Severity, Value,
};

use super::peers::finding_bands;
use super::words::finding_message;
use super::{keep_long_options, print_with, reason_words, CheckField, EmptyState, LongOptions};
use crate::download::{download, today};
use crate::i18n::{fill, CheckTexts};
use crate::loaded::FocusCell;
use crate::state::AppState;

/// The view's content.
#[component]
pub fn CheckView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let empty = Memo::new(move |_| state.data.with(|d| d.is_empty()));
    let findings = Memo::new(move |_| {
        state.catalogue.with(|catalogue| {
            state.data.with(|d| {
                state.kpis.with(|table| {
                    state
                        .thresholds
                        .with(|t| check(catalogue, &d.dataset, table, t))
                })
            })
        })
    });
    move || {
        if empty.get() {
            return view! { <EmptyState text=|t| t.empty_check /> }.into_any();
        }
        view! {
            <PrintHeading />
            <p class="intro no-print">{move || state.t().check.intro}</p>
            <div class="check-top">
                <Summary findings=findings />
                <Thresholds />
            </div>
            <Report findings=findings />
            <crate::views::exchange::SubmitPackage findings=findings />
            <FindingList findings=findings />
        }
        .into_any()
    }
}

/// Title, files and date of the printed report, and the source lines its figures need.
#[component]
fn PrintHeading() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let t = state.t().check;
        let ring = state.catalogue.with(|c| c.name().to_string());
        let files = state.data.with(|d| d.dataset.files.join(", "));
        let demo = state.data.with(|d| d.demo);
        let official = state.data.with(|d| {
            d.dataset
                .municipalities
                .iter()
                .any(|m| m.code.is_some() && m.aggregate)
        });
        view! {
            <div class="print-only print-heading">
                <p class="print-title">{fill(t.print_title, &[("ring", &ring)])}</p>
                <p>{fill(t.print_meta, &[("files", &files), ("date", &today())])}</p>
                {demo.then(|| view! { <p>{state.t().demo_label}</p> })}
                {official.then(|| view! { <p class="source-line">{t.official_source}</p> })}
            </div>
        }
    }
}

/// Whether the data can be submitted, and what is left.
#[component]
fn Summary(findings: Memo<Vec<Finding>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let summary =
        Memo::new(move |_| findings.with(|f| state.comments.with(|c| CheckSummary::of(f, c))));
    move || {
        let t = state.t().check;
        let s = summary.get();
        let total = s.errors + s.warnings;
        let verdict = if s.ready_to_submit() {
            t.ready.to_string()
        } else {
            fill(t.not_ready, &[("errors", &format_integer(s.errors as u64))])
        };
        let rows = s
            .by_code
            .iter()
            .map(|(code, n)| {
                let label = Code::try_from(code.clone())
                    .map(|c| code_label(&c, t))
                    .unwrap_or_default();
                view! {
                    <tr>
                        <th scope="row">{label} " " <code>{code.clone()}</code></th>
                        <td class="num">{format_integer(*n as u64)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section class="check-summary" aria-labelledby="pruefung-ergebnis">
                <h3 id="pruefung-ergebnis">{t.summary_heading}</h3>
                <p
                    class="check-verdict"
                    class:ready=s.ready_to_submit()
                    class:not-ready=!s.ready_to_submit()
                    role="status"
                >
                    {verdict}
                </p>
                <ul class="check-counts">
                    <li class="error-count">
                        <strong>{format_integer(s.errors as u64)}</strong>
                        " "
                        {t.count_errors}
                    </li>
                    <li class="warning-count">
                        <strong>{format_integer(s.warnings as u64)}</strong>
                        " "
                        {t.count_warnings}
                    </li>
                    <li
                        class="notable-count"
                        data-testid="notable-count"
                        data-warnings=s.warnings
                        data-notable=s.notable
                    >
                        {fill(
                            state.t().analysis.notable_count,
                            &[
                                ("warnings", &format_integer(s.warnings as u64)),
                                ("notable", &format_integer(s.notable as u64)),
                            ],
                        )}
                    </li>
                    <li>
                        <strong>
                            {format_integer(s.commented as u64)} " / "
                            {format_integer(total as u64)}
                        </strong>
                        " "
                        {t.count_commented}
                    </li>
                </ul>
                {if total == 0 {
                    view! { <p>{t.no_findings}</p> }.into_any()
                } else {
                    view! {
                        <table class="by-code">
                            <caption>{t.by_code_caption}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t.column_code}</th>
                                    <th scope="col" class="num">{t.column_count}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    }
                        .into_any()
                }}
            </section>
        }
    }
}

/// One threshold's field. A text that is no number above 0 is refused with a message and stays
/// in the field; the threshold keeps its last good value.
#[component]
fn ThresholdField(
    /// The input's id; its message's is the same with `-fehler`.
    id: &'static str,
    /// Picks the label from the check texts.
    label: fn(&CheckTexts) -> &'static str,
    /// The threshold among the thresholds in force.
    threshold: fn(&mut Checks) -> &mut f64,
    /// Set while the field holds a refused text.
    error: RwSignal<bool>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let error_id = format!("{id}-fehler");
    view! {
        <div class="field">
            <label for=id>{move || label(state.t().check)}</label>
            <input
                id=id
                type="text"
                inputmode="decimal"
                autocomplete="off"
                aria-invalid=move || error.get().to_string()
                aria-describedby=error_id.clone()
                prop:value=move || {
                    let mut thresholds = state.thresholds.get();
                    format_typed_number(*threshold(&mut thresholds))
                }
                on:change=move |ev| match parse_typed_number(&event_target_value(&ev)).filter(|x| *x > 0.0) {
                    Some(x) => {
                        error.set(false);
                        state.thresholds.update(|t| *threshold(t) = x);
                    }
                    None => error.set(true),
                }
            />
            <span id=error_id class="error" aria-live="polite">
                {move || error.get().then(|| state.t().check.threshold_invalid)}
            </span>
        </div>
    }
}

/// The thresholds in force, adjustable; the catalogue's values one click away.
#[component]
fn Thresholds() -> impl IntoView {
    let state = expect_context::<AppState>();
    let yoy_error = RwSignal::new(false);
    let z_error = RwSignal::new(false);
    let changed = move || {
        state
            .catalogue
            .with(|c| state.thresholds.with(|t| c.checks() != t))
    };
    view! {
        <fieldset class="thresholds no-print">
            <legend>{move || state.t().check.thresholds_heading}</legend>
            <div class="threshold-fields">
                <ThresholdField
                    id="schwelle-vorjahr"
                    label=|t| t.yoy_label
                    threshold=|c| &mut c.yoy_threshold_percent
                    error=yoy_error
                />
                <ThresholdField
                    id="schwelle-ausreisser"
                    label=|t| t.outlier_label
                    threshold=|c| &mut c.outlier_robust_z
                    error=z_error
                />
            </div>
            <p class="threshold-note">
                {move || {
                    let t = state.t().check;
                    if changed() {
                        let c = state.catalogue.with(|c| c.checks().clone());
                        fill(
                            t.thresholds_changed,
                            &[
                                ("yoy", &format_typed_number(c.yoy_threshold_percent)),
                                ("z", &format_typed_number(c.outlier_robust_z)),
                            ],
                        )
                    } else {
                        t.thresholds_from_catalogue.to_string()
                    }
                }}
            </p>
            <button
                type="button"
                disabled=move || !changed()
                on:click=move |_| {
                    yoy_error.set(false);
                    z_error.set(false);
                    state.thresholds.set(state.catalogue.with(|c| c.checks().clone()));
                }
            >
                {move || state.t().check.thresholds_reset}
            </button>
        </fieldset>
    }
}

/// The report: CSV for Excel and the printed page.
#[component]
fn Report(findings: Memo<Vec<Finding>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let export = move |_| {
        // Another municipality's raw figures in size bands while pseudonymised, as on the page.
        let banded = |f: &Finding| finding_bands(state, &f.municipality).is_some();
        let text = findings.with(|f| {
            state.comments.with(|c| {
                state
                    .data
                    .with(|d| findings_csv_banded(f, c, &d.dataset.files, banded))
            })
        });
        // The report follows the workshop's pseudonyms like the page.
        let text = state.mask_names(&text);
        let _ = download(
            text.as_bytes(),
            crate::export::CSV_TYPE,
            &format!("pruefbericht-{}.csv", today()),
        );
    };
    let print = move |_| print_with(document().body().map(Into::into), "print-check");
    view! {
        <section class="check-report no-print" aria-labelledby="pruefung-bericht">
            <h3 id="pruefung-bericht">{move || state.t().check.report_heading}</h3>
            <p class="hint">{move || state.t().check.report_hint}</p>
            <div class="actions">
                <button type="button" class="primary" on:click=export>
                    {move || state.t().check.export_csv}
                </button>
                <button type="button" on:click=print>
                    {move || state.t().check.print}
                </button>
            </div>
        </section>
    }
}

/// Findings a group shows before "show all" (a large upload may have thousands of `missing`).
const GROUP_LIMIT: usize = 100;

/// The filters' choices; empty strings mean "all".
#[derive(Clone, Copy, Default)]
struct Filters {
    severity: RwSignal<String>,
    code: RwSignal<String>,
    municipality: RwSignal<String>,
    year: RwSignal<String>,
    uncommented: RwSignal<bool>,
    notable: RwSignal<bool>,
}

impl Filters {
    /// Whether a finding passes. The comment filter reads the comments without tracking them:
    /// a finding being commented stays in view until the filter is set again.
    fn pass(&self, f: &Finding, state: &AppState) -> bool {
        let is =
            |filter: RwSignal<String>, value: &str| filter.with(|v| v.is_empty() || v == value);
        is(self.severity, f.severity.as_str())
            && is(self.code, &f.code.to_string())
            && is(self.municipality, &state.display_name_of(&f.municipality))
            && is(self.year, &f.year.to_string())
            && (!self.notable.get() || f.notable == Some(true))
            && (!self.uncommented.get()
                || state.comments.with_untracked(|c| c.get(&f.key()).is_none()))
    }
}

/// The filters and the findings, grouped by kind (errors first).
#[component]
fn FindingList(findings: Memo<Vec<Finding>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let filters = Filters::default();
    // Groups shown in full; the others show their first findings, so a file with thousands of
    // missing values still renders at once.
    let expanded = RwSignal::new(BTreeSet::<String>::new());
    let visible = Memo::new(move |_| {
        findings.with(|all| {
            all.iter()
                .filter(|f| filters.pass(f, &state))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let groups = move || {
        let mut groups: BTreeMap<(Severity, Code), Vec<Finding>> = BTreeMap::new();
        for f in visible.get() {
            groups
                .entry((f.severity, f.code.clone()))
                .or_default()
                .push(f);
        }
        // Notable findings first in each group (stable, so the order within stays): they are
        // the ones beyond chance, worth reading before the rest.
        for items in groups.values_mut() {
            items.sort_by_key(|f| f.notable != Some(true));
        }
        groups
    };
    view! {
        <section class="findings-section" aria-labelledby="pruefung-befunde">
            <h3 id="pruefung-befunde">{move || state.t().check.findings_heading}</h3>
            <FilterBar findings=findings filters=filters />
            <p class="shown-count no-print" role="status">
                {move || {
                    fill(
                        state.t().check.shown_of,
                        &[
                            ("shown", &format_integer(visible.with(Vec::len) as u64)),
                            ("total", &format_integer(findings.with(Vec::len) as u64)),
                        ],
                    )
                }}
            </p>
            <div data-testid="findings" class="findings">
                {move || {
                    let t = state.t().check;
                    let groups = groups();
                    if groups.is_empty() {
                        let text = if findings.with(Vec::is_empty) { t.no_findings } else { t.none_match };
                        return view! { <p class="empty-state">{text}</p> }.into_any();
                    }
                    groups
                        .into_iter()
                        .map(|((severity, code), items)| {
                            let count = items.len();
                            let name = code.to_string();
                            let open = expanded.with(|e| e.contains(&name));
                            let shown = if open { count } else { count.min(GROUP_LIMIT) };
                            let more = (shown < count).then(|| {
                                let label = fill(
                                    t.show_all,
                                    &[("count", &format_integer(count as u64)), ("kind", &code_label(&code, t))],
                                );
                                view! {
                                    <button
                                        type="button"
                                        class="no-print"
                                        on:click=move |_| expanded.update(|e| { e.insert(name.clone()); })
                                    >
                                        {label}
                                    </button>
                                }
                            });
                            view! {
                                <div class="finding-group">
                                    <h4>
                                        <SeverityBadge severity=severity />
                                        " " {code_label(&code, t)} " "
                                        <code>{code.to_string()}</code>
                                        " (" {format_integer(count as u64)} ")"
                                    </h4>
                                    <ul class="finding-items">
                                        {items
                                            .into_iter()
                                            .take(shown)
                                            .map(|f| view! { <FindingItem finding=f /> })
                                            .collect_view()}
                                    </ul>
                                    {more}
                                </div>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </div>
            <OrphanComments findings=findings />
        </section>
    }
}

/// Selects for severity, code, municipality and year, and the comment filter.
#[component]
fn FilterBar(findings: Memo<Vec<Finding>>, filters: Filters) -> impl IntoView {
    let state = expect_context::<AppState>();
    let choices = Memo::new(move |_| {
        findings.with(|all| {
            let codes: BTreeSet<(Severity, Code)> =
                all.iter().map(|f| (f.severity, f.code.clone())).collect();
            // In order of first finding, each once (a municipality table has thousands).
            let mut seen = HashSet::new();
            let municipalities: Vec<String> = all
                .iter()
                .filter(|f| seen.insert(f.municipality.as_str()))
                .map(|f| f.municipality.clone())
                .collect();
            let years: BTreeSet<i32> = all.iter().map(|f| f.year).collect();
            (codes, municipalities, years)
        })
    });
    let select =
        move |id: &'static str,
              label: fn(&CheckTexts) -> &'static str,
              signal: RwSignal<String>,
              options: Box<dyn Fn() -> Vec<(String, String)> + Send + Sync>| {
            let node = NodeRef::<leptos::html::Select>::new();
            keep_long_options(node, move || LongOptions {
                first: (state.t().check.all.to_string(), true),
                options: options(),
                chosen: signal.get(),
            });
            view! {
                <div class="field">
                    <label for=id>{move || label(state.t().check)}</label>
                    <select id=id node_ref=node on:change=move |ev| signal.set(event_target_value(&ev))></select>
                </div>
            }
        };
    view! {
        <div class="finding-filters no-print" role="group" aria-label=move || state.t().check.filters_label>
            {select(
                "filter-schweregrad",
                |t| t.filter_severity,
                filters.severity,
                Box::new(move || {
                    let t = state.t().check;
                    vec![("error".into(), t.error.into()), ("warning".into(), t.warning.into())]
                }),
            )}
            {select(
                "filter-art",
                |t| t.filter_code,
                filters.code,
                Box::new(move || {
                    let t = state.t().check;
                    choices
                        .with(|(codes, _, _)| {
                            codes
                                .iter()
                                .map(|(_, c)| (c.to_string(), format!("{} ({c})", code_label(c, t))))
                                .collect()
                        })
                }),
            )}
            {select(
                "filter-kommune",
                |t| t.filter_municipality,
                filters.municipality,
                Box::new(move || {
                    // Shown names as values too: no hidden real name while pseudonymised.
                    choices.with(|(_, names, _)| {
                        names
                            .iter()
                            .map(|n| {
                                let shown = state.display_name_of(n);
                                (shown.clone(), shown)
                            })
                            .collect()
                    })
                }),
            )}
            {select(
                "filter-jahr",
                |t| t.filter_year,
                filters.year,
                Box::new(move || {
                    choices.with(|(_, _, years)| years.iter().map(|y| (y.to_string(), y.to_string())).collect())
                }),
            )}
            <CheckField checked=filters.uncommented text=|t| t.check.filter_uncommented />
            <CheckField checked=filters.notable text=|t| t.analysis.filter_notable testid="filter-notable" />
            <p class="hint">{move || state.t().analysis.notable_first}</p>
        </div>
    }
}

/// Severity in words and symbol, coloured only as a third cue.
#[component]
fn SeverityBadge(severity: Severity) -> impl IntoView {
    let state = expect_context::<AppState>();
    let (class, symbol) = match severity {
        Severity::Error => ("severity error", "✖"),
        Severity::Warning => ("severity warning", "⚠"),
    };
    view! {
        <span class=class>
            <span aria-hidden="true">{symbol} " "</span>
            {move || match severity {
                Severity::Error => state.t().check.error,
                Severity::Warning => state.t().check.warning,
            }}
        </span>
    }
}

/// One finding with its values, where it is in the upload, and its comment.
#[component]
fn FindingItem(finding: Finding) -> impl IntoView {
    let state = expect_context::<AppState>();
    let key = finding.key();
    let anchor = comment_id(&key);
    let t = state.t().check;
    let subject = subject_label(&state, &finding);
    // Another municipality's raw figures in size bands while pseudonymised (the switch and the
    // own municipality may change while the finding is shown).
    let values = {
        let finding = finding.clone();
        move || {
            let bands = finding_bands(state, &finding.municipality);
            finding
                .values
                .iter()
                .map(|(name, value)| {
                    let (label, decimals) = value_label(&state, name, t);
                    let shown = match (cited_value(&finding, name, value, bands.as_ref()), value) {
                        (Some(cited), _) => cited,
                        (None, Value::Number(x)) => {
                            format_number(*x, decimals.unwrap_or_else(|| auto_decimals(*x)))
                        }
                        (None, Value::Missing(reason)) => reason_words(reason, state.t()),
                    };
                    view! {
                        <li>
                            <span class="value-name">{label} ": "</span>
                            <span class="value">{shown}</span>
                        </li>
                    }
                })
                .collect_view()
        }
    };
    let place = finding.source.map(|s| {
        let file = state
            .data
            .with_untracked(|d| d.dataset.files.get(s.file).cloned().unwrap_or_default());
        let cell = matches!(
            finding.code,
            Code::Missing | Code::NotNumeric | Code::Negative | Code::YoyJump
        );
        let line = s.line.to_string();
        let column = s.column.to_string();
        let text = if cell {
            fill(
                t.where_in_file,
                &[("file", &file), ("line", &line), ("column", &column)],
            )
        } else {
            fill(t.whole_row, &[("file", &file), ("line", &line)])
        };
        let focus = FocusCell {
            file: file.clone(),
            line: s.line,
            column: cell.then_some(s.column),
        };
        let label = fill(t.show_in_data_label, &[("where", &text)]);
        view! {
            <p class="where">
                <span>{text}</span>
                " "
                <button
                    type="button"
                    class="link no-print"
                    aria-label=label
                    on:click=move |_| state.show_cell(focus.clone())
                >
                    {t.show_in_data}
                </button>
            </p>
        }
    });
    let comment_label = {
        let (code, municipality, year) = (
            code_label(&finding.code, t),
            finding.municipality.clone(),
            finding.year.to_string(),
        );
        move || {
            fill(
                t.comment_label,
                &[
                    ("code", &code),
                    ("municipality", &state.display_name_of(&municipality)),
                    ("year", &year),
                ],
            )
        }
    };
    let text_key = key.clone();
    let comment = move || {
        state
            .comments
            .with(|c| c.get(&text_key).unwrap_or_default().to_string())
    };
    let printed = comment.clone();
    view! {
        <li
            class="finding"
            class:is-error=finding.severity == Severity::Error
            data-code=finding.code.to_string()
            data-municipality={
                let name = finding.municipality.clone();
                move || state.display_name_of(&name)
            }
            data-year=finding.year.to_string()
            data-subject=finding.subject.clone()
            data-severity=finding.severity.as_str()
            data-notable=finding.notable.map(|n| n.to_string()).unwrap_or_default()
        >
            <div class="finding-head">
                <SeverityBadge severity=finding.severity />
                <strong>
                    {
                        let name = finding.municipality.clone();
                        move || state.display_name_of(&name)
                    }
                </strong>
                <span>{finding.year}</span>
                <span class="subject">{subject}</span>
                {finding.notable.map(|notable| {
                    let a = state.t().analysis;
                    view! {
                        <span class="notable" class:is-notable=notable>
                            {if notable { a.notable } else { a.not_notable }}
                        </span>
                    }
                })}
            </div>
            <p class="message">
                {
                    let finding = finding.clone();
                    move || state.mask_names(&finding_message(&finding, state))
                }
            </p>
            <ul class="values">{values}</ul>
            {place}
            <div class="comment">
                <label for=anchor.clone()>
                    {t.comment}
                    <span class="visually-hidden">" – " {comment_label}</span>
                </label>
                <textarea
                    id=anchor
                    rows="2"
                    class="no-print"
                    placeholder=t.comment_placeholder
                    prop:value=comment
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        state.comments.update(|c| c.set(key.clone(), &text));
                    }
                ></textarea>
                <p class="print-only comment-print">{printed}</p>
            </div>
        </li>
    }
}

/// Comments whose finding is not found with the current data and thresholds: kept, and shown so
/// nobody wonders where an explanation went.
#[component]
fn OrphanComments(findings: Memo<Vec<Finding>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let t = state.t().check;
        let found: BTreeSet<FindingKey> = findings.with(|f| f.iter().map(Finding::key).collect());
        let orphans: Vec<(FindingKey, String)> = state.comments.with(|c| {
            c.iter()
                .filter(|(k, _)| !found.contains(k))
                .map(|(k, v)| (k.clone(), v.to_string()))
                .collect()
        });
        (!orphans.is_empty()).then(|| {
            view! {
                <details class="orphans">
                    <summary>{t.orphan_comments} " (" {orphans.len()} ")"</summary>
                    <ul>
                        {orphans
                            .into_iter()
                            .map(|(k, text)| {
                                view! {
                                    <li>
                                        <strong>{code_label(&k.code, t)}</strong>
                                        " · " {state.display_name_of(&k.municipality)} " " {k.year} " "
                                        <code>{k.subject}</code>
                                        ": " {text}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </details>
            }
        })
    }
}

/// A code in words (`rule:<id>` by the rule's label when the catalogue has it).
fn code_label(code: &Code, t: &CheckTexts) -> String {
    match code {
        Code::Missing => t.code_missing.into(),
        Code::NotNumeric => t.code_not_numeric.into(),
        Code::Negative => t.code_negative.into(),
        Code::Duplicate => t.code_duplicate.into(),
        Code::Rule(_) => t.code_rule.into(),
        Code::YoyJump => t.code_yoy_jump.into(),
        Code::Outlier => t.code_outlier.into(),
    }
}

/// The subject by its name: a measure's label, a KPI's label or a rule's label, with the key.
fn subject_label(state: &AppState, f: &Finding) -> String {
    if f.subject.is_empty() {
        return String::new();
    }
    let measure = state.data.with_untracked(|d| {
        d.dataset
            .measure_index(&f.subject)
            .map(|i| d.dataset.measures[i].label.clone())
    });
    let label = measure.or_else(|| {
        state.catalogue.with_untracked(|c| {
            c.kpi(&f.subject).map(|k| k.label.clone()).or_else(|| {
                c.rules()
                    .iter()
                    .find(|r| r.id == f.subject)
                    .map(|r| r.label.clone())
            })
        })
    });
    match label {
        Some(label) if label != f.subject => format!("{label} ({})", f.subject),
        _ => f.subject.clone(),
    }
}

/// A value's name in words and, for a KPI, its decimals.
fn value_label(state: &AppState, name: &str, t: &CheckTexts) -> (String, Option<usize>) {
    let fixed = match name {
        "vorjahr" => Some(t.value_previous_year),
        "veraenderung_prozent" => Some(t.value_change_percent),
        "median" => Some(t.value_median),
        "mad" => Some(t.value_mad),
        "robuster_z" => Some(t.value_robust_z),
        _ => None,
    };
    if let Some(label) = fixed {
        return (label.to_string(), None);
    }
    if let Some((label, decimals)) = state
        .catalogue
        .with_untracked(|c| c.kpi(name).map(|k| (k.label.clone(), k.decimals as usize)))
    {
        return (label, Some(decimals));
    }
    let measure = state.data.with_untracked(|d| {
        d.dataset
            .measure_index(name)
            .map(|i| d.dataset.measures[i].label.clone())
    });
    (measure.unwrap_or_else(|| name.to_string()), None)
}

/// Decimals for a value without its own: none for whole numbers, two above 1, four below.
fn auto_decimals(x: f64) -> usize {
    if x.fract() == 0.0 {
        0
    } else if x.abs() >= 1.0 {
        2
    } else {
        4
    }
}

/// The id of a finding's comment field: readable, valid in HTML, and unique per key (names that
/// differ only in umlauts or spaces are told apart by a hash of the whole key).
fn comment_id(key: &FindingKey) -> String {
    let mut hasher = DefaultHasher::new();
    key.hash(&mut hasher);
    let readable: String = format!("{}-{}-{}", key.code, key.year, key.subject)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("kommentar-{readable}-{:x}", hasher.finish())
}
