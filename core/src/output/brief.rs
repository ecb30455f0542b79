//! What the short report (Kurzbericht) says in words: where the own value stands in the peer
//! group and how it moved over the years, so council members read it without a chart.

use serde::{Deserialize, Serialize};

use crate::analysis::finding::{Comments, FindingKey};
use crate::analysis::peer::PeerRow;
use crate::catalogue::definition::Catalogue;
use crate::read::upload::LoadReport;
use crate::value::Value;

/// Words in a skipped line that mark official statistics, the copyright line first (it names
/// the office), then the table titles of GENESIS and the Regionaldatenbank.
const OFFICIAL_MARKS: [&str; 5] = [
    "©",
    "Statistische Ämter",
    "Statistisches Bundesamt",
    "Regionaldatenbank",
    "GENESIS-Tabelle",
];

/// The source line of official figures among the uploads: the first skipped line (title or
/// footnote) that names an official statistics office, for the report's source and licence
/// lines; `None` when every upload is the ring's own survey.
pub fn official_source(reports: &[LoadReport]) -> Option<String> {
    OFFICIAL_MARKS.iter().find_map(|mark| {
        reports
            .iter()
            .flat_map(|r| r.skipped.iter())
            .find(|line| line.text.contains(mark))
            .map(|line| {
                line.text
                    .trim_matches(|c: char| c == '"' || c.is_whitespace())
                    .to_string()
            })
    })
}

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

/// How much a KPI moved, in the measure that reads right for its unit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Movement {
    /// In percent of the earlier value (`None` when that is 0, where a percentage means nothing).
    Percent(Option<f64>),
    /// In percentage points, for a KPI that is itself a percentage (unit `%`): a share from 40 %
    /// to 44 % rose by 4 points, and a rate of change from −1.7 % to −7.1 % fell by 5.4 points,
    /// not by "−319.5 %" (a percent of a percent).
    Points(f64),
}

/// How a KPI moved from an earlier year to the year looked at.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// The earlier year: the first that has a number, the one the trend really compares with.
    pub from_year: i32,
    /// Its value.
    pub from: f64,
    /// The value in the year looked at.
    pub to: f64,
    /// The change, in percent or percentage points by the KPI's unit.
    pub movement: Movement,
}

impl Trend {
    /// From the earliest year of `series` that has a number to `year`; `None` when `year` has
    /// no number or no earlier year has one. `series` is ascending by year; `unit` is the KPI's.
    pub fn of(series: &[(i32, &Value)], year: i32, unit: &str) -> Option<Trend> {
        let to = series.iter().find(|(y, _)| *y == year)?.1.number()?;
        let (from_year, from) = series
            .iter()
            .filter(|(y, _)| *y < year)
            .find_map(|(y, v)| Some((*y, v.number()?)))?;
        let movement = if is_percent(unit) {
            Movement::Points(to - from)
        } else {
            Movement::Percent((from != 0.0).then(|| (to - from) / from.abs() * 100.0))
        };
        Some(Trend {
            from_year,
            from,
            to,
            movement,
        })
    }
}

/// Whether a KPI's unit says it is a percentage (`%`, `in %`, `Prozent`).
pub fn is_percent(unit: &str) -> bool {
    let unit = unit.trim().to_lowercase();
    unit == "%" || unit.ends_with(" %") || unit == "prozent" || unit == "in prozent"
}

/// The comments on findings of `own` that concern KPI `kpi`: about the KPI itself or a measure
/// its formula reads, so the report shows the explanations next to the figure they explain.
pub fn comments_for<'c>(
    comments: &'c Comments,
    catalogue: &Catalogue,
    own: &str,
    kpi: &str,
) -> Vec<(&'c FindingKey, &'c str)> {
    let keys: &[String] = catalogue
        .kpi_index(kpi)
        .map(|k| catalogue.kpi_measures(k))
        .unwrap_or_default();
    comments
        .iter()
        .filter(|(key, _)| {
            key.municipality == own && (key.subject == kpi || keys.contains(&key.subject))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Reason;

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
    fn official_source_from_the_genesis_footnote() {
        let genesis = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/data/genesis/12411-01-01-4_00.csv"
        ));
        let ring = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/data/ring-quirks/ring.csv"
        ));
        let (Ok(genesis), Ok(ring)) = (genesis, ring) else {
            panic!("fixtures missing")
        };
        let report =
            |name: &str, bytes: &[u8]| crate::read::upload::load(name, bytes).map(|u| u.report);
        let (Ok(genesis), Ok(ring)) = (report("g.csv", &genesis), report("r.csv", &ring)) else {
            panic!("load")
        };
        assert_eq!(official_source(std::slice::from_ref(&ring)), None);
        let source = official_source(&[ring, genesis]).unwrap_or_default();
        assert!(source.contains("Statistische Ämter"), "{source}");
    }

    #[test]
    fn comments_about_the_kpi_or_its_measures() {
        let catalogue = Catalogue::builtin();
        let kpi = &catalogue.kpis()[0];
        let measure = kpi
            .formula
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .find(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
            .unwrap_or_default()
            .to_string();
        let key = |m: &str, subject: &str| FindingKey {
            code: crate::analysis::finding::Code::Missing,
            municipality: m.to_string(),
            year: 2020,
            subject: subject.to_string(),
        };
        let mut comments = Comments::new();
        comments.set(key("Own", &kpi.id), "zur Kennzahl");
        comments.set(key("Own", &measure), "zum Merkmal");
        comments.set(key("Own", "anderes_merkmal_xyz"), "anderes");
        comments.set(key("Other", &kpi.id), "andere Kommune");
        let mut texts: Vec<&str> = comments_for(&comments, &catalogue, "Own", &kpi.id)
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        texts.sort_unstable();
        assert_eq!(texts, ["zum Merkmal", "zur Kennzahl"]);
    }

    #[test]
    fn trend_from_first_year_with_a_number() {
        let missing = Value::Missing(Reason::Unknown);
        let (a, b, c) = (Value::Number(0.0), Value::Number(10.0), Value::Number(12.0));
        let series = [(2019, &missing), (2020, &b), (2021, &a), (2022, &c)];
        let t = Trend::of(&series, 2022, "EUR").map(|t| (t.from_year, t.movement));
        assert_eq!(t, Some((2020, Movement::Percent(Some(20.0)))));
        assert_eq!(Trend::of(&series, 2020, "EUR"), None);
        assert_eq!(Trend::of(&series, 2019, "EUR"), None);
        let zero = [(2021, &a), (2022, &c)];
        assert_eq!(
            Trend::of(&zero, 2022, "EUR").map(|t| t.movement),
            Some(Movement::Percent(None))
        );
    }

    #[test]
    fn percentages_move_in_points() {
        let (a, b) = (Value::Number(-1.7), Value::Number(-7.1));
        let series = [(2020, &a), (2024, &b)];
        for unit in ["%", " in % ", "Prozent"] {
            let Some(t) = Trend::of(&series, 2024, unit) else {
                panic!("{unit}")
            };
            assert!(
                matches!(t.movement, Movement::Points(p) if (p + 5.4).abs() < 1e-12),
                "{unit}"
            );
        }
        for unit in ["je 1.000 EW", "EUR", "%-Punkte je EW"] {
            assert!(!is_percent(unit), "{unit}");
        }
    }
}
