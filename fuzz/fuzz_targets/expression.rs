//! The expression target (what it checks: `checks::expression`).
#![no_main]

// Each target uses one of the checks.
#[allow(dead_code)]
#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|text: &str| checks::expression(text));
