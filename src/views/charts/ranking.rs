//! The ranking: horizontal bars sorted by value, the best at the top by the KPI's `better`.
//! Fitted to a projector's screen, a ranking too long to read shows its top, its bottom and
//! the own municipality with its neighbours, and says how many it leaves out.

use std::ops::Range;

use leptos::prelude::*;
use vergleichsring_core::{ranking_excerpt, Better};

use super::frame::{
    clip, framed, num, px, text_width, value_cell, Bar, Canvas, Labels, Scale, GRID, OWN, PEER,
    TEXT, TEXT_2,
};
use crate::i18n::{fill, ChartTexts};

const WIDTH: f64 = 760.0;
const LEFT: f64 = 200.0;
const RIGHT: f64 = 90.0;
const TOP: f64 = 26.0;
const BOTTOM: f64 = 30.0;
/// The bars share at most this height, so that a whole chart fits a projector's screen.
const BARS_MAX: f64 = 400.0;
/// The smallest type a fitted ranking writes its names in, and the smallest share of the
/// canvas's type size; below it, it shows an excerpt (a big screen is farther away).
const FONT_MIN: f64 = 15.0;
const FONT_MIN_SHARE: f64 = 0.75;
/// A fitted row is this much taller than its type.
const ROW_PER_FONT: f64 = 1.45;
/// Written after the value of a member outside its 99.8 % funnel limits (not colour alone).
const NOTABLE_MARK: &str = "◎";

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
    /// Fill the chart's box (the workshop's screen) instead of the page's width.
    #[prop(optional)]
    fit: bool,
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
    // Fitted to a screen, a long list would push the chart away: its length instead.
    let missing_words = if fit && missing.len() > 3 {
        fill(texts.missing_count, &[("n", &missing.len().to_string())])
    } else {
        missing.join(", ")
    };
    let missing_note = (!missing.is_empty())
        .then(|| view! { <p class="chart-note">{format!("{}: {missing_words}", texts.without_value)}</p> });
    let notable_note = bars.iter().any(|b| b.notable == Some(true)).then(
        || view! { <p class="chart-note">{format!("{NOTABLE_MARK} {}", texts.notable_note)}</p> },
    );
    let ranking = Ranking {
        bars,
        median,
        decimals,
        labels: Labels::new("ranking", &heading, desc),
        texts,
    };
    let draw = move |canvas| ranking.svg(canvas);
    framed(
        heading,
        texts,
        table,
        fit,
        draw,
        (notable_note, missing_note),
    )
}

/// A line of the drawn ranking: a bar (by rank, 0-based) or a gap of left-out ranks.
enum Line {
    Bar(usize),
    Gap(usize),
}

/// Where the parts of a ranking go.
struct Layout {
    width: f64,
    height: f64,
    left: f64,
    right: f64,
    top: f64,
    row: f64,
    font: f64,
    tick_font: f64,
    /// False when the rows are too thin for every name (the own one is always written).
    every_name: bool,
    /// Names longer than this many characters are cut.
    name_chars: usize,
    lines: Vec<Line>,
}

/// Everything a ranking draws, sorted best first.
struct Ranking {
    bars: Vec<Bar>,
    median: Option<f64>,
    decimals: usize,
    labels: Labels,
    texts: &'static ChartTexts,
}

impl Ranking {
    fn layout(&self, canvas: Option<Canvas>) -> Layout {
        let n = self.bars.len();
        let Some(canvas) = canvas else {
            let row = (BARS_MAX / n.max(1) as f64).min(24.0);
            return Layout {
                width: WIDTH,
                height: TOP + n.max(1) as f64 * row + BOTTOM,
                left: LEFT,
                right: RIGHT,
                top: TOP,
                row,
                font: 13.0,
                tick_font: 12.0,
                every_name: row >= 12.0,
                name_chars: usize::MAX,
                lines: (0..n).map(Line::Bar).collect(),
            };
        };
        let font = canvas.font;
        let tick_font = (font * 0.85).max(FONT_MIN);
        let top = tick_font * 2.0;
        let bottom = tick_font * 1.8;
        let longest_name = self
            .bars
            .iter()
            .map(|b| text_width(&format!("◆ {}", b.name), font))
            .fold(0.0, f64::max);
        let left = (longest_name + font).clamp(canvas.width * 0.15, canvas.width * 0.4);
        let longest_value = self
            .bars
            .iter()
            .map(|b| {
                text_width(
                    &format!("{} {NOTABLE_MARK}", num(b.value, self.decimals)),
                    font,
                )
            })
            .fold(0.0, f64::max);
        let right = longest_value + font;
        let room = (canvas.height - top - bottom).max(0.0);
        let smallest = (font * FONT_MIN_SHARE).max(FONT_MIN).min(font);
        let readable = ((room / (smallest * ROW_PER_FONT)).floor() as usize).max(1);
        let own = self.bars.iter().position(|b| b.own);
        let shown = ranking_excerpt(n, own, readable);
        let lines = lines_of(&shown, n);
        let row = (room / lines.len().max(1) as f64).min(font * 2.2);
        let font = font.min(row / ROW_PER_FONT).max(smallest);
        Layout {
            width: canvas.width,
            height: canvas.height,
            left,
            right,
            top,
            row,
            font,
            tick_font,
            every_name: true,
            name_chars: ((left - font) / (font * 0.58)).floor().max(4.0) as usize,
            lines,
        }
    }

    fn svg(&self, canvas: Option<Canvas>) -> AnyView {
        let texts = self.texts;
        let decimals = self.decimals;
        let l = self.layout(canvas);
        let n = self.bars.len();
        let lo = self.bars.iter().map(|b| b.value).fold(0.0, f64::min);
        let hi = self.bars.iter().map(|b| b.value).fold(0.0, f64::max);
        let x = Scale::nice(lo, hi, (l.left, l.width - l.right));
        let zero = x.at(0.0);
        let (ticks, tick_decimals) = x.ticks();
        let bottom = l.top + l.lines.len().max(1) as f64 * l.row;
        let grid = ticks
            .into_iter()
            .map(|t| {
                view! {
                    <g aria-hidden="true">
                        <line x1=px(x.at(t)) x2=px(x.at(t)) y1=px(l.top) y2=px(bottom) stroke=GRID />
                        <text x=px(x.at(t)) y=px(bottom + l.tick_font * 1.3) text-anchor="middle" fill=TEXT_2 font-size=px(l.tick_font)>
                            {num(t, tick_decimals)}
                        </text>
                    </g>
                }
            })
            .collect_view();
        let baseline = l.font * 0.35;
        // The values are written after the median line, so that their white halo keeps them
        // readable where the line crosses them.
        let (marks, values): (Vec<AnyView>, Vec<Option<AnyView>>) = l
            .lines
            .iter()
            .enumerate()
            .map(|(line, what)| {
                let y = l.top + line as f64 * l.row;
                let mid = y + l.row / 2.0;
                let i = match *what {
                    Line::Bar(i) => i,
                    Line::Gap(count) => {
                        let words = fill(texts.left_out, &[("n", &count.to_string())]);
                        let gap = view! {
                            <text
                                class="gap"
                                x=px(l.left + l.font * 0.5)
                                y=px(mid + baseline)
                                paint-order="stroke"
                                stroke="#FFFFFF"
                                stroke-width="4"
                                font-size=px(l.font)
                                font-style="italic"
                                fill=TEXT_2
                            >
                                {format!("⋮ {words}")}
                            </text>
                        };
                        return (().into_any(), Some(gap.into_any()));
                    }
                };
                let bar = &self.bars[i];
                let end = x.at(bar.value);
                let (left, right) = if end < zero { (end, zero) } else { (zero, end) };
                let notable = bar.notable == Some(true);
                let value = if notable {
                    format!("{} {NOTABLE_MARK}", num(bar.value, decimals))
                } else {
                    num(bar.value, decimals)
                };
                let name = if bar.own {
                    format!("◆ {}", bar.name)
                } else {
                    bar.name.clone()
                };
                let rank = fill(
                    texts.rank_of,
                    &[("rank", &(i + 1).to_string()), ("n", &n.to_string())],
                );
                let value_words = if notable {
                    format!("{}, {}", num(bar.value, decimals), texts.notable)
                } else {
                    value.clone()
                };
                let label = if bar.own {
                    format!("{name} ({}): {value_words}, {}", texts.own, rank)
                } else {
                    format!("{name}: {value_words}, {}", rank)
                };
                let (colour, weight) = if bar.own { (OWN, "700") } else { (PEER, "400") };
                let text_colour = if bar.own { OWN } else { TEXT };
                let value_x = if end < zero { left - 4.0 } else { right + 4.0 };
                let value_anchor = if end < zero { "end" } else { "start" };
                let show_name = l.every_name || bar.own;
                let mark = view! {
                    <g class="mark" class:own=bar.own tabindex="0" role="img" aria-label=label data-notable=bar.notable.map(|n| n.to_string())>
                        <rect
                            x=px(left)
                            y=px(y + l.row * 0.15)
                            width=px((right - left).max(1.0))
                            height=px(l.row * 0.7)
                            fill=colour
                        />
                        {show_name
                            .then(|| {
                                view! {
                                    <text
                                        x=px(l.left - l.font * 0.45)
                                        y=px(mid + baseline)
                                        text-anchor="end"
                                        font-size=px(l.font)
                                        font-weight=weight
                                        fill=text_colour
                                    >
                                        {clip(&name, l.name_chars)}
                                    </text>
                                }
                            })}
                    </g>
                };
                let value = show_name.then(|| {
                    view! {
                        <text
                            x=px(value_x)
                            y=px(mid + baseline)
                            text-anchor=value_anchor
                            paint-order="stroke"
                            stroke="#FFFFFF"
                            stroke-width="3"
                            font-size=px(l.font)
                            font-weight=weight
                            fill=text_colour
                        >
                            {value}
                        </text>
                    }
                    .into_any()
                });
                (mark.into_any(), value)
            })
            .unzip();
        let median_mark = self.median.map(|m| {
            let at = x.at(m);
            view! {
                <g aria-hidden="true">
                    <line x1=px(at) x2=px(at) y1=px(l.top - l.tick_font * 0.5) y2=px(bottom) stroke=TEXT stroke-width="1.5" stroke-dasharray="5 3" />
                    <text x=px(at) y=px(l.top - l.tick_font * 0.8) text-anchor="middle" font-size=px(l.tick_font) fill=TEXT>
                        {format!("{} {}", texts.median, num(m, decimals))}
                    </text>
                </g>
            }
        });
        self.labels.svg(
            l.width,
            l.height,
            view! {
                {grid}
                {marks}
                <line x1=px(zero) x2=px(zero) y1=px(l.top) y2=px(bottom) stroke=TEXT stroke-width="1.5" aria-hidden="true" />
                {median_mark}
                <g aria-hidden="true">{values}</g>
            },
        )
    }
}

/// The lines of a ranking of `len` bars shown as `shown`: the bars of each range, and a gap
/// line (with how many it leaves out) between ranges and after the last one.
fn lines_of(shown: &[Range<usize>], len: usize) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut next = 0;
    for range in shown {
        if range.start > next {
            lines.push(Line::Gap(range.start - next));
        }
        lines.extend(range.clone().map(Line::Bar));
        next = range.end;
    }
    if next < len {
        lines.push(Line::Gap(len - next));
    }
    lines
}

fn ranking_table(
    bars: &[Bar],
    decimals: usize,
    missing: &[String],
    texts: &'static ChartTexts,
) -> AnyView {
    // The column only for a KPI with funnel limits: elsewhere nothing is tested for chance.
    let funnel = bars.iter().any(|b| b.notable.is_some());
    let rows = bars
        .iter()
        .enumerate()
        .map(|(i, bar)| {
            let name = if bar.own {
                format!("◆ {}", bar.name)
            } else {
                bar.name.clone()
            };
            let notable = funnel.then(|| {
                let words = (bar.notable == Some(true)).then_some(texts.notable);
                view! { <td data-notable=bar.notable.map(|n| n.to_string())>{words}</td> }
            });
            view! {
                <tr class:own=bar.own>
                    <td class="num">{i + 1}</td>
                    <th scope="row">{name}</th>
                    {value_cell(Some(bar.value), decimals)}
                    {notable}
                </tr>
            }
        })
        .collect_view();
    let empty = funnel.then(|| view! { <td></td> });
    let missing = missing
        .iter()
        .map(|m| view! { <tr><td></td><th scope="row">{m.clone()}</th><td>{texts.without_value}</td>{empty.clone()}</tr> })
        .collect_view();
    view! {
        <table class="data-table" data-testid="ranking-table">
            <thead>
                <tr>
                    <th scope="col">"#"</th>
                    <th scope="col">{texts.name}</th>
                    <th scope="col">{texts.value}</th>
                    {funnel.then(|| view! { <th scope="col">{texts.notable}</th> })}
                </tr>
            </thead>
            <tbody>{rows}{missing}</tbody>
        </table>
    }
    .into_any()
}
