//! Strings of the ring's exchange: the submission package in Prüfung, the Rücklauf of received
//! packages in Daten, the collection template and the reports for every member.

/// The strings of one language.
#[allow(missing_docs)]
pub struct ExchangeTexts {
    pub submit_heading: &'static str,
    pub submit_intro: &'static str,
    pub submit_button: &'static str,
    pub submit_no_own: &'static str,
    pub submit_blocked: &'static str,
    pub uncommented: &'static str,
    pub confirm: &'static str,
    pub cancel: &'static str,
    pub submitted: &'static str,
    /// Used by the reading worker (German in both languages, like the reader's messages).
    pub package_refused: &'static str,
    pub package_superseded: &'static str,
    pub returns_heading: &'static str,
    pub returns_intro: &'static str,
    pub col_member: &'static str,
    pub col_file: &'static str,
    pub col_created: &'static str,
    pub col_year: &'static str,
    pub col_open: &'static str,
    pub col_comments: &'static str,
}

pub const DE: ExchangeTexts = ExchangeTexts {
    submit_heading: "Für den Ring abgeben",
    submit_intro: "Das Abgabepaket (ZIP) enthält die Daten von {own} in jedem geladenen Jahr, die Befunde mit Ihren Kommentaren, den Katalog und den Ladebericht, jedes Teil mit seiner Prüfsumme (SHA-256). Es wird nur heruntergeladen, nichts wird gesendet; schicken Sie die Datei Ihrem Ring.",
    submit_button: "Für den Ring abgeben",
    submit_no_own: "Bitte zuerst oben die eigene Kommune und das Jahr wählen.",
    submit_blocked: "Abgabe nicht möglich: {errors} Fehler für {own} sind noch offen. Bitte zuerst die Daten berichtigen und neu laden.",
    uncommented: "{count} Warnungen haben keinen Kommentar. Der Ring wird danach fragen:",
    confirm: "Trotzdem abgeben",
    cancel: "Abbrechen",
    submitted: "Abgabepaket {file} heruntergeladen ({size}).",
    package_refused: "Abgabepaket {file} abgelehnt: {reason}.",
    package_superseded: "Ersetzt durch {by} (später erstellt).",
    returns_heading: "Rücklauf",
    returns_intro: "Eingegangene Abgabepakete: Jedes wurde geprüft (Prüfsummen, Katalog) und ist wie eine geladene Datei in den Ring eingegangen.",
    col_member: "Kommune",
    col_file: "Datei",
    col_created: "Erstellt",
    col_year: "Jahr",
    col_open: "Offene Warnungen",
    col_comments: "Kommentare",
};

pub const EN: ExchangeTexts = ExchangeTexts {
    submit_heading: "Submit to the ring",
    submit_intro: "The submission package (ZIP) holds the data of {own} in every loaded year, the findings with your comments, the catalogue and the load report, each part with its checksum (SHA-256). It is only downloaded, nothing is sent; send the file to your ring.",
    submit_button: "Submit to the ring",
    submit_no_own: "Please choose your own municipality and the year at the top first.",
    submit_blocked: "Cannot submit: {errors} errors for {own} are still open. Please correct the data and load them again first.",
    uncommented: "{count} warnings have no comment. The ring will ask about them:",
    confirm: "Submit anyway",
    cancel: "Cancel",
    submitted: "Submission package {file} downloaded ({size}).",
    package_refused: "Abgabepaket {file} abgelehnt: {reason}.",
    package_superseded: "Replaced by {by} (made later).",
    returns_heading: "Returns",
    returns_intro: "Submission packages received: each was checked (checksums, catalogue) and joined the ring like a loaded file.",
    col_member: "Municipality",
    col_file: "File",
    col_created: "Made",
    col_year: "Year",
    col_open: "Open warnings",
    col_comments: "Comments",
};
