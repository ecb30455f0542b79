//! The Zuordnung panel of the Daten view: for each measure of the catalogue, which loaded column
//! and dimension values feed it (changeable with a select and checkboxes, never by a formula),
//! why it is empty when nothing does, which official table to download for it, and the catalogue
//! with the bindings written in as sources. What binds is decided by the core
//! (`vergleichsring_core::bind`); this file renders it and passes the user's choices on.

use leptos::prelude::*;
use vergleichsring_core::{
    dimension_values, in_force, statistic_name, Binding, BindingState, CatalogueMeasure, Dataset,
    MeasureBinding, Reason,
};
use wasm_bindgen::JsCast;

use crate::download::download;
use crate::i18n::{fill, BindingTexts};
use crate::state::AppState;
use crate::views::{choice, reason_words};

/// The file name of the catalogue saved with the bindings.
const SAVE_NAME: &str = "katalog-mit-quellen.toml";

/// The panel (only while data are loaded).
#[component]
pub fn BindingPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let save = move |_| {
        let text = state.data.with_untracked(|d| {
            let bindings = in_force(&d.bound, &d.dataset);
            state
                .catalogue
                .with_untracked(|c| c.with_bindings(&bindings).to_toml())
        });
        let _ = download(text.as_bytes(), "application/toml", SAVE_NAME);
    };
    move || {
        let t = state.t().bindings;
        let (items, count, open) = state.data.with(|d| {
            (!d.is_empty()).then(|| {
                // Open when something is to be decided; a ring file that carries every key
                // needs no look.
                let open = d.bound.iter().any(|b| b.state != BindingState::Own);
                let items = d
                    .bound
                    .iter()
                    .map(|b| view! { <BindingItem binding=b.clone() /> })
                    .collect_view();
                (items, d.bound.len(), open)
            })
        })?;
        let summary = fill(t.summary, &[("n", &count.to_string())]);
        Some(view! {
            <section class="bindings" aria-labelledby="bindings-heading" data-testid="bindings">
                <h3 id="bindings-heading">{t.heading}</h3>
                <p>{t.intro}</p>
                <details open=open>
                    <summary>{summary}</summary>
                    <ul class="binding-list">{items}</ul>
                </details>
                <p>
                    <button type="button" on:click=save>{t.save}</button>
                    " "
                    <span class="hint">{t.save_hint}</span>
                </p>
            </section>
        })
    }
}

/// One catalogue measure: how it is fed, the choices, its official tables.
#[component]
fn BindingItem(
    /// The measure and how it is bound now.
    binding: MeasureBinding,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = state.t();
    let b = t.bindings;
    let key = binding.key.clone();
    let (status, kind) = match &binding.state {
        BindingState::Own => (b.own.to_string(), "own"),
        BindingState::Bound {
            binding: source,
            chosen: false,
        } => (
            fill(b.bound_source, &[("binding", &describe(source, b))]),
            "source",
        ),
        BindingState::Bound {
            binding: source,
            chosen: true,
        } => (
            fill(b.bound_chosen, &[("binding", &describe(source, b))]),
            "chosen",
        ),
        BindingState::Unbound => (
            reason_words(&Reason::Unbound(binding.key.clone()), t),
            "unbound",
        ),
    };
    let rejected = binding.rejected.as_ref().map(
        |r| view! { <p class="warning">{fill(b.rejected, &[("binding", &describe(r, b))])}</p> },
    );
    let choices = match &binding.state {
        BindingState::Own => None,
        BindingState::Bound {
            binding: current, ..
        } => Some(current.clone()),
        BindingState::Unbound => Some(binding.rejected.clone().unwrap_or_default()),
    }
    .map(|current| {
        let chosen = state.bindings.with(|c| c.contains_key(&key));
        view! { <Choices key=key.clone() label=binding.label.clone() current chosen /> }
    });
    let sources = state
        .catalogue
        .with(|c| c.measure(&key).map(|m| official_tables(m, b)));
    view! {
        <li class="binding" data-key=key.clone() data-state=kind>
            <h4>
                {binding.label.clone()}
                " "
                <code>{key.clone()}</code>
            </h4>
            <p class=("reason", kind == "unbound")>{status}</p>
            {rejected}
            {choices}
            {sources}
        </li>
    }
}

/// The select of the loaded column, the columns to add and the dimension values.
#[component]
fn Choices(
    /// The catalogue measure key.
    key: String,
    /// Its label.
    label: String,
    /// The binding in force (or the user's rejected one), which each change starts from.
    current: Binding,
    /// Whether the user chose it (else the catalogue's source or nothing feeds the measure).
    chosen: bool,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let b = state.t().bindings;
    let current = StoredValue::new(current);
    let choose = {
        let key = key.clone();
        move |binding: Option<Binding>| state.choose_binding(&key, binding)
    };
    state.data.with(|d| {
        let loaded = &d.dataset.measures[..d.loaded_measures.min(d.dataset.measures.len())];
        let keys: Vec<String> =
            current.with_value(|c| c.keys().iter().map(|k| k.to_string()).collect());
        let first = keys
            .first()
            .and_then(|k| loaded.iter().position(|m| &m.key == k));
        let options: Vec<(Option<usize>, String)> =
            std::iter::once((None, b.automatic.to_string()))
                .chain(loaded.iter().enumerate().map(|(i, m)| {
                    let statistic = m
                        .statistic
                        .as_ref()
                        .map(|code| format!(" · {}", fill(b.statistic, &[("code", code)])))
                        .unwrap_or_default();
                    (Some(i), format!("{} ({}){statistic}", m.label, m.key))
                }))
                .collect();
        let measure_keys: Vec<String> = loaded.iter().map(|m| m.key.clone()).collect();
        let pick = {
            let choose = choose.clone();
            let measure_keys = measure_keys.clone();
            let focus = format!("{key}\u{1f}measure");
            move |i: Option<usize>| {
                match i.and_then(|i| measure_keys.get(i)) {
                    Some(k) => choose(Some(current.with_value(|c| c.with_measure(k)))),
                    None => choose(None),
                }
                refocus(focus.clone());
            }
        };
        let select = choice(
            Some(fill(b.measure, &[("label", &label)])),
            options,
            if chosen { first } else { None },
            pick,
        );
        let sum = loaded
            .iter()
            .map(|m| {
                let choose = choose.clone();
                let k = m.key.clone();
                let checked = keys.contains(&m.key);
                let focus = format!("{key}\u{1f}sum\u{1f}{}", m.key);
                view! {
                    <label class="check">
                        <input
                            type="checkbox"
                            value=m.key.clone()
                            checked=checked
                            data-focus=focus.clone()
                            on:change=move |_| {
                                choose(Some(current.with_value(|c| c.toggle_measure(&k))));
                                refocus(focus.clone());
                            }
                        />
                        {format!("{} ({})", m.label, m.key)}
                    </label>
                }
            })
            .collect_view();
        let dims = (0..d.dataset.dimensions.len())
            .map(|i| dimension_choice(&d.dataset, (&key, i), current, choose.clone(), b))
            .collect_view();
        view! {
            <div class="binding-choices">
                <div class="binding-measure" data-focus=format!("{key}\u{1f}measure")>
                    {select}
                </div>
                <details>
                    <summary>{b.sum}</summary>
                    <fieldset class="binding-sum">
                        <legend class="visually-hidden">{b.sum}</legend>
                        {sum}
                    </fieldset>
                </details>
                {dims}
            </div>
        }
    })
}

/// The checkboxes of one dimension's values: the ticked ones feed the measure, added up.
fn dimension_choice(
    dataset: &Dataset,
    (key, dimension): (&str, usize),
    current: StoredValue<Binding>,
    choose: impl Fn(Option<Binding>) + Clone + 'static,
    b: &BindingTexts,
) -> impl IntoView {
    let name = dataset.dimensions[dimension].clone();
    let ticked = current.with_value(|c| c.chosen_values(dataset, dimension));
    let boxes = dimension_values(dataset, dimension)
        .into_iter()
        .map(|value| {
            let choose = choose.clone();
            let dataset_value = value.to_string();
            let checked = ticked.contains(&dataset_value);
            let state = expect_context::<AppState>();
            let focus = format!("{key}\u{1f}{dimension}\u{1f}{value}");
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        value=dataset_value.clone()
                        checked=checked
                        data-focus=focus.clone()
                        on:change=move |_| {
                            let next = state.data.with_untracked(|d| {
                                current.with_value(|c| c.toggle_value(&d.dataset, dimension, &dataset_value))
                            });
                            choose(Some(next));
                            refocus(focus.clone());
                        }
                    />
                    {value.to_string()}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="binding-dimension" data-dimension=name.clone()>
            <legend>{fill(b.dimension, &[("dimension", &name)])}</legend>
            {boxes}
        </fieldset>
    }
}

/// Puts the focus back on the control marked `data-focus = id` once the panel is drawn again:
/// every choice draws it anew, which would otherwise drop a keyboard user's place.
fn refocus(id: String) {
    request_animation_frame(move || {
        let Ok(marked) = document().query_selector_all("[data-testid=\"bindings\"] [data-focus]")
        else {
            return;
        };
        let found = (0..marked.length())
            .filter_map(|i| marked.item(i)?.dyn_into::<web_sys::Element>().ok())
            .find(|e| e.get_attribute("data-focus").as_deref() == Some(id.as_str()));
        // The select's mark is on its wrapper (the select comes from the shared choice helper).
        let control = found.and_then(|e| match e.tag_name().as_str() {
            "DIV" => e.query_selector("select").ok().flatten(),
            _ => Some(e),
        });
        if let Some(control) = control.and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = control.focus();
        }
    });
}

/// A binding in words of the current language: `Statistik 12411: „insgesamt“ (Geschlecht:
/// Insgesamt)`, several columns or values joined by ` + `.
fn describe(binding: &Binding, b: &BindingTexts) -> String {
    let keys: Vec<String> = binding.keys().iter().map(|k| format!("„{k}“")).collect();
    let mut text = keys.join(" + ");
    if let Some(code) = &binding.statistic {
        text = format!("{}: {text}", fill(b.statistic, &[("code", code)]));
    }
    if !binding.dims.is_empty() {
        let dims: Vec<String> = binding
            .dims
            .iter()
            .map(|(name, values)| format!("{name}: {}", values.values().join(" + ")))
            .collect();
        text = format!("{text} ({})", dims.join(", "));
    }
    text
}

/// The official tables a measure can come from and how to download them (text only: the page
/// fetches nothing).
fn official_tables(measure: &CatalogueMeasure, b: &BindingTexts) -> Option<impl IntoView> {
    let tables = measure.tables();
    (!tables.is_empty()).then(|| {
        let lines = tables
            .into_iter()
            .map(|(table, statistic)| {
                let name = statistic_name(statistic).unwrap_or(statistic);
                view! { <li>{fill(b.official_table, &[("table", table), ("name", name)])}</li> }
            })
            .collect_view();
        view! {
            <div class="official-source">
                <p class="official-heading">{b.official}</p>
                <ul>{lines}</ul>
                <p class="hint">{b.download_hint}</p>
            </div>
        }
    })
}
