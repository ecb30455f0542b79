//! Why a KPI moved between two years (CONTRACT §3, "Change between two years"): a KPI of the
//! form `N / D * c` changes because its numerator changed, because its denominator changed, or
//! both. The split below attributes the change to the two exactly (the symmetric, "midpoint"
//! decomposition), so "the density rose by 1.2: +1.5 from recipients, −0.3 from population"
//! adds up to the figure the reader sees.

use serde::{Deserialize, Serialize};

use crate::analysis::kpi::Panel;
use crate::catalogue::definition::Catalogue;
use crate::catalogue::ratio::Ratio;
use crate::dataset::Dataset;
use crate::value::{Reason, Value};

/// Why a KPI's change has no split.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoSplit {
    /// The formula is not of the form `N / D * c`, so there are no two factors to name.
    NotARatio,
    /// A value needed is missing: the KPI, its numerator or denominator in one of the years.
    Missing {
        /// The year in which it is missing.
        year: i32,
        /// Why.
        reason: Reason,
    },
}

impl std::fmt::Display for NoSplit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoSplit::NotARatio => {
                f.write_str("keine Zerlegung: die Formel ist kein Quotient N / D * c")
            }
            NoSplit::Missing { year, reason } => write!(f, "{year}: {reason}"),
        }
    }
}

/// A KPI's change for one municipality from year A to year B and its split (CONTRACT §3).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeSplit {
    /// The KPI id.
    pub kpi: String,
    /// The value in year A.
    pub value_from: Option<f64>,
    /// The value in year B.
    pub value_to: Option<f64>,
    /// `value_to − value_from`.
    pub change: Option<f64>,
    /// The part of the change that comes from the numerator: `c (N_B − N_A) / 2 (1/D_A + 1/D_B)`.
    pub numerator_effect: Option<f64>,
    /// The part that comes from the denominator: `c (N_A + N_B) / 2 (1/D_B − 1/D_A)`.
    pub denominator_effect: Option<f64>,
    /// The numerator in years A and B (for the words "recipients +15 %").
    pub numerators: Option<(f64, f64)>,
    /// The denominator in years A and B.
    pub denominators: Option<(f64, f64)>,
    /// Why there is no split (or no change), when there is none.
    pub reason: Option<NoSplit>,
}

impl ChangeSplit {
    /// The change of the numerator in percent of its value in year A (`None` when that is 0).
    pub fn numerator_percent(&self) -> Option<f64> {
        self.numerators.and_then(percent)
    }

    /// The change of the denominator in percent of its value in year A.
    pub fn denominator_percent(&self) -> Option<f64> {
        self.denominators.and_then(percent)
    }
}

fn percent((a, b): (f64, f64)) -> Option<f64> {
    (a != 0.0).then(|| (b - a) / a.abs() * 100.0)
}

/// The change split of every KPI of the catalogue for `municipality` from year `from` to year
/// `to`, in catalogue order.
pub fn change_splits(
    catalogue: &Catalogue,
    dataset: &Dataset,
    municipality: usize,
    from: i32,
    to: i32,
) -> Vec<ChangeSplit> {
    let panel = Panel::new(dataset);
    (0..catalogue.kpis().len())
        .map(|k| change_split(catalogue, &panel, k, municipality, from, to))
        .collect()
}

/// The change split of KPI index `kpi` (see [`change_splits`]).
pub fn change_split(
    catalogue: &Catalogue,
    panel: &Panel,
    kpi: usize,
    municipality: usize,
    from: i32,
    to: i32,
) -> ChangeSplit {
    let formula = catalogue.formula(kpi);
    let value = |year: i32| -> Result<f64, NoSplit> {
        if !panel.has_row(municipality, year) {
            return Err(NoSplit::Missing {
                year,
                reason: Reason::NoRecord,
            });
        }
        match catalogue.values(&panel.scope(municipality, year)).kpi(kpi) {
            Value::Number(x) => Ok(x),
            Value::Missing(reason) => Err(NoSplit::Missing { year, reason }),
        }
    };
    let (a, b) = (value(from), value(to));
    let mut split = ChangeSplit {
        kpi: catalogue.kpis()[kpi].id.clone(),
        value_from: a.as_ref().ok().copied(),
        value_to: b.as_ref().ok().copied(),
        change: None,
        numerator_effect: None,
        denominator_effect: None,
        numerators: None,
        denominators: None,
        reason: None,
    };
    let (a, b) = match (a, b) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            split.reason = Some(e);
            return split;
        }
    };
    split.change = Some(b - a);
    let Some(ratio) = Ratio::of(formula) else {
        split.reason = Some(NoSplit::NotARatio);
        return split;
    };
    // Both values exist, so N and D exist and D ≠ 0 in both years.
    let parts = |year: i32| {
        ratio
            .parts(&mut catalogue.values(&panel.scope(municipality, year)))
            .map_err(|reason| NoSplit::Missing { year, reason })
    };
    match (parts(from), parts(to)) {
        (Ok((na, da)), Ok((nb, db))) => {
            let c = ratio.factor();
            split.numerator_effect = Some(c * (nb - na) / 2.0 * (1.0 / da + 1.0 / db));
            split.denominator_effect = Some(c * (na + nb) / 2.0 * (1.0 / db - 1.0 / da));
            split.numerators = Some((na, nb));
            split.denominators = Some((da, db));
        }
        (Err(e), _) | (_, Err(e)) => split.reason = Some(e),
    }
    split
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::expression::Formula;
    use crate::testing::{self, dataset};

    /// A ratio's numerator text, denominator text and factor.
    type Parts = (String, String, f64);

    fn ratio(text: &str) -> Option<Parts> {
        Ratio::of(&Formula::parse(text).ok()?).map(|r| {
            (
                r.numerator().text().to_string(),
                r.denominator().text().to_string(),
                r.factor(),
            )
        })
    }

    #[test]
    fn ratio_shapes() {
        let some = |n: &str, d: &str, c: f64| Some((n.to_string(), d.to_string(), c));
        let cases: &[(&str, Option<Parts>)] = &[
            ("a / b * 1000", some("a", "b", 1000.0)),
            ("a / b", some("a", "b", 1.0)),
            ("100 * (a / b)", some("a", "b", 100.0)),
            ("(a + b) / (c - d) * 100", some("a + b", "c - d", 100.0)),
            (
                "(a - prev(a)) / prev(a) * 100",
                some("a - prev(a)", "prev(a)", 100.0),
            ),
            ("a * 1000 / b", some("a * 1000", "b", 1.0)),
            ("a / b + c / d", None),
            ("a / b * c", None),
            ("a", None),
            ("-(a / b)", None),
        ];
        for (text, want) in cases {
            assert_eq!(&ratio(text), want, "{text}");
        }
    }

    #[test]
    fn split_adds_up_and_says_why_not() {
        let n = Value::Number;
        let d = dataset(&[
            ("A", 2020, &[("ew", n(2000.0)), ("lb", n(10.0))]),
            ("A", 2021, &[("ew", n(2500.0)), ("lb", n(15.0))]),
            ("A", 2022, &[("ew", n(0.0)), ("lb", n(15.0))]),
        ]);
        let c = testing::catalogue(testing::VERAENDERUNG);
        let splits = change_splits(&c, &d, 0, 2020, 2021);
        let dichte = &splits[0];
        // 5 → 6 per 1,000: recipients +5 (from 10 to 15) and population +500.
        assert_eq!((dichte.value_from, dichte.value_to), (Some(5.0), Some(6.0)));
        let (ne, de) = (
            dichte.numerator_effect.unwrap_or(f64::NAN),
            dichte.denominator_effect.unwrap_or(f64::NAN),
        );
        assert!((ne - 1000.0 * 5.0 / 2.0 * (1.0 / 2000.0 + 1.0 / 2500.0)).abs() < 1e-12);
        assert!((ne + de - 1.0).abs() < 1e-12, "{ne} {de}");
        assert_eq!(dichte.numerator_percent(), Some(50.0));
        assert_eq!(dichte.denominator_percent(), Some(25.0));
        // The year before 2020 is absent: the change of the year-on-year KPI has no start.
        let yoy = &splits[1];
        assert!(
            matches!(yoy.reason, Some(NoSplit::Missing { year: 2020, .. })),
            "{yoy:?}"
        );
        let zero = &change_splits(&c, &d, 0, 2021, 2022)[0];
        assert_eq!(
            zero.reason,
            Some(NoSplit::Missing {
                year: 2022,
                reason: Reason::DivisionByZero
            })
        );
        assert_eq!(zero.value_from, Some(6.0));
    }
}
