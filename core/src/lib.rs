//! Vergleichsring core: everything from the bytes of an upload to the findings, without any
//! browser or UI type, so the web app, its worker and the CLI share one implementation.
//!
//! Data flows one way: bytes → decoded text (decode) → table (read table) → dataset
//! ([`Dataset`]) → KPI values → comparisons and findings.
#![deny(missing_docs)]

mod aggregate;
mod case_layout;
mod dataset;
mod error;

pub use crate::aggregate::{Aggregate, CaseAggregator, CaseQuery, Group};
pub use crate::case_layout::CaseLayout;
pub use crate::dataset::{
    CellKey, Dataset, Duplicate, Flag, Measure, MeasureKind, Municipality, Observation, Reason,
    Source, Value,
};
pub use crate::error::{Error, ErrorKind, Position, Result};
