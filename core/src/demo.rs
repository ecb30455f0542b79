//! The demo ring: fictional municipalities with every measure of the built-in catalogue, so the
//! app can show what it does before anyone uploads a file. Made by `tools/make_demo.py`; the
//! app labels it "Demo – fiktive Kommunen".

use crate::error::Result;
use crate::upload::{load, Upload};

/// The demo ring as a file (UTF-8, `;`, decimal comma, wide: one row per municipality and year).
pub const DEMO_RING_CSV: &str = include_str!("../demo/demo-ring.csv");

/// The file name the demo ring is shown and reported under.
pub const DEMO_RING_FILE_NAME: &str = "demo-kommunen.csv";

/// The demo ring read like an upload (the report shows "demo-kommunen.csv", a name that no fixture upload contains).
pub fn demo_ring() -> Result<Upload> {
    load(DEMO_RING_FILE_NAME, DEMO_RING_CSV.as_bytes())
}
