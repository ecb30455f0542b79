//! Workshop: the results presented large, for a projector.
//! Until the view is built it says what it will show and what to do first.

use leptos::prelude::*;

use super::EmptyState;

/// The view's content.
#[component]
pub fn WorkshopView() -> impl IntoView {
    view! { <EmptyState text=|t| t.empty_workshop /> }
}
