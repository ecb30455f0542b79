// Issue 7 in Firefox: the single file (dist/vergleichsring.html) copied alone into an empty folder
// and opened from disk in Debian's Firefox ESR, and the served build over http. Both start with
// the demo ring, read a real Excel export through the file input and show the fixture's KPI
// values; the single file also writes its exports from the blob: export worker (XLSX, CSV, chart
// SVG and PNG), presents the workshop and aggregates a 100,000-row case file. Nothing may reach
// the network: besides the requests Firefox reports over WebDriver BiDi, every connection of the
// browser goes to a trap proxy (localhost too), and CSP violations are recorded in the page.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  caseFile, caseGroups, close, data, dist, firefox, networkTrap, PENDING, presentAndStep, records, root, serve,
} from "./harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = process.env.VR_SHOTS || path.join(root, "target", "shots");
const quirks = path.join(data, "ring-quirks");
const expected = () => records(path.join(quirks, "expected_kpis.csv"));

/** Waits until the app has started and shows the demo ring's KPIs. */
async function demoStarted(page) {
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="load-status"]')?.dataset.state === "done"
    && document.querySelector(".demo-badge")
    && [...document.querySelectorAll('[data-testid="kpi-table"] [data-value]')].some((c) => c.dataset.value !== ""),
  { timeout: 60000 });
}

/** Uploads ring-quirks/ring.csv through the file input and checks what the load status says. */
async function uploadQuirks(page) {
  const input = await page.$('[data-testid="file-input"]');
  await input.uploadFile(path.join(quirks, "ring.csv"));
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid="load-status"]');
    return s?.dataset.state === "done" && s.textContent.includes("ring.csv");
  }, { timeout: 60000 });
  // The views out of sight catch up when the browser is idle.
  await page.waitForFunction((pending) => !document.querySelector(pending), { timeout: 60000 }, PENDING);
  const status = await page.$eval('[data-testid="load-status"]', (s) => ({ rows: s.dataset.rows, text: s.textContent }));
  assert.equal(status.rows, "96");
  assert.match(status.text, /1252/);
  assert.equal(await page.$(".demo-badge"), null, "the upload replaced the demo ring");
}

/** Every value of expected_kpis.csv against the KPI table's full-precision data-value. */
async function kpisMatch(page) {
  const cells = await page.$$eval('[data-testid="kpi-table"] [data-kpi]', (cs) =>
    Object.fromEntries(cs.map((c) => [`${c.dataset.municipality}|${c.dataset.year}|${c.dataset.kpi}`, c.dataset.value])));
  const want = expected();
  for (const w of want) {
    const got = cells[`${w.municipality}|${w.year}|${w.kpi}`];
    assert.notEqual(got, undefined, `no cell for ${w.municipality} ${w.year} ${w.kpi}`);
    if (w.value === "") assert.equal(got, "", `${w.municipality} ${w.year} ${w.kpi} is missing`);
    else assert.ok(close(Number(got), Number(w.value)), `${w.municipality} ${w.year} ${w.kpi}: ${got} != ${w.value}`);
  }
  assert.ok(want.length >= 400, `${want.length} values checked`);
}

describe("the single file from file:// in Firefox ESR", () => {
  let app, trap, folder, single, downloads;

  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "vr-firefox-"));
    fs.mkdirSync(path.join(folder, "file"));
    single = path.join(folder, "file", "vergleichsring.html");
    fs.copyFileSync(path.join(dist, "vergleichsring.html"), single);
    downloads = path.join(folder, "downloads");
    fs.mkdirSync(downloads);
    fs.mkdirSync(shots, { recursive: true });
    trap = await networkTrap();
    app = await firefox({ trap, downloads });
    // Whatever the CSP blocks (an attempted request) is recorded where the test can read it.
    await app.page.evaluateOnNewDocument(() => {
      window.vrViolations = [];
      document.addEventListener("securitypolicyviolation", (e) => window.vrViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await app.page.goto(`file://${single}`);
    await demoStarted(app.page);
  });

  after(async () => {
    await app?.close();
    await trap?.stop();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  /** Clicks a download button and returns the saved file once Firefox has finished writing it:
   *  no `.part` beside it, and the same file of the same size 200 ms later (on a loaded machine
   *  Firefox was seen to show a file under a passing name before it moved it). */
  async function download(testid) {
    const before = new Set(fs.readdirSync(downloads));
    await app.page.click(`[data-testid="${testid}"]`);
    const size = (name) => fs.statSync(path.join(downloads, name), { throwIfNoEntry: false })?.size;
    let seen = null;
    for (let i = 0; i < 600; i++) {
      const names = fs.readdirSync(downloads).filter((n) => !before.has(n));
      const done = names.length === 1 && !names[0].endsWith(".part") ? `${names[0]} ${size(names[0])}` : null;
      if (done && done === seen && size(names[0]) > 0) return path.join(downloads, names[0]);
      seen = done;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`no download from ${testid}`);
  }

  test("the file starts from disk with the demo ring under a CSP that forbids the network", async () => {
    const csp = await app.page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /connect-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.deepEqual(fs.readdirSync(path.dirname(single)), ["vergleichsring.html"], "the file is alone in its folder");
  });

  test("ring-quirks loads in the worker and the KPI table has the fixture's values", async () => {
    await uploadQuirks(app.page);
    await kpisMatch(app.page);
    await app.page.screenshot({ path: path.join(shots, "firefox-single-file.png") });
  });

  test("the export worker writes the KPI table as XLSX and CSV", async () => {
    const book = JSON.parse(execFileSync("python3", [path.join(here, "read_xlsx.py"), await download("export-kpi-xlsx")], { encoding: "utf8" }));
    const sheet = book.Kennzahlen;
    assert.ok(sheet, "a sheet named Kennzahlen");
    // Rows by their municipality (column A) and year (column B); each fixture value is a number cell there.
    const rows = {};
    for (const [ref, v] of Object.entries(sheet)) {
      const [, column, row] = ref.match(/^([A-Z]+)(\d+)$/);
      (rows[row] ||= {})[column] = v;
    }
    const byKey = Object.fromEntries(Object.values(rows).map((r) => [`${r.A}|${r.B}`, Object.values(r)]));
    const want = expected().filter((w) => w.value !== "");
    for (const w of want) {
      const row = byKey[`${w.municipality}|${w.year}`];
      assert.ok(row, `a row for ${w.municipality} ${w.year}`);
      assert.ok(row.some((v) => typeof v === "number" && close(v, Number(w.value))), `${w.municipality} ${w.year} ${w.kpi}: ${w.value}`);
    }
    const csv = fs.readFileSync(await download("export-kpi-csv"), "utf8");
    assert.equal(csv.charCodeAt(0), 0xfeff, "UTF-8 byte order mark for German Excel");
    assert.match(csv, /^\uFEFFKommune;Jahr;/);
  });

  test("a chart downloads as SVG and as PNG drawn through a blob: image", async () => {
    const svg = fs.readFileSync(await download("chart-svg"), "utf8");
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const png = await download("chart-png");
    fs.copyFileSync(png, path.join(shots, "firefox-chart.png"));
    const bytes = fs.readFileSync(png);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature");
    assert.ok(bytes.length > 2000, "the PNG has content");
  });

  test("workshop: presentation stepped through by keyboard", async () => {
    const { page } = app;
    const { first, kpi, chart } = await presentAndStep(page);
    await page.keyboard.press("ArrowUp");
    assert.equal(await kpi(), first, "↑ steps back");
    await page.keyboard.press("ArrowLeft");
    assert.equal(await chart(), "ranking", "← steps back");
    await page.screenshot({ path: path.join(shots, "firefox-workshop.png") });
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.querySelector('[data-testid="workshop"]').classList.contains("presenting"));
  });

  test("a 100,000-row case file is read and aggregated in the blob: worker", async () => {
    const { page } = app;
    const { file, want } = caseFile(folder, 100_000);
    await (await page.$('[data-testid="file-input"]')).uploadFile(file);
    await page.waitForFunction(() => document.querySelector('[data-testid="case-run"]'), { timeout: 60000 });
    await page.select('[data-testid="case-by"]', "Kommune", "Jahr", "Leistungsart");
    await page.select('[data-testid="case-sum"]', "Bruttoausgaben");
    await page.click('[data-testid="case-run"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="case-table"]')
      && document.querySelector('[data-testid="load-status"]').dataset.state === "done", { timeout: 120000 });
    const got = await caseGroups(page);
    assert.equal(got.length, want.size);
    for (const [m, y, b, cases, gross] of got) {
      const [c, g] = want.get(`${m}|${y}|${b}`);
      assert.equal(cases, c, `${m} ${y} ${b}`);
      assert.ok(Math.abs(gross - g) < 0.01, `${m} ${y} ${b}: ${gross} != ${g}`);
    }
    assert.equal(await page.$eval('[data-testid="load-status"]', (s) => s.dataset.rows), "100000");
  });

  test("no request but the file itself and data: URLs, no page errors, nothing through the trap", async () => {
    const { page } = app;
    assert.deepEqual(app.errors, [], "page errors");
    assert.deepEqual(app.requests.filter((u) => !u.startsWith("data:")), [], "requests BiDi reported");
    assert.deepEqual(await page.evaluate(() => window.vrViolations), [], "requests the CSP blocked");
    assert.deepEqual(trap.hits, [], "connections through the proxy");
    // The recorders work: a request the page tries is blocked by the CSP and recorded, and a
    // request the browser makes to localhost reaches the trap.
    await page.evaluate(() => { new Image().src = "http://127.0.0.1:9/csp-canary"; });
    await page.waitForFunction(() => window.vrViolations.length > 0, { timeout: 5000 });
    assert.deepEqual(await page.evaluate(() => window.vrViolations), ["img-src http://127.0.0.1:9/csp-canary"]);
    const probe = await app.browser.newPage();
    await probe.goto("http://127.0.0.1:8080/trap-canary").catch(() => {});
    for (let i = 0; i < 50 && !trap.hits.length; i++) await new Promise((r) => setTimeout(r, 100));
    // Firefox retries a connection the proxy drops.
    assert.deepEqual([...new Set(trap.hits)], ["GET http://127.0.0.1:8080/trap-canary HTTP/1.1"]);
  });
});

describe("the served build over http in Firefox ESR", () => {
  let app, server;

  before(async () => {
    server = await serve();
    app = await firefox();
    await app.page.goto(server.origin);
    await demoStarted(app.page);
  });

  after(async () => {
    await app?.close();
    server?.stop();
  });

  test("ring-quirks loads and the KPI table has the fixture's values", async () => {
    await uploadQuirks(app.page);
    await kpisMatch(app.page);
  });

  test("no request beyond the served files, no page errors", () => {
    const foreign = app.requests.filter((u) => !(u.startsWith(server.origin) || u.startsWith("data:") || u.startsWith("blob:")));
    assert.deepEqual(foreign, [], "foreign requests");
    assert.ok(app.requests.some((u) => u.endsWith("_bg.wasm")), "the wasm came from the server");
    assert.deepEqual(app.errors, []);
  });
});
