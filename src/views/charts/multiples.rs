//! Small multiples: one small time series per KPI (own line, median, interquartile band), each
//! with its own scale, as an overview; a panel can pick its KPI for the larger charts.

use leptos::prelude::*;
use vergleichsring_core::Multiple;

use super::frame::{
    diamond, judgement_class, judgement_words, num, px, value_cell, year_scale, ChartFrame, Scale,
    YearPoint, BAND, OWN, PEER, TEXT_2,
};
use crate::i18n::ChartTexts;

const WIDTH: f64 = 220.0;
const HEIGHT: f64 = 70.0;

/// A grid of small time series, one per KPI.
#[component]
pub fn SmallMultiples(
    /// What is shown and the period.
    heading: String,
    /// A sentence saying what the panels show.
    desc: String,
    /// The own municipality's name as shown (column of the table alternative).
    own_name: String,
    /// The panels.
    panels: Vec<Multiple>,
    /// Called with the KPI id when a panel is chosen; without it the panels are not buttons.
    #[prop(optional)]
    on_select: Option<Callback<String>>,
    /// The KPI shown elsewhere, marked as pressed.
    #[prop(optional, into)]
    selected: Option<Signal<String>>,
    /// The chart's strings.
    texts: &'static ChartTexts,
) -> impl IntoView {
    let table = multiples_table(&panels, &own_name, texts);
    let cells = panels
        .into_iter()
        .map(|panel| {
            let value = panel
                .own_value
                .map(|v| format!("{} {}", num(v, panel.decimals), panel.unit))
                .unwrap_or_else(|| "–".into());
            let verdict = panel.judgement.map(|j| {
                view! { <span class=format!("judgement {}", judgement_class(j))>{judgement_words(j, texts)}</span> }
            });
            let body = view! {
                <span class="multiple-label">{panel.label.clone()}</span>
                <span class="multiple-value">{value} " " {verdict}</span>
                {mini_series(&panel.points)}
            };
            let kpi = panel.kpi.clone();
            let pressed = move || selected.map(|s| s.with(|k| *k == kpi).to_string());
            match on_select {
                Some(select) => {
                    let kpi = panel.kpi.clone();
                    view! {
                        <li>
                            <button
                                type="button"
                                class="multiple"
                                aria-pressed=pressed
                                on:click=move |_| select.run(kpi.clone())
                            >
                                {body}
                            </button>
                        </li>
                    }
                    .into_any()
                }
                None => view! { <li><div class="multiple">{body}</div></li> }.into_any(),
            }
        })
        .collect_view();
    view! {
        <ChartFrame heading=heading texts=texts table=table>
            <p class="chart-desc">{desc}</p>
            <ul class="multiples">{cells}</ul>
        </ChartFrame>
    }
}

/// The small chart of a panel; the panel's text says what it shows, so it is hidden from
/// screen readers.
fn mini_series(points: &[YearPoint]) -> Option<impl IntoView> {
    let first = points.first()?.year;
    let last = points.last()?.year;
    let values: Vec<f64> = points
        .iter()
        .flat_map(|p| [p.own, p.median, p.q1, p.q3])
        .flatten()
        .collect();
    let lo = values.iter().copied().reduce(f64::min)?;
    let hi = values.iter().copied().reduce(f64::max)?;
    let y = Scale::nice(lo, hi, (HEIGHT - 4.0, 4.0));
    let x = year_scale(first, last, 6.0, WIDTH - 6.0);
    let line = |pick: fn(&YearPoint) -> Option<f64>| {
        points
            .iter()
            .filter_map(|p| Some(format!("{},{}", px(x(p.year)), px(y.at(pick(p)?)))))
            .collect::<Vec<_>>()
    };
    let upper = line(|p| p.q3);
    let mut band = upper.clone();
    band.extend(line(|p| p.q1).into_iter().rev());
    let end = points
        .iter()
        .rev()
        .find_map(|p| Some((p.year, p.own?)))
        .map(|(year, v)| {
            let (cx, cy) = (x(year), y.at(v));
            diamond(cx, cy, 4.0)
        });
    Some(view! {
        <svg class="mini" viewBox=format!("0 0 {WIDTH} {HEIGHT}") aria-hidden="true" focusable="false">
            <polygon points=band.join(" ") fill=BAND />
            <polyline points=upper.join(" ") fill="none" stroke=TEXT_2 stroke-dasharray="4 3" />
            <polyline points=line(|p| p.q1).join(" ") fill="none" stroke=TEXT_2 stroke-dasharray="4 3" />
            <polyline points=line(|p| p.median).join(" ") fill="none" stroke=PEER stroke-width="1.5" />
            <polyline points=line(|p| p.own).join(" ") fill="none" stroke=OWN stroke-width="2.5" />
            {end}
        </svg>
    })
}

fn multiples_table(panels: &[Multiple], own_name: &str, texts: &'static ChartTexts) -> AnyView {
    let years: Vec<i32> = panels
        .first()
        .map(|p| p.points.iter().map(|q| q.year).collect())
        .unwrap_or_default();
    let head = years
        .iter()
        .map(|y| view! { <th scope="col">{*y}</th> })
        .collect_view();
    let rows = panels
        .iter()
        .flat_map(|p| {
            let own = format!("{} – ◆ {own_name}", p.label);
            let median = format!("{} – {}", p.label, texts.median);
            [
                (
                    own,
                    p.points.iter().map(|q| q.own).collect::<Vec<_>>(),
                    p.decimals,
                ),
                (
                    median,
                    p.points.iter().map(|q| q.median).collect(),
                    p.decimals,
                ),
            ]
        })
        .map(|(name, values, decimals)| {
            let cells = values
                .into_iter()
                .map(|v| value_cell(v, decimals))
                .collect_view();
            view! { <tr><th scope="row">{name}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <table class="data-table">
            <thead>
                <tr>
                    <th scope="col">{texts.kpi}</th>
                    {head}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
