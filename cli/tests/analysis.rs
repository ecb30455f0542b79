//! `change`, `funnel` and the `notable` field of `check` run as a user runs them, against the
//! values `core/tests/data/analysis/expected.py` computed independently.

mod common;
#[path = "../../core/tests/fixtures/expected.rs"]
mod expected;

use common::{data, json, run, succeeds};
use expected::{expected, EXPECTED};

fn close(got: &serde_json::Value, want: &str) -> bool {
    match (got.as_f64(), want.parse::<f64>().ok()) {
        (Some(g), Some(w)) => (g - w).abs() <= 1e-9 * w.abs().max(1.0),
        (g, w) => g.is_none() && w.is_none(),
    }
}

/// The records of a run that must succeed (its stderr shown when it does not).
fn succeeded(args: &[&str]) -> Vec<serde_json::Map<String, serde_json::Value>> {
    json(&succeeds(args))
}

fn catalogue() -> String {
    format!("{EXPECTED}/funnel_catalogue.toml")
}

#[test]
fn change_prints_the_split_of_every_kpi() {
    let rows = expected("expected_change.csv");
    let ring = data("ring/ring.csv");
    for (own, from, to) in [
        ("Altenmarkt", "2019", "2024"),
        ("Östringen", "2021", "2022"),
    ] {
        let records = succeeded(&[
            "change",
            "--catalogue",
            &catalogue(),
            &ring,
            "--own",
            own,
            "--from",
            from,
            "--to",
            to,
        ]);

        let keys: Vec<&str> = records[0].keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "kpi",
                "value_from",
                "value_to",
                "change",
                "numerator_effect",
                "denominator_effect",
                "reason"
            ]
        );
        assert_eq!(records.len(), 7);
        for r in &records {
            let want = rows
                .iter()
                .find(|w| {
                    w["municipality"] == own
                        && w["from"] == from
                        && w["to"] == to
                        && w["kpi"] == r["kpi"]
                })
                .unwrap();
            for f in [
                "value_from",
                "value_to",
                "change",
                "numerator_effect",
                "denominator_effect",
            ] {
                assert!(close(&r[f], &want[f]), "{own} {} {f}: {}", r["kpi"], r[f]);
            }
            // The year-on-year KPI has no value in the first year: no split, with the reason.
            let reason = r["reason"].as_str().unwrap();
            assert_eq!(
                reason.is_empty(),
                !want["numerator_effect"].is_empty(),
                "{reason}"
            );
        }
    }
    let bad = run(&[
        "change",
        "--catalogue",
        &catalogue(),
        &ring,
        "--own",
        "Altenmarkt",
        "--from",
        "1990",
        "--to",
        "2024",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn funnel_prints_every_member_with_its_limits() {
    let rows = expected("expected_funnel.csv");
    let ring = data("ring/ring.csv");
    for (kpi, year, peers) in [
        ("dichte_hlu", "2024", None),
        (
            "ambulant_quote_hzp",
            "2021",
            Some("Altenmarkt,Burgdorf,Kirchhain,Rosental,Südstadt"),
        ),
    ] {
        let catalogue = catalogue();
        let mut args = vec![
            "funnel",
            "--catalogue",
            &catalogue,
            &ring,
            "--kpi",
            kpi,
            "--year",
            year,
        ];
        if let Some(p) = peers {
            args.extend(["--peers", p]);
        }
        let records = succeeded(&args);

        let group = if peers.is_some() { "peers" } else { "all" };
        let want: Vec<_> = rows
            .iter()
            .filter(|w| w["kpi"] == kpi && w["year"] == year && w["group"] == group)
            .collect();
        assert_eq!(records.len(), want.len());
        for (r, w) in records.iter().zip(&want) {
            assert_eq!(r["municipality"], w["municipality"].as_str());
            for f in [
                "value",
                "denominator",
                "pooled",
                "lower95",
                "upper95",
                "lower998",
                "upper998",
            ] {
                assert!(
                    close(&r[f], &w[f]),
                    "{kpi} {} {f}: {}",
                    w["municipality"],
                    r[f]
                );
            }
            assert_eq!(r["notable"].as_bool(), Some(w["notable"] == "true"));
        }
    }
    // A KPI without funnel limits is refused with a message naming it.
    let out = run(&[
        "funnel",
        "--catalogue",
        &catalogue(),
        &ring,
        "--kpi",
        "ausgaben_je_ew",
        "--year",
        "2024",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ausgaben_je_ew"));
}

#[test]
fn check_carries_notable() {
    let ring = data("ring-errors/ring.csv");
    let out = run(&["check", "--catalogue", &catalogue(), &ring]);
    let records = json(&out);
    let jump = records
        .iter()
        .find(|r| r["code"] == "yoy_jump" && r["subject"] == "leistungsberechtigte_hlu")
        .unwrap();
    assert_eq!(jump["notable"], serde_json::Value::Bool(true));
    let missing = records.iter().find(|r| r["code"] == "missing").unwrap();
    assert!(missing["notable"].is_null());
    let csv_out = run(&[
        "check",
        "--catalogue",
        &catalogue(),
        &ring,
        "--format",
        "csv",
    ]);
    let text = String::from_utf8_lossy(&csv_out.stdout);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let at = headers.iter().position(|h| h == "notable").unwrap();
    let cells: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[at].to_string())
        .collect();
    assert!(cells
        .iter()
        .all(|c| ["true", "false", ""].contains(&c.as_str())));
    assert!(cells.iter().any(|c| c == "true") && cells.iter().any(String::is_empty));
}
