//! Vergleichsring core: everything from the bytes of an upload to the findings, without any
//! browser or UI type, so the web app, its worker and the CLI share one implementation.
//!
//! Data flows one way: bytes → decoded text (decode) → table (read table) → dataset
//! ([`Dataset`]) → KPI values → comparisons and findings.
#![deny(missing_docs)]

mod aggregate;
mod band;
mod binding;
mod brief;
mod brief_html;
mod case_layout;
mod catalogue;
mod change;
pub mod chart;
mod dataset;
mod decode;
mod demo;
mod dialect;
mod district;
mod error;
mod excerpt;
mod export;
mod expression;
mod finding;
mod flat;
mod format;
mod funnel;
mod genesis;
mod geo;
mod kpi;
mod layout;
mod map;
mod merge;
mod message;
mod number;
mod package;
mod peer;
mod projection;
mod pseudonym;
mod report;
mod session;
mod statistics;
mod table;
mod target;
mod template;
#[cfg(test)]
mod testing;
mod upload;

pub use crate::aggregate::{Aggregate, CaseAggregator, CaseQuery, Group};
pub use crate::band::{unique_in_bands, Band};
pub use crate::binding::{
    bind, dimension_values, in_force, statistic_name, unbind, Binding, BindingState, Bindings,
    DimValues, MeasureBinding,
};
pub use crate::brief::{comments_for, is_percent, official_source, Movement, Placement, Trend};
pub use crate::brief_html::{
    member_report, placement_code, report_file_name, report_kpis, year_points, ReportInput,
};
pub use crate::case_layout::CaseLayout;
pub use crate::catalogue::{
    Better, Catalogue, CatalogueMeasure, Checks, Event, Kpi, Level, Rule, Severity, Values,
};
pub use crate::change::{change_split, change_splits, ChangeSplit, NoSplit, Ratio};
pub use crate::dataset::{
    CellKey, Cells, CellsBuilder, Dataset, Duplicate, Flag, Measure, MeasureKind, Municipality,
    Observation, Reason, Source, Value,
};
pub use crate::demo::{
    demo_ring, DEMO_BOUNDARIES_FILE_NAME, DEMO_BOUNDARIES_GEOJSON, DEMO_DISTRICTS_CSV,
    DEMO_DISTRICTS_FILE_NAME, DEMO_RING_CSV, DEMO_RING_FILE_NAME,
};
pub use crate::district::{district_dimension, is_district_header, CityFigures, Districts};
pub use crate::error::{Error, ErrorKind, Position, Result};
pub use crate::excerpt::ranking_excerpt;
pub use crate::export::{
    excel_csv, judgement_word, kpi_sheet, peer_sheet, target_sheet, Cell, Sheet,
};
pub use crate::expression::{
    BinaryOp, Expr, Formula, Function, Grammar, Reading, Scope, MAX_FORMULA_LENGTH, MAX_NESTING,
};
pub use crate::finding::{
    check, finding_record, format_compact, CheckSummary, Code, Comments, Finding, FindingKey,
};
pub use crate::format::{
    format_bytes, format_euro, format_integer, format_number, format_percent, format_plain,
    format_value,
};
pub use crate::funnel::{funnel_of_all, Funnel, FunnelKind, FunnelPoint, Limits, Z95, Z998};
pub use crate::geo::{
    join_key, read_boundaries, Boundaries, Boundary, Crs, Join, Polygon, Ring, MAX_GEOJSON_BYTES,
    MAX_POSITIONS,
};
pub use crate::kpi::{KpiTable, KpiValue, Panel, PanelScope};
pub use crate::layout::{detect_layout, measure_key, Layout, LayoutColumn, Role, Shape};
pub use crate::map::{district_rank, Classes, Classing, MapArea, MapShape, MAP_WIDTH, MAX_CLASSES};
pub use crate::merge::{merge, Conflict, MergeChoices, Merged, NameMatch};
pub use crate::message::{Arg, Lang, Message, Template};
pub use crate::number::{format_typed_number, parse_typed_number, NumberFormat};
pub use crate::package::{
    catalogue_hash, catalogue_text, csv_text, data_csv, file_stem, open as open_package,
    open_checked as open_package_checked, package_file_name, ring_csv, ring_findings_csv,
    sha256_hex, superseded, timestamp, zip_texts, Manifest, ManifestCatalogue, Package,
    PackedFinding, Refusal, Submission, APP, DATA_HEADER, FINDINGS_HEADER, MAX_EXPANSION,
    PACKAGE_FORMAT, PACKAGE_VERSION,
};
pub use crate::peer::{
    compare, parse_weight, similar, similar_in, Comparison, Judgement, LeftOut, Neighbour,
    PeerGroup, PeerRow, Similarity, Stability, STATISTICS,
};
pub use crate::projection::Utm;
pub use crate::pseudonym::Pseudonyms;
pub use crate::report::{excel_number, findings_csv, severity_word};
pub use crate::session::{
    Session, StoredCases, StoredUpload, OLDEST_SESSION_VERSION, SESSION_VERSION,
};
pub use crate::statistics::{index, mad, median, quantile, rank, robust_z, Statistics, Summary};
pub use crate::table::{
    read_table, read_table_with_progress, FlatLayout, ReadOptions, Row, SkippedLine, Table,
};
pub use crate::target::{series_of, suggestions, Benchmark, Massnahme, Series, Stage, Target};
pub use crate::template::collection_template;
pub use crate::upload::{
    build_dataset, load, load_with, LoadReport, Problem, Recognised, Upload, YearFrom,
};

// layout-app: new modules
mod course_chart;
mod finding_words;
mod format_signed;
mod multiples;
pub use crate::chart::YearPoint;
pub use crate::course_chart::{
    CourseChart, COURSE_BOTTOM, COURSE_HEIGHT, COURSE_LEFT, COURSE_RIGHT, COURSE_TOP, COURSE_WIDTH,
};
pub use crate::finding_words::{
    finding_words, FindingWords, CHANGE_PERCENT, MEDIAN, PREVIOUS_YEAR, ROBUST_Z,
};
pub use crate::format_signed::format_signed;
pub use crate::multiples::{small_multiples, Multiple};
