//! The `vergleichsring` command line: the same core as the browser app, for ring coordinators
//! and scripts (CONTRACT §5). One file per subcommand in `cmd/`, each with its clap args struct
//! (the usage and `--help` text) and `run`; errors map to exit codes here. Usage errors clap
//! finds itself (an unknown option, a missing value) exit 2 like every other bad input.

mod cmd;
mod options;
mod output;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The command line: one subcommand.
#[derive(Parser)]
#[command(
    name = "vergleichsring",
    about = "vergleichsring – Kennzahlen-Vergleich für kommunale Sozialleistungen",
    arg_required_else_help = true,
    args_override_self = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands, each described by its args struct.
#[derive(Subcommand)]
enum Command {
    Load(cmd::load::Args),
    Kpi(cmd::kpi::Args),
    Compare(cmd::compare::Args),
    Check(cmd::check::Args),
    Aggregate(cmd::aggregate::Args),
    Package(cmd::package::Args),
    Collect(cmd::collect::Args),
    Report(cmd::report::Args),
    Template(cmd::template::Args),
    Change(cmd::change::Args),
    Funnel(cmd::funnel::Args),
}

/// How a command ended, mapped to the exit code.
pub enum Failure {
    /// Bad input or usage: exit 2 with the message on stderr.
    Input(String),
    /// `check` found a finding of severity error, `package` was blocked by one, or `collect`
    /// refused a package: exit 1 (what and why was printed).
    Findings,
}

impl From<vergleichsring_core::Error> for Failure {
    fn from(e: vergleichsring_core::Error) -> Failure {
        Failure::Input(e.to_string())
    }
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Load(args) => cmd::load::run(&args),
        Command::Kpi(args) => cmd::kpi::run(&args),
        Command::Compare(args) => cmd::compare::run(&args),
        Command::Check(args) => cmd::check::run(&args),
        Command::Aggregate(args) => cmd::aggregate::run(&args),
        Command::Package(args) => cmd::package::run(&args),
        Command::Collect(args) => cmd::collect::run(&args),
        Command::Report(args) => cmd::report::run(&args),
        Command::Template(args) => cmd::template::run(&args),
        Command::Change(args) => cmd::change::run(&args),
        Command::Funnel(args) => cmd::funnel::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Findings) => ExitCode::from(1),
        Err(Failure::Input(msg)) => {
            eprintln!("vergleichsring: {msg}");
            ExitCode::from(2)
        }
    }
}
