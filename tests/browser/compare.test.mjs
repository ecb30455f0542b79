// The Vergleich and Dashboard views in the built app (issue 4): upload ring/ring.csv, choose
// the fixture's own municipality and each year, and compare every peer-table cell with
// expected_compare.csv (relative tolerance 1e-9); the peer group kinds change the table; a
// chart switches to its table with the same numbers; no request leaves the app; axe-core finds
// no serious or critical violation in either view.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { axeViolations, data, open, records, upload } from "./harness.mjs";

const ring = path.join(data, "ring");

const expected = records(path.join(ring, "expected_compare.csv"));
const own = expected[0].own;
const years = [...new Set(expected.map((r) => r.year))].sort();
const STATS = ["n", "own_value", "mean", "pooled", "median", "q1", "q3", "min", "max", "rank", "index"];

function close(got, want) {
  if (want === "") return got === "";
  const a = Number(got), b = Number(want);
  return got !== "" && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

let app;
before(async () => {
  app = await open();
  await upload(app.page, path.join(ring, "ring.csv"));
  await app.page.locator('[data-testid="own-select"]').selectOption({ label: own });
});
after(async () => { await app?.close(); });

/** Every cell of the peer table: { kpi: { stat: data-value } }. */
async function peerTable() {
  return app.page.locator('[data-testid="peer-table"]').evaluate((table) => {
    const out = {};
    for (const row of table.querySelectorAll("tr[data-kpi]")) {
      out[row.dataset.kpi] = Object.fromEntries([...row.querySelectorAll("[data-stat]")]
        .map((cell) => [cell.dataset.stat, cell.dataset.value]));
    }
    return out;
  });
}

test(`every peer-table cell of ${own} matches expected_compare.csv in every year`, async () => {
  let compared = 0;
  for (const year of years) {
    await app.page.locator('[data-testid="year-select"]').selectOption(year);
    await app.page.waitForFunction((y) =>
      document.querySelector('[data-testid="peer-table"] caption')?.textContent.includes(y), year);
    const table = await peerTable();
    for (const want of expected.filter((r) => r.year === year)) {
      const row = table[want.kpi];
      assert.ok(row, `${year} ${want.kpi}: a row in peer-table`);
      for (const stat of STATS) {
        assert.ok(close(row[stat], want[stat]), `${year} ${want.kpi} ${stat}: ${row[stat]} vs ${want[stat]}`);
        compared++;
      }
      // The one cell beyond §3: the deviation from the median.
      const deviation = want.own_value === "" ? "" : String(Number(want.own_value) - Number(want.median));
      assert.ok(close(row.deviation, deviation), `${year} ${want.kpi} deviation: ${row.deviation}`);
      assert.deepEqual(Object.keys(row).sort(), [...STATS, "deviation"].sort());
    }
  }
  assert.equal(compared, expected.length * STATS.length);
  console.log(`peer-table: ${compared} cells of ${expected.length} rows match`);
});

test("the table shows German numbers, rank as 'x von n' and the deviation in words and symbol", async () => {
  const year = years[years.length - 1];
  await app.page.locator('[data-testid="year-select"]').selectOption(year);
  const want = expected.find((r) => r.year === year && r.kpi === "dichte_hlu");
  const row = app.page.locator('[data-testid="peer-table"] tr[data-kpi="dichte_hlu"]');
  const rank = await row.locator('[data-stat="rank"]').textContent();
  assert.equal(rank.trim(), `${want.rank} von ${want.n}`);
  const mean = await row.locator('[data-stat="mean"]').textContent();
  assert.equal(mean.trim(), Number(want.mean).toFixed(2).replace(".", ","));
  // dichte_hlu: lower is better.
  const verdict = (await row.locator('[data-stat="deviation"]').textContent()).trim();
  const better = Number(want.own_value) < Number(want.median);
  assert.match(verdict, better ? /▲ besser/ : /▼ schlechter/);
});

test("a chart switches to its table alternative with the same numbers", async () => {
  const year = years[years.length - 1];
  await app.page.locator('[data-testid="year-select"]').selectOption(year);
  const charts = app.page.locator("#vergleich .compare-charts");
  await charts.getByLabel("Kennzahl der Grafiken").selectOption("dichte_hlu");
  const ranking = charts.locator("figure.chart", { hasText: "Rangfolge" }).first();
  const svg = ranking.locator("svg.chart-svg");
  assert.ok(await svg.isVisible());
  assert.equal(await svg.locator("title").first().textContent(), await ranking.locator("h4").textContent());
  // The own bar is a focusable mark named with its value.
  const want = expected.find((r) => r.year === year && r.kpi === "dichte_hlu");
  const shown = Number(want.own_value).toFixed(2).replace(".", ",");
  const mark = svg.locator('g.mark.own[tabindex="0"]');
  assert.match(await mark.getAttribute("aria-label"), new RegExp(`◆ ${own}.*${shown}`));
  await ranking.getByRole("switch", { name: "Tabelle anzeigen" }).click();
  assert.ok(!(await svg.isVisible()), "the chart hides");
  const cell = ranking.locator("table tr.own td[data-value]");
  assert.ok(await cell.isVisible());
  assert.ok(close(await cell.getAttribute("data-value"), want.own_value));
  assert.equal((await cell.textContent()).trim(), shown);
  await ranking.getByRole("switch", { name: "Tabelle anzeigen" }).click();
  assert.ok(await svg.isVisible(), "and comes back");
});

test("the time series marks the catalogue's events on their year", async () => {
  const series = app.page.locator("#vergleich figure.chart", { hasText: "Zeitreihe" }).first();
  const events = series.locator("g.event");
  assert.ok(await events.count() > 0);
  const label = await events.first().getAttribute("aria-label");
  assert.match(label, /^Ereignis 1, 20\d\d: /);
  await events.first().focus();
  assert.equal(await series.locator(".chart-events li.active").count(), 1, "focus explains the event");
});

test("peer groups: hand-picked and most similar change the statistics and explain themselves", async () => {
  const year = years[years.length - 1];
  await app.page.locator('[data-testid="year-select"]').selectOption(year);
  const n = async () => (await peerTable()).dichte_hlu.n;
  const all = Number(await n());
  await app.page.getByRole("radio", { name: "Ausgewählte Kommunen" }).check();
  assert.equal(await n(), "1", "nobody chosen: the own municipality alone");
  const boxes = app.page.locator("#vergleich .checklist-items input[type=checkbox]");
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  assert.equal(await n(), "3");
  await app.page.getByRole("radio", { name: "Die ähnlichsten Kommunen" }).check();
  const similar = app.page.locator('[data-testid="similar-table"]');
  await similar.waitFor();
  assert.equal(await n(), "6", "the 5 most similar and the own municipality");
  const distances = await similar.locator("tbody tr:not(.own) td:nth-child(2)").evaluateAll((cells) =>
    cells.map((c) => Number(c.dataset.value)));
  assert.equal(distances.length, 5);
  assert.deepEqual(distances, [...distances].sort((a, b) => a - b), "nearest first");
  await app.page.getByRole("radio", { name: "Alle Kommunen des Rings" }).check();
  assert.equal(Number(await n()), all);
});

test("the dashboard: core KPIs with value, position in words, trend; filters", async () => {
  // Out of sight, the dashboard takes up the peer group chosen in Vergleich when the browser is
  // idle; shown, at once (data-stale="false" once it has).
  await app.page.click('nav a[href="#dashboard"]');
  await app.page.locator('#dashboard[data-stale="false"]').waitFor();
  const dashboard = app.page.locator("#dashboard");
  const cards = dashboard.locator(".kpi-card");
  const core = await cards.count();
  assert.ok(core > 0);
  const hlu = dashboard.locator('.kpi-card[data-kpi="dichte_hlu"]');
  assert.match(await hlu.textContent(), /(über|unter|am) dem Median der Vergleichsgruppe|am Median der Vergleichsgruppe/);
  assert.match(await hlu.textContent(), /Rang \d+ von 16/);
  await dashboard.getByLabel("Nur Kernkennzahlen").uncheck();
  assert.ok(await cards.count() > core, "all KPIs when not only core ones");
  await dashboard.getByLabel("Ebene").selectOption("outcome");
  const levels = await cards.evaluateAll((c) => c.map((e) => e.dataset.kpi));
  assert.ok(levels.includes("ambulant_quote_hzp") && !levels.includes("dichte_hlu"), levels.join());
});

test("no request left the app and no page error", async () => {
  assert.deepEqual(app.foreign, []);
  assert.deepEqual(app.errors, []);
});

test("axe-core: no serious or critical violation in Vergleich and Dashboard", async () => {
  // With a chart's table shown and the most similar municipalities explained, too.
  await app.page.getByRole("radio", { name: "Die ähnlichsten Kommunen" }).check();
  await app.page.locator("#vergleich figure.chart").first().getByRole("switch").click();
  for (const view of ["#vergleich", "#dashboard"]) {
    assert.deepEqual(await axeViolations(app.page, view), [], view);
  }
});
