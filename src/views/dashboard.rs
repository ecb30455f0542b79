//! Dashboard: the own municipality's KPIs at a glance — value, trend, position in the peer
//! group in words — with the largest good and bad deviations first, a context explanation on
//! each KPI, and filters for level, period and (when the data has dimension columns) the
//! dimension combination.

use leptos::prelude::*;
use vergleichsring_core::{
    format_number, format_signed, year_points, Comparison, Error, Judgement, Kpi, KpiTable, Level,
    Trend, Value,
};

use super::change::{movement_words, ChangeSplitView};
use super::charts::{judgement_class, judgement_words, Sparkline};
use super::compare::position_words;
use super::funnel::own_notable;
use super::{CheckField, EmptyState};
use crate::i18n::{fill, DashboardTexts};
use crate::state::AppState;

/// How many deviations each highlight list shows.
const HIGHLIGHTS: usize = 3;

/// The dashboard's filters.
#[derive(Clone, Copy)]
struct Filters {
    level: RwSignal<Option<Level>>,
    core_only: RwSignal<bool>,
    from: RwSignal<Option<i32>>,
    to: RwSignal<Option<i32>>,
    combination: RwSignal<usize>,
}

/// The view's content.
#[component]
pub fn DashboardView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let ready = Memo::new(move |_| state.comparison.with(Option::is_some));
    let filters = Filters {
        level: RwSignal::new(None),
        core_only: RwSignal::new(true),
        from: RwSignal::new(None),
        to: RwSignal::new(None),
        combination: RwSignal::new(0),
    };
    // A dimension combination other than the total: its own KPI table and comparison.
    let subset = Memo::new(move |_| {
        let combination = filters.combination.get();
        if combination == 0 {
            return None;
        }
        let year = state.year.get()?;
        let group = state.peers.get();
        let own = state.own.get()?;
        state.catalogue.with(|catalogue| {
            state.data.with(|d| {
                let dataset = d.dataset.in_combination(combination)?;
                let own = dataset.municipality_index(&own)?;
                let table = KpiTable::compute(catalogue, &dataset);
                let comparison = Comparison::new(catalogue, &dataset, &table, own, year, &group);
                Some((table, comparison))
            })
        })
    });
    move || {
        if !ready.get() {
            return view! { <EmptyState text=|t| t.empty_dashboard /> }.into_any();
        }
        view! {
            <p class="intro">{move || state.t().dashboard.intro}</p>
            <DashboardFilters filters=filters />
            <DashboardBody filters=filters subset=subset />
            <crate::views::map::DistrictMapCard prefix="dashboard-karte" class="dashboard-map" link=true />
        }
        .into_any()
    }
}

/// Level, core KPIs only, period and dimension combination.
#[component]
fn DashboardFilters(filters: Filters) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().dashboard;
    let years = move || state.kpis.with(|k| k.years().to_vec());
    let levels = move || {
        let t = t();
        [
            (None, t.level_all),
            (Some(Level::Input), t.level_input),
            (Some(Level::Output), t.level_output),
            (Some(Level::Outcome), t.level_outcome),
            (Some(Level::Impact), t.level_impact),
        ]
    };
    let level_code = |l: Option<Level>| match l {
        None => "",
        Some(Level::Input) => "input",
        Some(Level::Output) => "output",
        Some(Level::Outcome) => "outcome",
        Some(Level::Impact) => "impact",
    };
    let year_select = move |label: fn(&DashboardTexts) -> &'static str,
                            signal: RwSignal<Option<i32>>,
                            default: fn(&[i32], Option<i32>) -> Option<i32>| {
        view! {
            <label class="field">
                <span>{move || label(t())}</span>
                <select on:change=move |ev| signal.set(event_target_value(&ev).parse().ok())>
                    {move || {
                        let years = years();
                        let current = signal.get().or_else(|| default(&years, state.year.get()));
                        years
                            .into_iter()
                            .map(|y| view! { <option value=y.to_string() prop:selected=current == Some(y)>{y}</option> })
                            .collect_view()
                    }}
                </select>
            </label>
        }
    };
    let combinations = move || {
        state.data.with(|d| {
            if d.dataset.dimensions.is_empty() || d.dataset.combinations.len() < 2 {
                return None;
            }
            let label = format!("{} ({})", t().combination, d.dataset.dimensions.join(", "));
            let options = d
                .dataset
                .combinations
                .iter()
                .enumerate()
                .map(|(i, values)| {
                    let text = if values.iter().all(String::is_empty) {
                        t().combination_total.to_string()
                    } else {
                        values.join(", ")
                    };
                    view! { <option value=i.to_string() prop:selected=move || filters.combination.get() == i>{text}</option> }
                })
                .collect_view();
            Some(view! {
                <label class="field">
                    <span>{label}</span>
                    <select on:change=move |ev| filters.combination.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {options}
                    </select>
                </label>
            })
        })
    };
    view! {
        <form class="filters dashboard-filters" aria-label=move || t().filters on:submit=|ev| ev.prevent_default()>
            <label class="field">
                <span>{move || t().level}</span>
                <select on:change=move |ev| {
                    let code = event_target_value(&ev);
                    filters.level.set(
                        [Level::Input, Level::Output, Level::Outcome, Level::Impact]
                            .into_iter()
                            .find(|l| level_code(Some(*l)) == code),
                    );
                }>
                    {move || {
                        levels()
                            .into_iter()
                            .map(|(l, text)| {
                                view! { <option value=level_code(l) prop:selected=move || filters.level.get() == l>{text}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            <CheckField checked=filters.core_only text=|t| t.dashboard.core_only class="choice" />
            {year_select(|t| t.period_from, filters.from, |years, _| years.first().copied())}
            {year_select(|t| t.period_to, filters.to, |years, year| year.or(years.last().copied()))}
            {combinations}
        </form>
    }
}

/// The highlights and the KPI cards.
#[component]
fn DashboardBody(
    filters: Filters,
    subset: Memo<Option<(KpiTable, Result<Comparison, Error>)>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let t = state.t();
        let render = |table: &KpiTable, comparison: &Result<Comparison, Error>| {
            match comparison {
            Ok(comparison) => state.catalogue.with(|catalogue| {
                let kpis: Vec<&Kpi> = catalogue
                    .kpis()
                    .iter()
                    .filter(|k| !filters.core_only.get() || k.core)
                    .filter(|k| filters.level.get().is_none_or(|l| l == k.level))
                    .filter(|k| comparison.row(&k.id).is_some_and(|r| r.n > 0))
                    .collect();
                let years = table.years();
                let from = filters.from.get().or(years.first().copied()).unwrap_or(comparison.year);
                let to = filters.to.get().unwrap_or(comparison.year);
                let (from, to) = (from.min(to), from.max(to));
                view! {
                    <Highlights kpis=kpis.iter().map(|k| (*k).clone()).collect() comparison=comparison.clone() />
                    <section aria-labelledby="kennzahlen-karten">
                        <h3 id="kennzahlen-karten">{t.dashboard.cards}</h3>
                        {kpis.is_empty().then(|| view! { <p class="hint">{t.dashboard.no_kpis}</p> })}
                        <ul class="kpi-cards">
                            {kpis
                                .iter()
                                .map(|kpi| card(kpi, comparison, table, from, to, state))
                                .collect_view()}
                        </ul>
                    </section>
                }
                .into_any()
            }),
            Err(e) => view! { <p class="error" role="alert">{t.compare.group_error} " " {state.say_error(e)}</p> }.into_any(),
        }
        };
        subset.with(|s| match s {
            Some((table, comparison)) => render(table, comparison),
            None => state.comparison.with(|c| match c {
                Some(comparison) => state.kpis.with(|table| render(table, comparison)),
                None => ().into_any(),
            }),
        })
    }
}

/// The largest good and bad deviations from the median (relative to the median's size, so
/// KPIs of different units rank together).
#[component]
fn Highlights(kpis: Vec<Kpi>, comparison: Comparison) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = state.t();
    let list = |judgement: Judgement| {
        let mut items: Vec<(&Kpi, f64)> = kpis
            .iter()
            .filter_map(|k| {
                let row = comparison.row(&k.id)?;
                (row.judgement == Some(judgement)).then_some((k, row.relative_deviation()?))
            })
            .collect();
        items.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        items.truncate(HIGHLIGHTS);
        if items.is_empty() {
            return view! { <p class="hint">{t.dashboard.highlights_none}</p> }.into_any();
        }
        let items = items
            .into_iter()
            .map(|(kpi, relative)| {
                let deviation = fill(
                    t.dashboard.deviation,
                    &[("deviation", &format_signed(relative, 1))],
                );
                // "statistisch auffällig" only outside the 99.8 % funnel limits (rate and share
                // KPIs); a large deviation of a small municipality may be chance.
                let notable = (own_notable(state, &kpi.id, &comparison) == Some(true)).then(|| {
                    view! { " " <span class="notable is-notable">{t.analysis.notable}</span> }
                });
                view! {
                    <li>
                        <a href=format!("#karte-{}", kpi.id)>{kpi.label.clone()}</a>
                        ": " {deviation} " "
                        <span class=format!("judgement {}", judgement_class(judgement))>
                            {judgement_words(judgement, &t.compare.charts)}
                        </span>
                        {notable}
                    </li>
                }
            })
            .collect_view();
        view! { <ul>{items}</ul> }.into_any()
    };
    view! {
        <section class="highlights" aria-labelledby="auffaellig-titel">
            <h3 id="auffaellig-titel">{t.dashboard.highlights}</h3>
            <div class="highlight-lists">
                <div>
                    <h4>{t.dashboard.highlights_good}</h4>
                    {list(Judgement::Good)}
                </div>
                <div>
                    <h4>{t.dashboard.highlights_bad}</h4>
                    {list(Judgement::Bad)}
                </div>
            </div>
        </section>
    }
}

/// One KPI's card: value, position in the group in words, trend, explanation.
fn card(
    kpi: &Kpi,
    comparison: &Comparison,
    table: &KpiTable,
    from: i32,
    to: i32,
    state: AppState,
) -> impl IntoView {
    let t = state.t();
    let decimals = kpi.decimals as usize;
    let row = comparison.row(&kpi.id).cloned();
    let points: Vec<_> = table
        .kpi_index(&kpi.id)
        .map(|k| year_points(comparison, table, k))
        .unwrap_or_default()
        .into_iter()
        .filter(|p| (from..=to).contains(&p.year))
        .collect();
    let own: Vec<(i32, f64)> = points
        .iter()
        .filter_map(|p| Some((p.year, p.own?)))
        .collect();
    let median: Vec<(i32, f64)> = points
        .iter()
        .filter_map(|p| Some((p.year, p.median?)))
        .collect();
    // From the first year in the window that has a value: the year the trend really compares.
    let series: Vec<(i32, Value)> = own.iter().map(|&(y, v)| (y, Value::Number(v))).collect();
    let series: Vec<(i32, &Value)> = series.iter().map(|(y, v)| (*y, v)).collect();
    let last = own.last().map(|&(y, _)| y);
    let trend = last.and_then(|y| Trend::of(&series, y, &kpi.unit));
    let trend_text = match trend {
        Some(tr) => {
            let template = if tr.to > tr.from {
                t.dashboard.trend_up
            } else if tr.to < tr.from {
                t.dashboard.trend_down
            } else {
                t.dashboard.trend_flat
            };
            let change = movement_words(tr.movement, decimals, t);
            fill(
                template,
                &[("year", &tr.from_year.to_string()), ("change", &change)],
            )
        }
        None => t.dashboard.trend_none.to_string(),
    };
    let value = row
        .as_ref()
        .and_then(|r| r.own_value)
        .map(|v| format_number(v, decimals))
        .unwrap_or_else(|| t.compare.no_value.into());
    let position = row.as_ref().map(|row| {
        let verdict = row.judgement.map(|j| {
            view! { <span class=format!("judgement {}", judgement_class(j))>{judgement_words(j, &t.compare.charts)}</span> " – " }
        });
        let words = position_words(row, t.compare, false).unwrap_or_default();
        let median = row
            .median
            .map(|m| format!(" ({} {})", t.dashboard.peer_median, format_number(m, decimals)))
            .unwrap_or_default();
        let rank = row
            .rank
            .map(|r| fill(t.dashboard.rank, &[("rank", &r.to_string()), ("n", &row.n.to_string())]))
            .unwrap_or_default();
        view! {
            <p class="position">
                {verdict}
                {format!("{words}{median}")}
                <br />
                <span class="rank">{rank}</span>
            </p>
        }
    });
    let period = fill(
        t.dashboard.trend_label,
        &[
            ("from", &trend.map_or(from, |tr| tr.from_year).to_string()),
            ("to", &last.unwrap_or(to).to_string()),
        ],
    );
    let split = trend.zip(last).map(|(tr, y)| {
        view! { <ChangeSplitView kpi=kpi.clone() own=comparison.own from=tr.from_year to=y /> }
    });
    view! {
        <li class="kpi-card" id=format!("karte-{}", kpi.id) data-kpi=kpi.id.clone()>
            <h4>{kpi.label.clone()}</h4>
            <p class="card-value">
                <strong>{value}</strong>
                " "
                <span class="unit">{kpi.unit.clone()}</span>
                " "
                <span class="card-year">{comparison.year}</span>
            </p>
            {position}
            <div class="trend">
                <Sparkline values=own median=median />
                <span>
                    <span class="trend-period">{period}</span>
                    <br />
                    {trend_text}
                </span>
            </div>
            {split}
            {kpi.description.clone().map(|d| view! {
                <details class="context">
                    <summary>{t.compare.context}</summary>
                    <p>{d}</p>
                </details>
            })}
        </li>
    }
}
