//! Fixture and integration tests of the core: one test binary, a module per subject in
//! `fixtures/`.

#[path = "fixtures/cases.rs"]
mod cases;
