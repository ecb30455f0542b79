//! `vergleichsring aggregate` (CONTRACT §5): a case-level file streamed through the core's
//! aggregator in slices (the same code the app's worker runs), one record per group. A large
//! file is cut into byte ranges read by one thread per core, as the app does with workers.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::thread;

use serde_json::{Map, Value};
use vergleichsring_core::{Aggregate, CaseAggregator, CaseLayout, CaseQuery};

use crate::options::{list, required};
use crate::output::{self, Format};
use crate::Failure;

/// Eine Falldatei zu Gruppen mit Summen zusammenfassen.
///
/// Liest eine Datei mit einer Zeile je Fall und gibt je Gruppe der --by-Spalten die Zahl der Fälle
/// (cases) und die Summe jeder --sum-Spalte aus, mit demselben Code wie der Worker der App.
#[derive(clap::Args)]
pub struct Args {
    /// Datei mit einer Zeile je Fall.
    #[arg(value_name = "DATA.csv")]
    pub files: Vec<String>,
    /// Spalten, nach denen gruppiert wird (Pflicht).
    #[arg(long, value_name = "COL,COL,…")]
    pub by: Option<String>,
    /// Spalten, die je Gruppe summiert werden.
    #[arg(long, value_name = "COL,COL,…")]
    pub sum: Option<String>,
    /// Ausgabeformat.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Zeichenkodierung der Datei (ohne Angabe erkannt).
    #[arg(long, value_name = "windows-1252|utf-8|…")]
    pub encoding: Option<String>,
}

/// Bytes read per slice, as the app's worker reads a File.
const SLICE: usize = 8 << 20;

/// Below this size one thread reads the whole file; above it each core takes a range.
const SPLIT_FROM: u64 = 32 << 20;

/// Run the subcommand.
pub fn run(args: &Args) -> Result<(), Failure> {
    let [file] = &args.files[..] else {
        return Err(Failure::Input("Genau eine Datei angeben.".to_string()));
    };
    required(&args.by, "by")?;
    let query = CaseQuery {
        by: list(&args.by),
        sum: list(&args.sum),
        encoding: args.encoding.clone(),
    };
    let format = args.format;
    let aggregate = aggregate(file, &query)?;
    eprintln!(
        "{file}: {} Fälle, {} Gruppen, Kodierung {}, Trennzeichen „{}“, {} übersprungene Zeilen",
        aggregate.rows(),
        aggregate.groups().len(),
        aggregate.encoding(),
        aggregate.separator(),
        aggregate.skipped().len()
    );
    output::print(&records(&aggregate), format)
}

fn records(aggregate: &Aggregate) -> Vec<Map<String, Value>> {
    aggregate
        .groups()
        .iter()
        .map(|group| {
            let mut record = Map::new();
            for (name, value) in aggregate.by().iter().zip(&group.values) {
                record.insert(name.clone(), Value::String(value.clone()));
            }
            record.insert("cases".into(), Value::from(group.cases));
            for (name, sum) in aggregate.sum().iter().zip(&group.sums) {
                record.insert(name.clone(), sum.map_or(Value::Null, Value::from));
            }
            record
        })
        .collect()
}

/// Aggregate a file: in ranges on several threads when it is large, else in one pass. A part
/// that failed, or one whose start does not meet the previous part's end (a cut inside a
/// quoted line break), is read again in one pass, which also gives exact line numbers.
fn aggregate(path: &str, query: &CaseQuery) -> Result<Aggregate, Failure> {
    let io = |e: std::io::Error| Failure::Input(format!("Datei {path}: {e}"));
    let mut file = File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let threads = thread::available_parallelism().map_or(1, |n| n.get());
    if len >= SPLIT_FROM && threads > 1 {
        let mut first = vec![0; SLICE.min(len as usize)];
        file.read_exact(&mut first).map_err(io)?;
        let layout = CaseLayout::sniff(&first, false, query.encoding.as_deref())
            .map_err(|e| e.in_file(path))?;
        if let Some(aggregate) = in_ranges(path, &layout, query, len, threads) {
            return Ok(aggregate);
        }
        file.seek(SeekFrom::Start(0)).map_err(io)?;
    }
    let mut aggregator = CaseAggregator::new(query.clone());
    feed(&mut aggregator, &mut file, path)?;
    aggregator.finish().map_err(|e| e.in_file(path).into())
}

/// The ranges read on threads and merged, or `None` when a part failed or parts do not meet.
fn in_ranges(
    path: &str,
    layout: &CaseLayout,
    query: &CaseQuery,
    len: u64,
    threads: usize,
) -> Option<Aggregate> {
    let ranges = layout.ranges(len, threads);
    let parts: Vec<Option<Aggregate>> = thread::scope(|scope| {
        let handles: Vec<_> = ranges
            .iter()
            .map(|&(start, end)| scope.spawn(move || read_range(path, layout, query, start, end)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .collect()
    });
    let mut parts = parts.into_iter();
    let mut total = parts.next()??;
    for part in parts {
        let part = part?;
        if total.end() != part.start() {
            return None;
        }
        total.merge(part).ok()?;
    }
    Some(total)
}

fn read_range(
    path: &str,
    layout: &CaseLayout,
    query: &CaseQuery,
    start: u64,
    end: u64,
) -> Option<Aggregate> {
    let mut aggregator = CaseAggregator::range(layout.clone(), query.clone(), start, end).ok()?;
    let mut file = File::open(path).ok()?;
    file.seek(SeekFrom::Start(aggregator.read_from())).ok()?;
    feed(&mut aggregator, &mut file, path).ok()?;
    aggregator.finish().ok()
}

/// Feed a file from its current position in slices until it ends or the aggregator has enough.
fn feed(aggregator: &mut CaseAggregator, file: &mut File, path: &str) -> Result<(), Failure> {
    let mut buf = vec![0; SLICE];
    loop {
        let n =
            read_full(file, &mut buf).map_err(|e| Failure::Input(format!("Datei {path}: {e}")))?;
        if n == 0 || !aggregator.feed(&buf[..n]).map_err(|e| e.in_file(path))? {
            return Ok(());
        }
    }
}

/// Fill the buffer unless the file ends first; the number of bytes read.
fn read_full(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}
