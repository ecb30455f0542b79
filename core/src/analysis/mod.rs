//! Analysis: KPI values of a dataset (`kpi`) → statistics, peer comparisons, change splits,
//! funnel limits, bands, plausibility findings, targets and district figures.

pub(crate) mod band;
pub(crate) mod change;
pub(crate) mod district;
pub(crate) mod finding;
pub(crate) mod finding_words;
pub(crate) mod funnel;
pub(crate) mod kpi;
pub(crate) mod peer;
pub(crate) mod statistics;
pub(crate) mod target;
