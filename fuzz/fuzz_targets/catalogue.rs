//! The catalogue target (what it checks: `checks::catalogue`).
#![no_main]

// Each target uses one of the checks.
#[allow(dead_code)]
#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|text: &str| checks::catalogue(text));
