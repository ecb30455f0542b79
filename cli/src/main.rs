//! The `vergleichsring` command line: the same core as the browser app, for ring coordinators
//! and scripts (CONTRACT §5). One file per subcommand in `cmd/`, each with a usage text, an
//! argument struct and `run`; errors map to exit codes here.

mod args;
mod cmd;
mod output;

use std::process::ExitCode;

const USAGE: &str = "\
vergleichsring – Kennzahlen-Vergleich für kommunale Sozialleistungen

Aufruf:
  vergleichsring load    DATA.csv… [--format json|csv]
  vergleichsring kpi     --catalogue C.toml DATA.csv… [--format json|csv]
  vergleichsring compare --catalogue C.toml DATA.csv… --own NAME --year Y
                         [--peers A,B,… | --similar K --on KEY,KEY,…] [--format json|csv]
  vergleichsring check   --catalogue C.toml DATA.csv… [--format json|csv]
  vergleichsring aggregate DATA.csv --by COL,COL,… [--sum COL,COL,…] [--format json|csv]
  vergleichsring package --catalogue C.toml DATA.csv… --own NAME --year Y [--session S.json]
                         --out P.zip
  vergleichsring collect --catalogue C.toml P.zip… --out DIR
  vergleichsring report  --catalogue C.toml DATA.csv… --year Y --out DIR [--own NAME]
  vergleichsring template [--catalogue C.toml] --out DIR
  vergleichsring change  --catalogue C.toml DATA.csv… --own NAME --from A --to B [--format json|csv]
  vergleichsring funnel  --catalogue C.toml DATA.csv… --kpi ID --year Y [--peers A,B,…]
                         [--format json|csv]
";

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
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = argv.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "load" => cmd::load::run(rest),
        "kpi" => cmd::kpi::run(rest),
        "compare" => cmd::compare::run(rest),
        "check" => cmd::check::run(rest),
        "aggregate" => cmd::aggregate::run(rest),
        "package" => cmd::package::run(rest),
        "collect" => cmd::collect::run(rest),
        "report" => cmd::report::run(rest),
        "template" => cmd::template::run(rest),
        "change" => cmd::change::run(rest),
        "funnel" => cmd::funnel::run(rest),
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => Err(Failure::Input(format!(
            "Unbekannter Befehl „{other}“.\n\n{USAGE}"
        ))),
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
