//! Chart models in plain Rust: scales, marks, labels and the table alternative of a chart,
//! computed once, so that the app's view and an SVG string (the CLI's reports, exports) draw the
//! same picture from one place. A renderer only places what the model says.
//!
//! The model here is the Kurzbericht's trend chart: the own values over the years against the
//! peer median and its interquartile band, the events as numbered marks and the target as a
//! dashed line up to its due year.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::format::format_number;

/// The own municipality's colour (shared/UI.md).
pub const OWN: &str = "#0072B2";
/// The peers' colour.
pub const PEER: &str = "#767676";
/// Text.
pub const TEXT: &str = "#1A1A1A";
/// Secondary text and the dashed edges of the interquartile band.
pub const TEXT_2: &str = "#595959";
/// The light fill of the interquartile band.
pub const BAND: &str = "#E3E3E3";

/// A linear map from data values onto drawing coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    /// The values shown, widened to round ticks.
    pub domain: (f64, f64),
    /// Where they are drawn.
    pub range: (f64, f64),
}

impl Scale {
    /// A scale whose domain is widened to round tick values around `lo..hi`.
    pub fn nice(lo: f64, hi: f64, range: (f64, f64)) -> Scale {
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

    /// The coordinate of a value.
    pub fn at(&self, x: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        r0 + (x - d0) / (d1 - d0) * (r1 - r0)
    }

    /// Round values inside the domain, about five, with the decimals they need.
    pub fn ticks(&self) -> (Vec<f64>, usize) {
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
pub fn year_scale(first: i32, last: i32, left: f64, right: f64) -> impl Fn(i32) -> f64 + Copy {
    let span = (last - first).max(1) as f64;
    move |year| {
        if first == last {
            (left + right) / 2.0
        } else {
            left + (year - first) as f64 / span * (right - left)
        }
    }
}

/// The width of `text` in a proportional system font of size `font`, estimated (text cannot be
/// measured before it is drawn); generous, so that labels rather fit than touch.
pub fn text_width(text: &str, font: f64) -> f64 {
    text.chars().count() as f64 * font * 0.58
}

/// Moves labels apart vertically so none overlaps the next (`gap` apart at least), keeping
/// their order; `ys` in any order, returned in the same order.
pub fn spread_labels(ys: &[f64], gap: f64) -> Vec<f64> {
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

/// A drawing coordinate as written (one decimal).
pub fn px(x: f64) -> String {
    format!("{x:.1}")
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

/// A text placed on the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    /// Where (the text's anchor point).
    pub x: f64,
    /// Where (baseline).
    pub y: f64,
    /// The text.
    pub text: String,
    /// `start`, `middle` or `end`.
    pub anchor: &'static str,
    /// Its colour.
    pub colour: &'static str,
    /// Bold.
    pub bold: bool,
}

/// A straight line.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// Start.
    pub from: (f64, f64),
    /// End.
    pub to: (f64, f64),
}

/// The trend chart of the Kurzbericht, computed: every mark in drawing coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct TrendModel {
    /// The drawing's width.
    pub width: f64,
    /// The drawing's height.
    pub height: f64,
    /// What is shown, unit and period (the SVG's title).
    pub title: String,
    /// Every number in words (the SVG's description).
    pub desc: String,
    /// Grid lines at the ends of the value scale.
    pub grid: Vec<Segment>,
    /// Tick labels of the value scale and of the years.
    pub ticks: Vec<Label>,
    /// The interquartile band's polygon (`points` attribute), empty without quartiles.
    pub band: String,
    /// The band's upper and lower edges.
    pub band_edges: [String; 2],
    /// The median's line and dots.
    pub median_line: String,
    /// The median's dots.
    pub median_dots: Vec<(f64, f64)>,
    /// The own values' line.
    pub own_line: String,
    /// The own values' diamonds (centres).
    pub own_marks: Vec<(f64, f64)>,
    /// Event lines with their numbers.
    pub events: Vec<(Segment, Label)>,
    /// The target's dashed line and its end mark.
    pub target: Option<(Segment, Segment)>,
    /// Direct labels right of the plot (own, median, target).
    pub end_labels: Vec<Label>,
    /// The table alternative: year, own value, median, lower and upper quartile, formatted.
    pub table: Vec<[String; 5]>,
}

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 92.0;
const LEFT: f64 = 34.0;
const RIGHT: f64 = 96.0;
const TOP: f64 = 18.0;
const BOTTOM: f64 = 18.0;

/// The smallest and largest value of the points (own, median, quartiles) and of `extra`;
/// `0..1` when there is none.
pub fn value_range(points: &[YearPoint], extra: Option<f64>) -> (f64, f64) {
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
pub fn line_points(
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

impl TrendModel {
    /// The chart of `points` (ascending years), numbered `events` (number, year), the own
    /// `target`, values with `decimals`, the median's label word.
    pub fn new(
        title: String,
        desc: String,
        points: &[YearPoint],
        events: &[(usize, i32)],
        target: Option<&TargetLine>,
        decimals: usize,
        median_label: &str,
    ) -> TrendModel {
        let mut model = TrendModel {
            width: WIDTH,
            height: HEIGHT,
            title,
            desc,
            grid: Vec::new(),
            ticks: Vec::new(),
            band: String::new(),
            band_edges: [String::new(), String::new()],
            median_line: String::new(),
            median_dots: Vec::new(),
            own_line: String::new(),
            own_marks: Vec::new(),
            events: Vec::new(),
            target: None,
            end_labels: Vec::new(),
            table: Vec::new(),
        };
        let cell = |x: Option<f64>| x.map(|x| format_number(x, decimals)).unwrap_or_default();
        model.table = points
            .iter()
            .map(|p| {
                [
                    p.year.to_string(),
                    cell(p.own),
                    cell(p.median),
                    cell(p.q1),
                    cell(p.q3),
                ]
            })
            .collect();
        let first = points.first().map(|p| p.year);
        let last = points.last().map(|p| p.year).max(target.map(|t| t.due));
        let (Some(first), Some(last)) = (first, last) else {
            return model;
        };
        let (lo, hi) = value_range(points, target.map(|t| t.value));
        let y = Scale::nice(lo, hi, (HEIGHT - BOTTOM, TOP));
        let bottom = HEIGHT - BOTTOM;
        // Only the ends of the scale: a third of a page has no room for a full axis.
        let (ticks, tick_decimals) = y.ticks();
        let ends: Vec<f64> = match (ticks.first(), ticks.last()) {
            (Some(&a), Some(&b)) if a != b => vec![a, b],
            (Some(&a), _) => vec![a],
            _ => Vec::new(),
        };
        let left = ends
            .iter()
            .map(|&t| text_width(&format_number(t, tick_decimals), 10.0) + 6.0)
            .fold(LEFT, f64::max);
        let x = year_scale(first, last, left, WIDTH - RIGHT);
        for t in ends {
            model.grid.push(Segment {
                from: (left, y.at(t)),
                to: (WIDTH - RIGHT, y.at(t)),
            });
            model.ticks.push(Label {
                x: left - 4.0,
                y: y.at(t) + 3.5,
                text: format_number(t, tick_decimals),
                anchor: "end",
                colour: TEXT_2,
                bold: false,
            });
        }
        let step = ((last - first + 1) as usize).div_ceil(7).max(1);
        for year in (first..=last)
            .step_by(step)
            .chain(((last - first) % step as i32 != 0).then_some(last))
        {
            model.ticks.push(Label {
                x: x(year),
                y: bottom + 13.0,
                text: year.to_string(),
                anchor: "middle",
                colour: TEXT_2,
                bold: false,
            });
        }
        let upper = line_points(points, |p| p.q1.and(p.q3), x, &y);
        let lower = line_points(points, |p| p.q3.and(p.q1), x, &y);
        let back: Vec<&str> = lower.split(' ').rev().collect();
        model.band = format!("{upper} {}", back.join(" "));
        model.band_edges = [upper, lower];
        model.median_line = line_points(points, |p| p.median, x, &y);
        model.own_line = line_points(points, |p| p.own, x, &y);
        model.median_dots = points
            .iter()
            .filter_map(|p| Some((x(p.year), y.at(p.median?))))
            .collect();
        model.own_marks = points
            .iter()
            .filter_map(|p| Some((x(p.year), y.at(p.own?))))
            .collect();
        let mut by_year: BTreeMap<i32, Vec<String>> = BTreeMap::new();
        for (number, year) in events.iter().filter(|(_, y)| (first..=last).contains(y)) {
            by_year.entry(*year).or_default().push(number.to_string());
        }
        model.events = by_year
            .into_iter()
            .map(|(year, numbers)| {
                let at = x(year);
                (
                    Segment {
                        from: (at, TOP - 4.0),
                        to: (at, bottom),
                    },
                    Label {
                        x: at,
                        y: TOP - 7.0,
                        text: numbers.join(","),
                        anchor: "middle",
                        colour: TEXT,
                        bold: true,
                    },
                )
            })
            .collect();
        model.target = target.map(|t| {
            let (x1, x2, ty) = (x(t.from.max(first)), x(t.due), y.at(t.value));
            (
                Segment {
                    from: (x1, ty),
                    to: (x2, ty),
                },
                Segment {
                    from: (x2, ty - 5.0),
                    to: (x2, ty + 5.0),
                },
            )
        });
        // Direct labels right of the plot, moved apart where they would overlap.
        let last_of = |pick: fn(&YearPoint) -> Option<f64>| points.iter().rev().find_map(pick);
        let mut labels: Vec<(String, f64, &'static str, bool)> = Vec::new();
        if let Some(v) = last_of(|p| p.own) {
            labels.push((
                format!("◆ {}", format_number(v, decimals)),
                y.at(v),
                OWN,
                true,
            ));
        }
        if let Some(v) = last_of(|p| p.median) {
            labels.push((
                format!("{median_label} {}", format_number(v, decimals)),
                y.at(v),
                TEXT,
                false,
            ));
        }
        if let Some(t) = target {
            labels.push((t.label.clone(), y.at(t.value), TEXT, false));
        }
        let placed = spread_labels(&labels.iter().map(|l| l.1).collect::<Vec<_>>(), 12.0);
        model.end_labels = labels
            .into_iter()
            .zip(placed)
            .map(|((text, _, colour, bold), at)| Label {
                x: WIDTH - RIGHT + 6.0,
                y: at + 3.5,
                text,
                anchor: "start",
                colour,
                bold,
            })
            .collect();
        model
    }

    /// The chart as an SVG element (no XML prolog), for embedding in HTML. `id` makes the
    /// title and description ids unique in the document.
    pub fn svg(&self, id: &str) -> String {
        let mut s = String::new();
        // Writing into a String cannot fail.
        let _ = write!(
            s,
            r#"<svg class="trend-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{id}-title" aria-describedby="{id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
            self.width,
            self.height,
            escape(&self.title),
            escape(&self.desc)
        );
        for g in &self.grid {
            let _ = write!(
                s,
                r##"<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#BDBDBD" stroke-width="0.75"/>"##,
                px(g.from.0),
                px(g.to.0),
                px(g.from.1),
                px(g.to.1)
            );
        }
        for t in &self.ticks {
            label(&mut s, t);
        }
        if !self.band.trim().is_empty() {
            let _ = write!(s, r#"<polygon points="{}" fill="{BAND}"/>"#, self.band);
            for edge in &self.band_edges {
                let _ = write!(
                    s,
                    r#"<polyline points="{edge}" fill="none" stroke="{TEXT_2}" stroke-width="1" stroke-dasharray="4 3"/>"#
                );
            }
        }
        let _ = write!(
            s,
            r#"<polyline points="{}" fill="none" stroke="{PEER}" stroke-width="1.75"/>"#,
            self.median_line
        );
        for (cx, cy) in &self.median_dots {
            let _ = write!(
                s,
                r#"<circle cx="{}" cy="{}" r="2.5" fill="{PEER}"/>"#,
                px(*cx),
                px(*cy)
            );
        }
        for (line, number) in &self.events {
            let _ = write!(
                s,
                r#"<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{TEXT}" stroke-width="0.75" stroke-dasharray="2 2"/>"#,
                px(line.from.0),
                px(line.to.0),
                px(line.from.1),
                px(line.to.1)
            );
            label(&mut s, number);
        }
        if let Some((line, end)) = &self.target {
            let _ = write!(
                s,
                r#"<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{TEXT}" stroke-width="1.5" stroke-dasharray="5 3"/><line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{TEXT}" stroke-width="1.5"/>"#,
                px(line.from.0),
                px(line.to.0),
                px(line.from.1),
                px(line.to.1),
                px(end.from.0),
                px(end.to.0),
                px(end.from.1),
                px(end.to.1)
            );
        }
        let _ = write!(
            s,
            r#"<polyline points="{}" fill="none" stroke="{OWN}" stroke-width="2.5"/>"#,
            self.own_line
        );
        for (cx, cy) in &self.own_marks {
            let _ = write!(
                s,
                r#"<polygon points="{}" fill="{OWN}"/>"#,
                diamond_points(*cx, *cy, 3.0)
            );
        }
        for l in &self.end_labels {
            label(&mut s, l);
        }
        s.push_str("</svg>");
        s
    }
}

/// The corners of a diamond (the own municipality's mark) around a centre: a square of side
/// `2 · half` turned by 45°, as the app's other charts draw it.
pub fn diamond_points(cx: f64, cy: f64, half: f64) -> String {
    let half = half * std::f64::consts::SQRT_2;
    format!(
        "{},{} {},{} {},{} {},{}",
        px(cx),
        px(cy - half),
        px(cx + half),
        px(cy),
        px(cx),
        px(cy + half),
        px(cx - half),
        px(cy)
    )
}

fn label(s: &mut String, l: &Label) {
    let weight = if l.bold { r#" font-weight="700""# } else { "" };
    let _ = write!(
        s,
        r#"<text x="{}" y="{}" text-anchor="{}" font-size="10"{weight} fill="{}">{}</text>"#,
        px(l.x),
        px(l.y),
        l.anchor,
        l.colour,
        escape(&l.text)
    );
}

/// Text for HTML and SVG: `& < > "` as entities.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(year: i32, own: f64, median: f64) -> YearPoint {
        YearPoint {
            year,
            own: Some(own),
            median: Some(median),
            q1: Some(median - 1.0),
            q3: Some(median + 1.0),
        }
    }

    #[test]
    fn scales_and_marks_sit_where_the_values_are() {
        let points = [point(2020, 10.0, 12.0), point(2024, 14.0, 12.0)];
        let m = TrendModel::new(
            "T".into(),
            "D".into(),
            &points,
            &[(1, 2022)],
            None,
            1,
            "Median",
        );
        // Values 10..14: step 1 (the first of 0,1 · 0,2 · 0,5 · 1 at least (14 − 10) / 5),
        // domain 10..14 onto 74..18; the ends of the scale are its ticks.
        assert_eq!(m.ticks[0].text, "10");
        assert_eq!(m.ticks[1].text, "14");
        let left = LEFT;
        let right = WIDTH - RIGHT;
        assert_eq!(m.own_marks[0], (left, 74.0));
        assert_eq!(m.own_marks[1], (right, 18.0));
        assert_eq!(m.median_dots[0], (left, 46.0));
        assert_eq!(m.events[0].0.from.0, (left + right) / 2.0);
        assert_eq!(m.end_labels[0].text, "◆ 14,0");
        assert_eq!(
            m.table[1],
            ["2024", "14,0", "12,0", "11,0", "13,0"].map(String::from)
        );
        let svg = m.svg("k");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"<title id="k-title">T</title>"#));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape(r#"<a href="x">&"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;"
        );
    }

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
