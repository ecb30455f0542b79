//! Targets (Ziele, CONTRACT §7): what the own municipality wants a KPI to reach by when, who
//! owns it and what is done about it (PDCA), and how far along it is.
//!
//! Progress compares a year's value with the way from the baseline to the target:
//! `(v − baseline) / (target − baseline) × 100`, so 0 % is the baseline, 100 % the target, and the
//! sign follows the target's direction whether the KPI should fall or rise.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::analysis::kpi::KpiTable;
use crate::analysis::peer::PeerRow;
use crate::catalogue::definition::Better;

/// The own municipality's values of one KPI by year, the input of every progress question.
pub type Series = BTreeMap<i32, f64>;

/// A target for a KPI of the own municipality. Lives in the session, never in the uploads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// The KPI id.
    pub kpi: String,
    /// The value to reach.
    pub target: f64,
    /// The year whose value is the starting point.
    pub baseline_year: i32,
    /// The year by which the target should be reached.
    pub due_year: i32,
    /// Who is responsible.
    #[serde(default)]
    pub owner: String,
    /// What is done to reach it.
    #[serde(default)]
    pub measures: Vec<Action>,
    /// When the target was last edited (ISO 8601, set by the caller: the core has no clock).
    #[serde(default)]
    pub last_changed: Option<String>,
}

/// An action (Maßnahme) taken to reach a target, with its PDCA stage. Serialized as before
/// (a struct's name is not part of its JSON), in the session file's `measures`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// What is done, in the user's words.
    pub text: String,
    /// Where it stands in the plan–do–check–act cycle.
    pub stage: Stage,
}

/// A stage of the PDCA cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Planned.
    Plan,
    /// Being done.
    Do,
    /// Effect being checked.
    Check,
    /// Adjusted or made standard.
    Act,
}

impl Target {
    /// The own municipality's values of this target's KPI by year, from the KPI table (years
    /// without a number are left out). Empty when the catalogue has no such KPI.
    pub fn series(&self, table: &KpiTable, own: usize) -> Series {
        series_of(table, own, &self.kpi)
    }

    /// The KPI's value in the baseline year, if the series has it.
    pub fn baseline(&self, series: &Series) -> Option<f64> {
        series.get(&self.baseline_year).copied()
    }

    /// Progress in `year` in percent. `None` when the baseline or the year's value is missing,
    /// when target equals baseline (no way to go), and for years before the baseline year (the
    /// target did not exist yet; a percentage there would only restate history).
    pub fn progress(&self, series: &Series, year: i32) -> Option<f64> {
        let baseline = self.baseline(series)?;
        let value = *series.get(&year)?;
        if year < self.baseline_year || self.target == baseline {
            return None;
        }
        Some((value - baseline) / (self.target - baseline) * 100.0)
    }

    /// The latest year of the series from the baseline year on, with its progress.
    pub fn latest_progress(&self, series: &Series) -> Option<(i32, f64)> {
        let (&year, _) = series.range(self.baseline_year..).next_back()?;
        Some((year, self.progress(series, year)?))
    }

    /// How far along the linear path from baseline (in the baseline year) to target (in the due
    /// year) `year` should be, in percent: 0 in the baseline year, 100 from the due year on.
    pub fn planned_progress(&self, year: i32) -> f64 {
        let span = self.due_year - self.baseline_year;
        if year >= self.due_year || span <= 0 {
            return 100.0;
        }
        (year - self.baseline_year).max(0) as f64 / span as f64 * 100.0
    }

    /// Whether `year`'s value is at least as far along as the linear path. Exactly on the path
    /// counts as on track; a relative tolerance of 1e-9 keeps a value that is on the path in
    /// decimal from being judged behind by the rounding of binary floats. `None` when the
    /// progress is.
    pub fn on_track(&self, series: &Series, year: i32) -> Option<bool> {
        let progress = self.progress(series, year)?;
        let planned = self.planned_progress(year);
        Some(progress >= planned - 1e-9 * planned.abs().max(1.0))
    }
}

/// A municipality's values of a KPI by year: the years that have a number (missing values and
/// years without a record are left out, so the latest year is the latest with a value). Empty
/// when the KPI is not in the table (a target orphaned by a catalogue change).
pub fn series_of(table: &KpiTable, municipality: usize, kpi: &str) -> Series {
    let Some(k) = table.kpi_index(kpi) else {
        return Series::new();
    };
    table
        .series(municipality, k)
        .into_iter()
        .filter_map(|(year, v)| Some((year, v.number()?)))
        .collect()
}

/// Which peer statistic a suggested target value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Benchmark {
    /// The peer group's median: "as good as the typical peer".
    Median,
    /// The lower quartile: the best quarter when lower is better.
    LowerQuartile,
    /// The upper quartile: the best quarter when higher is better.
    UpperQuartile,
}

/// Target values the peer group suggests for a KPI: the median, and the quartile on the better
/// side (none for `neutral` KPIs, where no side is better). Missing statistics are left out.
pub fn suggestions(row: &PeerRow, better: Better) -> Vec<(Benchmark, f64)> {
    let quartile = match better {
        Better::Lower => Some((Benchmark::LowerQuartile, row.q1)),
        Better::Higher => Some((Benchmark::UpperQuartile, row.q3)),
        Better::Neutral => None,
    };
    [Some((Benchmark::Median, row.median)), quartile]
        .into_iter()
        .flatten()
        .filter_map(|(b, v)| Some((b, v?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(target: f64, baseline_year: i32, due_year: i32) -> Target {
        Target {
            kpi: "dichte".into(),
            target,
            baseline_year,
            due_year,
            owner: String::new(),
            measures: Vec::new(),
            last_changed: None,
        }
    }

    fn series(values: &[(i32, f64)]) -> Series {
        values.iter().copied().collect()
    }

    #[test]
    fn progress() {
        let falling = series(&[(2019, 9.0), (2020, 10.0), (2021, 8.0), (2022, 6.5)]);
        let cases: &[(f64, i32, &Series, i32, Option<f64>)] = &[
            // better = lower: target below the baseline, falling values make progress.
            (6.0, 2020, &falling, 2021, Some(50.0)),
            (6.0, 2020, &falling, 2022, Some(87.5)),
            (6.0, 2020, &falling, 2020, Some(0.0)),
            // better = higher: target above the baseline; falling values go backwards.
            (12.0, 2020, &falling, 2021, Some(-100.0)),
            (11.0, 2020, &falling, 2022, Some(-350.0)),
            // missing baseline year, missing year, target equal to baseline, year before baseline.
            (6.0, 2018, &falling, 2021, None),
            (6.0, 2020, &falling, 2023, None),
            (10.0, 2020, &falling, 2021, None),
            (6.0, 2020, &falling, 2019, None),
        ];
        for &(t, baseline_year, s, year, want) in cases {
            let got = target(t, baseline_year, 2025).progress(s, year);
            assert_eq!(got, want, "target {t} baseline {baseline_year} year {year}");
        }
    }

    #[test]
    fn series_from_the_kpi_table() {
        use crate::testing;
        use crate::value::{Reason, Value};
        let catalogue = testing::catalogue("");
        let d = testing::ew_lb(&[
            ("A", 2020, Value::Number(1000.0), Value::Number(10.0)),
            (
                "A",
                2021,
                Value::Number(1000.0),
                Value::Missing(Reason::Unknown),
            ),
            ("A", 2022, Value::Number(2000.0), Value::Number(14.0)),
        ]);
        let table = KpiTable::compute(&catalogue, &d);
        let t = target(6.0, 2020, 2025);
        assert_eq!(t.series(&table, 0), series(&[(2020, 10.0), (2022, 7.0)]));
        assert_eq!(t.latest_progress(&t.series(&table, 0)), Some((2022, 75.0)));
        let other = Target {
            kpi: "gibt_es_nicht".into(),
            ..t
        };
        assert!(other.series(&table, 0).is_empty());
    }

    #[test]
    fn latest_progress_uses_the_last_year_with_a_value() {
        let s = series(&[(2019, 9.0), (2020, 10.0), (2022, 8.0)]);
        assert_eq!(
            target(6.0, 2020, 2025).latest_progress(&s),
            Some((2022, 50.0))
        );
        assert_eq!(target(6.0, 2023, 2025).latest_progress(&s), None);
    }

    #[test]
    fn planned_progress_is_linear_and_clamped() {
        let t = target(6.0, 2020, 2024);
        let cases = [
            (2019, 0.0),
            (2020, 0.0),
            (2021, 25.0),
            (2023, 75.0),
            (2024, 100.0),
            (2030, 100.0),
        ];
        for (year, want) in cases {
            assert_eq!(t.planned_progress(year), want, "{year}");
        }
        assert_eq!(target(6.0, 2020, 2020).planned_progress(2020), 100.0);
    }

    #[test]
    fn suggestions_by_better() {
        let row = PeerRow {
            kpi: "dichte".into(),
            n: 5,
            own_value: Some(9.0),
            mean: Some(8.0),
            pooled: Some(7.9),
            median: Some(7.5),
            q1: Some(6.0),
            q3: Some(9.5),
            min: Some(5.0),
            max: Some(11.0),
            rank: Some(4),
            index: Some(112.5),
            deviation: Some(1.5),
            judgement: None,
        };
        let cases: &[(Better, &[(Benchmark, f64)])] = &[
            (
                Better::Lower,
                &[(Benchmark::Median, 7.5), (Benchmark::LowerQuartile, 6.0)],
            ),
            (
                Better::Higher,
                &[(Benchmark::Median, 7.5), (Benchmark::UpperQuartile, 9.5)],
            ),
            (Better::Neutral, &[(Benchmark::Median, 7.5)]),
        ];
        for &(better, want) in cases {
            assert_eq!(suggestions(&row, better), want, "{better:?}");
        }
        let empty = PeerRow {
            median: None,
            q1: None,
            ..row
        };
        assert_eq!(suggestions(&empty, Better::Lower), []);
    }

    #[test]
    fn on_track_boundary() {
        // Baseline 10 in 2020, target 6 in 2024: the path is 9 in 2021, 8 in 2022.
        let t = target(6.0, 2020, 2024);
        let cases: &[(f64, Option<bool>)] =
            &[(9.0, Some(true)), (8.9, Some(true)), (9.1, Some(false))];
        for &(v, want) in cases {
            assert_eq!(
                t.on_track(&series(&[(2020, 10.0), (2021, v)]), 2021),
                want,
                "{v}"
            );
        }
        // Exactly on the path even where binary floats cannot say 0.1 exactly.
        let t = target(0.3, 2020, 2023);
        assert_eq!(
            t.on_track(&series(&[(2020, 0.0), (2021, 0.1)]), 2021),
            Some(true)
        );
        assert_eq!(
            t.on_track(&series(&[(2020, 0.0), (2021, 0.0999)]), 2021),
            Some(false)
        );
        assert_eq!(t.on_track(&series(&[(2021, 0.1)]), 2021), None);
    }
}
