//! Any bytes as a case-level file: the streaming aggregation in two slices, then its dataset.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vergleichsring_core::{CaseAggregator, CaseQuery};

fuzz_target!(|bytes: &[u8]| {
    let mut aggregator = CaseAggregator::new(CaseQuery {
        by: vec!["Kommune".into(), "Jahr".into()],
        sum: vec!["Betrag".into()],
        encoding: None,
    });
    let (a, b) = bytes.split_at(bytes.len() / 2);
    if aggregator.feed(a).is_ok() && aggregator.feed(b).is_ok() {
        if let Ok(aggregate) = aggregator.finish() {
            let _ = aggregate.to_dataset("fuzz.csv");
        }
    }
});
