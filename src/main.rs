//! The browser app's entry point: mounts the root component, nothing else.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(vergleichsring::App);
}
