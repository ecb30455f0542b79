//! The dataset: measures by municipality and year, the common ground every later step reads.
//!
//! A value is either a number (possibly flagged by the official sign legend) or missing with the
//! reason the user sees. Every observation remembers the upload and line it came from, so a
//! finding can point back at the cell.
//!
//! The cells live in [`Cells`]: one flat sorted array of fixed-size entries, not a map of
//! [`Observation`]s, because a municipality-level table has close to a million of them and the
//! browser tab, the worker transfer and the CLI all pay for every byte per cell.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use crate::value::{Flag, Reason, Value};

/// Where an observation came from: which upload and which line of it (1-based).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Source {
    /// Index into `Dataset::files`.
    pub file: usize,
    /// 1-based line of the decoded text where the record starts.
    pub line: usize,
    /// 1-based column (field) of the cell.
    pub column: usize,
}

/// One cell of the dataset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// The value.
    pub value: Value,
    /// A flag of the sign legend, if the number carries one.
    pub flag: Option<Flag>,
    /// Where it came from.
    pub source: Source,
}

/// A municipality (Kommune), county or region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Municipality {
    /// Its name as the data spells it (indentation trimmed).
    pub name: String,
    /// The official region code, when the data has one (`02000`, `DG`).
    pub code: Option<String>,
    /// A region aggregate (Germany, a Land) rather than a county or city: not a peer by default.
    pub aggregate: bool,
}

/// What kind of quantity a measure is: negative counts and money are errors, rates may be anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MeasureKind {
    /// Persons, cases, money: never below zero.
    Amount,
    /// Rates, shares, percentages: may be negative (a change) or anything.
    Rate,
}

/// A measure (Merkmal): a column of a wide file, a value of the measure column of a long file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    /// The key used in formulas (CONTRACT §1 measure keys).
    pub key: String,
    /// The header as the file spells it.
    pub label: String,
    /// The unit, when the file says (`Anzahl`, `EUR`, `%`).
    pub unit: Option<String>,
    /// Amount or rate.
    pub kind: MeasureKind,
    /// The official statistic the measure comes from (`12411`, `22151`: the first part of a
    /// GENESIS table code or the flat file's `statistics_code`), so a catalogue's measure sources
    /// (CONTRACT §2) can bind it.
    #[serde(default)]
    pub statistic: Option<String>,
}

/// Words in a measure's key or unit that mark money: amounts of money are no counts of persons
/// or cases, so chance (Poisson) says nothing about how much they may move.
const MONEY_WORDS: [&str; 8] = [
    "eur",
    "€",
    "ausgaben",
    "einnahmen",
    "kosten",
    "betrag",
    "aufwand",
    "ertr",
];

impl Measure {
    /// Whether the measure counts persons or cases: an amount that is not money.
    pub fn is_count(&self) -> bool {
        let unit = self.unit.as_deref().unwrap_or_default().to_lowercase();
        self.kind == MeasureKind::Amount
            && !MONEY_WORDS
                .iter()
                .any(|w| self.key.contains(w) || unit.contains(w))
    }
}

/// A municipality–year pair that occurred again; the first row counts (CONTRACT §1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicate {
    /// Index into `Dataset::municipalities`.
    pub municipality: usize,
    /// The year.
    pub year: i32,
    /// Where the repeated row is.
    pub source: Source,
}

/// The key of an observation: municipality index, year, dimension combination index, measure index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CellKey {
    /// Index into `Dataset::municipalities`.
    pub municipality: usize,
    /// The year.
    pub year: i32,
    /// Index into `Dataset::combinations` (0 when the data has no dimension columns).
    pub combination: usize,
    /// Index into `Dataset::measures`.
    pub measure: usize,
}

/// The cells of a dataset, ordered by [`CellKey`], one key at most once.
///
/// Each cell is a fixed-size entry (key, number, source, one byte of kind and flag: 40 bytes);
/// a missing value's reason with text is kept once per distinct reason, so memory grows with
/// the distinct texts, not with the cells. Reading a cell gives an [`Observation`] by value.
/// Many cells are built with `collect` or [`CellsBuilder`]; [`Cells::insert`] is for a few.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cells {
    /// Sorted by key, keys unique.
    entries: Vec<Entry>,
    /// The reasons with text that entries name by index.
    reasons: Vec<Reason>,
    /// What is derived from the entries and asked for again and again (the years, the panel's
    /// grid); emptied by every change of the entries.
    derived: Derived,
}

/// The years and the panel grid of a [`Cells`], computed when first asked for.
#[derive(Clone, Debug, Default)]
struct Derived {
    years: OnceLock<Vec<i32>>,
    grid: OnceLock<Arc<Grid>>,
}

/// Derived from the entries, so equal entries mean equal cells whatever was asked for so far.
impl PartialEq for Derived {
    fn eq(&self, _: &Derived) -> bool {
        true
    }
}

/// One cell: its key, its number (or the index of its reason), where it came from, and in
/// `tag` the kind of value (low four bits) and its flag (the bits above).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Entry {
    municipality: u32,
    year: i32,
    combination: u32,
    measure: u32,
    value: f64,
    line: u32,
    column: u32,
    file: u32,
    tag: u8,
}

/// Kinds in `Entry::tag`: a number, a reason without text (`Reason::SIMPLE[kind - 1]`), or a
/// reason with text in `Cells::reasons` (its index in the bits of `Entry::value`).
const NUMBER: u8 = 0;
const LISTED: u8 = 15;
/// Bytes of an entry in the serialized form, about (to reserve room), and at the least (seven
/// differences, the tag and the value, a byte each).
const ENTRY_BYTES: usize = 12;
const MIN_ENTRY_BYTES: usize = 9;

/// An index or line as stored. Every count of a dataset is bounded by its table, whose text
/// `Table` keeps under 4 GB, so it fits in 32 bits.
fn narrow(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Entry {
    fn key(&self) -> CellKey {
        CellKey {
            municipality: self.municipality as usize,
            year: self.year,
            combination: self.combination as usize,
            measure: self.measure as usize,
        }
    }

    fn set_key(&mut self, key: CellKey) {
        self.municipality = narrow(key.municipality);
        self.year = key.year;
        self.combination = narrow(key.combination);
        self.measure = narrow(key.measure);
    }

    /// The key as `CellKey` orders it.
    fn order(&self) -> (u32, i32, u32, u32) {
        (self.municipality, self.year, self.combination, self.measure)
    }

    fn kind(&self) -> u8 {
        self.tag & 0x0f
    }

    /// The index into `Cells::reasons` of a listed reason.
    fn listed(&self) -> usize {
        usize::try_from(self.value.to_bits()).unwrap_or(usize::MAX)
    }

    fn source(&self) -> Source {
        Source {
            file: self.file as usize,
            line: self.line as usize,
            column: self.column as usize,
        }
    }

    /// Appends the entry as it differs from `before` (the entry before it, or the zero entry):
    /// keys ascend and the rows and columns of a table move by little, so each field is a
    /// signed difference in a variable-length integer, and a whole number is written as an
    /// integer. A cell of a municipality table takes about 11 bytes instead of 37.
    fn write(&self, before: &Entry, out: &mut Vec<u8>) {
        let pairs = [
            (self.municipality, before.municipality),
            (self.year as u32, before.year as u32),
            (self.combination, before.combination),
            (self.measure, before.measure),
            (self.line, before.line),
            (self.column, before.column),
            (self.file, before.file),
        ];
        for (now, was) in pairs {
            write_varint(out, zigzag(i64::from(now) - i64::from(was)));
        }
        out.push(self.tag);
        if self.kind() == LISTED {
            write_varint(out, self.value.to_bits());
            return;
        }
        let v = self.value;
        // Exact in 53 bits and not -0, so that the bits read back are the bits written.
        if v.trunc() == v && v.abs() < 4.5e15 && !(v == 0.0 && v.is_sign_negative()) {
            write_varint(out, zigzag(v as i64) << 1);
        } else {
            out.push(1);
            out.extend_from_slice(&v.to_bits().to_le_bytes());
        }
    }

    /// The entry [`Entry::write`] wrote after `before`, and the bytes after it; `None` when the
    /// bytes end early or a field is out of range.
    fn read<'b>(before: &Entry, b: &'b [u8]) -> Option<(Entry, &'b [u8])> {
        let mut b = b;
        let mut next = |was: u32| -> Option<u32> {
            let (delta, rest) = read_varint(b)?;
            b = rest;
            u32::try_from(i64::from(was) + unzigzag(delta)).ok()
        };
        let municipality = next(before.municipality)?;
        let year = next(before.year as u32)? as i32;
        let combination = next(before.combination)?;
        let measure = next(before.measure)?;
        let line = next(before.line)?;
        let column = next(before.column)?;
        let file = next(before.file)?;
        let (&tag, rest) = b.split_first()?;
        let (value, rest) = if tag & 0x0f == LISTED {
            let (bits, rest) = read_varint(rest)?;
            (f64::from_bits(bits), rest)
        } else {
            let (form, rest) = read_varint(rest)?;
            if form & 1 == 0 {
                (unzigzag(form >> 1) as f64, rest)
            } else {
                let raw = rest.get(..8)?;
                let bits = u64::from_le_bytes(raw.try_into().ok()?);
                (f64::from_bits(bits), &rest[8..])
            }
        };
        let entry = Entry {
            municipality,
            year,
            combination,
            measure,
            value,
            line,
            column,
            file,
            tag,
        };
        Some((entry, rest))
    }
}

/// The entry the first one is written against.
const ZERO: Entry = Entry {
    municipality: 0,
    year: 0,
    combination: 0,
    measure: 0,
    value: 0.0,
    line: 0,
    column: 0,
    file: 0,
    tag: 0,
};

fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

fn unzigzag(n: u64) -> i64 {
    (n >> 1) as i64 ^ -((n & 1) as i64)
}

/// LEB128: seven bits a byte, the high bit set on every byte but the last.
fn write_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn read_varint(b: &[u8]) -> Option<(u64, &[u8])> {
    let mut n = 0u64;
    for (i, &byte) in b.iter().enumerate().take(10) {
        n |= u64::from(byte & 0x7f) << (7 * i);
        if byte < 0x80 {
            return Some((n, &b[i + 1..]));
        }
    }
    None
}

impl Cells {
    /// The number of cells.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no cells.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn find(&self, key: &CellKey) -> std::result::Result<usize, usize> {
        let want = (
            narrow(key.municipality),
            key.year,
            narrow(key.combination),
            narrow(key.measure),
        );
        self.entries.binary_search_by(|e| e.order().cmp(&want))
    }

    /// The panel grid for `shape` (municipalities, measures): the one kept, or `build`'s, kept
    /// when none is (a dataset whose municipalities or measures changed builds its own).
    pub(crate) fn grid(&self, shape: (usize, usize), build: impl FnOnce() -> Grid) -> Arc<Grid> {
        if let Some(grid) = self.derived.grid.get().filter(|g| g.shape == shape) {
            return Arc::clone(grid);
        }
        let grid = Arc::new(build());
        // Kept unless another grid was kept first (then this one serves this panel alone).
        let _ = self.derived.grid.set(Arc::clone(&grid));
        grid
    }

    /// The observation at a key.
    pub fn get(&self, key: &CellKey) -> Option<Observation> {
        self.find(key)
            .ok()
            .map(|i| self.observation(&self.entries[i]))
    }

    /// Whether a key has a cell.
    pub fn contains_key(&self, key: &CellKey) -> bool {
        self.find(key).is_ok()
    }

    /// Sets the observation at a key (replacing one there). Each call moves the entries after
    /// the key, so many cells in no order are built with `collect` instead.
    pub fn insert(&mut self, key: CellKey, observation: Observation) {
        let reasons = &mut self.reasons;
        let entry = encode(key, &observation, |r| {
            let i = reasons.iter().position(|x| x == r).unwrap_or_else(|| {
                reasons.push(r.clone());
                reasons.len() - 1
            });
            i as u64
        });
        match self.find(&key) {
            Ok(i) => self.entries[i] = entry,
            Err(i) => self.entries.insert(i, entry),
        }
        self.derived = Derived::default();
    }

    /// The value of the cell at a position in key order (`None` beyond the end).
    pub(crate) fn value_at(&self, at: usize) -> Option<Value> {
        self.entries.get(at).map(|e| self.observation(e).value)
    }

    /// The cells with their keys changed by `key` (`None` drops a cell) and their file indices
    /// moved by `file_offset`, in place. Of cells that come to share a key the first counts.
    pub(crate) fn remapped(
        mut self,
        file_offset: usize,
        mut key: impl FnMut(CellKey) -> Option<CellKey>,
    ) -> Cells {
        let file_offset = narrow(file_offset);
        self.derived = Derived::default();
        self.entries.retain_mut(|e| match key(e.key()) {
            Some(k) => {
                e.set_key(k);
                e.file = e.file.saturating_add(file_offset);
                true
            }
            None => false,
        });
        if !self.entries.is_sorted_by_key(Entry::order) {
            self.entries.sort_by_key(Entry::order);
            self.entries.dedup_by_key(|e| e.order());
        }
        self
    }

    /// Adds the cells of `other`. Where both have a key, `take(key, ours, theirs)` says
    /// whether theirs replaces ours. One pass over both, as both are sorted.
    pub(crate) fn merge_from(
        &mut self,
        other: Cells,
        mut take: impl FnMut(CellKey, &Observation, &Observation) -> bool,
    ) {
        self.derived = Derived::default();
        if self.entries.is_empty() {
            *self = other;
            return;
        }
        // Their listed reasons get our indices.
        let mut index: HashMap<&Reason, u64> = HashMap::new();
        for (i, r) in self.reasons.iter().enumerate() {
            index.insert(r, i as u64);
        }
        let mut added = Vec::new();
        let listed: Vec<u64> = other
            .reasons
            .iter()
            .map(|r| match index.get(r) {
                Some(&i) => i,
                None => {
                    added.push(r.clone());
                    (self.reasons.len() + added.len() - 1) as u64
                }
            })
            .collect();
        drop(index);
        let ours = std::mem::take(&mut self.entries);
        let mut merged = Vec::with_capacity(ours.len() + other.entries.len());
        let theirs_of = |mut e: Entry| {
            if e.kind() == LISTED {
                let i = listed.get(e.listed()).copied().unwrap_or(u64::MAX);
                e.value = f64::from_bits(i);
            }
            e
        };
        let mut a = ours.into_iter().peekable();
        let mut b = other.entries.iter().copied().peekable();
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) => x.order().cmp(&y.order()),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => break,
            };
            match next {
                std::cmp::Ordering::Less => merged.extend(a.next()),
                std::cmp::Ordering::Greater => merged.extend(b.next().map(theirs_of)),
                std::cmp::Ordering::Equal => {
                    let (Some(x), Some(y)) = (a.next(), b.next()) else {
                        break;
                    };
                    let replace = take(x.key(), &self.observation(&x), &other.observation(&y));
                    merged.push(if replace { theirs_of(y) } else { x });
                }
            }
        }
        self.entries = merged;
        self.reasons.extend(added);
    }

    /// Keeps the cells for which `keep` says so.
    pub fn retain(&mut self, mut keep: impl FnMut(CellKey, &Observation) -> bool) {
        self.derived = Derived::default();
        let reasons = &self.reasons;
        self.entries
            .retain(|e| keep(e.key(), &observation(reasons, e)));
    }

    /// The cells in key order.
    pub fn iter(&self) -> impl Iterator<Item = (CellKey, Observation)> + '_ {
        self.entries.iter().map(|e| (e.key(), self.observation(e)))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = CellKey> + '_ {
        self.entries.iter().map(Entry::key)
    }

    /// The observations in key order.
    pub fn values(&self) -> impl Iterator<Item = Observation> + '_ {
        self.entries.iter().map(|e| self.observation(e))
    }

    fn observation(&self, e: &Entry) -> Observation {
        observation(&self.reasons, e)
    }
}

/// The observation of an entry, its reason looked up among `reasons` when it has text.
fn observation(reasons: &[Reason], e: &Entry) -> Observation {
    let reason = match e.kind() {
        NUMBER => None,
        LISTED => Some(reasons.get(e.listed())),
        k => Some(Reason::SIMPLE.get(usize::from(k) - 1)),
    };
    let value = match reason {
        None => Value::Number(e.value),
        // Only a deserialized or hand-made store could miss its reason; both are checked.
        Some(r) => Value::Missing(r.cloned().unwrap_or(Reason::NoRecord)),
    };
    let flag = match usize::from(e.tag >> 4) {
        0 => None,
        f => Flag::ALL.get(f - 1).copied(),
    };
    Observation {
        value,
        flag,
        source: e.source(),
    }
}

/// The entry of an observation; `listed` gives the index of a reason with text.
fn encode(key: CellKey, o: &Observation, listed: impl FnOnce(&Reason) -> u64) -> Entry {
    let (kind, value) = match &o.value {
        Value::Number(x) => (NUMBER, *x),
        Value::Missing(r) => match Reason::SIMPLE.iter().position(|s| s == r) {
            Some(i) => (i as u8 + 1, 0.0),
            None => (LISTED, f64::from_bits(listed(r))),
        },
    };
    let flag = o
        .flag
        .and_then(|f| Flag::ALL.iter().position(|x| *x == f))
        .map_or(0, |i| i as u8 + 1);
    let mut entry = Entry {
        municipality: 0,
        year: 0,
        combination: 0,
        measure: 0,
        value,
        line: narrow(o.source.line),
        column: narrow(o.source.column),
        file: narrow(o.source.file),
        tag: kind | flag << 4,
    };
    entry.set_key(key);
    entry
}

impl<'a> IntoIterator for &'a Cells {
    type Item = (CellKey, Observation);
    type IntoIter = Box<dyn Iterator<Item = (CellKey, Observation)> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// Cells built in bulk: pushed in any order, sorted once by [`CellsBuilder::finish`].
#[derive(Debug, Default)]
pub struct CellsBuilder {
    cells: Cells,
    index: HashMap<Reason, u64>,
}

impl CellsBuilder {
    /// Adds a cell; of cells with the same key the last one pushed counts.
    pub fn push(&mut self, key: CellKey, observation: &Observation) {
        let (reasons, index) = (&mut self.cells.reasons, &mut self.index);
        let entry = encode(key, observation, |r| {
            *index.entry(r.clone()).or_insert_with(|| {
                reasons.push(r.clone());
                reasons.len() as u64 - 1
            })
        });
        self.cells.entries.push(entry);
    }

    /// Makes room for `n` more cells at once: a million cells pushed one by one would move the
    /// growing list again and again.
    pub fn reserve(&mut self, n: usize) {
        self.cells.entries.reserve(n);
    }

    /// Whether nothing was pushed.
    pub fn is_empty(&self) -> bool {
        self.cells.entries.is_empty()
    }

    /// Whether two cells pushed so far share a key. Sorts them as [`CellsBuilder::finish`]
    /// does, so that it does not sort again.
    pub fn repeats_a_key(&mut self) -> bool {
        let entries = &mut self.cells.entries;
        if !entries.is_sorted_by_key(Entry::order) {
            entries.sort_by_key(Entry::order);
        }
        entries.windows(2).any(|w| w[0].order() == w[1].order())
    }

    /// Changes the key of every cell pushed so far.
    pub fn map_keys(&mut self, mut f: impl FnMut(CellKey) -> CellKey) {
        for e in &mut self.cells.entries {
            e.set_key(f(e.key()));
        }
    }

    /// The cells sorted; of equal keys the last pushed.
    pub fn finish(self) -> Cells {
        let mut cells = self.cells;
        // A stable sort keeps equal keys in the order pushed; `dedup_by` keeps the first of a
        // run, so the last pushed is moved there first.
        // Cells of a file come in its order, often sorted already: then the sort's scratch
        // buffer (half the cells) is not needed.
        if !cells.entries.is_sorted_by_key(Entry::order) {
            cells.entries.sort_by_key(Entry::order);
        }
        cells.entries.dedup_by(|later, kept| {
            let same = later.order() == kept.order();
            if same {
                *kept = *later;
            }
            same
        });
        cells
    }
}

impl FromIterator<(CellKey, Observation)> for Cells {
    fn from_iter<I: IntoIterator<Item = (CellKey, Observation)>>(iter: I) -> Cells {
        let mut builder = CellsBuilder::default();
        for (key, observation) in iter {
            builder.push(key, &observation);
        }
        builder.finish()
    }
}

/// Serialized as the reasons and one byte string of all entries, so a worker hands a million
/// cells to the page as one array buffer instead of a million objects.
impl Serialize for Cells {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Bytes<'a>(&'a [u8]);
        impl Serialize for Bytes<'_> {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_bytes(self.0)
            }
        }
        let mut bytes = Vec::with_capacity(self.entries.len() * ENTRY_BYTES);
        let mut before = &ZERO;
        for e in &self.entries {
            e.write(before, &mut bytes);
            before = e;
        }
        let mut st = s.serialize_struct("Cells", 3)?;
        st.serialize_field("reasons", &self.reasons)?;
        st.serialize_field("count", &self.entries.len())?;
        st.serialize_field("entries", &Bytes(&bytes))?;
        st.end()
    }
}

/// Bytes from a byte string (serde-wasm-bindgen's `Uint8Array`) or a sequence (JSON).
struct ByteBuf(Vec<u8>);

impl<'de> Deserialize<'de> for ByteBuf {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<ByteBuf, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = ByteBuf;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> std::result::Result<ByteBuf, E> {
                Ok(ByteBuf(v.to_vec()))
            }
            fn visit_byte_buf<E: serde::de::Error>(
                self,
                v: Vec<u8>,
            ) -> std::result::Result<ByteBuf, E> {
                Ok(ByteBuf(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<ByteBuf, A::Error> {
                let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(b) = seq.next_element()? {
                    v.push(b);
                }
                Ok(ByteBuf(v))
            }
        }
        d.deserialize_byte_buf(Visit)
    }
}

impl<'de> Deserialize<'de> for Cells {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Cells, D::Error> {
        use serde::de::Error as _;
        #[derive(Deserialize)]
        struct Stored {
            reasons: Vec<Reason>,
            /// How many entries follow, to make room for them at once.
            #[serde(default)]
            count: usize,
            entries: ByteBuf,
        }
        let stored = Stored::deserialize(d)?;
        let bytes = stored.entries.0;
        // No entry takes fewer bytes, so a count beyond that is refused below anyway.
        let room = stored.count.min(bytes.len() / MIN_ENTRY_BYTES);
        let mut entries: Vec<Entry> = Vec::with_capacity(room);
        let mut rest = bytes.as_slice();
        let mut read = Some(());
        while !rest.is_empty() {
            match Entry::read(entries.last().unwrap_or(&ZERO), rest) {
                Some((entry, after)) => {
                    entries.push(entry);
                    rest = after;
                }
                None => {
                    read = None;
                    break;
                }
            }
        }
        // Lookups rely on the order and reasons on their indices: a stored form that breaks
        // either is refused rather than read wrongly.
        let valid = |entries: &[Entry]| {
            entries.windows(2).all(|w| w[0].order() < w[1].order())
                && entries.iter().all(|e| match e.kind() {
                    LISTED => e.listed() < stored.reasons.len(),
                    k => {
                        usize::from(k) <= Reason::SIMPLE.len()
                            && usize::from(e.tag >> 4) <= Flag::ALL.len()
                    }
                })
        };
        match read {
            Some(()) if valid(&entries) => Ok(Cells {
                derived: Derived::default(),
                entries,
                reasons: stored.reasons,
            }),
            _ => Err(D::Error::custom(
                "Zellen: Einträge unvollständig, ungeordnet oder ungültig",
            )),
        }
    }
}

/// Measures by municipality and year (and, for tables with dimension columns, by dimension).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// The uploads' names, in load order.
    pub files: Vec<String>,
    /// Municipalities in order of first appearance.
    pub municipalities: Vec<Municipality>,
    /// Measures in order of first appearance.
    pub measures: Vec<Measure>,
    /// Names of the dimension columns (`Geschlecht`, `Stadtteil`), empty for most ring files.
    pub dimensions: Vec<String>,
    /// The distinct combinations of dimension values; index 0 is the default view
    /// (the empty combination when there are no dimensions).
    pub combinations: Vec<Vec<String>>,
    /// The cells.
    pub cells: Cells,
    /// Municipality–year pairs that occurred again.
    pub duplicates: Vec<Duplicate>,
}

impl Dataset {
    /// The index of a municipality by name.
    pub fn municipality_index(&self, name: &str) -> Option<usize> {
        self.municipalities.iter().position(|m| m.name == name)
    }

    /// The index of a measure by key.
    pub fn measure_index(&self, key: &str) -> Option<usize> {
        self.measures.iter().position(|m| m.key == key)
    }

    /// The distinct years, ascending (found once per state of the cells: views ask often).
    pub fn years(&self) -> Vec<i32> {
        self.cells
            .derived
            .years
            .get_or_init(|| {
                let mut years: Vec<i32> = Vec::new();
                // A municipality's cells of one year are neighbours: look at each run once.
                let mut last = None;
                for key in self.cells.keys() {
                    let row = Some((key.municipality, key.year));
                    if row != last {
                        last = row;
                        if let Err(i) = years.binary_search(&key.year) {
                            years.insert(i, key.year);
                        }
                    }
                }
                years
            })
            .clone()
    }

    /// The observation of a municipality, year and measure in the default combination.
    pub fn get(&self, municipality: usize, year: i32, measure: usize) -> Option<Observation> {
        self.get_in(municipality, year, 0, measure)
    }

    /// The observation in a given dimension combination.
    pub fn get_in(
        &self,
        municipality: usize,
        year: i32,
        combination: usize,
        measure: usize,
    ) -> Option<Observation> {
        self.cells.get(&CellKey {
            municipality,
            year,
            combination,
            measure,
        })
    }

    /// The dataset as seen in one dimension combination (a gender, a district, a target group):
    /// its cells become the default view (combination 0), which KPIs, comparisons and checks
    /// read, and the other combinations are left out. `None` when there is no such combination.
    pub fn in_combination(&self, combination: usize) -> Option<Dataset> {
        let chosen = self.combinations.get(combination)?.clone();
        let cells = self
            .cells
            .iter()
            .filter(|(key, _)| key.combination == combination)
            .map(|(key, observation)| {
                let key = CellKey {
                    combination: 0,
                    ..key
                };
                (key, observation)
            })
            .collect();
        Some(Dataset {
            files: self.files.clone(),
            municipalities: self.municipalities.clone(),
            measures: self.measures.clone(),
            dimensions: self.dimensions.clone(),
            combinations: vec![chosen],
            cells,
            duplicates: self.duplicates.clone(),
        })
    }

    /// The value of a municipality, year and measure: missing with `NoRecord` when absent.
    pub fn value(&self, municipality: usize, year: i32, measure: usize) -> Value {
        self.get(municipality, year, measure)
            .map(|o| o.value)
            .unwrap_or(Value::Missing(Reason::NoRecord))
    }
}

/// Where each municipality's, year's and measure's cell is, for a given number of
/// municipalities and measures.
#[derive(Debug, PartialEq)]
pub(crate) struct Grid {
    /// The municipalities and measures the grid was laid out for.
    pub(crate) shape: (usize, usize),
    pub(crate) years: Vec<i32>,
    /// `cells[(m * years + y) * measures + k]`: the cell's position, `u32::MAX` for none (four
    /// bytes a slot, as a municipality-level table has close to a million).
    pub(crate) cells: Vec<u32>,
    /// Whether municipality `m` has a record in year index `y`: `rows[m * years + y]`.
    pub(crate) rows: Vec<bool>,
}

impl Grid {
    pub(crate) fn new(dataset: &Dataset) -> Grid {
        let years = dataset.years();
        let shape = (dataset.municipalities.len(), dataset.measures.len());
        let (municipalities, n_measures) = shape;
        let n_rows = municipalities * years.len();
        let mut cells = vec![u32::MAX; n_rows * n_measures];
        let mut rows = vec![false; n_rows];
        for (at, key) in dataset.cells.keys().enumerate() {
            if key.combination != 0 || key.municipality >= municipalities {
                continue;
            }
            if let Ok(y) = years.binary_search(&key.year) {
                let row = key.municipality * years.len() + y;
                rows[row] = true;
                if key.measure < n_measures {
                    cells[row * n_measures + key.measure] = u32::try_from(at).unwrap_or(u32::MAX);
                }
            }
        }
        Grid {
            shape,
            years,
            cells,
            rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::dataset;

    fn key(municipality: usize, year: i32, measure: usize) -> CellKey {
        CellKey {
            municipality,
            year,
            combination: 0,
            measure,
        }
    }

    fn obs(value: Value, flag: Option<Flag>, line: usize) -> Observation {
        let source = Source {
            file: 1,
            line,
            column: 3,
        };
        Observation {
            value,
            flag,
            source,
        }
    }

    #[test]
    fn cells_keep_every_value_reason_flag_and_source() {
        let text = |t: &str| Value::Missing(Reason::NotNumeric(t.into()));
        let given = [
            (
                key(1, 2020, 0),
                obs(Value::Number(-1.5), Some(Flag::Estimated), 9),
            ),
            (key(0, 2021, 2), obs(text("ca. 5"), None, 7)),
            (
                key(0, 2020, 1),
                obs(Value::Missing(Reason::Locked), None, 5),
            ),
            (
                key(0, 2020, 0),
                obs(Value::Number(0.0), Some(Flag::Rounded), 4),
            ),
            (key(2, 2019, 0), obs(text("ca. 5"), None, 8)),
            (
                key(0, 2020, 1),
                obs(Value::Missing(Reason::Unknown), None, 6),
            ),
        ];
        let cells: Cells = given.iter().cloned().collect();
        let mut want: Vec<(CellKey, Observation)> = given.to_vec();
        want.remove(2); // the later cell of a key counts
        want.sort_by_key(|(k, _)| *k);
        assert_eq!(cells.iter().collect::<Vec<_>>(), want);
        assert_eq!(cells.reasons.len(), 1, "a reason with text is kept once");
        assert_eq!(cells.get(&key(0, 2020, 1)), Some(want[1].1.clone()));
        assert_eq!(cells.get(&key(0, 2020, 9)), None);
        let json = serde_json::to_string(&cells).unwrap_or_default();
        assert_eq!(
            serde_json::from_str::<Cells>(&json).ok(),
            Some(cells.clone())
        );
        let mut inserted = Cells::default();
        for (k, o) in given.iter().cloned() {
            inserted.insert(k, o);
        }
        assert_eq!(inserted, cells);
    }

    #[test]
    fn stored_cells_out_of_order_or_cut_are_refused() {
        let cells: Cells = [
            (key(0, 2020, 0), obs(Value::Number(1.0), None, 1)),
            (key(1, 2020, 0), obs(Value::Number(2.0), None, 2)),
        ]
        .into_iter()
        .collect();
        let mut bytes = Vec::new();
        let mut before = &ZERO;
        for e in cells.entries.iter().rev() {
            e.write(before, &mut bytes);
            before = e;
        }
        let stored = |bytes: &[u8]| format!("{{\"reasons\":[],\"entries\":{bytes:?}}}");
        assert!(serde_json::from_str::<Cells>(&stored(&bytes)).is_err());
        bytes.pop();
        assert!(serde_json::from_str::<Cells>(&stored(&bytes)).is_err());
    }

    #[test]
    fn stored_cells_keep_every_value_to_the_bit() {
        let values = [
            0.0,
            -0.0,
            1.0,
            -7.0,
            0.1,
            123_456_789.0,
            -4.4e15,
            9.0e15,
            1e300,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NAN,
        ];
        let mut given: Vec<(CellKey, Observation)> = values
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                (
                    key(i * 3, 2020 - i as i32, i % 2),
                    obs(Value::Number(v), None, 900 - i),
                )
            })
            .collect();
        given.push((
            key(99, 1990, 4),
            obs(Value::Missing(Reason::NotNumeric("x?".into())), None, 7),
        ));
        given.push((
            key(100, 2100, 0),
            obs(
                Value::Missing(Reason::SIMPLE[0].clone()),
                None,
                u32::MAX as usize,
            ),
        ));
        let cells: Cells = given.into_iter().collect();
        let json = serde_json::to_string(&cells).unwrap_or_default();
        let back = serde_json::from_str::<Cells>(&json).ok();
        // Every field as a number, the value by its bits (NaN and -0 included).
        let bits = |c: &Cells| -> Vec<[u64; 9]> {
            c.entries
                .iter()
                .map(|e| {
                    [
                        e.municipality.into(),
                        e.year as u64,
                        e.combination.into(),
                        e.measure.into(),
                        e.value.to_bits(),
                        e.line.into(),
                        e.column.into(),
                        e.file.into(),
                        e.tag.into(),
                    ]
                })
                .collect()
        };
        assert_eq!(back.as_ref().map(bits), Some(bits(&cells)));
    }

    #[test]
    fn merged_cells_ask_where_both_have_one() {
        let a: Cells = [
            (key(0, 2020, 0), obs(Value::Number(1.0), None, 1)),
            (key(2, 2020, 0), obs(Value::Number(2.0), None, 2)),
        ]
        .into_iter()
        .collect();
        let b: Cells = [
            (
                key(1, 2020, 0),
                obs(Value::Missing(Reason::NotNumeric("x?".into())), None, 3),
            ),
            (key(2, 2020, 0), obs(Value::Number(5.0), None, 4)),
        ]
        .into_iter()
        .collect();
        let mut merged = a.clone();
        let mut asked = Vec::new();
        merged.merge_from(b.clone(), |k, ours, theirs| {
            asked.push((k, ours.value.clone(), theirs.value.clone()));
            true
        });
        assert_eq!(
            asked,
            [(key(2, 2020, 0), Value::Number(2.0), Value::Number(5.0))]
        );
        let lines: Vec<usize> = merged.values().map(|o| o.source.line).collect();
        assert_eq!(lines, [1, 3, 4]);
        assert_eq!(merged.get(&key(1, 2020, 0)), b.get(&key(1, 2020, 0)));
        let moved = a.remapped(2, |k| (k.municipality == 0).then_some(key(7, k.year, 1)));
        let moved: Vec<(CellKey, usize)> = moved.iter().map(|(k, o)| (k, o.source.file)).collect();
        assert_eq!(moved, [(key(7, 2020, 1), 3)]);
    }

    #[test]
    fn one_combination_becomes_the_default_view() {
        let mut d = dataset(&[("A", 2020, &[("ew", Value::Number(100.0))])]);
        d.dimensions = vec!["Geschlecht".into()];
        d.combinations = vec![vec!["Insgesamt".into()], vec!["weiblich".into()]];
        let female = CellKey {
            combination: 1,
            ..d.cells.keys().next().unwrap()
        };
        let observation = Observation {
            value: Value::Number(55.0),
            ..d.cells.values().next().unwrap()
        };
        d.cells.insert(female, observation);
        let cases = [
            (0, Some((vec!["Insgesamt"], 100.0))),
            (1, Some((vec!["weiblich"], 55.0))),
            (2, None),
        ];
        for (combination, want) in cases {
            let got = d.in_combination(combination).map(|v| {
                assert_eq!(v.cells.len(), 1);
                let names = v.combinations[0].clone();
                let value = v.value(0, 2020, 0).number().unwrap_or(f64::NAN);
                (names, value)
            });
            let want = want.map(|(names, value)| {
                let names: Vec<String> = names.iter().map(|n: &&str| n.to_string()).collect();
                (names, value)
            });
            assert_eq!(got, want, "combination {combination}");
        }
    }
}
