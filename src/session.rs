//! The session file in the app: what the user decided (catalogue, own municipality, year, peer
//! group, thresholds, comments, targets, the pseudonymisation switch and its letters, the
//! district choice and join, and the data with the district boundaries only when asked) saved as
//! core's [`Session`] JSON and loaded again. A file that cannot be read changes nothing.

use js_sys::{Array, Uint8Array};
use leptos::prelude::*;
use vergleichsring_core::{
    Catalogue, MergeChoices, Session, StoredUpload, DEMO_BOUNDARIES_FILE_NAME, DEMO_RING_CSV,
    DEMO_RING_FILE_NAME,
};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::Said;
use crate::loaded::CaseData;
use crate::state::AppState;

/// The session of the current state, without the data.
pub fn snapshot(state: &AppState) -> Session {
    let catalogue = state.catalogue.get_untracked();
    let mut session = Session::new(&catalogue.to_toml());
    session.own = state.own.get_untracked();
    session.year = state.year.get_untracked();
    session.peers = state.peers.get_untracked();
    let thresholds = state.thresholds.get_untracked();
    session.thresholds = (&thresholds != catalogue.checks()).then_some(thresholds);
    session.comments = state.comments.get_untracked();
    session.targets = state.targets.get_untracked();
    session.pseudonymise = state.pseudonymise.get_untracked();
    session.pseudonyms = state.pseudonyms.with_untracked(|p| p.letters().clone());
    session.pseudonym_seed = Some(state.pseudonym_key.with_untracked(|(seed, _)| *seed));
    session.bindings = state.bindings.get_untracked();
    session.map_join = state.map_join.get_untracked();
    session.hidden_districts = state.hidden_districts.get_untracked();
    session
}

/// What the user worked on in a session, to tell whether there are changes not saved in a
/// session file: not the own municipality and year (chosen anew with data) nor the letters of
/// the pseudonyms (drawn per page).
pub(crate) fn work_of(session: &Session) -> String {
    let mut work = Session::new(&session.catalogue);
    work.peers = session.peers.clone();
    work.thresholds = session.thresholds.clone();
    work.comments = session.comments.clone();
    work.targets = session.targets.clone();
    work.pseudonymise = session.pseudonymise;
    work.map_join = session.map_join.clone();
    work.hidden_districts = session.hidden_districts.clone();
    work.to_json()
}

/// The session of the current state, with the uploads and case groups when `with_data`.
pub(crate) async fn snapshot_with(state: &AppState, with_data: bool) -> Result<Session, String> {
    let mut session = snapshot(state);
    if with_data {
        session.cases = state
            .data
            .with_untracked(|d| d.cases.as_ref().map(|c| c.stored.clone()));
        session.uploads = stored_uploads(state).await?;
        session.boundaries = stored_boundaries(state).await?;
    }
    Ok(session)
}

/// The bytes of a file the user picked, read again.
async fn bytes_of(state: &AppState, name: String) -> Result<StoredUpload, String> {
    let Some(file) = state.original(&name) else {
        return Err(format!("Die Datei {name} ist nicht mehr verfügbar."));
    };
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("Die Datei {name} konnte nicht gelesen werden."))?;
    Ok(StoredUpload {
        name,
        bytes: Uint8Array::new(&buffer).to_vec(),
    })
}

/// The GeoJSON file of the boundaries shown, for a session saved with its data; none for the
/// demo's, which come with the demo.
async fn stored_boundaries(state: &AppState) -> Result<Option<StoredUpload>, String> {
    let file = state.boundaries.with_untracked(|b| match b {
        Some(Ok(b)) if b.file != DEMO_BOUNDARIES_FILE_NAME => Some(b.file.clone()),
        _ => None,
    });
    match file {
        Some(name) => bytes_of(state, name).await.map(Some),
        None => Ok(None),
    }
}

/// The bytes of every loaded file, for a session saved with its data. The demo ring is built
/// in; uploads are read again from the files the user picked.
async fn stored_uploads(state: &AppState) -> Result<Vec<StoredUpload>, String> {
    // The table files only: case groups are kept as groups (`Session::cases`).
    let (names, demo) = state.data.with_untracked(|d| {
        let names: Vec<String> = d.files.iter().map(|f| f.report.file.clone()).collect();
        (names, d.demo)
    });
    if demo {
        return Ok(vec![StoredUpload {
            name: DEMO_RING_FILE_NAME.to_string(),
            bytes: DEMO_RING_CSV.as_bytes().to_vec(),
        }]);
    }
    let mut uploads = Vec::new();
    for name in names {
        uploads.push(bytes_of(state, name).await?);
    }
    Ok(uploads)
}

/// A browser file made of stored bytes, so a session's data go through the normal upload path.
fn file_of(upload: &StoredUpload) -> Result<web_sys::File, JsValue> {
    let parts = Array::of1(&Uint8Array::from(upload.bytes.as_slice()));
    web_sys::File::new_with_u8_array_sequence(&parts, &upload.name)
}

impl AppState {
    /// Replaces everything the user decided by a session's. Checks the whole file first (the
    /// catalogue must compile, the stored files must be usable, the case groups must make data),
    /// so an error changes nothing. Returns the uploads to read and the case groups, if the
    /// session carries data.
    fn apply_session(
        &self,
        session: Session,
    ) -> Result<(Vec<web_sys::File>, Option<CaseData>), Said> {
        let catalogue = Catalogue::from_toml(&session.catalogue)?;
        // The boundaries go through the file input's path too (a GeoJSON file is told by its
        // name), after the tables.
        let files = session
            .uploads
            .iter()
            .chain(&session.boundaries)
            .map(file_of)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| Said::app(|t| t.targets.session_data_unreadable, &[]))?;
        let cases = session.cases.map(CaseData::new).transpose()?;
        self.bindings.set(session.bindings);
        self.set_catalogue(catalogue);
        if let Some(thresholds) = session.thresholds {
            self.thresholds.set(thresholds);
        }
        self.page.peers.set(session.peers);
        self.comments.set(session.comments);
        self.targets.set(session.targets);
        let seed = session
            .pseudonym_seed
            .unwrap_or_else(|| self.pseudonym_key.with_untracked(|(seed, _)| *seed));
        self.pseudonym_key.set((seed, session.pseudonyms));
        self.pseudonymise.set(session.pseudonymise);
        self.map_join.set(session.map_join);
        self.hidden_districts.set(session.hidden_districts);
        self.select(session.own, session.year);
        Ok((files, cases))
    }

    /// Replaces everything the user decided, and the data when the session has them, by a
    /// session's (see [`AppState::apply_session`]: an error changes nothing). Says whether data
    /// are being loaded.
    pub(crate) fn open_session(&self, session: Session) -> Result<bool, Said> {
        let (files, cases) = self.apply_session(session)?;
        let with_data = !files.is_empty() || cases.is_some();
        if with_data {
            self.load_session_data(files, cases);
        }
        Ok(with_data)
    }

    /// Replaces the data by a session's stored files and case groups (the demo ring as the
    /// demo, so it stays labelled as fictional).
    fn load_session_data(&self, files: Vec<web_sys::File>, cases: Option<CaseData>) {
        if let ([file], None) = (files.as_slice(), &cases) {
            if file.name() == DEMO_RING_FILE_NAME && file.size() as usize == DEMO_RING_CSV.len() {
                self.load_demo();
                return;
            }
        }
        self.clear_data();
        if cases.is_some() {
            // Nothing is loaded after clearing, so merging the groups alone cannot conflict.
            let _ = self.remerge_with(Vec::new(), cases, MergeChoices::new());
        }
        self.load_files(files);
    }

    /// Sets the own municipality and year when the data have them; otherwise they wait until
    /// data that have them are loaded (a session saved with its data).
    fn select(&self, own: Option<String>, year: Option<i32>) {
        let (names, years) = self
            .page
            .data
            .with_untracked(|d| (d.municipality_names(), d.dataset.years()));
        let own_known = own.as_ref().is_some_and(|o| names.contains(o));
        let year_known = year.is_some_and(|y| years.contains(&y));
        // The page's selection, and every view with it at once: a session is new work, like
        // new data, not a choice the views out of sight may take up later.
        if own_known {
            self.page.own.set(own.clone());
        }
        if year_known {
            self.page.year.set(year);
        }
        self.catch_up_views();
        self.pending_selection
            .set((!(own_known && year_known)).then_some((own, year)));
    }

    /// Applies a selection that waited for its data, once data with that municipality are in.
    pub(crate) fn apply_pending_selection(&self) {
        if let Some((own, year)) = self.pending_selection.get_untracked() {
            let has_own = self.page.data.with_untracked(|d| {
                own.as_ref()
                    .is_some_and(|o| d.municipality_names().contains(o))
            });
            if has_own {
                self.select(own, year);
            }
        }
    }
}
