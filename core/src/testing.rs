//! Helpers shared by the unit tests: small datasets written as rows.

use crate::catalogue::definition::Catalogue;
use crate::dataset::{CellKey, Dataset, Measure, MeasureKind, Municipality, Observation, Source};
use crate::value::Value;

/// A row of a test dataset: municipality, year and its cells (measure key, value).
pub(crate) type Row<'a> = (&'a str, i32, &'a [(&'a str, Value)]);

/// A dataset from rows of (municipality, year, [(measure, value)]); every row is one line,
/// starting at line 2 as below a header. Measures whose key ends in `quote` are rates, the
/// others amounts.
pub(crate) fn dataset(rows: &[Row]) -> Dataset {
    let mut d = Dataset {
        combinations: vec![Vec::new()],
        ..Dataset::default()
    };
    for (line, (name, year, cells)) in rows.iter().enumerate() {
        let municipality = municipality(&mut d, name);
        for (column, (key, value)) in cells.iter().enumerate() {
            let measure = d.measure_index(key).unwrap_or_else(|| {
                let kind = if key.ends_with("quote") {
                    MeasureKind::Rate
                } else {
                    MeasureKind::Amount
                };
                d.measures.push(Measure {
                    key: key.to_string(),
                    label: key.to_string(),
                    unit: None,
                    kind,
                    statistic: None,
                });
                d.measures.len() - 1
            });
            let source = Source {
                file: 0,
                line: line + 2,
                column: column + 3,
            };
            d.cells.insert(
                CellKey {
                    municipality,
                    year: *year,
                    combination: 0,
                    measure,
                },
                Observation {
                    value: value.clone(),
                    flag: None,
                    source,
                },
            );
        }
    }
    d
}

/// The index of the municipality `name` in a test dataset, added (not an aggregate, no code)
/// when it is not there yet.
pub(crate) fn municipality(d: &mut Dataset, name: &str) -> usize {
    d.municipality_index(name).unwrap_or_else(|| {
        d.municipalities.push(Municipality {
            name: name.to_string(),
            code: None,
            aggregate: false,
        });
        d.municipalities.len() - 1
    })
}

/// The test catalogue: `dichte` = LB per 1,000 inhabitants (lower is better, two decimals), then
/// the KPIs and rules in `more` (TOML).
pub(crate) fn catalogue(more: &str) -> Catalogue {
    match Catalogue::from_toml(&catalogue_toml("lb / ew * 1000", more)) {
        Ok(catalogue) => catalogue,
        Err(e) => panic!("test catalogue: {e}"),
    }
}

/// The TOML of the test catalogue with `dichte` computed by `formula`; `more` follows its
/// `decimals` line (more fields of `dichte`, or further KPIs and rules).
pub(crate) fn catalogue_toml(formula: &str, more: &str) -> String {
    format!(
        r#"
[catalogue]
name = "T"
[[kpi]]
id = "dichte"
label = "Dichte"
formula = "{formula}"
unit = "je 1.000 EW"
better = "lower"
level = "output"
decimals = 2
{more}"#
    )
}

/// A KPI for [`catalogue`]: `veraenderung`, the change of `dichte` against the year before.
pub(crate) const VERAENDERUNG: &str = r#"
[[kpi]]
id = "veraenderung"
label = "Veränderung"
formula = "(dichte - prev(dichte)) / prev(dichte) * 100"
unit = "%"
better = "neutral"
level = "output"
decimals = 1
"#;

/// A dataset of rows (municipality, year, inhabitants `ew`, recipients `lb`).
pub(crate) fn ew_lb(rows: &[(&str, i32, Value, Value)]) -> Dataset {
    let cells: Vec<[(&str, Value); 2]> = rows
        .iter()
        .map(|(_, _, ew, lb)| [("ew", ew.clone()), ("lb", lb.clone())])
        .collect();
    let rows: Vec<Row> = rows
        .iter()
        .zip(&cells)
        .map(|((name, year, _, _), cells)| (*name, *year, cells.as_slice()))
        .collect();
    dataset(&rows)
}
