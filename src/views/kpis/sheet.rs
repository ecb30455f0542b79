//! One KPI's sheet: its definition in words and its context beside the values of every
//! municipality and year, in a table sortable by name or by any year's value.

use std::cmp::Ordering;

use leptos::prelude::*;
use vergleichsring_core::{format_plain, format_value, Better, Kpi, Reason, Value};

use super::{level_label, Filters};
use crate::i18n::{fill, kpis::KpiTexts};
use crate::state::AppState;
use crate::views::change::{formula_reading, ChangeSplitView};
use crate::views::reason_words;

/// Rows a sheet shows until the user asks for all: a GENESIS table has hundreds of
/// municipalities, and every sheet of them at once would keep the page busy for seconds.
const ROW_LIMIT: usize = 60;

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
    let kpi = StoredValue::new(kpi);
    let expanded = RwSignal::new(false);
    // Measures the formula needs that the data do not have: then every value would be missing,
    // and one sentence says why better than a table of gaps.
    let absent = Memo::new(move |_| {
        state.catalogue.with(|c| {
            state.data.with(|d| {
                c.kpi_measures(index)
                    .iter()
                    .filter(|key| d.dataset.measure_index(key).is_none())
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    });
    let title = move || kpi.with_value(|k| format!("{} ({})", k.label, k.unit));
    view! {
        <article class="kpi-sheet" id=move || kpi.with_value(|k| format!("kpi-{}", k.id))>
            <Definition kpi=kpi />
            <SheetChange kpi=kpi />
            {move || {
                let absent = absent.get();
                if !absent.is_empty() {
                    return view! {
                        <p class="not-computable">
                            {fill(t().not_computable, &[("keys", &absent.join(", "))])}
                        </p>
                    }
                        .into_any();
                }
                let caption_id = caption_id.clone();
                let labelled_by = caption_id.clone();
                view! {
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
                                        let breaks = kpi.with_value(|k| {
                                            state.catalogue.with(|c| {
                                                c.events_for(&k.id)
                                                    .into_iter()
                                                    .map(|e| (e.year, e.label.clone()))
                                                    .collect::<Vec<_>>()
                                            })
                                        });
                                        state
                                            .kpis
                                            .with(|table| table.years().to_vec())
                                            .into_iter()
                                            .filter(|&y| filters.year_in_range(y))
                                            .map(|y| {
                                                let note = breaks
                                                    .iter()
                                                    .filter(|(year, _)| *year == y)
                                                    .map(|(_, label)| label.as_str())
                                                    .collect::<Vec<_>>()
                                                    .join("; ");
                                                view! {
                                                    <SortHeader column=Column::Year(y) sort=sort note=note>
                                                        {y}
                                                    </SortHeader>
                                                }
                                            })
                                            .collect_view()
                                    }}
                                </tr>
                            </thead>
                            <tbody>{move || rows(kpi, index, filters, sort.get(), expanded)}</tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </article>
    }
}

/// The body rows: every municipality with a record in a shown year, sorted. They do not follow
/// the own municipality (a change of it would rebuild every sheet): each row marks itself, and
/// the own row beyond the first rows is one row of its own.
fn rows(
    kpi: StoredValue<Kpi>,
    index: usize,
    filters: Filters,
    sort: Sort,
    expanded: RwSignal<bool>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = state.t().kpis;
    let search = filters.search.get().to_lowercase();
    // Names as shown (pseudonyms in a workshop): searched, sorted and written in the hooks.
    let names = state.display_names();
    // Lower-cased once, not in every comparison of the sort.
    let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    let (years, mut shown) = state.kpis.with(|table| {
        state.data.with(|data| {
            let years: Vec<i32> = table
                .years()
                .iter()
                .copied()
                .filter(|&y| filters.year_in_range(y))
                .collect();
            let mut shown: Vec<usize> = (0..data.dataset.municipalities.len())
                .filter(|&m| {
                    lower[m].contains(&search)
                        && years.iter().any(|&y| table.get(m, y, index).is_some())
                })
                .collect();
            shown.sort_by(|&a, &b| {
                let by_name = || lower[a].cmp(&lower[b]);
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
            (years, shown)
        })
    });
    let span = years.len() + 1;
    if shown.is_empty() {
        return view! {
            <tr>
                <td colspan=span.to_string()>{t.no_rows}</td>
            </tr>
        }
        .into_any();
    }
    let total = shown.len();
    let rest = if !expanded.get() && total > ROW_LIMIT {
        shown.split_off(ROW_LIMIT)
    } else {
        Vec::new()
    };
    let names = StoredValue::new(names);
    let years = StoredValue::new(years);
    let row = move |m: usize| row(state, kpi, index, m, names, years);
    // The own municipality when it is among the rows not shown.
    let own_beyond = Memo::new(move |_| {
        let own = state.own.get()?;
        let at = state.data.with(|d| d.dataset.municipality_index(&own))?;
        rest.contains(&at).then_some(at)
    });
    let more = (total > shown.len()).then(|| {
        let text = move || {
            // The first rows and the own one beyond them.
            let count = ROW_LIMIT + usize::from(own_beyond.with(Option::is_some));
            fill(
                t.show_all_rows,
                &[("total", &total.to_string()), ("shown", &count.to_string())],
            )
        };
        view! {
            <tr class="more">
                <td colspan=span.to_string()>
                    <button type="button" on:click=move |_| expanded.set(true)>
                        {text}
                    </button>
                </td>
            </tr>
        }
    });
    view! {
        {shown.into_iter().map(row).collect_view()}
        {move || own_beyond.get().map(row)}
        {more}
    }
    .into_any()
}

/// The row of municipality `m`: its name (marked while it is the own one) and a cell per year.
fn row(
    state: AppState,
    kpi: StoredValue<Kpi>,
    index: usize,
    m: usize,
    names: StoredValue<Vec<String>>,
    years: StoredValue<Vec<i32>>,
) -> impl IntoView {
    let t = state.t().kpis;
    let decimals = kpi.with_value(|k| k.decimals as usize);
    let id = kpi.with_value(|k| k.id.clone());
    let municipality = names.with_value(|n| n[m].clone());
    let (real, cells) = state.kpis.with(|table| {
        state.data.with(|data| {
            let cells = years.with_value(|years| {
                years
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
                    .collect_view()
            });
            (data.dataset.municipalities[m].name.clone(), cells)
        })
    });
    let real = StoredValue::new(real);
    let is_own = move || {
        state
            .own
            .with(|own| real.with_value(|r| own.as_deref() == Some(r.as_str())))
    };
    view! {
        <tr class:own=is_own>
            <th scope="row">
                {move || {
                    is_own()
                        .then(|| {
                            view! {
                                <span class="own-mark" aria-hidden="true">"◆ "</span>
                                <span class="visually-hidden">{t.own_marker} ": "</span>
                            }
                        })
                }}
                {municipality.clone()}
            </th>
            {cells}
        </tr>
    }
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
            let t = expect_context::<AppState>().t();
            let (what, input) = match reason {
                // "kein Vorjahr" says it all; for other reasons the missing measure matters.
                Reason::Input(_, inner) if **inner == Reason::NoPreviousYear => {
                    (reason_words(inner, t), None)
                }
                Reason::Input(key, inner) => (reason_words(inner, t), Some(measure_label(key))),
                other => (reason_words(other, t), None),
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
fn SortHeader(
    column: Column,
    sort: RwSignal<Sort>,
    /// A break in the time series from this year on (an event of the catalogue), if any.
    #[prop(optional)]
    note: String,
    children: ChildrenFn,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().kpis;
    let aria_sort = move || match sort.get() {
        (c, false) if c == column => Some("ascending"),
        (c, true) if c == column => Some("descending"),
        _ => None,
    };
    // Drawn, not a character: arrow characters fall back to colour emoji in some fonts.
    let arrow = move || match aria_sort() {
        Some("ascending") => "M5 1 9 7H1Z",
        Some(_) => "M1 7H9L5 13Z",
        None => "M5 1 9 6H1ZM1 8H9L5 13Z",
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
                <svg class="sort-arrow" viewBox="0 0 10 14" aria-hidden="true" focusable="false">
                    <path d=arrow></path>
                </svg>
                <span class="visually-hidden">
                    {move || match aria_sort() {
                        Some("ascending") => format!(" ({})", t().sort_ascending),
                        Some(_) => format!(" ({})", t().sort_descending),
                        None => String::new(),
                    }}
                </span>
            </button>
            {(!note.is_empty())
                .then(|| {
                    let title = note.clone();
                    view! {
                        <span class="event-mark" title=title>
                            <span aria-hidden="true">" ⚑"</span>
                            <span class="visually-hidden">
                                {move || format!(" ({}: {note})", t().event_break)}
                            </span>
                        </span>
                    }
                })}
        </th>
    }
}

/// The KPI in words: numerator, denominator, scale, unit, direction, level, kind, context and
/// the events that break its time series.
/// Why the own municipality's value moved between two years the user picks (default: the first
/// year of the data and the year in force).
#[component]
fn SheetChange(kpi: StoredValue<Kpi>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let from = RwSignal::new(None::<i32>);
    let to = RwSignal::new(None::<i32>);
    let years = move || state.kpis.with(|t| t.years().to_vec());
    let own = move || {
        let name = state.own.get()?;
        state.data.with(|d| d.dataset.municipality_index(&name))
    };
    let chosen = move || {
        let years = years();
        let from = from.get().or(years.first().copied())?;
        let to = to.get().or(state.year.get()).or(years.last().copied())?;
        Some((from, to))
    };
    let select = move |label: fn(&crate::i18n::AnalysisTexts) -> &'static str,
                       signal: RwSignal<Option<i32>>,
                       pick: fn((i32, i32)) -> i32| {
        view! {
            <label class="field inline">
                <span>{move || label(state.t().analysis)}</span>
                <select on:change=move |ev| signal.set(event_target_value(&ev).parse().ok())>
                    {move || {
                        let current = chosen().map(pick);
                        years()
                            .into_iter()
                            .map(|y| view! { <option value=y prop:selected=current == Some(y)>{y}</option> })
                            .collect_view()
                    }}
                </select>
            </label>
        }
    };
    move || {
        let own = own()?;
        let (from_year, to_year) = chosen()?;
        Some(view! {
            <div class="sheet-change">
                {select(|a| a.split_from, from, |(f, _)| f)}
                {select(|a| a.split_to, to, |(_, t)| t)}
                <ChangeSplitView kpi=kpi.get_value() own=own from=from_year to=to_year />
            </div>
        })
    }
}

#[component]
fn Definition(kpi: StoredValue<Kpi>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().kpis;
    let reading = move || kpi.with_value(|k| formula_reading(&k.formula, state));
    let events = move || {
        let id = kpi.with_value(|k| k.id.clone());
        // Only breaks inside the loaded years: older ones do not touch these series.
        let span = state.kpis.with(|table| {
            let years = table.years();
            years.first().copied().zip(years.last().copied())
        });
        state.catalogue.with(|c| {
            c.events_for(&id)
                .into_iter()
                .filter(|e| span.is_some_and(|(first, last)| (first..=last).contains(&e.year)))
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
                            <div class="kpi-events">
                                <strong>{t().def_events}</strong>
                                <ul>
                                    {list
                                        .into_iter()
                                        .map(|e| view! { <li>{e}</li> })
                                        .collect_view()}
                                </ul>
                            </div>
                        }
                    })
            }}
        </div>
    }
}
