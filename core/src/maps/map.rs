//! The district map as plain data: SVG paths of every boundary on a fixed canvas, where each
//! district's name goes, and the classes and colours of a choropleth. The app only writes these
//! into an `<svg>`; the CLI's report could do the same.

use crate::analysis::statistics::{quantile, rank};
use crate::catalogue::definition::Better;
use crate::maps::geo::{Boundaries, Join, Ring};

/// The canvas width in SVG units; the height follows the boundaries' aspect.
pub const MAP_WIDTH: f64 = 800.0;
const MARGIN: f64 = 8.0;
/// Points closer than this (canvas units) to the last one drawn are left out: a boundary
/// digitised to the centimetre would otherwise write megabytes of invisible detail.
const MIN_STEP: f64 = 0.35;

/// One drawn feature.
#[derive(Clone, Debug, PartialEq)]
pub struct MapArea {
    /// The district it belongs to (index into the joined districts), `None` for a boundary
    /// without data.
    pub district: Option<usize>,
    /// Its SVG path (`M … Z` per ring, holes by the even-odd rule).
    pub path: String,
    /// Its area on the canvas (square units), for choosing where a name goes.
    pub area: f64,
    /// A point inside its largest polygon, where the district's name goes.
    pub label: [f64; 2],
}

/// The boundaries on the canvas.
#[derive(Clone, Debug, PartialEq)]
pub struct MapShape {
    /// The canvas height (the width is [`MAP_WIDTH`]).
    pub height: f64,
    /// Every feature, in the file's order.
    pub areas: Vec<MapArea>,
}

impl MapShape {
    /// Draws the boundaries of a file joined to districts.
    pub fn new(boundaries: &Boundaries, join: &Join) -> MapShape {
        let mut district_of = vec![None; boundaries.features.len()];
        for (d, features) in join.areas.iter().enumerate() {
            for &f in features {
                district_of[f] = Some(d);
            }
        }
        let points = || {
            boundaries
                .features
                .iter()
                .flat_map(|f| f.polygons.iter().flatten().flatten())
        };
        let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in points() {
            min_x = min_x.min(p[0]);
            max_x = max_x.max(p[0]);
            min_y = min_y.min(p[1]);
            max_y = max_y.max(p[1]);
        }
        let span = (max_x - min_x).max(max_y - min_y).max(1.0);
        let scale = (MAP_WIDTH - 2.0 * MARGIN) / span;
        let height = ((max_y - min_y) * scale + 2.0 * MARGIN).max(2.0 * MARGIN);
        // Centred horizontally when the city is taller than wide.
        let dx = (MAP_WIDTH - 2.0 * MARGIN - (max_x - min_x) * scale) / 2.0;
        let at = |p: &[f64; 2]| {
            [
                MARGIN + dx + (p[0] - min_x) * scale,
                MARGIN + (max_y - p[1]) * scale,
            ]
        };
        let areas = boundaries
            .features
            .iter()
            .zip(district_of)
            .map(|(feature, district)| {
                let mut path = String::new();
                let mut best: Option<(f64, Vec<Ring>)> = None;
                let mut total = 0.0;
                for polygon in &feature.polygons {
                    let rings: Vec<Ring> =
                        polygon.iter().map(|r| r.iter().map(at).collect()).collect();
                    for ring in &rings {
                        write_ring(&mut path, ring);
                    }
                    let area = rings.first().map_or(0.0, |r| ring_area(r).abs())
                        - rings
                            .iter()
                            .skip(1)
                            .map(|r| ring_area(r).abs())
                            .sum::<f64>();
                    total += area;
                    if best.as_ref().is_none_or(|(a, _)| area > *a) {
                        best = Some((area, rings));
                    }
                }
                let label = best.map_or([0.0, 0.0], |(_, rings)| inner_point(&rings));
                MapArea {
                    district,
                    path,
                    area: total,
                    label,
                }
            })
            .collect();
        MapShape { height, areas }
    }

    /// The outline of a district: the paths of all its features as one (a district of several
    /// features, or with an island, is one shape to point at).
    pub fn path_of(&self, district: usize) -> String {
        self.areas
            .iter()
            .filter(|a| a.district == Some(district))
            .map(|a| a.path.as_str())
            .collect()
    }

    /// Where a district's name goes: inside its largest area.
    pub fn label_of(&self, district: usize) -> Option<[f64; 2]> {
        self.areas
            .iter()
            .filter(|a| a.district == Some(district))
            .max_by(|a, b| a.area.total_cmp(&b.area))
            .map(|a| a.label)
    }
}

fn write_ring(path: &mut String, ring: &[[f64; 2]]) {
    use std::fmt::Write;
    let mut last: Option<[f64; 2]> = None;
    for (i, p) in ring.iter().enumerate() {
        let far = last.is_none_or(|l| (p[0] - l[0]).hypot(p[1] - l[1]) >= MIN_STEP);
        if far || i + 1 == ring.len() {
            let cmd = if last.is_none() { 'M' } else { 'L' };
            let _ = write!(path, "{cmd}{:.1} {:.1}", p[0], p[1]);
            last = Some(*p);
        }
    }
    path.push('Z');
}

/// Twice the signed area of a closed ring (shoelace).
fn ring_area(ring: &[[f64; 2]]) -> f64 {
    ring.windows(2)
        .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
        .sum::<f64>()
        / 2.0
}

/// A point inside a polygon with holes: the middle of the widest stretch inside it along the
/// horizontal line through its centroid (a centroid may lie outside a crescent-shaped district).
fn inner_point(rings: &[Ring]) -> [f64; 2] {
    let Some(outer) = rings.first() else {
        return [0.0, 0.0];
    };
    let n = outer.len().saturating_sub(1).max(1) as f64;
    let y = outer.iter().skip(1).map(|p| p[1]).sum::<f64>() / n;
    let mut xs: Vec<f64> = rings
        .iter()
        .flat_map(|r| r.windows(2))
        .filter(|w| (w[0][1] > y) != (w[1][1] > y))
        .map(|w| w[0][0] + (y - w[0][1]) / (w[1][1] - w[0][1]) * (w[1][0] - w[0][0]))
        .collect();
    xs.sort_by(f64::total_cmp);
    let widest = xs
        .chunks_exact(2)
        .max_by(|a, b| (a[1] - a[0]).total_cmp(&(b[1] - b[0])));
    match widest {
        Some(pair) => [(pair[0] + pair[1]) / 2.0, y],
        None => {
            let x = outer.iter().skip(1).map(|p| p[0]).sum::<f64>() / n;
            [x, y]
        }
    }
}

/// How values are put into classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Classing {
    /// Each class holds about as many districts (quantiles, R type 7).
    Quantiles,
    /// Each class spans the same range of values.
    EqualSteps,
}

/// The most classes a map shows: more are hard to tell apart by lightness.
pub const MAX_CLASSES: usize = 5;

/// A sequential scale from light to dark, ColorBrewer's YlGnBu (Brewer, colorbrewer2.org:
/// marked colour-blind safe): lightness alone orders it, so it reads in grey too.
const SCALE: [&str; MAX_CLASSES] = ["#FFFFCC", "#A1DAB4", "#41B6C4", "#2C7FB8", "#253494"];

/// The classes of a map: boundaries between them and each district's class.
#[derive(Clone, Debug, PartialEq)]
pub struct Classes {
    /// The class edges, ascending: class `i` holds values from `edges[i]` to `edges[i + 1]`
    /// (the first class includes its lower edge, every class its upper one).
    pub edges: Vec<f64>,
    /// Each district's class, `None` without a value.
    pub of: Vec<Option<usize>>,
    /// The fill of each class: darker is worse by the KPI's `better` (for `neutral`, higher).
    pub fills: Vec<&'static str>,
}

impl Classes {
    /// Classes of the values (one per district) in up to `wanted` classes.
    pub fn new(
        values: &[Option<f64>],
        classing: Classing,
        wanted: usize,
        better: Better,
    ) -> Classes {
        let mut sorted: Vec<f64> = values.iter().flatten().copied().collect();
        sorted.sort_by(f64::total_cmp);
        let k = wanted.clamp(1, MAX_CLASSES);
        let mut edges: Vec<f64> = match (sorted.first(), sorted.last()) {
            (Some(&lo), Some(&hi)) => (0..=k)
                .map(|i| {
                    let p = i as f64 / k as f64;
                    match classing {
                        Classing::Quantiles => quantile(&sorted, p).unwrap_or(lo),
                        Classing::EqualSteps => lo + p * (hi - lo),
                    }
                })
                .collect(),
            _ => Vec::new(),
        };
        // Equal values make empty classes; one edge each is enough.
        edges.dedup();
        if edges.len() == 1 {
            edges.push(edges[0]);
        }
        let classes = edges.len().saturating_sub(1);
        let of = values
            .iter()
            .map(|v| {
                let v = (*v)?;
                Some(
                    (1..edges.len())
                        .find(|&i| v <= edges[i])
                        .map_or(classes.saturating_sub(1), |i| i - 1),
                )
            })
            .collect();
        // Spread the classes over the scale's whole lightness range.
        let step = |i: usize| {
            if classes <= 1 {
                MAX_CLASSES / 2
            } else {
                (i * (MAX_CLASSES - 1) + (classes - 1) / 2) / (classes - 1)
            }
        };
        let fills = (0..classes)
            .map(|i| {
                let worse_up = better != Better::Higher;
                SCALE[step(if worse_up { i } else { classes - 1 - i })]
            })
            .collect();
        Classes { edges, of, fills }
    }

    /// The fill of a district, `None` without a value.
    pub fn fill(&self, district: usize) -> Option<&'static str> {
        self.of
            .get(district)
            .copied()
            .flatten()
            .map(|c| self.fills[c])
    }
}

/// A district's place among the districts with a value: 1 = best by the KPI's `better`
/// (for `neutral`, 1 = highest); ties share the better rank (as CONTRACT §3's `rank`).
pub fn district_rank(value: f64, values: &[Option<f64>], better: Better) -> usize {
    let all: Vec<f64> = values.iter().flatten().copied().collect();
    rank(value, &all, better != Better::Lower)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::maps::geo::read_boundaries;

    #[test]
    fn quantile_and_equal_classes_with_polarity() {
        let values = [Some(1.0), Some(2.0), Some(3.0), Some(4.0), Some(10.0), None];
        let q = Classes::new(&values, Classing::Quantiles, 5, Better::Lower);
        // Type-7 quantiles of 1, 2, 3, 4, 10 at 0, .2, .4, .6, .8, 1.
        let expected = [1.0, 1.8, 2.6, 3.4, 5.2, 10.0];
        assert_eq!(q.edges.len(), expected.len());
        assert!(
            q.edges
                .iter()
                .zip(expected)
                .all(|(a, b)| (a - b).abs() < 1e-12),
            "{:?}",
            q.edges
        );
        assert_eq!(
            q.of,
            vec![Some(0), Some(1), Some(2), Some(3), Some(4), None]
        );
        assert_eq!(
            q.fill(4),
            Some("#253494"),
            "highest is darkest when lower is better"
        );
        let higher = Classes::new(&values, Classing::Quantiles, 5, Better::Higher);
        assert_eq!(
            higher.fill(4),
            Some("#FFFFCC"),
            "highest is lightest when higher is better"
        );
        let e = Classes::new(&values, Classing::EqualSteps, 3, Better::Neutral);
        assert_eq!(e.edges, vec![1.0, 4.0, 7.0, 10.0]);
        assert_eq!(
            e.of,
            vec![Some(0), Some(0), Some(0), Some(0), Some(2), None]
        );
        assert_eq!(e.fills, vec!["#FFFFCC", "#41B6C4", "#253494"]);
        let same = Classes::new(
            &[Some(2.0), Some(2.0)],
            Classing::Quantiles,
            5,
            Better::Lower,
        );
        assert_eq!(same.edges, vec![2.0, 2.0]);
        assert_eq!(same.of, vec![Some(0), Some(0)]);
        assert!(Classes::new(&[None], Classing::EqualSteps, 5, Better::Lower).of == vec![None]);
    }

    #[test]
    fn ranks_follow_better() {
        let values = [Some(3.0), Some(1.0), Some(3.0), None];
        assert_eq!(district_rank(1.0, &values, Better::Lower), 1);
        assert_eq!(district_rank(3.0, &values, Better::Lower), 2);
        assert_eq!(district_rank(3.0, &values, Better::Higher), 1);
        assert_eq!(district_rank(1.0, &values, Better::Neutral), 3);
    }

    #[test]
    fn paths_fit_the_canvas_and_names_sit_inside() {
        // A U-shaped district (its centroid is outside) and a square with a hole, in UTM.
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"n":"U"},"geometry":{"type":"Polygon","coordinates":[[[300000,5000000],[303000,5000000],[303000,5003000],[302000,5003000],[302000,5001000],[301000,5001000],[301000,5003000],[300000,5003000],[300000,5000000]]]}},
          {"type":"Feature","properties":{"n":"Q"},"geometry":{"type":"Polygon","coordinates":[[[303000,5000000],[306000,5000000],[306000,5003000],[303000,5003000],[303000,5000000]],[[304000,5001000],[305000,5001000],[305000,5002000],[304000,5002000],[304000,5001000]]]}}]}"#;
        let b = read_boundaries("g.geojson", text.as_bytes()).expect("reads");
        let join = Join::by(&b, "n", &["Q", "U", "X"]);
        let shape = MapShape::new(&b, &join);
        assert_eq!(shape.areas[0].district, Some(1));
        assert_eq!(shape.areas[1].district, Some(0));
        // 6 km wide, 3 km high: 784 units wide, so 392 high plus the margins.
        assert!((shape.height - (392.0 + 16.0)).abs() < 1e-9);
        assert!(shape.areas[1].path.starts_with("M400.0 400.0L792.0 400.0"));
        assert_eq!(shape.areas[1].path.matches('Z').count(), 2);
        // The U's name is in one of its arms, not in the gap between them.
        let [x, y] = shape.label_of(1).expect("a label");
        let arm = |x: f64| (8.0..=138.7).contains(&x) || (269.3..=400.0).contains(&x);
        assert!(arm(x) && y > 8.0 && y < 400.0, "{x} {y}");
        // The canvas area: the U is 7 of 9 squares of 130.67 units, the other 8 (one a hole).
        let square = 784.0 / 6.0;
        assert!((shape.areas[0].area - 7.0 * square * square).abs() < 1e-6);
        assert!((shape.areas[1].area - 8.0 * square * square).abs() < 1e-6);
        assert!(shape.label_of(2).is_none());
        assert_eq!(shape.path_of(0), shape.areas[1].path);
        assert!(shape.path_of(2).is_empty());
    }
}
