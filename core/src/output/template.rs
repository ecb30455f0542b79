//! The collection template (Erfassungsvorlage): from the ring's catalogue, an empty table with
//! one column per measure its KPIs and rules need, ready for a member to fill and load back with
//! no setting, and a sheet that explains each column (label, unit, the KPIs that use it).

use crate::catalogue::definition::Catalogue;
use crate::output::export::{Cell, Sheet};
use crate::read::column::measure_key;

/// A measure's column head: its label when the label reads back as its key (so the filled
/// template needs no setting), else the key itself.
fn head(key: &str, label: Option<&str>) -> String {
    match label {
        Some(label) if measure_key(label) == key => label.to_string(),
        _ => key.to_string(),
    }
}

/// The template's two sheets: „Erfassung“ (Kommune, Jahr, one column per measure, no rows)
/// and „Erläuterungen“ (one row per measure column). The first as CSV
/// ([`Sheet::to_csv`]) is the CSV template.
pub fn collection_template(catalogue: &Catalogue) -> [Sheet; 2] {
    let keys: Vec<&str> = catalogue
        .measure_keys()
        .into_iter()
        .filter(|k| catalogue.kpi(k).is_none())
        .collect();
    let mut header = vec!["Kommune".to_string(), "Jahr".to_string()];
    let mut rows = Vec::with_capacity(keys.len());
    for key in &keys {
        let measure = catalogue.measure(key);
        let label = measure.map(|m| m.label.as_str());
        let column = head(key, label);
        let used_by: Vec<&str> = catalogue
            .kpis()
            .iter()
            .enumerate()
            .filter(|(i, _)| catalogue.kpi_measures(*i).iter().any(|k| k == key))
            .map(|(_, kpi)| kpi.label.as_str())
            .collect();
        rows.push(vec![
            Cell::Text(column.clone()),
            Cell::Text(key.to_string()),
            Cell::Text(label.unwrap_or(key).to_string()),
            Cell::Text(measure.and_then(|m| m.unit.clone()).unwrap_or_default()),
            Cell::Text(used_by.join("; ")),
        ]);
        header.push(column);
    }
    let entry = Sheet {
        name: "Erfassung".to_string(),
        title: Vec::new(),
        header,
        rows: Vec::new(),
        notes: Vec::new(),
    };
    let notes = Sheet {
        name: "Erläuterungen".to_string(),
        title: vec![format!(
            "Erfassungsvorlage „{}“: eine Zeile je Kommune und Jahr, Zahlen wie 1.234,5; leer lassen, was fehlt, oder ein Zeichen der amtlichen Statistik (. unbekannt, - nichts).",
            catalogue.name()
        )],
        header: ["Spalte", "Schlüssel", "Bezeichnung", "Einheit", "Verwendet in"]
            .map(String::from)
            .to_vec(),
        rows,
        notes: vec![
            "Als CSV (Trennzeichen Semikolon) speichern und in Vergleichsring laden: die Spalten werden ohne Einstellung erkannt.".to_string(),
        ],
    };
    [entry, notes]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::upload::load;

    #[test]
    fn the_filled_template_loads_back_to_its_values_with_every_key_of_the_catalogue() {
        let catalogue = Catalogue::builtin();
        let [entry, notes] = collection_template(&catalogue);
        let keys: Vec<&str> = catalogue
            .measure_keys()
            .into_iter()
            .filter(|k| catalogue.kpi(k).is_none())
            .collect();
        assert_eq!(entry.header.len(), keys.len() + 2);
        assert_eq!(notes.rows.len(), keys.len());
        let mut csv = entry.to_csv();
        // Filled as a user does in German Excel: value j·1000 + i + 0,5 in row i, column j.
        for (i, name) in ["Altenmarkt", "Bad Ülzen"].iter().enumerate() {
            let cells: Vec<String> = (0..keys.len())
                .map(|j| format!("{},5", j * 1000 + i))
                .collect();
            csv.push_str(&format!("{name};2024;{}\r\n", cells.join(";")));
        }
        let dataset = load("vorlage.csv", csv.as_bytes()).expect("loads").dataset;
        for (i, name) in ["Altenmarkt", "Bad Ülzen"].iter().enumerate() {
            let m = dataset.municipality_index(name).expect("member");
            for (j, key) in keys.iter().enumerate() {
                let measure = dataset
                    .measure_index(key)
                    .unwrap_or_else(|| panic!("{key}"));
                let value = dataset.value(m, 2024, measure).number();
                assert_eq!(value, Some((j * 1000 + i) as f64 + 0.5), "{key}");
            }
        }
    }
}
