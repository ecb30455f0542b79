//! The layout of a case-level upload, read from its first bytes: encoding, separator, header,
//! which columns are numbers and which are the municipality and the year. The app shows the
//! header as the choice of group and sum columns before the whole file is read, and every
//! worker of a split file gets the same layout, so all parts read the bytes alike.

use chardetng::EncodingDetector;
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Position, Result};

/// How many bytes the layout is read from (or the whole file, when shorter). Fixed, so the
/// outcome does not depend on how the caller slices the file.
pub(crate) const SNIFF_BYTES: usize = 1 << 20;

/// How many records after the header are looked at to tell numbers from text.
const SAMPLE_RECORDS: usize = 500;

/// The separators a German CSV uses, most likely first (ties go to the earlier one).
const SEPARATORS: [u8; 4] = [b';', b',', b'\t', b'|'];

/// Header names (as measure keys) that mark the municipality and the year (CONTRACT §1 roles).
const MUNICIPALITY_NAMES: [&str; 5] = ["kommune", "stadt", "gemeinde", "region", "municipality"];
const YEAR_NAMES: [&str; 3] = ["jahr", "year", "stichtag"];

/// The layout of a case-level file: what [`crate::CaseAggregator`] needs to read its bytes, and
/// what the user chooses the group and sum columns from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseLayout {
    encoding: String,
    /// False while the first bytes were plain ASCII: then the first group value that is not
    /// decides between UTF-8 and Windows-1252.
    encoding_seen: bool,
    bom: usize,
    separator: u8,
    header: Vec<String>,
    header_record: usize,
    header_line: usize,
    data_start: u64,
    skipped: Vec<usize>,
    decimal_comma: Vec<bool>,
    numeric: Vec<bool>,
    municipality: Option<usize>,
    year: Option<usize>,
}

impl CaseLayout {
    /// Read the layout from the first bytes of a file (at least 1 MB of it, or all of a smaller
    /// file; `complete` says the bytes are the whole file). `encoding` overrides the detection
    /// with a label such as `windows-1252` or `utf-8`.
    pub fn sniff(first: &[u8], complete: bool, encoding: Option<&str>) -> Result<CaseLayout> {
        let prefix = &first[..first.len().min(SNIFF_BYTES)];
        let complete = complete && prefix.len() == first.len();
        if prefix.is_empty() {
            return Err(Error::new(ErrorKind::Empty {
                pos: Position::default(),
            }));
        }
        let (chosen, bom) = match encoding {
            Some(label) => {
                let enc = Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                    Error::new(ErrorKind::Other {
                        msg: format!("Unbekannte Zeichenkodierung „{label}“."),
                        pos: Position::default(),
                    })
                })?;
                let bom = Encoding::for_bom(prefix)
                    .filter(|(e, _)| *e == enc)
                    .map_or(0, |(_, n)| n);
                (Some(enc), bom)
            }
            None => detect(prefix, complete)?,
        };
        let text = decode_prefix(&prefix[bom..], chosen.unwrap_or(UTF_8), complete);
        let (separator, header_record, records) = table_start(&text, complete)?;
        let header: Vec<String> = records[header_record]
            .fields
            .iter()
            .map(|f| f.trim().to_string())
            .collect();
        let sample = &records[header_record + 1..];
        let (numeric, decimal_comma) = number_columns(header.len(), sample, separator);
        let (municipality, year) = roles(&header);
        let enc = chosen.unwrap_or(UTF_8);
        let data_text = records
            .get(header_record + 1)
            .map_or(text.as_str(), |r| &text[..r.byte]);
        // Offsets in the decoded text are bytes of UTF-8; a single-byte encoding has one byte
        // per character.
        let data_raw = if enc == UTF_8 {
            data_text.len()
        } else {
            data_text.chars().count()
        };
        Ok(CaseLayout {
            encoding: enc.name().to_string(),
            encoding_seen: chosen.is_some(),
            bom,
            separator,
            header_line: records[header_record].line,
            data_start: (bom + data_raw) as u64,
            skipped: records[..header_record].iter().map(|r| r.line).collect(),
            header,
            header_record,
            decimal_comma,
            numeric,
            municipality,
            year,
        })
    }

    /// The encoding's name (`UTF-8`, `windows-1252`, `UTF-16LE`).
    pub fn encoding(&self) -> &str {
        &self.encoding
    }

    /// The separator.
    pub fn separator(&self) -> char {
        char::from(self.separator)
    }

    /// The column names as the header spells them (trimmed).
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The 1-based line of the header.
    pub fn header_line(&self) -> usize {
        self.header_line
    }

    /// Lines above the header (titles) that are skipped.
    pub fn skipped(&self) -> &[usize] {
        &self.skipped
    }

    /// The group columns to preselect: the municipality and the year, when found.
    pub fn suggested_by(&self) -> Vec<String> {
        [self.municipality, self.year]
            .into_iter()
            .flatten()
            .map(|i| self.header[i].clone())
            .collect()
    }

    /// The columns to preselect for summing: the number columns other than the municipality
    /// and the year.
    pub fn suggested_sum(&self) -> Vec<String> {
        (0..self.header.len())
            .filter(|&i| self.numeric[i] && Some(i) != self.year && Some(i) != self.municipality)
            .map(|i| self.header[i].clone())
            .collect()
    }

    /// The file offset where the data (the first record after the header) starts; for a file
    /// that cannot be cut into ranges, only its first bytes are meaningful.
    pub fn data_start(&self) -> u64 {
        self.data_start
    }

    /// Byte ranges of a file of `len` bytes for `parts` workers, for
    /// [`crate::CaseAggregator::range`]: the first starts at 0 (with the header), the others
    /// cut the data evenly. One range when the file cannot be cut.
    pub fn ranges(&self, len: u64, parts: usize) -> Vec<(u64, u64)> {
        let parts = if self.splittable() {
            parts.max(1) as u64
        } else {
            1
        };
        let data = self.data_start.min(len);
        let mut cuts: Vec<u64> = (0..parts)
            .map(|i| {
                if i == 0 {
                    0
                } else {
                    data + (len - data) * i / parts
                }
            })
            .collect();
        cuts.push(len);
        cuts.dedup();
        cuts.windows(2).map(|w| (w[0], w[1])).collect()
    }

    /// Whether the file can be cut into byte ranges read by separate workers: the separator,
    /// quotes and line ends must be the same bytes in every part, as in UTF-8 and Windows-1252.
    pub fn splittable(&self) -> bool {
        self.raw_bytes()
    }

    pub(crate) fn raw_bytes(&self) -> bool {
        let enc = self.encoding_rs();
        enc == UTF_8 || enc.is_single_byte()
    }

    pub(crate) fn encoding_rs(&self) -> &'static Encoding {
        Encoding::for_label(self.encoding.as_bytes()).unwrap_or(UTF_8)
    }

    pub(crate) fn encoding_seen(&self) -> bool {
        self.encoding_seen
    }

    pub(crate) fn bom(&self) -> usize {
        self.bom
    }

    pub(crate) fn separator_byte(&self) -> u8 {
        self.separator
    }

    pub(crate) fn header_record(&self) -> usize {
        self.header_record
    }

    pub(crate) fn decimal_comma(&self, column: usize) -> bool {
        self.decimal_comma[column]
    }

    /// The index of a column by name: exact (trimmed) first, then ignoring case.
    pub(crate) fn column(&self, name: &str) -> Result<usize> {
        let name = name.trim();
        self.header
            .iter()
            .position(|h| h == name)
            .or_else(|| {
                self.header
                    .iter()
                    .position(|h| h.to_lowercase() == name.to_lowercase())
            })
            .ok_or_else(|| {
                Error::new(ErrorKind::Table {
                    msg: format!(
                        "Die Spalte „{name}“ gibt es nicht; die Kopfzeile hat: {}.",
                        self.header.join(", ")
                    ),
                    pos: Position::at(None, self.header_line, None),
                })
            })
    }
}

/// The encoding of the first bytes and the length of its byte order mark. `None` when the
/// bytes are plain ASCII, which reads the same in UTF-8 and Windows-1252.
fn detect(prefix: &[u8], complete: bool) -> Result<(Option<&'static Encoding>, usize)> {
    if let Some((enc, bom)) = Encoding::for_bom(prefix) {
        return Ok((Some(enc), bom));
    }
    if prefix.contains(&0) {
        return Err(Error::new(ErrorKind::Binary {
            pos: Position::default(),
        }));
    }
    let ascii = Encoding::ascii_valid_up_to(prefix);
    if ascii == prefix.len() {
        return Ok((None, 0));
    }
    let valid = Encoding::utf8_valid_up_to(prefix);
    // A slice may end inside a character: up to three bytes of an unfinished one are fine.
    let unfinished = !complete && prefix.len() - valid < 4 && prefix[valid] >= 0xC2;
    if valid == prefix.len() || unfinished {
        return Ok((Some(UTF_8), 0));
    }
    let mut detector = EncodingDetector::new();
    detector.feed(prefix, complete);
    Ok((Some(detector.guess(None, false)), 0))
}

/// The first bytes as text; an unfinished character at the cut is left out.
fn decode_prefix(bytes: &[u8], encoding: &'static Encoding, complete: bool) -> String {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length(bytes.len())
            .unwrap_or(bytes.len()),
    );
    let _ = decoder.decode_to_string(bytes, &mut text, complete);
    text
}

/// A record of the first bytes with the line it starts on.
struct Record {
    fields: Vec<String>,
    line: usize,
    byte: usize,
}

/// The separator, the index of the header among the records, and the records (complete ones
/// only: the last may be cut by the end of the prefix).
fn table_start(text: &str, complete: bool) -> Result<(u8, usize, Vec<Record>)> {
    let mut best: Option<(usize, usize, u8, usize, Vec<Record>)> = None;
    for sep in SEPARATORS {
        let records = read_records(text, sep, complete);
        let mut counts: Vec<(usize, usize)> = Vec::new();
        for r in records.iter().take(50) {
            match counts.iter_mut().find(|(n, _)| *n == r.fields.len()) {
                Some((_, c)) => *c += 1,
                None => counts.push((r.fields.len(), 1)),
            }
        }
        let Some(&(width, freq)) = counts
            .iter()
            .filter(|(n, _)| *n >= 2)
            .max_by_key(|(n, c)| (*c, *n))
        else {
            continue;
        };
        let Some(header) = records.iter().position(|r| r.fields.len() == width) else {
            continue;
        };
        if best
            .as_ref()
            .is_none_or(|(f, w, ..)| (freq, width) > (*f, *w))
        {
            best = Some((freq, width, sep, header, records));
        }
    }
    best.map(|(_, _, sep, header, records)| (sep, header, records)).ok_or_else(|| {
        Error::new(ErrorKind::Table {
            msg: "Keine Tabelle gefunden: keine Zeile hat mehrere durch ; , Tab oder | getrennte Spalten."
                .into(),
            pos: Position::at(None, 1, None),
        })
    })
}

fn read_records(text: &str, sep: u8, complete: bool) -> Vec<Record> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    let mut record = csv::StringRecord::new();
    while records.len() < SAMPLE_RECORDS + 50 {
        match rdr.read_record(&mut record) {
            Ok(true) => records.push(Record {
                fields: record.iter().map(str::to_string).collect(),
                line: record.position().map_or(0, |p| p.line() as usize),
                byte: record.position().map_or(0, |p| p.byte() as usize),
            }),
            Ok(false) | Err(_) => {
                // The end of a prefix may cut its last record short.
                if !complete && records.len() > 1 {
                    records.pop();
                }
                break;
            }
        }
    }
    records
}

/// Which columns hold numbers, and per column whether a comma is its decimal mark.
fn number_columns(width: usize, sample: &[Record], separator: u8) -> (Vec<bool>, Vec<bool>) {
    let mut numeric = vec![true; width];
    let mut seen = vec![false; width];
    let mut commas = vec![0usize; width];
    let mut points = vec![0usize; width];
    for record in sample.iter().take(SAMPLE_RECORDS) {
        for (i, cell) in record.fields.iter().enumerate().take(width) {
            let cell = cell.trim();
            if cell.is_empty() || crate::dataset::Reason::from_marker(cell).is_some() || cell == "-"
            {
                continue;
            }
            seen[i] = true;
            let digits = cell.trim_start_matches(['-', '+']);
            if digits.is_empty()
                || !digits
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
            {
                numeric[i] = false;
                continue;
            }
            // A point followed by exactly three digits may group thousands; any other point is
            // a decimal point, and a comma is a decimal comma unless points group before it.
            if digits.contains(',') {
                commas[i] += 1;
            } else if let Some(p) = digits.rfind('.') {
                if digits.len() - p - 1 != 3 || digits.matches('.').count() == 1 && p > 3 {
                    points[i] += 1;
                }
            }
        }
    }
    let numeric = numeric.iter().zip(&seen).map(|(n, s)| *n && *s).collect();
    let decimal_comma = commas
        .iter()
        .zip(&points)
        .map(|(c, p)| if c == p { separator != b',' } else { c > p })
        .collect();
    (numeric, decimal_comma)
}

/// The municipality and the year column among column names, when their names say so.
pub(crate) fn roles(header: &[String]) -> (Option<usize>, Option<usize>) {
    (role(header, &MUNICIPALITY_NAMES), role(header, &YEAR_NAMES))
}

/// The first column whose measure key names the role.
fn role(header: &[String], names: &[&str]) -> Option<usize> {
    header.iter().position(|h| {
        let key = crate::aggregate::measure_key(h);
        names.iter().any(|n| {
            key == *n
                || key
                    .strip_prefix(n)
                    .is_some_and(|rest| rest.starts_with('_'))
        })
    })
}

/// Windows-1252, the encoding of Excel's plain CSV export, for bytes no detection has decided.
pub(crate) fn fallback_encoding() -> &'static Encoding {
    WINDOWS_1252
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniff(bytes: &[u8]) -> CaseLayout {
        CaseLayout::sniff(bytes, true, None).expect("layout")
    }

    #[test]
    fn detects_encoding_separator_and_header() {
        type Case<'a> = (&'a [u8], &'a str, char, usize, &'a [&'a str]);
        let cases: &[Case] = &[
            (
                b"Kommune;Jahr\r\nA;2020\r\n",
                "UTF-8",
                ';',
                1,
                &["Kommune", "Jahr"],
            ),
            (
                b"Kommune,Jahr\nA,2020\n",
                "UTF-8",
                ',',
                1,
                &["Kommune", "Jahr"],
            ),
            (
                b"Titel\nKommune\tJahr\nA\t2020\nB\t2021\n",
                "UTF-8",
                '\t',
                2,
                &["Kommune", "Jahr"],
            ),
            (
                b"Kommune|Jahr\nS\xfcd|2020\n",
                "windows-1252",
                '|',
                1,
                &["Kommune", "Jahr"],
            ),
            (
                "Kommune;Jahr\nSüd;2020\n".as_bytes(),
                "UTF-8",
                ';',
                1,
                &["Kommune", "Jahr"],
            ),
            (
                b"\xef\xbb\xbfKommune;Jahr\nA;1\n",
                "UTF-8",
                ';',
                1,
                &["Kommune", "Jahr"],
            ),
            (
                b"\xff\xfeK\0;\0J\0\n\0A\0;\x001\0\n\0",
                "UTF-16LE",
                ';',
                1,
                &["K", "J"],
            ),
            (
                b"\"Kom;mune\";Jahr\nA;2020\n",
                "UTF-8",
                ';',
                1,
                &["Kom;mune", "Jahr"],
            ),
        ];
        for (bytes, enc, sep, line, header) in cases {
            let l = sniff(bytes);
            assert_eq!(
                (l.encoding(), l.separator(), l.header_line()),
                (*enc, *sep, *line),
                "{bytes:?}"
            );
            assert_eq!(l.header(), *header, "{bytes:?}");
        }
    }

    #[test]
    fn roles_and_number_columns() {
        let l = sniff(
            "Fall-ID;Kommune;Stadtteil;Jahr;Monate;Bruttoausgaben;Bemerkung\n\
             F1;Süd;Nord;2020;3;1.234,56;\nF2;Nord;Mitte;2021;12;99,00;x\n"
                .as_bytes(),
        );
        assert_eq!(l.suggested_by(), ["Kommune", "Jahr"]);
        assert_eq!(l.suggested_sum(), ["Monate", "Bruttoausgaben"]);
        assert!(l.decimal_comma(5));
    }

    #[test]
    fn decimal_mark_per_column() {
        let cases: &[(&str, bool)] = &[
            ("A;B\nx;1.234,5\n", true),
            ("A;B\nx;1234.5\n", false),
            ("A;B\nx;1.234\n", true),
            ("A,B\nx,1.234\n", false),
            ("A,B\nx,\"1,5\"\n", true),
        ];
        for (text, comma) in cases {
            assert_eq!(sniff(text.as_bytes()).decimal_comma(1), *comma, "{text}");
        }
    }

    #[test]
    fn rejects_what_is_no_table() {
        let cases: &[&[u8]] = &[
            b"",
            b"\x00\x01\x02binary",
            b"nur eine Spalte\nund noch eine\n",
        ];
        for bytes in cases {
            assert!(CaseLayout::sniff(bytes, true, None).is_err(), "{bytes:?}");
        }
    }
}
