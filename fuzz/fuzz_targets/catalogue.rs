//! Any text as a catalogue TOML: it loads or errs; a loaded one saves to a text that loads to an
//! equal catalogue, and its KPIs and rules evaluate.
#![no_main]

#[path = "twos.rs"]
mod twos;

use libfuzzer_sys::fuzz_target;
use twos::Twos;
use vergleichsring_core::Catalogue;

fuzz_target!(|text: &str| {
    if let Ok(catalogue) = Catalogue::from_toml(text) {
        let again = Catalogue::from_toml(&catalogue.to_toml());
        assert_eq!(again.as_ref().ok(), Some(&catalogue), "{text:?}");
        let mut values = catalogue.values(&Twos);
        for k in 0..catalogue.kpis().len() {
            let _ = values.kpi(k);
        }
        for r in 0..catalogue.rules().len() {
            let _ = values.holds(r);
        }
    }
});
