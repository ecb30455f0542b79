//! Vergleichsring core: everything from the bytes of an upload to the findings, without any
//! browser or UI type, so the web app, its worker and the CLI share one implementation.
//!
//! Data flows one way: bytes → decoded text (decode) → table (read table) → dataset
//! ([`Dataset`]) → KPI values → comparisons and findings.
#![deny(missing_docs)]

mod dataset;
mod decode;
mod dialect;
mod error;
mod genesis;
mod layout;
mod merge;
mod number;
mod table;
mod upload;

pub use crate::dataset::{
    CellKey, Dataset, Duplicate, Flag, Measure, MeasureKind, Municipality, Observation, Reason,
    Source, Value,
};
pub use crate::error::{Error, ErrorKind, Position, Result};
pub use crate::layout::{detect_layout, measure_key, Layout, LayoutColumn, Role, Shape};
pub use crate::merge::{merge, Conflict, MergeChoices, Merged};
pub use crate::number::NumberFormat;
pub use crate::table::{read_table, ReadOptions, Row, SkippedLine, Table};
pub use crate::upload::{build_dataset, load, load_with, LoadReport, Problem, Upload};
