//! Charts as hand-written SVG components (shared/UI.md): a visible heading, `<title>` and
//! `<desc>`, a "Tabelle anzeigen" switch to the same numbers as a table, keyboard-focusable
//! marks that read out name and value, German numbers, direct labels instead of legends.
//!
//! Every chart takes plain data (names, numbers, years, texts) and no app state, so the
//! comparison view, the dashboard, the workshop, the short report and exports can all draw them.
//!
//! A chart is drawn at its natural size, the SVG scaled to the page's width, or — with `fit`,
//! for the workshop's projector — at the size of its box in CSS pixels, drawn again whenever
//! the box changes: type and marks then grow with the screen, and the chart never needs more
//! height than the box has.

mod boxplot;
mod frame;
mod funnel;
mod multiples;
mod ranking;
mod series;
mod sparkline;
mod trend;

pub use boxplot::BoxPlot;
pub use frame::{
    judgement_class, judgement_words, Bar, ChartKind, EventMark, TargetLine, YearPoint,
};
pub use funnel::{FunnelChart, FunnelMark};
pub use multiples::SmallMultiples;
pub use ranking::RankingChart;
pub use series::TimeSeriesChart;
pub use sparkline::Sparkline;
pub use trend::TrendChart;
