//! `vergleichsring aggregate` (CONTRACT §5).

use crate::Failure;

/// Run the subcommand.
pub fn run(_argv: &[String]) -> Result<(), Failure> {
    Err(Failure::Input(
        "„aggregate“ ist noch nicht verfügbar.".into(),
    ))
}
