//! Strings of the Zuordnung panel in the Daten view: which loaded measure feeds each measure of
//! the catalogue, and where the official tables come from.

/// The strings of the Zuordnung panel.
#[allow(missing_docs)]
pub struct BindingTexts {
    pub heading: &'static str,
    pub intro: &'static str,
    pub summary: &'static str,
    pub own: &'static str,
    pub bound_source: &'static str,
    pub bound_chosen: &'static str,
    pub rejected: &'static str,
    pub measure: &'static str,
    pub automatic: &'static str,
    pub statistic: &'static str,
    pub sum: &'static str,
    pub dimension: &'static str,
    pub official: &'static str,
    pub official_table: &'static str,
    pub download_hint: &'static str,
    pub save: &'static str,
    pub save_hint: &'static str,
}

/// German.
pub const DE: BindingTexts = BindingTexts {
    heading: "Zuordnung",
    intro: "Welche geladene Spalte jedes Merkmal des Katalogs füllt. Amtliche Tabellen werden über die Quellen des Katalogs zugeordnet; hier lässt sich das ändern, ohne eine Formel anzufassen.",
    summary: "Die {n} Merkmale des Katalogs und ihre Herkunft",
    own: "steht unter diesem Namen in den Daten",
    bound_source: "aus der Quelle des Katalogs: {binding}",
    bound_chosen: "Ihre Zuordnung: {binding}",
    rejected: "Ihre Zuordnung ({binding}) passt nicht zu den geladenen Daten; es gilt die Quelle des Katalogs.",
    measure: "Spalte für „{label}“",
    automatic: "automatisch (Quelle des Katalogs)",
    statistic: "Statistik {code}",
    sum: "Mehrere Spalten addieren",
    dimension: "{dimension} (angekreuzte Werte werden addiert)",
    official: "Amtliche Quelle",
    official_table: "Tabelle {table}: {name}",
    download_hint: "In der Regionaldatenbank Deutschland oder in GENESIS-Online die Tabelle aufrufen und als „CSV“ oder „Flat-File CSV“ herunterladen; beide Formate liest Vergleichsring.",
    save: "Katalog mit Zuordnung speichern (TOML)",
    save_hint: "Schreibt die Zuordnungen als Quellen ([[measure.source]]) in den Katalog, damit andere ihre Dateien ebenso zuordnen.",
};

/// English.
pub const EN: BindingTexts = BindingTexts {
    heading: "Mapping",
    intro: "Which loaded column fills each measure of the catalogue. Official tables are mapped through the catalogue's sources; change that here, without touching a formula.",
    summary: "The catalogue's {n} measures and where they come from",
    own: "is in the data under this name",
    bound_source: "from the catalogue's source: {binding}",
    bound_chosen: "your mapping: {binding}",
    rejected: "Your mapping ({binding}) does not fit the loaded data; the catalogue's source applies.",
    measure: "Column for “{label}”",
    automatic: "automatic (catalogue's source)",
    statistic: "statistic {code}",
    sum: "Add several columns",
    dimension: "{dimension} (ticked values are added)",
    official: "Official source",
    official_table: "Table {table}: {name}",
    download_hint: "Open the table in the Regionaldatenbank Deutschland or GENESIS-Online and download it as “CSV” or “Flat-File CSV”; Vergleichsring reads both.",
    save: "Save catalogue with mapping (TOML)",
    save_hint: "Writes the mappings into the catalogue as sources ([[measure.source]]), so others map their files the same way.",
};
