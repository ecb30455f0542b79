//! Fixture and integration tests of the core: one test binary, a module per subject in
//! `fixtures/`.

#[path = "fixtures/analysis.rs"]
mod analysis;
#[path = "fixtures/cases.rs"]
mod cases;
#[path = "fixtures/common.rs"]
mod common;
#[path = "fixtures/compare.rs"]
mod compare;
#[path = "fixtures/edge.rs"]
mod edge;
#[path = "fixtures/errors.rs"]
mod errors;
#[path = "fixtures/expected.rs"]
mod expected;
#[path = "fixtures/findings.rs"]
mod findings;
#[path = "fixtures/genesis.rs"]
mod genesis;
#[path = "fixtures/kpi.rs"]
mod kpi;
#[path = "fixtures/ring.rs"]
mod ring;
#[path = "fixtures/targets.rs"]
mod targets;
