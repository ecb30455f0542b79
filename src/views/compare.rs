//! Vergleich: the peer group (all, hand-picked or the most similar, with the reasons), the peer
//! table (`peer-table`, CONTRACT §6) and the charts of one KPI plus the small multiples of all.
//!
//! Everything reads the shared `state.comparison` memo, so changing the own municipality, the
//! year or the group recomputes the statistics once for the table and every chart.

use std::collections::BTreeMap;

use leptos::prelude::*;
use vergleichsring_core::{
    format_integer, format_number, format_signed, small_multiples, year_points, Catalogue,
    Comparison, Dataset, Kpi, KpiTable, PeerGroup, PeerRow, Summary, Value,
};

use super::charts::{
    judgement_class, judgement_words, Bar, BoxPlot, ChartKind, EventMark, RankingChart,
    SmallMultiples, TimeSeriesChart,
};
use super::funnel::{group_funnel, FunnelSection};
use super::peers::{
    band_words, banded, key_label, BandWarning, SimilarityParts, SimilarityStability, WeightInputs,
};
use super::{reason_words, EmptyState, KpiSelect};
use crate::i18n::{fill, CompareTexts};
use crate::state::AppState;

/// The view's content.
#[component]
pub fn CompareView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let ready = Memo::new(move |_| state.comparison.with(Option::is_some));
    // The KPI of the single charts survives changes of municipality, year and group.
    let chosen = RwSignal::new(String::new());
    move || {
        if !ready.get() {
            return view! { <EmptyState text=|t| t.empty_compare /> }.into_any();
        }
        view! {
            <p class="intro">{move || state.t().compare.intro}</p>
            <PeerGroupPicker />
            <PeerTable />
            <CompareCharts chosen=chosen />
            <FunnelSection />
        }
        .into_any()
    }
}

/// The KPIs that have at least one value in the comparison, in catalogue order.
fn kpis_with_values<'c>(catalogue: &'c Catalogue, comparison: &Comparison) -> Vec<&'c Kpi> {
    catalogue
        .kpis()
        .iter()
        .filter(|k| comparison.row(&k.id).is_some_and(|r| r.n > 0))
        .collect()
}

/// Where the own value lies against the median, in words (for every KPI, neutral ones too);
/// `short` leaves out "der Vergleichsgruppe" for the table.
pub(crate) fn position_words(row: &PeerRow, t: &CompareTexts, short: bool) -> Option<&'static str> {
    let deviation = row.deviation?;
    let (above, below, at) = if short {
        (
            t.above_median_short,
            t.below_median_short,
            t.at_median_short,
        )
    } else {
        (t.above_median, t.below_median, t.at_median)
    };
    Some(if deviation > 0.0 {
        above
    } else if deviation < 0.0 {
        below
    } else {
        at
    })
}

/// The own municipality and every member with a value of `kpi` in the comparison's year, and
/// those without one with the reason.
fn bars(
    catalogue: &Catalogue,
    comparison: &Comparison,
    table: &KpiTable,
    kpi: usize,
) -> (Vec<Bar>, Vec<String>) {
    let year = comparison.year;
    // Names as shown: pseudonyms in a workshop.
    let state = expect_context::<AppState>();
    let names = state.display_names();
    let t = state.t();
    let funnel = catalogue
        .kpi_index(&table.kpis()[kpi])
        .and_then(|k| group_funnel(state, catalogue, comparison, k));
    let bars = comparison
        .values(table, kpi, year)
        .into_iter()
        .map(|(m, value)| Bar {
            name: names[m].clone(),
            value,
            own: m == comparison.own,
            notable: funnel.as_ref().and_then(|f| f.point(m)?.notable()),
        })
        .collect();
    let missing = [comparison.own]
        .iter()
        .chain(&comparison.members)
        .filter_map(|&m| {
            let reason = match table.get(m, year, kpi) {
                Some(Value::Number(_)) => return None,
                Some(Value::Missing(reason)) => reason_words(reason, t),
                None => reason_words(&vergleichsring_core::Reason::NoRecord, t),
            };
            Some(format!("{} ({reason})", names[m]))
        })
        .collect();
    (bars, missing)
}

/// The own municipality's name, the comparison's year and the size of the group, in a sentence.
fn group_sentence(comparison: &Comparison, dataset: &Dataset, t: &CompareTexts) -> String {
    fill(
        t.group_size,
        &[
            ("own", &dataset.municipalities[comparison.own].name),
            ("n", &format_integer(comparison.members.len() as u64)),
            ("year", &comparison.year.to_string()),
        ],
    )
}

/// Which kind of group is chosen (for the radio buttons).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    All,
    Chosen,
    Similar,
}

impl Mode {
    fn of(group: &PeerGroup) -> Mode {
        match group {
            PeerGroup::All => Mode::All,
            PeerGroup::Chosen { .. } => Mode::Chosen,
            PeerGroup::Similar { .. } => Mode::Similar,
        }
    }

    fn value(self) -> &'static str {
        match self {
            Mode::All => "all",
            Mode::Chosen => "chosen",
            Mode::Similar => "similar",
        }
    }

    fn label(self, t: &CompareTexts) -> &'static str {
        match self {
            Mode::All => t.group_all,
            Mode::Chosen => t.group_chosen,
            Mode::Similar => t.group_similar,
        }
    }
}

/// The peer group: all, hand-picked or the k most similar, and why.
#[component]
fn PeerGroupPicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().compare;
    // Each kind keeps its own settings, so switching back and forth loses nothing.
    let chosen = RwSignal::new(Vec::<String>::new());
    let k = RwSignal::new(5usize);
    let on = RwSignal::new(Vec::<String>::new());
    let weights = RwSignal::new(BTreeMap::<String, f64>::new());
    // A group set elsewhere (a loaded session or kept work) is the one the fields show; only
    // what differs is set, so the fields are not drawn again (and lose no focus) after a change
    // made in them.
    Effect::new(move |_| {
        if let PeerGroup::Similar {
            k: n,
            on: keys,
            weights: w,
        } = state.peers.get()
        {
            if k.get_untracked() != n {
                k.set(n);
            }
            if on.with_untracked(|o| *o != keys) {
                on.set(keys);
            }
            if weights.with_untracked(|o| *o != w) {
                weights.set(w);
            }
        }
    });
    let mode = Memo::new(move |_| state.peers.with(Mode::of));
    let apply = move |mode: Mode| {
        let group = match mode {
            Mode::All => PeerGroup::All,
            Mode::Chosen => PeerGroup::Chosen {
                names: chosen.get(),
            },
            Mode::Similar => {
                if on.with(Vec::is_empty) {
                    on.set(default_context(state));
                }
                PeerGroup::Similar {
                    k: k.get(),
                    on: on.get(),
                    weights: weights.get(),
                }
            }
        };
        state.peers.set(group);
    };
    let radio = move |m: Mode| {
        view! {
            <label class="choice">
                <input
                    type="radio"
                    name="peer-mode"
                    value=m.value()
                    prop:checked=move || mode.get() == m
                    on:change=move |_| apply(m)
                />
                {move || m.label(t())}
            </label>
        }
    };
    let error = move || {
        state.comparison.with(|c| match c {
            Some(Err(e)) => Some(view! {
                <p class="error" role="alert">{t().group_error} " " {state.say_error(e)}</p>
            }),
            _ => None,
        })
    };
    let summary = move || {
        state.comparison.with(|c| match c {
            Some(Ok(c)) => state.data.with(|d| group_sentence(c, &d.dataset, t())),
            _ => String::new(),
        })
    };
    view! {
        <section class="peer-group" aria-labelledby="vergleichsgruppe-titel">
            <h3 id="vergleichsgruppe-titel">{move || t().group_heading}</h3>
            <fieldset class="choices">
                <legend>{move || t().group_legend}</legend>
                {radio(Mode::All)}
                {radio(Mode::Chosen)}
                {radio(Mode::Similar)}
            </fieldset>
            {move || match mode.get() {
                Mode::All => ().into_any(),
                Mode::Chosen => view! { <ChosenPicker chosen=chosen apply=move || apply(Mode::Chosen) /> }.into_any(),
                Mode::Similar => view! { <SimilarPicker k=k on=on weights=weights apply=move || apply(Mode::Similar) /> }.into_any(),
            }}
            {error}
            <p class="group-summary" role="status">{summary}</p>
        </section>
    }
}

/// Context keys to start the similar-municipality search with: the population and the share
/// of older people when the data and catalogue have them, else the first measure.
fn default_context(state: AppState) -> Vec<String> {
    let measures: Vec<String> = state
        .data
        .with(|d| d.dataset.measures.iter().map(|m| m.key.clone()).collect());
    let mut keys: Vec<String> = ["einwohner"]
        .iter()
        .filter(|k| measures.iter().any(|m| m == *k))
        .map(|k| k.to_string())
        .collect();
    if state
        .catalogue
        .with(|c| c.kpi("anteil_einwohner_65").is_some())
    {
        keys.push("anteil_einwohner_65".into());
    }
    if keys.is_empty() {
        keys.extend(measures.into_iter().take(1));
    }
    keys
}

/// A checkbox that puts `key` into `list` or takes it out, then applies the group: one item of
/// a checklist (the hand-picked municipalities, the keys of the similarity).
fn list_choice(
    list: RwSignal<Vec<String>>,
    key: String,
    label: impl IntoView + 'static,
    apply: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let checked = {
        let key = key.clone();
        move || list.with(|l| l.contains(&key))
    };
    let toggle = move |_| {
        list.update(|l| {
            if let Some(i) = l.iter().position(|k| *k == key) {
                l.remove(i);
            } else {
                l.push(key.clone());
            }
        });
        apply();
    };
    view! {
        <label class="choice">
            <input type="checkbox" prop:checked=checked on:change=toggle />
            {label}
        </label>
    }
}

/// Checkboxes of the municipalities for a hand-picked group.
#[component]
fn ChosenPicker(
    chosen: RwSignal<Vec<String>>,
    apply: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().compare;
    let others = move || {
        let own = state.own.get();
        state
            .data
            .with(|d| d.municipality_names())
            .into_iter()
            .filter(|n| Some(n) != own.as_ref())
            .collect::<Vec<_>>()
    };
    let set_all = move |all: bool| {
        chosen.set(if all { others() } else { Vec::new() });
        apply();
    };
    view! {
        <fieldset class="checklist">
            <legend>{move || t().chosen_legend}</legend>
            <div class="checklist-actions">
                <button type="button" on:click=move |_| set_all(true)>{move || t().chosen_all}</button>
                <button type="button" on:click=move |_| set_all(false)>{move || t().chosen_none}</button>
            </div>
            <div class="checklist-items">
                {move || {
                    others()
                        .into_iter()
                        .map(|name| {
                            let label = {
                                let name = name.clone();
                                move || state.display_name_of(&name)
                            };
                            list_choice(chosen, name, label, apply)
                        })
                        .collect_view()
                }}
            </div>
            {move || chosen.with(Vec::is_empty).then(|| view! { <p class="hint">{t().chosen_empty}</p> })}
        </fieldset>
    }
}

/// k and the context keys for the most similar municipalities, and the table that explains
/// the choice (distances and context values).
#[component]
fn SimilarPicker(
    k: RwSignal<usize>,
    on: RwSignal<Vec<String>>,
    weights: RwSignal<BTreeMap<String, f64>>,
    apply: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().compare;
    let max_k = move || {
        state
            .data
            .with(|d| d.municipality_names().len().saturating_sub(1))
            .max(1)
    };
    let measures = move || {
        state.data.with(|d| {
            d.dataset
                .measures
                .iter()
                .map(|m| list_choice(on, m.key.clone(), m.label.clone(), apply))
                .collect_view()
        })
    };
    let kpis = move || {
        state.catalogue.with(|c| {
            c.kpis()
                .iter()
                .map(|k| list_choice(on, k.id.clone(), k.label.clone(), apply))
                .collect_view()
        })
    };
    view! {
        <div class="similar">
            <label class="field inline">
                <span>{move || t().similar_k}</span>
                <input
                    type="number"
                    min="1"
                    max=move || max_k().to_string()
                    prop:value=move || k.get().to_string()
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<usize>() {
                            k.set(n.clamp(1, max_k()));
                            apply();
                        }
                    }
                />
            </label>
            <fieldset class="checklist">
                <legend>{move || t().similar_on}</legend>
                <details open=true>
                    <summary>{move || t().similar_measures}</summary>
                    <div class="checklist-items">{measures}</div>
                </details>
                <details>
                    <summary>{move || t().similar_kpis}</summary>
                    <div class="checklist-items">{kpis}</div>
                </details>
            </fieldset>
            <WeightInputs on=on weights=weights apply=apply />
            <SimilarityTable />
            <SimilarityParts />
            <SimilarityStability />
        </div>
    }
}

/// Why the municipalities are similar: own context values, then each neighbour's distance and
/// context values.
#[component]
fn SimilarityTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let t = state.t().compare;
        state.comparison.with(|c| {
            let Some(Ok(comparison)) = c else { return None };
            let similarity = comparison.similarity.as_ref()?;
            let names: Vec<String> = similarity.on.iter().map(|key| key_label(state, key)).collect();
            let own_name = state.data.with(|d| d.dataset.municipalities[comparison.own].name.clone());
            // KPIs with their decimals; measures as counts when every value is whole.
            let decimals: Vec<usize> = similarity
                .on
                .iter()
                .enumerate()
                .map(|(i, key)| {
                    let whole = std::iter::once(&similarity.own_context)
                        .chain(similarity.neighbours.iter().map(|n| &n.context))
                        .all(|row| row[i].fract() == 0.0);
                    let fallback = if whole { 0 } else { 2 };
                    state.catalogue.with(|c| c.kpi(key).map_or(fallback, |k| k.decimals as usize))
                })
                .collect();
            // Another municipality's figures under a pseudonym only in size bands.
            let values = move |m: usize, xs: &[f64]| {
                let banded = banded(state, m);
                xs.iter()
                    .zip(&decimals)
                    .map(|(x, d)| {
                        if banded {
                            view! { <td class="num">{band_words(state, *x)}</td> }.into_any()
                        } else {
                            view! { <td class="num" data-value=x.to_string()>{format_number(*x, *d)}</td> }.into_any()
                        }
                    })
                    .collect_view()
            };
            let own_row = view! {
                <tr class="own">
                    <th scope="row">"◆ " {own_name} " (" {t.own_row} ")"</th>
                    <td class="num">"0"</td>
                    {values(comparison.own, &similarity.own_context)}
                </tr>
            };
            let rows = similarity
                .neighbours
                .iter()
                .map(|n| {
                    view! {
                        <tr>
                            <th scope="row">{state.display_name(n.municipality)}</th>
                            <td class="num" data-value=n.distance.to_string()>{format_number(n.distance, 2)}</td>
                            {values(n.municipality, &n.context)}
                        </tr>
                    }
                })
                .collect_view();
            let heads = names.into_iter().map(|n| view! { <th scope="col">{n}</th> }).collect_view();
            let alone: Vec<String> = similarity
                .neighbours
                .iter()
                .filter(|n| n.alone_in_bands && banded(state, n.municipality))
                .map(|n| state.display_name(n.municipality))
                .collect();
            Some(view! {
                <div class="table-box" role="region" aria-labelledby="aehnlich-titel" tabindex="0">
                    <table class="data-table" data-testid="similar-table">
                        <caption id="aehnlich-titel">
                            {t.similar_caption}
                            <span class="caption-note">
                                {fill(t.similar_how, &[("base", &format_integer(similarity.base as u64))])}
                            </span>
                        </caption>
                        <thead>
                            <tr>
                                <th scope="col">{t.charts.name}</th>
                                <th scope="col">{t.distance}</th>
                                {heads}
                            </tr>
                        </thead>
                        <tbody>{own_row}{rows}</tbody>
                    </table>
                </div>
                <BandWarning names=alone />
            })
        })
    }
}

/// Picks a column header from the texts.
type Header = fn(&CompareTexts) -> &'static str;

/// The statistics of §3 in the table's column order: field name, header.
const STATS: [(&str, Header); 9] = [
    ("mean", |t| t.col_mean),
    ("pooled", |t| t.col_pooled),
    ("median", |t| t.col_median),
    ("q1", |t| t.col_q1),
    ("q3", |t| t.col_q3),
    ("min", |t| t.col_min),
    ("max", |t| t.col_max),
    ("index", |t| t.col_index),
    ("n", |t| t.col_n),
];

/// The peer table (`peer-table`): one row per KPI with a value, the §3 statistics as cells.
#[component]
fn PeerTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let t = state.t().compare;
        state.comparison.with(|c| {
            let Some(Ok(comparison)) = c else { return None };
            let caption = state.data.with(|d| {
                fill(t.table_caption, &[("own", &d.dataset.municipalities[comparison.own].name), ("year", &comparison.year.to_string())])
            });
            let (rows, empty) = state.catalogue.with(|catalogue| {
                let with_values = kpis_with_values(catalogue, comparison);
                let rows = with_values
                    .iter()
                    .filter_map(|kpi| Some(peer_row(kpi, comparison.row(&kpi.id)?, t)))
                    .collect_view();
                let empty: Vec<String> = catalogue
                    .kpis()
                    .iter()
                    .filter(|k| !with_values.iter().any(|w| w.id == k.id))
                    .map(|k| k.label.clone())
                    .collect();
                (rows, empty)
            });
            let heads = STATS.iter().map(|(name, head)| view! { <th scope="col" data-stat=*name>{head(t)}</th> }).collect_view();
            Some(view! {
                <section class="peer-table" aria-labelledby="vergleichstabelle-titel">
                    <h3 id="vergleichstabelle-titel">{t.table_heading}</h3>
                    <div class="table-box" role="region" aria-labelledby="vergleichstabelle-titel" tabindex="0">
                        <table class="data-table sticky" data-testid="peer-table">
                            <caption>{caption}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t.col_kpi}</th>
                                    <th scope="col">{t.col_own}</th>
                                    <th scope="col">{t.col_deviation}</th>
                                    <th scope="col">{t.col_rank}</th>
                                    {heads}
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    {(!empty.is_empty()).then(|| view! {
                        <p class="hint">{format!("{} – {}", t.no_value, empty.join(", "))}</p>
                    })}
                </section>
            })
        })
    }
}

/// One KPI's row of the peer table.
fn peer_row(kpi: &Kpi, row: &PeerRow, t: &'static CompareTexts) -> impl IntoView {
    let decimals = kpi.decimals as usize;
    let cell = move |name: &'static str, value: Option<f64>, shown: String| {
        let raw = value.map(|x| x.to_string()).unwrap_or_default();
        view! { <td class="num" data-stat=name data-value=raw>{shown}</td> }
    };
    let number = move |v: Option<f64>, d: usize| {
        v.map(|x| format_number(x, d))
            .unwrap_or_else(|| t.no_value.into())
    };
    let stats = STATS
        .iter()
        .map(|(name, _)| {
            let value = row.statistic(name);
            let shown = match *name {
                "n" => number(value, 0),
                "index" => number(value, 1),
                _ => number(value, decimals),
            };
            cell(name, value, shown)
        })
        .collect_view();
    let rank = row.rank.map(|r| {
        fill(
            t.rank_of,
            &[("rank", &r.to_string()), ("n", &row.n.to_string())],
        )
    });
    let verdict = match (row.judgement, position_words(row, t, true)) {
        (Some(j), _) => Some(view! { <span class=format!("judgement {}", judgement_class(j))>{judgement_words(j, &t.charts)}</span> }.into_any()),
        (None, Some(words)) => Some(view! { <span class="judgement neutral">{words}</span> }.into_any()),
        _ => None,
    };
    let deviation = row
        .deviation
        .map(|d| format_signed(d, decimals))
        .unwrap_or_else(|| t.no_value.into());
    let description = kpi.description.clone();
    view! {
        <tr data-kpi=kpi.id.clone()>
            <th scope="row" class="kpi-name">
                <span class="kpi-label">{kpi.label.clone()}</span>
                <span class="unit">{kpi.unit.clone()}</span>
                {description.map(|d| view! {
                    <details class="context">
                        <summary>{t.context}</summary>
                        <p>{d}</p>
                    </details>
                })}
            </th>
            {cell("own_value", row.own_value, number(row.own_value, decimals))}
            <td class="num deviation" data-stat="deviation" data-value=row.deviation.map(|x| x.to_string()).unwrap_or_default()>
                {deviation} " " {verdict}
            </td>
            {cell("rank", row.rank.map(|r| r as f64), rank.unwrap_or_else(|| t.no_value.into()))}
            {stats}
        </tr>
    }
}

/// The KPI selector, the ranking, the time series, the box plot and the small multiples.
#[component]
fn CompareCharts(chosen: RwSignal<String>) -> impl IntoView {
    let state = expect_context::<AppState>();
    // The KPI shown: the chosen one while it has values, else the first core KPI with values.
    let kpi = Memo::new(move |_| {
        state.comparison.with(|c| {
            let Some(Ok(comparison)) = c else {
                return String::new();
            };
            state.catalogue.with(|catalogue| {
                let with_values = kpis_with_values(catalogue, comparison);
                let current = chosen.get();
                if with_values.iter().any(|k| k.id == current) {
                    return current;
                }
                with_values
                    .iter()
                    .find(|k| k.core)
                    .or(with_values.first())
                    .map(|k| k.id.clone())
                    .unwrap_or_default()
            })
        })
    });
    let selector = move || {
        let t = state.t().compare;
        let options = state.comparison.with(|c| {
            let Some(Ok(comparison)) = c else {
                return Vec::new();
            };
            state.catalogue.with(|catalogue| {
                kpis_with_values(catalogue, comparison)
                    .iter()
                    .map(|k| (k.id.clone(), k.label.clone()))
                    .collect()
            })
        });
        view! { <KpiSelect label=t.kpi_select options=options chosen=chosen shown=kpi /> }
    };
    let single = move || kpi_charts(state, &kpi.get(), None);
    let overview = move || {
        let t = state.t().compare;
        state.comparison.with(|c| {
            let Some(Ok(comparison)) = c else { return None };
            let own_name = state
                .data
                .with(|d| d.dataset.municipalities[comparison.own].name.clone());
            state.catalogue.with(|catalogue| {
                state.kpis.with(|table| {
                    let kpis = kpis_with_values(catalogue, comparison);
                    let panels = small_multiples(comparison, table, &kpis);
                    let years = table.years();
                    let (from, to) = (
                        years.first().copied().unwrap_or_default(),
                        years.last().copied().unwrap_or_default(),
                    );
                    let heading = fill(
                        t.overview_heading,
                        &[("from", &from.to_string()), ("to", &to.to_string())],
                    );
                    let select = Callback::new(move |id: String| {
                        chosen.set(id);
                        if let Some(el) = document().get_element_by_id("grafiken-titel") {
                            el.scroll_into_view();
                        }
                    });
                    Some(view! {
                        <SmallMultiples
                            heading=heading
                            desc=format!("{} {}", t.overview_desc, t.overview_hint)
                            own_name=own_name
                            panels=panels
                            on_select=select
                            selected=Signal::derive(move || kpi.get())
                            texts=&t.charts
                        />
                    })
                })
            })
        })
    };
    view! {
        <section class="compare-charts" aria-labelledby="grafiken-titel">
            <h3 id="grafiken-titel">{move || state.t().compare.charts_heading}</h3>
            {selector}
            {single}
            {overview}
        </section>
    }
}

/// Ranking, time series and box plot of the KPI `id` for the comparison in force; `None` until
/// there is a comparison. With `only`, that one chart filling its box (the workshop's slide).
pub(crate) fn kpi_charts(state: AppState, id: &str, only: Option<ChartKind>) -> Option<AnyView> {
    let t = state.t().compare;
    state.comparison.with(|c| {
        let Some(Ok(comparison)) = c else { return None };
        state.catalogue.with(|catalogue| {
            let kpi = catalogue.kpi(id)?.clone();
            let events: Vec<EventMark> = catalogue
                .events_for(&kpi.id)
                .into_iter()
                .map(|e| EventMark {
                    year: e.year,
                    label: e.label.clone(),
                })
                .collect();
            state.kpis.with(|table| {
                let index = table.kpi_index(&kpi.id)?;
                let row = comparison.row(&kpi.id)?;
                state.data.with(|d| {
                    Some(
                        single_charts(
                            catalogue, &kpi, row, comparison, &d.dataset, table, index, events, t,
                            only,
                        )
                        .into_any(),
                    )
                })
            })
        })
    })
}

/// Ranking, time series and box plot of one KPI.
#[allow(clippy::too_many_arguments)]
fn single_charts(
    catalogue: &Catalogue,
    kpi: &Kpi,
    row: &PeerRow,
    comparison: &Comparison,
    dataset: &Dataset,
    table: &KpiTable,
    index: usize,
    events: Vec<EventMark>,
    t: &'static CompareTexts,
    only: Option<ChartKind>,
) -> impl IntoView {
    let shows = |kind| only.is_none_or(|o| o == kind);
    let fit = only.is_some();
    let decimals = kpi.decimals as usize;
    let own_name = dataset.municipalities[comparison.own].name.clone();
    let year = comparison.year.to_string();
    let median = row
        .median
        .map(|m| format_number(m, decimals))
        .unwrap_or_else(|| t.no_value.into());
    let (bars, missing) = bars(catalogue, comparison, table, index);
    let summary = Summary {
        n: row.n,
        mean: row.mean,
        median: row.median,
        q1: row.q1,
        q3: row.q3,
        min: row.min,
        max: row.max,
    };
    let points = year_points(comparison, table, index);
    let from = points
        .first()
        .map(|p| p.year.to_string())
        .unwrap_or_default();
    let to = points
        .last()
        .map(|p| p.year.to_string())
        .unwrap_or_default();
    let what = [
        ("kpi", kpi.label.as_str()),
        ("unit", kpi.unit.as_str()),
        ("year", year.as_str()),
        ("from", from.as_str()),
        ("to", to.as_str()),
    ];
    let own = [("own", own_name.as_str()), ("median", median.as_str())];
    view! {
        <div class="chart-grid">
            {shows(ChartKind::Ranking).then(|| view! {
                <RankingChart
                    heading=fill(t.ranking_heading, &what)
                    desc=fill(t.ranking_desc, &own)
                    bars=bars.clone()
                    better=kpi.better
                    median=row.median
                    decimals=decimals
                    missing=missing
                    texts=&t.charts
                    fit=fit
                />
            })}
            {shows(ChartKind::Series).then(|| view! {
                <TimeSeriesChart
                    heading=fill(t.series_heading, &what)
                    desc=fill(t.series_desc, &own)
                    own_name=own_name.clone()
                    points=points
                    events=events
                    decimals=decimals
                    texts=&t.charts
                    fit=fit
                />
            })}
            {shows(ChartKind::Distribution).then(|| view! {
                <BoxPlot
                    heading=fill(t.box_heading, &what)
                    desc=fill(t.box_desc, &own)
                    summary=summary
                    dots=bars
                    decimals=decimals
                    texts=&t.charts
                    fit=fit
                />
            })}
        </div>
    }
}
