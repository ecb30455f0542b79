//! Wording the views share: a finding's message in the current language, a placement and a
//! judgement in words. The parts come from the core; this only picks the language's words.

use leptos::prelude::*;
use vergleichsring_core::{
    banded_message, finding_words, format_compact, Finding, FindingWords, Judgement, Placement,
};

use super::charts::{judgement_class, judgement_words};
use super::peers::finding_bands;
use super::reason_words;
use crate::i18n::{fill, ChartTexts, WorkshopTexts};
use crate::state::AppState;

/// A finding's message in the current language: the core's German, or the language's template
/// filled with the parts the core names ([`finding_words`]). Another municipality's raw figures
/// are cited in size bands while pseudonymised ([`finding_bands`]).
pub fn finding_message(finding: &Finding, state: AppState) -> String {
    let t = state.t();
    let bands = finding_bands(state, &finding.municipality);
    let german = || match &bands {
        Some(bands) => banded_message(finding, bands),
        None => finding.message.clone(),
    };
    let (Some(m), Some(words)) = (t.check.messages, finding_words(finding, bands.as_ref())) else {
        return german();
    };
    let thresholds = state.thresholds.get();
    match words {
        FindingWords::NotNumeric { name, text } => {
            fill(m.not_numeric, &[("name", name), ("text", text)])
        }
        FindingWords::Missing { name, reason } => fill(
            m.missing,
            &[("name", name), ("reason", &reason_words(reason, t))],
        ),
        FindingWords::Negative { name, value } => {
            fill(m.negative, &[("name", name), ("value", &value)])
        }
        FindingWords::Duplicate { municipality, year } => fill(
            m.duplicate,
            &[("municipality", municipality), ("year", &year.to_string())],
        ),
        FindingWords::Rule { name, id, values } => {
            let assert = state.catalogue.with(|c| {
                c.rules()
                    .iter()
                    .find(|r| r.id == id)
                    .map(|r| r.assert.clone())
                    .unwrap_or_default()
            });
            let values: Vec<String> = values
                .iter()
                .map(|(key, value)| match value {
                    Some(x) => format!("{key} = {x}"),
                    None => fill(m.rule_value_missing, &[("key", key)]),
                })
                .collect();
            fill(
                m.rule,
                &[
                    ("name", name),
                    ("assert", &assert),
                    ("values", &values.join(", ")),
                ],
            )
        }
        FindingWords::YearOnYear {
            name,
            percent,
            previous,
            now,
        } => {
            let template = if percent.is_some() {
                m.yoy
            } else {
                m.yoy_from_zero
            };
            fill(
                template,
                &[
                    ("name", name),
                    ("percent", &percent.unwrap_or_default()),
                    ("prev", &previous),
                    ("now", &now),
                    (
                        "threshold",
                        &format_compact(thresholds.yoy_threshold_percent),
                    ),
                ],
            )
        }
        FindingWords::Outlier {
            name,
            value,
            median,
            z,
        } => fill(
            m.outlier,
            &[
                ("name", name),
                ("value", &value),
                ("median", &median),
                ("z", &z),
                ("threshold", &format_compact(thresholds.outlier_robust_z)),
            ],
        ),
    }
}

/// The placement in words.
pub fn placement_words(placement: Option<Placement>, t: &WorkshopTexts) -> &'static str {
    match placement {
        Some(Placement::LowestQuarter) => t.placement_lowest,
        Some(Placement::BelowMedian) => t.placement_below,
        Some(Placement::AtMedian) => t.placement_at,
        Some(Placement::AboveMedian) => t.placement_above,
        Some(Placement::HighestQuarter) => t.placement_highest,
        None => t.placement_none,
    }
}

/// The judgement's words with its symbol ("▼ schlechter") and its CSS class: never colour alone.
pub fn judgement_mark(
    judgement: Option<Judgement>,
    texts: &ChartTexts,
) -> Option<(String, &'static str)> {
    let judgement = judgement?;
    Some((
        judgement_words(judgement, texts),
        judgement_class(judgement),
    ))
}
