//! Any bytes as an upload: the reader (encodings, separators, GENESIS and flat-file layouts)
//! gives a dataset or an error, and a dataset goes through the KPIs and the check.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vergleichsring_core::{check, load, Catalogue, KpiTable};

fuzz_target!(|bytes: &[u8]| {
    if let Ok(upload) = load("fuzz.csv", bytes) {
        let catalogue = Catalogue::builtin();
        let table = KpiTable::compute(&catalogue, &upload.dataset);
        let _ = check(&catalogue, &upload.dataset, &table, catalogue.checks());
    }
});
