//! The small trend chart of the short report: the own values over the years against the peer
//! median and its interquartile band, the events as numbered marks, and the target as a dashed
//! line up to its due year. Sized for a third of an A4 page; a picture (`role="img"`) whose
//! `<desc>` carries every number, since the page is read on paper as much as on screen.

use std::collections::BTreeMap;

use leptos::prelude::*;

use super::{
    axis_margin, band_points, diamond, line_points, next_id, num, px, spread_labels, value_range,
    year_scale, Scale, YearPoint, BAND, OWN, PEER, TEXT, TEXT_2,
};

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 92.0;
const LEFT: f64 = 34.0;
const RIGHT: f64 = 96.0;
const TOP: f64 = 18.0;
const BOTTOM: f64 = 18.0;

/// A target drawn on a trend: its value from the baseline year to the due year.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetLine {
    /// The value to reach.
    pub value: f64,
    /// The baseline year (where the line starts).
    pub from: i32,
    /// The due year (where it ends, marked).
    pub due: i32,
    /// Its direct label ("Ziel 8,00 (2027)").
    pub label: String,
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
    let first = points.first().map(|p| p.year);
    let last = points
        .last()
        .map(|p| p.year)
        .max(target.as_ref().map(|t| t.due));
    let (Some(first), Some(last)) = (first, last) else {
        return view! {
            <svg class="trend-chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby=title_id.clone() aria-describedby=desc_id.clone()>
                <title id=title_id.clone()>{title}</title>
                <desc id=desc_id.clone()>{desc}</desc>
            </svg>
        }
        .into_any();
    };
    let (lo, hi) = value_range(&points, target.as_ref().map(|t| t.value));
    let y = Scale::nice(lo, hi, (HEIGHT - BOTTOM, TOP));
    let bottom = HEIGHT - BOTTOM;

    // Only the ends of the scale: a third of a page has no room for a full axis.
    let (ticks, tick_decimals) = y.ticks();
    let ends: Vec<f64> = match (ticks.first(), ticks.last()) {
        (Some(&a), Some(&b)) if a != b => vec![a, b],
        (Some(&a), _) => vec![a],
        _ => Vec::new(),
    };
    let left = axis_margin(&ends, tick_decimals, 10.0, 6.0, LEFT);
    let x = year_scale(first, last, left, WIDTH - RIGHT);
    let grid = ends
        .into_iter()
        .map(|t| {
            view! {
                <line x1=px(left) x2=px(WIDTH - RIGHT) y1=px(y.at(t)) y2=px(y.at(t)) stroke="#BDBDBD" stroke-width="0.75" />
                <text x=px(left - 4.0) y=px(y.at(t) + 3.5) text-anchor="end" font-size="10" fill=TEXT_2>
                    {num(t, tick_decimals)}
                </text>
            }
        })
        .collect_view();
    let step = ((last - first + 1) as usize).div_ceil(7).max(1);
    let years = (first..=last)
        .step_by(step)
        .chain(((last - first) % step as i32 != 0).then_some(last))
        .map(|year| {
            view! {
                <text x=px(x(year)) y=px(bottom + 13.0) text-anchor="middle" font-size="10" fill=TEXT_2>
                    {year}
                </text>
            }
        })
        .collect_view();

    let (band, upper, lower) = band_points(&points, x, &y);
    let median_line = line_points(&points, |p| p.median, x, &y);
    let own_line = line_points(&points, |p| p.own, x, &y);
    // Dots as well as the line, so a single year still shows its median.
    let median_marks = points
        .iter()
        .filter_map(|p| Some((x(p.year), y.at(p.median?))))
        .map(|(cx, cy)| view! { <circle cx=px(cx) cy=px(cy) r="2.5" fill=PEER /> })
        .collect_view();
    let own_marks = points
        .iter()
        .filter_map(|p| Some((x(p.year), y.at(p.own?))))
        .map(|(cx, cy)| diamond(cx, cy, 3.0))
        .collect_view();

    let mut by_year: BTreeMap<i32, Vec<String>> = BTreeMap::new();
    for (number, year) in events.iter().filter(|(_, y)| (first..=last).contains(y)) {
        by_year.entry(*year).or_default().push(number.to_string());
    }
    let event_marks = by_year
        .into_iter()
        .map(|(year, numbers)| {
            let at = x(year);
            view! {
                <line x1=px(at) x2=px(at) y1=px(TOP - 4.0) y2=px(bottom) stroke=TEXT stroke-width="0.75" stroke-dasharray="2 2" />
                <text x=px(at) y=px(TOP - 7.0) text-anchor="middle" font-size="10" font-weight="700" fill=TEXT>
                    {numbers.join(",")}
                </text>
            }
        })
        .collect_view();

    let target_marks = target.as_ref().map(|t| {
        let (x1, x2, ty) = (x(t.from.max(first)), x(t.due), y.at(t.value));
        view! {
            <line x1=px(x1) x2=px(x2) y1=px(ty) y2=px(ty) stroke=TEXT stroke-width="1.5" stroke-dasharray="5 3" />
            <line x1=px(x2) x2=px(x2) y1=px(ty - 5.0) y2=px(ty + 5.0) stroke=TEXT stroke-width="1.5" />
        }
    });

    // Direct labels right of the plot, moved apart where they would overlap.
    let last_of = |pick: fn(&YearPoint) -> Option<f64>| points.iter().rev().find_map(pick);
    let mut labels: Vec<(String, f64, &str, &str)> = Vec::new();
    if let Some(v) = last_of(|p| p.own) {
        labels.push((format!("◆ {}", num(v, decimals)), y.at(v), OWN, "700"));
    }
    if let Some(v) = last_of(|p| p.median) {
        labels.push((
            format!("{median_label} {}", num(v, decimals)),
            y.at(v),
            TEXT,
            "400",
        ));
    }
    if let Some(t) = &target {
        labels.push((t.label.clone(), y.at(t.value), TEXT, "400"));
    }
    let placed = spread_labels(&labels.iter().map(|l| l.1).collect::<Vec<_>>(), 12.0);
    let end_labels = labels
        .into_iter()
        .zip(placed)
        .map(|((text, _, colour, weight), at)| {
            view! {
                <text x=px(WIDTH - RIGHT + 6.0) y=px(at + 3.5) font-size="10" font-weight=weight fill=colour>
                    {text}
                </text>
            }
        })
        .collect_view();

    view! {
        <svg
            class="trend-chart"
            viewBox=format!("0 0 {WIDTH} {HEIGHT}")
            role="img"
            aria-labelledby=title_id.clone()
            aria-describedby=desc_id.clone()
        >
            <title id=title_id.clone()>{title}</title>
            <desc id=desc_id.clone()>{desc}</desc>
            {grid}
            {years}
            <polygon points=band fill=BAND />
            <polyline points=upper fill="none" stroke=TEXT_2 stroke-width="1" stroke-dasharray="4 3" />
            <polyline points=lower fill="none" stroke=TEXT_2 stroke-width="1" stroke-dasharray="4 3" />
            <polyline points=median_line fill="none" stroke=PEER stroke-width="1.75" />
            {median_marks}
            {event_marks}
            {target_marks}
            <polyline points=own_line fill="none" stroke=OWN stroke-width="2.5" />
            {own_marks}
            {end_labels}
        </svg>
    }
    .into_any()
}
