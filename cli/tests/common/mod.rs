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

/// The records of a JSON output.
pub fn json(out: &Output) -> Vec<serde_json::Map<String, serde_json::Value>> {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// The records of a run that must succeed (its stderr shown when it does not).
#[allow(dead_code)] // not every test binary runs one
pub fn succeeded(args: &[&str]) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(&out)
}
