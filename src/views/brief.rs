//! The short report (Kurzbericht) for the public and the council: one A4 page per municipality
//! with the core KPIs — value, a small trend chart against the peer median, the position in the
//! peer group in words, the context explanation — and the own municipality's targets with
//! their progress, the events and the comments; on the own page the district map of a core KPI
//! when district data and boundaries are loaded. Printed alone (the rest of the page hides).
//!
//! The own municipality's page is the default; a ring coordinator can ask for a page for every
//! member, each compared with the peer group in force as if it were the own one. Targets belong
//! to the own municipality and show on its page only.

use std::collections::BTreeSet;

use leptos::prelude::*;
use vergleichsring_core::{
    comments_for, format_number, official_source, placement_code, report_kpis, series_of,
    year_points, Better, Catalogue, Comparison, FindingKey, Kpi, Placement, Target, Trend,
};

use super::change::{movement_words, ChangeSplitView};
use super::charts::{TargetLine, TrendChart, YearPoint};
use super::export::group_words;
use super::map::DistrictMapCard;
use super::targets::TargetSummary;
use super::words::{judgement_mark, placement_words};
use super::{print_with, value_words};
use crate::i18n::{fill, Texts, WorkshopTexts};
use crate::state::AppState;

/// The class on `<html>` that makes the print CSS print the report alone.
const PRINT_CLASS: &str = "print-report";

/// The lines of targets and comments a printed page holds beside nine KPI cards at the normal
/// density (measured with the built-in catalogue and the ring's events).
const DENSE_LINES: usize = 7;

/// Whose pages the report holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    /// The own municipality's.
    Own,
    /// Every municipality's of the ring (own first).
    All,
}

/// The trend in words, its change in percent or percentage points by the KPI's unit.
fn trend_words(trend: Option<Trend>, decimals: usize, texts: &Texts) -> String {
    let t = texts.brief;
    let Some(trend) = trend else {
        return t.trend_none.to_string();
    };
    let (from, to) = (
        format_number(trend.from, decimals),
        format_number(trend.to, decimals),
    );
    let change = movement_words(trend.movement, decimals, texts);
    let template = if from == to {
        t.trend_flat
    } else if trend.to > trend.from {
        t.trend_up
    } else {
        t.trend_down
    };
    fill(
        template,
        &[
            ("from", &from),
            ("to", &to),
            ("from_year", &trend.from_year.to_string()),
            ("change", &change),
        ],
    )
}

/// The sentence that says which direction is better.
fn better_words(better: Better, t: &WorkshopTexts) -> &'static str {
    match better {
        Better::Lower => t.better_is_lower,
        Better::Higher => t.better_is_higher,
        Better::Neutral => t.better_is_neutral,
    }
}

/// `year value; year value; …` for a chart's description.
fn year_values(
    points: &[YearPoint],
    pick: fn(&YearPoint) -> Option<f64>,
    decimals: usize,
) -> String {
    points
        .iter()
        .filter_map(|p| Some(format!("{} {}", p.year, format_number(pick(p)?, decimals))))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The short report: whose pages, the print button, and the pages.
#[component]
pub fn ShortReport() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().brief;
    let scope = RwSignal::new(Scope::Own);
    let count = move || state.data.with(|d| d.municipality_names().len());
    view! {
        <section class="short-report-box" aria-labelledby="kurzbericht-titel">
            <h3 id="kurzbericht-titel">{move || t().title}</h3>
            <p class="intro no-print">{move || t().intro}</p>
            <div class="report-controls no-print">
                <label class="field">
                    <span>{move || t().scope}</span>
                    <select
                        data-testid="report-scope"
                        on:change=move |ev| {
                            scope.set(if event_target_value(&ev) == "all" { Scope::All } else { Scope::Own })
                        }
                    >
                        <option value="own" prop:selected=move || scope.get() == Scope::Own>
                            {move || fill(t().scope_own, &[("own", &state.own.get().unwrap_or_default())])}
                        </option>
                        <option value="all" prop:selected=move || scope.get() == Scope::All>
                            {move || fill(t().scope_all, &[("n", &count().to_string())])}
                        </option>
                    </select>
                </label>
                <button type="button" data-testid="report-print" on:click=move |_| print_with(document().document_element(), PRINT_CLASS)>
                    {move || t().print}
                </button>
                <super::exchange::ReportsForAll />
            </div>
            <div class="short-report" data-testid="short-report">
                {move || report_pages(state, scope.get())}
            </div>
        </section>
    }
}

/// Every page of the report.
fn report_pages(state: AppState, scope: Scope) -> AnyView {
    let (Some(own), Some(year)) = (state.own.get(), state.year.get()) else {
        return view! { <p class="hint">{state.t().workshop.no_own}</p> }.into_any();
    };
    let Some(own_index) = state.data.with(|d| d.dataset.municipality_index(&own)) else {
        return view! { <p class="hint">{state.t().workshop.no_own}</p> }.into_any();
    };
    let municipalities: Vec<usize> = match scope {
        Scope::Own => vec![own_index],
        Scope::All => state.data.with(|d| {
            let others = d
                .dataset
                .municipalities
                .iter()
                .enumerate()
                .filter(|(i, m)| !m.aggregate && *i != own_index)
                .map(|(i, _)| i);
            std::iter::once(own_index).chain(others).collect()
        }),
    };
    municipalities
        .into_iter()
        .map(|m| report_page(state, m, m == own_index, year))
        .collect_view()
        .into_any()
}

/// The page of municipality `m` (index into the dataset) in `year`.
fn report_page(state: AppState, m: usize, is_own: bool, year: i32) -> impl IntoView {
    let t = state.t().brief;
    let name = state.display_name(m);
    let title = fill(t.page_title, &[("own", &name), ("year", &year.to_string())]);
    let group = state.peers.get();
    let catalogue = state.catalogue.get();
    // The own page's comparison is the one every view shares; the others' are computed here.
    let shared = is_own
        .then(|| state.comparison.with(|c| c.clone()))
        .flatten()
        .filter(|c| c.as_ref().is_ok_and(|c| c.own == m && c.year == year));
    let comparison = shared.unwrap_or_else(|| {
        state.data.with(|d| {
            state
                .kpis
                .with(|table| Comparison::new(&catalogue, &d.dataset, table, m, year, &group))
        })
    });
    let body = match comparison {
        Ok(comparison) => {
            let subtitle = fill(
                t.group,
                &[
                    ("group", &group_words(&group, state.t().workshop)),
                    ("n", &(comparison.members.len() + 1).to_string()),
                ],
            );
            view! {
                <p class="report-group">{subtitle}</p>
                {page_body(state, &catalogue, &comparison, is_own)}
            }
            .into_any()
        }
        Err(e) => {
            view! { <p class="error">{state.mask_names(&state.say_error(&e))}</p> }.into_any()
        }
    };
    view! {
        <section class="report-page" data-testid="brief-page" data-municipality=name>
            <header class="report-head">
                <h4>{title}</h4>
            </header>
            {body}
            <ReportFooter />
        </section>
    }
}

/// The cards of the KPIs, the targets, the events and the comments of one municipality.
fn page_body(
    state: AppState,
    catalogue: &Catalogue,
    comparison: &Comparison,
    is_own: bool,
) -> impl IntoView {
    let t = state.t().brief;
    let m = comparison.own;
    let real_name = state.data.with(|d| {
        d.dataset
            .municipalities
            .get(m)
            .map(|x| x.name.clone())
            .unwrap_or_default()
    });
    let kpis: Vec<&Kpi> = report_kpis(catalogue)
        .into_iter()
        .filter(|k| comparison.row(&k.id).is_some_and(|r| r.n > 0))
        .collect();
    let first_year = state.kpis.with(|table| table.years().first().copied());
    // The events of the page's KPIs up to its year, numbered once for the whole page.
    let events: Vec<(i32, String)> = kpis
        .iter()
        .flat_map(|k| catalogue.events_for(&k.id))
        .filter(|e| e.year <= comparison.year && first_year.is_some_and(|f| e.year >= f))
        .map(|e| (e.year, e.label.clone()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let number_of = |year: i32, label: &str| {
        events
            .iter()
            .position(|(y, l)| *y == year && l == label)
            .map(|i| i + 1)
    };
    let targets = if is_own {
        state.targets.get()
    } else {
        Vec::new()
    };
    let comments = state.comments.get();

    let cards = kpis
        .iter()
        .map(|kpi| {
            let marks: Vec<(usize, i32)> = catalogue
                .events_for(&kpi.id)
                .into_iter()
                .filter_map(|e| Some((number_of(e.year, &e.label)?, e.year)))
                .collect();
            let target = targets.iter().find(|x| x.kpi == kpi.id);
            kpi_card(state, kpi, comparison, marks, &events, target)
        })
        .collect_view();

    // A comment on a measure concerns every KPI that reads it: listed once, with their names.
    let mut notes: Vec<(&FindingKey, &str, Vec<String>)> = Vec::new();
    for kpi in &kpis {
        for (key, text) in comments_for(&comments, catalogue, &real_name, &kpi.id) {
            match notes.iter_mut().find(|(k, _, _)| *k == key) {
                Some((_, _, labels)) => labels.push(kpi.label.clone()),
                None => notes.push((key, text, vec![kpi.label.clone()])),
            }
        }
    }
    let notes: Vec<String> = notes
        .into_iter()
        .map(|(key, text, labels)| {
            format!(
                "{} ({}): {}",
                labels.join(", "),
                key.year,
                state.mask_names(text)
            )
        })
        .collect();

    let target_items = (!targets.is_empty()).then(|| {
        let items = targets
            .iter()
            .map(|target| {
                let kpi = catalogue.kpi(&target.kpi);
                let series = state.kpis.with(|table| series_of(table, m, &target.kpi));
                let progress = target.latest_progress(&series);
                let decimals = kpi.map_or(2, |k| k.decimals as usize);
                let unit = kpi.map(|k| k.unit.clone()).unwrap_or_default();
                let label = kpi.map_or(target.kpi.clone(), |k| k.label.clone());
                view! {
                    <li
                        class="report-target"
                        class:orphaned=kpi.is_none()
                        data-kpi=target.kpi.clone()
                        data-target=target.target.to_string()
                        data-progress=progress.map(|(_, p)| p.to_string()).unwrap_or_default()
                    >
                        <p class="report-target-name">
                            <strong>{fill(t.target_for, &[("kpi", &label), ("unit", &unit)])}</strong>
                        </p>
                        <TargetSummary
                            target=target.clone()
                            series=series
                            decimals=decimals
                            unit=unit
                            orphaned=kpi.is_none()
                        />
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="report-targets">
                <h5>{t.targets}</h5>
                <ul>{items}</ul>
            </section>
        }
    });
    let event_list = (!events.is_empty()).then(|| {
        view! {
            <section class="report-events">
                <h5>{t.events}</h5>
                <ol>
                    {events
                        .iter()
                        .enumerate()
                        .map(|(i, (year, label))| view! {
                            <li><span class="report-event-number">{i + 1}</span> {format!(" {year}: {label}")}</li>
                        })
                        .collect_view()}
                </ol>
            </section>
        }
    });
    // The lines targets and comments take in print (a target three, the comments a paragraph
    // of about 160 characters a line, a heading each): beyond what an A4 sheet holds beside
    // nine cards, the page prints denser (style/brief.css) rather than spill onto a second one.
    let comment_chars: usize = notes.iter().map(|n| n.chars().count() + 3).sum();
    let note_lines = 3 * targets.len()
        + comment_chars.div_ceil(160)
        + usize::from(!targets.is_empty())
        + usize::from(!notes.is_empty());
    let dense = note_lines > DENSE_LINES;
    let note_list = (!notes.is_empty()).then(|| {
        view! {
            <section class="report-comments">
                <h5>{t.comments}</h5>
                <ul>{notes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
            </section>
        }
    });
    view! {
        <div class="report-body" class:dense=dense>
            <div class="report-kpis">{cards}</div>
            // The own city's districts, when their data and boundaries are loaded.
            {is_own.then(|| view! {
                <DistrictMapCard prefix="kurzbericht-karte" class="report-map" list=true />
            })}
            <div class="report-notes">
                {target_items}
                {note_list}
            </div>
            {event_list}
        </div>
    }
}

/// One KPI's card: value, position in words, trend chart and words, context.
fn kpi_card(
    state: AppState,
    kpi: &Kpi,
    comparison: &Comparison,
    marks: Vec<(usize, i32)>,
    events: &[(i32, String)],
    target: Option<&Target>,
) -> impl IntoView {
    let t = state.t().brief;
    let tw = state.t().workshop;
    let decimals = kpi.decimals as usize;
    let year = comparison.year;
    let row = comparison.row(&kpi.id).cloned();
    let own_name = state.display_name(comparison.own);
    let (shown, points, trend) = state.kpis.with(|table| {
        let index = table.kpi_index(&kpi.id);
        let shown = table.value(comparison.own, year, &kpi.id).map_or_else(
            || tw.no_value.to_string(),
            |v| value_words(v, decimals, state.t()),
        );
        let points = index.map_or_else(Vec::new, |k| year_points(comparison, table, k));
        let trend =
            index.and_then(|k| Trend::of(&table.series(comparison.own, k), year, &kpi.unit));
        (shown, points, trend)
    });
    let own_value = row.as_ref().and_then(|r| r.own_value);
    let median = row.as_ref().and_then(|r| r.median);
    let placement = row.as_ref().and_then(Placement::of);
    let mark = judgement_mark(
        row.as_ref().and_then(|r| r.judgement),
        &state.t().compare.charts,
    );
    let median_text = median
        .map(|x| fill(t.median_is, &[("value", &format_number(x, decimals))]))
        .unwrap_or_default();
    let target_line = target.map(|x| TargetLine {
        value: x.target,
        from: x.baseline_year,
        due: x.due_year,
        label: fill(
            t.target_mark,
            &[
                ("value", &format_number(x.target, decimals)),
                ("due", &x.due_year.to_string()),
            ],
        ),
    });

    let mut desc = vec![
        fill(
            t.chart_own,
            &[
                ("own", &own_name),
                ("values", &year_values(&points, |p| p.own, decimals)),
            ],
        ),
        fill(
            t.chart_median,
            &[("values", &year_values(&points, |p| p.median, decimals))],
        ),
    ];
    if let Some(x) = target {
        desc.push(fill(
            t.chart_target,
            &[
                ("target", &format_number(x.target, decimals)),
                ("due", &x.due_year.to_string()),
            ],
        ));
    }
    if !marks.is_empty() {
        let listed: Vec<String> = marks
            .iter()
            .filter_map(|(n, _)| events.get(n - 1).map(|(y, l)| format!("{n} ({y}) {l}")))
            .collect();
        desc.push(fill(t.chart_events, &[("events", &listed.join("; "))]));
    }
    let chart_title = fill(
        t.chart_title,
        &[
            ("kpi", &kpi.label),
            ("unit", &kpi.unit),
            ("own", &own_name),
            (
                "from",
                &points
                    .first()
                    .map(|p| p.year.to_string())
                    .unwrap_or_default(),
            ),
            ("to", &year.to_string()),
        ],
    );
    // The chart ends at the report's year (later years are not part of this report).
    let points: Vec<YearPoint> = points.into_iter().filter(|p| p.year <= year).collect();
    view! {
        <article
            class="report-kpi"
            data-kpi=kpi.id.clone()
            data-value=own_value.map(|x| x.to_string()).unwrap_or_default()
            data-median=median.map(|x| x.to_string()).unwrap_or_default()
            data-placement=placement_code(placement)
        >
            <h5>{kpi.label.clone()} " " <span class="unit">{format!("({})", kpi.unit)}</span></h5>
            <p class="report-value">
                <span class="report-value-label">{fill(t.value_in, &[("year", &year.to_string())])} " "</span>
                <strong class="big own">{shown}</strong>
                {mark.map(|(text, class)| view! { " " <span class=format!("judgement {class}")>{text}</span> })}
            </p>
            <p class="report-words">
                <span class="report-position">
                    {placement_words(placement, tw)}
                    {(!median_text.is_empty()).then(|| format!(" ({median_text})"))}
                </span>
                " "
                <span class="report-trend">{trend_words(trend, decimals, state.t())}</span>
            </p>
            {trend.map(|tr| view! {
                <ChangeSplitView kpi=kpi.clone() own=comparison.own from=tr.from_year to=year />
            })}
            <TrendChart
                title=chart_title
                desc=desc.join(" ")
                points=points
                events=marks
                target=target_line
                decimals=decimals
                median_label=t.median_short
            />
            <p class="report-context">
                {kpi.description.clone().map(|d| format!("{d} "))}
                <span class="report-better">{better_words(kpi.better, tw)}</span>
            </p>
        </article>
    }
}

/// Source, licence and how it was made, on every page.
#[component]
fn ReportFooter() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = state.t().brief;
    let (demo, files, official) = state.data.with(|d| {
        let reports: Vec<_> = d.files.iter().map(|f| f.report.clone()).collect();
        (
            d.demo,
            d.dataset.files.join(", "),
            official_source(&reports),
        )
    });
    let source = if demo {
        t.source_demo.to_string()
    } else if let Some(official) = &official {
        official.clone()
    } else {
        fill(t.source_files, &[("files", &files)])
    };
    view! {
        <footer class="report-source">
            <p>{t.source} ": " {source}</p>
            {official.is_some().then(|| view! { <p>{t.licence}</p> })}
            {state.pseudonymise.get().then(|| view! { <p>{state.t().workshop.pseudonymised_note}</p> })}
            <p>{t.created_with}</p>
        </footer>
    }
}
