//! Peer comparison (Vergleichsgruppe, CONTRACT §3): the own municipality against a group —
//! everyone in the data, a hand-picked list, or the k most similar — per KPI with the statistics
//! benchmarking reports print, the pooled value (GeMW) included.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::analysis::band::unique_in_bands;
use crate::analysis::kpi::{KpiTable, Panel};
use crate::analysis::statistics::{index, rank, Statistics, Summary};
use crate::catalogue::definition::{Better, Catalogue};
use crate::catalogue::expression::Scope;
use crate::dataset::Dataset;
use crate::error::{Error, ErrorKind, Position, Result};
use crate::message::{self, Message};
use crate::read::number::parse_typed_number;
use crate::value::Value;

/// Who the own municipality is compared with.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum PeerGroup {
    /// Every municipality in the data except region aggregates (Germany, the Länder).
    #[default]
    All,
    /// A hand-picked list of municipalities, by name.
    Chosen {
        /// The names.
        names: Vec<String>,
    },
    /// The `k` municipalities most similar to the own one in the chosen context measures or KPIs.
    Similar {
        /// How many.
        k: usize,
        /// Measure keys or KPI ids.
        on: Vec<String>,
        /// A weight per key of `on` (absent: 1): how much the key counts in the distance. Kept
        /// for keys no longer in `on`, so ticking a key again brings its weight back.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        weights: BTreeMap<String, f64>,
    },
}

/// The peer statistics of one KPI for the own municipality, a year and a group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeerRow {
    /// The KPI id.
    pub kpi: String,
    /// Members of the group (own included) that have a value.
    pub n: usize,
    /// The own municipality's value.
    pub own_value: Option<f64>,
    /// The unweighted mean.
    pub mean: Option<f64>,
    /// The pooled (weighted) mean: the formula on the measures summed over the members with a value.
    pub pooled: Option<f64>,
    /// The median.
    pub median: Option<f64>,
    /// The lower quartile (type 7).
    pub q1: Option<f64>,
    /// The upper quartile (type 7).
    pub q3: Option<f64>,
    /// The smallest value.
    pub min: Option<f64>,
    /// The largest value.
    pub max: Option<f64>,
    /// 1 = best by the KPI's `better` (for `neutral`, 1 = highest); ties share the better rank.
    pub rank: Option<usize>,
    /// `own_value / mean × 100`.
    pub index: Option<f64>,
    /// `own_value − median`, the distance the UI shows next to the own value.
    pub deviation: Option<f64>,
    /// Whether the own value is better or worse than the median (none for `neutral` KPIs).
    pub judgement: Option<Judgement>,
}

/// The names of a [`PeerRow`]'s statistics in CONTRACT §3's column order (`compare` output,
/// `expected_compare.csv`).
pub const STATISTICS: [&str; 11] = [
    "n",
    "own_value",
    "mean",
    "pooled",
    "median",
    "q1",
    "q3",
    "min",
    "max",
    "rank",
    "index",
];

/// The own value against the group's median, read by the KPI's `better`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Judgement {
    /// Better than the median.
    Good,
    /// Equal to the median.
    Even,
    /// Worse than the median.
    Bad,
}

impl PeerGroup {
    /// The members for `own` in `year` (without `own` itself unless hand-picked). Unknown names
    /// and context keys are errors that name them.
    pub fn members(
        &self,
        dataset: &Dataset,
        table: &KpiTable,
        own: usize,
        year: i32,
    ) -> Result<Vec<usize>> {
        match self {
            PeerGroup::All => Ok((0..dataset.municipalities.len())
                .filter(|&m| m != own && !dataset.municipalities[m].aggregate)
                .collect()),
            PeerGroup::Chosen { names } => names
                .iter()
                .map(|name| {
                    dataset.municipality_index(name).ok_or_else(|| {
                        peer_error(Message::new(&message::PEER_UNKNOWN).with("name", name))
                    })
                })
                .collect(),
            PeerGroup::Similar { k, on, weights } => {
                let similarity = similar_in(dataset, table, own, year, *k, on, weights)?;
                Ok(similarity
                    .neighbours
                    .iter()
                    .map(|n| n.municipality)
                    .collect())
            }
        }
    }
}

impl Judgement {
    /// How `own` compares with `median` for a KPI whose `better` is given; `None` for neutral.
    pub fn of(own: f64, median: f64, better: Better) -> Option<Judgement> {
        let (good, bad) = match better {
            Better::Lower => (own < median, own > median),
            Better::Higher => (own > median, own < median),
            Better::Neutral => return None,
        };
        Some(if good {
            Judgement::Good
        } else if bad {
            Judgement::Bad
        } else {
            Judgement::Even
        })
    }
}

/// Sums each measure over a group of municipalities: the scope of the pooled value. A member
/// without the value makes the sum missing with that member's reason.
struct SumScope<'p, 'a> {
    panel: &'p Panel<'a>,
    members: &'p [usize],
    year: i32,
}

impl Scope for SumScope<'_, '_> {
    fn value(&self, key: &str, years_back: u32) -> Value {
        let mut sum = 0.0;
        for &m in self.members {
            match self.panel.value(m, self.year, key, years_back) {
                Value::Number(x) => sum += x,
                missing => return missing,
            }
        }
        Value::Number(sum)
    }
}

/// The peer statistics of every KPI of the catalogue for `own` in `year` against `group`
/// (municipality indices; `own` is added when absent, duplicates count once). Members without a
/// value of a KPI do not count for it, neither in the statistics nor in the pooled sums.
pub fn compare(
    catalogue: &Catalogue,
    dataset: &Dataset,
    table: &KpiTable,
    own: usize,
    year: i32,
    group: &[usize],
) -> Vec<PeerRow> {
    let mut members: Vec<usize> = group.iter().copied().chain([own]).collect();
    members.sort_unstable();
    members.dedup();
    let panel = Panel::new(dataset);
    catalogue
        .kpis()
        .iter()
        .enumerate()
        .map(|(k, kpi)| {
            let (who, xs): (Vec<usize>, Vec<f64>) = members
                .iter()
                .filter_map(|&m| Some((m, table.number(m, year, k)?)))
                .unzip();
            let summary = xs.iter().copied().collect::<Statistics>().finish();
            let own_value = table.number(own, year, k);
            let pooled = if who.is_empty() {
                None
            } else {
                let sums = SumScope {
                    panel: &panel,
                    members: &who,
                    year,
                };
                catalogue.values(&sums).kpi(k).number()
            };
            PeerRow {
                kpi: kpi.id.clone(),
                n: summary.n,
                own_value,
                mean: summary.mean,
                pooled,
                median: summary.median,
                q1: summary.q1,
                q3: summary.q3,
                min: summary.min,
                max: summary.max,
                rank: own_value.map(|x| rank(x, &xs, kpi.better != Better::Lower)),
                index: own_value.zip(summary.mean).and_then(|(x, m)| index(x, m)),
                deviation: own_value.zip(summary.median).map(|(x, m)| x - m),
                judgement: own_value
                    .zip(summary.median)
                    .and_then(|(x, m)| Judgement::of(x, m, kpi.better)),
            }
        })
        .collect()
}

impl PeerRow {
    /// A statistic by its name in [`STATISTICS`] as a number; `None` when it is missing or the
    /// name is not one of them.
    pub fn statistic(&self, name: &str) -> Option<f64> {
        match name {
            "n" => Some(self.n as f64),
            "own_value" => self.own_value,
            "mean" => self.mean,
            "pooled" => self.pooled,
            "median" => self.median,
            "q1" => self.q1,
            "q3" => self.q3,
            "min" => self.min,
            "max" => self.max,
            "rank" => self.rank.map(|r| r as f64),
            "index" => self.index,
            _ => None,
        }
    }

    /// The deviation from the median in percent of the median's size, so that deviations of
    /// KPIs in different units can be ranked against each other; `None` when the median is 0.
    pub fn relative_deviation(&self) -> Option<f64> {
        let median = self.median?;
        (median != 0.0).then_some(self.deviation? / median.abs() * 100.0)
    }
}

/// The own municipality against its group in one year: who is in the group, why (for similar
/// municipalities), and the statistics of every KPI. What the comparison view, the dashboard
/// and the workshop show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The own municipality (index into `Dataset::municipalities`).
    pub own: usize,
    /// The year.
    pub year: i32,
    /// The group's members without the own municipality, ascending.
    pub members: Vec<usize>,
    /// Why the members are similar, for [`PeerGroup::Similar`].
    pub similarity: Option<Similarity>,
    /// One row per KPI of the catalogue, in catalogue order.
    pub rows: Vec<PeerRow>,
}

impl Comparison {
    /// Resolves `group` for `own` in `year` and compares every KPI.
    pub fn new(
        catalogue: &Catalogue,
        dataset: &Dataset,
        table: &KpiTable,
        own: usize,
        year: i32,
        group: &PeerGroup,
    ) -> Result<Comparison> {
        let similarity = match group {
            PeerGroup::Similar { k, on, weights } => {
                Some(similar_in(dataset, table, own, year, *k, on, weights)?)
            }
            _ => None,
        };
        let mut members = match &similarity {
            Some(s) => s.neighbours.iter().map(|n| n.municipality).collect(),
            None => group.members(dataset, table, own, year)?,
        };
        members.retain(|&m| m != own);
        members.sort_unstable();
        members.dedup();
        let rows = compare(catalogue, dataset, table, own, year, &members);
        Ok(Comparison {
            own,
            year,
            members,
            similarity,
            rows,
        })
    }

    /// The row of a KPI by id.
    pub fn row(&self, kpi: &str) -> Option<&PeerRow> {
        self.rows.iter().find(|r| r.kpi == kpi)
    }

    /// The values of KPI `kpi` (index into the table) in `year` of the own municipality and of
    /// every member that has one, own first, then in member order.
    pub fn values(&self, table: &KpiTable, kpi: usize, year: i32) -> Vec<(usize, f64)> {
        [self.own]
            .iter()
            .chain(&self.members)
            .filter_map(|&m| Some((m, table.number(m, year, kpi)?)))
            .collect()
    }

    /// The group's statistics of KPI `kpi` in every year of the table, with the members held
    /// fixed (the group chosen for [`Comparison::year`]), own included as in [`compare`]; years
    /// without any value are left out. The band of a time series.
    pub fn summaries(&self, table: &KpiTable, kpi: usize) -> Vec<(i32, Summary)> {
        table
            .years()
            .iter()
            .map(|&year| {
                let summary = self
                    .values(table, kpi, year)
                    .into_iter()
                    .map(|(_, x)| x)
                    .collect::<Statistics>()
                    .finish();
                (year, summary)
            })
            .filter(|(_, s)| s.n > 0)
            .collect()
    }
}

/// [`similar`] with context keys that are measure keys of the dataset or KPI ids of the table,
/// weighted by `weights` (a key not in it weighs 1).
pub fn similar_in(
    dataset: &Dataset,
    table: &KpiTable,
    own: usize,
    year: i32,
    k: usize,
    on: &[String],
    weights: &BTreeMap<String, f64>,
) -> Result<Similarity> {
    if let Some(unknown) = on
        .iter()
        .find(|key| dataset.measure_index(key).is_none() && table.kpi_index(key).is_none())
    {
        return Err(peer_error(
            Message::new(&message::CONTEXT_UNKNOWN).with("key", unknown),
        ));
    }
    let context = |m: usize, key: &str| match dataset.measure_index(key) {
        Some(measure) => dataset.value(m, year, measure).number(),
        None => table.value(m, year, key).and_then(Value::number),
    };
    let weights: Vec<f64> = on
        .iter()
        .map(|key| weights.get(key).copied().unwrap_or(1.0))
        .collect();
    similar(dataset, own, year, k, on, &weights, &context)
}

/// Why a municipality counts as similar: its distance and its context values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Neighbour {
    /// Index into `Dataset::municipalities`.
    pub municipality: usize,
    /// Its name.
    pub name: String,
    /// Euclidean distance to the own municipality in z-scores.
    pub distance: f64,
    /// Its context values, in the order of `Similarity::on`.
    pub context: Vec<f64>,
    /// Each key's part of the distance, in the order of `Similarity::on`: `w (Δz)² / distance`
    /// (0 at distance 0). They add up to the distance; divided by it, they are the shares.
    pub contributions: Vec<f64>,
    /// No other municipality with every context value shares its size bands (`Band`): shown
    /// in bands under a pseudonym, it is still recognisable.
    pub alone_in_bands: bool,
}

/// The k most similar municipalities with the reasons.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Similarity {
    /// The context measures or KPIs compared on.
    pub on: Vec<String>,
    /// The own municipality's context values.
    pub own_context: Vec<f64>,
    /// How many municipalities had every context value (the base of the z-scores).
    pub base: usize,
    /// The weight of each key, in the order of `on`.
    pub weights: Vec<f64>,
    /// The nearest others, nearest first, ties by name.
    pub neighbours: Vec<Neighbour>,
    /// How much the group depends on the choice of keys and of k.
    pub stability: Stability,
}

/// How stable the k most similar are: who stays when one key is left out, who drops out with
/// k − 1 and who comes in with k + 1 (and how close that one is: a near tie at the edge means
/// the group's last places are chance).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stability {
    /// One entry per key of `on` (none with a single key, or when a key counts with weight 0).
    pub without: Vec<LeftOut>,
    /// The member that leaves with k − 1 (the farthest of the k); `None` when k ≤ 1.
    pub fewer: Option<usize>,
    /// The municipality that joins with k + 1 and its distance; `None` when nobody is left.
    pub more: Option<(usize, f64)>,
}

/// The k most similar without one key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeftOut {
    /// The key left out.
    pub key: String,
    /// How many of the k stay in the group.
    pub stay: usize,
    /// Members of the group that leave (municipality indices, nearest first).
    pub leave: Vec<usize>,
    /// Municipalities that come in instead (nearest first).
    pub join: Vec<usize>,
}

/// The `k` municipalities most similar to `own` in `year`. Each context key (a measure key or a
/// KPI id, whose values in `year` `context(municipality, key)` gives) is z-standardised over
/// every non-aggregate municipality that has all of them (population standard deviation; a key
/// with no spread contributes 0), the distance is `√(Σ wᵢ (Δzᵢ)²)` with the key's weight
/// (`weights` in the order of `on`; all 1 is the plain Euclidean distance), ties go by name.
/// With it, how stable the group is ([`Stability`]).
pub fn similar(
    dataset: &Dataset,
    own: usize,
    year: i32,
    k: usize,
    on: &[String],
    weights: &[f64],
    context: &dyn Fn(usize, &str) -> Option<f64>,
) -> Result<Similarity> {
    if let Some((key, w)) = on
        .iter()
        .zip(weights)
        .find(|(_, w)| !(w.is_finite() && **w >= 0.0))
    {
        return Err(peer_error(
            Message::new(&message::WEIGHT_INVALID)
                .with("key", key)
                .with("weight", w),
        ));
    }
    if weights.len() != on.len() || (!on.is_empty() && weights.iter().all(|&w| w == 0.0)) {
        return Err(peer_error(Message::new(&message::WEIGHTS_ZERO)));
    }
    let (base, own_context, mut ranked) = nearest(dataset, own, year, on, weights, context)?;
    let more = ranked.get(k).map(|n| (n.municipality, n.distance));
    ranked.truncate(k);
    let fewer = (k > 1)
        .then(|| ranked.last().map(|n| n.municipality))
        .flatten();
    let group: Vec<usize> = ranked.iter().map(|n| n.municipality).collect();
    let without = if on.len() < 2 {
        Vec::new()
    } else {
        (0..on.len())
            .filter(|&i| weights[i] > 0.0)
            .map(|i| {
                let keep = |xs: &[String]| -> Vec<String> {
                    xs.iter()
                        .enumerate()
                        .filter(|&(j, _)| j != i)
                        .map(|(_, x)| x.clone())
                        .collect()
                };
                let fewer_on = keep(on);
                let fewer_weights: Vec<f64> = (0..on.len())
                    .filter(|&j| j != i)
                    .map(|j| weights[j])
                    .collect();
                // Without its only weighted key nothing tells the others apart: nobody stays
                // for a reason.
                let others: Vec<usize> = if fewer_weights.iter().all(|&w| w == 0.0) {
                    Vec::new()
                } else {
                    nearest(dataset, own, year, &fewer_on, &fewer_weights, context)
                        .map(|(_, _, r)| r.iter().take(k).map(|n| n.municipality).collect())
                        .unwrap_or_default()
                };
                LeftOut {
                    key: on[i].clone(),
                    stay: group.iter().filter(|m| others.contains(m)).count(),
                    leave: group
                        .iter()
                        .copied()
                        .filter(|m| !others.contains(m))
                        .collect(),
                    join: others
                        .iter()
                        .copied()
                        .filter(|m| !group.contains(m))
                        .collect(),
                }
            })
            .collect()
    };
    Ok(Similarity {
        on: on.to_vec(),
        own_context,
        base,
        weights: weights.to_vec(),
        neighbours: ranked,
        stability: Stability {
            without,
            fewer,
            more,
        },
    })
}

/// Every other municipality with all context values, nearest first: the z-score base's size,
/// the own context values and the ranked neighbours.
fn nearest(
    dataset: &Dataset,
    own: usize,
    year: i32,
    on: &[String],
    weights: &[f64],
    context: &dyn Fn(usize, &str) -> Option<f64>,
) -> Result<(usize, Vec<f64>, Vec<Neighbour>)> {
    if on.is_empty() {
        return Err(peer_error(Message::new(&message::CONTEXT_NONE)));
    }
    let rows: BTreeMap<usize, Vec<f64>> = (0..dataset.municipalities.len())
        .filter(|&m| m == own || !dataset.municipalities[m].aggregate)
        .filter_map(|m| {
            on.iter()
                .map(|key| context(m, key))
                .collect::<Option<Vec<f64>>>()
                .map(|row| (m, row))
        })
        .collect();
    let Some(own_context) = rows.get(&own).cloned() else {
        let missing: Vec<&str> = on
            .iter()
            .filter(|key| context(own, key).is_none())
            .map(String::as_str)
            .collect();
        return Err(peer_error(
            Message::new(&message::CONTEXT_MISSING)
                .with("name", &dataset.municipalities[own].name)
                .with("year", year)
                .with("keys", missing.join(", ")),
        ));
    };
    let n = rows.len() as f64;
    let scales: Vec<(f64, f64)> = (0..on.len())
        .map(|i| {
            let mean = rows.values().map(|r| r[i]).sum::<f64>() / n;
            let var = rows.values().map(|r| (r[i] - mean).powi(2)).sum::<f64>() / n;
            (mean, var.sqrt())
        })
        .collect();
    let z = |row: &[f64]| -> Vec<f64> {
        row.iter()
            .zip(&scales)
            .map(|(x, (mean, sd))| if *sd > 0.0 { (x - mean) / sd } else { 0.0 })
            .collect()
    };
    let own_z = z(&own_context);
    let alone: BTreeMap<usize, bool> = rows
        .keys()
        .copied()
        .zip(unique_in_bands(&rows.values().cloned().collect::<Vec<_>>()))
        .collect();
    let mut neighbours: Vec<Neighbour> = rows
        .iter()
        .filter(|(&m, _)| m != own)
        .map(|(&m, row)| {
            let squares: Vec<f64> = z(row)
                .iter()
                .zip(&own_z)
                .zip(weights)
                .map(|((a, b), w)| w * (a - b).powi(2))
                .collect();
            let distance = squares.iter().sum::<f64>().sqrt();
            Neighbour {
                municipality: m,
                name: dataset.municipalities[m].name.clone(),
                distance,
                context: row.clone(),
                contributions: squares
                    .iter()
                    .map(|q| if distance > 0.0 { q / distance } else { 0.0 })
                    .collect(),
                alone_in_bands: alone.get(&m).copied().unwrap_or(true),
            }
        })
        .collect();
    neighbours.sort_by(|a, b| {
        a.distance
            .total_cmp(&b.distance)
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok((rows.len(), own_context, neighbours))
}

/// A context key's weight as typed (German or plain decimals, [`parse_typed_number`]): a number
/// from 0 on; `None` otherwise.
pub fn parse_weight(text: &str) -> Option<f64> {
    parse_typed_number(text).filter(|&w| w >= 0.0)
}

fn peer_error(msg: Message) -> Error {
    Error::new(ErrorKind::Other {
        msg,
        pos: Position::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{self, dataset};
    use crate::value::Value;

    fn n(x: f64) -> Value {
        Value::Number(x)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
    }

    /// Own "Ort" and four others on x and y; "Au" and "Zell" tie. By hand (population SD):
    /// x = 0 2 4 2 2 → mean 2, SD √1.6; y = 10 10 10 30 10 → mean 14, SD 8.
    /// z(Ort) = (−2/√1.6, −0.5); distances: Zell = Au = √2.5, Dorf = √(2.5 + 6.25), Berg = √10.
    fn ring() -> Dataset {
        let mut d = dataset(&[
            ("Ort", 2023, &[("x", n(0.0)), ("y", n(10.0))]),
            ("Zell", 2023, &[("x", n(2.0)), ("y", n(10.0))]),
            ("Berg", 2023, &[("x", n(4.0)), ("y", n(10.0))]),
            ("Dorf", 2023, &[("x", n(2.0)), ("y", n(30.0))]),
            ("Au", 2023, &[("x", n(2.0)), ("y", n(10.0))]),
            (
                "Wald",
                2023,
                &[
                    ("x", n(1.0)),
                    ("y", Value::Missing(crate::value::Reason::Unknown)),
                ],
            ),
            ("Land", 2023, &[("x", n(0.0)), ("y", n(10.0))]),
        ]);
        d.municipalities[6].aggregate = true;
        d
    }

    fn measure_context(d: &Dataset, year: i32) -> impl Fn(usize, &str) -> Option<f64> + '_ {
        move |m, key| {
            d.measure_index(key)
                .and_then(|i| d.value(m, year, i).number())
        }
    }

    /// A: dichte 12, +20 %; B: 16.5, +10 %; C: lb unknown in 2021; Land: an aggregate.
    fn small_ring() -> Dataset {
        let unknown = Value::Missing(crate::value::Reason::Unknown);
        let mut d = dataset(&[
            ("A", 2020, &[("ew", n(1000.0)), ("lb", n(10.0))]),
            ("A", 2021, &[("ew", n(1000.0)), ("lb", n(12.0))]),
            ("B", 2020, &[("ew", n(2000.0)), ("lb", n(30.0))]),
            ("B", 2021, &[("ew", n(2000.0)), ("lb", n(33.0))]),
            ("C", 2020, &[("ew", n(500.0)), ("lb", n(5.0))]),
            ("C", 2021, &[("ew", n(500.0)), ("lb", unknown)]),
            ("Land", 2021, &[("ew", n(10000.0)), ("lb", n(1000.0))]),
        ]);
        d.municipalities[3].aggregate = true;
        d
    }

    #[test]
    fn compare_by_hand() {
        let d = small_ring();
        let catalogue = testing::catalogue(testing::VERAENDERUNG);
        let table = KpiTable::compute(&catalogue, &d);
        let group = PeerGroup::All.members(&d, &table, 0, 2021).unwrap();
        assert_eq!(group, [1, 2]);
        let rows = compare(&catalogue, &d, &table, 0, 2021, &group);
        let dichte = &rows[0];
        assert_eq!(
            (dichte.kpi.as_str(), dichte.n, dichte.own_value),
            ("dichte", 2, Some(12.0))
        );
        let stats = [
            dichte.mean,
            dichte.pooled,
            dichte.median,
            dichte.q1,
            dichte.q3,
            dichte.min,
            dichte.max,
        ];
        let want = [14.25, 15.0, 14.25, 13.125, 15.375, 12.0, 16.5];
        for (got, want) in stats.iter().zip(want) {
            assert!(close(got.unwrap(), want), "{got:?} vs {want}");
        }
        assert_eq!(dichte.rank, Some(1));
        assert!(close(dichte.index.unwrap(), 12.0 / 14.25 * 100.0));
        assert_eq!(
            (dichte.deviation, dichte.judgement),
            (Some(-2.25), Some(Judgement::Good))
        );
        // Pooled change sums lb of both years over A and B only: (45 − 40) / 40.
        let change = &rows[1];
        assert_eq!(
            (change.n, change.rank, change.judgement),
            (2, Some(1), None)
        );
        assert!(close(change.pooled.unwrap(), 12.5));
        assert!(close(change.mean.unwrap(), 15.0));
    }

    #[test]
    fn hand_picked_groups() {
        let d = small_ring();
        let catalogue = testing::catalogue(testing::VERAENDERUNG);
        let table = KpiTable::compute(&catalogue, &d);
        let chosen = PeerGroup::Chosen {
            names: vec!["Land".into()],
        };
        let group = chosen.members(&d, &table, 0, 2021).unwrap();
        let rows = compare(&catalogue, &d, &table, 0, 2021, &group);
        // Land: dichte 100; no 2020 record, so no change: the change pools A alone.
        assert_eq!(
            (rows[0].n, rows[0].max, rows[0].rank),
            (2, Some(100.0), Some(1))
        );
        assert_eq!(rows[1].n, 1);
        assert!(close(rows[1].pooled.unwrap(), 20.0));
        let unknown = PeerGroup::Chosen {
            names: vec!["Nirgendwo".into()],
        };
        let e = unknown.members(&d, &table, 0, 2021).unwrap_err();
        assert!(e.to_string().contains("„Nirgendwo“"), "{e}");
        // Alone: n = 1, every statistic is the own value.
        let rows = compare(&catalogue, &d, &table, 0, 2021, &[]);
        assert_eq!(
            (rows[0].n, rows[0].q1, rows[0].pooled, rows[0].rank),
            (1, Some(12.0), Some(12.0), Some(1))
        );
    }

    #[test]
    fn similar_on_kpis_and_measures() {
        let d = small_ring();
        let catalogue = testing::catalogue(testing::VERAENDERUNG);
        let table = KpiTable::compute(&catalogue, &d);
        let on = vec!["dichte".to_string(), "ew".to_string()];
        let s = similar_in(&d, &table, 0, 2021, 1, &on, &BTreeMap::new()).unwrap();
        assert_eq!((s.base, s.neighbours[0].name.as_str()), (2, "B"));
        assert_eq!(s.neighbours[0].context, [16.5, 2000.0]);
        let e = similar_in(
            &d,
            &table,
            0,
            2021,
            1,
            &["gibtsnicht".to_string()],
            &BTreeMap::new(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("„gibtsnicht“"), "{e}");
    }

    #[test]
    fn judgement_by_better() {
        let cases = [
            (1.0, 2.0, Better::Lower, Some(Judgement::Good)),
            (3.0, 2.0, Better::Lower, Some(Judgement::Bad)),
            (3.0, 2.0, Better::Higher, Some(Judgement::Good)),
            (2.0, 2.0, Better::Higher, Some(Judgement::Even)),
            (3.0, 2.0, Better::Neutral, None),
        ];
        for (own, median, better, want) in cases {
            assert_eq!(
                Judgement::of(own, median, better),
                want,
                "{own} {median} {better:?}"
            );
        }
    }

    #[test]
    fn similar_by_hand() {
        let d = ring();
        let on = vec!["x".to_string(), "y".to_string()];
        let s = similar(&d, 0, 2023, 3, &on, &[1.0; 2], &measure_context(&d, 2023)).unwrap();
        let got: Vec<(&str, f64)> = s
            .neighbours
            .iter()
            .map(|n| (n.name.as_str(), n.distance))
            .collect();
        let want = [
            ("Au", 2.5f64.sqrt()),
            ("Zell", 2.5f64.sqrt()),
            ("Dorf", 8.75f64.sqrt()),
        ];
        assert_eq!(got.len(), want.len());
        for ((name, dist), (want_name, want_dist)) in got.iter().zip(want) {
            assert_eq!(*name, want_name);
            assert!(close(*dist, want_dist), "{name}: {dist} vs {want_dist}");
        }
        assert_eq!(s.base, 5);
        assert_eq!(s.own_context, vec![0.0, 10.0]);
        assert_eq!(s.neighbours[2].context, vec![2.0, 30.0]);
    }

    #[test]
    fn similar_without_spread_or_own_values() {
        let d = ring();
        let context = measure_context(&d, 2023);
        // A key without spread contributes nothing: the distance is the one of x alone.
        let flat = dataset(&[
            ("A", 2023, &[("x", n(1.0)), ("z", n(5.0))]),
            ("B", 2023, &[("x", n(3.0)), ("z", n(5.0))]),
        ]);
        let on = ["x".to_string(), "z".to_string()];
        let s = similar(
            &flat,
            0,
            2023,
            10,
            &on,
            &[1.0; 2],
            &measure_context(&flat, 2023),
        )
        .unwrap();
        assert_eq!(s.neighbours.len(), 1);
        assert!(
            close(s.neighbours[0].distance, 2.0),
            "{}",
            s.neighbours[0].distance
        );
        let e = similar(
            &d,
            5,
            2023,
            3,
            &["x".to_string(), "y".to_string()],
            &[1.0; 2],
            &context,
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("Wald hat 2023 keinen Wert für y"),
            "{e}"
        );
        assert!(similar(&d, 0, 2023, 3, &[], &[], &context).is_err());
    }

    #[test]
    fn comparison_resolves_the_group() {
        let d = small_ring();
        let catalogue = testing::catalogue(testing::VERAENDERUNG);
        let table = KpiTable::compute(&catalogue, &d);
        let all = Comparison::new(&catalogue, &d, &table, 0, 2021, &PeerGroup::All).unwrap();
        assert_eq!(
            (all.members.as_slice(), all.similarity.is_none()),
            (&[1, 2][..], true)
        );
        assert_eq!(all.rows, compare(&catalogue, &d, &table, 0, 2021, &[1, 2]));
        assert_eq!(all.row("dichte").map(|r| r.n), Some(2));
        // C has no 2021 value: the own first, then B.
        assert_eq!(all.values(&table, 0, 2021), [(0, 12.0), (1, 16.5)]);
        let similar = PeerGroup::Similar {
            k: 1,
            on: vec!["ew".into()],
            weights: BTreeMap::new(),
        };
        let near = Comparison::new(&catalogue, &d, &table, 0, 2021, &similar).unwrap();
        assert_eq!(near.members, [2]);
        assert_eq!(
            near.similarity.as_ref().map(|s| s.neighbours.len()),
            Some(1)
        );
        // The own municipality picked by hand counts once.
        let chosen = PeerGroup::Chosen {
            names: vec!["A".into(), "B".into()],
        };
        let picked = Comparison::new(&catalogue, &d, &table, 0, 2021, &chosen).unwrap();
        assert_eq!((picked.members.as_slice(), picked.rows[0].n), (&[1][..], 2));
    }

    #[test]
    fn summaries_hold_the_members_fixed() {
        let d = small_ring();
        let catalogue = testing::catalogue(testing::VERAENDERUNG);
        let table = KpiTable::compute(&catalogue, &d);
        let c = Comparison::new(&catalogue, &d, &table, 0, 2021, &PeerGroup::All).unwrap();
        let got: Vec<(i32, usize, Option<f64>)> = c
            .summaries(&table, 0)
            .into_iter()
            .map(|(y, s)| (y, s.n, s.median))
            .collect();
        // 2020: A 10, B 15, C 10 → median 10; 2021: A 12, B 16.5 → 14.25.
        assert_eq!(got, [(2020, 3, Some(10.0)), (2021, 2, Some(14.25))]);
    }

    #[test]
    fn relative_deviation_of_rows() {
        let cases = [
            (Some(2.0), Some(10.0), Some(20.0)),
            (Some(-3.0), Some(-6.0), Some(-50.0)),
            (Some(1.0), Some(0.0), None),
            (None, Some(4.0), None),
        ];
        let d = small_ring();
        let catalogue = testing::catalogue(testing::VERAENDERUNG);
        let table = KpiTable::compute(&catalogue, &d);
        let base = compare(&catalogue, &d, &table, 0, 2021, &[]).remove(0);
        for (deviation, median, want) in cases {
            let row = PeerRow {
                deviation,
                median,
                ..base.clone()
            };
            assert_eq!(row.relative_deviation(), want, "{deviation:?} {median:?}");
        }
    }
}
