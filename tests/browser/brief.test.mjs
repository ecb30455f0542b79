// The short report (Kurzbericht, issues 7 and 8) in the built app as a city would print it:
// ring/ring.csv uploaded, the own municipality of expected_compare.csv chosen, a target set
// through the Ziele form. The report shows the core KPIs with the values of expected_kpis.csv,
// the position in words that the quartiles of expected_compare.csv imply, the target with the
// progress the Ziele view shows (core's), a comment on a finding, an orphaned target as such,
// prints one A4 page per municipality, hides the other municipalities' names (also inside the
// comment) when asked — and nothing leaves the origin; axe-core finds nothing serious.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { axeViolations, close, data, open, records, root, setTarget, upload } from "./harness.mjs";

const ring = path.join(data, "ring");
const shots = process.env.VR_SHOTS || path.join(root, "target", "shots");
const kpis = records(path.join(ring, "expected_kpis.csv"));
const compare = records(path.join(ring, "expected_compare.csv"));
const own = compare[0].own;
const years = [...new Set(kpis.map((r) => Number(r.year)))].sort();
const [first, last] = [years[0], years[years.length - 1]];
const names = [...new Set(kpis.map((r) => r.municipality))];

/** The report's German position words, by its `data-placement` code. */
const WORDS = {
  lowest: "im unteren Viertel der Vergleichsgruppe",
  below: "unter dem Median der Vergleichsgruppe",
  at: "genau auf dem Median der Vergleichsgruppe",
  above: "über dem Median der Vergleichsgruppe",
  highest: "im oberen Viertel der Vergleichsgruppe",
};

/** Where own stands against the quartiles, computed from the fixture alone. */
function placement({ own_value, q1, median, q3 }) {
  const [v, a, m, b] = [own_value, q1, median, q3].map(Number);
  if (v === m) return "at";
  if (v < a) return "lowest";
  if (v < m) return "below";
  if (v <= b) return "above";
  return "highest";
}

/** The page count of a PDF Chromium wrote. */
const pdfPages = (pdf) => (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;

let app;
const report = () => app.page.locator('[data-testid="short-report"]');
const pages = () => report().locator('[data-testid="brief-page"]');

/** Prints the report as the print button does and returns the PDF's page count. */
async function print(name) {
  fs.mkdirSync(shots, { recursive: true });
  await app.page.evaluate(() => document.documentElement.classList.add("print-report"));
  await app.page.emulateMedia({ media: "print" });
  try {
    assert.equal(await app.page.locator(".app-header").isVisible(), false, "no navigation in print");
    assert.equal(await app.page.locator('[data-testid="report-print"]').isVisible(), false, "no controls in print");
    await app.page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
    const pdf = await app.page.pdf({ format: "A4", printBackground: true });
    fs.writeFileSync(path.join(shots, `${name}.pdf`), pdf);
    return pdfPages(pdf);
  } finally {
    await app.page.emulateMedia({ media: "screen" });
    await app.page.evaluate(() => document.documentElement.classList.remove("print-report"));
  }
}

before(async () => {
  app = await open();
  await upload(app.page, path.join(ring, "ring.csv"));
  await app.page.locator('[data-testid="own-select"]').selectOption({ label: own });
});
after(async () => { await app?.close(); });

test("the own page shows the core KPIs with the values of expected_kpis.csv", async () => {
  await app.page.click('nav a[href="#workshop"]');
  assert.equal(await pages().count(), 1, "the own municipality's page");
  assert.equal(await pages().first().getAttribute("data-municipality"), own);
  assert.match(await pages().first().locator("h4").first().textContent(), new RegExp(`${own} – ${last}`));
  const cards = await report().locator(".report-kpi").evaluateAll((cs) => cs.map((c) => ({
    kpi: c.dataset.kpi, value: c.dataset.value, title: c.querySelector("svg title")?.textContent,
    desc: c.querySelector("svg desc")?.textContent,
  })));
  let matched = 0;
  for (const card of cards) {
    assert.ok(card.title && card.desc.includes(own), `${card.kpi}: the chart has a title and a description`);
    const want = kpis.find((r) => r.municipality === own && r.year === String(last) && r.kpi === card.kpi);
    if (!want) continue;
    matched++;
    if (want.value === "") assert.equal(card.value, "", card.kpi);
    else assert.ok(close(Number(card.value), Number(want.value)), `${card.kpi}: ${card.value} vs ${want.value}`);
  }
  assert.ok(matched >= 5, `core KPIs of the fixture on the page: ${matched}`);
});

test("the position in words follows the quartiles of expected_compare.csv", async () => {
  const cards = await report().locator(".report-kpi").evaluateAll((cs) => cs.map((c) => ({
    kpi: c.dataset.kpi, median: c.dataset.median, placement: c.dataset.placement,
    words: c.querySelector(".report-position").textContent,
  })));
  let matched = 0;
  for (const card of cards) {
    const want = compare.find((r) => r.own === own && r.year === String(last) && r.kpi === card.kpi);
    if (!want || want.own_value === "") continue;
    matched++;
    assert.ok(close(Number(card.median), Number(want.median)), `${card.kpi}: median ${card.median} vs ${want.median}`);
    const code = placement(want);
    assert.equal(card.placement, code, card.kpi);
    assert.ok(card.words.includes(WORDS[code]), `${card.kpi}: "${card.words}" says ${WORDS[code]}`);
  }
  assert.ok(matched >= 5, `KPIs compared: ${matched}`);
});

test("a target set in the Ziele view shows in the report with core's progress", async () => {
  const value = (y) => Number(kpis.find((r) => r.municipality === own && r.kpi === "dichte_hlu" && r.year === String(y)).value);
  const expected = (value(last) - value(first)) / (8 - value(first)) * 100;
  const item = await setTarget(app.page, {
    kpi: "dichte_hlu", value: 8, baseline: first, due: 2027, owner: "Sozialamt, SG 50.1",
    measures: [["Fallmanagement ausbauen", "do"]],
  });
  const progress = await item.getAttribute("data-progress");
  assert.ok(close(Number(progress), expected), `${progress} vs ${expected}`);

  await app.page.click('nav a[href="#workshop"]');
  const target = report().locator('.report-target[data-kpi="dichte_hlu"]');
  assert.equal(await target.getAttribute("data-target"), "8");
  assert.equal(await target.getAttribute("data-progress"), progress, "the same number as the Ziele view");
  const text = await target.textContent();
  assert.match(text, new RegExp(`Ziel 8,00 je 1\\.000 EW bis 2027 \\(Basis ${first}: `));
  assert.match(text, new RegExp(`Fortschritt ${last}`));
  assert.match(text, /✔ im Plan|▼ hinter dem Plan/, "on track in words and symbol");
  assert.match(text, /Do – in Umsetzung\s*Fallmanagement ausbauen/);
  assert.match(text, /Sozialamt, SG 50\.1/);
  const desc = await report().locator('.report-kpi[data-kpi="dichte_hlu"] svg desc').textContent();
  assert.match(desc, /Ziel 8,00 bis 2027/, "the chart draws the target");
});

test("a comment on a finding shows with the KPIs whose formula reads the measure", async () => {
  await app.page.click('nav a[href="#pruefung"]');
  const finding = app.page.locator(`[data-testid="findings"] [data-code="yoy_jump"][data-municipality="${own}"]` +
    '[data-subject="einnahmen"]').first();
  const year = await finding.getAttribute("data-year");
  await finding.locator("textarea").fill("Erstattung wie in Altenmarkt nachgebucht.");
  await app.page.click('nav a[href="#workshop"]');
  const comments = await report().locator(".report-comments").textContent();
  assert.ok(comments.includes(`Nettoausgaben je Einwohner (${year}): Erstattung wie in Altenmarkt nachgebucht.`), comments);
});

test("prints one A4 page per municipality, the report alone", async () => {
  assert.equal(await print("kurzbericht-eigene"), 1, "the own municipality on one page");
  await app.page.locator('[data-testid="report-scope"]').selectOption("all");
  assert.equal(await pages().count(), names.length, "a page per municipality of the ring");
  assert.equal(await print("kurzbericht-alle"), names.length, "one A4 page each");
  // Targets belong to the own municipality: on its page only.
  assert.equal(await pages().first().locator(".report-target").count(), 1);
  assert.equal(await report().locator(".report-target").count(), 1);
});

test("with four targets the own page prints denser and still on one sheet", async () => {
  for (const [kpi, value] of [["ausgaben_je_ew", 350], ["ambulant_quote_hzp", 65], ["nettoausgaben_je_ew", 300]]) {
    await setTarget(app.page, { kpi, value, baseline: first, due: 2027, owner: "Sozialamt",
      measures: [["Fallmanagement ausbauen", "do"], ["Beratung stärken", "plan"]] });
  }
  await app.page.click('nav a[href="#workshop"]');
  await app.page.locator('[data-testid="report-scope"]').selectOption("own");
  assert.equal(await report().locator(".report-target").count(), 4);
  assert.equal(await report().locator(".report-body.dense").count(), 1, "the page is set denser");
  assert.equal(await print("kurzbericht-vier-ziele"), 1);
});

test("pseudonymised, no other municipality's real name is in the report", async () => {
  await app.page.locator('[data-testid="report-scope"]').selectOption("all");
  await app.page.locator('[data-testid="pseudonymise"]').check();
  try {
    assert.equal(await pages().count(), names.length);
    const shown = await pages().evaluateAll((ps) => ps.map((p) => p.dataset.municipality));
    assert.equal(shown[0], own, "the own name stays");
    assert.ok(shown.slice(1).every((n) => /^Kommune [A-Z]+$/.test(n)), shown.join());
    const text = await report().innerText();
    for (const name of names.filter((n) => n !== own)) assert.ok(!text.includes(name), name);
  } finally {
    await app.page.locator('[data-testid="pseudonymise"]').uncheck();
  }
});

test("a target whose KPI left the catalogue is listed as orphaned", async () => {
  await setTarget(app.page, { kpi: "dichte_grusi", value: 20, baseline: first, due: 2026 });
  // The ring's own catalogue has no dichte_grusi and marks no core KPI: the report then shows all.
  await app.page.click('nav a[href="#kennzahlen"]');
  await app.page.locator("#catalogue-input").setInputFiles(path.join(ring, "catalogue.toml"));
  await app.page.click('nav a[href="#workshop"]');
  await app.page.locator('[data-testid="report-scope"]').selectOption("own");
  const orphan = report().locator('.report-target.orphaned[data-kpi="dichte_grusi"]');
  await orphan.waitFor();
  assert.match(await orphan.textContent(), /nicht mehr im Katalog/);
  const shown = await report().locator(".report-kpi").evaluateAll((cs) => cs.map((c) => c.dataset.kpi));
  const catalogue = [...new Set(kpis.map((r) => r.kpi))];
  assert.deepEqual(shown, catalogue, "every KPI of a catalogue without core marks");
});

test("no request left the origin; axe-core finds nothing serious in the report", async () => {
  assert.deepEqual(await axeViolations(app.page, ".short-report-box"), []);
  assert.deepEqual(app.foreign, []);
  assert.deepEqual(app.errors, []);
});
