//! The time series: the own value against the peer median with the interquartile band, and
//! the catalogue's events as labelled vertical marks.

use std::collections::BTreeMap;

use leptos::prelude::*;

use super::{
    band_points, line_points, next_id, num, px, spread_labels, value_cell, value_range, year_scale,
    ChartFrame, EventMark, Scale, YearPoint, BAND, GRID, OWN, PEER, TEXT, TEXT_2,
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
    let x = year_scale(first, last, LEFT, WIDTH - RIGHT);
    let (lo, hi) = value_range(&points, None);
    let y = Scale::nice(lo, hi, (HEIGHT - BOTTOM, TOP));
    let (ticks, tick_decimals) = y.ticks();
    let bottom = HEIGHT - BOTTOM;

    let grid = ticks
        .into_iter()
        .map(|t| {
            view! {
                <g aria-hidden="true">
                    <line x1=px(LEFT) x2=px(WIDTH - RIGHT) y1=px(y.at(t)) y2=px(y.at(t)) stroke=GRID />
                    <text x=px(LEFT - 6.0) y=px(y.at(t) + 4.0) text-anchor="end" font-size="12" fill=TEXT_2>
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
                <text x=px(x(p.year)) y=px(bottom + 20.0) text-anchor="middle" font-size="12" fill=TEXT_2 aria-hidden="true">
                    {p.year}
                </text>
            }
        })
        .collect_view();

    // The band: upper quartiles left to right, then lower quartiles back.
    let (band_polygon, upper, lower) = band_points(&points, x, &y);
    let own_line = line_points(&points, |p| p.own, x, &y);
    let median_line = line_points(&points, |p| p.median, x, &y);

    let median_marks = points
        .iter()
        .filter_map(|p| Some((p.year, p.median?)))
        .map(|(year, m)| {
            let label = format!("{} {year}: {}", texts.median, num(m, decimals));
            view! {
                <g class="mark" tabindex="0" role="img" aria-label=label.clone()>
                    <title>{label.clone()}</title>
                    <circle cx=px(x(year)) cy=px(y.at(m)) r="4" fill=PEER />
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
                    <rect
                        x=px(cx - 5.0)
                        y=px(cy - 5.0)
                        width="10"
                        height="10"
                        fill=OWN
                        transform=format!("rotate(45 {} {})", px(cx), px(cy))
                    />
                </g>
            }
        })
        .collect_view();

    // Direct labels at the last year with a value, moved apart where they would overlap.
    let last_of = |pick: fn(&YearPoint) -> Option<f64>| points.iter().rev().find_map(pick);
    let labels: Vec<(String, Option<f64>, &str, &str)> = vec![
        (
            format!(
                "◆ {own_name} {}",
                last_of(|p| p.own)
                    .map(|v| num(v, decimals))
                    .unwrap_or_default()
            ),
            last_of(|p| p.own),
            OWN,
            "700",
        ),
        (
            format!(
                "{} {}",
                texts.median,
                last_of(|p| p.median)
                    .map(|v| num(v, decimals))
                    .unwrap_or_default()
            ),
            last_of(|p| p.median),
            TEXT,
            "400",
        ),
        (texts.q3.to_string(), last_of(|p| p.q3), TEXT_2, "400"),
        (texts.q1.to_string(), last_of(|p| p.q1), TEXT_2, "400"),
    ];
    let labels: Vec<(String, f64, &str, &str)> = labels
        .into_iter()
        .filter_map(|(text, v, colour, weight)| Some((text, y.at(v?), colour, weight)))
        .collect();
    let placed = spread_labels(&labels.iter().map(|l| l.1).collect::<Vec<_>>(), 15.0);
    let end_labels = labels
        .into_iter()
        .zip(placed)
        .map(|((text, _, colour, weight), at)| {
            view! {
                <text x=px(WIDTH - RIGHT + 10.0) y=px(at + 4.0) font-size="13" font-weight=weight fill=colour aria-hidden="true">
                    {text}
                </text>
            }
        })
        .collect_view();

    // Events: one mark per year, numbered, its labels as the accessible name and tooltip.
    let mut by_year: BTreeMap<i32, Vec<String>> = BTreeMap::new();
    for e in events.iter().filter(|e| (first..=last).contains(&e.year)) {
        by_year.entry(e.year).or_default().push(e.label.clone());
    }
    let event_list: Vec<(usize, i32, String)> = by_year
        .into_iter()
        .enumerate()
        .map(|(i, (year, labels))| (i + 1, year, labels.join("; ")))
        .collect();
    let active = RwSignal::new(None::<i32>);
    let event_marks = event_list
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
                    <line x1=px(at) x2=px(at) y1=px(TOP - 8.0) y2=px(bottom) stroke=TEXT stroke-width="1" stroke-dasharray="2 3" />
                    <circle cx=px(at) cy=px(TOP - 18.0) r="10" fill="#FFFFFF" stroke=TEXT />
                    <text x=px(at) y=px(TOP - 14.0) text-anchor="middle" font-size="12" font-weight="700" fill=TEXT>
                        {number}
                    </text>
                </g>
            }
        })
        .collect_view();
    let event_notes = (!event_list.is_empty()).then(|| {
        let items = event_list
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

    let title_id = next_id("series-title");
    let desc_id = next_id("series-desc");
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
                {grid}
                {years}
                <g aria-hidden="true">
                    <polygon points=band_polygon fill=BAND />
                    <polyline points=upper fill="none" stroke=TEXT_2 stroke-width="1.5" stroke-dasharray="6 4" />
                    <polyline points=lower fill="none" stroke=TEXT_2 stroke-width="1.5" stroke-dasharray="6 4" />
                    <polyline points=median_line fill="none" stroke=PEER stroke-width="2" />
                    <polyline points=own_line fill="none" stroke=OWN stroke-width="3" />
                </g>
                {event_marks}
                {median_marks}
                {own_marks}
                {end_labels}
            </svg>
            {event_notes}
        </ChartFrame>
    }
    .into_any()
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
