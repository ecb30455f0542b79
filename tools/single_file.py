#!/usr/bin/env python3
"""Assemble dist/vergleichsring.html: the whole app in one file that runs from disk (file://).

Offices that may not run any server get this one file. Browsers refuse to fetch wasm, modules or
worker scripts from file:// URLs, so everything is inlined: the stylesheets as <style>, the wasm of
the app and of the reading worker as base64 data blocks (decoded with atob, since a fetch of a
data: URL would need connect-src), the main glue in one module script, and the worker's glue plus
its wasm in a Blob whose URL the app reads from `globalThis.vergleichsringWorkerUrl` and hands to
gloo-worker's `spawn_with_loader`. The Content-Security-Policy forbids every network access
(`connect-src 'none'`) and allows the two inline blocks only by their hashes.

Runs as Trunk's post_build hook (TRUNK_STAGING_DIR) or by hand: single_file.py DIST_DIR.
"""
import base64
import hashlib
import os
import re
import sys

APP = "vergleichsring-app"
WORKER = "vergleichsring-worker"
WORKER_URL_GLOBAL = "vergleichsringWorkerUrl"
OUT = "vergleichsring.html"


def read(folder, name, mode="r"):
    with open(os.path.join(folder, name), mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
        return f.read()


def sha256(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def data_block(element_id, payload):
    # A data block is never executed, so the CSP does not govern it; base64 holds no "<".
    return f'<script type="application/octet-stream" id="{element_id}">{payload}</script>'


def main_script(app_glue):
    # The glue is an ES module whose only export statement names init functions; an inline
    # module may not export, so that line goes and __wbg_init is called directly.
    glue = re.sub(r"^export \{[^}]*\};?\s*$", "", app_glue, flags=re.M)
    glue = re.sub(r"^export (class|function|const|let) ", r"\1 ", glue, flags=re.M)
    boot = f"""
function vrBytes(id) {{
  const text = atob(document.getElementById(id).textContent);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}}
const vrWorkerSource = document.getElementById("vr-worker-glue").textContent
  + "\\n;(function () {{ const t = atob(" + JSON.stringify(document.getElementById("vr-worker-wasm").textContent) + ");"
  + " const b = new Uint8Array(t.length); for (let i = 0; i < t.length; i++) b[i] = t.charCodeAt(i);"
  + " wasm_bindgen.initSync({{ module: b }}); }})();";
globalThis.{WORKER_URL_GLOBAL} = URL.createObjectURL(new Blob([vrWorkerSource], {{ type: "text/javascript" }}));
await __wbg_init({{ module_or_path: vrBytes("vr-app-wasm") }});
"""
    return glue + boot


def assemble(folder):
    index = read(folder, "index.html")
    styles = "".join(read(folder, href) for href in re.findall(r'<link rel="stylesheet" href="\./([^"]+)"[^>]*>', index))
    script = main_script(read(folder, f"{APP}.js"))
    worker_glue = read(folder, f"{WORKER}.js").replace("</script", "<\\/script")
    favicon = base64.b64encode(read(folder, "favicon.svg", "rb")).decode()
    csp = ("default-src 'none'; script-src " + sha256(script) + " 'wasm-unsafe-eval'; "
           "style-src " + sha256(styles) + "; img-src data: blob:; connect-src 'none'; "
           "worker-src blob:; object-src 'none'; base-uri 'none'; form-action 'none'")

    html = re.sub(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">',
                  f'<meta http-equiv="Content-Security-Policy" content="{csp}">', index)
    html = re.sub(r'<link rel="stylesheet" href="[^"]*"[^>]*>\s*', "", html)
    html = re.sub(r'<script type="module" src="[^"]*"></script>\s*', "", html)
    html = re.sub(r'<link rel="(modulepreload|preload)"[^>]*>\s*', "", html)
    html = re.sub(r'<link rel="icon" href="[^"]*"', f'<link rel="icon" href="data:image/svg+xml;base64,{favicon}"', html)
    blocks = "\n".join([
        f"<style>{styles}</style>",
        data_block("vr-app-wasm", base64.b64encode(read(folder, f"{APP}_bg.wasm", "rb")).decode()),
        data_block("vr-worker-wasm", base64.b64encode(read(folder, f"{WORKER}_bg.wasm", "rb")).decode()),
        f'<script type="text/plain" id="vr-worker-glue">{worker_glue}</script>',
        f'<script type="module">{script}</script>',
    ])
    html = html.replace("</head>", blocks + "\n</head>", 1)
    with open(os.path.join(folder, OUT), "w", encoding="utf-8") as f:
        f.write(html)
    return os.path.getsize(os.path.join(folder, OUT))


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TRUNK_STAGING_DIR", "dist")
    size = assemble(target)
    print(f"{OUT}: {size / 1e6:.1f} MB", file=sys.stderr)
