//! The reading worker's entry point: registers the worker with the JS codec, nothing else.

use gloo_worker::Registrable;
use vergleichsring::protocol::JsCodec;
use vergleichsring::worker::Reader;

fn main() {
    console_error_panic_hook::set_once();
    Reader::registrar().encoding::<JsCodec>().register();
}
