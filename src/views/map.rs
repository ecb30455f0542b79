//! The Karte view: one KPI in one year per district as a choropleth (CONTRACT §6
//! `district-map`, `map-kpi`, `map-year`), with its legend, a table of the same values, hover
//! and focus details, a choice of districts and SVG/PNG export. The districts, their KPIs, the
//! boundaries' paths, classes and colours all come from the core; this file only draws them.

use std::sync::Arc;

use leptos::prelude::*;
use vergleichsring_core::{
    district_rank, format_number, Better, Boundaries, CityFigures, Classes, Classing, Districts,
    Join, Kpi, KpiTable, MapShape, Value, MAP_WIDTH, MAX_CLASSES,
};

use crate::i18n::fill;
use crate::state::AppState;
use crate::views::export::ChartDownloads;
use crate::views::{value_words, EmptyState};

/// The districts of the loaded district files: of the own municipality when they hold it,
/// else of the first city they hold, with the city's own figures from the other data.
fn districts_of(state: AppState) -> Option<Districts> {
    let own = state.own.get();
    state.data.with(|d| {
        if d.districts.cells.is_empty() {
            return None;
        }
        let city = own
            .and_then(|o| d.districts.municipality_index(&o))
            .unwrap_or(0);
        let mut districts = Districts::of(&d.districts, city)?;
        districts.use_city_figures(&d.dataset);
        Some(districts)
    })
}

/// What the Karte view and the dashboard's district map share: the districts, their KPIs, and
/// the boundaries joined to them (the join the user chose in the Karte view holds for both).
#[derive(Clone, Copy)]
pub struct MapModel {
    districts: Memo<Option<Districts>>,
    table: Memo<Option<KpiTable>>,
    chosen_join: RwSignal<Option<String>>,
    join: Memo<Option<Join>>,
    shape: Memo<Option<MapShape>>,
}

impl MapModel {
    /// The model of the page's state; provided as context at the page's root.
    pub fn new(state: AppState) -> MapModel {
        let districts = Memo::new(move |_| districts_of(state));
        let table = Memo::new(move |_| {
            districts.with(|d| {
                d.as_ref()
                    .map(|d| state.catalogue.with(|c| KpiTable::compute(c, &d.dataset)))
            })
        });
        let chosen_join = state.map_join;
        let join = Memo::new(move |_| {
            let boundaries = loaded(state)?;
            let names = district_names(districts);
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            match chosen_join.get() {
                Some(key) if boundaries.keys.contains(&key) => {
                    Some(Join::by(&boundaries, &key, &names))
                }
                _ => Join::suggest(&boundaries, &names),
            }
        });
        let shape = Memo::new(move |_| {
            let boundaries = loaded(state)?;
            join.with(|j| j.as_ref().map(|j| MapShape::new(&boundaries, j)))
        });
        MapModel {
            districts,
            table,
            chosen_join,
            join,
            shape,
        }
    }

    /// Whether a district map can be drawn: district data and boundaries joined to them.
    pub fn has_map(self) -> bool {
        self.shape.with(Option::is_some)
    }

    /// The districts' names, in order.
    fn names(self) -> Vec<String> {
        district_names(self.districts)
    }

    /// The years the districts have KPIs in.
    fn years(self) -> Vec<i32> {
        self.table
            .with(|t| t.as_ref().map(|t| t.years().to_vec()).unwrap_or_default())
    }

    /// The KPI in force: the chosen one, else the first core KPI with a value in the districts.
    fn kpi(self, state: AppState, chosen: Option<String>) -> Option<Kpi> {
        state.catalogue.with(|c| {
            let has_values = |k: &Kpi| {
                self.table.with(|t| {
                    t.as_ref().is_some_and(|t| {
                        t.kpi_index(&k.id).is_some_and(|i| {
                            t.iter().any(|v| v.kpi == i && v.value.number().is_some())
                        })
                    })
                })
            };
            chosen
                .and_then(|id| c.kpis().iter().find(|k| k.id == id))
                .or_else(|| c.kpis().iter().find(|k| k.core && has_values(k)))
                .or_else(|| c.kpis().first())
                .cloned()
        })
    }

    /// The year in force: the chosen one, else the header's year when the districts have it,
    /// else their latest.
    fn year(self, state: AppState, chosen: Option<i32>) -> Option<i32> {
        let years = self.years();
        chosen
            .filter(|y| years.contains(y))
            .or_else(|| state.year.get().filter(|y| years.contains(y)))
            .or_else(|| years.last().copied())
    }

    /// What the map shows for the chosen KPI and year (`None`: the defaults of [`Self::kpi`]
    /// and [`Self::year`]), classed by `classing`.
    fn layer(
        self,
        state: AppState,
        chosen_kpi: Signal<Option<String>>,
        chosen_year: Signal<Option<i32>>,
        classing: Signal<Classing>,
    ) -> MapLayer {
        let kpi = Signal::derive(move || self.kpi(state, chosen_kpi.get()));
        let year = Signal::derive(move || self.year(state, chosen_year.get()));
        let values = Signal::derive(move || match (kpi.get(), year.get()) {
            (Some(k), Some(y)) => self.values(state, &k, y),
            _ => Vec::new(),
        });
        MapLayer {
            kpi,
            year,
            values,
            classes: Signal::derive(move || {
                classes_of(&values.get(), kpi.get().as_ref(), classing.get())
            }),
            heading: Signal::derive(move || heading_of(state, kpi.get(), year.get())),
        }
    }

    /// Each district's value of a KPI in a year (with its reason when missing); `None` for a
    /// district the user took out of view.
    fn values(self, state: AppState, kpi: &Kpi, year: i32) -> Vec<Option<Value>> {
        let names = self.names();
        self.table.with(|t| {
            let Some(t) = t.as_ref() else {
                return Vec::new();
            };
            let index = t.kpi_index(&kpi.id);
            names
                .iter()
                .enumerate()
                .map(|(d, name)| {
                    let hidden = state.hidden_districts.with(|h| h.contains(name));
                    (!hidden).then(|| {
                        index
                            .and_then(|i| t.get(d, year, i).cloned())
                            .unwrap_or(Value::Missing(vergleichsring_core::Reason::NoRecord))
                    })
                })
                .collect()
        })
    }
}

fn district_names(districts: Memo<Option<Districts>>) -> Vec<String> {
    districts.with(|d| {
        d.as_ref()
            .map(|d| d.names().map(str::to_string).collect())
            .unwrap_or_default()
    })
}

/// What a district map shows, derived in one place for the map, its legend and its words.
#[derive(Clone, Copy)]
struct MapLayer {
    /// The KPI in force.
    kpi: Signal<Option<Kpi>>,
    /// The year in force.
    year: Signal<Option<i32>>,
    /// Each district's value (`None`: out of view).
    values: Signal<Vec<Option<Value>>>,
    /// The values' classes, coloured by the KPI's polarity.
    classes: Signal<Classes>,
    /// What is shown: KPI and year.
    heading: Signal<String>,
}

/// The Karte view.
#[component]
pub fn MapView() -> impl IntoView {
    let model = expect_context::<MapModel>();
    view! {
        {move || {
            if model.districts.with(Option::is_none) {
                view! { <EmptyState text=|t| t.map.empty /> }.into_any()
            } else {
                view! { <DistrictMap /> }.into_any()
            }
        }}
    }
}

/// The numbers of the districts' values (`None`: missing or out of view).
fn numbers_of(values: &[Option<Value>]) -> Vec<Option<f64>> {
    values
        .iter()
        .map(|v| v.as_ref().and_then(Value::number))
        .collect()
}

/// The classes of the districts' values, coloured by the KPI's polarity.
fn classes_of(values: &[Option<Value>], kpi: Option<&Kpi>, classing: Classing) -> Classes {
    let better = kpi.map_or(Better::Neutral, |k| k.better);
    Classes::new(&numbers_of(values), classing, MAX_CLASSES, better)
}

/// What a map shows: KPI and year.
fn heading_of(state: AppState, kpi: Option<Kpi>, year: Option<i32>) -> String {
    let kpi = kpi.map(|k| k.label).unwrap_or_default();
    let year = year.map(|y| y.to_string()).unwrap_or_default();
    fill(state.t().map.heading, &[("kpi", &kpi), ("year", &year)])
}

/// A district map of one KPI in the header's year, as the dashboard, the Kurzbericht and the
/// workshop show it: the Karte view's districts, join and district choice; values, rank and
/// change in the Karte view. Nothing without boundaries.
#[component]
pub fn DistrictMapCard(
    /// Prefix of the ids inside, and the heading's id (the map may be on the page several times).
    prefix: &'static str,
    /// The figure's class beside `chart map-figure`.
    class: &'static str,
    /// The KPI (by id); default the Karte view's default, the first core KPI with values.
    #[prop(optional, into)]
    kpi: Option<Signal<Option<String>>>,
    /// The values as a list under the map (where the Karte view's table is not at hand).
    #[prop(optional)]
    list: bool,
    /// A link to the Karte view.
    #[prop(optional)]
    link: bool,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let model = expect_context::<MapModel>();
    let layer = model.layer(
        state,
        Signal::derive(move || kpi.and_then(|k| k.get())),
        Signal::stored(None),
        Signal::stored(Classing::Quantiles),
    );
    let kpi = move || layer.kpi.get();
    let values = move || layer.values.get();
    let focused = RwSignal::new(None::<usize>);
    let focused_words = move || {
        let d = focused.get()?;
        let kpi = kpi()?;
        let value = values().get(d).cloned().flatten()?;
        let name = model.names().get(d).cloned()?;
        Some(format!("{name}: {}", shown(&value, &kpi, state.t())))
    };
    // Every district in view with its value, in the order of the file.
    let entries = move || {
        let Some(kpi) = kpi() else {
            return Vec::new();
        };
        let tx = state.t();
        model
            .names()
            .into_iter()
            .zip(values())
            .filter_map(|(name, value)| {
                let value = value?;
                Some(view! { <li>{format!("{name}: {}", shown(&value, &kpi, tx))}</li> })
            })
            .collect::<Vec<_>>()
    };
    move || {
        model.shape.with(Option::is_some).then(|| {
            view! {
                <MapFigure
                    prefix=prefix
                    class=class
                    shape=model.shape
                    names=Signal::derive(move || model.names())
                    layer=layer
                    focused=focused
                >
                    <p class="map-details no-print" aria-live="polite">
                        {move || focused_words().unwrap_or_default()}
                    </p>
                    {list.then(|| view! {
                        <ul class="map-values" aria-label=move || state.t().map.values_list>{entries}</ul>
                    })}
                    {link.then(|| view! { <a href="#karte">{move || state.t().map.all_in_map}</a> })}
                </MapFigure>
            }
        })
    }
}

/// A district map as a figure: heading (with the chart downloads where asked for), the map and
/// its legend, then `children` (the focused district in words, a list, a link). The Karte view
/// and every card of a district map share it, so the maps read alike everywhere.
#[component]
fn MapFigure(
    /// Prefix of the ids inside, and of the heading's id.
    prefix: &'static str,
    /// The figure's classes beside `chart map-figure`.
    #[prop(optional)]
    class: &'static str,
    /// The CONTRACT §6 hook, on the Karte view's map only.
    #[prop(optional)]
    testid: Option<&'static str>,
    /// SVG and PNG downloads beside the heading (the Karte view's).
    #[prop(optional)]
    downloads: bool,
    shape: Memo<Option<MapShape>>,
    names: Signal<Vec<String>>,
    layer: MapLayer,
    focused: RwSignal<Option<usize>>,
    children: Children,
) -> impl IntoView {
    let heading = layer.heading;
    let head_id = format!("{prefix}-kopf");
    let class = match class {
        "" => "chart map-figure".to_string(),
        class => format!("chart map-figure {class}"),
    };
    view! {
        <figure class=class aria-labelledby=head_id.clone()>
            <div class="chart-head">
                <h4 id=head_id.clone()>{heading}</h4>
                {move || downloads.then(|| view! { <ChartDownloads name=heading.get() /> })}
            </div>
            <MapSvg
                prefix=prefix
                testid=testid
                shape=shape
                names=names
                layer=layer
                focused=focused
            />
            <Legend classes=layer.classes kpi=layer.kpi />
            {children()}
        </figure>
    }
}

/// The boundaries loaded without error.
fn loaded(state: AppState) -> Option<Arc<Boundaries>> {
    state
        .boundaries
        .with(|b| b.as_ref().and_then(|b| b.as_ref().ok()).cloned())
}

/// A value with its unit, or why it is missing.
fn shown(value: &Value, kpi: &Kpi, t: &crate::i18n::Texts) -> String {
    match value {
        Value::Number(_) => format!(
            "{} {}",
            value_words(value, kpi.decimals as usize, t),
            kpi.unit
        ),
        Value::Missing(_) => value_words(value, kpi.decimals as usize, t),
    }
}

#[component]
fn DistrictMap() -> impl IntoView {
    let state = expect_context::<AppState>();
    let model = expect_context::<MapModel>();
    let MapModel {
        districts,
        table,
        chosen_join,
        join,
        shape,
    } = model;
    let t = move || state.t().map;
    let chosen_kpi: RwSignal<Option<String>> = RwSignal::new(None);
    let chosen_year: RwSignal<Option<i32>> = RwSignal::new(None);
    let classing = RwSignal::new(Classing::Quantiles);
    let focused: RwSignal<Option<usize>> = RwSignal::new(None);

    let names = move || model.names();
    let years = move || model.years();
    let layer = model.layer(
        state,
        chosen_kpi.into(),
        chosen_year.into(),
        classing.into(),
    );
    let kpi = move || layer.kpi.get();
    let year = move || layer.year.get();
    let values_in = move |year: i32| -> Vec<Option<Value>> {
        kpi()
            .map(|k| model.values(state, &k, year))
            .unwrap_or_default()
    };
    let values = move || layer.values.get();
    let numbers = move || numbers_of(&values());
    // The change of a district's value to the year before, in words.
    let change = move |d: usize| -> String {
        let (Some(kpi), Some(year)) = (kpi(), year()) else {
            return String::new();
        };
        let now = values().get(d).cloned().flatten().and_then(|v| v.number());
        let before = values_in(year - 1)
            .get(d)
            .cloned()
            .flatten()
            .and_then(|v| v.number());
        match (now, before) {
            (Some(x), Some(b)) => {
                let sign = if x > b { "+" } else { "" };
                fill(
                    t().change_to,
                    &[
                        (
                            "change",
                            &format!("{sign}{}", format_number(x - b, kpi.decimals as usize)),
                        ),
                        ("year", &(year - 1).to_string()),
                    ],
                )
            }
            (Some(_), None) => t().no_previous.to_string(),
            _ => String::new(),
        }
    };
    // Value, rank and change to the year before of one district, in words.
    let details = move |d: usize| -> String {
        let Some(kpi) = kpi() else {
            return String::new();
        };
        let Some(Some(value)) = values().get(d).cloned() else {
            return String::new();
        };
        let name = names().get(d).cloned().unwrap_or_default();
        let mut parts = vec![format!("{name}: {}", shown(&value, &kpi, state.t()))];
        if let Some(x) = value.number() {
            let numbers = numbers();
            let count = numbers.iter().flatten().count();
            let rank = district_rank(x, &numbers, kpi.better);
            parts.push(fill(
                t().rank_of,
                &[("rank", &rank.to_string()), ("count", &count.to_string())],
            ));
            parts.push(change(d));
        }
        parts.join(", ")
    };

    view! {
        <div class="map-view">
            <MapControls
                years=Signal::derive(years)
                kpi=Signal::derive(move || kpi().map(|k| k.id).unwrap_or_default())
                year=Signal::derive(year)
                chosen_kpi=chosen_kpi
                chosen_year=chosen_year
                classing=classing
            />
            <BoundaryStatus join=join chosen_join=chosen_join names=Signal::derive(names) />
            {move || {
                shape
                    .with(|s| s.is_some())
                    .then(|| {
                        view! {
                            <MapFigure
                                prefix="karte"
                                testid="district-map"
                                downloads=true
                                shape=shape
                                names=Signal::derive(names)
                                layer=layer
                                focused=focused
                            >
                                <p class="map-details" aria-live="polite">
                                    {move || match focused.get() {
                                        Some(d) => details(d),
                                        None => t().details_hint.to_string(),
                                    }}
                                </p>
                            </MapFigure>
                        }
                    })
            }}
            <MapTable
                names=Signal::derive(names)
                values=Signal::derive(values)
                numbers=Signal::derive(numbers)
                kpi=Signal::derive(kpi)
                year=Signal::derive(year)
                districts=districts
                table=table
                change=change
            />
            <DistrictFilter names=Signal::derive(names) />
        </div>
    }
}

/// KPI, year (select and slider) and classing.
#[component]
fn MapControls(
    years: Signal<Vec<i32>>,
    kpi: Signal<String>,
    year: Signal<Option<i32>>,
    chosen_kpi: RwSignal<Option<String>>,
    chosen_year: RwSignal<Option<i32>>,
    classing: RwSignal<Classing>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().map;
    let position = move || {
        let years = years.get();
        year.get()
            .and_then(|y| years.iter().position(|&x| x == y))
            .unwrap_or(0)
    };
    view! {
        <div class="map-controls">
            <label class="field">
                <span>{move || t().kpi}</span>
                <select
                    data-testid="map-kpi"
                    on:change=move |ev| chosen_kpi.set(Some(event_target_value(&ev)))
                >
                    {crate::views::kpi_options(move |id| kpi.get() == id)}
                </select>
            </label>
            <label class="field">
                <span>{move || t().year}</span>
                <select
                    data-testid="map-year"
                    on:change=move |ev| chosen_year.set(event_target_value(&ev).parse().ok())
                >
                    {move || {
                        years
                            .get()
                            .into_iter()
                            .rev()
                            .map(|y| {
                                view! {
                                    <option value=y.to_string() prop:selected=move || year.get() == Some(y)>
                                        {y}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            <label class="field map-slider">
                <span>{move || t().year_slider}</span>
                <input
                    type="range"
                    min="0"
                    max=move || years.get().len().saturating_sub(1).to_string()
                    step="1"
                    prop:value=move || position().to_string()
                    aria-valuetext=move || year.get().map(|y| y.to_string()).unwrap_or_default()
                    on:input=move |ev| {
                        let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                        chosen_year.set(years.get().get(i).copied());
                    }
                />
            </label>
            <fieldset class="map-classing">
                <legend>{move || t().classing}</legend>
                {[Classing::Quantiles, Classing::EqualSteps]
                    .into_iter()
                    .map(|choice| {
                        let words = move || match choice {
                            Classing::Quantiles => t().quantiles,
                            Classing::EqualSteps => t().equal_steps,
                        };
                        view! {
                            <label>
                                <input
                                    type="radio"
                                    name="karte-klassen"
                                    prop:checked=move || classing.get() == choice
                                    on:change=move |_| classing.set(choice)
                                />
                                {words}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
        </div>
    }
}

/// Which boundaries are loaded, the join property, and what does not match.
#[component]
fn BoundaryStatus(
    join: Memo<Option<Join>>,
    chosen_join: RwSignal<Option<String>>,
    names: Signal<Vec<String>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().map;
    let status = move || -> String {
        state.boundaries.with(|b| match b {
            None => t().no_boundaries.to_string(),
            Some(Err((file, message))) => fill(
                t().boundaries_failed,
                &[
                    ("file", file),
                    ("message", &message.in_lang(state.lang.get())),
                ],
            ),
            Some(Ok(b)) => {
                let guessed = if b.crs_guessed { t().crs_guessed } else { "" };
                let mut text = fill(
                    t().boundaries_loaded,
                    &[
                        ("file", &b.file),
                        ("count", &b.features.len().to_string()),
                        ("crs", &format!("{}{guessed}", b.crs.epsg())),
                    ],
                );
                if b.file == vergleichsring_core::DEMO_BOUNDARIES_FILE_NAME {
                    text = format!("{text}. {}", t().demo_note);
                }
                text
            }
        })
    };
    let keys = move || loaded(state).map(|b| b.keys.clone()).unwrap_or_default();
    let lists = move || -> Vec<String> {
        let Some(boundaries) = loaded(state) else {
            return Vec::new();
        };
        let names = names.get();
        join.with(|j| {
            let Some(j) = j else { return Vec::new() };
            let mut lines = vec![fill(
                t().join_matched,
                &[
                    ("matched", &j.matched().to_string()),
                    ("total", &names.len().to_string()),
                ],
            )];
            let missing: Vec<&str> = j
                .without_boundary()
                .into_iter()
                .filter_map(|d| names.get(d).map(String::as_str))
                .collect();
            if !missing.is_empty() {
                lines.push(fill(t().without_boundary, &[("list", &missing.join(", "))]));
            }
            let extra: Vec<String> = j
                .without_data
                .iter()
                .map(|&f| {
                    let feature = &boundaries.features[f];
                    feature
                        .property(&j.key)
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("Feature {}", feature.number))
                })
                .collect();
            if !extra.is_empty() {
                lines.push(fill(
                    t().without_data,
                    &[("key", &j.key), ("list", &extra.join(", "))],
                ));
            }
            if !boundaries.without_geometry.is_empty() {
                let list: Vec<String> = boundaries
                    .without_geometry
                    .iter()
                    .map(|n| format!("Feature {n}"))
                    .collect();
                lines.push(fill(t().without_geometry, &[("list", &list.join(", "))]));
            }
            lines
        })
    };
    view! {
        <div class="map-boundaries">
            <p role="status" data-testid="map-boundaries">{status}</p>
            {move || {
                let keys = keys();
                (!keys.is_empty())
                    .then(|| {
                        let current = join.with(|j| j.as_ref().map(|j| j.key.clone()));
                        view! {
                            <label class="field">
                                <span>{move || t().join}</span>
                                <select
                                    data-testid="map-join"
                                    on:change=move |ev| chosen_join.set(Some(event_target_value(&ev)))
                                >
                                    {keys
                                        .into_iter()
                                        .map(|k| {
                                            let selected = current.as_deref() == Some(k.as_str());
                                            view! {
                                                <option value=k.clone() selected=selected>
                                                    {k.clone()}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </label>
                        }
                    })
            }}
            <ul class="map-unmatched">
                {move || lists().into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
            </ul>
        </div>
    }
}

/// The map itself: one focusable area per district, the rest drawn as boundaries without data.
#[component]
fn MapSvg(
    /// Prefix of the ids inside (the map may be on the page twice).
    prefix: &'static str,
    /// The CONTRACT §6 hook, on the Karte view's map only.
    #[prop(optional_no_strip)]
    testid: Option<&'static str>,
    shape: Memo<Option<MapShape>>,
    names: Signal<Vec<String>>,
    layer: MapLayer,
    focused: RwSignal<Option<usize>>,
) -> impl IntoView {
    let MapLayer {
        values,
        classes,
        kpi,
        heading,
        ..
    } = layer;
    let state = expect_context::<AppState>();
    let t = move || state.t().map;
    let height = move || shape.with(|s| s.as_ref().map_or(0.0, |s| s.height));
    let others = move || {
        shape.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.areas
                        .iter()
                        .filter(|a| a.district.is_none())
                        .map(|a| view! { <path class="map-area no-data" d=a.path.clone() fill-rule="evenodd" /> })
                        .collect_view()
                })
        })
    };
    let areas = move || {
        let names = names.get();
        let values = values.get();
        let classes = classes.get();
        let kpi = kpi.get();
        let tx = state.t();
        shape.with(|s| {
            let s = s.as_ref()?;
            Some(
                names
                    .iter()
                    .enumerate()
                    .filter_map(|(d, name)| {
                        let path = s.path_of(d);
                        let value = values.get(d).cloned().flatten()?;
                        if path.is_empty() {
                            return None;
                        }
                        let words = kpi
                            .as_ref()
                            .map(|k| shown(&value, k, tx))
                            .unwrap_or_default();
                        let fill_colour = classes.fill(d).unwrap_or("#FFFFFF");
                        let raw = value.number().map(|x| x.to_string()).unwrap_or_default();
                        let label = format!("{name}: {words}");
                        Some(view! {
                            <path
                                class="map-area"
                                class:no-value=value.number().is_none()
                                d=path
                                fill=fill_colour
                                fill-rule="evenodd"
                                tabindex="0"
                                role="img"
                                aria-label=label.clone()
                                data-district=name.clone()
                                data-value=raw
                                on:focus=move |_| focused.set(Some(d))
                                on:mouseenter=move |_| focused.set(Some(d))
                            >
                                <title>{label.clone()}</title>
                            </path>
                        })
                    })
                    .collect_view(),
            )
        })
    };
    let labels = move || {
        let names = names.get();
        let values = values.get();
        shape.with(|s| {
            s.as_ref().map(|s| {
                names
                    .iter()
                    .enumerate()
                    .filter(|(d, _)| values.get(*d).is_some_and(Option::is_some))
                    .filter_map(|(d, name)| {
                        let [x, y] = s.label_of(d)?;
                        Some(view! {
                            <text class="map-label" x=format!("{x:.1}") y=format!("{y:.1}") text-anchor="middle" dominant-baseline="middle">
                                {name.clone()}
                            </text>
                        })
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <svg
            data-testid=testid
            class="district-map"
            role="group"
            aria-labelledby=format!("{prefix}-titel-svg {prefix}-desc-svg")
            viewBox=move || format!("0 0 {MAP_WIDTH} {:.1}", height())
            on:mouseleave=move |_| focused.set(None)
        >
            <title id=format!("{prefix}-titel-svg")>{move || heading.get()}</title>
            <desc id=format!("{prefix}-desc-svg")>{move || t().desc}</desc>
            <g class="map-others" aria-hidden="true">{others}</g>
            <g class="map-districts">{areas}</g>
            <g class="map-labels" aria-hidden="true">{labels}</g>
        </svg>
    }
}

/// The classes with their colours and ranges, and what darker means.
#[component]
fn Legend(classes: Signal<Classes>, kpi: Signal<Option<Kpi>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().map;
    let polarity = move || {
        let better = kpi.get().map_or(Better::Neutral, |k| k.better);
        match better {
            Better::Lower => fill(t().darker_worse, &[("better", t().lower_better)]),
            Better::Higher => fill(t().darker_worse, &[("better", t().higher_better)]),
            Better::Neutral => t().darker_higher.to_string(),
        }
    };
    let entries = move || {
        let classes = classes.get();
        let decimals = kpi.get().map_or(2, |k| k.decimals as usize);
        classes
            .fills
            .iter()
            .enumerate()
            .map(|(i, colour)| {
                let range = format!(
                    "{} – {}",
                    format_number(classes.edges[i], decimals),
                    format_number(classes.edges[i + 1], decimals)
                );
                view! {
                    <li>
                        <svg class="swatch" viewBox="0 0 16 16" aria-hidden="true">
                            <rect width="16" height="16" fill=*colour />
                        </svg>
                        {range}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="map-legend">
            <p class="legend-title">{move || t().legend} ": " {polarity}</p>
            <ul>
                {entries}
                <li>
                    <svg class="swatch" viewBox="0 0 16 16" aria-hidden="true">
                        <rect width="16" height="16" fill="#FFFFFF" class="no-value" />
                    </svg>
                    {move || t().no_value}
                </li>
            </ul>
        </div>
    }
}

/// The same values as a table, with rank, change and the city as reference.
#[component]
fn MapTable(
    names: Signal<Vec<String>>,
    values: Signal<Vec<Option<Value>>>,
    numbers: Signal<Vec<Option<f64>>>,
    kpi: Signal<Option<Kpi>>,
    year: Signal<Option<i32>>,
    districts: Memo<Option<Districts>>,
    table: Memo<Option<KpiTable>>,
    /// The change of a district's value to the year before, in words.
    change: impl Fn(usize) -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().map;
    let caption = move || {
        let k = kpi.get();
        fill(
            t().table_caption,
            &[
                (
                    "kpi",
                    &k.as_ref().map(|k| k.label.clone()).unwrap_or_default(),
                ),
                (
                    "year",
                    &year.get().map(|y| y.to_string()).unwrap_or_default(),
                ),
                ("unit", &k.map(|k| k.unit).unwrap_or_default()),
            ],
        )
    };
    let rows = move || {
        let names = names.get();
        let values = values.get();
        let numbers = numbers.get();
        let Some(kpi) = kpi.get() else {
            return Vec::new();
        };
        let tx = state.t();
        names
            .into_iter()
            .enumerate()
            .filter_map(|(d, name)| {
                let value = values.get(d).cloned().flatten()?;
                let rank = value
                    .number()
                    .map(|x| district_rank(x, &numbers, kpi.better).to_string())
                    .unwrap_or_default();
                let raw = value.number().map(|x| x.to_string()).unwrap_or_default();
                let words = value_words(&value, kpi.decimals as usize, tx);
                let change = change(d);
                let hook = name.clone();
                Some(view! {
                    <tr data-district=hook>
                        <th scope="row">{name}</th>
                        <td class="num" data-value=raw>{words}</td>
                        <td class="num">{rank}</td>
                        <td>{change}</td>
                    </tr>
                })
            })
            .collect::<Vec<_>>()
    };
    let city = move || {
        let kpi = kpi.get()?;
        let year = year.get()?;
        let tx = state.t();
        districts.with(|d| {
            let d = d.as_ref()?;
            let unit = d.city_unit();
            let value = table.with(|t| {
                t.as_ref()
                    .and_then(|t| t.kpi_index(&kpi.id).and_then(|i| t.get(unit, year, i).cloned()))
            })?;
            let name = d.dataset.municipalities[unit].name.clone();
            let template = match d.reference {
                CityFigures::Sum => t().city_sum,
                CityFigures::TotalRow => t().city_total,
                CityFigures::Loaded => t().city_loaded,
            };
            let raw = value.number().map(|x| x.to_string()).unwrap_or_default();
            let shown_name = fill(template, &[("city", &name)]);
            Some(view! {
                <tr class="map-city" data-city=name>
                    <th scope="row">{shown_name}</th>
                    <td class="num" data-value=raw>{value_words(&value, kpi.decimals as usize, tx)}</td>
                    <td></td>
                    <td></td>
                </tr>
            })
        })
    };
    view! {
        <div class="table-box" tabindex="0" role="region" aria-label=caption>
            <table data-testid="map-table">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || t().col_district}</th>
                        <th scope="col">{move || t().col_value}</th>
                        <th scope="col">{move || t().col_rank}</th>
                        <th scope="col">{move || t().col_change}</th>
                    </tr>
                </thead>
                <tbody>{rows} {city}</tbody>
            </table>
        </div>
    }
}

/// Which districts every district view shows.
#[component]
fn DistrictFilter(names: Signal<Vec<String>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().map;
    let boxes = move || {
        names
            .get()
            .into_iter()
            .map(|name| {
                let key = name.clone();
                let checked = {
                    let name = name.clone();
                    move || !state.hidden_districts.with(|h| h.contains(&name))
                };
                view! {
                    <label>
                        <input
                            type="checkbox"
                            prop:checked=checked
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                state
                                    .hidden_districts
                                    .update(|h| {
                                        if on {
                                            h.remove(&key);
                                        } else {
                                            h.insert(key.clone());
                                        }
                                    });
                            }
                        />
                        {name}
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <details class="map-filter">
            <summary>{move || t().filter}</summary>
            <p class="hint">{move || t().filter_hint}</p>
            <button type="button" on:click=move |_| state.hidden_districts.set(Default::default())>
                {move || t().show_all}
            </button>
            <div class="map-filter-boxes" data-testid="map-filter">{boxes}</div>
        </details>
    }
}
