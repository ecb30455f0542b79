//! The header's "Sitzung" menu: save the session (with the data when asked) and load one.

use leptos::prelude::*;
use vergleichsring_core::Session;

use super::CheckField;
use crate::download::{download, read_chosen_text, today};
use crate::i18n::{fill, Said};
use crate::session::{snapshot_with, work_of};
use crate::state::AppState;

/// Save and load a session: the header's "Sitzung" menu.
#[component]
pub fn SessionMenu() -> impl IntoView {
    let state = expect_context::<AppState>();
    let with_data = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);
    // A selection that waited for its data is applied when they arrive.
    Effect::new(move |_| {
        state.data.track();
        state.apply_pending_selection();
    });
    let save = move |_| {
        let t = state.t().targets;
        let name = format!("vergleichsring-sitzung-{}.json", today());
        let keep_data = with_data.get_untracked();
        wasm_bindgen_futures::spawn_local(async move {
            match snapshot_with(&state, keep_data).await {
                Ok(session) => {
                    let _ = download(session.to_json().as_bytes(), "application/json", &name);
                    state.saved_work.set_value(work_of(&session));
                    message.set(Some((true, fill(t.session_saved, &[("file", &name)]))));
                }
                Err(e) => message.set(Some((false, e))),
            }
        });
    };
    let load = move |ev: leptos::ev::Event| {
        read_chosen_text(&ev, move |name, text| {
            let t = state.t().targets;
            let failed =
                |detail: String| Some((false, fill(t.session_failed, &[("detail", &detail)])));
            let Some(text) = text else {
                message.set(failed(fill(t.session_unreadable, &[("file", &name)])));
                return;
            };
            let session = match Session::from_json(&text) {
                Ok(s) => s,
                Err(e) => {
                    message.set(failed(format!("{name}: {}", state.say(&Said::from(e)))));
                    return;
                }
            };
            let (comments, targets) = (session.comments.len(), session.targets.len());
            state.saved_work.set_value(work_of(&session));
            match state.open_session(session) {
                Ok(with_data) => {
                    let mut text = fill(
                        t.session_loaded,
                        &[
                            ("file", &name),
                            ("comments", &comments.to_string()),
                            ("targets", &targets.to_string()),
                        ],
                    );
                    if with_data {
                        text = format!("{text} {}", t.session_loaded_data);
                    }
                    message.set(Some((true, text)));
                }
                Err(e) => message.set(failed(format!("{name}: {}", state.say(&e)))),
            }
        });
    };
    view! {
        <details class="session-menu">
            <summary>{move || state.t().targets.session}</summary>
            <div class="session-panel">
                <p class="hint">{move || state.t().targets.session_hint}</p>
                <CheckField checked=with_data text=|t| t.targets.session_with_data />
                <button
                    type="button"
                    class="primary"
                    on:click=save
                    aria-describedby=move || state.pseudonymise.get().then_some("sitzung-namen")
                >
                    {move || state.t().targets.session_save}
                </button>
                <p id="sitzung-namen" class="hint" data-testid="session-real-names" hidden=move || !state.pseudonymise.get()>
                    {move || state.t().targets.session_real_names}
                </p>
                <CheckField checked=state.keep_data text=|t| t.work_keep_data testid="work-keep-data" />
                <div class="field">
                    <label for="sitzung-laden">{move || state.t().targets.session_load}</label>
                    <input id="sitzung-laden" type="file" accept=".json,application/json" on:change=load />
                </div>
                <p class="session-message" role="status">
                    {move || {
                        message
                            .get()
                            .map(|(ok, text)| view! { <span class:error=!ok>{text}</span> })
                    }}
                </p>
            </div>
        </details>
    }
}
