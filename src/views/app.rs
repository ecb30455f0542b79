//! The page: the header (ring, files, own municipality, year, language), the navigation, and
//! one section per view, each rendered only when shown (`shown.rs`).

use leptos::context::Provider;
use leptos::prelude::*;

use super::autosave;
use super::session;
use super::{keep_long_options, DemoBadge, LongOptions};
use crate::i18n::{Lang, Texts};
use crate::selection::Shown;
use crate::shown;
use crate::state::AppState;
use crate::views;

/// The views, in the order of the navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Upload, load report, preview, columns.
    Data,
    /// KPI table and catalogue editor.
    Kpis,
    /// Peer group, peer table, charts.
    Compare,
    /// Core KPIs at a glance.
    Dashboard,
    /// KPIs per district on a map.
    Map,
    /// Plausibility findings, comments, report.
    Check,
    /// Targets.
    Targets,
    /// Presentation.
    Workshop,
}

impl View {
    /// Every view in navigation order.
    pub const ALL: [View; 8] = [
        View::Data,
        View::Kpis,
        View::Compare,
        View::Dashboard,
        View::Map,
        View::Check,
        View::Targets,
        View::Workshop,
    ];

    /// The section's id, the navigation's anchor.
    pub fn anchor(self) -> &'static str {
        match self {
            View::Data => "daten",
            View::Kpis => "kennzahlen",
            View::Compare => "vergleich",
            View::Dashboard => "dashboard",
            View::Map => "karte",
            View::Check => "pruefung",
            View::Targets => "ziele",
            View::Workshop => "workshop",
        }
    }

    /// The view's name in the navigation and as its heading.
    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            View::Data => t.nav_data,
            View::Kpis => t.nav_kpis,
            View::Compare => t.nav_compare,
            View::Dashboard => t.nav_dashboard,
            View::Map => t.map.nav,
            View::Check => t.nav_check,
            View::Targets => t.nav_targets,
            View::Workshop => t.nav_workshop,
        }
    }
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    provide_context(views::map::MapModel::new(state));
    state.load_demo();
    // The document's language follows the switch, so screen readers pronounce the right one.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", state.lang.get().code());
        }
    });
    let current = RwSignal::new(View::Data);
    // The navigation marks the view being read; scrolling is the outside world's state.
    let scrolling = window_event_listener(leptos::ev::scroll, move |_| {
        if let Some(view) = view_in_sight() {
            if current.get_untracked() != view {
                current.set(view);
            }
        }
    });
    on_cleanup(move || scrolling.remove());

    view! {
        <a class="skip-link" href="#inhalt">{move || state.t().skip_to_content}</a>
        <Header current=current />
        <autosave::WorkKept />
        <main id="inhalt" tabindex="-1">
            {View::ALL.map(|view| view! { <ViewSection view=view /> }).collect_view()}
        </main>
    }
}

/// The view whose section is at the top of the window, below the sticky header; `None` at the
/// bottom of the page, where short last sections never reach the top (a click decides there).
fn view_in_sight() -> Option<View> {
    let window = window();
    let document = document();
    let inner = window.inner_height().ok()?.as_f64()?;
    let y = window.scroll_y().ok()?;
    let height = f64::from(document.document_element()?.scroll_height());
    if y + inner >= height - 2.0 {
        return None;
    }
    // A jump puts the section just below the header (scroll-padding-top in the stylesheet).
    let header = document
        .query_selector(".app-header")
        .ok()
        .flatten()
        .map_or(0.0, |h| h.get_bounding_client_rect().bottom().max(0.0));
    let reached = |view: &&View| {
        document
            .get_element_by_id(view.anchor())
            .is_some_and(|section| section.get_bounding_client_rect().top() <= header + 32.0)
    };
    Some(
        View::ALL
            .iter()
            .rev()
            .find(reached)
            .copied()
            .unwrap_or(View::Data),
    )
}

/// The header: ring, loaded files, own municipality, year, language; and the navigation.
#[component]
fn Header(
    /// The view the navigation marks as current.
    current: RwSignal<View>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t();
    let files = move || state.data.with(|d| d.dataset.files.join(", "));
    let ring_name = move || state.catalogue.with(|c| c.name().to_string());

    view! {
        <header class="app-header">
            <div class="bar">
                <div class="brand">
                    <span class="app-name">{move || t().app_name}</span>
                    <span class="ring-name" title=ring_name>
                        {ring_name}
                    </span>
                </div>
                <DemoBadge />
                <div class="files">
                    <span class="label">{move || t().header_files} ":"</span>
                    <span class="names" title=files>
                        {move || {
                            let names = files();
                            if names.is_empty() { t().header_no_files.to_string() } else { names }
                        }}
                    </span>
                    " "
                    <a href="#ladebericht">{move || t().header_report_link}</a>
                </div>
                <OwnSelect />
                <YearSelect />
                <session::SessionMenu />
                <LanguageSwitch />
            </div>
            <nav aria-label=move || t().nav_label>
                <ul>
                    {View::ALL
                        .map(|view| {
                            view! {
                                <li>
                                    <a
                                        href=format!("#{}", view.anchor())
                                        aria-current=move || {
                                            (current.get() == view).then_some("location")
                                        }
                                        on:click=move |_| current.set(view)
                                    >
                                        {move || view.label(t())}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
        </header>
    }
}

/// The own municipality, steering every view (`own-select`). Options carry their position as
/// value and the shown name as label, so that with pseudonymisation on no real name of another
/// municipality is in the page.
#[component]
fn OwnSelect() -> impl IntoView {
    let state = expect_context::<AppState>();
    let names = Memo::new(move |_| state.data.with(|d| d.municipality_names()));
    let select = NodeRef::<leptos::html::Select>::new();
    keep_long_options(select, move || {
        names.with(|names| {
            let own = state.own.get();
            LongOptions {
                first: (state.t().choose.to_string(), false),
                options: names
                    .iter()
                    .enumerate()
                    .map(|(i, name)| (i.to_string(), state.display_name_of(name)))
                    .collect(),
                chosen: own
                    .and_then(|own| names.iter().position(|n| *n == own))
                    .map(|i| i.to_string())
                    .unwrap_or_default(),
            }
        })
    });
    view! {
        <label class="field">
            <span>{move || state.t().own_municipality}</span>
            <select
                data-testid="own-select"
                node_ref=select
                on:change=move |ev| {
                    let chosen = event_target_value(&ev)
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| names.with_untracked(|n| n.get(i).cloned()));
                    state.own.set(chosen);
                }
            ></select>
        </label>
    }
}

/// The year, steering every view (`year-select`).
#[component]
fn YearSelect() -> impl IntoView {
    let state = expect_context::<AppState>();
    let years = move || state.data.with(|d| d.dataset.years());
    view! {
        <label class="field">
            <span>{move || state.t().year}</span>
            <select
                data-testid="year-select"
                on:change=move |ev| state.year.set(event_target_value(&ev).parse().ok())
            >
                <option value="" disabled=true prop:selected=move || state.year.get().is_none()>
                    {move || state.t().choose}
                </option>
                {move || {
                    years()
                        .into_iter()
                        .rev()
                        .map(|year| {
                            view! {
                                <option
                                    value=year.to_string()
                                    prop:selected=move || state.year.get() == Some(year)
                                >
                                    {year}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

/// `DE | EN`.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let state = expect_context::<AppState>();
    let button = move |lang: Lang, text: &'static str, name: &'static str| {
        view! {
            <button
                type="button"
                class="lang"
                lang=lang.code()
                aria-label=format!("{text} ({name})")
                title=name
                aria-pressed=move || (state.lang.get() == lang).to_string()
                on:click=move |_| state.lang.set(lang)
            >
                {text}
            </button>
        }
    };
    view! {
        <div class="language" role="group" aria-label=move || state.t().language>
            {button(Lang::De, "DE", "Deutsch")}
            <span aria-hidden="true">"|"</span>
            {button(Lang::En, "EN", "English")}
        </div>
    }
}

/// One view as a section of the page, with its heading. The view renders only when shown: it
/// gets its own copy of the selection ([`shown`]), and a new view needs nothing more than its
/// arm in [`view_content`].
#[component]
fn ViewSection(
    /// Which view.
    view: View,
) -> impl IntoView {
    let shown = Shown {
        in_sight: RwSignal::new(false),
        stale: RwSignal::new(false),
    };
    let state = expect_context::<AppState>().for_view(shown);
    let section = NodeRef::new();
    shown::watch(section, shown, state);
    let heading = format!("{}-titel", view.anchor());
    let labelled_by = heading.clone();
    let exports = match view {
        View::Kpis => Some(views::export::ExportTable::Kpis),
        View::Compare => Some(views::export::ExportTable::Peers),
        _ => None,
    };
    // A component has no reactive owner of its own: the view's state is provided in a child
    // owner (`Provider`), so it reaches this view's content and not the sections after it.
    view! {
        <section
            id=view.anchor()
            class="view"
            aria-labelledby=labelled_by
            node_ref=section
            data-stale=move || shown.stale.get().to_string()
        >
            <Provider value=state>
                <h2 id=heading>{move || view.label(state.t())} <DemoBadge /></h2>
                {view_content(view)}
                {exports.map(|table| view! { <views::export::TableExports table=table /> })}
            </Provider>
        </section>
    }
}

/// A view's content (the section and its heading are [`ViewSection`]'s).
fn view_content(view: View) -> AnyView {
    match view {
        View::Data => view! { <views::data::DataView /> }.into_any(),
        View::Kpis => view! { <views::kpis::KpisView /> }.into_any(),
        View::Compare => view! { <views::compare::CompareView /> }.into_any(),
        View::Dashboard => view! { <views::dashboard::DashboardView /> }.into_any(),
        View::Map => view! { <views::map::MapView /> }.into_any(),
        View::Check => view! { <views::check::CheckView /> }.into_any(),
        View::Targets => view! { <views::targets::TargetsView /> }.into_any(),
        View::Workshop => view! { <views::workshop::WorkshopView /> }.into_any(),
    }
}
