//! Why these peers (issue 17, "Peers explained"): a weight per context key of the similar-peer
//! search, each key's part of every neighbour's distance as a table with bars, and how stable
//! the group is. The figures are the core's `Similarity`; this module only shows them.

use std::collections::BTreeMap;

use leptos::prelude::*;
use vergleichsring_core::{
    format_number, format_typed_number, parse_typed_number, parse_weight, Band, BandWords,
    Similarity,
};

use crate::i18n::fill;
use crate::state::AppState;

/// Colours of the keys' bar segments (Okabe–Ito, distinguishable without red–green).
const PALETTE: [&str; 6] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
];

/// The label of a context key: the measure's or the KPI's, else the key itself.
pub(crate) fn key_label(state: AppState, key: &str) -> String {
    state.data.with(|d| match d.dataset.measure_index(key) {
        Some(m) => d.dataset.measures[m].label.clone(),
        None => state.catalogue.with(|c| {
            c.kpi(key)
                .map(|k| k.label.clone())
                .unwrap_or_else(|| key.to_string())
        }),
    })
}

/// Whether municipality `m`'s context values are shown in size bands: pseudonymisation is on
/// and it is not the own municipality.
pub(crate) fn banded(state: AppState, m: usize) -> bool {
    state.pseudonymise.get()
        && state.own.with(|own| {
            state.data.with(|d| {
                d.dataset.municipalities.get(m).map(|x| x.name.as_str()) != own.as_deref()
            })
        })
}

/// How the findings of municipality `name` cite their raw figures: in size bands of the page's
/// language while pseudonymisation is on and it is not the own municipality, else (`None`)
/// exactly.
pub(crate) fn finding_bands(state: AppState, name: &str) -> Option<BandWords<'static>> {
    let other = state.pseudonymise.get() && state.own.with(|own| own.as_deref() != Some(name));
    other.then(|| {
        let t = state.t().peers;
        BandWords {
            thousand: t.thousand,
            million: t.million,
            hidden: t.hidden,
        }
    })
}

/// A context value in its size band, in words of the page's language ("500–600 Tsd.").
pub(crate) fn band_words(state: AppState, x: f64) -> String {
    let t = state.t().peers;
    Band::of(x).map_or_else(String::new, |b| b.words(t.thousand, t.million))
}

/// A cell of a raw row as the preview shows it: names follow the pseudonyms, and with them on,
/// a row that names another municipality hides its figures (its population among them).
pub(crate) fn preview_cell(state: AppState, row: &[String], cell: &str) -> String {
    let masked = state.mask_names(cell);
    let other = state.pseudonymise.get() && row.iter().any(|c| state.mask_names(c) != *c);
    if other && parse_typed_number(cell).is_some() {
        state.t().peers.hidden.to_string()
    } else {
        masked
    }
}

/// The warning that pseudonymised members are still recognisable in the bands shown.
#[component]
pub fn BandWarning(names: Vec<String>) -> impl IntoView {
    let state = expect_context::<AppState>();
    (!names.is_empty()).then(|| {
        let text = fill(
            state.t().peers.unique_warning,
            &[("names", &names.join(", "))],
        );
        view! { <p class="warning" role="status" data-testid="band-warning">{text}</p> }
    })
}

/// One weight field per chosen key. A weight that is no number from 0 on is refused with a
/// message and stays in its field; the group keeps the last good weight.
#[component]
pub fn WeightInputs(
    on: RwSignal<Vec<String>>,
    weights: RwSignal<BTreeMap<String, f64>>,
    apply: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().peers;
    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let field = move |key: String| {
        let label = fill(t().weight_of, &[("key", &key_label(state, &key))]);
        let error_id = format!("gewicht-fehler-{key}");
        let value = {
            let key = key.clone();
            move || format_typed_number(weights.with(|w| w.get(&key).copied().unwrap_or(1.0)))
        };
        let change = {
            let key = key.clone();
            move |ev| {
                let text = event_target_value(&ev);
                match parse_weight(&text) {
                    Some(w) => {
                        errors.update(|e| {
                            e.remove(&key);
                        });
                        weights.update(|ws| {
                            ws.insert(key.clone(), w);
                        });
                        apply();
                    }
                    None => errors.update(|e| {
                        e.insert(key.clone(), text);
                    }),
                }
            }
        };
        let error = {
            let key = key.clone();
            move || errors.with(|e| e.get(&key).cloned())
        };
        let invalid = {
            let error = error.clone();
            move || error().is_some().to_string()
        };
        let described = {
            let (error, error_id) = (error.clone(), error_id.clone());
            move || error().map(|_| error_id.clone())
        };
        let message = {
            let error_id = error_id.clone();
            move || {
                error().map(|text| {
                    view! { <span class="error" role="alert" id=error_id.clone()>{fill(t().weight_error, &[("text", &text)])}</span> }
                })
            }
        };
        view! {
            <label class="field inline">
                <span>{label}</span>
                <input
                    type="text"
                    inputmode="decimal"
                    size="5"
                    data-testid=format!("weight-{key}")
                    prop:value=value
                    aria-invalid=invalid
                    aria-describedby=described
                    on:change=change
                />
                {message}
            </label>
        }
    };
    view! {
        <fieldset class="weights">
            <legend>{move || t().weights_legend}</legend>
            <p class="hint">{move || t().weights_hint}</p>
            {move || on.get().into_iter().map(field).collect_view()}
        </fieldset>
    }
}

/// The similar-peer search in force, when the group is the most similar ones.
fn similarity(state: AppState) -> Option<Similarity> {
    state.comparison.with(|c| match c {
        Some(Ok(c)) => c.similarity.clone(),
        _ => None,
    })
}

/// Each neighbour's distance split into the keys' parts: a number, a share and a bar per key,
/// and all shares as one stacked bar.
#[component]
pub fn SimilarityParts() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let s = similarity(state)?;
        let t = state.t().peers;
        let labels: Vec<String> = s.on.iter().map(|k| key_label(state, k)).collect();
        let heads = labels
            .iter()
            .zip(&s.weights)
            .zip(&s.on)
            .map(|((label, w), key)| {
                view! {
                    <th scope="col" data-key=key.clone()>
                        {label.clone()}
                        <span class="unit">{format!(" × {}", format_number(*w, 2))}</span>
                    </th>
                }
            })
            .collect_view();
        let rows = s
            .neighbours
            .iter()
            .map(|n| {
                let cells = n
                    .contributions
                    .iter()
                    .zip(&s.on)
                    .enumerate()
                    .map(|(i, (part, key))| {
                        let share = if n.distance > 0.0 { part / n.distance } else { 0.0 };
                        view! {
                            <td class="num" data-key=key.clone() data-value=part.to_string()>
                                {format!("{} ({} %)", format_number(*part, 2), format_number(share * 100.0, 0))}
                                // SVG attributes, not a style: the CSP allows no inline style.
                                <svg class="part-bar" viewBox="0 0 100 4" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                                    <rect width="100" height="4" fill="#E3E3E3" />
                                    <rect width=format!("{:.2}", share * 100.0) height="4" fill=PALETTE[i % PALETTE.len()] />
                                </svg>
                            </td>
                        }
                    })
                    .collect_view();
                let stack = stacked(n.distance, &n.contributions);
                view! {
                    <tr data-municipality=state.display_name(n.municipality)>
                        <th scope="row">{state.display_name(n.municipality)}</th>
                        <td class="num" data-stat="distance" data-value=n.distance.to_string()>{format_number(n.distance, 2)}</td>
                        {cells}
                        <td aria-hidden="true">{stack}</td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <div class="table-box" role="region" aria-labelledby="anteile-titel" tabindex="0">
                <table class="data-table" data-testid="contribution-table">
                    <caption id="anteile-titel">
                        {t.parts_caption}
                        <span class="caption-note">{t.parts_how}</span>
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">{state.t().compare.charts.name}</th>
                            <th scope="col">{state.t().compare.distance}</th>
                            {heads}
                            <th scope="col">{t.parts_bar}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        })
    }
}

/// The shares of a distance as one bar of segments in the keys' colours (the table beside it
/// says the numbers).
fn stacked(distance: f64, parts: &[f64]) -> impl IntoView {
    let mut at = 0.0;
    let segments = parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let width = if distance > 0.0 { part / distance * 100.0 } else { 0.0 };
            let x = at;
            at += width;
            view! { <rect x=format!("{x:.2}") y="0" width=format!("{width:.2}") height="10" fill=PALETTE[i % PALETTE.len()] /> }
        })
        .collect_view();
    view! {
        <svg class="part-stack" viewBox="0 0 100 10" preserveAspectRatio="none" width="120" height="12" focusable="false">
            {segments}
        </svg>
    }
}

/// Who stays when one key is left out, who leaves with k − 1, who comes in with k + 1.
#[component]
pub fn SimilarityStability() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let s = similarity(state)?;
        let t = state.t().peers;
        let k = s.neighbours.len();
        let names = |ms: &[usize]| {
            ms.iter()
                .map(|&m| state.display_name(m))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let without = s
            .stability
            .without
            .iter()
            .map(|l| {
                let mut text = fill(
                    t.without,
                    &[
                        ("key", &key_label(state, &l.key)),
                        ("stay", &l.stay.to_string()),
                        ("k", &k.to_string()),
                    ],
                );
                if !l.leave.is_empty() {
                    text = format!("{text} {}", fill(t.leave, &[("names", &names(&l.leave))]));
                }
                if !l.join.is_empty() {
                    text = format!("{text} {}", fill(t.join, &[("names", &names(&l.join))]));
                }
                view! { <li data-key=l.key.clone() data-stay=l.stay.to_string()>{text}</li> }
            })
            .collect_view();
        let single = s
            .stability
            .without
            .is_empty()
            .then(|| view! { <li>{t.single_key}</li> });
        let fewer = s.stability.fewer.map(|m| {
            let text = fill(
                t.fewer,
                &[
                    ("k", &(k - 1).to_string()),
                    ("k_now", &k.to_string()),
                    ("name", &state.display_name(m)),
                ],
            );
            view! { <li data-edge="fewer">{text}</li> }
        });
        let more = s.stability.more.map(|(m, distance)| {
            let last = s.neighbours.last().map_or(0.0, |n| n.distance);
            let text = fill(
                t.more,
                &[
                    ("k", &(k + 1).to_string()),
                    ("name", &state.display_name(m)),
                    ("distance", &format_number(distance, 2)),
                    ("last", &format_number(last, 2)),
                ],
            );
            view! { <li data-edge="more">{text}</li> }
        });
        Some(view! {
            <section class="similar-stability" aria-labelledby="stabilitaet-titel" data-testid="similar-stability">
                <h4 id="stabilitaet-titel">{t.stability_heading}</h4>
                <ul>{without}{single}{fewer}{more}</ul>
            </section>
        })
    }
}
