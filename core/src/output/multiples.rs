//! The small multiples of a comparison: one small time series per KPI that has values in the
//! comparison, with the own value and its judgement in the comparison's year. The page's
//! comparison, dashboard and workshop draw them; the numbers are all here.

use crate::analysis::kpi::KpiTable;
use crate::analysis::peer::{Comparison, Judgement};
use crate::catalogue::definition::Kpi;
use crate::output::brief_html::year_points;
use crate::output::chart::YearPoint;

/// One KPI of the small multiples.
#[derive(Clone, Debug, PartialEq)]
pub struct Multiple {
    /// The KPI id.
    pub kpi: String,
    /// The KPI's name.
    pub label: String,
    /// Its unit.
    pub unit: String,
    /// Its decimals.
    pub decimals: usize,
    /// The series, ascending by year.
    pub points: Vec<YearPoint>,
    /// The own value in the year looked at.
    pub own_value: Option<f64>,
    /// The own value against the median in that year (none for neutral KPIs).
    pub judgement: Option<Judgement>,
}

/// The panels of `kpis` (in their order) that the comparison has a row for and the table a
/// column for.
pub fn small_multiples(comparison: &Comparison, table: &KpiTable, kpis: &[&Kpi]) -> Vec<Multiple> {
    kpis.iter()
        .filter_map(|kpi| {
            let index = table.kpi_index(&kpi.id)?;
            let row = comparison.row(&kpi.id)?;
            Some(Multiple {
                kpi: kpi.id.clone(),
                label: kpi.label.clone(),
                unit: kpi.unit.clone(),
                decimals: kpi.decimals as usize,
                points: year_points(comparison, table, index),
                own_value: row.own_value,
                judgement: row.judgement,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{demo_ring, Catalogue, PeerGroup};

    #[test]
    fn one_panel_per_kpi_with_the_own_series() {
        let catalogue = Catalogue::builtin();
        let dataset = demo_ring().expect("demo ring").dataset;
        let table = KpiTable::compute(&catalogue, &dataset);
        let year = *table.years().last().expect("a year");
        let comparison =
            Comparison::new(&catalogue, &dataset, &table, 0, year, &PeerGroup::All).expect("group");
        let kpis: Vec<&Kpi> = catalogue.kpis().iter().collect();
        let panels = small_multiples(&comparison, &table, &kpis);
        assert!(!panels.is_empty());
        for panel in &panels {
            let k = table.kpi_index(&panel.kpi).expect("kpi");
            let row = comparison.row(&panel.kpi).expect("row");
            assert_eq!(panel.own_value, row.own_value);
            assert_eq!(panel.judgement, row.judgement);
            assert_eq!(panel.points.len(), table.years().len());
            let last = panel.points.last().expect("a point");
            assert_eq!(last.year, year);
            assert_eq!(last.own, table.number(0, year, k));
        }
        // A KPI the table does not know has no panel.
        let mut unknown = catalogue.kpis()[0].clone();
        unknown.id = "gibt_es_nicht".to_string();
        assert!(small_multiples(&comparison, &table, &[&unknown]).is_empty());
    }
}
