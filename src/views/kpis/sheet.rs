//! One KPI's sheet: its definition in words and its context beside the values of every
//! municipality and year, in a table sortable by name or by any year's value.

use std::cmp::Ordering;

use leptos::prelude::*;
use vergleichsring_core::{format_plain, format_value, Better, Formula, Kpi, Reason, Value};

use super::{level_label, Filters};
use crate::i18n::kpis::KpiTexts;
use crate::AppState;

/// The column the rows are sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Name,
    Year(i32),
}

/// A sort order: the column and whether it runs descending.
type Sort = (Column, bool);

fn better_label(better: Better, t: &KpiTexts) -> &'static str {
    match better {
        Better::Lower => t.better_lower,
        Better::Higher => t.better_higher,
        Better::Neutral => t.better_neutral,
    }
}

/// The sheet of one KPI.
#[component]
pub(super) fn KpiSheet(
    /// The KPI as the catalogue defines it.
    kpi: Kpi,
    /// Its index in the catalogue (and the KPI table).
    index: usize,
    /// What to show.
    filters: Filters,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().kpis;
    let sort = RwSignal::new((Column::Name, false));
    let caption_id = format!("kpi-{}-caption", kpi.id);
    let labelled_by = caption_id.clone();
    let kpi = StoredValue::new(kpi);
    let title = move || kpi.with_value(|k| format!("{} ({})", k.label, k.unit));
    view! {
        <article class="kpi-sheet" id=move || kpi.with_value(|k| format!("kpi-{}", k.id))>
            <Definition kpi=kpi />
            <div
                class="table-box"
                role="region"
                tabindex="0"
                aria-labelledby=labelled_by
            >
                <table>
                    <caption id=caption_id>{title}</caption>
                    <thead>
                        <tr>
                            <SortHeader column=Column::Name sort=sort>
                                {move || t().municipality}
                            </SortHeader>
                            {move || {
                                state
                                    .kpis
                                    .with(|table| table.years().to_vec())
                                    .into_iter()
                                    .filter(|&y| filters.year_in_range(y))
                                    .map(|y| {
                                        view! {
                                            <SortHeader column=Column::Year(y) sort=sort>
                                                {y}
                                            </SortHeader>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </tr>
                    </thead>
                    <tbody>{move || rows(kpi, index, filters, sort.get())}</tbody>
                </table>
            </div>
        </article>
    }
}

/// The body rows: every municipality with a record in a shown year, sorted.
fn rows(kpi: StoredValue<Kpi>, index: usize, filters: Filters, sort: Sort) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = state.t().kpis;
    let own = state.own.get();
    let search = filters.search.get().to_lowercase();
    let decimals = kpi.with_value(|k| k.decimals as usize);
    let id = kpi.with_value(|k| k.id.clone());
    state.kpis.with(|table| {
        state.data.with(|data| {
            let years: Vec<i32> = table
                .years()
                .iter()
                .copied()
                .filter(|&y| filters.year_in_range(y))
                .collect();
            let mut shown: Vec<usize> = (0..data.dataset.municipalities.len())
                .filter(|&m| {
                    data.dataset.municipalities[m]
                        .name
                        .to_lowercase()
                        .contains(&search)
                        && years.iter().any(|&y| table.get(m, y, index).is_some())
                })
                .collect();
            let name = |m: usize| data.dataset.municipalities[m].name.as_str();
            shown.sort_by(|&a, &b| {
                let by_name = || name(a).to_lowercase().cmp(&name(b).to_lowercase());
                match sort {
                    (Column::Name, descending) => directed(by_name(), descending),
                    (Column::Year(y), descending) => {
                        let value = |m| table.number(m, y, index);
                        match (value(a), value(b)) {
                            (Some(x), Some(z)) => directed(x.total_cmp(&z), descending),
                            // Missing values stay at the bottom whichever the direction.
                            (Some(_), None) => Ordering::Less,
                            (None, Some(_)) => Ordering::Greater,
                            (None, None) => Ordering::Equal,
                        }
                        .then_with(by_name)
                    }
                }
            });
            if shown.is_empty() {
                let span = years.len() + 1;
                return view! {
                    <tr>
                        <td colspan=span.to_string()>{t.no_rows}</td>
                    </tr>
                }
                .into_any();
            }
            shown
                .into_iter()
                .map(|m| {
                    let municipality = data.dataset.municipalities[m].name.clone();
                    let is_own = own.as_deref() == Some(municipality.as_str());
                    let cells = years
                        .iter()
                        .map(|&y| {
                            let value = table.get(m, y, index).cloned();
                            cell(&municipality, y, &id, value, decimals, &|key| {
                                data.dataset
                                    .measures
                                    .iter()
                                    .find(|x| x.key == key)
                                    .map_or_else(|| key.to_string(), |x| x.label.clone())
                            })
                        })
                        .collect_view();
                    view! {
                        <tr class:own=is_own>
                            <th scope="row">
                                {is_own.then(|| {
                                    view! {
                                        <span class="own-mark" aria-hidden="true">"◆ "</span>
                                        <span class="visually-hidden">{t.own_marker} ": "</span>
                                    }
                                })}
                                {municipality.clone()}
                            </th>
                            {cells}
                        </tr>
                    }
                })
                .collect_view()
                .into_any()
        })
    })
}

fn directed(order: Ordering, descending: bool) -> Ordering {
    if descending {
        order.reverse()
    } else {
        order
    }
}

/// One value cell with the test hooks; a missing value shows its reason and, for a missing
/// input, which measure was missing.
fn cell(
    municipality: &str,
    year: i32,
    kpi: &str,
    value: Option<Value>,
    decimals: usize,
    measure_label: &dyn Fn(&str) -> String,
) -> impl IntoView {
    let value = value.unwrap_or(Value::Missing(Reason::NoRecord));
    let data_value = value.number().map(|x| x.to_string()).unwrap_or_default();
    let content = match &value {
        Value::Number(_) => view! { <span>{format_value(&value, decimals)}</span> }.into_any(),
        Value::Missing(reason) => {
            let (what, input) = match reason {
                Reason::Input(key, inner) => (inner.to_string(), Some(measure_label(key))),
                other => (other.to_string(), None),
            };
            view! {
                <span class="reason">{what}</span>
                {input.map(|label| view! { <span class="reason-input">{label}</span> })}
            }
            .into_any()
        }
    };
    view! {
        <td
            class="num"
            class:missing=value.number().is_none()
            data-municipality=municipality.to_string()
            data-year=year.to_string()
            data-kpi=kpi.to_string()
            data-value=data_value
        >
            {content}
        </td>
    }
}

/// A column header that sorts by its column: a button, with `aria-sort` on the header.
#[component]
fn SortHeader(column: Column, sort: RwSignal<Sort>, children: ChildrenFn) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().kpis;
    let aria_sort = move || match sort.get() {
        (c, false) if c == column => Some("ascending"),
        (c, true) if c == column => Some("descending"),
        _ => None,
    };
    let arrow = move || match aria_sort() {
        Some("ascending") => "↑",
        Some(_) => "↓",
        None => "↕",
    };
    let class = if column == Column::Name { "" } else { "num" };
    view! {
        <th scope="col" class=class aria-sort=aria_sort>
            <button
                type="button"
                class="sort"
                on:click=move |_| {
                    sort.update(|(c, descending)| {
                        *descending = *c == column && !*descending;
                        *c = column;
                    })
                }
            >
                {children()}
                <span class="sort-arrow" aria-hidden="true">{arrow}</span>
                <span class="visually-hidden">
                    {move || match aria_sort() {
                        Some("ascending") => format!(" ({})", t().sort_ascending),
                        Some(_) => format!(" ({})", t().sort_descending),
                        None => String::new(),
                    }}
                </span>
            </button>
        </th>
    }
}

/// The KPI in words: numerator, denominator, scale, unit, direction, level, kind, context and
/// the events that break its time series.
#[component]
fn Definition(kpi: StoredValue<Kpi>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().kpis;
    let reading = move || {
        let formula = kpi.with_value(|k| Formula::parse(&k.formula));
        let catalogue = state.catalogue.read();
        let data = state.data.read();
        formula.ok().map(|f| {
            f.reading(&|key| {
                catalogue
                    .kpi(key)
                    .map(|k| k.label.clone())
                    .or_else(|| {
                        data.dataset
                            .measures
                            .iter()
                            .find(|m| m.key == key)
                            .map(|m| m.label.clone())
                    })
                    .unwrap_or_else(|| key.to_string())
            })
        })
    };
    let events = move || {
        let id = kpi.with_value(|k| k.id.clone());
        state.catalogue.with(|c| {
            c.events_for(&id)
                .into_iter()
                .map(|e| format!("{}: {}", e.year, e.label))
                .collect::<Vec<_>>()
        })
    };
    let k = kpi.get_value();
    view! {
        <div class="kpi-definition">
            <h5 class="kpi-title">{k.label.clone()}</h5>
            <dl>
                {move || {
                    reading()
                        .map(|r| {
                            let parts = match r.denominator {
                                Some(denominator) => {
                                    view! {
                                        <dt>{t().def_numerator}</dt>
                                        <dd>{r.numerator}</dd>
                                        <dt>{t().def_denominator}</dt>
                                        <dd>{denominator}</dd>
                                    }
                                        .into_any()
                                }
                                None => {
                                    view! {
                                        <dt>{t().def_computation}</dt>
                                        <dd>{r.numerator}</dd>
                                    }
                                        .into_any()
                                }
                            };
                            let scale = r
                                .scale
                                .map(|s| {
                                    view! {
                                        <dt>{t().def_scale}</dt>
                                        <dd>{format_plain(s)}</dd>
                                    }
                                });
                            view! { {parts} {scale} }
                        })
                }}
                <dt>{move || t().def_unit}</dt>
                <dd>{k.unit.clone()}</dd>
                <dt>{move || t().def_better}</dt>
                <dd class=format!("better-{:?}", k.better).to_lowercase()>
                    {move || better_label(k.better, t())}
                </dd>
                <dt>{move || t().def_level}</dt>
                <dd>{move || level_label(k.level, t())}</dd>
                <dt>{move || t().def_kind}</dt>
                <dd>{move || if k.core { t().def_core } else { t().def_deeper }}</dd>
                <dt>{move || t().def_formula}</dt>
                <dd>
                    <code>{k.formula.clone()}</code>
                </dd>
            </dl>
            <p class="kpi-context">
                {match k.description.clone() {
                    Some(text) => text.into_any(),
                    None => (move || t().def_no_context).into_any(),
                }}
            </p>
            {move || {
                let list = events();
                (!list.is_empty())
                    .then(|| {
                        view! {
                            <p class="kpi-events">
                                <strong>{t().def_events} ": "</strong>
                                {list.join("; ")}
                            </p>
                        }
                    })
            }}
        </div>
    }
}
