//! A small argument reader shared by the subcommands: positional files and `--name value` options.

use vergleichsring_core::Catalogue;

use crate::Failure;

/// Parsed arguments: positionals in order and named options.
pub struct Args {
    /// Positional arguments (the data files).
    pub files: Vec<String>,
    options: Vec<(String, String)>,
}

impl Args {
    /// Split `argv` into positionals and the options in `known` (each takes one value).
    pub fn parse(argv: &[String], known: &[&str], usage: &str) -> Result<Args, Failure> {
        let mut files = Vec::new();
        let mut options = Vec::new();
        let mut it = argv.iter();
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                if !known.contains(&name) {
                    return Err(Failure::Input(format!(
                        "Unbekannte Option --{name}.\n\n{usage}"
                    )));
                }
                let Some(value) = it.next() else {
                    return Err(Failure::Input(format!(
                        "Option --{name} braucht einen Wert.\n\n{usage}"
                    )));
                };
                options.push((name.to_string(), value.clone()));
            } else {
                files.push(a.clone());
            }
        }
        Ok(Args { files, options })
    }

    /// The value of an option, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of a required option.
    pub fn required(&self, name: &str, usage: &str) -> Result<&str, Failure> {
        self.get(name)
            .ok_or_else(|| Failure::Input(format!("Option --{name} fehlt.\n\n{usage}")))
    }

    /// A required year option.
    pub fn year(&self, name: &str, usage: &str) -> Result<i32, Failure> {
        let text = self.required(name, usage)?;
        text.parse()
            .map_err(|_| Failure::Input(format!("--{name}: „{text}“ ist keine Jahreszahl.")))
    }

    /// A comma-separated list option, empty when absent.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.get(name)
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The output format (`json` by default, or `csv`).
    pub fn format(&self) -> Result<crate::output::Format, Failure> {
        match self.get("format").unwrap_or("json") {
            "json" => Ok(crate::output::Format::Json),
            "csv" => Ok(crate::output::Format::Csv),
            other => Err(Failure::Input(format!(
                "Unbekanntes Format „{other}“ (json oder csv)."
            ))),
        }
    }

    /// The catalogue of `--catalogue FILE` (UTF-8 TOML), or the built-in SGB XII catalogue.
    pub fn catalogue(&self) -> Result<Catalogue, Failure> {
        let Some(path) = self.get("catalogue") else {
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
}
