//! How a KPI moved, told right: a change in percent of the earlier value, or in percentage
//! points for a KPI that is itself a percentage; and why it moved — the change split into the
//! numerator's and the denominator's effect (CONTRACT §3), in words and as a small bar pair.
//! The figures come from the core (`Trend`, `change_split`); this file only words and draws them.

use leptos::prelude::*;
use vergleichsring_core::{
    change_split, format_percent, Formula, Kpi, Movement, NoSplit, Panel, Reading, Reason, Trend,
    Value,
};

use super::reason_words;
use crate::i18n::{fill, Texts};
use crate::state::AppState;
use vergleichsring_core::format_signed;

/// A movement in words: `+12,4 %`, `-5,4 Prozentpunkte`; empty for a percent of 0.
pub fn movement_words(movement: Movement, decimals: usize, t: &Texts) -> String {
    match movement {
        Movement::Percent(Some(p)) => {
            let text = format_percent(p, 1);
            if p > 0.0 {
                format!("+{text}")
            } else {
                text
            }
        }
        Movement::Percent(None) => String::new(),
        Movement::Points(p) => fill(
            t.analysis.points,
            &[("points", &format_signed(p, decimals))],
        ),
    }
}

/// A formula in words (`Formula::reading`), each key named by its KPI's label, else its loaded
/// measure's, else itself; `None` for a formula that does not parse.
pub fn formula_reading(formula: &str, state: AppState) -> Option<Reading> {
    let formula = Formula::parse(formula).ok()?;
    state.catalogue.with(|c| {
        state.data.with(|d| {
            Some(formula.reading(&|key| {
                c.kpi(key)
                    .map(|k| k.label.clone())
                    .or_else(|| {
                        d.dataset
                            .measures
                            .iter()
                            .find(|m| m.key == key)
                            .map(|m| m.label.clone())
                    })
                    .unwrap_or_else(|| key.to_string())
            }))
        })
    })
}

/// The names of a KPI's numerator and denominator for the sentence: the measures' or KPIs'
/// labels as the formula reads (`Formula::reading`), "Zähler"/"Nenner" where there is no reading.
fn part_names(kpi: &Kpi, state: AppState, t: &Texts) -> (String, String) {
    match formula_reading(&kpi.formula, state) {
        Some(r) if r.denominator.is_some() => (r.numerator, r.denominator.unwrap_or_default()),
        _ => (
            t.analysis.split_numerator.to_string(),
            t.analysis.split_denominator.to_string(),
        ),
    }
}

/// Why a KPI of the own municipality changed from `from` to `to`: the sentence
/// ("+12,4 %: Leistungsberechtigte +15,1 %, Einwohner +2,3 %"), the two effects in the KPI's unit,
/// and a bar pair of the effects around zero. Hook `data-testid="change-split"` with the
/// figures at full precision.
#[component]
pub fn ChangeSplitView(
    /// The KPI.
    kpi: Kpi,
    /// The own municipality (index into the dataset).
    own: usize,
    /// The earlier year.
    from: i32,
    /// The later year.
    to: i32,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let t = state.t();
        let decimals = kpi.decimals as usize;
        let split = state.catalogue.with(|c| {
            let k = c.kpi_index(&kpi.id)?;
            state
                .data
                .with(|d| Some(change_split(c, &Panel::new(&d.dataset), k, own, from, to)))
        });
        let split = split?;
        let period = fill(
            t.analysis.split_period,
            &[("from", &from.to_string()), ("to", &to.to_string())],
        );
        let body = match (
            split.numerator_effect,
            split.denominator_effect,
            split.change,
        ) {
            (Some(n), Some(d), Some(change)) => {
                let (numerator, denominator) = part_names(&kpi, state, t);
                let moved = |p: Option<f64>| movement_words(Movement::Percent(p), 1, t);
                let (a, b) = (split.value_from, split.value_to);
                let series =
                    [a, b].map(|v| v.map_or(Value::Missing(Reason::NoRecord), Value::Number));
                let change_words =
                    Trend::of(&[(from, &series[0]), (to, &series[1])], to, &kpi.unit)
                        .map(|tr| movement_words(tr.movement, decimals, t))
                        .filter(|w| !w.is_empty())
                        .unwrap_or_else(|| format_signed(change, decimals));
                let sentence = fill(
                    t.analysis.split_sentence,
                    &[
                        ("change", &change_words),
                        ("numerator", &numerator),
                        ("numerator_change", &moved(split.numerator_percent())),
                        ("denominator", &denominator),
                        ("denominator_change", &moved(split.denominator_percent())),
                    ],
                );
                let effects = fill(
                    t.analysis.split_effects,
                    &[
                        ("numerator_effect", &format_signed(n, decimals)),
                        ("denominator_effect", &format_signed(d, decimals)),
                    ],
                );
                view! {
                    <p class="split-sentence">{sentence}</p>
                    <p class="split-effects">{effects}</p>
                    <EffectBars
                        numerator=n
                        denominator=d
                        decimals=decimals
                        labels=(t.analysis.split_bar_numerator, t.analysis.split_bar_denominator)
                    />
                }
                .into_any()
            }
            _ => {
                let reason = match &split.reason {
                    Some(NoSplit::NotARatio) => t.analysis.split_not_ratio.to_string(),
                    Some(NoSplit::Missing { year, reason }) => fill(
                        t.analysis.split_missing,
                        &[
                            ("year", &year.to_string()),
                            ("reason", &reason_words(reason, t)),
                        ],
                    ),
                    None => String::new(),
                };
                view! { <p class="split-none">{reason}</p> }.into_any()
            }
        };
        let figure = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
        Some(view! {
            <div
                class="change-split"
                data-testid="change-split"
                data-kpi=kpi.id.clone()
                data-from=from
                data-to=to
                data-change=figure(split.change)
                data-numerator-effect=figure(split.numerator_effect)
                data-denominator-effect=figure(split.denominator_effect)
            >
                <p class="split-heading">
                    <strong>{t.analysis.split_heading}</strong>
                    " ("
                    {period}
                    ")"
                </p>
                {body}
            </div>
        })
    }
}

/// Two horizontal bars from a common zero line: the numerator's and the denominator's effect,
/// each labelled with its name and value (so colour is no cue of its own).
#[component]
fn EffectBars(
    /// The numerator's effect, in the KPI's unit.
    numerator: f64,
    /// The denominator's effect.
    denominator: f64,
    /// The KPI's decimals.
    decimals: usize,
    /// The bars' names.
    labels: (&'static str, &'static str),
) -> impl IntoView {
    const WIDTH: f64 = 240.0;
    const BAR: f64 = 12.0;
    let largest = numerator.abs().max(denominator.abs());
    let half = WIDTH / 2.0 - 4.0;
    let zero = WIDTH / 2.0;
    let length = |x: f64| {
        if largest > 0.0 {
            x / largest * half
        } else {
            0.0
        }
    };
    let bar = |i: usize, x: f64, name: &'static str| {
        let l = length(x);
        let (start, end) = if l < 0.0 {
            (zero + l, zero)
        } else {
            (zero, zero + l)
        };
        let y = 4.0 + i as f64 * (BAR + 18.0);
        let text = format!("{name}: {}", format_signed(x, decimals));
        let aria = text.clone();
        view! {
            <g role="listitem" aria-label=aria>
                <text x=format!("{:.1}", zero) y=format!("{:.1}", y + 10.0) text-anchor="middle" font-size="10" fill="#595959">
                    {text}
                </text>
                <rect
                    x=format!("{start:.1}")
                    y=format!("{:.1}", y + 14.0)
                    width=format!("{:.1}", (end - start).max(1.0))
                    height=format!("{BAR:.1}")
                    class=if x < 0.0 { "effect-bar negative" } else { "effect-bar positive" }
                />
            </g>
        }
    };
    let height = 2.0 * (BAR + 18.0) + 6.0;
    view! {
        <svg class="effect-bars" viewBox=format!("0 0 {WIDTH} {height}") role="list" aria-label=format!("{} / {}", labels.0, labels.1)>
            {bar(0, numerator, labels.0)}
            {bar(1, denominator, labels.1)}
            <line x1=format!("{zero:.1}") x2=format!("{zero:.1}") y1="14" y2=format!("{:.1}", height) stroke="#1A1A1A" stroke-width="1" />
        </svg>
    }
}
