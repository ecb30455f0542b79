//! The short report (Kurzbericht) for the public and the council: one page per core KPI of the
//! own municipality with its value, its trend, the position in the peer group in words, the
//! context explanation, events and comments. Printed alone (the rest of the page hides) on A4.

use leptos::prelude::*;
use vergleichsring_core::{
    comments_for, format_number, format_percent, official_source, Better, Placement, Trend,
};

use super::export::group_words;
use super::workshop::{judgement_mark, kpi_number, peer_rows, placement_words};
use crate::i18n::{fill, Lang, WorkshopTexts};
use crate::AppState;

/// The class on `<html>` that makes the print CSS print the report alone.
const PRINT_CLASS: &str = "print-report";

/// The trend in words.
fn trend_words(trend: Option<Trend>, decimals: usize, t: &WorkshopTexts) -> String {
    let Some(trend) = trend else {
        return t.trend_none.to_string();
    };
    let (from, to) = (
        format_number(trend.from, decimals),
        format_number(trend.to, decimals),
    );
    let change = trend
        .change_percent
        .map(|p| format!("{}{}", if p > 0.0 { "+" } else { "" }, format_percent(p, 1)))
        .unwrap_or_default();
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

/// Prints the report alone: the class hides everything else while the dialog is open.
fn print_report() {
    let document = document();
    if let Some(root) = document.document_element() {
        let _ = root.class_list().add_1(PRINT_CLASS);
        let _ = window().print();
        let _ = root.class_list().remove_1(PRINT_CLASS);
    }
}

/// The short report.
#[component]
pub fn ShortReport() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().workshop;
    view! {
        <section class="short-report-box" aria-labelledby="kurzbericht-titel">
            <h3 id="kurzbericht-titel">{move || t().report_title}</h3>
            <p class="intro no-print">{move || t().report_intro}</p>
            <button type="button" class="no-print" data-testid="report-print" on:click=move |_| print_report()>
                {move || t().print}
            </button>
            <div class="short-report" data-testid="short-report">
                {move || report_pages(state)}
            </div>
        </section>
    }
}

fn report_pages(state: AppState) -> Option<AnyView> {
    let t = state.t().workshop;
    let own = state.own.get()?;
    let year = state.year.get()?;
    let rows = match peer_rows(state)? {
        Ok(rows) => rows,
        Err(message) => return Some(view! { <p class="error">{message}</p> }.into_any()),
    };
    let de = state.lang.get() == Lang::De;
    let catalogue = state.catalogue.get();
    let group = group_words(&state.peers.get(), t);
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
    let own_index = state.data.with(|d| d.dataset.municipality_index(&own));
    let comments = state.comments.get();
    let pages = catalogue
        .kpis()
        .iter()
        .enumerate()
        .filter(|(_, kpi)| kpi.core)
        .filter_map(|(k, kpi)| {
            let row = rows.iter().find(|r| r.kpi == kpi.id)?;
            let decimals = kpi.decimals as usize;
            let trend = own_index.and_then(|m| state.kpis.with(|table| Trend::of(&table.series(m, k), year)));
            let mark = judgement_mark(row.judgement, de);
            let better = match kpi.better {
                Better::Lower => t.better_is_lower,
                Better::Higher => t.better_is_higher,
                Better::Neutral => t.better_is_neutral,
            };
            let events: Vec<String> = catalogue
                .events_for(&kpi.id)
                .into_iter()
                .filter(|e| e.year <= year)
                .map(|e| format!("{}: {}", e.year, e.label))
                .collect();
            let notes: Vec<String> = comments_for(&comments, &catalogue, &own, &kpi.id)
                .into_iter()
                .map(|(key, text)| format!("{} ({}, {}): {}", key.year, key.code, key.subject, text))
                .collect();
            let median = row
                .median
                .map(|m| format!(" ({}: {})", t.median, format_number(m, decimals)))
                .unwrap_or_default();
            Some(view! {
                <section class="report-page" data-kpi=kpi.id.clone()>
                    <p class="report-running">{fill(t.report_for, &[("own", &own), ("year", &year.to_string())])}</p>
                    <h4>{format!("{} ({})", kpi.label, kpi.unit)}</h4>
                    <p class="report-value">
                        <span class="big own">{kpi_number(row.own_value, kpi, t.no_value)}</span>
                        " " <span>{kpi.unit.clone()}</span>
                    </p>
                    <ul class="report-facts">
                        <li>{format!("{} {}", year, trend_words(trend, decimals, t))}</li>
                        <li>
                            {mark.map(|(text, class)| view! { <strong class=format!("judgement {class}")>{text}</strong> " " })}
                            {format!("{}{median}", placement_words(Placement::of(row), t))}
                        </li>
                        <li>{fill(t.report_group, &[("group", &group), ("n", &row.n.to_string())])}</li>
                        <li>{better}</li>
                    </ul>
                    {kpi.description.clone().map(|d| view! { <p class="report-context">{d}</p> })}
                    {(!events.is_empty()).then(|| view! {
                        <h5>{t.events}</h5>
                        <ul>{events.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                    })}
                    {(!notes.is_empty()).then(|| view! {
                        <h5>{t.comments}</h5>
                        <ul>{notes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
                    })}
                    <footer class="report-source">
                        <p>{t.source} ": " {source.clone()}</p>
                        {official.is_some().then(|| view! { <p>{t.licence}</p> })}
                        <p>{t.created_with}</p>
                    </footer>
                </section>
            })
        })
        .collect_view();
    Some(view! {
        <h3 class="report-heading">{fill(t.report_for, &[("own", &own), ("year", &year.to_string())])}</h3>
        {pages}
    }.into_any())
}
