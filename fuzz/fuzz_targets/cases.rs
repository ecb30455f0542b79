//! The cases target (what it checks: `checks::cases`).
#![no_main]

// Each target uses one of the checks.
#[allow(dead_code)]
#[path = "checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| checks::cases(bytes));
