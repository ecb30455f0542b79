//! The core's messages (errors, hints of a load report) in German and English. A message is a
//! template with named placeholders and their values, so the page can say it in the language
//! the user chose, also after a switch, and a test can hold both languages to the same
//! placeholders. The CLI speaks German (`Display`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A language of the messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    /// German, the default.
    #[default]
    De,
    /// English.
    En,
}

/// One message in both languages; `{name}` marks a placeholder.
#[derive(Debug)]
pub struct Template {
    /// A stable name (what travels between worker and page).
    pub id: &'static str,
    /// The German wording.
    pub de: &'static str,
    /// The English wording.
    pub en: &'static str,
}

impl Template {
    fn text(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::De => self.de,
            Lang::En => self.en,
        }
    }
}

/// A value for a placeholder: text as found (a name, a number, a file's words) or another
/// message, said in the same language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Arg {
    /// Said as it is in every language.
    Text(String),
    /// Said in the language of the message around it.
    Message(Message),
}

/// A template with the values of its placeholders.
#[derive(Clone, Debug)]
pub struct Message {
    template: &'static Template,
    args: Vec<(String, Arg)>,
}

impl PartialEq for Message {
    fn eq(&self, other: &Message) -> bool {
        self.template.id == other.template.id && self.args == other.args
    }
}

impl Eq for Message {}

impl Message {
    /// A message of a template; its placeholders are filled with `with` and `with_message`.
    pub fn new(template: &'static Template) -> Message {
        Message {
            template,
            args: Vec::new(),
        }
    }

    /// The message with `{name}` said as `value` in every language.
    pub fn with(mut self, name: &str, value: impl fmt::Display) -> Message {
        self.args
            .push((name.to_string(), Arg::Text(value.to_string())));
        self
    }

    /// The message with `{name}` said as another message in the same language.
    pub fn with_message(mut self, name: &str, value: Message) -> Message {
        self.args.push((name.to_string(), Arg::Message(value)));
        self
    }

    /// A message that says nothing (where a part of a sentence has no value).
    pub fn nothing() -> Message {
        Message::new(&NOTHING)
    }

    /// The template's name (tests ask which message it is without its wording).
    pub fn id(&self) -> &'static str {
        self.template.id
    }

    /// The message in a language. A placeholder without a value stays as written, so a
    /// missing value shows instead of vanishing.
    pub fn render(&self, lang: Lang) -> String {
        let text = self.template.text(lang);
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            let name = &after[..close];
            match self.args.iter().find(|(n, _)| n == name) {
                Some((_, Arg::Text(value))) => out.push_str(value),
                Some((_, Arg::Message(m))) => out.push_str(&m.render(lang)),
                None => out.push_str(&rest[open..open + close + 2]),
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::De))
    }
}

/// How a message travels: the template's name and the values.
#[derive(Serialize, Deserialize)]
struct Wire {
    id: String,
    args: Vec<(String, Arg)>,
}

impl Serialize for Message {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Wire {
            id: self.template.id.to_string(),
            args: self.args.clone(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Message {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Message, D::Error> {
        let wire = Wire::deserialize(deserializer)?;
        let template = ALL
            .iter()
            .find(|t| t.id == wire.id)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown message {}", wire.id)))?;
        Ok(Message {
            template,
            args: wire.args,
        })
    }
}

/// Declares the templates and the list of all of them (for the placeholder test and for
/// finding a template by name).
macro_rules! templates {
    ($($(#[$doc:meta])* $id:ident = $de:literal / $en:literal;)*) => {
        $(
            $(#[$doc])*
            pub static $id: Template = Template { id: stringify!($id), de: $de, en: $en };
        )*
        /// Every template of the core.
        pub static ALL: &[&Template] = &[$(&$id),*];
    };
}

templates! {
    // Where: joined with ", " before the message.
    // English starts a sentence with a capital, German nouns always have one.
    AT_FILE = "Datei {file}" / "File {file}";
    AT_LINE = "Zeile {line}" / "Line {line}";
    AT_THEN_LINE = "Zeile {line}" / "line {line}";
    AT_COLUMN = "Spalte {column}" / "Column {column}";
    AT_THEN_COLUMN = "Spalte {column}" / "column {column}";
    NOTHING = "" / "";
    LIST = "{first}, {then}" / "{first}, {then}";
    AT = "{where}: {what}" / "{where}: {what}";

    // What the bytes are when they are not text.
    FOUND_BINARY = "Binärdaten" / "binary data";
    FOUND_SPREADSHEET = "eine Excel- oder OpenDocument-Arbeitsmappe; bitte in Excel mit „Speichern unter“ als „CSV UTF-8 (durch Trennzeichen getrennt)“ speichern"
        / "an Excel or OpenDocument workbook; please save it in Excel with “Save as” as “CSV UTF-8 (comma delimited)”";
    FOUND_PDF = "ein PDF-Dokument" / "a PDF document";
    FOUND_IMAGE = "ein Bild" / "an image";

    // The kinds of errors.
    EMPTY = "Die Datei ist leer." / "The file is empty.";
    BINARY = "Die Datei ist keine Textdatei (CSV erwartet, gefunden: {found})."
        / "The file is not a text file (CSV expected, found: {found}).";
    ENCODING = "Die Datei lässt sich nicht als {encoding} lesen."
        / "The file cannot be read as {encoding}.";
    DUPLICATE_KEY = "Der Schlüssel „{key}“ käme doppelt vor; Spalten umbenennen oder eine weglassen."
        / "The key “{key}” would occur twice; rename a column or leave one out.";
    MISSING_ROLE = "Keine Spalte für {role} gefunden." / "No column found for {role}.";
    ROLE_MUNICIPALITY = "die Kommune (Kommune, Stadt, Gemeinde, Region oder Regionalschlüssel)"
        / "the municipality (Kommune, Stadt, Gemeinde, Region or Regionalschlüssel)";
    ROLE_MEASURE_NAME = "den Namen des Merkmals (Merkmal, Kennzahl)"
        / "the name of the measure (Merkmal, Kennzahl)";
    ROLE_VALUE = "den Wert (Wert)" / "the value (Wert)";
    ROLE_NUMBERS = "ein Merkmal mit Zahlen" / "a measure with numbers";
    ROLE_YEAR_COLUMN = "das Jahr (Jahr, Stichtag)" / "the year (Jahr, Stichtag)";
    ROLE_MUNICIPALITY_SHORT = "die Kommune" / "the municipality";
    ROLE_YEAR = "das Jahr" / "the year";
    MIXED_ENCODINGS = "Die Datei mischt Zeichenkodierungen: sie ist größtenteils UTF-8, hier aber nicht (vielleicht Windows-1252). Bitte einheitlich als UTF-8 speichern."
        / "The file mixes character encodings: it is mostly UTF-8, but not here (perhaps Windows-1252). Please save it as UTF-8 throughout.";
    UNKNOWN_ENCODING = "Unbekannte Zeichenkodierung „{label}“." / "Unknown character encoding “{label}”.";

    // Reading a table.
    NOT_CSV = "Die Datei lässt sich nicht als CSV lesen: {error}" / "The file cannot be read as CSV: {error}";
    TOO_LARGE_TEXT = "Die Datei ist zu groß (über 4 GB Text)." / "The file is too large (over 4 GB of text).";
    NO_HEADER_FROM = "Die Datei hat keine Kopfzeile ab Zeile {line}." / "The file has no header line from line {line} on.";
    GENESIS_NO_HEADER = "Den Tabellenkopf dieser GENESIS-Tabelle finde ich nicht: keine Zeile beginnt mit einer leeren Zelle über den Spalten für Zeit und Region. Bitte die Tabelle im Format „CSV“ (Tabellenformat) der Regionaldatenbank oder als Flatfile-CSV herunterladen."
        / "The header of this GENESIS table cannot be found: no line starts with an empty cell above the columns for time and region. Please download the table as “CSV” (table format) of the Regionaldatenbank or as flat-file CSV.";
    TOO_MANY_COLUMNS = "Die Kopfzeile hat {columns} Spalten; Vergleichsring liest Tabellen mit höchstens {limit} Spalten. Ist das Trennzeichen richtig erkannt?"
        / "The header line has {columns} columns; Vergleichsring reads tables of at most {limit} columns. Was the separator recognised correctly?";
    TOO_WIDE_LINE = "Die Zeile hat {fields} Felder; Vergleichsring liest Tabellen mit höchstens {limit} Spalten. Ist das Trennzeichen richtig erkannt?"
        / "The line has {fields} fields; Vergleichsring reads tables of at most {limit} columns. Was the separator recognised correctly?";
    RAGGED_ROW = "Die Zeile hat {found} Felder, die Kopfzeile (Zeile {header}) aber {width}; fehlt ein Trennzeichen oder steht eins zu viel?"
        / "The line has {found} fields, but the header line (line {header}) has {width}; is a separator missing or one too many?";
    NO_TABLE = "Keine Tabelle gefunden: keine Zeile hat mehrere durch ; , Tab oder | getrennte Spalten."
        / "No table found: no line has several columns separated by ; , tab or |.";
    BAD_SEPARATOR = "„{separator}“ kann kein Trennzeichen sein." / "“{separator}” cannot be a separator.";

    // Reading the layout of a table.
    LAYOUT_WIDTH = "Die Spaltenbelegung hat {layout} Spalten, die Tabelle aber {table}."
        / "The column roles name {layout} columns, but the table has {table}.";
    NO_DATA = "Unter der Kopfzeile stehen keine Daten." / "There are no data below the header line.";
    GENESIS_NO_REGION_COLUMNS = "Den Tabellenkopf dieser GENESIS-Tabelle (Zeilen {first}–{last}) verstehe ich nicht: vor der ersten Wertespalte stehen keine Spalten für Regionalschlüssel und Regionsnamen."
        / "The header of this GENESIS table (lines {first}–{last}) cannot be read: there are no columns for region code and region name before the first column of values.";
    GENESIS_PERIOD_NOT_REGION = "„{text}“ ist ein Zeitabschnitt, keine Region: diese GENESIS-Tabelle hat keine Spalte für Regionen, wo ich sie erwarte."
        / "“{text}” is a period, not a region: this GENESIS table has no column of regions where one is expected.";
    YEAR_OUT_OF_RANGE = "„{text}“ steht in der Jahresspalte, ist aber kein Jahr zwischen 1900 und 2100 (und kein Stichtag)."
        / "“{text}” is in the year column but is no year between 1900 and 2100 (and no reference date).";
    NO_KEY = "Die Spalte „{column}“ hat keinen Schlüssel." / "The column “{column}” has no key.";

    // Hints of a load report (a line is read or left, the file still loads).
    HINT_MORE = "Ab hier weitere Hinweise dieser Art; nur die ersten werden einzeln genannt."
        / "More hints of this kind from here on; only the first are named one by one.";
    HINT_NO_MUNICIPALITY = "Die Zeile nennt keine Kommune; sie wird nicht gelesen."
        / "The line names no municipality; it is not read.";
    HINT_NOT_A_YEAR = "„{text}“ ist kein Jahr; die Zeile wird nicht gelesen."
        / "“{text}” is not a year; the line is not read.";
    HINT_NO_MEASURE = "Die Zeile nennt kein Merkmal; sie wird nicht gelesen."
        / "The line names no measure; it is not read.";
    HINT_NO_TOTAL = "Keine Gesamt-Zeile (Insgesamt) in den Gliederungsspalten; die Standardansicht zeigt „{shown}“."
        / "No total row (Insgesamt) in the breakdown columns; the default view shows “{shown}”.";

    // Case-level files.
    NOT_IN_PARTS = "Eine Datei in {encoding} lässt sich nicht in Teilen lesen."
        / "A file in {encoding} cannot be read in parts.";
    PART_AFTER_HEADER = "Ein Teilbereich muss nach der Kopfzeile beginnen." / "A part must start after the header line.";
    GROUP_BY_NONE = "Mindestens eine Spalte zum Gruppieren wählen." / "Choose at least one column to group by.";
    CASE_ROW_WIDTH = "Die Zeile hat {found} Felder; die Kopfzeile hat {width}."
        / "The line has {found} fields; the header line has {width}.";
    CASE_NOT_NUMBER = "„{text}“ in Spalte „{column}“ ist keine Zahl." / "“{text}” in column “{column}” is not a number.";
    TOO_MANY_GROUPS = "Zu viele Gruppen ({groups}): die Spalten {columns} haben zu viele verschiedene Werte. Bitte weniger oder andere Spalten zum Gruppieren wählen."
        / "Too many groups ({groups}): the columns {columns} have too many different values. Please choose fewer or other columns to group by.";
    PARTS_DIFFER = "Teilergebnisse mit verschiedenen Spalten lassen sich nicht zusammenführen."
        / "Partial results with different columns cannot be merged.";
    CASE_NOT_YEAR = "„{text}“ in Spalte „{column}“ ist kein Jahr." / "“{text}” in column “{column}” is not a year.";
    NO_SUCH_COLUMN = "Die Spalte „{name}“ gibt es nicht; die Kopfzeile hat: {columns}."
        / "There is no column “{name}”; the header line has: {columns}.";

    // Formulas.
    QUOTED = "„{text}“" / "“{text}”";
    THE_NUMBER = "die Zahl {number}" / "the number {number}";
    FORMULA_TOO_LONG = "Die Formel ist zu lang: {length} Zeichen, erlaubt sind höchstens {limit}."
        / "The formula is too long: {length} characters, at most {limit} are allowed.";
    FORMULA_TOO_DEEP = "Die Formel ist zu tief verschachtelt: mehr als {limit} Ebenen aus Klammern, Funktionen und Vorzeichen."
        / "The formula is nested too deeply: more than {limit} levels of parentheses, functions and signs.";
    UNKNOWN_KEY = "Unbekannter Schlüssel „{key}“." / "Unknown key “{key}”.";
    UNKNOWN_KEY_NEAR = "Unbekannter Schlüssel „{key}“. Gemeint: „{near}“?"
        / "Unknown key “{key}”. Did you mean “{near}”?";
    FORMULA_NOT_A_NUMBER = "„{text}“ ist keine Zahl." / "“{text}” is not a number.";
    SINGLE_EQUALS = "„=“ allein gibt es nicht; zum Vergleichen „==“ schreiben."
        / "“=” alone does not exist; write “==” to compare.";
    UNEXPECTED_CHAR = "Unerwartetes Zeichen „{char}“." / "Unexpected character “{char}”.";
    UNEXPECTED_UMLAUT = "Unerwartetes Zeichen „{char}“. Schlüssel schreiben Umlaute als ae, oe, ue, ss."
        / "Unexpected character “{char}”. Keys write umlauts as ae, oe, ue, ss.";
    FORMULA_EMPTY = "Die Formel ist leer." / "The formula is empty.";
    CLOSE_WITHOUT_OPEN = "„)“ ohne öffnende Klammer." / "“)” without an opening parenthesis.";
    CHAINED_COMPARISON = "Vergleiche lassen sich nicht verketten; mit „and“ verbinden."
        / "Comparisons cannot be chained; join them with “and”.";
    UNEXPECTED_COMMA = "Unerwartetes „,“ (Dezimalzahlen mit Punkt schreiben, z. B. 1.5)."
        / "Unexpected “,” (write decimal numbers with a point, e.g. 1.5).";
    EXPECTED_OPERATOR = "Unerwartet: {found}; erwartet wurde ein Rechenzeichen."
        / "Unexpected: {found}; an operator was expected.";
    EXPECTED_OPERAND = "Unerwartet: {found}; erwartet wurde eine Zahl, ein Schlüssel oder „(“."
        / "Unexpected: {found}; a number, a key or “(” was expected.";
    EXPECTED_CLOSE = "Unerwartet: {found}; erwartet wurde „)“ zur Klammer in Spalte {column}."
        / "Unexpected: {found}; “)” was expected for the parenthesis in column {column}.";
    EXPECTED_COMMA_OR_CLOSE = "Unerwartet: {found}; erwartet wurde „,“ oder „)“."
        / "Unexpected: {found}; “,” or “)” was expected.";
    UNEXPECTED_END = "Unerwartetes Ende der Formel; erwartet wurde eine Zahl, ein Schlüssel oder „(“."
        / "Unexpected end of the formula; a number, a key or “(” was expected.";
    NOT_CLOSED = "Klammer wird nicht geschlossen." / "Parenthesis is not closed.";
    RULE_ONLY = "„{what}“ ist nur in Regeln erlaubt, nicht in Kennzahl-Formeln."
        / "“{what}” is allowed in rules only, not in KPI formulas.";
    UNKNOWN_FUNCTION = "Unbekannte Funktion „{name}“ (bekannt: {known})."
        / "Unknown function “{name}” (known: {known}).";
    ARGS_ONE = "„{name}“ erwartet genau {least} Argument, gefunden {found}."
        / "“{name}” expects exactly {least} argument, found {found}.";
    ARGS_EXACTLY = "„{name}“ erwartet genau {least} Argumente, gefunden {found}."
        / "“{name}” expects exactly {least} arguments, found {found}.";
    ARGS_AT_LEAST = "„{name}“ erwartet mindestens {least} Argumente, gefunden {found}."
        / "“{name}” expects at least {least} arguments, found {found}.";

    // Peer groups.
    PEER_UNKNOWN = "Die Kommune „{name}“ der Vergleichsgruppe kommt in den Daten nicht vor."
        / "The municipality “{name}” of the peer group is not in the data.";
    CONTEXT_UNKNOWN = "„{key}“ ist weder ein Merkmal der Daten noch eine Kennzahl."
        / "“{key}” is neither a measure of the data nor a KPI.";
    CONTEXT_NONE = "Für ähnliche Kommunen mindestens ein Merkmal oder eine Kennzahl wählen."
        / "Choose at least one measure or KPI for similar municipalities.";
    CONTEXT_MISSING = "{name} hat {year} keinen Wert für {keys}; ähnliche Kommunen lassen sich so nicht bestimmen."
        / "{name} has no value for {keys} in {year}; similar municipalities cannot be found this way.";
    WEIGHT_INVALID = "Das Gewicht von „{key}“ ist {weight}; erlaubt sind Zahlen ab 0."
        / "The weight of “{key}” is {weight}; numbers from 0 on are allowed.";
    WEIGHTS_ZERO = "Mindestens ein Merkmal der Ähnlichkeit braucht ein Gewicht über 0."
        / "At least one characteristic of the similarity needs a weight above 0.";

    // Session files.
    SESSION_NOT_JSON = "Die Sitzungsdatei ist fehlerhaft: {error}" / "The session file is damaged: {error}";
    SESSION_NO_VERSION = "Das ist keine Vergleichsring-Sitzungsdatei (das Feld „version“ fehlt)."
        / "This is not a Vergleichsring session file (the field “version” is missing).";
    SESSION_NEWER = "Die Sitzungsdatei hat Version {version}, dieses Programm liest Version {read}. Sie wurde mit einer neueren Fassung von Vergleichsring gespeichert; bitte diese verwenden."
        / "The session file has version {version}, this program reads version {read}. It was saved by a newer Vergleichsring; please use that.";
    SESSION_UNKNOWN_VERSION = "Die Sitzungsdatei hat die unbekannte Version {version}; dieses Programm liest die Versionen {oldest} bis {newest}."
        / "The session file has the unknown version {version}; this program reads versions {oldest} to {newest}.";
    SESSION_DAMAGED = "Die Sitzungsdatei ist fehlerhaft: {what}." / "The session file is damaged: {what}.";
    SESSION_CATALOGUE = "ihr Katalog lässt sich nicht lesen ({error})" / "its catalogue cannot be read ({error})";
    SESSION_SIMILAR = "die Vergleichsgruppe will {k} ähnliche Kommunen nach {on} Merkmalen"
        / "the peer group asks for {k} similar municipalities by {on} measures";
    SESSION_CHOSEN = "die Vergleichsgruppe nennt {count} Kommunen" / "the peer group names {count} municipalities";
    SESSION_WEIGHT = "das Gewicht von „{key}“ ist {weight}, erlaubt sind Zahlen ab 0"
        / "the weight of “{key}” is {weight}; numbers from 0 on are allowed";
    SESSION_TARGETS = "{count} Ziele" / "{count} targets";
    SESSION_TARGET = "das Ziel für „{kpi}“ hat den Wert {target} und die Jahre {baseline} bis {due}"
        / "the target for “{kpi}” has the value {target} and the years {baseline} to {due}";
    SESSION_YEAR = "das Jahr {year} gibt es nicht" / "the year {year} does not exist";
    SESSION_CASES = "die Gruppen der Falldatei {file} passen nicht zusammen: {what}"
        / "the groups of the case file {file} do not fit together: {what}";
    SHAPE_TOO_MANY_BY = "{by} Gruppierungsspalten (höchstens 31)" / "{by} group columns (at most 31)";
    SHAPE_LIST = "{got} Einträge in {list} statt {want}" / "{got} entries in {list} instead of {want}";
    SHAPE_GROUP = "Gruppe {group} passt nicht zu {by} Gruppierungs- und {sum} Summenspalten"
        / "group {group} does not fit {by} group columns and {sum} sum columns";

    // The catalogue.
    WHAT_KPI = "Kennzahl" / "KPI";
    WHAT_RULE = "Regel" / "Rule";
    WHAT_MEASURE = "Merkmal" / "Measure";
    BAD_ID = "{what} „{id}“: eine id besteht nur aus a–z, 0–9 und _."
        / "{what} “{id}”: an id consists of a–z, 0–9 and _ only.";
    RESERVED_ID = "{what} „{id}“: „{id}“ ist ein Wort der Formelsprache und keine id."
        / "{what} “{id}”: “{id}” is a word of the formula language, not an id.";
    DOUBLE_ID = "{what} „{id}“ ist doppelt definiert." / "{what} “{id}” is defined twice.";
    IN_FORMULA = "{what} „{id}“: {msg}" / "{what} “{id}”: {msg}";
    IN_FORMULA_AT = "{what} „{id}“, Zeichen {column} der Formel: {msg}"
        / "{what} “{id}”, character {column} of the formula: {msg}";
    CHECK_NOT_POSITIVE = "[checks] {name} muss eine positive Zahl sein, nicht {value}."
        / "[checks] {name} must be a positive number, not {value}.";
    UNKNOWN_FUNNEL = "Kennzahl „{id}“: funnel = „{funnel}“ ist unbekannt (erlaubt: poisson, binomial)."
        / "KPI “{id}”: funnel = “{funnel}” is unknown (allowed: poisson, binomial).";
    FUNNEL_NOT_RATIO = "Kennzahl „{id}“: funnel verlangt eine Formel der Form N / D * c, nicht „{formula}“."
        / "KPI “{id}”: funnel needs a formula of the form N / D * c, not “{formula}”.";
    KPI_TOO_DEEP = "„{key}“ stützt sich über zu viele Ebenen auf weitere Kennzahlen (mehr als {limit} Rechenschritte ineinander)."
        / "“{key}” rests on other KPIs over too many levels (more than {limit} nested steps).";
    BAD_DECIMALS = "Kennzahl „{id}“: decimals = {decimals} geht nicht; erlaubt sind 0 bis {limit} Nachkommastellen."
        / "KPI “{id}”: decimals = {decimals} is not possible; 0 to {limit} decimal places are allowed.";
    BAD_SOURCE = "Merkmal „{key}“, Quelle {source}: genau eines von „measure“ oder „sum“ angeben, und in „dims“ je Gliederung mindestens einen Wert."
        / "Measure “{key}”, source {source}: give exactly one of “measure” or “sum”, and in “dims” at least one value per breakdown.";
    KPI_CYCLE = "Kennzahl „{id}“, Zeichen {column} der Formel: Zirkelbezug {chain}."
        / "KPI “{id}”, character {column} of the formula: circular reference {chain}.";
    EVENT_UNKNOWN_KPI = "Ereignis {year} „{label}“ nennt die unbekannte Kennzahl „{kpi}“."
        / "Event {year} “{label}” names the unknown KPI “{kpi}”.";
    TOML_UNKNOWN_FIELD = "Unbekanntes Feld „{name}“ (erlaubt: {allowed})."
        / "Unknown field “{name}” (allowed: {allowed}).";
    TOML_MISSING_FIELD = "Pflichtfeld „{name}“ fehlt." / "Required field “{name}” is missing.";
    TOML_UNKNOWN_VALUE = "Unbekannter Wert „{name}“ (erlaubt: {allowed})."
        / "Unknown value “{name}” (allowed: {allowed}).";
    TOML_WRONG_TYPE = "Falscher Typ ({error})." / "Wrong type ({error}).";
    TOML_INVALID = "Der Katalog ist kein gültiges TOML: {error}" / "The catalogue is not valid TOML: {error}";

    // District boundaries (GeoJSON, geo.rs).
    GEO_FEATURE = "Feature {number}" / "Feature {number}";
    GEO_FEATURE_NAMED = "Feature {number} ({key} = „{value}“)" / "Feature {number} ({key} = “{value}”)";
    GEO_TOO_LARGE = "Die GeoJSON-Datei ist {size} MB groß; gelesen werden bis zu {max} MB."
        / "The GeoJSON file is {size} MB; files up to {max} MB are read.";
    GEO_UNREADABLE = "Keine lesbare GeoJSON-Datei: {error}." / "Not a readable GeoJSON file: {error}.";
    GEO_NOT_A_COLLECTION = "Die Datei ist vom GeoJSON-Typ „{kind}“; erwartet wird eine FeatureCollection mit Flächen (Polygon, MultiPolygon)."
        / "The file is of GeoJSON type “{kind}”; a FeatureCollection of areas (Polygon, MultiPolygon) is expected.";
    GEO_UNKNOWN_CRS = "Das Koordinatensystem „{crs}“ kenne ich nicht; erwartet: WGS84 (EPSG:4326, CRS84) oder ETRS89/UTM (EPSG:25832, EPSG:25833). Bitte die Grenzen in einem davon exportieren."
        / "The coordinate reference system “{crs}” is not known here; expected: WGS84 (EPSG:4326, CRS84) or ETRS89/UTM (EPSG:25832, EPSG:25833). Please export the boundaries in one of them.";
    GEO_NO_CRS_FITS = "Die Datei nennt kein Koordinatensystem (crs), und die Koordinaten ({x}, {y}) passen weder zu WGS84 (Länge, Breite in Grad) noch zu ETRS89/UTM 32N oder 33N (Ost- und Nordwert in Metern)."
        / "The file names no coordinate reference system (crs), and the coordinates ({x}, {y}) fit neither WGS84 (longitude, latitude in degrees) nor ETRS89/UTM 32N or 33N (easting and northing in metres).";
    GEO_NOT_AN_AREA = "{feature}: Geometrie „{kind}“ ist keine Fläche; erwartet werden Polygon oder MultiPolygon (Stadtteilgrenzen)."
        / "{feature}: geometry “{kind}” is no area; Polygon or MultiPolygon (district boundaries) are expected.";
    GEO_BAD_MULTIPOLYGON = "{feature}: die Koordinaten eines MultiPolygons sind keine Liste von Polygonen."
        / "{feature}: the coordinates of a MultiPolygon are no list of polygons.";
    GEO_BAD_POLYGON = "{feature}: die Koordinaten eines Polygons sind keine Liste von Ringen."
        / "{feature}: the coordinates of a Polygon are no list of rings.";
    GEO_NO_RING = "{feature}: ein Polygon ohne Ring." / "{feature}: a polygon without a ring.";
    GEO_BAD_RING = "{feature}: ein Ring ist keine Liste von Positionen." / "{feature}: a ring is no list of positions.";
    GEO_BAD_POSITION = "{feature}: die Position {position} ist kein Zahlenpaar [x, y]."
        / "{feature}: the position {position} is no pair of numbers [x, y].";
    GEO_SHORT_RING = "{feature}: ein Ring hat weniger als drei Ecken." / "{feature}: a ring has fewer than three corners.";
    GEO_TOO_MANY_POSITIONS = "Die Grenzen haben mehr als {max} Punkte; bitte vereinfacht exportieren."
        / "The boundaries have more than {max} points; please export them simplified.";
    GEO_NO_AREA = "Die Datei enthält keine Fläche (kein Feature mit Polygon oder MultiPolygon)."
        / "The file holds no area (no feature with a Polygon or MultiPolygon).";
    GEO_OUTSIDE_DEGREES = "{feature}: die Koordinate ({x}, {y}) liegt nicht im Bereich von {crs} (Länge −180 bis 180, Breite −90 bis 90)."
        / "{feature}: the coordinate ({x}, {y}) is outside the range of {crs} (longitude −180 to 180, latitude −90 to 90).";
    GEO_OUTSIDE_METRES = "{feature}: die Koordinate ({x}, {y}) liegt nicht im Bereich von {crs} (Ostwert 0 bis 1.000.000 m, Nordwert 0 bis 10.000.000 m)."
        / "{feature}: the coordinate ({x}, {y}) is outside the range of {crs} (easting 0 to 1,000,000 m, northing 0 to 10,000,000 m).";
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The placeholders of a wording, in order of appearance.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut found = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else { break };
            found.push(&after[..close]);
            rest = &after[close + 1..];
        }
        found
    }

    /// Both languages of every message name the same placeholders, and no two templates share a
    /// name (the page finds a template by it).
    #[test]
    fn both_languages_have_the_same_placeholders() {
        let mut ids = std::collections::HashSet::new();
        for t in ALL {
            assert!(ids.insert(t.id), "{} twice", t.id);
            let mut de = placeholders(t.de);
            let mut en = placeholders(t.en);
            de.sort_unstable();
            en.sort_unstable();
            assert_eq!(de, en, "{}", t.id);
            assert_eq!(t.de.is_empty(), t.en.is_empty(), "{}", t.id);
        }
    }

    #[test]
    fn renders_values_and_nested_messages_in_one_language() {
        let m = Message::new(&BINARY).with_message("found", Message::new(&FOUND_PDF));
        assert_eq!(
            m.render(Lang::De),
            "Die Datei ist keine Textdatei (CSV erwartet, gefunden: ein PDF-Dokument)."
        );
        assert_eq!(
            m.render(Lang::En),
            "The file is not a text file (CSV expected, found: a PDF document)."
        );
        let n = Message::new(&NO_KEY).with("column", "{x}");
        assert_eq!(n.render(Lang::En), "The column “{x}” has no key.");
    }

    #[test]
    fn travels_by_name() {
        let m = Message::new(&RAGGED_ROW)
            .with("found", 3)
            .with("header", 1)
            .with("width", 4);
        let json = serde_json::to_string(&m).expect("serialises");
        let back: Message = serde_json::from_str(&json).expect("deserialises");
        assert_eq!(back, m);
        assert!(serde_json::from_str::<Message>(r#"{"id":"NOPE","args":[]}"#).is_err());
    }
}
