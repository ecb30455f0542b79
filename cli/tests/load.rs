//! The `load` subcommand run as a user runs it: the real binary on the shared fixtures and on
//! broken files, its output read back.

mod common;

use common::{data, json, run};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn excel_export_as_long_records() {
    let out = run(&["load", &data("ring-quirks/ring.csv")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let records = json(&out);
    assert_eq!(records.len(), 96 * 12);
    let fields: Vec<&str> = records[0].keys().map(String::as_str).collect();
    assert_eq!(
        fields,
        ["municipality", "code", "year", "measure", "value", "reason"]
    );
    let find = |m: &str, y: i64, k: &str| {
        records
            .iter()
            .find(|r| r["municipality"] == m && r["year"].as_i64() == Some(y) && r["measure"] == k)
            .unwrap_or_else(|| panic!("no record {m} {y} {k}"))
    };
    assert_eq!(
        find("Altenmarkt", 2019, "ausgaben_hlu")["value"].as_f64(),
        Some(38385454.40)
    );
    let unknown = find("Östringen", 2021, "einnahmen");
    assert_eq!(
        (unknown["value"].is_null(), unknown["reason"].as_str()),
        (true, Some("unbekannt/geheim"))
    );
    let report = stderr(&out);
    assert!(
        report.contains("Windows-1252, Trennzeichen „;“, Kopfzeile in Zeile 3, 96 Datenzeilen"),
        "{report}"
    );
    assert!(
        report.contains("übersprungen, Zeile 101: Quelle: eigene Erhebung"),
        "{report}"
    );
}

#[test]
fn genesis_tables_merged_as_csv() {
    let out = run(&[
        "load",
        &data("genesis/12411-01-01-4_00.csv"),
        &data("genesis/22131-01-02-4_00.csv"),
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("municipality,code,year,measure,value,reason")
    );
    let hamburg: Vec<&str> = lines
        .filter(|l| l.starts_with("Hamburg,02,2014,"))
        .collect();
    assert!(
        hamburg.contains(&"Hamburg,02,2014,insgesamt,1762791,"),
        "{hamburg:?}"
    );
    assert!(
        hamburg.contains(&"Hamburg,02,2014,leistungsempfaenger,32737,"),
        "{hamburg:?}"
    );
    assert!(!stderr(&out).contains("kommt aus mehreren Dateien"));
}

#[test]
fn bad_input_names_file_line_and_column() {
    let dir = std::env::temp_dir().join(format!("vr-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let cases: &[(&str, &[u8], &str)] = &[
        (
            "ragged.csv",
            b"Kommune;Jahr;Wert\nA;2019;1\nB;2019\n",
            "ragged.csv, Zeile 3, Spalte 3: Die Zeile hat 2 Felder",
        ),
        ("empty.csv", b"", "empty.csv: Die Datei ist leer."),
        (
            "keys.csv",
            b"Kommune;Jahr;Wert;WERT\nA;2019;1;2\n",
            "keys.csv, Zeile 1, Spalte 4: Der Schlüssel „wert“",
        ),
    ];
    for (name, bytes, want) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
        let out = run(&["load", &path.to_string_lossy()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(stderr(&out).contains(want), "{name}: {}", stderr(&out));
    }
    let out = run(&["load", &dir.join("missing.csv").to_string_lossy()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("missing.csv: lässt sich nicht öffnen"),
        "{}",
        stderr(&out)
    );
}
