//! The subcommands, one file each.

pub mod aggregate;
pub mod check;
pub mod compare;
pub mod kpi;
pub mod load;
