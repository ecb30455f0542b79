//! The table: an upload split into records of fields, with the header block found and the
//! title, blank and footnote lines around the data set aside (and listed, never lost).
//!
//! Fields are kept in one string buffer with end offsets, not one `String` per cell, because
//! the app keeps the table for the preview and case-level files have millions of cells.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Position, Result};
use crate::message::{self, Message};
use crate::read::decode::decode;
use crate::read::dialect::sniff_separator;
use crate::read::number::{parse_number, parse_year, NumberFormat};

/// How to read an upload. The default detects everything.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadOptions {
    /// An encoding label (`windows-1252`, `utf-8`, `utf-16le`, `latin1`, …) instead of detection.
    pub encoding: Option<String>,
    /// A separator (`;` `,` tab `|` or any other ASCII character) instead of sniffing.
    pub separator: Option<char>,
    /// The 1-based line where the header starts, instead of finding it.
    pub header_line: Option<usize>,
}

/// A line that is not part of the table: a title above the header, a blank line, a footnote or
/// source line below the data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedLine {
    /// 1-based line in the decoded text (the first one when a quoted field spans several).
    pub line: usize,
    /// Its text (fields joined by the separator, trailing empty fields dropped).
    pub text: String,
}

/// The records of a table: the first field of each in `ends` (its fields run to the next
/// record's first, the last record's to the end of `ends`), and its line. Most records have as
/// many fields as the one before and start on the line after it, so only the records where
/// that changes are kept: a table of millions of lines keeps a few dozen bytes, and a ragged
/// one at most a run of two records per change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Records {
    len: u32,
    /// `(record, first, width)` where a run of records of one width begins: record `i` of
    /// the run that begins at `record` has its first field at `first + (i - record) * width`
    /// (the width is set by the run's second record).
    runs: Vec<(u32, u32, u32)>,
    /// `(record, line)` of the first record and of every record not on the line after the
    /// record before it (after blank or skipped lines, a field over several lines), in order;
    /// the records between take the lines that follow.
    lines: Vec<(u32, u32)>,
}

impl Records {
    fn len(&self) -> usize {
        self.len as usize
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn push(&mut self, line: u32, first: u32) {
        let i = self.len;
        if self.line(i as usize) != Some(line as usize) {
            self.lines.push((i, line));
        }
        match self.runs.last_mut() {
            Some((r, f, w)) if i - *r == 1 && first >= *f => *w = first - *f,
            Some(&mut (r, f, w))
                if u64::from(f) + u64::from(i - r) * u64::from(w) == u64::from(first) => {}
            _ => self.runs.push((i, first, 0)),
        }
        self.len += 1;
    }

    /// The first field of record `i`; panics when `i >= len()`, as indexing a slice does.
    fn first(&self, i: usize) -> u32 {
        assert!(i < self.len(), "record {i} of {}", self.len);
        let k = self.runs.partition_point(|&(r, _, _)| r as usize <= i) - 1;
        let (r, f, w) = self.runs[k];
        // Fits: every first field was a u32 when pushed.
        f + (i as u32 - r) * w
    }

    /// The line of record `i` (also of one beyond the last, as if it followed).
    fn line(&self, i: usize) -> Option<usize> {
        let k = self.lines.partition_point(|&(r, _)| r as usize <= i);
        let (r, line) = *self.lines.get(k.checked_sub(1)?)?;
        Some(line as usize + (i - r as usize))
    }

    /// The record that starts on `line`.
    fn at_line(&self, line: usize) -> Option<usize> {
        let k = self.lines.partition_point(|&(_, l)| l as usize <= line);
        let (r, l) = *self.lines.get(k.checked_sub(1)?)?;
        let end = self
            .lines
            .get(k)
            .map_or(self.len(), |&(next, _)| next as usize);
        let i = r as usize + (line - l as usize);
        (i < end).then_some(i)
    }

    /// Keeps the records `range`.
    fn keep(&mut self, range: std::ops::Range<usize>) {
        let mut kept = Records::default();
        for i in range {
            // Fits: lines were counted in u32.
            kept.push(self.line(i).unwrap_or(0) as u32, self.first(i));
        }
        *self = kept;
    }
}

/// Where the fields of a table end in its text: each field's length in a byte (those of 255
/// bytes and more listed apart), and the end of every [`MARK`]th field whole, so that a
/// field's end is at most `MARK - 1` lengths away. A field of a table of one-digit values takes
/// two bytes of the file; it takes 1¼ bytes here (four as a plain end offset).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Ends {
    lens: Vec<u8>,
    /// The ends of fields 0, `MARK`, 2·`MARK`, …
    marks: Vec<u32>,
    /// `(field, length)` of every field of [`LONG`] bytes or more, in order.
    long: Vec<(u32, u32)>,
    /// The end of the last field.
    last: u32,
}

/// Fields between two whole ends in [`Ends`].
const MARK: usize = 16;
/// A length in [`Ends::lens`] that says the field's length is listed in [`Ends::long`].
const LONG: u8 = u8::MAX;

impl Ends {
    fn len(&self) -> usize {
        self.lens.len()
    }

    /// Adds a field that ends at `end` (not before the last one).
    fn push(&mut self, end: u32) {
        let k = self.lens.len();
        let len = end.saturating_sub(self.last);
        match u8::try_from(len) {
            Ok(short) if short < LONG => self.lens.push(short),
            _ => {
                self.lens.push(LONG);
                // Fits: the fields are counted in u32 as the records' first fields are.
                self.long.push((k as u32, len));
            }
        }
        if k.is_multiple_of(MARK) {
            self.marks.push(end);
        }
        self.last = end;
    }

    /// The length of field `k`.
    fn field_len(&self, k: usize) -> Option<u32> {
        match *self.lens.get(k)? {
            LONG => {
                let i = self
                    .long
                    .binary_search_by_key(&k, |&(f, _)| f as usize)
                    .ok()?;
                Some(self.long[i].1)
            }
            short => Some(u32::from(short)),
        }
    }

    /// The end of field `k`.
    fn get(&self, k: usize) -> Option<u32> {
        let mark = *self.marks.get(k / MARK)?;
        (k / MARK * MARK + 1..=k).try_fold(mark, |end, i| Some(end + self.field_len(i)?))
    }

    /// Keeps the first `n` fields.
    fn truncate(&mut self, n: usize) {
        self.lens.truncate(n);
        self.marks.truncate(n.div_ceil(MARK));
        let long = self.long.partition_point(|&(f, _)| (f as usize) < n);
        self.long.truncate(long);
        self.last = n.checked_sub(1).and_then(|k| self.get(k)).unwrap_or(0);
    }
}

/// A record's line, first field and number of fields.
#[derive(Clone, Copy, Debug)]
struct RowMeta {
    line: u32,
    first: u32,
    len: u32,
}

/// An upload read as a table: the header block (one line, or several for GENESIS exports) and
/// the data rows below it. Serializable, so a worker can hand it to the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    file_name: String,
    encoding: String,
    separator: u8,
    buf: String,
    /// Where every field ends in `buf`; a field starts where the one before it ends.
    ends: Ends,
    /// The records, contiguous in `ends`.
    rows: Records,
    header_rows: usize,
    width: usize,
    genesis: bool,
    /// A GENESIS flat-file CSV (ffcsv), and which of its two layouts.
    #[serde(default)]
    flat: Option<FlatLayout>,
    /// The GENESIS table code (`12411-01-01-4`) or the flat file's statistic code.
    #[serde(default)]
    code: Option<String>,
    skipped: Vec<SkippedLine>,
    /// Skipped lines not listed in `skipped` (beyond the first and last [`LISTED_SKIPPED`]).
    #[serde(default)]
    skipped_more: usize,
    /// Blank lines while the records are split; listed (or counted) when the table is framed.
    #[serde(skip)]
    blank: Vec<u32>,
    /// Records wider than a table may be, in line order; checked when the table is framed.
    #[serde(skip)]
    wide: Vec<Wide>,
}

/// How many skipped lines are listed at the start and at the end of a file; the others are
/// counted. Titles are at the start and sources at the end; a file of millions of lines of
/// one cell each would otherwise keep a text for each of them (hundreds of megabytes).
pub const LISTED_SKIPPED: usize = 500;

/// The two layouts of GENESIS flat-file CSV (CONTRACT §1), told apart by their column names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlatLayout {
    /// `statistics_code;…;time;1_variable_code;…;value;value_unit;value_variable_label`: one
    /// value per row.
    English,
    /// `Statistik_Code;…;Zeit;1_Merkmal_Code;…;CODE__Label__Einheit`: one column per value.
    German,
}

impl FlatLayout {
    fn of_header(names: &[&str]) -> Option<FlatLayout> {
        let has = |n: &str| names.contains(&n);
        if has("statistics_code") && has("time") && has("value") {
            Some(FlatLayout::English)
        } else if has("Statistik_Code") && has("Zeit") {
            Some(FlatLayout::German)
        } else {
            None
        }
    }

    fn statistic_column(self) -> &'static str {
        match self {
            FlatLayout::English => "statistics_code",
            FlatLayout::German => "Statistik_Code",
        }
    }
}

/// One record of a table.
#[derive(Clone, Copy, Debug)]
pub struct Row<'a> {
    table: &'a Table,
    meta: RowMeta,
}

impl<'a> Row<'a> {
    /// The 1-based line where the record starts.
    pub fn line(&self) -> usize {
        self.meta.line as usize
    }

    /// The number of fields the record has in the file; of a record wider than a table may
    /// be, the 20,001 kept (framing refuses such a record wherever the rest would count).
    pub fn len(&self) -> usize {
        self.meta.len as usize
    }

    /// Whether the record has no fields.
    pub fn is_empty(&self) -> bool {
        self.meta.len == 0
    }

    /// Field `j` (0-based) as written, or `""` beyond the record's end.
    pub fn get(&self, j: usize) -> &'a str {
        if j >= self.len() {
            return "";
        }
        let k = self.meta.first as usize + j;
        // `get`, not indexing: a deserialized table may not hold together.
        let ends = &self.table.ends;
        let (end, len) = (ends.get(k).unwrap_or(0), ends.field_len(k).unwrap_or(0));
        let range = end.saturating_sub(len) as usize..end as usize;
        self.table.buf.get(range).unwrap_or("")
    }

    /// The fields in order.
    pub fn fields(&self) -> impl Iterator<Item = &'a str> + 'a {
        let row = *self;
        (0..row.len()).map(move |j| row.get(j))
    }
}

impl Table {
    /// The upload's file name.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The encoding's display name (`UTF-8`, `UTF-8 (BOM)`, `Windows-1252`, `UTF-16LE`, …).
    pub fn encoding(&self) -> &str {
        &self.encoding
    }

    /// The field separator.
    pub fn separator(&self) -> char {
        self.separator as char
    }

    /// Whether the file is a GENESIS/Regionalstatistik export (`GENESIS-Tabelle: …`).
    pub fn is_genesis(&self) -> bool {
        self.genesis
    }

    /// Whether the file is a GENESIS flat-file CSV, and in which layout.
    pub fn flat_layout(&self) -> Option<FlatLayout> {
        self.flat
    }

    /// The GENESIS table code (`12411-01-01-4`), or a flat file's statistic code (`12411`).
    pub fn table_code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The official statistic the table comes from: its table code up to the first `-`
    /// (`12411` of `GENESIS-Tabelle: 12411-01-01-4`, `AI002` of `AI002-2`).
    pub fn statistic(&self) -> Option<&str> {
        let code = self.code.as_deref()?;
        code.split('-').next().filter(|c| !c.is_empty())
    }

    /// The number of columns (the header block's widest line).
    pub fn width(&self) -> usize {
        self.width
    }

    /// The header block's lines, top to bottom (one for most files).
    pub fn header(&self) -> impl Iterator<Item = Row<'_>> {
        (0..self.header_rows).map(move |i| self.row_at(i))
    }

    /// The 1-based line of the header (its first line).
    pub fn header_line(&self) -> usize {
        self.rows.line(0).unwrap_or(0)
    }

    /// The number of lines in the header block.
    pub fn header_len(&self) -> usize {
        self.header_rows
    }

    /// The number of data rows.
    pub fn len(&self) -> usize {
        self.rows.len() - self.header_rows
    }

    /// Whether there are no data rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Data row `i` (0-based); panics when `i >= len()`, as indexing a slice does.
    pub fn row(&self, i: usize) -> Row<'_> {
        self.row_at(self.header_rows + i)
    }

    /// The data rows in order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        (self.header_rows..self.rows.len()).map(move |i| self.row_at(i))
    }

    /// Lines that are not part of the table, in line order: the first and the last
    /// [`LISTED_SKIPPED`] of them.
    pub fn skipped(&self) -> &[SkippedLine] {
        &self.skipped
    }

    /// Record `i` of `rows` (header rows included); panics when `i >= rows.len()`.
    fn row_at(&self, i: usize) -> Row<'_> {
        let first = self.rows.first(i);
        let end = match i + 1 < self.rows.len() {
            true => self.rows.first(i + 1) as usize,
            false => self.ends.len(),
        };
        let len = end.saturating_sub(first as usize);
        Row {
            table: self,
            meta: RowMeta {
                // Fits: lines were counted in u32.
                line: self.rows.line(i).unwrap_or(0) as u32,
                first,
                // Fits: at most the fields of the table, which are counted in u32.
                len: len as u32,
            },
        }
    }

    /// How many more lines were skipped than [`Table::skipped`] lists.
    pub fn skipped_more(&self) -> usize {
        self.skipped_more
    }
}

/// Read an upload into a table: decode, sniff the separator, split records, find the header
/// block, and set aside title, blank and footnote lines. Errors name the file.
pub fn read_table(file_name: &str, bytes: &[u8], opts: &ReadOptions) -> Result<Table> {
    read_table_with_progress(file_name, bytes, opts, &mut |_, _| {})
}

/// Like [`read_table`], telling `progress(done, total)` (bytes of decoded text) about every
/// mebibyte split, so a worker can report progress on large files.
pub fn read_table_with_progress(
    file_name: &str,
    bytes: &[u8],
    opts: &ReadOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Table> {
    read(file_name, bytes, opts, progress).map_err(|e| e.in_file(file_name))
}

fn read(
    file_name: &str,
    bytes: &[u8],
    opts: &ReadOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Table> {
    let decoded = decode(bytes, opts.encoding.as_deref())?;
    let text = decoded.text;
    let separator = match opts.separator {
        Some(c) if c.is_ascii() && !matches!(c, '"' | '\n' | '\r') => c as u8,
        Some(c) => {
            return Err(Error::new(ErrorKind::Other {
                msg: Message::new(&message::BAD_SEPARATOR).with("separator", c),
                pos: Position::default(),
            }))
        }
        None => excel_separator_line(&text).unwrap_or_else(|| sniff_separator(&text)),
    };
    let mut table = Table {
        file_name: file_name.to_string(),
        encoding: decoded.encoding,
        separator,
        buf: String::with_capacity(text.len()),
        ends: Ends::default(),
        rows: Records::default(),
        header_rows: 0,
        width: 0,
        genesis: false,
        flat: None,
        code: None,
        skipped: Vec::new(),
        skipped_more: 0,
        blank: Vec::new(),
        wide: Vec::new(),
    };
    split_records(&text, &mut table, progress)?;
    drop(text);
    let title = (!table.rows.is_empty()).then(|| table.row_at(0).get(0).trim());
    let code: Option<String> = title
        .and_then(|t| t.strip_prefix("GENESIS-Tabelle"))
        .map(|c| c.trim_start_matches(':').trim().to_string());
    table.genesis = code.is_some();
    table.code = code.filter(|c| !c.is_empty());
    frame(&mut table, opts.header_line)?;
    if !table.genesis && table.header_rows == 1 {
        let names: Vec<&str> = table
            .header()
            .flat_map(|r| r.fields())
            .map(str::trim)
            .collect();
        let flat = FlatLayout::of_header(&names);
        let column = flat.and_then(|f| names.iter().position(|n| *n == f.statistic_column()));
        let first = table.rows().next();
        let code = column.zip(first).map(|(j, r)| r.get(j).trim().to_string());
        table.flat = flat;
        if flat.is_some() {
            table.code = code.filter(|c| !c.is_empty());
        }
    }
    Ok(table)
}

/// Line numbers of byte offsets asked for in increasing order, counted as the csv reader ends
/// lines: LF, CRLF or (old Mac files) a lone CR.
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

impl Lines<'_> {
    /// The 1-based line of the byte at `byte`.
    fn at(&mut self, byte: usize) -> usize {
        let byte = byte.min(self.bytes.len());
        if byte < self.pos {
            (self.pos, self.line) = (0, 1);
        }
        let b = self.bytes;
        self.line += (self.pos..byte)
            .filter(|&i| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')))
            .count();
        self.pos = byte;
        self.line
    }
}

/// The separator Excel's `sep=;` first line names (the line itself is skipped as a title).
fn excel_separator_line(text: &str) -> Option<u8> {
    let first = text.lines().next()?.trim_end();
    match first.strip_prefix("sep=")?.as_bytes() {
        [sep] if *sep != b'"' => Some(*sep),
        _ => None,
    }
}

/// A record with more fields than a table may have columns: only its first [`STORED_FIELDS`]
/// are kept (a line of millions of separators took hundreds of megabytes otherwise). What
/// was not kept is known well enough to refuse it wherever it is used, never to misread it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Wide {
    line: u32,
    /// The record's fields in the file.
    fields: usize,
    /// The first field (0-based) beyond the kept ones that is not blank.
    filled: Option<usize>,
}

/// The fields kept of a record: one more than a table may have columns, so that a header as
/// wide as that is refused and a data row that wide is ragged.
const STORED_FIELDS: usize = MAX_COLUMNS + 1;

/// Split the text into records, field by field as they arrive (a record is never held whole
/// beyond [`STORED_FIELDS`]); blank records go straight to the skipped lines.
fn split_records(
    text: &str,
    table: &mut Table,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<()> {
    const STEP: usize = 1 << 20;
    let mut next_report = STEP;
    let bytes = text.as_bytes();
    let mut lines = Lines {
        bytes,
        pos: 0,
        line: 1,
    };
    let mut reader = csv_core::ReaderBuilder::new()
        .delimiter(table.separator)
        .build();
    let mut buf = std::mem::take(&mut table.buf).into_bytes();
    let mut out = [0u8; 4096];
    let mut pos = 0; // bytes of the text read
    let mut start = 0; // where the record began (blank lines before it included)
    let mut fields = 0; // fields of the record so far
    let mut blank = true; // whether the record so far is only separators and spaces
    let mut field_blank = true;
    let mut filled_beyond = None;
    let mut last_line = 0; // the last line of the record before
    loop {
        let (result, read, written) = reader.read_field(&bytes[pos..], &mut out);
        pos += read;
        let part = &out[..written];
        field_blank &= part.iter().all(u8::is_ascii_whitespace);
        if fields < STORED_FIELDS {
            buf.extend_from_slice(part);
        }
        let record_end = match result {
            csv_core::ReadFieldResult::InputEmpty | csv_core::ReadFieldResult::OutputFull => {
                continue
            }
            csv_core::ReadFieldResult::End => break,
            csv_core::ReadFieldResult::Field { record_end } => record_end,
        };
        if fields < STORED_FIELDS {
            // Checked for the whole buffer when the record ends.
            table.ends.push(buf.len() as u32);
        } else if !field_blank && filled_beyond.is_none() {
            filled_beyond = Some(fields);
        }
        fields += 1;
        blank &= field_blank;
        field_blank = true;
        if !record_end {
            continue;
        }
        to_u32(buf.len())?;
        if pos >= next_report {
            progress(pos, bytes.len());
            next_report = pos + STEP;
        }
        // Empty lines before a record are read with it; they belong to the listed blank lines.
        let first = start
            + bytes[start..pos]
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
        let line = lines.at(first);
        for empty in last_line + 1..line {
            table.blank.push(to_u32(empty)?);
        }
        last_line = lines.at(pos.saturating_sub(1).max(first));
        let kept = fields.min(STORED_FIELDS);
        let first_field = table.ends.len() - kept;
        if blank {
            // Only separators and spaces: a blank line (its text, joined, would be empty).
            let from = first_field
                .checked_sub(1)
                .and_then(|k| table.ends.get(k))
                .map_or(0, |e| e as usize);
            buf.truncate(from);
            table.ends.truncate(first_field);
            table.blank.push(to_u32(line)?);
        } else {
            if fields > kept {
                table.wide.push(Wide {
                    line: to_u32(line)?,
                    fields,
                    filled: filled_beyond,
                });
            }
            table.rows.push(to_u32(line)?, to_u32(first_field)?);
        }
        (start, fields, blank, filled_beyond) = (pos, 0, true, None);
    }
    // Fields are split at ASCII separators and quotes, so they stay UTF-8.
    table.buf = String::from_utf8(buf).map_err(|e| {
        Error::new(ErrorKind::Table {
            msg: Message::new(&message::NOT_CSV).with("error", e),
            pos: Position::default(),
        })
    })?;
    progress(bytes.len(), bytes.len());
    let total = lines.at(bytes.len()) - usize::from(text.ends_with(['\n', '\r']));
    for blank in last_line + 1..=total {
        table.blank.push(to_u32(blank)?);
    }
    Ok(())
}

fn to_u32(n: usize) -> Result<u32> {
    u32::try_from(n).map_err(|_| {
        Error::new(ErrorKind::Other {
            msg: Message::new(&message::TOO_LARGE_TEXT),
            pos: Position::default(),
        })
    })
}

/// The most bytes of a skipped line's text kept (more is cut at a character and marked `…`):
/// enough for any title or note, while a never-closed quote would make the rest of the file
/// one line, copied twice.
const SKIPPED_TEXT: usize = 1_000;

fn joined(fields: &[&str], separator: u8) -> String {
    let used = fields
        .iter()
        .rposition(|f| !f.trim().is_empty())
        .map_or(0, |i| i + 1);
    let mut text = String::new();
    for (i, field) in fields[..used].iter().enumerate() {
        if i > 0 {
            text.push(separator as char);
        }
        let room = SKIPPED_TEXT.saturating_sub(text.len());
        if field.len() > room {
            let cut = (0..=room)
                .rev()
                .find(|&k| field.is_char_boundary(k))
                .unwrap_or(0);
            text.push_str(&field[..cut]);
            text.push('…');
            return text;
        }
        text.push_str(field);
    }
    text.truncate(text.trim_end().len());
    text
}

/// Find the header block and the data, move title and footer records to the skipped lines,
/// and check that every data row has as many fields as the header.
fn frame(table: &mut Table, header_line: Option<usize>) -> Result<()> {
    fn row(t: &Table, i: usize) -> Row<'_> {
        t.row_at(i)
    }
    let filled = |t: &Table, i: usize| row(t, i).fields().filter(|f| !f.trim().is_empty()).count();
    let n = table.rows.len();
    if n == 0 {
        // Only separators and blank lines: nothing to read.
        return Err(Error::empty());
    }
    let start = match header_line {
        Some(line) => (0..n)
            .find(|&i| table.rows.line(i) >= Some(line))
            .ok_or_else(|| {
                Error::new(ErrorKind::Table {
                    msg: Message::new(&message::NO_HEADER_FROM).with("line", line),
                    pos: Position {
                        file: None,
                        line: Some(line),
                        column: None,
                    },
                })
            })?,
        // A GENESIS header block starts with an empty cell above the leading columns; a table
        // without one is laid out in a way this reader does not know.
        None if table.genesis => (0..n)
            .find(|&i| row(table, i).get(0).trim().is_empty())
            .ok_or_else(|| {
                Error::new(ErrorKind::Table {
                    msg: Message::new(&message::GENESIS_NO_HEADER),
                    pos: Position {
                        file: None,
                        line: Some(1),
                        column: None,
                    },
                })
            })?,
        None => {
            let sample = 0..n.min(50);
            let most = sample.clone().map(|i| filled(table, i)).max().unwrap_or(0);
            let likely = |i: usize| filled(table, i) >= 2 && filled(table, i) * 2 >= most;
            // A hand-made title line (`Tabelle 1;Stand: 2024;Seite 1`) is shorter than the
            // records below; the header is as wide as most of them.
            let width = most_common(sample.map(|i| row(table, i).len()));
            (0..n)
                .find(|&i| likely(i) && row(table, i).len() >= width)
                .or_else(|| (0..n).find(|&i| likely(i)))
                .unwrap_or(0)
        }
    };
    // Further header lines (a GENESIS header block, a units line) start with an empty cell and,
    // outside GENESIS, hold no numbers but years and dates; GENESIS data lines never start empty.
    let genesis = table.genesis;
    let continues = |r: Row<'_>| match genesis {
        true => r.get(0).trim().is_empty(),
        false => is_header_continuation(r),
    };
    let mut header_end = start + 1;
    while header_end < n && continues(row(table, header_end)) {
        header_end += 1;
    }
    if header_end == n {
        header_end = (start + 1).min(n);
    }
    let width = (start..header_end)
        .map(|i| row(table, i).len())
        .max()
        .unwrap_or(0);
    // GENESIS data end at the `___` line; a shorter line before it ends them too (and is
    // listed), as the statistics offices' own readers do.
    let ends_data =
        |r: Row<'_>| r.get(0).trim_start().starts_with("___") || (genesis && r.len() < width);
    let mut data_end = (header_end..n)
        .find(|&i| ends_data(row(table, i)))
        .unwrap_or(n);
    while data_end > header_end && is_footer(row(table, data_end - 1), width) {
        data_end -= 1;
    }
    list_skipped(table, (0..start).chain(data_end..n));
    // The fields of the footer records go with them.
    if data_end < n {
        let first = table.rows.first(data_end) as usize;
        let to = first
            .checked_sub(1)
            .and_then(|k| table.ends.get(k))
            .map_or(0, |e| e as usize);
        table.ends.truncate(first);
        table.buf.truncate(to);
    }
    table.rows.keep(start..data_end);
    table.header_rows = header_end - start;
    table.width = width;
    check_widths(table)
}

/// Lists the blank lines and the records at `outside` (row indices in line order) as skipped
/// lines in line order: the first and the last [`LISTED_SKIPPED`], the others counted.
fn list_skipped(table: &mut Table, outside: impl Iterator<Item = usize>) {
    // The blank lines and the records merged by line, without a list of all of them.
    let blank = std::mem::take(&mut table.blank);
    let line = |i: usize| table.rows.line(i).unwrap_or(0) as u32;
    let mut records = outside.map(|i| (line(i), Some(i))).peekable();
    let mut blanks = blank.iter().map(|&line| (line, None)).peekable();
    let merged = std::iter::from_fn(|| match (blanks.peek(), records.peek()) {
        (Some(b), Some(r)) if b.0 < r.0 => blanks.next(),
        (Some(_), None) => blanks.next(),
        _ => records.next(),
    });
    let mut head = Vec::new();
    let mut tail = std::collections::VecDeque::new();
    let mut total = 0;
    for entry in merged {
        total += 1;
        if head.len() < LISTED_SKIPPED {
            head.push(entry);
        } else {
            if tail.len() == LISTED_SKIPPED {
                tail.pop_front();
            }
            tail.push_back(entry);
        }
    }
    let listed = head.len() + tail.len();
    let sep = table.separator;
    let skipped: Vec<SkippedLine> = head
        .into_iter()
        .chain(tail)
        .map(|(line, record)| SkippedLine {
            line: line as usize,
            text: record.map_or_else(String::new, |i| {
                let r = table.row_at(i);
                joined(&r.fields().collect::<Vec<_>>(), sep)
            }),
        })
        .collect();
    table.skipped = skipped;
    table.skipped_more = total - listed;
}

/// The most common of some numbers (the smallest on a tie), 0 for none.
fn most_common(numbers: impl Iterator<Item = usize>) -> usize {
    let mut tally: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    numbers.for_each(|k| *tally.entry(k).or_default() += 1);
    tally
        .into_iter()
        .max_by_key(|&(k, times)| (times, std::cmp::Reverse(k)))
        .map_or(0, |(k, _)| k)
}

fn is_header_continuation(row: Row<'_>) -> bool {
    row.get(0).trim().is_empty()
        && row.fields().any(|f| !f.trim().is_empty())
        && row.fields().all(|f| {
            let f = f.trim();
            parse_year(f).is_some() || parse_number(f, NumberFormat::German).is_none()
        })
}

/// A record below the data that is not data: at most one filled cell, a short line of few
/// cells (`Quelle: …; Zeichen: …`), or a line that starts like a note.
fn is_footer(row: Row<'_>, width: usize) -> bool {
    const NOTES: [&str; 8] = [
        "Quelle",
        "Stand",
        "Anmerkung",
        "Hinweis",
        "Fußnote",
        "©",
        "*",
        "Zeichenerklärung",
    ];
    let filled = row.fields().filter(|f| !f.trim().is_empty()).count();
    let first = row.get(0).trim_start();
    // A note word on its own (`Quelle:`, `Stand 2024`), not the start of a name (`Quellendorf`).
    let note = NOTES.iter().any(|n| {
        first
            .strip_prefix(n)
            .is_some_and(|rest| !rest.starts_with(char::is_alphabetic))
    });
    filled <= 1 || (row.len() < width && filled * 2 < width) || note
}

/// The most columns a table may have.
const MAX_COLUMNS: usize = 20_000;

/// Ragged rows are errors: a row with fewer fields than the header, or with filled fields
/// beyond it, would put values under the wrong measure.
fn check_widths(table: &Table) -> Result<()> {
    let width = table.width;
    // A record wider than kept: its fields in the file, and the first filled one not kept.
    let wide = |line: usize| {
        table
            .wide
            .binary_search_by_key(&line, |w| w.line as usize)
            .ok()
            .map(|k| table.wide[k])
    };
    let fields = |row: Row<'_>| wide(row.line()).map_or(row.len(), |w| w.fields);
    // Every column gets a name, a key and a guessed role: a one-line file of millions of fields
    // took hundreds of megabytes that way. No table a ring exchanges comes near this.
    if width > MAX_COLUMNS {
        let columns = table.header().map(fields).max().unwrap_or(width);
        return Err(Error::new(ErrorKind::Table {
            msg: Message::new(&message::TOO_MANY_COLUMNS)
                .with("columns", crate::format::format_integer(columns as u64))
                .with("limit", crate::format::format_integer(MAX_COLUMNS as u64)),
            pos: Position {
                file: None,
                line: Some(table.header_line()),
                column: None,
            },
        }));
    }
    for row in table.rows() {
        let extra = (width..row.len())
            .find(|&j| !row.get(j).trim().is_empty())
            .or_else(|| wide(row.line()).and_then(|w| w.filled));
        if row.len() < width || extra.is_some() {
            let column = extra.map_or(row.len() + 1, |j| j + 1);
            return Err(Error::new(ErrorKind::Table {
                msg: Message::new(&message::RAGGED_ROW)
                    .with("found", fields(row))
                    .with("header", table.header_line())
                    .with("width", width),
                pos: Position {
                    file: None,
                    line: Some(row.line()),
                    column: Some(column),
                },
            }));
        }
    }
    // A title or footer line with filled fields beyond those kept: its text is not all there.
    let framed = |line: u32| table.rows.at_line(line as usize).is_some();
    if let Some(w) = table
        .wide
        .iter()
        .find(|w| w.filled.is_some() && !framed(w.line))
    {
        return Err(Error::new(ErrorKind::Table {
            msg: Message::new(&message::TOO_WIDE_LINE)
                .with("fields", crate::format::format_integer(w.fields as u64))
                .with("limit", crate::format::format_integer(MAX_COLUMNS as u64)),
            pos: Position {
                file: None,
                line: Some(w.line as usize),
                column: w.filled.map(|j| j + 1),
            },
        }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millions_of_columns_are_refused_before_they_take_memory() {
        let wide = "a;".repeat(2_000_000);
        let e = read_table("breit.csv", wide.as_bytes(), &ReadOptions::default()).err();
        let msg = e.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            msg.contains("Zeile 1: Die Kopfzeile hat 2.000.001 Spalten"),
            "{msg}"
        );
    }

    /// A data row of two million fields is refused as ragged at its line and first column
    /// beyond the header, with its real number of fields, though only 20,001 are kept.
    #[test]
    fn a_row_of_millions_of_fields_is_ragged_at_its_line_and_column() {
        let text = format!("A;B\n1;2\n{}\n", "x;".repeat(2_000_000));
        // Found by itself, the widest line is the header, and too wide.
        let e = read_table("r.csv", text.as_bytes(), &ReadOptions::default()).unwrap_err();
        assert_eq!(e.position(), &Position::at(Some("r.csv"), 3, None));
        assert!(
            e.to_string()
                .contains("Die Kopfzeile hat 2.000.001 Spalten"),
            "{e}"
        );
        let e = read_table("r.csv", text.as_bytes(), &header_at(1)).unwrap_err();
        assert_eq!(e.position(), &Position::at(Some("r.csv"), 3, Some(3)));
        assert!(
            e.to_string()
                .contains("Die Zeile hat 2000001 Felder, die Kopfzeile (Zeile 1) aber 2"),
            "{e}"
        );
    }

    /// A filled field far beyond the fields kept of a record is not lost: the row is ragged
    /// there. Empty fields that far are harmless, as trailing separators are.
    #[test]
    fn fields_beyond_those_kept_are_refused_when_filled() {
        let far = ";".repeat(30_000);
        let text = format!("A;B\n1;2{far}x\n3;4\n");
        let e = read_table("r.csv", text.as_bytes(), &ReadOptions::default()).unwrap_err();
        assert_eq!(e.position(), &Position::at(Some("r.csv"), 2, Some(30_002)));
        assert!(e.to_string().contains("Die Zeile hat 30002 Felder"), "{e}");
        let t = read(&format!("A;B\n1;2{far}\n3;4\n"));
        assert_eq!(t.len(), 2);
        assert_eq!(
            (t.row(0).len(), t.row(0).get(1), t.row(0).get(2)),
            (STORED_FIELDS, "2", "")
        );
        assert_eq!(t.row(0).get(25_000), "");
        assert_eq!(cells(&t)[1], ["3", "4"]);
        assert_eq!((t.width(), t.row(0).line(), t.row(1).line()), (2, 2, 3));
    }

    /// A title line wider than a table may be, with text beyond the fields kept, cannot be
    /// listed whole: it is refused where its text goes on. A line of separators only is blank.
    #[test]
    fn a_title_wider_than_kept_is_refused_and_a_line_of_separators_is_blank() {
        let title = "x;".repeat(30_000);
        let text = format!("{title}\nKommune;Jahr;Wert\nA;2019;1\nB;2019;2\n");
        let e = read_table("t.csv", text.as_bytes(), &header_at(2)).unwrap_err();
        assert_eq!(e.position(), &Position::at(Some("t.csv"), 1, Some(20_002)));
        assert!(
            e.to_string().contains("Die Zeile hat 30.001 Felder; Vergleichsring liest Tabellen mit höchstens 20.000 Spalten"),
            "{e}"
        );
        let t = read(&format!(
            "{}\nKommune;Jahr;Wert\nA;2019;1\n",
            ";".repeat(2_000_000)
        ));
        assert_eq!((t.header_line(), t.len()), (2, 1));
        assert_eq!((t.skipped()[0].line, t.skipped()[0].text.as_str()), (1, ""));
    }

    /// Footer records' fields are dropped with them; the last data row keeps all of its own.
    #[test]
    fn ends_of_short_and_long_fields_are_found_again_after_truncating() {
        let lens = (0..100u32).map(|i| [0, 3, 300, 1, 255, 254, 70_000][i as usize % 7]);
        let plain: Vec<u32> = lens
            .scan(0, |end, len| {
                *end += len;
                Some(*end)
            })
            .collect();
        let mut ends = Ends::default();
        plain.iter().for_each(|&e| ends.push(e));
        let found = |ends: &Ends| -> Vec<(u32, u32)> {
            (0..ends.len())
                .map(|k| (ends.get(k).unwrap_or(0), ends.field_len(k).unwrap_or(0)))
                .collect()
        };
        let want = |n: usize| -> Vec<(u32, u32)> {
            (0..n)
                .map(|k| {
                    (
                        plain[k],
                        plain[k] - k.checked_sub(1).map_or(0, |j| plain[j]),
                    )
                })
                .collect()
        };
        assert_eq!(found(&ends), want(100));
        for n in [64, 33, 17, 16, 1, 0] {
            ends.truncate(n);
            assert_eq!(found(&ends), want(n), "{n} fields kept");
        }
        plain.iter().for_each(|&e| ends.push(e));
        assert_eq!(found(&ends), want(100));
        assert_eq!(ends.get(100), None);
    }

    #[test]
    fn a_skipped_line_keeps_its_first_thousand_bytes() {
        let t = read(&format!("Kommune;Wert\nA;1\n\"ä{}", "x".repeat(5_000)));
        let text = &t.skipped()[0].text;
        assert_eq!(
            (text.len(), text.ends_with("xx…")),
            (SKIPPED_TEXT + 3, true)
        );
    }

    #[test]
    fn rows_end_where_the_next_begins() {
        let t = read("Kommune;Jahr;Wert\nA;2019;1\nB;2019;\nQuelle: Amt\n");
        assert_eq!(
            cells(&t),
            vec![vec!["A", "2019", "1"], vec!["B", "2019", ""]]
        );
        assert_eq!(
            (t.row(1).len(), t.ends.len(), t.buf.as_str()),
            (3, 9, "KommuneJahrWertA20191B2019")
        );
    }

    #[test]
    fn only_lines_out_of_step_are_kept() {
        let text = "Titel\n\nKommune;Jahr;Wert\nA;2019;1\n\"B\nC\";2019;2\nD;2019;3\n\nE;2019;4\nQuelle: Amt\n";
        let t = read(text);
        assert_eq!(lines(&t), [4, 5, 7, 9]);
        assert_eq!((t.header_line(), t.rows.len()), (3, 5));
        // The header, the field over two lines and the blank line put three out of step.
        assert_eq!(t.rows.lines, [(0, 3), (3, 7), (4, 9)]);
        let at = |line| t.rows.at_line(line);
        assert_eq!(
            (at(2), at(3), at(5), at(6), at(7), at(9), at(10)),
            (None, Some(0), Some(2), None, Some(3), Some(4), None)
        );
    }

    /// Options naming the header line.
    fn header_at(line: usize) -> ReadOptions {
        ReadOptions {
            header_line: Some(line),
            ..Default::default()
        }
    }

    fn read(text: &str) -> Table {
        read_table("t.csv", text.as_bytes(), &ReadOptions::default()).unwrap()
    }

    fn cells(t: &Table) -> Vec<Vec<String>> {
        t.rows()
            .map(|r| r.fields().map(str::to_string).collect())
            .collect()
    }

    fn lines(t: &Table) -> Vec<usize> {
        t.rows().map(|r| r.line()).collect()
    }

    #[test]
    fn splits_fields() {
        type Case<'a> = (&'a str, &'a [&'a [&'a str]], &'a [usize]);
        let cases: &[Case] = &[
            ("A;B\n1;2\n3;4\n", &[&["1", "2"], &["3", "4"]], &[2, 3]),
            ("A;B\r1;2\r\r3;4\r", &[&["1", "2"], &["3", "4"]], &[2, 4]),
            (
                "A;B\r\n1;2\r\n3;4\r\n",
                &[&["1", "2"], &["3", "4"]],
                &[2, 3],
            ),
            ("A;B\n1;2\n3;4", &[&["1", "2"], &["3", "4"]], &[2, 3]),
            (
                "A;B\n\"x;y\";2\n3;4\n",
                &[&["x;y", "2"], &["3", "4"]],
                &[2, 3],
            ),
            (
                "A;B\n\"zwei\nZeilen\";2\n3;4\n",
                &[&["zwei\nZeilen", "2"], &["3", "4"]],
                &[2, 4],
            ),
            (
                "A;B\r\n\"zwei\r\nZeilen\";2\r\n3;4\r\n",
                &[&["zwei\r\nZeilen", "2"], &["3", "4"]],
                &[2, 4],
            ),
            (
                "A;B\n\"sagt \"\"ja\"\"\";2\n",
                &[&["sagt \"ja\"", "2"]],
                &[2],
            ),
            ("A,B\n\"1,5\",2\n", &[&["1,5", "2"]], &[2]),
            ("A\tB\nx y\t2\n", &[&["x y", "2"]], &[2]),
            ("A;B\n1;2\n\n3;4\n", &[&["1", "2"], &["3", "4"]], &[2, 4]),
            ("A;B;\n1;2;\n", &[&["1", "2", ""]], &[2]),
        ];
        for (text, want, want_lines) in cases {
            let t = read(text);
            let want: Vec<Vec<String>> = want
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect();
            assert_eq!(
                (cells(&t), lines(&t)),
                (want, want_lines.to_vec()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn excel_separator_line() {
        let t = read("sep=,\nKommune,Jahr,Wert\nA,2019,\"1,5\"\n");
        assert_eq!(
            (t.separator(), t.header_line(), t.row(0).get(2)),
            (',', 2, "1,5")
        );
        assert_eq!(t.skipped()[0].text, "sep=");
    }

    #[test]
    fn finds_the_header_below_a_short_title() {
        let t = read("Tabelle 1;Stand: 2024;Seite 1\nKommune;Jahr;Einwohner;Quote;Fälle\nA;2019;1;2;3\nB;2019;1;2;3\n");
        assert_eq!((t.header_line(), t.width(), t.len()), (2, 5, 2));
        assert_eq!(t.skipped()[0].text, "Tabelle 1;Stand: 2024;Seite 1");
    }

    #[test]
    fn sets_aside_titles_blanks_and_footers() {
        let text = "Erhebung 2023;;\r\n\r\nKommune;Jahr;Wert\r\nA;2019;1\r\n\r\nB;2019;2\r\n\r\nQuelle: eigene Erhebung; Zeichen: . = unbekannt\r\n";
        let t = read(text);
        assert_eq!(t.header_line(), 3);
        assert_eq!(lines(&t), vec![4, 6]);
        let skipped: Vec<(usize, &str)> = t
            .skipped()
            .iter()
            .map(|s| (s.line, s.text.as_str()))
            .collect();
        assert_eq!(
            skipped,
            vec![
                (1, "Erhebung 2023"),
                (2, ""),
                (5, ""),
                (7, ""),
                (8, "Quelle: eigene Erhebung; Zeichen: . = unbekannt")
            ]
        );
    }

    #[test]
    fn genesis_header_block_and_footer() {
        let text = "GENESIS-Tabelle: 1\nTitel;;;\n;;31.12.2015;31.12.2014\n;;Insgesamt;Insgesamt\n;;Anzahl;Anzahl\nDG;Deutschland;5;6\n01;  Land;1;2\n__________\n\"zu \"\"x\"\":\nText\"\nStand: 1\n";
        let t = read(text);
        assert!(t.is_genesis());
        assert_eq!(
            (t.header_line(), t.header_len(), t.len(), t.width()),
            (3, 3, 2, 4)
        );
        let skipped: Vec<usize> = t.skipped().iter().map(|s| s.line).collect();
        assert_eq!(skipped, vec![1, 2, 8, 9, 11]);
        assert_eq!(t.skipped()[3].text, "zu \"x\":\nText");
    }

    #[test]
    fn genesis_blocks_by_first_cell_and_short_lines() {
        let text = "GENESIS-Tabelle: 1\n;;Kinder\n;;1\nDG;Deutschland;5\n01;Land;1\nunvollständig\n02;Hamburg;2\n__________\n";
        let t = read(text);
        assert_eq!((t.header_len(), t.len()), (2, 2));
        let skipped: Vec<usize> = t.skipped().iter().map(|s| s.line).collect();
        assert_eq!(skipped, [1, 6, 7, 8]);
    }

    /// Thousands of lines outside the table: the first and the last ones are listed in line
    /// order with their text, blank lines among them, and the others only counted.
    #[test]
    fn many_skipped_lines_are_listed_at_both_ends_and_counted() {
        let mut text = String::from("Titel\n\nKommune;Jahr;Wert\nA;2019;1\n");
        let notes = 3 * LISTED_SKIPPED;
        for i in 0..notes {
            if i % 2 == 0 {
                text.push_str(&format!("Fußnote {i}\n"));
            } else {
                text.push('\n');
            }
        }
        let t = read(&text);
        assert_eq!(t.len(), 1);
        let lines: Vec<usize> = t.skipped().iter().map(|s| s.line).collect();
        assert_eq!(lines.len(), 2 * LISTED_SKIPPED);
        assert_eq!(t.skipped_more(), notes + 2 - 2 * LISTED_SKIPPED);
        // Titel (1), a blank line (2), then the notes from line 5 on.
        assert_eq!(&lines[..4], [1, 2, 5, 6]);
        assert_eq!(
            (t.skipped()[0].text.as_str(), t.skipped()[1].text.as_str()),
            ("Titel", "")
        );
        assert_eq!(t.skipped()[2].text, "Fußnote 0");
        let last = 4 + notes;
        assert_eq!(lines[lines.len() - 1], last);
        assert_eq!(lines[LISTED_SKIPPED], last - LISTED_SKIPPED + 1);
        assert!(lines.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(t.skipped().last().map(|s| s.text.as_str()), Some(""));
        assert_eq!(
            t.skipped()[2 * LISTED_SKIPPED - 2].text,
            format!("Fußnote {}", notes - 2)
        );
    }

    #[test]
    fn a_place_is_no_note() {
        let t = read("Kommune;Jahr;Wert\nA;2019;1\nQuellendorf;2019;2\n");
        assert_eq!((t.len(), t.skipped().len()), (2, 0));
        let t = read("Kommune;Jahr;Wert\nA;2019;1\nQuelle: Amt;Stand: 2024;x\n");
        assert_eq!((t.len(), t.skipped().len()), (1, 1));
    }

    #[test]
    fn header_line_override() {
        let t = read_table(
            "t.csv",
            b"x;y\n1;2\nA;B\n3;4\n",
            &ReadOptions {
                header_line: Some(3),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!((t.header_line(), lines(&t)), (3, vec![4]));
        assert_eq!(
            t.skipped()
                .iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>(),
            vec!["x;y", "1;2"]
        );
    }

    #[test]
    fn ragged_rows_are_errors() {
        let cases: &[(&str, usize, usize)] = &[
            ("A;B;C\n1;2;3\n4;5\n6;7;8\n", 3, 3),
            ("A;B;C\n1;2;3\n4;5;6;7\n", 3, 4),
            ("A;B;C\n1;2\n3;4;5\n", 2, 3),
        ];
        for (text, line, column) in cases {
            let e = read_table("r.csv", text.as_bytes(), &ReadOptions::default()).unwrap_err();
            assert_eq!(
                e.position(),
                &Position::at(Some("r.csv"), *line, Some(*column)),
                "{text:?}"
            );
            assert!(
                e.to_string()
                    .starts_with(&format!("Datei r.csv, Zeile {line}, Spalte {column}: ")),
                "{e}"
            );
        }
        // empty fields beyond the header are harmless trailing separators
        assert_eq!(read("A;B\n1;2;;\n").len(), 1);
    }
}
