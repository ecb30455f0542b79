//! Reading: bytes → decoded text (`decode`, `dialect`) → table (`table`, with `genesis` and `flat`
//! for the official formats) → layout (`column`, `layout`, `number`) → dataset (`upload`), and
//! several uploads merged into one (`merge`).

pub(crate) mod column;
pub(crate) mod decode;
pub(crate) mod dialect;
pub(crate) mod flat;
pub(crate) mod genesis;
pub(crate) mod layout;
pub(crate) mod merge;
pub(crate) mod number;
pub(crate) mod table;
pub(crate) mod upload;
