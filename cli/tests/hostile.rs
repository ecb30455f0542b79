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

/// A well-formed long table of about `size` bytes, 20 years per municipality, lines ended
/// by `end`.
fn short_lines(size: usize, end: &str) -> Vec<u8> {
    let mut text = format!("Kommune;Jahr;Wert{end}");
    let mut i = 0;
    while text.len() < size {
        text += &format!("K{};{};{}{end}", i / 20, 2000 + i % 20, i % 10);
        i += 1;
    }
    text.into_bytes()
}

/// `load FILE --format csv` under GNU time where there is one: its stderr, exit code and peak
/// memory in bytes.
fn load_peak(path: &std::path::Path) -> (String, Option<i32>, Option<usize>) {
    let bin = env!("CARGO_BIN_EXE_vergleichsring");
    let path = path.to_string_lossy().into_owned();
    let args = ["load", path.as_str(), "--format", "csv"];
    let time = std::path::Path::new("/usr/bin/time");
    let stats = format!("{path}.time");
    let mut command = match time.exists() {
        true => {
            let mut c = std::process::Command::new(time);
            c.args(["-f", "%M", "-o", stats.as_str(), bin]);
            c
        }
        false => std::process::Command::new(bin),
    };
    let out = command
        .args(args)
        .stdout(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let peak = std::fs::read_to_string(&stats).ok().and_then(|kb| {
        let kb = kb.trim().lines().last()?.parse::<usize>().ok()?;
        Some(kb * 1024)
    });
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (stderr, out.status.code(), peak)
}

/// A wide table of one-digit values, `columns` measures, about `size` bytes: two bytes of
/// the file a cell.
fn one_digit_cells(size: usize, columns: usize) -> Vec<u8> {
    let names: Vec<String> = (0..columns).map(|k| format!("m{k}")).collect();
    let mut text = format!("Kommune;Jahr;{}\n", names.join(";"));
    let mut i = 0;
    while text.len() < size {
        let cells: Vec<String> = (0..columns).map(|k| ((i + k) % 10).to_string()).collect();
        text += &format!("K{};{};{}\n", i / 20, 2000 + i % 20, cells.join(";"));
        i += 1;
    }
    text.into_bytes()
}

/// A long table whose every line is another municipality in another year and measure.
fn new_municipality_each_line(size: usize) -> Vec<u8> {
    let mut text = String::from("Kommune;Jahr;Merkmal;Wert\n");
    let mut i = 0;
    while text.len() < size {
        text += &format!("K{i};{};m{};{}\n", 1900 + (i * 7) % 201, i % 40, i % 10);
        i += 1;
    }
    text.into_bytes()
}

/// Degenerate files of 4 MB (issue 13; tools/hostile_files.py writes the same for
/// bench/hostile.sh) are read with a peak memory of a few times their size beyond the
/// process's own, and end with their message. Before: a line of 2 million separators took 104
/// MB, one line of 2 million fields 72 MB, two million one-cell lines 24 MB (a record's first
/// field and its end, four bytes each), a table of lines as short as they come 26 MB (40 bytes
/// a cell), a wide table of one-digit values 96 MB (a cell of two bytes took 40 and its end
/// four more). A file of a new municipality on every line takes the most, about eight times
/// its size: each municipality's name and record (about 90 bytes) for 18 bytes of file.
#[test]
fn degenerate_files_take_memory_of_a_few_times_their_size() {
    const SIZE: usize = 4_000_000;
    let wide = vec!["x"; 20_001].join(";") + "\n";
    let table = short_lines(SIZE, "\n");
    let rows = table.iter().filter(|&&b| b == b'\n').count() - 1;
    let rows = format!("{rows} Datenzeilen");
    // The peak beyond the process's own memory, in file sizes.
    let cases: Vec<(&str, Vec<u8>, &str, f64)> = vec![
        (
            "one-line",
            vec![b'x'; SIZE],
            "Zeile 1: Unter der Kopfzeile stehen keine Daten.",
            3.0,
        ),
        (
            "one-field-lines",
            b"1\n".repeat(SIZE / 2),
            "Zeile 1: Unter der Kopfzeile stehen keine Daten.",
            3.0,
        ),
        (
            "one-line-fields",
            [vec![b';'; SIZE], b"\n".to_vec()].concat(),
            "Die Datei ist leer.",
            3.0,
        ),
        (
            "one-line-cells",
            [b"x;".repeat(SIZE / 2), b"\n".to_vec()].concat(),
            "Zeile 1: Die Kopfzeile hat 2.000.001 Spalten",
            3.0,
        ),
        (
            "wide-lines",
            wide.repeat(SIZE / wide.len()).into_bytes(),
            "Zeile 1: Die Kopfzeile hat 20.001 Spalten",
            3.0,
        ),
        (
            "open-quote",
            [b"Kommune;Jahr;Wert\n\"".to_vec(), vec![b'x'; SIZE]].concat(),
            "Zeile 1: Unter der Kopfzeile stehen keine Daten.",
            3.0,
        ),
        ("short-lines", table, &rows, 3.5),
        ("cr-lines", short_lines(SIZE, "\r"), &rows, 3.5),
        (
            "one-digit-cells",
            one_digit_cells(SIZE, 1000),
            "1000 Merkmale",
            5.0,
        ),
        (
            "new-municipality-each-line",
            new_municipality_each_line(SIZE),
            "40 Merkmale",
            9.0,
        ),
    ];
    let dir = std::env::temp_dir().join(format!("vr-hostile-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let tiny = dir.join("tiny.csv");
    std::fs::write(&tiny, "Kommune;Jahr;Wert\nA;2019;1\n").unwrap_or_else(|e| panic!("{e}"));
    // The process's own memory (a debug build's is larger); without GNU time only the
    // messages are checked.
    let (_, _, base) = load_peak(&tiny);
    for (name, bytes, want, sizes) in cases {
        let path = dir.join(format!("{name}.csv"));
        std::fs::write(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
        let (stderr, code, peak) = load_peak(&path);
        assert!(matches!(code, Some(0 | 2)), "{name}: {stderr}");
        assert!(stderr.contains(want), "{name}: {stderr}");
        if let (Some(peak), Some(base)) = (peak, base) {
            let bound = base + (sizes * bytes.len() as f64) as usize;
            eprintln!("{name}: {} bytes, peak {} MB", bytes.len(), peak >> 20);
            assert!(
                peak <= bound,
                "{name}: peak {} MB for {} bytes (at most {} MB)",
                peak >> 20,
                bytes.len(),
                bound >> 20
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
