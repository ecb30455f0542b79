//! `vergleichsring load` (CONTRACT §5).

use crate::Failure;

/// Run the subcommand.
pub fn run(_argv: &[String]) -> Result<(), Failure> {
    Err(Failure::Input("„load“ ist noch nicht verfügbar.".into()))
}
