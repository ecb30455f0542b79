//! The ring's exchange from the command line (CONTRACT §5, §8): every member of the quirky ring
//! packages its figures, the coordinator collects them, and the collected table gives exactly
//! the expected KPIs; tampered packages are refused with their reason.

mod common;

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{assert_kpis, data, json, run, succeeds};
use sha2::Digest;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vr-package-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

/// `command` on the quirky ring's catalogue with the further arguments `rest`, run by `runner`
/// (`run`, or `succeeds` where it must succeed).
fn quirks(runner: fn(&[&str]) -> Output, command: &str, rest: &[&str]) -> Output {
    let catalogue = data("ring-quirks/catalogue.toml");
    let mut args = vec![command, "--catalogue", &catalogue];
    args.extend_from_slice(rest);
    runner(&args)
}

/// The members of the ring, from the expected values (not from the program).
fn members() -> Vec<String> {
    let text =
        std::fs::read(data("ring-quirks/expected_kpis.csv")).unwrap_or_else(|e| panic!("{e}"));
    let mut reader = csv::Reader::from_reader(text.as_slice());
    let mut names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}"))[0].to_string())
        .collect();
    names.dedup();
    names
}

fn package(dir: &Path, own: &str) -> PathBuf {
    let out = dir.join(format!("{own}.zip"));
    quirks(
        succeeds,
        "package",
        &[
            &data("ring-quirks/ring.csv"),
            "--own",
            own,
            "--year",
            "2024",
            "--out",
            &out.to_string_lossy(),
        ],
    );
    out
}

fn collect(packages: &[PathBuf], out: &Path) -> (Option<i32>, String) {
    let mut args = vec![
        "collect".to_string(),
        "--catalogue".to_string(),
        data("ring-quirks/catalogue.toml"),
    ];
    args.extend(packages.iter().map(|p| p.to_string_lossy().into_owned()));
    args.extend(["--out".to_string(), out.to_string_lossy().into_owned()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = run(&args);
    let report = std::fs::read_to_string(out.join("collect.txt")).unwrap_or_default();
    (result.status.code(), report)
}

/// The package's entries, each changed (or dropped) by `change`, written again uncompressed.
fn rewrite(path: &Path, to: &Path, change: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{e}"));
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"));
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap_or_else(|e| panic!("{e}"));
        let name = entry.name().unwrap_or_else(|e| panic!("{e}")).to_string();
        let mut content = Vec::new();
        entry
            .read_to_end(&mut content)
            .unwrap_or_else(|e| panic!("{e}"));
        if let Some(content) = change(&name, content) {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            out.start_file(name, options)
                .unwrap_or_else(|e| panic!("{e}"));
            out.write_all(&content).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    let bytes = out.finish().unwrap_or_else(|e| panic!("{e}")).into_inner();
    std::fs::write(to, bytes).unwrap_or_else(|e| panic!("{e}"));
}

fn hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn every_member_packaged_and_collected_gives_the_expected_kpis() {
    let dir = scratch("ring");
    let members = members();
    assert_eq!(members.len(), 16);
    let packages: Vec<PathBuf> = members.iter().map(|m| package(&dir, m)).collect();
    let out = dir.join("collected");
    let (code, report) = collect(&packages, &out);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report.lines().count(), members.len());
    for m in &members {
        assert!(
            report
                .lines()
                .any(|l| l.starts_with(&format!("{m}.zip: angenommen – {m} 2024, erstellt "))),
            "{m}: {report}"
        );
    }
    let ring = out.join("ring.csv").to_string_lossy().into_owned();
    let kpis = quirks(succeeds, "kpi", &[&ring]);
    assert_kpis(&json(&kpis), &data("ring-quirks/expected_kpis.csv"));
    // The collected findings are the check's findings of the whole ring, each once.
    let check = quirks(run, "check", &[&data("ring-quirks/ring.csv")]);
    let findings = std::fs::read_to_string(out.join("findings.csv")).unwrap_or_default();
    assert_eq!(findings.lines().count() - 1, json(&check).len());
    assert!(findings.starts_with(
        "code,severity,municipality,year,subject,value,values,message,file,line,notable,comment\n"
    ));
}

#[test]
fn comments_of_the_session_travel_with_the_findings() {
    let dir = scratch("session");
    let check = quirks(run, "check", &[&data("ring-quirks/ring.csv")]);
    let findings = json(&check);
    let f = findings
        .iter()
        .find(|f| f["municipality"] == "Hohenkamp")
        .unwrap_or_else(|| panic!("a finding for Hohenkamp"));
    let catalogue = std::fs::read_to_string(data("ring-quirks/catalogue.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let session = serde_json::json!({
        "version": 1,
        "catalogue": catalogue,
        "comments": [{
            "code": f["code"], "municipality": "Hohenkamp", "year": f["year"],
            "subject": f["subject"], "comment": "Neue Einrichtung; Zahl geprüft"
        }]
    });
    let session_path = dir.join("session.json");
    std::fs::write(&session_path, session.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let out = dir.join("Hohenkamp.zip");
    quirks(
        succeeds,
        "package",
        &[
            &data("ring-quirks/ring.csv"),
            "--own",
            "Hohenkamp",
            "--year",
            "2024",
            "--session",
            &session_path.to_string_lossy(),
            "--out",
            &out.to_string_lossy(),
        ],
    );
    let collected = dir.join("collected");
    let (code, report) = collect(&[out], &collected);
    assert_eq!(code, Some(0), "{report}");
    let hohenkamp = findings
        .iter()
        .filter(|f| f["municipality"] == "Hohenkamp" && f["severity"] == "warning")
        .count();
    assert!(
        report.contains(&format!("{} offene Warnungen, 1 Kommentare", hohenkamp - 1)),
        "{report}"
    );
    let text = std::fs::read_to_string(collected.join("findings.csv")).unwrap_or_default();
    assert_eq!(text.matches("Neue Einrichtung; Zahl geprüft").count(), 1);
}

#[test]
fn tampered_packages_are_refused_with_their_reason() {
    let dir = scratch("tampered");
    let good = package(&dir, "Altenmarkt");
    let other = package(&dir, "Burgdorf");
    let manifest_with = |name: &str, c: Vec<u8>, file: &str, content: &[u8]| {
        if name != "manifest.json" {
            return c;
        }
        let mut m: serde_json::Value = serde_json::from_slice(&c).unwrap_or_else(|e| panic!("{e}"));
        m["files"][file] = hex(content).into();
        m.to_string().into_bytes()
    };
    let changed = dir.join("changed.zip");
    rewrite(&good, &changed, |name, mut c| {
        if name == "data.csv" {
            let at = c.len() - 2;
            c[at] = if c[at] == b'1' { b'2' } else { b'1' };
        }
        Some(c)
    });
    let missing = dir.join("missing.zip");
    rewrite(&good, &missing, |name, c| {
        (name != "findings.csv").then_some(c)
    });
    let extra = dir.join("extra.zip");
    {
        let bytes = std::fs::read(&good).unwrap_or_else(|e| panic!("{e}"));
        let mut z =
            zip::ZipWriter::new_append(Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"));
        z.start_file("makro.xlsm", zip::write::SimpleFileOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        z.write_all(b"nicht angemeldet")
            .unwrap_or_else(|e| panic!("{e}"));
        let bytes = z.finish().unwrap_or_else(|e| panic!("{e}")).into_inner();
        std::fs::write(&extra, bytes).unwrap_or_else(|e| panic!("{e}"));
    }
    // 30 MB of zeros as data.csv, with the manifest naming its hash: only the size gives it away.
    let zeros = vec![0u8; 30 << 20];
    let bomb = dir.join("bomb.zip");
    rewrite(&good, &bomb, |name, c| {
        Some(if name == "data.csv" {
            zeros.clone()
        } else {
            manifest_with(name, c, "data.csv", &zeros)
        })
    });
    assert!(std::fs::metadata(&bomb).map_or(0, |m| m.len()) < 200_000);
    // The catalogue with one threshold changed, its hash right in the manifest: the ring's
    // catalogue differs.
    let wrong = dir.join("catalogue.zip");
    rewrite(&good, &wrong, |name, c| {
        let toml = |c: Vec<u8>| {
            String::from_utf8(c)
                .unwrap_or_default()
                .replace("yoy_threshold_percent = 30", "yoy_threshold_percent = 50")
                .into_bytes()
        };
        Some(match name {
            "catalogue.toml" => toml(c),
            "manifest.json" => {
                let text = std::fs::read(&good).unwrap_or_default();
                let mut archive =
                    zip::ZipArchive::new(Cursor::new(text)).unwrap_or_else(|e| panic!("{e}"));
                let mut original = Vec::new();
                archive
                    .by_name("catalogue.toml")
                    .unwrap_or_else(|e| panic!("{e}"))
                    .read_to_end(&mut original)
                    .unwrap_or_else(|e| panic!("{e}"));
                let changed = toml(original);
                let m = manifest_with(name, c, "catalogue.toml", &changed);
                let mut m: serde_json::Value =
                    serde_json::from_slice(&m).unwrap_or_else(|e| panic!("{e}"));
                m["catalogue"]["sha256"] = hex(&changed).into();
                m.to_string().into_bytes()
            }
            _ => c,
        })
    });
    let cases = [
        (&changed, "SHA-256 von data.csv weicht vom Manifest ab"),
        (&missing, "im Manifest genannte Datei findings.csv fehlt"),
        (&extra, "Datei makro.xlsm steht nicht im Manifest"),
        (&bomb, "entpackt mehr als das 100-Fache seiner Größe"),
        (
            &wrong,
            "mit einem anderen Katalog geprüft („SGB XII Kennzahlen (Demo)“",
        ),
    ];
    for (i, (package, reason)) in cases.iter().enumerate() {
        let out = dir.join(format!("out{i}"));
        let (code, report) = collect(&[other.clone(), (*package).clone()], &out);
        assert_eq!(code, Some(1), "{reason}: {report}");
        let name = package
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        let line = format!("{}: abgelehnt – {reason}", name.unwrap_or_default());
        assert!(report.contains(&line), "{line}\n{report}");
        assert!(report.contains("Burgdorf.zip: angenommen"), "{report}");
        // Only the accepted package's rows reach the ring.
        let ring = std::fs::read_to_string(out.join("ring.csv")).unwrap_or_default();
        assert!(
            ring.lines().skip(1).all(|l| l.starts_with("Burgdorf,")),
            "{ring}"
        );
        assert!(ring.lines().count() > 1);
    }
}

#[test]
fn of_two_packages_of_one_member_the_later_wins_and_the_other_is_named() {
    let dir = scratch("twice");
    let first = package(&dir, "Kirchhain");
    let later = dir.join("korrigiert.zip");
    rewrite(&first, &later, |name, c| {
        Some(if name == "manifest.json" {
            let mut m: serde_json::Value =
                serde_json::from_slice(&c).unwrap_or_else(|e| panic!("{e}"));
            m["created"] = "2099-01-01T00:00:00Z".into();
            m.to_string().into_bytes()
        } else {
            c
        })
    });
    let out = dir.join("out");
    let (code, report) = collect(&[later.clone(), first.clone()], &out);
    assert_eq!(code, Some(0), "{report}");
    assert!(
        report.contains("Kirchhain.zip: ersetzt durch korrigiert.zip (später erstellt)"),
        "{report}"
    );
    assert!(report
        .contains("korrigiert.zip: angenommen – Kirchhain 2024, erstellt 2099-01-01T00:00:00Z"));
    let ring = std::fs::read_to_string(out.join("ring.csv")).unwrap_or_default();
    let rows_2024_einwohner = ring
        .lines()
        .filter(|l| l.starts_with("Kirchhain,,2024,einwohner,"))
        .count();
    assert_eq!(rows_2024_einwohner, 1, "{ring}");
}

#[test]
fn the_collection_template_filled_by_hand_loads_back_to_its_values() {
    let dir = scratch("template");
    let out = dir.join("vorlage");
    quirks(succeeds, "template", &["--out", &out.to_string_lossy()]);
    let template = std::fs::read_to_string(out.join("erfassungsvorlage.csv"))
        .unwrap_or_else(|e| panic!("{e}"));
    let header = template
        .trim_start_matches('\u{feff}')
        .trim_end()
        .to_string();
    let columns: Vec<&str> = header.split(';').collect();
    assert_eq!(&columns[..2], ["Kommune", "Jahr"]);
    // The ring's catalogue uses every measure of the ring's file but the unemployment rate.
    let ring = std::fs::read(data("ring/ring.csv")).unwrap_or_else(|e| panic!("{e}"));
    let ring = String::from_utf8_lossy(&ring);
    let mut ring_keys: Vec<String> = ring
        .lines()
        .next()
        .unwrap_or_default()
        .split(';')
        .skip(2)
        .map(|h| {
            h.to_lowercase()
                .replace('ä', "ae")
                .replace(['+', ' '], "_")
                .trim_end_matches('_')
                .to_string()
        })
        .filter(|k| k != "arbeitslosenquote")
        .collect();
    let mut got: Vec<String> = columns[2..].iter().map(|c| c.to_string()).collect();
    ring_keys.sort();
    got.sort();
    assert_eq!(got, ring_keys, "{header}");
    // Filled by hand: German numbers, one marker, two municipalities.
    let mut filled = template.clone();
    let mut want = Vec::new();
    for (i, name) in ["Nordhafen", "Östringen"].iter().enumerate() {
        let mut cells = vec![name.to_string(), "2023".to_string()];
        for (j, column) in columns.iter().enumerate().skip(2) {
            if i == 1 && j == 2 {
                cells.push(".".to_string());
                want.push((name.to_string(), *column, None));
                continue;
            }
            let x = 1000.0 * j as f64 + 0.25 * i as f64;
            cells.push(format!(
                "{},{:02}",
                (x.trunc() as i64),
                (x.fract() * 100.0) as i64
            ));
            want.push((name.to_string(), *column, Some(x)));
        }
        filled.push_str(&cells.join(";"));
        filled.push_str("\r\n");
    }
    let path = dir.join("gefuellt.csv");
    std::fs::write(&path, filled).unwrap_or_else(|e| panic!("{e}"));
    let loaded = run(&["load", &path.to_string_lossy()]);
    assert_eq!(loaded.status.code(), Some(0));
    let records = json(&loaded);
    assert_eq!(records.len(), want.len());
    for (name, column, value) in want {
        let key = column.to_lowercase().replace(' ', "_");
        let r = records
            .iter()
            .find(|r| {
                r["municipality"] == name.as_str()
                    && r["measure"]
                        .as_str()
                        .is_some_and(|m| m == key || column == m)
            })
            .unwrap_or_else(|| panic!("{name} {column}"));
        assert_eq!(r["year"], 2023);
        assert_eq!(r["value"].as_f64(), value, "{name} {column}");
    }
    assert!(std::fs::metadata(out.join("erfassungsvorlage.xlsx")).is_ok_and(|m| m.len() > 1000));
}

#[test]
fn report_writes_one_self_contained_file_per_member_with_its_kpi_values() {
    let dir = scratch("report");
    let out = dir.join("berichte");
    quirks(
        succeeds,
        "report",
        &[
            &data("ring-quirks/ring.csv"),
            "--year",
            "2024",
            "--out",
            &out.to_string_lossy(),
        ],
    );
    let members = members();
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|e| {
            e.map(|e| e.file_name().to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    files.sort();
    let mut want: Vec<String> = members.iter().map(|m| want_file(m)).collect();
    want.sort();
    assert_eq!(files, want);
    assert!(files.contains(&"Neustadt__Weinstraße_.html".to_string()));
    let expected =
        std::fs::read(data("ring-quirks/expected_kpis.csv")).unwrap_or_else(|e| panic!("{e}"));
    let mut reader = csv::Reader::from_reader(expected.as_slice());
    let mut checked = 0;
    for row in reader.records() {
        let row = row.unwrap_or_else(|e| panic!("{e}"));
        if &row[1] != "2024" {
            continue;
        }
        let name = &row[0];
        let index = members
            .iter()
            .position(|m| m == name)
            .unwrap_or_else(|| panic!("{name}"));
        let html = std::fs::read_to_string(out.join(want_file(&members[index])))
            .unwrap_or_else(|e| panic!("{e}"));
        let hook = format!("data-kpi=\"{}\" data-value=\"", &row[2]);
        let at = html
            .find(&hook)
            .unwrap_or_else(|| panic!("{name} {}", &row[2]))
            + hook.len();
        let got = &html[at..at + html[at..].find('"').unwrap_or(0)];
        match (got.parse::<f64>().ok(), row[3].parse::<f64>().ok()) {
            (Some(g), Some(w)) => assert!((g - w).abs() <= 1e-9 * w.abs(), "{row:?}: {g}"),
            (None, None) => {}
            (g, w) => panic!("{row:?}: got {g:?}, want {w:?}"),
        }
        // Self-contained: no reference to anything outside the file.
        assert!(!html.contains("http://") && !html.contains("https://") && !html.contains(" src="));
        assert!(html.contains("@page{size:A4"));
        checked += 1;
    }
    // 16 members × 7 KPIs (counted in expected_kpis.csv with Python).
    assert_eq!(checked, 16 * 7);
}

fn want_file(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{stem}.html")
}
