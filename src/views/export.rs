//! Download buttons: the KPI table and the peer comparison as XLSX and CSV, a chart as SVG and
//! PNG. The sheets come from the core with the names as the page shows them (pseudonyms when
//! the switch is on), so a file never holds a name the page hides.

use leptos::prelude::*;
use vergleichsring_core::{kpi_sheet, peer_sheet, target_sheet, PeerGroup, Sheet};
use wasm_bindgen::JsCast;

use crate::download::{download, download_blob};
use crate::export::{file_name, svg_document, svg_png, write_workbook, CSV_TYPE, XLSX_TYPE};
use crate::i18n::{fill, WorkshopTexts};
use crate::state::AppState;

/// Which table a [`TableExports`] writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportTable {
    /// Every KPI for every municipality and year.
    Kpis,
    /// The own municipality against the peer group in the year.
    Peers,
}

impl ExportTable {
    fn code(self) -> &'static str {
        match self {
            ExportTable::Kpis => "kpi",
            ExportTable::Peers => "peer",
        }
    }

    fn label(self, t: &WorkshopTexts) -> &'static str {
        match self {
            ExportTable::Kpis => t.kpi_export_label,
            ExportTable::Peers => t.peer_export_label,
        }
    }
}

/// The peer group in words, for titles.
pub fn group_words(group: &PeerGroup, t: &WorkshopTexts) -> String {
    match group {
        PeerGroup::All => t.group_all.to_string(),
        PeerGroup::Chosen { .. } => t.group_chosen.to_string(),
        PeerGroup::Similar { k, .. } => fill(t.group_similar, &[("k", &k.to_string())]),
    }
}

/// The table as a sheet, or why there is none yet.
fn sheet(state: AppState, table: ExportTable) -> Result<(Sheet, String), String> {
    let t = state.t().workshop;
    let names = state.display_names();
    let catalogue = state.catalogue.get_untracked();
    let kpis = state.kpis.get_untracked();
    let mut notes = Vec::new();
    if state.data.with_untracked(|d| d.demo) {
        notes.push(state.t().demo_label.to_string());
    }
    if state.pseudonymise.get_untracked() {
        notes.push(t.pseudonymised_note.to_string());
    }
    let (mut sheet, stem) = match table {
        ExportTable::Kpis => (
            kpi_sheet(&catalogue, &kpis, &names),
            "kennzahlen".to_string(),
        ),
        ExportTable::Peers => {
            let (Some(own), Some(year)) = (state.own.get_untracked(), state.year.get_untracked())
            else {
                return Err(t.no_own.to_string());
            };
            let rows = state
                .comparison
                .with_untracked(|c| {
                    c.as_ref()
                        .map(|r| r.as_ref().map(|c| c.rows.clone()).map_err(Clone::clone))
                })
                .ok_or_else(|| t.no_own.to_string())?
                .map_err(|e| e.message().render(state.lang.get_untracked().core()))?;
            let group = group_words(&state.peers.get_untracked(), t);
            let sheet = peer_sheet(&catalogue, &rows, &own, year, &group);
            (sheet, format!("vergleich-{own}-{year}"))
        }
    };
    sheet.notes.extend(notes);
    Ok((sheet, stem))
}

/// The own municipality's targets as a sheet, when it has any: they travel in the KPI workbook.
fn targets_sheet(state: AppState) -> Option<Sheet> {
    let targets = state.targets.get_untracked();
    let own = state.own.get_untracked()?;
    let index = state
        .data
        .with_untracked(|d| d.dataset.municipality_index(&own))?;
    (!targets.is_empty()).then(|| {
        let catalogue = state.catalogue.get_untracked();
        let kpis = state.kpis.get_untracked();
        let shown = untrack(|| state.display_name(index));
        target_sheet(&catalogue, &kpis, &targets, index, &shown)
    })
}

/// "Kennzahlentabelle herunterladen: Excel (XLSX) | CSV", with a status line.
#[component]
pub fn TableExports(
    /// Which table.
    table: ExportTable,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().workshop;
    let status = RwSignal::new(String::new());
    let fail = move |message: String| status.set(fill(t().export_failed, &[("message", &message)]));
    let done = move |name: &str| status.set(fill(t().exported, &[("name", name)]));

    let xlsx = move |_| match sheet(state, table) {
        Ok((sheet, stem)) => {
            status.set(t().exporting.to_string());
            let name = file_name(&stem, "xlsx");
            let mut sheets = vec![sheet];
            if table == ExportTable::Kpis {
                sheets.extend(targets_sheet(state));
            }
            write_workbook(sheets, move |result| {
                match result.and_then(|bytes| {
                    download(&bytes, XLSX_TYPE, &name).map_err(|e| format!("{e:?}"))
                }) {
                    Ok(()) => done(&name),
                    Err(message) => fail(message),
                }
            });
        }
        Err(message) => fail(message),
    };
    let csv = move |_| match sheet(state, table) {
        Ok((sheet, stem)) => {
            let name = file_name(&stem, "csv");
            match download(sheet.to_csv().as_bytes(), CSV_TYPE, &name) {
                Ok(()) => done(&name),
                Err(e) => fail(format!("{e:?}")),
            }
        }
        Err(message) => fail(message),
    };
    view! {
        <div class="exports" role="group" aria-label=move || table.label(t())>
            <span class="exports-label">{move || table.label(t())} " – " {move || t().download} ":"</span>
            {export_button(table, "xlsx", |t| (t.xlsx, t.xlsx_label), xlsx)}
            {export_button(table, "csv", |t| (t.csv, t.csv_label), csv)}
            <span class="exports-status" role="status" aria-live="polite">{move || status.get()}</span>
        </div>
    }
}

/// The button that downloads `table` in `format`; `words` picks its text and what it adds to
/// the table's name for a screen reader.
fn export_button(
    table: ExportTable,
    format: &'static str,
    words: fn(&WorkshopTexts) -> (&'static str, &'static str),
    click: impl Fn(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().workshop;
    view! {
        <button
            type="button"
            data-testid=format!("export-{}-{format}", table.code())
            aria-label=move || format!("{} {}", table.label(t()), words(t()).1)
            on:click=click
        >
            {move || words(t()).0}
        </button>
    }
}

/// "SVG | PNG" for the chart in the same `<figure>`: the chart's SVG element as it is shown,
/// serialised with its styles, or drawn on a canvas.
#[component]
pub fn ChartDownloads(
    /// The file name's stem (what the chart shows).
    name: String,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || state.t().workshop;
    let svg_of = |ev: &leptos::ev::MouseEvent| -> Option<web_sys::Element> {
        let button: web_sys::Element = ev.current_target()?.dyn_into().ok()?;
        button.closest("figure").ok()??.query_selector("svg").ok()?
    };
    let svg_name = file_name(&name, "svg");
    let png_name = file_name(&name, "png");
    let as_svg = move |ev: leptos::ev::MouseEvent| {
        if let Some((text, _, _)) = svg_of(&ev).and_then(|svg| svg_document(&svg).ok()) {
            let _ = download(text.as_bytes(), "image/svg+xml", &svg_name);
        }
    };
    let as_png = move |ev: leptos::ev::MouseEvent| {
        if let Some((text, width, height)) = svg_of(&ev).and_then(|svg| svg_document(&svg).ok()) {
            let name = png_name.clone();
            let _ = svg_png(text, width, height, move |blob| {
                if let Ok(blob) = blob {
                    let _ = download_blob(&blob, &name);
                }
            });
        }
    };
    view! {
        <span class="chart-downloads">
            <button type="button" data-testid="chart-svg" aria-label=move || t().chart_svg_label on:click=as_svg>
                {move || t().svg}
            </button>
            <button type="button" data-testid="chart-png" aria-label=move || t().chart_png_label on:click=as_png>
                {move || t().png}
            </button>
        </span>
    }
}
