//! The `compare` and `check` subcommands run as a user runs them: the real binary on the shared
//! fixtures, output and exit code read back.

mod common;

use common::{data, json, run};
use vergleichsring_core::STATISTICS;

/// Run `command` with a fixture's catalogue and data and further arguments.
fn on_fixture(command: &str, fixture: &str, extra: &[&str]) -> std::process::Output {
    let catalogue = data(&format!("{fixture}/catalogue.toml"));
    let ring = data(&format!("{fixture}/ring.csv"));
    let mut args = vec![command, "--catalogue", &catalogue, &ring];
    args.extend_from_slice(extra);
    run(&args)
}

fn compare(fixture: &str, extra: &[&str]) -> std::process::Output {
    on_fixture("compare", fixture, extra)
}

fn check(fixture: &str, extra: &[&str]) -> std::process::Output {
    on_fixture("check", fixture, extra)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn compare_reproduces_every_expected_statistic() {
    for fixture in ["ring", "ring-quirks"] {
        let expected = std::fs::read(data(&format!("{fixture}/expected_compare.csv"))).unwrap();
        let mut reader = csv::Reader::from_reader(expected.as_slice());
        let headers = reader.headers().unwrap().clone();
        let mut n = 0;
        for row in reader.records() {
            let row = row.unwrap();
            let get = |name: &str| &row[headers.iter().position(|h| h == name).unwrap()];
            let out = compare(fixture, &["--own", get("own"), "--year", get("year")]);
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            let records = json(&out);
            let keys: Vec<&str> = records[0].keys().map(String::as_str).collect();
            assert_eq!(keys[0], "kpi");
            assert_eq!(keys[1..], STATISTICS);
            let got = records.iter().find(|r| r["kpi"] == get("kpi")).unwrap();
            for f in STATISTICS {
                match (got[f].as_f64(), get(f).parse::<f64>().ok()) {
                    (Some(g), Some(w)) => {
                        assert!((g - w).abs() <= 1e-9 * w.abs().max(1.0), "{row:?} {f}: {g}")
                    }
                    (g, w) => assert_eq!(g, w, "{row:?} {f}"),
                }
            }
            n += 1;
        }
        assert_eq!(n, 41, "{fixture}");
    }
}

#[test]
fn compare_with_hand_picked_and_similar_peers() {
    // Nordhafen in 2023 against the group the further options choose.
    let nordhafen = |group: &[&str]| {
        let mut args = vec!["--own", "Nordhafen", "--year", "2023"];
        args.extend_from_slice(group);
        compare("ring", &args)
    };
    let out = nordhafen(&["--peers", "Altenmarkt,Burgdorf", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("kpi,n,own_value,mean,pooled,median,q1,q3,min,max,rank,index\n"),
        "{text}"
    );
    assert!(
        text.lines()
            .skip(1)
            .all(|l| l.split(',').nth(1) == Some("3")),
        "{text}"
    );
    let out = nordhafen(&["--similar", "3", "--on", "einwohner,arbeitslosenquote"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(json(&out).iter().all(|r| r["n"] == 4));
    let why = stderr(&out);
    assert!(
        why.contains(
            "Ähnlichste Kommunen 2023 nach einwohner, arbeitslosenquote (z-Werte über 16 Kommunen)"
        ),
        "{why}"
    );
    assert_eq!(
        why.lines().filter(|l| l.contains("– Abstand ")).count(),
        3,
        "{why}"
    );
}

/// `--weights` (an extension beyond CONTRACT §5): weights of 1 print what no weights print;
/// other weights choose the group `expected.py` computed independently, in its order.
#[test]
fn compare_with_weights() {
    let base = [
        "--own",
        "Altenmarkt",
        "--year",
        "2023",
        "--similar",
        "5",
        "--on",
        "einwohner,arbeitslosenquote,einwohner_65",
    ];
    let with = |weights: &str| {
        let mut args = base.to_vec();
        args.extend(["--weights", weights]);
        let out = compare("ring", &args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        out
    };
    let plain = compare("ring", &base);
    let ones = with("einwohner=1,arbeitslosenquote=1.0,einwohner_65=1");
    assert_eq!(
        (&plain.stdout, stderr(&plain)),
        (&ones.stdout, stderr(&ones))
    );
    let weighted = with("einwohner=2,arbeitslosenquote=0.5,einwohner_65=0");
    assert_ne!(plain.stdout, weighted.stdout);
    let expected = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/data/analysis/expected_similar.csv"
    ))
    .unwrap();
    let want: Vec<&str> = expected
        .lines()
        .filter(|l| l.starts_with("weighted,neighbour,"))
        .filter_map(|l| l.split(',').nth(3))
        .collect();
    let why = stderr(&weighted);
    let got: Vec<&str> = why
        .lines()
        .filter_map(|l| {
            l.trim_start()
                .split(" – Abstand ")
                .next()
                .filter(|_| l.contains(" – Abstand "))
        })
        .collect();
    assert_eq!(got, want, "{why}");
    for (weights, message) in [
        ("einwohner=-1", "„einwohner=-1“ hat kein Gewicht ab 0"),
        ("einwohner", "hat nicht die Form MERKMAL=GEWICHT"),
        ("farbe=2", "„farbe=2“ nennt kein Merkmal von --on"),
        (
            "einwohner=0,arbeitslosenquote=0,einwohner_65=0",
            "braucht ein Gewicht über 0",
        ),
    ] {
        let mut args = base.to_vec();
        args.extend(["--weights", weights]);
        let out = compare("ring", &args);
        assert_eq!(out.status.code(), Some(2), "{weights}");
        assert!(
            stderr(&out).contains(message),
            "{weights}: {}",
            stderr(&out)
        );
    }
    let out = compare(
        "ring",
        &[
            "--own",
            "Altenmarkt",
            "--year",
            "2023",
            "--weights",
            "einwohner=2",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--weights gilt nur mit --similar"));
}

#[test]
fn compare_bad_input_exits_2() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--own", "Atlantis", "--year", "2023"],
            "„Atlantis“ kommt in den Daten nicht vor",
        ),
        (
            &["--own", "Nordhafen", "--year", "1999"],
            "das Jahr 1999 kommt in den Daten nicht vor",
        ),
        (
            &["--own", "Nordhafen", "--year", "zwanzig"],
            "keine Jahreszahl",
        ),
        (&["--year", "2023"], "Option --own fehlt"),
        (
            &[
                "--own",
                "Nordhafen",
                "--year",
                "2023",
                "--peers",
                "Atlantis",
            ],
            "„Atlantis“ der Vergleichsgruppe",
        ),
        (
            &[
                "--own",
                "Nordhafen",
                "--year",
                "2023",
                "--peers",
                "Altenmarkt",
                "--similar",
                "2",
                "--on",
                "einwohner",
            ],
            "schließen sich aus",
        ),
        (
            &["--own", "Nordhafen", "--year", "2023", "--similar", "2"],
            "braucht --on",
        ),
        (
            &[
                "--own",
                "Nordhafen",
                "--year",
                "2023",
                "--similar",
                "2",
                "--on",
                "farbe",
            ],
            "„farbe“ ist weder ein Merkmal",
        ),
    ];
    for (extra, want) in cases {
        let out = compare("ring", extra);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(stderr(&out).contains(want), "{extra:?}: {}", stderr(&out));
    }
}

#[test]
fn check_reports_injected_errors_and_exits_1() {
    let out = check("ring-errors", &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let records = json(&out);
    let keys: Vec<&str> = records[0].keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "code",
            "severity",
            "municipality",
            "year",
            "subject",
            "value",
            "values",
            "message",
            "file",
            "line",
            "notable"
        ]
    );
    let expected = std::fs::read(data("ring-errors/expected_findings.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(expected.as_slice());
    for row in reader.records() {
        let row = row.unwrap();
        let year: i64 = row[2].parse().unwrap();
        let hit = records.iter().find(|r| {
            r["code"] == row[0]
                && r["municipality"] == row[1]
                && r["year"].as_i64() == Some(year)
                && r["subject"] == row[3]
        });
        let hit = hit.unwrap_or_else(|| panic!("not reported: {row:?}"));
        assert!(hit["line"].as_u64().is_some_and(|l| l > 1), "{hit:?}");
    }
    let negative = records.iter().find(|r| r["code"] == "negative").unwrap();
    assert_eq!(
        (negative["severity"].as_str(), negative["value"].as_f64()),
        (Some("error"), Some(-281436955.45))
    );
    assert!(
        stderr(&out).contains("nicht einreichbar"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_clean_data_exits_0_and_thresholds_can_be_overridden() {
    let out = check("ring", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let records = json(&out);
    assert!(records.iter().all(|r| r["severity"] == "warning"));
    let jumps = |records: &[serde_json::Map<String, serde_json::Value>]| {
        records.iter().filter(|r| r["code"] == "yoy_jump").count()
    };
    let out = check(
        "ring",
        &[
            "--yoy-threshold-percent",
            "1000",
            "--outlier-robust-z",
            "100",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let fewer = json(&out);
    assert!(jumps(&records) > 0);
    assert_eq!(jumps(&fewer), 0);
    assert!(fewer.iter().all(|r| r["code"] != "outlier"));
    let out = check("ring", &["--outlier-robust-z", "viel"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--outlier-robust-z: „viel“ ist keine Zahl"),
        "{}",
        stderr(&out)
    );
}
