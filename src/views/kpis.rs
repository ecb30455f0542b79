//! Kennzahlen: every KPI of the catalogue for every municipality and year, one sheet per KPI
//! (its definition in words and its context beside a municipality × year table), grouped by
//! level; then the catalogue: load, save, reset and the editor for KPIs and rules.
//!
//! The compact monitoring comes first: only core KPIs show until the user asks for all. Every
//! value cell of the shown KPIs is in the DOM (no pagination), each carrying the test hooks of
//! CONTRACT §6.

mod catalogue;
mod sheet;

use leptos::prelude::*;
use vergleichsring_core::{Catalogue, Kpi, Level};

use super::DemoBadge;
use super::{kpi_options, EmptyState, TextField};
use crate::i18n::{fill, kpis::KpiTexts};
use crate::state::AppState;

/// The levels in the order of the results chain, as the table groups them.
const LEVELS: [Level; 4] = [Level::Input, Level::Output, Level::Outcome, Level::Impact];

/// What the sheets show; set by the controls above them.
#[derive(Clone, Copy, Default)]
struct Filters {
    /// All KPIs (true) or the core KPIs of the compact monitoring (false).
    all: RwSignal<bool>,
    /// One KPI by id, or empty for every KPI of the chosen kind.
    kpi: RwSignal<String>,
    /// First and last year shown; `None` = open.
    from: RwSignal<Option<i32>>,
    to: RwSignal<Option<i32>>,
    /// Part of a municipality's name (case-insensitive).
    search: RwSignal<String>,
}

impl Filters {
    /// The KPIs to show, as (catalogue index, KPI), in catalogue order.
    fn shown(&self, catalogue: &Catalogue) -> Vec<(usize, Kpi)> {
        let all = self.all.get();
        let only = self.kpi.get();
        catalogue
            .kpis()
            .iter()
            .enumerate()
            .filter(|(_, k)| {
                if only.is_empty() {
                    all || k.core
                } else {
                    k.id == only
                }
            })
            .map(|(i, k)| (i, k.clone()))
            .collect()
    }

    fn year_in_range(&self, year: i32) -> bool {
        self.from.get().is_none_or(|f| year >= f) && self.to.get().is_none_or(|t| year <= t)
    }
}

/// A level's heading.
fn level_label(level: Level, t: &KpiTexts) -> &'static str {
    match level {
        Level::Input => t.level_input,
        Level::Output => t.level_output,
        Level::Outcome => t.level_outcome,
        Level::Impact => t.level_impact,
    }
}

/// The view's content.
#[component]
pub fn KpisView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().kpis;
    let filters = Filters::default();
    let no_data = move || state.data.with(|d| d.is_empty());
    view! {
        <p class="intro">{move || t().intro}</p>
        <h3 class="with-badge">{move || t().table_heading} <DemoBadge /></h3>
        <Controls filters=filters />
        <div data-testid="kpi-table" class="kpi-sheets">
            {move || {
                if no_data() {
                    return view! { <EmptyState text=|t| t.empty_kpis /> }.into_any();
                }
                let shown = state.catalogue.with(|c| filters.shown(c));
                if shown.is_empty() {
                    return view! { <p class="empty-state">{t().no_kpis}</p> }.into_any();
                }
                LEVELS
                    .iter()
                    .filter_map(|&level| {
                        let sheets: Vec<_> = shown
                            .iter()
                            .filter(|(_, k)| k.level == level)
                            .cloned()
                            .collect();
                        (!sheets.is_empty())
                            .then(|| {
                                view! {
                                    <section class="kpi-level">
                                        <h4 class="level-heading">{move || level_label(level, t())}</h4>
                                        {sheets
                                            .into_iter()
                                            .map(|(index, kpi)| {
                                                view! { <sheet::KpiSheet kpi=kpi index=index filters=filters /> }
                                            })
                                            .collect_view()}
                                    </section>
                                }
                            })
                    })
                    .collect_view()
                    .into_any()
            }}
        </div>
        <catalogue::CatalogueSection />
    }
}

/// Core or all KPIs, one KPI, the year range and a name search.
#[component]
fn Controls(filters: Filters) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().kpis;
    let years = move || state.kpis.with(|k| k.years().to_vec());
    let counts = move || {
        state.catalogue.with(|c| {
            let core = c.kpis().iter().filter(|k| k.core).count();
            (core, c.kpis().len())
        })
    };
    let year_select = move |id: &'static str,
                            label: fn(&KpiTexts) -> &'static str,
                            value: RwSignal<Option<i32>>| {
        view! {
            <div class="field">
                <label for=id>{move || label(t())}</label>
                <select id=id on:change=move |ev| value.set(event_target_value(&ev).parse().ok())>
                    <option value="" prop:selected=move || value.get().is_none()>
                        {move || t().year_any}
                    </option>
                    {move || {
                        years()
                            .into_iter()
                            .map(|y| {
                                view! {
                                    <option value=y.to_string() prop:selected=move || value.get() == Some(y)>
                                        {y}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
        }
    };
    view! {
        <div class="kpi-controls">
            <div class="kpi-scope">
                <button
                    type="button"
                    class="primary"
                    aria-pressed=move || filters.all.get().to_string()
                    on:click=move |_| filters.all.update(|a| *a = !*a)
                >
                    {move || if filters.all.get() { t().show_core } else { t().show_all }}
                </button>
                <p class="scope-note" role="status">
                    {move || {
                        let (core, total) = counts();
                        if !filters.kpi.with(String::is_empty) {
                            t().showing_one.to_string()
                        } else if filters.all.get() {
                            fill(t().showing_all, &[("total", &total.to_string())])
                        } else {
                            fill(
                                t().showing_core,
                                &[("shown", &core.to_string()), ("total", &total.to_string())],
                            )
                        }
                    }}
                </p>
            </div>
            <div class="field">
                <label for="kpi-filter-kennzahl">{move || t().filter_kpi}</label>
                <select id="kpi-filter-kennzahl" on:change=move |ev| filters.kpi.set(event_target_value(&ev))>
                    <option value="" prop:selected=move || filters.kpi.with(String::is_empty)>
                        {move || t().filter_all_kpis}
                    </option>
                    {kpi_options(move |id| filters.kpi.with(|f| f == id))}
                </select>
            </div>
            {year_select("kpi-filter-von", |t| t.year_from, filters.from)}
            {year_select("kpi-filter-bis", |t| t.year_to, filters.to)}
            <TextField
                id="kpi-filter-suche"
                label=|t| t.kpis.filter_municipality
                value=filters.search
                kind="search"
            />
        </div>
    }
}
