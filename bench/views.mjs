// Re-render and Germany-scale benchmark (issue 14), in one headless Chromium on the app's dist/:
//   - ring scale: a generated ring (bench/gen_ring.py, 400 municipalities × 20 years, the
//     built-in catalogue's measures) uploaded as a user does, then with each view shown (its
//     navigation link clicked) the own municipality, the year and the peer group changed a few
//     times each. A change is timed from the `change` event to the end of the work it set off
//     (the page's script and microtasks, then style and layout forced), which is what delays
//     the next frame; views out of sight catch up later, when the browser is idle, and their
//     tasks count among the long tasks (over 50 ms) seen while the view was shown.
//   - upload to ready: from the file input's change to load-status done and the shown view
//     drawn (ready), and to every view caught up (settled: no section marked data-stale, no long select busy);
//   - Germany scale (optional third argument): a generated file of about 11,000 municipalities
//     × 20 years × 30 measures loaded, every KPI computed, then a name search and a sort in the
//     KPI table and a change of the own municipality with the comparison shown, each step's time
//     and the renderer's resident memory (page and workers) after it.
//
//   node bench/views.mjs DIST RING.csv [GERMANY.csv]
//
//   - first load: the page opened fresh, the navigation's first drawing and the demo ring shown,
//     and the gzip bytes fetched before that drawing.
//
// ONLY=first-load|rerender|germany runs one part.
//
// Prints `RESULT case=first-load …`, `RESULT case=rerender view=<anchor> median_ms=<x> max_ms=<y> changes=<n> long_tasks=<n>`
// per view, `RESULT case=rerender view=all …` over every change, `RESULT case=upload …` and per
// Germany step `RESULT case=germany step=<name> seconds=<x> rss_mb=<y> correct=<yes|no>`.

import { readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

import { RUNS, median, rendererBytes, result, timedUpload, withBrowser } from './common.mjs';

const [distPath, ringPath, germanyPath] = process.argv.slice(2).map((p) => resolve(p));
const CHANGES = 4;
/** The views with a peer group control. */
const PEER_VIEWS = ['vergleich', 'workshop'];

// ---- in the page ----------------------------------------------------------------------------

/** Installed in the page: times one change and waits until every view has caught up. */
function install() {
  window.__vr = {
    longTasks: [],
    /** Milliseconds from `change()` until its work (tasks' microtasks, style, layout) is done. */
    async time(change) {
      const t0 = performance.now();
      change();
      await new Promise((done) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => done();
        channel.port2.postMessage(0);
      });
      void document.body.offsetHeight;
      return performance.now() - t0;
    },
    /** Resolves when no view is stale and no long select waits for its options any more, and two frames have passed. */
    async settled(limitMs = 30_000) {
      const t0 = performance.now();
      const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      do {
        await frame();
        await frame();
      } while (document.querySelector('section[data-stale="true"], select[aria-busy="true"]') && performance.now() - t0 < limitMs);
      return performance.now() - t0;
    },
    select(testid, pick) {
      const select = document.querySelector(`[data-testid="${testid}"]`);
      const values = [...select.options].filter((o) => !o.disabled && o.value !== '').map((o) => o.value);
      return () => {
        select.value = pick(values, select.value);
        select.dispatchEvent(new Event('change', { bubbles: true }));
      };
    },
  };
  new PerformanceObserver((list) => window.__vr.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({
    type: 'longtask',
    buffered: true,
  });
}

async function openApp(browser, base) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${base}/app/index.html`);
  await page.waitForSelector('[data-testid=load-status][data-state=done]', { state: 'attached', timeout: 60_000 });
  await page.evaluate(install);
  return page;
}

/** Shows a view as a user does: its link in the navigation. */
async function show(page, anchor) {
  await page.click(`nav a[href="#${anchor}"]`);
  await page.waitForTimeout(300);
  await page.evaluate(() => window.__vr.settled());
}

// ---- ring scale -----------------------------------------------------------------------------

async function rerender(browser, base) {
  const uploads = [];
  let page;
  for (let i = 0; i < RUNS; i++) {
    page?.close();
    page = await openApp(browser, base);
    uploads.push(await timedUpload(page, ringPath, true));
  }
  const ok = uploads.every((u) => u.state === 'done') ? 'yes' : 'no';
  result(
    {
      case: 'upload',
      file: basename(ringPath),
      ready_s: median(uploads.map((u) => u.ready)).toFixed(3),
      settled_s: median(uploads.map((u) => u.settled)).toFixed(3),
      rows: uploads[0].rows,
    },
    ok,
    'median of 3; ready: load-status done and the shown view drawn; settled: every view caught up, every long select filled',
  );

  const anchors = await page.$$eval('nav a[href^="#"]', (links) => links.map((a) => a.getAttribute('href').slice(1)));
  const all = [];
  const medians = [];
  let longTasks = 0;
  for (const anchor of anchors) {
    await show(page, anchor);
    const times = await page.evaluate(async ([n, withPeers]) => {
      const vr = window.__vr;
      vr.longTasks.length = 0;
      const out = [];
      const changes = [
        vr.select('own-select', (values, now) => values[(values.indexOf(now) + 7) % values.length]),
        vr.select('year-select', (values, now) => values[(values.indexOf(now) + 1) % values.length]),
      ];
      const peers = () => {
        const current = document.querySelector('input[name="peer-mode"]:checked')?.value;
        const next = document.querySelector(`input[name="peer-mode"][value="${current === 'similar' ? 'all' : 'similar'}"]`);
        if (!next) return;
        next.checked = true;
        next.dispatchEvent(new Event('change', { bubbles: true }));
      };
      // The peer group is chosen in Vergleich and in the workshop: timed with those shown.
      if (withPeers) changes.push(peers);
      const kinds = changes.map(() => []);
      for (let i = 0; i < n; i++) {
        for (const [k, change] of changes.entries()) {
          const ms = await vr.time(change);
          out.push(ms);
          kinds[k].push(Math.round(ms));
          await vr.settled();
        }
      }
      return { out, kinds, long: vr.longTasks.filter((d) => d > 50).length };
    }, [CHANGES, PEER_VIEWS.includes(anchor)]);
    if (process.env.VERBOSE) {
      const inSight = await page.$$eval('main section.view', (all) =>
        all.filter((s) => { const r = s.getBoundingClientRect(); return r.bottom > -100 && r.top < innerHeight + 100; }).map((s) => s.id));
      console.log(anchor, JSON.stringify(times.kinds), 'in sight:', inSight.join(','));
    }
    all.push(...times.out);
    medians.push([anchor, median(times.out)]);
    longTasks += times.long;
    result(
      {
        case: 'rerender',
        view: anchor,
        median_ms: median(times.out).toFixed(1),
        max_ms: Math.max(...times.out).toFixed(1),
        changes: times.out.length,
        long_tasks: times.long,
      },
      'NA',
      'own municipality, year, peer group; script, style and layout of the change',
    );
  }
  result(
    { case: 'rerender', view: 'all', median_ms: median(all).toFixed(1), max_ms: Math.max(...all).toFixed(1), changes: all.length, long_tasks: longTasks },
    'NA',
    `${basename(ringPath)}; goal: median under 16 ms, none over 50 ms; slowest views: ` +
      medians.sort((a, b) => b[1] - a[1]).slice(0, 3).map(([v, ms]) => `${v} ${ms.toFixed(1)} ms`).join(', ') +
      '; a change draws the views in sight again (views out of sight wait), and in them every KPI\'s ' +
      'chart: the peer group\'s statistics for each year (small multiples, the dashboard\'s course lines) ' +
      'and their SVG, which is what these views spend their time on',
  );
  await page.close();
}

// ---- first load ---------------------------------------------------------------------------

/** The page opened fresh: when the navigation is first drawn, when the demo ring is shown, and
 * the bytes (gzip -9, as a server would send them) of every file fetched before that first
 * drawing and in all. */
async function firstLoad(browser, base) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (!document.querySelector('nav a')) return;
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => (window.__navDrawn = performance.now()), 0));
      }).observe(document, { subtree: true, childList: true });
    });
    await page.goto(`${base}/app/index.html`);
    await page.waitForSelector('[data-testid=load-status][data-state=done]', { state: 'attached', timeout: 60_000 });
    await page.waitForFunction(() => window.__navDrawn);
    const run = await page.evaluate(() => ({
      nav: window.__navDrawn,
      demo: performance.now(),
      files: performance.getEntriesByType('resource').map((r) => [new URL(r.name).pathname.split('/').pop(), r.startTime]),
    }));
    await page.close();
    runs.push(run);
  }
  const gz = (name) => gzipSync(readFileSync(join(distPath, name)), { level: 9 }).length;
  const html = gz('index.html');
  const last = runs[runs.length - 1];
  const before = last.files.filter(([, start]) => start < last.nav).map(([name]) => name);
  const bytes = (names) => [...new Set(names)].reduce((sum, name) => sum + gz(name), html);
  const firstPaintKb = bytes(before) / 1024;
  const appKb = gz('vergleichsring-app_bg.wasm') / 1024;
  result(
    {
      case: 'first-load',
      nav_drawn_s: (median(runs.map((r) => r.nav)) / 1000).toFixed(3),
      demo_shown_s: (median(runs.map((r) => r.demo)) / 1000).toFixed(3),
      first_paint_kb_gzip: firstPaintKb.toFixed(0),
      // A worker's own fetches are not in the page's timeline: its wasm counts with its loader.
      all_kb_gzip: (bytes(last.files.flatMap(([name]) => (name.endsWith('_loader.js') ? [name, name.replace('_loader.js', '.js'), name.replace('_loader.js', '_bg.wasm')] : [name]))) / 1024).toFixed(0),
    },
    'NA',
    `median of 3; before the first drawing: index.html, ${[...new Set(before)].join(', ')}; goal: under 600 KB, drawn under 0.5 s; ` +
      `${(firstPaintKb - 600).toFixed(0)} KB over, ${appKb.toFixed(0)} KB of it the app's one wasm: every view is on the page from the start ` +
      `and Leptos's renderers and std's generics instantiated for them are about 60% of its code, the core, TOML and JSON most of the rest ` +
      `(docs/ARCHITECTURE.md, "First load"); Trunk 0.21 cannot split a Leptos app's wasm`,
  );
}

// ---- Germany scale --------------------------------------------------------------------------

async function germany(browser, base) {
  const page = await openApp(browser, base);
  let peak = rendererBytes();
  const sampler = setInterval(() => (peak = Math.max(peak, rendererBytes())), 50);
  const step = (name, seconds, ok, note = '') => {
    result({ case: 'germany', step: name, seconds: seconds.toFixed(3), rss_mb: (rendererBytes() / 1e6).toFixed(0), peak_mb: (peak / 1e6).toFixed(0) }, ok ? 'yes' : 'no', note);
  };
  let crashed = false;
  page.on('crash', () => (crashed = true));
  try {
    const loaded = await timedUpload(page, germanyPath, true);
    step('load', loaded.ready, loaded.state === 'done', `${basename(germanyPath)} ${(statSync(germanyPath).size / 1e6).toFixed(0)} MB, ${loaded.rows} rows; load-status done and the shown view drawn`);
    step('kpis', loaded.settled, loaded.state === 'done', 'every KPI computed and every view caught up');
    await show(page, 'kennzahlen');
    const search = await page.evaluate(async () => {
      const input = document.getElementById('kpi-filter-suche');
      const ms = await window.__vr.time(() => {
        input.value = 'Gemeinde 0999';
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      const rows = document.querySelectorAll('[data-testid="kpi-table"] .kpi-sheet tbody tr th').length;
      return { ms, rows };
    });
    step('search', search.ms / 1000, search.rows > 0, `${search.rows} rows of the sheets match`);
    const sort = await page.evaluate(async () => {
      const button = document.querySelectorAll('[data-testid="kpi-table"] .kpi-sheet thead th button.sort')[1];
      const ms = await window.__vr.time(() => button.click());
      return { ms, sorted: button.closest('th').getAttribute('aria-sort') === 'ascending' };
    });
    step('sort', sort.ms / 1000, sort.sorted, 'first sheet by its first year');
    await show(page, 'vergleich');
    const compare = await page.evaluate(async () => {
      const vr = window.__vr;
      const ms = await vr.time(vr.select('own-select', (values, now) => values[(values.indexOf(now) + 5000) % values.length]));
      return { ms, rows: document.querySelectorAll('[data-testid="peer-table"] [data-kpi]').length };
    });
    step('compare', compare.ms / 1000, compare.rows > 0 && !crashed, `own municipality changed with Vergleich shown; ${compare.rows} peer-table rows`);
  } catch (e) {
    step('error', 0, false, String(e).split('\n')[0].slice(0, 160) + (crashed ? ' (the tab crashed)' : ''));
  } finally {
    clearInterval(sampler);
    await page.close().catch(() => {});
  }
}

await withBrowser(distPath, async (browser, base) => {
  if (!process.env.ONLY || process.env.ONLY === 'first-load') await firstLoad(browser, base);
  if (!process.env.ONLY || process.env.ONLY === 'rerender') await rerender(browser, base);
  if (germanyPath && (!process.env.ONLY || process.env.ONLY === 'germany')) await germany(browser, base);
});
