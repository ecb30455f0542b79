//! Vergleichsring core: everything from the bytes of an upload to the findings, without any
//! browser or UI type, so the web app, its worker and the CLI share one implementation.
//!
//! Data flows one way: bytes → decoded text (decode) → table (read table) → dataset
//! ([`Dataset`]) → KPI values → comparisons and findings.
#![deny(missing_docs)]

mod dataset;
mod error;
mod format;

pub use crate::dataset::{
    CellKey, Dataset, Duplicate, Flag, Measure, MeasureKind, Municipality, Observation, Reason,
    Source, Value,
};
pub use crate::error::{Error, ErrorKind, Position, Result};
pub use crate::format::{
    format_bytes, format_euro, format_integer, format_number, format_percent, format_value,
};
