//! What every chart shares: the frame (heading, table switch, downloads), the drawing that
//! fits its box, the SVG labels, the colours and the small helpers for marks and numbers.

use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::html::Div;
use leptos::prelude::*;
pub(super) use vergleichsring_core::chart::{
    line_points, px, spread_labels, text_width, value_range, year_scale, Scale,
};
pub use vergleichsring_core::chart::{TargetLine, YearPoint};
use vergleichsring_core::{format_number, Judgement};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::i18n::ChartTexts;
use crate::views::export::ChartDownloads;

/// The own municipality's colour (bars, lines, labels).
pub(super) const OWN: &str = "#0072B2";
/// The peers' colour.
pub(super) const PEER: &str = "#767676";
/// Text.
pub(super) const TEXT: &str = "#1A1A1A";
/// Secondary text and the dashed edges of the interquartile band.
pub(super) const TEXT_2: &str = "#595959";
/// The light fill of the interquartile band and of boxes.
pub(super) const BAND: &str = "#E3E3E3";
/// Grid lines.
pub(super) const GRID: &str = "#E0E0E0";

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
pub(super) struct Canvas {
    pub(super) width: f64,
    pub(super) height: f64,
    /// The labels' font size.
    pub(super) font: f64,
}

impl Canvas {
    /// A box of `width` × `height` CSS pixels drawn one to one, with type that grows with the
    /// box: a projector's large type, 16 px at the least.
    pub(super) fn fitted(width: f64, height: f64) -> Canvas {
        Canvas {
            width,
            height,
            font: (height / 24.0).clamp(16.0, 30.0),
        }
    }

    /// The factor by which a chart's natural measures (drawn for 13 px type) grow.
    pub(super) fn scale(&self) -> f64 {
        self.font / 13.0
    }
}

/// The size of an element in CSS pixels, kept current while it lives. A box that is hidden
/// (0 × 0) keeps the size it had, so a chart behind its table is not drawn for nothing.
pub(super) fn box_size(node: NodeRef<Div>) -> ReadSignal<Option<(f64, f64)>> {
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
pub(super) fn drawing(
    fit: bool,
    draw: impl Fn(Option<Canvas>) -> AnyView + Send + Sync + 'static,
) -> AnyView {
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
pub(super) struct Labels {
    pub(super) heading: String,
    pub(super) desc: String,
    pub(super) title_id: String,
    pub(super) desc_id: String,
}

impl Labels {
    /// Labels with fresh ids starting with `kind`.
    pub(super) fn new(kind: &str, heading: &str, desc: String) -> Labels {
        Labels {
            heading: heading.to_string(),
            desc,
            title_id: next_id(&format!("{kind}-title")),
            desc_id: next_id(&format!("{kind}-desc")),
        }
    }

    /// The chart's `<svg>` of `width` × `height` units around `content`, with its title and
    /// description.
    pub(super) fn svg(&self, width: f64, height: f64, content: impl IntoView + 'static) -> AnyView {
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
pub(super) fn framed(
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
pub(super) fn diamond(cx: f64, cy: f64, half: f64) -> impl IntoView {
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
pub(super) fn clip(name: &str, chars: usize) -> String {
    if name.chars().count() <= chars {
        return name.to_string();
    }
    let kept: String = name.chars().take(chars.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

/// The left margin a value axis needs: at least `least`, and wide enough that its widest tick
/// label (at `font`, plus `gap` to the plot) is printed whole — a fixed margin cut `14.000` to
/// `4.000` on the left edge.
pub(super) fn axis_margin(ticks: &[f64], decimals: usize, font: f64, gap: f64, least: f64) -> f64 {
    ticks
        .iter()
        .map(|&t| text_width(&num(t, decimals), font) + gap)
        .fold(least, f64::max)
}

/// The interquartile band over the years that have both quartiles: its polygon, and its upper
/// and lower edges as lines.
pub(super) fn band_points(
    points: &[YearPoint],
    x: impl Fn(i32) -> f64 + Copy,
    y: &Scale,
) -> (String, String, String) {
    let upper = line_points(points, |p| p.q1.and(p.q3), x, y);
    let lower = line_points(points, |p| p.q3.and(p.q1), x, y);
    let back: Vec<&str> = lower.split(' ').rev().collect();
    (format!("{upper} {}", back.join(" ")), upper, lower)
}

/// A number for a label: the KPI's decimals, German format.
pub(super) fn num(x: f64, decimals: usize) -> String {
    format_number(x, decimals)
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
pub(super) fn next_id(prefix: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The frame every chart shares: the visible heading, the "Tabelle anzeigen" switch, the
/// chart (children) and its table alternative.
#[component]
pub(super) fn ChartFrame(
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
    // The table joins the page when first asked for: a ranking of thousands of members would
    // otherwise build as many hidden rows with every chart drawn.
    let opened = Memo::new(move |was: Option<&bool>| was == Some(&true) || show_table.get());
    let table = std::sync::Mutex::new(Some(table));
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
            // A long table scrolls in its box, which the keyboard must reach.
            <div
                class="chart-table table-box"
                role="region"
                aria-labelledby=heading_id.clone()
                tabindex="0"
                hidden=move || !show_table.get()
            >
                {move || opened.get().then(|| table.lock().ok().and_then(|mut t| t.take())).flatten()}
            </div>
        </figure>
    }
}

/// The value cell of a chart's table: German text, full precision in `data-value`.
pub(super) fn value_cell(value: Option<f64>, decimals: usize) -> impl IntoView {
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
}
