//! The catalogue: a ring's KPI definitions, plausibility rules, events in the time series and
//! check thresholds, read from and written to TOML (CONTRACT §2).
//!
//! Loading checks everything that can be checked without data: field names, ids, formulas,
//! limits and references between KPIs. A KPI id inside a formula stands for that KPI's value in
//! the same [`Scope`] (one municipality, or the sums over a peer group): [`Values`] evaluates it
//! by id, once per scope and year offset, so a chain of KPIs built on each other costs one
//! evaluation per KPI, not one per path through the chain. Whether the measure keys exist is a
//! question of the dataset: [`Catalogue::check_keys`].

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::catalogue::expression::{measure, Formula, Grammar, Keys, Scope, MAX_NESTING};
use crate::catalogue::ratio::Ratio;
use crate::catalogue::source::{Binding, Bindings};
use crate::dataset::Dataset;
use crate::error::{Error, ErrorKind, Position, Result};
use crate::message::{self, Message, Template};
use crate::value::{Reason, Value};

/// Which random model the limits of a KPI follow (the catalogue's `funnel`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FunnelKind {
    /// A rate of events per population (a density per 1,000 inhabitants): Poisson counts.
    Poisson,
    /// A share of a whole (the outpatient share of all recipients): binomial counts.
    Binomial,
}

impl FunnelKind {
    /// The name as written in the catalogue.
    pub fn as_str(self) -> &'static str {
        match self {
            FunnelKind::Poisson => "poisson",
            FunnelKind::Binomial => "binomial",
        }
    }

    /// The kind of a catalogue's `funnel` value; `None` for an unknown one.
    pub fn from_name(name: &str) -> Option<FunnelKind> {
        [FunnelKind::Poisson, FunnelKind::Binomial]
            .into_iter()
            .find(|k| k.as_str() == name)
    }
}

/// The built-in catalogue for SGB XII rings (German KPI names as rings use them).
const BUILTIN_TOML: &str = include_str!("../../catalogues/sgb12.toml");

/// Which direction of a KPI is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// Lower values are better (costs, densities).
    Lower,
    /// Higher values are better (outpatient share).
    Higher,
    /// Neither: a context or structural figure (rank 1 = highest).
    Neutral,
}

/// The level of a KPI in the input–output–outcome–impact chain of public management.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Resources spent (expenses).
    Input,
    /// Services delivered (cases, recipients).
    Output,
    /// Effect on the recipients (outpatient instead of inpatient care).
    Outcome,
    /// Effect on society.
    Impact,
}

/// How serious a broken rule (or a finding) is; errors sort first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The data are wrong and must be corrected before submission.
    Error,
    /// Worth a look and an explanation.
    Warning,
}

/// A KPI (Kennzahl) as the catalogue defines it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kpi {
    /// `[a-z0-9_]+`, unique in the catalogue.
    pub id: String,
    /// The name shown to users.
    pub label: String,
    /// The formula as written (may name other KPIs).
    pub formula: String,
    /// The unit shown with values (`je 1.000 EW`, `EUR`, `%`).
    pub unit: String,
    /// Which direction is better.
    pub better: Better,
    /// Input, output, outcome or impact.
    pub level: Level,
    /// Decimals for display only; computations keep full f64.
    pub decimals: u32,
    /// Part of the compact monitoring (true) or a deeper KPI shown on demand (false).
    #[serde(default = "yes")]
    pub core: bool,
    /// Context shown with the KPI: what it measures and how to read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A rate (`poisson`) or share (`binomial`) KPI of the form `N / D * c` gets funnel limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funnel: Option<FunnelKind>,
}

/// A plausibility rule: an assertion over measures and KPIs of one municipality and year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// `[a-z0-9_]+`, unique among the rules.
    pub id: String,
    /// What the rule says, in plain German.
    pub label: String,
    /// The assertion (comparisons, `and`, `or`, `not` allowed).
    pub assert: String,
    /// How serious a violation is.
    pub severity: Severity,
}

/// A legal or social change that breaks a time series, shown on charts and in reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// The year from which the change shows in the data.
    pub year: i32,
    /// What changed.
    pub label: String,
    /// The KPIs affected; empty = all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kpis: Vec<String>,
}

impl Event {
    /// Whether the event concerns a KPI.
    pub fn affects(&self, kpi: &str) -> bool {
        self.kpis.is_empty() || self.kpis.iter().any(|k| k == kpi)
    }
}

/// A measure the formulas use and the official tables it can come from (CONTRACT §2, "Measures
/// and their official sources").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueMeasure {
    /// The key the formulas use.
    pub key: String,
    /// The name shown to users.
    pub label: String,
    /// The unit (`Anzahl`, `EUR`, `%`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Where its values come from, tried in order (`[[measure.source]]`).
    #[serde(default, rename = "source", skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Binding>,
}

impl CatalogueMeasure {
    /// The official tables its sources name, each once with its statistic, in source order:
    /// what the user downloads to fill it.
    pub fn tables(&self) -> Vec<(&str, &str)> {
        let mut tables: Vec<(&str, &str)> = Vec::new();
        for s in &self.sources {
            if let (Some(table), Some(statistic)) = (&s.table, &s.statistic) {
                if !tables.iter().any(|(t, _)| t == table) {
                    tables.push((table, statistic));
                }
            }
        }
        tables
    }
}

/// Thresholds of the plausibility checks (CONTRACT §4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Checks {
    /// A measure that changes by more than this many percent against the year before is a
    /// `yoy_jump`.
    pub yoy_threshold_percent: f64,
    /// A KPI whose robust z exceeds this is an `outlier`.
    pub outlier_robust_z: f64,
}

impl Checks {
    /// Both thresholds must be positive numbers (from a catalogue or a session file).
    pub(crate) fn check(&self) -> Result<()> {
        for (name, value) in [
            ("yoy_threshold_percent", self.yoy_threshold_percent),
            ("outlier_robust_z", self.outlier_robust_z),
        ] {
            if !(value.is_finite() && value > 0.0) {
                return Err(catalogue_error(
                    Position::default(),
                    Message::new(&message::CHECK_NOT_POSITIVE)
                        .with("name", name)
                        .with("value", value),
                ));
            }
        }
        Ok(())
    }
}

impl Default for Checks {
    fn default() -> Checks {
        Checks {
            yoy_threshold_percent: 30.0,
            outlier_robust_z: 3.5,
        }
    }
}

fn yes() -> bool {
    true
}

/// A ring's catalogue, checked and compiled.
#[derive(Clone, Debug)]
pub struct Catalogue {
    name: String,
    kpis: Vec<Kpi>,
    rules: Vec<Rule>,
    events: Vec<Event>,
    checks: Checks,
    /// The measures with their official sources.
    measures: Vec<CatalogueMeasure>,
    /// Each KPI's formula as written, parsed.
    parsed: Vec<Formula>,
    /// Each rule's assertion as written, parsed.
    rule_parsed: Vec<Formula>,
    /// KPI index by id, for evaluating references.
    ids: HashMap<String, usize>,
    /// Per KPI, how deep evaluating it recurses, through the KPIs it names.
    depths: Vec<usize>,
    /// Per KPI, the measure keys it reads, through the KPIs it names.
    kpi_measures: Vec<Vec<String>>,
    /// Per rule, the measure keys it reads, through the KPIs it names.
    rule_measures: Vec<Vec<String>>,
    /// Where each KPI formula and rule assertion starts in the TOML text, when loaded from one.
    origin: Origin,
}

/// Positions of formulas in the TOML text, so an error can point into the file.
#[derive(Clone, Debug, Default)]
struct Origin {
    kpi_ids: Vec<Option<Position>>,
    formulas: Vec<Option<Anchor>>,
    rule_ids: Vec<Option<Position>>,
    asserts: Vec<Option<Anchor>>,
}

/// Where the first character of a formula string is in the file. `column` is known only for a
/// one-line string without escapes, where formula columns map one to one onto file columns.
#[derive(Clone, Debug)]
struct Anchor {
    line: usize,
    column: Option<usize>,
}

impl Anchor {
    fn position(&self, formula_column: Option<usize>) -> Position {
        let column = match (self.column, formula_column) {
            (Some(start), Some(c)) => Some(start + c - 1),
            (start, _) => start,
        };
        Position {
            file: None,
            line: Some(self.line),
            column,
        }
    }
}

/// Two catalogues are equal when their definitions are; where they were read from does not matter.
impl PartialEq for Catalogue {
    fn eq(&self, other: &Catalogue) -> bool {
        self.name == other.name
            && self.kpis == other.kpis
            && self.rules == other.rules
            && self.events == other.events
            && self.checks == other.checks
            && self.measures == other.measures
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    catalogue: Header,
    #[serde(default)]
    kpi: Vec<RawKpi>,
    #[serde(default)]
    rule: Vec<RawRule>,
    #[serde(default)]
    event: Vec<Event>,
    #[serde(default)]
    checks: Checks,
    #[serde(default)]
    measure: Vec<CatalogueMeasure>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKpi {
    id: Spanned<String>,
    label: String,
    formula: Spanned<String>,
    unit: String,
    better: Better,
    level: Level,
    decimals: u32,
    #[serde(default = "yes")]
    core: bool,
    #[serde(default)]
    description: Option<String>,
    /// Read as text so that an unknown model is an error naming the KPI.
    #[serde(default)]
    funnel: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    label: String,
    assert: Spanned<String>,
    severity: Severity,
}

#[derive(Serialize)]
struct Written<'a> {
    catalogue: Header,
    #[serde(skip_serializing_if = "<[Kpi]>::is_empty")]
    kpi: &'a [Kpi],
    #[serde(skip_serializing_if = "<[Rule]>::is_empty")]
    rule: &'a [Rule],
    #[serde(skip_serializing_if = "<[Event]>::is_empty")]
    event: &'a [Event],
    checks: &'a Checks,
    #[serde(skip_serializing_if = "<[CatalogueMeasure]>::is_empty")]
    measure: &'a [CatalogueMeasure],
}

/// How deep evaluating a formula may recurse through the KPIs it names (each reference one
/// step, plus the steps inside each formula). Five times a formula's own nesting limit: a
/// formula at that limit still fits, and the browser's small stack (1 MB in wasm) holds it.
const MAX_DEPTH: usize = 5 * MAX_NESTING;

/// The most decimals a KPI may show: beyond that no figure of a ring means anything, and a huge
/// value would make every formatted cell that long.
const MAX_DECIMALS: u32 = 10;

/// What a formula reads, through the KPIs it names.
struct Reach {
    measures: Vec<String>,
}

/// Add a key to a list unless it is there.
fn add_key(keys: &mut Vec<String>, key: &str) {
    if !keys.iter().any(|k| k == key) {
        keys.push(key.to_string());
    }
}

/// The error for a reference to a KPI whose own references go too deep.
fn too_deep(key: &str, column: usize) -> Error {
    Error::new(ErrorKind::Formula {
        msg: Message::new(&message::KPI_TOO_DEEP)
            .with("key", key)
            .with("limit", MAX_DEPTH),
        pos: Position {
            file: None,
            line: None,
            column: Some(column),
        },
    })
}

/// Words of the expression language that cannot be ids.
const RESERVED: [&str; 3] = ["and", "or", "not"];

impl Catalogue {
    /// The built-in catalogue for SGB XII benchmarking rings.
    pub fn builtin() -> Catalogue {
        // The built-in text is part of the program and covered by a test, not user input.
        Catalogue::from_toml(BUILTIN_TOML).expect("the built-in catalogue is valid")
    }

    /// The built-in catalogue's TOML text (to offer it for download and editing).
    pub fn builtin_toml() -> &'static str {
        BUILTIN_TOML
    }

    /// Read a catalogue from TOML. Errors name the field, KPI or rule and the line and column.
    pub fn from_toml(text: &str) -> Result<Catalogue> {
        let raw: RawCatalogue = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        let mut origin = Origin::default();
        let lines = Lines::new(text);
        let kpis = raw
            .kpi
            .into_iter()
            .map(|k| {
                origin.kpi_ids.push(Some(lines.position_of(k.id.span())));
                origin
                    .formulas
                    .push(Some(lines.anchor_of(k.formula.span())));
                let funnel = k
                    .funnel
                    .map(|f| {
                        FunnelKind::from_name(f.get_ref()).ok_or_else(|| {
                            catalogue_error(
                                lines.position_of(f.span()),
                                Message::new(&message::UNKNOWN_FUNNEL)
                                    .with("id", k.id.get_ref())
                                    .with("funnel", f.get_ref()),
                            )
                        })
                    })
                    .transpose()?;
                Ok(Kpi {
                    id: k.id.into_inner(),
                    label: k.label,
                    formula: k.formula.into_inner(),
                    unit: k.unit,
                    better: k.better,
                    level: k.level,
                    decimals: k.decimals,
                    core: k.core,
                    description: k.description,
                    funnel,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let rules = raw
            .rule
            .into_iter()
            .map(|r| {
                origin.rule_ids.push(Some(lines.position_of(r.id.span())));
                origin.asserts.push(Some(lines.anchor_of(r.assert.span())));
                Rule {
                    id: r.id.into_inner(),
                    label: r.label,
                    assert: r.assert.into_inner(),
                    severity: r.severity,
                }
            })
            .collect();
        Catalogue::build(
            raw.catalogue.name,
            kpis,
            rules,
            raw.event,
            raw.checks,
            origin,
        )?
        .with_measures(raw.measure)
    }

    /// Write the catalogue as TOML; [`Catalogue::from_toml`] reads it back to an equal catalogue.
    pub fn to_toml(&self) -> String {
        let written = Written {
            catalogue: Header {
                name: self.name.clone(),
            },
            kpi: &self.kpis,
            rule: &self.rules,
            event: &self.events,
            checks: &self.checks,
            measure: &self.measures,
        };
        // Serialising plain strings, numbers and enums into TOML cannot fail.
        let body = toml::to_string_pretty(&written).unwrap_or_default();
        format!("# Kennzahlenkatalog für Vergleichsring (Format: CONTRACT.md §2)\n{body}")
    }

    /// A catalogue from its parts, checked and compiled as if read from TOML.
    pub fn new(
        name: String,
        kpis: Vec<Kpi>,
        rules: Vec<Rule>,
        events: Vec<Event>,
        checks: Checks,
    ) -> Result<Catalogue> {
        Catalogue::build(name, kpis, rules, events, checks, Origin::default())
    }

    fn build(
        name: String,
        kpis: Vec<Kpi>,
        rules: Vec<Rule>,
        events: Vec<Event>,
        checks: Checks,
        origin: Origin,
    ) -> Result<Catalogue> {
        check_ids(
            &message::WHAT_KPI,
            kpis.iter().map(|k| k.id.as_str()),
            &origin.kpi_ids,
        )?;
        check_ids(
            &message::WHAT_RULE,
            rules.iter().map(|r| r.id.as_str()),
            &origin.rule_ids,
        )?;
        if let Some((i, k)) = kpis
            .iter()
            .enumerate()
            .find(|(_, k)| k.decimals > MAX_DECIMALS)
        {
            return Err(catalogue_error(
                origin.kpi_ids.get(i).cloned().flatten().unwrap_or_default(),
                Message::new(&message::BAD_DECIMALS)
                    .with("id", &k.id)
                    .with("decimals", k.decimals)
                    .with("limit", MAX_DECIMALS),
            ));
        }
        let parsed = kpis
            .iter()
            .enumerate()
            .map(|(i, k)| {
                Formula::parse(&k.formula)
                    .map_err(|e| in_formula(e, &message::WHAT_KPI, &k.id, origin.formula(i)))
            })
            .collect::<Result<Vec<_>>>()?;
        let ids = kpis
            .iter()
            .enumerate()
            .map(|(i, k)| (k.id.clone(), i))
            .collect();
        let mut catalogue = Catalogue {
            name,
            kpis,
            rules,
            events,
            checks,
            measures: Vec::new(),
            parsed,
            rule_parsed: Vec::new(),
            ids,
            depths: Vec::new(),
            kpi_measures: Vec::new(),
            rule_measures: Vec::new(),
            origin,
        };
        catalogue.resolve_kpis()?;
        catalogue.check_funnels()?;
        for (i, rule) in catalogue.rules.iter().enumerate() {
            let at = catalogue.origin.assert(i);
            let parsed = Formula::parse_rule(&rule.assert)
                .map_err(|e| in_formula(e, &message::WHAT_RULE, &rule.id, at))?;
            let reach = catalogue
                .reach(&parsed)
                .map_err(|e| in_formula(e, &message::WHAT_RULE, &rule.id, at))?;
            catalogue.rule_parsed.push(parsed);
            catalogue.rule_measures.push(reach.measures);
        }
        catalogue.check_events()?;
        catalogue.checks.check()?;
        Ok(catalogue)
    }

    /// The catalogue with these measures and their sources, checked: keys are ids as KPI ids are
    /// and unique, each source names either `measure` or `sum`.
    pub fn with_measures(mut self, measures: Vec<CatalogueMeasure>) -> Result<Catalogue> {
        check_ids(
            &message::WHAT_MEASURE,
            measures.iter().map(|m| m.key.as_str()),
            &[],
        )?;
        for m in &measures {
            for (i, source) in m.sources.iter().enumerate() {
                let one = source.measure.is_some() == source.sum.is_empty();
                let dims = source.dims.values().all(|v| !v.values().is_empty());
                if !one || !dims {
                    return Err(catalogue_error(
                        Position::default(),
                        Message::new(&message::BAD_SOURCE)
                            .with("key", &m.key)
                            .with("source", i + 1),
                    ));
                }
            }
        }
        self.measures = measures;
        Ok(self)
    }

    /// The catalogue with the user's bindings written in as the first source of their measures
    /// (a measure the catalogue does not list yet is added), so that the saved TOML binds the
    /// same way for the next user.
    pub fn with_bindings(&self, bindings: &Bindings) -> Catalogue {
        let mut measures = self.measures.clone();
        for (key, binding) in bindings {
            let at = match measures.iter().position(|m| &m.key == key) {
                Some(at) => at,
                None => {
                    measures.push(CatalogueMeasure {
                        key: key.clone(),
                        label: key.clone(),
                        unit: None,
                        sources: Vec::new(),
                    });
                    measures.len() - 1
                }
            };
            let sources = &mut measures[at].sources;
            sources.retain(|s| s != binding);
            sources.insert(0, binding.clone());
        }
        Catalogue {
            measures,
            ..self.clone()
        }
    }

    /// Follow the references between KPIs once, in dependency order, with a stack of its own
    /// (a chain of thousands of KPIs must not recurse): refuse cycles and chains too deep to
    /// evaluate, and note what each KPI reads.
    fn resolve_kpis(&mut self) -> Result<()> {
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            New,
            Open,
            Done,
        }
        let n = self.kpis.len();
        let parsed = self.parsed.clone();
        let refs: Vec<Vec<(&str, usize, usize)>> = parsed.iter().map(Formula::key_levels).collect();
        let mut state = vec![State::New; n];
        self.depths = vec![0; n];
        self.kpi_measures = vec![Vec::new(); n];
        for root in 0..n {
            if state[root] != State::New {
                continue;
            }
            state[root] = State::Open;
            // The KPIs being resolved, each with the index of its next reference.
            let mut path: Vec<(usize, usize)> = vec![(root, 0)];
            while let Some(&(i, next)) = path.last() {
                let Some(&(key, column, level)) = refs[i].get(next) else {
                    self.depths[i] = self.depths[i].max(self.parsed[i].depth());
                    state[i] = State::Done;
                    path.pop();
                    continue;
                };
                let at = self.origin.formula(i);
                let id = &self.kpis[i].id;
                match self.ids.get(key).map(|&j| (j, state[j])) {
                    None => add_key(&mut self.kpi_measures[i], key),
                    Some((j, State::Open)) => {
                        // Start the chain at the KPI whose formula closes the cycle: that is
                        // where the error points.
                        let start = path.iter().position(|&(p, _)| p == j).unwrap_or(0);
                        let mut chain: Vec<&str> = std::iter::once(i)
                            .chain(path[start..].iter().map(|&(p, _)| p))
                            .map(|p| self.kpis[p].id.as_str())
                            .collect();
                        // A cycle through thousands of KPIs would be a message of pages.
                        if chain.len() > 8 {
                            chain.splice(4..chain.len() - 3, ["…"]);
                        }
                        return Err(catalogue_error(
                            at.map_or_else(Position::default, |a| a.position(Some(column))),
                            Message::new(&message::KPI_CYCLE)
                                .with("id", id)
                                .with("column", column)
                                .with("chain", chain.join(" → ")),
                        ));
                    }
                    Some((j, State::New)) => {
                        // Resolve `j` first; this reference is looked at again when it is done.
                        state[j] = State::Open;
                        path.push((j, 0));
                        continue;
                    }
                    Some((j, State::Done)) => {
                        let depth = level + 1 + self.depths[j];
                        if depth > MAX_DEPTH {
                            return Err(in_formula(
                                too_deep(key, column),
                                &message::WHAT_KPI,
                                id,
                                at,
                            ));
                        }
                        self.depths[i] = self.depths[i].max(depth);
                        let reached = self.kpi_measures[j].clone();
                        for k in &reached {
                            add_key(&mut self.kpi_measures[i], k);
                        }
                    }
                }
                if let Some(top) = path.last_mut() {
                    top.1 += 1;
                }
            }
        }
        Ok(())
    }

    /// What a formula outside the KPI list (a rule, a formula being typed) reaches through the
    /// KPIs it names; too deep a chain is an error at the reference.
    fn reach(&self, formula: &Formula) -> Result<Reach> {
        let mut reach = Reach {
            measures: Vec::new(),
        };
        for (key, column, level) in formula.key_levels() {
            match self.ids.get(key) {
                Some(&j) => {
                    if level + 1 + self.depths[j] > MAX_DEPTH {
                        return Err(too_deep(key, column));
                    }
                    for k in &self.kpi_measures[j] {
                        add_key(&mut reach.measures, k);
                    }
                }
                None => add_key(&mut reach.measures, key),
            }
        }
        Ok(reach)
    }

    /// Funnel limits need a numerator and a denominator: `N / D * c` (CONTRACT §3).
    fn check_funnels(&self) -> Result<()> {
        for (i, k) in self.kpis.iter().enumerate() {
            if k.funnel.is_some() && Ratio::of(&self.parsed[i]).is_none() {
                return Err(catalogue_error(
                    self.origin
                        .kpi_ids
                        .get(i)
                        .cloned()
                        .flatten()
                        .unwrap_or_default(),
                    Message::new(&message::FUNNEL_NOT_RATIO)
                        .with("id", &k.id)
                        .with("formula", &k.formula),
                ));
            }
        }
        Ok(())
    }

    fn check_events(&self) -> Result<()> {
        for e in &self.events {
            if let Some(unknown) = e.kpis.iter().find(|k| self.kpi_index(k).is_none()) {
                return Err(catalogue_error(
                    Position::default(),
                    Message::new(&message::EVENT_UNKNOWN_KPI)
                        .with("year", e.year)
                        .with("label", &e.label)
                        .with("kpi", unknown),
                ));
            }
        }
        Ok(())
    }

    /// The catalogue's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The KPIs in catalogue order.
    pub fn kpis(&self) -> &[Kpi] {
        &self.kpis
    }

    /// The rules in catalogue order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The events (breaks in the time series).
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The events that concern a KPI, in catalogue order.
    pub fn events_for(&self, kpi: &str) -> Vec<&Event> {
        self.events.iter().filter(|e| e.affects(kpi)).collect()
    }

    /// The check thresholds.
    pub fn checks(&self) -> &Checks {
        &self.checks
    }

    /// The measures with their official sources (`[[measure]]`).
    pub fn measures(&self) -> &[CatalogueMeasure] {
        &self.measures
    }

    /// A measure of `[[measure]]` by key.
    pub fn measure(&self, key: &str) -> Option<&CatalogueMeasure> {
        self.measures.iter().find(|m| m.key == key)
    }

    /// The index of a KPI by id.
    pub fn kpi_index(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }

    /// A KPI by id.
    pub fn kpi(&self, id: &str) -> Option<&Kpi> {
        self.kpi_index(id).map(|i| &self.kpis[i])
    }

    /// The parsed formula of the KPI at `index`, as written (it may name other KPIs).
    pub fn formula(&self, index: usize) -> &Formula {
        &self.parsed[index]
    }

    /// The parsed formula of a KPI by id.
    pub fn kpi_formula(&self, id: &str) -> Option<&Formula> {
        self.kpi_index(id).map(|i| &self.parsed[i])
    }

    /// The measure keys the KPI at `index` reads, through the KPIs it names, each once.
    pub fn kpi_measures(&self, index: usize) -> &[String] {
        &self.kpi_measures[index]
    }

    /// The measure keys the rule at `index` reads, through the KPIs it names, each once.
    pub fn rule_measures(&self, index: usize) -> &[String] {
        &self.rule_measures[index]
    }

    /// The KPIs and rules evaluated in `scope` (one municipality and year, or a peer group's
    /// sums).
    pub fn values<'c>(&'c self, scope: &'c dyn Scope) -> Values<'c> {
        Values {
            catalogue: self,
            scope,
            memo: HashMap::new(),
        }
    }

    /// Parse a formula typed by the user and check its references to this catalogue's KPIs; the
    /// error (with its column in `text`) is what the editor shows under the input.
    pub fn compile(&self, text: &str, grammar: Grammar) -> Result<Formula> {
        let parsed = Formula::parse_as(text, grammar)?;
        self.reach(&parsed)?;
        Ok(parsed)
    }

    /// Like [`Catalogue::compile`], and every key must be a measure of `dataset` or a KPI id of
    /// the catalogue.
    pub fn compile_checked(
        &self,
        text: &str,
        grammar: Grammar,
        dataset: &Dataset,
    ) -> Result<Formula> {
        let parsed = Formula::parse_as(text, grammar)?;
        parsed.check_keys(&self.known_keys(dataset))?;
        self.reach(&parsed)?;
        Ok(parsed)
    }

    /// The measure keys of a dataset, this catalogue's KPI ids and its declared measures (which
    /// the user can bind even when nothing binds them yet): what a formula may name.
    fn known_keys<'k>(&'k self, dataset: &'k Dataset) -> Vec<&'k str> {
        dataset
            .measures
            .iter()
            .map(|m| m.key.as_str())
            .chain(self.kpis.iter().map(|k| k.id.as_str()))
            .chain(self.measures.iter().map(|m| m.key.as_str()))
            .collect()
    }

    /// Every measure key the KPIs and rules need, in catalogue order, each once.
    pub fn measure_keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = Vec::new();
        for k in self
            .kpi_measures
            .iter()
            .chain(&self.rule_measures)
            .flatten()
        {
            if !keys.contains(&k.as_str()) {
                keys.push(k);
            }
        }
        keys
    }

    /// One error per KPI and rule that names a key which is neither a KPI of the catalogue nor a
    /// measure of the dataset, pointing at the key in its own formula.
    pub fn check_keys(&self, dataset: &Dataset) -> Vec<Error> {
        let known = self.known_keys(dataset);
        let kpis = self.kpis.iter().zip(&self.parsed).enumerate();
        let rules = self.rules.iter().zip(&self.rule_parsed).enumerate();
        let kpi = &message::WHAT_KPI;
        let rule = &message::WHAT_RULE;
        kpis.map(|(i, (k, f))| (kpi, k.id.as_str(), f, self.origin.formula(i)))
            .chain(rules.map(|(i, (r, f))| (rule, r.id.as_str(), f, self.origin.assert(i))))
            .filter_map(|(what, id, f, at)| {
                f.check_keys(&known)
                    .err()
                    .map(|e| in_formula(e, what, id, at))
            })
            .collect()
    }
}

impl Origin {
    fn formula(&self, i: usize) -> Option<&Anchor> {
        self.formulas.get(i).and_then(Option::as_ref)
    }

    fn assert(&self, i: usize) -> Option<&Anchor> {
        self.asserts.get(i).and_then(Option::as_ref)
    }
}

/// A catalogue's KPIs and rules in one [`Scope`]. A KPI named in a formula is evaluated in the
/// same scope, once per year offset (`prev(k)` asks one year back), however often it is named.
pub struct Values<'c> {
    catalogue: &'c Catalogue,
    scope: &'c dyn Scope,
    memo: HashMap<(usize, u32), std::result::Result<f64, Reason>>,
}

impl Values<'_> {
    /// The value of the KPI at `index`, or missing with the reason.
    pub fn kpi(&mut self, index: usize) -> Value {
        match self.kpi_back(index, 0) {
            Ok(x) => Value::Number(x),
            Err(r) => Value::Missing(r),
        }
    }

    /// Whether the rule at `index` holds, or the reason it cannot be decided (a missing input).
    pub fn holds(&mut self, index: usize) -> std::result::Result<bool, Reason> {
        let catalogue = self.catalogue;
        catalogue.rule_parsed[index]
            .value_with(self, 0)
            .map(|x| x != 0.0)
    }

    fn kpi_back(&mut self, index: usize, years_back: u32) -> std::result::Result<f64, Reason> {
        if let Some(known) = self.memo.get(&(index, years_back)) {
            return known.clone();
        }
        let catalogue = self.catalogue;
        let value = catalogue.parsed[index].value_with(self, years_back);
        self.memo.insert((index, years_back), value.clone());
        value
    }
}

impl Keys for Values<'_> {
    fn value(&mut self, key: &str, years_back: u32) -> std::result::Result<f64, Reason> {
        match self.catalogue.kpi_index(key) {
            Some(index) => self.kpi_back(index, years_back),
            None => measure(self.scope, key, years_back),
        }
    }
}

impl fmt::Display for Catalogue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({} Kennzahlen, {} Regeln)",
            self.name,
            self.kpis.len(),
            self.rules.len()
        )
    }
}

fn catalogue_error(pos: Position, msg: Message) -> Error {
    Error::new(ErrorKind::Catalogue { msg, pos })
}

/// Ids are `[a-z0-9_]+`, unique, and not a word of the expression language.
fn check_ids<'a>(
    what: &'static Template,
    ids: impl Iterator<Item = &'a str>,
    positions: &[Option<Position>],
) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for (i, id) in ids.enumerate() {
        let pos = positions.get(i).cloned().flatten().unwrap_or_default();
        let valid = !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(catalogue_error(
                pos,
                Message::new(&message::BAD_ID)
                    .with_message("what", Message::new(what))
                    .with("id", id),
            ));
        }
        if RESERVED.contains(&id) {
            return Err(catalogue_error(
                pos,
                Message::new(&message::RESERVED_ID)
                    .with_message("what", Message::new(what))
                    .with("id", id),
            ));
        }
        if !seen.insert(id) {
            return Err(catalogue_error(
                pos,
                Message::new(&message::DOUBLE_ID)
                    .with_message("what", Message::new(what))
                    .with("id", id),
            ));
        }
    }
    Ok(())
}

/// A formula error put in context: which KPI or rule, which character of its formula, and
/// where that is in the TOML file.
fn in_formula(e: Error, what: &'static Template, id: &str, at: Option<&Anchor>) -> Error {
    let (msg, column) = match e.kind() {
        ErrorKind::Formula { msg, pos } => (msg.clone(), pos.column),
        _ => (e.message(), None),
    };
    let pos = at.map_or_else(Position::default, |a| a.position(column));
    let place = match column {
        Some(c) => Message::new(&message::IN_FORMULA_AT).with("column", c),
        None => Message::new(&message::IN_FORMULA),
    };
    catalogue_error(
        pos,
        place
            .with_message("what", Message::new(what))
            .with("id", id)
            .with_message("msg", msg),
    )
}

/// Where the lines of a text start, so that many positions cost a search each, not a scan
/// of the text before them (a catalogue may have thousands of KPIs).
struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// 1-based line and character column of a byte offset.
    fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts.get(line.wrapping_sub(1)).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |t| t.chars().count());
        (line, column + 1)
    }

    fn position_of(&self, span: Range<usize>) -> Position {
        let (line, column) = self.line_column(span.start);
        Position {
            file: None,
            line: Some(line),
            column: Some(column),
        }
    }

    /// The first character of a string value whose span (quotes included) is `span`.
    fn anchor_of(&self, span: Range<usize>) -> Anchor {
        let raw = self.text.get(span.clone()).unwrap_or("");
        let (line, column) = self.line_column(span.start);
        let simple = raw.len() >= 2
            && !raw.starts_with("\"\"\"")
            && !raw.starts_with("'''")
            && (raw.starts_with('\'') || !raw.contains('\\'));
        Anchor {
            line,
            column: simple.then_some(column + 1),
        }
    }
}

/// A TOML error in words with the line and column it names (the TOML reader's own words, in
/// English, only where its kind of error is not one of ours).
fn toml_error(text: &str, e: &toml::de::Error) -> Error {
    let pos = e
        .span()
        .map_or_else(Position::default, |s| Lines::new(text).position_of(s));
    let msg = e.message().trim();
    let quoted = |s: &str| -> Vec<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let first_and_rest = |template: &'static Template| {
        let names = quoted(msg);
        Message::new(template)
            .with("name", names.first().map_or("", String::as_str))
            .with(
                "allowed",
                names.get(1..).map(|n| n.join(", ")).unwrap_or_default(),
            )
    };
    let said = if msg.starts_with("unknown field") {
        first_and_rest(&message::TOML_UNKNOWN_FIELD)
    } else if msg.starts_with("missing field") {
        Message::new(&message::TOML_MISSING_FIELD)
            .with("name", quoted(msg).first().map_or("", String::as_str))
    } else if msg.starts_with("unknown variant") {
        first_and_rest(&message::TOML_UNKNOWN_VALUE)
    } else if msg.starts_with("invalid type") {
        Message::new(&message::TOML_WRONG_TYPE).with("error", msg)
    } else {
        Message::new(&message::TOML_INVALID).with("error", msg)
    };
    catalogue_error(pos, said)
}

/// A ratio evaluated in the catalogue's scope (here, not in `ratio.rs`, which the catalogue
/// itself uses to check its funnel KPIs).
impl Ratio {
    /// N and D with the catalogue's KPIs and measures of one scope (`Catalogue::values`, so a
    /// KPI named in N or D is evaluated as the KPI table does); missing with the reason of the
    /// first that is missing.
    pub fn parts(&self, values: &mut Values) -> std::result::Result<(f64, f64), Reason> {
        let n = self.numerator().value_with(values, 0)?;
        let d = self.denominator().value_with(values, 0)?;
        Ok((n, d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{Measure, MeasureKind};

    const HEAD: &str = "[catalogue]\nname = \"Test\"\n";

    fn kpi(id: &str, formula: &str) -> String {
        format!(
            "[[kpi]]\nid = \"{id}\"\nlabel = \"L\"\nformula = \"{formula}\"\nunit = \"%\"\n\
             better = \"lower\"\nlevel = \"output\"\ndecimals = 1\n"
        )
    }

    fn load(body: &str) -> std::result::Result<Catalogue, String> {
        Catalogue::from_toml(&format!("{HEAD}{body}")).map_err(|e| e.to_string())
    }

    fn fails(body: &str) -> String {
        match load(body) {
            Ok(_) => panic!("loaded: {body}"),
            Err(e) => e,
        }
    }

    #[test]
    fn rejects_bad_catalogues_naming_kpi_and_position() {
        let cases: &[(String, &str)] = &[
            (format!("{}colour = \"rot\"\n", kpi("a", "x")), "Zeile 11, Spalte 1: Unbekanntes Feld „colour“"),
            (format!("{}{}", kpi("a", "x"), kpi("a", "y")), "Zeile 12, Spalte 6: Kennzahl „a“ ist doppelt definiert."),
            (kpi("dichte", "x / (y * 1000"), "Zeile 6, Spalte 16: Kennzahl „dichte“, Zeichen 5 der Formel: Klammer wird nicht geschlossen."),
            (kpi("q", "abs(x, y)"), "Zeile 6, Spalte 12: Kennzahl „q“, Zeichen 1 der Formel: „abs“ erwartet genau 1 Argument"),
            (kpi("q", "x +"), "Kennzahl „q“, Zeichen 4 der Formel: Unerwartetes Ende"),
            (kpi("Q", "x"), "Kennzahl „Q“: eine id besteht nur aus"),
            (kpi("and", "x"), "Formelsprache"),
            (format!("{}{}", kpi("a", "b + 1"), kpi("b", "a * 2")), "Kennzahl „b“, Zeichen 1 der Formel: Zirkelbezug b → a → b."),
            (kpi("a", "a"), "Zirkelbezug a → a"),
            (kpi("a", "x").replace("lower", "smaller"), "Unbekannter Wert „smaller“ (erlaubt: lower, higher, neutral)"),
            (kpi("a", "x").replace("decimals = 1\n", ""), "Pflichtfeld „decimals“ fehlt"),
            ("[checks]\nyoy = 3\n".to_string(), "Zeile 4, Spalte 1: Unbekanntes Feld „yoy“ (erlaubt: yoy_threshold_percent, outlier_robust_z)"),
            ("[checks]\noutlier_robust_z = -1\n".to_string(), "outlier_robust_z muss eine positive Zahl sein"),
            (format!("{}[[rule]]\nid = \"r\"\nlabel = \"R\"\nassert = \"x <\"\nseverity = \"error\"\n", kpi("a", "x")), "Regel „r“, Zeichen 4 der Formel: Unerwartetes Ende"),
            (format!("{}[[event]]\nyear = 2020\nlabel = \"E\"\nkpis = [\"b\"]\n", kpi("a", "x")), "Ereignis 2020 „E“ nennt die unbekannte Kennzahl „b“."),
            ("[[kpi]\n".to_string(), "kein gültiges TOML"),
        ];
        for (body, want) in cases {
            let got = fails(body);
            assert!(got.contains(want), "want {want}\n got {got}");
        }
    }

    /// `x` is 10 this year and 2 less per year back, `y` is 4.
    struct Years;

    impl Scope for Years {
        fn value(&self, key: &str, years_back: u32) -> Value {
            match key {
                "x" => Value::Number(10.0 - 2.0 * f64::from(years_back)),
                "y" => Value::Number(4.0),
                _ => Value::Missing(Reason::NoRecord),
            }
        }
    }

    #[test]
    fn defaults_and_references() {
        let body = format!(
            "{}{}[[rule]]\nid = \"r\"\nlabel = \"R\"\nassert = \"quote <= 100 and not x < 0\"\nseverity = \"warning\"\n",
            kpi("quote", "x / y * 100"),
            kpi("change", "(quote - prev(quote)) / abs(prev(quote))"),
        );
        let c = load(&body);
        let c = c.as_ref();
        assert_eq!(
            c.map(|c| c.checks().clone()),
            Ok(&Checks::default()).cloned()
        );
        assert_eq!(c.map(|c| c.kpis()[0].core), Ok(true));
        assert_eq!(c.map(|c| c.kpis()[0].description.clone()), Ok(None));
        // x = 10, y = 4 this year; 8 and 4 the year before: quote 250 after 200.
        let scope = Years;
        let values = c.map(|c| {
            let mut v = c.values(&scope);
            (v.kpi(0), v.kpi(1), v.holds(0))
        });
        assert_eq!(
            values,
            Ok((Value::Number(250.0), Value::Number(0.25), Ok(false)))
        );
        assert_eq!(
            c.map(|c| c.kpi_measures(1).to_vec()),
            Ok(vec!["x".to_string(), "y".to_string()])
        );
        assert_eq!(
            c.map(|c| c.rule_measures(0).to_vec()),
            Ok(vec!["x".to_string(), "y".to_string()])
        );
        assert_eq!(c.map(|c| c.measure_keys()), Ok(vec!["x", "y"]));
    }

    #[test]
    fn unknown_keys_against_a_dataset() {
        let c = load(&format!(
            "{}{}",
            kpi("a", "einwohner * 2"),
            kpi("b", "a + einwohnr")
        ));
        let measure = |key: &str| Measure {
            key: key.into(),
            label: key.into(),
            unit: None,
            kind: MeasureKind::Amount,
            statistic: None,
        };
        let data = Dataset {
            measures: vec![measure("einwohner")],
            ..Dataset::default()
        };
        let errors: Vec<String> = c
            .as_ref()
            .map(|c| {
                c.check_keys(&data)
                    .iter()
                    .map(ToString::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let typed = |text: &str| {
            c.as_ref()
                .map_err(Clone::clone)
                .and_then(|c| {
                    c.compile_checked(text, Grammar::Kpi, &data)
                        .map_err(|e| e.to_string())
                })
                .map(|f| f.to_string())
        };
        assert_eq!(typed("a / einwohner"), Ok("a / einwohner".to_string()));
        assert_eq!(
            typed("a / einwohnr"),
            Err("Spalte 5: Unbekannter Schlüssel „einwohnr“. Gemeint: „einwohner“?".to_string())
        );
        assert_eq!(
            errors,
            vec!["Zeile 14, Spalte 16: Kennzahl „b“, Zeichen 5 der Formel: Unbekannter Schlüssel „einwohnr“. Gemeint: „einwohner“?"]
        );
    }

    /// A chain of `n` KPIs, each built on the one before with `step` (`{prev}` marks it).
    fn chain(n: usize, step: &str) -> String {
        let mut body = kpi("k0", "x");
        for i in 1..n {
            body += &kpi(
                &format!("k{i}"),
                &step.replace("{prev}", &format!("k{}", i - 1)),
            );
        }
        body
    }

    #[test]
    fn references_are_evaluated_once_per_kpi() {
        let c = load(&chain(41, "{prev} + {prev}"));
        let start = std::time::Instant::now();
        let value = c.as_ref().map(|c| c.values(&Years).kpi(40));
        assert_eq!(value, Ok(Value::Number(10.0 * 2f64.powi(40))));
        assert!(start.elapsed().as_secs() < 1, "{:?}", start.elapsed());
        let prev = load(&chain(3, "prev({prev}) + {prev}"));
        // k1 = x₋₁ + x = 18, k2 = k1₋₁ + k1 = (6 + 8) + 18.
        assert_eq!(
            prev.as_ref().map(|c| c.values(&Years).kpi(2)),
            Ok(Value::Number(32.0))
        );
    }

    #[test]
    fn limits_of_a_catalogue_from_outside() {
        let deep = fails(&chain(2 * MAX_DEPTH, "{prev} * 2"));
        let at = MAX_DEPTH + 1;
        assert!(
            deep.contains(&format!(
                "Kennzahl „k{at}“, Zeichen 1 der Formel: „k{}“ stützt sich über zu viele Ebenen",
                at - 1
            )),
            "{deep}"
        );
        assert!(
            fails(&kpi("a", "x").replace("decimals = 1", "decimals = 400000000"))
                .contains("Zeile 4, Spalte 6: Kennzahl „a“: decimals = 400000000 geht nicht; erlaubt sind 0 bis 10"),
        );
        assert!(load(&kpi("a", "x").replace("decimals = 1", "decimals = 10")).is_ok());
        let nested = "(".repeat(1000) + "x" + &")".repeat(1000);
        assert!(fails(&kpi("a", &nested)).contains(
            "Zeile 6, Spalte 212: Kennzahl „a“, Zeichen 201 der Formel: Die Formel ist zu tief verschachtelt"
        ));
        // A cycle through a long chain is found without recursing along it.
        let cycle = chain(5000, "{prev} + 1").replace("formula = \"x\"", "formula = \"k4999\"");
        let message = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || load(&cycle).err())
            .map(|t| t.join());
        let message = match message {
            Ok(Ok(Some(m))) => m,
            other => panic!("{other:?}"),
        };
        assert!(
            message.ends_with("Zirkelbezug k1 → k0 → k4999 → k4998 → … → k3 → k2 → k1."),
            "{message}"
        );
    }

    #[test]
    fn save_and_load_round_trip() {
        let cases = [
            Catalogue::builtin_toml().to_string(),
            include_str!("../../../../shared/data/ring/catalogue.toml").to_string(),
            format!(
                "{HEAD}{}description = \"Mit \\\"Anführungszeichen\\\"\\nund Zeilenumbruch\"\ncore = false\n\
                 [[event]]\nyear = 2020\nlabel = \"E\"\n[checks]\nyoy_threshold_percent = 12.5\n",
                kpi("a", "x * -1.5")
            ),
        ];
        for text in cases {
            let first = Catalogue::from_toml(&text).map_err(|e| e.to_string());
            let again = first
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|c| Catalogue::from_toml(&c.to_toml()).map_err(|e| e.to_string()));
            assert!(first.is_ok(), "{first:?}");
            assert_eq!(first, again);
        }
    }

    #[test]
    fn builtin_has_every_ring_kpi_with_its_formula() {
        let ring =
            Catalogue::from_toml(include_str!("../../../../shared/data/ring/catalogue.toml"));
        let builtin = Catalogue::builtin();
        let ring = ring.map_err(|e| e.to_string());
        assert!(ring.is_ok(), "{ring:?}");
        for k in ring.iter().flat_map(|r| r.kpis()) {
            let ours = builtin.kpi(&k.id);
            assert_eq!(
                ours.map(|o| o.formula.as_str()),
                Some(k.formula.as_str()),
                "{}",
                k.id
            );
            assert_eq!(ours.map(|o| o.better), Some(k.better), "{}", k.id);
        }
        for r in ring.iter().flat_map(|r| r.rules()) {
            let ours = builtin.rules().iter().find(|o| o.id == r.id);
            assert_eq!(
                ours.map(|o| o.assert.as_str()),
                Some(r.assert.as_str()),
                "{}",
                r.id
            );
        }
        assert!(builtin.kpis().iter().all(|k| k.description.is_some()));
        let hzp_2020: Vec<i32> = builtin
            .events_for("dichte_hzp")
            .iter()
            .map(|e| e.year)
            .collect();
        assert_eq!(hzp_2020, vec![2011, 2017, 2020, 2022, 2024]);
        assert!(builtin.kpis().iter().any(|k| !k.core));
    }
}
