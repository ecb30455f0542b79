//! Funnel limits (CONTRACT §3, "Funnel limits"): how far a rate or share may lie from the pooled
//! rate by chance alone, given the size of its denominator. A county of 50,000 inhabitants
//! moves by chance far more than a city of 500,000; ranking both by the raw rate calls the small
//! one an outlier when it is only small. Members outside the 99.8 % limits are "statistisch
//! auffällig"; inside the 95 % limits their distance from the pool is random variation.

use serde::{Deserialize, Serialize};

use crate::analysis::kpi::Panel;
use crate::catalogue::definition::{Catalogue, FunnelKind};
use crate::catalogue::ratio::Ratio;
use crate::dataset::Dataset;

/// z of the two-sided 95 % limits.
pub const Z95: f64 = 1.959964;
/// z of the two-sided 99.8 % limits.
pub const Z998: f64 = 3.090232;

/// The variance of one unit's rate at pooled rate `p` (before dividing by the denominator).
fn variance(kind: FunnelKind, p: f64) -> f64 {
    match kind {
        FunnelKind::Poisson => p,
        FunnelKind::Binomial => p * (1.0 - p),
    }
}

/// The limits for one denominator, on the KPI's scale (multiplied by its factor c).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    /// Lower 95 % limit (0 when it would be below 0).
    pub lower95: f64,
    /// Upper 95 % limit.
    pub upper95: f64,
    /// Lower 99.8 % limit (0 when it would be below 0).
    pub lower998: f64,
    /// Upper 99.8 % limit.
    pub upper998: f64,
}

impl Limits {
    /// Whether `value` lies outside the 99.8 % limits: statistically notable.
    pub fn notable(&self, value: f64) -> bool {
        value > self.upper998 || value < self.lower998
    }

    /// Whether `value` lies inside the 95 % limits: within random variation.
    pub fn within95(&self, value: f64) -> bool {
        value >= self.lower95 && value <= self.upper95
    }
}

/// One member of a funnel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunnelPoint {
    /// Index into `Dataset::municipalities`.
    pub municipality: usize,
    /// The KPI's value (c · N / D), when N and D exist and D > 0.
    pub value: Option<f64>,
    /// The denominator D.
    pub denominator: Option<f64>,
    /// The limits at this denominator (missing without a value or a pooled rate).
    pub limits: Option<Limits>,
}

impl FunnelPoint {
    /// Outside the 99.8 % limits; `None` without a value or limits.
    pub fn notable(&self) -> Option<bool> {
        Some(self.limits?.notable(self.value?))
    }
}

/// A KPI's funnel in one year over a group of municipalities.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Funnel {
    /// The KPI id.
    pub kpi: String,
    /// The random model.
    pub kind: FunnelKind,
    /// The year.
    pub year: i32,
    /// The KPI's constant factor c.
    pub factor: f64,
    /// The pooled rate p = ΣN / ΣD over the members with both values (not multiplied by c).
    pub rate: Option<f64>,
    /// One point per member, in the order given.
    pub points: Vec<FunnelPoint>,
}

impl Funnel {
    /// The funnel of KPI index `kpi` in `year` over `members` (municipality indices, each once);
    /// `None` when the KPI has no `funnel` in the catalogue (or is not of the form `N / D * c`,
    /// which the catalogue refuses for a funnel KPI).
    pub fn new(
        catalogue: &Catalogue,
        panel: &Panel,
        kpi: usize,
        year: i32,
        members: &[usize],
    ) -> Option<Funnel> {
        let definition = catalogue.kpis().get(kpi)?;
        let kind = definition.funnel?;
        let ratio = Ratio::of(catalogue.formula(kpi))?;
        // A member without its row, N or D, or with D ≤ 0 has no rate to place.
        let parts: Vec<Option<(f64, f64)>> = members
            .iter()
            .map(|&m| {
                if !panel.has_row(m, year) {
                    return None;
                }
                ratio
                    .parts(&mut catalogue.values(&panel.scope(m, year)))
                    .ok()
                    .filter(|&(_, d)| d > 0.0)
            })
            .collect();
        let (sum_n, sum_d) = parts
            .iter()
            .flatten()
            .fold((0.0, 0.0), |(sn, sd), (n, d)| (sn + n, sd + d));
        let rate = (sum_d > 0.0).then(|| sum_n / sum_d);
        let mut funnel = Funnel {
            kpi: definition.id.clone(),
            kind,
            year,
            factor: ratio.factor(),
            rate,
            points: Vec::new(),
        };
        funnel.points = members
            .iter()
            .zip(&parts)
            .map(|(&municipality, part)| FunnelPoint {
                municipality,
                value: part.map(|(n, d)| n / d * ratio.factor()),
                denominator: part.map(|(_, d)| d),
                limits: part.and_then(|(_, d)| funnel.limits(d)),
            })
            .collect();
        Some(funnel)
    }

    /// The pooled rate on the KPI's scale (c · p).
    pub fn pooled(&self) -> Option<f64> {
        self.rate.map(|p| p * self.factor)
    }

    /// The limits for a denominator `d` > 0, on the KPI's scale; `None` without a pooled rate
    /// or where the model has no spread (a binomial rate outside 0…1).
    pub fn limits(&self, d: f64) -> Option<Limits> {
        let p = self.rate?;
        let variance = variance(self.kind, p);
        if !(d > 0.0 && variance >= 0.0) {
            return None;
        }
        let sd = (variance / d).sqrt();
        let c = self.factor;
        let at = |z: f64| ((c * (p - z * sd)).max(0.0), c * (p + z * sd));
        let ((lower95, upper95), (lower998, upper998)) = (at(Z95), at(Z998));
        Some(Limits {
            lower95,
            upper95,
            lower998,
            upper998,
        })
    }

    /// The point of a municipality, if it is a member.
    pub fn point(&self, municipality: usize) -> Option<&FunnelPoint> {
        self.points.iter().find(|p| p.municipality == municipality)
    }

    /// The smallest and largest denominator of the members with a value (the funnel's x range).
    pub fn denominator_range(&self) -> Option<(f64, f64)> {
        let ds = self.points.iter().filter_map(|p| p.denominator);
        ds.fold(None, |range, d| match range {
            None => Some((d, d)),
            Some((lo, hi)) => Some((f64::min(lo, d), f64::max(hi, d))),
        })
    }
}

/// The funnel of a KPI in `year` over every municipality of the data that is not a region
/// aggregate: the group the outlier check looks at.
pub fn funnel_of_all(
    catalogue: &Catalogue,
    dataset: &Dataset,
    panel: &Panel,
    kpi: usize,
    year: i32,
) -> Option<Funnel> {
    let members: Vec<usize> = (0..dataset.municipalities.len())
        .filter(|&m| !dataset.municipalities[m].aggregate)
        .collect();
    Funnel::new(catalogue, panel, kpi, year, &members)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{self, dataset};
    use crate::value::Value;

    /// A catalogue of one KPI `dichte` with this formula and funnel model.
    fn with_funnel(formula: &str, funnel: &str) -> crate::error::Result<Catalogue> {
        Catalogue::from_toml(&testing::catalogue_toml(
            formula,
            &format!("funnel = \"{funnel}\"\n"),
        ))
    }

    /// `dichte` (lb per 1,000 ew) with Poisson limits.
    fn funnel_catalogue() -> Catalogue {
        match with_funnel("lb / ew * 1000", "poisson") {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn catalogue_refuses_unknown_models_and_non_ratios() {
        let message = |formula, funnel| with_funnel(formula, funnel).err().map(|e| e.to_string());
        let unknown = message("lb / ew * 1000", "normal").unwrap_or_default();
        assert!(
            unknown.contains("„dichte“") && unknown.contains("normal"),
            "{unknown}"
        );
        assert!(unknown.contains("Zeile 12"), "{unknown}");
        let sum = message("lb / ew + 1", "poisson").unwrap_or_default();
        assert!(
            sum.contains("„dichte“") && sum.contains("N / D * c"),
            "{sum}"
        );
        assert!(with_funnel("lb / ew", "binomial").is_ok());
        let builtin = Catalogue::builtin();
        let kinds = |k: FunnelKind| {
            builtin
                .kpis()
                .iter()
                .filter(|x| x.funnel == Some(k))
                .count()
        };
        assert_eq!(
            (kinds(FunnelKind::Poisson), kinds(FunnelKind::Binomial)),
            (9, 4)
        );
    }

    #[test]
    fn poisson_limits_by_hand() {
        let n = Value::Number;
        let d = dataset(&[
            ("A", 2020, &[("ew", n(1000.0)), ("lb", n(10.0))]),
            ("B", 2020, &[("ew", n(3000.0)), ("lb", n(10.0))]),
            ("C", 2020, &[("ew", n(0.0)), ("lb", n(0.0))]),
        ]);
        let c = funnel_catalogue();
        let panel = Panel::new(&d);
        let Some(f) = Funnel::new(&c, &panel, 0, 2020, &[0, 1, 2]) else {
            panic!("dichte has a funnel")
        };
        assert_eq!(f.rate, Some(20.0 / 4000.0));
        assert_eq!(f.pooled(), Some(5.0));
        let Some(a) = f.points[0].limits else {
            panic!("A has limits")
        };
        let sd = (0.005f64 / 1000.0).sqrt();
        assert!((a.upper95 - 1000.0 * (0.005 + Z95 * sd)).abs() < 1e-12);
        assert!((a.upper998 - 1000.0 * (0.005 + Z998 * sd)).abs() < 1e-12);
        assert_eq!(a.lower998, 0.0, "a negative lower limit is 0");
        assert_eq!(f.points[0].value, Some(10.0));
        assert_eq!(f.points[0].notable(), Some(false));
        // C has no rate (0 / 0): no point value, no limits, no verdict.
        assert_eq!((f.points[2].value, f.points[2].notable()), (None, None));
        assert_eq!(f.denominator_range(), Some((1000.0, 3000.0)));
        // Without a funnel in the catalogue there is none.
        let plain = testing::catalogue("");
        assert!(Funnel::new(&plain, &panel, 0, 2020, &[0, 1]).is_none());
    }

    #[test]
    fn binomial_limits_and_notable() {
        let mut l = Funnel {
            kpi: "q".into(),
            kind: FunnelKind::Binomial,
            year: 2020,
            factor: 100.0,
            rate: Some(0.5),
            points: Vec::new(),
        }
        .limits(100.0);
        let sd = (0.25f64 / 100.0).sqrt();
        let want = 100.0 * (0.5 + Z998 * sd);
        assert!(l.is_some_and(|l| (l.upper998 - want).abs() < 1e-12));
        assert!(l.is_some_and(|l| l.notable(want + 1e-9) && !l.notable(want)));
        l = Funnel {
            kpi: "q".into(),
            kind: FunnelKind::Binomial,
            year: 2020,
            factor: 100.0,
            rate: Some(1.5),
            points: Vec::new(),
        }
        .limits(100.0);
        assert_eq!(l, None, "a share above 1 has no binomial spread");
    }
}
