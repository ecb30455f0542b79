//! The subcommands, one file each.

pub mod aggregate;
pub mod change;
pub mod check;
pub mod collect;
pub mod compare;
pub mod funnel;
pub mod kpi;
pub mod load;
pub mod package;
pub mod report;
pub mod template;
