//! The own municipality, year, peer group and data as signals: the page's selection and a
//! view's copy of it (`shown.rs` decides when a copy catches up), and the comparison computed
//! from one.

use std::sync::Arc;

use leptos::prelude::*;
use vergleichsring_core::{Catalogue, Comparison, Error, KpiTable, PeerGroup};

use crate::loaded::Data;

/// The own municipality, year, peer group and data: the page's, or as a view last saw them.
#[derive(Clone, Copy)]
pub(crate) struct Selection {
    pub own: RwSignal<Option<String>>,
    pub year: RwSignal<Option<i32>>,
    pub peers: RwSignal<PeerGroup>,
    pub data: RwSignal<Arc<Data>>,
}

impl Selection {
    pub fn new() -> Selection {
        Selection {
            own: RwSignal::new(None),
            year: RwSignal::new(None),
            peers: RwSignal::new(PeerGroup::default()),
            data: RwSignal::new(Arc::default()),
        }
    }

    /// True when this selection is `other`'s (tracks this one only).
    pub(crate) fn same_as(&self, other: &Selection) -> bool {
        self.own.with(|o| other.own.with_untracked(|p| o == p))
            && self.year.get() == other.year.get_untracked()
            && self.peers.with(|o| other.peers.with_untracked(|p| o == p))
            && self.data.with(Arc::as_ptr) == other.data.with_untracked(Arc::as_ptr)
    }

    /// Takes `page`'s values (untracked), setting only what differs.
    pub(crate) fn catch_up(&self, page: &Selection) {
        adopt(self.own, page.own);
        adopt(self.year, page.year);
        adopt(self.peers, page.peers);
        // A view never writes its copy of the data, and a copy is the page's own `Arc`.
        let data = page.data.get_untracked();
        if self.data.with_untracked(|d| !Arc::ptr_eq(d, &data)) {
            self.data.set(data);
        }
    }
}

impl Selection {
    /// [`Selection::same_as`] without tracking.
    pub(crate) fn with_untracked_same(&self, other: &Selection) -> bool {
        untrack(|| self.same_as(other))
    }
}

/// Sets `to` to `from`'s value when they differ, so that nothing downstream runs for nothing.
pub(crate) fn adopt<T: Clone + PartialEq + Send + Sync + 'static>(
    to: RwSignal<T>,
    from: RwSignal<T>,
) {
    let value = from.get_untracked();
    if to.with_untracked(|t| *t != value) {
        to.set(value);
    }
}

/// A view's copy of a page signal: what the view sets goes to the page (the first run only
/// subscribes; a copy never writes an old value back).
pub(crate) fn copy_of<T: Clone + PartialEq + Send + Sync + 'static>(
    page: RwSignal<T>,
) -> RwSignal<T> {
    let copy = RwSignal::new(page.get_untracked());
    Effect::new(move |subscribed: Option<()>| {
        copy.track();
        if subscribed.is_some() {
            adopt(page, copy);
        }
    });
    copy
}

/// A view's place on the page: its selection and data, and whether they are older than the page's.
#[derive(Clone, Copy)]
pub(crate) struct ViewLink {
    pub(crate) selection: Selection,
    pub(crate) stale: RwSignal<bool>,
}

/// Whether a view is in sight, and whether it shows an older selection or data than the page.
#[derive(Clone, Copy)]
pub(crate) struct Shown {
    /// Within the window (or close to it).
    pub in_sight: RwSignal<bool>,
    /// Showing an older selection or older data than the page's (the section's `data-stale`).
    pub stale: RwSignal<bool>,
}

/// What a comparison is computed from.
pub(crate) type ComparisonInputs = (
    RwSignal<Catalogue>,
    RwSignal<Arc<Data>>,
    Memo<Arc<KpiTable>>,
);

/// The own municipality against the peer group in the year of `selection`: `None` until own
/// municipality and year are chosen; an error when the group cannot be formed.
pub(crate) fn compare(
    (catalogue, data, kpis): ComparisonInputs,
    selection: Selection,
) -> Option<Result<Comparison, Error>> {
    let year = selection.year.get()?;
    let group = selection.peers.get();
    selection.own.with(|own| {
        let own = own.as_deref()?;
        catalogue.with(|c| {
            data.with(|d| {
                let own = d.dataset.municipality_index(own)?;
                kpis.with(|table| Some(Comparison::new(c, &d.dataset, table, own, year, &group)))
            })
        })
    })
}
