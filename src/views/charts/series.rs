//! The time series: the own value against the peer median with the interquartile band, and
//! the catalogue's events as labelled vertical marks.

use std::collections::BTreeMap;

use leptos::prelude::*;

use super::frame::{
    axis_margin, band_points, diamond, framed, line_points, num, px, spread_labels, text_width,
    value_cell, value_range, year_scale, Canvas, ChartFrame, EventMark, Labels, Scale, YearPoint,
    BAND, GRID, OWN, PEER, TEXT, TEXT_2,
};
use crate::i18n::ChartTexts;

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 330.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 190.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 32.0;

/// A time series chart. The own line is blue, bold, with ◆ marks; the median grey; the band
/// between the quartiles a light fill with dashed edges; every line is labelled at its end.
#[component]
pub fn TimeSeriesChart(
    /// What is shown, unit and period.
    heading: String,
    /// A sentence saying what the chart shows.
    desc: String,
    /// The own municipality's name as shown.
    own_name: String,
    /// One point per year, ascending.
    points: Vec<YearPoint>,
    /// Events to mark; those outside the years of `points` are left out.
    #[prop(default = Vec::new())]
    events: Vec<EventMark>,
    /// Decimals of the values.
    decimals: usize,
    /// The chart's strings.
    texts: &'static ChartTexts,
    /// Fill the chart's box (the workshop's screen) instead of the page's width.
    #[prop(optional)]
    fit: bool,
) -> impl IntoView {
    let table = series_table(&points, &own_name, decimals, texts);
    let (Some(first), Some(last)) = (
        points.first().map(|p| p.year),
        points.last().map(|p| p.year),
    ) else {
        return view! {
            <ChartFrame heading=heading texts=texts table=table>
                <p class="chart-note">{texts.no_values}</p>
            </ChartFrame>
        }
        .into_any();
    };

    // Events: one mark per year, numbered, its labels as the accessible name and tooltip.
    let mut by_year: BTreeMap<i32, Vec<String>> = BTreeMap::new();
    for e in events.iter().filter(|e| (first..=last).contains(&e.year)) {
        by_year.entry(e.year).or_default().push(e.label.clone());
    }
    let events: Vec<(usize, i32, String)> = by_year
        .into_iter()
        .enumerate()
        .map(|(i, (year, labels))| (i + 1, year, labels.join("; ")))
        .collect();
    let active = RwSignal::new(None::<i32>);
    let event_notes = (!events.is_empty()).then(|| {
        let items = events
            .iter()
            .map(|(number, year, text)| {
                let year = *year;
                view! {
                    <li class:active=move || active.get() == Some(year)>
                        <span class="event-number">{*number}</span>
                        {format!(" {year}: {text}")}
                    </li>
                }
            })
            .collect_view();
        view! {
            <div class="chart-events">
                <span class="chart-events-title">{texts.events}</span>
                <ol>{items}</ol>
            </div>
        }
    });
    let series = Series {
        points,
        events,
        active,
        own_name,
        decimals,
        labels: Labels::new("series", &heading, desc),
        texts,
    };
    let draw = move |canvas| series.svg(canvas);
    framed(heading, texts, table, fit, draw, event_notes)
}

/// Everything a time series draws; `points` not empty.
struct Series {
    points: Vec<YearPoint>,
    /// The events by number and year, with their labels.
    events: Vec<(usize, i32, String)>,
    /// The year of the event mark in focus or under the pointer (highlighted in the list).
    active: RwSignal<Option<i32>>,
    own_name: String,
    decimals: usize,
    labels: Labels,
    texts: &'static ChartTexts,
}

impl Series {
    fn svg(&self, canvas: Option<Canvas>) -> AnyView {
        let (texts, decimals, points, own_name) =
            (self.texts, self.decimals, &self.points, &self.own_name);
        let first = points.first().map_or(0, |p| p.year);
        let last = points.last().map_or(0, |p| p.year);
        let last_of = |pick: fn(&YearPoint) -> Option<f64>| points.iter().rev().find_map(pick);
        // A label with the value of its line's last year.
        let with_value = |label: String, pick: fn(&YearPoint) -> Option<f64>| {
            let v = last_of(pick);
            let value = v.map(|v| num(v, decimals)).unwrap_or_default();
            (format!("{label} {value}"), v)
        };
        let (own_text, own_last) = with_value(format!("◆ {own_name}"), |p| p.own);
        let (median_text, median_last) = with_value(texts.median.to_string(), |p| p.median);
        let end_texts: [(String, Option<f64>, &str, &str); 4] = [
            (own_text, own_last, OWN, "700"),
            (median_text, median_last, TEXT, "400"),
            (texts.q3.to_string(), last_of(|p| p.q3), TEXT_2, "400"),
            (texts.q1.to_string(), last_of(|p| p.q1), TEXT_2, "400"),
        ];
        // Fitted: every measure grows with the type; the end labels get the room they need.
        let (width, height, s) = match canvas {
            Some(c) => (c.width, c.height, c.scale()),
            None => (WIDTH, HEIGHT, 1.0),
        };
        let font = 13.0 * s;
        let tick_font = 12.0 * s;
        let right = match canvas {
            Some(c) => {
                let widest = end_texts
                    .iter()
                    .map(|(t, ..)| text_width(t, font))
                    .fold(0.0, f64::max);
                // The own label is bold: a tenth wider than the estimate.
                (widest * 1.1 + 16.0 * s).min(c.width * 0.4)
            }
            None => RIGHT,
        };
        let (top, bottom) = (TOP * s, height - BOTTOM * s);
        let (lo, hi) = value_range(points, None);
        let y = Scale::nice(lo, hi, (bottom, top));
        let (ticks, tick_decimals) = y.ticks();
        let left = axis_margin(&ticks, tick_decimals, tick_font, 10.0 * s, LEFT * s);
        let x = year_scale(first, last, left, width - right);

        let grid = ticks
            .into_iter()
            .map(|t| {
                view! {
                    <g aria-hidden="true">
                        <line x1=px(left) x2=px(width - right) y1=px(y.at(t)) y2=px(y.at(t)) stroke=GRID />
                        <text x=px(left - 6.0 * s) y=px(y.at(t) + 4.0 * s) text-anchor="end" font-size=px(tick_font) fill=TEXT_2>
                            {num(t, tick_decimals)}
                        </text>
                    </g>
                }
            })
            .collect_view();
        let years = points
            .iter()
            .map(|p| {
                view! {
                    <text x=px(x(p.year)) y=px(bottom + 20.0 * s) text-anchor="middle" font-size=px(tick_font) fill=TEXT_2 aria-hidden="true">
                        {p.year}
                    </text>
                }
            })
            .collect_view();

        // The band: upper quartiles left to right, then lower quartiles back.
        let (band_polygon, upper, lower) = band_points(points, x, &y);
        let own_line = line_points(points, |p| p.own, x, &y);
        let median_line = line_points(points, |p| p.median, x, &y);

        let median_marks = points
            .iter()
            .filter_map(|p| Some((p.year, p.median?)))
            .map(|(year, m)| {
                let label = format!("{} {year}: {}", texts.median, num(m, decimals));
                view! {
                    <g class="mark" tabindex="0" role="img" aria-label=label.clone()>
                        <title>{label.clone()}</title>
                        <circle cx=px(x(year)) cy=px(y.at(m)) r=px(4.0 * s) fill=PEER />
                    </g>
                }
            })
            .collect_view();
        let own_marks = points
            .iter()
            .filter_map(|p| Some((p.year, p.own?)))
            .map(|(year, v)| {
                let label = format!("◆ {own_name} {year}: {}", num(v, decimals));
                let (cx, cy) = (x(year), y.at(v));
                view! {
                    <g class="mark own" tabindex="0" role="img" aria-label=label.clone()>
                        <title>{label.clone()}</title>
                        {diamond(cx, cy, 5.0 * s)}
                    </g>
                }
            })
            .collect_view();

        // Direct labels at the last year with a value, moved apart where they would overlap.
        let labels: Vec<(String, f64, &str, &str)> = end_texts
            .into_iter()
            .filter_map(|(text, v, colour, weight)| Some((text, y.at(v?), colour, weight)))
            .collect();
        let placed = spread_labels(&labels.iter().map(|l| l.1).collect::<Vec<_>>(), 15.0 * s);
        let end_labels = labels
            .into_iter()
            .zip(placed)
            .map(|((text, _, colour, weight), at)| {
                view! {
                    <text x=px(width - right + 10.0 * s) y=px(at + 4.0 * s) font-size=px(font) font-weight=weight fill=colour aria-hidden="true">
                        {text}
                    </text>
                }
            })
            .collect_view();

        let active = self.active;
        let event_marks = self
            .events
            .iter()
            .map(|(number, year, text)| {
                let (number, year) = (*number, *year);
                let label = format!("{} {number}, {year}: {text}", texts.event);
                let at = x(year);
                view! {
                    <g
                        class="mark event"
                        tabindex="0"
                        role="img"
                        aria-label=label.clone()
                        on:focus=move |_| active.set(Some(year))
                        on:blur=move |_| active.set(None)
                        on:mouseenter=move |_| active.set(Some(year))
                        on:mouseleave=move |_| active.set(None)
                    >
                        <title>{label.clone()}</title>
                        <line x1=px(at) x2=px(at) y1=px(top - 8.0 * s) y2=px(bottom) stroke=TEXT stroke-width="1" stroke-dasharray="2 3" />
                        <circle cx=px(at) cy=px(top - 18.0 * s) r=px(10.0 * s) fill="#FFFFFF" stroke=TEXT />
                        <text x=px(at) y=px(top - 14.0 * s) text-anchor="middle" font-size=px(tick_font) font-weight="700" fill=TEXT>
                            {number}
                        </text>
                    </g>
                }
            })
            .collect_view();

        self.labels.svg(
            width,
            height,
            view! {
                {grid}
                {years}
                <g aria-hidden="true">
                    <polygon points=band_polygon fill=BAND />
                    <polyline points=upper fill="none" stroke=TEXT_2 stroke-width="1.5" stroke-dasharray="6 4" />
                    <polyline points=lower fill="none" stroke=TEXT_2 stroke-width="1.5" stroke-dasharray="6 4" />
                    <polyline points=median_line fill="none" stroke=PEER stroke-width=px(2.0 * s) />
                    <polyline points=own_line fill="none" stroke=OWN stroke-width=px(3.0 * s) />
                </g>
                {event_marks}
                {median_marks}
                {own_marks}
                {end_labels}
            },
        )
    }
}

fn series_table(
    points: &[YearPoint],
    own_name: &str,
    decimals: usize,
    texts: &'static ChartTexts,
) -> AnyView {
    let rows = points
        .iter()
        .map(|p| {
            view! {
                <tr>
                    <th scope="row">{p.year}</th>
                    {value_cell(p.own, decimals)}
                    {value_cell(p.median, decimals)}
                    {value_cell(p.q1, decimals)}
                    {value_cell(p.q3, decimals)}
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data-table">
            <thead>
                <tr>
                    <th scope="col">{texts.year}</th>
                    <th scope="col">{format!("◆ {own_name}")}</th>
                    <th scope="col">{texts.median}</th>
                    <th scope="col">{texts.q1}</th>
                    <th scope="col">{texts.q3}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
