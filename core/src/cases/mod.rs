//! Case-level files (one row per case, not per municipality): their layout (`case_layout`) and
//! the groups and sums they aggregate into (`aggregate`), which then load like any ring file.

pub(crate) mod aggregate;
pub(crate) mod case_layout;
