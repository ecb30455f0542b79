//! Any text as a rule: it parses or errs at a column inside it; a parsed one prints back to a
//! text that parses to the same print, and evaluates.
#![no_main]

#[path = "twos.rs"]
mod twos;

use libfuzzer_sys::fuzz_target;
use twos::Twos;
use vergleichsring_core::Formula;

fuzz_target!(|text: &str| {
    match Formula::parse_rule(text) {
        Ok(formula) => {
            let printed = formula.to_string();
            let again = Formula::parse_rule(&printed).map(|f| f.to_string());
            assert_eq!(again.as_deref().ok(), Some(printed.as_str()), "{text:?}");
            let _ = formula.eval(&Twos);
            let _ = formula.reading(&|k| k.to_string());
        }
        Err(e) => {
            let column = e.position().column.unwrap_or(0);
            assert!(column >= 1 && column <= text.chars().count() + 1, "{text:?}: {e}");
        }
    }
});
