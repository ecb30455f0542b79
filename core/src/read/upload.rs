//! An upload: its table, the layout the user sees and edits, the dataset built from both, and
//! the load report (what was read, what was skipped, what looked wrong).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::hash::BuildHasher;

use serde::{Deserialize, Serialize};

use crate::dataset::{
    CellKey, CellsBuilder, Dataset, Duplicate, Measure, Municipality, Observation, Source,
};
use crate::error::{Error, ErrorKind, Position, Result};
use crate::message::{self, Message, Template};
use crate::read::column::{measure_key, measure_kind, Layout, LayoutColumn, Role, Shape};
use crate::read::genesis::aggregate_codes;
use crate::read::layout::{detect_layout, unit_key};
use crate::read::number::{is_euro, is_percent, parse_cell, parse_year};
use crate::read::table::{read_table, FlatLayout, ReadOptions, SkippedLine, Table, LISTED_SKIPPED};

/// Something in the data worth telling the user that did not stop the load (a row without a
/// year, a measure name missing), with where it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, when the problem is in one cell.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: Message,
}

/// Where the rows of an official table take their year from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum YearFrom {
    /// A column of years, dates or times (1-based).
    Column(usize),
    /// The date or year cells of the header block: the table is wide by year.
    Header,
    /// A title line that holds only a date or year.
    Title(i32),
}

/// The official export format the reader recognised, said in the load report so the user can
/// see how the file was understood („GENESIS-Tabelle 22311-01-01-4, Jahr in Spalte 1,
/// Einheiten aus Zeile 9“).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recognised {
    /// The GENESIS table code, or the flat file's statistic code.
    pub code: String,
    /// The flat-file layout; `None` for a classic GENESIS table.
    pub flat: Option<FlatLayout>,
    /// Where the year comes from.
    pub year: Option<YearFrom>,
    /// The 1-based line of the header block's units, if it has one.
    pub units_line: Option<usize>,
}

impl Recognised {
    fn of(table: &Table, layout: &Layout) -> Option<Recognised> {
        if !table.is_genesis() && table.flat_layout().is_none() {
            return None;
        }
        let year = match layout.find(Role::Year) {
            Some(j) => Some(YearFrom::Column(j + 1)),
            None if layout.columns.iter().any(|c| c.year.is_some()) => Some(YearFrom::Header),
            None => layout.year.map(YearFrom::Title),
        };
        let units = crate::read::genesis::flatten_header(table)
            .iter()
            .any(|c| c.unit.is_some());
        Some(Recognised {
            code: table.table_code().unwrap_or("").to_string(),
            flat: table.flat_layout(),
            year,
            units_line: (units && table.is_genesis())
                .then(|| table.header_line() + table.header_len() - 1),
        })
    }
}

impl fmt::Display for Recognised {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.flat {
            None => write!(f, "GENESIS-Tabelle {}", self.code)?,
            Some(FlatLayout::English) => write!(
                f,
                "GENESIS-Flatfile-CSV {} (englische Spaltennamen)",
                self.code
            )?,
            Some(FlatLayout::German) => write!(
                f,
                "GENESIS-Flatfile-CSV {} (deutsche Spaltennamen)",
                self.code
            )?,
        }
        match self.year {
            Some(YearFrom::Column(j)) => write!(f, ", Jahr in Spalte {j}")?,
            Some(YearFrom::Header) => f.write_str(", Jahre aus dem Tabellenkopf")?,
            Some(YearFrom::Title(y)) => write!(f, ", Jahr {y} aus der Titelzeile")?,
            None => {}
        }
        if let Some(line) = self.units_line {
            write!(f, ", Einheiten aus Zeile {line}")?;
        }
        Ok(())
    }
}

/// What was read from one upload.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoadReport {
    /// The upload's file name.
    pub file: String,
    /// The encoding's display name.
    pub encoding: String,
    /// The field separator.
    pub separator: char,
    /// The 1-based line of the header (its first line).
    pub header_line: usize,
    /// How many lines the header block has (more than one in GENESIS exports).
    pub header_lines: usize,
    /// The official export format recognised, if the file is one.
    #[serde(default)]
    pub recognised: Option<Recognised>,
    /// The shape of the table.
    pub shape: Shape,
    /// Data rows read.
    pub rows: usize,
    /// Columns of the table.
    pub columns: usize,
    /// Municipalities (regions) in the data, aggregates included.
    pub municipalities: usize,
    /// Measures in the data.
    pub measures: usize,
    /// The years in the data, ascending.
    pub years: Vec<i32>,
    /// The year every row was given, for a file without a year column (from its title line or
    /// set by the user).
    pub file_year: Option<i32>,
    /// Cells (values and missing values) in the dataset.
    pub cells: usize,
    /// Municipality–year pairs that occurred again (the first row counts).
    pub duplicates: usize,
    /// Lines that are not part of the table: titles, blank lines, footnotes, sources (the first
    /// and the last of them when there are many).
    pub skipped: Vec<SkippedLine>,
    /// Skipped lines beyond those listed.
    #[serde(default)]
    pub skipped_more: usize,
    /// Problems that did not stop the load.
    pub problems: Vec<Problem>,
}

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let separator = match self.separator {
            '\t' => "Tabulator".to_string(),
            c => format!("„{c}“"),
        };
        write!(
            f,
            "{}: {}, Trennzeichen {separator}, Kopfzeile in Zeile {}",
            self.file, self.encoding, self.header_line
        )?;
        if self.header_lines > 1 {
            write!(f, " ({} Zeilen)", self.header_lines)?;
        }
        if let Some(recognised) = &self.recognised {
            write!(f, ", erkannt: {recognised}")?;
        }
        write!(
            f,
            ", {} Datenzeilen, {} Spalten, Form: {}",
            self.rows, self.columns, self.shape
        )?;
        if self.shape != Shape::CaseLevel {
            write!(
                f,
                "; {} Kommunen, {} Merkmale",
                self.municipalities, self.measures
            )?;
            if let (Some(first), Some(last)) = (self.years.first(), self.years.last()) {
                write!(f, ", Jahre {first}–{last}")?;
            }
            if let Some(year) = self.file_year {
                write!(f, " (ohne Jahresspalte: alle Zeilen im Jahr {year})")?;
            }
            if self.duplicates > 0 {
                write!(
                    f,
                    ", {} doppelte Kommune-Jahr-Paare (die erste Zeile zählt)",
                    self.duplicates
                )?;
            }
        }
        for s in &self.skipped {
            let text = if s.text.is_empty() {
                "(leer)".to_string()
            } else {
                s.text.replace('\n', " ")
            };
            write!(f, "\n  übersprungen, Zeile {}: {text}", s.line)?;
        }
        if self.skipped_more > 0 {
            write!(
                f,
                "\n  und {} weitere übersprungene Zeilen (nur die ersten und letzten {LISTED_SKIPPED} werden genannt)",
                self.skipped_more
            )?;
        }
        for p in &self.problems {
            let at = p.column.map_or(String::new(), |c| format!(", Spalte {c}"));
            write!(f, "\n  Hinweis, Zeile {}{at}: {}", p.line, p.message)?;
        }
        Ok(())
    }
}

impl LoadReport {
    /// What can be said of a table before its dataset is built (or when its layout does not
    /// build): how it was read and what was skipped; no municipalities, measures or cells yet.
    pub fn of_table(table: &Table, layout: &Layout) -> LoadReport {
        LoadReport {
            file: table.file_name().to_string(),
            encoding: table.encoding().to_string(),
            separator: table.separator(),
            header_line: table.header_line(),
            header_lines: table.header_len(),
            recognised: Recognised::of(table, layout),
            shape: layout.shape,
            rows: table.len(),
            columns: table.width(),
            municipalities: 0,
            measures: 0,
            years: Vec::new(),
            file_year: None,
            cells: 0,
            duplicates: 0,
            skipped: table.skipped().to_vec(),
            skipped_more: table.skipped_more(),
            problems: Vec::new(),
        }
    }
}

/// One upload with everything the app shows about it (serializable, for a worker to hand over).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Upload {
    /// The table as read.
    pub table: Table,
    /// The layout (detected, or as the user edited it).
    pub layout: Layout,
    /// The dataset built from table and layout (empty for a case-level file until aggregated).
    pub dataset: Dataset,
    /// The load report.
    pub report: LoadReport,
}

impl Upload {
    /// Detect the layout of a table read before and build its dataset.
    pub fn from_table(table: Table) -> Result<Upload> {
        // Said before a layout is guessed from the header alone: a one-line file's header cell
        // of megabytes was copied for every guess.
        if table.is_empty() {
            return Err(no_data(&table).in_file(table.file_name()));
        }
        let layout = detect_layout(&table);
        let (dataset, report) = build_dataset(&table, &layout)?;
        Ok(Upload {
            table,
            layout,
            dataset,
            report,
        })
    }

    /// Apply an edited layout: the dataset and report are built again from it.
    pub fn set_layout(&mut self, layout: Layout) -> Result<()> {
        let (dataset, report) = build_dataset(&self.table, &layout)?;
        self.layout = layout;
        self.dataset = dataset;
        self.report = report;
        Ok(())
    }
}

/// Read, detect the layout and build the dataset in one go, with everything detected.
pub fn load(file_name: &str, bytes: &[u8]) -> Result<Upload> {
    load_with(file_name, bytes, &ReadOptions::default())
}

/// Like [`load`], with read options (encoding, separator, header line) given by the user.
pub fn load_with(file_name: &str, bytes: &[u8], opts: &ReadOptions) -> Result<Upload> {
    Upload::from_table(read_table(file_name, bytes, opts)?)
}

/// Build the dataset of a table as the layout says. Errors name file, line and column.
pub fn build_dataset(table: &Table, layout: &Layout) -> Result<(Dataset, LoadReport)> {
    Builder::new(table, layout)
        .and_then(Builder::run)
        .map_err(|e| e.in_file(table.file_name()))
}

/// What tells municipalities of a file apart: the code where the file has one, else the name.
fn identity(m: &Municipality) -> (bool, &str) {
    match &m.code {
        Some(code) => (true, code),
        None => (false, &m.name),
    }
}

/// A key of [`Builder::seen`]; indices fit in 32 bits as in the dataset's cells (`usize::MAX`,
/// the municipality's row without a measure, becomes `u32::MAX`).
fn seen(
    municipality: usize,
    combination: usize,
    year: i32,
    measure: usize,
) -> (u32, u32, i32, u32) {
    let small = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    (
        small(municipality),
        small(combination),
        year,
        small(measure),
    )
}

/// A table without data rows: nothing to build a dataset from.
fn no_data(table: &Table) -> Error {
    Error::new(ErrorKind::Table {
        msg: Message::new(&message::NO_DATA),
        pos: Position {
            file: None,
            line: Some(table.header_line()),
            column: None,
        },
    })
}

/// How many problems a load report names one by one.
const MAX_PROBLEMS: usize = 200;

/// The columns by role, checked.
struct Roles {
    municipality: Option<usize>,
    code: Option<usize>,
    year: Option<usize>,
    measure_name: Option<usize>,
    unit: Option<usize>,
    dimensions: Vec<usize>,
    values: Vec<usize>,
}

struct Builder<'a> {
    table: &'a Table,
    layout: &'a Layout,
    roles: Roles,
    dataset: Dataset,
    problems: Vec<Problem>,
    /// The dataset's municipalities by [`identity`], as indices.
    municipalities: hashbrown::HashTable<usize>,
    hasher: std::hash::RandomState,
    measures: HashMap<String, usize>,
    combinations: HashMap<Vec<String>, usize>,
    /// Cells before the combinations are renumbered (the total combination goes first).
    cells: CellsBuilder,
    /// The (municipality, combination, year, measure) of every cell read, [`seen`] packed, to
    /// let the first of repeated rows count. A table of short lines has one for every line,
    /// and the set took more memory than the cells; so the rows are read without it
    /// (`None`) and again with it only when two cells came out with one key.
    seen: Option<HashSet<(u32, u32, i32, u32)>>,
    /// The measure of each value column of a wide table, in the order of `roles.values`.
    column_measures: Vec<usize>,
    /// The quality-mark column of each value column, in the order of `roles.values`.
    quality: Vec<Option<usize>>,
    stichtage: Stichtage,
    /// Measure keys of a long table that come in several units: each gets its unit appended.
    keys_with_units: HashSet<String>,
    /// A district file (CONTRACT §1 district level): its rows may name no municipality (the
    /// city is the one whose districts they are), and a missing total row is no doubt, since
    /// the city's figures are the districts' sum.
    district: bool,
}

/// The name of the dimension that tells apart several dates of one year.
const STICHTAG: &str = "Stichtag";

/// Years that hold more than one date (quarterly Stichtage), in the header or in the year
/// column: their cells get the date as the first dimension `Stichtag` (CONTRACT §1).
#[derive(Default)]
struct Stichtage {
    header: HashSet<i32>,
    rows: HashSet<i32>,
}

impl Stichtage {
    fn find(table: &Table, layout: &Layout, roles: &Roles) -> Stichtage {
        fn several<'t>(dates: impl Iterator<Item = (i32, &'t str)>) -> HashSet<i32> {
            let mut by_year: HashMap<i32, HashSet<&str>> = HashMap::new();
            for (year, date) in dates {
                by_year.entry(year).or_default().insert(date);
            }
            by_year
                .into_iter()
                .filter(|(_, dates)| dates.len() > 1)
                .map(|(year, _)| year)
                .collect()
        }
        let header = several(roles.values.iter().filter_map(|&j| {
            let c = &layout.columns[j];
            Some((c.year?, c.date.as_deref()?))
        }));
        let rows = roles.year.map_or_else(HashSet::new, |j| {
            several(table.rows().filter_map(|r| {
                let text = r.get(j).trim();
                let year = year_of(table, text)?;
                (text.len() > 4).then_some((year, text))
            }))
        });
        Stichtage { header, rows }
    }

    fn any(&self) -> bool {
        !self.header.is_empty() || !self.rows.is_empty()
    }

    /// The Stichtag of a cell: its column's date, else its row's, where its year has several.
    fn of<'t>(&self, column: &'t LayoutColumn, year: i32, row_date: &'t str) -> &'t str {
        match column.date.as_deref() {
            Some(date) if self.header.contains(&year) => date,
            _ if row_date.len() > 4 && self.rows.contains(&year) => row_date,
            _ => "",
        }
    }
}

/// A date as the `Stichtag` dimension writes it, `TT.MM.JJJJ` (`2024-06-30` → `30.06.2024`).
fn stichtag_text(date: &str) -> String {
    let b = date.as_bytes();
    let iso = b.len() >= 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit());
    if iso {
        format!("{}.{}.{}", &date[8..10], &date[5..7], &date[..4])
    } else {
        date.to_string()
    }
}

/// The year of a year-column cell: a flat file's time starts with it (`2023-10P6M`), other
/// files write a year or a date.
fn year_of(table: &Table, text: &str) -> Option<i32> {
    match table.flat_layout() {
        Some(_) => crate::read::flat::time_year(text),
        None => parse_year(text),
    }
}

impl<'a> Builder<'a> {
    fn new(table: &'a Table, layout: &'a Layout) -> Result<Builder<'a>> {
        let header = |column: Option<usize>| Position {
            file: None,
            line: Some(table.header_line()),
            column: column.map(|j| j + 1),
        };
        if layout.columns.len() != table.width() {
            return Err(Error::new(ErrorKind::Other {
                msg: Message::new(&message::LAYOUT_WIDTH)
                    .with("layout", layout.columns.len())
                    .with("table", table.width()),
                pos: header(None),
            }));
        }
        if table.is_empty() {
            return Err(no_data(table));
        }
        let long = layout.shape == Shape::Long;
        let roles = Roles {
            municipality: layout.find(Role::Municipality),
            code: layout.find(Role::Code),
            year: layout.find(Role::Year),
            measure_name: layout.find(Role::MeasureName),
            unit: layout.find(Role::Unit),
            dimensions: layout.all(Role::Dimension),
            values: layout.all(if long { Role::Value } else { Role::Measure }),
        };
        let missing = |role: &'static Template, column: Option<usize>| {
            Error::new(ErrorKind::MissingRole {
                role: Message::new(role),
                pos: header(column),
            })
        };
        if table.is_genesis() && roles.municipality.is_none() && roles.code.is_none() {
            let last = table.header_line() + table.header_len() - 1;
            return Err(Error::new(ErrorKind::Table {
                msg: Message::new(&message::GENESIS_NO_REGION_COLUMNS)
                    .with("first", table.header_line())
                    .with("last", last),
                pos: header(None),
            }));
        }
        if let Some(j) = roles.municipality.filter(|_| table.is_genesis()) {
            if let Some(row) = table.rows().find(|r| is_time_word(r.get(j))) {
                return Err(Error::new(ErrorKind::Table {
                    msg: Message::new(&message::GENESIS_PERIOD_NOT_REGION)
                        .with("text", row.get(j).trim()),
                    pos: Position {
                        file: None,
                        line: Some(row.line()),
                        column: Some(j + 1),
                    },
                }));
            }
        }
        let district = roles
            .dimensions
            .iter()
            .any(|&j| crate::read::column::is_district_header(&layout.columns[j].name));
        if roles.municipality.is_none() && roles.code.is_none() && !district {
            return Err(missing(&message::ROLE_MUNICIPALITY, None));
        }
        if long && roles.measure_name.is_none() {
            return Err(missing(&message::ROLE_MEASURE_NAME, None));
        }
        if layout.shape != Shape::CaseLevel && roles.values.is_empty() {
            let what = if long {
                &message::ROLE_VALUE
            } else {
                &message::ROLE_NUMBERS
            };
            return Err(missing(what, None));
        }
        if roles.year.is_none() && layout.year.is_none() && layout.shape != Shape::CaseLevel {
            if let Some(&j) = roles
                .values
                .iter()
                .find(|&&j| layout.columns[j].year.is_none())
            {
                return Err(missing(&message::ROLE_YEAR_COLUMN, Some(j)));
            }
        }
        if !long {
            check_keys(layout, &roles.values, table.header_line())?;
        }
        let mut dataset = Dataset {
            files: vec![table.file_name().to_string()],
            ..Dataset::default()
        };
        let stichtage = Stichtage::find(table, layout, &roles);
        if stichtage.any() {
            dataset.dimensions.push(STICHTAG.to_string());
        }
        let quality = roles
            .values
            .iter()
            .map(|&v| {
                let flags = |q: &usize| {
                    layout.columns[*q].role == Role::Quality
                        && (long || layout.columns[*q].key == layout.columns[v].key)
                };
                (0..layout.columns.len()).find(flags)
            })
            .collect();
        let keys_with_units = match (long, roles.measure_name, roles.unit) {
            (true, Some(name), Some(unit)) => several_units(table, name, unit),
            _ => HashSet::new(),
        };
        for (i, &j) in roles.dimensions.iter().enumerate() {
            let name = match layout.columns[j].name.trim() {
                "" => format!("dim{}", i + 1),
                name => name.to_string(),
            };
            // Two columns of the same name stay two dimensions.
            let name = if dataset.dimensions.contains(&name) {
                format!("{name} (Spalte {})", j + 1)
            } else {
                name
            };
            dataset.dimensions.push(name);
        }
        Ok(Builder {
            table,
            layout,
            roles,
            dataset,
            problems: Vec::new(),
            municipalities: hashbrown::HashTable::new(),
            hasher: std::hash::RandomState::new(),
            measures: HashMap::new(),
            combinations: HashMap::new(),
            cells: CellsBuilder::default(),
            seen: None,
            column_measures: Vec::new(),
            quality,
            stichtage,
            keys_with_units,
            district,
        })
    }

    fn run(mut self) -> Result<(Dataset, LoadReport)> {
        if self.layout.shape != Shape::CaseLevel {
            if self.layout.shape == Shape::Wide {
                let layout = self.layout;
                for j in self.roles.values.clone() {
                    let c = &layout.columns[j];
                    let m = self.measure(&measure_key(&c.key), &c.name, c.unit.as_deref(), c.kind);
                    self.column_measures.push(m);
                }
            }
            let aggregates = match self.roles.code {
                Some(j) => aggregate_codes(self.table.rows().map(|r| r.get(j).trim())),
                None => Default::default(),
            };
            // A cell per value column of each row (a long table: one per row).
            let cells = self.table.len() * self.column_measures.len().max(1);
            let problems = self.problems.len();
            self.cells.reserve(cells);
            self.rows(&aggregates)?;
            if self.cells.repeats_a_key() {
                self.problems.truncate(problems);
                self.dataset.duplicates.clear();
                self.cells = CellsBuilder::default();
                self.cells.reserve(cells);
                self.seen = Some(HashSet::new());
                self.rows(&aggregates)?;
            }
        }
        self.finish_combinations();
        let report = self.report();
        Ok((self.dataset, report))
    }

    fn problem(&mut self, line: usize, column: Option<usize>, message: Message) {
        // A file with thousands of bad rows says so once they pass the limit, not thousands of times.
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(Problem {
                line,
                column: column.map(|j| j + 1),
                message,
            });
        } else if self.problems.len() == MAX_PROBLEMS {
            self.problems.push(Problem {
                line,
                column: None,
                message: Message::new(&message::HINT_MORE),
            });
        }
    }

    fn measure(
        &mut self,
        key: &str,
        label: &str,
        unit: Option<&str>,
        kind: crate::dataset::MeasureKind,
    ) -> usize {
        if let Some(&m) = self.measures.get(key) {
            return m;
        }
        let m = self.dataset.measures.len();
        self.dataset.measures.push(Measure {
            key: key.to_string(),
            label: label.trim().to_string(),
            unit: unit.map(str::to_string),
            kind,
            statistic: self.table.statistic().map(str::to_string),
        });
        self.measures.insert(key.to_string(), m);
        m
    }

    fn rows(&mut self, aggregates: &BTreeSet<String>) -> Result<()> {
        for i in 0..self.table.len() {
            self.row(i, aggregates)?;
        }
        Ok(())
    }

    fn row(&mut self, i: usize, aggregates: &BTreeSet<String>) -> Result<()> {
        let table = self.table;
        let row = table.row(i);
        let line = row.line();
        let name = self.roles.municipality.map_or("", |j| row.get(j).trim());
        let code = self.roles.code.map_or("", |j| row.get(j).trim());
        let unnamed_city =
            self.district && self.roles.municipality.is_none() && self.roles.code.is_none();
        if name.is_empty() && code.is_empty() && !unnamed_city {
            let column = self.roles.municipality.or(self.roles.code);
            self.problem(line, column, Message::new(&message::HINT_NO_MUNICIPALITY));
            return Ok(());
        }
        let (row_year, row_date) = match self.roles.year {
            Some(j) => {
                let text = row.get(j).trim();
                match year_of(table, text) {
                    Some(y) => (Some(y), text),
                    // A mistyped year (`20x0`, `1850`) must not lose or misplace its row
                    // quietly: the file is refused with the cell.
                    None if text.bytes().any(|b| b.is_ascii_digit()) => {
                        return Err(Error::new(ErrorKind::Table {
                            msg: Message::new(&message::YEAR_OUT_OF_RANGE).with("text", text),
                            pos: Position {
                                file: None,
                                line: Some(line),
                                column: Some(j + 1),
                            },
                        }));
                    }
                    None => {
                        self.problem(
                            line,
                            Some(j),
                            Message::new(&message::HINT_NOT_A_YEAR).with("text", text),
                        );
                        return Ok(());
                    }
                }
            }
            None => (self.layout.year, ""),
        };
        let municipality = self.municipality(name, code, aggregates);
        let dims: Vec<String> = self
            .roles
            .dimensions
            .iter()
            .map(|&j| row.get(j).trim().to_string())
            .collect();
        let long_measure = match self
            .roles
            .measure_name
            .filter(|_| self.layout.shape == Shape::Long)
        {
            Some(j) => {
                let label = row.get(j).trim();
                let key = measure_key(label);
                if key.is_empty() {
                    self.problem(line, Some(j), Message::new(&message::HINT_NO_MEASURE));
                    return Ok(());
                }
                let unit_cell = self
                    .roles
                    .unit
                    .map(|u| row.get(u).trim())
                    .filter(|u| !u.is_empty());
                let key = match unit_cell {
                    Some(unit) if self.keys_with_units.contains(&key) => {
                        format!("{key}_{}", unit_key(unit))
                    }
                    _ => key,
                };
                let written =
                    |says: fn(&str) -> bool| self.roles.values.iter().any(|&v| says(row.get(v)));
                let unit = unit_cell
                    .or(written(is_percent).then_some("%"))
                    .or(written(is_euro).then_some("EUR"));
                Some(self.measure(&key, label, unit, measure_kind(label, unit)))
            }
            None => None,
        };
        // The row's combinations by Stichtag (one without quarterly dates).
        let mut combinations: Vec<(&str, usize)> = Vec::new();
        // Wide rows repeat as a whole (the municipality–year pair), long rows per measure.
        let mut row_years: Vec<(i32, usize, bool)> = Vec::new();
        for v in 0..self.roles.values.len() {
            let j = self.roles.values[v];
            let column: &LayoutColumn = &self.layout.columns[j];
            let Some(year) = column.year.or(row_year) else {
                continue;
            };
            let date = self.stichtage.of(column, year, row_date);
            let combination = match combinations.iter().find(|(d, _)| *d == date) {
                Some(&(_, c)) => c,
                None => {
                    let mut values = Vec::with_capacity(dims.len() + 1);
                    if self.stichtage.any() {
                        values.push(stichtag_text(date));
                    }
                    values.extend(dims.iter().cloned());
                    let next = self.combinations.len();
                    let c = *self.combinations.entry(values).or_insert(next);
                    combinations.push((date, c));
                    c
                }
            };
            let source = Source {
                file: 0,
                line,
                column: j + 1,
            };
            let measure = match long_measure {
                Some(m) => {
                    let first = self
                        .seen
                        .as_mut()
                        .is_none_or(|s| s.insert(seen(municipality, combination, year, m)));
                    if !first {
                        self.dataset.duplicates.push(Duplicate {
                            municipality,
                            year,
                            source,
                        });
                        continue;
                    }
                    m
                }
                None => {
                    let known = row_years
                        .iter()
                        .find(|(y, c, _)| *y == year && *c == combination);
                    let counts = match known {
                        Some(&(_, _, counts)) => counts,
                        None => {
                            let counts = self.seen.as_ref().is_none_or(|s| {
                                !s.contains(&seen(municipality, combination, year, usize::MAX))
                            });
                            if !counts {
                                // The pair repeats, so point at the municipality's cell.
                                let column = self
                                    .roles
                                    .municipality
                                    .or(self.roles.code)
                                    .map_or(1, |j| j + 1);
                                self.dataset.duplicates.push(Duplicate {
                                    municipality,
                                    year,
                                    source: Source { column, ..source },
                                });
                            }
                            row_years.push((year, combination, counts));
                            counts
                        }
                    };
                    if !counts {
                        continue;
                    }
                    self.column_measures[v]
                }
            };
            let (value, flag) = parse_cell(row.get(j), column.format);
            let flag = flag.or_else(|| {
                let mark = row.get(self.quality[v]?);
                crate::read::flat::quality_flag(mark)
            });
            let key = CellKey {
                municipality,
                year,
                combination,
                measure,
            };
            self.cells.push(
                key,
                &Observation {
                    value,
                    flag,
                    source,
                },
            );
        }
        if let Some(s) = &mut self.seen {
            for (year, combination, _) in row_years {
                s.insert(seen(municipality, combination, year, usize::MAX));
            }
        }
        Ok(())
    }

    fn municipality(&mut self, name: &str, code: &str, aggregates: &BTreeSet<String>) -> usize {
        let key = match code.is_empty() {
            true => (false, name),
            false => (true, code),
        };
        let hash = self.hasher.hash_one(key);
        let known = &self.dataset.municipalities;
        if let Some(&m) = self
            .municipalities
            .find(hash, |&i| identity(&known[i]) == key)
        {
            return m;
        }
        let m = self.dataset.municipalities.len();
        self.dataset.municipalities.push(Municipality {
            name: if name.is_empty() { code } else { name }.to_string(),
            code: (!code.is_empty()).then(|| code.to_string()),
            aggregate: aggregates.contains(code) || is_aggregate_name(name),
        });
        let (known, hasher) = (&self.dataset.municipalities, &self.hasher);
        self.municipalities
            .insert_unique(hash, m, |&i| hasher.hash_one(identity(&known[i])));
        m
    }

    /// Number the dimension combinations, the total one (`Insgesamt` everywhere) first, and
    /// move the cells into the dataset.
    fn finish_combinations(&mut self) {
        let mut combinations: Vec<Vec<String>> = vec![Vec::new(); self.combinations.len()];
        for (combination, &i) in &self.combinations {
            combinations[i] = combination.clone();
        }
        if combinations.is_empty() {
            combinations.push(vec![String::new(); self.roles.dimensions.len()]);
        }
        let found = combinations
            .iter()
            .position(|c| c.iter().all(|v| is_total(v)));
        if found.is_none() && !self.cells.is_empty() && !self.district {
            // Without a total the default view is one group only; the user must know which.
            let shown = combinations[0].join(", ");
            self.problem(
                self.table.header_line(),
                self.roles.dimensions.first().copied(),
                Message::new(&message::HINT_NO_TOTAL).with("shown", shown),
            );
        }
        let total = found.unwrap_or(0);
        combinations.swap(0, total);
        let renumber = |c: usize| {
            if c == 0 {
                total
            } else if c == total {
                0
            } else {
                c
            }
        };
        let mut cells = std::mem::take(&mut self.cells);
        if total != 0 {
            cells.map_keys(|key| CellKey {
                combination: renumber(key.combination),
                ..key
            });
        }
        self.dataset.cells = cells.finish();
        self.dataset.combinations = combinations;
    }

    fn report(&mut self) -> LoadReport {
        LoadReport {
            municipalities: self.dataset.municipalities.len(),
            measures: self.dataset.measures.len(),
            years: self.dataset.years(),
            file_year: self.layout.year.filter(|_| self.roles.year.is_none()),
            cells: self.dataset.cells.len(),
            duplicates: self.dataset.duplicates.len(),
            problems: std::mem::take(&mut self.problems),
            ..LoadReport::of_table(self.table, self.layout)
        }
    }
}

/// A month or quarter, which a GENESIS table without region columns may have where the
/// region name would stand.
fn is_time_word(cell: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "januar",
        "februar",
        "märz",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "dezember",
    ];
    let c = cell.trim().to_lowercase();
    MONTHS.contains(&c.as_str()) || c.ends_with("quartal") || c.ends_with("halbjahr")
}

/// A dimension value that means "all of them".
pub(crate) fn is_total(value: &str) -> bool {
    let v = value.trim().to_lowercase();
    matches!(
        v.as_str(),
        "" | "insgesamt" | "gesamt" | "zusammen" | "alle" | "total" | "summe"
    )
}

/// Rows that sum up other rows in files without region codes (a ring's total line).
fn is_aggregate_name(name: &str) -> bool {
    let n = name.trim().to_lowercase();
    matches!(
        n.as_str(),
        "deutschland"
            | "insgesamt"
            | "gesamt"
            | "summe"
            | "ring insgesamt"
            | "durchschnitt"
            | "mittelwert"
    ) || n.starts_with("summe ")
}

/// The measure keys of a long table whose rows give them more than one unit.
fn several_units(table: &Table, name: usize, unit: usize) -> HashSet<String> {
    let mut units: HashMap<String, HashSet<&str>> = HashMap::new();
    for row in table.rows() {
        let unit = row.get(unit).trim();
        if !unit.is_empty() {
            let key = measure_key(row.get(name).trim());
            units.entry(key).or_default().insert(unit);
        }
    }
    units
        .into_iter()
        .filter(|(_, units)| units.len() > 1)
        .map(|(key, _)| key)
        .collect()
}

/// Two measure columns must not share a key for the same year and date (CONTRACT §1).
fn check_keys(layout: &Layout, values: &[usize], header_line: usize) -> Result<()> {
    for (n, &b) in values.iter().enumerate() {
        let cb = &layout.columns[b];
        let key = measure_key(&cb.key);
        let pos = Position {
            file: None,
            line: Some(header_line),
            column: Some(b + 1),
        };
        if key.is_empty() {
            return Err(Error::new(ErrorKind::Table {
                msg: Message::new(&message::NO_KEY).with("column", &cb.name),
                pos,
            }));
        }
        let clash = values[..n].iter().map(|&a| &layout.columns[a]).find(|ca| {
            measure_key(&ca.key) == key
                && ((ca.year == cb.year && ca.date == cb.date)
                    || ca.year.is_none()
                    || cb.year.is_none())
        });
        if clash.is_some() {
            return Err(Error::new(ErrorKind::DuplicateKey { key, pos }));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{Flag, Reason, Value};

    fn upload(text: &str) -> Upload {
        load("u.csv", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Cells as (municipality, year, combination values, measure key, value) in key order.
    fn cells(d: &Dataset) -> Vec<(String, i32, String, String, Value)> {
        d.cells
            .iter()
            .map(|(k, o)| {
                let m = d.municipalities[k.municipality].name.clone();
                let c = d.combinations[k.combination].join("/");
                (
                    m,
                    k.year,
                    c,
                    d.measures[k.measure].key.clone(),
                    o.value.clone(),
                )
            })
            .collect()
    }

    fn c(m: &str, y: i32, comb: &str, key: &str, v: Value) -> (String, i32, String, String, Value) {
        (m.into(), y, comb.into(), key.into(), v)
    }

    #[test]
    fn long_table() {
        let u = upload("Stadt;Jahr;Merkmal;Einheit;Wert\nA;2019;Einwohner;Anzahl;100\nA;2019;Quote;%;1,5\nA;2019;Einwohner;Anzahl;999\nB;2020;Einwohner;Anzahl;.\n");
        let n = Value::Number;
        assert_eq!(
            cells(&u.dataset),
            vec![
                c("A", 2019, "", "einwohner", n(100.0)),
                c("A", 2019, "", "quote", n(1.5)),
                c("B", 2020, "", "einwohner", Value::Missing(Reason::Unknown)),
            ]
        );
        let units: Vec<Option<&str>> = u
            .dataset
            .measures
            .iter()
            .map(|m| m.unit.as_deref())
            .collect();
        assert_eq!(units, [Some("Anzahl"), Some("%")]);
        assert_eq!(
            u.dataset.measures[1].kind,
            crate::dataset::MeasureKind::Rate
        );
        assert_eq!(
            (
                u.dataset.duplicates.len(),
                u.dataset.duplicates[0].source.line
            ),
            (1, 4)
        );
    }

    #[test]
    fn rows_read_again_for_a_repeat_report_their_problems_once() {
        let u = upload("Kommune;Jahr;Wert\n;2019;1\nA;2019;1\nB;2019;3\nA;2019;2\n");
        let problems: Vec<usize> = u.report.problems.iter().map(|p| p.line).collect();
        assert_eq!(problems, [2]);
        let dup: Vec<usize> = u.dataset.duplicates.iter().map(|d| d.source.line).collect();
        assert_eq!(dup, [5]);
        assert_eq!(u.dataset.value(0, 2019, 0), Value::Number(1.0));
        assert_eq!(u.dataset.cells.len(), 2);
    }

    #[test]
    fn dimensions_put_the_total_first() {
        let u = upload("Kommune;Jahr;Geschlecht;Einwohner\nA;2019;männlich;40\nA;2019;weiblich;60\nA;2019;Insgesamt;100\nB;2019;männlich;5\n");
        let d = &u.dataset;
        assert_eq!(d.dimensions, ["Geschlecht"]);
        assert_eq!(
            d.combinations,
            [
                vec!["Insgesamt".to_string()],
                vec!["weiblich".into()],
                vec!["männlich".into()]
            ]
        );
        assert_eq!(
            d.get(0, 2019, 0).map(|o| o.value),
            Some(Value::Number(100.0))
        );
        assert!(d.duplicates.is_empty());
    }

    #[test]
    fn wide_by_year_repeats_and_flags() {
        let text = "GENESIS-Tabelle: x\n;;2015;2014\n;;Insgesamt;Insgesamt\nDG;Deutschland;10p;(9)\n05;NRW;5;4\n05111;Düsseldorf;0;/\n05111;Düsseldorf;7;8\n";
        let u = upload(text);
        let d = &u.dataset;
        let dup: Vec<(usize, i32, usize)> = d
            .duplicates
            .iter()
            .map(|x| (x.municipality, x.year, x.source.line))
            .collect();
        assert_eq!(dup, [(2, 2015, 7), (2, 2014, 7)]);
        let aggregate: Vec<bool> = d.municipalities.iter().map(|m| m.aggregate).collect();
        assert_eq!(aggregate, [true, true, false]);
        let flags: Vec<(i32, Option<Flag>)> =
            d.cells.iter().map(|(k, o)| (k.year, o.flag)).collect();
        assert_eq!(
            flags[..2],
            [
                (2014, Some(Flag::Uncertain)),
                (2015, Some(Flag::Provisional))
            ]
        );
        let o = d.get(2, 2015, 0).unwrap();
        assert_eq!(
            (&o.value, o.flag, o.source.line),
            (&Value::Number(0.0), Some(Flag::Rounded), 6)
        );
        assert_eq!(
            d.get(2, 2014, 0).map(|o| o.value),
            Some(Value::Missing(Reason::Unreliable))
        );
    }

    /// `vergleichsring load` records as (code, year, dimensions, measure, value).
    fn records(text: &str) -> Vec<(String, i32, Vec<String>, String, Value)> {
        let u = upload(text);
        let d = &u.dataset;
        d.cells
            .iter()
            .map(|(k, o)| {
                let m = &d.municipalities[k.municipality];
                (
                    m.code.clone().unwrap_or_default(),
                    k.year,
                    d.combinations[k.combination].clone(),
                    d.measures[k.measure].key.clone(),
                    o.value.clone(),
                )
            })
            .collect()
    }

    fn r(
        code: &str,
        year: i32,
        dims: &[&str],
        key: &str,
        v: f64,
    ) -> (String, i32, Vec<String>, String, Value) {
        let dims = dims.iter().map(|d| d.to_string()).collect();
        (code.into(), year, dims, key.into(), Value::Number(v))
    }

    #[test]
    fn genesis_bare_year_in_the_first_column() {
        let text = "GENESIS-Tabelle: 13312-01-04-4\nErwerbstätige;;;\n- Jahresdurchschnitt - (ab 2003);;;\n;;;Erwerbstätige;Erwerbstätige\n;;;Insgesamt;Baugewerbe (F)\n;;;1000;1000\n2014;DG;Deutschland;42703,0;2443,0\n2014;01001;      Flensburg, Kreisfreie Stadt;58,0;1,4\n2013;01001;      Flensburg, Kreisfreie Stadt;57,5;-\n__________\n\"zu \"\"x\"\"\nText\"\n";
        let got = records(text);
        assert_eq!(
            got,
            [
                r("DG", 2014, &[], "erwerbstaetige_insgesamt", 42703.0),
                r("DG", 2014, &[], "erwerbstaetige_baugewerbe_f", 2443.0),
                r("01001", 2013, &[], "erwerbstaetige_insgesamt", 57.5),
                r("01001", 2013, &[], "erwerbstaetige_baugewerbe_f", 0.0),
                r("01001", 2014, &[], "erwerbstaetige_insgesamt", 58.0),
                r("01001", 2014, &[], "erwerbstaetige_baugewerbe_f", 1.4),
            ]
        );
        let u = upload(text);
        assert_eq!(
            u.dataset.municipalities[1].name,
            "Flensburg, Kreisfreie Stadt"
        );
        assert_eq!(u.dataset.measures[0].unit.as_deref(), Some("1000"));
        assert_eq!(
            u.report
                .recognised
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("GENESIS-Tabelle 13312-01-04-4, Jahr in Spalte 1, Einheiten aus Zeile 6")
        );
    }

    #[test]
    fn genesis_units_shares_and_quarters() {
        // A count and its share keep apart with their units; quarterly Stichtage become the
        // first dimension where a year has several, and no year comes from running title text.
        let text = "GENESIS-Tabelle: 31231-01-01-4\nGebäude (bis 2014);;;;\n;;;31.03.2020;31.03.2020;30.06.2020;31.12.2019\n;;;Gebäude;Gebäude;Gebäude;Gebäude\n;;;Anzahl;%;Anzahl;qkm\nDG;Deutschland;männlich;1;2,5;3;4\n";
        assert_eq!(
            records(text),
            [
                r("DG", 2019, &["", "männlich"], "gebaeude", 4.0),
                r(
                    "DG",
                    2020,
                    &["31.03.2020", "männlich"],
                    "gebaeude_anzahl",
                    1.0
                ),
                r(
                    "DG",
                    2020,
                    &["31.03.2020", "männlich"],
                    "gebaeude_prozent",
                    2.5
                ),
                r("DG", 2020, &["30.06.2020", "männlich"], "gebaeude", 3.0),
            ]
        );
        assert_eq!(upload(text).dataset.dimensions, ["Stichtag", "dim1"]);
        let rows = "GENESIS-Tabelle: 1\n;;;Fälle\n;;;Anzahl\n31.03.2020;DG;D;1\n30.06.2020;DG;D;2\n31.12.2019;DG;D;3\n";
        assert_eq!(
            records(rows),
            [
                r("DG", 2019, &[""], "faelle", 3.0),
                r("DG", 2020, &["30.06.2020"], "faelle", 2.0),
                r("DG", 2020, &["31.03.2020"], "faelle", 1.0),
            ]
        );
    }

    #[test]
    fn genesis_year_of_a_title_line() {
        let census = "GENESIS-Tabelle: 12111-02-01-5\nZensus;;\nStichtag: 09.05.2011;;\n;;Einwohner\n;;Anzahl\n01001000;Flensburg, Stadt;89504\n";
        assert_eq!(
            records(census),
            [r("01001000", 2011, &[], "einwohner", 89504.0)]
        );
        let running = "GENESIS-Tabelle: 1\nEinwohner (ab 2003);;\n- 2003 bis 2007 -;;\n;;Einwohner\n;;Anzahl\n01001000;Flensburg, Stadt;89504\n";
        let e = load("g.csv", running.as_bytes()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Datei g.csv, Zeile 4, Spalte 3: Keine Spalte für das Jahr (Jahr, Stichtag) gefunden."
        );
    }

    #[test]
    fn refusals_say_where_and_why() {
        let mistyped = "GENESIS-Tabelle: 22311-01-01-4\nWohngeld;;;\n;;;Haushalte\n;;;Anzahl\n2014;01001;Flensburg;10\n20x0;01002;Kiel;20\n";
        let e = load("w.csv", mistyped.as_bytes()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Datei w.csv, Zeile 6, Spalte 1: „20x0“ steht in der Jahresspalte, ist aber kein Jahr zwischen 1900 und 2100 (und kein Stichtag)."
        );
        let months = "GENESIS-Tabelle: 12411-0002\nTitel;;\n;;Bevölkerung\n;;Anzahl\n1950;Januar;100\n1950;Februar;101\n";
        let e = load("m.csv", months.as_bytes()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("Datei m.csv, Zeile 5, Spalte 2: „Januar“ ist ein Zeitabschnitt"),
            "{e}"
        );
        let online =
            "GENESIS-Tabelle: 12411-0001\nBevölkerung;\nStichtag;Anzahl\n31.12.1950;69346297\n";
        let e = load("o.csv", online.as_bytes()).unwrap_err();
        assert!(
            e.to_string().starts_with(
                "Datei o.csv, Zeile 1: Den Tabellenkopf dieser GENESIS-Tabelle finde ich nicht"
            ),
            "{e}"
        );
        let plain = "Kommune;Jahr;Einwohner\nA;2019;1\nB;1850;2\n";
        let e = load("p.csv", plain.as_bytes()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("Datei p.csv, Zeile 3, Spalte 2: „1850“"),
            "{e}"
        );
        let headless = "GENESIS-Tabelle: 12411-0001\nBevölkerung;\n;Bevölkerung\n;Anzahl\n31.12.2019;83166711\n";
        let e = load("h.csv", headless.as_bytes()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Datei h.csv, Zeile 3: Den Tabellenkopf dieser GENESIS-Tabelle (Zeilen 3–4) verstehe ich nicht: vor der ersten Wertespalte stehen keine Spalten für Regionalschlüssel und Regionsnamen."
        );
    }

    #[test]
    fn flat_files_in_both_layouts() {
        let english = "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;2_variable_code;2_variable_label;2_variable_attribute_code;2_variable_attribute_label;value;value_unit;value_variable_code;value_variable_label;value_q\n12411;Bev;STAG;Stichtag;2024-12-31;KREISE;Kreise;08222;Mannheim, Stadtkreis;GES;Geschlecht;GESW;weiblich;158789;Anzahl;BEVSTD;Bevölkerungsstand;p\n12411;Bev;STAG;Stichtag;2024-12-31;KREISE;Kreise;08222;Mannheim, Stadtkreis;GES;Geschlecht;;Insgesamt;50,5;%;BEVSTD;Bevölkerungsstand;e\n12411;Bev;STAG;Stichtag;2023-12-31;KREISE;Kreise;;Insgesamt;GES;Geschlecht;;Insgesamt;.;Anzahl;BEVSTD;Bevölkerungsstand;\n";
        let u = upload(english);
        assert_eq!(u.layout.shape, Shape::Long);
        assert_eq!(u.dataset.dimensions, ["Geschlecht"]);
        assert_eq!(
            records(english)[..2],
            [
                r(
                    "08222",
                    2024,
                    &["Insgesamt"],
                    "bevoelkerungsstand_prozent",
                    50.5
                ),
                r(
                    "08222",
                    2024,
                    &["weiblich"],
                    "bevoelkerungsstand_anzahl",
                    158789.0
                ),
            ]
        );
        let flags: Vec<Option<Flag>> = u.dataset.cells.values().map(|o| o.flag).collect();
        assert!(flags.contains(&Some(Flag::Provisional)));
        let total = &u.dataset.municipalities[1];
        assert_eq!(
            (total.name.as_str(), &total.code, total.aggregate),
            ("Insgesamt", &None, true)
        );
        assert_eq!(u.dataset.measures[0].statistic.as_deref(), Some("12411"));
        let german = "Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;1_Auspraegung_Code;1_Auspraegung_Label;     FLC006__Gebietsflaeche__qkm\n11111;Feststellung;STAG;Stichtag;31.12.2022;DLAND;Bundesländer;08;Baden-Württemberg;35747,85\n11111;Feststellung;STAG;Stichtag;31.12.2022;DLAND;Bundesländer;;Insgesamt;357595,99\n";
        assert_eq!(
            records(german)[0],
            r("08", 2022, &[], "gebietsflaeche", 35747.85)
        );
        assert_eq!(
            upload(german)
                .report
                .recognised
                .map(|k| k.to_string())
                .as_deref(),
            Some("GENESIS-Flatfile-CSV 11111 (deutsche Spaltennamen), Jahr in Spalte 5")
        );
    }

    #[test]
    fn edited_layout_applies_at_once() {
        let mut u = upload("Kommune;Jahr;Einwohner;Quote\nA;2019;1.234;10,5\n");
        let mut layout = u.layout.clone();
        layout.columns[2].key = "ew".into();
        layout.columns[3].role = Role::Ignore;
        u.set_layout(layout).unwrap();
        let keys: Vec<&str> = u.dataset.measures.iter().map(|m| m.key.as_str()).collect();
        assert_eq!((keys, u.dataset.cells.len()), (vec!["ew"], 1));
        let mut clash = u.layout.clone();
        clash.columns[3].role = Role::Measure;
        clash.columns[3].key = "EW".into();
        let e = u.set_layout(clash).unwrap_err();
        assert_eq!(e.to_string(), "Datei u.csv, Zeile 1, Spalte 4: Der Schlüssel „ew“ käme doppelt vor; Spalten umbenennen oder eine weglassen.");
        assert_eq!(
            u.dataset.measures.len(),
            1,
            "a failed edit keeps the dataset"
        );
        let mut plain = u.layout.clone();
        plain.columns[2].format = crate::read::number::NumberFormat::Plain;
        u.set_layout(plain).unwrap();
        assert_eq!(
            u.dataset.cells.values().next().map(|o| o.value),
            Some(Value::Number(1.234))
        );
    }

    #[test]
    fn year_of_the_whole_file() {
        let u = upload("Kennzahlen 2023;;\nKommune;Einwohner;Quote\nA;100;1,5\n");
        assert_eq!((u.layout.year, u.dataset.years()), (Some(2023), vec![2023]));
        assert!(u
            .report
            .to_string()
            .contains("Jahre 2023–2023 (ohne Jahresspalte: alle Zeilen im Jahr 2023)"));
        let mut layout = u.layout.clone();
        layout.year = Some(2024);
        let (d, _) = build_dataset(&u.table, &layout).unwrap();
        assert_eq!(d.years(), [2024]);
        layout.year = None;
        let e = build_dataset(&u.table, &layout).unwrap_err();
        assert!(e.to_string().contains("Keine Spalte für das Jahr"), "{e}");
    }

    #[test]
    fn case_level_builds_no_cells() {
        let mut rows = String::from("Fall-ID;Kommune;Leistungsart;Bruttoausgaben\n");
        for i in 0..30 {
            rows.push_str(&format!("F{i};{};HLU;1,5\n", ["A", "B"][i % 2]));
        }
        let u = upload(&rows);
        assert_eq!(
            (u.layout.shape, u.report.rows, u.dataset.cells.len()),
            (Shape::CaseLevel, 30, 0)
        );
        assert_eq!(u.dataset.combinations, [vec![String::new()]]);
        assert!(u.report.to_string().contains("Fallebene"));
    }

    #[test]
    fn many_problems_are_cut_short() {
        let mut text = String::from("Kommune;Jahr;Wert\n");
        for i in 0..300 {
            text.push_str(&format!(";{};1\n", 1800 + i));
        }
        text.push_str("B;2019;1\n");
        let u = upload(&text);
        assert_eq!(u.report.problems.len(), MAX_PROBLEMS + 1);
        assert_eq!(
            (u.report.problems[MAX_PROBLEMS].line, u.dataset.cells.len()),
            (202, 1)
        );
    }

    #[test]
    fn report_before_the_dataset() {
        let u = upload("Titel\nKommune;Jahr;Wert\nA;2019;1\n");
        let r = LoadReport::of_table(&u.table, &u.layout);
        assert_eq!(
            (r.rows, r.header_line, r.cells, r.skipped.len()),
            (1, 2, 0, 1)
        );
        assert_eq!(
            LoadReport {
                municipalities: 1,
                measures: 1,
                years: vec![2019],
                cells: 1,
                ..r
            },
            u.report
        );
    }

    #[test]
    fn report_text() {
        let u = upload("Titel\n\nKommune;Jahr;Wert\nA;2019;1\n");
        let text = u.report.to_string();
        assert!(
            text.starts_with(
                "u.csv: UTF-8, Trennzeichen „;“, Kopfzeile in Zeile 3, 1 Datenzeilen, 3 Spalten"
            ),
            "{text}"
        );
        assert!(
            text.contains("\n  übersprungen, Zeile 1: Titel\n  übersprungen, Zeile 2: (leer)"),
            "{text}"
        );
    }
}
