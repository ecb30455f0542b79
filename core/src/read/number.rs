//! Numbers in cells: German (`1.234.567,89`) or plain (`1234567.89`) notation, decided per
//! column from the data, with the official sign legend (`-` `.` `...` `x` `/` `k.A.` and the
//! flags `0`, `(123)`, `123p/r/s`), a leading `+`, a `%` suffix and spaces as thousands
//! separators. A cell that is neither a number nor a marker keeps its text as the reason.

use serde::{Deserialize, Serialize};

use crate::value::{Flag, Reason, Value};

/// How a column writes its numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NumberFormat {
    /// `1.234.567,89`: dots (or spaces) group thousands, a comma starts the decimals.
    German,
    /// `1234567.89` or `1,234,567.89`: a dot starts the decimals.
    Plain,
}

impl NumberFormat {
    fn decimal(self) -> char {
        match self {
            NumberFormat::German => ',',
            NumberFormat::Plain => '.',
        }
    }

    fn grouping(self) -> char {
        match self {
            NumberFormat::German => '.',
            NumberFormat::Plain => ',',
        }
    }
}

/// Read one cell: a value and, for numbers, the flag of the sign legend it carries.
pub(crate) fn parse_cell(text: &str, format: NumberFormat) -> (Value, Option<Flag>) {
    let t = text.trim();
    if let Some(reason) = Reason::from_marker(t) {
        return (Value::Missing(reason), None);
    }
    if matches!(t, "-" | "–" | "—") {
        return (Value::Number(0.0), None);
    }
    if t == "0" {
        return (Value::Number(0.0), Some(Flag::Rounded));
    }
    let (body, flag) = split_flag(t);
    match parse_number(body, format) {
        Some(x) => (Value::Number(x), flag),
        None => (Value::Missing(Reason::NotNumeric(t.to_string())), None),
    }
}

/// Whether a cell says a percentage (`12,5 %`), which makes its column a rate in percent.
pub(crate) fn is_percent(text: &str) -> bool {
    text.trim_end().ends_with('%')
}

/// Whether a cell says an amount of euros (`1.234,56 €`, `€ 12`, `12 EUR`).
pub(crate) fn is_euro(text: &str) -> bool {
    let t = text.trim();
    t.ends_with('€') || t.starts_with('€') || t.ends_with(" EUR")
}

/// The number without a `%` or euro sign written with it.
fn strip_unit(t: &str) -> &str {
    let t = ["%", "€", " EUR"]
        .iter()
        .find_map(|u| t.strip_suffix(u))
        .map_or(t, str::trim_end);
    t.strip_prefix('€').map_or(t, str::trim_start)
}

/// Split off a flag: `(123)` uncertain, `123p` provisional, `123r` corrected, `123s` estimated.
fn split_flag(t: &str) -> (&str, Option<Flag>) {
    if let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        return (inner.trim(), Some(Flag::Uncertain));
    }
    let flag = match t.chars().last() {
        Some('p') => Flag::Provisional,
        Some('r') => Flag::Corrected,
        Some('s') => Flag::Estimated,
        _ => return (t, None),
    };
    let body = t[..t.len() - 1].trim_end();
    // Only after a number (`123p`, `12,5 p`), so that words never turn into flagged numbers.
    if body.ends_with(|c: char| c.is_ascii_digit()) {
        (body, Some(flag))
    } else {
        (t, None)
    }
}

/// The number in `t` (sign, digits with grouping, decimals, optional `%`), if it is one.
pub(crate) fn parse_number(t: &str, format: NumberFormat) -> Option<f64> {
    let t = t.trim();
    // Most cells of a table are whole numbers in plain digits: they are read without the
    // buffers of the general path (15 digits are exact in an f64, as the general path reads them).
    if (1..=15).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse::<u64>().ok().map(|n| n as f64);
    }
    let t = strip_unit(t);
    // SAP and other bookkeeping exports put the minus behind the number (`1.234,56-`).
    let (trailing_minus, t) = match t.strip_suffix('-') {
        Some(rest) if rest.ends_with(|c: char| c.is_ascii_digit()) => (true, rest),
        _ => (false, t),
    };
    let (negative, rest) = match t.chars().next()? {
        '+' if !trailing_minus => (false, &t[1..]),
        '-' if !trailing_minus => (true, &t[1..]),
        '−' if !trailing_minus => (true, &t['−'.len_utf8()..]),
        _ => (trailing_minus, t),
    };
    let (int, frac) = match rest.split_once(format.decimal()) {
        Some((int, frac)) => (int, Some(frac)),
        None => (rest, None),
    };
    let mut clean = String::with_capacity(t.len() + 1);
    if negative {
        clean.push('-');
    }
    if !grouped_digits(int, format.grouping(), &mut clean) {
        // Plain notation also takes what Rust reads as a float, such as `1.5e3`.
        return match format {
            NumberFormat::Plain if frac.is_none() => plain_float(rest, negative),
            _ => None,
        };
    }
    if let Some(frac) = frac {
        if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return match format {
                NumberFormat::Plain => plain_float(rest, negative),
                NumberFormat::German => None,
            };
        }
        clean.push('.');
        clean.push_str(frac);
    } else if int.is_empty() {
        return None;
    }
    clean.parse().ok()
}

fn plain_float(rest: &str, negative: bool) -> Option<f64> {
    let looks_numeric = rest.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && rest
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    let x: f64 = if looks_numeric {
        rest.parse().ok()?
    } else {
        return None;
    };
    x.is_finite().then_some(if negative { -x } else { x })
}

/// Append the digits of an integer part to `out`, accepting thousands groups separated by
/// `grouping` or by spaces (`374 055`, `1.234.567`): every group after the first has three
/// digits. An empty integer part (`,5`) is fine.
fn grouped_digits(int: &str, grouping: char, out: &mut String) -> bool {
    let groups: Vec<&str> = int
        .split(|c: char| c == grouping || c.is_whitespace())
        .collect();
    if groups.len() > 1 {
        let (first, rest) = (groups[0], &groups[1..]);
        let ok = (1..=3).contains(&first.len()) && rest.iter().all(|g| g.len() == 3);
        // Several spaces in a row are no grouping, and neither are mixed separators like `1 234.567`.
        if !ok {
            return false;
        }
    }
    for g in groups {
        if !g.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        out.push_str(g);
    }
    true
}

/// What a cell says about the notation of its column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Evidence {
    /// Cells only German notation reads as written (`12,5`, `1.234.567`, `1.234,5`).
    pub german: usize,
    /// Cells only plain notation reads as written (`12.5`, `1,234,567`, `1,234.5`).
    pub plain: usize,
}

impl Evidence {
    /// Count one cell.
    pub fn add(&mut self, text: &str) {
        let t = strip_unit(text.trim());
        let t = split_flag(t).0;
        let t = t.trim_matches(['+', '-', '−']);
        if !t.bytes().any(|b| b.is_ascii_digit())
            || !t
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b' '))
        {
            return;
        }
        let (dots, commas) = (t.matches('.').count(), t.matches(',').count());
        let digits_after = |c: char| t.rsplit(c).next().map_or(0, str::len);
        match (dots, commas) {
            (0, 0) => {}
            (_, 0) if dots > 1 || digits_after('.') != 3 => {
                if dots > 1 {
                    self.german += 1
                } else {
                    self.plain += 1
                }
            }
            (0, _) if commas > 1 || digits_after(',') != 3 => {
                if commas > 1 {
                    self.plain += 1
                } else {
                    self.german += 1
                }
            }
            (d, c) if d > 0 && c > 0 => {
                if t.rfind(',') > t.rfind('.') {
                    self.german += 1
                } else {
                    self.plain += 1
                }
            }
            _ => {}
        }
    }

    /// The notation the cells point to, if they point anywhere.
    pub fn format(&self) -> Option<NumberFormat> {
        use std::cmp::Ordering::*;
        match self.german.cmp(&self.plain) {
            Greater => Some(NumberFormat::German),
            Less => Some(NumberFormat::Plain),
            Equal => None,
        }
    }
}

/// A number typed into a field of the app, in either language: German `3,5` and `1.234,5`,
/// or with a decimal point `3.5` (the natural way in English, and common in Germany too). A
/// comma makes it German; without one, a single dot is the decimal point and several dots group
/// thousands (`1.234.567`). Only finite numbers: every number input of every view reads through
/// here, so a threshold, target or value means the same whichever way it was typed.
pub fn parse_typed_number(text: &str) -> Option<f64> {
    let t = text.trim();
    let german = t.contains(',') || t.matches('.').count() > 1;
    let format = if german {
        NumberFormat::German
    } else {
        NumberFormat::Plain
    };
    parse_number(t, format).filter(|x| x.is_finite())
}

/// A number as put into an input field for editing: full precision, decimal comma, no
/// thousands dots; [`parse_typed_number`] reads it back to the same number.
pub fn format_typed_number(x: f64) -> String {
    format!("{x}").replace('.', ",")
}

/// The year in a cell: `2019`, `31.12.2014` (a Stichtag), `2014-12-31`.
pub(crate) fn parse_year(text: &str) -> Option<i32> {
    let t = text.trim();
    let year = if t.len() == 4 {
        t
    } else if let Some((date, year)) = t.rsplit_once('.') {
        let mut parts = date.split('.');
        let (d, m) = (parts.next()?, parts.next()?);
        let short = |s: &str| (1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        if parts.next().is_some() || !short(d) || !short(m) {
            return None;
        }
        year
    } else {
        let mut parts = t.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        let two = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
        if parts.next().is_some() || !two(m) || !two(d) {
            return None;
        }
        y
    };
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = year.parse().ok()?;
    // CONTRACT §1: a year column holds only plausible years.
    (1900..=2100).contains(&y).then_some(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers_in_either_language() {
        let cases: &[(&str, Option<f64>)] = &[
            ("3,5", Some(3.5)),
            ("3.5", Some(3.5)),
            (" 30 ", Some(30.0)),
            ("1.234,5", Some(1234.5)),
            ("1.234.567", Some(1_234_567.0)),
            ("1234,5", Some(1234.5)),
            ("-0,25", Some(-0.25)),
            ("+2", Some(2.0)),
            ("12,5 %", Some(12.5)),
            ("1,2,3", None),
            ("3.5.", None),
            ("drei", None),
            ("", None),
            ("1e999", None),
            ("NaN", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_typed_number(text), *want, "{text}");
        }
        for x in [0.1 + 0.2, 1234.5, -3.0, 1e-7, 123_456_789.125] {
            assert_eq!(parse_typed_number(&format_typed_number(x)), Some(x), "{x}");
        }
    }
    use NumberFormat::{German as G, Plain as P};

    fn num(x: f64) -> Value {
        Value::Number(x)
    }
    fn miss(r: Reason) -> Value {
        Value::Missing(r)
    }
    fn nn(t: &str) -> Value {
        miss(Reason::NotNumeric(t.into()))
    }

    #[test]
    fn cells() {
        let cases: Vec<(&str, NumberFormat, Value, Option<Flag>)> = vec![
            ("1.234.567,89", G, num(1234567.89), None),
            ("1234567.89", P, num(1234567.89), None),
            ("1,234,567.89", P, num(1234567.89), None),
            ("41212341,17", G, num(41212341.17), None),
            ("519628", G, num(519628.0), None),
            ("519628", P, num(519628.0), None),
            ("307.878", G, num(307878.0), None),
            ("307.878", P, num(307.878), None),
            ("10,2", G, num(10.2), None),
            ("+12,5", G, num(12.5), None),
            ("-12,5", G, num(-12.5), None),
            ("−3", G, num(-3.0), None),
            ("12,5 %", G, num(12.5), None),
            ("12.5%", P, num(12.5), None),
            ("374 055", G, num(374055.0), None),
            ("374\u{a0}055", G, num(374055.0), None),
            ("1\u{202f}234,5", G, num(1234.5), None),
            (" 42 ", G, num(42.0), None),
            (",5", G, num(0.5), None),
            ("1.5e3", P, num(1500.0), None),
            ("-", G, num(0.0), None),
            ("–", G, num(0.0), None),
            ("0", G, num(0.0), Some(Flag::Rounded)),
            ("0,0", G, num(0.0), None),
            ("(123)", G, num(123.0), Some(Flag::Uncertain)),
            ("(1.234,5)", G, num(1234.5), Some(Flag::Uncertain)),
            ("123p", G, num(123.0), Some(Flag::Provisional)),
            ("123 r", G, num(123.0), Some(Flag::Corrected)),
            ("1.234s", G, num(1234.0), Some(Flag::Estimated)),
            ("", G, miss(Reason::Empty), None),
            ("  ", G, miss(Reason::Empty), None),
            (".", G, miss(Reason::Unknown), None),
            ("...", G, miss(Reason::NotYetAvailable), None),
            ("x", G, miss(Reason::Locked), None),
            ("/", G, miss(Reason::Unreliable), None),
            ("k.A.", G, miss(Reason::NoAnswer), None),
            ("ca. 1.200", G, nn("ca. 1.200"), None),
            ("1.23", G, nn("1.23"), None),
            ("1,2,3", G, nn("1,2,3"), None),
            ("12,", G, nn("12,"), None),
            ("Kosten", G, nn("Kosten"), None),
            ("reps", G, nn("reps"), None),
            ("1  234", G, nn("1  234"), None),
            ("inf", P, nn("inf"), None),
            ("NaN", P, nn("NaN"), None),
            ("+", G, nn("+"), None),
            ("%", G, nn("%"), None),
            ("1.234,56 €", G, num(1234.56), None),
            ("€ 12", G, num(12.0), None),
            ("12 EUR", G, num(12.0), None),
            ("1.234,56-", G, num(-1234.56), None),
            ("12.5-", P, num(-12.5), None),
            ("-12-", G, nn("-12-"), None),
            ("€", G, nn("€"), None),
        ];
        for (text, format, value, flag) in cases {
            assert_eq!(
                parse_cell(text, format),
                (value, flag),
                "{text:?} {format:?}"
            );
        }
    }

    #[test]
    fn evidence() {
        let cases: &[(&[&str], Option<NumberFormat>)] = &[
            (&["41212341,17", "10,2"], Some(G)),
            (&["1.234.567"], Some(G)),
            (&["1.234,5"], Some(G)),
            (&["12.5", "3.25"], Some(P)),
            (&["1,234,567"], Some(P)),
            (&["1,234.5"], Some(P)),
            (&["1.234", "1,234", "12"], None),
            (&["519628", "", "-", "."], None),
            (&["12,5 %", "(3,5)", "4,5p"], Some(G)),
            (&["Köln", "k.A."], None),
            (&["1.234,56 €", "12,5-"], Some(G)),
        ];
        for (cells, want) in cases {
            let mut e = Evidence::default();
            cells.iter().for_each(|c| e.add(c));
            assert_eq!(e.format(), *want, "{cells:?}");
        }
    }

    #[test]
    fn years() {
        let cases = [
            ("2019", Some(2019)),
            (" 2019 ", Some(2019)),
            ("31.12.2014", Some(2014)),
            ("1.1.2020", Some(2020)),
            ("2014-12-31", Some(2014)),
            ("201", None),
            ("20190", None),
            ("12.2014", None),
            ("31.12.14", None),
            ("0999", None),
            ("Jahr", None),
            ("2014-1-31", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_year(text), want, "{text:?}");
        }
    }
}
