//! What a finding's message is worded from, named: the subject, the values it cites (formatted
//! as the German message formats them) and for each kind the parts its message needs. The core
//! words the German message itself ([`Finding::message`]); a page that words it in another
//! language fills its own template from these parts and needs to know nothing of the names
//! under which a finding keeps its values (`vorjahr`, `robuster_z` …).
//!
//! While the page pseudonymises the other members, their findings cite their raw figures in size
//! bands ([`BandWords`]): the parts ([`finding_words`] with bands), each value ([`cited_value`])
//! and the German message ([`banded_message`]). A raw figure is a value of a measure of the data
//! (a population, a count, an amount, this year's or the year before's), which a reader who
//! knows the official statistics could look up; the text of a cell that is no number hides when
//! it holds a digit. KPI values, the median, the robust z and the change in percent stay exact:
//! KPIs are what the ring compares (every view shows them exactly), and a change in percent
//! does not give the level away.

use crate::analysis::band::Band;
use crate::analysis::finding::{
    format_compact, negative_figure, not_numeric_text, rule_figures, yoy_figures, Code, Finding,
    CHANGE_PERCENT, MEDIAN, PREVIOUS_YEAR, ROBUST_Z,
};
use crate::value::{Reason, Value};

/// How a pseudonymised page cites another member's raw figures: the words of a size band
/// ([`Band::words`]: "500–600 Tsd.") and what stands for a cell's text that may hold a figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BandWords<'a> {
    /// "Tsd." in the page's language.
    pub thousand: &'a str,
    /// "Mio." in the page's language.
    pub million: &'a str,
    /// What stands for hidden text ("•••").
    pub hidden: &'a str,
}

/// The German band words, as the report CSV and the German messages write them.
pub const GERMAN_BANDS: BandWords<'static> = BandWords {
    thousand: "Tsd.",
    million: "Mio.",
    hidden: "•••",
};

impl BandWords<'_> {
    /// A figure in its band ("200–300 Tsd."); a figure without a band (not finite) is hidden.
    pub fn figure(&self, x: f64) -> String {
        Band::of(x).map_or_else(
            || self.hidden.to_string(),
            |b| b.words(self.thousand, self.million),
        )
    }
}

/// Whether the value a finding keeps under `name` is a raw figure of the data (banded while
/// pseudonymised): every value of a `negative`, `not_numeric` or rule finding, and both years of
/// a `yoy_jump` (not its change in percent). `missing`, `duplicate` and `outlier` (a KPI) cite
/// none.
pub fn is_raw_figure(finding: &Finding, name: &str) -> bool {
    match finding.code {
        Code::Negative | Code::NotNumeric | Code::Rule(_) => true,
        Code::YoyJump => name != CHANGE_PERCENT,
        Code::Missing | Code::Duplicate | Code::Outlier => false,
    }
}

/// The value `name` = `value` of `finding` as cited with `bands`: `Some(words)` when it is a
/// raw figure (its band, or the hidden mark for a text with a digit), `None` when it is cited as
/// it is (also every value without bands, and a missing value that holds no figure).
pub fn cited_value(
    finding: &Finding,
    name: &str,
    value: &Value,
    bands: Option<&BandWords<'_>>,
) -> Option<String> {
    let bands = bands.filter(|_| is_raw_figure(finding, name))?;
    match value {
        Value::Number(x) => Some(bands.figure(*x)),
        Value::Missing(Reason::NotNumeric(text)) if has_digit(text) => {
            Some(bands.hidden.to_string())
        }
        Value::Missing(_) => None,
    }
}

fn has_digit(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
}

/// The German message of `finding` with its raw figures cited in bands: the core's own message
/// ([`Finding::message`]) with the part that names the figures written again in bands. A message
/// in which that part is not found (not written by this core) is replaced by its subject and the
/// hidden mark rather than shown with figures.
pub fn banded_message(finding: &Finding, bands: &BandWords<'_>) -> String {
    let message = &finding.message;
    let Some(words) = finding_words(finding, None) else {
        return message.clone();
    };
    let Some(banded) = finding_words(finding, Some(bands)) else {
        return message.clone();
    };
    let (exact, cited) = match (words, banded) {
        (FindingWords::Negative { value, .. }, FindingWords::Negative { value: band, .. }) => {
            (negative_figure(&value), negative_figure(&band))
        }
        (FindingWords::NotNumeric { text, .. }, FindingWords::NotNumeric { text: shown, .. }) => {
            (not_numeric_text(text), not_numeric_text(shown))
        }
        (
            FindingWords::YearOnYear { previous, now, .. },
            FindingWords::YearOnYear {
                previous: p,
                now: n,
                ..
            },
        ) => (yoy_figures(&previous, &now), yoy_figures(&p, &n)),
        (FindingWords::Rule { values, .. }, FindingWords::Rule { values: shown, .. }) => {
            (rule_figures(&values), rule_figures(&shown))
        }
        _ => return message.clone(),
    };
    match message.rfind(&exact) {
        Some(at) => format!("{}{cited}{}", &message[..at], &message[at + exact.len()..]),
        None => format!("„{}“: {}", finding.label, bands.hidden),
    }
}

/// The parts of one finding's message, by kind. Numbers are formatted with
/// [`format_compact`] (an absent one is an empty string); `name` is the finding's label.
#[derive(Clone, Debug, PartialEq)]
pub enum FindingWords<'a> {
    /// `not_numeric`: the cell and the text that is no number.
    NotNumeric {
        /// The cell.
        name: &'a str,
        /// What it holds.
        text: &'a str,
    },
    /// `missing`: the cell and why it has no value.
    Missing {
        /// The cell.
        name: &'a str,
        /// Why.
        reason: &'a Reason,
    },
    /// `negative`: the cell and its value.
    Negative {
        /// The cell.
        name: &'a str,
        /// The value.
        value: String,
    },
    /// `duplicate`: the row that occurs again.
    Duplicate {
        /// The municipality.
        municipality: &'a str,
        /// The year.
        year: i32,
    },
    /// `rule:<id>`: the rule and its inputs, each `None` when missing.
    Rule {
        /// The rule's label.
        name: &'a str,
        /// The rule's id.
        id: &'a str,
        /// Each input's measure key and value.
        values: Vec<(&'a str, Option<String>)>,
    },
    /// `yoy_jump`: the change against the year before.
    YearOnYear {
        /// The cell.
        name: &'a str,
        /// The change in percent; `None` for a change from 0.
        percent: Option<String>,
        /// The year before's value.
        previous: String,
        /// This year's value.
        now: String,
    },
    /// `outlier`: the KPI value and how far from the median it lies.
    Outlier {
        /// The KPI.
        name: &'a str,
        /// Its value.
        value: String,
        /// The year's median.
        median: String,
        /// The robust z.
        z: String,
    },
}

/// The parts of `finding`'s message; `None` where the finding does not carry what its kind
/// needs (then only its German message says it). With `bands` its raw figures are cited in
/// bands ([`cited_value`]); without, exactly.
pub fn finding_words<'a>(
    finding: &'a Finding,
    bands: Option<&BandWords<'a>>,
) -> Option<FindingWords<'a>> {
    let named = |name: &str| {
        finding
            .values
            .iter()
            .find(|(key, _)| key == name)
            .map(|(key, value)| (key.as_str(), value))
    };
    let cite = |name: &str, value: &Value| {
        cited_value(finding, name, value, bands).or_else(|| value.number().map(format_compact))
    };
    let number = |value: Option<(&str, &Value)>| {
        value
            .and_then(|(name, value)| cite(name, value))
            .unwrap_or_default()
    };
    let first = finding
        .values
        .first()
        .map(|(key, value)| (key.as_str(), value));
    let name = finding.label.as_str();
    Some(match &finding.code {
        Code::NotNumeric => match first? {
            (key, value @ Value::Missing(Reason::NotNumeric(text))) => FindingWords::NotNumeric {
                name,
                text: match cited_value(finding, key, value, bands) {
                    Some(_) => bands.map_or(text.as_str(), |b| b.hidden),
                    None => text,
                },
            },
            _ => return None,
        },
        Code::Missing => match first?.1 {
            Value::Missing(reason) => FindingWords::Missing { name, reason },
            Value::Number(_) => return None,
        },
        Code::Negative => FindingWords::Negative {
            name,
            value: number(first),
        },
        Code::Duplicate => FindingWords::Duplicate {
            municipality: &finding.municipality,
            year: finding.year,
        },
        Code::Rule(id) => FindingWords::Rule {
            name,
            id,
            values: finding
                .values
                .iter()
                .map(|(key, value)| (key.as_str(), value.number().and_then(|_| cite(key, value))))
                .collect(),
        },
        Code::YoyJump => FindingWords::YearOnYear {
            name,
            percent: named(CHANGE_PERCENT).map(|p| number(Some(p))),
            previous: number(named(PREVIOUS_YEAR)),
            now: number(named(&finding.subject)),
        },
        Code::Outlier => FindingWords::Outlier {
            name,
            value: number(named(&finding.subject)),
            median: number(named(MEDIAN)),
            z: number(named(ROBUST_Z)),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Severity;

    fn finding(code: Code, subject: &str, values: &[(&str, Value)]) -> Finding {
        Finding {
            code,
            severity: Severity::Warning,
            municipality: "Adorf".to_string(),
            year: 2023,
            subject: subject.to_string(),
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            label: "Einwohner".to_string(),
            message: String::new(),
            source: None,
            notable: None,
        }
    }

    /// The words of a finding about `ew` with these values, as debug text, exactly or in bands.
    fn words(code: Code, values: &[(&str, Value)], bands: Option<&BandWords<'_>>) -> String {
        format!("{:?}", finding_words(&finding(code, "ew", values), bands))
    }

    fn n(x: f64) -> Value {
        Value::Number(x)
    }

    /// The parts of each kind, exactly and in bands (`=` where the bands change nothing).
    #[test]
    #[rustfmt::skip]
    fn parts_by_kind() {
        let yoy = [("vorjahr", n(123_456.0)), ("ew", n(172_838.4)), ("veraenderung_prozent", n(40.0))];
        let outlier = [("ew", n(12.5)), ("median", n(3.25)), ("mad", n(1.0)), ("robuster_z", n(6.2391))];
        let not_numeric = [("ew", Value::Missing(Reason::NotNumeric("ca. 123.456".to_string())))];
        let marker = [("ew", Value::Missing(Reason::NotNumeric("k. A.".to_string())))];
        let rule = [("a", n(2_345.0)), ("b", Value::Missing(Reason::Empty))];
        for (code, values, exact, banded) in [
            // The change in percent stays in bands: it does not give the level away.
            (Code::YoyJump, &yoy[..], r#"Some(YearOnYear { name: "Einwohner", percent: Some("40"), previous: "123.456", now: "172.838,4" })"#,
             r#"Some(YearOnYear { name: "Einwohner", percent: Some("40"), previous: "100–200 Tsd.", now: "100–200 Tsd." })"#),
            (Code::YoyJump, &yoy[..2], r#"Some(YearOnYear { name: "Einwohner", percent: None, previous: "123.456", now: "172.838,4" })"#,
             r#"Some(YearOnYear { name: "Einwohner", percent: None, previous: "100–200 Tsd.", now: "100–200 Tsd." })"#),
            // A KPI's outlier stays exact: KPIs are what the ring compares.
            (Code::Outlier, &outlier[..], r#"Some(Outlier { name: "Einwohner", value: "12,5", median: "3,25", z: "6,24" })"#, "="),
            (Code::NotNumeric, &not_numeric[..], r#"Some(NotNumeric { name: "Einwohner", text: "ca. 123.456" })"#,
             r#"Some(NotNumeric { name: "Einwohner", text: "•••" })"#),
            (Code::NotNumeric, &marker[..], r#"Some(NotNumeric { name: "Einwohner", text: "k. A." })"#, "="),
            // A not_numeric finding without its text has no parts.
            (Code::NotNumeric, &yoy[1..2], "None", "="),
            (Code::Missing, &rule[1..], r#"Some(Missing { name: "Einwohner", reason: Empty })"#, "="),
            (Code::Negative, &[("ew", n(-3.5))][..], r#"Some(Negative { name: "Einwohner", value: "-3,5" })"#,
             r#"Some(Negative { name: "Einwohner", value: "-4–-3" })"#),
            (Code::Duplicate, &[][..], r#"Some(Duplicate { municipality: "Adorf", year: 2023 })"#, "="),
            (Code::Rule("r1".to_string()), &rule[..], r#"Some(Rule { name: "Einwohner", id: "r1", values: [("a", Some("2.345")), ("b", None)] })"#,
             r#"Some(Rule { name: "Einwohner", id: "r1", values: [("a", Some("2–3 Tsd.")), ("b", None)] })"#),
        ] {
            assert_eq!(words(code.clone(), values, None), exact);
            let banded = if banded == "=" { exact } else { banded };
            assert_eq!(words(code, values, Some(&GERMAN_BANDS)), banded);
        }
    }

    #[test]
    fn values_cited_in_bands() {
        let f = finding(
            Code::YoyJump,
            "ew",
            &[
                ("vorjahr", n(98_765.0)),
                ("ew", n(138_271.0)),
                ("veraenderung_prozent", n(40.0)),
            ],
        );
        let cited: Vec<Option<String>> = f
            .values
            .iter()
            .map(|(name, value)| cited_value(&f, name, value, Some(&GERMAN_BANDS)))
            .collect();
        assert_eq!(
            cited,
            [
                Some("90–100 Tsd.".to_string()),
                Some("100–200 Tsd.".to_string()),
                None
            ]
        );
        // Without bands every value is cited as it is.
        assert!(f
            .values
            .iter()
            .all(|(name, value)| cited_value(&f, name, value, None).is_none()));
    }

    /// The German messages `check` writes, banded: no exact figure is left, the rest of the
    /// message is as the core wrote it.
    #[test]
    fn messages_of_check_in_bands() {
        use crate::analysis::finding::check;
        use crate::analysis::kpi::KpiTable;
        use crate::catalogue::definition::Checks;
        let rules = r#"
[[rule]]
id = "teil"
label = "LB sind Teil der EW"
assert = "lb <= ew"
severity = "error"
"#;
        let mut d = crate::testing::ew_lb(&[
            ("A", 2020, n(123_456.0), n(4_321.0)),
            ("A", 2021, n(172_838.0), n(-7.0)),
            ("B", 2020, n(950.0), n(1_234.0)),
            (
                "C",
                2020,
                Value::Missing(Reason::NotNumeric("ca. 98.765".into())),
                n(5.0),
            ),
        ]);
        d.municipalities.truncate(3);
        let catalogue = crate::testing::catalogue(rules);
        let table = KpiTable::compute(&catalogue, &d);
        let findings = check(
            &catalogue,
            &d,
            &table,
            &Checks {
                yoy_threshold_percent: 30.0,
                outlier_robust_z: 1e9,
            },
        );
        let codes: Vec<String> = findings.iter().map(|f| f.code.to_string()).collect();
        assert_eq!(
            codes,
            [
                "negative",
                "yoy_jump",
                "yoy_jump",
                "rule:teil",
                "not_numeric"
            ]
        );
        let banded: Vec<String> = findings
            .iter()
            .map(|f| banded_message(f, &GERMAN_BANDS))
            .collect();
        assert_eq!(
            banded,
            [
                "„lb“ ist negativ (-8–-7); Anzahlen und Beträge können nicht unter 0 liegen.",
                "„ew“ ändert sich um 40 % gegenüber dem Vorjahr (100–200 Tsd. → 100–200 Tsd.); Schwelle 30 %.",
                "„lb“ ändert sich um -100,16 % gegenüber dem Vorjahr (4–5 Tsd. → -8–-7); Schwelle 30 %.",
                "Regel „LB sind Teil der EW“ ist verletzt: lb <= ew (lb = 1–2 Tsd., ew = 900–1.000).",
                "„ew“ ist keine Zahl: „•••“. Bitte eine Zahl oder ein Zeichen der amtlichen Zeichenerklärung eintragen.",
            ]
        );
        for (f, banded) in findings.iter().zip(&banded) {
            assert_ne!(&f.message, banded, "{}", f.message);
            for (name, value) in f.values.iter().filter(|(name, _)| is_raw_figure(f, name)) {
                if let Some(x) = value.number().filter(|x| x.abs() >= 10.0) {
                    assert!(cited_value(f, name, value, None).is_none());
                    assert!(!banded.contains(&format_compact(x)), "{banded}");
                }
            }
        }
        // A message this core did not write is not shown with its figures.
        let mut foreign = findings[1].clone();
        foreign.message = "Einwohner 123.456 → 172.838".into();
        assert_eq!(banded_message(&foreign, &GERMAN_BANDS), "„ew“: •••");
    }
}
