//! Every string the user reads, German first and English as the switch, in one place.
//!
//! `Texts` is one struct with a field per string, so a language that forgets a string does not
//! compile. Views read `state.t()` (the current language's texts) inside a reactive closure.
//! Templates carry `{name}` placeholders filled with [`fill`]. The reasons of missing values and
//! the findings' messages are worded here; the core's own messages (reader, catalogue and
//! session errors, hints of a load report) come in both languages from the core
//! (`vergleichsring_core::Message`), and [`Said`] holds either kind until it is shown.

use serde::{Deserialize, Serialize};
use vergleichsring_core::{Error, Message};

mod analysis;
mod bindings;
mod brief;
mod check;
mod compare;
mod dashboard;
mod exchange;
pub mod kpis;
mod map;
mod peers;
mod reasons;
mod targets;
mod workshop;

pub use analysis::AnalysisTexts;
pub use bindings::BindingTexts;
pub use brief::BriefTexts;
pub use check::CheckTexts;
pub use compare::{ChartTexts, CompareTexts};
pub use dashboard::DashboardTexts;
pub use exchange::ExchangeTexts;
pub use map::MapTexts;
pub use peers::PeersTexts;
pub use reasons::ReasonTexts;
pub use targets::TargetsTexts;
pub use workshop::WorkshopTexts;

/// The interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    /// German, the default.
    #[default]
    De,
    /// English.
    En,
}

impl Lang {
    /// The texts of this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::De => &DE,
            Lang::En => &EN,
        }
    }

    /// The same language for the core's messages.
    pub fn core(self) -> vergleichsring_core::Lang {
        match self {
            Lang::De => vergleichsring_core::Lang::De,
            Lang::En => vergleichsring_core::Lang::En,
        }
    }

    /// The value of the page's `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }
}

/// A message kept until it is shown, so it follows a switch of the language: the core's, or the
/// app's own filled in both languages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Said {
    /// A message of the core.
    Core(Message),
    /// A template of these texts, filled.
    App {
        /// In German.
        de: String,
        /// In English.
        en: String,
    },
}

impl Said {
    /// A template of the texts, picked the same way from both languages, filled with `values`.
    pub fn app(pick: fn(&Texts) -> &'static str, values: &[(&str, &str)]) -> Said {
        Said::App {
            de: fill(pick(&DE), values),
            en: fill(pick(&EN), values),
        }
    }

    /// The words in a language.
    pub fn in_lang(&self, lang: Lang) -> String {
        match (self, lang) {
            (Said::Core(m), lang) => m.render(lang.core()),
            (Said::App { de, .. }, Lang::De) => de.clone(),
            (Said::App { en, .. }, Lang::En) => en.clone(),
        }
    }
}

impl From<Error> for Said {
    fn from(e: Error) -> Said {
        Said::Core(e.message())
    }
}

/// Replaces each `{name}` in a template by its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// The strings of one language. Field names say where a string is used.
#[allow(missing_docs)]
pub struct Texts {
    pub workshop: &'static WorkshopTexts,
    pub brief: &'static BriefTexts,
    pub exchange: &'static ExchangeTexts,
    pub analysis: &'static AnalysisTexts,
    pub peers: &'static PeersTexts,
    pub reasons: &'static ReasonTexts,
    pub bindings: &'static BindingTexts,
    // Header
    pub app_name: &'static str,
    pub demo_label: &'static str,
    pub header_files: &'static str,
    pub header_no_files: &'static str,
    pub header_report_link: &'static str,
    pub own_municipality: &'static str,
    pub year: &'static str,
    pub choose: &'static str,
    pub language: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,

    // Navigation, in the order of the views
    pub nav_data: &'static str,
    pub nav_kpis: &'static str,
    pub nav_compare: &'static str,
    pub nav_dashboard: &'static str,
    pub nav_check: &'static str,
    pub nav_targets: &'static str,
    pub nav_workshop: &'static str,

    // What a view without data says
    pub empty_no_data: &'static str,
    pub empty_kpis: &'static str,
    pub empty_compare: &'static str,
    pub empty_dashboard: &'static str,
    pub empty_check: &'static str,
    pub empty_targets: &'static str,
    pub empty_workshop: &'static str,
    pub go_to_data: &'static str,

    // Daten: loading
    pub data_intro: &'static str,
    pub drop_zone: &'static str,
    pub drop_zone_hint: &'static str,
    pub file_input_label: &'static str,
    pub cancel: &'static str,
    pub load_demo: &'static str,
    pub clear_data: &'static str,
    pub status_idle: &'static str,
    pub status_loading: &'static str,
    pub status_reading: &'static str,
    pub status_parsing: &'static str,
    pub status_done: &'static str,
    pub status_done_cases: &'static str,
    pub case_groups_line: &'static str,
    pub status_done_file: &'static str,
    pub status_error: &'static str,
    pub status_cancelled: &'static str,
    pub status_kept: &'static str,
    pub status_needs_columns: &'static str,
    pub demo_loaded: &'static str,
    pub too_large: &'static str,
    pub browser_cannot_read: &'static str,
    pub worker_failed: &'static str,
    /// The work kept in the browser came back; `{date}` when it was kept.
    pub work_restored: &'static str,
    pub work_restore_failed: &'static str,
    pub work_delete: &'static str,
    pub work_deleted: &'static str,
    pub work_no_storage: &'static str,
    pub work_storage_full: &'static str,
    pub work_keep_data: &'static str,

    // Daten: load report
    pub report_heading: &'static str,
    pub progress_label: &'static str,
    pub report_rows: &'static str,
    pub report_columns: &'static str,
    pub report_encoding: &'static str,
    pub report_separator: &'static str,
    pub report_header_line: &'static str,
    pub header_line_at: &'static str,
    pub header_line_block: &'static str,
    pub report_shape: &'static str,
    pub report_recognised: &'static str,
    pub recognised_genesis: &'static str,
    pub recognised_flat_english: &'static str,
    pub recognised_flat_german: &'static str,
    pub recognised_year_column: &'static str,
    pub recognised_year_header: &'static str,
    pub recognised_year_title: &'static str,
    pub recognised_units: &'static str,
    pub report_municipalities: &'static str,
    pub report_years: &'static str,
    pub report_measures: &'static str,
    pub report_duplicates: &'static str,
    pub report_skipped: &'static str,
    pub report_no_skipped: &'static str,
    pub report_problems: &'static str,
    pub report_no_problems: &'static str,
    pub report_line: &'static str,
    pub report_skipped_more: &'static str,
    pub report_column: &'static str,
    pub empty_line: &'static str,
    pub separator_semicolon: &'static str,
    pub separator_comma: &'static str,
    pub separator_tab: &'static str,
    pub separator_pipe: &'static str,
    pub separator_other: &'static str,
    pub shape_wide: &'static str,
    pub shape_long: &'static str,
    pub shape_cases: &'static str,

    // Daten: several files
    pub conflicts_heading: &'static str,
    pub conflicts_intro: &'static str,
    pub conflict_line: &'static str,
    pub conflict_choice: &'static str,
    pub conflict_file: &'static str,
    pub loaded_files_heading: &'static str,
    pub dataset_line: &'static str,
    pub file_line: &'static str,
    pub show: &'static str,
    pub show_file: &'static str,
    pub remove: &'static str,
    pub remove_file: &'static str,
    pub report_of: &'static str,

    // Daten: preview and columns
    pub preview_heading: &'static str,
    pub preview_caption: &'static str,
    pub columns_heading: &'static str,
    pub columns_intro: &'static str,
    pub columns_table: &'static str,
    pub read_settings: &'static str,
    pub read_detected: &'static str,
    pub read_header_line: &'static str,
    pub file_year_label: &'static str,
    pub file_year_note: &'static str,
    pub column_number: &'static str,
    pub column_header: &'static str,
    pub column_role: &'static str,
    pub column_format: &'static str,
    pub column_kind: &'static str,
    pub column_key: &'static str,
    pub column_unit: &'static str,
    pub role_municipality: &'static str,
    pub role_code: &'static str,
    pub role_year: &'static str,
    pub role_measure: &'static str,
    pub role_measure_name: &'static str,
    pub role_value: &'static str,
    pub role_unit: &'static str,
    pub role_dimension: &'static str,
    pub role_ignore: &'static str,
    pub role_quality: &'static str,
    pub format_german: &'static str,
    pub format_plain: &'static str,
    pub kind_amount: &'static str,
    pub kind_rate: &'static str,

    // Daten: case-level files
    pub case_heading: &'static str,
    pub case_intro: &'static str,
    pub case_by: &'static str,
    pub case_sum: &'static str,
    pub case_choose_hint: &'static str,
    pub case_run: &'static str,
    pub case_progress: &'static str,
    pub case_result: &'static str,
    pub case_cases: &'static str,
    pub case_more: &'static str,

    /// The Kennzahlen view.
    pub kpis: &'static kpis::KpiTexts,
    // Views with their own string files
    pub check: &'static CheckTexts,
    pub targets: &'static TargetsTexts,
    pub compare: &'static CompareTexts,
    pub dashboard: &'static DashboardTexts,
    /// The Karte view.
    pub map: &'static MapTexts,
}

/// German texts (the default).
pub const DE: Texts = Texts {
    workshop: &workshop::DE,
    map: &map::DE,
    brief: &brief::DE,
    exchange: &exchange::DE,
    analysis: &analysis::DE,
    peers: &peers::DE,
    reasons: &reasons::DE,
    bindings: &bindings::DE,
    app_name: "Vergleichsring",
    demo_label: "Demo – fiktive Kommunen",
    header_files: "Geladene Dateien",
    header_no_files: "keine Dateien geladen",
    header_report_link: "Ladebericht",
    own_municipality: "Eigene Kommune",
    year: "Jahr",
    choose: "– bitte wählen –",
    language: "Sprache",
    skip_to_content: "Zum Inhalt springen",
    nav_label: "Bereiche",

    nav_data: "Daten",
    nav_kpis: "Kennzahlen",
    nav_compare: "Vergleich",
    nav_dashboard: "Dashboard",
    nav_check: "Prüfung",
    nav_targets: "Ziele",
    nav_workshop: "Workshop",

    empty_no_data: "Noch keine Daten geladen. Laden Sie Daten im Bereich Daten.",
    empty_kpis: "Hier stehen die Kennzahlen jeder Kommune und jedes Jahres. Laden Sie Daten im Bereich Daten.",
    empty_compare: "Hier vergleichen Sie die eigene Kommune mit ihrer Vergleichsgruppe. Wählen Sie oben die eigene Kommune und das Jahr.",
    empty_dashboard: "Hier sehen Sie die Kernkennzahlen der eigenen Kommune auf einen Blick. Wählen Sie oben die eigene Kommune und das Jahr.",
    empty_check: "Hier prüfen Sie die Daten vor der Abgabe auf Fehler und Auffälligkeiten. Laden Sie Daten im Bereich Daten.",
    empty_targets: "Hier legen Sie Ziele für Kennzahlen der eigenen Kommune fest und verfolgen den Fortschritt. Wählen Sie oben die eigene Kommune.",
    empty_workshop: "Hier präsentieren Sie die Ergebnisse im Workshop, groß und gut lesbar. Laden Sie Daten im Bereich Daten.",
    go_to_data: "Zum Bereich Daten",

    data_intro: "CSV-Dateien aus dem eigenen Fachverfahren, vom Vergleichsring oder aus der Regionalstatistik (GENESIS). Die Dateien bleiben auf diesem Rechner: nichts wird hochgeladen.",
    drop_zone: "CSV-Dateien hierher ziehen",
    drop_zone_hint: "oder",
    file_input_label: "Dateien auswählen",
    cancel: "Abbrechen",
    load_demo: "Demo-Ring laden",
    clear_data: "Alle Daten entfernen",
    status_idle: "Noch keine Datei gelesen.",
    status_loading: "Lese {files} …",
    status_reading: "Lese {file}: {done} von {total}",
    status_parsing: "Werte {file} aus …",
    status_done: "Gelesen: {files}.",
    status_done_cases: "{file} mit {rows} Fällen, zusammengefasst zu {groups} Gruppen",
    case_groups_line: "Fallebene: {rows} Fälle in {groups} Gruppen",
    status_done_file: "{file} mit {rows} Datenzeilen und {columns} Spalten, {encoding}, Trennzeichen {separator}",
    status_error: "Nicht gelesen.",
    status_cancelled: "Abgebrochen. Die bisherigen Daten sind unverändert.",
    status_kept: "Die bisherigen Daten sind unverändert.",
    status_needs_columns: "Gelesen, aber noch nicht ausgewertet: Ordnen Sie unten unter „Spalten und Rollen“ die Spalten zu.",
    demo_loaded: "Der Demo-Ring mit fiktiven Kommunen ist geladen. Laden Sie eigene Dateien, um ihn zu ersetzen.",
    browser_cannot_read: "Datei {file}: Der Browser konnte die Datei nicht lesen ({detail}).",
    too_large: "Datei {file}: Die Datei ist {size} groß. Tabellen liest Vergleichsring bis {limit}; teilen Sie die Datei oder laden Sie nur die benötigten Spalten.",
    worker_failed: "Das Lesen ist abgebrochen: Der Leseprozess im Browser ist ausgefallen ({detail}), meist weil der Speicher nicht reichte. Die bisherigen Daten sind unverändert; das nächste Laden startet ihn neu.",
    work_restored: "Arbeitsstand vom {date} wiederhergestellt (aus dem Speicher dieses Browsers; er verlässt den Rechner nicht).",
    work_restore_failed: "Der im Browser gesicherte Arbeitsstand ließ sich nicht wiederherstellen: {detail}",
    work_delete: "Gesicherten Arbeitsstand löschen",
    work_deleted: "Der im Browser gesicherte Arbeitsstand ist gelöscht.",
    work_no_storage: "Dieser Browser gibt der Seite keinen Speicher: Ihre Arbeit bleibt nur erhalten, solange die Seite offen ist. Sichern Sie sie als Sitzungsdatei (Menü „Sitzung“).",
    work_storage_full: "Der Speicher des Browsers reicht für die Daten nicht; gesichert ist Ihre Arbeit ohne die Daten.",
    work_keep_data: "Geladene Daten auch im Browser sichern",

    report_heading: "Ladebericht",
    progress_label: "Fortschritt beim Lesen",
    report_rows: "Datenzeilen",
    report_columns: "Spalten",
    report_encoding: "Zeichenkodierung",
    report_separator: "Trennzeichen",
    report_header_line: "Kopfzeile",
    header_line_at: "Zeile {line}",
    header_line_block: "Zeile {line} ({lines} Zeilen, zusammengefasst)",
    report_shape: "Form",
    report_recognised: "Erkannt",
    recognised_genesis: "GENESIS-Tabelle {code}",
    recognised_flat_english: "GENESIS-Flatfile-CSV {code} (englische Spaltennamen)",
    recognised_flat_german: "GENESIS-Flatfile-CSV {code} (deutsche Spaltennamen)",
    recognised_year_column: ", Jahr in Spalte {column}",
    recognised_year_header: ", Jahre aus dem Tabellenkopf",
    recognised_year_title: ", Jahr {year} aus der Titelzeile",
    recognised_units: ", Einheiten aus Zeile {line}",
    report_municipalities: "Kommunen",
    report_years: "Jahre",
    report_measures: "Merkmale",
    report_duplicates: "Doppelte Kommune-Jahr-Paare (die erste Zeile zählt)",
    report_skipped: "Übersprungene Zeilen",
    report_no_skipped: "keine",
    report_problems: "Hinweise",
    report_no_problems: "keine",
    report_line: "Zeile",
    report_skipped_more: "… und {count} weitere übersprungene Zeilen zwischen den ersten und den letzten (nicht einzeln genannt).",
    report_column: "Spalte",
    empty_line: "(leer)",
    separator_semicolon: "Semikolon",
    separator_comma: "Komma",
    separator_tab: "Tabulator",
    separator_pipe: "senkrechter Strich",
    separator_other: "Zeichen",
    shape_wide: "breit (eine Zeile je Kommune und Jahr, eine Spalte je Merkmal)",
    shape_long: "lang (Kommune, Jahr, Merkmal, Wert)",
    shape_cases: "Falldaten (eine Zeile je Fall, erst zusammenfassen)",

    conflicts_heading: "Merkmale aus mehreren Dateien",
    conflicts_intro: "Diese Merkmale bringen mehrere Dateien mit. Wählen Sie, welche Datei gilt, wo beide einen Wert haben.",
    conflict_line: "{key}: {overlapping} gemeinsame Werte, davon {differing} abweichend. Es gilt:",
    conflict_choice: "Geltende Datei für {key}",
    conflict_file: "Datei {n}: {file}",
    loaded_files_heading: "Geladene Dateien",
    dataset_line: "Zusammen: {municipalities} Kommunen, Jahre {years}, {measures} Merkmale.",
    file_line: "{rows} Datenzeilen, {columns} Spalten, {encoding}",
    show: "Anzeigen",
    show_file: "Vorschau und Spalten von {file} anzeigen",
    remove: "Entfernen",
    remove_file: "{file} entfernen",
    report_of: "Ladebericht von {file}",

    preview_heading: "Vorschau: {file}",
    preview_caption: "Die ersten {shown} von {total} Datenzeilen von {file}, wie sie in der Datei stehen",
    columns_heading: "Spalten und Rollen: {file}",
    columns_intro: "So wurden die Spalten erkannt. Ändern Sie Rolle, Zahlenschreibweise oder Art, wird sofort neu ausgewertet.",
    columns_table: "Spalten mit erkannter Rolle",
    read_settings: "Einlesen (erkannt; eine Änderung liest die Datei sofort neu)",
    read_detected: "automatisch: {value}",
    read_header_line: "Kopfzeile in Zeile",
    file_year_label: "Jahr für alle Zeilen (nur ohne Jahresspalte)",
    file_year_note: " (jede Zeile gilt für {year}: die Datei hat keine Jahresspalte)",
    column_number: "Nr.",
    column_header: "Spaltenkopf",
    column_role: "Rolle",
    column_format: "Zahlenschreibweise",
    column_kind: "Art",
    column_key: "Schlüssel",
    column_unit: "Einheit",
    role_municipality: "Kommune",
    role_code: "Regionalschlüssel",
    role_year: "Jahr / Stichtag",
    role_measure: "Merkmal (Werte)",
    role_measure_name: "Merkmalsname (lange Form)",
    role_value: "Wert (lange Form)",
    role_unit: "Einheit",
    role_dimension: "Gliederung",
    role_ignore: "nicht verwenden",
    role_quality: "Qualitätskennzeichen",
    format_german: "1.234,56 (deutsch)",
    format_plain: "1234.56 (Punkt)",
    kind_amount: "Anzahl oder Betrag",
    kind_rate: "Quote oder Anteil",

    case_heading: "Einzelfalldaten zusammenfassen",
    case_intro: "{file} ({size}) enthält eine Zeile je Fall. Wählen Sie, wonach gruppiert und was summiert wird; die Fälle werden gezählt.",
    case_by: "Gruppieren nach",
    case_sum: "Summieren",
    case_choose_hint: "Mehrfachauswahl mit Strg oder Umschalt. Kommune und Jahr braucht der Vergleich; weitere Spalten werden zu Filtern.",
    case_run: "Zusammenfassen",
    case_progress: "{rows} Fälle gelesen · {mbs} MB/s · noch etwa {left} s",
    case_result: "{groups} Gruppen aus {rows} Fällen",
    case_cases: "Fälle",
    case_more: "… und {more} weitere Gruppen (alle sind in den Daten).",

    kpis: &kpis::DE,
    check: &check::DE,
    targets: &targets::DE,
    compare: &compare::DE,
    dashboard: &dashboard::DE,
};

/// English texts.
pub const EN: Texts = Texts {
    workshop: &workshop::EN,
    map: &map::EN,
    brief: &brief::EN,
    exchange: &exchange::EN,
    analysis: &analysis::EN,
    peers: &peers::EN,
    reasons: &reasons::EN,
    bindings: &bindings::EN,
    app_name: "Vergleichsring",
    demo_label: "Demo – fictional municipalities",
    header_files: "Loaded files",
    header_no_files: "no files loaded",
    header_report_link: "Load report",
    own_municipality: "Own municipality",
    year: "Year",
    choose: "– please choose –",
    language: "Language",
    skip_to_content: "Skip to content",
    nav_label: "Sections",

    nav_data: "Data",
    nav_kpis: "Indicators",
    nav_compare: "Comparison",
    nav_dashboard: "Dashboard",
    nav_check: "Check",
    nav_targets: "Targets",
    nav_workshop: "Workshop",

    empty_no_data: "No data loaded yet. Load data in the Data section.",
    empty_kpis: "This shows every municipality's indicators for every year. Load data in the Data section.",
    empty_compare: "This compares your own municipality with its peer group. Choose your municipality and the year above.",
    empty_dashboard: "This shows your municipality's core indicators at a glance. Choose your municipality and the year above.",
    empty_check: "This checks the data for errors and anomalies before submission. Load data in the Data section.",
    empty_targets: "This sets targets for your municipality's indicators and tracks progress. Choose your municipality above.",
    empty_workshop: "This presents the results in a workshop, large and easy to read. Load data in the Data section.",
    go_to_data: "Go to the Data section",

    data_intro: "CSV files from your own case management system, from the benchmarking ring or from the regional statistics (GENESIS). The files stay on this computer: nothing is uploaded.",
    drop_zone: "Drop CSV files here",
    drop_zone_hint: "or",
    file_input_label: "Choose files",
    cancel: "Cancel",
    load_demo: "Load the demo ring",
    clear_data: "Remove all data",
    status_idle: "No file read yet.",
    status_loading: "Reading {files} …",
    status_reading: "Reading {file}: {done} of {total}",
    status_parsing: "Analysing {file} …",
    status_done: "Read: {files}.",
    status_done_cases: "{file} with {rows} cases, summed up into {groups} groups",
    case_groups_line: "case level: {rows} cases in {groups} groups",
    status_done_file: "{file} with {rows} data rows and {columns} columns, {encoding}, separator {separator}",
    status_error: "Not read.",
    status_cancelled: "Cancelled. The previous data are unchanged.",
    status_kept: "The previous data are unchanged.",
    status_needs_columns: "Read, but not analysed yet: assign the columns below under “Columns and roles”.",
    demo_loaded: "The demo ring with fictional municipalities is loaded. Load your own files to replace it.",
    browser_cannot_read: "File {file}: the browser could not read the file ({detail}).",
    too_large: "File {file}: the file is {size}. Vergleichsring reads tables up to {limit}; split the file or keep only the columns you need.",
    worker_failed: "Reading stopped: the browser's reading process failed ({detail}), usually for lack of memory. The previous data are unchanged; the next load starts it afresh.",
    work_restored: "Work from {date} restored (from this browser's storage; it never leaves the computer).",
    work_restore_failed: "The work kept in this browser could not be restored: {detail}",
    work_delete: "Delete the kept work",
    work_deleted: "The work kept in this browser is deleted.",
    work_no_storage: "This browser gives the page no storage: your work lasts only while the page is open. Save it as a session file (menu “Session”).",
    work_storage_full: "The browser's storage is too small for the data; your work is kept without them.",
    work_keep_data: "Also keep the loaded data in this browser",

    report_heading: "Load report",
    progress_label: "Reading progress",
    report_rows: "Data rows",
    report_columns: "Columns",
    report_encoding: "Encoding",
    report_separator: "Separator",
    report_header_line: "Header",
    header_line_at: "line {line}",
    header_line_block: "line {line} ({lines} lines, joined)",
    report_shape: "Shape",
    report_recognised: "Recognised",
    recognised_genesis: "GENESIS table {code}",
    recognised_flat_english: "GENESIS flat-file CSV {code} (English column names)",
    recognised_flat_german: "GENESIS flat-file CSV {code} (German column names)",
    recognised_year_column: ", year in column {column}",
    recognised_year_header: ", years from the table header",
    recognised_year_title: ", year {year} from the title line",
    recognised_units: ", units from line {line}",
    report_municipalities: "Municipalities",
    report_years: "Years",
    report_measures: "Measures",
    report_duplicates: "Repeated municipality–year pairs (the first row counts)",
    report_skipped: "Skipped lines",
    report_no_skipped: "none",
    report_problems: "Notes",
    report_no_problems: "none",
    report_line: "Line",
    report_skipped_more: "… and {count} more skipped lines between the first and the last ones (not named one by one).",
    report_column: "Column",
    empty_line: "(empty)",
    separator_semicolon: "semicolon",
    separator_comma: "comma",
    separator_tab: "tab",
    separator_pipe: "vertical bar",
    separator_other: "character",
    shape_wide: "wide (a row per municipality and year, a column per measure)",
    shape_long: "long (municipality, year, measure, value)",
    shape_cases: "case level (a row per case, to be aggregated first)",

    conflicts_heading: "Measures from several files",
    conflicts_intro: "Several files bring these measures. Choose which file counts where both have a value.",
    conflict_line: "{key}: {overlapping} shared values, {differing} of them different. Counts:",
    conflict_choice: "File that counts for {key}",
    conflict_file: "file {n}: {file}",
    loaded_files_heading: "Loaded files",
    dataset_line: "Together: {municipalities} municipalities, years {years}, {measures} measures.",
    file_line: "{rows} data rows, {columns} columns, {encoding}",
    show: "Show",
    show_file: "Show preview and columns of {file}",
    remove: "Remove",
    remove_file: "Remove {file}",
    report_of: "Load report of {file}",

    preview_heading: "Preview: {file}",
    preview_caption: "The first {shown} of {total} data rows of {file}, as written in the file",
    columns_heading: "Columns and roles: {file}",
    columns_intro: "How the columns were recognised. Change a role, number notation or kind and the data are analysed again at once.",
    columns_table: "Columns with their recognised role",
    read_settings: "Reading (detected; a change reads the file again at once)",
    read_detected: "automatic: {value}",
    read_header_line: "Header in line",
    file_year_label: "Year of every row (only without a year column)",
    file_year_note: " (every row counts for {year}: the file has no year column)",
    column_number: "No.",
    column_header: "Column header",
    column_role: "Role",
    column_format: "Number notation",
    column_kind: "Kind",
    column_key: "Key",
    column_unit: "Unit",
    role_municipality: "Municipality",
    role_code: "Region code",
    role_year: "Year / reference date",
    role_measure: "Measure (values)",
    role_measure_name: "Measure name (long shape)",
    role_value: "Value (long shape)",
    role_unit: "Unit",
    role_dimension: "Breakdown",
    role_ignore: "do not use",
    role_quality: "quality mark",
    format_german: "1.234,56 (German)",
    format_plain: "1234.56 (dot)",
    kind_amount: "count or amount",
    kind_rate: "rate or share",

    case_heading: "Summarise case-level data",
    case_intro: "{file} ({size}) holds one row per case. Choose what to group by and what to sum; cases are counted.",
    case_by: "Group by",
    case_sum: "Sum",
    case_choose_hint: "Select several with Ctrl or Shift. The comparison needs municipality and year; further columns become filters.",
    case_run: "Summarise",
    case_progress: "{rows} cases read · {mbs} MB/s · about {left} s left",
    case_result: "{groups} groups from {rows} cases",
    case_cases: "Cases",
    case_more: "… and {more} more groups (all are in the data).",

    kpis: &kpis::EN,
    check: &check::EN,
    targets: &targets::EN,
    compare: &compare::EN,
    dashboard: &dashboard::EN,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_placeholders() {
        assert_eq!(
            fill("Lese {file}: {done}", &[("file", "a.csv"), ("done", "3")]),
            "Lese a.csv: 3"
        );
        assert_eq!(fill("ohne", &[("file", "a.csv")]), "ohne");
    }
}
