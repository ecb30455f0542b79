//! The ranking: horizontal bars sorted by value, the best at the top by the KPI's `better`.

use leptos::prelude::*;
use vergleichsring_core::Better;

use super::{next_id, num, px, value_cell, Bar, ChartFrame, Scale, GRID, OWN, PEER, TEXT, TEXT_2};
use crate::i18n::{fill, ChartTexts};

const WIDTH: f64 = 760.0;
const LEFT: f64 = 200.0;
const RIGHT: f64 = 90.0;
const TOP: f64 = 26.0;
const BOTTOM: f64 = 30.0;
/// The bars share at most this height, so that a whole chart fits a projector's screen.
const BARS_MAX: f64 = 400.0;

/// A ranking bar chart. Bars start at a zero baseline; the own municipality is blue, bold,
/// directly labelled and marked ◆; the group's median is a dashed line written at its mark.
#[component]
pub fn RankingChart(
    /// What is shown, unit and year (the visible heading and the SVG's title).
    heading: String,
    /// A sentence saying what the chart shows (the SVG's description).
    desc: String,
    /// One bar per municipality with a value, in any order.
    bars: Vec<Bar>,
    /// Which direction is better: it decides the order (best at the top; neutral: highest).
    better: Better,
    /// The group's median, drawn as a line.
    median: Option<f64>,
    /// Decimals of the values.
    decimals: usize,
    /// Municipalities without a value, with the reason (listed under the chart).
    #[prop(default = Vec::new())]
    missing: Vec<String>,
    /// The chart's strings.
    texts: &'static ChartTexts,
) -> impl IntoView {
    let mut bars = bars;
    bars.sort_by(|a, b| {
        let order = a.value.total_cmp(&b.value);
        let order = if better == Better::Lower {
            order
        } else {
            order.reverse()
        };
        order.then_with(|| a.name.cmp(&b.name))
    });
    let table = ranking_table(&bars, decimals, &missing, texts);
    let title_id = next_id("ranking-title");
    let desc_id = next_id("ranking-desc");
    let n = bars.len().max(1) as f64;
    let row = (BARS_MAX / n).min(24.0);
    let every_name = row >= 12.0;
    let height = TOP + n * row + BOTTOM;
    let lo = bars.iter().map(|b| b.value).fold(0.0, f64::min);
    let hi = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let x = Scale::nice(lo, hi, (LEFT, WIDTH - RIGHT));
    let zero = x.at(0.0);
    let (ticks, tick_decimals) = x.ticks();
    let bottom = TOP + n * row;
    let grid = ticks
        .into_iter()
        .map(|t| {
            view! {
                <g aria-hidden="true">
                    <line x1=px(x.at(t)) x2=px(x.at(t)) y1=px(TOP) y2=px(bottom) stroke=GRID />
                    <text x=px(x.at(t)) y=px(bottom + 16.0) text-anchor="middle" fill=TEXT_2 font-size="12">
                        {num(t, tick_decimals)}
                    </text>
                </g>
            }
        })
        .collect_view();
    let marks = bars
        .iter()
        .enumerate()
        .map(|(i, bar)| {
            let y = TOP + i as f64 * row;
            let end = x.at(bar.value);
            let (left, right) = if end < zero { (end, zero) } else { (zero, end) };
            let value = num(bar.value, decimals);
            let name = if bar.own {
                format!("◆ {}", bar.name)
            } else {
                bar.name.clone()
            };
            let rank = fill(
                texts.rank_of,
                &[
                    ("rank", &(i + 1).to_string()),
                    ("n", &bars.len().to_string()),
                ],
            );
            let label = if bar.own {
                format!("{name} ({}): {value}, {}", texts.own, rank)
            } else {
                format!("{name}: {value}, {}", rank)
            };
            let (colour, weight) = if bar.own { (OWN, "700") } else { (PEER, "400") };
            let text_colour = if bar.own { OWN } else { TEXT };
            let value_x = if end < zero { left - 4.0 } else { right + 4.0 };
            let value_anchor = if end < zero { "end" } else { "start" };
            let mid = y + row / 2.0;
            let show_name = every_name || bar.own;
            view! {
                <g class="mark" class:own=bar.own tabindex="0" role="img" aria-label=label>
                    <rect
                        x=px(left)
                        y=px(y + row * 0.15)
                        width=px((right - left).max(1.0))
                        height=px(row * 0.7)
                        fill=colour
                    />
                    {show_name
                        .then(|| {
                            view! {
                                <text
                                    x=px(LEFT - 6.0)
                                    y=px(mid + 4.0)
                                    text-anchor="end"
                                    font-size="13"
                                    font-weight=weight
                                    fill=text_colour
                                >
                                    {name.clone()}
                                </text>
                                <text
                                    x=px(value_x)
                                    y=px(mid + 4.0)
                                    text-anchor=value_anchor
                                    paint-order="stroke"
                                    stroke="#FFFFFF"
                                    stroke-width="3"
                                    font-size="13"
                                    font-weight=weight
                                    fill=text_colour
                                >
                                    {value.clone()}
                                </text>
                            }
                        })}
                </g>
            }
        })
        .collect_view();
    let median_mark = median.map(|m| {
        let at = x.at(m);
        view! {
            <g aria-hidden="true">
                <line x1=px(at) x2=px(at) y1=px(TOP - 6.0) y2=px(bottom) stroke=TEXT stroke-width="1.5" stroke-dasharray="5 3" />
                <text x=px(at) y=px(TOP - 10.0) text-anchor="middle" font-size="12" fill=TEXT>
                    {format!("{} {}", texts.median, num(m, decimals))}
                </text>
            </g>
        }
    });
    let missing_note = (!missing.is_empty())
        .then(|| view! { <p class="chart-note">{format!("{}: {}", texts.without_value, missing.join(", "))}</p> });
    view! {
        <ChartFrame heading=heading.clone() texts=texts table=table>
            <svg
                class="chart-svg"
                viewBox=format!("0 0 {WIDTH} {}", px(height))
                role="group"
                aria-labelledby=title_id.clone()
                aria-describedby=desc_id.clone()
            >
                <title id=title_id.clone()>{heading.clone()}</title>
                <desc id=desc_id.clone()>{desc.clone()}</desc>
                {grid}
                {marks}
                <line x1=px(zero) x2=px(zero) y1=px(TOP) y2=px(bottom) stroke=TEXT stroke-width="1.5" aria-hidden="true" />
                {median_mark}
            </svg>
            {missing_note}
        </ChartFrame>
    }
}

fn ranking_table(
    bars: &[Bar],
    decimals: usize,
    missing: &[String],
    texts: &'static ChartTexts,
) -> AnyView {
    let rows = bars
        .iter()
        .enumerate()
        .map(|(i, bar)| {
            let name = if bar.own {
                format!("◆ {}", bar.name)
            } else {
                bar.name.clone()
            };
            view! {
                <tr class:own=bar.own>
                    <td class="num">{i + 1}</td>
                    <th scope="row">{name}</th>
                    {value_cell(Some(bar.value), decimals)}
                </tr>
            }
        })
        .collect_view();
    let missing = missing
        .iter()
        .map(|m| view! { <tr><td></td><th scope="row">{m.clone()}</th><td>{texts.without_value}</td></tr> })
        .collect_view();
    view! {
        <table class="data-table">
            <thead>
                <tr>
                    <th scope="col">"#"</th>
                    <th scope="col">{texts.name}</th>
                    <th scope="col">{texts.value}</th>
                </tr>
            </thead>
            <tbody>{rows}{missing}</tbody>
        </table>
    }
    .into_any()
}
