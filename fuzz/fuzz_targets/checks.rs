//! What every fuzz target checks, in one module: the fuzz targets (`cargo fuzz`, nightly) and
//! the short pass on stable (`core/tests/fuzz_pass.rs`, run by `./vr test`) call the same
//! functions. Each takes any input; a panic is a finding.

use vergleichsring_core::{
    check, load, read_boundaries, Better, CaseAggregator, CaseQuery, Catalogue, Classes, Classing,
    Formula, Join, KpiTable, MapShape, Scope, Session, Value,
};

/// A scope for fuzzed formulas: every key is 2, one year back 1 (so `prev` changes values).
pub struct Twos;

impl Scope for Twos {
    fn value(&self, _key: &str, years_back: u32) -> Value {
        Value::Number(if years_back == 0 { 2.0 } else { 1.0 })
    }
}

/// Any bytes as an upload: the reader (encodings, separators, GENESIS and flat-file layouts)
/// gives a dataset or an error, and a dataset goes through the KPIs and the check.
pub fn reader(bytes: &[u8]) {
    if let Ok(upload) = load("fuzz.csv", bytes) {
        let catalogue = Catalogue::builtin();
        let table = KpiTable::compute(&catalogue, &upload.dataset);
        let _ = check(&catalogue, &upload.dataset, &table, catalogue.checks());
    }
}

/// Any bytes as a case-level file: the streaming aggregation in two slices, then its dataset.
pub fn cases(bytes: &[u8]) {
    let mut aggregator = CaseAggregator::new(CaseQuery {
        by: vec!["Kommune".into(), "Jahr".into()],
        sum: vec!["Betrag".into()],
        encoding: None,
    });
    let (a, b) = bytes.split_at(bytes.len() / 2);
    if aggregator.feed(a).is_ok() && aggregator.feed(b).is_ok() {
        if let Ok(aggregate) = aggregator.finish() {
            let _ = aggregate.to_dataset("fuzz.csv");
        }
    }
}

/// Any text as a rule: it parses or errs at a column inside it; a parsed one prints back to a
/// text that parses to the same print, and evaluates.
pub fn expression(text: &str) {
    match Formula::parse_rule(text) {
        Ok(formula) => {
            let printed = formula.to_string();
            let again = Formula::parse_rule(&printed).map(|f| f.to_string());
            assert_eq!(again.as_deref().ok(), Some(printed.as_str()), "{text:?}");
            let _ = formula.eval(&Twos);
            let _ = formula.reading(&|k| k.to_string());
        }
        Err(e) => {
            let column = e.position().column.unwrap_or(0);
            assert!(
                column >= 1 && column <= text.chars().count() + 1,
                "{text:?}: {e}"
            );
        }
    }
}

/// Any text as a catalogue TOML: it loads or errs; a loaded one saves to a text that loads to
/// an equal catalogue, and its KPIs and rules evaluate.
pub fn catalogue(text: &str) {
    if let Ok(catalogue) = Catalogue::from_toml(text) {
        let again = Catalogue::from_toml(&catalogue.to_toml());
        assert_eq!(again.as_ref().ok(), Some(&catalogue), "{text:?}");
        let mut values = catalogue.values(&Twos);
        for k in 0..catalogue.kpis().len() {
            let _ = values.kpi(k);
        }
        for r in 0..catalogue.rules().len() {
            let _ = values.holds(r);
        }
    }
}

/// Any text as a session file: it loads or errs; a loaded one saves and loads back equal, and
/// its case groups make a dataset or an error.
pub fn session(text: &str) {
    if let Ok(session) = Session::from_json(text) {
        let again = Session::from_json(&session.to_json());
        assert_eq!(again.as_ref().ok(), Some(&session), "{text:?}");
        if let Some(cases) = &session.cases {
            let _ = cases.aggregate.to_dataset(&cases.file);
        }
    }
}

/// Any bytes as a GeoJSON file of district boundaries: read or refused; read boundaries join,
/// draw (one drawn area per feature) and class.
pub fn geojson(bytes: &[u8]) {
    if let Ok(boundaries) = read_boundaries("fuzz.geojson", bytes) {
        let names = ["Altstadt", "1", "Nord"];
        let join = Join::suggest(&boundaries, &names)
            .unwrap_or_else(|| Join::by(&boundaries, "name", &names));
        let shape = MapShape::new(&boundaries, &join);
        assert_eq!(shape.areas.len(), boundaries.features.len());
        let values: Vec<Option<f64>> = (0..names.len())
            .map(|d| shape.label_of(d).map(|p| p[0]))
            .collect();
        let _ = Classes::new(&values, Classing::Quantiles, 5, Better::Lower);
    }
}
