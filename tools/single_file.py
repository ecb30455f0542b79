#!/usr/bin/env python3
"""Assemble dist/vergleichsring.html: the whole app in one file that runs from disk (file://).

Offices that may not run any server get this one file. Browsers refuse to fetch wasm, modules or
worker scripts from file:// URLs, so everything is inlined: the stylesheets as <style>, the wasm of
the app and of each worker as base64 data blocks (decoded with atob, since a fetch of a data: URL
would need connect-src), the main glue in one module script, and each worker's glue plus its wasm
in a Blob whose URL the app reads from a global (`globalThis.vergleichsringWorkerUrl` for the
reading worker, `globalThis.vergleichsringExportWorkerUrl` for the export worker) and hands to
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
# Each worker bin, the global its blob: URL goes into, and the id prefix of its data blocks.
WORKERS = [
    ("vergleichsring-worker", "vergleichsringWorkerUrl", "vr-worker"),
    ("vergleichsring-export", "vergleichsringExportWorkerUrl", "vr-export"),
]
OUT = "vergleichsring.html"


def read(folder, name, mode="r"):
    with open(os.path.join(folder, name), mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
        return f.read()


def sha256(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def data_block(element_id, payload):
    # A data block is never executed, so the CSP does not govern it; base64 holds no "<".
    return f'<script type="application/octet-stream" id="{element_id}">{payload}</script>'


def worker_blob(url_global, prefix):
    # The worker's glue, then its wasm instantiated synchronously (fine inside a worker).
    return f"""
globalThis.{url_global} = URL.createObjectURL(new Blob([
  document.getElementById("{prefix}-glue").textContent
  + "\\n;(function () {{ const t = atob(" + JSON.stringify(document.getElementById("{prefix}-wasm").textContent) + ");"
  + " const b = new Uint8Array(t.length); for (let i = 0; i < t.length; i++) b[i] = t.charCodeAt(i);"
  + " wasm_bindgen.initSync({{ module: b }}); }})();"
], {{ type: "text/javascript" }}));
"""


def main_script(app_glue):
    # The glue is an ES module whose only export statement names init functions; an inline
    # module may not export, so that line goes and __wbg_init is called directly.
    glue = re.sub(r"^export \{[^}]*\};?\s*$", "", app_glue, flags=re.M)
    glue = re.sub(r"^export (class|function|const|let) ", r"\1 ", glue, flags=re.M)
    boot = """
function vrBytes(id) {
  const text = atob(document.getElementById(id).textContent);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
"""
    boot += "".join(worker_blob(url_global, prefix) for _, url_global, prefix in WORKERS)
    boot += 'await __wbg_init({ module_or_path: vrBytes("vr-app-wasm") });\n'
    return glue + boot


def worker_blocks(folder, bin_name, prefix):
    glue = read(folder, f"{bin_name}.js").replace("</script", "<\\/script")
    return [
        data_block(f"{prefix}-wasm", base64.b64encode(read(folder, f"{bin_name}_bg.wasm", "rb")).decode()),
        f'<script type="text/plain" id="{prefix}-glue">{glue}</script>',
    ]


def assemble(folder):
    index = read(folder, "index.html")
    styles = "".join(read(folder, href) for href in re.findall(r'<link rel="stylesheet" href="\./([^"]+)"[^>]*>', index))
    script = main_script(read(folder, f"{APP}.js"))
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
    ] + [block for bin_name, _, prefix in WORKERS for block in worker_blocks(folder, bin_name, prefix)] + [
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
