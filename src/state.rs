//! The app's state: a few signals at the root, handed to every view as one `Copy` struct.
//!
//! Views read what they show from [`AppState`] and change it only through its methods, so the
//! rules that tie the pieces together (a new dataset picks a valid own municipality and year;
//! the first upload replaces the demo ring; every change of a file merges again) live here.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use leptos::prelude::*;
use vergleichsring_core::{
    Binding, Bindings, Catalogue, Checks, Comments, Comparison, Error, KpiTable, MergeChoices,
    PeerGroup, Pseudonyms, Target,
};

use crate::i18n::{Lang, Said, Texts};
use crate::loaded::{CaseData, Data, FocusCell, LoadedBoundaries, LoadedFile, ShownRow};
use crate::selection::{compare, Selection, ViewLink};
use crate::workers::{CaseState, LoadStatus, Loader};

/// The root state. Every field is a signal, so the struct is `Copy` and goes into closures freely.
#[derive(Clone, Copy)]
pub struct AppState {
    /// Interface language.
    pub lang: RwSignal<Lang>,
    /// The loaded data (in a view, the data it shows: its copy of the page's, `shown.rs`).
    /// Shared, so that a view's copy costs nothing; the page's are changed through the
    /// methods here, never through a view's copy.
    pub data: RwSignal<Arc<Data>>,
    /// The own municipality (by name, so it survives merges that renumber municipalities).
    /// In a view, the view's copy (`shown.rs`); setting it sets the page's.
    pub own: RwSignal<Option<String>>,
    /// The year every view looks at (in a view, its copy, as `own`).
    pub year: RwSignal<Option<i32>>,
    /// What the last load did (drives `load-status`).
    pub load: RwSignal<LoadStatus>,
    /// The ring's catalogue: KPIs, rules, events, check thresholds (built-in until replaced).
    pub catalogue: RwSignal<Catalogue>,
    /// Every KPI of the catalogue for every municipality and year of the data; shared by the
    /// KPI table, the comparison, the dashboard, the check and the targets (in a view, those of
    /// the view's data: the page's table while they are the page's).
    pub kpis: Memo<Arc<KpiTable>>,
    /// The peer group the comparison and dashboard use (in a view, its copy, as `own`).
    pub peers: RwSignal<PeerGroup>,
    /// The own municipality against the peer group in the year: shared by the peer table, the
    /// charts, the dashboard and the workshop. `None` until own municipality and year are
    /// chosen; an error (German) when the group cannot be formed.
    pub comparison: Memo<Option<Result<Comparison, Error>>>,
    /// The page's own municipality, year, peer group (the header's) and data, which the views
    /// follow.
    pub(crate) page: Selection,
    /// The comparison of the page's selection (`comparison` of the page's state), which a
    /// view's comparison is while its selection is the page's.
    pub(crate) page_comparison: Memo<Option<Result<Comparison, Error>>>,
    /// Every view's copy of the selection, to bring them all up to date with new data.
    pub(crate) views: StoredValue<Vec<ViewLink>>,
    /// The thresholds in force: the catalogue's `[checks]` until the user adjusts them.
    pub thresholds: RwSignal<Checks>,
    /// The user's comments on findings, kept across changes of data and thresholds.
    pub comments: RwSignal<Comments>,
    /// The own municipality's targets.
    pub targets: RwSignal<Vec<Target>>,
    /// The user's bindings of catalogue measures to loaded measures (the Zuordnung panel).
    pub bindings: RwSignal<Bindings>,
    /// The cell the Daten view should scroll to and highlight.
    pub focus: RwSignal<Option<FocusCell>>,
    /// The rows around the focused cell, by upload, as the worker sent them.
    pub focus_rows: RwSignal<Option<(u32, Vec<ShownRow>)>>,
    /// Show every municipality but the own one as "Kommune A", "Kommune B", … (workshops).
    pub pseudonymise: RwSignal<bool>,
    /// The case-level upload and its aggregation.
    pub cases: CaseState,
    /// Own municipality and year of a loaded session, waiting for data that have them.
    pub(crate) pending_selection: RwSignal<Option<(Option<String>, Option<i32>)>>,
    /// The files the user picked, so a session can be saved with its data.
    pub(crate) originals: StoredValue<Vec<web_sys::File>, LocalStorage>,
    /// The pseudonyms of the loaded municipalities; read through [`AppState::display_name`].
    /// A municipality keeps its letter while the page is open, also when more data come in.
    pub pseudonyms: Memo<Pseudonyms>,
    /// Each municipality's dataset index by its real name (the first of a name), so that a
    /// name finds its municipality at once in lists of thousands (in a view, in its data).
    pub(crate) name_index: Memo<HashMap<String, usize>>,
    /// The seed that orders new letters (drawn per page, or a loaded session's) and the letters
    /// a loaded session fixed (real name → pseudonym).
    pub(crate) pseudonym_key: RwSignal<(u64, BTreeMap<String, String>)>,
    /// The reading worker; local because a worker bridge cannot leave the main thread.
    pub(crate) loader: StoredValue<Option<Loader>, LocalStorage>,
    /// The work as last saved to or loaded from a session file (`session::work_of`), to ask
    /// before the page closes with changes beyond it.
    pub(crate) saved_work: StoredValue<String>,
    /// Whether the work kept in the browser's storage includes the loaded data.
    pub(crate) keep_data: RwSignal<bool>,
    /// The district boundaries of the last GeoJSON file loaded, or why it was refused
    /// (file name and message).
    pub boundaries: RwSignal<Option<LoadedBoundaries>>,
    /// Districts the user took out of view (by name); every view that shows districts
    /// leaves them out.
    pub hidden_districts: RwSignal<BTreeSet<String>>,
    /// The boundaries' property the user chose to join them to the districts (`None`: the one
    /// that matches the most districts).
    pub map_join: RwSignal<Option<String>>,
}

impl AppState {
    /// A fresh state with no data.
    pub fn new() -> AppState {
        let catalogue = Catalogue::builtin();
        let thresholds = RwSignal::new(catalogue.checks().clone());
        let catalogue = RwSignal::new(catalogue);
        let page = Selection::new();
        let data = page.data;
        let kpis = Memo::new_with_compare(
            move |_| catalogue.with(|c| data.with(|d| Arc::new(KpiTable::compute(c, &d.dataset)))),
            other_table,
        );
        // Random per page session, so that the letters do not follow the data's (alphabetical)
        // order; below 2^53, so that the seed survives a JSON reader that keeps numbers as f64.
        let seed = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
        let pseudonym_key = RwSignal::new((seed, BTreeMap::new()));
        let pseudonyms = Memo::new(move |previous: Option<&Pseudonyms>| {
            pseudonym_key.with(|(seed, fixed)| {
                // A session's letters first, then the letters shown so far.
                let mut kept = fixed.clone();
                if let Some(previous) = previous {
                    let taken: BTreeSet<&String> = fixed.values().collect();
                    for (name, letter) in previous.letters() {
                        if !taken.contains(letter) {
                            kept.entry(name.clone()).or_insert_with(|| letter.clone());
                        }
                    }
                }
                data.with(|d| Pseudonyms::keeping(&d.dataset.municipalities, *seed, &kept))
            })
        });
        let name_index = name_index(data);
        let comparison = Memo::new(move |_| compare((catalogue, data, kpis), page));
        AppState {
            lang: RwSignal::new(Lang::default()),
            data,
            own: page.own,
            year: page.year,
            load: RwSignal::new(LoadStatus::default()),
            catalogue,
            kpis,
            peers: page.peers,
            comparison,
            page_comparison: comparison,
            page,
            views: StoredValue::new(Vec::new()),
            thresholds,
            comments: RwSignal::new(Comments::new()),
            targets: RwSignal::new(Vec::new()),
            bindings: RwSignal::new(Bindings::new()),
            pseudonymise: RwSignal::new(false),
            cases: CaseState::new(),
            focus: RwSignal::new(None),
            focus_rows: RwSignal::new(None),
            pending_selection: RwSignal::new(None),
            originals: StoredValue::new_local(Vec::new()),
            pseudonyms,
            name_index,
            pseudonym_key,
            loader: StoredValue::new_local(None),
            saved_work: StoredValue::new(String::new()),
            keep_data: RwSignal::new(false),
            boundaries: RwSignal::new(None),
            hidden_districts: RwSignal::new(BTreeSet::new()),
            map_join: RwSignal::new(None),
        }
    }

    /// Replaces the catalogue; its `[checks]` become the thresholds in force.
    pub fn set_catalogue(&self, catalogue: Catalogue) {
        self.thresholds.set(catalogue.checks().clone());
        self.replace_catalogue(catalogue);
    }

    /// Replaces the catalogue and binds its measures again; the thresholds stay.
    pub fn replace_catalogue(&self, catalogue: Catalogue) {
        self.bindings.with_untracked(|choices| {
            self.page
                .data
                .update(|d| Arc::make_mut(d).bind(&catalogue, choices));
        });
        self.catalogue.set(catalogue);
    }

    /// Feeds catalogue measure `key` by the user's choice (`None`: by the catalogue's sources).
    pub fn choose_binding(&self, key: &str, binding: Option<Binding>) {
        self.bindings.update(|choices| match binding {
            Some(b) => {
                choices.insert(key.to_string(), b);
            }
            None => {
                choices.remove(key);
            }
        });
        self.rebind();
    }

    /// Binds the catalogue's measures in the data again, with the user's choices.
    fn rebind(&self) {
        self.catalogue.with_untracked(|catalogue| {
            self.bindings.with_untracked(|choices| {
                self.page
                    .data
                    .update(|d| Arc::make_mut(d).bind(catalogue, choices));
            });
        });
    }

    /// Shows a cell of an upload in the Daten view (scrolls there; the view highlights it).
    pub fn show_cell(&self, cell: FocusCell) {
        let upload = self.page.data.with_untracked(|d| {
            d.files
                .iter()
                .find(|f| f.report.file == cell.file)
                .map(|f| f.upload)
        });
        self.focus_rows.set(None);
        if let Some(upload) = upload {
            self.request_rows(upload, cell.line);
        }
        self.focus.set(Some(cell));
        if let Some(section) = document().get_element_by_id("daten") {
            section.scroll_into_view();
        }
    }

    /// Sets the target of a KPI (one per KPI: a new one replaces the old).
    pub fn set_target(&self, target: Target) {
        self.targets.update(
            |targets| match targets.iter_mut().find(|t| t.kpi == target.kpi) {
                Some(old) => *old = target,
                None => targets.push(target),
            },
        );
    }

    /// Remembers the files the user picked (the newest of a name wins).
    pub(crate) fn remember(&self, files: &[web_sys::File]) {
        self.originals.update_value(|kept| {
            kept.retain(|k| files.iter().all(|f| f.name() != k.name()));
            kept.extend(files.iter().cloned());
        });
    }

    /// The file the user picked under a name, if any.
    pub(crate) fn original(&self, name: &str) -> Option<web_sys::File> {
        self.originals
            .with_value(|kept| kept.iter().find(|f| f.name() == name).cloned())
    }

    /// The texts of the current language (tracks the language signal).
    pub fn t(&self) -> &'static Texts {
        self.lang.get().texts()
    }

    /// A kept message in the current language (tracks the language signal).
    pub fn say(&self, said: &Said) -> String {
        said.in_lang(self.lang.get())
    }

    /// A core error in the current language (tracks the language signal).
    pub fn say_error(&self, e: &Error) -> String {
        e.message().render(self.lang.get().core())
    }

    /// Replaces the data, keeping the own municipality and year when they still exist and
    /// otherwise choosing the first municipality and the latest year.
    pub fn set_data(&self, mut data: Data) {
        self.catalogue.with_untracked(|catalogue| {
            self.bindings
                .with_untracked(|choices| data.bind(catalogue, choices));
        });
        let names = data.municipality_names();
        let years = data.dataset.years();
        self.page.own.update(|own| {
            if own.as_ref().is_none_or(|o| !names.contains(o)) {
                *own = names.first().cloned();
            }
        });
        self.page.year.update(|year| {
            if year.is_none_or(|y| !years.contains(&y)) {
                *year = years.last().copied();
            }
        });
        self.page.data.set(Arc::new(data));
    }

    /// The name every view and export shows for municipality `index` of the dataset: its real
    /// name, or with pseudonymisation on "Kommune A", "Kommune B", … for every municipality
    /// but the own one. Tracks the switch, the data and (with the switch on) the page's own
    /// municipality.
    pub fn display_name(&self, index: usize) -> String {
        let (real, aggregate) = self.data.with(|d| {
            d.dataset
                .municipalities
                .get(index)
                .map(|m| (m.name.clone(), m.aggregate))
                .unwrap_or_default()
        });
        // The page's own municipality, not the view's: a view that has not caught up yet must
        // not show the real name of the municipality that was own before.
        if !self.pseudonymise.get()
            || self
                .page
                .own
                .with(|own| own.as_deref() == Some(real.as_str()))
        {
            return real;
        }
        // A view that has not caught up with new data numbers its municipalities otherwise:
        // it finds the letter by the name, and a name the page's data no longer hold is hidden.
        let shown = self.data.with(Arc::as_ptr);
        let current = self.page.data.with_untracked(Arc::as_ptr) == shown;
        self.pseudonyms.with(|p| match current {
            true => p.get(index).map_or(real.clone(), str::to_string),
            false if aggregate => real.clone(),
            false => p
                .letters()
                .get(&real)
                .cloned()
                .unwrap_or_else(|| "–".to_string()),
        })
    }

    /// [`AppState::display_name`] of a municipality given by its real name (a name the data do
    /// not hold is returned as it is, unless pseudonymisation is on: then it is hidden).
    pub fn display_name_of(&self, name: &str) -> String {
        // Without pseudonyms every name is shown as it is (the own select asks for thousands).
        if !self.pseudonymise.get() {
            return name.to_string();
        }
        match self.name_index.with(|names| names.get(name).copied()) {
            Some(index) => self.display_name(index),
            None => "–".to_string(),
        }
    }

    /// `text` as it may be shown: with pseudonymisation on, every other municipality's real
    /// name in it replaced by its pseudonym (messages, preview cells, skipped lines).
    pub fn mask_names(&self, text: &str) -> String {
        if !self.pseudonymise.get() {
            return text.to_string();
        }
        let own = self.page.own.get();
        // The page's municipalities, which the pseudonyms were made for.
        self.pseudonyms.with(|p| {
            self.page
                .data
                .with(|d| p.mask(text, &d.dataset.municipalities, own.as_deref()))
        })
    }

    /// Every municipality's [`AppState::display_name`], by dataset index (for exports).
    pub fn display_names(&self) -> Vec<String> {
        let n = self.data.with(|d| d.dataset.municipalities.len());
        (0..n).map(|m| self.display_name(m)).collect()
    }

    /// Merges the files again after one of them or a choice changed; on failure the data stay
    /// as they were and the message is returned.
    pub fn remerge(&self, files: Vec<LoadedFile>, choices: MergeChoices) -> Result<(), Said> {
        let cases = self.page.data.with_untracked(|d| d.cases.clone());
        self.remerge_with(files, cases, choices)
    }

    /// [`AppState::remerge`] with other case groups (or none).
    pub fn remerge_with(
        &self,
        files: Vec<LoadedFile>,
        cases: Option<CaseData>,
        choices: MergeChoices,
    ) -> Result<(), Said> {
        let demo = self.page.data.with_untracked(|d| d.demo);
        let data = Data::merged(files, cases, choices, demo)?;
        self.set_data(data);
        Ok(())
    }

    /// Removes the case groups; the files stay.
    pub fn remove_cases(&self) {
        let (files, choices) = self
            .page
            .data
            .with_untracked(|d| (d.files.clone(), d.choices.clone()));
        // Without the groups the files merged before, so they merge again.
        let _ = self.remerge_with(files, None, choices);
    }
}

/// Each municipality's dataset index by its real name (the first of a name) in `data`.
pub(crate) fn name_index(data: RwSignal<Arc<Data>>) -> Memo<HashMap<String, usize>> {
    Memo::new(move |_| {
        data.with(|d| {
            let mut index = HashMap::new();
            for (i, m) in d.dataset.municipalities.iter().enumerate() {
                index.entry(m.name.clone()).or_insert(i);
            }
            index
        })
    })
}

/// Whether a KPI table is another one: by identity, because comparing two tables of a million
/// values costs as much as computing one, and a table is computed only when its inputs changed.
pub(crate) fn other_table(a: Option<&Arc<KpiTable>>, b: Option<&Arc<KpiTable>>) -> bool {
    !matches!((a, b), (Some(a), Some(b)) if Arc::ptr_eq(a, b))
}

impl Default for AppState {
    fn default() -> Self {
        AppState::new()
    }
}
