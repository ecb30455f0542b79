//! Any text as a rule: it parses or errs at a column inside it; a parsed one prints back to a
//! text that parses to the same print, and evaluates.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vergleichsring_core::{Formula, Scope, Value};

/// Every key is 2, one year back 1.
struct Twos;

impl Scope for Twos {
    fn value(&self, _key: &str, years_back: u32) -> Value {
        Value::Number(if years_back == 0 { 2.0 } else { 1.0 })
    }
}

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
