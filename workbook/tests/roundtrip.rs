//! The exports of the ring-quirks fixture read back: the XLSX through calamine, the CSV as
//! German Excel reads it; both must hold the fixture's independently computed values in the
//! cells the sheet says.

use calamine::{Data, Reader, Xlsx};
use vergleichsring_core::{
    compare, kpi_sheet, load, peer_sheet, Catalogue, KpiTable, PeerGroup, Sheet,
};
use vergleichsring_workbook::workbook;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/ring-quirks");

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn read(name: &str) -> Vec<u8> {
    let path = format!("{DATA}/{name}");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The expected CSV as records of named fields.
fn expected(name: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(std::io::Cursor::new(read(name)));
    let header = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            header
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

struct Fixture {
    catalogue: Catalogue,
    dataset: vergleichsring_core::Dataset,
    table: KpiTable,
}

fn fixture() -> Fixture {
    let text = String::from_utf8(read("catalogue.toml")).expect("utf-8");
    let catalogue = Catalogue::from_toml(&text).expect("catalogue");
    let dataset = load("ring.csv", &read("ring.csv")).expect("ring").dataset;
    let table = KpiTable::compute(&catalogue, &dataset);
    Fixture {
        catalogue,
        dataset,
        table,
    }
}

impl Fixture {
    /// The KPI sheet with every municipality under its real name.
    fn kpi_sheet(&self) -> Sheet {
        let names: Vec<String> = self
            .dataset
            .municipalities
            .iter()
            .map(|m| m.name.clone())
            .collect();
        kpi_sheet(&self.catalogue, &self.table, &names)
    }
}

/// The sheet's cells as calamine reads them from the workbook's bytes.
fn read_back(bytes: Vec<u8>, name: &str) -> calamine::Range<Data> {
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
    book.worksheet_range(name).expect("sheet")
}

/// The row of the header in the workbook (title lines and a blank line above it).
fn header_row(sheet: &Sheet) -> u32 {
    if sheet.title.is_empty() {
        0
    } else {
        sheet.title.len() as u32 + 1
    }
}

/// The CSV as German Excel splits it: BOM, `;`, decimal comma.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let body = text.strip_prefix('\u{feff}').expect("byte order mark");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(body.as_bytes());
    reader
        .records()
        .map(|r| r.expect("csv").iter().map(str::to_string).collect())
        .collect()
}

fn german_number(text: &str) -> Option<f64> {
    text.replace(',', ".").parse().ok()
}

#[test]
fn kpi_table_in_xlsx_and_csv_holds_the_expected_values() {
    let f = fixture();
    let sheet = f.kpi_sheet();
    let range = read_back(
        workbook(std::slice::from_ref(&sheet)).expect("workbook"),
        "Kennzahlen",
    );
    let csv = csv_rows(&sheet.to_csv());
    let top = header_row(&sheet);
    assert_eq!(
        range.get_value((top, 0)),
        Some(&Data::String("Kommune".into()))
    );
    assert_eq!(csv[0][0], "Kommune");
    let column = |kpi: &str| {
        let label = &f.catalogue.kpi(kpi).expect("kpi").label;
        sheet
            .header
            .iter()
            .position(|h| h.starts_with(label.as_str()))
            .expect("column")
    };
    let mut checked = 0;
    for want in expected("expected_kpis.csv") {
        let (m, year, c) = (&want["municipality"], &want["year"], column(&want["kpi"]));
        let row = sheet
            .rows
            .iter()
            .position(|r| {
                r[0] == vergleichsring_core::Cell::Text(m.clone()) && csv_year(r) == *year
            })
            .unwrap_or_else(|| panic!("no row {m} {year}"));
        let xlsx = range.get_value((top + 1 + row as u32, c as u32));
        let in_csv = &csv[row + 1][c];
        assert_eq!(&csv[row + 1][0], m);
        match want["value"].parse::<f64>() {
            Ok(x) => {
                let Some(Data::Float(got)) = xlsx else {
                    panic!("{m} {year} {}: {xlsx:?}", want["kpi"])
                };
                assert!(
                    close(*got, x),
                    "xlsx {m} {year} {}: {got} != {x}",
                    want["kpi"]
                );
                let from_csv = german_number(in_csv).unwrap_or(f64::NAN);
                assert!(
                    close(from_csv, x),
                    "csv {m} {year} {}: {in_csv} != {x}",
                    want["kpi"]
                );
            }
            // A missing value is its reason, in both files.
            Err(_) => {
                let Some(Data::String(reason)) = xlsx else {
                    panic!("{m} {year}: {xlsx:?}")
                };
                assert!(!reason.is_empty());
                assert_eq!(in_csv, reason);
            }
        }
        checked += 1;
    }
    assert!(checked >= 400, "only {checked} values checked");
}

fn csv_year(row: &[vergleichsring_core::Cell]) -> String {
    row[1].excel_text()
}

#[test]
fn peer_comparison_in_xlsx_and_csv_holds_the_expected_statistics() {
    let f = fixture();
    let want = expected("expected_compare.csv");
    let own_name = want[0]["own"].clone();
    let year: i32 = want[0]["year"].parse().expect("year");
    let own = f.dataset.municipality_index(&own_name).expect("own");
    let group = PeerGroup::All
        .members(&f.dataset, &f.table, own, year)
        .expect("group");
    let rows = compare(&f.catalogue, &f.dataset, &f.table, own, year, &group);
    let sheet = peer_sheet(&f.catalogue, &rows, &own_name, year, "alle Kommunen");
    let range = read_back(
        workbook(std::slice::from_ref(&sheet)).expect("workbook"),
        "Vergleich",
    );
    let csv = csv_rows(&sheet.to_csv());
    let top = header_row(&sheet);
    let stats = [
        ("own_value", "Eigener Wert"),
        ("n", "Anzahl (n)"),
        ("mean", "Mittelwert"),
        ("pooled", "Gewogener Mittelwert"),
        ("median", "Median"),
        ("q1", "Unteres Quartil"),
        ("q3", "Oberes Quartil"),
        ("min", "Minimum"),
        ("max", "Maximum"),
        ("rank", "Rang"),
        ("index", "Index (Mittelwert = 100)"),
    ];
    let id_column = sheet
        .header
        .iter()
        .position(|h| h == "Kennzahl-ID")
        .expect("id column");
    let mut checked = 0;
    for w in want.iter().filter(|w| w["year"] == year.to_string()) {
        let row = csv
            .iter()
            .position(|r| r[id_column] == w["kpi"])
            .expect("kpi row");
        for (field, head) in stats {
            let c = sheet.header.iter().position(|h| h == head).expect("column");
            let xlsx = range.get_value((top + row as u32, c as u32));
            match w[field].parse::<f64>() {
                Ok(x) => {
                    let Some(Data::Float(got)) = xlsx else {
                        panic!("{} {field}: {xlsx:?}", w["kpi"])
                    };
                    assert!(close(*got, x), "xlsx {} {field}: {got} != {x}", w["kpi"]);
                    let from_csv = german_number(&csv[row][c]).unwrap_or(f64::NAN);
                    assert!(
                        close(from_csv, x),
                        "csv {} {field}: {} != {x}",
                        w["kpi"],
                        csv[row][c]
                    );
                }
                Err(_) => assert_eq!(csv[row][c], "", "{} {field}", w["kpi"]),
            }
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} statistics checked");
}

#[test]
fn number_cells_carry_the_kpi_decimals_as_format() {
    let f = fixture();
    let sheet = f.kpi_sheet();
    let styles = styles_part(&workbook(std::slice::from_ref(&sheet)).expect("workbook"));
    // Formats with decimals are custom formats in the styles part (`#,##0` is built in).
    let decimals: Vec<u32> = f
        .catalogue
        .kpis()
        .iter()
        .map(|k| k.decimals)
        .filter(|&d| d > 0)
        .collect();
    assert!(!decimals.is_empty());
    for d in decimals {
        let pattern = format!("formatCode=\"#,##0.{}\"", "0".repeat(d as usize));
        assert!(styles.contains(&pattern), "{pattern} missing");
    }
}

/// The workbook's `xl/styles.xml`.
fn styles_part(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut part = archive.by_name("xl/styles.xml").expect("styles part");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut part, &mut text).expect("styles text");
    text
}
