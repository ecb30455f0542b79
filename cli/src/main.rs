//! The `vergleichsring` command line.
fn main() {}
