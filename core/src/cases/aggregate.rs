//! Case-level aggregation (CONTRACT §1 case-level, §5 `aggregate`): one row per case in, one
//! record per group out, with the cases counted and chosen columns summed. The bytes arrive in
//! slices of any size, so a 100 MB upload is never held as text: memory grows with the number
//! of groups, not with the file.
//!
//! UTF-8 and single-byte encodings such as Windows-1252 write the separator, quotes and line
//! ends as the same ASCII bytes as UTF-8 does, so csv-core parses the raw bytes and only group
//! values are decoded, once per distinct value. Other encodings (UTF-16) pass an incremental
//! `encoding_rs::Decoder` first. csv-core and the decoder keep their state between slices, so a
//! slice may end inside a quoted field, between CR and LF or inside a character.
//!
//! A file can also be read in byte ranges, one per worker: each part starts at the first line
//! start of its range and reads the records that start before the range ends; parts combine
//! with [`Aggregate::merge`].

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};
use encoding_rs::{Decoder, DecoderResult, UTF_8};
use rustc_hash::FxHasher;
use serde::{Deserialize, Serialize};

use crate::cases::case_layout::{self, CaseLayout, SNIFF_BYTES};
use crate::dataset::{CellKey, Dataset, Measure, MeasureKind, Municipality, Observation, Source};
use crate::error::{Error, ErrorKind, Position, Result};
use crate::message::{self, Message, Template};
use crate::read::column::{measure_key, Role};
use crate::read::decode::display_name;
use crate::read::number::{parse_cell, parse_year, NumberFormat};
use crate::value::{Reason, Value};

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The most memory the group table may take. Grouping by a column with a value per case (the
/// case number) would otherwise grow without bound; past this the user gets a clear message.
const MAX_TABLE_BYTES: usize = 256 << 20;

/// The label of a dimension's total in [`Aggregate::to_dataset`].
const TOTAL: &str = "Insgesamt";

/// Roll-ups over every subset of dimensions are made up to this many dimensions; beyond, only
/// the groups themselves and the grand total.
const MAX_CUBE_DIMENSIONS: usize = 6;

/// What to aggregate: the group columns and the columns to sum, by header name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseQuery {
    /// Group columns (municipality, year, further dimensions), as the header names them.
    pub by: Vec<String>,
    /// Columns to sum, as the header names them.
    pub sum: Vec<String>,
    /// An encoding label (`windows-1252`, `utf-8`) that overrides the detection.
    pub encoding: Option<String>,
}

/// A streaming aggregator: [`feed`](CaseAggregator::feed) it the bytes of a case-level file in
/// slices of any size, then [`finish`](CaseAggregator::finish).
pub struct CaseAggregator {
    query: CaseQuery,
    stage: Stage,
    fed: u64,
}

enum Stage {
    /// The layout is read from the first [`SNIFF_BYTES`]; until then bytes are kept.
    Sniffing(Vec<u8>),
    Reading(Box<Engine>),
}

impl CaseAggregator {
    /// An aggregator for a whole file; it reads the layout from the file's first bytes.
    pub fn new(query: CaseQuery) -> CaseAggregator {
        CaseAggregator {
            query,
            stage: Stage::Sniffing(Vec::new()),
            fed: 0,
        }
    }

    /// An aggregator for a whole file whose layout is known.
    pub fn with_layout(layout: CaseLayout, query: CaseQuery) -> Result<CaseAggregator> {
        let engine = Engine::new(layout, &query, None)?;
        Ok(CaseAggregator {
            query,
            stage: Stage::Reading(Box::new(engine)),
            fed: 0,
        })
    }

    /// An aggregator for the records that start in the byte range `start..end` of a file (from
    /// [`CaseLayout::ranges`]). Feed it the file's bytes from [`read_from`](Self::read_from)
    /// on until `feed` returns false (a little past `end`, to finish the last record).
    pub fn range(
        layout: CaseLayout,
        query: CaseQuery,
        start: u64,
        end: u64,
    ) -> Result<CaseAggregator> {
        if !layout.splittable() {
            return Err(Error::new(ErrorKind::Other {
                msg: Message::new(&message::NOT_IN_PARTS).with("encoding", layout.encoding()),
                pos: Position::default(),
            }));
        }
        if start > 0 && start < layout.data_start() {
            return Err(Error::new(ErrorKind::Other {
                msg: Message::new(&message::PART_AFTER_HEADER),
                pos: Position::default(),
            }));
        }
        let engine = Engine::new(layout, &query, Some((start, end)))?;
        Ok(CaseAggregator {
            query,
            stage: Stage::Reading(Box::new(engine)),
            fed: 0,
        })
    }

    /// The offset of the first byte `feed` expects: a range is read from the byte before its
    /// start, so a range that starts right at a line start is recognised as such.
    pub fn read_from(&self) -> u64 {
        match &self.stage {
            Stage::Reading(engine) => engine.read_from,
            Stage::Sniffing(_) => 0,
        }
    }

    /// Read the next slice. Returns whether more bytes are wanted (false once a range has read
    /// its last record).
    pub fn feed(&mut self, bytes: &[u8]) -> Result<bool> {
        self.fed += bytes.len() as u64;
        match &mut self.stage {
            Stage::Reading(engine) => engine.feed(bytes, false),
            Stage::Sniffing(buf) => {
                buf.extend_from_slice(bytes);
                if buf.len() < SNIFF_BYTES {
                    return Ok(true);
                }
                let buf = std::mem::take(buf);
                self.start(&buf, false)
            }
        }
    }

    fn start(&mut self, buf: &[u8], complete: bool) -> Result<bool> {
        let layout = CaseLayout::sniff(buf, complete, self.query.encoding.as_deref())?;
        let mut engine = Box::new(Engine::new(layout, &self.query, None)?);
        let more = engine.feed(buf, false)?;
        self.stage = Stage::Reading(engine);
        Ok(more)
    }

    /// Data rows read so far (for progress).
    pub fn rows(&self) -> u64 {
        match &self.stage {
            Stage::Reading(engine) => engine.rows,
            Stage::Sniffing(_) => 0,
        }
    }

    /// Bytes fed so far (for progress).
    pub fn bytes(&self) -> u64 {
        self.fed
    }

    /// End of input: read what is left and return the groups.
    pub fn finish(mut self) -> Result<Aggregate> {
        if let Stage::Sniffing(buf) = &mut self.stage {
            let buf = std::mem::take(buf);
            self.start(&buf, true)?;
        }
        match self.stage {
            Stage::Reading(mut engine) => {
                engine.feed(&[], true)?;
                engine.into_aggregate(self.fed)
            }
            Stage::Sniffing(_) => unreachable!("start() always leaves the sniffing stage"),
        }
    }
}

/// The parser and the group table of one aggregation.
struct Engine {
    layout: CaseLayout,
    by: Vec<usize>,
    sum: Vec<usize>,
    comma: Vec<bool>,
    need: usize,
    csv: Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    outlen: usize,
    endlen: usize,
    decoder: Option<(Decoder, Vec<u8>)>,
    /// Offset in the file of the next raw byte.
    offset: u64,
    read_from: u64,
    bom_left: usize,
    /// A range that does not start the file skips the line its first byte is in.
    skip_line: bool,
    /// Between records: line ends are skipped here, so a record's first byte and line are known.
    between: bool,
    record_line: u64,
    record_start: u64,
    /// Records that start above this line are titles and the header.
    data_line: u64,
    /// Records that start at or after this offset belong to the next range.
    limit: Option<u64>,
    start: Option<u64>,
    end: Option<u64>,
    table: Table,
    rows: u64,
    skipped: Vec<usize>,
    missing: Vec<u64>,
    /// Per sum column, the most decimals a cell had: sums are rounded to them, so adding up
    /// cents gives cents and not the binary fraction's noise.
    decimals: Vec<u32>,
}

impl Engine {
    fn new(layout: CaseLayout, query: &CaseQuery, range: Option<(u64, u64)>) -> Result<Engine> {
        if query.by.is_empty() {
            return Err(Error::new(ErrorKind::Other {
                msg: Message::new(&message::GROUP_BY_NONE),
                pos: Position::default(),
            }));
        }
        let by = query
            .by
            .iter()
            .map(|c| layout.column(c))
            .collect::<Result<Vec<_>>>()?;
        let sum = query
            .sum
            .iter()
            .map(|c| layout.column(c))
            .collect::<Result<Vec<_>>>()?;
        let comma = sum
            .iter()
            .map(|&c| layout.format(c) == NumberFormat::German)
            .collect();
        let need = by.iter().chain(&sum).max().map_or(0, |m| m + 1);
        let decoder = (!layout.raw_bytes()).then(|| {
            (
                layout.encoding_rs().new_decoder_without_bom_handling(),
                Vec::new(),
            )
        });
        let (start, limit) = match range {
            Some((start, end)) => (start, Some(end)),
            None => (0, None),
        };
        let read_from = start.saturating_sub(1);
        Ok(Engine {
            csv: ReaderBuilder::new()
                .delimiter(layout.separator_byte())
                .build(),
            out: vec![0; 4096],
            ends: vec![0; 64],
            outlen: 0,
            endlen: 0,
            decoder,
            offset: read_from,
            read_from,
            bom_left: if start == 0 { layout.bom() } else { 0 },
            skip_line: start > 0,
            between: true,
            record_line: 1,
            record_start: 0,
            data_line: if start == 0 {
                layout.data_line() as u64
            } else {
                0
            },
            limit,
            start: (start == 0).then_some(0),
            end: None,
            table: Table::new(by.len(), sum.len()),
            rows: 0,
            skipped: Vec::new(),
            missing: vec![0; sum.len()],
            decimals: vec![0; sum.len()],
            by,
            sum,
            comma,
            need,
            layout,
        })
    }

    fn feed(&mut self, mut bytes: &[u8], last: bool) -> Result<bool> {
        if self.end.is_some() {
            return Ok(false);
        }
        let skip = self.bom_left.min(bytes.len());
        self.bom_left -= skip;
        self.offset += skip as u64;
        bytes = &bytes[skip..];
        match self.decoder.take() {
            None => self.parse(bytes)?,
            Some((mut decoder, mut buf)) => {
                let result = self.decode(&mut decoder, &mut buf, bytes, last);
                self.decoder = Some((decoder, buf));
                result?;
            }
        }
        if last {
            self.flush()?;
        }
        Ok(self.end.is_none())
    }

    /// Decode a slice (UTF-16 and other encodings that are not ASCII-compatible) and parse it.
    fn decode(
        &mut self,
        decoder: &mut Decoder,
        buf: &mut Vec<u8>,
        bytes: &[u8],
        last: bool,
    ) -> Result<()> {
        let mut read = 0;
        loop {
            let room = decoder
                .max_utf8_buffer_length_without_replacement(bytes.len() - read)
                .unwrap_or(1 << 16);
            buf.resize(room.max(16), 0);
            let (result, n, written) =
                decoder.decode_to_utf8_without_replacement(&bytes[read..], buf, last);
            read += n;
            let decoded = std::mem::take(buf);
            let parsed = self.parse(&decoded[..written]);
            *buf = decoded;
            parsed?;
            match result {
                DecoderResult::InputEmpty => return Ok(()),
                DecoderResult::OutputFull => continue,
                DecoderResult::Malformed(..) => {
                    return Err(Error::new(ErrorKind::Encoding {
                        encoding: self.layout.encoding().to_string(),
                        pos: Position::at(None, self.csv.line() as usize, None),
                    }))
                }
            }
        }
    }

    fn parse(&mut self, bytes: &[u8]) -> Result<()> {
        let mut pos = 0;
        if self.skip_line {
            match bytes.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    pos = i + 1;
                    self.skip_line = false;
                }
                None => pos = bytes.len(),
            }
        }
        while pos < bytes.len() {
            if self.between {
                while pos < bytes.len() && matches!(bytes[pos], b'\n' | b'\r') {
                    if bytes[pos] == b'\n' {
                        self.csv.set_line(self.csv.line() + 1);
                    }
                    pos += 1;
                }
                if pos == bytes.len() {
                    break;
                }
                self.record_start = self.offset + pos as u64;
                if self.start.is_none() {
                    self.start = Some(self.record_start);
                }
                if self.limit.is_some_and(|limit| self.record_start >= limit) {
                    self.end = Some(self.record_start);
                    return Ok(());
                }
                self.record_line = self.csv.line();
                self.between = false;
            }
            let (result, nin, nout, nend) = self.csv.read_record(
                &bytes[pos..],
                &mut self.out[self.outlen..],
                &mut self.ends[self.endlen..],
            );
            pos += nin;
            self.outlen += nout;
            self.endlen += nend;
            match result {
                ReadRecordResult::InputEmpty | ReadRecordResult::End => {}
                ReadRecordResult::OutputFull => self.out.resize(self.out.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => self.record()?,
            }
        }
        self.offset += bytes.len() as u64;
        Ok(())
    }

    /// End of input: the last record may lack its line end.
    fn flush(&mut self) -> Result<()> {
        if !self.between {
            loop {
                let (result, _, nout, nend) = self.csv.read_record(
                    &[],
                    &mut self.out[self.outlen..],
                    &mut self.ends[self.endlen..],
                );
                self.outlen += nout;
                self.endlen += nend;
                match result {
                    ReadRecordResult::OutputFull => self.out.resize(self.out.len() * 2, 0),
                    ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                    ReadRecordResult::Record => self.record()?,
                    ReadRecordResult::InputEmpty | ReadRecordResult::End => break,
                }
            }
        }
        self.end = Some(self.offset);
        Ok(())
    }

    /// One complete record in `out`/`ends`: the hot path, without allocation for known groups.
    fn record(&mut self) -> Result<()> {
        let (outlen, endlen) = (self.outlen, self.endlen);
        self.outlen = 0;
        self.endlen = 0;
        self.between = true;
        let line = self.record_line;
        if line < self.data_line {
            return Ok(());
        }
        let (out, ends) = (&self.out[..outlen], &self.ends[..endlen]);
        if endlen < self.need || out.iter().all(u8::is_ascii_whitespace) {
            // A note or source line below the data, or a row of empty cells as Excel pads.
            if endlen <= 1 || out.iter().all(u8::is_ascii_whitespace) {
                self.skipped.push(line as usize);
                return Ok(());
            }
            return Err(table_error(
                Message::new(&message::CASE_ROW_WIDTH)
                    .with("found", endlen)
                    .with("width", self.layout.header().len()),
                line,
                None,
            ));
        }
        for (k, &column) in self.by.iter().enumerate() {
            let value = field(out, ends, column).trim_ascii();
            self.table.codes[k] = self.table.dicts[k].intern(value, line);
        }
        let group = self.table.group(line);
        if self.table.bytes > MAX_TABLE_BYTES {
            return Err(table_error(
                Message::new(&message::TOO_MANY_GROUPS)
                    .with("groups", self.table.cases.len())
                    .with(
                        "columns",
                        self.by
                            .iter()
                            .map(|&c| self.layout.header()[c].as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                line,
                None,
            ));
        }
        self.table.cases[group] += 1;
        let width = self.sum.len();
        for (s, &column) in self.sum.iter().enumerate() {
            let cell = field(out, ends, column);
            let value = match fast_number(cell, self.comma[s]) {
                Some(number) => Some(number),
                None => self.slow_number(cell, line, column)?,
            };
            match value {
                Some((x, decimals)) => {
                    self.decimals[s] = self.decimals[s].max(decimals);
                    self.table.sums[group * width + s] += x;
                    self.table.counts[group * width + s] += 1;
                }
                None => self.missing[s] += 1,
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// A cell the fast path does not take: padded, a sign of the legend, a flag, a percent
    /// sign, or no number at all; read by the reader's number parser.
    fn slow_number(&self, cell: &[u8], line: u64, column: usize) -> Result<Option<(f64, u32)>> {
        let text = match self.layout.raw_bytes() && self.layout.encoding_rs() != UTF_8 {
            true => {
                self.layout
                    .encoding_rs()
                    .decode_without_bom_handling(cell)
                    .0
            }
            false => String::from_utf8_lossy(cell),
        };
        let format = self.layout.format(column);
        match parse_cell(&text, format).0 {
            Value::Number(x) => Ok(Some((x, decimals(&text, format)))),
            Value::Missing(Reason::NotNumeric(text)) => Err(table_error(
                Message::new(&message::CASE_NOT_NUMBER)
                    .with("text", &text)
                    .with("column", &self.layout.header()[column]),
                line,
                Some(column + 1),
            )),
            Value::Missing(_) => Ok(None),
        }
    }

    fn into_aggregate(self, bytes: u64) -> Result<Aggregate> {
        let table = self.table;
        let header = self.layout.header();
        let mut encoding = self.layout.encoding_rs();
        if self.layout.raw_bytes() && !self.layout.encoding_seen() {
            let all_utf8 = table
                .dicts
                .iter()
                .flat_map(|d| &d.values)
                .all(|v| std::str::from_utf8(v).is_ok());
            if !all_utf8 {
                encoding = case_layout::fallback_encoding();
            }
        }
        let mut names: Vec<Vec<String>> = Vec::with_capacity(table.dicts.len());
        for (k, dict) in table.dicts.iter().enumerate() {
            let mut decoded = Vec::with_capacity(dict.values.len());
            for (value, line) in dict.values.iter().zip(&dict.lines) {
                let text = match encoding == UTF_8 || self.decoder.is_some() {
                    true => std::str::from_utf8(value)
                        .map(str::to_string)
                        .map_err(|_| {
                            Error::new(ErrorKind::Encoding {
                                encoding: encoding.name().to_string(),
                                pos: Position::at(None, *line as usize, Some(self.by[k] + 1)),
                            })
                        })?,
                    false => encoding.decode_without_bom_handling(value).0.into_owned(),
                };
                decoded.push(text);
            }
            names.push(decoded);
        }
        let (nby, nsum) = (self.by.len(), self.sum.len());
        let mut groups: Vec<Group> = (0..table.cases.len())
            .map(|g| Group {
                values: (0..nby)
                    .map(|k| names[k][table.keys[g * nby + k] as usize].clone())
                    .collect(),
                cases: table.cases[g],
                sums: (0..nsum)
                    .map(|s| (table.counts[g * nsum + s] > 0).then_some(table.sums[g * nsum + s]))
                    .collect(),
                line: table.lines[g] as usize,
            })
            .collect();
        groups.sort_by(|a, b| compare_values(&a.values, &b.values));
        round_sums(&mut groups, &self.decimals);
        let mut skipped = if self.start == Some(0) {
            self.layout.skipped().to_vec()
        } else {
            Vec::new()
        };
        skipped.extend(self.skipped);
        Ok(Aggregate {
            by: self.by.iter().map(|&c| header[c].clone()).collect(),
            sum: self.sum.iter().map(|&c| header[c].clone()).collect(),
            by_columns: self.by.clone(),
            roles: self.by.iter().map(|&c| self.layout.roles()[c]).collect(),
            sum_columns: self.sum.clone(),
            groups,
            encoding: match self.layout.encoding_seen() {
                true => self.layout.encoding().to_string(),
                false => display_name(encoding, false),
            },
            separator: self.layout.separator(),
            rows: self.rows,
            bytes,
            skipped,
            missing: self.missing,
            decimals: self.decimals,
            start: self.start.unwrap_or(self.offset),
            end: self.end.unwrap_or(self.offset),
        })
    }
}

/// Field `i` of a record that csv-core wrote to `out` with field ends `ends`.
#[inline]
fn field<'a>(out: &'a [u8], ends: &[usize], i: usize) -> &'a [u8] {
    let start = if i == 0 { 0 } else { ends[i - 1] };
    &out[start..ends[i]]
}

fn table_error(msg: Message, line: u64, column: Option<usize>) -> Error {
    Error::new(ErrorKind::Table {
        msg,
        pos: Position::at(None, line as usize, column),
    })
}

/// The group table, column-wise: one dictionary per group column, each group a row of codes
/// into them, and the accumulators in flat arrays indexed by group.
struct Table {
    dicts: Vec<Dict>,
    /// The codes of the current record, reused for every record.
    codes: Vec<u32>,
    index: FxMap<Box<[u32]>, u32>,
    last: Option<u32>,
    keys: Vec<u32>,
    cases: Vec<u64>,
    sums: Vec<f64>,
    counts: Vec<u64>,
    lines: Vec<u64>,
    width: usize,
    bytes: usize,
}

impl Table {
    fn new(by: usize, sum: usize) -> Table {
        Table {
            dicts: (0..by).map(|_| Dict::default()).collect(),
            codes: vec![0; by],
            index: FxMap::default(),
            last: None,
            keys: Vec::new(),
            cases: Vec::new(),
            sums: Vec::new(),
            counts: Vec::new(),
            lines: Vec::new(),
            width: sum,
            bytes: 0,
        }
    }

    /// The group of the codes in `codes`, made when new.
    #[inline]
    fn group(&mut self, line: u64) -> usize {
        let k = self.codes.len();
        // Sorted files repeat a group many times in a row: one comparison instead of a hash.
        if let Some(g) = self.last {
            let g = g as usize;
            if self.keys[g * k..(g + 1) * k] == self.codes[..] {
                return g;
            }
        }
        let g = match self.index.get(&self.codes[..]) {
            Some(&g) => g,
            None => {
                let g = self.cases.len() as u32;
                self.index.insert(self.codes.clone().into_boxed_slice(), g);
                self.keys.extend_from_slice(&self.codes);
                self.cases.push(0);
                self.sums.resize(self.sums.len() + self.width, 0.0);
                self.counts.resize(self.counts.len() + self.width, 0);
                self.lines.push(line);
                self.bytes = self.dicts.iter().map(|d| d.bytes).sum::<usize>()
                    + self.cases.len() * (k * 8 + 48 + self.width * 16);
                g
            }
        };
        self.last = Some(g);
        g as usize
    }
}

/// The distinct values of one group column, as raw bytes, and where each first appeared.
#[derive(Default)]
struct Dict {
    index: FxMap<Box<[u8]>, u32>,
    values: Vec<Box<[u8]>>,
    lines: Vec<u64>,
    last: Option<u32>,
    bytes: usize,
}

impl Dict {
    #[inline]
    fn intern(&mut self, value: &[u8], line: u64) -> u32 {
        if let Some(code) = self.last {
            if *self.values[code as usize] == *value {
                return code;
            }
        }
        let code = match self.index.get(value) {
            Some(&code) => code,
            None => {
                let code = self.values.len() as u32;
                self.index.insert(value.into(), code);
                self.values.push(value.into());
                self.lines.push(line);
                self.bytes += 2 * value.len() + 64;
                code
            }
        };
        self.last = Some(code);
        code
    }
}

const POW10: [f64; 19] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18,
];

/// The hot-loop reading of a plain number cell: an optional sign, digits grouped by threes
/// and a decimal part (`1.234,56` where the comma is the decimal mark, `1234.56` where the
/// point is). Anything else (padding, signs of the legend, text) is `None`, for the full
/// reading in `slow_number`. Returns the value and its number of decimals.
#[inline]
fn fast_number(cell: &[u8], comma: bool) -> Option<(f64, u32)> {
    let (group, point) = if comma { (b'.', b',') } else { (b',', b'.') };
    let (negative, digits) = match cell {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, cell),
    };
    let mut mantissa: u64 = 0;
    let mut count = 0u32;
    let mut run = 0u32;
    let mut grouped = false;
    let mut decimals: Option<u32> = None;
    for &b in digits {
        if b.is_ascii_digit() {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(b - b'0'));
            count += 1;
            run += 1;
            if let Some(d) = decimals.as_mut() {
                *d += 1;
            }
        } else if b == group && decimals.is_none() && run >= 1 && (run == 3 || !grouped && run < 3)
        {
            grouped = true;
            run = 0;
        } else if b == point && decimals.is_none() && count > 0 && (!grouped || run == 3) {
            decimals = Some(0);
        } else {
            return None;
        }
    }
    let ungrouped_end = grouped && decimals.is_none() && run != 3;
    if count == 0 || count > 18 || ungrouped_end || decimals == Some(0) {
        return None;
    }
    let decimals = decimals.unwrap_or(0);
    let value = mantissa as f64 / POW10[decimals as usize];
    Some((if negative { -value } else { value }, decimals))
}

impl Group {
    /// Add another group's cases and sums; a sum stays `None` only when both are.
    fn add(&mut self, other: &Group) {
        self.cases += other.cases;
        self.line = self.line.min(other.line);
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            *a = match (*a, b) {
                (Some(x), Some(y)) => Some(x + y),
                (x, y) => x.or(*y),
            };
        }
    }
}

/// The digits after the decimal mark of a number as written.
fn decimals(text: &str, format: NumberFormat) -> u32 {
    let mark = if format == NumberFormat::German {
        ','
    } else {
        '.'
    };
    text.rsplit_once(mark).map_or(0, |(_, after)| {
        after.chars().take_while(char::is_ascii_digit).count() as u32
    })
}

/// Round each sum to the most decimals its column's cells had.
fn round_sums(groups: &mut [Group], decimals: &[u32]) {
    for group in groups {
        for (sum, &d) in group.sums.iter_mut().zip(decimals) {
            if let Some(x) = sum.as_mut() {
                let scale = POW10[d.min(9) as usize];
                let rounded = (*x * scale).round() / scale;
                // Past 2^53 the scaled value has no fraction left to round away.
                if (*x * scale).abs() < 9e15 {
                    *x = rounded;
                }
            }
        }
    }
}

/// Group values in order: numbers by value (years, codes), the rest as text.
fn compare_values(a: &[String], b: &[String]) -> Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| match (x.parse::<f64>(), y.parse::<f64>()) {
            (Ok(p), Ok(q)) => p.total_cmp(&q),
            _ => x.cmp(y),
        })
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// The result of an aggregation: one group per distinct combination of the group columns'
/// values, in order (numbers by value, text alphabetically).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Aggregate {
    by: Vec<String>,
    sum: Vec<String>,
    by_columns: Vec<usize>,
    sum_columns: Vec<usize>,
    roles: Vec<Role>,
    groups: Vec<Group>,
    encoding: String,
    separator: char,
    rows: u64,
    bytes: u64,
    skipped: Vec<usize>,
    missing: Vec<u64>,
    decimals: Vec<u32>,
    start: u64,
    end: u64,
}

/// One group of an [`Aggregate`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// The values of the group columns, as the file spells them (trimmed).
    pub values: Vec<String>,
    /// The number of cases (rows).
    pub cases: u64,
    /// One sum per sum column; `None` when no row of the group has a number there.
    pub sums: Vec<Option<f64>>,
    /// The 1-based line of the group's first row (relative to its range for a part).
    pub line: usize,
}

impl Aggregate {
    /// The group columns, named as the header names them.
    pub fn by(&self) -> &[String] {
        &self.by
    }

    /// The sum columns, named as the header names them.
    pub fn sum(&self) -> &[String] {
        &self.sum
    }

    /// The groups, in order.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// The encoding the file was read in.
    pub fn encoding(&self) -> &str {
        &self.encoding
    }

    /// The separator.
    pub fn separator(&self) -> char {
        self.separator
    }

    /// Data rows read.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Bytes read.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Lines skipped: titles above the header, and lines of a single cell (notes, sources).
    pub fn skipped(&self) -> &[usize] {
        &self.skipped
    }

    /// Per sum column, the cells without a number (empty or a sign such as `.` or `x`).
    pub fn missing(&self) -> &[u64] {
        &self.missing
    }

    /// The file offset of the first record read.
    pub fn start(&self) -> u64 {
        self.start
    }

    /// The file offset where the next record starts (the file's length after the last one).
    /// Two parts of a file fit together when one's `end` is the next one's `start`.
    pub fn end(&self) -> u64 {
        self.end
    }

    /// Whether the parts of a stored aggregate fit together: one from a session file may have
    /// been edited by hand or damaged, and the dataset is built by indexing each group's values
    /// by column. Says what does not fit.
    pub(crate) fn check_shape(&self) -> std::result::Result<(), Message> {
        let (nby, nsum) = (self.by.len(), self.sum.len());
        // Roll-ups are counted in a 32-bit mask, one bit per group column.
        if nby > 31 {
            return Err(Message::new(&message::SHAPE_TOO_MANY_BY).with("by", nby));
        }
        // The lists by their names in the session file.
        let lists = [
            ("by_columns", self.by_columns.len(), nby),
            ("roles", self.roles.len(), nby),
            ("sum_columns", self.sum_columns.len(), nsum),
            ("missing", self.missing.len(), nsum),
            ("decimals", self.decimals.len(), nsum),
        ];
        if let Some((what, got, want)) = lists.into_iter().find(|(_, got, want)| got != want) {
            return Err(Message::new(&message::SHAPE_LIST)
                .with("list", what)
                .with("got", got)
                .with("want", want));
        }
        match self
            .groups
            .iter()
            .position(|g| g.values.len() != nby || g.sums.len() != nsum)
        {
            Some(i) => Err(Message::new(&message::SHAPE_GROUP)
                .with("group", i + 1)
                .with("by", nby)
                .with("sum", nsum)),
            None => Ok(()),
        }
    }

    /// Add another part of the same file (or another file with the same columns).
    pub fn merge(&mut self, other: Aggregate) -> Result<()> {
        if self.by != other.by || self.sum != other.sum {
            return Err(Error::new(ErrorKind::Other {
                msg: Message::new(&message::PARTS_DIFFER),
                pos: Position::default(),
            }));
        }
        let mut index: HashMap<Vec<String>, usize> = self
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.values.clone(), i))
            .collect();
        for group in other.groups {
            match index.get(&group.values) {
                Some(&i) => self.groups[i].add(&group),
                None => {
                    index.insert(group.values.clone(), self.groups.len());
                    self.groups.push(group);
                }
            }
        }
        self.groups
            .sort_by(|a, b| compare_values(&a.values, &b.values));
        for (a, b) in self.decimals.iter_mut().zip(other.decimals) {
            *a = (*a).max(b);
        }
        round_sums(&mut self.groups, &self.decimals);
        self.rows += other.rows;
        self.bytes += other.bytes;
        self.skipped.extend(other.skipped);
        self.skipped.sort_unstable();
        for (a, b) in self.missing.iter_mut().zip(other.missing) {
            *a += b;
        }
        self.start = self.start.min(other.start);
        self.end = self.end.max(other.end);
        Ok(())
    }

    /// The groups as a dataset for the KPI, peer and check views: the group columns named like
    /// a municipality and a year give those, the other group columns become dimensions, and the
    /// measures are `faelle` (cases) and one per sum column. Every roll-up over the dimensions
    /// is a combination too, with `Insgesamt` for a summed-over dimension; combination 0 is
    /// the total over all of them.
    pub fn to_dataset(&self, file: &str) -> Result<Dataset> {
        let role = |r: Role| self.roles.iter().position(|&x| x == r);
        let (municipality, year) = (role(Role::Municipality), role(Role::Year));
        let missing_role = |role: &'static Template| {
            Error::new(ErrorKind::MissingRole {
                role: Message::new(role),
                pos: Position::default(),
            })
            .in_file(file)
        };
        let municipality =
            municipality.ok_or_else(|| missing_role(&message::ROLE_MUNICIPALITY_SHORT))?;
        let year = year.ok_or_else(|| missing_role(&message::ROLE_YEAR))?;
        let dims: Vec<usize> = (0..self.by.len())
            .filter(|&i| i != municipality && i != year)
            .collect();
        let mut measures = vec![Measure {
            key: "faelle".into(),
            label: "Fälle".into(),
            unit: Some("Anzahl".into()),
            kind: MeasureKind::Amount,
            statistic: None,
        }];
        for label in &self.sum {
            let key = measure_key(label);
            if measures.iter().any(|m| m.key == key) {
                return Err(Error::new(ErrorKind::DuplicateKey {
                    key,
                    pos: Position::default(),
                })
                .in_file(file));
            }
            measures.push(Measure {
                key,
                label: label.clone(),
                unit: None,
                kind: MeasureKind::Amount,
                statistic: None,
            });
        }
        let masks: Vec<u32> = if dims.len() <= MAX_CUBE_DIMENSIONS {
            (0..1u32 << dims.len()).collect()
        } else {
            vec![0, (1u32 << dims.len()) - 1]
        };
        let mut combinations: Vec<Vec<String>> = vec![vec![TOTAL.to_string(); dims.len()]];
        let mut combination_index: HashMap<Vec<String>, usize> = HashMap::new();
        combination_index.insert(combinations[0].clone(), 0);
        let mut municipalities: Vec<Municipality> = Vec::new();
        let mut cells: BTreeMap<(usize, i32, usize), Group> = BTreeMap::new();
        for group in &self.groups {
            let name = &group.values[municipality];
            let m = match municipalities.iter().position(|x| &x.name == name) {
                Some(m) => m,
                None => {
                    municipalities.push(Municipality {
                        name: name.clone(),
                        code: None,
                        aggregate: false,
                    });
                    municipalities.len() - 1
                }
            };
            let y = parse_year(&group.values[year]).ok_or_else(|| {
                table_error(
                    Message::new(&message::CASE_NOT_YEAR)
                        .with("text", &group.values[year])
                        .with("column", &self.by[year]),
                    group.line as u64,
                    Some(self.by_columns[year] + 1),
                )
                .in_file(file)
            })?;
            for &mask in &masks {
                let combination: Vec<String> = dims
                    .iter()
                    .enumerate()
                    .map(|(j, &d)| {
                        if mask & (1 << j) != 0 {
                            group.values[d].clone()
                        } else {
                            TOTAL.into()
                        }
                    })
                    .collect();
                let next = combinations.len();
                let c = *combination_index.entry(combination.clone()).or_insert(next);
                if c == next {
                    combinations.push(combination);
                }
                let empty = || Group {
                    values: Vec::new(),
                    cases: 0,
                    sums: vec![None; self.sum.len()],
                    line: group.line,
                };
                cells.entry((m, y, c)).or_insert_with(empty).add(group);
            }
        }
        let mut dataset = Dataset {
            files: vec![file.to_string()],
            municipalities,
            measures,
            dimensions: dims.iter().map(|&d| self.by[d].clone()).collect(),
            combinations,
            ..Dataset::default()
        };
        for (
            (municipality, year, combination),
            Group {
                cases, sums, line, ..
            },
        ) in cells
        {
            let key = |measure| CellKey {
                municipality,
                year,
                combination,
                measure,
            };
            let source = |column: usize| Source {
                file: 0,
                line,
                column: column + 1,
            };
            dataset.cells.insert(
                key(0),
                Observation {
                    value: Value::Number(cases as f64),
                    flag: None,
                    source: source(self.by_columns[0]),
                },
            );
            for (s, sum) in sums.into_iter().enumerate() {
                let value = sum.map_or(Value::Missing(Reason::Empty), Value::Number);
                dataset.cells.insert(
                    key(s + 1),
                    Observation {
                        value,
                        flag: None,
                        source: source(self.sum_columns[s]),
                    },
                );
            }
        }
        Ok(dataset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small case file with what breaks naive readers: a title line, quoted fields with the
    /// separator, a quote and a line break inside, CRLF, a single-cell note line, padding, the
    /// legend's `-` and `.`, and umlauts (multi-byte in UTF-8).
    const CASES: &str = "Fälle 2023\r\n\
        Kommune;Jahr;Leistungsart;Betrag;Bemerkung\r\n\
        Süd;2023;HLU;1.234,50;\"a;b\"\r\n\
        Nord;2023;HLU;10,25;\"zwei\r\nZeilen\"\r\n\
        Süd;2023;GruSi; 5,00 ;\"\"\"zitiert\"\"\"\r\n\
        Süd;2022;HLU;-;\r\n\
        Nord;2023;HLU;.;\r\n\
        Weißenfeld;2023;HLU;1.000.000,01;\r\n\
        Quelle: eigene Daten\r\n";

    fn query(by: &[&str], sum: &[&str]) -> CaseQuery {
        CaseQuery {
            by: by.iter().map(|s| s.to_string()).collect(),
            sum: sum.iter().map(|s| s.to_string()).collect(),
            encoding: None,
        }
    }

    fn cp1252(text: &str) -> Vec<u8> {
        encoding_rs::WINDOWS_1252.encode(text).0.into_owned()
    }

    fn run(slices: &[&[u8]], q: &CaseQuery) -> Result<Aggregate> {
        let mut agg = CaseAggregator::new(q.clone());
        for s in slices {
            agg.feed(s)?;
        }
        agg.finish()
    }

    fn run_with_layout(bytes: &[u8], cuts: &[usize], q: &CaseQuery) -> Aggregate {
        let layout = CaseLayout::sniff(bytes, true, None).expect("layout");
        let mut agg = CaseAggregator::with_layout(layout, q.clone()).expect("aggregator");
        let mut from = 0;
        for &cut in cuts.iter().chain([bytes.len()].iter()) {
            agg.feed(&bytes[from..cut]).expect("feed");
            from = cut;
        }
        agg.finish().expect("finish")
    }

    fn summary(a: &Aggregate) -> Vec<Group> {
        a.groups().to_vec()
    }

    fn group(values: [&str; 2], cases: u64, sum: f64, line: usize) -> Group {
        let values = values.iter().map(|v| v.to_string()).collect();
        Group {
            values,
            cases,
            sums: vec![Some(sum)],
            line,
        }
    }

    #[test]
    fn groups_counts_and_sums() {
        let a = run(
            &[CASES.as_bytes()],
            &query(&["Kommune", "Jahr"], &["Betrag"]),
        )
        .expect("aggregate");
        let want = vec![
            group(["Nord", "2023"], 2, 10.25, 4),
            group(["Süd", "2022"], 1, 0.0, 7),
            group(["Süd", "2023"], 2, 1239.5, 3),
            group(["Weißenfeld", "2023"], 1, 1_000_000.01, 9),
        ];
        assert_eq!(summary(&a), want);
        assert_eq!(
            (a.rows(), a.skipped(), a.missing()),
            (6, &[1usize, 10][..], &[1u64][..])
        );
        assert_eq!((a.encoding(), a.separator()), ("UTF-8", ';'));
    }

    #[test]
    fn every_split_gives_the_same_result() {
        let q = query(&["Kommune", "Leistungsart", "Jahr"], &["Betrag"]);
        for bytes in [CASES.as_bytes().to_vec(), cp1252(CASES)] {
            let whole = run_with_layout(&bytes, &[], &q);
            assert_eq!(whole.groups().len(), 5);
            for cut in 0..=bytes.len() {
                assert_eq!(
                    summary(&run_with_layout(&bytes, &[cut], &q)),
                    summary(&whole),
                    "cut at {cut}"
                );
                assert_eq!(
                    summary(&run(&[&bytes[..cut], &bytes[cut..]], &q).expect("run")),
                    summary(&whole)
                );
            }
            let every: Vec<usize> = (1..bytes.len()).collect();
            assert_eq!(
                summary(&run_with_layout(&bytes, &every, &q)),
                summary(&whole),
                "byte by byte"
            );
        }
    }

    #[test]
    fn utf16_is_decoded_across_slices() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(CASES.encode_utf16().flat_map(u16::to_le_bytes));
        let q = query(&["Kommune", "Jahr"], &["Betrag"]);
        let whole = run_with_layout(CASES.as_bytes(), &[], &q);
        for cut in 0..=bytes.len() {
            let a = run_with_layout(&bytes, &[cut], &q);
            assert_eq!(
                (summary(&a), a.encoding()),
                (summary(&whole), "UTF-16LE"),
                "cut at {cut}"
            );
        }
    }

    /// Two workers: the first reads up to `cut`, the second from `cut`; when their ends meet
    /// they add up to the whole, and they only fail to meet when the cut falls in the record
    /// with a quoted line break, before that break.
    #[test]
    fn ranges_merge_to_the_whole() {
        let q = query(&["Kommune", "Jahr"], &["Betrag"]);
        for bytes in [CASES.as_bytes().to_vec(), cp1252(CASES)] {
            let layout = CaseLayout::sniff(&bytes, true, None).expect("layout");
            let whole = run_with_layout(&bytes, &[], &q);
            let record = find(&bytes, b"Nord;2023;HLU;10");
            let quoted_break = find(&bytes, b"zwei\r\n") + 4;
            for cut in layout.data_start() as usize..=bytes.len() {
                let part = |start: usize, end: usize| {
                    let mut agg =
                        CaseAggregator::range(layout.clone(), q.clone(), start as u64, end as u64)
                            .expect("range");
                    let from = agg.read_from() as usize;
                    for b in bytes[from..].chunks(7) {
                        if !agg.feed(b).expect("feed") {
                            break;
                        }
                    }
                    agg.finish().expect("finish")
                };
                let mut first = part(0, cut);
                let second = part(cut, bytes.len());
                if first.end() != second.start() {
                    assert!(
                        (record + 1..=quoted_break + 2).contains(&cut),
                        "cut at {cut}"
                    );
                    continue;
                }
                first.merge(second).expect("merge");
                let lines = |a: &Aggregate| {
                    a.groups()
                        .iter()
                        .map(|g| (g.values.clone(), g.cases))
                        .collect::<Vec<_>>()
                };
                assert_eq!(lines(&first), lines(&whole), "cut at {cut}");
                assert_eq!(first.rows(), whole.rows());
                for (a, b) in first.groups().iter().zip(whole.groups()) {
                    assert_eq!(a.sums, b.sums);
                }
            }
        }
    }

    fn find(hay: &[u8], needle: &[u8]) -> usize {
        hay.windows(needle.len())
            .position(|w| w == needle)
            .expect("needle")
    }

    #[test]
    fn layout_ranges_cover_the_data() {
        let layout = CaseLayout::sniff(CASES.as_bytes(), true, None).expect("layout");
        let len = CASES.len() as u64;
        let ranges = layout.ranges(len, 3);
        assert_eq!(ranges.len(), 3);
        assert_eq!((ranges[0].0, ranges[2].1), (0, len));
        assert!(ranges
            .windows(2)
            .all(|w| w[0].1 == w[1].0 && w[1].0 >= layout.data_start()));
    }

    #[test]
    fn bad_input_names_line_and_column() {
        let cases: &[(&str, &[&str], &[&str], &str)] = &[
            ("K;J;B\nA;1;x1\n", &["K"], &["B"], "Zeile 2, Spalte 3"),
            (
                "K;J;B\nA;1;1\nA;1;1,2.3\n",
                &["K"],
                &["B"],
                "Zeile 3, Spalte 3",
            ),
            (
                "K;J;B\nA;1;1\n\"x\ny\";1;oops\n",
                &["K"],
                &["B"],
                "Zeile 3, Spalte 3",
            ),
            ("K;J;B\nA;1;1\nA;1\n", &["K"], &["B"], "Zeile 3"),
            ("K;J;B\nA;1;1\n", &["Kommune"], &[], "Zeile 1"),
            ("K;J;B\nA;1;1\n", &["K"], &["Betrag"], "„Betrag“"),
        ];
        for (text, by, sum, want) in cases {
            let e = run(&[text.as_bytes()], &query(by, sum)).expect_err(text);
            assert!(e.to_string().contains(want), "{text}: {e}");
        }
    }

    #[test]
    fn numbers_fast_path() {
        type Case<'a> = (&'a str, bool, Option<(f64, u32)>);
        let cases: &[Case] = &[
            ("1.234,56", true, Some((1234.56, 2))),
            ("1234,56", true, Some((1234.56, 2))),
            ("-0,5", true, Some((-0.5, 1))),
            ("+12", true, Some((12.0, 0))),
            ("12.345.678", true, Some((12_345_678.0, 0))),
            ("1234.56", false, Some((1234.56, 2))),
            ("1,234.5", false, Some((1234.5, 1))),
            ("1.5", true, None),
            ("1.23,4", true, None),
            ("12,", true, None),
            (",5", true, None),
            ("", true, None),
            ("-", true, None),
            (" 1", true, None),
            ("1234567890123456789", true, None),
        ];
        for (text, comma, want) in cases {
            assert_eq!(fast_number(text.as_bytes(), *comma), *want, "{text}");
        }
    }

    #[test]
    fn ascii_start_decides_encoding_from_group_values() {
        let mut bytes = b"Kommune;Jahr\n".to_vec();
        bytes
            .extend(std::iter::repeat_n(b"Nord;2020\n".as_slice(), SNIFF_BYTES / 10 + 1).flatten());
        let tail = "Süd;2020\n";
        for (tail, enc) in [
            (tail.as_bytes().to_vec(), "UTF-8"),
            (cp1252(tail), "Windows-1252"),
        ] {
            let mut all = bytes.clone();
            all.extend(&tail);
            let a = run(&[&all], &query(&["Kommune"], &[])).expect("aggregate");
            assert_eq!(a.encoding(), enc);
            assert_eq!(a.groups()[1].values, ["Süd"]);
        }
    }

    #[test]
    fn dataset_with_dimension_rollups() {
        let a = run(
            &[CASES.as_bytes()],
            &query(&["Kommune", "Jahr", "Leistungsart"], &["Betrag"]),
        )
        .expect("run");
        let d = a.to_dataset("faelle.csv").expect("dataset");
        assert_eq!(d.dimensions, ["Leistungsart"]);
        assert_eq!(d.combinations[0], ["Insgesamt"]);
        let keys: Vec<&str> = d.measures.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(keys, ["faelle", "betrag"]);
        let sued = d.municipality_index("Süd").expect("Süd");
        let hlu = d
            .combinations
            .iter()
            .position(|c| c == &["HLU"])
            .expect("HLU");
        assert_eq!(d.value(sued, 2023, 0), Value::Number(2.0));
        assert_eq!(d.value(sued, 2023, 1), Value::Number(1239.5));
        assert_eq!(
            d.get_in(sued, 2023, hlu, 1).map(|o| o.value.clone()),
            Some(Value::Number(1234.5))
        );
        let nord = d.municipality_index("Nord").expect("Nord");
        assert_eq!(d.get(nord, 2023, 0).map(|o| o.source.line), Some(4));
        assert!(a.to_dataset("x").is_ok());
        let no_year = run(&[CASES.as_bytes()], &query(&["Kommune"], &[])).expect("run");
        assert!(no_year.to_dataset("x").is_err());
    }

    #[test]
    fn too_many_groups_is_a_clear_error() {
        let mut text = String::from("ID;Kommune\n");
        let long = "x".repeat(1000);
        for i in 0..300_000 {
            text.push_str(&format!("{long}{i};A\n"));
        }
        let e = run(&[text.as_bytes()], &query(&["ID"], &[])).expect_err("too many");
        assert!(e.to_string().contains("Zu viele Gruppen"), "{e}");
    }
}
