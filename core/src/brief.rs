//! What the short report (Kurzbericht) says in words: where the own value stands in the peer
//! group and how it moved over the years, so council members read it without a chart.

use serde::{Deserialize, Serialize};

use crate::dataset::Value;
use crate::peer::PeerRow;

/// Where the own value stands against the peer group's quartiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Placement {
    /// Below the lower quartile.
    LowestQuarter,
    /// Between the lower quartile and the median.
    BelowMedian,
    /// Equal to the median.
    AtMedian,
    /// Between the median and the upper quartile.
    AboveMedian,
    /// Above the upper quartile.
    HighestQuarter,
}

impl Placement {
    /// The placement of the row's own value; `None` when it or the quartiles are missing.
    pub fn of(row: &PeerRow) -> Option<Placement> {
        let (own, q1, median, q3) = (row.own_value?, row.q1?, row.median?, row.q3?);
        Some(if own == median {
            Placement::AtMedian
        } else if own < q1 {
            Placement::LowestQuarter
        } else if own < median {
            Placement::BelowMedian
        } else if own <= q3 {
            Placement::AboveMedian
        } else {
            Placement::HighestQuarter
        })
    }
}

/// How a KPI moved from an earlier year to the year looked at.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// The earlier year.
    pub from_year: i32,
    /// Its value.
    pub from: f64,
    /// The value in the year looked at.
    pub to: f64,
    /// The change in percent of the earlier value (`None` when that is 0).
    pub change_percent: Option<f64>,
}

impl Trend {
    /// From the earliest year of `series` that has a number to `year`; `None` when `year` has
    /// no number or no earlier year has one. `series` is ascending by year.
    pub fn of(series: &[(i32, &Value)], year: i32) -> Option<Trend> {
        let to = series.iter().find(|(y, _)| *y == year)?.1.number()?;
        let (from_year, from) = series
            .iter()
            .filter(|(y, _)| *y < year)
            .find_map(|(y, v)| Some((*y, v.number()?)))?;
        Some(Trend {
            from_year,
            from,
            to,
            change_percent: (from != 0.0).then(|| (to - from) / from.abs() * 100.0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Reason;

    fn row(own: Option<f64>) -> PeerRow {
        PeerRow {
            kpi: "k".into(),
            n: 5,
            own_value: own,
            mean: Some(3.0),
            pooled: None,
            median: Some(3.0),
            q1: Some(2.0),
            q3: Some(4.0),
            min: Some(1.0),
            max: Some(5.0),
            rank: None,
            index: None,
            deviation: None,
            judgement: None,
        }
    }

    #[test]
    fn placement_by_quartiles() {
        let cases: &[(Option<f64>, Option<Placement>)] = &[
            (Some(1.0), Some(Placement::LowestQuarter)),
            (Some(2.0), Some(Placement::BelowMedian)),
            (Some(3.0), Some(Placement::AtMedian)),
            (Some(4.0), Some(Placement::AboveMedian)),
            (Some(4.5), Some(Placement::HighestQuarter)),
            (None, None),
        ];
        for &(own, want) in cases {
            assert_eq!(Placement::of(&row(own)), want, "{own:?}");
        }
    }

    #[test]
    fn trend_from_first_year_with_a_number() {
        let missing = Value::Missing(Reason::Unknown);
        let (a, b, c) = (Value::Number(0.0), Value::Number(10.0), Value::Number(12.0));
        let series = [(2019, &missing), (2020, &b), (2021, &a), (2022, &c)];
        let t = Trend::of(&series, 2022).map(|t| (t.from_year, t.change_percent));
        assert_eq!(t, Some((2020, Some(20.0))));
        assert_eq!(Trend::of(&series, 2020), None);
        assert_eq!(Trend::of(&series, 2019), None);
        let zero = [(2021, &a), (2022, &c)];
        assert_eq!(Trend::of(&zero, 2022).map(|t| t.change_percent), Some(None));
    }
}
