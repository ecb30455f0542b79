//! Helpers shared by the CLI tests: the shared fixtures, the real binary, its JSON read back.

use std::process::{Command, Output};

/// A path below the shared data folder.
pub fn data(path: &str) -> String {
    format!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/{}"),
        path
    )
}

/// Run `vergleichsring` with arguments.
pub fn run(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_vergleichsring"))
        .args(args)
        .output();
    out.unwrap_or_else(|e| panic!("vergleichsring {args:?}: {e}"))
}

/// Runs `vergleichsring` and asserts exit 0, showing its stderr otherwise.
// Each test file compiles these helpers on its own; not every one uses each.
#[allow(dead_code)]
pub fn succeeds(args: &[&str]) -> Output {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The records of a JSON output.
pub fn json(out: &Output) -> Vec<serde_json::Map<String, serde_json::Value>> {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// Assert that `kpi` records equal an expected KPI file (`municipality,year,kpi,value`, empty =
/// missing) within a relative 1e-9, one record per expected row and no more.
// Each test file compiles these helpers on its own; not every one asserts KPIs.
#[allow(dead_code)]
pub fn assert_kpis(records: &[serde_json::Map<String, serde_json::Value>], expected: &str) {
    let expected = std::fs::read(expected).unwrap_or_else(|e| panic!("{expected}: {e}"));
    let mut reader = csv::Reader::from_reader(expected.as_slice());
    let mut n = 0;
    for row in reader.records() {
        let row = row.unwrap_or_else(|e| panic!("{e}"));
        let year = row[1].parse::<i64>().ok();
        let got = records.iter().find(|r| {
            r["municipality"] == row[0] && r["year"].as_i64() == year && r["kpi"] == row[2]
        });
        let got = got.unwrap_or_else(|| panic!("no record for {row:?}"));
        expect_value(got, &row[3], &format!("{row:?}"));
        n += 1;
    }
    assert_eq!(records.len(), n);
}

/// A record's value against an expected one (empty: missing, with a reason), within 1e-9.
#[allow(dead_code)]
pub fn expect_value(got: &serde_json::Map<String, serde_json::Value>, want: &str, what: &str) {
    match (got["value"].as_f64(), want.parse::<f64>().ok()) {
        (Some(g), Some(w)) => assert!((g - w).abs() <= 1e-9 * w.abs(), "{what}: {g}"),
        (None, None) => assert_ne!(got["reason"], "", "{what}"),
        (g, w) => panic!("{what}: got {g:?}, want {w:?}"),
    }
}
