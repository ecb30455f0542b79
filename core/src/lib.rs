//! Vergleichsring core: everything from the bytes of an upload to the findings, without any
//! browser or UI type, so the web app, its worker and the CLI share one implementation.
//!
//! Data flows one way, and the folders follow it (a folder imports only folders before it):
//!
//! - [`Value`], [`Dataset`], the error and message types and number formatting at the bottom
//!   (`value.rs`, `dataset.rs`, `error.rs`, `message.rs`, `format.rs`): every stage uses them;
//! - `read/`: bytes → decoded text → table → layout → dataset (ring files, GENESIS tables and
//!   flat files, merging several uploads);
//! - `cases/`: case-level files → the aggregates a dataset is made of;
//! - `catalogue/`: the KPI catalogue, its formula language and the measure sources it binds;
//! - `analysis/`: KPI values → statistics, peer comparisons, change splits, funnel limits,
//!   findings, targets, district figures;
//! - `output/`: what leaves the app — CSV for Excel, the Kurzbericht, session files, submission
//!   packages, the collection template, charts;
//! - `maps/`: district boundaries (GeoJSON), their projection and the map drawn from them.
//!
//! The modules are private; the `pub use` block below is the whole public API.
#![deny(missing_docs)]

mod analysis;
mod cases;
mod catalogue;
mod dataset;
mod demo;
mod error;
mod format;
mod maps;
mod message;
mod output;
mod read;
#[cfg(test)]
mod testing;
mod value;

pub use crate::analysis::band::{unique_in_bands, Band};
pub use crate::analysis::change::{change_split, change_splits, ChangeSplit, NoSplit};
pub use crate::analysis::district::{district_dimension, CityFigures, Districts};
pub use crate::analysis::finding::{
    check, finding_record, format_compact, CheckSummary, Code, Comments, Finding, FindingKey,
    CHANGE_PERCENT, MEDIAN, PREVIOUS_YEAR, ROBUST_Z,
};
pub use crate::analysis::finding_words::{
    banded_message, cited_value, finding_words, is_raw_figure, BandWords, FindingWords,
    GERMAN_BANDS,
};
pub use crate::analysis::funnel::{funnel_of_all, Funnel, FunnelPoint, Limits, Z95, Z998};
pub use crate::analysis::kpi::{KpiTable, KpiValue, Panel, PanelScope};
pub use crate::analysis::peer::{
    compare, parse_weight, similar, similar_in, Comparison, Judgement, LeftOut, Neighbour,
    PeerGroup, PeerRow, Similarity, Stability, STATISTICS,
};
pub use crate::analysis::statistics::{
    index, mad, median, quantile, rank, robust_z, Statistics, Summary,
};
pub use crate::analysis::target::{
    series_of, suggestions, Action, Benchmark, Series, Stage, Target,
};
pub use crate::cases::aggregate::{Aggregate, CaseAggregator, CaseQuery, Group};
pub use crate::cases::case_layout::CaseLayout;
pub use crate::catalogue::binding::{
    bind, dimension_values, in_force, statistic_name, unbind, BindingState, MeasureBinding,
};
pub use crate::catalogue::definition::FunnelKind;
pub use crate::catalogue::definition::{
    Better, Catalogue, CatalogueMeasure, Checks, Event, Kpi, Level, Rule, Severity, Values,
};
pub use crate::catalogue::expression::{
    BinaryOp, Expr, Formula, Function, Grammar, Reading, Scope, MAX_FORMULA_LENGTH, MAX_NESTING,
};
pub use crate::catalogue::ratio::Ratio;
pub use crate::catalogue::source::{Binding, Bindings, DimValues};
pub use crate::dataset::{
    CellKey, Cells, CellsBuilder, Dataset, Duplicate, Measure, MeasureKind, Municipality,
    Observation, Source,
};
pub use crate::demo::{
    demo_ring, DEMO_BOUNDARIES_FILE_NAME, DEMO_BOUNDARIES_GEOJSON, DEMO_DISTRICTS_CSV,
    DEMO_DISTRICTS_FILE_NAME, DEMO_RING_CSV, DEMO_RING_FILE_NAME,
};
pub use crate::error::{Error, ErrorKind, Position, Result};
pub use crate::format::{
    format_bytes, format_euro, format_integer, format_number, format_percent, format_plain,
    format_signed, format_value,
};
pub use crate::maps::geo::{
    join_key, read_boundaries, Boundaries, Boundary, Crs, Join, Polygon, Ring, MAX_GEOJSON_BYTES,
    MAX_POSITIONS,
};
pub use crate::maps::map::{
    district_rank, Classes, Classing, MapArea, MapShape, MAP_WIDTH, MAX_CLASSES,
};
pub use crate::maps::projection::Utm;
pub use crate::message::{Arg, Lang, Message, Template};
pub use crate::output::brief::{
    comments_for, is_percent, official_source, Movement, Placement, Trend,
};
pub use crate::output::brief_html::{
    member_report, placement_code, report_file_name, report_kpis, year_points, ReportInput,
};
pub use crate::output::chart;
pub use crate::output::chart::YearPoint;
pub use crate::output::course_chart::{
    CourseChart, COURSE_BOTTOM, COURSE_HEIGHT, COURSE_LEFT, COURSE_RIGHT, COURSE_TOP, COURSE_WIDTH,
};
pub use crate::output::excel::{excel_csv, excel_number};
pub use crate::output::excerpt::ranking_excerpt;
pub use crate::output::export::{judgement_word, kpi_sheet, peer_sheet, target_sheet, Cell, Sheet};
pub use crate::output::multiples::{small_multiples, Multiple};
pub use crate::output::package::{
    catalogue_hash, catalogue_text, csv_text, data_csv, file_stem, open as open_package,
    open_checked as open_package_checked, package_file_name, ring_csv, ring_findings_csv,
    sha256_hex, superseded, timestamp, zip_texts, Manifest, ManifestCatalogue, Package,
    PackedFinding, Refusal, Submission, APP, DATA_HEADER, FINDINGS_HEADER, MAX_EXPANSION,
    PACKAGE_FORMAT, PACKAGE_VERSION,
};
pub use crate::output::pseudonym::Pseudonyms;
pub use crate::output::report::{findings_csv, findings_csv_banded, severity_word};
pub use crate::output::session::{
    Session, StoredCases, StoredUpload, OLDEST_SESSION_VERSION, SESSION_VERSION,
};
pub use crate::output::template::collection_template;
pub use crate::read::column::{is_district_header, measure_key, Layout, LayoutColumn, Role, Shape};
pub use crate::read::layout::detect_layout;
pub use crate::read::merge::{merge, Conflict, MergeChoices, Merged, NameMatch};
pub use crate::read::number::{format_typed_number, parse_typed_number, NumberFormat};
pub use crate::read::table::{
    read_table, read_table_with_progress, FlatLayout, ReadOptions, Row, SkippedLine, Table,
};
pub use crate::read::upload::{
    build_dataset, load, load_with, LoadReport, Problem, Recognised, Upload, YearFrom,
};
pub use crate::value::{Flag, Reason, Value};
