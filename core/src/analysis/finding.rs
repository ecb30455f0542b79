//! Plausibility findings (Befunde, CONTRACT §4): what a controller should look at before the
//! data goes to the ring. Each finding names the cell or row it is about, the values involved
//! and the line of the upload, and says in plain German what is odd. Nothing in the data is
//! changed; users answer a finding with a comment ([`Comments`]) that is kept with the session.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::analysis::funnel::{funnel_of_all, Z998};
use crate::analysis::kpi::{KpiTable, Panel};
use crate::analysis::statistics::{mad, median, robust_z};
use crate::catalogue::definition::{Catalogue, Checks, Severity};
use crate::dataset::{CellKey, Dataset, MeasureKind, Source};
use crate::format::format_number;
use crate::value::{Reason, Value};

/// The name under which a `yoy_jump` keeps the year before's value.
pub const PREVIOUS_YEAR: &str = "vorjahr";
/// The name under which a `yoy_jump` keeps its change in percent (absent from 0).
pub const CHANGE_PERCENT: &str = "veraenderung_prozent";
/// The name under which an `outlier` keeps the year's median.
pub const MEDIAN: &str = "median";
/// The name under which an `outlier` keeps its robust z.
pub const ROBUST_Z: &str = "robuster_z";

impl Severity {
    /// `error` or `warning`, as in the catalogue and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// What kind of finding (the `code` of CONTRACT §4).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Code {
    /// `missing`: a measure cell is empty or a missing marker.
    Missing,
    /// `not_numeric`: a measure cell is neither a number nor a marker.
    NotNumeric,
    /// `negative`: a count or money measure is below 0.
    Negative,
    /// `duplicate`: a municipality–year pair occurs again.
    Duplicate,
    /// `rule:<id>`: a catalogue rule is false.
    Rule(String),
    /// `yoy_jump`: a measure changes by more than the threshold against the year before.
    YoyJump,
    /// `outlier`: a KPI's robust z exceeds the threshold.
    Outlier,
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Code::Missing => f.write_str("missing"),
            Code::NotNumeric => f.write_str("not_numeric"),
            Code::Negative => f.write_str("negative"),
            Code::Duplicate => f.write_str("duplicate"),
            Code::Rule(id) => write!(f, "rule:{id}"),
            Code::YoyJump => f.write_str("yoy_jump"),
            Code::Outlier => f.write_str("outlier"),
        }
    }
}

impl From<Code> for String {
    fn from(code: Code) -> String {
        code.to_string()
    }
}

impl TryFrom<String> for Code {
    type Error = String;

    fn try_from(text: String) -> std::result::Result<Code, String> {
        Ok(match text.as_str() {
            "missing" => Code::Missing,
            "not_numeric" => Code::NotNumeric,
            "negative" => Code::Negative,
            "duplicate" => Code::Duplicate,
            "yoy_jump" => Code::YoyJump,
            "outlier" => Code::Outlier,
            _ => match text.strip_prefix("rule:") {
                Some(id) => Code::Rule(id.to_string()),
                None => return Err(format!("unbekannter Befund-Code „{text}“")),
            },
        })
    }
}

/// A plausibility finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// What kind of finding.
    pub code: Code,
    /// How serious.
    pub severity: Severity,
    /// The municipality's name.
    pub municipality: String,
    /// The year.
    pub year: i32,
    /// The measure key, KPI id or rule id; empty for a duplicate row.
    pub subject: String,
    /// The values involved, each with its name (a measure key, `vorjahr`, `median` …).
    pub values: Vec<(String, Value)>,
    /// What the message names as its subject: a cell's measure label with its dimension values
    /// in brackets, the KPI's or the rule's label; empty for a duplicate row. With `values` it
    /// lets the page word the message in another language.
    pub label: String,
    /// What is odd, in plain German.
    pub message: String,
    /// Where in the uploads: the cell, or for findings about a whole row its first cell.
    pub source: Option<Source>,
    /// Beyond random variation (CONTRACT §4): for a `yoy_jump` of a count and an `outlier` of a
    /// KPI with funnel limits; `None` where the test does not apply. Never changes the severity.
    #[serde(default)]
    pub notable: Option<bool>,
}

impl Finding {
    /// The key that identifies the finding across changes of data and thresholds.
    pub fn key(&self) -> FindingKey {
        FindingKey {
            code: self.code.clone(),
            municipality: self.municipality.clone(),
            year: self.year,
            subject: self.subject.clone(),
        }
    }
}

/// A finding as a record of the fields of CONTRACT §4, in their order, as `check` prints it and
/// a submission package carries it: `value` is the subject's value (for a rule the first value
/// it names), `values` every value involved by name, `file` and `line` locate it (`files` are
/// the uploads' names that `Source::file` indexes).
pub fn finding_record(f: &Finding, files: &[String]) -> Vec<(&'static str, serde_json::Value)> {
    use serde_json::Value as Json;
    let number = |v: &Value| -> Json { v.number().into() };
    let primary = f
        .values
        .iter()
        .find(|(name, _)| *name == f.subject)
        .or_else(|| f.values.first())
        .map_or(Json::Null, |(_, v)| number(v));
    let values: serde_json::Map<String, Json> = f
        .values
        .iter()
        .map(|(name, v)| (name.clone(), number(v)))
        .collect();
    let file = f.source.and_then(|s| files.get(s.file)).cloned();
    vec![
        ("code", f.code.to_string().into()),
        ("severity", f.severity.as_str().into()),
        ("municipality", f.municipality.clone().into()),
        ("year", f.year.into()),
        ("subject", f.subject.clone().into()),
        ("value", primary),
        ("values", values.into()),
        ("message", f.message.clone().into()),
        ("file", file.into()),
        ("line", f.source.map(|s| s.line).into()),
        ("notable", f.notable.into()),
    ]
}

/// What a comment is attached to. Deliberately without values or thresholds: a comment on
/// "Altenmarkt 2022, Leistungsberechtigte HLU jumps" stays attached when the figure is corrected
/// or the threshold is changed and the finding is found again.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FindingKey {
    /// The finding's code.
    pub code: Code,
    /// The municipality's name.
    pub municipality: String,
    /// The year.
    pub year: i32,
    /// The subject (measure key, KPI id, rule id or empty).
    pub subject: String,
}

/// The users' comments on findings, by finding key. Kept with the session and exported with the
/// report; a comment whose finding is no longer found is kept too (the data may change back).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comments(BTreeMap<FindingKey, String>);

impl Comments {
    /// No comments.
    pub fn new() -> Comments {
        Comments::default()
    }

    /// The comment on a finding, if any.
    pub fn get(&self, key: &FindingKey) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// Set a comment; an empty or blank text removes it.
    pub fn set(&mut self, key: FindingKey, text: &str) {
        if text.trim().is_empty() {
            self.0.remove(&key);
        } else {
            self.0.insert(key, text.to_string());
        }
    }

    /// All comments in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&FindingKey, &str)> {
        self.0.iter().map(|(k, v)| (k, v.as_str()))
    }

    /// How many comments there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no comment.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One comment as stored in a session file: the key's fields and the text (JSON maps need
/// string keys, so the map is stored as a list).
#[derive(Serialize, Deserialize)]
struct StoredComment {
    #[serde(flatten)]
    key: FindingKey,
    comment: String,
}

impl Serialize for Comments {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|(key, comment)| StoredComment {
            key: key.clone(),
            comment: comment.clone(),
        }))
    }
}

impl<'de> Deserialize<'de> for Comments {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Comments, D::Error> {
        let stored = Vec::<StoredComment>::deserialize(d)?;
        Ok(Comments(
            stored.into_iter().map(|c| (c.key, c.comment)).collect(),
        ))
    }
}

/// Counts of findings and whether the data can be submitted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckSummary {
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings by code (`rule:<id>` per rule).
    pub by_code: BTreeMap<String, usize>,
    /// Findings that have a comment.
    pub commented: usize,
    /// Findings beyond random variation (`notable` true, CONTRACT §4).
    pub notable: usize,
}

impl CheckSummary {
    /// Count findings, and which of them have a comment.
    pub fn of(findings: &[Finding], comments: &Comments) -> CheckSummary {
        let mut summary = CheckSummary::default();
        for f in findings {
            match f.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
            }
            *summary.by_code.entry(f.code.to_string()).or_default() += 1;
            summary.commented += usize::from(comments.get(&f.key()).is_some());
            summary.notable += usize::from(f.notable == Some(true));
        }
        summary
    }

    /// Ready to submit: no finding of severity error.
    pub fn ready_to_submit(&self) -> bool {
        self.errors == 0
    }
}

/// A number for a message: German notation with at most two decimals (four below 1, where two
/// would hide the figure), without trailing zeros: `1.200`, `3,37`, `0,0123`.
pub fn format_compact(x: f64) -> String {
    let decimals = if x.abs() >= 1.0 || x == 0.0 { 2 } else { 4 };
    let text = format_number(x, decimals);
    match text.split_once(',') {
        Some((whole, fraction)) if fraction.trim_end_matches('0').is_empty() => whole.to_string(),
        Some(_) => text.trim_end_matches('0').to_string(),
        None => text,
    }
}

/// The figures of a `yoy_jump`'s German message: "(98.765 → 138.271)". The message and its
/// pseudonymised wording ([`crate::banded_message`]) both write them here.
pub(crate) fn yoy_figures(previous: &str, now: &str) -> String {
    format!("({previous} → {now})")
}

/// The figure of a `negative` finding's German message: "(-3,5)".
pub(crate) fn negative_figure(value: &str) -> String {
    format!("({value})")
}

/// The text of a `not_numeric` finding's German message: "„ca. 1.200“".
pub(crate) fn not_numeric_text(text: &str) -> String {
    format!("„{text}“")
}

/// The end of a rule's German message: its inputs, " (lb = 1.200, ew fehlt)."; `None` for a
/// missing input.
pub(crate) fn rule_figures(values: &[(&str, Option<String>)]) -> String {
    let shown: Vec<String> = values
        .iter()
        .map(|(key, value)| match value {
            Some(x) => format!("{key} = {x}"),
            None => format!("{key} fehlt"),
        })
        .collect();
    format!(" ({}).", shown.join(", "))
}

/// Every plausibility finding of a dataset (CONTRACT §4): cells, duplicate rows, the catalogue's
/// rules, jumps against the year before and outlying KPI values, with the thresholds given
/// (the catalogue's `[checks]` or a session's override). Ordered by municipality (data order),
/// year, errors before warnings, code and subject.
pub fn check(
    catalogue: &Catalogue,
    dataset: &Dataset,
    table: &KpiTable,
    thresholds: &Checks,
) -> Vec<Finding> {
    let mut finder = Finder::new(dataset);
    finder.cells();
    finder.duplicates();
    finder.rules(catalogue);
    finder.year_on_year(thresholds.yoy_threshold_percent);
    finder.outliers(catalogue, table, thresholds.outlier_robust_z);
    finder.finish()
}

/// Cells that sit at the same place of a file as a cell of a measure loaded before them: a
/// catalogue measure bound to a loaded one (CONTRACT §2) repeats its cells. Their `missing`,
/// `not_numeric`, `negative` and `yoy_jump` findings would repeat the loaded cell's, so they are
/// reported once, under the loaded measure. (A sum that jumps has a part that jumps too.) Cells
/// of one place share municipality and year, so the places are compared group by group.
fn repeated_cells(dataset: &Dataset) -> HashSet<CellKey> {
    let mut repeated = HashSet::new();
    let mut group: Vec<(CellKey, Source)> = Vec::new();
    for (key, obs) in &dataset.cells {
        if group
            .first()
            .is_some_and(|(k, _)| (k.municipality, k.year) != (key.municipality, key.year))
        {
            mark_repeated(&mut group, &mut repeated);
        }
        group.push((key, obs.source));
    }
    mark_repeated(&mut group, &mut repeated);
    repeated
}

/// [`repeated_cells`] of one municipality and year (emptying `group`).
fn mark_repeated(group: &mut Vec<(CellKey, Source)>, repeated: &mut HashSet<CellKey>) {
    let mut first: HashMap<Source, usize> = HashMap::with_capacity(group.len());
    for (key, source) in group.iter() {
        let m = first.entry(*source).or_insert(key.measure);
        *m = (*m).min(key.measure);
    }
    for (key, source) in group.drain(..) {
        if first.get(&source).is_some_and(|&m| m < key.measure) {
            repeated.insert(key);
        }
    }
}

/// Builds findings for one dataset, knowing its names and where its rows start.
struct Finder<'a> {
    dataset: &'a Dataset,
    /// The first cell of each municipality–year row: where row findings point.
    rows: BTreeMap<(usize, i32), Source>,
    /// Findings with their municipality index, for ordering.
    findings: Vec<(usize, Finding)>,
    /// Cells that repeat another measure's cell (see [`repeated_cells`]).
    repeated: HashSet<CellKey>,
}

impl<'a> Finder<'a> {
    fn new(dataset: &'a Dataset) -> Finder<'a> {
        // Cells come ordered by municipality and year, so each row's cells are neighbours.
        let mut rows: Vec<((usize, i32), Source)> = Vec::new();
        for (key, obs) in &dataset.cells {
            let row = (key.municipality, key.year);
            match rows.last_mut() {
                Some((last, first)) if *last == row => {
                    if (obs.source.file, obs.source.line, obs.source.column)
                        < (first.file, first.line, first.column)
                    {
                        *first = obs.source;
                    }
                }
                _ => rows.push((row, obs.source)),
            }
        }
        Finder {
            dataset,
            rows: rows.into_iter().collect(),
            findings: Vec::new(),
            repeated: repeated_cells(dataset),
        }
    }

    fn finish(mut self) -> Vec<Finding> {
        let weight = |s: Severity| match s {
            Severity::Error => 0,
            Severity::Warning => 1,
        };
        self.findings.sort_by(|(ma, a), (mb, b)| {
            (ma, a.year, weight(a.severity), &a.code, &a.subject).cmp(&(
                mb,
                b.year,
                weight(b.severity),
                &b.code,
                &b.subject,
            ))
        });
        self.findings.into_iter().map(|(_, f)| f).collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        code: Code,
        severity: Severity,
        (municipality, year): (usize, i32),
        (subject, label): (&str, String),
        values: Vec<(String, Value)>,
        message: String,
        source: Option<Source>,
    ) -> &mut Finding {
        let finding = Finding {
            code,
            severity,
            municipality: self.dataset.municipalities[municipality].name.clone(),
            year,
            subject: subject.to_string(),
            values,
            label,
            message,
            source,
            notable: None,
        };
        let at = self.findings.len();
        self.findings.push((municipality, finding));
        &mut self.findings[at].1
    }

    /// The measure label plus the dimension values when the table has dimensions.
    fn cell_name(&self, key: &CellKey) -> String {
        let label = &self.dataset.measures[key.measure].label;
        match self
            .dataset
            .combinations
            .get(key.combination)
            .filter(|c| !c.is_empty())
        {
            Some(dims) => format!("{label} ({})", dims.join(", ")),
            None => label.clone(),
        }
    }

    /// `missing`, `not_numeric` and `negative`: one look at every cell.
    fn cells(&mut self) {
        let dataset = self.dataset;
        for (key, obs) in &dataset.cells {
            if self.repeated.contains(&key) {
                continue;
            }
            let measure = &dataset.measures[key.measure];
            let negative = matches!(obs.value, Value::Number(x) if x < 0.0 && measure.kind == MeasureKind::Amount);
            // Most cells are fine; only a finding needs its cell's name.
            if obs.value.number().is_some() && !negative {
                continue;
            }
            let label = self.cell_name(&key);
            let name = format!("„{label}“");
            let (code, severity, message) = match &obs.value {
                Value::Missing(Reason::NotNumeric(text)) => (
                    Code::NotNumeric,
                    Severity::Error,
                    format!("{name} ist keine Zahl: {}. Bitte eine Zahl oder ein Zeichen der amtlichen Zeichenerklärung eintragen.", not_numeric_text(text)),
                ),
                Value::Missing(reason) => (Code::Missing, Severity::Warning, format!("{name} fehlt ({reason}).")),
                Value::Number(x) => (
                    Code::Negative,
                    Severity::Error,
                    format!("{name} ist negativ {}; Anzahlen und Beträge können nicht unter 0 liegen.", negative_figure(&format_compact(*x))),
                ),
            };
            let values = vec![(measure.key.clone(), obs.value.clone())];
            self.push(
                code,
                severity,
                (key.municipality, key.year),
                (&measure.key, label),
                values,
                message,
                Some(obs.source),
            );
        }
    }

    /// `duplicate`: rows of a municipality and year that occur again (the first one counts).
    fn duplicates(&mut self) {
        let dataset = self.dataset;
        for d in &dataset.duplicates {
            let message = format!(
                "{} {} kommt mehrfach vor; gezählt wird die erste Zeile, diese wird nicht verwendet.",
                dataset.municipalities[d.municipality].name, d.year
            );
            self.push(
                Code::Duplicate,
                Severity::Error,
                (d.municipality, d.year),
                ("", String::new()),
                Vec::new(),
                message,
                Some(d.source),
            );
        }
    }

    /// `rule:<id>`: a rule that is false for a municipality and year. A rule that cannot be
    /// decided (a missing input) is no finding: the `missing` finding already says why.
    fn rules(&mut self, catalogue: &Catalogue) {
        let dataset = self.dataset;
        let panel = Panel::new(dataset);
        let rows: Vec<(usize, i32)> = self.rows.keys().copied().collect();
        for (i, rule) in catalogue.rules().iter().enumerate() {
            for &(m, year) in &rows {
                let scope = panel.scope(m, year);
                if catalogue.values(&scope).holds(i) != Ok(false) {
                    continue;
                }
                let values: Vec<(String, Value)> = catalogue
                    .rule_measures(i)
                    .iter()
                    .map(|key| (key.clone(), panel.value(m, year, key, 0)))
                    .collect();
                let shown: Vec<(&str, Option<String>)> = values
                    .iter()
                    .map(|(key, v)| (key.as_str(), v.number().map(format_compact)))
                    .collect();
                let message = format!(
                    "Regel „{}“ ist verletzt: {}{}",
                    rule.label,
                    rule.assert,
                    rule_figures(&shown)
                );
                let source = self.rows.get(&(m, year)).copied();
                self.push(
                    Code::Rule(rule.id.clone()),
                    rule.severity,
                    (m, year),
                    (&rule.id, rule.label.clone()),
                    values,
                    message,
                    source,
                );
            }
        }
    }

    /// `yoy_jump`: a measure that changes by more than `threshold` percent against the year
    /// before. Exactly the threshold is not a jump. The comparison is made without dividing
    /// (`|v − prev| × 100 > threshold × |prev|`, with a relative slack of 1e-12) so that a change
    /// of exactly 30 % in decimal is not pushed over by binary rounding. From 0 to anything else
    /// is a jump (without a percentage); 0 to 0 is not.
    fn year_on_year(&mut self, threshold: f64) {
        let dataset = self.dataset;
        // The cells come by municipality and year: the year before's are kept from the pass
        // over them, by (combination, measure), instead of being looked up again.
        type Row = Vec<((usize, usize), Option<f64>)>;
        let (mut this_row, mut year_before): (Row, Row) = (Vec::new(), Vec::new());
        let mut row = None;
        for (key, obs) in &dataset.cells {
            if row != Some((key.municipality, key.year)) {
                let follows = row.is_some_and(|(m, y): (usize, i32)| {
                    m == key.municipality && y.checked_add(1) == Some(key.year)
                });
                year_before = match follows {
                    true => std::mem::take(&mut this_row),
                    false => Vec::new(),
                };
                this_row.clear();
                row = Some((key.municipality, key.year));
            }
            this_row.push(((key.combination, key.measure), obs.value.number()));
            let Value::Number(now) = obs.value else {
                continue;
            };
            if self.repeated.contains(&key) {
                continue;
            }
            let at = year_before.binary_search_by_key(&(key.combination, key.measure), |c| c.0);
            let Some(prev) = at.ok().and_then(|i| year_before[i].1) else {
                continue;
            };
            if (now - prev).abs() * 100.0 <= threshold * prev.abs() * (1.0 + 1e-12)
                || (prev == 0.0 && now == 0.0)
            {
                continue;
            }
            let measure = &dataset.measures[key.measure];
            let percent = (prev != 0.0).then(|| (now - prev) / prev.abs() * 100.0);
            let how = match percent {
                Some(p) => format!("um {} %", format_compact(p)),
                None => "von 0".to_string(),
            };
            let label = self.cell_name(&key);
            let message = format!(
                "„{label}“ ändert sich {how} gegenüber dem Vorjahr {}; Schwelle {} %.",
                yoy_figures(&format_compact(prev), &format_compact(now)),
                format_compact(threshold)
            );
            let mut values = vec![
                (PREVIOUS_YEAR.to_string(), Value::Number(prev)),
                (measure.key.clone(), Value::Number(now)),
            ];
            if let Some(p) = percent {
                values.push((CHANGE_PERCENT.to_string(), Value::Number(p)));
            }
            let notable = measure
                .is_count()
                .then(|| beyond_chance(prev, now))
                .flatten();
            self.push(
                Code::YoyJump,
                Severity::Warning,
                (key.municipality, key.year),
                (&measure.key, label),
                values,
                message,
                Some(obs.source),
            )
            .notable = notable;
        }
    }

    /// `outlier`: a KPI value whose robust z over all non-aggregate municipalities of the year
    /// lies beyond ± `threshold`. Nothing when the MAD is 0 (see [`Spread::of`]).
    fn outliers(&mut self, catalogue: &Catalogue, table: &KpiTable, threshold: f64) {
        let dataset = self.dataset;
        let panel = Panel::new(dataset);
        for (k, kpi) in catalogue.kpis().iter().enumerate() {
            for &year in table.years() {
                // Built only when needed: most KPIs have no funnel, and most years no outlier.
                let mut funnel = None;
                let values: Vec<(usize, f64)> = table
                    .cross_section(year, k)
                    .into_iter()
                    .filter(|&(m, _)| !dataset.municipalities[m].aggregate)
                    .filter_map(|(m, v)| Some((m, v.number()?)))
                    .collect();
                let xs: Vec<f64> = values.iter().map(|&(_, x)| x).collect();
                let Some(spread) = Spread::of(&xs) else {
                    continue;
                };
                for &(m, x) in &values {
                    let Some(z) = spread.outlying(x, threshold) else {
                        continue;
                    };
                    let message = format!(
                        "„{}“ = {} liegt weit vom Median {} entfernt (robuster z-Wert {}, Schwelle {}).",
                        kpi.label,
                        format_compact(x),
                        format_compact(spread.median),
                        format_compact(z),
                        format_compact(threshold)
                    );
                    let values = vec![
                        (kpi.id.clone(), Value::Number(x)),
                        (MEDIAN.to_string(), Value::Number(spread.median)),
                        ("mad".to_string(), Value::Number(spread.mad)),
                        (ROBUST_Z.to_string(), Value::Number(z)),
                    ];
                    let source = self.rows.get(&(m, year)).copied();
                    let notable = funnel
                        .get_or_insert_with(|| funnel_of_all(catalogue, dataset, &panel, k, year))
                        .as_ref()
                        .and_then(|f| f.point(m)?.notable());
                    self.push(
                        Code::Outlier,
                        Severity::Warning,
                        (m, year),
                        (&kpi.id, kpi.label.clone()),
                        values,
                        message,
                        source,
                    )
                    .notable = notable;
                }
            }
        }
    }
}

/// Whether a count's change from `before` to `now` is beyond random variation (CONTRACT §4):
/// `|now − before| > 3.090232 √(before + now)`, the 99.8 % limit of the difference of two
/// Poisson counts. `None` for negative counts, where the model does not apply.
fn beyond_chance(before: f64, now: f64) -> Option<bool> {
    let total = before + now;
    (before >= 0.0 && now >= 0.0).then(|| (now - before).abs() > Z998 * total.sqrt())
}

/// The robust spread of one KPI in one year: median and MAD over the municipalities with a value.
struct Spread {
    median: f64,
    mad: f64,
}

impl Spread {
    /// `None` for no values and when the MAD is 0: then more than half of the values are equal
    /// and any other value would be "infinitely" far out, which says nothing.
    fn of(values: &[f64]) -> Option<Spread> {
        let spread = Spread {
            median: median(values)?,
            mad: mad(values)?,
        };
        (spread.mad > 0.0).then_some(spread)
    }

    /// The robust z of `x` if it lies beyond ± `threshold` (exactly the threshold is not out).
    fn outlying(&self, x: f64, threshold: f64) -> Option<f64> {
        robust_z(x, self.median, self.mad).filter(|z| z.abs() > threshold)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Duplicate;
    use crate::testing::{self, dataset};

    fn n(x: f64) -> Value {
        Value::Number(x)
    }

    fn found(findings: &[(usize, Finding)]) -> Vec<(String, &str, i32, &str, Option<usize>)> {
        findings
            .iter()
            .map(|(_, f)| {
                (
                    f.code.to_string(),
                    f.municipality.as_str(),
                    f.year,
                    f.subject.as_str(),
                    f.source.map(|s| s.line),
                )
            })
            .collect()
    }

    #[test]
    fn cell_findings() {
        let d = dataset(&[
            (
                "A",
                2020,
                &[
                    ("einwohner", n(100.0)),
                    ("ausgaben", n(-1.0)),
                    ("quote", n(-3.0)),
                ],
            ),
            (
                "B",
                2020,
                &[
                    ("einwohner", Value::Missing(Reason::Unknown)),
                    ("ausgaben", Value::Missing(Reason::Empty)),
                ],
            ),
            (
                "C",
                2020,
                &[(
                    "einwohner",
                    Value::Missing(Reason::NotNumeric("ca. 1.200".into())),
                )],
            ),
        ]);
        let mut f = Finder::new(&d);
        f.cells();
        assert_eq!(
            found(&f.findings),
            vec![
                ("negative".into(), "A", 2020, "ausgaben", Some(2)),
                ("missing".into(), "B", 2020, "einwohner", Some(3)),
                ("missing".into(), "B", 2020, "ausgaben", Some(3)),
                ("not_numeric".into(), "C", 2020, "einwohner", Some(4)),
            ]
        );
        let severities: Vec<Severity> = f.findings.iter().map(|(_, f)| f.severity).collect();
        assert_eq!(
            severities,
            [
                Severity::Error,
                Severity::Warning,
                Severity::Warning,
                Severity::Error
            ]
        );
        assert_eq!(
            f.findings[1].1.message,
            "„einwohner“ fehlt (unbekannt/geheim)."
        );
        // The label is the message's subject without quotes, for wording it in English.
        assert_eq!(f.findings[1].1.label, "einwohner");
        assert!(
            f.findings[3].1.message.contains("„ca. 1.200“"),
            "{}",
            f.findings[3].1.message
        );
        assert!(
            f.findings[0].1.message.contains("(-1)"),
            "{}",
            f.findings[0].1.message
        );
    }

    #[test]
    fn duplicate_rows() {
        let mut d = dataset(&[("A", 2020, &[("einwohner", n(1.0))])]);
        d.duplicates.push(Duplicate {
            municipality: 0,
            year: 2020,
            source: Source {
                file: 0,
                line: 7,
                column: 1,
            },
        });
        let mut f = Finder::new(&d);
        f.duplicates();
        assert_eq!(
            found(&f.findings),
            vec![("duplicate".into(), "A", 2020, "", Some(7))]
        );
        assert_eq!(f.findings[0].1.severity, Severity::Error);
    }

    #[test]
    fn year_on_year_jumps() {
        // Threshold 30 %: exactly 30 % (also where 0.3 is not exact in binary) is not a jump.
        let cases: &[(f64, f64, bool)] = &[
            (100.0, 130.0, false),
            (100.0, 70.0, false),
            (10.1, 13.13, false),
            (100.0, 130.01, true),
            (100.0, 69.99, true),
            (0.0, 0.0, false),
            (0.0, 5.0, true),
            (-10.0, -14.0, true),
        ];
        for &(before, now, jump) in cases {
            let d = dataset(&[
                ("A", 2020, &[("lb", n(before))]),
                ("A", 2021, &[("lb", n(now))]),
            ]);
            let mut f = Finder::new(&d);
            f.year_on_year(30.0);
            let want = if jump {
                vec![("yoy_jump".into(), "A", 2021, "lb", Some(3))]
            } else {
                vec![]
            };
            assert_eq!(found(&f.findings), want, "{before} → {now}");
        }
    }

    #[test]
    fn year_on_year_needs_both_years() {
        let d = dataset(&[
            ("A", 2019, &[("lb", n(100.0))]),
            ("A", 2021, &[("lb", n(200.0))]),
            ("B", 2020, &[("lb", Value::Missing(Reason::Unknown))]),
            ("B", 2021, &[("lb", n(200.0))]),
        ]);
        let mut f = Finder::new(&d);
        f.year_on_year(30.0);
        assert!(f.findings.is_empty());
    }

    #[test]
    fn outliers_by_robust_z() {
        // median 10, deviations 2 1 0 1 2 … → MAD 1; z = 0.6745 (x − 10).
        let spread = Spread::of(&[8.0, 9.0, 10.0, 11.0, 12.0, 10.0, 40.0]).unwrap();
        assert_eq!((spread.median, spread.mad), (10.0, 1.0));
        let cases: &[(f64, bool)] = &[
            (40.0, true),
            (4.0, true),
            (5.0, false),
            (12.0, false),
            (10.0, false),
        ];
        for &(x, out) in cases {
            assert_eq!(spread.outlying(x, 3.5).is_some(), out, "{x}");
        }
        // Exactly the threshold is not an outlier: z = 0.6745 × 2 = 1.349.
        assert_eq!(spread.outlying(12.0, 0.6745 * 2.0), None);
        assert!(spread.outlying(12.0, 1.3489).is_some());
        // More than half equal: MAD 0, no outlier at all rather than a division by 0.
        assert!(Spread::of(&[5.0, 5.0, 5.0, 7.0, 1000.0]).is_none());
        assert!(Spread::of(&[]).is_none());
    }

    /// The rules of the test catalogue.
    const RULES: &str = r#"
[[rule]]
id = "teil"
label = "LB sind Teil der EW"
assert = "lb <= ew"
severity = "error"
[[rule]]
id = "klein"
label = "Weniger als 1.000 LB"
assert = "lb < 1000"
severity = "warning"
"#;

    /// Every finding of `rows` (each with `ew` = 1000, so `dichte` = `lb`) with the test catalogue.
    fn check_rows(rows: &[(&str, i32, Value)], outlier_robust_z: f64) -> Vec<Finding> {
        let rows: Vec<_> = rows
            .iter()
            .map(|(m, y, lb)| (*m, *y, n(1000.0), lb.clone()))
            .collect();
        let mut d = testing::ew_lb(&rows);
        if let Some(land) = d.municipality_index("Land") {
            d.municipalities[land].aggregate = true;
        }
        let catalogue = testing::catalogue(RULES);
        let table = KpiTable::compute(&catalogue, &d);
        let thresholds = Checks {
            yoy_threshold_percent: 1000.0,
            outlier_robust_z,
        };
        check(&catalogue, &d, &table, &thresholds)
    }

    #[test]
    fn rules_with_their_severity() {
        let f = check_rows(
            &[
                ("A", 2020, n(1200.0)),
                ("B", 2020, n(10.0)),
                ("C", 2020, Value::Missing(Reason::Unknown)),
            ],
            1e9,
        );
        let got: Vec<(String, Severity, &str, &str)> = f
            .iter()
            .map(|f| {
                (
                    f.code.to_string(),
                    f.severity,
                    f.municipality.as_str(),
                    f.subject.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("rule:teil".into(), Severity::Error, "A", "teil"),
                ("rule:klein".into(), Severity::Warning, "A", "klein"),
                ("missing".into(), Severity::Warning, "C", "lb"),
            ]
        );
        assert_eq!(
            f[0].values,
            vec![("lb".to_string(), n(1200.0)), ("ew".to_string(), n(1000.0))]
        );
        assert_eq!(f[0].source.map(|s| s.line), Some(2));
        assert_eq!(
            f[0].message,
            "Regel „LB sind Teil der EW“ ist verletzt: lb <= ew (lb = 1.200, ew = 1.000)."
        );
    }

    #[test]
    fn outliers_over_the_municipalities_of_a_year() {
        // dichte = 8 9 10 11 12 10 40 → median 10, MAD 1, z = 0.6745 (x − 10); Land is an
        // aggregate: neither counted nor judged.
        let rows: Vec<(&str, i32, Value)> = [
            ("A", 8.0),
            ("B", 9.0),
            ("C", 10.0),
            ("D", 11.0),
            ("E", 12.0),
            ("F", 10.0),
            ("G", 40.0),
            ("Land", 5000.0),
        ]
        .iter()
        .map(|&(m, x)| (m, 2020, n(x)))
        .collect();
        let outliers = |threshold: f64| -> Vec<String> {
            check_rows(&rows, threshold)
                .into_iter()
                .filter(|f| f.code == Code::Outlier)
                .map(|f| f.municipality)
                .collect()
        };
        assert_eq!(outliers(3.5), ["G"]);
        // Exactly the threshold (z of 8 and 12 = ±1.349) is not an outlier; just below it is.
        assert_eq!(outliers(0.6745 * 2.0), ["G"]);
        assert_eq!(outliers(1.3489), ["A", "E", "G"]);
        let g = check_rows(&rows, 3.5)
            .into_iter()
            .find(|f| f.code == Code::Outlier)
            .unwrap();
        assert_eq!(g.subject, "dichte");
        assert_eq!(g.values[3], ("robuster_z".to_string(), n(0.6745 * 30.0)));
    }

    #[test]
    fn no_outlier_when_mad_is_zero() {
        let rows: Vec<(&str, i32, Value)> = [
            ("A", 10.0),
            ("B", 10.0),
            ("C", 10.0),
            ("D", 11.0),
            ("E", 900.0),
        ]
        .iter()
        .map(|&(m, x)| (m, 2020, n(x)))
        .collect();
        assert!(check_rows(&rows, 3.5)
            .iter()
            .all(|f| f.code != Code::Outlier));
    }

    #[test]
    fn codes_round_trip_as_text() {
        for code in [
            Code::Missing,
            Code::NotNumeric,
            Code::Negative,
            Code::Duplicate,
            Code::Rule("a_b".into()),
            Code::YoyJump,
            Code::Outlier,
        ] {
            assert_eq!(Code::try_from(code.to_string()), Ok(code.clone()));
        }
        assert!(Code::try_from("rule".to_string()).is_err());
    }

    #[test]
    fn numbers_in_messages() {
        let cases = [
            (1234567.891, "1.234.567,89"),
            (-1.0, "-1"),
            (0.0, "0"),
            (30.0, "30"),
            (0.12345, "0,1235"),
            (999.5, "999,5"),
            (-0.00001, "0"),
        ];
        for (x, want) in cases {
            assert_eq!(format_compact(x), want, "{x}");
        }
    }

    #[test]
    fn comments_follow_the_key_not_the_values() {
        let d = dataset(&[
            ("A", 2020, &[("lb", n(100.0))]),
            ("A", 2021, &[("lb", n(200.0))]),
        ]);
        let mut f = Finder::new(&d);
        f.year_on_year(30.0);
        let mut comments = Comments::new();
        comments.set(f.findings[0].1.key(), "Zuzug einer Einrichtung");
        let d = dataset(&[
            ("A", 2020, &[("lb", n(100.0))]),
            ("A", 2021, &[("lb", n(300.0))]),
        ]);
        let mut again = Finder::new(&d);
        again.year_on_year(50.0);
        assert_eq!(
            comments.get(&again.findings[0].1.key()),
            Some("Zuzug einer Einrichtung")
        );
        let again = again.finish();
        let summary = CheckSummary::of(&again, &comments);
        assert_eq!(
            (summary.errors, summary.warnings, summary.commented),
            (0, 1, 1)
        );
        assert!(summary.ready_to_submit());
        comments.set(again[0].key(), "  ");
        assert!(comments.is_empty());
    }
}
