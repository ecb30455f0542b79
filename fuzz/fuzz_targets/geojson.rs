//! The geojson target (what it checks: `checks::geojson`).
#![no_main]

// Each target uses one of the checks.
#[allow(dead_code)]
#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| checks::geojson(bytes));
