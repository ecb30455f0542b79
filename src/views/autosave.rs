//! Work survives a reload or a closed tab. What the user decided — comments, targets and their
//! measures, thresholds, the peer group, the own municipality and year, the catalogue, the
//! pseudonymisation — is kept in the browser's own storage (`localStorage`, which also works for
//! the single file opened from disk) as the session file's JSON while they work, and restored on
//! the next open with a notice and one button that deletes it. Nothing is sent anywhere; the
//! loaded data go in only when the user ticks it, as with the session file. The page asks before
//! it closes with changes that are not in a session file.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use vergleichsring_core::Session;

use crate::i18n::{fill, Said};
use crate::session::{snapshot, snapshot_with, work_of};
use crate::state::AppState;

/// The storage key.
const KEY: &str = "vergleichsring.arbeitsstand";

/// How long after a change the work is written (typing a comment changes it per key).
const DELAY_MS: u64 = 500;

/// What the storage holds: when, whether with the data, and the session file's JSON.
#[derive(Serialize, Deserialize)]
struct Kept {
    /// Milliseconds since 1970 (`Date.now()`).
    saved: f64,
    /// Whether the session carries the data.
    data: bool,
    /// The session file's JSON, read back through the session file's own checks.
    session: String,
}

/// What the notice says.
#[derive(Clone, Debug, PartialEq)]
enum Notice {
    /// Restored work kept at that time (ms).
    Restored(f64),
    /// Kept work that could not be restored, and why.
    Failed(String),
    /// The user deleted the kept work.
    Deleted,
    /// The browser offers no storage.
    Unavailable,
    /// The data did not fit; the work was kept without them.
    Full,
}

impl Notice {
    fn code(&self) -> &'static str {
        match self {
            Notice::Restored(_) => "restored",
            Notice::Failed(_) => "failed",
            Notice::Deleted => "deleted",
            Notice::Unavailable => "unavailable",
            Notice::Full => "full",
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// A time as the user reads it, in their time zone: `04.12.2026, 14:32`.
fn local_time(ms: f64) -> String {
    let date = js_sys::Date::new(&ms.into());
    format!(
        "{:02}.{:02}.{}, {:02}:{:02}",
        date.get_date(),
        date.get_month() + 1,
        date.get_full_year(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// Restores kept work; the notice says how it went.
fn restore(state: AppState, text: &str) -> Notice {
    let kept: Kept = match serde_json::from_str(text) {
        Ok(kept) => kept,
        Err(e) => return Notice::Failed(e.to_string()),
    };
    let opened = Session::from_json(&kept.session)
        .map_err(Said::from)
        .and_then(|session| state.open_session(session));
    match opened {
        Ok(_) => {
            state.keep_data.set(kept.data);
            Notice::Restored(kept.saved)
        }
        Err(e) => Notice::Failed(e.in_lang(state.lang.get_untracked())),
    }
}

/// Writes the work (with the data when the user asked for it); a full storage keeps the work
/// without the data.
/// `still` says whether the write is still wanted when the snapshot is ready (the user may have
/// deleted the kept copy meanwhile).
async fn keep(state: AppState, notice: RwSignal<Option<Notice>>, still: impl Fn() -> bool) {
    let Some(storage) = storage() else {
        return;
    };
    let with_data = state.keep_data.get_untracked();
    // Files the page can no longer read leave the work to be kept without the data.
    let (session, data) = match snapshot_with(&state, with_data).await {
        Ok(session) => (session, with_data),
        Err(_) => (snapshot(&state), false),
    };
    if !still() {
        return;
    }
    // The same work again (just restored, say) keeps its time: the notice tells when the user
    // last changed something, not when the page was last opened.
    let same = storage
        .get_item(KEY)
        .ok()
        .flatten()
        .and_then(|text| serde_json::from_str::<Kept>(&text).ok())
        .is_some_and(|kept| kept.data == data && kept.session == session.to_json());
    if same {
        return;
    }
    let write = |session: &Session, data: bool| {
        let kept = Kept {
            saved: js_sys::Date::now(),
            data,
            session: session.to_json(),
        };
        serde_json::to_string(&kept)
            .ok()
            .is_some_and(|text| storage.set_item(KEY, &text).is_ok())
    };
    if write(&session, data) {
        return;
    }
    let without = snapshot(&state);
    if write(&without, false) || with_data {
        notice.set(Some(Notice::Full));
    } else {
        notice.set(Some(Notice::Unavailable));
    }
}

/// The notice about kept work, and what keeps it: restores on start, writes on every change,
/// asks before the page closes with unsaved changes.
#[component]
pub fn WorkKept() -> impl IntoView {
    let state = expect_context::<AppState>();
    let notice = RwSignal::new(None::<Notice>);
    // A fresh page's work is the baseline: anything beyond it is not in a session file yet.
    let fresh = work_of(&snapshot(&state));
    state.saved_work.set_value(fresh.clone());
    let kept_before = match storage() {
        None => {
            notice.set(Some(Notice::Unavailable));
            false
        }
        Some(storage) => match storage.get_item(KEY).ok().flatten() {
            Some(text) => {
                notice.set(Some(restore(state, &text)));
                true
            }
            None => false,
        },
    };
    // Kept from the first change on; an untouched fresh page writes nothing, so the next open
    // does not announce work that is not there.
    let pending = StoredValue::new(false);
    let started = StoredValue::new(kept_before);
    // The work that counts as nothing new: the fresh page's, or what was on screen when the user
    // deleted the kept copy (deleting must not bring it back with the next write).
    let baseline = StoredValue::new(fresh);
    // Bumped by the delete button, so that a write planned before it does not undo it.
    let generation = StoredValue::new(0u32);
    Effect::new(move |_| {
        state.catalogue.track();
        state.own.track();
        state.year.track();
        state.peers.track();
        state.thresholds.track();
        state.comments.track();
        state.targets.track();
        state.pseudonymise.track();
        state.hidden_districts.track();
        state.map_join.track();
        if state.keep_data.get() {
            state.data.track();
            state.boundaries.track();
        }
        if pending.get_value() {
            return;
        }
        pending.set_value(true);
        let planned = generation.get_value();
        // Even the snapshot waits: it would lengthen the task that brings new data on screen.
        set_timeout(
            move || {
                if generation.get_value() != planned {
                    return;
                }
                pending.set_value(false);
                if !started.get_value() {
                    let unchanged = baseline.with_value(|b| work_of(&snapshot(&state)) == *b);
                    if unchanged && !state.keep_data.get_untracked() {
                        return;
                    }
                    started.set_value(true);
                }
                let still = move || generation.get_value() == planned;
                wasm_bindgen_futures::spawn_local(keep(state, notice, still));
            },
            std::time::Duration::from_millis(DELAY_MS),
        );
    });
    let asking = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if work_of(&snapshot(&state)) != state.saved_work.get_value() {
            // The browser shows its own question; the text is not shown any more.
            ev.prevent_default();
            ev.set_return_value("");
        }
    });
    on_cleanup(move || asking.remove());
    let delete = move |_| {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(KEY);
        }
        generation.update_value(|g| *g = g.wrapping_add(1));
        pending.set_value(false);
        baseline.set_value(work_of(&snapshot(&state)));
        started.set_value(false);
        notice.set(Some(Notice::Deleted));
    };
    move || {
        notice.get().map(|n| {
            let t = state.t();
            let text = match &n {
                Notice::Restored(ms) => fill(t.work_restored, &[("date", &local_time(*ms))]),
                Notice::Failed(detail) => fill(t.work_restore_failed, &[("detail", detail)]),
                Notice::Deleted => t.work_deleted.to_string(),
                Notice::Unavailable => t.work_no_storage.to_string(),
                Notice::Full => t.work_storage_full.to_string(),
            };
            let deletable = matches!(n, Notice::Restored(_) | Notice::Failed(_) | Notice::Full);
            view! {
                <div class="work-kept no-print" role="status" data-testid="work-kept" data-state=n.code()>
                    <p>{text}</p>
                    {deletable.then(|| view! {
                        <button type="button" data-testid="work-kept-delete" on:click=delete>
                            {t.work_delete}
                        </button>
                    })}
                </div>
            }
        })
    }
}
