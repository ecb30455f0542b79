//! The short fuzz pass of `./vr test`, on the stable toolchain: every fuzz target's check
//! (`fuzz/fuzz_targets/checks.rs`, the same code `./vr fuzz` runs for minutes under libFuzzer)
//! on the seeds of `./vr fuzz` and on mutations of them — flipped, inserted, deleted, repeated
//! and cut bytes, with the characters the parsers care about. The mutations come from a fixed
//! seed, so a failure repeats; the input that failed is written to the target folder.

#[allow(dead_code)]
#[path = "../../fuzz/fuzz_targets/checks.rs"]
mod checks;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data");
const CATALOGUES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/catalogues");
/// Mutants per seed: the pass stays within seconds in a debug build.
const MUTANTS: usize = 40;
/// Seeds larger than this are cut (the reader's cost grows with the size, not its branches).
const SEED_BYTES: usize = 16 * 1024;

/// xorshift64*: enough randomness for mutations, and no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes the parsers treat specially: separators, quotes, line ends, signs, digits, braces,
/// a NUL, a byte-order mark's first byte and a lone UTF-8 continuation byte.
const SPECIAL: &[u8] = b";,\t|\"'\n\r-+.0123456789()[]{}=_ \x00\xef\xbf\x80";

fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(6) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 => out.insert(at, SPECIAL[rng.below(SPECIAL.len())]),
            2 if at < out.len() => {
                let end = (at + 1 + rng.below(16)).min(out.len());
                out.drain(at..end);
            }
            3 if at < out.len() => {
                let end = (at + 1 + rng.below(64)).min(out.len());
                let piece = out[at..end].to_vec();
                let times = 1 + rng.below(8);
                for _ in 0..times {
                    out.splice(at..at, piece.iter().copied());
                }
            }
            4 => out.truncate(at),
            _ => out.insert(at, rng.next() as u8),
        }
    }
    out
}

/// Runs `check` on each seed and its mutants; a panic fails the test with the input kept.
fn pass(target: &str, seeds: &[Vec<u8>], check: impl Fn(&[u8])) {
    assert!(!seeds.is_empty(), "{target}: no seeds");
    let mut rng = Rng(0x5eed_0000 + target.len() as u64);
    let mut runs = 0;
    for seed in seeds {
        let seed = &seed[..seed.len().min(SEED_BYTES)];
        let inputs = std::iter::once(seed.to_vec())
            .chain((0..MUTANTS).map(|_| mutate(seed, &mut rng)))
            .collect::<Vec<_>>();
        for input in inputs {
            runs += 1;
            if catch_unwind(AssertUnwindSafe(|| check(&input))).is_err() {
                let kept = Path::new(env!("CARGO_TARGET_TMPDIR"))
                    .join(format!("fuzz-pass-{target}-{runs}"));
                let _ = std::fs::write(&kept, &input);
                panic!(
                    "{target}: run {runs} panicked; its input is in {}",
                    kept.display()
                );
            }
        }
    }
    eprintln!("fuzz pass {target}: {runs} inputs");
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

fn seeds(dirs: &[&str], ext: &str) -> Vec<Vec<u8>> {
    let mut paths = Vec::new();
    for dir in dirs {
        files(Path::new(dir), ext, &mut paths);
    }
    paths.sort();
    paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

/// Lossy text of bytes, for the targets that take text (libFuzzer gives them valid UTF-8 only).
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn reader_and_cases() {
    let csv = seeds(&[DATA], "csv");
    pass("reader", &csv, checks::reader);
    pass("cases", &csv, checks::cases);
}

#[test]
fn expressions() {
    let catalogue =
        std::fs::read_to_string(format!("{CATALOGUES}/sgb12.toml")).expect("sgb12.toml");
    let formulas: Vec<Vec<u8>> = catalogue
        .lines()
        .filter_map(|l| {
            l.strip_prefix("formula = \"")
                .or_else(|| l.strip_prefix("assert = \""))
        })
        .filter_map(|l| l.strip_suffix('"'))
        .map(|f| f.as_bytes().to_vec())
        .collect();
    pass("expression", &formulas, |b| checks::expression(&text(b)));
}

#[test]
fn catalogues() {
    let tomls = seeds(&[DATA, CATALOGUES], "toml");
    pass("catalogue", &tomls, |b| checks::catalogue(&text(b)));
}

#[test]
fn sessions() {
    let minimal = br#"{"version": 2, "catalogue": "[catalogue]\nname = \"S\"\n", "own": "A", "year": 2023, "targets": [{"kpi": "k", "target": 1.5, "baseline_year": 2020, "due_year": 2025}]}"#;
    pass("session", &[minimal.to_vec()], |b| {
        checks::session(&text(b))
    });
}

#[test]
fn boundaries() {
    let dirs = [
        concat!(env!("CARGO_MANIFEST_DIR"), "/demo"),
        concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/browser/map"),
    ];
    pass("geojson", &seeds(&dirs, "geojson"), checks::geojson);
}
