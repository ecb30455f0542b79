//! Views that render only when shown.
//!
//! The page keeps one document with every view's section (the navigation jumps between them and
//! the test hooks of CONTRACT §6 stay in the DOM), but new data or a change of the own
//! municipality, the year or the peer group re-render only the views in sight. Each section
//! hands its view an [`AppState`] of its own whose `own`, `year`, `peers`, `data`, `kpis`,
//! `name_index` and `comparison` are the view's copy of the page's ([`Selection`]): a view in
//! sight follows the page at once; a view out of sight keeps what it showed, is marked
//! `data-stale`, and catches up when the browser is idle (after the changes stop), when it comes
//! into sight, or when the user works in it. A copy of the data is the page's `Arc`, and its
//! KPI table the page's while the data are the page's: nothing is computed twice.
//!
//! A view needs nothing to take part: everything under its section that reads these through
//! `expect_context::<AppState>()` gets the view's copy; a view that sets the selection (the
//! workshop's year, the comparison's peer group) sets the page's, and the data change only
//! through `AppState`'s methods, which change the page's.

use std::sync::Arc;

use leptos::html::Section;
use leptos::prelude::*;
use vergleichsring_core::KpiTable;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::idle::when_idle;
use crate::selection::{compare, copy_of, Selection, Shown, ViewLink};
use crate::state::{name_index, other_table, AppState};

/// How long a view out of sight waits after a change before it asks for idle time: changes in
/// quick succession (arrow keys through the own municipality) then cost one catch-up.
const SETTLE_MS: i32 = 150;

impl AppState {
    /// The state a view's section hands its content: the page's, with the view's own copy of
    /// the selection and a comparison of that copy (the page's, computed once, while they agree).
    pub(crate) fn for_view(&self, shown: Shown) -> AppState {
        let page = self.page;
        let view = Selection {
            own: copy_of(page.own),
            year: copy_of(page.year),
            peers: copy_of(page.peers),
            data: RwSignal::new(page.data.get_untracked()),
        };
        self.views.update_value(|views| {
            views.push(ViewLink {
                selection: view,
                stale: shown.stale,
            })
        });
        let waiting = StoredValue::new_local(None::<i32>);
        let catch_up = move || {
            if let Some(handle) = waiting.get_value() {
                window().clear_timeout_with_handle(handle);
                waiting.set_value(None);
            }
            view.catch_up(&page);
            shown.stale.set(false);
        };
        Effect::new(move |_| {
            page.own.track();
            page.year.track();
            page.peers.track();
            page.data.track();
            if shown.in_sight.get() {
                catch_up();
            } else if !view.with_untracked_same(&page) && waiting.get_value().is_none() {
                shown.stale.set(true);
                // New data come once, not in quick succession: the next idle time will do.
                let new_data =
                    view.data.with_untracked(Arc::as_ptr) != page.data.with_untracked(Arc::as_ptr);
                let delay = if new_data { 0 } else { SETTLE_MS };
                waiting.set_value(Some(when_idle(delay, catch_up)));
            }
        });
        let (catalogue, page_kpis) = (self.catalogue, self.kpis);
        let kpis = Memo::new_with_compare(
            move |_| {
                catalogue.track();
                let current = view.data.with(Arc::as_ptr) == page.data.with_untracked(Arc::as_ptr);
                if current {
                    page_kpis.get_untracked()
                } else {
                    catalogue.with_untracked(|c| {
                        view.data
                            .with_untracked(|d| Arc::new(KpiTable::compute(c, &d.dataset)))
                    })
                }
            },
            other_table,
        );
        let inputs = (catalogue, view.data, kpis);
        let page_comparison = self.page_comparison;
        let comparison = Memo::new(move |_| {
            let same = view.same_as(&page);
            let (catalogue, data, kpis) = inputs;
            catalogue.track();
            data.track();
            kpis.track();
            if same {
                page_comparison.get_untracked()
            } else {
                compare(inputs, view)
            }
        });
        AppState {
            own: view.own,
            year: view.year,
            peers: view.peers,
            data: view.data,
            kpis,
            name_index: name_index(view.data),
            comparison,
            ..*self
        }
    }

    /// Brings every view to the page's selection and data at once (a loaded session: new
    /// work, not a choice the views out of sight may take up later).
    pub(crate) fn catch_up_views(&self) {
        let page = self.page;
        self.views.with_value(|views| {
            for v in views {
                v.selection.catch_up(&page);
                v.stale.set(false);
            }
        });
    }
}

/// Tells `shown.in_sight` whether `section` is within the window or close to it, and catches the
/// view up the moment the user works in it (before the view's own handlers read the selection).
pub(crate) fn watch(section: NodeRef<Section>, shown: Shown, state: AppState) {
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let Some(element) = section.get() else {
            return false;
        };
        let in_sight = shown.in_sight;
        let seen = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            // The last entry is the newest state of the one observed section.
            if let Some(entry) = entries
                .iter()
                .last()
                .and_then(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
            {
                in_sight.set(entry.is_intersecting());
            }
        });
        let options = web_sys::IntersectionObserverInit::new();
        options.set_root_margin("100px 0px");
        if let Ok(observer) =
            web_sys::IntersectionObserver::new_with_options(seen.as_ref().unchecked_ref(), &options)
        {
            observer.observe(&element);
        }
        // The sections stay as long as the page: their observer and listener live as long.
        seen.forget();
        let view = Selection {
            own: state.own,
            year: state.year,
            peers: state.peers,
            data: state.data,
        };
        let working = Closure::<dyn FnMut()>::new(move || {
            if shown.stale.get_untracked() {
                view.catch_up(&state.page);
                shown.stale.set(false);
            }
        });
        for event in ["focusin", "input", "change"] {
            let _ = element.add_event_listener_with_callback_and_bool(
                event,
                working.as_ref().unchecked_ref(),
                true,
            );
        }
        working.forget();
        true
    });
}
