//! The KPI catalogue: its TOML definition of KPIs, rules and checks (`definition`), the formula
//! language (`expression`, `ratio`), and which loaded measures feed its measure keys (`source`,
//! `binding`).

pub(crate) mod binding;
pub(crate) mod definition;
pub(crate) mod expression;
pub(crate) mod ratio;
pub(crate) mod source;
