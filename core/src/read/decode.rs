//! Decoding an upload's bytes to text: the encoding is taken from a byte-order mark, else
//! guessed (UTF-8 when the bytes are valid UTF-8, else chardetng's guess for a German file),
//! or named by the user. A character the encoding cannot decode is an error with its line,
//! never a silent U+FFFD, and bytes that are not text at all are refused before decoding.

use std::borrow::Cow;

use encoding_rs::{DecoderResult, Encoding, UTF_16BE, UTF_16LE, UTF_8};

use crate::error::{Error, ErrorKind, Position, Result};
use crate::message::{self, Message, Template};

/// Decoded text and the encoding it was read with.
#[derive(Debug)]
pub(crate) struct Decoded<'a> {
    /// The text, without a byte-order mark; borrowed from the bytes when they are UTF-8 already.
    pub text: Cow<'a, str>,
    /// The encoding's display name: `UTF-8`, `UTF-8 (BOM)`, `Windows-1252`, `UTF-16LE`, …
    pub encoding: String,
}

/// Signatures of files users pick by mistake instead of a CSV export.
const BINARY_SIGNATURES: &[(&[u8], &Template)] = &[
    (b"PK\x03\x04", &message::FOUND_SPREADSHEET), // xlsx, ods (and other zip files)
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        &message::FOUND_SPREADSHEET,
    ), // xls, other OLE
    (b"%PDF", &message::FOUND_PDF),
    (b"\x89PNG", &message::FOUND_IMAGE),
    (b"\xFF\xD8\xFF", &message::FOUND_IMAGE),
    (b"GIF8", &message::FOUND_IMAGE),
];

/// Decode `bytes`, with the encoding named by `label` (a WHATWG label such as `windows-1252`,
/// `utf-8`, `latin1`) or detected.
pub(crate) fn decode<'a>(bytes: &'a [u8], label: Option<&str>) -> Result<Decoded<'a>> {
    if bytes.is_empty() {
        return Err(Error::empty());
    }
    let (encoding, body, name) = match label {
        Some(label) => {
            let (encoding, bom, name) = named_encoding(label, bytes)?;
            (encoding, &bytes[bom..], name)
        }
        None => detect(bytes)?,
    };
    let text = decode_strict(encoding, body, &name)?;
    if text.trim().is_empty() {
        return Err(Error::empty());
    }
    Ok(Decoded {
        text,
        encoding: name,
    })
}

/// The encoding a user named by a WHATWG label (`windows-1252`, `utf-8`, `latin1`), the
/// length of its byte-order mark at the start of `bytes` (0 without one), and its display name.
pub(crate) fn named_encoding(
    label: &str,
    bytes: &[u8],
) -> Result<(&'static Encoding, usize, String)> {
    let encoding = Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        Error::new(ErrorKind::Other {
            msg: Message::new(&message::UNKNOWN_ENCODING).with("label", label),
            pos: Position::default(),
        })
    })?;
    let bom = Encoding::for_bom(bytes)
        .filter(|(e, _)| *e == encoding)
        .map_or(0, |(_, n)| n);
    Ok((encoding, bom, display_name(encoding, false)))
}

/// The encoding, the bytes after a byte-order mark, and the display name.
fn detect(bytes: &[u8]) -> Result<(&'static Encoding, &[u8], String)> {
    if let Some((encoding, len)) = Encoding::for_bom(bytes) {
        return Ok((encoding, &bytes[len..], display_name(encoding, true)));
    }
    if let Some((_, found)) = BINARY_SIGNATURES.iter().find(|(s, _)| bytes.starts_with(s)) {
        return Err(binary(found));
    }
    if bytes.contains(&0) {
        return match utf16_without_bom(bytes) {
            Some(encoding) => Ok((encoding, bytes, display_name(encoding, false))),
            None => Err(binary(&message::FOUND_BINARY)),
        };
    }
    if looks_binary(bytes) {
        return Err(binary(&message::FOUND_BINARY));
    }
    if std::str::from_utf8(bytes).is_ok() {
        return Ok((UTF_8, bytes, display_name(UTF_8, false)));
    }
    if let Some(line) = mixed_utf8(bytes) {
        // Decoding such a file as Windows-1252 would turn every UTF-8 umlaut into `Ã¤`.
        return Err(Error::new(ErrorKind::Other {
            msg: Message::new(&message::MIXED_ENCODINGS),
            pos: Position {
                file: None,
                line: Some(line),
                column: None,
            },
        }));
    }
    let encoding = guess(bytes);
    Ok((encoding, bytes, display_name(encoding, false)))
}

/// The encoding of the first bytes of a file read in slices: as `detect`, but a character cut
/// off by the end of the slice does not count against UTF-8. The encoding, the length of its
/// byte-order mark and the display name.
pub(crate) fn detect_start(bytes: &[u8]) -> Result<(&'static Encoding, usize, String)> {
    let valid = Encoding::utf8_valid_up_to(bytes);
    let cut = std::str::from_utf8(&bytes[valid..]).is_err_and(|e| e.error_len().is_none());
    let head = if cut { &bytes[..valid] } else { bytes };
    let (encoding, body, name) = detect(head)?;
    Ok((encoding, head.len() - body.len(), name))
}

/// The line of the first byte that is not UTF-8, when the file is mostly UTF-8 otherwise:
/// at least two valid multi-byte characters and at least one in ten of all non-ASCII sequences.
fn mixed_utf8(bytes: &[u8]) -> Option<usize> {
    let (mut valid, mut invalid, mut first_invalid) = (0usize, 0usize, None);
    let mut rest = bytes;
    let mut offset = 0;
    loop {
        let (good, bad) = match std::str::from_utf8(rest) {
            Ok(s) => (s, None),
            Err(e) => (
                // The prefix up to `valid_up_to` is valid UTF-8 by definition.
                std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or_default(),
                Some((
                    e.valid_up_to(),
                    e.error_len().unwrap_or(rest.len() - e.valid_up_to()),
                )),
            ),
        };
        valid += good.chars().filter(|c| !c.is_ascii()).count();
        let Some((at, len)) = bad else { break };
        invalid += 1;
        first_invalid.get_or_insert(offset + at);
        offset += at + len;
        rest = &rest[at + len..];
    }
    let first = first_invalid?;
    (valid >= 2 && valid * 10 >= valid + invalid)
        .then(|| bytes[..first].iter().filter(|&&b| b == b'\n').count() + 1)
}

/// How many bytes of lines with non-ASCII characters chardetng sees: enough to tell the
/// encodings apart, and a fixed amount, so a large file is not scanned twice.
const GUESS_BYTES: usize = 256 * 1024;

/// chardetng's guess from the lines that hold non-ASCII bytes (only those tell encodings apart).
fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    let mut fed = 0;
    for line in bytes
        .split_inclusive(|&b| b == b'\n')
        .filter(|l| !l.is_ascii())
    {
        detector.feed(line, false);
        fed += line.len();
        if fed >= GUESS_BYTES {
            break;
        }
    }
    detector.feed(b"", true);
    // German municipal data: the `de` hint makes chardetng prefer Windows-1252 where unsure.
    detector.guess(Some(b"de"), false)
}

fn binary(found: &'static Template) -> Error {
    Error::new(ErrorKind::Binary {
        found: Message::new(found),
        pos: Position::default(),
    })
}

/// UTF-16 without a byte-order mark: plain text in it has a NUL in every other byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let pairs = bytes.len() / 2;
    let even = bytes.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = bytes.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    // Mostly-Latin text: at least a third of the high bytes are zero, (almost) no low byte is.
    let mostly = |zeros: usize| zeros * 3 >= pairs;
    let hardly = |zeros: usize| zeros * 50 <= pairs;
    if mostly(odd) && hardly(even) {
        Some(UTF_16LE)
    } else if mostly(even) && hardly(odd) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Control characters other than tab, line breaks, form feed and a final Ctrl-Z are rare in
/// text; more than one in a hundred bytes of the start means the file is not a CSV.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A))
        .count();
    controls * 100 > head.len()
}

pub(crate) fn display_name(encoding: &'static Encoding, bom: bool) -> String {
    let name = encoding.name();
    let pretty = match name.strip_prefix("windows-") {
        Some(number) => format!("Windows-{number}"),
        None => name.to_string(),
    };
    if bom && encoding == UTF_8 {
        format!("{pretty} (BOM)")
    } else {
        pretty
    }
}

/// Decode without replacement characters; the first undecodable byte is an error naming its line.
fn decode_strict<'a>(
    encoding: &'static Encoding,
    body: &'a [u8],
    name: &str,
) -> Result<Cow<'a, str>> {
    if encoding == UTF_8 {
        return match std::str::from_utf8(body) {
            Ok(text) => Ok(Cow::Borrowed(text)),
            Err(e) => Err(undecodable(name, &body[..e.valid_up_to()])),
        };
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    // German text grows a little in UTF-8 (umlauts take two bytes); grow further when needed
    // rather than reserving the worst case of three times the input.
    let mut text = String::with_capacity(body.len() + body.len() / 8 + 16);
    let mut read = 0;
    loop {
        let (result, n) =
            decoder.decode_to_string_without_replacement(&body[read..], &mut text, true);
        read += n;
        match result {
            DecoderResult::InputEmpty => return Ok(Cow::Owned(text)),
            DecoderResult::OutputFull => text.reserve((body.len() - read) / 2 + 16),
            DecoderResult::Malformed(..) => return Err(undecodable(name, text.as_bytes())),
        }
    }
}

/// The error for the first undecodable byte after `valid` (the text decoded before it).
fn undecodable(name: &str, valid: &[u8]) -> Error {
    let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
    Error::new(ErrorKind::Encoding {
        encoding: name.to_string(),
        pos: Position {
            file: None,
            line: Some(line),
            column: None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if big_endian {
                &[0xFE, 0xFF]
            } else {
                &[0xFF, 0xFE]
            });
        }
        for unit in text.encode_utf16() {
            let b = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            out.extend_from_slice(&b);
        }
        out
    }

    #[test]
    fn detects_encodings() {
        let cases: &[(&[u8], &str, &str)] = &[
            (b"Kommune;Jahr\nA;2019\n", "UTF-8", "Kommune;Jahr\nA;2019\n"),
            ("K\u{f6}ln;1\n".as_bytes(), "UTF-8", "Köln;1\n"),
            (b"\xEF\xBB\xBFK\xC3\xB6ln;1\n", "UTF-8 (BOM)", "Köln;1\n"),
            (b"Gemeinde;Jahr\r\nM\xFChlheim an der Aue;2019\r\nS\xFCdstadt;2020\r\nGro\xDFbr\xFCck;2021\r\n", "Windows-1252", "Gemeinde;Jahr\r\nMühlheim an der Aue;2019\r\nSüdstadt;2020\r\nGroßbrück;2021\r\n"),
        ];
        for (bytes, encoding, text) in cases {
            let d = decode(bytes, None).unwrap();
            assert_eq!((d.encoding.as_str(), d.text.as_ref()), (*encoding, *text));
        }
    }

    #[test]
    fn detects_utf16() {
        let text = "Kommune;Jahr\r\nÖstringen;2019\r\n";
        let cases = [
            (false, true, "UTF-16LE"),
            (true, true, "UTF-16BE"),
            (false, false, "UTF-16LE"),
            (true, false, "UTF-16BE"),
        ];
        for (be, bom, name) in cases {
            let bytes = utf16(text, be, bom);
            let d = decode(&bytes, None).unwrap();
            assert_eq!(
                (d.encoding.as_str(), d.text.as_ref()),
                (name, text),
                "be={be} bom={bom}"
            );
        }
    }

    #[test]
    fn override_and_errors() {
        let cp1252 = b"A;B\nx;1\nK\xF6ln;2\n";
        assert_eq!(
            decode(cp1252, Some("windows-1252")).unwrap().text,
            "A;B\nx;1\nKöln;2\n"
        );
        assert_eq!(
            decode(cp1252, Some("latin1")).unwrap().encoding,
            "Windows-1252"
        );
        let e = decode(cp1252, Some("utf-8")).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Encoding { .. }));
        assert_eq!(e.position().line, Some(3));
        let e = decode(b"A;B\n\x81\x00", Some("shift_jis")).unwrap_err();
        assert_eq!(e.position().line, Some(2), "{e}");
        assert!(decode(b"A", Some("klingon")).is_err());
    }

    #[test]
    fn refuses_mixed_utf8_and_windows_1252() {
        let mixed = "Kommune;Jahr\nKöln;2019\nMünster;2019\n"
            .as_bytes()
            .iter()
            .chain(b"D\xFCren;2019\n")
            .copied()
            .collect::<Vec<u8>>();
        let e = decode(&mixed, None).unwrap_err();
        assert_eq!(e.position().line, Some(4));
        assert!(e.to_string().contains("mischt Zeichenkodierungen"), "{e}");
        // A Windows-1252 file whose bytes happen to form one UTF-8 character stays Windows-1252.
        let cp1252 =
            b"Kommune;Jahr\nD\xFCren;2019\nK\xF6ln;2019\nStra\xDF\x93e;2019\nM\xFCnster;2019\n";
        assert_eq!(decode(cp1252, None).unwrap().encoding, "Windows-1252");
    }

    #[test]
    fn refuses_empty_and_binary() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "empty"),
            (b"\xEF\xBB\xBF", "empty"),
            (b" \r\n\r\n", "empty"),
            (b"PK\x03\x04\x14\x00\x06\x00", "binary"),
            (b"%PDF-1.7\n", "binary"),
            (b"A;B\n1;\x002\n", "binary"),
            (b"\x01\x02\x03\x04\x05\x06\x07\x08 text", "binary"),
        ];
        for (bytes, what) in cases {
            let kind = decode(bytes, None).unwrap_err().kind().clone();
            let got = match kind {
                ErrorKind::Empty { .. } => "empty",
                ErrorKind::Binary { .. } => "binary",
                _ => "other",
            };
            assert_eq!(got, *what, "{bytes:?}");
        }
    }
}
