//! The geometry of a target's course chart: the own values as a line over the years, the target
//! as a horizontal line from the baseline year to the due year and the planned path from the
//! baseline value to the target. The page draws it as SVG from these coordinates.

use crate::analysis::target::{Series, Target};

/// The chart's width in SVG units.
pub const COURSE_WIDTH: f64 = 560.0;
/// The chart's height in SVG units.
pub const COURSE_HEIGHT: f64 = 200.0;
/// Room left of the plot (value labels).
pub const COURSE_LEFT: f64 = 56.0;
/// Room right of the plot (the target's and the last value's labels).
pub const COURSE_RIGHT: f64 = 64.0;
/// Room above the plot.
pub const COURSE_TOP: f64 = 16.0;
/// Room below the plot (year labels).
pub const COURSE_BOTTOM: f64 = 28.0;

/// Where everything of a course chart lies.
#[derive(Clone, Debug, PartialEq)]
pub struct CourseChart {
    /// The first year shown (the series' first or the baseline year, the earlier).
    pub first: i32,
    /// The last year shown (the series' last or the due year, the later).
    pub last: i32,
    /// The value at the bottom of the plot (0 or below).
    pub lo: f64,
    /// The value at the top of the plot (5 % above the highest value).
    pub hi: f64,
    /// Each year of the series: year, value and its point (x, y).
    pub points: Vec<(i32, f64, f64, f64)>,
    /// The own values' line as SVG `points`.
    pub path: String,
    /// The height of the target line.
    pub target_y: f64,
    /// Where the planned path starts: the baseline value's height, when the series has it.
    pub plan_y: Option<f64>,
    /// The labelled years: every year, or every n-th so that at most about 8 are labelled.
    pub ticks: Vec<i32>,
}

impl CourseChart {
    /// The chart of `target` over the own values `series`.
    pub fn new(target: &Target, series: &Series) -> CourseChart {
        let (baseline, due) = (target.baseline_year, target.due_year);
        let first = series.keys().next().map_or(baseline, |&y| y.min(baseline));
        let last = series.keys().next_back().map_or(due, |&y| y.max(due));
        let values = series.values().copied().chain([target.target]);
        let lo = values.clone().fold(f64::INFINITY, f64::min).min(0.0);
        let hi = values.fold(f64::NEG_INFINITY, f64::max);
        let hi = if hi > lo { hi * 1.05 } else { lo + 1.0 };
        let mut chart = CourseChart {
            first,
            last,
            lo,
            hi,
            points: Vec::new(),
            path: String::new(),
            target_y: 0.0,
            plan_y: None,
            ticks: Vec::new(),
        };
        chart.points = series
            .iter()
            .map(|(&year, &v)| (year, v, chart.x(year), chart.y(v)))
            .collect();
        chart.path = chart
            .points
            .iter()
            .map(|&(_, _, x, y)| format!("{x:.1},{y:.1}"))
            .collect::<Vec<_>>()
            .join(" ");
        chart.target_y = chart.y(target.target);
        chart.plan_y = target.baseline(series).map(|b| chart.y(b));
        let years: Vec<i32> = (first..=last).collect();
        let step = years.len().div_ceil(8).max(1);
        chart.ticks = years.into_iter().step_by(step).collect();
        chart
    }

    /// The horizontal position of `year`.
    pub fn x(&self, year: i32) -> f64 {
        let span = (self.last - self.first).max(1) as f64;
        COURSE_LEFT
            + (year - self.first) as f64 / span * (COURSE_WIDTH - COURSE_LEFT - COURSE_RIGHT)
    }

    /// The vertical position of the value `v`.
    pub fn y(&self, v: f64) -> f64 {
        COURSE_TOP
            + (self.hi - v) / (self.hi - self.lo) * (COURSE_HEIGHT - COURSE_TOP - COURSE_BOTTOM)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(baseline_year: i32, due_year: i32, value: f64) -> Target {
        Target {
            kpi: "kpi".to_string(),
            target: value,
            baseline_year,
            due_year,
            owner: String::new(),
            measures: Vec::new(),
            last_changed: None,
        }
    }

    #[test]
    fn years_values_and_points() {
        let series: Series = [(2020, 50.0), (2021, 100.0)].into_iter().collect();
        let chart = CourseChart::new(&target(2020, 2024, 80.0), &series);
        assert_eq!((chart.first, chart.last), (2020, 2024));
        assert_eq!((chart.lo, chart.hi), (0.0, 105.0));
        // 2020 at the left edge, 2024 at the right; 0 at the bottom, 105 at the top.
        assert_eq!(chart.x(2020), 56.0);
        assert_eq!(chart.x(2024), 496.0);
        assert_eq!(chart.y(0.0), 172.0);
        assert_eq!(chart.y(105.0), 16.0);
        assert_eq!(chart.points[1], (2021, 100.0, 166.0, chart.y(100.0)));
        assert_eq!(chart.path, "56.0,97.7 166.0,23.4");
        assert_eq!(chart.plan_y, Some(chart.y(50.0)));
        assert_eq!(chart.target_y, chart.y(80.0));
        assert_eq!(chart.ticks, vec![2020, 2021, 2022, 2023, 2024]);
    }

    #[test]
    fn negative_values_long_spans_and_no_baseline() {
        let series: Series = [(2010, -20.0), (2011, 10.0)].into_iter().collect();
        let chart = CourseChart::new(&target(2009, 2030, 0.0), &series);
        assert_eq!((chart.first, chart.last), (2009, 2030));
        assert_eq!(chart.lo, -20.0);
        assert_eq!(chart.hi, 10.0 * 1.05);
        // 22 years: every third is labelled.
        assert_eq!(chart.ticks.len(), 8);
        assert_eq!(chart.ticks[1], 2012);
        // The baseline year 2009 has no value: no planned path.
        assert_eq!(chart.plan_y, None);
        // All values 0: a span of 1 above.
        let flat: Series = [(2020, 0.0)].into_iter().collect();
        let chart = CourseChart::new(&target(2020, 2020, 0.0), &flat);
        assert_eq!((chart.lo, chart.hi), (0.0, 1.0));
        assert_eq!(chart.x(2020), 56.0);
    }
}
