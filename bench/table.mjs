// Table-file benchmark (issue 12, "fast and lean"): GENESIS table exports read by
//   - the native CLI, `vergleichsring load TABLE --format csv` (parse, layout, dataset, and the
//     long records written), its time and peak memory;
//   - the app, driven as a user drives it (upload until load-status is done and the view in sight
//     is drawn; the views out of sight catch up after, when the browser is idle), its time and
//     the peak resident memory of Chromium's renderer (page and workers);
//   - Python's csv module on the same file, parsing it (python-csv-parse) and parsing it and
//     writing its long records as CSV (python-csv), the baseline of the goal.
// Correct: the CLI's records (count and checksum) equal those of an independent Python parse
// (bench/table_check.py with ../shared's genesis_check.py); the app's data rows and cells
// (load-status data-rows, data-cells) equal that parse's rows and records.
//
//   node bench/table.mjs CLI DIST TABLE...
//
// Prints per table and tool
// `RESULT tool=<name> case=table file=<name> seconds=<median of 3> mb_per_s=<x> peak_mb=<y> correct=<yes|no>`.

import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

import { RUNS, here, median, rendererBytes, result, timedUpload, withBrowser } from './common.mjs';

const [cliPath, distPath, ...tables] = process.argv.slice(2).map((p) => resolve(p));

/** `key=value` pairs printed by table_check.py. */
function check(...args) {
  const out = spawnSync('python3', [join(here, 'table_check.py'), ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.status !== 0) throw new Error(`table_check.py ${args[0]}: ${out.stderr.trim().split('\n').pop()}`);
  return Object.fromEntries(out.stdout.trim().split(/\s+/).map((kv) => kv.split('=')));
}

function report(tool, table, runs, correct, note = '') {
  const size = statSync(table).size;
  const fields = { tool, case: 'table', file: basename(table) };
  const timed = runs.filter((r) => Number.isFinite(r.seconds));
  if (!timed.length) {
    result({ ...fields, seconds: 'NA', mb_per_s: 'NA', peak_mb: 'NA' }, runs.length ? 'no' : 'NA', note);
    return;
  }
  const seconds = median(timed.map((r) => r.seconds));
  const peak = Math.max(...timed.map((r) => r.peakBytes));
  result(
    { ...fields, seconds: seconds.toFixed(3), mb_per_s: (size / seconds / 1e6).toFixed(1), peak_mb: (peak / 1e6).toFixed(1) },
    correct && timed.length === runs.length ? 'yes' : 'no',
    note,
  );
}

function runCli(table, want) {
  if (!existsSync(cliPath)) return { runs: [], correct: false, note: `no CLI at ${cliPath}` };
  const runs = [];
  let correct = true;
  let note = '';
  for (let i = 0; i < RUNS; i++) {
    const got = check('cli', cliPath, table);
    if (got.exit) return { runs: [{ seconds: NaN }], correct: false, note: `exit ${got.exit}` };
    runs.push({ seconds: Number(got.seconds), peakBytes: Number(got.peak_kb) * 1024 });
    if (got.records !== want.records || got.checksum !== want.checksum) {
      correct = false;
      note = `records ${got.records} checksum ${got.checksum}, expected ${want.records} ${want.checksum}`;
    }
  }
  return { runs, correct, note };
}

function runPython(table) {
  const parse = [];
  const write = [];
  for (let i = 0; i < RUNS; i++) {
    const got = check('baseline', table);
    const peakBytes = Number(got.peak_kb) * 1024;
    parse.push({ seconds: Number(got.parse_seconds), peakBytes });
    write.push({ seconds: Number(got.parse_write_seconds), peakBytes });
  }
  return { parse, write };
}

/** The app: from the file input's change to load-status done, the renderer's memory sampled. */
async function runApp(browser, base, table, want) {
  if (!existsSync(join(distPath, 'index.html'))) return { runs: [], correct: false, note: `no app build in ${distPath}` };
  const runs = [];
  let correct = true;
  let note = '';
  for (let i = 0; i < RUNS; i++) {
    const page = await browser.newPage();
    await page.goto(`${base}/app/index.html`);
    await page.waitForSelector('[data-testid=load-status][data-state=done]', { state: 'attached', timeout: 60_000 });
    let peakBytes = rendererBytes();
    const sampler = setInterval(() => (peakBytes = Math.max(peakBytes, rendererBytes())), 25);
    const run = await timedUpload(page, table, true);
    clearInterval(sampler);
    await page.close();
    if (run.state !== 'done') return { runs: [...runs, { seconds: NaN }], correct: false, note: `load-status ${run.state}` };
    runs.push({ seconds: run.ready, settled: run.settled, peakBytes });
    if (run.rows !== want.rows || run.cells !== want.records) {
      correct = false;
      note = `rows ${run.rows} cells ${run.cells}, expected ${want.rows} ${want.records}`;
    }
  }
  return { runs, correct, note };
}

await withBrowser(distPath, async (browser, base) => {
  for (const table of tables) {
    const want = check('expect', table);
    console.log(`table: ${table} (${(statSync(table).size / 1e6).toFixed(1)} MB), ${want.rows} rows, ${want.records} records`);
    const cli = runCli(table, want);
    report('cli', table, cli.runs, cli.correct, cli.note);
    const app = await runApp(browser, base, table, want);
    const settled = app.runs.filter((r) => Number.isFinite(r.settled));
    const views = settled.length ? `; every view caught up and the own-select holds every option after ${median(settled.map((r) => r.settled)).toFixed(3)} s` : '';
    report('app', table, app.runs, app.correct, `${app.note || 'rows and cells; the checksum is the CLI\'s'}; seconds: load-status done and the view in sight drawn${views}`);
    const python = runPython(table);
    report('python-csv-parse', table, python.parse, true, 'baseline: csv module, parse only');
    report('python-csv', table, python.write, true, 'baseline: csv module, parse and write the long records');
  }
});
