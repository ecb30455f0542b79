//! What several subcommands share on the command line: the data files with the catalogue (a
//! clap argument group each such command flattens into its args struct), and the checks clap
//! leaves to the commands because the CLI has always said them in its own words (CONTRACT §5):
//! a required option that is missing (`Option --own fehlt.`), a year, a comma-separated list,
//! the catalogue file.

use vergleichsring_core::Catalogue;

use crate::output::Format;
use crate::Failure;

/// The data files and the catalogue of a subcommand that reads data (`kpi`, `compare`, …); the
/// field docs are the `--help` texts.
#[derive(clap::Args)]
pub struct Inputs {
    /// Kennzahlen-Katalog (TOML, UTF-8); ohne Angabe der eingebaute SGB-XII-Katalog.
    #[arg(long, value_name = "C.toml")]
    pub catalogue: Option<String>,
    /// Datendateien (Ring-CSV, GENESIS-Tabelle, Flatfile), zusammengeführt wie in der App.
    #[arg(value_name = "DATA.csv")]
    pub files: Vec<String>,
}

/// The inputs and the output format of a subcommand that prints records (`kpi`, `check`, …).
#[derive(clap::Args)]
pub struct RecordInputs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Ausgabeformat.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
}

/// The own municipality, which `compare`, `change` and `package` ask for.
#[derive(clap::Args)]
pub struct Own {
    /// Die eigene Kommune (Pflicht).
    #[arg(long, value_name = "NAME")]
    pub own: Option<String>,
}

/// The inputs, the output format and the own municipality of a subcommand about one member
/// (`compare`, `change`).
#[derive(clap::Args)]
pub struct MemberInputs {
    #[command(flatten)]
    pub records: RecordInputs,
    #[command(flatten)]
    pub own: Own,
}

/// The year of a subcommand about one year (`compare`, `funnel`, `package`, `report`), read and
/// checked in one place. A command whose year means more (`package`, `report`) words its help
/// with `mut_arg`; the option and its errors stay the same.
#[derive(clap::Args)]
pub struct Year {
    /// Das Jahr (Pflicht).
    #[arg(long, value_name = "Y")]
    pub year: Option<String>,
}

impl Year {
    /// The year given with `--year`.
    pub fn get(&self) -> Result<i32, Failure> {
        year(&self.year, "year")
    }
}

impl Own {
    /// The name given with `--own`.
    pub fn name(&self) -> Result<&str, Failure> {
        required(&self.own, "own")
    }
}

impl Inputs {
    /// The catalogue of `--catalogue`, or the built-in one.
    pub fn catalogue(&self) -> Result<Catalogue, Failure> {
        catalogue(self.catalogue.as_deref())
    }
}

/// The catalogue of `--catalogue FILE` (UTF-8 TOML), or the built-in SGB XII catalogue.
pub fn catalogue(path: Option<&str>) -> Result<Catalogue, Failure> {
    let Some(path) = path else {
        return Ok(Catalogue::builtin());
    };
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::Input(format!("Datei {path}: lässt sich nicht lesen ({e}).")))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Failure::Input(format!(
            "Datei {path}: ein Katalog muss UTF-8 sein (ungültiges Byte an Stelle {}).",
            e.valid_up_to() + 1
        ))
    })?;
    Catalogue::from_toml(text).map_err(|e| Failure::from(e.in_file(path)))
}

/// The value of a required option (`name` without its dashes).
pub fn required<'a>(value: &'a Option<String>, name: &str) -> Result<&'a str, Failure> {
    value
        .as_deref()
        .ok_or_else(|| Failure::Input(format!("Option --{name} fehlt.")))
}

/// A required year option.
pub fn year(value: &Option<String>, name: &str) -> Result<i32, Failure> {
    let text = required(value, name)?;
    text.parse()
        .map_err(|_| Failure::Input(format!("--{name}: „{text}“ ist keine Jahreszahl.")))
}

/// A comma-separated list option, empty when absent.
pub fn list(value: &Option<String>) -> Vec<String> {
    value
        .as_deref()
        .map(|v| {
            v.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}
