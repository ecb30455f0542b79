// The single file (issue 7): dist/vergleichsring.html copied alone into an empty folder and
// opened from disk. It loads a real Excel export, computes the KPIs, exports the KPI table and
// the peer comparison as XLSX and CSV (read back: the fixture's values in the expected cells),
// charts as SVG and PNG, pseudonymises every other municipality everywhere (page and files),
// presents the workshop and prints the Kurzbericht — and makes no request of any kind but the
// file itself and its own blob:/data: URLs.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { close, data, dist, presentAndStep, records, root, splitCsv } from "./harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = process.env.VR_SHOTS || path.join(root, "target", "shots");
const quirks = path.join(data, "ring-quirks");

/** A CSV export as German Excel reads it: BOM, `;`, decimal comma, CRLF. */
function germanCsv(text) {
  assert.equal(text.charCodeAt(0), 0xfeff, "UTF-8 byte order mark");
  return splitCsv(text.slice(1).split("\r\n"), ";");
}

const germanNumber = (s) => (s === "" ? NaN : Number(s.replace(",", ".")));

/** The column letter(s) of a 0-based index. */
const columnName = (i) => (i < 26 ? "" : columnName(Math.floor(i / 26) - 1)) + String.fromCharCode(65 + (i % 26));

let browser, page, folder, single;
const requests = [];
const foreign = [];
const errors = [];

before(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "vr-single-"));
  single = path.join(folder, "vergleichsring.html");
  fs.copyFileSync(path.join(dist, "vergleichsring.html"), single);
  fs.mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "de-DE", acceptDownloads: true });
  const own = `file://${single}`;
  // Every request of the page and of its workers passes through the context.
  context.on("request", (req) => {
    const url = req.url();
    requests.push(url);
    if (!(url === own || url.startsWith("blob:") || url.startsWith("data:"))) foreign.push(url);
  });
  page = await context.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (msg) => { if (msg.type() === "error") errors.push(`console: ${msg.text()}`); });
  await page.goto(own);
  await page.locator('[data-testid="file-input"]').waitFor({ state: "attached", timeout: 30000 });
});

after(async () => {
  await browser?.close();
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

/** Clicks a button that starts a download and returns the downloaded file's path. */
async function download(testid, nth = 0) {
  const [file] = await Promise.all([
    page.waitForEvent("download", { timeout: 60000 }),
    page.locator(`[data-testid="${testid}"]`).nth(nth).click(),
  ]);
  const target = path.join(folder, `${testid}-${nth}-${file.suggestedFilename()}`);
  await file.saveAs(target);
  return target;
}

const readXlsx = (file) => JSON.parse(execFileSync("python3", [path.join(here, "read_xlsx.py"), file], { encoding: "utf8" }));

/** The KPI labels by id, as the app's catalogue has them (the workshop's KPI choice). */
async function kpiLabels() {
  return Object.fromEntries(await page.$$eval('[data-testid="workshop-kpi"] option', (os) => os.map((o) => [o.value, o.textContent.trim()])));
}

/** Names of the fixture's municipalities (real ones). */
const ringNames = () => [...new Set(records(path.join(quirks, "expected_kpis.csv")).map((r) => r.municipality))];

test("the single file opens from disk with a CSP that forbids the network", async () => {
  const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content || "");
  assert.match(csp, /connect-src 'none'/);
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.equal(fs.readdirSync(folder).length, 1, "the file is alone in its folder");
});

test("ring-quirks loads in the file and the KPI table has the fixture's values", async () => {
  await page.locator('[data-testid="file-input"]').setInputFiles(path.join(quirks, "ring.csv"));
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid="load-status"]');
    return s?.dataset.state === "done" && s.textContent.includes("ring.csv");
  }, null, { timeout: 60000 });
  const status = page.locator('[data-testid="load-status"]');
  assert.equal(await status.getAttribute("data-rows"), "96");
  assert.match(await status.textContent(), /1252/);
  const want = records(path.join(quirks, "expected_kpis.csv")).filter((r) => r.value !== "");
  let matched = 0;
  for (const w of want.slice(0, 40)) {
    const cell = page.locator(`[data-testid="kpi-table"] [data-municipality="${w.municipality}"][data-year="${w.year}"][data-kpi="${w.kpi}"]`).first();
    const got = await cell.getAttribute("data-value", { timeout: 5000 });
    assert.ok(close(Number(got), Number(w.value)), `${w.municipality} ${w.year} ${w.kpi}: ${got} != ${w.value}`);
    matched++;
  }
  assert.equal(matched, 40);
});

test("KPI table as XLSX and CSV: the expected numbers in the expected cells", async () => {
  const labels = await kpiLabels();
  const book = readXlsx(await download("export-kpi-xlsx"));
  const sheet = book.Kennzahlen;
  assert.ok(sheet, "a sheet named Kennzahlen");
  const csv = germanCsv(fs.readFileSync(await download("export-kpi-csv"), "utf8"));
  // The header row of the workbook is the one whose first cell is "Kommune".
  const headerRow = Number(Object.entries(sheet).find(([ref, v]) => /^A\d+$/.test(ref) && v === "Kommune")[0].slice(1));
  const header = csv[0];
  assert.deepEqual(header.slice(0, 2), ["Kommune", "Jahr"]);
  const want = records(path.join(quirks, "expected_kpis.csv"));
  let checked = 0;
  for (const w of want) {
    const c = header.findIndex((h) => h.startsWith(labels[w.kpi]));
    assert.ok(c > 1, `column of ${w.kpi}`);
    const r = csv.findIndex((row) => row[0] === w.municipality && row[1] === w.year);
    assert.ok(r > 0, `row ${w.municipality} ${w.year}`);
    const ref = `${columnName(c)}${headerRow + r}`;
    assert.equal(sheet[`A${headerRow + r}`], w.municipality);
    if (w.value === "") {
      assert.equal(typeof sheet[ref], "string", `${ref}: a missing value is its reason`);
      assert.equal(csv[r][c], sheet[ref]);
    } else {
      assert.equal(typeof sheet[ref], "number", `${ref} is a number cell`);
      assert.ok(close(sheet[ref], Number(w.value)), `xlsx ${ref} ${w.kpi}: ${sheet[ref]} != ${w.value}`);
      assert.ok(close(germanNumber(csv[r][c]), Number(w.value)), `csv ${w.kpi}: ${csv[r][c]} != ${w.value}`);
    }
    checked++;
  }
  assert.ok(checked >= 400, `${checked} values checked`);
});

test("targets travel in the KPI workbook with their progress", async () => {
  const want = records(path.join(quirks, "expected_kpis.csv"));
  const own = records(path.join(quirks, "expected_compare.csv"))[0].own;
  await page.locator('[data-testid="own-select"]').selectOption({ label: own });
  const val = (y) => Number(want.find((w) => w.municipality === own && w.year === String(y) && w.kpi === "dichte_hlu").value);
  const years = [...new Set(want.map((w) => Number(w.year)))].sort();
  const panel = page.locator('[data-testid="targets"]');
  await panel.getByLabel("Kennzahl", { exact: true }).selectOption("dichte_hlu");
  await panel.getByLabel("Zielwert", { exact: true }).fill("8");
  await panel.getByLabel("Basisjahr", { exact: true }).selectOption(String(years[0])).catch(() => panel.getByLabel("Basisjahr", { exact: true }).fill(String(years[0])));
  await panel.getByLabel("Zieljahr", { exact: true }).fill("2027");
  await panel.getByRole("button", { name: "Ziel speichern" }).click();
  const sheet = readXlsx(await download("export-kpi-xlsx")).Ziele;
  assert.ok(sheet, "a sheet named Ziele");
  const row = Object.entries(sheet).find(([ref, v]) => /^K\d+$/.test(ref) && v === "dichte_hlu")[0].slice(1);
  const last = years[years.length - 1];
  assert.equal(sheet[`B${row}`], 8);
  assert.ok(close(sheet[`D${row}`], val(years[0])), `baseline ${sheet[`D${row}`]}`);
  assert.equal(sheet[`F${row}`], last);
  const progress = (val(last) - val(years[0])) / (8 - val(years[0])) * 100;
  assert.ok(close(sheet[`G${row}`], progress), `progress ${sheet[`G${row}`]} != ${progress}`);
});

test("peer comparison as XLSX and CSV: the fixture's statistics", async () => {
  const want = records(path.join(quirks, "expected_compare.csv"));
  const { own, year } = want[0];
  await page.locator('[data-testid="own-select"]').selectOption({ label: own });
  await page.locator('[data-testid="year-select"]').selectOption(year);
  const book = readXlsx(await download("export-peer-xlsx"));
  const sheet = book.Vergleich;
  assert.ok(sheet, "a sheet named Vergleich");
  const csv = germanCsv(fs.readFileSync(await download("export-peer-csv"), "utf8"));
  const header = csv[0];
  const headerRow = Number(Object.entries(sheet).find(([ref, v]) => /^A\d+$/.test(ref) && v === "Kennzahl")[0].slice(1));
  const idColumn = header.indexOf("Kennzahl-ID");
  const fields = { own_value: "Eigener Wert", n: "Anzahl (n)", mean: "Mittelwert", pooled: "Gewogener Mittelwert",
    median: "Median", q1: "Unteres Quartil", q3: "Oberes Quartil", min: "Minimum", max: "Maximum", rank: "Rang",
    index: "Index (Mittelwert = 100)" };
  let checked = 0;
  for (const w of want.filter((w) => w.own === own && w.year === year)) {
    const r = csv.findIndex((row) => row[idColumn] === w.kpi);
    assert.ok(r > 0, `row of ${w.kpi}`);
    for (const [field, head] of Object.entries(fields)) {
      const c = header.indexOf(head);
      const ref = `${columnName(c)}${headerRow + r}`;
      if (w[field] === "") continue;
      assert.ok(close(sheet[ref], Number(w[field])), `xlsx ${w.kpi} ${field} ${ref}: ${sheet[ref]} != ${w[field]}`);
      assert.ok(close(germanNumber(csv[r][c]), Number(w[field])), `csv ${w.kpi} ${field}: ${csv[r][c]} != ${w[field]}`);
      checked++;
    }
  }
  assert.ok(checked >= 40, `${checked} statistics checked`);
});

test("charts download as SVG and PNG", async (t) => {
  if (await page.locator('[data-testid="chart-svg"]').count() === 0) {
    t.skip("no chart on the page yet");
    return;
  }
  const svg = fs.readFileSync(await download("chart-svg"), "utf8");
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<title/);
  const png = fs.readFileSync(await download("chart-png"));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature");
  assert.ok(png.length > 2000, "the PNG has content");
});

test("pseudonymisation: no other municipality's real name in the page or any export", async () => {
  const own = await page.$eval('[data-testid="own-select"]', (s) => s.selectedOptions[0].textContent.trim());
  const others = ringNames().filter((n) => n !== own);
  assert.ok(others.length >= 15);
  await page.locator('[data-testid="pseudonymise"]').check();
  await page.waitForFunction(() => document.body.innerText.includes("Kommune A"));
  const html = await page.content();
  const leaks = others.filter((n) => html.includes(n));
  assert.deepEqual(leaks, [], "real names in the DOM");
  assert.ok(html.includes(own), "the own name stays");
  const files = [await download("export-kpi-xlsx"), await download("export-kpi-csv"),
    await download("export-peer-xlsx"), await download("export-peer-csv")];
  if (await page.locator('[data-testid="chart-svg"]').count() > 0) files.push(await download("chart-svg"));
  for (const file of files) {
    const text = file.endsWith(".xlsx") ? JSON.stringify(readXlsx(file)) : fs.readFileSync(file, "utf8");
    assert.deepEqual(others.filter((n) => text.includes(n)), [], `real names in ${path.basename(file)}`);
  }
  const kpis = readXlsx(files[0]).Kennzahlen;
  assert.ok(Object.values(kpis).includes("Kommune A"), "the workbook shows the pseudonyms");
  assert.ok(Object.values(kpis).includes(own), "and the own name");
});

test("workshop: full screen presentation stepped through by keyboard", async () => {
  await page.locator("#workshop").scrollIntoViewIfNeeded();
  const { second, kpi, chart } = await presentAndStep(page);
  await page.keyboard.press(" ");
  assert.equal(await chart(), "distribution", "space steps on");
  await page.keyboard.press("ArrowLeft");
  assert.equal(await chart(), "series", "← steps back");
  assert.equal(await kpi(), second);
  const fits = await page.evaluate(() => document.documentElement.scrollHeight <= innerHeight);
  assert.ok(fits, "nothing to scroll while presenting");
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(shots, "workshop.png") });
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(shots, "workshop-1024.png") });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.querySelector('[data-testid="workshop"]').classList.contains("presenting"));
});

test("Kurzbericht: the own municipality's core KPIs, peer position in words, one A4 page", async () => {
  await page.locator('[data-testid="pseudonymise"]').uncheck();
  const report = page.locator('[data-testid="short-report"]');
  const pages = report.locator(".report-page");
  assert.equal(await pages.count(), 1, "a page for the own municipality");
  assert.ok(await report.locator(".report-kpi").count() >= 3, "a card per core KPI");
  const text = await report.innerText();
  assert.match(text, /(unter|über|genau auf) dem Median der Vergleichsgruppe|Viertel der Vergleichsgruppe/);
  assert.match(text, /Datenquelle/);
  await page.evaluate(() => document.documentElement.classList.add("print-report"));
  await page.emulateMedia({ media: "print" });
  await page.screenshot({ path: path.join(shots, "kurzbericht-print.png"), fullPage: true });
  assert.equal(await page.locator(".app-header").isVisible(), false, "no navigation in print");
  assert.equal(await page.locator('[data-testid="kpi-table"]').isVisible(), false, "only the report prints");
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  fs.writeFileSync(path.join(shots, "kurzbericht.pdf"), pdf);
  const pageCount = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.equal(pageCount, await pages.count(), "one A4 page per municipality");
  await page.emulateMedia({ media: "screen" });
  await page.evaluate(() => document.documentElement.classList.remove("print-report"));
});

test("districts and their GeoJSON boundaries draw on the map in the file from disk", async () => {
  const map = path.join(root, "tests", "browser", "map");
  await page.locator('[data-testid="file-input"]').setInputFiles([path.join(map, "stadtteile.csv"), path.join(map, "grenzen.geojson")]);
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid="load-status"]');
    return s?.dataset.state === "done" && s.textContent.includes("stadtteile.csv");
  }, null, { timeout: 60000 });
  await page.click('nav a[href="#karte"]');
  // Neuland has no area in the boundaries: five districts on the map, six in the table.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="district-map"] [data-district]').length === 5,
    null, { timeout: 20000 });
  assert.match(await page.locator('[data-testid="map-boundaries"]').textContent(), /grenzen\.geojson/);
});

test("no request but the file itself and its blob:/data: URLs, no page errors", () => {
  assert.deepEqual(foreign, [], "foreign requests");
  assert.ok(requests.some((u) => u.startsWith("blob:")), "the workers started from blob: URLs");
  assert.deepEqual(errors, []);
});
