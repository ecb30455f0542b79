//! `vergleichsring compare` (CONTRACT §5).

use crate::Failure;

/// Run the subcommand.
pub fn run(_argv: &[String]) -> Result<(), Failure> {
    Err(Failure::Input("„compare“ ist noch nicht verfügbar.".into()))
}
