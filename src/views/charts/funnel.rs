//! The funnel plot (CONTRACT §3, "Funnel limits"): every member's rate or share over the size of
//! its denominator, the group's pooled value as a line, and the 95 % and 99.8 % limits as a
//! funnel narrowing with the denominator. A point outside the outer funnel is statistically
//! notable; one inside the inner funnel differs from the pool only by chance. Marks are
//! focusable and carry their figures (`data-testid="funnel-point"`), so the plot reads out and
//! tests read what it draws.

use leptos::prelude::*;
use vergleichsring_core::Limits;

use super::frame::{
    axis_margin, diamond, num, px, spread_labels, text_width, value_cell, ChartFrame, Labels,
    Scale, GRID, OWN, PEER, TEXT, TEXT_2,
};
use crate::i18n::{AnalysisTexts, ChartTexts};

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 380.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 130.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 44.0;
/// The colour that marks a notable member besides its words ("worse" red: outside the limits).
const NOTABLE: &str = "#B3261E";

/// One member of the funnel, as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct FunnelMark {
    /// The name as shown (pseudonymised where switched on).
    pub name: String,
    /// The own municipality (◆, bold, labelled).
    pub own: bool,
    /// The KPI's value.
    pub value: f64,
    /// The denominator.
    pub denominator: f64,
    /// The limits at its denominator.
    pub limits: Limits,
    /// The denominator's size band in words, for a pseudonymised member: then `denominator` is
    /// the band's middle, and neither the figure nor the limits (which give it away) are written.
    pub band: Option<String>,
}

/// How a member lies against its limits, in words.
fn verdict(mark: &FunnelMark, t: &AnalysisTexts) -> &'static str {
    if mark.limits.notable(mark.value) {
        t.notable
    } else if mark.limits.within95(mark.value) {
        t.within95
    } else {
        t.between
    }
}

/// The funnel plot with its table alternative.
#[component]
pub fn FunnelChart(
    /// What is shown: KPI, unit, year.
    heading: String,
    /// The chart in a sentence (pooled value, model, what notable means).
    desc: String,
    /// The members with a value.
    marks: Vec<FunnelMark>,
    /// The pooled value on the KPI's scale.
    pooled: f64,
    /// The limits along the x axis, ascending by denominator (the funnel's lines).
    curve: Vec<(f64, Limits)>,
    /// The KPI's decimals.
    decimals: usize,
    /// The chart strings (table switch).
    texts: &'static ChartTexts,
    /// The funnel strings.
    words: &'static AnalysisTexts,
) -> impl IntoView {
    let labels = Labels::new("funnel", &heading, desc);
    let max_d = marks.iter().map(|m| m.denominator).fold(0.0, f64::max);
    let values = marks
        .iter()
        .flat_map(|m| [m.value, m.limits.lower998, m.limits.upper998]);
    let (lo, hi) = values
        .chain([pooled])
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    let y = Scale::nice(lo, hi, (HEIGHT - BOTTOM, TOP));
    let (ticks, tick_decimals) = y.ticks();
    let left = axis_margin(&ticks, tick_decimals, 11.0, 8.0, LEFT);
    let x = Scale::nice(0.0, max_d, (left, WIDTH - RIGHT));
    let (x_ticks, _) = x.ticks();
    let (y_lo, y_hi) = y.domain;
    // The funnel's lines leave the plot where the limits grow beyond the value axis.
    let clamp = |v: f64| y.at(v.clamp(y_lo, y_hi));
    let line = |pick: fn(&Limits) -> f64| {
        curve
            .iter()
            .map(|(d, l)| format!("{},{}", px(x.at(*d)), px(clamp(pick(l)))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let limit_lines = [
        ("upper998", line(|l| l.upper998), "0"),
        ("lower998", line(|l| l.lower998), "0"),
        ("upper95", line(|l| l.upper95), "5 3"),
        ("lower95", line(|l| l.lower95), "5 3"),
    ]
    .into_iter()
    .map(|(name, points, dash)| {
        view! {
            <polyline
                data-testid="funnel-limit"
                data-limit=name
                points=points
                fill="none"
                stroke=TEXT_2
                stroke-width="1.25"
                stroke-dasharray=dash
            />
        }
    })
    .collect_view();
    let pooled_y = y.at(pooled);
    // Right of the plot: the pooled value and the two funnels' names, moved apart where the
    // narrow end of the funnel would stack them.
    let end = curve
        .last()
        .map_or(WIDTH - RIGHT, |(d, _)| x.at(*d).max(WIDTH - RIGHT));
    let mut ends: Vec<(f64, String, &str)> = vec![(
        pooled_y,
        format!("{} {}", words.funnel_pooled, num(pooled, decimals)),
        TEXT,
    )];
    if let Some((_, l)) = curve.last() {
        ends.push((
            clamp(l.upper998),
            words.funnel_limits998.to_string(),
            TEXT_2,
        ));
        ends.push((clamp(l.upper95), words.funnel_limits95.to_string(), TEXT_2));
    }
    let spread = spread_labels(&ends.iter().map(|e| e.0).collect::<Vec<_>>(), 13.0);
    let end_labels = ends
        .into_iter()
        .zip(spread)
        .map(|((_, text, colour), at)| {
            view! { <text x=px(end + 6.0) y=px(at + 4.0) font-size="11" fill=colour>{text}</text> }
        })
        .collect_view();
    let grid = ticks
        .iter()
        .map(|&t| {
            view! {
                <g aria-hidden="true">
                    <line x1=px(left) x2=px(WIDTH - RIGHT) y1=px(y.at(t)) y2=px(y.at(t)) stroke=GRID />
                    <text x=px(left - 6.0) y=px(y.at(t) + 4.0) text-anchor="end" font-size="11" fill=TEXT_2>
                        {num(t, tick_decimals)}
                    </text>
                </g>
            }
        })
        .collect_view();
    let x_axis = x_ticks
        .iter()
        .map(|&t| {
            view! {
                <text x=px(x.at(t)) y=px(HEIGHT - BOTTOM + 16.0) text-anchor="middle" font-size="11" fill=TEXT_2 aria-hidden="true">
                    {num(t, 0)}
                </text>
            }
        })
        .collect_view();
    let points = marks
        .iter()
        .map(|m| {
            let (cx, cy) = (x.at(m.denominator), y.at(m.value));
            let notable = m.limits.notable(m.value);
            let name = format!(
                "{}: {} ({} {}) – {}",
                m.name,
                num(m.value, decimals),
                words.funnel_x,
                m.band.clone().unwrap_or_else(|| num(m.denominator, 0)),
                verdict(m, words)
            );
            let exact = |x: f64| m.band.is_none().then(|| x.to_string());
            let aria = name.clone();
            let mark = if m.own {
                diamond(cx, cy, 6.0).into_any()
            } else {
                let colour = if notable { NOTABLE } else { PEER };
                view! { <circle cx=px(cx) cy=px(cy) r="4.5" fill=colour /> }.into_any()
            };
            let label = (m.own || notable).then(|| {
                let width = text_width(&m.name, 11.0);
                let tx = if cx + 8.0 + width > WIDTH { cx - 8.0 - width } else { cx + 8.0 };
                view! {
                    <text x=px(tx) y=px(cy - 6.0) font-size="11" font-weight=if m.own { "700" } else { "400" } fill=if m.own { OWN } else { TEXT }>
                        {m.name.clone()}
                    </text>
                }
            });
            view! {
                <g
                    class="funnel-point"
                    tabindex="0"
                    role="img"
                    aria-label=aria
                    data-testid="funnel-point"
                    data-municipality=m.name.clone()
                    data-value=m.value.to_string()
                    data-denominator=exact(m.denominator)
                    data-lower95=exact(m.limits.lower95)
                    data-upper95=exact(m.limits.upper95)
                    data-lower998=exact(m.limits.lower998)
                    data-upper998=exact(m.limits.upper998)
                    data-notable=notable.to_string()
                >
                    <title>{name}</title>
                    {mark}
                    {label}
                </g>
            }
        })
        .collect_view();
    let content = view! {
        {grid}
        {x_axis}
        <text x=px((left + WIDTH - RIGHT) / 2.0) y=px(HEIGHT - 8.0) text-anchor="middle" font-size="11" fill=TEXT_2>
            {words.funnel_x}
        </text>
        {limit_lines}
        <line
            data-testid="funnel-pooled"
            data-value=pooled.to_string()
            x1=px(left)
            x2=px(WIDTH - RIGHT)
            y1=px(pooled_y)
            y2=px(pooled_y)
            stroke=TEXT
            stroke-width="1.5"
        />
        {end_labels}
        {points}
    };
    let svg = labels.svg(WIDTH, HEIGHT, content);
    let rows = marks
        .iter()
        .map(|m| {
            let l = m.limits;
            let figures = match &m.band {
                None => view! {
                    {value_cell(Some(m.denominator), 0)}
                    {value_cell(Some(l.lower95), decimals)}
                    {value_cell(Some(l.upper95), decimals)}
                    {value_cell(Some(l.lower998), decimals)}
                    {value_cell(Some(l.upper998), decimals)}
                }
                .into_any(),
                Some(band) => view! {
                    <td class="num">{band.clone()}</td>
                    {value_cell(None, decimals)}
                    {value_cell(None, decimals)}
                    {value_cell(None, decimals)}
                    {value_cell(None, decimals)}
                }
                .into_any(),
            };
            view! {
                <tr data-municipality=m.name.clone() class:own=m.own>
                    <th scope="row">{if m.own { format!("◆ {}", m.name) } else { m.name.clone() }}</th>
                    {value_cell(Some(m.value), decimals)}
                    {figures}
                    <td>{verdict(m, words)}</td>
                </tr>
            }
        })
        .collect_view();
    let table = view! {
        <table class="data-table" data-testid="funnel-table">
            <caption>{words.funnel_caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{words.col_municipality}</th>
                    <th scope="col" class="num">{words.col_value}</th>
                    <th scope="col" class="num">{words.col_denominator}</th>
                    <th scope="col" class="num">{words.col_lower95}</th>
                    <th scope="col" class="num">{words.col_upper95}</th>
                    <th scope="col" class="num">{words.col_lower998}</th>
                    <th scope="col" class="num">{words.col_upper998}</th>
                    <th scope="col">{words.col_verdict}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any();
    view! {
        <ChartFrame heading=heading texts=texts table=table>
            {svg}
        </ChartFrame>
    }
}
