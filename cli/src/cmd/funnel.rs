//! `vergleichsring funnel` (CONTRACT §5): a rate or share KPI's funnel limits in one year, one
//! record per member of the group: `municipality, value, denominator, pooled, lower95, upper95,
//! lower998, upper998, notable` (CONTRACT §3), every figure but `denominator` on the KPI's scale.

use serde_json::{Map, Value as Json};
use vergleichsring_core::{Funnel, Panel};

use crate::args::Args;
use crate::Failure;

const USAGE: &str = "\
Aufruf: vergleichsring funnel [--catalogue C.toml] DATA.csv… --kpi ID --year Y
                              [--peers A,B,…] [--format json|csv]

Trichtergrenzen einer Raten- oder Anteilskennzahl (im Katalog mit funnel = \"poisson\" oder
\"binomial\") im Jahr --year: die gepoolte Rate der Gruppe (ohne --peers alle Kommunen ohne Länder-
und Bundessummen) und je Kommune die 95-%- und 99,8-%-Grenzen bei ihrem Nenner. Ausgabe je
Kommune: municipality, value, denominator, pooled, lower95, upper95, lower998, upper998, notable
(außerhalb der 99,8-%-Grenzen: statistisch auffällig).";

/// Run the subcommand.
pub fn run(argv: &[String]) -> Result<(), Failure> {
    let args = Args::parse(
        argv,
        &["catalogue", "kpi", "year", "peers", "format"],
        USAGE,
    )?;
    let format = args.format()?;
    let id = args.required("kpi", USAGE)?;
    let year = args.year("year", USAGE)?;
    let (catalogue, dataset) = crate::cmd::kpi::read_inputs(&args, USAGE)?;
    let kpi = catalogue.kpi_index(id).ok_or_else(|| {
        Failure::Input(format!(
            "--kpi: die Kennzahl „{id}“ steht nicht im Katalog."
        ))
    })?;
    crate::cmd::compare::known_year(&dataset, "year", year)?;
    let peers = args.list("peers");
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
