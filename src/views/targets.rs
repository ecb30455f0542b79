//! Ziele: targets for the own municipality's KPIs (CONTRACT §7). A form (KPI, target value,
//! baseline and due year, owner, measures with their PDCA stage) with suggestions from the peer
//! group, and the list of targets with their progress as number, bar and chart.
//!
//! Targets are matched by KPI id: they survive a new upload, and a target whose KPI left the
//! catalogue stays listed as orphaned. Progress and the on-track rule come from core.

use leptos::prelude::*;
use vergleichsring_core::{
    format_number, format_percent, format_typed_number, format_value, parse_typed_number,
    series_of, suggestions, Action, Benchmark, CourseChart, Series, Stage, Target, COURSE_BOTTOM,
    COURSE_HEIGHT, COURSE_LEFT, COURSE_RIGHT, COURSE_TOP, COURSE_WIDTH,
};

use super::{kpi_options, EmptyState, TextField};
use crate::download::now;
use crate::i18n::{fill, TargetsTexts};
use crate::state::AppState;

/// The stages in cycle order.
const STAGES: [Stage; 4] = [Stage::Plan, Stage::Do, Stage::Check, Stage::Act];

/// The view's content.
#[component]
pub fn TargetsView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let ready =
        Memo::new(move |_| state.data.with(|d| !d.is_empty()) && state.own.with(Option::is_some));
    let form = Form::default();
    move || {
        if !ready.get() {
            return view! { <EmptyState text=|t| t.empty_targets /> }.into_any();
        }
        view! {
            <p class="intro">{move || state.t().targets.intro}</p>
            <div data-testid="targets" class="targets">
                <TargetForm form=form />
                <TargetList form=form />
            </div>
        }
        .into_any()
    }
}

/// The form's fields as typed (so a half-typed number is not lost).
#[derive(Clone, Copy, Default)]
struct Form {
    kpi: RwSignal<String>,
    value: RwSignal<String>,
    baseline: RwSignal<String>,
    due: RwSignal<String>,
    owner: RwSignal<String>,
    measures: RwSignal<Vec<Action>>,
    /// The KPI whose target is being edited, if one is.
    editing: RwSignal<Option<String>>,
    /// The last save's outcome: ok and message.
    message: RwSignal<Option<(bool, String)>>,
}

impl Form {
    /// Fills the form with a target to change it.
    fn edit(&self, target: &Target) {
        self.kpi.set(target.kpi.clone());
        self.value.set(format_typed_number(target.target));
        self.baseline.set(target.baseline_year.to_string());
        self.due.set(target.due_year.to_string());
        self.owner.set(target.owner.clone());
        self.measures.set(target.measures.clone());
        self.editing.set(Some(target.kpi.clone()));
        self.message.set(None);
    }

    fn clear(&self) {
        self.value.set(String::new());
        self.owner.set(String::new());
        self.measures.set(Vec::new());
        self.editing.set(None);
    }
}

/// The own municipality's index in the data.
fn own_index(state: &AppState) -> Option<usize> {
    let own = state.own.get()?;
    state.data.with(|d| d.dataset.municipality_index(&own))
}

/// The form: KPI, target value (with suggestions), years, owner, measures.
#[component]
fn TargetForm(form: Form) -> impl IntoView {
    let state = expect_context::<AppState>();
    let years = Memo::new(move |_| state.data.with(|d| d.dataset.years()));
    // Sensible starting values: the first KPI, the latest year as baseline, three years to go.
    Effect::new(move |_| {
        let first = state
            .catalogue
            .with(|c| c.kpis().first().map(|k| k.id.clone()));
        let known = state
            .catalogue
            .with(|c| c.kpi(&form.kpi.get_untracked()).is_some());
        if !known {
            form.kpi.set(first.unwrap_or_default());
        }
        let last = years.with(|y| y.last().copied());
        if form.baseline.with_untracked(String::is_empty) {
            if let Some(y) = last {
                form.baseline.set(y.to_string());
                form.due.set((y + 3).to_string());
            }
        }
    });
    let kpi = move || state.catalogue.with(|c| c.kpi(&form.kpi.get()).cloned());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = state.t().targets;
        let Some(value) = parse_typed_number(&form.value.get_untracked()) else {
            form.message.set(Some((false, t.invalid_value.to_string())));
            return;
        };
        let baseline = form.baseline.get_untracked().trim().parse::<i32>().ok();
        let due = form.due.get_untracked().trim().parse::<i32>().ok();
        let (Some(baseline_year), Some(due_year)) = (baseline, due) else {
            form.message.set(Some((false, t.invalid_years.to_string())));
            return;
        };
        if due_year <= baseline_year {
            form.message.set(Some((false, t.invalid_years.to_string())));
            return;
        }
        let kpi_id = form.kpi.get_untracked();
        let target = Target {
            kpi: kpi_id.clone(),
            target: value,
            baseline_year,
            due_year,
            owner: form.owner.get_untracked().trim().to_string(),
            measures: form
                .measures
                .get_untracked()
                .into_iter()
                .filter(|m| !m.text.trim().is_empty())
                .collect(),
            last_changed: Some(now()),
        };
        state.set_target(target);
        let label = state
            .catalogue
            .with_untracked(|c| c.kpi(&kpi_id).map(|k| k.label.clone()))
            .unwrap_or(kpi_id);
        form.message
            .set(Some((true, fill(t.saved, &[("kpi", &label)]))));
        form.clear();
    };
    view! {
        <form class="target-form" on:submit=save novalidate=true>
            <h3>
                {move || {
                    let t = state.t().targets;
                    if form.editing.with(Option::is_some) { t.edit_heading } else { t.form_heading }
                }}
            </h3>
            <div class="form-grid">
                <div class="field">
                    <label for="ziel-kennzahl">{move || state.t().targets.kpi}</label>
                    <select
                        id="ziel-kennzahl"
                        on:change=move |ev| form.kpi.set(event_target_value(&ev))
                    >
                        {kpi_options(move |id| form.kpi.with(|v| v == id))}
                    </select>
                </div>
                <div class="field">
                    <label for="ziel-wert">{move || state.t().targets.target_value}</label>
                    <input
                        id="ziel-wert"
                        type="text"
                        inputmode="decimal"
                        autocomplete="off"
                        aria-describedby="ziel-wert-hinweis"
                        prop:value=move || form.value.get()
                        on:input=move |ev| form.value.set(event_target_value(&ev))
                    />
                    <span id="ziel-wert-hinweis" class="hint">
                        {move || kpi().map(|k| k.unit)}
                    </span>
                </div>
                <div class="field">
                    <label for="ziel-basisjahr">{move || state.t().targets.baseline_year}</label>
                    <select
                        id="ziel-basisjahr"
                        on:change=move |ev| form.baseline.set(event_target_value(&ev))
                    >
                        {move || {
                            years
                                .get()
                                .into_iter()
                                .map(|y| {
                                    view! {
                                        <option
                                            value=y.to_string()
                                            prop:selected=move || form.baseline.with(|b| *b == y.to_string())
                                        >
                                            {y}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
                <div class="field">
                    <label for="ziel-zieljahr">{move || state.t().targets.due_year}</label>
                    <input
                        id="ziel-zieljahr"
                        type="number"
                        step="1"
                        min="1900"
                        max="2200"
                        prop:value=move || form.due.get()
                        on:input=move |ev| form.due.set(event_target_value(&ev))
                    />
                </div>
                <TextField id="ziel-verantwortlich" label=|t| t.targets.owner value=form.owner wide=true />
            </div>
            <BaselineHint form=form />
            <Suggestions form=form />
            <MeasureFields form=form />
            <div class="actions">
                <button type="submit" class="primary">{move || state.t().targets.save}</button>
                {move || {
                    form.editing
                        .with(Option::is_some)
                        .then(|| {
                            view! {
                                <button type="button" on:click=move |_| form.clear()>
                                    {state.t().targets.cancel_edit}
                                </button>
                            }
                        })
                }}
            </div>
            <p class="form-message" role="status">
                {move || {
                    form.message
                        .get()
                        .map(|(ok, text)| {
                            view! { <span class:error=!ok class:ok=ok>{text}</span> }
                        })
                }}
            </p>
        </form>
    }
}

/// The own value in the chosen baseline year, so the user sees where the way starts.
#[component]
fn BaselineHint(form: Form) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let t = state.t().targets;
        let m = own_index(&state)?;
        let year: i32 = form.baseline.get().parse().ok()?;
        let kpi_id = form.kpi.get();
        let decimals = state
            .catalogue
            .with(|c| c.kpi(&kpi_id).map(|k| k.decimals as usize))?;
        let value = state
            .kpis
            .with(|table| table.value(m, year, &kpi_id).cloned());
        let text = match value {
            Some(v) if v.number().is_some() => fill(
                t.baseline_hint,
                &[
                    ("year", &year.to_string()),
                    ("value", &format_value(&v, decimals)),
                ],
            ),
            _ => fill(t.baseline_missing, &[("year", &year.to_string())]),
        };
        Some(view! { <p class="hint baseline-hint">{text}</p> })
    }
}

/// One-click target values from the peer group (median, and the quartile on the better side).
#[component]
fn Suggestions(form: Form) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let t = state.t().targets;
        let year = state.year.get()?;
        let kpi_id = form.kpi.get();
        let kpi = state.catalogue.with(|c| c.kpi(&kpi_id).cloned())?;
        // The comparison every view shares, not one of its own per change.
        let offers = state.comparison.with(|c| {
            let row = c.as_ref()?.as_ref().ok()?.row(&kpi.id)?;
            Some(suggestions(row, kpi.better))
        })?;
        let decimals = kpi.decimals as usize;
        let buttons = offers
            .into_iter()
            .map(|(benchmark, x)| {
                let name = match benchmark {
                    Benchmark::Median => t.suggest_median,
                    Benchmark::LowerQuartile => t.suggest_lower_quartile,
                    Benchmark::UpperQuartile => t.suggest_upper_quartile,
                };
                let shown = format_number(x, decimals);
                let label = fill(t.suggest_apply, &[("name", name), ("value", &shown)]);
                let typed = shown.replace('.', "");
                view! {
                    <button
                        type="button"
                        class="suggestion"
                        aria-label=label
                        on:click=move |_| form.value.set(typed.clone())
                    >
                        {name} ": " <strong>{shown.clone()}</strong>
                    </button>
                }
            })
            .collect::<Vec<_>>();
        let heading = fill(t.suggestions, &[("year", &year.to_string())]);
        Some(view! {
            <div class="suggestions" role="group" aria-label=heading.clone()>
                <span class="hint">{heading.clone()}</span>
                {if buttons.is_empty() {
                    view! { <span class="hint">{t.no_suggestions}</span> }.into_any()
                } else {
                    buttons.into_any()
                }}
            </div>
        })
    }
}

/// The measures: text and PDCA stage each, added and removed by the user.
#[component]
fn MeasureFields(form: Form) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <fieldset class="measures">
            <legend>{move || state.t().targets.measures}</legend>
            {move || {
                let t = state.t().targets;
                let count = form.measures.with(Vec::len);
                (0..count)
                    .map(|i| {
                        let n = (i + 1).to_string();
                        let text_id = format!("massnahme-{i}");
                        let stage_id = format!("massnahme-stand-{i}");
                        let text = move || form.measures.with(|m| m.get(i).map(|m| m.text.clone()).unwrap_or_default());
                        let stage = move || form.measures.with(|m| m.get(i).map(|m| m.stage));
                        view! {
                            <div class="measure-row">
                                <div class="field grow">
                                    <label for=text_id.clone()>{fill(t.measure_text, &[("n", &n)])}</label>
                                    <input
                                        id=text_id
                                        type="text"
                                        prop:value=text
                                        on:input=move |ev| {
                                            let v = event_target_value(&ev);
                                            form.measures.update(|m| if let Some(m) = m.get_mut(i) { m.text = v; });
                                        }
                                    />
                                </div>
                                <div class="field">
                                    <label for=stage_id.clone()>{fill(t.measure_stage, &[("n", &n)])}</label>
                                    <select
                                        id=stage_id
                                        on:change=move |ev| {
                                            let v = event_target_value(&ev);
                                            if let Some(s) = STAGES.into_iter().find(|s| stage_code(*s) == v) {
                                                form.measures.update(|m| if let Some(m) = m.get_mut(i) { m.stage = s; });
                                            }
                                        }
                                    >
                                        {STAGES
                                            .map(|s| {
                                                view! {
                                                    <option value=stage_code(s) prop:selected=move || stage() == Some(s)>
                                                        {stage_label(s, t)}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <button
                                    type="button"
                                    aria-label=fill(t.remove_measure, &[("n", &n)])
                                    on:click=move |_| form.measures.update(|m| { if i < m.len() { m.remove(i); } })
                                >
                                    "✕"
                                </button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
            <button
                type="button"
                on:click=move |_| {
                    form.measures.update(|m| m.push(Action { text: String::new(), stage: Stage::Plan }))
                }
            >
                {move || state.t().targets.add_measure}
            </button>
        </fieldset>
    }
}

/// Every target with its progress.
#[component]
fn TargetList(form: Form) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <section class="target-list-section" aria-labelledby="ziele-liste">
            <h3 id="ziele-liste">{move || state.t().targets.list_heading}</h3>
            {move || {
                // Progress follows the own municipality, the data and the catalogue too.
                state.own.track();
                state.kpis.track();
                state.catalogue.track();
                let targets = state.targets.get();
                if targets.is_empty() {
                    return view! { <p class="empty-state">{state.t().targets.no_targets}</p> }.into_any();
                }
                view! {
                    <ul class="target-list">
                        {targets
                            .into_iter()
                            .map(|target| view! { <TargetItem target=target form=form /> })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

/// One target: what it says ([`TargetSummary`]), the edit and delete buttons, and the
/// year-by-year course as chart or table.
#[component]
fn TargetItem(target: Target, form: Form) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = state.t().targets;
    let kpi = state.catalogue.with(|c| c.kpi(&target.kpi).cloned());
    let series: Series = own_index(&state)
        .map(|m| state.kpis.with(|table| series_of(table, m, &target.kpi)))
        .unwrap_or_default();
    let latest = target.latest_progress(&series);
    let decimals = kpi.as_ref().map_or(2, |k| k.decimals as usize);
    let label = kpi.as_ref().map_or(target.kpi.clone(), |k| k.label.clone());
    let unit = kpi.as_ref().map(|k| k.unit.clone()).unwrap_or_default();
    let orphaned = kpi.is_none();
    let edit_target = target.clone();
    let kpi_id = target.kpi.clone();
    let edit_label = format!("{}: {}", t.edit, label);
    let delete_label = format!("{}: {}", t.delete, label);
    view! {
        <li
            class="target-item"
            class:orphaned=orphaned
            data-kpi=target.kpi.clone()
            data-target=format!("{}", target.target)
            data-progress=latest.map(|(_, p)| format!("{p}")).unwrap_or_default()
        >
            <h4>{label.clone()} " " <span class="unit">{unit.clone()}</span></h4>
            <TargetSummary target=target.clone() series=series.clone() decimals=decimals unit=unit.clone() orphaned=orphaned />
            <div class="actions">
                <button type="button" aria-label=edit_label on:click=move |_| {
                    form.edit(&edit_target);
                    if let Some(field) = document().get_element_by_id("ziel-wert") {
                        field.scroll_into_view();
                    }
                }>
                    {t.edit}
                </button>
                <button
                    type="button"
                    aria-label=delete_label
                    on:click=move |_| state.targets.update(|ts| ts.retain(|x| x.kpi != kpi_id))
                >
                    {t.delete}
                </button>
            </div>
            {kpi.map(|_| view! { <Course target=target.clone() series=series.clone() label=label decimals=decimals unit=unit /> })}
        </li>
    }
}

/// What a target says, without controls: the orphaned warning, the target line, the progress
/// in the latest year (number, bar, on track in words and symbol), owner, measures with their
/// PDCA stage and the last change. Shared by the Ziele view and the Kurzbericht, so both say
/// the same; progress and on-track come from core.
#[component]
pub(crate) fn TargetSummary(
    /// The target.
    target: Target,
    /// The own municipality's values of its KPI.
    series: Series,
    /// The KPI's decimals.
    decimals: usize,
    /// The KPI's unit.
    unit: String,
    /// True when the KPI left the catalogue.
    orphaned: bool,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = state.t().targets;
    let baseline = target
        .baseline(&series)
        .map(|b| format_number(b, decimals))
        .unwrap_or_else(|| "–".into());
    let line = fill(
        t.target_line,
        &[
            (
                "target",
                &format!("{} {unit}", format_number(target.target, decimals)),
            ),
            ("due", &target.due_year.to_string()),
            ("baseline_year", &target.baseline_year.to_string()),
            ("baseline", &baseline),
        ],
    );
    let progress_view = match target.latest_progress(&series) {
        Some((year, p)) => {
            let on_track = target.on_track(&series, year);
            let planned = target.planned_progress(year);
            view! {
                <div class="progress-line">
                    <span class="progress-label">{fill(t.progress_in, &[("year", &year.to_string())])} ": "</span>
                    <strong class="progress-number">{format_percent(p, 1)}</strong>
                    <ProgressBar progress=p planned=planned />
                    {on_track.map(|ok| {
                        view! {
                            <span class="track" class:on-track=ok class:behind=!ok>
                                {if ok { t.on_track } else { t.behind }}
                            </span>
                        }
                    })}
                    <span class="hint">
                        " (" {fill(t.planned, &[("planned", &format_percent(planned, 0))])} ")"
                    </span>
                </div>
            }
            .into_any()
        }
        None => view! { <p class="hint">{t.progress} ": " {t.no_progress}</p> }.into_any(),
    };
    let measures = if target.measures.is_empty() {
        view! { <p class="hint">{t.no_measures}</p> }.into_any()
    } else {
        view! {
            <ul class="measure-list">
                {target
                    .measures
                    .iter()
                    .map(|m| {
                        view! {
                            <li>
                                <span class=format!("stage stage-{}", stage_code(m.stage))>
                                    {stage_label(m.stage, t)}
                                </span>
                                " " {m.text.clone()}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let owner = if target.owner.is_empty() {
        t.owner_missing.to_string()
    } else {
        target.owner.clone()
    };
    let changed = target
        .last_changed
        .clone()
        .map(|c| c.replace('T', " "))
        .unwrap_or_else(|| "–".into());
    view! {
        {orphaned.then(|| view! { <p class="warning">{t.orphaned}</p> })}
        <p class="target-line">{line}</p>
        {progress_view}
        <dl class="facts">
            <dt>{t.owner}</dt>
            <dd>{owner}</dd>
            <dt>{t.measures}</dt>
            <dd>{measures}</dd>
            <dt>{t.last_change}</dt>
            <dd>{changed}</dd>
        </dl>
    }
}

/// Progress as a bar from 0 to 100 % (beyond either end drawn at the end), with the planned
/// mark; the number beside it carries the meaning, so the bar is hidden from screen readers.
#[component]
fn ProgressBar(progress: f64, planned: f64) -> impl IntoView {
    let width = progress.clamp(0.0, 100.0);
    let mark = planned.clamp(0.0, 100.0);
    view! {
        <svg class="progress-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
            <rect class="track-bg" x="0" y="0" width="100" height="10"></rect>
            <rect class="done" x="0" y="0" width=width.to_string() height="10"></rect>
            <line class="plan-mark" x1=mark.to_string() x2=mark.to_string() y1="0" y2="10"></line>
        </svg>
    }
}

/// The year-by-year course: a small chart (own values, target line, planned path, due year) or
/// the same numbers as a table.
#[component]
fn Course(
    target: Target,
    series: Series,
    label: String,
    decimals: usize,
    unit: String,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = state.t().targets;
    let as_table = RwSignal::new(false);
    let own = state.own.get_untracked().unwrap_or_default();
    let years: Vec<(i32, f64)> = series
        .range(target.baseline_year..)
        .map(|(&y, &v)| (y, v))
        .collect();
    let caption = label_caption(t, t.history, &target, &own, decimals, &unit);
    let table = {
        let (target, series) = (target.clone(), series.clone());
        move || {
            view! {
                <table class="course-table">
                    <caption>{caption.clone()}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t.column_year}</th>
                            <th scope="col" class="num">{t.column_value}</th>
                            <th scope="col" class="num">{t.column_progress}</th>
                            <th scope="col" class="num">{t.column_planned}</th>
                            <th scope="col">{t.column_status}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {years
                            .iter()
                            .map(|&(y, v)| {
                                let p = target.progress(&series, y);
                                let plan = target.planned_progress(y);
                                let ok = target.on_track(&series, y);
                                view! {
                                    <tr>
                                        <th scope="row">{y}</th>
                                        <td class="num">{format_number(v, decimals)}</td>
                                        <td class="num">{p.map(|p| format_percent(p, 1)).unwrap_or_else(|| "–".into())}</td>
                                        <td class="num">{format_percent(plan, 0)}</td>
                                        <td>{ok.map(|ok| if ok { t.on_track } else { t.behind })}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
        }
    };
    let chart = chart_svg(&target, &series, &label, decimals, &unit, t, &state);
    view! {
        <div class="course">
            <button
                type="button"
                class="link"
                aria-pressed=move || as_table.get().to_string()
                on:click=move |_| as_table.update(|v| *v = !*v)
            >
                {move || if as_table.get() { t.show_chart } else { t.show_table }}
            </button>
            <div class:hidden=move || as_table.get()>{chart}</div>
            {move || as_table.get().then(table.clone())}
        </div>
    }
}

/// The caption of the course table and the chart's title: what, whose, which target.
fn label_caption(
    t: &TargetsTexts,
    kpi: &str,
    target: &Target,
    own: &str,
    decimals: usize,
    unit: &str,
) -> String {
    fill(
        t.chart_title,
        &[
            ("kpi", kpi),
            ("own", own),
            (
                "target",
                &format!("{} {unit}", format_number(target.target, decimals)),
            ),
            ("due", &target.due_year.to_string()),
        ],
    )
}

/// The chart: own values as a line with focusable points, the target as a horizontal line up to
/// the due year, the planned path from the baseline value to the target dashed.
fn chart_svg(
    target: &Target,
    series: &Series,
    label: &str,
    decimals: usize,
    unit: &str,
    t: &'static TargetsTexts,
    state: &AppState,
) -> impl IntoView {
    let own = state.own.get_untracked().unwrap_or_default();
    let chart = CourseChart::new(target, series);
    let (x, y) = (|year| chart.x(year), |v| chart.y(v));
    let (lo, hi, target_y) = (chart.lo, chart.hi, chart.target_y);
    let title = label_caption(t, label, target, &own, decimals, unit);
    let desc = fill(t.chart_desc, &[("unit", unit)]);
    view! {
        <figure class="course-chart">
            <figcaption>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {COURSE_WIDTH} {COURSE_HEIGHT}") role="img" class="target-chart">
                <title>{title}</title>
                <desc>{desc}</desc>
                <line class="axis" x1=COURSE_LEFT x2=COURSE_WIDTH - COURSE_RIGHT y1=COURSE_HEIGHT - COURSE_BOTTOM y2=COURSE_HEIGHT - COURSE_BOTTOM></line>
                <text class="tick" x=COURSE_LEFT - 6.0 y=y(lo) text-anchor="end" dominant-baseline="middle">
                    {format_number(lo, decimals)}
                </text>
                <text class="tick" x=COURSE_LEFT - 6.0 y=y(hi) text-anchor="end" dominant-baseline="middle">
                    {format_number(hi, decimals)}
                </text>
                {chart
                    .ticks
                    .iter()
                    .map(|&yr| view! {
                        <text class="tick" x=x(yr) y=COURSE_HEIGHT - COURSE_BOTTOM + 16.0 text-anchor="middle">{yr}</text>
                    })
                    .collect_view()}
                <line class="target-line" x1=x(target.baseline_year) x2=x(target.due_year) y1=target_y y2=target_y></line>
                <text class="target-label" x=x(target.due_year) + 4.0 y=target_y dominant-baseline="middle">
                    {format!("{} {}", t.chart_target, format_number(target.target, decimals))}
                </text>
                <line class="due-mark" x1=x(target.due_year) x2=x(target.due_year) y1=COURSE_TOP y2=COURSE_HEIGHT - COURSE_BOTTOM></line>
                {chart.plan_y.map(|plan_y| view! {
                    <line class="plan-path" x1=x(target.baseline_year) y1=plan_y x2=x(target.due_year) y2=target_y>
                        <title>{t.chart_path}</title>
                    </line>
                })}
                <polyline class="own-line" points=chart.path.clone()></polyline>
                {chart.points.last().map(|&(_, v, px, py)| view! {
                    <text class="own-label" x=px + 8.0 y=py - 8.0>
                        {format!("◆ {own} {}", format_number(v, decimals))}
                    </text>
                })}
                {chart
                    .points
                    .iter()
                    .map(|&(yr, v, px, py)| {
                        let name = fill(t.chart_own, &[("year", &yr.to_string()), ("value", &format_number(v, decimals))]);
                        view! {
                            <circle class="own-point" cx=px cy=py r="4" tabindex="0" aria-label=format!("{own} {name}")>
                                <title>{name.clone()}</title>
                            </circle>
                        }
                    })
                    .collect_view()}
            </svg>
        </figure>
    }
}

/// A stage's code in the session file (`plan`, `do`, `check`, `act`).
fn stage_code(stage: Stage) -> &'static str {
    match stage {
        Stage::Plan => "plan",
        Stage::Do => "do",
        Stage::Check => "check",
        Stage::Act => "act",
    }
}

/// A stage in words.
fn stage_label(stage: Stage, t: &TargetsTexts) -> &'static str {
    match stage {
        Stage::Plan => t.stage_plan,
        Stage::Do => t.stage_do,
        Stage::Check => t.stage_check,
        Stage::Act => t.stage_act,
    }
}
