//! `vergleichsring change` (CONTRACT §5): why each KPI of one municipality moved between two
//! years, one record per KPI: `kpi, value_from, value_to, change, numerator_effect,
//! denominator_effect, reason` (the split of CONTRACT §3).

use serde_json::{Map, Value as Json};
use vergleichsring_core::{change_splits, ChangeSplit};

use crate::options::{year, MemberInputs};
use crate::Failure;

/// Veränderung jeder Kennzahl in Zähler- und Nennerwirkung zerlegen.
///
/// Zerlegt die Veränderung jeder Kennzahl der Form N / D * c der Kommune --own vom Jahr --from zum
/// Jahr --to in die Wirkung des Zählers und die des Nenners (zusammen genau die Veränderung).
/// Ausgabe je Kennzahl: kpi, value_from, value_to, change, numerator_effect, denominator_effect,
/// reason (warum es keine Zerlegung gibt; leer, wenn es eine gibt).
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub member: MemberInputs,
    /// Das Jahr, von dem an verglichen wird (Pflicht).
    #[arg(long, value_name = "A")]
    pub from: Option<String>,
    /// Das Jahr, bis zu dem verglichen wird (Pflicht).
    #[arg(long, value_name = "B")]
    pub to: Option<String>,
}

/// Run the subcommand.
pub fn run(args: &Args) -> Result<(), Failure> {
    let format = args.member.records.format;
    let own_name = args.member.own.name()?;
    let from = year(&args.from, "from")?;
    let to = year(&args.to, "to")?;
    let (catalogue, dataset) = crate::cmd::kpi::read_inputs(&args.member.records.inputs)?;
    let own = crate::cmd::compare::municipality(&dataset, own_name, "own")?;
    for (name, year) in [("from", from), ("to", to)] {
        crate::cmd::compare::known_year(&dataset, name, year)?;
    }
    let records: Vec<Map<String, Json>> = change_splits(&catalogue, &dataset, own, from, to)
        .iter()
        .map(record)
        .collect();
    crate::output::print(&records, format)
}

/// One record: the fields of CONTRACT §5 in its order, null where missing.
fn record(split: &ChangeSplit) -> Map<String, Json> {
    let mut r = Map::new();
    r.insert("kpi".into(), split.kpi.clone().into());
    r.insert("value_from".into(), split.value_from.into());
    r.insert("value_to".into(), split.value_to.into());
    r.insert("change".into(), split.change.into());
    r.insert("numerator_effect".into(), split.numerator_effect.into());
    r.insert("denominator_effect".into(), split.denominator_effect.into());
    let reason = split.reason.as_ref().map(ToString::to_string);
    r.insert("reason".into(), reason.unwrap_or_default().into());
    r
}
