//! `vergleichsring compare` (CONTRACT §5): the own municipality against a peer group in one
//! year, one record per KPI with the statistics of CONTRACT §3. For `--similar` the chosen
//! municipalities, their distances and context values go to stderr, so the choice can be checked.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};
use vergleichsring_core::{
    compare, parse_weight, similar_in, Dataset, KpiTable, PeerGroup, PeerRow, Similarity,
    STATISTICS,
};

use crate::options::{list, MemberInputs, Year};
use crate::Failure;

/// Die eigene Kommune mit der Vergleichsgruppe vergleichen.
///
/// Vergleicht die eigene Kommune (--own) im Jahr --year mit der Vergleichsgruppe: ohne Angabe alle
/// Kommunen der Daten (ohne Länder- und Bundessummen), mit --peers die genannten, mit --similar die K
/// ähnlichsten nach den Merkmalen oder Kennzahlen von --on, gewichtet mit --weights (Gewicht ab 0,
/// Dezimalpunkt; ohne Angabe 1). Ausgabe je Kennzahl: kpi, n, own_value,
/// mean, pooled, median, q1, q3, min, max, rank, index (volle Genauigkeit, leer wenn fehlend).
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub member: MemberInputs,
    #[command(flatten)]
    pub year: Year,
    /// Die Vergleichsgruppe: diese Kommunen.
    #[arg(long, value_name = "A,B,…")]
    pub peers: Option<String>,
    /// Die Vergleichsgruppe: die K ähnlichsten Kommunen nach --on.
    #[arg(long, value_name = "K")]
    pub similar: Option<String>,
    /// Merkmale oder Kennzahlen, nach denen --similar die Ähnlichkeit misst.
    #[arg(long, value_name = "KEY,KEY,…")]
    pub on: Option<String>,
    /// Gewichte der --on-Schlüssel (ab 0, Dezimalpunkt; ohne Angabe 1).
    #[arg(long, value_name = "KEY=W,…")]
    pub weights: Option<String>,
}

/// Run the subcommand.
pub fn run(args: &Args) -> Result<(), Failure> {
    let format = args.member.records.format;
    let own_name = args.member.own.name()?;
    let year = args.year.get()?;
    let group = peer_group(args)?;
    let (catalogue, dataset) = crate::cmd::kpi::read_inputs(&args.member.records.inputs)?;
    let own = municipality(&dataset, own_name, "own")?;
    known_year(&dataset, "year", year)?;
    let table = KpiTable::compute(&catalogue, &dataset);
    if let PeerGroup::Similar { k, on, weights } = &group {
        let similarity = similar_in(&dataset, &table, own, year, *k, on, weights)?;
        explain_similar(&dataset, own, year, on, &similarity);
    }
    let members = group.members(&dataset, &table, own, year)?;
    let records: Vec<Map<String, Json>> =
        compare(&catalogue, &dataset, &table, own, year, &members)
            .iter()
            .map(record)
            .collect();
    crate::output::print(&records, format)
}

/// The peer group of the options: `--peers` or `--similar` with `--on`, else everyone.
fn peer_group(args: &Args) -> Result<PeerGroup, Failure> {
    let peers = list(&args.peers);
    if args.weights.is_some() && args.similar.is_none() {
        return Err(Failure::Input(
            "--weights gilt nur mit --similar.".to_string(),
        ));
    }
    match (&args.similar, peers.is_empty()) {
        (Some(_), false) => Err(Failure::Input(
            "--peers und --similar schließen sich aus.".to_string(),
        )),
        (Some(k), true) => {
            let k = k
                .parse()
                .map_err(|_| Failure::Input(format!("--similar: „{k}“ ist keine Anzahl.")))?;
            let on = list(&args.on);
            if on.is_empty() {
                return Err(Failure::Input(
                    "--similar braucht --on mit mindestens einem Merkmal oder einer Kennzahl."
                        .to_string(),
                ));
            }
            let weights = weights(args, &on)?;
            Ok(PeerGroup::Similar { k, on, weights })
        }
        (None, false) => Ok(PeerGroup::Chosen { names: peers }),
        (None, true) => Ok(PeerGroup::All),
    }
}

/// `--weights KEY=W,…`: a weight from 0 on per key of `--on`.
fn weights(args: &Args, on: &[String]) -> Result<BTreeMap<String, f64>, Failure> {
    list(&args.weights)
        .iter()
        .map(|item| {
            let bad = |why: &str| Failure::Input(format!("--weights: „{item}“ {why}."));
            let (key, w) = item
                .split_once('=')
                .ok_or_else(|| bad("hat nicht die Form MERKMAL=GEWICHT"))?;
            let key = key.trim();
            if !on.iter().any(|k| k == key) {
                return Err(bad("nennt kein Merkmal von --on"));
            }
            let w = parse_weight(w).ok_or_else(|| bad("hat kein Gewicht ab 0"))?;
            Ok((key.to_string(), w))
        })
        .collect()
}

/// Tell on stderr which municipalities are similar and why.
fn explain_similar(dataset: &Dataset, own: usize, year: i32, on: &[String], s: &Similarity) {
    let context = |values: &[f64]| -> String {
        on.iter()
            .zip(values)
            .map(|(key, x)| format!("{key} = {x}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    eprintln!(
        "Ähnlichste Kommunen {year} nach {} (z-Werte über {} Kommunen); {}: {}",
        on.join(", "),
        s.base,
        dataset.municipalities[own].name,
        context(&s.own_context)
    );
    for n in &s.neighbours {
        eprintln!(
            "  {} – Abstand {} (davon {}): {}",
            n.name,
            n.distance,
            context(&n.contributions),
            context(&n.context)
        );
    }
}

/// The index of a municipality named in option `--option`; the error lists the names there are.
pub fn municipality(dataset: &Dataset, name: &str, option: &str) -> Result<usize, Failure> {
    dataset.municipality_index(name).ok_or_else(|| {
        Failure::Input(format!(
            "--{option}: die Kommune „{name}“ kommt in den Daten nicht vor (vorhanden: {}).",
            names(dataset)
        ))
    })
}

/// A year of option `--option` must be in the data; the error lists the years there are.
pub fn known_year(dataset: &Dataset, option: &str, year: i32) -> Result<(), Failure> {
    if dataset.years().contains(&year) {
        return Ok(());
    }
    let years: Vec<String> = dataset.years().iter().map(i32::to_string).collect();
    Err(Failure::Input(format!(
        "--{option}: das Jahr {year} kommt in den Daten nicht vor (vorhanden: {}).",
        years.join(", ")
    )))
}

fn names(dataset: &Dataset) -> String {
    dataset
        .municipalities
        .iter()
        .map(|m| m.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// One record: the fields of CONTRACT §3 in its order, null where missing.
fn record(row: &PeerRow) -> Map<String, Json> {
    let mut r = Map::new();
    r.insert("kpi".into(), row.kpi.clone().into());
    for name in STATISTICS {
        // Counts stay integers in the output; the rest are numbers or null.
        let value = match name {
            "n" => row.n.into(),
            "rank" => row.rank.into(),
            _ => row.statistic(name).into(),
        };
        r.insert(name.into(), value);
    }
    r
}
