//! Files the app hands to the user (report CSV, session file): built in memory and offered as a
//! download from a `blob:` URL, so nothing leaves the machine. And the small text files the user
//! hands back (catalogue, session), read in the page.

use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// How long a download's `blob:` URL stays valid (the browser has read it long before).
const REVOKE_AFTER_MS: i32 = 60_000;

/// Offers `bytes` as a download named `name`.
pub fn download(bytes: &[u8], media_type: &str, name: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    download_blob(&blob, name)
}

/// Offers a blob as a download named `name` through a temporary link.
pub fn download_blob(blob: &web_sys::Blob, name: &str) -> Result<(), JsValue> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let document = leptos::prelude::document();
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.set_hidden(true);
    let body = document
        .body()
        .ok_or_else(|| JsValue::from_str("kein body"))?;
    body.append_child(&link)?;
    link.click();
    link.remove();
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    leptos::prelude::window().set_timeout_with_callback_and_timeout_and_arguments_0(
        revoke.unchecked_ref(),
        REVOKE_AFTER_MS,
    )?;
    Ok(())
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
