//! Dashboard: the own municipality's core KPIs at a glance.
//! Until the view is built it says what it will show and what to do first.

use leptos::prelude::*;

use super::EmptyState;

/// The view's content.
#[component]
pub fn DashboardView() -> impl IntoView {
    view! { <EmptyState text=|t| t.empty_dashboard /> }
}
