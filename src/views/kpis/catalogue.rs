//! The catalogue: load a TOML file, save the current catalogue as TOML, go back to the built-in
//! one, and edit KPIs and rules with live validation of their formulas.
//!
//! Drafts live in their own signals: the catalogue changes only when the user applies a draft
//! that makes a valid catalogue, and a draft with an error stays as typed.

use leptos::prelude::*;
use vergleichsring_core::{
    Better, Catalogue, Error, ErrorKind, FunnelKind, Grammar, Kpi, Level, Rule, Severity,
};

use super::level_label;
use crate::download::{download, read_chosen_text};
use crate::i18n::{fill, kpis::KpiTexts};
use crate::state::AppState;
use crate::views::{catalogue_options, kpi_options, CheckField, TextField};

/// The file name a saved catalogue gets.
const SAVE_NAME: &str = "kennzahlenkatalog.toml";

/// A choice of a select and the words it shows.
type Choice<T> = (T, fn(&KpiTexts) -> &'static str);

/// What the last catalogue action did: a confirmation or an error, shown in a live region.
type Outcome = Option<Result<String, String>>;

/// Load, save, reset and the two editors.
#[component]
pub(super) fn CatalogueSection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().kpis;
    view! {
        <section class="catalogue" aria-labelledby="katalog-titel">
            <h3 id="katalog-titel">{move || t().catalogue_heading}</h3>
            <CatalogueFile />
            <p class="intro">{move || t().editor_intro}</p>
            <div class="editors">
                <KpiEditor />
                <RuleEditor />
            </div>
        </section>
    }
}

/// The catalogue's name and size, and the load / save / reset actions.
#[component]
fn CatalogueFile() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().kpis;
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let current = move || {
        state.catalogue.with(|c| {
            fill(
                t().catalogue_current,
                &[
                    ("name", c.name()),
                    ("kpis", &c.kpis().len().to_string()),
                    ("rules", &c.rules().len().to_string()),
                ],
            )
        })
    };
    let load = move |ev: leptos::ev::Event| {
        read_chosen_text(&ev, move |name, text| {
            let t = state.t().kpis;
            let result = match text {
                None => Err(fill(t.catalogue_read_failed, &[("file", &name)])),
                Some(text) => match Catalogue::from_toml(&text) {
                    Ok(catalogue) => {
                        state.set_catalogue(catalogue);
                        Ok(fill(t.catalogue_loaded, &[("file", &name)]))
                    }
                    Err(e) => Err(fill(
                        t.catalogue_not_loaded,
                        &[
                            ("file", &name),
                            ("msg", &state.say_error(&e.in_file(&name))),
                        ],
                    )),
                },
            };
            outcome.set(Some(result));
        });
    };
    let save = move |_| {
        let text = state.catalogue.with(Catalogue::to_toml);
        let _ = download(text.as_bytes(), "application/toml", SAVE_NAME);
        outcome.set(Some(Ok(fill(t().catalogue_saved, &[("file", SAVE_NAME)]))));
    };
    let reset = move |_| {
        state.set_catalogue(Catalogue::builtin());
        outcome.set(Some(Ok(t().catalogue_was_reset.to_string())));
    };
    view! {
        <p>{current}</p>
        <div class="actions">
            <input
                id="catalogue-input"
                class="file-input"
                type="file"
                accept=".toml,text/plain"
                on:change=load
            />
            <label for="catalogue-input" class="button">
                {move || t().catalogue_load}
            </label>
            <button type="button" on:click=save>
                {move || t().catalogue_save}
            </button>
            <button type="button" on:click=reset>
                {move || t().catalogue_reset}
            </button>
        </div>
        <OutcomeLine outcome=outcome />
        <crate::views::exchange::TemplateDownloads />
    }
}

/// A confirmation or an error of the last action, announced to screen readers.
#[component]
fn OutcomeLine(outcome: RwSignal<Outcome>) -> impl IntoView {
    view! {
        <p class="outcome" role="status">
            {move || {
                outcome
                    .get()
                    .map(|r| match r {
                        Ok(text) => view! { <span class="ok">{text}</span> }.into_any(),
                        Err(text) => view! { <span class="error">{text}</span> }.into_any(),
                    })
            }}
        </p>
    }
}

/// Checks a typed formula against the catalogue and, once data are loaded, its measures.
/// `Ok(true)` = fully checked, `Ok(false)` = syntax only (no data yet), `Err((column, message))`.
fn check_formula(state: AppState, text: &str, grammar: Grammar) -> Result<bool, (usize, String)> {
    let result = state.catalogue.with(|c| {
        state.data.with(|d| {
            if d.dataset.measures.is_empty() {
                c.compile(text, grammar).map(|_| false)
            } else {
                c.compile_checked(text, grammar, &d.dataset).map(|_| true)
            }
        })
    });
    result.map_err(|e: Error| {
        let column = e.position().column.unwrap_or(1);
        let message = match e.kind() {
            ErrorKind::Formula { msg, .. } => msg.render(state.lang.get().core()),
            _ => state.say_error(&e),
        };
        (column, message)
    })
}

/// A formula input validated as the user types: on an error, the message with its position and
/// a caret under the character, tied to the input by `aria-describedby`.
#[component]
fn FormulaField(
    /// The element id of the input.
    id: &'static str,
    /// The visible label.
    label: fn(&KpiTexts) -> &'static str,
    /// Kpi formula or rule assertion.
    grammar: Grammar,
    /// The draft text.
    value: RwSignal<String>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().kpis;
    let check = Memo::new(move |_| value.with(|text| check_formula(state, text, grammar)));
    let help_id = format!("{id}-hilfe");
    let status_id = format!("{id}-pruefung");
    let described = format!("{status_id} {help_id}");
    let help = move || match grammar {
        Grammar::Kpi => t().formula_help,
        Grammar::Rule => t().rule_help,
    };
    view! {
        <div class="field formula-field">
            <label for=id>{move || label(t())}</label>
            <input
                id=id
                type="text"
                class="formula"
                spellcheck="false"
                autocomplete="off"
                aria-invalid=move || check.with(Result::is_err).to_string()
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <div id=status_id class="formula-check" aria-live="polite">
                {move || match check.get() {
                    Ok(true) => view! { <p class="ok">"✓ " {t().formula_valid}</p> }.into_any(),
                    Ok(false) => view! { <p class="ok">"✓ " {t().formula_syntax_only}</p> }.into_any(),
                    Err((column, message)) => {
                        let text = value.get();
                        let caret = format!("{}^", " ".repeat(column.saturating_sub(1)));
                        view! {
                            <pre class="caret" aria-hidden="true">{text} "\n" {caret}</pre>
                            <p class="error">
                                "✗ "
                                {fill(
                                    t().formula_error_at,
                                    &[("column", &column.to_string()), ("msg", &message)],
                                )}
                            </p>
                        }
                            .into_any()
                    }
                }}
            </div>
            <p id=help_id class="hint">{help}</p>
        </div>
    }
}

/// A select over a few choices, bound to a draft signal.
#[component]
fn ChoiceField<T: Copy + PartialEq + Send + Sync + 'static>(
    id: &'static str,
    label: fn(&KpiTexts) -> &'static str,
    value: RwSignal<T>,
    choices: Vec<Choice<T>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().kpis;
    let options = StoredValue::new(choices);
    view! {
        <div class="field">
            <label for=id>{move || label(t())}</label>
            <select
                id=id
                on:change=move |ev| {
                    let chosen = event_target_value(&ev).parse::<usize>().ok();
                    if let Some(choice) = chosen.and_then(|i| options.with_value(|o| o.get(i).map(|c| c.0))) {
                        value.set(choice);
                    }
                }
            >
                {options
                    .get_value()
                    .into_iter()
                    .enumerate()
                    .map(|(i, (choice, text))| {
                        view! {
                            <option value=i.to_string() prop:selected=move || value.get() == choice>
                                {move || text(t())}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// A KPI as the editor holds it: every field as typed.
#[derive(Clone, Copy)]
struct KpiDraft {
    id: RwSignal<String>,
    label: RwSignal<String>,
    formula: RwSignal<String>,
    unit: RwSignal<String>,
    better: RwSignal<Better>,
    level: RwSignal<Level>,
    decimals: RwSignal<String>,
    core: RwSignal<bool>,
    description: RwSignal<String>,
    /// Kept as loaded: the editor has no control for it, and editing a KPI must not drop it.
    funnel: RwSignal<Option<FunnelKind>>,
}

impl KpiDraft {
    fn new() -> KpiDraft {
        KpiDraft {
            id: RwSignal::new(String::new()),
            label: RwSignal::new(String::new()),
            formula: RwSignal::new(String::new()),
            unit: RwSignal::new(String::new()),
            better: RwSignal::new(Better::Lower),
            level: RwSignal::new(Level::Output),
            decimals: RwSignal::new("2".to_string()),
            core: RwSignal::new(true),
            description: RwSignal::new(String::new()),
            funnel: RwSignal::new(None),
        }
    }

    /// The fields of a new KPI.
    fn blank() -> Kpi {
        Kpi {
            id: String::new(),
            label: String::new(),
            formula: String::new(),
            unit: String::new(),
            better: Better::Lower,
            level: Level::Output,
            decimals: 2,
            core: true,
            description: None,
            funnel: None,
        }
    }

    fn fill_from(&self, k: &Kpi) {
        self.id.set(k.id.clone());
        self.label.set(k.label.clone());
        self.formula.set(k.formula.clone());
        self.unit.set(k.unit.clone());
        self.better.set(k.better);
        self.level.set(k.level);
        self.decimals.set(k.decimals.to_string());
        self.core.set(k.core);
        self.description
            .set(k.description.clone().unwrap_or_default());
        self.funnel.set(k.funnel);
    }

    /// The KPI, or the message for decimals that are not a small whole number.
    fn to_kpi(self, t: &KpiTexts) -> Result<Kpi, String> {
        let decimals = self
            .decimals
            .get()
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|d| *d <= 6)
            .ok_or_else(|| t.decimals_invalid.to_string())?;
        let description = self.description.get().trim().to_string();
        Ok(Kpi {
            id: self.id.get().trim().to_string(),
            label: self.label.get().trim().to_string(),
            formula: self.formula.get(),
            unit: self.unit.get().trim().to_string(),
            better: self.better.get(),
            level: self.level.get(),
            decimals,
            core: self.core.get(),
            description: (!description.is_empty()).then_some(description),
            funnel: self.funnel.get(),
        })
    }
}

/// Rebuilds the catalogue with changed KPIs or rules; its checks stay, so the thresholds the
/// user adjusted stay in force.
fn rebuild(
    state: AppState,
    change: impl FnOnce(&mut Vec<Kpi>, &mut Vec<Rule>),
) -> Result<(), String> {
    let current = state.catalogue.get_untracked();
    let mut kpis = current.kpis().to_vec();
    let mut rules = current.rules().to_vec();
    change(&mut kpis, &mut rules);
    let catalogue = Catalogue::new(
        current.name().to_string(),
        kpis,
        rules,
        current.events().to_vec(),
        current.checks().clone(),
    )
    .and_then(|c| c.with_measures(current.measures().to_vec()))
    .map_err(|e| state.say_error(&e))?;
    state.replace_catalogue(catalogue);
    Ok(())
}

/// Puts `item` in place of the one with id `original`, or appends it when there is none.
fn replace_or_push<T>(
    items: &mut Vec<T>,
    original: Option<&str>,
    id: impl Fn(&T) -> &str,
    item: T,
) {
    match original.and_then(|o| items.iter().position(|x| id(x) == o)) {
        Some(i) => items[i] = item,
        None => items.push(item),
    }
}

/// Takes the KPI or rule being edited out of the catalogue (`remove` takes it out of the lists)
/// and says so. The draft stays: applying it again brings it back.
fn remove_edited(
    state: AppState,
    editing: RwSignal<Option<String>>,
    outcome: RwSignal<Option<Result<String, String>>>,
    remove: impl FnOnce(&mut Vec<Kpi>, &mut Vec<Rule>, &str),
) {
    let Some(id) = editing.get_untracked() else {
        return;
    };
    let t = state.t().kpis;
    let result = rebuild(state, |kpis, rules| remove(kpis, rules, &id))
        .map(|()| fill(t.removed, &[("id", &id)]));
    if result.is_ok() {
        editing.set(None);
    }
    outcome.set(Some(
        result.map_err(|e| fill(t.not_applied, &[("msg", &e)])),
    ));
}

/// Choose a KPI (or a new one), change its fields, apply or remove it.
#[component]
fn KpiEditor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().kpis;
    let draft = KpiDraft::new();
    // The id of the KPI the draft edits; None = a new KPI.
    let editing = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<Result<String, String>>);
    if let Some(first) = state
        .catalogue
        .with_untracked(|c| c.kpis().first().cloned())
    {
        draft.fill_from(&first);
        editing.set(Some(first.id));
    }
    let choose = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        outcome.set(None);
        match state.catalogue.with_untracked(|c| c.kpi(&id).cloned()) {
            Some(k) => {
                draft.fill_from(&k);
                editing.set(Some(id));
            }
            None => {
                draft.fill_from(&KpiDraft::blank());
                editing.set(None);
            }
        }
    };
    let apply = move |_| {
        let result = draft.to_kpi(t()).and_then(|kpi| {
            let id = kpi.id.clone();
            let original = editing.get_untracked();
            rebuild(state, |kpis, _| {
                replace_or_push(kpis, original.as_deref(), |k| &k.id, kpi)
            })?;
            editing.set(Some(id.clone()));
            Ok(fill(t().applied, &[("id", &id)]))
        });
        outcome.set(Some(
            result.map_err(|e| fill(t().not_applied, &[("msg", &e)])),
        ));
    };
    let remove = move |_| {
        remove_edited(state, editing, outcome, |kpis, _, id| {
            kpis.retain(|k| k.id != id)
        })
    };
    let better: Vec<Choice<Better>> = vec![
        (Better::Lower, |t| t.better_lower),
        (Better::Higher, |t| t.better_higher),
        (Better::Neutral, |t| t.better_neutral),
    ];
    let levels: Vec<Choice<Level>> = vec![
        (Level::Input, |t| level_label(Level::Input, t)),
        (Level::Output, |t| level_label(Level::Output, t)),
        (Level::Outcome, |t| level_label(Level::Outcome, t)),
        (Level::Impact, |t| level_label(Level::Impact, t)),
    ];
    view! {
        <form class="editor" on:submit=move |ev| ev.prevent_default() aria-labelledby="kpi-editor-titel">
            <h4 id="kpi-editor-titel">{move || t().editor_kpi_heading}</h4>
            <div class="field">
                <label for="kpi-editor-wahl">{move || t().choose_kpi}</label>
                <select id="kpi-editor-wahl" on:change=choose>
                    <option value="" prop:selected=move || editing.with(Option::is_none)>
                        {move || t().new_kpi}
                    </option>
                    {kpi_options(move |id| editing.with(|e| e.as_deref() == Some(id)))}
                </select>
            </div>
            <div class="editor-grid">
                <TextField id="kpi-id" label=|t| t.kpis.field_id value=draft.id />
                <TextField id="kpi-label" label=|t| t.kpis.field_label value=draft.label />
            </div>
            <FormulaField id="kpi-formel" label=|t| t.field_formula grammar=Grammar::Kpi value=draft.formula />
            <div class="editor-grid">
                <TextField id="kpi-einheit" label=|t| t.kpis.field_unit value=draft.unit />
                <TextField id="kpi-stellen" label=|t| t.kpis.field_decimals value=draft.decimals />
                <ChoiceField id="kpi-besser" label=|t| t.field_better value=draft.better choices=better />
                <ChoiceField id="kpi-ebene" label=|t| t.field_level value=draft.level choices=levels />
            </div>
            <CheckField checked=draft.core text=|t| t.kpis.field_core class="check" />
            <div class="field">
                <label for="kpi-beschreibung">{move || t().field_description}</label>
                <textarea
                    id="kpi-beschreibung"
                    rows="3"
                    prop:value=move || draft.description.get()
                    on:input=move |ev| draft.description.set(event_target_value(&ev))
                ></textarea>
            </div>
            <div class="actions">
                <button type="button" class="primary" on:click=apply>
                    {move || t().apply_kpi}
                </button>
                <button type="button" on:click=remove disabled=move || editing.with(Option::is_none)>
                    {move || t().remove_kpi}
                </button>
            </div>
            <OutcomeLine outcome=outcome />
            <KnownKeys />
        </form>
    }
}

/// The measure keys of the loaded data: what a formula may name besides KPI ids.
#[component]
fn KnownKeys() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let keys = state.data.with(|d| {
            d.dataset
                .measures
                .iter()
                .map(|m| (m.key.clone(), m.label.clone()))
                .collect::<Vec<_>>()
        });
        (!keys.is_empty()).then(|| {
            view! {
                <details class="known-keys">
                    <summary>{state.t().kpis.known_keys}</summary>
                    <ul>
                        {keys
                            .into_iter()
                            .map(|(key, label)| view! { <li><code>{key}</code> " – " {label}</li> })
                            .collect_view()}
                    </ul>
                </details>
            }
        })
    }
}

/// Choose a rule (or a new one), change it, apply or remove it.
#[component]
fn RuleEditor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().kpis;
    let id = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let assert = RwSignal::new(String::new());
    let severity = RwSignal::new(Severity::Error);
    let editing = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let fill_from = move |r: Option<Rule>| {
        id.set(r.as_ref().map(|r| r.id.clone()).unwrap_or_default());
        label.set(r.as_ref().map(|r| r.label.clone()).unwrap_or_default());
        assert.set(r.as_ref().map(|r| r.assert.clone()).unwrap_or_default());
        severity.set(r.as_ref().map_or(Severity::Error, |r| r.severity));
        editing.set(r.map(|r| r.id));
    };
    fill_from(
        state
            .catalogue
            .with_untracked(|c| c.rules().first().cloned()),
    );
    let choose = move |ev: leptos::ev::Event| {
        let chosen = event_target_value(&ev);
        outcome.set(None);
        fill_from(
            state
                .catalogue
                .with_untracked(|c| c.rules().iter().find(|r| r.id == chosen).cloned()),
        );
    };
    let apply = move |_| {
        let rule = Rule {
            id: id.get().trim().to_string(),
            label: label.get().trim().to_string(),
            assert: assert.get(),
            severity: severity.get(),
        };
        let new_id = rule.id.clone();
        let original = editing.get_untracked();
        let result = rebuild(state, |_, rules| {
            replace_or_push(rules, original.as_deref(), |r| &r.id, rule)
        })
        .map(|()| {
            editing.set(Some(new_id.clone()));
            fill(t().applied, &[("id", &new_id)])
        });
        outcome.set(Some(
            result.map_err(|e| fill(t().not_applied, &[("msg", &e)])),
        ));
    };
    let remove = move |_| {
        remove_edited(state, editing, outcome, |_, rules, id| {
            rules.retain(|r| r.id != id)
        })
    };
    let severities: Vec<Choice<Severity>> = vec![
        (Severity::Error, |t| t.severity_error),
        (Severity::Warning, |t| t.severity_warning),
    ];
    view! {
        <form class="editor" on:submit=move |ev| ev.prevent_default() aria-labelledby="regel-editor-titel">
            <h4 id="regel-editor-titel">{move || t().editor_rule_heading}</h4>
            <div class="field">
                <label for="regel-editor-wahl">{move || t().choose_rule}</label>
                <select id="regel-editor-wahl" on:change=choose>
                    <option value="" prop:selected=move || editing.with(Option::is_none)>
                        {move || t().new_rule}
                    </option>
                    {catalogue_options(
                        |c| c.rules().iter().map(|r| (r.id.clone(), r.label.clone())).collect(),
                        move |id| editing.with(|e| e.as_deref() == Some(id)),
                    )}
                </select>
            </div>
            <div class="editor-grid">
                <TextField id="regel-id" label=|t| t.kpis.field_id value=id />
                <TextField id="regel-label" label=|t| t.kpis.field_label value=label />
            </div>
            <FormulaField id="regel-bedingung" label=|t| t.field_assert grammar=Grammar::Rule value=assert />
            <ChoiceField id="regel-schwere" label=|t| t.field_severity value=severity choices=severities />
            <div class="actions">
                <button type="button" class="primary" on:click=apply>
                    {move || t().apply_rule}
                </button>
                <button type="button" on:click=remove disabled=move || editing.with(Option::is_none)>
                    {move || t().remove_rule}
                </button>
            </div>
            <OutcomeLine outcome=outcome />
        </form>
    }
}
