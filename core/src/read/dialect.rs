//! Sniffing the separator of a CSV file from its first records: the candidate (`;` `,` tab `|`)
//! that splits the most records into the same number of fields wins, so a `;` file with
//! decimal commas stays a `;` file (its header has no commas) and title lines do not mislead.

/// The separators a German municipal CSV may use, in order of preference on a tie.
pub(crate) const SEPARATORS: [u8; 4] = [b';', b',', b'\t', b'|'];

/// How much of the text the sniffer looks at.
const SAMPLE_BYTES: usize = 64 * 1024;
const SAMPLE_RECORDS: usize = 200;

/// The separator of `text`.
pub(crate) fn sniff_separator(text: &str) -> u8 {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text.as_bytes()[..end];
    let mut best = (SEPARATORS[0], 0usize, 0usize);
    for sep in SEPARATORS {
        let (consistent, fields) = score(sample, sep);
        if (consistent, fields) > (best.1, best.2) {
            best = (sep, consistent, fields);
        }
    }
    best.0
}

/// How many sampled records have the most common field count (of at least two), and that count.
fn score(sample: &[u8], sep: u8) -> (usize, usize) {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .from_reader(sample);
    let mut counts: Vec<usize> = Vec::new();
    let mut record = csv::ByteRecord::new();
    while counts.len() < SAMPLE_RECORDS {
        match reader.read_byte_record(&mut record) {
            Ok(true) => counts.push(record.len()),
            Ok(false) | Err(_) => break,
        }
    }
    let mut tally: Vec<(usize, usize)> = Vec::new();
    for &n in counts.iter().filter(|&&n| n >= 2) {
        match tally.iter_mut().find(|(count, _)| *count == n) {
            Some((_, times)) => *times += 1,
            None => tally.push((n, 1)),
        }
    }
    tally
        .into_iter()
        .map(|(n, times)| (times, n))
        .max()
        .unwrap_or((0, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs() {
        let cases: &[(&str, u8)] = &[
            ("Kommune;Jahr;Quote\nA;2019;10,2\nB;2019;9,5\n", b';'),
            ("Kommune,Jahr,Quote\nA,2019,10.2\nB,2019,9.5\n", b','),
            ("Kommune\tJahr\tQuote\nA\t2019\t10,2\n", b'\t'),
            ("Kommune|Jahr|Quote\nA|2019|10,2\n", b'|'),
            (
                "Titel, mit Komma\n\nKommune;Jahr;Wert\nA;2019;1,5\nB;2020;2,5\n",
                b';',
            ),
            (
                "Kommune,Jahr,Bemerkung\nA,2019,\"x; y; z\"\nB,2020,\"a;b\"\n",
                b',',
            ),
            ("\"Name; mit\";Jahr\n\"A, B\";2019\n\"C, D\";2020\n", b';'),
            ("nur eine Spalte\nA\nB\n", b';'),
        ];
        for (text, sep) in cases {
            assert_eq!(sniff_separator(text) as char, *sep as char, "{text:?}");
        }
    }
}
