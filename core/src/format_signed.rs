//! A number with its sign for a difference: `+2,10`, `-0,35`, `0,00`. A plus only where the
//! shown figure is not zero, so that a rounded-away difference never reads as a gain.

use crate::format_number;

/// `x` with `decimals` decimals, German style, with a `+` before a positive non-zero figure.
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
}
