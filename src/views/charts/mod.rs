//! Charts as hand-written SVG components (shared/UI.md): a visible heading, `<title>` and
//! `<desc>`, a "Tabelle anzeigen" switch to the same numbers as a table, keyboard-focusable
//! marks that read out name and value, German numbers, direct labels instead of legends.
//!
//! Every chart takes plain data (names, numbers, years, texts) and no app state, so the
//! comparison view, the dashboard, the workshop, the short report and exports can all draw them.
//!
//! A chart is drawn at its natural size, the SVG scaled to the page's width, or — with `fit`,
//! for the workshop's projector — at the size of its box in CSS pixels, drawn again whenever
//! the box changes: type and marks then grow with the screen, and the chart never needs more
//! height than the box has.

mod boxplot;
mod funnel;
mod multiples;
mod ranking;
mod series;
mod sparkline;
mod trend;

use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::html::Div;
use leptos::prelude::*;
use vergleichsring_core::{format_number, Judgement};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

pub use boxplot::BoxPlot;
pub use funnel::{FunnelChart, FunnelMark};
pub use multiples::{Multiple, SmallMultiples};
pub use ranking::RankingChart;
pub use series::TimeSeriesChart;
pub use sparkline::Sparkline;
pub use trend::{TargetLine, TrendChart};

use super::export::ChartDownloads;
use crate::i18n::ChartTexts;

/// The own municipality's colour (bars, lines, labels).
const OWN: &str = "#0072B2";
/// The peers' colour.
const PEER: &str = "#767676";
/// Text.
const TEXT: &str = "#1A1A1A";
/// Secondary text and the dashed edges of the interquartile band.
const TEXT_2: &str = "#595959";
/// The light fill of the interquartile band and of boxes.
const BAND: &str = "#E3E3E3";
/// Grid lines.
const GRID: &str = "#E0E0E0";

/// One of the charts of a KPI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    /// The ranking of the municipalities.
    Ranking,
    /// The own value over the years against the group.
    Series,
    /// The box plot of the group.
    Distribution,
}

impl ChartKind {
    /// Every kind, in the order they are shown.
    pub const ALL: [ChartKind; 3] = [
        ChartKind::Ranking,
        ChartKind::Series,
        ChartKind::Distribution,
    ];
}

/// One municipality's value of a KPI: a bar of the ranking, a dot of the strip plot.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// The municipality's name as shown.
    pub name: String,
    /// The value.
    pub value: f64,
    /// True for the own municipality (highlighted, bold, labelled, ◆).
    pub own: bool,
    /// Outside the KPI's 99.8 % funnel limits in the group; `None` for a KPI without `funnel`
    /// or a member without limits.
    pub notable: Option<bool>,
}

/// One year of a time series: the own value and the peer group's median and quartiles.
#[derive(Clone, Debug, PartialEq)]
pub struct YearPoint {
    /// The year.
    pub year: i32,
    /// The own municipality's value.
    pub own: Option<f64>,
    /// The group's median.
    pub median: Option<f64>,
    /// The group's lower quartile.
    pub q1: Option<f64>,
    /// The group's upper quartile.
    pub q3: Option<f64>,
}

/// A legal or social change marked on a time series.
#[derive(Clone, Debug, PartialEq)]
pub struct EventMark {
    /// The year from which it shows.
    pub year: i32,
    /// What changed.
    pub label: String,
}

/// The size a chart is drawn at, in SVG units (CSS pixels when fitted to its box), and the size
/// of its type.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Canvas {
    width: f64,
    height: f64,
    /// The labels' font size.
    font: f64,
}

impl Canvas {
    /// A box of `width` × `height` CSS pixels drawn one to one, with type that grows with the
    /// box: a projector's large type, 16 px at the least.
    fn fitted(width: f64, height: f64) -> Canvas {
        Canvas {
            width,
            height,
            font: (height / 24.0).clamp(16.0, 30.0),
        }
    }

    /// The factor by which a chart's natural measures (drawn for 13 px type) grow.
    fn scale(&self) -> f64 {
        self.font / 13.0
    }
}

/// The size of an element in CSS pixels, kept current while it lives. A box that is hidden
/// (0 × 0) keeps the size it had, so a chart behind its table is not drawn for nothing.
fn box_size(node: NodeRef<Div>) -> ReadSignal<Option<(f64, f64)>> {
    let (size, set_size) = signal(None::<(f64, f64)>);
    type Watch = (web_sys::ResizeObserver, Closure<dyn FnMut(js_sys::Array)>);
    let watch = StoredValue::new_local(None::<Watch>);
    node.on_load(move |el| {
        let target = el.clone();
        let measure = move |_: js_sys::Array| {
            let (w, h) = (
                f64::from(target.client_width()),
                f64::from(target.client_height()),
            );
            if w >= 50.0 && h >= 50.0 && size.try_get_untracked() != Some(Some((w, h))) {
                set_size.try_set(Some((w, h)));
            }
        };
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(measure);
        if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
            observer.observe(&el);
            watch.set_value(Some((observer, callback)));
        }
    });
    on_cleanup(move || {
        watch.try_with_value(|w| {
            if let Some((observer, _)) = w {
                observer.disconnect();
            }
        });
    });
    size
}

/// A chart's SVG: drawn once at its natural size, or with `fit` filling its box and drawn
/// again when the box changes size.
fn drawing(fit: bool, draw: impl Fn(Option<Canvas>) -> AnyView + Send + Sync + 'static) -> AnyView {
    if !fit {
        return draw(None);
    }
    let node = NodeRef::<Div>::new();
    let size = box_size(node);
    view! {
        <div class="chart-fit" node_ref=node>
            {move || size.get().map(|(w, h)| draw(Some(Canvas::fitted(w, h))))}
        </div>
    }
    .into_any()
}

/// A chart SVG's accessible name (the chart's heading) and description (a sentence).
struct Labels {
    heading: String,
    desc: String,
    title_id: String,
    desc_id: String,
}

impl Labels {
    /// Labels with fresh ids starting with `kind`.
    fn new(kind: &str, heading: &str, desc: String) -> Labels {
        Labels {
            heading: heading.to_string(),
            desc,
            title_id: next_id(&format!("{kind}-title")),
            desc_id: next_id(&format!("{kind}-desc")),
        }
    }

    /// The chart's `<svg>` of `width` × `height` units around `content`, with its title and
    /// description.
    fn svg(&self, width: f64, height: f64, content: impl IntoView + 'static) -> AnyView {
        view! {
            <svg
                class="chart-svg"
                viewBox=format!("0 0 {} {}", px(width), px(height))
                role="group"
                aria-labelledby=self.title_id.clone()
                aria-describedby=self.desc_id.clone()
            >
                <title id=self.title_id.clone()>{self.heading.clone()}</title>
                <desc id=self.desc_id.clone()>{self.desc.clone()}</desc>
                {content}
            </svg>
        }
        .into_any()
    }
}

/// A chart in its frame: the drawing (see [`drawing`]) and a note under it.
fn framed(
    heading: String,
    texts: &'static ChartTexts,
    table: AnyView,
    fit: bool,
    draw: impl Fn(Option<Canvas>) -> AnyView + Send + Sync + 'static,
    note: impl IntoView + 'static,
) -> AnyView {
    view! {
        <ChartFrame heading=heading texts=texts table=table>
            {drawing(fit, draw)}
            {note}
        </ChartFrame>
    }
    .into_any()
}

/// The own municipality's ◆ mark: a square of side `2 × half` turned on its corner at (cx, cy).
pub(crate) fn diamond(cx: f64, cy: f64, half: f64) -> impl IntoView {
    view! {
        <rect
            x=px(cx - half)
            y=px(cy - half)
            width=px(2.0 * half)
            height=px(2.0 * half)
            fill=OWN
            transform=format!("rotate(45 {} {})", px(cx), px(cy))
        />
    }
}

/// `name` cut to at most `chars` characters, with "…" where it was cut.
fn clip(name: &str, chars: usize) -> String {
    if name.chars().count() <= chars {
        return name.to_string();
    }
    let kept: String = name.chars().take(chars.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

/// The width of `text` in a proportional system font of size `font`, estimated (SVG text
/// cannot be measured before it is drawn); generous, so that labels rather fit than touch.
fn text_width(text: &str, font: f64) -> f64 {
    text.chars().count() as f64 * font * 0.58
}

/// The left margin a value axis needs: at least `least`, and wide enough that its widest tick
/// label (at `font`, plus `gap` to the plot) is printed whole — a fixed margin cut `14.000` to
/// `4.000` on the left edge.
fn axis_margin(ticks: &[f64], decimals: usize, font: f64, gap: f64, least: f64) -> f64 {
    ticks
        .iter()
        .map(|&t| text_width(&num(t, decimals), font) + gap)
        .fold(least, f64::max)
}

/// A linear map from data values onto SVG coordinates.
#[derive(Clone, Copy, Debug)]
struct Scale {
    domain: (f64, f64),
    range: (f64, f64),
}

impl Scale {
    /// A scale whose domain is widened to round tick values around `lo..hi`.
    fn nice(lo: f64, hi: f64, range: (f64, f64)) -> Scale {
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            // One value (or none): a domain around it, so the mark sits in the middle.
            let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
            (lo - pad, lo + pad)
        };
        let step = tick_step(lo, hi);
        Scale {
            domain: ((lo / step).floor() * step, (hi / step).ceil() * step),
            range,
        }
    }

    fn at(&self, x: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        r0 + (x - d0) / (d1 - d0) * (r1 - r0)
    }

    /// Round values inside the domain, about five, with the decimals they need.
    fn ticks(&self) -> (Vec<f64>, usize) {
        let (lo, hi) = self.domain;
        let step = tick_step(lo, hi);
        let decimals = (-step.log10().floor()).max(0.0) as usize;
        let first = (lo / step).ceil() as i64;
        let last = (hi / step).floor() as i64;
        ((first..=last).map(|i| i as f64 * step).collect(), decimals)
    }
}

/// 1, 2 or 5 times a power of ten, giving about five ticks over `lo..hi`.
fn tick_step(lo: f64, hi: f64) -> f64 {
    let raw = (hi - lo) / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * power);
    if step.is_finite() && step > 0.0 {
        step
    } else {
        1.0
    }
}

/// The x position of a year on a time axis from `first` to `last` drawn between `left` and
/// `right` (the middle when there is one year only).
pub(crate) fn year_scale(
    first: i32,
    last: i32,
    left: f64,
    right: f64,
) -> impl Fn(i32) -> f64 + Copy {
    let span = (last - first).max(1) as f64;
    move |year| {
        if first == last {
            (left + right) / 2.0
        } else {
            left + (year - first) as f64 / span * (right - left)
        }
    }
}

/// The smallest and largest value of the points (own, median, quartiles) and of `extra`;
/// `0..1` when there is none.
fn value_range(points: &[YearPoint], extra: Option<f64>) -> (f64, f64) {
    let values: Vec<f64> = points
        .iter()
        .flat_map(|p| [p.own, p.median, p.q1, p.q3])
        .flatten()
        .chain(extra)
        .collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if lo.is_finite() {
        (lo, hi)
    } else {
        (0.0, 1.0)
    }
}

/// The `points` attribute of a line through the years where `pick` gives a value.
fn line_points(
    points: &[YearPoint],
    pick: fn(&YearPoint) -> Option<f64>,
    x: impl Fn(i32) -> f64,
    y: &Scale,
) -> String {
    points
        .iter()
        .filter_map(|p| Some(format!("{},{}", px(x(p.year)), px(y.at(pick(p)?)))))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The interquartile band over the years that have both quartiles: its polygon, and its upper
/// and lower edges as lines.
fn band_points(
    points: &[YearPoint],
    x: impl Fn(i32) -> f64 + Copy,
    y: &Scale,
) -> (String, String, String) {
    let upper = line_points(points, |p| p.q1.and(p.q3), x, y);
    let lower = line_points(points, |p| p.q3.and(p.q1), x, y);
    let back: Vec<&str> = lower.split(' ').rev().collect();
    (format!("{upper} {}", back.join(" ")), upper, lower)
}

/// An SVG coordinate.
fn px(x: f64) -> String {
    format!("{x:.1}")
}

/// A number for a label: the KPI's decimals, German format.
fn num(x: f64, decimals: usize) -> String {
    format_number(x, decimals)
}

/// Moves labels apart vertically so none overlaps the next (`gap` apart at least), keeping
/// their order; `ys` in any order, returned in the same order.
fn spread_labels(ys: &[f64], gap: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..ys.len()).collect();
    order.sort_by(|&a, &b| ys[a].total_cmp(&ys[b]));
    let mut out = ys.to_vec();
    for pair in order.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if out[b] - out[a] < gap {
            out[b] = out[a] + gap;
        }
    }
    out
}

/// "▲ besser" / "▼ schlechter" / "= gleich" for a judgement, as words and symbol.
pub fn judgement_words(judgement: Judgement, texts: &ChartTexts) -> String {
    match judgement {
        Judgement::Good => format!("▲ {}", texts.better),
        Judgement::Bad => format!("▼ {}", texts.worse),
        Judgement::Even => format!("= {}", texts.even),
    }
}

/// The CSS class that colours a judgement (always together with its words and symbol).
pub fn judgement_class(judgement: Judgement) -> &'static str {
    match judgement {
        Judgement::Good => "better",
        Judgement::Bad => "worse",
        Judgement::Even => "even",
    }
}

/// A fresh id for `aria-labelledby` links inside one chart.
fn next_id(prefix: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The frame every chart shares: the visible heading, the "Tabelle anzeigen" switch, the
/// chart (children) and its table alternative.
#[component]
fn ChartFrame(
    /// What is shown, unit and year.
    heading: String,
    /// The chart's strings.
    texts: &'static ChartTexts,
    /// The table with the same numbers.
    table: AnyView,
    /// The SVG and any notes under it.
    children: Children,
) -> impl IntoView {
    let show_table = RwSignal::new(false);
    let heading_id = next_id("chart-heading");
    let heading_name = heading.clone();
    view! {
        <figure class="chart" aria-labelledby=heading_id.clone()>
            <div class="chart-head">
                <h4 id=heading_id.clone()>{heading}</h4>
                <button
                    type="button"
                    class="chart-toggle"
                    role="switch"
                    aria-checked=move || show_table.get().to_string()
                    on:click=move |_| show_table.update(|s| *s = !*s)
                >
                    {texts.show_table}
                </button>
                <ChartDownloads name=heading_name />
            </div>
            <div class="chart-body" hidden=move || show_table.get()>
                {children()}
            </div>
            <div class="chart-table table-box" hidden=move || !show_table.get()>
                {table}
            </div>
        </figure>
    }
}

/// The value cell of a chart's table: German text, full precision in `data-value`.
fn value_cell(value: Option<f64>, decimals: usize) -> impl IntoView {
    let shown = value
        .map(|x| num(x, decimals))
        .unwrap_or_else(|| "–".into());
    let raw = value.map(|x| x.to_string()).unwrap_or_default();
    view! { <td class="num" data-value=raw>{shown}</td> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_scales_and_ticks() {
        let cases = [
            (
                (3.9, 11.4),
                (2.0, 12.0),
                vec![2.0, 4.0, 6.0, 8.0, 10.0, 12.0],
                0,
            ),
            ((0.0, 0.8), (0.0, 0.8), vec![0.0, 0.2, 0.4, 0.6, 0.8], 1),
            (
                (-7.0, 12.0),
                (-10.0, 15.0),
                vec![-10.0, -5.0, 0.0, 5.0, 10.0, 15.0],
                0,
            ),
            ((5.0, 5.0), (4.4, 5.6), vec![4.5, 5.0, 5.5], 1),
        ];
        for ((lo, hi), domain, ticks, decimals) in cases {
            let s = Scale::nice(lo, hi, (0.0, 100.0));
            let (got, d) = s.ticks();
            assert!(
                (s.domain.0 - domain.0).abs() < 1e-9 && (s.domain.1 - domain.1).abs() < 1e-9,
                "{lo}..{hi}: {:?}",
                s.domain
            );
            assert_eq!(got.len(), ticks.len(), "{lo}..{hi}: {got:?}");
            assert!(
                got.iter().zip(&ticks).all(|(a, b)| (a - b).abs() < 1e-9),
                "{got:?}"
            );
            assert_eq!(d, decimals);
        }
    }

    #[test]
    fn names_are_clipped_with_an_ellipsis() {
        let cases = [
            ("Kiel", 10, "Kiel"),
            ("Landkreis Vorpommern-Greifswald", 12, "Landkreis V…"),
            ("Ab cd", 4, "Ab…"),
        ];
        for (name, chars, want) in cases {
            assert_eq!(clip(name, chars), want, "{name}");
        }
    }

    #[test]
    fn labels_move_apart_in_order() {
        let cases: [(&[f64], &[f64]); 3] = [
            (&[10.0, 50.0], &[10.0, 50.0]),
            (&[20.0, 15.0], &[29.0, 15.0]),
            (&[0.0, 2.0, 4.0], &[0.0, 14.0, 28.0]),
        ];
        for (ys, want) in cases {
            assert_eq!(spread_labels(ys, 14.0), want, "{ys:?}");
        }
    }
}
