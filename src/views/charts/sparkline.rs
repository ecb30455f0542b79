//! A sparkline: the own values over the years as a small line, for cards and lists. It is
//! decoration: the caller writes the trend in words beside it.

use leptos::prelude::*;

use super::frame::{diamond, px, year_scale, Scale, OWN, PEER};

const WIDTH: f64 = 120.0;
const HEIGHT: f64 = 32.0;

/// A small line of the own values (blue, last point as ◆) and, when given, the peer median
/// (grey); hidden from screen readers.
#[component]
pub fn Sparkline(
    /// The own values by year, ascending.
    values: Vec<(i32, f64)>,
    /// The group's median by year, ascending.
    #[prop(default = Vec::new())]
    median: Vec<(i32, f64)>,
) -> impl IntoView {
    let years = values.iter().chain(&median).map(|(y, _)| *y);
    let (first, last) = years.fold((i32::MAX, i32::MIN), |(a, b), y| (a.min(y), b.max(y)));
    let all = values.iter().chain(&median).map(|(_, v)| *v);
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if first > last || !lo.is_finite() {
        return None;
    }
    let y = Scale::nice(lo, hi, (HEIGHT - 4.0, 4.0));
    let x = year_scale(first, last, 4.0, WIDTH - 8.0);
    let line = |points: &[(i32, f64)]| {
        points
            .iter()
            .map(|(year, v)| format!("{},{}", px(x(*year)), px(y.at(*v))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let own_line = line(&values);
    let median_line = line(&median);
    let end = values.last().map(|(year, v)| {
        let (cx, cy) = (x(*year), y.at(*v));
        diamond(cx, cy, 3.5)
    });
    Some(view! {
        <svg
            class="sparkline"
            viewBox=format!("0 0 {WIDTH} {HEIGHT}")
            width=WIDTH.to_string()
            height=HEIGHT.to_string()
            aria-hidden="true"
            focusable="false"
        >
            <polyline points=median_line fill="none" stroke=PEER stroke-width="1.5" stroke-dasharray="3 2" />
            <polyline points=own_line fill="none" stroke=OWN stroke-width="2.5" />
            {end}
        </svg>
    })
}
