//! Numbers as German offices write them (`1.234,56`, `12,3 %`, `1.234 €`), in one place so that
//! the app, its exports and the CLI's human-readable output agree.
//!
//! Computations keep full f64 precision; these helpers only round for display. A value that is
//! not finite never reaches the user as `NaN`: it shows as a dash.

use crate::value::Value;

/// What a value that is not a finite number shows (never `NaN` or `inf`).
const NOT_FINITE: &str = "–";

/// A number with `decimals` places, `.` between thousands and `,` before the decimals:
/// `1234567.891` with 2 decimals → `1.234.567,89`. Rounds half away from zero as Excel does.
pub fn format_number(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return NOT_FINITE.to_string();
    }
    let rounded = round_half_away(x.abs(), decimals);
    let plain = format!("{rounded:.decimals$}");
    let (whole, fraction) = plain.split_once('.').unwrap_or((&plain, ""));
    // A value that rounds to zero shows without a sign: `-0,001` with 2 decimals is `0,00`.
    let negative = x < 0.0 && plain.bytes().any(|b| (b'1'..=b'9').contains(&b));
    let mut out = String::with_capacity(plain.len() + whole.len() / 3 + 1);
    if negative {
        out.push('-');
    }
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        out.push(',');
        out.push_str(fraction);
    }
    out
}

/// A number with exactly the decimals it needs (as written in a formula): `1000` → `1.000`,
/// `2.5` → `2,5`.
pub fn format_plain(x: f64) -> String {
    let shortest = x.to_string();
    let decimals = shortest.split_once('.').map_or(0, |(_, f)| f.len());
    format_number(x, decimals)
}

/// A whole number with thousands dots: `96`, `1.762.791`.
pub fn format_integer(n: u64) -> String {
    // u64 → f64 loses digits above 2^53; counts of rows and bytes stay far below.
    format_number(n as f64, 0)
}

/// A percentage given in percent units: `12.345` with 1 decimal → `12,3 %`.
pub fn format_percent(x: f64, decimals: usize) -> String {
    with_unit(format_number(x, decimals), "%")
}

/// An amount of euros: `1234.4` with 0 decimals → `1.234 €`.
pub fn format_euro(x: f64, decimals: usize) -> String {
    with_unit(format_number(x, decimals), "€")
}

/// A file size in megabytes with one decimal (`200,0 MB`), or kilobytes below one megabyte.
pub fn format_bytes(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let size = bytes as f64;
    if size < KB * KB {
        with_unit(format_number(size / KB, 1), "KB")
    } else {
        with_unit(format_number(size / (KB * KB), 1), "MB")
    }
}

/// A value for display: the number with `decimals` places, or the reason it is missing
/// (`unbekannt/geheim`, `Division durch 0`).
pub fn format_value(value: &Value, decimals: usize) -> String {
    match value {
        Value::Number(x) => format_number(*x, decimals),
        Value::Missing(reason) => reason.to_string(),
    }
}

fn with_unit(number: String, unit: &str) -> String {
    if number == NOT_FINITE {
        number
    } else {
        format!("{number} {unit}")
    }
}

/// Rounds half away from zero at `decimals` places; `format!` alone would round the binary
/// value (`0.125` → `0.12`), which surprises users who check against Excel.
fn round_half_away(x: f64, decimals: usize) -> f64 {
    let Ok(exp) = i32::try_from(decimals) else {
        return x;
    };
    let factor = 10f64.powi(exp);
    let scaled = x * factor;
    if !scaled.is_finite() || scaled.abs() >= 2f64.powi(52) {
        return x;
    }
    // The tiny nudge makes decimal halves that binary stores just below .5 (1.005) round up.
    let nudged = scaled + scaled.signum() * scaled.abs() * f64::EPSILON * 4.0;
    nudged.round() / factor
}

/// `x` with `decimals` decimals, German style, with a `+` before a positive non-zero figure: a
/// plus only where the shown figure is not zero, so that a rounded-away difference never reads
/// as a gain (`+2,10`, `-0,35`, `0,00`).
pub fn format_signed(x: f64, decimals: usize) -> String {
    let text = format_number(x, decimals);
    if x > 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        format!("+{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Reason;

    #[test]
    fn signs() {
        for (x, decimals, shown) in [
            (2.1, 2, "+2,10"),
            (-0.35, 2, "-0,35"),
            (0.0, 2, "0,00"),
            (0.001, 2, "0,00"),
            (1234.5, 1, "+1.234,5"),
        ] {
            assert_eq!(format_signed(x, decimals), shown, "{x}");
        }
    }

    #[test]
    fn plain_numbers_keep_their_decimals() {
        let cases: &[(f64, &str)] = &[
            (1000.0, "1.000"),
            (2.5, "2,5"),
            (0.125, "0,125"),
            (-3.0, "-3"),
        ];
        for &(x, want) in cases {
            assert_eq!(format_plain(x), want, "{x}");
        }
    }

    #[test]
    fn numbers_german_style() {
        let cases: &[(f64, usize, &str)] = &[
            (0.0, 0, "0"),
            (1234.56, 2, "1.234,56"),
            (1234567.891, 2, "1.234.567,89"),
            (999.999, 2, "1.000,00"),
            (100.0, 0, "100"),
            (1000.0, 0, "1.000"),
            (-1234.5, 1, "-1.234,5"),
            (-0.001, 2, "0,00"),
            (0.125, 2, "0,13"),
            (1.005, 2, "1,01"),
            (2.5, 0, "3"),
            (-2.5, 0, "-3"),
            (12.3456, 3, "12,346"),
            (1762791.0, 0, "1.762.791"),
            (0.5, 1, "0,5"),
            (f64::NAN, 2, "–"),
            (f64::INFINITY, 0, "–"),
        ];
        for &(x, decimals, want) in cases {
            assert_eq!(
                format_number(x, decimals),
                want,
                "{x} with {decimals} decimals"
            );
        }
    }

    #[test]
    fn units() {
        assert_eq!(format_percent(12.345, 1), "12,3 %");
        assert_eq!(format_percent(f64::NAN, 1), "–");
        assert_eq!(format_euro(1234.4, 0), "1.234 €");
        assert_eq!(format_euro(-1234.56, 2), "-1.234,56 €");
        assert_eq!(format_integer(96), "96");
        assert_eq!(format_integer(1_762_791), "1.762.791");
    }

    #[test]
    fn sizes() {
        assert_eq!(format_bytes(512), "0,5 KB");
        assert_eq!(format_bytes(200 * 1024 * 1024), "200,0 MB");
        assert_eq!(format_bytes(1536 * 1024), "1,5 MB");
    }

    #[test]
    fn values_show_their_reason() {
        assert_eq!(format_value(&Value::Number(8.25), 1), "8,3");
        assert_eq!(
            format_value(&Value::Missing(Reason::DivisionByZero), 2),
            "Division durch 0"
        );
        assert_eq!(
            format_value(&Value::Missing(Reason::Unknown), 2),
            "unbekannt/geheim"
        );
    }
}
