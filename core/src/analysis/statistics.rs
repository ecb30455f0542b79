//! Descriptive statistics of a peer group: an accumulator that counts, sums and keeps the
//! extremes as values arrive, and keeps the values themselves only when quantiles are asked for
//! (they need sorting). Plus the few measures derived from a summary: rank, index, robust z.
//!
//! Quantiles are those of Excel `QUARTILE.INC` / R type 7 (linear interpolation between order
//! statistics), the ones benchmarking reports print, so a ring's coordinator can check a figure
//! in a spreadsheet.

/// Collects values of one KPI over a group; `finish` gives the [`Summary`].
#[derive(Clone, Debug, Default)]
pub struct Statistics {
    n: usize,
    sum: f64,
    min: Option<f64>,
    max: Option<f64>,
    /// The values, kept only when quantiles were asked for.
    values: Option<Vec<f64>>,
}

/// The statistics of a group. Quantiles are `None` when the accumulator did not keep values, and
/// everything but `n` is `None` for an empty group.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// Number of values.
    pub n: usize,
    /// The unweighted mean.
    pub mean: Option<f64>,
    /// The median.
    pub median: Option<f64>,
    /// The lower quartile (type 7).
    pub q1: Option<f64>,
    /// The upper quartile (type 7).
    pub q3: Option<f64>,
    /// The smallest value.
    pub min: Option<f64>,
    /// The largest value.
    pub max: Option<f64>,
}

impl Statistics {
    /// An accumulator for count, mean, min and max only.
    pub fn new() -> Statistics {
        Statistics::default()
    }

    /// An accumulator that also keeps the values for median and quartiles.
    pub fn with_quantiles() -> Statistics {
        Statistics {
            values: Some(Vec::new()),
            ..Statistics::default()
        }
    }

    /// Add a value. Non-finite values (which no KPI should produce) are ignored so that one bad
    /// value cannot turn every statistic into NaN.
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            return;
        }
        self.n += 1;
        self.sum += x;
        self.min = Some(self.min.map_or(x, |m| m.min(x)));
        self.max = Some(self.max.map_or(x, |m| m.max(x)));
        if let Some(values) = &mut self.values {
            values.push(x);
        }
    }

    /// Add the values another accumulator has seen. Quantiles stay available only when both kept
    /// their values.
    pub fn merge(&mut self, other: Statistics) {
        self.n += other.n;
        self.sum += other.sum;
        self.min = [self.min, other.min].into_iter().flatten().reduce(f64::min);
        self.max = [self.max, other.max].into_iter().flatten().reduce(f64::max);
        self.values = match (self.values.take(), other.values) {
            (Some(mut a), Some(b)) => {
                a.extend(b);
                Some(a)
            }
            _ => None,
        };
    }

    /// The summary.
    pub fn finish(self) -> Summary {
        let sorted = self.values.map(|mut v| {
            v.sort_by(f64::total_cmp);
            v
        });
        let q = |p: f64| sorted.as_deref().and_then(|s| quantile(s, p));
        Summary {
            n: self.n,
            mean: (self.n > 0).then(|| self.sum / self.n as f64),
            median: q(0.5),
            q1: q(0.25),
            q3: q(0.75),
            min: self.min,
            max: self.max,
        }
    }
}

impl FromIterator<f64> for Statistics {
    /// Collect values into an accumulator that keeps them for quantiles.
    fn from_iter<I: IntoIterator<Item = f64>>(iter: I) -> Statistics {
        let mut s = Statistics::with_quantiles();
        iter.into_iter().for_each(|x| s.add(x));
        s
    }
}

/// The p-quantile (0 ≤ p ≤ 1) of ascending values by linear interpolation between order
/// statistics (R type 7, Excel `QUARTILE.INC` / `PERCENTILE.INC`); `None` when empty.
pub fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let h = last as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let below = sorted[lo];
    Some(match sorted.get(lo + 1) {
        Some(above) => below + (h - lo as f64) * (above - below),
        None => below,
    })
}

/// The median of values in any order; `None` when empty.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    quantile(&sorted, 0.5)
}

/// The median absolute deviation from the median (unscaled); `None` when empty.
pub fn mad(values: &[f64]) -> Option<f64> {
    let m = median(values)?;
    let deviations: Vec<f64> = values.iter().map(|x| (x - m).abs()).collect();
    median(&deviations)
}

/// The rank of `own` among `values` (which include it): 1 + the number of values strictly
/// better. `highest_first` ranks the largest value 1, otherwise the smallest. Equal values
/// share the better rank (1, 1, 3 …).
pub fn rank(own: f64, values: &[f64], highest_first: bool) -> usize {
    let better = |x: f64| if highest_first { x > own } else { x < own };
    1 + values.iter().filter(|&&x| better(x)).count()
}

/// `own / mean × 100`; `None` when the mean is 0 (no meaningful index).
pub fn index(own: f64, mean: f64) -> Option<f64> {
    (mean != 0.0).then(|| own / mean * 100.0)
}

/// The robust z-score `0.6745 (x − median) / MAD`; `None` when the MAD is 0 (more than half of
/// the values are equal, so the spread says nothing about how unusual `x` is).
pub fn robust_z(x: f64, median: f64, mad: f64) -> Option<f64> {
    (mad != 0.0).then(|| 0.6745 * (x - median) / mad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
    }

    fn summary(values: &[f64]) -> Summary {
        values.iter().copied().collect::<Statistics>().finish()
    }

    #[test]
    fn quantiles_type_7() {
        // Values from R: quantile(x, c(.25, .5, .75), type = 7).
        let cases: &[(&[f64], [f64; 3])] = &[
            (&[5.0], [5.0, 5.0, 5.0]),
            (&[1.0, 2.0], [1.25, 1.5, 1.75]),
            (&[3.0, 1.0, 2.0], [1.5, 2.0, 2.5]),
            (&[1.0, 2.0, 3.0, 4.0], [1.75, 2.5, 3.25]),
            (&[7.0, 15.0, 36.0, 39.0, 40.0, 41.0], [20.25, 37.5, 39.75]),
        ];
        for (values, [q1, med, q3]) in cases {
            let s = summary(values);
            assert!(close(s.q1.unwrap(), *q1), "{values:?} q1 {:?}", s.q1);
            assert!(
                close(s.median.unwrap(), *med),
                "{values:?} median {:?}",
                s.median
            );
            assert!(close(s.q3.unwrap(), *q3), "{values:?} q3 {:?}", s.q3);
        }
    }

    #[test]
    fn summary_counts_mean_and_extremes() {
        let s = summary(&[4.0, -2.0, 10.0]);
        assert_eq!(s.n, 3);
        assert!(close(s.mean.unwrap(), 4.0));
        assert_eq!((s.min, s.max), (Some(-2.0), Some(10.0)));
    }

    #[test]
    fn empty_group_has_only_a_count() {
        let s = Statistics::with_quantiles().finish();
        assert_eq!(
            s,
            Summary {
                n: 0,
                mean: None,
                median: None,
                q1: None,
                q3: None,
                min: None,
                max: None
            }
        );
    }

    #[test]
    fn quantiles_only_when_asked() {
        let mut s = Statistics::new();
        s.add(1.0);
        s.add(3.0);
        let s = s.finish();
        assert_eq!((s.n, s.mean, s.median, s.q1), (2, Some(2.0), None, None));
    }

    #[test]
    fn merge_equals_adding_all() {
        let (mut a, mut b) = (Statistics::with_quantiles(), Statistics::with_quantiles());
        [1.0, 9.0].iter().for_each(|&x| a.add(x));
        [4.0, 2.0, 7.0].iter().for_each(|&x| b.add(x));
        a.merge(b);
        assert_eq!(a.finish(), summary(&[1.0, 9.0, 4.0, 2.0, 7.0]));
        let mut c = Statistics::with_quantiles();
        c.add(1.0);
        c.merge(Statistics::new());
        assert_eq!(c.finish().median, None);
    }

    #[test]
    fn non_finite_values_are_ignored() {
        assert_eq!(
            summary(&[1.0, f64::NAN, f64::INFINITY, 3.0]),
            summary(&[1.0, 3.0])
        );
    }

    #[test]
    fn ranks_share_the_better_rank_on_ties() {
        let values = [3.0, 1.0, 3.0, 5.0, 2.0];
        let cases: &[(f64, bool, usize)] = &[
            (1.0, false, 1),
            (2.0, false, 2),
            (3.0, false, 3),
            (5.0, false, 5),
            (5.0, true, 1),
            (3.0, true, 2),
            (2.0, true, 4),
            (1.0, true, 5),
        ];
        for &(own, highest_first, want) in cases {
            assert_eq!(
                rank(own, &values, highest_first),
                want,
                "{own} {highest_first}"
            );
        }
    }

    #[test]
    fn index_and_robust_z() {
        assert!(close(index(12.0, 8.0).unwrap(), 150.0));
        assert_eq!(index(1.0, 0.0), None);
        // median 3, deviations 2 1 0 1 7 → MAD 1.
        let values = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(median(&values), Some(3.0));
        assert_eq!(mad(&values), Some(1.0));
        assert!(close(robust_z(10.0, 3.0, 1.0).unwrap(), 0.6745 * 7.0));
        assert_eq!(robust_z(10.0, 3.0, 0.0), None);
        assert_eq!(mad(&[]), None);
    }
}
