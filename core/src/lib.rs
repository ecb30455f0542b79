//! Vergleichsring core: everything from the bytes of an upload to the findings, without any
//! browser or UI type, so the web app, its worker and the CLI share one implementation.
//!
//! Data flows one way: bytes → decoded text (decode) → table (read table) → dataset
//! ([`Dataset`]) → KPI values → comparisons and findings.
#![deny(missing_docs)]

mod dataset;
mod error;
mod finding;
mod peer;
mod session;
mod statistics;
mod target;
#[cfg(test)]
mod testing;

pub use crate::dataset::{
    CellKey, Dataset, Duplicate, Flag, Measure, MeasureKind, Municipality, Observation, Reason,
    Source, Value,
};
pub use crate::error::{Error, ErrorKind, Position, Result};
pub use crate::finding::{
    german_number, CheckSummary, Code, Comments, Finding, FindingKey, Severity, Thresholds,
};
pub use crate::peer::{similar, Judgement, Neighbour, PeerGroup, PeerRow, Similarity};
pub use crate::session::{Session, StoredUpload, SESSION_VERSION};
pub use crate::statistics::{index, mad, median, quantile, rank, robust_z, Statistics, Summary};
pub use crate::target::{Massnahme, Series, Stage, Target};
