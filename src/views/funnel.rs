//! The funnel section of the Vergleich view: for the rate and share KPIs of the catalogue (those
//! with `funnel`), the own municipality and its peer group in the year in force as a funnel plot,
//! so nobody reads a small county's chance deviation as a finding. The figures are the core's
//! `Funnel`; this view picks the KPI and draws.

use leptos::prelude::*;
use vergleichsring_core::{unique_in_bands, Band, Catalogue, Comparison, Funnel, Limits, Panel};

use super::charts::{FunnelChart, FunnelMark};
use super::peers::{band_words, banded, BandWarning};
use super::KpiSelect;
use crate::i18n::fill;
use crate::state::AppState;

/// Points along the x axis at which the funnel's lines are drawn: enough for a smooth curve.
const CURVE_POINTS: usize = 120;

/// The funnel of KPI index `kpi` over the own municipality and its group in the comparison's
/// year (own first); `None` for a KPI without `funnel`. What the funnel plot draws and what
/// rankings, the dashboard and the workshop call "statistisch auffällig".
pub(crate) fn group_funnel(
    state: AppState,
    catalogue: &Catalogue,
    comparison: &Comparison,
    kpi: usize,
) -> Option<Funnel> {
    let members: Vec<usize> = [comparison.own]
        .into_iter()
        .chain(comparison.members.iter().copied())
        .collect();
    state.data.with(|d| {
        Funnel::new(
            catalogue,
            &Panel::new(&d.dataset),
            kpi,
            comparison.year,
            &members,
        )
    })
}

/// Whether the own value of KPI `id` lies outside its 99.8 % funnel limits in the comparison's
/// group; `None` for a KPI without `funnel` or without limits.
pub(crate) fn own_notable(state: AppState, id: &str, comparison: &Comparison) -> Option<bool> {
    state.catalogue.with(|c| {
        group_funnel(state, c, comparison, c.kpi_index(id)?)?
            .point(comparison.own)?
            .notable()
    })
}

/// The funnel plot of a chosen rate or share KPI, or what to do when the catalogue has none.
#[component]
pub fn FunnelSection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let chosen = RwSignal::new(String::new());
    let funnel_kpis = Memo::new(move |_| {
        state.catalogue.with(|c| {
            c.kpis()
                .iter()
                .filter(|k| k.funnel.is_some())
                .map(|k| (k.id.clone(), k.label.clone()))
                .collect::<Vec<_>>()
        })
    });
    // The chosen KPI while the catalogue has it, else the first with a funnel.
    let kpi = Memo::new(move |_| {
        funnel_kpis.with(|list| {
            let current = chosen.get();
            if list.iter().any(|(id, _)| *id == current) {
                current
            } else {
                list.first().map(|(id, _)| id.clone()).unwrap_or_default()
            }
        })
    });
    let chart = move || {
        let t = state.t();
        let id = kpi.get();
        state.comparison.with(|c| {
            let Some(Ok(comparison)) = c else { return None };
            state.catalogue.with(|catalogue| {
                let k = catalogue.kpi_index(&id)?;
                let definition = &catalogue.kpis()[k];
                let funnel = group_funnel(state, catalogue, comparison, k)?;
                let pooled = funnel.pooled()?;
                // Pseudonymised members sit at the middle of their denominator's size band: the
                // exact figure (often the population) would name them.
                let marks: Vec<FunnelMark> = funnel
                    .points
                    .iter()
                    .filter_map(|p| {
                        let denominator = p.denominator?;
                        let band = banded(state, p.municipality)
                            .then(|| Band::of(denominator))
                            .flatten();
                        Some(FunnelMark {
                            name: state.display_name(p.municipality),
                            own: p.municipality == comparison.own,
                            value: p.value?,
                            denominator: band.map_or(denominator, |b| (b.lower + b.upper) / 2.0),
                            limits: p.limits?,
                            band: band.map(|_| band_words(state, denominator)),
                        })
                    })
                    .collect();
                let shown: Vec<(usize, f64)> = funnel
                    .points
                    .iter()
                    .filter_map(|p| Some((p.municipality, p.denominator?)))
                    .collect();
                let alone: Vec<String> = shown
                    .iter()
                    .zip(unique_in_bands(
                        &shown.iter().map(|&(_, d)| vec![d]).collect::<Vec<_>>(),
                    ))
                    .filter(|&(&(m, _), alone)| alone && banded(state, m))
                    .map(|(&(m, _), _)| state.display_name(m))
                    .collect();
                let (lo, hi) = funnel.denominator_range()?;
                let start = (lo * 0.5).max(hi / 200.0);
                let curve: Vec<(f64, Limits)> = (0..=CURVE_POINTS)
                    .filter_map(|i| {
                        let d = start + (hi - start) * i as f64 / CURVE_POINTS as f64;
                        Some((d, funnel.limits(d)?))
                    })
                    .collect();
                let decimals = definition.decimals as usize;
                let heading = fill(
                    t.analysis.funnel_title,
                    &[
                        (
                            "kpi",
                            &format!("{} ({})", definition.label, definition.unit),
                        ),
                        ("year", &comparison.year.to_string()),
                        ("n", &marks.len().to_string()),
                    ],
                );
                let desc = fill(
                    t.analysis.funnel_desc,
                    &[
                        (
                            "pooled",
                            &vergleichsring_core::format_number(pooled, decimals),
                        ),
                        ("model", funnel.kind.as_str()),
                    ],
                );
                Some(view! {
                    <BandWarning names=alone />
                    <FunnelChart
                        heading=heading
                        desc=desc
                        marks=marks
                        pooled=pooled
                        curve=curve
                        decimals=decimals
                        texts=&t.compare.charts
                        words=t.analysis
                    />
                })
            })
        })
    };
    view! {
        <section class="funnel-section" aria-labelledby="trichter-titel" data-testid="funnel">
            <h3 id="trichter-titel">{move || state.t().analysis.funnel_heading}</h3>
            {move || {
                let list = funnel_kpis.get();
                if list.is_empty() {
                    return view! { <p class="hint">{state.t().analysis.funnel_none}</p> }.into_any();
                }
                view! {
                    <KpiSelect
                        label=state.t().analysis.kpi_choice
                        options=list
                        chosen=chosen
                        shown=kpi
                        testid="funnel-kpi"
                    />
                }
                    .into_any()
            }}
            {chart}
        </section>
    }
}
