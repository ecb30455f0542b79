//! The `kpi` subcommand run as a user runs it: the real binary on the shared fixtures, its
//! output read back.

mod common;

use common::{assert_kpis, data, expect_value, json, run, succeeds};

#[test]
fn every_expected_value_with_the_ring_catalogue() {
    for fixture in ["ring", "ring-quirks"] {
        let catalogue = data(&format!("{fixture}/catalogue.toml"));
        let out = run(&[
            "kpi",
            "--catalogue",
            &catalogue,
            &data(&format!("{fixture}/ring.csv")),
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let records = json(&out);
        assert_kpis(&records, &data(&format!("{fixture}/expected_kpis.csv")));
        let fields: Vec<&str> = records[0].keys().map(String::as_str).collect();
        assert_eq!(fields, ["municipality", "year", "kpi", "value", "reason"]);
    }
}

#[test]
fn builtin_catalogue_without_option_and_csv_output() {
    let out = run(&["kpi", &data("ring/ring.csv"), "--format", "csv"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("municipality,year,kpi,value,reason"));
    // A deeper KPI of the built-in catalogue whose measure the ring file lacks: missing, with why.
    let line = lines.find(|l| l.starts_with("Altenmarkt,2019,quote_hzp_pflegebeduerftige,"));
    assert_eq!(
        line,
        Some(
            "Altenmarkt,2019,quote_hzp_pflegebeduerftige,,Merkmal fehlt: pflegebeduerftige_sgb_xi"
        )
    );
    let line = text
        .lines()
        .find(|l| l.starts_with("Altenmarkt,2019,dichte_hlu,"));
    assert_eq!(line, Some("Altenmarkt,2019,dichte_hlu,9.279715488772737,"));
}

#[test]
fn bad_catalogues_exit_2_naming_file_line_and_column() {
    let dir = std::env::temp_dir().join(format!("vr-kpi-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let ring = data("ring/ring.csv");
    let head = "[catalogue]\nname = \"T\"\n[[kpi]]\nid = \"d\"\nlabel = \"D\"\nunit = \"%\"\nbetter = \"lower\"\nlevel = \"output\"\ndecimals = 1\n";
    let cases = [
        ("formel.toml", format!("{head}formula = \"einwohner / (einwohner_65\"\n"), "Zeile 10, Spalte 24: Kennzahl „d“, Zeichen 13 der Formel: Klammer wird nicht geschlossen."),
        ("schluessel.toml", format!("{head}formula = \"einwohner / einwohnr\"\n"), "Zeile 10, Spalte 24: Kennzahl „d“, Zeichen 13 der Formel: Unbekannter Schlüssel „einwohnr“. Gemeint: „einwohner“?"),
        ("feld.toml", format!("{head}formula = \"einwohner\"\nfarbe = \"rot\"\n"), "Zeile 11, Spalte 1: Unbekanntes Feld „farbe“"),
    ];
    for (name, text, want) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        let path = path.to_string_lossy().to_string();
        let out = run(&["kpi", "--catalogue", &path, &ring]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("Datei {path}, {want}")),
            "{name}: {stderr}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_district_file_gives_kpis_per_district_and_the_city_as_their_sum() {
    // The browser test's fictional district file (Windows-1252, a title line, a `.` cell) and
    // the values its generator computed from the same numbers.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/browser/map");
    let records = json(&succeeds(&["kpi", &format!("{dir}/stadtteile.csv")]));
    let fields: Vec<&str> = records[0].keys().map(String::as_str).collect();
    assert_eq!(
        fields,
        [
            "municipality",
            "Stadtteil",
            "year",
            "kpi",
            "value",
            "reason"
        ]
    );
    let expected = std::fs::read(format!("{dir}/expected.csv")).unwrap_or_else(|e| panic!("{e}"));
    let mut reader = csv::Reader::from_reader(expected.as_slice());
    let mut n = 0;
    for row in reader.records() {
        let row = row.unwrap_or_else(|e| panic!("{e}"));
        // The city's records carry `Insgesamt` as a total row of such a file would.
        let district = if row[0].is_empty() {
            "Insgesamt"
        } else {
            &row[0]
        };
        let year = row[1].parse::<i64>().ok();
        let got = records
            .iter()
            .find(|r| {
                r["Stadtteil"] == district && r["year"].as_i64() == year && r["kpi"] == row[2]
            })
            .unwrap_or_else(|| panic!("no record for {row:?}"));
        assert_eq!(got["municipality"], "", "the file names no city");
        expect_value(got, &row[3], &format!("{row:?}"));
        assert!(
            got["value"].is_number()
                || got["reason"]
                    .as_str()
                    .is_some_and(|r| r.contains("unbekannt"))
        );
        n += 1;
    }
    assert_eq!(n, 28);
}

#[test]
fn every_command_has_help_naming_its_options() {
    let cases: &[(&str, &[&str])] = &[
        ("load", &["--format"]),
        ("kpi", &["--catalogue", "--format"]),
        (
            "compare",
            &[
                "--own",
                "--year",
                "--peers",
                "--similar",
                "--on",
                "--weights",
            ],
        ),
        ("check", &["--yoy-threshold-percent", "--outlier-robust-z"]),
        ("aggregate", &["--by", "--sum", "--encoding"]),
        ("package", &["--own", "--year", "--session", "--out"]),
        ("collect", &["--catalogue", "--out"]),
        ("report", &["--year", "--out", "--own"]),
        ("template", &["--catalogue", "--out"]),
        ("change", &["--own", "--from", "--to"]),
        ("funnel", &["--kpi", "--year", "--peers"]),
    ];
    for (command, options) in cases {
        let out = run(&[command, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{command}");
        let help = String::from_utf8_lossy(&out.stdout);
        for option in *options {
            assert!(
                help.contains(option),
                "{command} --help lacks {option}:\n{help}"
            );
        }
    }
    let out = run(&["kpi", "--no-such-option", "x"]);
    assert_eq!(out.status.code(), Some(2));
}
