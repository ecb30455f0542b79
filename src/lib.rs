//! The Vergleichsring browser app: reads a city's CSVs, computes the ring's KPIs and compares
//! them, all in the browser. This crate only renders; every computation is in
//! `vergleichsring-core`, and parsing runs in a Web Worker ([`worker`]).
//!
//! The page is one document with a section per view (Daten, Kennzahlen, Vergleich, Dashboard,
//! Karte, Prüfung, Ziele, Workshop) and a navigation that jumps between them, so every view's
//! controls are on the page at once and the header's own municipality and year steer them all.
//! A change of them re-renders the views in sight; the others catch up when the browser is idle
//! ([`shown`]).
//!
//! State lives in a few signals at the root ([`AppState`], provided as context); a view reads it
//! with `expect_context::<AppState>()` and its strings with `state.t()` ([`i18n`]).

pub mod case_worker;
mod cases;
mod download;
pub mod export;
pub mod i18n;
mod idle;
mod load;
mod loaded;
pub mod protocol;
mod selection;
mod session;
mod shown;
mod state;
mod views;
pub mod worker;
mod workers;

pub use crate::views::app::App;
