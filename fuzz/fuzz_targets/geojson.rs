//! Any bytes as a GeoJSON file of district boundaries: read or refused, never a panic; read
//! boundaries join, draw and class without one either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vergleichsring_core::{read_boundaries, Better, Classes, Classing, Join, MapShape};

fuzz_target!(|bytes: &[u8]| {
    if let Ok(boundaries) = read_boundaries("fuzz.geojson", bytes) {
        let names = ["Altstadt", "1", "Nord"];
        let join = Join::suggest(&boundaries, &names)
            .unwrap_or_else(|| Join::by(&boundaries, "name", &names));
        let shape = MapShape::new(&boundaries, &join);
        assert_eq!(shape.areas.len(), boundaries.features.len());
        let values: Vec<Option<f64>> = (0..names.len())
            .map(|d| shape.label_of(d).map(|p| p[0]))
            .collect();
        let _ = Classes::new(&values, Classing::Quantiles, 5, Better::Lower);
    }
});
