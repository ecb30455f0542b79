//! Values: a number (possibly flagged by the official sign legend) or missing with the reason
//! the user sees. The bottom of the path: every stage reads and writes them, and they name
//! nothing of the crate.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a value is missing. The German text is what the user reads (CONTRACT §1, DOMAIN legend).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Reason {
    /// An empty cell.
    Empty,
    /// `.`: unknown or confidential.
    Unknown,
    /// `...`: figure not yet available.
    NotYetAvailable,
    /// `/`: not reliable enough.
    Unreliable,
    /// `x`: locked cell.
    Locked,
    /// `k.A.`: no answer.
    NoAnswer,
    /// A cell that is neither a number nor a marker; keeps its text.
    NotNumeric(String),
    /// A formula divided by zero.
    DivisionByZero,
    /// No record for that municipality, year and measure.
    NoRecord,
    /// `prev(x)` with no year before.
    NoPreviousYear,
    /// A missing input of a computation, naming the key that was missing and its own reason.
    Input(String, Box<Reason>),
    /// A measure key of the catalogue that nothing in the data carries or binds (CONTRACT §2
    /// measure sources): the user can bind a loaded measure to it.
    Unbound(String),
}

impl Reason {
    /// The reasons without text, in the order the dataset's compact cells number them; the
    /// first [`Reason::IN_DATA`] are those a data file's cell can carry (the empty cell and the
    /// official sign legend), the others arise in computing.
    pub(crate) const SIMPLE: [Reason; 9] = [
        Reason::Empty,
        Reason::Unknown,
        Reason::NotYetAvailable,
        Reason::Unreliable,
        Reason::Locked,
        Reason::NoAnswer,
        Reason::DivisionByZero,
        Reason::NoRecord,
        Reason::NoPreviousYear,
    ];
    /// How many of [`Reason::SIMPLE`] a data file's cell can carry.
    pub(crate) const IN_DATA: usize = 6;

    /// The reason for a sign of the official legend, if the text is one.
    pub fn from_marker(text: &str) -> Option<Reason> {
        match text {
            "" => Some(Reason::Empty),
            "." => Some(Reason::Unknown),
            "..." | "…" => Some(Reason::NotYetAvailable),
            "/" => Some(Reason::Unreliable),
            "x" | "X" => Some(Reason::Locked),
            "k.A." | "k. A." | "k.A" => Some(Reason::NoAnswer),
            _ => None,
        }
    }

    /// A short stable code for the reason (for i18n and exports).
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Empty => "empty",
            Reason::Unknown => "unknown",
            Reason::NotYetAvailable => "not_yet_available",
            Reason::Unreliable => "unreliable",
            Reason::Locked => "locked",
            Reason::NoAnswer => "no_answer",
            Reason::NotNumeric(_) => "not_numeric",
            Reason::DivisionByZero => "division_by_zero",
            Reason::NoRecord => "no_record",
            Reason::NoPreviousYear => "no_previous_year",
            Reason::Input(_, inner) => inner.code(),
            Reason::Unbound(_) => "unbound",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Empty => f.write_str("leer"),
            Reason::Unknown => f.write_str("unbekannt/geheim"),
            Reason::NotYetAvailable => f.write_str("liegt noch nicht vor"),
            Reason::Unreliable => f.write_str("nicht sicher genug"),
            Reason::Locked => f.write_str("gesperrt"),
            Reason::NoAnswer => f.write_str("keine Angabe"),
            Reason::NotNumeric(text) => write!(f, "keine Zahl: „{text}“"),
            Reason::DivisionByZero => f.write_str("Division durch 0"),
            Reason::NoRecord => f.write_str("keine Angabe in den Daten"),
            Reason::NoPreviousYear => f.write_str("kein Vorjahr"),
            Reason::Input(key, inner) => write!(f, "{key}: {inner}"),
            Reason::Unbound(key) => write!(f, "Merkmal fehlt: {key}"),
        }
    }
}

/// A flag that a number carries from the official sign legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Flag {
    /// `0`: rounded to zero, more than nothing.
    Rounded,
    /// `(123)`: limited reliability.
    Uncertain,
    /// `123p`: provisional.
    Provisional,
    /// `123r`: corrected.
    Corrected,
    /// `123s`: estimated.
    Estimated,
}

impl Flag {
    /// Every flag, in the order the dataset's compact cells number them.
    pub(crate) const ALL: [Flag; 5] = [
        Flag::Rounded,
        Flag::Uncertain,
        Flag::Provisional,
        Flag::Corrected,
        Flag::Estimated,
    ];
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Flag::Rounded => "gerundet",
            Flag::Uncertain => "unsicher",
            Flag::Provisional => "vorläufig",
            Flag::Corrected => "berichtigt",
            Flag::Estimated => "geschätzt",
        })
    }
}

/// A value: a number or missing with its reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Value {
    /// A number (full f64 precision).
    Number(f64),
    /// Missing, with the reason.
    Missing(Reason),
}

impl Value {
    /// The number, if there is one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Value::Number(x) => Some(*x),
            Value::Missing(_) => None,
        }
    }

    /// The reason, if missing.
    pub fn reason(&self) -> Option<&Reason> {
        match self {
            Value::Number(_) => None,
            Value::Missing(r) => Some(r),
        }
    }
}
