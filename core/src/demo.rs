//! The demo ring: fictional municipalities with every measure of the built-in catalogue, so the
//! app can show what it does before anyone uploads a file. Made by `tools/make_demo.py`; the
//! app labels it "Demo – fiktive Kommunen".

use crate::error::Result;
use crate::read::upload::{load, Upload};

/// The demo ring as a file (UTF-8, `;`, decimal comma, wide: one row per municipality and year).
pub const DEMO_RING_CSV: &str = include_str!("../demo/demo-ring.csv");

/// The file name the demo ring is shown and reported under.
pub const DEMO_RING_FILE_NAME: &str = "demo-kommunen.csv";

/// The demo ring read like an upload (the report shows "demo-kommunen.csv", a name that no fixture upload contains).
pub fn demo_ring() -> Result<Upload> {
    load(DEMO_RING_FILE_NAME, DEMO_RING_CSV.as_bytes())
}

/// Fictional districts of the demo ring's Musterstadt (made by `tools/make_demo_districts.py`):
/// their counts and money add up to Musterstadt's row of the demo ring.
pub const DEMO_DISTRICTS_CSV: &str = include_str!("../demo/demo-stadtteile.csv");

/// The file name the demo districts are shown under.
pub const DEMO_DISTRICTS_FILE_NAME: &str = "demo-stadtteile.csv";

/// The fictional districts' fictional boundaries (GeoJSON, ETRS89/UTM 32N), so a newcomer sees
/// a map at once.
pub const DEMO_BOUNDARIES_GEOJSON: &str = include_str!("../demo/demo-stadtteile.geojson");

/// The file name the demo boundaries are shown under.
pub const DEMO_BOUNDARIES_FILE_NAME: &str = "demo-stadtteile.geojson";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::district::{CityFigures, Districts};
    use crate::maps::geo::{read_boundaries, Join};

    #[test]
    fn the_demo_districts_add_up_to_their_city_and_all_have_a_boundary() {
        let upload = load(DEMO_DISTRICTS_FILE_NAME, DEMO_DISTRICTS_CSV.as_bytes()).expect("loads");
        let mut districts = Districts::of(&upload.dataset, 0).expect("districts");
        assert_eq!(districts.len(), 12);
        assert_eq!(districts.reference, CityFigures::Sum);
        let summed = districts.dataset.clone();
        let ring = demo_ring().expect("the demo ring");
        districts.use_city_figures(&ring.dataset);
        assert_eq!(districts.reference, CityFigures::Loaded);
        let city = districts.city_unit();
        for key in ["einwohner", "leistungsberechtigte_hlu", "ausgaben_grusi"] {
            let m = summed.measure_index(key).expect("measure");
            for year in 2019..=2024 {
                let (a, b) = (
                    summed.value(city, year, m).number().expect("a sum"),
                    districts
                        .dataset
                        .value(city, year, m)
                        .number()
                        .expect("the city's"),
                );
                assert!((a - b).abs() < 1e-6, "{key} {year}: {a} vs {b}");
            }
        }
        let boundaries = read_boundaries(
            DEMO_BOUNDARIES_FILE_NAME,
            DEMO_BOUNDARIES_GEOJSON.as_bytes(),
        )
        .expect("reads");
        let names: Vec<&str> = districts.names().collect();
        let join = Join::suggest(&boundaries, &names).expect("a join");
        assert_eq!(join.key, "STT_NAME");
        assert_eq!(join.matched(), 12);
        assert!(join.without_data.is_empty());
    }
}
