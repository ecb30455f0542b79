//! The layout of a case-level upload, read from its first bytes: encoding, separator, header,
//! which columns are numbers and which are the municipality and the year. The app shows the
//! header as the choice of group and sum columns before the whole file is read, and every
//! worker of a split file gets the same layout, so all parts read the bytes alike.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Position, Result};
use crate::message::{self, Message};
use crate::read::column::{Role, Shape};
use crate::read::decode::{detect_start, display_name, named_encoding};
use crate::read::layout::detect_layout;
use crate::read::number::NumberFormat;
use crate::read::table::{read_table, ReadOptions};

/// How many bytes the layout is read from (or the whole file, when shorter). Fixed, so the
/// outcome does not depend on how the caller slices the file.
pub(crate) const SNIFF_BYTES: usize = 1 << 20;

/// The layout of a case-level file: what [`crate::CaseAggregator`] needs to read its bytes, and
/// what the user chooses the group and sum columns from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseLayout {
    /// The encoding's WHATWG name, for `Encoding::for_label`.
    label: String,
    /// The encoding as the user reads it (`Windows-1252`, `UTF-8 (BOM)`).
    encoding: String,
    /// False while the first bytes were plain ASCII: then the first group value that is not
    /// decides between UTF-8 and Windows-1252.
    encoding_seen: bool,
    bom: usize,
    separator: u8,
    header: Vec<String>,
    header_line: usize,
    /// The first line of data: records that start above it are titles and the header.
    data_line: usize,
    data_start: u64,
    skipped: Vec<usize>,
    formats: Vec<NumberFormat>,
    roles: Vec<Role>,
    case_level: bool,
}

impl CaseLayout {
    /// Read the layout from the first bytes of a file (at least 1 MB of it, or all of a smaller
    /// file; `complete` says the bytes are the whole file). `encoding` overrides the detection
    /// with a label such as `windows-1252` or `utf-8`.
    pub fn sniff(first: &[u8], complete: bool, encoding: Option<&str>) -> Result<CaseLayout> {
        let prefix = &first[..first.len().min(SNIFF_BYTES)];
        let complete = complete && prefix.len() == first.len();
        if prefix.is_empty() {
            return Err(Error::empty());
        }
        let (chosen, bom, display) = match encoding {
            Some(label) => {
                let (enc, bom, display) = named_encoding(label, prefix)?;
                (Some(enc), bom, display)
            }
            // Plain ASCII reads the same in UTF-8 and Windows-1252: leave the choice open.
            None if prefix.is_ascii() => (None, 0, display_name(UTF_8, false)),
            None => {
                let (enc, bom, display) = detect_start(prefix)?;
                (Some(enc), bom, display)
            }
        };
        let enc = chosen.unwrap_or(UTF_8);
        let mut text = String::new();
        let mut decoder = enc.new_decoder_without_bom_handling();
        text.reserve(
            decoder
                .max_utf8_buffer_length(prefix.len())
                .unwrap_or(prefix.len()),
        );
        let _ = decoder.decode_to_string(&prefix[bom..], &mut text, complete);
        if !complete {
            // The end of the prefix cuts a record; the sample stops at the last line end.
            let end = text.rfind('\n').map_or(0, |i| i + 1);
            text.truncate(end);
        }
        let options = ReadOptions {
            encoding: Some("utf-8".into()),
            ..ReadOptions::default()
        };
        let table = read_table("", text.as_bytes(), &options)?;
        let layout = detect_layout(&table);
        if table.width() < 2 {
            return Err(Error::new(ErrorKind::Table {
                msg: Message::new(&message::NO_TABLE),
                pos: Position::at(None, table.header_line().max(1), None),
            }));
        }
        let data_line = match table.is_empty() {
            false => table.row(0).line(),
            true => table.header_line() + table.header_len(),
        };
        let data_text = match text.match_indices('\n').nth(data_line.saturating_sub(2)) {
            Some((i, _)) if data_line > 1 => &text[..i + 1],
            _ => "",
        };
        // Offsets in the decoded text are bytes of UTF-8; a single-byte encoding has one byte
        // per character.
        let data_raw = if enc == UTF_8 {
            data_text.len()
        } else {
            data_text.chars().count()
        };
        Ok(CaseLayout {
            label: enc.name().to_string(),
            encoding: display,
            encoding_seen: chosen.is_some(),
            bom,
            separator: table.separator() as u8,
            header: layout.columns.iter().map(|c| c.name.clone()).collect(),
            header_line: table.header_line(),
            data_line,
            data_start: (bom + data_raw) as u64,
            skipped: table
                .skipped()
                .iter()
                .map(|s| s.line)
                .filter(|&l| l < data_line)
                .collect(),
            formats: layout.columns.iter().map(|c| c.format).collect(),
            roles: layout.columns.iter().map(|c| c.role).collect(),
            case_level: layout.shape == Shape::CaseLevel,
        })
    }

    /// The encoding as the user reads it (`UTF-8`, `UTF-8 (BOM)`, `Windows-1252`, `UTF-16LE`).
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

    /// Lines above the data that are skipped (titles, blank lines).
    pub fn skipped(&self) -> &[usize] {
        &self.skipped
    }

    /// Whether the rows look like cases (many rows per municipality and year) rather than a
    /// table of measures: such a file is aggregated before its figures are compared.
    pub fn is_case_level(&self) -> bool {
        self.case_level
    }

    /// What each column holds, as the reader's layout detection sees it.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// The group columns to preselect: the municipality and the year, when found.
    pub fn suggested_by(&self) -> Vec<String> {
        [Role::Municipality, Role::Year]
            .iter()
            .filter_map(|r| self.roles.iter().position(|x| x == r))
            .map(|i| self.header[i].clone())
            .collect()
    }

    /// The columns to preselect for summing: the measure columns.
    pub fn suggested_sum(&self) -> Vec<String> {
        (0..self.header.len())
            .filter(|&i| self.roles[i] == Role::Measure)
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
            .map(|i| match i {
                0 => 0,
                _ => data + (len - data) * i / parts,
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
        Encoding::for_label(self.label.as_bytes()).unwrap_or(UTF_8)
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

    pub(crate) fn data_line(&self) -> usize {
        self.data_line
    }

    pub(crate) fn format(&self, column: usize) -> NumberFormat {
        self.formats[column]
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
                    msg: Message::new(&message::NO_SUCH_COLUMN)
                        .with("name", name)
                        .with("columns", self.header.join(", ")),
                    pos: Position::at(None, self.header_line, None),
                })
            })
    }
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
        type Case<'a> = (&'a [u8], &'a str, char, usize, usize);
        let cases: &[Case] = &[
            (b"Kommune;Jahr\r\nA;2020\r\n", "UTF-8", ';', 1, 2),
            (b"Kommune,Jahr\nA,2020\n", "UTF-8", ',', 1, 2),
            (
                b"Titel\n\nKommune\tJahr\nA\t2020\nB\t2021\n",
                "UTF-8",
                '\t',
                3,
                4,
            ),
            (b"Kommune|Jahr\nS\xfcd|2020\n", "Windows-1252", '|', 1, 2),
            ("Kommune;Jahr\nSüd;2020\n".as_bytes(), "UTF-8", ';', 1, 2),
            (
                b"\xef\xbb\xbfKommune;Jahr\nA;2020\n",
                "UTF-8 (BOM)",
                ';',
                1,
                2,
            ),
            (
                b"\xff\xfeK\0;\0J\0\n\0A\0;\x001\0\n\0",
                "UTF-16LE",
                ';',
                1,
                2,
            ),
        ];
        for (bytes, enc, sep, header, data) in cases {
            let l = sniff(bytes);
            let got = (l.encoding(), l.separator(), l.header_line(), l.data_line());
            assert_eq!(got, (*enc, *sep, *header, *data), "{bytes:?}");
        }
    }

    #[test]
    fn header_quoted_and_data_start() {
        let text = "Titel\r\n\"Kom;mune\";Jahr\r\nA;2020\r\n";
        let l = sniff(text.as_bytes());
        assert_eq!(l.header(), ["Kom;mune", "Jahr"]);
        assert_eq!(l.skipped(), [1]);
        assert_eq!(l.data_start(), text.find("A;").expect("data") as u64);
        let latin = b"T\xfctel\nKommune;Jahr\nS\xfcd;2020\n";
        assert_eq!(sniff(latin).data_start(), 19);
    }

    #[test]
    fn roles_and_number_columns() {
        let l = sniff(
            "Fall-ID;Kommune;Stadtteil;Jahr;Monate;Bruttoausgaben;Bemerkung\n\
             F1;Süd;Nord;2020;3;1.234,56;\nF2;Nord;Mitte;2021;12;99,00;Nachzahlung\n"
                .as_bytes(),
        );
        assert_eq!(l.suggested_by(), ["Kommune", "Jahr"]);
        assert_eq!(l.suggested_sum(), ["Monate", "Bruttoausgaben"]);
        assert_eq!(l.format(5), NumberFormat::German);
        assert_eq!(sniff(b"A,B\nx,1234.5\n").format(1), NumberFormat::Plain);
    }

    #[test]
    fn a_cut_prefix_is_read_up_to_its_last_line() {
        let text = "Kommune;Jahr\nSüd;2020\nSüd;2021\n";
        let cut = text.find("üd;2021").expect("cut") + 1;
        let l = CaseLayout::sniff(&text.as_bytes()[..cut], false, None).expect("layout");
        assert_eq!(
            (l.encoding(), l.header()),
            ("UTF-8", &["Kommune".to_string(), "Jahr".into()][..])
        );
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
