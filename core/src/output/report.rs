//! The check report as a file: the findings with their comments as CSV that German Excel opens
//! as it is (UTF-8 with byte order mark, `;` between fields, decimal comma), so a controller can
//! send the explanations to the ring or keep them with the submission.

use std::collections::BTreeSet;

use crate::analysis::finding::{Comments, Finding, FindingKey};
use crate::analysis::finding_words::{banded_message, cited_value, GERMAN_BANDS};
use crate::catalogue::definition::Severity;
use crate::output::excel::{excel_csv, excel_number};
use crate::value::Value;

/// The column heads of the report.
const HEADER: [&str; 13] = [
    "Schweregrad",
    "Code",
    "Kommune",
    "Jahr",
    "Gegenstand",
    "Wert",
    "Werte",
    "Meldung",
    "Datei",
    "Zeile",
    "Spalte",
    "Statistisch auffällig",
    "Kommentar",
];

/// The German word for a severity, as the report and the page write it.
pub fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "Fehler",
        Severity::Warning => "Warnung",
    }
}

/// A value for the report: the number as [`excel_number`], or the reason it is missing.
fn excel_value(value: &Value) -> String {
    match value {
        Value::Number(x) => excel_number(*x),
        Value::Missing(reason) => reason.to_string(),
    }
}

/// The findings with their comments as CSV for German Excel. `files` are the names of the
/// uploads (`Source::file` indexes them). Comments whose finding is no longer found (the data
/// or thresholds changed) follow as rows of their own, so no explanation gets lost.
pub fn findings_csv(findings: &[Finding], comments: &Comments, files: &[String]) -> String {
    findings_csv_banded(findings, comments, files, |_| false)
}

/// [`findings_csv`] of a pseudonymised page: the findings for which `banded` is true (another
/// member's) cite their raw figures in size bands, in the value columns and in the message
/// ([`cited_value`], [`banded_message`], German words). Names are the caller's to mask.
pub fn findings_csv_banded(
    findings: &[Finding],
    comments: &Comments,
    files: &[String],
    banded: impl Fn(&Finding) -> bool,
) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut write = |record: &[String]| rows.push(record.to_vec());
    for f in findings {
        let bands = banded(f).then_some(&GERMAN_BANDS);
        let cell = |name: &str, v: &Value| {
            cited_value(f, name, v, bands).unwrap_or_else(|| excel_value(v))
        };
        let main = f
            .values
            .iter()
            .find(|(name, _)| *name == f.subject)
            .or(f.values.first())
            .map(|(name, v)| cell(name, v))
            .unwrap_or_default();
        let all = f
            .values
            .iter()
            .map(|(name, v)| format!("{name} = {}", cell(name, v)))
            .collect::<Vec<_>>()
            .join(" | ");
        let message = match bands {
            Some(bands) => banded_message(f, bands),
            None => f.message.clone(),
        };
        let (file, line, column) = match &f.source {
            Some(s) => (
                files.get(s.file).cloned().unwrap_or_default(),
                s.line.to_string(),
                s.column.to_string(),
            ),
            None => Default::default(),
        };
        write(&[
            severity_word(f.severity).to_string(),
            f.code.to_string(),
            f.municipality.clone(),
            f.year.to_string(),
            f.subject.clone(),
            main,
            all,
            message,
            file,
            line,
            column,
            match f.notable {
                Some(true) => "ja",
                Some(false) => "nein",
                None => "",
            }
            .to_string(),
            comments.get(&f.key()).unwrap_or_default().to_string(),
        ]);
    }
    let found: BTreeSet<FindingKey> = findings.iter().map(Finding::key).collect();
    for (key, comment) in comments.iter().filter(|(k, _)| !found.contains(k)) {
        write(&[
            String::new(),
            key.code.to_string(),
            key.municipality.clone(),
            key.year.to_string(),
            key.subject.clone(),
            String::new(),
            String::new(),
            "Befund liegt mit den aktuellen Daten und Schwellen nicht vor.".to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            comment.to_string(),
        ]);
    }
    excel_csv(HEADER, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::finding::Code;
    use crate::dataset::Source;
    use crate::value::Reason;

    fn finding(code: Code, subject: &str, values: Vec<(String, Value)>) -> Finding {
        Finding {
            code,
            severity: Severity::Warning,
            municipality: "Bad Ülzen".into(),
            year: 2022,
            subject: subject.into(),
            values,
            label: String::new(),
            message: "Eine Meldung; mit Semikolon".into(),
            source: Some(Source {
                file: 0,
                line: 7,
                column: 3,
            }),
            notable: None,
        }
    }

    #[test]
    fn report_rows_with_comments_and_orphans() {
        let jump = finding(
            Code::YoyJump,
            "einwohner",
            vec![
                ("vorjahr".into(), Value::Number(800.0)),
                ("einwohner".into(), Value::Number(1200.5)),
            ],
        );
        let jump = Finding {
            notable: Some(true),
            ..jump
        };
        let missing = finding(
            Code::Missing,
            "ausgaben",
            vec![("ausgaben".into(), Value::Missing(Reason::Unknown))],
        );
        let mut comments = Comments::new();
        comments.set(jump.key(), "Eingemeindung");
        let gone = FindingKey {
            code: Code::Outlier,
            municipality: "Ost".into(),
            year: 2020,
            subject: "dichte_hlu".into(),
        };
        comments.set(gone, "geprüft");
        let text = findings_csv(&[jump, missing], &comments, &["ring.csv".into()]);
        assert!(text.starts_with('\u{feff}'));
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0], HEADER.join(";"));
        assert_eq!(
            lines[1],
            "Warnung;yoy_jump;Bad Ülzen;2022;einwohner;1200,5;vorjahr = 800 | einwohner = 1200,5;\
             \"Eine Meldung; mit Semikolon\";ring.csv;7;3;ja;Eingemeindung"
        );
        assert_eq!(
            lines[2],
            "Warnung;missing;Bad Ülzen;2022;ausgaben;unbekannt/geheim;ausgaben = unbekannt/geheim;\
             \"Eine Meldung; mit Semikolon\";ring.csv;7;3;;"
        );
        assert_eq!(
            lines[3],
            ";outlier;Ost;2020;dichte_hlu;;;Befund liegt mit den aktuellen Daten und Schwellen nicht vor.;;;;;geprüft"
        );
    }

    #[test]
    fn hostile_names_and_comments_are_text_in_excel() {
        let mut hostile = finding(
            Code::YoyJump,
            "einwohner",
            vec![("einwohner".into(), Value::Number(-12.5))],
        );
        hostile.municipality = "=HYPERLINK(\"http://example.org\";\"Bad Ülzen\")".into();
        let mut comments = Comments::new();
        comments.set(hostile.key(), "@SUMME(A1:A9)");
        let text = findings_csv(&[hostile], &comments, &["ring.csv".into()]);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let row = reader.records().flatten().next().unwrap_or_default();
        assert_eq!(&row[2], "'=HYPERLINK(\"http://example.org\";\"Bad Ülzen\")");
        assert_eq!(&row[5], "-12,5");
        assert_eq!(&row[12], "'@SUMME(A1:A9)");
    }

    #[test]
    fn banded_rows_cite_raw_figures_in_bands() {
        let mut jump = finding(
            Code::YoyJump,
            "einwohner",
            vec![
                ("vorjahr".into(), Value::Number(774_284.0)),
                ("einwohner".into(), Value::Number(1_065_837.0)),
                ("veraenderung_prozent".into(), Value::Number(37.65)),
            ],
        );
        jump.label = "Einwohner".into();
        jump.message = "„Einwohner“ ändert sich um 37,65 % gegenüber dem Vorjahr (774.284 → 1.065.837); Schwelle 30 %.".into();
        let own = Finding {
            municipality: "Altenmarkt".into(),
            ..jump.clone()
        };
        let comments = Comments::new();
        let files = ["ring.csv".to_string()];
        let findings = [jump, own];
        let text = findings_csv_banded(&findings, &comments, &files, |f| {
            f.municipality != "Altenmarkt"
        });
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(
            lines[1],
            "Warnung;yoy_jump;Bad Ülzen;2022;einwohner;1–2 Mio.;vorjahr = 700–800 Tsd. | einwohner = 1–2 Mio. | \
             veraenderung_prozent = 37,65;\"„Einwohner“ ändert sich um 37,65 % gegenüber dem Vorjahr \
             (700–800 Tsd. → 1–2 Mio.); Schwelle 30 %.\";ring.csv;7;3;;"
        );
        // The own municipality's row, and every row without banding, as findings_csv writes it.
        let exact = findings_csv(&findings, &comments, &files);
        assert_eq!(text.lines().nth(2), exact.lines().nth(2));
        assert!(lines[2].contains("(774.284 → 1.065.837)"), "{}", lines[2]);
        assert_eq!(
            findings_csv_banded(&findings, &comments, &files, |_| false),
            exact
        );
    }
}
