//! The Kurzbericht of one municipality as one self-contained HTML file (CONTRACT §5 `report`):
//! the app's Kurzbericht in content — per core KPI the value, its place in the peer group and
//! its trend in words, the trend chart (inline SVG from [`TrendModel`]) with its table, the
//! context — then the events and the comments, the source; print CSS for A4, and a
//! Content-Security-Policy that forbids every request, so the file opens anywhere on its own.
//!
//! German, as the CLI speaks. Targets belong to a session and are not part of the CLI's input,
//! so the file has none.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::analysis::finding::Comments;
use crate::analysis::kpi::KpiTable;
use crate::analysis::peer::{Comparison, Judgement, PeerGroup};
use crate::catalogue::definition::{Better, Catalogue, Kpi};
use crate::dataset::Dataset;
use crate::error::Result;
use crate::format::{format_number, format_percent, format_value};
use crate::output::brief::{comments_for, Movement, Placement, Trend};
use crate::output::chart::{escape, TrendModel, YearPoint};
use crate::output::package::file_stem;

/// What every member's report is made of.
pub struct ReportInput<'a> {
    /// The ring's catalogue.
    pub catalogue: &'a Catalogue,
    /// The ring's data.
    pub dataset: &'a Dataset,
    /// Every KPI of the data.
    pub table: &'a KpiTable,
    /// The report's year.
    pub year: i32,
    /// The peer group each member is compared with.
    pub group: &'a PeerGroup,
    /// Comments on findings (the members' explanations).
    pub comments: &'a Comments,
    /// The source line of the footer ("Eigene Erhebung: ring.csv").
    pub source: String,
}

/// The report's file name for a municipality: `<name>.html`, the name as CONTRACT §5 says.
pub fn report_file_name(municipality: &str) -> String {
    format!("{}.html", file_stem(municipality))
}

/// The KPIs the report shows: the catalogue's core KPIs, or every KPI when it marks none.
pub fn report_kpis(catalogue: &Catalogue) -> Vec<&Kpi> {
    let core: Vec<&Kpi> = catalogue.kpis().iter().filter(|k| k.core).collect();
    if core.is_empty() {
        catalogue.kpis().iter().collect()
    } else {
        core
    }
}

/// One year of a KPI for the chart: the own value and the group's median and quartiles.
pub fn year_points(comparison: &Comparison, table: &KpiTable, kpi: usize) -> Vec<YearPoint> {
    let summaries = comparison.summaries(table, kpi);
    table
        .years()
        .iter()
        .map(|&year| {
            let summary = summaries.iter().find(|(y, _)| *y == year).map(|(_, s)| s);
            YearPoint {
                year,
                own: table.number(comparison.own, year, kpi),
                median: summary.and_then(|s| s.median),
                q1: summary.and_then(|s| s.q1),
                q3: summary.and_then(|s| s.q3),
            }
        })
        .collect()
}

fn placement_words(placement: Option<Placement>) -> &'static str {
    match placement {
        Some(Placement::LowestQuarter) => "im unteren Viertel der Vergleichsgruppe",
        Some(Placement::BelowMedian) => "unter dem Median der Vergleichsgruppe",
        Some(Placement::AtMedian) => "genau auf dem Median der Vergleichsgruppe",
        Some(Placement::AboveMedian) => "über dem Median der Vergleichsgruppe",
        Some(Placement::HighestQuarter) => "im oberen Viertel der Vergleichsgruppe",
        None => "keine Einordnung möglich",
    }
}

/// The placement's code for the `data-placement` hook of the app's report and of these files.
pub fn placement_code(placement: Option<Placement>) -> &'static str {
    match placement {
        Some(Placement::LowestQuarter) => "lowest",
        Some(Placement::BelowMedian) => "below",
        Some(Placement::AtMedian) => "at",
        Some(Placement::AboveMedian) => "above",
        Some(Placement::HighestQuarter) => "highest",
        None => "",
    }
}

fn better_words(better: Better) -> &'static str {
    match better {
        Better::Lower => "Ein niedrigerer Wert gilt als besser.",
        Better::Higher => "Ein höherer Wert gilt als besser.",
        Better::Neutral => "Die Kennzahl wird nicht als besser oder schlechter gewertet.",
    }
}

fn judgement_words(judgement: Judgement) -> (&'static str, &'static str) {
    match judgement {
        Judgement::Good => ("▲ besser", "good"),
        Judgement::Bad => ("▼ schlechter", "bad"),
        Judgement::Even => ("= gleich", "even"),
    }
}

fn group_words(group: &PeerGroup) -> String {
    match group {
        PeerGroup::All => "alle Kommunen des Rings".to_string(),
        PeerGroup::Chosen { .. } => "ausgewählte Kommunen".to_string(),
        PeerGroup::Similar { k, .. } => format!("die {k} ähnlichsten Kommunen"),
    }
}

fn trend_words(trend: Option<Trend>, decimals: usize) -> String {
    let Some(trend) = trend else {
        return "keine Vorjahreswerte".to_string();
    };
    let (from, to) = (
        format_number(trend.from, decimals),
        format_number(trend.to, decimals),
    );
    let change = match trend.movement {
        Movement::Percent(Some(p)) if p > 0.0 => format!("+{}", format_percent(p, 1)),
        Movement::Percent(Some(p)) => format_percent(p, 1),
        Movement::Percent(None) => String::new(),
        Movement::Points(p) => {
            let text = format_number(p, decimals);
            let signed = if p > 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
                format!("+{text}")
            } else {
                text
            };
            format!("{signed} Prozentpunkte")
        }
    };
    let year = trend.from_year;
    if from == to {
        format!("unverändert bei {to} seit {year}")
    } else if trend.to > trend.from {
        format!("gestiegen von {from} ({year}) auf {to} ({change})")
    } else {
        format!("gesunken von {from} ({year}) auf {to} ({change})")
    }
}

/// `year value; year value; …` for a chart's description.
fn year_values(points: &[YearPoint], pick: fn(&YearPoint) -> Option<f64>, d: usize) -> String {
    points
        .iter()
        .filter_map(|p| Some(format!("{} {}", p.year, format_number(pick(p)?, d))))
        .collect::<Vec<_>>()
        .join("; ")
}

const STYLE: &str = "\
:root{--own:#0072B2;--text:#1A1A1A;--text-2:#595959;--good:#1B7837;--bad:#B2182B}
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--text);margin:0 auto;max-width:60rem;padding:1rem;line-height:1.4}
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1rem;margin:0 0 .25rem}h3{font-size:1rem;margin:1rem 0 .25rem}
.report-group{color:var(--text-2);margin:0 0 1rem}
.report-kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr));gap:1rem}
.report-kpi{border:1px solid #BDBDBD;border-radius:4px;padding:.6rem}
.unit{font-weight:400;color:var(--text-2)}
.big{font-size:1.3rem}.own{color:var(--own)}
.judgement.good{color:var(--good)}.judgement.bad{color:var(--bad)}
.report-words,.report-context{margin:.25rem 0;font-size:.9rem}
svg{width:100%;height:auto;display:block}
details{font-size:.85rem}table{border-collapse:collapse}th,td{padding:.1rem .4rem;text-align:right}th:first-child,td:first-child{text-align:left}
.report-event-number{font-weight:700}
footer{margin-top:1rem;color:var(--text-2);font-size:.85rem}
@page{size:A4;margin:12mm}
@media print{body{max-width:none;padding:0;font-size:9pt}.report-kpis{grid-template-columns:repeat(3,1fr);gap:3mm}
.report-kpi{break-inside:avoid;padding:2mm}details{display:none}h1{font-size:14pt}.big{font-size:11pt}}
";

/// The report of municipality `m` (index into the dataset) as a complete HTML document.
pub fn member_report(input: &ReportInput<'_>, m: usize) -> Result<String> {
    let name = &input.dataset.municipalities[m].name;
    let comparison = Comparison::new(
        input.catalogue,
        input.dataset,
        input.table,
        m,
        input.year,
        input.group,
    )?;
    let title = format!("Kurzbericht {name} – {}", input.year);
    let kpis: Vec<&Kpi> = report_kpis(input.catalogue)
        .into_iter()
        .filter(|k| comparison.row(&k.id).is_some_and(|r| r.n > 0))
        .collect();
    let first_year = input.table.years().first().copied();
    let events: Vec<(i32, String)> = kpis
        .iter()
        .flat_map(|k| input.catalogue.events_for(&k.id))
        .filter(|e| e.year <= input.year && first_year.is_some_and(|f| e.year >= f))
        .map(|e| (e.year, e.label.clone()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut h = String::new();
    // Writing into a String cannot fail.
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{STYLE}</style></head>\
<body><main class=\"report-page\" data-testid=\"brief-page\" data-municipality=\"{}\"><h1>{}</h1>\
<p class=\"report-group\">Verglichen mit: {} (n = {})</p><div class=\"report-kpis\">",
        escape(&title),
        escape(name),
        escape(&title),
        group_words(input.group),
        comparison.members.len() + 1
    );
    for (i, kpi) in kpis.iter().enumerate() {
        let marks: Vec<(usize, i32)> = input
            .catalogue
            .events_for(&kpi.id)
            .into_iter()
            .filter_map(|e| {
                let n = events
                    .iter()
                    .position(|(y, l)| *y == e.year && *l == e.label)?;
                Some((n + 1, e.year))
            })
            .collect();
        card(&mut h, input, &comparison, kpi, &marks, &events, i);
    }
    h.push_str("</div>");
    if !events.is_empty() {
        h.push_str("<section class=\"report-events\"><h3>Ereignisse</h3><ol>");
        for (i, (year, label)) in events.iter().enumerate() {
            let _ = write!(
                h,
                "<li><span class=\"report-event-number\">{}</span> {year}: {}</li>",
                i + 1,
                escape(label)
            );
        }
        h.push_str("</ol></section>");
    }
    let mut notes: Vec<(String, i32, String)> = Vec::new();
    for kpi in &kpis {
        for (key, text) in comments_for(input.comments, input.catalogue, name, &kpi.id) {
            match notes
                .iter_mut()
                .find(|(_, y, t)| *y == key.year && t == text)
            {
                Some((labels, _, _)) => {
                    labels.push_str(", ");
                    labels.push_str(&kpi.label);
                }
                None => notes.push((kpi.label.clone(), key.year, text.to_string())),
            }
        }
    }
    if !notes.is_empty() {
        h.push_str("<section class=\"report-comments\"><h3>Kommentare</h3><ul>");
        for (labels, year, text) in notes {
            let _ = write!(
                h,
                "<li>{} ({year}): {}</li>",
                escape(&labels),
                escape(&text)
            );
        }
        h.push_str("</ul></section>");
    }
    let _ = writeln!(
        h,
        "<footer class=\"report-source\"><p>Datenquelle: {}</p><p>Erstellt mit Vergleichsring ({}) – alle Berechnungen lokal, ohne Server.</p></footer></main></body></html>",
        escape(&input.source),
        crate::output::package::APP
    );
    Ok(h)
}

/// One KPI's card.
fn card(
    h: &mut String,
    input: &ReportInput<'_>,
    comparison: &Comparison,
    kpi: &Kpi,
    marks: &[(usize, i32)],
    events: &[(i32, String)],
    number: usize,
) {
    let decimals = kpi.decimals as usize;
    let year = input.year;
    let table = input.table;
    let name = &input.dataset.municipalities[comparison.own].name;
    let row = comparison.row(&kpi.id);
    let index = table.kpi_index(&kpi.id);
    let shown = table
        .value(comparison.own, year, &kpi.id)
        .map_or_else(|| "kein Wert".to_string(), |v| format_value(v, decimals));
    let points = index.map_or_else(Vec::new, |k| year_points(comparison, table, k));
    let trend = index.and_then(|k| Trend::of(&table.series(comparison.own, k), year, &kpi.unit));
    let own_value = row.and_then(|r| r.own_value);
    let median = row.and_then(|r| r.median);
    let placement = row.and_then(Placement::of);
    let points: Vec<YearPoint> = points.into_iter().filter(|p| p.year <= year).collect();
    let mut desc = vec![
        format!("◆ {name}: {}.", year_values(&points, |p| p.own, decimals)),
        format!(
            "Median der Vergleichsgruppe: {}.",
            year_values(&points, |p| p.median, decimals)
        ),
    ];
    if !marks.is_empty() {
        let listed: Vec<String> = marks
            .iter()
            .filter_map(|(n, _)| events.get(n - 1).map(|(y, l)| format!("{n} ({y}) {l}")))
            .collect();
        desc.push(format!("Ereignisse: {}.", listed.join("; ")));
    }
    let chart_title = format!(
        "{} ({}): {name} und Median der Vergleichsgruppe, {}–{year}",
        kpi.label,
        kpi.unit,
        points.first().map(|p| p.year).unwrap_or(year)
    );
    let model = TrendModel::new(
        chart_title,
        desc.join(" "),
        &points,
        marks,
        None,
        decimals,
        "Median",
    );
    let number_attr = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
    let _ = write!(
        h,
        "<article class=\"report-kpi\" data-kpi=\"{}\" data-value=\"{}\" data-median=\"{}\" data-placement=\"{}\">\
<h2>{} <span class=\"unit\">({})</span></h2>\
<p class=\"report-value\">Wert {year} <strong class=\"big own\">{}</strong>",
        escape(&kpi.id),
        number_attr(own_value),
        number_attr(median),
        placement_code(placement),
        escape(&kpi.label),
        escape(&kpi.unit),
        escape(&shown)
    );
    if let Some((words, class)) = row.and_then(|r| r.judgement).map(judgement_words) {
        let _ = write!(h, " <span class=\"judgement {class}\">{words}</span>");
    }
    let median_text = median
        .map(|x| format!(" (Median {})", format_number(x, decimals)))
        .unwrap_or_default();
    let _ = write!(
        h,
        "</p><p class=\"report-words\">{}{median_text} {}</p><figure>{}<details><summary>Tabelle anzeigen</summary>\
<table><caption>{}</caption><thead><tr><th scope=\"col\">Jahr</th><th scope=\"col\">{}</th><th scope=\"col\">Median</th>\
<th scope=\"col\">unteres Quartil</th><th scope=\"col\">oberes Quartil</th></tr></thead><tbody>",
        placement_words(placement),
        escape(&trend_words(trend, decimals)),
        model.svg(&format!("kpi{number}")),
        escape(&model.title),
        escape(name)
    );
    for r in &model.table {
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            r[0], r[1], r[2], r[3], r[4]
        );
    }
    let _ = write!(
        h,
        "</tbody></table></details></figure><p class=\"report-context\">{}<span class=\"report-better\">{}</span></p></article>",
        kpi.description
            .as_deref()
            .map(|d| format!("{} ", escape(d)))
            .unwrap_or_default(),
        better_words(kpi.better)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::upload::load;

    #[test]
    fn a_report_holds_every_core_kpi_value_and_nothing_external() {
        let bytes = include_bytes!("../../../../shared/data/ring/ring.csv");
        let catalogue =
            Catalogue::from_toml(include_str!("../../../../shared/data/ring/catalogue.toml"))
                .expect("catalogue");
        let dataset = load("ring.csv", bytes).expect("ring").dataset;
        let table = KpiTable::compute(&catalogue, &dataset);
        let input = ReportInput {
            catalogue: &catalogue,
            dataset: &dataset,
            table: &table,
            year: 2024,
            group: &PeerGroup::All,
            comments: &Comments::new(),
            source: "Eigene Erhebung: ring.csv".into(),
        };
        let m = dataset.municipality_index("Altenmarkt").expect("member");
        let html = member_report(&input, m).expect("report");
        for kpi in report_kpis(&catalogue) {
            let value = table.number(m, 2024, table.kpi_index(&kpi.id).expect("kpi"));
            let hook = format!(
                "data-kpi=\"{}\" data-value=\"{}\"",
                kpi.id,
                value.map(|x| x.to_string()).unwrap_or_default()
            );
            assert!(html.contains(&hook), "{hook}");
        }
        assert!(!html.contains("http:") && !html.contains("https:") && !html.contains("src="));
        assert_eq!(
            report_file_name("Neustadt (Weinstraße)"),
            "Neustadt__Weinstraße_.html"
        );
    }
}
