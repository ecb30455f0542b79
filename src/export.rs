//! Exports: tables as XLSX (in a worker of their own) and CSV, charts as SVG and PNG, each
//! handed to the user as a download from a `blob:` URL — nothing leaves the machine.
//!
//! The XLSX writer is about a megabyte of wasm, so it lives in a third wasm ([`Exporter`], bin
//! `vergleichsring-export`) that the page starts on the first XLSX export; the first load stays
//! as small as it was. The single-file build inlines that worker too and says where it is in
//! `globalThis.vergleichsringExportWorkerUrl`.

use std::cell::RefCell;
use std::collections::HashMap;

use gloo_worker::{HandlerId, Spawnable, Worker, WorkerBridge, WorkerScope};
use vergleichsring_core::Sheet;
#[cfg(feature = "workbook")]
use vergleichsring_workbook::workbook;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

use crate::protocol::{ExportRequest, ExportResponse, JsCodec};
use crate::workers::spawn_watched;

/// Trunk's loader shim of the export worker in the served build.
const DEFAULT_EXPORT_URL: &str = "./vergleichsring-export_loader.js";

/// The global a page can set to start the export worker from elsewhere (the single file's
/// `blob:` URL).
const EXPORT_URL_GLOBAL: &str = "vergleichsringExportWorkerUrl";

/// The media type of an XLSX file.
pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The media type of the CSV exports.
pub const CSV_TYPE: &str = "text/csv;charset=utf-8";

/// The export worker: writes workbooks.
pub struct Exporter;

impl Worker for Exporter {
    type Message = ();
    type Input = ExportRequest;
    type Output = ExportResponse;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        Exporter
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Self::Input, id: HandlerId) {
        let result = workbook(&msg.sheets);
        scope.respond(id, ExportResponse { id: msg.id, result });
    }
}

/// The page is built without the writer (feature `workbook`) and only starts the worker: its
/// copy of [`Exporter`] never receives a request.
#[cfg(not(feature = "workbook"))]
fn workbook(_: &[Sheet]) -> Result<Vec<u8>, String> {
    unreachable!("the page hands workbooks to the export worker")
}

type Done = Box<dyn FnOnce(Result<Vec<u8>, String>)>;

/// The page's side of the export worker, started on first use.
struct Client {
    bridge: WorkerBridge<Exporter>,
    /// The worker itself, to end it when it has failed.
    worker: Option<web_sys::Worker>,
    next: u32,
    waiting: HashMap<u32, Done>,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
}

fn worker_url() -> String {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(EXPORT_URL_GLOBAL))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| DEFAULT_EXPORT_URL.to_string())
}

fn answered(response: ExportResponse) {
    let done = CLIENT.with_borrow_mut(|client| client.as_mut()?.waiting.remove(&response.id));
    if let Some(done) = done {
        done(response.result);
    }
}

/// The export worker failed (its wasm did not load, a panic, out of memory): it is ended, every
/// waiting export hears why, and the next export starts a fresh worker.
fn failed(detail: String) {
    let Some(client) = CLIENT.with_borrow_mut(Option::take) else {
        return;
    };
    if let Some(worker) = &client.worker {
        worker.terminate();
    }
    for (_, done) in client.waiting {
        done(Err(detail.clone()));
    }
}

/// Writes `sheets` as a workbook in the export worker and calls `done` with its bytes, or with
/// the reason why there are none.
pub fn write_workbook(sheets: Vec<Sheet>, done: impl FnOnce(Result<Vec<u8>, String>) + 'static) {
    CLIENT.with_borrow_mut(|client| {
        let client = client.get_or_insert_with(|| {
            let (bridge, worker) = spawn_watched(
                || {
                    Exporter::spawner()
                        .encoding::<JsCodec>()
                        .callback(answered)
                        .spawn_with_loader(&worker_url())
                },
                failed,
            );
            Client {
                bridge,
                worker,
                next: 0,
                waiting: HashMap::new(),
            }
        });
        client.next += 1;
        let id = client.next;
        client.waiting.insert(id, Box::new(done));
        client.bridge.send(ExportRequest { id, sheets });
    });
}

/// A file name from a title: letters, digits and `-` only, so every system accepts it.
pub fn file_name(stem: &str, extension: &str) -> String {
    let mut name = String::new();
    for c in stem.chars() {
        let c = match c {
            'ä' | 'Ä' => "ae",
            'ö' | 'Ö' => "oe",
            'ü' | 'Ü' => "ue",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() => {
                name.push(c.to_ascii_lowercase());
                continue;
            }
            _ => "-",
        };
        if !(c == "-" && (name.is_empty() || name.ends_with('-'))) {
            name.push_str(c);
        }
    }
    format!("{}.{extension}", name.trim_end_matches('-'))
}

/// The computed style properties an exported SVG carries as attributes, so that it looks as on the
/// page without the page's stylesheet.
const SVG_STYLE: [&str; 15] = [
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-opacity",
    "opacity",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "text-anchor",
    "dominant-baseline",
    "visibility",
    "display",
];

/// The chart as a standalone SVG document: a copy with the page's styles written inline and
/// its size fixed to what the page shows.
pub fn svg_document(svg: &web_sys::Element) -> Result<(String, f64, f64), JsValue> {
    let copy: web_sys::Element = svg.clone_node_with_deep(true)?.unchecked_into();
    copy.set_attribute("xmlns", "http://www.w3.org/2000/svg")?;
    inline_style(svg, &copy)?;
    let (originals, copies) = (svg.query_selector_all("*")?, copy.query_selector_all("*")?);
    for i in 0..originals.length().min(copies.length()) {
        if let (Some(from), Some(to)) = (originals.item(i), copies.item(i)) {
            inline_style(from.unchecked_ref(), to.unchecked_ref())?;
        }
    }
    let rect = svg.get_bounding_client_rect();
    let (width, height) = (rect.width().max(1.0), rect.height().max(1.0));
    copy.set_attribute("width", &format!("{width}"))?;
    copy.set_attribute("height", &format!("{height}"))?;
    let text = web_sys::XmlSerializer::new()?.serialize_to_string(&copy)?;
    Ok((text, width, height))
}

/// Writes the computed styles as presentation attributes: a `style` attribute would be an
/// inline style, which the single file's CSP does not allow.
fn inline_style(from: &web_sys::Element, to: &web_sys::Element) -> Result<(), JsValue> {
    let Some(style) = leptos::prelude::window().get_computed_style(from)? else {
        return Ok(());
    };
    for property in SVG_STYLE {
        let value = style.get_property_value(property)?;
        if !value.is_empty() {
            to.set_attribute(property, &value)?;
        }
    }
    Ok(())
}

/// Pixels per SVG unit of an exported PNG: sharp on slides and in print.
const PNG_SCALE: f64 = 2.0;

/// Draws an SVG document on a white canvas and hands the PNG to `done`. The SVG goes in as a
/// `blob:` image, which the CSP's `img-src blob:` allows and which does not taint the canvas.
pub fn svg_png(
    svg: String,
    width: f64,
    height: f64,
    done: impl FnOnce(Result<web_sys::Blob, JsValue>) + 'static,
) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(&svg));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let image = web_sys::HtmlImageElement::new()?;
    let done = std::rc::Rc::new(RefCell::new(Some(Box::new(done) as Box<dyn FnOnce(_)>)));
    let finish = {
        let done = done.clone();
        move |result: Result<web_sys::Blob, JsValue>| {
            if let Some(done) = done.borrow_mut().take() {
                done(result);
            }
        }
    };
    let onload = {
        let (image, url, finish) = (image.clone(), url.clone(), finish.clone());
        Closure::once_into_js(move || {
            let _ = web_sys::Url::revoke_object_url(&url);
            if let Err(e) = draw_png(&image, width, height, finish.clone()) {
                finish(Err(e));
            }
        })
    };
    let onerror = Closure::once_into_js(move || {
        finish(Err(JsValue::from_str(
            "Das Diagramm ließ sich nicht als Bild zeichnen.",
        )));
    });
    image.set_onload(Some(onload.unchecked_ref()));
    image.set_onerror(Some(onerror.unchecked_ref()));
    image.set_src(&url);
    Ok(())
}

fn draw_png(
    image: &web_sys::HtmlImageElement,
    width: f64,
    height: f64,
    finish: impl FnOnce(Result<web_sys::Blob, JsValue>) + Clone + 'static,
) -> Result<(), JsValue> {
    let canvas: web_sys::HtmlCanvasElement = leptos::prelude::document()
        .create_element("canvas")?
        .unchecked_into();
    canvas.set_width((width * PNG_SCALE).ceil() as u32);
    canvas.set_height((height * PNG_SCALE).ceil() as u32);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("kein 2D-Kontext"))?
        .unchecked_into();
    context.set_fill_style_str("#ffffff");
    context.fill_rect(0.0, 0.0, width * PNG_SCALE, height * PNG_SCALE);
    context.draw_image_with_html_image_element_and_dw_and_dh(
        image,
        0.0,
        0.0,
        width * PNG_SCALE,
        height * PNG_SCALE,
    )?;
    let callback = Closure::once_into_js(move |blob: Option<web_sys::Blob>| {
        finish(blob.ok_or_else(|| JsValue::from_str("Das Bild ließ sich nicht kodieren.")));
    });
    canvas.to_blob_with_type(callback.unchecked_ref(), "image/png")
}
