//! The session target (what it checks: `checks::session`).
#![no_main]

// Each target uses one of the checks.
#[allow(dead_code)]
#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|text: &str| checks::session(text));
