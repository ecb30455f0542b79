//! Files the app hands to the user (report CSV, session file): built in memory and offered as a
//! download from a `blob:` URL, so nothing leaves the machine. And the small text files the user
//! hands back (catalogue, session), read in the page.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Offers `text` as a file download named `name` (UTF-8), through the one download path of
/// [`crate::export`].
pub fn download(name: &str, mime: &str, text: &str) {
    // Failing DOM calls here mean a browser without Blob URLs; there is nothing better to do.
    let _ = crate::export::download(text.as_bytes(), mime, name);
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

/// Reads the file chosen in the file input of `ev` as text and hands its name and text (`None`
/// when the browser could not read it) to `then`. The input is cleared, so that choosing the
/// same file again (after fixing it) reads it again.
pub fn read_chosen_text(
    ev: &leptos::ev::Event,
    then: impl FnOnce(String, Option<String>) + 'static,
) {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(file) = input.files().and_then(|list| list.item(0)) else {
        return;
    };
    input.set_value("");
    wasm_bindgen_futures::spawn_local(async move {
        let text = JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|v| v.as_string());
        then(file.name(), text);
    });
}
