// The district map beyond the Karte view (issue 16): the Kurzbericht of the own city and the
// workshop show the same districts with the same values as the Karte view; the district choice
// is the page's — a district taken out in the Karte view leaves the Karte view's table, the
// dashboard's map, the Kurzbericht and the workshop, and comes back everywhere; a session saved
// with its data carries the boundaries, the join and the choice, without data only the choice
// and join; the own page with its map prints on one A4 sheet; axe-core finds nothing serious in
// the workshop's map; no request leaves the page.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { axeViolations, loaded, open, reloadWithSession, root, saveSession, showBoundaries, upload } from "./harness.mjs";

const dir = path.join(root, "tests", "browser", "map");

let app;
before(async () => {
  app = await open();
  await loaded(app.page);
});
after(async () => { await app?.close(); });

/** `[district, value]` of every area of the maps under (or being) `scope`, in the order drawn. */
const areas = (scope) => app.page.$$eval(`:is(${scope} svg.district-map, svg${scope}) [data-district]`,
  (paths) => paths.map((p) => [p.dataset.district, p.dataset.value]));

/** The Karte view's areas, once it shows `n` of them. */
async function karte(n) {
  await app.page.click('nav a[href="#karte"]');
  await app.page.waitForFunction((count) => document.querySelectorAll(
    '[data-testid="district-map"] [data-district]').length === count, n, { timeout: 20000 });
  return areas('[data-testid="district-map"]');
}

/** The Karte view's district choice, opened. */
async function filter() {
  const details = app.page.locator(".map-filter");
  if (!(await details.evaluate((d) => d.open))) await details.locator("summary").click();
  return details;
}

const tableDistricts = () => app.page.$$eval('[data-testid="map-table"] tbody tr[data-district]',
  (trs) => trs.map((tr) => tr.dataset.district));

test("the Kurzbericht shows the own city's districts with the Karte view's values", async () => {
  const shown = await karte(12);
  const kpi = await app.page.locator('[data-testid="map-kpi"]').inputValue();
  assert.ok(kpi, "a KPI is chosen");
  await app.page.click('nav a[href="#workshop"]');
  const brief = '[data-testid="short-report"] .report-map';
  await app.page.locator(`${brief} svg [data-district]`).first().waitFor({ timeout: 20000 });
  assert.deepEqual(await areas(brief), shown, "the same districts and values as the Karte view");
  // Its legend and the values as a list beside the map.
  assert.ok(await app.page.locator(`${brief} .map-legend li`).count() >= 2);
  const items = await app.page.locator(`${brief} .map-values li`).allTextContents();
  assert.equal(items.length, 12);
  assert.ok(items.every((t, i) => t.startsWith(`${shown[i][0]}: `)), items.join(" | "));
  // The own page with its map still prints on one A4 sheet.
  await app.page.evaluate(() => document.documentElement.classList.add("print-report"));
  await app.page.emulateMedia({ media: "print" });
  try {
    assert.ok(await app.page.locator(`${brief} svg.district-map`).isVisible(), "the map prints");
    const pdf = await app.page.pdf({ format: "A4", printBackground: true });
    const sheets = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
    assert.equal(sheets, 1, "one A4 page");
  } finally {
    await app.page.emulateMedia({ media: "screen" });
    await app.page.evaluate(() => document.documentElement.classList.remove("print-report"));
  }
});

test("a district taken out leaves every map and table, and comes back", async () => {
  const all = await karte(12);
  const [gone] = all[3];
  await filter();
  await app.page.locator('[data-testid="map-filter"] label', { hasText: gone }).locator("input").uncheck();
  const shown = await karte(11);
  assert.ok(!shown.some(([d]) => d === gone), "not on the Karte view's map");
  assert.ok(!(await tableDistricts()).includes(gone), "not in the Karte view's table");
  await app.page.click('nav a[href="#dashboard"]');
  assert.ok(!(await areas("#dashboard .dashboard-map")).some(([d]) => d === gone), "not on the dashboard's map");
  assert.equal((await areas("#dashboard .dashboard-map")).length, 11);
  await app.page.click('nav a[href="#workshop"]');
  const brief = await areas('[data-testid="short-report"] .report-map');
  assert.equal(brief.length, 11);
  assert.ok(!brief.some(([d]) => d === gone), "not in the Kurzbericht");
  assert.ok(!(await app.page.locator(".report-map .map-values").textContent()).includes(gone));
  // Back: every district everywhere.
  await app.page.click('nav a[href="#karte"]');
  await app.page.locator('[data-testid="map-filter"] label', { hasText: gone }).locator("input").check();
  assert.deepEqual(await karte(12), all);
  assert.ok((await tableDistricts()).includes(gone));
  await app.page.click('nav a[href="#dashboard"]');
  assert.equal((await areas("#dashboard .dashboard-map")).length, 12);
  await app.page.click('nav a[href="#workshop"]');
  assert.equal((await areas('[data-testid="short-report"] .report-map')).length, 12);
});

test("the workshop presents the map of the slide's KPI with the Karte view's values", async () => {
  const shown = await karte(12);
  const kpi = await app.page.locator('[data-testid="map-kpi"]').inputValue();
  await app.page.click('nav a[href="#workshop"]');
  const stage = app.page.locator('[data-testid="workshop"]');
  await app.page.locator('[data-testid="workshop-start"]').click();
  await app.page.waitForFunction(() => document.querySelector('[data-testid="workshop"]').classList.contains("presenting"));
  await app.page.locator('[data-testid="workshop-kpi"]').selectOption(kpi);
  await stage.getByRole("button", { name: "Karte", exact: true }).click();
  await app.page.waitForFunction(() => document.querySelector('[data-testid="workshop"]').dataset.chart === "map");
  await stage.locator("svg.district-map [data-district]").first().waitFor();
  assert.deepEqual(await areas('[data-testid="workshop"]'), shown, "every district with its value");
  assert.ok(shown.every(([, v]) => v !== "" && Number.isFinite(Number(v))));
  // Fitted to the screen: nothing to scroll, the map inside the window.
  const m = await app.page.evaluate(() => {
    const box = document.querySelector('[data-testid="workshop"] svg.district-map').getBoundingClientRect();
    return { scroll: document.documentElement.scrollHeight, inner: innerHeight, width: innerWidth,
      box: [box.top, box.bottom, box.left, box.right, box.height] };
  });
  assert.ok(m.scroll <= m.inner, `the page scrolls (${m.scroll} > ${m.inner})`);
  const [top, bottom, left, right, height] = m.box;
  assert.ok(top >= 0 && bottom <= m.inner && left >= 0 && right <= m.width, `map outside the window ${m.box}`);
  assert.ok(height > 200, `a map large enough to see (${height} px)`);
  assert.deepEqual(await axeViolations(app.page, '[data-testid="workshop"]'), []);
  // The keys step from the map to the next KPI's ranking.
  await app.page.keyboard.press("ArrowRight");
  assert.equal(await stage.getAttribute("data-chart"), "ranking");
  await app.page.keyboard.press("ArrowLeft");
  assert.equal(await stage.getAttribute("data-chart"), "map");
  await app.page.keyboard.press("Escape");
  await app.page.waitForFunction(() => !document.querySelector('[data-testid="workshop"]').classList.contains("presenting"));
});

test("a session with data brings back the boundaries, the join and the district choice", async () => {
  const status = await upload(app.page, path.join(dir, "stadtteile.csv"), path.join(dir, "grenzen.geojson"));
  assert.equal(await status.getAttribute("data-state"), "done");
  await showBoundaries(app.page, "grenzen.geojson");
  await app.page.locator('[data-testid="map-join"]').selectOption("STT_NAME");
  await filter();
  await app.page.locator('[data-testid="map-filter"] label', { hasText: "Südstadt" }).locator("input").uncheck();
  const before = await karte(4);
  const beforeTable = await tableDistricts();
  assert.ok(!before.some(([d]) => d === "Südstadt"));

  const without = await saveSession(app.page);
  assert.equal(without.session.boundaries, undefined, "no boundaries without the data");
  assert.deepEqual(without.session.hidden_districts, ["Südstadt"]);
  assert.equal(without.session.map_join, "STT_NAME");

  const { saved, session } = await saveSession(app.page, { withData: true });
  assert.equal(session.boundaries.name, "grenzen.geojson");
  assert.deepEqual(session.hidden_districts, ["Südstadt"]);
  await reloadWithSession(app.page, saved, "stadtteile.csv");
  await showBoundaries(app.page, "grenzen.geojson");
  assert.deepEqual(await karte(4), before, "the same districts and values");
  assert.deepEqual(await tableDistricts(), beforeTable);
  assert.equal(await app.page.locator('[data-testid="map-join"]').inputValue(), "STT_NAME");
  assert.equal(await app.page.locator('[data-testid="map-filter"] label', { hasText: "Südstadt" }).locator("input").isChecked(), false);
});

test("no request left the page and no page errors", () => {
  assert.deepEqual(app.foreign, []);
  assert.deepEqual(app.errors, []);
});
