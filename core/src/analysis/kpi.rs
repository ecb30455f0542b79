//! KPI values: every KPI of a catalogue for every municipality and year of a dataset.
//!
//! A [`Panel`] lays the dataset's default view out densely (municipality × year × measure), so
//! that evaluating 50 formulas for 500 regions over 20 years is a few million slice lookups
//! rather than tree searches. The same panel answers single lookups for other steps (rules,
//! pooled peer values) through [`Panel::scope`], so "missing", "no previous year" and "no record"
//! mean the same everywhere.

use std::collections::HashMap;
use std::sync::Arc;

use crate::catalogue::definition::Catalogue;
use crate::catalogue::expression::Scope;
use crate::dataset::{Dataset, Grid};
use crate::value::{Reason, Value};

/// The dataset's default view (dimension combination 0) as a dense municipality × year ×
/// measure grid of positions in the dataset's cells. The grid is laid out once per state of the
/// cells and kept with them ([`Cells`](crate::Cells)), so every view and statistic that makes a
/// panel of the same data shares it instead of walking every cell again.
#[derive(Debug)]
pub struct Panel<'a> {
    dataset: &'a Dataset,
    grid: Arc<Grid>,
    measures: HashMap<&'a str, usize>,
}

impl<'a> Panel<'a> {
    /// Lay out a dataset (or take the layout its cells keep).
    pub fn new(dataset: &'a Dataset) -> Panel<'a> {
        let shape = (dataset.municipalities.len(), dataset.measures.len());
        let grid = dataset
            .cells
            .grid(shape, || Grid::new(&dataset.cells, shape));
        let mut measures = HashMap::new();
        for (i, m) in dataset.measures.iter().enumerate() {
            measures.entry(m.key.as_str()).or_insert(i);
        }
        Panel {
            dataset,
            grid,
            measures,
        }
    }

    /// The distinct years of the data, ascending.
    pub fn years(&self) -> &[i32] {
        &self.grid.years
    }

    /// Whether a municipality has a record in a year.
    pub fn has_row(&self, municipality: usize, year: i32) -> bool {
        self.grid.row(municipality, year).is_some()
    }

    /// The value of a measure key for a municipality `years_back` years before `year`: missing
    /// with [`Reason::NoPreviousYear`] when an earlier year has no record, [`Reason::NoRecord`]
    /// when the year itself or the cell is absent, [`Reason::Unbound`] when no measure of the
    /// data has the key.
    pub fn value(&self, municipality: usize, year: i32, key: &str, years_back: u32) -> Value {
        let Some(row) = self.grid.row(municipality, year - years_back as i32) else {
            return Value::Missing(if years_back > 0 {
                Reason::NoPreviousYear
            } else {
                Reason::NoRecord
            });
        };
        let Some(&k) = self.measures.get(key) else {
            return Value::Missing(Reason::Unbound(key.to_string()));
        };
        match self.grid.cell(row, k) {
            Some(Ok(number)) => Value::Number(number),
            Some(Err(at)) => self
                .dataset
                .cells
                .value_at(at)
                .unwrap_or(Value::Missing(Reason::NoRecord)),
            None => Value::Missing(Reason::NoRecord),
        }
    }

    /// The scope of one municipality and year, for evaluating formulas.
    pub fn scope(&self, municipality: usize, year: i32) -> PanelScope<'_, 'a> {
        PanelScope {
            panel: self,
            municipality,
            year,
        }
    }
}

/// One municipality and year of a [`Panel`], as a [`Scope`] for formulas.
#[derive(Clone, Copy, Debug)]
pub struct PanelScope<'p, 'a> {
    panel: &'p Panel<'a>,
    municipality: usize,
    year: i32,
}

impl Scope for PanelScope<'_, '_> {
    fn value(&self, key: &str, years_back: u32) -> Value {
        self.panel
            .value(self.municipality, self.year, key, years_back)
    }
}

/// One computed KPI value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KpiValue<'t> {
    /// Index into `Dataset::municipalities`.
    pub municipality: usize,
    /// The year.
    pub year: i32,
    /// Index into the catalogue's KPIs (and [`KpiTable::kpis`]).
    pub kpi: usize,
    /// The value with full f64 precision, or missing with the reason.
    pub value: &'t Value,
}

/// Every KPI of a catalogue for every municipality and year that has a record in the data.
#[derive(Clone, Debug, PartialEq)]
pub struct KpiTable {
    kpis: Vec<String>,
    years: Vec<i32>,
    municipalities: usize,
    /// The rows of municipality `m`: `rows[by_municipality[m]..by_municipality[m + 1]]`, each
    /// the index of its year in `years`, ascending. Only the years with a record take room.
    by_municipality: Vec<u32>,
    rows: Vec<u32>,
    /// `values[row * kpis + k]`.
    values: Vec<Value>,
}

impl KpiTable {
    /// Evaluate every KPI of `catalogue` on `dataset` (its default view).
    pub fn compute(catalogue: &Catalogue, dataset: &Dataset) -> KpiTable {
        let panel = Panel::new(dataset);
        let n_kpis = catalogue.kpis().len();
        let municipalities = dataset.municipalities.len();
        let years = panel.years().to_vec();
        let mut by_municipality = Vec::with_capacity(municipalities + 1);
        let (mut rows, mut values) = (Vec::new(), Vec::new());
        by_municipality.push(0);
        for m in 0..municipalities {
            for year in panel.grid.years_of(m) {
                let Ok(y) = years.binary_search(&year) else {
                    continue;
                };
                let scope = panel.scope(m, year);
                let mut kpis = catalogue.values(&scope);
                values.extend((0..n_kpis).map(|k| kpis.kpi(k)));
                rows.push(y as u32);
            }
            by_municipality.push(rows.len() as u32);
        }
        KpiTable {
            kpis: catalogue.kpis().iter().map(|k| k.id.clone()).collect(),
            years,
            municipalities,
            by_municipality,
            rows,
            values,
        }
    }

    /// The row of a municipality's year, when it has a record then.
    fn row(&self, municipality: usize, year: i32) -> Option<usize> {
        let y = self.years.binary_search(&year).ok()? as u32;
        let from = *self.by_municipality.get(municipality)? as usize;
        let to = *self.by_municipality.get(municipality + 1)? as usize;
        self.rows[from..to].binary_search(&y).ok().map(|i| from + i)
    }

    /// The KPI ids, in catalogue order.
    pub fn kpis(&self) -> &[String] {
        &self.kpis
    }

    /// The index of a KPI by id.
    pub fn kpi_index(&self, id: &str) -> Option<usize> {
        self.kpis.iter().position(|k| k == id)
    }

    /// The years, ascending.
    pub fn years(&self) -> &[i32] {
        &self.years
    }

    /// The value of KPI index `kpi` for a municipality and year; `None` when the municipality
    /// has no record in that year (or an index is out of range).
    pub fn get(&self, municipality: usize, year: i32, kpi: usize) -> Option<&Value> {
        if kpi >= self.kpis.len() {
            return None;
        }
        let row = self.row(municipality, year)?;
        self.values.get(row * self.kpis.len() + kpi)
    }

    /// The value of a KPI by id.
    pub fn value(&self, municipality: usize, year: i32, kpi: &str) -> Option<&Value> {
        self.get(municipality, year, self.kpi_index(kpi)?)
    }

    /// The number, when there is one.
    pub fn number(&self, municipality: usize, year: i32, kpi: usize) -> Option<f64> {
        self.get(municipality, year, kpi).and_then(Value::number)
    }

    /// Every value, by municipality (data order), year (ascending) and KPI (catalogue order).
    pub fn iter(&self) -> impl Iterator<Item = KpiValue<'_>> + '_ {
        let n_kpis = self.kpis.len();
        (0..self.municipalities).flat_map(move |m| {
            let (from, to) = (self.by_municipality[m], self.by_municipality[m + 1]);
            (from as usize..to as usize).flat_map(move |row| {
                let year = self.years[self.rows[row] as usize];
                (0..n_kpis).map(move |kpi| KpiValue {
                    municipality: m,
                    year,
                    kpi,
                    value: &self.values[row * n_kpis + kpi],
                })
            })
        })
    }

    /// A KPI's time series for one municipality: the years with a record, ascending.
    pub fn series(&self, municipality: usize, kpi: usize) -> Vec<(i32, &Value)> {
        self.years
            .iter()
            .filter_map(|&y| self.get(municipality, y, kpi).map(|v| (y, v)))
            .collect()
    }

    /// A KPI in one year across the municipalities with a record.
    pub fn cross_section(&self, year: i32, kpi: usize) -> Vec<(usize, &Value)> {
        (0..self.municipalities)
            .filter_map(|m| self.get(m, year, kpi).map(|v| (m, v)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{self, Row};

    /// A cell value: a number, or `.` (unknown) for `None`.
    fn cell(v: Option<f64>) -> Value {
        v.map_or(Value::Missing(Reason::Unknown), Value::Number)
    }

    fn table(rows: &[(&str, i32, Option<f64>, Option<f64>)]) -> KpiTable {
        let rows: Vec<_> = rows
            .iter()
            .map(|&(name, year, ew, lb)| (name, year, cell(ew), cell(lb)))
            .collect();
        KpiTable::compute(
            &testing::catalogue(testing::VERAENDERUNG),
            &testing::ew_lb(&rows),
        )
    }

    #[test]
    fn values_and_reasons() {
        let t = table(&[
            ("A", 2020, Some(2000.0), Some(10.0)),
            ("A", 2021, Some(2000.0), Some(12.0)),
            ("A", 2023, Some(2000.0), None),
            ("B", 2021, Some(0.0), Some(0.0)),
            ("B", 2022, Some(1000.0), Some(3.0)),
        ]);
        let missing = |r: Reason| Some(Value::Missing(r));
        let input = |k: &str, r: Reason| missing(Reason::Input(k.into(), Box::new(r)));
        let cases: &[(usize, i32, &str, Option<Value>)] = &[
            (0, 2020, "dichte", Some(Value::Number(5.0))),
            (0, 2021, "dichte", Some(Value::Number(6.0))),
            (0, 2020, "veraenderung", input("lb", Reason::NoPreviousYear)),
            (0, 2021, "veraenderung", Some(Value::Number(20.0))),
            (0, 2022, "dichte", None),
            (0, 2023, "dichte", input("lb", Reason::Unknown)),
            (0, 2023, "veraenderung", input("lb", Reason::Unknown)),
            (1, 2020, "dichte", None),
            (1, 2021, "dichte", missing(Reason::DivisionByZero)),
            (1, 2022, "veraenderung", missing(Reason::DivisionByZero)),
            (2, 2021, "dichte", None),
        ];
        for (m, year, kpi, want) in cases {
            assert_eq!(t.value(*m, *year, kpi), want.as_ref(), "{m} {year} {kpi}");
        }
        assert_eq!(t.iter().count(), 2 * (3 + 2));
        assert_eq!(
            t.series(0, 0)
                .iter()
                .map(|(y, v)| (*y, v.number()))
                .collect::<Vec<_>>(),
            vec![(2020, Some(5.0)), (2021, Some(6.0)), (2023, None)]
        );
        assert_eq!(t.cross_section(2021, 0).len(), 2);
    }

    /// The grid a panel keeps with the cells goes with every change of them: a panel made
    /// after an insert or a removal sees it (years and values).
    #[test]
    fn panels_follow_changes_of_the_cells() {
        let mut d = testing::ew_lb(&[
            ("A", 2020, Value::Number(2000.0), Value::Number(10.0)),
            ("B", 2021, Value::Number(1000.0), Value::Number(4.0)),
        ]);
        let lb = d.measure_index("lb").expect("lb");
        assert_eq!(Panel::new(&d).value(0, 2020, "lb", 0), Value::Number(10.0));
        assert_eq!(Panel::new(&d).years(), &[2020, 2021]);
        let key = |municipality, year| crate::CellKey {
            municipality,
            year,
            combination: 0,
            measure: lb,
        };
        let mut added = d.cells.get(&key(0, 2020)).expect("cell");
        added.value = Value::Number(12.0);
        d.cells.insert(key(1, 2022), added);
        let p = Panel::new(&d);
        assert_eq!(p.years(), &[2020, 2021, 2022]);
        assert_eq!(p.value(1, 2022, "lb", 0), Value::Number(12.0));
        assert_eq!(d.years(), vec![2020, 2021, 2022]);
        d.cells.retain(|k, _| k.year != 2020);
        let p = Panel::new(&d);
        assert_eq!(p.years(), &[2021, 2022]);
        assert_eq!(p.value(0, 2020, "lb", 0), Value::Missing(Reason::NoRecord));
        assert_eq!(d.years(), vec![2021, 2022]);
    }

    #[test]
    fn reasons_read_as_german() {
        let t = table(&[
            ("A", 2020, Some(2000.0), Some(10.0)),
            ("A", 2021, None, Some(3.0)),
        ]);
        let reason = |year, kpi| {
            t.value(0, year, kpi)
                .and_then(Value::reason)
                .map(ToString::to_string)
        };
        assert_eq!(
            reason(2020, "veraenderung").as_deref(),
            Some("lb: kein Vorjahr")
        );
        assert_eq!(
            reason(2021, "dichte").as_deref(),
            Some("ew: unbekannt/geheim")
        );
    }

    #[test]
    fn large_ring_is_fast_enough() {
        let c = Catalogue::builtin();
        let keys = c.measure_keys();
        let names: Vec<String> = (0..500).map(|m| format!("K{m}")).collect();
        let pairs: Vec<(usize, i32)> = (0..500)
            .flat_map(|m| (2005..2025).map(move |y| (m, y)))
            .collect();
        let cells: Vec<Vec<(&str, Value)>> = pairs
            .iter()
            .map(|&(m, y)| {
                let value = |k: usize| 1000.0 + (m * 31 + k * 7) as f64 + f64::from(y);
                keys.iter()
                    .enumerate()
                    .map(|(k, key)| (*key, Value::Number(value(k))))
                    .collect()
            })
            .collect();
        let rows: Vec<Row> = pairs
            .iter()
            .zip(&cells)
            .map(|(&(m, y), c)| (names[m].as_str(), y, c.as_slice()))
            .collect();
        let data = testing::dataset(&rows);
        let start = std::time::Instant::now();
        let t = KpiTable::compute(&c, &data);
        let elapsed = start.elapsed();
        // Year-on-year KPIs have no value in the first year.
        let yoy = (0..c.kpis().len())
            .filter(|&k| c.formula(k).text().contains("prev("))
            .count();
        let numbers = t.iter().filter(|v| v.value.number().is_some()).count();
        assert_eq!(numbers, 500 * 20 * c.kpis().len() - 500 * yoy);
        // Generous even for a debug build on a shared machine; a release build takes a fraction.
        assert!(elapsed.as_secs() < 20, "{elapsed:?}");
    }
}
