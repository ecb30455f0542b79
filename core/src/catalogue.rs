//! The catalogue: a ring's KPI definitions, plausibility rules, events in the time series and
//! check thresholds, read from and written to TOML (CONTRACT §2).
//!
//! Loading checks everything that can be checked without data: field names, ids, formulas and
//! references between KPIs. KPI ids used inside a formula are inlined here, so the compiled
//! formula of a KPI (or rule) names measure keys only and can be evaluated on any [`Scope`],
//! including the sums over a peer group. Whether those measure keys exist is a question of the
//! dataset: [`Catalogue::check_keys`].
//!
//! [`Scope`]: crate::Scope

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::binding::{Binding, Bindings};
use crate::dataset::Dataset;
use crate::error::{Error, ErrorKind, Position, Result};
use crate::expression::{Expr, Formula, Grammar};

/// The built-in catalogue for SGB XII rings (German KPI names as rings use them).
const BUILTIN_TOML: &str = include_str!("../catalogues/sgb12.toml");

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
    /// Each KPI's formula with KPI ids inlined: measure keys only.
    compiled: Vec<Formula>,
    /// Each rule's assertion, parsed with KPI ids inlined.
    rule_formulas: Vec<Formula>,
    /// Each rule's assertion as written, parsed.
    rule_parsed: Vec<Formula>,
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
        let kpis = raw
            .kpi
            .into_iter()
            .map(|k| {
                origin.kpi_ids.push(Some(position_of(text, k.id.span())));
                origin
                    .formulas
                    .push(Some(anchor_of(text, k.formula.span())));
                Kpi {
                    id: k.id.into_inner(),
                    label: k.label,
                    formula: k.formula.into_inner(),
                    unit: k.unit,
                    better: k.better,
                    level: k.level,
                    decimals: k.decimals,
                    core: k.core,
                    description: k.description,
                }
            })
            .collect();
        let rules = raw
            .rule
            .into_iter()
            .map(|r| {
                origin.rule_ids.push(Some(position_of(text, r.id.span())));
                origin.asserts.push(Some(anchor_of(text, r.assert.span())));
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
            "Kennzahl",
            kpis.iter().map(|k| k.id.as_str()),
            &origin.kpi_ids,
        )?;
        check_ids(
            "Regel",
            rules.iter().map(|r| r.id.as_str()),
            &origin.rule_ids,
        )?;
        let parsed = kpis
            .iter()
            .enumerate()
            .map(|(i, k)| {
                Formula::parse(&k.formula)
                    .map_err(|e| in_formula(e, "Kennzahl", &k.id, origin.formula(i)))
            })
            .collect::<Result<Vec<_>>>()?;
        let mut catalogue = Catalogue {
            name,
            kpis,
            rules,
            events,
            checks,
            measures: Vec::new(),
            parsed,
            compiled: Vec::new(),
            rule_formulas: Vec::new(),
            rule_parsed: Vec::new(),
            origin,
        };
        catalogue.compiled = catalogue.compile_kpis()?;
        for (i, rule) in catalogue.rules.iter().enumerate() {
            let at = catalogue.origin.assert(i);
            let parsed = Formula::parse_rule(&rule.assert)
                .map_err(|e| in_formula(e, "Regel", &rule.id, at))?;
            let compiled = catalogue
                .inline(&parsed)
                .map_err(|e| in_formula(e, "Regel", &rule.id, at))?;
            catalogue.rule_parsed.push(parsed);
            catalogue.rule_formulas.push(compiled);
        }
        catalogue.check_events()?;
        catalogue.check_thresholds()?;
        Ok(catalogue)
    }

    /// The catalogue with these measures and their sources, checked: keys are ids as KPI ids are
    /// and unique, each source names either `measure` or `sum`.
    pub fn with_measures(mut self, measures: Vec<CatalogueMeasure>) -> Result<Catalogue> {
        check_ids("Merkmal", measures.iter().map(|m| m.key.as_str()), &[])?;
        for m in &measures {
            for (i, source) in m.sources.iter().enumerate() {
                let one = source.measure.is_some() == source.sum.is_empty();
                let dims = source.dims.values().all(|v| !v.values().is_empty());
                if !one || !dims {
                    return Err(catalogue_error(
                        Position::default(),
                        format!(
                            "Merkmal „{}“, Quelle {}: genau eines von „measure“ oder „sum“ angeben, und in „dims“ je Gliederung mindestens einen Wert.",
                            m.key,
                            i + 1
                        ),
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

    /// Inline KPI ids into every KPI formula, in dependency order, refusing cycles.
    fn compile_kpis(&self) -> Result<Vec<Formula>> {
        let mut done: Vec<Option<Formula>> = vec![None; self.kpis.len()];
        for i in 0..self.kpis.len() {
            self.compile_kpi(i, &mut Vec::new(), &mut done)?;
        }
        Ok(done.into_iter().flatten().collect())
    }

    fn compile_kpi(
        &self,
        i: usize,
        path: &mut Vec<usize>,
        done: &mut Vec<Option<Formula>>,
    ) -> Result<Expr> {
        if let Some(f) = &done[i] {
            return Ok(f.expr().clone());
        }
        path.push(i);
        let compiled = self.parsed[i].substitute(&mut |key, column| {
            let Some(j) = self.kpi_index(key) else {
                return Ok(None);
            };
            if let Some(start) = path.iter().position(|&p| p == j) {
                // Start the chain at the KPI whose formula closes the cycle: that is where
                // the error points.
                let chain: Vec<&str> = std::iter::once(&i)
                    .chain(&path[start..])
                    .map(|&p| self.kpis[p].id.as_str())
                    .collect();
                let at = self.origin.formula(i);
                let id = &self.kpis[i].id;
                return Err(catalogue_error(
                    at.map_or_else(Position::default, |a| a.position(Some(column))),
                    format!(
                        "Kennzahl „{id}“, Zeichen {column} der Formel: Zirkelbezug {}.",
                        chain.join(" → ")
                    ),
                ));
            }
            self.compile_kpi(j, path, done).map(Some)
        })?;
        path.pop();
        let expr = compiled.expr().clone();
        done[i] = Some(compiled);
        Ok(expr)
    }

    /// A formula with this catalogue's KPI ids inlined.
    fn inline(&self, formula: &Formula) -> Result<Formula> {
        formula.substitute(&mut |key, _| {
            Ok(self.kpi_index(key).map(|j| self.compiled[j].expr().clone()))
        })
    }

    fn check_events(&self) -> Result<()> {
        for e in &self.events {
            if let Some(unknown) = e.kpis.iter().find(|k| self.kpi_index(k).is_none()) {
                return Err(catalogue_error(
                    Position::default(),
                    format!(
                        "Ereignis {} „{}“ nennt die unbekannte Kennzahl „{unknown}“.",
                        e.year, e.label
                    ),
                ));
            }
        }
        Ok(())
    }

    fn check_thresholds(&self) -> Result<()> {
        let c = &self.checks;
        for (name, value) in [
            ("yoy_threshold_percent", c.yoy_threshold_percent),
            ("outlier_robust_z", c.outlier_robust_z),
        ] {
            if !(value.is_finite() && value > 0.0) {
                return Err(catalogue_error(
                    Position::default(),
                    format!("[checks] {name} muss eine positive Zahl sein, nicht {value}."),
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
        self.kpis.iter().position(|k| k.id == id)
    }

    /// A KPI by id.
    pub fn kpi(&self, id: &str) -> Option<&Kpi> {
        self.kpis.iter().find(|k| k.id == id)
    }

    /// The compiled formula of the KPI at `index` (KPI ids inlined: measure keys only).
    pub fn compiled(&self, index: usize) -> &Formula {
        &self.compiled[index]
    }

    /// The compiled formula of a KPI by id.
    pub fn kpi_formula(&self, id: &str) -> Option<&Formula> {
        self.kpi_index(id).map(|i| &self.compiled[i])
    }

    /// The compiled assertion of a rule by id.
    pub fn rule_formula(&self, id: &str) -> Option<&Formula> {
        self.rules
            .iter()
            .position(|r| r.id == id)
            .map(|i| &self.rule_formulas[i])
    }

    /// The compiled assertion of the rule at `index`.
    pub fn compiled_rule(&self, index: usize) -> &Formula {
        &self.rule_formulas[index]
    }

    /// Parse a formula typed by the user and inline this catalogue's KPI ids; the error (with
    /// its column in `text`) is what the editor shows under the input.
    pub fn compile(&self, text: &str, grammar: Grammar) -> Result<Formula> {
        let parsed = Formula::parse_as(text, grammar)?;
        self.inline(&parsed)
    }

    /// Like [`Catalogue::compile`], and every key must be a measure of `dataset` or a KPI id of
    /// the catalogue. Keys are checked before inlining, so the column points into `text`.
    pub fn compile_checked(
        &self,
        text: &str,
        grammar: Grammar,
        dataset: &Dataset,
    ) -> Result<Formula> {
        let parsed = Formula::parse_as(text, grammar)?;
        parsed.check_keys(&self.known_keys(dataset))?;
        self.inline(&parsed)
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
        for f in self.compiled.iter().chain(&self.rule_formulas) {
            for k in f.measure_keys() {
                if !keys.contains(&k) {
                    keys.push(k);
                }
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
        kpis.map(|(i, (k, f))| ("Kennzahl", k.id.as_str(), f, self.origin.formula(i)))
            .chain(rules.map(|(i, (r, f))| ("Regel", r.id.as_str(), f, self.origin.assert(i))))
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

fn catalogue_error(pos: Position, msg: String) -> Error {
    Error::new(ErrorKind::Catalogue { msg, pos })
}

/// Ids are `[a-z0-9_]+`, unique, and not a word of the expression language.
fn check_ids<'a>(
    what: &str,
    ids: impl Iterator<Item = &'a str>,
    positions: &[Option<Position>],
) -> Result<()> {
    let mut seen: Vec<&str> = Vec::new();
    for (i, id) in ids.enumerate() {
        let pos = positions.get(i).cloned().flatten().unwrap_or_default();
        let valid = !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(catalogue_error(
                pos,
                format!("{what} „{id}“: eine id besteht nur aus a–z, 0–9 und _."),
            ));
        }
        if RESERVED.contains(&id) {
            return Err(catalogue_error(
                pos,
                format!("{what} „{id}“: „{id}“ ist ein Wort der Formelsprache und keine id."),
            ));
        }
        if seen.contains(&id) {
            return Err(catalogue_error(
                pos,
                format!("{what} „{id}“ ist doppelt definiert."),
            ));
        }
        seen.push(id);
    }
    Ok(())
}

/// A formula error put in context: which KPI or rule, which character of its formula, and
/// where that is in the TOML file.
fn in_formula(e: Error, what: &str, id: &str, at: Option<&Anchor>) -> Error {
    let (msg, column) = match e.kind() {
        ErrorKind::Formula { msg, pos } => (msg.clone(), pos.column),
        _ => (e.to_string(), None),
    };
    let place = column
        .map(|c| format!(", Zeichen {c} der Formel"))
        .unwrap_or_default();
    let pos = at.map_or_else(Position::default, |a| a.position(column));
    catalogue_error(pos, format!("{what} „{id}“{place}: {msg}"))
}

/// 1-based line and character column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn position_of(text: &str, span: Range<usize>) -> Position {
    let (line, column) = line_column(text, span.start);
    Position {
        file: None,
        line: Some(line),
        column: Some(column),
    }
}

/// The first character of a string value whose span (quotes included) is `span`.
fn anchor_of(text: &str, span: Range<usize>) -> Anchor {
    let raw = text.get(span.clone()).unwrap_or("");
    let (line, column) = line_column(text, span.start);
    let simple = raw.len() >= 2
        && !raw.starts_with("\"\"\"")
        && !raw.starts_with("'''")
        && (raw.starts_with('\'') || !raw.contains('\\'));
    Anchor {
        line,
        column: simple.then_some(column + 1),
    }
}

/// A TOML error in plain German with the line and column it names.
fn toml_error(text: &str, e: &toml::de::Error) -> Error {
    let pos = e
        .span()
        .map_or_else(Position::default, |s| position_of(text, s));
    let msg = e.message().trim();
    let quoted = |s: &str| -> Vec<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let german = if msg.starts_with("unknown field") {
        let names = quoted(msg);
        let allowed = names.get(1..).map(|n| n.join(", ")).unwrap_or_default();
        format!(
            "Unbekanntes Feld „{}“ (erlaubt: {allowed}).",
            names.first().map_or("", String::as_str)
        )
    } else if msg.starts_with("missing field") {
        format!(
            "Pflichtfeld „{}“ fehlt.",
            quoted(msg).first().map_or("", String::as_str)
        )
    } else if msg.starts_with("unknown variant") {
        let names = quoted(msg);
        format!(
            "Unbekannter Wert „{}“ (erlaubt: {}).",
            names.first().map_or("", String::as_str),
            names.get(1..).map(|n| n.join(", ")).unwrap_or_default()
        )
    } else if msg.starts_with("invalid type") {
        format!("Falscher Typ ({msg}).")
    } else {
        format!("Der Katalog ist kein gültiges TOML: {msg}")
    };
    catalogue_error(pos, german)
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

    #[test]
    fn defaults_and_inlining() {
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
        assert_eq!(
            c.map(|c| c.kpi_formula("change").map(|f| f.to_string())),
            Ok(Some(
                "(x / y * 100 - prev(x / y * 100)) / abs(prev(x / y * 100))".to_string()
            ))
        );
        assert_eq!(
            c.map(|c| c.kpi_formula("change").map(|f| f.measure_keys())),
            Ok(Some(vec!["x", "y"]))
        );
        assert_eq!(
            c.map(|c| c.rule_formula("r").map(|f| f.to_string())),
            Ok(Some("x / y * 100 <= 100 and not x < 0".to_string()))
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
        assert_eq!(
            typed("a / einwohner"),
            Ok("einwohner * 2 / einwohner".to_string())
        );
        assert_eq!(
            typed("a / einwohnr"),
            Err("Spalte 5: Unbekannter Schlüssel „einwohnr“. Gemeint: „einwohner“?".to_string())
        );
        assert_eq!(
            errors,
            vec!["Zeile 14, Spalte 16: Kennzahl „b“, Zeichen 5 der Formel: Unbekannter Schlüssel „einwohnr“. Gemeint: „einwohner“?"]
        );
    }

    #[test]
    fn save_and_load_round_trip() {
        let cases = [
            Catalogue::builtin_toml().to_string(),
            include_str!("../../../shared/data/ring/catalogue.toml").to_string(),
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
        let ring = Catalogue::from_toml(include_str!("../../../shared/data/ring/catalogue.toml"));
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
