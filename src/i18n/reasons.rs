//! Why a value is missing, in words (the core's `Reason`). The German words are the core's own,
//! which the exports for German Excel also write.

/// The strings of one language.
#[allow(missing_docs)]
pub struct ReasonTexts {
    pub empty: &'static str,
    pub unknown: &'static str,
    pub not_yet_available: &'static str,
    pub unreliable: &'static str,
    pub locked: &'static str,
    pub no_answer: &'static str,
    pub not_numeric: &'static str,
    pub division_by_zero: &'static str,
    pub no_record: &'static str,
    pub no_previous_year: &'static str,
    pub unbound: &'static str,
}

pub const DE: ReasonTexts = ReasonTexts {
    empty: "leer",
    unknown: "unbekannt/geheim",
    not_yet_available: "liegt noch nicht vor",
    unreliable: "nicht sicher genug",
    locked: "gesperrt",
    no_answer: "keine Angabe",
    not_numeric: "keine Zahl: „{text}“",
    division_by_zero: "Division durch 0",
    no_record: "keine Angabe in den Daten",
    no_previous_year: "kein Vorjahr",
    unbound: "Merkmal fehlt: {key}",
};

pub const EN: ReasonTexts = ReasonTexts {
    empty: "empty",
    unknown: "unknown/confidential",
    not_yet_available: "not yet available",
    unreliable: "not reliable enough",
    locked: "locked",
    no_answer: "not stated",
    not_numeric: "not a number: “{text}”",
    division_by_zero: "division by 0",
    no_record: "not in the data",
    no_previous_year: "no previous year",
    unbound: "measure missing: {key}",
};
