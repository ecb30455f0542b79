//! Pseudonyms for rings that present anonymously: every municipality but the own one shows as
//! "Kommune A", "Kommune B", … in every view and export.
//!
//! The letters follow an order keyed by a seed the app draws once per session, not the order
//! of the data: ring files are usually sorted by name, and "Kommune A" would then give away
//! "Altenmarkt". A letter once given is kept ([`Pseudonyms::keeping`]): when more data come in,
//! and in the session file, which stores the letters so that "Kommune B" is the same city
//! after the session is loaded again.

use std::collections::{BTreeMap, BTreeSet};

use crate::dataset::Municipality;

/// The word before the letters.
const PREFIX: &str = "Kommune ";

/// The pseudonyms of a dataset's municipalities for one session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pseudonyms {
    /// The pseudonym by municipality index (region aggregates keep their own name).
    names: Vec<String>,
    /// The pseudonym by real name, region aggregates left out.
    letters: BTreeMap<String, String>,
}

impl Pseudonyms {
    /// Letters for `municipalities` in the order of a hash keyed by `seed`; region aggregates
    /// (Germany, a Land) are no municipality of the ring and keep their names.
    pub fn new(municipalities: &[Municipality], seed: u64) -> Pseudonyms {
        Pseudonyms::keeping(municipalities, seed, &BTreeMap::new())
    }

    /// Like [`Pseudonyms::new`], but a municipality named in `kept` (real name → pseudonym)
    /// keeps its pseudonym; the others get the free letters in the seed's order. A kept entry
    /// that is no "Kommune" plus capital letters, or whose letter another name already has, is
    /// ignored: a hand-edited session file must not map a name onto itself or onto another
    /// real name, which would show real names with the switch on.
    pub fn keeping(
        municipalities: &[Municipality],
        seed: u64,
        kept: &BTreeMap<String, String>,
    ) -> Pseudonyms {
        let mut order: Vec<usize> = (0..municipalities.len())
            .filter(|&m| !municipalities[m].aggregate)
            .collect();
        order.sort_by_key(|&m| (keyed_hash(seed, &municipalities[m].name), m));
        let mut names: Vec<String> = municipalities.iter().map(|m| m.name.clone()).collect();
        let mut used = BTreeSet::new();
        let mut fresh = Vec::new();
        for &m in &order {
            match kept.get(&municipalities[m].name) {
                Some(p) if is_pseudonym(p) && used.insert(p.clone()) => names[m] = p.clone(),
                _ => fresh.push(m),
            }
        }
        let mut free = (0..)
            .map(|n| format!("{PREFIX}{}", letters(n)))
            .filter(|p| !used.contains(p));
        for m in fresh {
            names[m] = free.next().unwrap_or_default();
        }
        let letters = order
            .iter()
            .map(|&m| (municipalities[m].name.clone(), names[m].clone()))
            .collect();
        Pseudonyms { names, letters }
    }

    /// The pseudonym of municipality `index` (`None` when out of range).
    pub fn get(&self, index: usize) -> Option<&str> {
        self.names.get(index).map(String::as_str)
    }

    /// Every pseudonym, by municipality index.
    pub fn all(&self) -> &[String] {
        &self.names
    }

    /// The pseudonym of every municipality by its real name (what a session file stores).
    pub fn letters(&self) -> &BTreeMap<String, String> {
        &self.letters
    }

    /// `text` with every real name of `municipalities` (the ones these pseudonyms were made
    /// for) but `own` replaced by its pseudonym: for text that mentions names in passing (a
    /// message, a preview cell). Longer names go first, so "Neustadt-Süd" is not hidden as
    /// "Kommune B-Süd".
    pub fn mask(&self, text: &str, municipalities: &[Municipality], own: Option<&str>) -> String {
        let mut order: Vec<usize> = (0..municipalities.len().min(self.names.len()))
            .filter(|&m| {
                Some(municipalities[m].name.as_str()) != own && !municipalities[m].name.is_empty()
            })
            .collect();
        order.sort_by_key(|&m| std::cmp::Reverse(municipalities[m].name.len()));
        order.iter().fold(text.to_string(), |text, &m| {
            text.replace(&municipalities[m].name, &self.names[m])
        })
    }
}

/// True for "Kommune " followed by capital letters only.
fn is_pseudonym(name: &str) -> bool {
    name.strip_prefix(PREFIX)
        .is_some_and(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_uppercase()))
}

/// `0` → `A`, `25` → `Z`, `26` → `AA`, as spreadsheet columns count.
fn letters(n: usize) -> String {
    let mut n = n + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rest = (n - 1) % 26;
        out.push(b'A' + rest as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// FNV-1a over the seed and the name: stable across platforms and builds, unlike std's hasher.
fn keyed_hash(seed: u64, name: &str) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    seed.to_le_bytes()
        .iter()
        .chain(name.as_bytes())
        .fold(0xcbf2_9ce4_8422_2325, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(PRIME)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn municipality(name: &str, aggregate: bool) -> Municipality {
        Municipality {
            name: name.to_string(),
            code: None,
            aggregate,
        }
    }

    #[test]
    fn letters_count_like_spreadsheet_columns() {
        let cases: &[(usize, &str)] = &[
            (0, "A"),
            (1, "B"),
            (25, "Z"),
            (26, "AA"),
            (27, "AB"),
            (701, "ZZ"),
            (702, "AAA"),
        ];
        for &(n, want) in cases {
            assert_eq!(letters(n), want, "{n}");
        }
    }

    #[test]
    fn every_municipality_gets_its_own_letter_and_aggregates_keep_names() {
        let ms: Vec<Municipality> = [
            "Altenmarkt",
            "Burgdorf",
            "Deutschland",
            "Kirchhain",
            "Lindenau",
        ]
        .iter()
        .map(|n| municipality(n, *n == "Deutschland"))
        .collect();
        let p = Pseudonyms::new(&ms, 7);
        assert_eq!(p.get(2), Some("Deutschland"));
        let mut shown: Vec<&str> = [0, 1, 3, 4].iter().filter_map(|&m| p.get(m)).collect();
        shown.sort_unstable();
        assert_eq!(shown, ["Kommune A", "Kommune B", "Kommune C", "Kommune D"]);
        assert_eq!(p.get(5), None);
    }

    #[test]
    fn mask_hides_every_name_but_the_own_one() {
        let ms: Vec<Municipality> = ["Neustadt", "Neustadt-Süd", "Altenmarkt"]
            .iter()
            .map(|n| municipality(n, false))
            .collect();
        let p = Pseudonyms::new(&ms, 11);
        let (a, b) = (p.get(0).unwrap_or_default(), p.get(1).unwrap_or_default());
        let cases: &[(&str, String)] = &[
            ("Neustadt 2020 doppelt", format!("{a} 2020 doppelt")),
            ("Neustadt-Süd und Altenmarkt", format!("{b} und Altenmarkt")),
            ("ohne Namen", "ohne Namen".to_string()),
        ];
        for (text, want) in cases {
            assert_eq!(&p.mask(text, &ms, Some("Altenmarkt")), want, "{text}");
        }
    }

    #[test]
    fn same_seed_same_letters_other_seed_other_order() {
        let ms: Vec<Municipality> = (0..12)
            .map(|i| municipality(&format!("Stadt {i}"), false))
            .collect();
        assert_eq!(Pseudonyms::new(&ms, 1), Pseudonyms::new(&ms, 1));
        assert_ne!(Pseudonyms::new(&ms, 1), Pseudonyms::new(&ms, 2));
        // A name keeps its letter when the data come in another order.
        let mut reversed = ms.clone();
        reversed.reverse();
        let (a, b) = (Pseudonyms::new(&ms, 3), Pseudonyms::new(&reversed, 3));
        assert_eq!(a.get(0), b.get(11));
    }

    #[test]
    fn kept_letters_stay_and_newcomers_take_free_ones() {
        let ms: Vec<Municipality> = ["Altenmarkt", "Burgdorf", "Kirchhain", "Lindenau"]
            .iter()
            .map(|n| municipality(n, false))
            .collect();
        let kept = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        // (kept letters, seed, want Altenmarkt, Burgdorf, Kirchhain, Lindenau; None: any free letter)
        type Case<'a> = (BTreeMap<String, String>, u64, [Option<&'a str>; 4]);
        let cases: Vec<Case> = vec![
            (
                kept(&[("Altenmarkt", "Kommune C"), ("Burgdorf", "Kommune A")]),
                1,
                [Some("Kommune C"), Some("Kommune A"), None, None],
            ),
            (
                kept(&[("Altenmarkt", "Kommune AB"), ("Lindenau", "Kommune B")]),
                9,
                [Some("Kommune AB"), None, None, Some("Kommune B")],
            ),
            // A real name, a lower-case letter, no letter: not pseudonyms, ignored.
            (
                kept(&[
                    ("Altenmarkt", "Altenmarkt"),
                    ("Burgdorf", "Kommune b"),
                    ("Kirchhain", "Kommune "),
                ]),
                2,
                [None, None, None, None],
            ),
        ];
        for (kept, seed, want) in cases {
            let p = Pseudonyms::keeping(&ms, seed, &kept);
            let mut all: Vec<&str> = (0..4).filter_map(|m| p.get(m)).collect();
            for (m, w) in want.iter().enumerate() {
                if let Some(w) = w {
                    assert_eq!(p.get(m), Some(*w), "{kept:?}");
                }
                assert!(is_pseudonym(all[m]), "{kept:?}: {}", all[m]);
            }
            all.sort_unstable();
            all.dedup();
            assert_eq!(all.len(), 4, "{kept:?}: letters differ");
        }
    }

    #[test]
    fn a_duplicate_kept_letter_goes_to_one_name_only() {
        let ms: Vec<Municipality> = ["Altenmarkt", "Burgdorf"]
            .iter()
            .map(|n| municipality(n, false))
            .collect();
        let kept: BTreeMap<String, String> =
            [("Altenmarkt", "Kommune A"), ("Burgdorf", "Kommune A")]
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
        let p = Pseudonyms::keeping(&ms, 5, &kept);
        assert_ne!(p.get(0), p.get(1));
        assert!([p.get(0), p.get(1)].contains(&Some("Kommune A")));
    }

    #[test]
    fn letters_round_trip_through_keeping() {
        let ms: Vec<Municipality> = (0..30)
            .map(|i| municipality(&format!("Stadt {i}"), i == 4))
            .collect();
        let first = Pseudonyms::new(&ms, 17);
        assert_eq!(first.letters().len(), 29, "aggregates have no letter");
        assert!(!first.letters().contains_key("Stadt 4"));
        // Another seed, the same letters: the stored letters decide.
        assert_eq!(Pseudonyms::keeping(&ms, 99, first.letters()), first);
        // One more municipality: every old one keeps its letter.
        let mut more = ms.clone();
        more.insert(0, municipality("Neudorf", false));
        let grown = Pseudonyms::keeping(&more, 99, first.letters());
        for m in 0..ms.len() {
            assert_eq!(grown.get(m + 1), first.get(m));
        }
        assert_eq!(grown.get(0), Some("Kommune AD"));
    }
}
