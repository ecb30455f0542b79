//! The subcommands, one file each.

pub mod aggregate;
pub mod change;
pub mod check;
pub mod compare;
pub mod funnel;
pub mod kpi;
pub mod load;
