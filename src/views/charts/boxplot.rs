//! The box and strip plot of one KPI: the group's quartiles as a box, minimum and maximum as
//! whiskers, every municipality as a dot, the own one as a labelled diamond.

use leptos::prelude::*;
use vergleichsring_core::Summary;

use super::{
    next_id, num, px, value_cell, Bar, ChartFrame, Scale, BAND, GRID, OWN, PEER, TEXT, TEXT_2,
};
use crate::i18n::ChartTexts;

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 190.0;
const LEFT: f64 = 30.0;
const RIGHT: f64 = 30.0;
const BOX_TOP: f64 = 40.0;
const BOX_BOTTOM: f64 = 84.0;
const DOTS: f64 = 108.0;
const AXIS: f64 = 150.0;

/// A box plot with the values as a strip of dots.
#[component]
pub fn BoxPlot(
    /// What is shown, unit and year.
    heading: String,
    /// A sentence saying what the chart shows.
    desc: String,
    /// The group's statistics (quartiles needed for the box).
    summary: Summary,
    /// The values, one per municipality.
    dots: Vec<Bar>,
    /// Decimals of the values.
    decimals: usize,
    /// The chart's strings.
    texts: &'static ChartTexts,
) -> impl IntoView {
    let table = box_table(&summary, &dots, decimals, texts);
    let (Some(min), Some(max)) = (summary.min, summary.max) else {
        return view! {
            <ChartFrame heading=heading texts=texts table=table>
                <p class="chart-note">{texts.no_values}</p>
            </ChartFrame>
        }
        .into_any();
    };
    let x = Scale::nice(min, max, (LEFT, WIDTH - RIGHT));
    let (ticks, tick_decimals) = x.ticks();
    let axis = ticks
        .into_iter()
        .map(|t| {
            view! {
                <g aria-hidden="true">
                    <line x1=px(x.at(t)) x2=px(x.at(t)) y1=px(BOX_TOP - 8.0) y2=px(AXIS) stroke=GRID />
                    <text x=px(x.at(t)) y=px(AXIS + 16.0) text-anchor="middle" font-size="12" fill=TEXT_2>
                        {num(t, tick_decimals)}
                    </text>
                </g>
            }
        })
        .collect_view();
    let stat = |name: &str, v: Option<f64>| v.map(|v| format!("{name} {}", num(v, decimals)));
    let box_label = [
        stat(texts.min, summary.min),
        stat(texts.q1, summary.q1),
        stat(texts.median, summary.median),
        stat(texts.q3, summary.q3),
        stat(texts.max, summary.max),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let mid = (BOX_TOP + BOX_BOTTOM) / 2.0;
    let the_box = match (summary.q1, summary.median, summary.q3) {
        (Some(q1), Some(median), Some(q3)) => Some(view! {
            <g class="mark" tabindex="0" role="img" aria-label=box_label.clone()>
                <title>{box_label.clone()}</title>
                <line x1=px(x.at(min)) x2=px(x.at(q1)) y1=px(mid) y2=px(mid) stroke=TEXT_2 stroke-width="1.5" />
                <line x1=px(x.at(q3)) x2=px(x.at(max)) y1=px(mid) y2=px(mid) stroke=TEXT_2 stroke-width="1.5" />
                <line x1=px(x.at(min)) x2=px(x.at(min)) y1=px(mid - 8.0) y2=px(mid + 8.0) stroke=TEXT_2 stroke-width="1.5" />
                <line x1=px(x.at(max)) x2=px(x.at(max)) y1=px(mid - 8.0) y2=px(mid + 8.0) stroke=TEXT_2 stroke-width="1.5" />
                <rect
                    x=px(x.at(q1))
                    y=px(BOX_TOP)
                    width=px((x.at(q3) - x.at(q1)).max(1.0))
                    height=px(BOX_BOTTOM - BOX_TOP)
                    fill=BAND
                    stroke=TEXT_2
                    stroke-width="1.5"
                    stroke-dasharray="6 4"
                />
                <line x1=px(x.at(median)) x2=px(x.at(median)) y1=px(BOX_TOP) y2=px(BOX_BOTTOM) stroke=TEXT stroke-width="3" />
                <text x=px(x.at(median)) y=px(BOX_TOP - 8.0) text-anchor="middle" font-size="12" fill=TEXT>
                    {format!("{} {}", texts.median, num(median, decimals))}
                </text>
            </g>
        }),
        _ => None,
    };
    // Dots in three rows, so neighbours with close values stay apart; the own one on top.
    let mut dots = dots;
    dots.sort_by(|a, b| a.own.cmp(&b.own).then(a.value.total_cmp(&b.value)));
    let marks = dots
        .iter()
        .enumerate()
        .map(|(i, dot)| {
            let cx = x.at(dot.value);
            let cy = DOTS + (i % 3) as f64 * 10.0;
            let value = num(dot.value, decimals);
            if dot.own {
                let label = format!("◆ {} ({}): {value}", dot.name, texts.own);
                let anchor = if cx < WIDTH * 0.2 {
                    "start"
                } else if cx > WIDTH * 0.8 {
                    "end"
                } else {
                    "middle"
                };
                view! {
                    <g class="mark own" tabindex="0" role="img" aria-label=label.clone()>
                        <title>{label.clone()}</title>
                        <line x1=px(cx) x2=px(cx) y1=px(BOX_TOP - 4.0) y2=px(DOTS + 24.0) stroke=OWN stroke-width="2" />
                        <rect
                            x=px(cx - 7.0)
                            y=px(DOTS + 3.0)
                            width="14"
                            height="14"
                            fill=OWN
                            transform=format!("rotate(45 {} {})", px(cx), px(DOTS + 10.0))
                        />
                        <text x=px(cx) y=px(HEIGHT - 4.0) text-anchor=anchor font-size="13" font-weight="700" fill=OWN>
                            {format!("◆ {} {value}", dot.name)}
                        </text>
                    </g>
                }
                .into_any()
            } else {
                let label = format!("{}: {value}", dot.name);
                view! {
                    <g class="mark" tabindex="0" role="img" aria-label=label.clone()>
                        <title>{label.clone()}</title>
                        <circle cx=px(cx) cy=px(cy) r="5" fill=PEER fill-opacity="0.85" />
                    </g>
                }
                .into_any()
            }
        })
        .collect_view();
    let title_id = next_id("box-title");
    let desc_id = next_id("box-desc");
    view! {
        <ChartFrame heading=heading.clone() texts=texts table=table>
            <svg
                class="chart-svg"
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="group"
                aria-labelledby=title_id.clone()
                aria-describedby=desc_id.clone()
            >
                <title id=title_id.clone()>{heading.clone()}</title>
                <desc id=desc_id.clone()>{desc.clone()}</desc>
                {axis}
                {the_box}
                {marks}
            </svg>
        </ChartFrame>
    }
    .into_any()
}

fn box_table(
    summary: &Summary,
    dots: &[Bar],
    decimals: usize,
    texts: &'static ChartTexts,
) -> AnyView {
    let stats = [
        (texts.min, summary.min),
        (texts.q1, summary.q1),
        (texts.median, summary.median),
        (texts.q3, summary.q3),
        (texts.max, summary.max),
    ]
    .into_iter()
    .map(|(name, v)| view! { <tr><th scope="row">{name}</th>{value_cell(v, decimals)}</tr> })
    .collect_view();
    let mut dots = dots.to_vec();
    dots.sort_by(|a, b| a.value.total_cmp(&b.value));
    let values = dots
        .into_iter()
        .map(|d| {
            let name = if d.own { format!("◆ {}", d.name) } else { d.name };
            view! { <tr class:own=d.own><th scope="row">{name}</th>{value_cell(Some(d.value), decimals)}</tr> }
        })
        .collect_view();
    view! {
        <table class="data-table">
            <thead>
                <tr>
                    <th scope="col">{texts.name}</th>
                    <th scope="col">{texts.value}</th>
                </tr>
            </thead>
            <tbody>{stats}{values}</tbody>
        </table>
    }
    .into_any()
}
