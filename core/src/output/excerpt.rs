//! An excerpt of a long ranking for a screen that cannot show every row readably (a projector
//! with a GENESIS table of 400 counties): the top, the bottom and the own municipality with its
//! neighbours, with a row for each gap that says how many are left out.

use std::ops::Range;

/// The ranks (0-based, best first) to show of a ranking of `len` entries in at most `rows` rows,
/// where every gap between two shown ranges takes a row of its own. Everything when it fits;
/// otherwise the top and the bottom of the ranking and, when `own` is not among them already
/// with a neighbour, a window around `own`. Ranges ascending, disjoint and never touching.
pub fn ranking_excerpt(len: usize, own: Option<usize>, rows: usize) -> Vec<Range<usize>> {
    if len <= rows {
        return std::iter::once(0..len).collect();
    }
    // Too few rows for a gap and both ends: the own one's neighbourhood, else the top.
    if rows < 3 {
        let start = own
            .filter(|&o| o < len)
            .map_or(0, |o| o.saturating_sub(rows / 2).min(len - rows));
        return std::iter::once(start..start + rows).collect();
    }
    // One gap: the top half and the bottom half.
    let top = rows / 2;
    let bottom = rows - 1 - top;
    let Some(own) = own.filter(|&o| o < len) else {
        return vec![0..top, len - bottom..len];
    };
    // The own one inside either end with its next neighbour: that is enough.
    if own + 1 < top || (bottom >= 2 && own > len - bottom) {
        return vec![0..top, len - bottom..len];
    }
    // Two gaps: top, the own one in the middle of a window, bottom.
    let room = rows - 2;
    let window = (room / 3).max(1);
    let top = (room - window).div_ceil(2);
    let bottom = room - window - top;
    // The window stays a gap row away from both ends; len > rows = top + window + bottom + 2.
    let start = own
        .saturating_sub(window / 2)
        .clamp(top + 1, len - bottom - 1 - window);
    if (start..start + window).contains(&own) {
        return vec![0..top, start..start + window, len - bottom..len]
            .into_iter()
            .filter(|r| !r.is_empty())
            .collect();
    }
    // Too few rows for three parts around an own one near an end: the end it is at, up to
    // it and one past, and the other end.
    if own < len / 2 {
        let top = (own + 2).min(rows - 1);
        vec![0..top, len - (rows - 1 - top)..len]
            .into_iter()
            .filter(|r| !r.is_empty())
            .collect()
    } else {
        let bottom = (len - own + 1).min(rows - 1);
        vec![0..rows - 1 - bottom, len - bottom..len]
            .into_iter()
            .filter(|r| !r.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples() {
        // (entries, own, rows, ranks shown); everything when it fits is in `invariants`.
        type Case = (usize, Option<usize>, usize, &'static [Range<usize>]);
        let cases: &[Case] = &[
            (400, None, 21, &[0..10, 390..400]),
            (400, Some(3), 21, &[0..10, 390..400]),
            (400, Some(395), 21, &[0..10, 390..400]),
            (400, Some(200), 21, &[0..7, 197..203, 394..400]),
            (400, Some(9), 21, &[0..7, 8..14, 394..400]),
            (41, Some(20), 40, &[0..13, 14..26, 28..41]),
        ];
        for (len, own, rows, want) in cases {
            assert_eq!(
                ranking_excerpt(*len, *own, *rows),
                *want,
                "{len} {own:?} {rows}"
            );
        }
    }

    /// Every combination of a small range: the rows are enough, the own one is shown, the
    /// ranges are ordered with a gap row between them, and no more than a few rows go unused.
    #[test]
    fn invariants() {
        for len in 1..50 {
            for rows in 1..30 {
                for own in (0..len).map(Some).chain([None]) {
                    let got = ranking_excerpt(len, own, rows);
                    let case = format!("{len} {own:?} {rows}: {got:?}");
                    let shown: usize = got.iter().map(|r| r.len()).sum();
                    let used = shown + got.len() - 1;
                    assert!(used <= rows.max(1), "{case}");
                    assert!(got.iter().all(|r| !r.is_empty() && r.end <= len), "{case}");
                    assert!(got.windows(2).all(|w| w[0].end < w[1].start), "{case}");
                    if let Some(o) = own {
                        assert!(got.iter().any(|r| r.contains(&o)), "{case}");
                    }
                    if len <= rows {
                        assert_eq!(got, std::iter::once(0..len).collect::<Vec<_>>(), "{case}");
                    } else if rows >= 3 {
                        assert!(used + 2 >= rows, "{case}: rows left unused");
                    }
                }
            }
        }
    }
}
