//! One file per view; each exports one `…View` component that renders the section's content
//! (the section and its heading come from `ViewSection` in lib.rs). Shared pieces live here.

pub mod app;
pub mod autosave;
pub mod bindings;
pub mod brief;
pub mod cases;
pub mod change;
pub mod charts;
pub mod check;
pub mod compare;
pub mod dashboard;
pub mod data;
pub mod exchange;
pub mod export;
pub mod funnel;
pub mod kpis;
pub mod map;
pub mod peers;
pub mod session;
pub mod targets;
pub mod words;
pub mod workshop;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use vergleichsring_core::chart::escape;
use vergleichsring_core::{format_number, Catalogue, Reason, Value};

use crate::i18n::{fill, Texts};
use crate::state::AppState;

/// A checkbox and its label, bound to a flag.
#[component]
pub fn CheckField(
    /// The flag.
    checked: RwSignal<bool>,
    /// Picks the label from the current language's texts.
    text: fn(&Texts) -> &'static str,
    /// The test hook, where there is one.
    #[prop(optional)]
    testid: Option<&'static str>,
    /// The label's class: how the surrounding form sets its checkboxes.
    #[prop(default = "check-field")]
    class: &'static str,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <label class=class>
            <input
                type="checkbox"
                data-testid=testid
                prop:checked=move || checked.get()
                on:change=move |ev| checked.set(event_target_checked(&ev))
            />
            {move || text(state.t())}
        </label>
    }
}

/// A labelled text input bound to a signal, as typed.
#[component]
pub fn TextField(
    /// The input's id.
    id: &'static str,
    /// Picks the label from the current language's texts.
    label: fn(&Texts) -> &'static str,
    /// The text.
    value: RwSignal<String>,
    /// The input's type: `text`, or `search` for a filter.
    #[prop(default = "text")]
    kind: &'static str,
    /// The field spans the form's grid.
    #[prop(optional)]
    wide: bool,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <div class="field" class:wide=wide>
            <label for=id>{move || label(state.t())}</label>
            <input
                id=id
                type=kind
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </div>
    }
}

/// What a view shows when it has nothing to show yet: what it is for and what to do.
#[component]
pub fn EmptyState(
    /// Picks the message from the current language's texts.
    text: fn(&Texts) -> &'static str,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let no_data = move || state.data.with(|d| d.is_empty());
    view! {
        <div class="empty-state">
            <p>{move || text(state.t())}</p>
            {move || {
                no_data().then(|| view! { <a href="#daten">{state.t().go_to_data}</a> })
            }}
        </div>
    }
}

/// The catalogue's KPIs as options (value = id, label shown), following catalogue edits;
/// `chosen` tells which one is selected.
pub fn kpi_options(chosen: impl Fn(&str) -> bool + Copy + Send + Sync + 'static) -> impl IntoView {
    catalogue_options(
        |c| {
            c.kpis()
                .iter()
                .map(|k| (k.id.clone(), k.label.clone()))
                .collect()
        },
        chosen,
    )
}

/// Items of the catalogue as options, following catalogue edits: `items` picks them as
/// (id, label), the id the option's value; `chosen` tells which one is selected.
pub fn catalogue_options(
    items: fn(&Catalogue) -> Vec<(String, String)>,
    chosen: impl Fn(&str) -> bool + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state
            .catalogue
            .with(items)
            .into_iter()
            .map(|(id, label)| {
                let selected = {
                    let id = id.clone();
                    move || chosen(&id)
                };
                view! { <option value=id prop:selected=selected>{label}</option> }
            })
            .collect_view()
    }
}

/// A labelled select of KPIs (option value = id) that sets `chosen`; `shown` is the KPI in force
/// (the chosen one, or a default while none is chosen).
#[component]
pub fn KpiSelect(
    /// The label's text.
    label: &'static str,
    /// The KPIs offered: (id, label).
    options: Vec<(String, String)>,
    /// Set to the id the user picks.
    chosen: RwSignal<String>,
    /// The KPI shown as selected.
    shown: Memo<String>,
    /// A `data-testid` for the select.
    #[prop(optional)]
    testid: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label class="field inline kpi-select">
            <span>{label}</span>
            <select data-testid=testid on:change=move |ev| chosen.set(event_target_value(&ev))>
                {options
                    .into_iter()
                    .map(|(id, label)| {
                        let selected = {
                            let id = id.clone();
                            move || shown.with(|k| *k == id)
                        };
                        view! { <option value=id prop:selected=selected>{label}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// Prints with `class` on `element`, so the print CSS shows only one part of the page (the
/// report of findings, the Kurzbericht). The class goes when the browser says printing is over:
/// Chromium returns from `print()` after the dialog, Firefox may return at once and print later.
pub fn print_with(element: Option<web_sys::Element>, class: &'static str) {
    let Some(element) = element else {
        let _ = window().print();
        return;
    };
    let _ = element.class_list().add_1(class);
    let done = Closure::once_into_js(move || {
        let _ = element.class_list().remove_1(class);
        window().set_onafterprint(None);
    });
    window().set_onafterprint(Some(done.unchecked_ref()));
    let _ = window().print();
}

/// Why a value is missing, in the current language.
pub fn reason_words(reason: &Reason, t: &Texts) -> String {
    let r = t.reasons;
    match reason {
        Reason::Empty => r.empty.into(),
        Reason::Unknown => r.unknown.into(),
        Reason::NotYetAvailable => r.not_yet_available.into(),
        Reason::Unreliable => r.unreliable.into(),
        Reason::Locked => r.locked.into(),
        Reason::NoAnswer => r.no_answer.into(),
        Reason::NotNumeric(text) => fill(r.not_numeric, &[("text", text)]),
        Reason::DivisionByZero => r.division_by_zero.into(),
        Reason::NoRecord => r.no_record.into(),
        Reason::NoPreviousYear => r.no_previous_year.into(),
        Reason::Input(key, inner) => format!("{key}: {}", reason_words(inner, t)),
        Reason::Unbound(key) => fill(r.unbound, &[("key", key)]),
    }
}

/// A value as shown: the number with its decimals, or why it is missing.
pub fn value_words(value: &Value, decimals: usize, t: &Texts) -> String {
    match value {
        Value::Number(x) => format_number(*x, decimals),
        Value::Missing(reason) => reason_words(reason, t),
    }
}

/// A select over a fixed list of choices; `pick` gets the chosen one. The options are told apart
/// by position, so the choices need no string form of their own.
pub fn choice<T: Copy + PartialEq + Send + Sync + 'static>(
    label: Option<String>,
    options: Vec<(T, String)>,
    current: T,
    pick: impl Fn(T) + 'static,
) -> impl IntoView {
    let values: Vec<T> = options.iter().map(|&(value, _)| value).collect();
    view! {
        <select
            aria-label=label
            on:change=move |ev| {
                let chosen = event_target_value(&ev).parse::<usize>().ok().and_then(|i| values.get(i));
                if let Some(&value) = chosen {
                    pick(value);
                }
            }
        >
            {options
                .into_iter()
                .enumerate()
                .map(|(i, (value, name))| {
                    view! {
                        <option value=i.to_string() selected=value == current>
                            {name}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}

/// The options of a long select and the value chosen among them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LongOptions {
    /// The first option, which names the choice ("Bitte wählen", "alle"): its text, and whether
    /// it can be chosen (an unchosen own municipality cannot be chosen back).
    pub first: (String, bool),
    /// Value and text of every other option.
    pub options: Vec<(String, String)>,
    /// The value chosen; the first option's (empty) value for none.
    pub chosen: String,
}

impl LongOptions {
    /// The options as HTML.
    fn html(&self) -> String {
        let mut html = format!(
            "<option value=\"\"{}>{}</option>",
            if self.first.1 { "" } else { " disabled" },
            escape(&self.first.0)
        );
        for (value, text) in &self.options {
            html.push_str(&format!(
                "<option value=\"{}\">{}</option>",
                escape(value),
                escape(text)
            ));
        }
        html
    }
}

/// More options than this are written after the page has drawn what changed with them.
const WRITE_AT_ONCE: usize = 1000;

/// Keeps the options and the chosen value of `select` in step with `choices`. The options are
/// written as one piece of HTML: a municipality table lists thousands, and an option element
/// each, with its own reactive bindings, made the longest task of loading such a table. Even
/// so the browser styles and lays out every option (14,000 options: about a quarter of a
/// second), so a long list is written after the next frame: until then the select holds the
/// chosen option only and is `aria-busy`.
pub fn keep_long_options(
    select: NodeRef<leptos::html::Select>,
    choices: impl Fn() -> LongOptions + Send + Sync + 'static,
) {
    let choices = Memo::new(move |_| choices());
    let written = StoredValue::new(String::new());
    // Counts the changes, so that a list written late is still the newest.
    let change = StoredValue::new(0u64);
    Effect::new(move |_| {
        let Some(select) = select.get() else {
            return;
        };
        choices.with(|c| {
            change.update_value(|n| *n += 1);
            let html = c.html();
            if written.with_value(|w| *w == html) {
                select.set_value(&c.chosen);
            } else if c.options.len() <= WRITE_AT_ONCE {
                write_options(&select, &html, &c.chosen);
                written.set_value(html);
            } else {
                let chosen = LongOptions {
                    first: c.first.clone(),
                    options: c
                        .options
                        .iter()
                        .filter(|(v, _)| *v == c.chosen)
                        .cloned()
                        .collect(),
                    chosen: c.chosen.clone(),
                };
                write_options(&select, &chosen.html(), &c.chosen);
                written.set_value(String::new());
                let _ = select.set_attribute("aria-busy", "true");
                let this = change.get_value();
                let select = select.clone();
                crate::idle::after_drawn(move || {
                    if change.try_get_value() != Some(this) {
                        return;
                    }
                    let _ = select.remove_attribute("aria-busy");
                    if let Some(chosen) = choices.try_with_untracked(|c| c.chosen.clone()) {
                        write_options(&select, &html, &chosen);
                        written.set_value(html);
                    }
                });
            }
        });
    });
}

/// Writes the options of `select` as `html` and chooses `chosen`.
fn write_options(select: &web_sys::HtmlSelectElement, html: &str, chosen: &str) {
    select.set_inner_html(html);
    select.set_value(chosen);
}

/// "Demo – fiktive Kommunen", shown wherever the demo ring's figures are.
#[component]
pub fn DemoBadge() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state
            .data
            .with(|d| d.demo)
            .then(|| view! { <span class="demo-badge">{state.t().demo_label}</span> })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_options_are_escaped_html() {
        let options = LongOptions {
            first: ("Bitte wählen".into(), false),
            options: vec![
                ("0".into(), "Aachen, Kreis".into()),
                ("1".into(), "<b>\"A&B\"</b> 'x'".into()),
            ],
            chosen: "1".into(),
        };
        assert_eq!(
            options.html(),
            "<option value=\"\" disabled>Bitte wählen</option>\
             <option value=\"0\">Aachen, Kreis</option>\
             <option value=\"1\">&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt; 'x'</option>"
        );
        let all = LongOptions {
            first: ("alle".into(), true),
            ..LongOptions::default()
        };
        assert_eq!(all.html(), "<option value=\"\">alle</option>");
    }
}
