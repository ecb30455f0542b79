//! The export worker's entry point: registers the workbook writer with the JS codec.

use gloo_worker::Registrable;
use vergleichsring::export::Exporter;
use vergleichsring::protocol::JsCodec;

fn main() {
    console_error_panic_hook::set_once();
    Exporter::registrar().encoding::<JsCodec>().register();
}
