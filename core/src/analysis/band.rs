//! Size bands for pseudonymised context values: with "Andere Kommunen pseudonymisieren" on, a
//! population of 519.628 shows as "500–600 Tsd.", so the figure no longer names the city behind
//! "Kommune B". The band of x runs from its leading digit to the next: width 10^⌊log10 |x|⌋
//! (519.628 → 500.000 to 600.000; 1.234.567 → 1 to 2 Mio.; 10,2 → 10 to 20). Relative to the
//! value a band is 10 % to 100 % wide: coarse enough that a figure from a statistics office does
//! not match, fine enough to tell a county from a city.
//!
//! A band can still single a member out when no other municipality of the ring shares it:
//! [`unique_in_bands`] finds those, and the page warns.

use serde::{Deserialize, Serialize};

/// The band a value is shown in: `lower ≤ |x| < upper`, mirrored for negative values.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Band {
    /// The lower edge (the value rounded down to its leading digit).
    pub lower: f64,
    /// The upper edge (lower plus one unit of the leading digit).
    pub upper: f64,
}

impl Band {
    /// The band of `x`; `None` for a value that is not finite. 0 is the band from 0 to 0.
    pub fn of(x: f64) -> Option<Band> {
        if !x.is_finite() {
            return None;
        }
        if x == 0.0 {
            return Some(Band {
                lower: 0.0,
                upper: 0.0,
            });
        }
        let width = 10f64.powi(x.abs().log10().floor() as i32);
        // log10 can land one short of an exact power (log10(1000) < 3 in some libms).
        let width = if x.abs() / width >= 10.0 {
            width * 10.0
        } else {
            width
        };
        let lower = (x.abs() / width).floor() * width;
        let (lower, upper) = (lower, lower + width);
        Some(if x < 0.0 {
            Band {
                lower: -upper,
                upper: -lower,
            }
        } else {
            Band { lower, upper }
        })
    }

    /// The band in words, German number format: "500–600 Tsd.", "1–2 Mio.", "10–20", "0,1–0,2";
    /// `thousand` and `million` are the words of the page's language ("Tsd.", "Mio.").
    pub fn words(&self, thousand: &str, million: &str) -> String {
        let top = self.lower.abs().max(self.upper.abs());
        let (scale, unit) = if top > 1e6 {
            (1e6, million)
        } else if top > 1e3 {
            (1e3, thousand)
        } else {
            (1.0, "")
        };
        let width = (self.upper - self.lower) / scale;
        let decimals = if width > 0.0 && width < 1.0 {
            (-width.log10().floor()).max(0.0) as usize
        } else {
            0
        };
        let edge = |x: f64| crate::format::format_number(x / scale, decimals);
        let range = format!("{}–{}", edge(self.lower), edge(self.upper));
        if unit.is_empty() {
            range
        } else {
            format!("{range} {unit}")
        }
    }
}

/// For rows of context values (one row per municipality, the same keys in each), whether each
/// row's bands match no other row's: such a municipality is recognisable despite the bands.
/// A row with a value that has no band counts as unique.
pub fn unique_in_bands(rows: &[Vec<f64>]) -> Vec<bool> {
    let banded: Vec<Option<Vec<(u64, u64)>>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|&x| Band::of(x).map(|b| (b.lower.to_bits(), b.upper.to_bits())))
                .collect()
        })
        .collect();
    banded
        .iter()
        .enumerate()
        .map(|(i, mine)| {
            mine.is_none()
                || !banded
                    .iter()
                    .enumerate()
                    .any(|(j, other)| j != i && other == mine)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_by_leading_digit() {
        let cases = [
            (519_628.0, 500_000.0, 600_000.0, "500–600 Tsd."),
            (1_234_567.0, 1_000_000.0, 2_000_000.0, "1–2 Mio."),
            (1000.0, 1000.0, 2000.0, "1–2 Tsd."),
            (999.0, 900.0, 1000.0, "900–1.000"),
            (10.2, 10.0, 20.0, "10–20"),
            (0.15, 0.1, 0.2, "0,1–0,2"),
            (-3.5, -4.0, -3.0, "-4–-3"),
            (0.0, 0.0, 0.0, "0–0"),
            (250_000.0, 200_000.0, 300_000.0, "200–300 Tsd."),
            (45_000.0, 40_000.0, 50_000.0, "40–50 Tsd."),
        ];
        for (x, lower, upper, words) in cases {
            let b = Band::of(x).unwrap();
            assert_eq!((b.lower, b.upper), (lower, upper), "{x}");
            assert_eq!(b.words("Tsd.", "Mio."), words, "{x}");
            assert!(x == 0.0 || (b.lower <= x && x < b.upper), "{x} in its band");
        }
        assert_eq!(Band::of(f64::NAN), None);
        assert_eq!(Band::of(f64::INFINITY), None);
    }

    #[test]
    fn every_power_of_ten_starts_its_band() {
        for e in -6..=12 {
            let x = 10f64.powi(e);
            let b = Band::of(x).unwrap();
            assert_eq!(b.lower, x, "10^{e}");
        }
    }

    #[test]
    fn unique_rows() {
        let rows = vec![
            vec![519_628.0, 10.2],
            vec![555_000.0, 11.0],
            vec![820_000.0, 10.0],
            vec![560_000.0, 9.0],
            vec![1.0, f64::NAN],
        ];
        assert_eq!(unique_in_bands(&rows), [false, false, true, true, true]);
    }
}
