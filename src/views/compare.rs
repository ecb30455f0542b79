//! Vergleich: the peer group, the peer table and the charts.
//! Until the view is built it says what it will show and what to do first.

use leptos::prelude::*;

use super::EmptyState;

/// The view's content.
#[component]
pub fn CompareView() -> impl IntoView {
    view! { <EmptyState text=|t| t.empty_compare /> }
}
