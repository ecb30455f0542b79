// What the benchmarks share: finding playwright-core where ./vr installs it, the local server
// (bench pages, npm packages, the app's dist/), one headless Chromium, the median and the
// RESULT line.

import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { existsSync, readFileSync, readdirSync, statSync, createReadStream } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RUNS = 3;
export const here = dirname(fileURLToPath(import.meta.url));

/** playwright-core from PLAYWRIGHT_DIR, bench/node_modules or tests/browser/node_modules (where
 * `./vr test` installs it), so a fresh clone needs nothing else. */
export function playwright() {
  const places = [process.env.PLAYWRIGHT_DIR, here, join(here, '..', 'tests', 'browser')].filter(Boolean);
  for (const base of places) {
    try {
      return createRequire(join(base, 'node_modules', 'x.js'))('playwright-core');
    } catch {}
  }
  throw new Error(`playwright-core not found in ${places.join(', ')} (run ./vr test once, or npm ci in tests/browser)`);
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** Serves bench/ under /bench/, bench/node_modules under /node_modules/ and DIST under /app/. */
export function serve(distPath) {
  const roots = { '/bench/': here, '/node_modules/': join(here, 'node_modules'), '/app/': distPath };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const prefix = Object.keys(roots).find((p) => path.startsWith(p));
    let file = prefix && join(roots[prefix], path.slice(prefix.length));
    if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file || !file.startsWith(roots[prefix]) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    // Cross-origin isolation lets DuckDB-WASM use its multi-threaded build, its best case.
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/** Runs `job(browser, base)` with the server and one headless Chromium, closing both after. */
export async function withBrowser(distPath, job) {
  const server = await serve(distPath);
  const base = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = playwright();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    return await job(browser, base);
  } finally {
    await browser.close();
    server.close();
  }
}

/** The resident memory of the renderer processes (page and its workers) of the Chromium this
 * script started (its descendants: other browsers on the machine do not count), in bytes. */
export function rendererBytes() {
  const procs = new Map();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      // The parent is the field after the command's closing bracket.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      procs.set(Number(pid), ppid);
    } catch {}
  }
  const ours = (pid) => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = procs.get(p) ?? 0, hops++) {
      if (p === process.pid) return true;
    }
    return false;
  };
  let total = 0;
  for (const pid of procs.keys()) {
    if (!ours(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('--type=renderer')) continue;
      const rss = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
      if (rss) total += Number(rss[1]) * 1024;
    } catch {}
  }
  return total;
}

/** One RESULT line: `fields` in order, then `correct`, then a note in brackets. */
export function result(fields, correct, note = '') {
  const parts = Object.entries(fields).map(([k, v]) => `${k}=${v}`);
  console.log(`RESULT ${parts.join(' ')} correct=${correct}${note ? ` (${note})` : ''}`);
}

/** Uploads `file` on `page` as a user does. Resolves, in seconds from the file input's change,
 * when load-status is done (or failed): `seconds`; with `settle`, also when the view in sight
 * is drawn (`ready`) and when every view caught up (`settled`: no section marked data-stale, no
 * long select waiting for its options);
 * and load-status's state, data rows and data cells. */
export async function timedUpload(page, file, settle = false) {
  const timing = page.evaluate(
    (settle) =>
      new Promise((resolve) => {
        let t0 = null;
        const input = document.querySelector('[data-testid=file-input]');
        input.addEventListener('change', () => (t0 = performance.now()), { capture: true, once: true });
        const observer = new MutationObserver(async () => {
          const s = document.querySelector('[data-testid=load-status]');
          if (t0 === null || !['done', 'error', 'cancelled'].includes(s.dataset.state)) return;
          observer.disconnect();
          const since = () => (performance.now() - t0) / 1000;
          const seconds = since();
          let ready = seconds;
          let settled = seconds;
          if (settle) {
            // The view in sight is drawn in the frame after the data arrived.
            await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
            ready = since();
            const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
            do await frame();
            while (document.querySelector('section[data-stale="true"], select[aria-busy="true"]') && since() < 600);
            settled = since();
          }
          resolve({ seconds, ready, settled, state: s.dataset.state, rows: s.dataset.rows, cells: s.dataset.cells });
        });
        observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
      }),
    settle,
  );
  await page.setInputFiles('[data-testid=file-input]', file);
  return timing;
}
