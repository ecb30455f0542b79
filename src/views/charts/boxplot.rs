//! The box and strip plot of one KPI: the group's quartiles as a box, minimum and maximum as
//! whiskers, every municipality as a dot, the own one as a labelled diamond.

use leptos::prelude::*;
use vergleichsring_core::Summary;

use super::frame::{
    diamond, framed, num, px, value_cell, Bar, Canvas, ChartFrame, Labels, Scale, BAND, GRID, OWN,
    PEER, TEXT, TEXT_2,
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
    /// Fill the chart's box (the workshop's screen) instead of the page's width.
    #[prop(optional)]
    fit: bool,
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
    // Dots in three rows, so neighbours with close values stay apart; the own one on top.
    let mut dots = dots;
    dots.sort_by(|a, b| a.own.cmp(&b.own).then(a.value.total_cmp(&b.value)));
    let plot = Plot {
        summary,
        range: (min, max),
        dots,
        decimals,
        labels: Labels::new("box", &heading, desc),
        texts,
    };
    framed(
        heading,
        texts,
        table,
        fit,
        move |canvas| plot.svg(canvas),
        (),
    )
}

/// Everything a box plot draws.
struct Plot {
    summary: Summary,
    /// Minimum and maximum.
    range: (f64, f64),
    /// Sorted: the own one last, so that it is drawn on top.
    dots: Vec<Bar>,
    decimals: usize,
    labels: Labels,
    texts: &'static ChartTexts,
}

impl Plot {
    fn svg(&self, canvas: Option<Canvas>) -> AnyView {
        let (texts, decimals, summary) = (self.texts, self.decimals, &self.summary);
        let (min, max) = self.range;
        // Fitted: type and marks grow with the type size `s`.
        let (width, height, s) = match canvas {
            Some(c) => (c.width, c.height.max(HEIGHT * c.scale()), c.scale()),
            None => (WIDTH, HEIGHT, 1.0),
        };
        // Fitted, the own label moves up under its diamond: the rows spread over the height
        // down to the axis labels.
        let sy = match canvas {
            Some(_) => height / (AXIS + 22.0),
            None => 1.0,
        };
        let (box_top, box_bottom, dots_y) = (BOX_TOP * sy, BOX_BOTTOM * sy, DOTS * sy);
        let (font, tick_font) = (13.0 * s, 12.0 * s);
        // The own label sits under the axis at the natural size; fitted, where the rows have
        // spread apart, right under its diamond, the axis below it.
        let (axis_y, own_label_y) = match canvas {
            None => (AXIS, HEIGHT - 4.0),
            Some(_) => {
                let label = dots_y + 24.0 * s + font * 1.2;
                ((label + font * 0.8).max(AXIS * sy), label)
            }
        };
        let x = Scale::nice(min, max, (LEFT * s, width - RIGHT * s));
        let (ticks, tick_decimals) = x.ticks();
        let axis = ticks
            .into_iter()
            .map(|t| {
                view! {
                    <g aria-hidden="true">
                        <line x1=px(x.at(t)) x2=px(x.at(t)) y1=px(box_top - 8.0 * s) y2=px(axis_y) stroke=GRID />
                        <text x=px(x.at(t)) y=px(axis_y + 16.0 * s) text-anchor="middle" font-size=px(tick_font) fill=TEXT_2>
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
        let mid = (box_top + box_bottom) / 2.0;
        let the_box = match (summary.q1, summary.median, summary.q3) {
            (Some(q1), Some(median), Some(q3)) => Some(view! {
                <g class="mark" tabindex="0" role="img" aria-label=box_label.clone()>
                    <title>{box_label.clone()}</title>
                    <line x1=px(x.at(min)) x2=px(x.at(q1)) y1=px(mid) y2=px(mid) stroke=TEXT_2 stroke-width="1.5" />
                    <line x1=px(x.at(q3)) x2=px(x.at(max)) y1=px(mid) y2=px(mid) stroke=TEXT_2 stroke-width="1.5" />
                    <line x1=px(x.at(min)) x2=px(x.at(min)) y1=px(mid - 8.0 * s) y2=px(mid + 8.0 * s) stroke=TEXT_2 stroke-width="1.5" />
                    <line x1=px(x.at(max)) x2=px(x.at(max)) y1=px(mid - 8.0 * s) y2=px(mid + 8.0 * s) stroke=TEXT_2 stroke-width="1.5" />
                    <rect
                        x=px(x.at(q1))
                        y=px(box_top)
                        width=px((x.at(q3) - x.at(q1)).max(1.0))
                        height=px(box_bottom - box_top)
                        fill=BAND
                        stroke=TEXT_2
                        stroke-width="1.5"
                        stroke-dasharray="6 4"
                    />
                    <line x1=px(x.at(median)) x2=px(x.at(median)) y1=px(box_top) y2=px(box_bottom) stroke=TEXT stroke-width=px(3.0 * s) />
                    <text x=px(x.at(median)) y=px(box_top - 8.0 * s) text-anchor="middle" font-size=px(tick_font) fill=TEXT>
                        {format!("{} {}", texts.median, num(median, decimals))}
                    </text>
                </g>
            }),
            _ => None,
        };
        let marks = self
            .dots
            .iter()
            .enumerate()
            .map(|(i, dot)| {
                let cx = x.at(dot.value);
                let cy = dots_y + (i % 3) as f64 * 10.0 * s;
                let value = num(dot.value, decimals);
                if dot.own {
                    let label = format!("◆ {} ({}): {value}", dot.name, texts.own);
                    let anchor = if cx < width * 0.2 {
                        "start"
                    } else if cx > width * 0.8 {
                        "end"
                    } else {
                        "middle"
                    };
                    let centre = dots_y + 10.0 * s;
                    view! {
                        <g class="mark own" tabindex="0" role="img" aria-label=label.clone()>
                            <title>{label.clone()}</title>
                            <line x1=px(cx) x2=px(cx) y1=px(box_top - 4.0 * s) y2=px(dots_y + 24.0 * s) stroke=OWN stroke-width=px(2.0 * s) />
                            {diamond(cx, centre, 7.0 * s)}
                            <text x=px(cx) y=px(own_label_y) text-anchor=anchor font-size=px(font) font-weight="700" fill=OWN>
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
                            <circle cx=px(cx) cy=px(cy) r=px(5.0 * s) fill=PEER fill-opacity="0.85" />
                        </g>
                    }
                    .into_any()
                }
            })
            .collect_view();
        self.labels.svg(
            width,
            height,
            view! {
                {axis}
                {the_box}
                {marks}
            },
        )
    }
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
