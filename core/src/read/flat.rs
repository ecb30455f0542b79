//! GENESIS flat-file CSV (ffcsv), the other download format of GENESIS-Online and the
//! Regionaldatenbank and what their web service returns (CONTRACT §1). Its columns are named, so
//! the layout comes from the names: the variable whose code is a regional level gives the region,
//! every other variable a dimension, `time`/`Zeit` the year, and the value columns the measures.

use crate::read::column::{measure_key, measure_kind, LayoutColumn, Role};
use crate::read::number::NumberFormat;
use crate::read::table::{FlatLayout, Table};
use crate::value::Flag;

/// Whether a GENESIS variable code is a regional level: Germany, Länder, Regierungsbezirke,
/// counties, municipalities, municipal associations, and the census's `GEO…` codes.
fn is_region(code: &str) -> bool {
    const LEVELS: [&str; 7] = [
        "DINSG", "DLAND", "DLANDU", "REGBEZ", "KREISE", "GEMEIN", "GEMVB",
    ];
    let b = code.as_bytes();
    LEVELS.contains(&code)
        || (b.len() == 6
            && code.starts_with("GEO")
            && b[3..5].iter().all(u8::is_ascii_uppercase)
            && b[5].is_ascii_digit())
}

/// The columns of a flat file with their roles. `formats` are the notations the cells showed.
pub(crate) fn flat_columns(
    table: &Table,
    layout: FlatLayout,
    formats: &[NumberFormat],
) -> Vec<LayoutColumn> {
    let names: Vec<&str> = table
        .header()
        .flat_map(|r| r.fields())
        .map(str::trim)
        .collect();
    let first = table.rows().next();
    let cell = |name: String| -> &str {
        let j = names.iter().position(|n| *n == name);
        j.zip(first).map_or("", |(j, r)| r.get(j).trim())
    };
    let (variable, code_of, label_of) = match layout {
        FlatLayout::English => ("variable_code", "variable_attribute_code", "variable_label"),
        FlatLayout::German => ("Merkmal_Code", "Auspraegung_Code", "Merkmal_Label"),
    };
    let attribute_label = match layout {
        FlatLayout::English => "variable_attribute_label",
        FlatLayout::German => "Auspraegung_Label",
    };
    let mut region = None;
    let mut columns: Vec<LayoutColumn> = names
        .iter()
        .enumerate()
        .map(|(j, &name)| {
            let column = |role: Role, label: &str| LayoutColumn {
                name: label.to_string(),
                role,
                format: formats.get(j).copied().unwrap_or(NumberFormat::Plain),
                key: measure_key(label),
                unit: None,
                kind: measure_kind(label, None),
                year: None,
                date: None,
            };
            // `N_variable_attribute_code` and `N_variable_attribute_label` of variable N.
            let numbered = name
                .split_once('_')
                .filter(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            match (layout, name, numbered) {
                (_, _, Some((n, part))) if part == code_of || part == attribute_label => {
                    let code = cell(format!("{n}_{variable}"));
                    if code.is_empty() {
                        return column(Role::Ignore, name);
                    }
                    let label = match cell(format!("{n}_{label_of}")) {
                        "" => code,
                        label => label,
                    };
                    let regional = is_region(code) && region.is_none_or(|r| r == n);
                    match (regional, part == code_of) {
                        (true, true) => {
                            region = Some(n);
                            column(Role::Code, label)
                        }
                        (true, false) => {
                            region = Some(n);
                            column(Role::Municipality, label)
                        }
                        (false, true) => column(Role::Ignore, name),
                        (false, false) => column(Role::Dimension, label),
                    }
                }
                (FlatLayout::English, "time", _) | (FlatLayout::German, "Zeit", _) => {
                    column(Role::Year, name)
                }
                (FlatLayout::English, "value", _) => column(Role::Value, name),
                (FlatLayout::English, "value_unit", _) => column(Role::Unit, name),
                (FlatLayout::English, "value_variable_label", _) => column(Role::MeasureName, name),
                (FlatLayout::English, "value_q", _) => LayoutColumn {
                    key: "value".into(),
                    ..column(Role::Quality, name)
                },
                (FlatLayout::German, _, _) => match name.split("__").collect::<Vec<_>>()[..] {
                    [_, label, "q"] => LayoutColumn {
                        key: measure_key(label),
                        ..column(Role::Quality, name)
                    },
                    [_, label, unit] => LayoutColumn {
                        unit: (!unit.trim().is_empty()).then(|| unit.trim().to_string()),
                        kind: measure_kind(label, Some(unit)),
                        ..column(Role::Measure, label)
                    },
                    _ => column(Role::Ignore, name),
                },
                _ => column(Role::Ignore, name),
            }
        })
        .collect();
    // A municipality's name without its code column (or the reverse) stays unread.
    if region.is_some() && !columns.iter().any(|c| c.role == Role::Municipality) {
        for c in columns.iter_mut().filter(|c| c.role == Role::Code) {
            c.role = Role::Municipality;
        }
    }
    columns
}

/// The first four digits of a flat file's time (`2024-12-31`, `2024`, `31.12.2022`,
/// `2023-10P6M`): the year, if plausible.
pub(crate) fn time_year(text: &str) -> Option<i32> {
    let t = text.trim();
    let start = t.find(|c: char| c.is_ascii_digit())?;
    let digits = &t[start..];
    let run = digits.bytes().take_while(u8::is_ascii_digit).count();
    let year = match run {
        4 => digits[..4].parse::<i32>().ok()?,
        // `31.12.2022`: the year is the last run.
        2 => return crate::read::number::parse_year(t),
        _ => return None,
    };
    (1900..=2100).contains(&year).then_some(year)
}

/// The flag a GENESIS quality mark gives a value (`p`/`v` provisional, `r` corrected, `s`
/// estimated; `e`, final, gives none).
pub(crate) fn quality_flag(mark: &str) -> Option<Flag> {
    match mark.trim() {
        "p" | "v" => Some(Flag::Provisional),
        "r" => Some(Flag::Corrected),
        "s" => Some(Flag::Estimated),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::table::{read_table, ReadOptions};

    fn roles(text: &str) -> Vec<(Role, String)> {
        let t = read_table("f.csv", text.as_bytes(), &ReadOptions::default()).unwrap();
        let layout = t.flat_layout().unwrap();
        flat_columns(&t, layout, &vec![NumberFormat::Plain; t.width()])
            .into_iter()
            .map(|c| (c.role, c.name))
            .collect()
    }

    #[test]
    fn english_roles() {
        let text = "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;2_variable_code;2_variable_label;2_variable_attribute_code;2_variable_attribute_label;value;value_unit;value_variable_code;value_variable_label;value_q\n12411;Bev;STAG;Stichtag;2024-12-31;KREISE;Kreise;08222;Mannheim;GES;Geschlecht;GESW;weiblich;158789;Anzahl;BEVSTD;Bevölkerungsstand;e\n";
        let got: Vec<Role> = roles(text).into_iter().map(|(r, _)| r).collect();
        use Role::*;
        assert_eq!(
            got,
            [
                Ignore,
                Ignore,
                Ignore,
                Ignore,
                Year,
                Ignore,
                Ignore,
                Code,
                Municipality,
                Ignore,
                Ignore,
                Ignore,
                Dimension,
                Value,
                Unit,
                Ignore,
                MeasureName,
                Quality
            ]
        );
        assert_eq!(roles(text)[12].1, "Geschlecht");
    }

    #[test]
    fn german_roles() {
        let text = "Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;1_Auspraegung_Code;1_Auspraegung_Label;     FLC006__Gebietsflaeche__qkm;FLC006__Gebietsflaeche__q\n11111;Feststellung;STAG;Stichtag;31.12.2022;DLAND;Bundesländer;08;Baden-Württemberg;35747,85;e\n";
        let got = roles(text);
        assert_eq!(got[4].0, Role::Year);
        assert_eq!(got[7].0, Role::Code);
        assert_eq!(got[8].0, Role::Municipality);
        assert_eq!(got[9], (Role::Measure, "Gebietsflaeche".to_string()));
        assert_eq!(got[10].0, Role::Quality);
    }

    #[test]
    fn regional_levels() {
        for (code, want) in [
            ("KREISE", true),
            ("GEMEIN", true),
            ("GEOLK3", true),
            ("GES", false),
            ("GEOXX", false),
            ("ALTX20", false),
        ] {
            assert_eq!(is_region(code), want, "{code}");
        }
    }

    #[test]
    fn years_of_time() {
        for (time, want) in [
            ("2024-12-31", Some(2024)),
            ("2024", Some(2024)),
            ("31.12.2022", Some(2022)),
            ("2023-10P6M", Some(2023)),
            ("20x4", None),
            ("1850", None),
        ] {
            assert_eq!(time_year(time), want, "{time}");
        }
    }
}
