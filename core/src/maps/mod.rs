//! Maps: district boundaries read from GeoJSON (`geo`), projected (`projection`) and drawn
//! as a choropleth with classes (`map`).

pub(crate) mod geo;
pub(crate) mod map;
pub(crate) mod projection;
