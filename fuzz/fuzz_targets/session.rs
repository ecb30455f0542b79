//! Any text as a session file: it loads or errs; a loaded one saves and loads back equal, and
//! its case groups make a dataset or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vergleichsring_core::Session;

fuzz_target!(|text: &str| {
    if let Ok(session) = Session::from_json(text) {
        let again = Session::from_json(&session.to_json());
        assert_eq!(again.as_ref().ok(), Some(&session), "{text:?}");
        if let Some(cases) = &session.cases {
            let _ = cases.aggregate.to_dataset(&cases.file);
        }
    }
});
