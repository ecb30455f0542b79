//! What the page has loaded: the files (their tables stay in the worker), a case-level
//! aggregation, and the dataset merged from them, as plain data the state's signals hold.

use std::sync::Arc;

use vergleichsring_core::{
    bind, district_dimension, merge, unbind, Bindings, Boundaries, Catalogue, Conflict, Dataset,
    Layout, LoadReport, MeasureBinding, MergeChoices, Package, ReadOptions, Result as CoreResult,
    StoredCases,
};

use crate::i18n::Said;
use crate::protocol::{Parsed, Preview};

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
    pub problem: Option<Said>,
    /// The file's own dataset, shared: the file list is copied whenever the data are merged
    /// again or listed, and a municipality table holds close to a million cells.
    pub dataset: Arc<Dataset>,
    /// What was read.
    pub report: LoadReport,
    /// The first rows as written.
    pub preview: Preview,
    /// The submission package the file came in, when it came in one (CONTRACT §8).
    pub package: Option<Box<Package>>,
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
            dataset: Arc::new(parsed.dataset),
            report: parsed.report,
            preview: parsed.preview,
            package: parsed.package,
        }
    }
}

/// The groups of a case-level upload, kept beside the table files and merged with them.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseData {
    /// The case file's name and its groups, as a session keeps them.
    pub stored: StoredCases,
    /// The groups as a dataset.
    pub dataset: Dataset,
}

impl CaseData {
    /// The groups of a case file as data for the views.
    pub fn new(stored: StoredCases) -> CoreResult<CaseData> {
        let dataset = stored.aggregate.to_dataset(&stored.file)?;
        Ok(CaseData { stored, dataset })
    }
}

/// What the app works on: the loaded files and their merged dataset.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Data {
    /// The files, in load order.
    pub files: Vec<LoadedFile>,
    /// The groups of a case-level upload; they merge after the files.
    pub cases: Option<CaseData>,
    /// The merged dataset of every file, with the catalogue's measures bound to loaded ones
    /// (CONTRACT §2) after the loaded measures: what every view reads. Shared, so that a view
    /// keeps the data it shows (`shown.rs`) without a copy of a million cells.
    pub dataset: Arc<Dataset>,
    /// How many of the dataset's measures were loaded (the rest are bound).
    pub loaded_measures: usize,
    /// How each measure key of the catalogue is fed, for the Zuordnung panel.
    pub bound: Vec<MeasureBinding>,
    /// Measure keys several files bring.
    pub conflicts: Vec<Conflict>,
    /// Which file wins for a conflicting key (the user's choice; default the first).
    pub choices: MergeChoices,
    /// True while the built-in demo ring is what is loaded (label its figures as fictional).
    pub demo: bool,
    /// The district files (CONTRACT §1 district level) merged apart from the rest: their
    /// districts are no peers of the ring's municipalities. Empty without such files.
    pub districts: Arc<Dataset>,
}

impl Data {
    /// Data of these files and case groups, merged.
    pub fn merged(
        files: Vec<LoadedFile>,
        cases: Option<CaseData>,
        choices: MergeChoices,
        demo: bool,
    ) -> CoreResult<Data> {
        let (districts, datasets): (Vec<Dataset>, Vec<Dataset>) = files
            .iter()
            .map(|f| Dataset::clone(&f.dataset))
            .chain(cases.iter().map(|c| c.dataset.clone()))
            .partition(|d| district_dimension(d).is_some());
        let merged = merge(datasets, &choices)?;
        let districts = merge(districts, &MergeChoices::new())?.dataset;
        // With its files removed, nothing is left to label as the demo.
        let demo = demo && !files.is_empty();
        Ok(Data {
            files,
            cases,
            loaded_measures: merged.dataset.measures.len(),
            bound: Vec::new(),
            dataset: Arc::new(merged.dataset),
            conflicts: merged.conflicts,
            choices,
            demo,
            districts: Arc::new(districts),
        })
    }

    /// Binds the catalogue's measures again (after the catalogue or the user's choices changed).
    pub fn bind(&mut self, catalogue: &Catalogue, choices: &Bindings) {
        // A view that still shows the data as they were keeps its own copy.
        let dataset = Arc::make_mut(&mut self.dataset);
        unbind(dataset, self.loaded_measures);
        self.bound = bind(catalogue, dataset, choices);
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

/// A place in an upload the Daten view should show: a finding's "In den Daten zeigen".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FocusCell {
    /// The upload's file name.
    pub file: String,
    /// The 1-based line of the record.
    pub line: usize,
    /// The 1-based column of the cell; `None` for a finding about the whole row.
    pub column: Option<usize>,
}

/// A row of an upload as the Daten view shows it: its line and its fields.
pub type ShownRow = (usize, Vec<String>);

/// The district boundaries of a GeoJSON file, or its name and why it was refused.
pub type LoadedBoundaries = Result<Arc<Boundaries>, (String, Said)>;
