//! The app's state: a few signals at the root, handed to every view as one `Copy` struct.
//!
//! Views read what they show from [`AppState`] and change it only through its methods, so the
//! rules that tie the pieces together (a new dataset picks a valid own municipality and year;
//! the first upload replaces the demo ring; every change of a file merges again) live here.

use leptos::prelude::*;
use vergleichsring_core::{
    merge, Catalogue, Checks, Comments, Conflict, Dataset, KpiTable, Layout, LoadReport,
    MergeChoices, PeerGroup, ReadOptions, Result as CoreResult, Target,
};

use crate::i18n::{Lang, Texts};
use crate::load::{LoadStatus, Loader};
use crate::worker::{Parsed, Preview};

/// One loaded file as the page keeps it (its table stays in the worker).
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedFile {
    /// The upload's number in the worker.
    pub upload: u32,
    /// Its size in bytes.
    pub size: u64,
    /// The layout in force (detected or edited).
    pub layout: Layout,
    /// The settings it was read with (`None` fields detected).
    pub options: ReadOptions,
    /// Why it gives no data, or why the user's last change was not applied.
    pub problem: Option<String>,
    /// The file's own dataset.
    pub dataset: Dataset,
    /// What was read.
    pub report: LoadReport,
    /// The first rows as written.
    pub preview: Preview,
}

impl LoadedFile {
    /// A file as the worker read it.
    pub fn new(size: u64, parsed: Parsed) -> LoadedFile {
        LoadedFile {
            upload: parsed.upload,
            size,
            options: parsed.options,
            layout: parsed.layout,
            problem: parsed.problem.map(|f| f.message),
            dataset: parsed.dataset,
            report: parsed.report,
            preview: parsed.preview,
        }
    }
}

/// What the app works on: the loaded files and their merged dataset.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Data {
    /// The files, in load order.
    pub files: Vec<LoadedFile>,
    /// The merged dataset of every file.
    pub dataset: Dataset,
    /// Measure keys several files bring.
    pub conflicts: Vec<Conflict>,
    /// Which file wins for a conflicting key (the user's choice; default the first).
    pub choices: MergeChoices,
    /// True while the built-in demo ring is what is loaded (label its figures as fictional).
    pub demo: bool,
}

impl Data {
    /// Data of these files, merged.
    pub fn merged(files: Vec<LoadedFile>, choices: MergeChoices, demo: bool) -> CoreResult<Data> {
        let datasets: Vec<Dataset> = files.iter().map(|f| f.dataset.clone()).collect();
        let merged = merge(&datasets, &choices)?;
        // With its files removed, nothing is left to label as the demo.
        let demo = demo && !files.is_empty();
        Ok(Data {
            files,
            dataset: merged.dataset,
            conflicts: merged.conflicts,
            choices,
            demo,
        })
    }

    /// True when there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.dataset.cells.is_empty()
    }

    /// Names of the municipalities that can be the own one or a peer (not region aggregates).
    pub fn municipality_names(&self) -> Vec<String> {
        self.dataset
            .municipalities
            .iter()
            .filter(|m| !m.aggregate)
            .map(|m| m.name.clone())
            .collect()
    }

    /// The file of an upload number.
    pub fn file(&self, upload: u32) -> Option<&LoadedFile> {
        self.files.iter().find(|f| f.upload == upload)
    }
}

/// The root state. Every field is a signal, so the struct is `Copy` and goes into closures freely.
#[derive(Clone, Copy)]
pub struct AppState {
    /// Interface language.
    pub lang: RwSignal<Lang>,
    /// The loaded data.
    pub data: RwSignal<Data>,
    /// The own municipality (by name, so it survives merges that renumber municipalities).
    pub own: RwSignal<Option<String>>,
    /// The year every view looks at.
    pub year: RwSignal<Option<i32>>,
    /// What the last load did (drives `load-status`).
    pub load: RwSignal<LoadStatus>,
    /// The ring's catalogue: KPIs, rules, events, check thresholds (built-in until replaced).
    pub catalogue: RwSignal<Catalogue>,
    /// Every KPI of the catalogue for every municipality and year of the data; shared by the
    /// KPI table, the comparison, the dashboard, the check and the targets.
    pub kpis: Memo<KpiTable>,
    /// The peer group the comparison and dashboard use.
    pub peers: RwSignal<PeerGroup>,
    /// The thresholds in force: the catalogue's `[checks]` until the user adjusts them.
    pub thresholds: RwSignal<Checks>,
    /// The user's comments on findings, kept across changes of data and thresholds.
    pub comments: RwSignal<Comments>,
    /// The own municipality's targets.
    pub targets: RwSignal<Vec<Target>>,
    /// Show every municipality but the own one as "Kommune A", "Kommune B", … (workshops).
    pub pseudonymise: RwSignal<bool>,
    /// The case-level upload and its aggregation.
    pub cases: crate::cases::CaseState,
    /// The reading worker; local because a worker bridge cannot leave the main thread.
    pub(crate) loader: StoredValue<Option<Loader>, LocalStorage>,
}

impl AppState {
    /// A fresh state with no data.
    pub fn new() -> AppState {
        let catalogue = Catalogue::builtin();
        let thresholds = RwSignal::new(catalogue.checks().clone());
        let catalogue = RwSignal::new(catalogue);
        let data = RwSignal::new(Data::default());
        let kpis =
            Memo::new(move |_| catalogue.with(|c| data.with(|d| KpiTable::compute(c, &d.dataset))));
        AppState {
            lang: RwSignal::new(Lang::default()),
            data,
            own: RwSignal::new(None),
            year: RwSignal::new(None),
            load: RwSignal::new(LoadStatus::default()),
            catalogue,
            kpis,
            peers: RwSignal::new(PeerGroup::default()),
            thresholds,
            comments: RwSignal::new(Comments::new()),
            targets: RwSignal::new(Vec::new()),
            pseudonymise: RwSignal::new(false),
            cases: crate::cases::CaseState::new(),
            loader: StoredValue::new_local(None),
        }
    }

    /// Replaces the catalogue; its `[checks]` become the thresholds in force.
    pub fn set_catalogue(&self, catalogue: Catalogue) {
        self.thresholds.set(catalogue.checks().clone());
        self.catalogue.set(catalogue);
    }

    /// The texts of the current language (tracks the language signal).
    pub fn t(&self) -> &'static Texts {
        self.lang.get().texts()
    }

    /// Replaces the data, keeping the own municipality and year when they still exist and
    /// otherwise choosing the first municipality and the latest year.
    pub fn set_data(&self, data: Data) {
        let names = data.municipality_names();
        let years = data.dataset.years();
        self.own.update(|own| {
            if own.as_ref().is_none_or(|o| !names.contains(o)) {
                *own = names.first().cloned();
            }
        });
        self.year.update(|year| {
            if year.is_none_or(|y| !years.contains(&y)) {
                *year = years.last().copied();
            }
        });
        self.data.set(data);
    }

    /// Merges the files again after one of them or a choice changed; on failure the data stay
    /// as they were and the message is returned.
    pub fn remerge(&self, files: Vec<LoadedFile>, choices: MergeChoices) -> Result<(), String> {
        let demo = self.data.with_untracked(|d| d.demo);
        let data = Data::merged(files, choices, demo).map_err(|e| e.to_string())?;
        self.set_data(data);
        Ok(())
    }
}

impl Default for AppState {
    fn default() -> Self {
        AppState::new()
    }
}
