//! Hostile catalogues run through the real binary: each ends with a message and exit code 2 or
//! with values in time, never with a crash or a hang (a ring's catalogue comes from outside).

mod common;

use std::time::{Duration, Instant};

use common::{data, json, run};

/// A catalogue of KPIs `(id, formula)` with `decimals` each, written to a file of its own.
fn catalogue(name: &str, kpis: &[(String, String)], decimals: u64) -> std::path::PathBuf {
    let mut text = String::from("[catalogue]\nname = \"Feindlich\"\n");
    for (id, formula) in kpis {
        text += &format!(
            "[[kpi]]\nid = \"{id}\"\nlabel = \"{id}\"\nformula = \"{formula}\"\nunit = \"\"\n\
             better = \"neutral\"\nlevel = \"input\"\ndecimals = {decimals}\n"
        );
    }
    let dir = std::env::temp_dir().join(format!("vr-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

/// `kpi` on the ring fixture with a catalogue: exit code, stderr, the time it took.
fn kpi(path: &std::path::Path) -> (Option<i32>, String, Duration, std::process::Output) {
    let start = Instant::now();
    let out = run(&[
        "kpi",
        "--catalogue",
        &path.to_string_lossy(),
        &data("ring/ring.csv"),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code(), stderr, start.elapsed(), out)
}

#[test]
fn formulas_that_overflowed_the_stack_are_refused_with_a_message() {
    let one = |formula: String| vec![("k".to_string(), formula)];
    let cases = [
        (
            "parens",
            one("(".repeat(100_000) + "einwohner" + &")".repeat(100_000)),
            "Zeichen 10001 der Formel: Die Formel ist zu lang: 200.009 Zeichen",
        ),
        (
            "minus",
            one("-".repeat(200_000) + "einwohner"),
            "Die Formel ist zu lang: 200.009 Zeichen",
        ),
        (
            "sum",
            one(vec!["einwohner"; 200_000].join(" + ")),
            "Die Formel ist zu lang",
        ),
        (
            "deep",
            one("(".repeat(300) + "einwohner" + &")".repeat(300)),
            "Zeichen 201 der Formel: Die Formel ist zu tief verschachtelt",
        ),
        (
            "signs",
            one("-".repeat(5_000) + "einwohner"),
            "Zeichen 201 der Formel: Die Formel ist zu tief verschachtelt",
        ),
        (
            "cycle",
            vec![("a".into(), "b + 1".into()), ("b".into(), "a * 2".into())],
            "Kennzahl „b“, Zeichen 1 der Formel: Zirkelbezug b → a → b.",
        ),
    ];
    for (name, kpis, want) in cases {
        let (code, stderr, _, _) = kpi(&catalogue(name, &kpis, 1));
        assert_eq!(code, Some(2), "{name}: {stderr}");
        assert!(stderr.contains("Kennzahl „"), "{name}: {stderr}");
        assert!(stderr.contains(want), "{name}: {stderr}");
    }
    let (code, stderr, _, _) = kpi(&catalogue(
        "decimals",
        &one("einwohner".into()),
        400_000_000,
    ));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("Zeile 4, Spalte 6: Kennzahl „k“: decimals = 400000000 geht nicht; erlaubt sind 0 bis 10"),
        "{stderr}"
    );
}

#[test]
fn a_doubling_chain_of_forty_kpis_computes_at_once() {
    let mut kpis = vec![("k0".to_string(), "einwohner".to_string())];
    for i in 1..=40 {
        kpis.push((format!("k{i}"), format!("k{0} + k{0}", i - 1)));
    }
    let (code, stderr, took, out) = kpi(&catalogue("doubling", &kpis, 0));
    assert_eq!(code, Some(0), "{stderr}");
    // The binary's start and the output of 41 KPIs for the ring take far less; a slow shared
    // machine gets room. Copying the chain's formula trees took more than 60 s.
    assert!(took < Duration::from_secs(10), "{took:?}");
    let records = json(&out);
    let value = |kpi: &str| {
        records
            .iter()
            .find(|r| r["municipality"] == "Altenmarkt" && r["year"] == 2019 && r["kpi"] == kpi)
            .and_then(|r| r["value"].as_f64())
    };
    assert_eq!(value("k0"), Some(519_628.0));
    assert_eq!(value("k40"), Some(519_628.0 * 2f64.powi(40)));
}
