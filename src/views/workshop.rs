//! Workshop: the results presented large, for a projector — one KPI at a time with its ranking,
//! time series and distribution (and its district map when districts with boundaries are
//! loaded), stepped through by keyboard (← → space, Escape leaves) — the pseudonymisation
//! switch, and the short report (Kurzbericht) for print.
//!
//! Presenting asks the browser for full screen; where it refuses (a file opened in a kiosk, an
//! old browser), the same section fills the window instead.

use leptos::ev;
use leptos::prelude::*;
use vergleichsring_core::{format_number, Better, Error, Kpi, PeerGroup, PeerRow, Placement};
use wasm_bindgen::JsCast;

use super::brief::ShortReport;
use super::charts::ChartKind;
use super::compare::kpi_charts;
use super::export::group_words;
use super::funnel::own_notable;
use super::map::{DistrictMapCard, MapModel};
use super::words::{judgement_mark, placement_words};
use super::EmptyState;
use crate::i18n::{fill, WorkshopTexts};
use crate::state::AppState;

/// The peer statistics of every KPI for the own municipality, year and group in force (the
/// comparison the Vergleich view shows).
pub fn peer_rows(state: AppState) -> Option<Result<Vec<PeerRow>, Error>> {
    state.comparison.with(|c| {
        c.as_ref()
            .map(|r| r.as_ref().map(|c| c.rows.clone()).map_err(Clone::clone))
    })
}

/// A KPI's value with its decimals, German style.
pub fn kpi_number(x: Option<f64>, kpi: &Kpi, none: &str) -> String {
    x.map_or_else(
        || none.to_string(),
        |x| format_number(x, kpi.decimals as usize),
    )
}

/// What a slide shows below its figures: one of the charts, or the district map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shown {
    Chart(ChartKind),
    /// The district map of the slide's KPI (when district data with boundaries are loaded).
    Map,
}

/// What the slides can show, in the order of stepping through them.
fn shown_kinds(has_map: bool) -> Vec<Shown> {
    let charts = ChartKind::ALL.into_iter().map(Shown::Chart);
    charts.chain(has_map.then_some(Shown::Map)).collect()
}

/// The view's content.
#[component]
pub fn WorkshopView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().workshop;
    let has_data = move || state.data.with(|d| !d.is_empty());
    let slide = RwSignal::new(0usize);
    let chart = RwSignal::new(Shown::Chart(ChartKind::Ranking));
    let map_model = expect_context::<MapModel>();
    let has_map = move || map_model.has_map();
    let kinds = move || shown_kinds(has_map());
    // Boundaries taken away while the map is shown: back to the first chart.
    Effect::new(move |_| {
        if !kinds().contains(&chart.get()) {
            chart.set(Shown::Chart(ChartKind::Ranking));
        }
    });
    let presenting = RwSignal::new(false);
    let stage = NodeRef::<leptos::html::Div>::new();
    let start_button = NodeRef::<leptos::html::Button>::new();
    let count = move || state.catalogue.with(|c| c.kpis().len());

    let kpi_step = move |by: isize| {
        let n = count() as isize;
        if n > 0 {
            slide.update(|s| *s = ((*s as isize + by).rem_euclid(n)) as usize);
        }
    };
    // A step goes through the KPI's charts, then on to the next KPI (a presenter's clicker
    // has only forward and back).
    let step = move |by: isize| {
        let all = untrack(kinds);
        let n = all.len() as isize;
        let at = all
            .iter()
            .position(|&k| k == chart.get_untracked())
            .unwrap_or(0) as isize
            + by;
        if !(0..n).contains(&at) {
            kpi_step(at.div_euclid(n));
        }
        chart.set(all[at.rem_euclid(n) as usize]);
    };
    let leave = move || {
        presenting.set(false);
        let document = document();
        if document.fullscreen_element().is_some() {
            document.exit_fullscreen();
        }
    };
    let start = move |_| {
        presenting.set(true);
        if let Some(stage) = stage.get() {
            request_fullscreen(&stage);
            let _ = stage.focus();
        }
    };
    // While presenting, the rest of the page is not laid out (nothing to scroll behind the
    // stage); afterwards the focus goes back to where the presentation started.
    Effect::new(move |was: Option<bool>| {
        let now = presenting.get();
        if let Some(root) = document().document_element() {
            let _ = if now {
                root.set_attribute("data-presenting", "")
            } else {
                root.remove_attribute("data-presenting")
            };
        }
        if was == Some(true) && !now {
            request_animation_frame(move || {
                if let Some(button) = start_button.get_untracked() {
                    let _ = button.focus();
                }
            });
        }
        now
    });
    // Escape in full screen is the browser's: follow it out of the presentation.
    let fullscreen = window_event_listener_untyped("fullscreenchange", move |_| {
        if document().fullscreen_element().is_none() && presenting.get_untracked() {
            presenting.set(false);
        }
    });
    let keys = window_event_listener(ev::keydown, move |ev| {
        if !presenting.get_untracked() || ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
            return;
        }
        // Keys in a choice (KPI, year, group) stay the choice's; space on a button is its click.
        let tag = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|e| e.tag_name())
            .unwrap_or_default();
        let in_choice = matches!(tag.as_str(), "SELECT" | "INPUT" | "TEXTAREA");
        match ev.key().as_str() {
            "Escape" => leave(),
            _ if in_choice => return,
            "ArrowRight" | "PageDown" => step(1),
            " " if tag != "BUTTON" => step(if ev.shift_key() { -1 } else { 1 }),
            "ArrowLeft" | "PageUp" => step(-1),
            "ArrowDown" => kpi_step(1),
            "ArrowUp" => kpi_step(-1),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || {
        fullscreen.remove();
        keys.remove();
        if let Some(root) = document().document_element() {
            let _ = root.remove_attribute("data-presenting");
        }
    });

    view! {
        <Show
            when=has_data
            fallback=|| view! { <EmptyState text=|t| t.empty_workshop /> }
        >
            <p class="intro">{move || t().intro}</p>
            <PseudonymSwitch />
            <div
                class="workshop-stage"
                class:presenting=move || presenting.get()
                node_ref=stage
                tabindex="-1"
                data-testid="workshop"
                data-chart=move || chart_id(chart.get())
                role="region"
                aria-roledescription="Präsentation"
                aria-label=move || state.t().nav_workshop
            >
                <div class="workshop-controls">
                    <KpiChoice slide=slide />
                    <YearChoice />
                    <GroupChoice />
                    <ChartChoice chart=chart kinds=Signal::derive(kinds) />
                    <div class="workshop-steps">
                        <button type="button" on:click=move |_| step(-1) aria-label=move || t().previous>"←"</button>
                        <span aria-live="polite" data-testid="workshop-position">
                            {move || {
                                let kpi = fill(t().slide_of, &[("n", &(slide.get() + 1).to_string()), ("total", &count().to_string())]);
                                format!("{kpi} · {}", chart_words(chart.get(), t()))
                            }}
                        </span>
                        <button type="button" on:click=move |_| step(1) aria-label=move || t().next>"→"</button>
                        <button type="button" data-testid="workshop-leave" hidden=move || !presenting.get() on:click=move |_| leave()>
                            {move || t().leave}
                        </button>
                        <button type="button" class="primary" data-testid="workshop-start" node_ref=start_button hidden=move || presenting.get() on:click=start>
                            {move || t().start}
                        </button>
                    </div>
                </div>
                <Slide slide=slide chart=chart />
                <p class="hint workshop-keys">{move || t().keys_hint}</p>
            </div>
            <ShortReport />
        </Show>
    }
}

/// The chart's name on screen.
fn chart_words(kind: Shown, t: &WorkshopTexts) -> &'static str {
    match kind {
        Shown::Chart(ChartKind::Ranking) => t.ranking,
        Shown::Chart(ChartKind::Series) => t.series,
        Shown::Chart(ChartKind::Distribution) => t.boxplot,
        Shown::Map => t.map,
    }
}

/// The chart's name in the `data-chart` hook.
fn chart_id(kind: Shown) -> &'static str {
    match kind {
        Shown::Chart(ChartKind::Ranking) => "ranking",
        Shown::Chart(ChartKind::Series) => "series",
        Shown::Chart(ChartKind::Distribution) => "distribution",
        Shown::Map => "map",
    }
}

/// The chart of the slide, chosen live: ranking, time series, distribution or district map.
#[component]
fn ChartChoice(chart: RwSignal<Shown>, kinds: Signal<Vec<Shown>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().workshop;
    let buttons = move || {
        kinds
            .get()
            .into_iter()
            .map(|kind| {
                view! {
                    <button
                        type="button"
                        data-chart=chart_id(kind)
                        aria-pressed=move || (chart.get() == kind).to_string()
                        on:click=move |_| chart.set(kind)
                    >
                        {move || chart_words(kind, t())}
                    </button>
                }
            })
            .collect_view()
    };
    view! {
        <div class="chart-choice" role="group" aria-label=move || t().chart_choice>
            {buttons}
        </div>
    }
}

/// The switch that hides every municipality's name but the own one, everywhere.
#[component]
pub fn PseudonymSwitch() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().workshop;
    view! {
        <div class="pseudonym-switch">
            <label>
                <input
                    type="checkbox"
                    data-testid="pseudonymise"
                    prop:checked=move || state.pseudonymise.get()
                    on:change=move |ev| state.pseudonymise.set(event_target_checked(&ev))
                    aria-describedby="pseudonym-hint"
                />
                " " {move || t().pseudonymise}
            </label>
            <p id="pseudonym-hint" class="hint">{move || t().pseudonymise_hint}</p>
        </div>
    }
}

#[component]
fn KpiChoice(slide: RwSignal<usize>) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <label class="field">
            <span>{move || state.t().workshop.kpi}</span>
            <select
                data-testid="workshop-kpi"
                on:change=move |ev| {
                    let id = event_target_value(&ev);
                    if let Some(i) = state.catalogue.with(|c| c.kpi_index(&id)) {
                        slide.set(i);
                    }
                }
            >
                {move || {
                    state.catalogue.with(|c| {
                        c.kpis()
                            .iter()
                            .enumerate()
                            .map(|(i, kpi)| {
                                view! {
                                    <option value=kpi.id.clone() prop:selected=move || slide.get() == i>
                                        {kpi.label.clone()}
                                    </option>
                                }
                            })
                            .collect_view()
                    })
                }}
            </select>
        </label>
    }
}

#[component]
fn YearChoice() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <label class="field">
            <span>{move || state.t().year}</span>
            <select data-testid="workshop-year" on:change=move |ev| state.year.set(event_target_value(&ev).parse().ok())>
                {move || {
                    state.data.with(|d| d.dataset.years()).into_iter().rev().map(|year| {
                        view! {
                            <option value=year.to_string() prop:selected=move || state.year.get() == Some(year)>
                                {year}
                            </option>
                        }
                    }).collect_view()
                }}
            </select>
        </label>
    }
}

/// The peer group: every municipality, or the group chosen in the comparison (kept while the
/// workshop switches back and forth).
#[component]
fn GroupChoice() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().workshop;
    let chosen = StoredValue::new(state.peers.get_untracked());
    let current_is_all = move || state.peers.get() == PeerGroup::All;
    view! {
        <label class="field">
            <span>{move || t().peer_group}</span>
            <select on:change=move |ev| {
                if event_target_value(&ev) == "all" {
                    let current = state.peers.get_untracked();
                    if current != PeerGroup::All {
                        chosen.set_value(current);
                    }
                    state.peers.set(PeerGroup::All);
                } else {
                    state.peers.set(chosen.get_value());
                }
            }>
                <option value="all" prop:selected=current_is_all>{move || t().group_all}</option>
                {move || {
                    let other = if current_is_all() { chosen.get_value() } else { state.peers.get() };
                    (other != PeerGroup::All).then(|| view! {
                        <option value="chosen" prop:selected=move || !current_is_all()>
                            {group_words(&other, t())}
                        </option>
                    })
                }}
            </select>
        </label>
    }
}

/// One KPI, large: the own value against the median, the placement in words, and one chart.
#[component]
fn Slide(slide: RwSignal<usize>, chart: RwSignal<Shown>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().workshop;
    move || {
        let t = t();
        let kpi = state
            .catalogue
            .with(|c| c.kpis().get(slide.get()).cloned())?;
        let year = state.year.get();
        let rows = match peer_rows(state) {
            None => return Some(view! { <p class="slide-note">{t.no_own}</p> }.into_any()),
            Some(Err(e)) => {
                return Some(
                    view! { <p class="slide-note error">{state.say_error(&e)}</p> }.into_any(),
                )
            }
            Some(Ok(rows)) => rows,
        };
        let row = rows.into_iter().find(|r| r.kpi == kpi.id)?;
        let own = state.own.get().unwrap_or_default();
        let mark = judgement_mark(row.judgement, &state.t().compare.charts);
        // "statistisch auffällig" only outside the 99.8 % funnel limits: a small member's
        // distance from the median may be chance.
        let notable = state.comparison.with(|c| match c {
            Some(Ok(c)) => own_notable(state, &kpi.id, c),
            _ => None,
        });
        let better = match kpi.better {
            Better::Lower => t.better_is_lower,
            Better::Higher => t.better_is_higher,
            Better::Neutral => t.better_is_neutral,
        };
        let heading = format!(
            "{} ({}) – {}",
            kpi.label,
            kpi.unit,
            year.map(|y| y.to_string()).unwrap_or_default()
        );
        Some(view! {
            <article class="slide" data-kpi=kpi.id.clone()>
                <h3 class="slide-title">{heading}</h3>
                <div class="slide-figures">
                    <p class="slide-own">
                        <span class="label">"◆ " {own} " – " {t.own_value}</span>
                        <span class="big own" data-testid="workshop-own" data-value=row.own_value.map(|x| x.to_string()).unwrap_or_default()>
                            {kpi_number(row.own_value, &kpi, t.no_value)}
                        </span>
                    </p>
                    <p class="slide-median">
                        <span class="label">{t.median}</span>
                        <span class="big" data-testid="workshop-median" data-value=row.median.map(|x| x.to_string()).unwrap_or_default()>
                            {kpi_number(row.median, &kpi, t.no_value)}
                        </span>
                    </p>
                    <p class="slide-words">
                        {mark.map(|(text, class)| view! { <strong class=format!("judgement {class}")>{text}</strong> " – " })}
                        <span>{placement_words(Placement::of(&row), t)} ". " {better}</span>
                        {notable.map(|n| {
                            let words = if n { state.t().analysis.notable } else { state.t().analysis.not_notable };
                            view! { " " <strong class="notable" class:is-notable=n data-testid="workshop-notable" data-notable=n.to_string()>{words}</strong> }
                        })}
                    </p>
                </div>
                <div class="slide-charts">{
                    let id = kpi.id.clone();
                    move || match chart.get() {
                        Shown::Chart(kind) => kpi_charts(state, &id, Some(kind)).into_any(),
                        Shown::Map => {
                            let id = id.clone();
                            view! {
                                <DistrictMapCard
                                    prefix="workshop-karte"
                                    class="workshop-map"
                                    kpi=Signal::derive(move || Some(id.clone()))
                                    list=true
                                />
                            }
                            .into_any()
                        }
                    }
                }</div>
            </article>
        }.into_any())
    }
}

/// Asks for full screen. Refused full screen (Firefox headless, a policy, a kiosk) leaves the
/// window-filling fallback, which is enough. web-sys declares `requestFullscreen` as returning
/// nothing, but browsers return a promise that rejects on refusal; awaited here, so the refusal
/// does not land in the page's error log as an unhandled rejection.
fn request_fullscreen(stage: &web_sys::Element) {
    let promise = js_sys::Reflect::get(stage, &"requestFullscreen".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(stage).ok())
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    if let Some(promise) = promise {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    }
}
