//! Ziele: targets for the own municipality's KPIs and their progress.
//! Until the view is built it says what it will show and what to do first.

use leptos::prelude::*;

use super::EmptyState;

/// The view's content.
#[component]
pub fn TargetsView() -> impl IntoView {
    view! { <EmptyState text=|t| t.empty_targets /> }
}
