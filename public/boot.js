// Starts the app from a file of its own rather than Trunk's inline script, so that the
// Content-Security-Policy can forbid inline scripts (script-src 'self').
import init from "./vergleichsring-app.js";

await init({ module_or_path: new URL("./vergleichsring-app_bg.wasm", import.meta.url) });
