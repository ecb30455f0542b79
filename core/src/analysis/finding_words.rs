//! What a finding's message is worded from, named: the subject, the values it cites (formatted
//! as the German message formats them) and for each kind the parts its message needs. The core
//! words the German message itself ([`Finding::message`]); a page that words it in another
//! language fills its own template from these parts and needs to know nothing of the names
//! under which a finding keeps its values (`vorjahr`, `robuster_z` …).

use crate::analysis::finding::{
    format_compact, Code, Finding, CHANGE_PERCENT, MEDIAN, PREVIOUS_YEAR, ROBUST_Z,
};
use crate::value::{Reason, Value};

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
/// needs (then only its German message says it).
pub fn finding_words(finding: &Finding) -> Option<FindingWords<'_>> {
    let named = |name: &str| {
        finding
            .values
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    };
    let number = |value: Option<&Value>| {
        value
            .and_then(Value::number)
            .map(format_compact)
            .unwrap_or_default()
    };
    let first = finding.values.first().map(|(_, value)| value);
    let name = finding.label.as_str();
    Some(match &finding.code {
        Code::NotNumeric => match first? {
            Value::Missing(Reason::NotNumeric(text)) => FindingWords::NotNumeric { name, text },
            _ => return None,
        },
        Code::Missing => match first? {
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
                .map(|(key, value)| (key.as_str(), value.number().map(format_compact)))
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

    /// The words of a finding about `ew` with these values, as debug text.
    fn words(code: Code, values: &[(&str, Value)]) -> String {
        format!("{:?}", finding_words(&finding(code, "ew", values)))
    }

    fn n(x: f64) -> Value {
        Value::Number(x)
    }

    #[test]
    #[rustfmt::skip]
    fn parts_by_kind() {
        let yoy = [("vorjahr", n(1000.0)), ("ew", n(1500.0)), ("veraenderung_prozent", n(50.0))];
        let outlier = [("ew", n(12.5)), ("median", n(3.25)), ("mad", n(1.0)), ("robuster_z", n(6.2391))];
        let not_numeric = [("ew", Value::Missing(Reason::NotNumeric("abc".to_string())))];
        let rule = [("a", n(2.0)), ("b", Value::Missing(Reason::Empty))];
        for (code, values, shown) in [
            (Code::YoyJump, &yoy[..], r#"Some(YearOnYear { name: "Einwohner", percent: Some("50"), previous: "1.000", now: "1.500" })"#),
            (Code::YoyJump, &yoy[..2], r#"Some(YearOnYear { name: "Einwohner", percent: None, previous: "1.000", now: "1.500" })"#),
            (Code::Outlier, &outlier[..], r#"Some(Outlier { name: "Einwohner", value: "12,5", median: "3,25", z: "6,24" })"#),
            (Code::NotNumeric, &not_numeric[..], r#"Some(NotNumeric { name: "Einwohner", text: "abc" })"#),
            // A not_numeric finding without its text has no parts.
            (Code::NotNumeric, &yoy[1..2], "None"),
            (Code::Missing, &rule[1..], r#"Some(Missing { name: "Einwohner", reason: Empty })"#),
            (Code::Negative, &[("ew", n(-3.5))][..], r#"Some(Negative { name: "Einwohner", value: "-3,5" })"#),
            (Code::Duplicate, &[][..], r#"Some(Duplicate { municipality: "Adorf", year: 2023 })"#),
            (Code::Rule("r1".to_string()), &rule[..], r#"Some(Rule { name: "Einwohner", id: "r1", values: [("a", Some("2")), ("b", None)] })"#),
        ] {
            assert_eq!(words(code, values), shown);
        }
    }
}
