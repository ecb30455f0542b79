//! CSV for German Excel: the one writer every CSV export goes through (the KPI, peer and
//! target sheets, the findings report) and the number notation it uses.

/// The byte order mark that tells Excel the file is UTF-8 (without it, umlauts break).
pub(crate) const BOM: &str = "\u{feff}";

/// Writes a header and rows as CSV for German Excel (see
/// [`Sheet::to_csv`](crate::Sheet::to_csv)), quoting where a field needs it. Every CSV the app
/// writes goes through here.
pub fn excel_csv<'h, R, F>(header: impl IntoIterator<Item = &'h str>, rows: R) -> String
where
    R: IntoIterator<Item = F>,
    F: IntoIterator,
    F::Item: AsRef<str>,
{
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = out.write_record(header.into_iter().map(defuse));
    for row in rows {
        let fields: Vec<F::Item> = row.into_iter().collect();
        let _ = out.write_record(fields.iter().map(|f| defuse(f.as_ref())));
    }
    let bytes = out.into_inner().unwrap_or_default();
    format!("{BOM}{}", String::from_utf8_lossy(&bytes))
}

/// A field Excel would run as a formula (CSV injection: `=HYPERLINK(…)` as a municipality name
/// in another city's file) gets a leading `'`, as OWASP advises, so Excel shows it as text.
/// Numbers as this module writes them (`-0,25`) stay numbers.
fn defuse(field: &str) -> std::borrow::Cow<'_, [u8]> {
    let runs = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if runs && !is_excel_number(field) {
        format!("'{field}").into_bytes().into()
    } else {
        field.as_bytes().into()
    }
}

/// Whether a field is a number as [`excel_number`] writes it: a sign, digits, a decimal comma.
fn is_excel_number(field: &str) -> bool {
    let digits = field.strip_prefix('-').unwrap_or(field);
    let (whole, fraction) = digits.split_once(',').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
}

/// A number for Excel with a German locale: full precision, decimal comma, no thousands dots
/// (Excel would read `1.234` as 1,234 in some set-ups). Not finite → empty.
pub fn excel_number(x: f64) -> String {
    if x.is_finite() {
        format!("{x}").replace('.', ",")
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_for_german_excel() {
        let cases = [
            (1234.5, "1234,5"),
            (0.1 + 0.2, "0,30000000000000004"),
            (-3.0, "-3"),
            (f64::NAN, ""),
        ];
        for (x, want) in cases {
            assert_eq!(excel_number(x), want, "{x}");
        }
    }

    #[test]
    fn fields_excel_would_run_are_text() {
        let hostile = [
            "=HYPERLINK(\"http://example.org\";\"Klick\")",
            "+1+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\tTab",
            "\rZeile",
            "-",
        ];
        let text = excel_csv(["=Kopf", "Wert"], hostile.iter().map(|h| [*h, "-0,25"]));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.trim_start_matches(BOM).as_bytes());
        assert_eq!(
            reader.headers().ok().map(|h| h[0].to_string()).as_deref(),
            Some("'=Kopf")
        );
        let read: Vec<(String, String)> = reader
            .records()
            .flatten()
            .map(|r| (r[0].to_string(), r[1].to_string()))
            .collect();
        let want: Vec<(String, String)> = hostile
            .iter()
            .map(|h| (format!("'{h}"), "-0,25".to_string()))
            .collect();
        assert_eq!(read, want);
        for number in ["-0,25", "-1234", "12,5", "0"] {
            assert!(is_excel_number(number), "{number}");
        }
        for text in ["-", "-,5", "-1,", "-1e5", "+1", "-1,2,3"] {
            assert!(!is_excel_number(text), "{text}");
        }
    }

    #[test]
    fn csv_has_bom_semicolons_and_quotes() {
        let text = excel_csv(
            ["Kommune", "Wert"],
            [vec!["Neustadt; Süd", "1,5"], vec!["Sagt \"ja\"", ""]],
        );
        assert_eq!(
            text,
            "\u{feff}Kommune;Wert\r\n\"Neustadt; Süd\";1,5\r\n\"Sagt \"\"ja\"\"\";\r\n"
        );
    }
}
