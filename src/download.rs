//! Files the app hands to the user (report CSV, session file): built in memory and offered as a
//! download from a `blob:` URL, so nothing leaves the machine.

use wasm_bindgen::{JsCast, JsValue};

/// Offers `text` as a file download named `name` (UTF-8).
pub fn download(name: &str, mime: &str, text: &str) {
    // Failing DOM calls here mean a browser without Blob URLs; there is nothing better to do.
    let _ = try_download(name, mime, text);
}

fn try_download(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let anchor: web_sys::HtmlAnchorElement = leptos::prelude::document()
        .create_element("a")?
        .dyn_into()?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    web_sys::Url::revoke_object_url(&url)
}

/// Today's date as `YYYY-MM-DD` (for file names and the printed report).
pub fn today() -> String {
    now().chars().take(10).collect()
}

/// Now as ISO 8601 to the minute, UTC (`2026-11-25T17:45`), for a target's last change.
pub fn now() -> String {
    let iso: String = js_sys::Date::new_0().to_iso_string().into();
    iso.chars().take(16).collect()
}
