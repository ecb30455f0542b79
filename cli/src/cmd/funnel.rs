//! `vergleichsring funnel` (CONTRACT §5): a rate or share KPI's funnel limits in one year, one
//! record per member of the group: `municipality, value, denominator, pooled, lower95, upper95,
//! lower998, upper998, notable` (CONTRACT §3), every figure but `denominator` on the KPI's scale.

use serde_json::{Map, Value as Json};
use vergleichsring_core::{Funnel, Panel};

use crate::options::{list, required, RecordInputs, Year};
use crate::Failure;

/// Trichtergrenzen einer Raten- oder Anteilskennzahl.
///
/// Trichtergrenzen einer Raten- oder Anteilskennzahl (im Katalog mit funnel = \"poisson\" oder
/// \"binomial\") im Jahr --year: die gepoolte Rate der Gruppe (ohne --peers alle Kommunen ohne Länder-
/// und Bundessummen) und je Kommune die 95-%- und 99,8-%-Grenzen bei ihrem Nenner. Ausgabe je
/// Kommune: municipality, value, denominator, pooled, lower95, upper95, lower998, upper998, notable
/// (außerhalb der 99,8-%-Grenzen: statistisch auffällig).
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub records: RecordInputs,
    /// Die Kennzahl (Pflicht).
    #[arg(long, value_name = "ID")]
    pub kpi: Option<String>,
    #[command(flatten)]
    pub year: Year,
    /// Die Vergleichsgruppe; ohne Angabe alle Kommunen.
    #[arg(long, value_name = "A,B,…")]
    pub peers: Option<String>,
}

/// Run the subcommand.
pub fn run(args: &Args) -> Result<(), Failure> {
    let format = args.records.format;
    let id = required(&args.kpi, "kpi")?;
    let year = args.year.get()?;
    let (catalogue, dataset) = crate::cmd::kpi::read_inputs(&args.records.inputs)?;
    let kpi = catalogue.kpi_index(id).ok_or_else(|| {
        Failure::Input(format!(
            "--kpi: die Kennzahl „{id}“ steht nicht im Katalog."
        ))
    })?;
    crate::cmd::compare::known_year(&dataset, "year", year)?;
    let peers = list(&args.peers);
    let members: Vec<usize> = if peers.is_empty() {
        (0..dataset.municipalities.len())
            .filter(|&m| !dataset.municipalities[m].aggregate)
            .collect()
    } else {
        peers
            .iter()
            .map(|name| crate::cmd::compare::municipality(&dataset, name, "peers"))
            .collect::<Result<_, _>>()?
    };
    let panel = Panel::new(&dataset);
    let funnel = Funnel::new(&catalogue, &panel, kpi, year, &members).ok_or_else(|| {
        Failure::Input(format!(
            "--kpi: die Kennzahl „{id}“ hat keine Trichtergrenzen (funnel = \"poisson\" oder \"binomial\" im Katalog)."
        ))
    })?;
    let pooled = funnel.pooled();
    let records: Vec<Map<String, Json>> = funnel
        .points
        .iter()
        .map(|p| {
            let mut r = Map::new();
            let name = &dataset.municipalities[p.municipality].name;
            r.insert("municipality".into(), name.clone().into());
            r.insert("value".into(), p.value.into());
            r.insert("denominator".into(), p.denominator.into());
            r.insert("pooled".into(), pooled.into());
            let limit = |pick: fn(&vergleichsring_core::Limits) -> f64| p.limits.as_ref().map(pick);
            r.insert("lower95".into(), limit(|l| l.lower95).into());
            r.insert("upper95".into(), limit(|l| l.upper95).into());
            r.insert("lower998".into(), limit(|l| l.lower998).into());
            r.insert("upper998".into(), limit(|l| l.upper998).into());
            r.insert("notable".into(), p.notable().into());
            r
        })
        .collect();
    crate::output::print(&records, format)
}
