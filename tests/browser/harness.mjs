// Shared harness of the browser tests: serves dist/ on 127.0.0.1, drives Debian's Chromium with
// playwright-core and Debian's Firefox ESR with puppeteer-core, and records every request and
// page error so each test can assert that the app stayed on its own files.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import puppeteer from "puppeteer-core";

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const root = path.resolve(here, "../..");
/** The release build the tests drive (./vr test builds it first). */
export const dist = process.env.VR_DIST || path.join(root, "dist");
/** The shared fixtures (../shared/data beside the repository). */
export const data = process.env.VR_DATA || path.resolve(root, "../shared/data");

/** Splits CSV lines on `separator`, with quoted fields ("" inside quotes is one quote). */
export function splitCsv(lines, separator) {
  return lines.filter((l) => l.length).map((line) => {
    const fields = [];
    let field = "", quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
      } else if (c === '"') quoted = true;
      else if (c === separator) { fields.push(field); field = ""; } else field += c;
    }
    fields.push(field);
    return fields;
  });
}

/** A CSV of the fixtures (plain `,`, quoted names) as records. */
export function records(file) {
  const [names, ...rows] = splitCsv(fs.readFileSync(file, "utf8").trim().split(/\r?\n/), ",");
  return rows.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i] ?? ""])));
}

/** Equal within the fixtures' relative tolerance of 1e-9. */
export const close = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * Generates a case-level file of `rows` rows into `dir` with ../shared/tools/gen_cases.py.
 * Returns its path and the generator's totals by "Kommune|Jahr|Leistungsart" as [cases, gross].
 */
export function caseFile(dir, rows) {
  const file = path.join(dir, `cases-${rows}.csv`);
  const totals = path.join(dir, `totals-${rows}.csv`);
  execFileSync("python3", [path.resolve(root, "../shared/tools/gen_cases.py"), "--rows", String(rows), "--out", file, "--totals", totals]);
  const want = new Map();
  for (const line of fs.readFileSync(totals, "utf8").trim().split("\n").slice(1)) {
    const [, m, y, b, cases, gross] = line.match(/^"(.*)",(\d+),"(.*)",(\d+),([-\d.]+)$/);
    want.set(`${m}|${y}|${b}`, [Number(cases), Number(gross)]);
  }
  return { file, want };
}

/** The rows of case-table as [Kommune, Jahr, Leistungsart, cases, gross] (playwright or puppeteer page). */
export function caseGroups(page) {
  return page.$eval('[data-testid="case-table"]', (table) => {
    const by = JSON.parse(table.dataset.by);
    const at = ["Kommune", "Jahr", "Leistungsart"].map((c) => by.indexOf(c));
    return [...table.querySelectorAll("tr[data-values]")].map((tr) => {
      const values = JSON.parse(tr.dataset.values);
      return [...at.map((i) => values[i]), Number(tr.dataset.cases), JSON.parse(tr.dataset.sums)[0]];
    });
  });
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForServer(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => { socket.end(); resolve(true); });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server on port ${port} did not start`);
}

/** Serves `folder` on 127.0.0.1 with Python's http.server. Returns { origin, stop }. */
export async function serve(folder = dist) {
  const port = await freePort();
  const server = spawn("python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", folder],
    { stdio: "ignore" });
  await waitForServer(port);
  return { origin: `http://127.0.0.1:${port}/`, stop: () => server.kill() };
}

/**
 * Starts the server and the browser. Returns { page, origin, requests, foreign, errors, close }.
 * `foreign` lists requests that went anywhere but the app's own origin.
 */
export async function open({ width = 1280, height = 800 } = {}) {
  if (!fs.existsSync(path.join(dist, "index.html"))) throw new Error(`no build in ${dist}`);
  const server = await serve();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const context = await browser.newContext({ viewport: { width, height }, locale: "de-DE" });
  const page = await context.newPage();
  const origin = server.origin;
  const requests = [];
  const foreign = [];
  const errors = [];
  // Requests of the page and of its workers both pass through the context.
  context.on("request", (req) => {
    const url = req.url();
    requests.push(url);
    if (!(url.startsWith(origin) || url.startsWith("data:") || url.startsWith("blob:"))) foreign.push(url);
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (msg) => { if (msg.type() === "error") errors.push(`console: ${msg.text()}`); });
  await page.goto(origin);
  await page.locator('[data-testid="file-input"]').waitFor({ state: "attached", timeout: 20000 });
  // The demo ring, in every view.
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid="load-status"]')?.dataset.state;
    return s && s !== "loading" && s !== "idle";
  }, null, { timeout: 60000 });
  await settled(page);
  const stop = async () => {
    await browser.close();
    server.stop();
  };
  return { page, origin, requests, foreign, errors, close: stop };
}

/** Runs `body(app, page)` on a freshly opened app and closes it however `body` ends. */
export async function withApp(body, size) {
  const app = await open(size);
  try {
    return await body(app, app.page);
  } finally {
    await app.close();
  }
}

/**
 * Starts the workshop's presentation and steps through it by keyboard as both browsers must
 * (→ the KPI's next chart, ↓ the next KPI), on a Playwright or a Puppeteer page. Returns the
 * first and second KPI and readers of the slide's KPI and chart for the steps that follow.
 */
export async function presentAndStep(page) {
  const kpi = () => page.$eval('[data-testid="workshop"] .slide', (s) => s.dataset.kpi);
  const chart = () => page.$eval('[data-testid="workshop"]', (s) => s.dataset.chart);
  const first = await kpi();
  await page.click('[data-testid="workshop-start"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="workshop"]').classList.contains("presenting"));
  await page.keyboard.press("ArrowRight");
  assert.equal(await chart(), "series", "→ steps to the KPI's next chart");
  await page.keyboard.press("ArrowDown");
  const second = await kpi();
  assert.notEqual(second, first, "↓ steps to the next KPI");
  return { first, second, kpi, chart };
}

/** What the page has still to draw: a view out of sight that shows older data or an older
 * selection than the page (it catches up when the browser is idle, src/shown.rs), or a long
 * select whose options follow after the next frame (`aria-busy`, src/views/mod.rs). */
export const PENDING = 'section[data-stale="true"], select[aria-busy="true"]';

/** Waits until the page has drawn everything ({@link PENDING}). */
export async function settled(page) {
  await page.waitForFunction((pending) => !document.querySelector(pending), PENDING, { timeout: 60000 });
}

/**
 * Uploads files through the file input and waits until load-status leaves `loading` and every
 * view shows the new data.
 */
export async function upload(page, ...files) {
  await page.locator('[data-testid="file-input"]').setInputFiles(files);
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid="load-status"]')?.dataset.state;
    return s && s !== "loading" && s !== "idle";
  }, null, { timeout: 60000 });
  await settled(page);
  return page.locator('[data-testid="load-status"]');
}

/**
 * A proxy that answers nothing and records the first line of every connection made to it
 * (`GET http://…` or `CONNECT host:443`). With Firefox pointed at it for every scheme and for
 * localhost too, any network access of the page shows up here whatever the page's own
 * instrumentation reports. Returns { port, hits, stop }.
 */
export async function networkTrap() {
  const hits = [];
  const trap = net.createServer((socket) => {
    socket.once("data", (bytes) => { hits.push(bytes.toString("latin1").split("\r\n")[0]); socket.destroy(); });
    socket.on("error", () => {});
  });
  await new Promise((resolve) => trap.listen(0, "127.0.0.1", resolve));
  return { port: trap.address().port, hits, stop: () => new Promise((resolve) => trap.close(resolve)) };
}

/**
 * Starts Debian's Firefox ESR headless over WebDriver BiDi (puppeteer-core: playwright-core drives
 * only its own patched Firefox). `trap` (a networkTrap) becomes the proxy for every request;
 * `downloads` a folder where downloads are saved without asking. Returns
 * { browser, page, requests, errors, close }: every request URL the page and its workers made
 * as BiDi reports them (http(s) and data:; Firefox reports no file: or blob: loads) and page
 * errors and console errors.
 */
export async function firefox({ width = 1280, height = 800, trap, downloads } = {}) {
  const prefs = {
    // puppeteer's test profile lets a file:// page read its neighbours; a user's Firefox does not.
    "security.fileuri.strict_origin_policy": true,
    "intl.accept_languages": "de-DE, de",
  };
  if (trap) {
    Object.assign(prefs, {
      "network.proxy.type": 1,
      "network.proxy.http": "127.0.0.1", "network.proxy.http_port": trap.port,
      "network.proxy.ssl": "127.0.0.1", "network.proxy.ssl_port": trap.port,
      "network.proxy.socks": "127.0.0.1", "network.proxy.socks_port": trap.port,
      "network.proxy.allow_hijacking_localhost": true,
      // Firefox's own remote settings client ignores the test profile's dummy server in release
      // builds; it is the browser's traffic, not the page's, so it bypasses the trap.
      "network.proxy.no_proxies_on": "firefox.settings.services.mozilla.com",
    });
  }
  if (downloads) {
    Object.assign(prefs, {
      "browser.download.folderList": 2,
      "browser.download.dir": downloads,
      "browser.download.useDownloadDir": true,
      "browser.download.always_ask_before_handling_new_types": false,
    });
  }
  const browser = await puppeteer.launch({
    browser: "firefox",
    protocol: "webDriverBiDi",
    executablePath: process.env.FIREFOX || "/usr/bin/firefox-esr",
    headless: true,
    defaultViewport: { width, height },
    extraPrefsFirefox: prefs,
  });
  const page = await browser.newPage();
  const requests = [];
  const errors = [];
  page.on("request", (req) => requests.push(req.url()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (msg) => { if (msg.type() === "error") errors.push(`console: ${msg.text()}`); });
  return { browser, page, requests, errors, close: () => browser.close() };
}

const axeSource = fs.readFileSync(path.join(here, "node_modules", "axe-core", "axe.min.js"), "utf8");

/**
 * A chart's table alternative, switched on as a user does ("Tabelle anzeigen"): the table joins
 * the page only when first asked for. `figure` is the chart's `figure.chart` locator.
 */
export async function chartTable(figure, selector = "table") {
  const toggle = figure.getByRole("switch");
  if ((await toggle.getAttribute("aria-checked")) !== "true") await toggle.click();
  const table = figure.locator(selector);
  await table.waitFor({ state: "attached" });
  return table;
}

/** axe-core's serious and critical WCAG 2.1 AA violations inside `selector`, one line each. */
export async function axeViolations(page, selector) {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const result = await page.evaluate((include) => window.axe.run({ include: [include] }, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
  }), selector);
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
}

/**
 * Sets a target through the Ziele view's form as a user does (CONTRACT §6 labels) and waits
 * until it is listed. `measures` are [text, stage] pairs, stage one of plan|do|check|act.
 */
export async function setTarget(page, { kpi, value, baseline, due, owner = "", measures = [] }) {
  await page.click('nav a[href="#ziele"]');
  const panel = page.locator('[data-testid="targets"]');
  await panel.getByLabel("Kennzahl", { exact: true }).selectOption(kpi);
  await panel.getByLabel("Zielwert", { exact: true }).fill(String(value));
  await panel.getByLabel("Basisjahr", { exact: true }).selectOption(String(baseline));
  await panel.getByLabel("Zieljahr", { exact: true }).fill(String(due));
  if (owner) await panel.getByLabel("Verantwortlich", { exact: true }).fill(owner);
  for (const [i, [text, stage]] of measures.entries()) {
    await panel.getByRole("button", { name: "Maßnahme hinzufügen" }).click();
    await panel.getByLabel(`Maßnahme ${i + 1}`, { exact: true }).fill(text);
    await panel.getByLabel(`Stand von Maßnahme ${i + 1}`, { exact: true }).selectOption(stage);
  }
  await panel.getByRole("button", { name: "Ziel speichern" }).click();
  const item = panel.locator(`[data-kpi="${kpi}"][data-progress]`);
  await item.waitFor();
  return item;
}

/**
 * Saves the session through the header's menu (with the data when `withData`) and returns the
 * saved file's path and its parsed JSON.
 */
export async function saveSession(page, { withData = false } = {}) {
  const menu = page.locator(".session-menu");
  if (!(await menu.evaluate((d) => d.open))) await menu.locator("summary").click();
  await page.getByLabel("Daten mitspeichern").setChecked(withData);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Sitzung speichern" }).click(),
  ]);
  const saved = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vr-session-")), "sitzung.json");
  fs.copyFileSync(await download.path(), saved);
  return { saved, session: JSON.parse(fs.readFileSync(saved, "utf8")) };
}

/** Loads a saved session file through the header's menu. */
export async function loadSession(page, saved) {
  const menu = page.locator(".session-menu");
  if (!(await menu.evaluate((d) => d.open))) await menu.locator("summary").click();
  await page.locator("#sitzung-laden").setInputFiles(saved);
}

/** Opens the Karte view and waits until it names the boundary file `file` as read. */
export async function showBoundaries(page, file) {
  await page.click('nav a[href="#karte"]');
  await page.waitForFunction((name) => (document.querySelector('[data-testid="map-boundaries"]')?.textContent ?? "")
    .includes(name), file, { timeout: 20000 });
}

/** Waits until `load-status` says done (and, if given, names `file`) and the views show it. */
export async function loaded(page, file = "") {
  await page.waitForFunction((name) => {
    const status = document.querySelector('[data-testid="load-status"]');
    return status?.dataset.state === "done" && status.textContent.includes(name);
  }, file);
  await settled(page);
}

/**
 * Reloads the page (`fresh` looks at it before anything is loaded), loads the session file and
 * waits until its data (the table file `file`) are read.
 */
export async function reloadWithSession(page, saved, file, fresh = async () => {}) {
  // The session file alone brings the work back: the copy the browser keeps goes first, and
  // the question before leaving a page with unsaved work is answered.
  await page.evaluate(() => localStorage.clear());
  const leave = (dialog) => dialog.accept();
  page.on("dialog", leave);
  await page.reload();
  page.off("dialog", leave);
  await loaded(page);
  await fresh();
  await loadSession(page, saved);
  await loaded(page, file);
}
