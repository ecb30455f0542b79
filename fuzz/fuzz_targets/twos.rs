//! A scope for fuzzed formulas: every key is 2, one year back 1 (so `prev` changes values).

use vergleichsring_core::{Scope, Value};

/// Every key is 2, one year back 1.
pub struct Twos;

impl Scope for Twos {
    fn value(&self, _key: &str, years_back: u32) -> Value {
        Value::Number(if years_back == 0 { 2.0 } else { 1.0 })
    }
}
