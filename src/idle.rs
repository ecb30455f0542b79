//! Work the page does when the browser has nothing else to do: what is out of sight, after
//! what is in sight has been drawn.

use leptos::prelude::window;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Runs `job` once the browser is idle, at least `delay_ms` from now (a browser without idle
/// callbacks runs it after the delay). Returns the delay's timer, to cancel it.
pub(crate) fn when_idle(delay_ms: i32, job: impl Fn() + 'static) -> i32 {
    let idle = Closure::once_into_js(job);
    let later = Closure::once_into_js(move || {
        let window = window();
        if window.request_idle_callback(idle.unchecked_ref()).is_err() {
            let _ = window.set_timeout_with_callback(idle.unchecked_ref());
        }
    });
    window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), delay_ms)
        .unwrap_or(0)
}

/// Runs `job` when the frame after the next one begins: the next frame, with what changed in
/// sight, has been drawn without it.
pub(crate) fn after_drawn(job: impl FnOnce() + 'static) {
    let job = Closure::once_into_js(job);
    let next = Closure::once_into_js(move || {
        let _ = window().request_animation_frame(job.unchecked_ref());
    });
    let _ = window().request_animation_frame(next.unchecked_ref());
}
