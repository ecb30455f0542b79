//! Files the app hands to the user (report CSV, session file): built in memory and offered as a
//! download from a `blob:` URL, so nothing leaves the machine.

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
