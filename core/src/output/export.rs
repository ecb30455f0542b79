//! Tables as files people open in their office software: the KPI table and the peer comparison
//! as [`Sheet`]s (German headers, numbers as numbers with the KPI's decimals, a missing value as
//! its reason), written here as CSV for German Excel and by the `vergleichsring-workbook` crate
//! as XLSX, so both files always hold the same cells.
//!
//! Municipality names come in from the caller already as they may be shown (the workshop's
//! pseudonyms), so an export never holds a name the page hides.

use serde::{Deserialize, Serialize};

use crate::analysis::kpi::KpiTable;
use crate::analysis::peer::{Judgement, PeerRow};
use crate::analysis::target::{series_of, Target};
use crate::catalogue::definition::Catalogue;
use crate::output::excel::{excel_csv, excel_number};
use crate::value::Value;

/// Decimals of the index column (own value / mean × 100).
const INDEX_DECIMALS: u32 = 1;

/// One cell of an exported table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A number, kept at full precision, shown with `decimals` places.
    Number {
        /// The value.
        value: f64,
        /// Decimals to show.
        decimals: u32,
    },
    /// A value that is missing, with the reason shown instead (`unbekannt/geheim`).
    Missing(String),
    /// Nothing (a statistic that does not apply).
    Empty,
}

impl Cell {
    /// A KPI value: the number, or the reason it is missing.
    pub fn value(value: &Value, decimals: u32) -> Cell {
        match value {
            Value::Number(x) => Cell::number(*x, decimals),
            Value::Missing(reason) => Cell::Missing(reason.to_string()),
        }
    }

    /// A number; one that is not finite becomes [`Cell::Empty`] (never `NaN` in a file).
    pub fn number(value: f64, decimals: u32) -> Cell {
        if value.is_finite() {
            Cell::Number { value, decimals }
        } else {
            Cell::Empty
        }
    }

    /// The cell as German Excel reads it from a CSV: full precision with a decimal comma and
    /// no thousands dots (Excel would read `1.234` as 1,234 in some set-ups).
    pub fn excel_text(&self) -> String {
        match self {
            Cell::Text(text) | Cell::Missing(text) => text.clone(),
            Cell::Number { value, .. } => excel_number(*value),
            Cell::Empty => String::new(),
        }
    }
}

/// A table to export: one sheet of a workbook, or one CSV file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    /// The sheet's name (at most 31 characters, as Excel allows).
    pub name: String,
    /// Lines above the table in a workbook: what it shows, for whom, which year.
    pub title: Vec<String>,
    /// The column heads.
    pub header: Vec<String>,
    /// The rows, each as long as the header.
    pub rows: Vec<Vec<Cell>>,
    /// Lines below the table in a workbook (source, licence, how names were hidden).
    pub notes: Vec<String>,
}

impl Sheet {
    /// The table as CSV for German Excel: UTF-8 with byte order mark, `;` between fields,
    /// decimal comma, CRLF. Only header and rows: a CSV is read back by programs too, and
    /// lines above the header would break them.
    pub fn to_csv(&self) -> String {
        excel_csv(
            self.header.iter().map(String::as_str),
            self.rows
                .iter()
                .map(|row| row.iter().map(Cell::excel_text).collect::<Vec<_>>()),
        )
    }
}

/// The head of a KPI's column: its label and unit.
fn kpi_head(label: &str, unit: &str) -> String {
    if unit.is_empty() {
        label.to_string()
    } else {
        format!("{label} ({unit})")
    }
}

/// Every KPI for every municipality and year with a record: one row per municipality and year,
/// one column per KPI. `names` are the municipalities' names as they may be shown, by index.
pub fn kpi_sheet(catalogue: &Catalogue, table: &KpiTable, names: &[String]) -> Sheet {
    let kpis = catalogue.kpis();
    let mut header = vec!["Kommune".to_string(), "Jahr".to_string()];
    header.extend(kpis.iter().map(|k| kpi_head(&k.label, &k.unit)));
    let mut rows = Vec::new();
    for (m, name) in names.iter().enumerate() {
        for &year in table.years() {
            let values: Vec<Option<&Value>> =
                (0..kpis.len()).map(|k| table.get(m, year, k)).collect();
            if values.iter().all(Option::is_none) {
                continue;
            }
            let mut row = vec![Cell::Text(name.clone()), Cell::number(year.into(), 0)];
            row.extend(
                values.iter().zip(kpis).map(|(value, kpi)| {
                    value.map_or(Cell::Empty, |v| Cell::value(v, kpi.decimals))
                }),
            );
            rows.push(row);
        }
    }
    Sheet {
        name: "Kennzahlen".to_string(),
        title: vec![format!("Kennzahlen – {}", catalogue.name())],
        header,
        rows,
        notes: Vec::new(),
    }
}

/// The German word for a judgement, as the peer table writes it.
pub fn judgement_word(judgement: Judgement) -> &'static str {
    match judgement {
        Judgement::Good => "besser",
        Judgement::Even => "gleich",
        Judgement::Bad => "schlechter",
    }
}

/// The peer comparison of `own` in `year`: one row per KPI with the statistics of CONTRACT §3.
/// `group` says in words who the own municipality is compared with.
pub fn peer_sheet(
    catalogue: &Catalogue,
    rows: &[PeerRow],
    own: &str,
    year: i32,
    group: &str,
) -> Sheet {
    const HEADER: [&str; 16] = [
        "Kennzahl",
        "Einheit",
        "Eigener Wert",
        "Anzahl (n)",
        "Mittelwert",
        "Gewogener Mittelwert",
        "Median",
        "Unteres Quartil",
        "Oberes Quartil",
        "Minimum",
        "Maximum",
        "Rang",
        "Index (Mittelwert = 100)",
        "Abweichung vom Median",
        "Einschätzung",
        "Kennzahl-ID",
    ];
    let body = rows
        .iter()
        .filter_map(|row| {
            let kpi = catalogue.kpi(&row.kpi)?;
            let stat = |x: Option<f64>| x.map_or(Cell::Empty, |x| Cell::number(x, kpi.decimals));
            Some(vec![
                Cell::Text(kpi.label.clone()),
                Cell::Text(kpi.unit.clone()),
                stat(row.own_value),
                Cell::number(row.n as f64, 0),
                stat(row.mean),
                stat(row.pooled),
                stat(row.median),
                stat(row.q1),
                stat(row.q3),
                stat(row.min),
                stat(row.max),
                row.rank.map_or(Cell::Empty, |r| Cell::number(r as f64, 0)),
                row.index
                    .map_or(Cell::Empty, |x| Cell::number(x, INDEX_DECIMALS)),
                stat(row.deviation),
                row.judgement
                    .map_or(Cell::Empty, |j| Cell::Text(judgement_word(j).to_string())),
                Cell::Text(kpi.id.clone()),
            ])
        })
        .collect();
    Sheet {
        name: "Vergleich".to_string(),
        title: vec![
            format!("Vergleich – {}", catalogue.name()),
            format!("{own}, {year}; Vergleichsgruppe: {group}"),
        ],
        header: HEADER.map(str::to_string).to_vec(),
        rows: body,
        notes: Vec::new(),
    }
}

/// The own municipality's targets (CONTRACT §7): one row per target with its baseline, the
/// latest progress and whether it is on track, so the targets travel with the KPI workbook.
/// A target whose KPI the catalogue no longer has keeps its row, marked as such.
pub fn target_sheet(
    catalogue: &Catalogue,
    table: &KpiTable,
    targets: &[Target],
    own_index: usize,
    own: &str,
) -> Sheet {
    const HEADER: [&str; 11] = [
        "Kennzahl",
        "Zielwert",
        "Basisjahr",
        "Basiswert",
        "Zieljahr",
        "Jahr",
        "Fortschritt (%)",
        "Auf Kurs",
        "Verantwortlich",
        "Maßnahmen",
        "Kennzahl-ID",
    ];
    let rows = targets
        .iter()
        .map(|target| {
            let kpi = catalogue.kpi(&target.kpi);
            let decimals = kpi.map_or(2, |k| k.decimals);
            let series = series_of(table, own_index, &target.kpi);
            let latest = target.latest_progress(&series);
            let on_track = latest.and_then(|(year, _)| target.on_track(&series, year));
            vec![
                Cell::Text(kpi.map_or_else(
                    || format!("{} (nicht mehr im Katalog)", target.kpi),
                    |k| k.label.clone(),
                )),
                Cell::number(target.target, decimals),
                Cell::number(target.baseline_year as f64, 0),
                target
                    .baseline(&series)
                    .map_or(Cell::Empty, |x| Cell::number(x, decimals)),
                Cell::number(target.due_year as f64, 0),
                latest.map_or(Cell::Empty, |(year, _)| Cell::number(year as f64, 0)),
                latest.map_or(Cell::Empty, |(_, p)| Cell::number(p, 1)),
                on_track.map_or(Cell::Empty, |yes| {
                    Cell::Text(if yes { "ja" } else { "nein" }.to_string())
                }),
                Cell::Text(target.owner.clone()),
                Cell::Text(
                    target
                        .measures
                        .iter()
                        .map(|m| m.text.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                Cell::Text(target.kpi.clone()),
            ]
        })
        .collect();
    Sheet {
        name: "Ziele".to_string(),
        title: vec![format!("Ziele – {}", catalogue.name()), own.to_string()],
        header: HEADER.map(str::to_string).to_vec(),
        rows,
        notes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Reason;

    #[test]
    fn target_sheet_has_progress_and_keeps_orphans() {
        use crate::testing;
        use crate::value::Value;
        let catalogue = testing::catalogue("");
        let d = testing::ew_lb(&[
            ("A", 2020, Value::Number(1000.0), Value::Number(10.0)),
            ("A", 2022, Value::Number(2000.0), Value::Number(14.0)),
        ]);
        let table = KpiTable::compute(&catalogue, &d);
        let target = Target {
            kpi: "dichte".into(),
            target: 6.0,
            baseline_year: 2020,
            due_year: 2025,
            owner: "Amt 50".into(),
            measures: Vec::new(),
            last_changed: None,
        };
        let orphan = Target {
            kpi: "weg".into(),
            ..target.clone()
        };
        let sheet = target_sheet(&catalogue, &table, &[target, orphan], 0, "A");
        let row = &sheet.rows[0];
        assert_eq!(row[0], Cell::Text("Dichte".into()));
        assert_eq!(row[3], Cell::number(10.0, 2));
        assert_eq!(row[5], Cell::number(2022.0, 0));
        // (7 − 10) / (6 − 10) × 100 = 75 %; the plan for 2022 is 40 %, so on track.
        assert_eq!(row[6], Cell::number(75.0, 1));
        assert_eq!(row[7], Cell::Text("ja".into()));
        assert_eq!(
            sheet.rows[1][0],
            Cell::Text("weg (nicht mehr im Katalog)".into())
        );
        assert_eq!(sheet.rows[1][6], Cell::Empty);
    }

    #[test]
    fn cells_for_german_excel() {
        let cases: &[(Cell, &str)] = &[
            (Cell::number(1234.5678, 2), "1234,5678"),
            (Cell::number(-0.25, 1), "-0,25"),
            (Cell::number(f64::NAN, 1), ""),
            (
                Cell::value(&Value::Missing(Reason::Unknown), 2),
                "unbekannt/geheim",
            ),
            (Cell::Text("Bad Ölzen".into()), "Bad Ölzen"),
            (Cell::Empty, ""),
        ];
        for (cell, want) in cases {
            assert_eq!(cell.excel_text(), *want, "{cell:?}");
        }
    }
}
