//! The small trend chart of the short report: the own values over the years against the peer
//! median and its interquartile band, the events as numbered marks, and the target as a dashed
//! line up to its due year. Sized for a third of an A4 page; a picture (`role="img"`) whose
//! `<desc>` carries every number, since the page is read on paper as much as on screen.
//!
//! What is drawn where comes from the core's [`TrendModel`], which also writes the same chart
//! as an SVG string for the reports of `vergleichsring report` and "Berichte für alle": this
//! component only places its marks.

use leptos::prelude::*;
use vergleichsring_core::chart::{
    diamond_points, px, Label, TrendModel, BAND, OWN, PEER, TEXT, TEXT_2,
};

use super::frame::{next_id, TargetLine, YearPoint};

fn text(l: Label) -> impl IntoView {
    view! {
        <text
            x=px(l.x)
            y=px(l.y)
            text-anchor=l.anchor
            font-size="10"
            font-weight=if l.bold { "700" } else { "400" }
            fill=l.colour
        >
            {l.text}
        </text>
    }
}

/// The trend chart.
#[component]
pub fn TrendChart(
    /// What is shown, unit and period (the SVG's title).
    title: String,
    /// Every number of the chart in words.
    desc: String,
    /// One point per year, ascending.
    points: Vec<YearPoint>,
    /// Numbered events (number, year); those outside the chart's years are left out.
    #[prop(default = Vec::new())]
    events: Vec<(usize, i32)>,
    /// The own municipality's target, if it has one.
    #[prop(default = None)]
    target: Option<TargetLine>,
    /// Decimals of the values.
    decimals: usize,
    /// The word at the median's label.
    median_label: &'static str,
) -> impl IntoView {
    let title_id = next_id("trend-title");
    let desc_id = next_id("trend-desc");
    let m = TrendModel::new(
        title,
        desc,
        &points,
        &events,
        target.as_ref(),
        decimals,
        median_label,
    );
    let grid = m
        .grid
        .into_iter()
        .map(|g| {
            view! {
                <line x1=px(g.from.0) x2=px(g.to.0) y1=px(g.from.1) y2=px(g.to.1) stroke="#BDBDBD" stroke-width="0.75" />
            }
        })
        .collect_view();
    let ticks = m.ticks.into_iter().map(text).collect_view();
    let band = (!m.band.trim().is_empty()).then(|| {
        let [upper, lower] = m.band_edges;
        view! {
            <polygon points=m.band fill=BAND />
            <polyline points=upper fill="none" stroke=TEXT_2 stroke-width="1" stroke-dasharray="4 3" />
            <polyline points=lower fill="none" stroke=TEXT_2 stroke-width="1" stroke-dasharray="4 3" />
        }
    });
    let median_marks = m
        .median_dots
        .into_iter()
        .map(|(cx, cy)| view! { <circle cx=px(cx) cy=px(cy) r="2.5" fill=PEER /> })
        .collect_view();
    let own_marks = m
        .own_marks
        .into_iter()
        .map(|(cx, cy)| view! { <polygon points=diamond_points(cx, cy, 3.0) fill=OWN /> })
        .collect_view();
    let event_marks = m
        .events
        .into_iter()
        .map(|(line, number)| {
            view! {
                <line x1=px(line.from.0) x2=px(line.to.0) y1=px(line.from.1) y2=px(line.to.1) stroke=TEXT stroke-width="0.75" stroke-dasharray="2 2" />
                {text(number)}
            }
        })
        .collect_view();
    let target_marks = m.target.map(|(line, end)| {
        view! {
            <line x1=px(line.from.0) x2=px(line.to.0) y1=px(line.from.1) y2=px(line.to.1) stroke=TEXT stroke-width="1.5" stroke-dasharray="5 3" />
            <line x1=px(end.from.0) x2=px(end.to.0) y1=px(end.from.1) y2=px(end.to.1) stroke=TEXT stroke-width="1.5" />
        }
    });
    let end_labels = m.end_labels.into_iter().map(text).collect_view();
    view! {
        <svg
            class="trend-chart"
            viewBox=format!("0 0 {} {}", m.width, m.height)
            role="img"
            aria-labelledby=title_id.clone()
            aria-describedby=desc_id.clone()
        >
            <title id=title_id.clone()>{m.title}</title>
            <desc id=desc_id.clone()>{m.desc}</desc>
            {grid}
            {ticks}
            {band}
            <polyline points=m.median_line fill="none" stroke=PEER stroke-width="1.75" />
            {median_marks}
            {event_marks}
            {target_marks}
            <polyline points=m.own_line fill="none" stroke=OWN stroke-width="2.5" />
            {own_marks}
            {end_labels}
        </svg>
    }
}
