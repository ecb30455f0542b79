//! The cells of a dataset, packed, and the grid KPIs look them up in.
//!
//! A cell is a key (municipality, year, combination, measure), a number or a missing value's
//! reason, a flag and the place it came from: 37 bytes as plain fields. A file of one-digit
//! values spends two bytes on a cell, so plain fields took twenty times the file (issue 13:
//! memory bounded by a few times the file size). Cells are kept sorted by key, and a cell
//! differs from the one before in a field or two (the next measure and column of a row, the
//! next year and line of a long table), so each is written as those differences: two bytes
//! for such a step and a small whole number. Every [`BLOCK`]th cell is kept whole, so a lookup
//! reads at most that many cells after a binary search over the whole ones; KPIs, which look
//! up every cell again and again, read a [`Grid`] of the numbers instead.

use std::collections::{BinaryHeap, HashMap};
use std::fmt;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use crate::value::{Flag, Reason, Value};

/// Cells in a block: one kept whole, the others as differences from the one before.
const BLOCK: usize = 32;
/// Cells a [`CellsBuilder`] sorts at a time before it packs them (40 bytes each while they wait).
#[cfg(not(test))]
const CHUNK: usize = 1 << 15;
/// Small under test, so that a few hundred cells make several runs to join or merge.
#[cfg(test)]
const CHUNK: usize = 40;

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
/// A missing value's reason with text is kept once per distinct reason, so memory grows with
/// the distinct texts, not with the cells. Reading a cell gives an [`Observation`] by value.
/// Many cells are built with `collect` or [`CellsBuilder`]; [`Cells::insert`] is for a few.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cells {
    /// Sorted by key, keys unique.
    packed: Packed,
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
/// The bit of a written entry's first byte that says a tag byte follows (without it the entry
/// is a number without flag); the bits below say which fields changed.
const TAGGED: u8 = 0x80;

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
    fn order(&self) -> Order {
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

    /// The fields written as differences, in the order of their bits in the first byte.
    fn fields(&self) -> [u32; 7] {
        [
            self.municipality,
            self.year as u32,
            self.combination,
            self.measure,
            self.line,
            self.column,
            self.file,
        ]
    }

    /// Appends the entry as it differs from `before` (the entry before it, or the zero entry):
    /// one of the [`STEPS`], or a byte whose bits name the fields that changed and whether a
    /// tag follows, each changed field as a signed difference in a variable-length integer and
    /// the tag; then the value (a whole number as an integer; nothing for a reason without
    /// text).
    fn write(&self, before: &Entry, out: &mut Vec<u8>) {
        let (now, was) = (self.fields(), before.fields());
        let code = STEPS.iter().position(|&(fields, _)| {
            self.tag == NUMBER
                && (0..7).all(|i| match fields & (1 << i) {
                    0 => now[i] == was[i],
                    _ => was[i].checked_add(1) == Some(now[i]),
                })
        });
        if let Some(code) = code {
            out.push(STEPS[code].1);
        } else {
            let at = out.len();
            out.push(0);
            let mut mask = 0;
            for (i, (now, was)) in now.into_iter().zip(was).enumerate() {
                if now != was {
                    mask |= 1 << i;
                    write_varint(out, zigzag(i64::from(now) - i64::from(was)));
                }
            }
            if self.tag != NUMBER {
                mask |= TAGGED;
                out.push(self.tag);
            }
            out[at] = mask;
        }
        match self.kind() {
            NUMBER => {
                let v = self.value;
                // Exact in 53 bits and not -0, so that the bits read back are the bits written.
                if v.trunc() == v && v.abs() < 4.5e15 && !(v == 0.0 && v.is_sign_negative()) {
                    write_varint(out, zigzag(v as i64) << 1);
                } else {
                    out.push(1);
                    out.extend_from_slice(&v.to_bits().to_le_bytes());
                }
            }
            LISTED => write_varint(out, self.value.to_bits()),
            _ => {}
        }
    }

    /// The entry [`Entry::write`] wrote after `before`, and the bytes after it; `None` when the
    /// bytes end early or a field is out of range.
    fn read<'b>(before: &Entry, b: &'b [u8]) -> Option<(Entry, &'b [u8])> {
        let (&mask, mut b) = b.split_first()?;
        let mut fields = before.fields();
        let stepped = STEPS.iter().find(|&&(_, code)| code == mask);
        for (i, field) in fields.iter_mut().enumerate() {
            if let Some(&(steps, _)) = stepped {
                if steps & (1 << i) != 0 {
                    *field = field.checked_add(1)?;
                }
            } else if mask & (1 << i) != 0 {
                let (delta, rest) = read_varint(b)?;
                b = rest;
                *field = u32::try_from(i64::from(*field) + unzigzag(delta)).ok()?;
            }
        }
        let tag = match mask & TAGGED {
            0 => NUMBER,
            _ => {
                let (&tag, rest) = b.split_first()?;
                b = rest;
                tag
            }
        };
        let (value, rest) = match tag & 0x0f {
            NUMBER => {
                let (form, rest) = read_varint(b)?;
                if form & 1 == 0 {
                    (unzigzag(form >> 1) as f64, rest)
                } else {
                    let raw = rest.get(..8)?;
                    let bits = u64::from_le_bytes(raw.try_into().ok()?);
                    (f64::from_bits(bits), &rest[8..])
                }
            }
            LISTED => {
                let (bits, rest) = read_varint(b)?;
                (f64::from_bits(bits), rest)
            }
            _ => (0.0, b),
        };
        let [municipality, year, combination, measure, line, column, file] = fields;
        let entry = Entry {
            municipality,
            year: year as i32,
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

/// Entries that differ from the one before only by one more in some fields, as a single byte:
/// `(fields, code)`, the fields by their bits in [`Entry::fields`]. A key differs in one of its
/// four fields at least, so no other first byte leaves the four low bits clear. The next value
/// of a wide table's row is the next measure in the next column; the next row of a long table
/// is the next year on the next line.
const STEPS: [(u8, u8); 2] = [(0b10_1000, 0x00), (0b01_0010, 0x10)];

/// The key of an entry in the order of [`CellKey`].
type Order = (u32, i32, u32, u32);

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

/// Entries in ascending order, in blocks: the first entry of block `b` whole in `heads[b]`
/// (at position `firsts[b]`), the others written one after the other from `starts[b]` in
/// `bytes`. Blocks hold at most [`BLOCK`] entries; joined runs may leave shorter ones.
#[derive(Clone, Debug, Default)]
struct Packed {
    heads: Vec<Entry>,
    firsts: Vec<usize>,
    starts: Vec<usize>,
    bytes: Vec<u8>,
    len: usize,
    /// The last entry pushed: the next one is written against it.
    last: Entry,
}

impl Default for Entry {
    fn default() -> Entry {
        ZERO
    }
}

/// Equal when the entries are, however they fell into blocks.
impl PartialEq for Packed {
    fn eq(&self, other: &Packed) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl Packed {
    /// Room for `entries` entries of `bytes` bytes written.
    fn with_capacity(entries: usize, bytes: usize) -> Packed {
        let blocks = entries.div_ceil(BLOCK);
        Packed {
            heads: Vec::with_capacity(blocks),
            firsts: Vec::with_capacity(blocks),
            starts: Vec::with_capacity(blocks),
            bytes: Vec::with_capacity(bytes),
            ..Packed::default()
        }
    }

    /// Room for the entries of `packs`, written as they are.
    fn room_of(packs: &[&Packed]) -> Packed {
        let sum = |f: fn(&Packed) -> usize| packs.iter().map(|p| f(p)).sum();
        Packed::with_capacity(sum(|p| p.len), sum(|p| p.bytes.len()))
    }

    /// Appends an entry whose key follows every key so far.
    fn push(&mut self, e: Entry) {
        let open = self.firsts.last().is_some_and(|&f| self.len - f < BLOCK);
        if open {
            e.write(&self.last, &mut self.bytes);
        } else {
            self.heads.push(e);
            self.firsts.push(self.len);
            self.starts.push(self.bytes.len());
        }
        self.last = e;
        self.len += 1;
    }

    /// Appends the entries of `other`, whose keys all follow ours, without writing them again.
    fn append(&mut self, other: Packed) {
        if other.len == 0 {
            return;
        }
        let (len, bytes) = (self.len, self.bytes.len());
        self.heads.extend(other.heads);
        self.firsts
            .extend(other.firsts.into_iter().map(|f| f + len));
        self.starts
            .extend(other.starts.into_iter().map(|s| s + bytes));
        self.bytes.extend_from_slice(&other.bytes);
        self.len += other.len;
        self.last = other.last;
    }

    /// Gives back the room the growing lists took beyond their entries.
    fn shrink_to_fit(&mut self) {
        self.heads.shrink_to_fit();
        self.firsts.shrink_to_fit();
        self.starts.shrink_to_fit();
        self.bytes.shrink_to_fit();
    }

    fn first(&self) -> Option<&Entry> {
        self.heads.first()
    }

    fn last(&self) -> Option<&Entry> {
        (self.len > 0).then_some(&self.last)
    }

    fn iter(&self) -> Entries<'_> {
        self.entries_from(0, self.len)
    }

    /// The entries from block `b` on, up to position `end`.
    fn entries_from(&self, b: usize, end: usize) -> Entries<'_> {
        Entries {
            packed: self,
            at: self.firsts.get(b).copied().unwrap_or(self.len),
            end,
            block: b,
            pos: 0,
            last: ZERO,
        }
    }

    /// The block that holds position `at`.
    fn block_of(&self, at: usize) -> usize {
        self.firsts.partition_point(|&f| f <= at).saturating_sub(1)
    }

    fn get(&self, at: usize) -> Option<Entry> {
        if at >= self.len {
            return None;
        }
        let b = self.block_of(at);
        let first = self.firsts.get(b).copied().unwrap_or(0);
        self.entries_from(b, self.len).nth(at - first)
    }

    /// The position and entry of a key, or where it would go.
    fn find(&self, want: Order) -> Result<(usize, Entry), usize> {
        let b = self.heads.partition_point(|h| h.order() <= want);
        let Some(b) = b.checked_sub(1) else {
            return Err(0);
        };
        let end = self.firsts.get(b + 1).copied().unwrap_or(self.len);
        let mut entries = self.entries_from(b, end);
        while let Some(e) = entries.next() {
            match e.order().cmp(&want) {
                std::cmp::Ordering::Equal => return Ok((entries.at - 1, e)),
                std::cmp::Ordering::Greater => return Err(entries.at - 1),
                std::cmp::Ordering::Less => {}
            }
        }
        Err(end)
    }
}

/// Entries of a [`Packed`] in order, read as they come.
struct Entries<'a> {
    packed: &'a Packed,
    /// The position of the next entry.
    at: usize,
    end: usize,
    /// The next block whose head is to come.
    block: usize,
    /// Where the next written entry is in `bytes`.
    pos: usize,
    last: Entry,
}

impl Iterator for Entries<'_> {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        if self.at >= self.end {
            return None;
        }
        let p = self.packed;
        let e = if p.firsts.get(self.block) == Some(&self.at) {
            self.pos = p.starts.get(self.block).copied().unwrap_or(p.bytes.len());
            self.block += 1;
            *p.heads.get(self.block - 1)?
        } else {
            // Written by `push`, so it reads back; a failure would end the entries early.
            let (e, rest) = Entry::read(&self.last, p.bytes.get(self.pos..)?)?;
            self.pos = p.bytes.len() - rest.len();
            e
        };
        self.last = e;
        self.at += 1;
        Some(e)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.end.saturating_sub(self.at);
        (n, Some(n))
    }
}

impl Cells {
    /// The number of cells.
    pub fn len(&self) -> usize {
        self.packed.len
    }

    /// Whether there are no cells.
    pub fn is_empty(&self) -> bool {
        self.packed.len == 0
    }

    /// The distinct years, ascending (found once per state of the cells: views ask often).
    pub fn years(&self) -> Vec<i32> {
        self.derived
            .years
            .get_or_init(|| {
                let mut years: Vec<i32> = Vec::new();
                // A municipality's cells of one year are neighbours: look at each run once.
                let mut last = None;
                for key in self.keys() {
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

    fn find(&self, key: &CellKey) -> Result<(usize, Entry), usize> {
        self.packed.find((
            narrow(key.municipality),
            key.year,
            narrow(key.combination),
            narrow(key.measure),
        ))
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
        self.find(key).ok().map(|(_, e)| self.observation(&e))
    }

    /// Whether a key has a cell.
    pub fn contains_key(&self, key: &CellKey) -> bool {
        self.find(key).is_ok()
    }

    /// Sets the observation at a key (replacing one there). A key after every other is
    /// appended; any other is written with all cells again, so many cells in no order are
    /// built with `collect` instead.
    pub fn insert(&mut self, key: CellKey, observation: Observation) {
        let reasons = &mut self.reasons;
        let entry = encode(key, &observation, |r| {
            let i = reasons.iter().position(|x| x == r).unwrap_or_else(|| {
                reasons.push(r.clone());
                reasons.len() - 1
            });
            i as u64
        });
        self.derived = Derived::default();
        if self.packed.last().is_none_or(|l| l.order() < entry.order()) {
            self.packed.push(entry);
            return;
        }
        let at = self.find(&key);
        let old = std::mem::take(&mut self.packed);
        let mut packed = Packed::room_of(&[&old]);
        for (i, e) in old.iter().enumerate() {
            match at {
                Ok((j, _)) if i == j => packed.push(entry),
                Err(j) if i == j => {
                    packed.push(entry);
                    packed.push(e);
                }
                _ => packed.push(e),
            }
        }
        self.packed = packed;
    }

    /// The value of the cell at a position in key order (`None` beyond the end).
    pub(crate) fn value_at(&self, at: usize) -> Option<Value> {
        self.packed.get(at).map(|e| self.observation(&e).value)
    }

    /// The cells with their keys changed by `key` (`None` drops a cell) and their file indices
    /// moved by `file_offset`. Of cells that come to share a key the first counts. `key` is
    /// asked twice for a cell when the cells change.
    pub(crate) fn remapped(
        self,
        file_offset: usize,
        mut key: impl FnMut(CellKey) -> Option<CellKey>,
    ) -> Cells {
        let file_offset = narrow(file_offset);
        let mut moved_key = |e: &Entry| {
            let mut moved = *e;
            moved.set_key(key(e.key())?);
            moved.file = e.file.saturating_add(file_offset);
            Some(moved)
        };
        // The first upload of a merge keeps its indices: then its cells stay as they are.
        if self.packed.iter().all(|e| moved_key(&e) == Some(e)) {
            return Cells {
                derived: Derived::default(),
                ..self
            };
        }
        let moved = self.packed.iter().filter_map(|e| moved_key(&e));
        let mut packed = Packed::room_of(&[&self.packed]);
        let mut sorted = Vec::new();
        for e in moved {
            if !sorted.is_empty() {
                sorted.push(e);
            } else if packed.last().is_none_or(|l| l.order() < e.order()) {
                packed.push(e);
            } else {
                // Out of order once: the rest are sorted with those packed so far.
                sorted = packed.iter().collect();
                sorted.push(e);
            }
        }
        if !sorted.is_empty() {
            sorted.sort_by_key(Entry::order);
            sorted.dedup_by_key(|e| e.order());
            packed = Packed::room_of(&[&self.packed]);
            sorted.into_iter().for_each(|e| packed.push(e));
        }
        packed.shrink_to_fit();
        Cells {
            packed,
            reasons: self.reasons,
            derived: Derived::default(),
        }
    }

    /// Adds the cells of `other`. Where both have a key, `take(key, ours, theirs)` says
    /// whether theirs replaces ours. One pass over both, as both are sorted.
    pub(crate) fn merge_from(
        &mut self,
        other: Cells,
        mut take: impl FnMut(CellKey, &Observation, &Observation) -> bool,
    ) {
        self.derived = Derived::default();
        if self.is_empty() {
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
        let mut merged = Packed::room_of(&[&self.packed, &other.packed]);
        let theirs_of = |mut e: Entry| {
            if e.kind() == LISTED {
                let i = listed.get(e.listed()).copied().unwrap_or(u64::MAX);
                e.value = f64::from_bits(i);
            }
            e
        };
        let mut a = self.packed.iter().peekable();
        let mut b = other.packed.iter().peekable();
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) => x.order().cmp(&y.order()),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => break,
            };
            match next {
                std::cmp::Ordering::Less => a.next().into_iter().for_each(|e| merged.push(e)),
                std::cmp::Ordering::Greater => b
                    .next()
                    .map(theirs_of)
                    .into_iter()
                    .for_each(|e| merged.push(e)),
                std::cmp::Ordering::Equal => {
                    let (Some(x), Some(y)) = (a.next(), b.next()) else {
                        break;
                    };
                    let replace = take(x.key(), &self.observation(&x), &other.observation(&y));
                    merged.push(if replace { theirs_of(y) } else { x });
                }
            }
        }
        merged.shrink_to_fit();
        self.packed = merged;
        self.reasons.extend(added);
    }

    /// Keeps the cells for which `keep` says so.
    pub fn retain(&mut self, mut keep: impl FnMut(CellKey, &Observation) -> bool) {
        self.derived = Derived::default();
        let reasons = &self.reasons;
        let mut kept = Packed::room_of(&[&self.packed]);
        self.packed
            .iter()
            .filter(|e| keep(e.key(), &observation(reasons, e)))
            .for_each(|e| kept.push(e));
        kept.shrink_to_fit();
        self.packed = kept;
    }

    /// The cells in key order.
    pub fn iter(&self) -> impl Iterator<Item = (CellKey, Observation)> + '_ {
        self.packed.iter().map(|e| (e.key(), self.observation(&e)))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = CellKey> + '_ {
        self.packed.iter().map(|e| e.key())
    }

    /// The keys in order with their numbers (`None` for a missing value), read without
    /// making an observation of each.
    pub(crate) fn numbers(&self) -> impl Iterator<Item = (CellKey, Option<f64>)> + '_ {
        self.packed
            .iter()
            .map(|e| (e.key(), (e.kind() == NUMBER).then_some(e.value)))
    }

    /// The observations in key order.
    pub fn values(&self) -> impl Iterator<Item = Observation> + '_ {
        self.packed.iter().map(|e| self.observation(&e))
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
        value,
        line: narrow(o.source.line),
        column: narrow(o.source.column),
        file: narrow(o.source.file),
        tag: kind | flag << 4,
        ..ZERO
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

/// Cells built in bulk: pushed in any order, sorted by [`CellsBuilder::finish`]. They wait as
/// plain entries [`CHUNK`] at a time and are then sorted and packed into a run; the runs are
/// joined at the end (merged, when they overlap), so a million cells never wait as plain
/// entries all at once.
#[derive(Debug, Default)]
pub struct CellsBuilder {
    pending: Vec<Entry>,
    /// Packed runs, each sorted, in the order pushed.
    runs: Vec<Packed>,
    /// Whether two cells pushed so far share a key (known for the runs packed so far).
    repeated: bool,
    reasons: Vec<Reason>,
    index: HashMap<Reason, u64>,
}

impl CellsBuilder {
    /// Adds a cell; of cells with the same key the last one pushed counts.
    pub fn push(&mut self, key: CellKey, observation: &Observation) {
        let (reasons, index) = (&mut self.reasons, &mut self.index);
        let entry = encode(key, observation, |r| {
            *index.entry(r.clone()).or_insert_with(|| {
                reasons.push(r.clone());
                reasons.len() as u64 - 1
            })
        });
        self.pending.push(entry);
        if self.pending.len() >= CHUNK {
            self.pack_pending();
        }
    }

    /// Makes room for `n` more cells at once (at most a chunk: the rest waits packed).
    pub fn reserve(&mut self, n: usize) {
        self.pending.reserve(n.min(CHUNK));
    }

    /// Whether nothing was pushed.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty() && self.runs.is_empty()
    }

    /// Whether two cells pushed so far share a key. Joins the runs as
    /// [`CellsBuilder::finish`] does, so that it does not join them again.
    pub fn repeats_a_key(&mut self) -> bool {
        self.pack_pending();
        self.join_runs();
        self.repeated
    }

    /// Changes the key of every cell pushed so far.
    pub fn map_keys(&mut self, mut f: impl FnMut(CellKey) -> CellKey) {
        for e in &mut self.pending {
            e.set_key(f(e.key()));
        }
        // A chunk at a time, so that no more than a chunk waits as plain entries; the chunks
        // become runs of their own, joined by `finish`.
        let mut runs = Vec::with_capacity(self.runs.len());
        for run in std::mem::take(&mut self.runs) {
            let mut entries = run.iter().peekable();
            while entries.peek().is_some() {
                let mut chunk: Vec<Entry> = entries.by_ref().take(CHUNK).collect();
                for e in &mut chunk {
                    e.set_key(f(e.key()));
                }
                runs.push(sorted_run(chunk, &mut self.repeated));
            }
        }
        self.runs = runs;
    }

    /// The cells sorted; of equal keys the last pushed.
    pub fn finish(mut self) -> Cells {
        self.pack_pending();
        self.join_runs();
        let mut packed = self.runs.pop().unwrap_or_default();
        packed.shrink_to_fit();
        Cells {
            packed,
            reasons: self.reasons,
            derived: Derived::default(),
        }
    }

    fn pack_pending(&mut self) {
        if !self.pending.is_empty() {
            let pending = std::mem::take(&mut self.pending);
            let run = sorted_run(pending, &mut self.repeated);
            // A run that follows the one before is joined at once, so that runs in order
            // never wait side by side with their joined copy.
            match self.runs.last_mut() {
                Some(last) if follows(last, &run) => last.append(run),
                _ => self.runs.push(run),
            }
        }
    }

    /// Makes one run of all: joined as they are when each ends before the next begins (cells
    /// of a file come in its order, often sorted already), else merged.
    fn join_runs(&mut self) {
        if self.runs.len() < 2 {
            return;
        }
        let ordered = self.runs.windows(2).all(|w| follows(&w[0], &w[1]));
        let runs = std::mem::take(&mut self.runs);
        let joined = if ordered {
            let mut joined = Packed::default();
            // Room made once: grown by doubling, the joined bytes took up to twice their size.
            joined
                .bytes
                .reserve_exact(runs.iter().map(|r| r.bytes.len()).sum());
            let blocks = runs.iter().map(|r| r.heads.len()).sum();
            joined.heads.reserve_exact(blocks);
            joined.firsts.reserve_exact(blocks);
            joined.starts.reserve_exact(blocks);
            runs.into_iter().for_each(|r| joined.append(r));
            joined
        } else {
            merge_runs(&runs, &mut self.repeated)
        };
        self.runs.push(joined);
    }
}

/// Whether every key of `b` comes after every key of `a`.
fn follows(a: &Packed, b: &Packed) -> bool {
    match (a.last(), b.first()) {
        (Some(a), Some(b)) => a.order() < b.order(),
        _ => true,
    }
}

/// Entries sorted and packed; of equal keys the last in `entries` (noted in `repeated`).
fn sorted_run(mut entries: Vec<Entry>, repeated: &mut bool) -> Packed {
    // A stable sort keeps equal keys in the order pushed; `dedup_by` keeps the first of a
    // run, so the last pushed is moved there first. Entries in order already need no sort
    // (and no scratch buffer).
    if !entries.is_sorted_by_key(Entry::order) {
        entries.sort_by_key(Entry::order);
    }
    let before = entries.len();
    entries.dedup_by(|later, kept| {
        let same = later.order() == kept.order();
        if same {
            *kept = *later;
        }
        same
    });
    *repeated |= entries.len() < before;
    // About two bytes an entry (a wide row's or a long table's step); more grows the room.
    let mut packed = Packed::with_capacity(entries.len(), entries.len() * 2);
    entries.into_iter().for_each(|e| packed.push(e));
    packed
}

/// One run of overlapping ones; of equal keys the one of the latest run (noted in `repeated`).
fn merge_runs(runs: &[Packed], repeated: &mut bool) -> Packed {
    use std::cmp::Reverse;
    let mut entries: Vec<Entries<'_>> = runs.iter().map(Packed::iter).collect();
    // The smallest key first; of equal keys the latest run first.
    let mut next = BinaryHeap::new();
    for (r, it) in entries.iter_mut().enumerate() {
        if let Some(e) = it.next() {
            next.push(Reverse((e.order(), Reverse(r), Copied(e))));
        }
    }
    let mut merged = Packed::room_of(&runs.iter().collect::<Vec<_>>());
    while let Some(Reverse((order, Reverse(r), Copied(e)))) = next.pop() {
        if merged.last().is_some_and(|l| l.order() == order) {
            *repeated = true;
        } else {
            merged.push(e);
        }
        if let Some(e) = entries.get_mut(r).and_then(Iterator::next) {
            next.push(Reverse((e.order(), Reverse(r), Copied(e))));
        }
    }
    merged
}

/// An entry riding along in the merge's heap, ordered by the key and run beside it only.
struct Copied(Entry);

impl PartialEq for Copied {
    fn eq(&self, _: &Copied) -> bool {
        true
    }
}

impl Eq for Copied {}

impl PartialOrd for Copied {
    fn partial_cmp(&self, other: &Copied) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Copied {
    fn cmp(&self, _: &Copied) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
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

/// Serialized as the reasons and one byte string of all entries, each written against the one
/// before, so a worker hands a million cells to the page as one array buffer instead of a
/// million objects.
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
        let mut bytes = Vec::with_capacity(self.packed.bytes.len() + self.packed.heads.len() * 8);
        let mut before = ZERO;
        for e in self.packed.iter() {
            e.write(&before, &mut bytes);
            before = e;
        }
        let mut st = s.serialize_struct("Cells", 3)?;
        st.serialize_field("reasons", &self.reasons)?;
        st.serialize_field("count", &self.len())?;
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
        // No entry takes fewer than two bytes, so a count beyond that is refused below anyway.
        let mut packed = Packed::with_capacity(stored.count.min(bytes.len() / 2), bytes.len());
        // Lookups rely on the order and reasons on their indices: a stored form that breaks
        // either is refused rather than read wrongly.
        let valid = |e: &Entry| match e.kind() {
            LISTED => e.listed() < stored.reasons.len(),
            k => {
                usize::from(k) <= Reason::SIMPLE.len() && usize::from(e.tag >> 4) <= Flag::ALL.len()
            }
        };
        let mut rest = bytes.as_slice();
        let mut before = ZERO;
        while !rest.is_empty() {
            let read = Entry::read(&before, rest)
                .filter(|(e, _)| valid(e) && packed.last().is_none_or(|l| l.order() < e.order()));
            let Some((entry, after)) = read else {
                return Err(D::Error::custom(
                    "Zellen: Einträge unvollständig, ungeordnet oder ungültig",
                ));
            };
            packed.push(entry);
            before = entry;
            rest = after;
        }
        packed.shrink_to_fit();
        Ok(Cells {
            packed,
            reasons: stored.reasons,
            derived: Derived::default(),
        })
    }
}

/// The cells of the default combination laid out for lookups by municipality, year and
/// measure, their numbers read once: KPIs look every cell up again and again. Only the rows
/// and cells there are take room (a dense grid of municipalities × years × measures took
/// gigabytes for a long table of many municipalities, each in other years).
#[derive(Debug, PartialEq)]
pub(crate) struct Grid {
    /// The municipalities and measures the grid was laid out for.
    pub(crate) shape: (usize, usize),
    pub(crate) years: Vec<i32>,
    /// The rows of municipality `m`: `rows[by_municipality[m]..by_municipality[m + 1]]`.
    by_municipality: Vec<u32>,
    rows: Vec<GridRow>,
    /// Each row's cells by measure, ascending.
    measures: Vec<u32>,
    /// Each cell's number; NaN where the cells hold something else (read from them).
    numbers: Vec<f64>,
}

/// A municipality's year in a [`Grid`].
#[derive(Clone, Copy, Debug, PartialEq)]
struct GridRow {
    year: i32,
    /// The row's first cell in `Grid::measures` and `Grid::numbers`.
    first: u32,
    /// That cell's position in the dataset's cells (the row's cells are neighbours there).
    at: u32,
}

impl Grid {
    /// The grid of `cells` for `shape` (municipalities, measures).
    pub(crate) fn new(cells: &Cells, shape: (usize, usize)) -> Grid {
        let years = cells.years();
        let (municipalities, n_measures) = shape;
        let mut by_municipality = vec![0u32; municipalities + 1];
        let mut rows: Vec<GridRow> = Vec::new();
        let (mut measures, mut numbers) = (Vec::new(), Vec::new());
        let mut last = None;
        for (at, (key, number)) in cells.numbers().enumerate() {
            if key.combination != 0 || key.municipality >= municipalities {
                continue;
            }
            if last != Some((key.municipality, key.year)) {
                last = Some((key.municipality, key.year));
                by_municipality[key.municipality + 1] += 1;
                rows.push(GridRow {
                    year: key.year,
                    first: narrow(measures.len()),
                    at: narrow(at),
                });
            }
            // Measures beyond the shape come last in a row, so the row's cells stay neighbours.
            if key.measure < n_measures {
                measures.push(narrow(key.measure));
                numbers.push(number.unwrap_or(f64::NAN));
            }
        }
        for m in 0..municipalities {
            by_municipality[m + 1] += by_municipality[m];
        }
        Grid {
            shape,
            years,
            by_municipality,
            rows,
            measures,
            numbers,
        }
    }

    /// The row of a municipality in a year, when it has one.
    pub(crate) fn row(&self, municipality: usize, year: i32) -> Option<usize> {
        let from = *self.by_municipality.get(municipality)? as usize;
        let to = *self.by_municipality.get(municipality + 1)? as usize;
        let found = self
            .rows
            .get(from..to)?
            .binary_search_by_key(&year, |r| r.year);
        found.ok().map(|i| from + i)
    }

    /// The years of a municipality's rows, ascending.
    pub(crate) fn years_of(&self, municipality: usize) -> impl Iterator<Item = i32> + '_ {
        let range = |m: usize| self.by_municipality.get(m).map_or(0, |&r| r as usize);
        let rows = self.rows.get(range(municipality)..range(municipality + 1));
        rows.unwrap_or_default().iter().map(|r| r.year)
    }

    /// The cell of a measure in a row: its number, or (`Err`) its position in the dataset's
    /// cells to read what else it holds; `None` when the row has no such cell.
    pub(crate) fn cell(&self, row: usize, measure: usize) -> Option<Result<f64, usize>> {
        let r = self.rows.get(row)?;
        let end = self
            .rows
            .get(row + 1)
            .map_or(self.measures.len(), |n| n.first as usize);
        let cells = self.measures.get(r.first as usize..end)?;
        let i = cells.binary_search(&narrow(measure)).ok()?;
        let number = self.numbers[r.first as usize + i];
        Some(match number.is_nan() {
            false => Ok(number),
            true => Err(r.at as usize + i),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let entries: Vec<Entry> = cells.packed.iter().collect();
        for e in entries.iter().rev() {
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
            c.packed
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
    fn a_wide_row_and_a_long_table_take_two_bytes_a_whole_number() {
        let source = |line: usize, column: usize| Source {
            file: 0,
            line,
            column,
        };
        let number = |v: f64, s: Source| Observation {
            value: Value::Number(v),
            flag: None,
            source: s,
        };
        // A wide row of 1,000 measures, and a long table of 1,000 years of one measure.
        let wide: Cells = (0..1000)
            .map(|k| (key(0, 2020, k), number((k % 10) as f64, source(2, k + 3))))
            .collect();
        let long: Cells = (0..1000)
            .map(|y| (key(0, 1100 + y as i32, 0), number(7.0, source(y + 2, 3))))
            .collect();
        for cells in [&wide, &long] {
            let heads = cells.packed.heads.len();
            // A block a `BLOCK` cells, and one more where runs of a chunk were joined.
            assert!(heads <= 1000_usize.div_ceil(BLOCK) + 1000_usize.div_ceil(CHUNK));
            assert_eq!(cells.packed.bytes.len(), (1000 - heads) * 2);
            let json = serde_json::to_string(cells).unwrap_or_default();
            assert_eq!(
                serde_json::from_str::<Cells>(&json).ok().as_ref(),
                Some(cells)
            );
        }
        let at = |c: &Cells, i: usize| c.value_at(i).and_then(|v| v.number());
        assert_eq!(at(&wide, 999), Some(9.0));
        assert_eq!(at(&long, 500), Some(7.0));
        let o = long.get(&key(0, 1600, 0));
        assert_eq!(o.map(|o| o.source.line), Some(502));
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

    /// A cell as the property test draws it: key fields, a value (number, simple reason, reason
    /// with text), a flag and a line.
    fn drawn(
        (m, y, c, k, v, line): (usize, i32, usize, usize, i64, usize),
    ) -> (CellKey, Observation) {
        let key = CellKey {
            municipality: m,
            year: y,
            combination: c,
            measure: k,
        };
        let value = match v % 5 {
            0 => Value::Missing(Reason::SIMPLE[0].clone()),
            1 => Value::Missing(Reason::NotNumeric(format!("t{}", v % 3))),
            2 => Value::Number(v as f64 / 7.0),
            _ => Value::Number(v as f64),
        };
        let flag = (v % 4 == 0).then_some(Flag::ALL[0]);
        let source = Source {
            file: m % 2,
            line,
            column: k + 3,
        };
        let o = Observation {
            value,
            flag,
            source,
        };
        (key, o)
    }

    proptest::proptest! {
        /// Cells built in any order hold what a map of the last pushed per key holds, in key
        /// order, read by position, by key, after a round trip and after every change.
        #[test]
        fn packed_cells_hold_what_a_map_holds(
            drawn_cells in proptest::collection::vec(
                (0usize..6, 1998i32..2004, 0usize..2, 0usize..40, -50i64..5000, 0usize..100_000),
                0..400,
            ),
            sorted in proptest::bool::ANY,
        ) {
            let mut given: Vec<(CellKey, Observation)> = drawn_cells.into_iter().map(drawn).collect();
            if sorted {
                given.sort_by_key(|(k, _)| *k);
            }
            let model: std::collections::BTreeMap<CellKey, Observation> = given.iter().cloned().collect();
            let cells: Cells = given.iter().cloned().collect();
            let want: Vec<(CellKey, Observation)> = model.clone().into_iter().collect();
            proptest::prop_assert_eq!(cells.iter().collect::<Vec<_>>(), want.clone());
            proptest::prop_assert_eq!(cells.len(), want.len());
            for (at, (key, o)) in want.iter().enumerate() {
                proptest::prop_assert_eq!(cells.get(key), Some(o.clone()));
                proptest::prop_assert_eq!(cells.value_at(at), Some(o.value.clone()));
                let absent = CellKey { measure: key.measure + 1000, ..*key };
                proptest::prop_assert!(!cells.contains_key(&absent));
            }
            let json = serde_json::to_string(&cells).unwrap_or_default();
            proptest::prop_assert_eq!(serde_json::from_str::<Cells>(&json).ok(), Some(cells.clone()));
            // Every other cell kept; the rest moved to other municipalities.
            let mut kept = cells.clone();
            kept.retain(|k, _| k.measure % 2 == 0);
            let even: Vec<_> = want.iter().filter(|(k, _)| k.measure % 2 == 0).cloned().collect();
            proptest::prop_assert_eq!(kept.iter().collect::<Vec<_>>(), even);
            let moved = cells.clone().remapped(1, |k| Some(CellKey { municipality: 5 - k.municipality, ..k }));
            let mut moved_model: Vec<(CellKey, Observation)> = want
                .iter()
                .map(|(k, o)| {
                    let mut o = o.clone();
                    o.source.file += 1;
                    (CellKey { municipality: 5 - k.municipality, ..*k }, o)
                })
                .collect();
            moved_model.sort_by_key(|(k, _)| *k);
            proptest::prop_assert_eq!(moved.iter().collect::<Vec<_>>(), moved_model);
            let mut both = cells.clone();
            both.merge_from(kept.clone(), |_, _, _| true);
            proptest::prop_assert_eq!(both, cells);
        }
    }
}
