// Districts on the map (issue 16): the demo shows its fictional districts at once; a district
// file and a GeoJSON dropped together give a choropleth whose areas carry exactly the values
// tests/browser/map/make_map_data.py computed from the same numbers, for every KPI and year
// chosen through map-kpi and map-year; the table holds the same values and the city as their
// sum; what does not match is listed; a bad GeoJSON is refused naming the feature; axe-core
// finds nothing serious; no request leaves the page.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { axeViolations, close, loaded, open, records, root, showBoundaries, upload } from "./harness.mjs";

const dir = path.join(root, "tests", "browser", "map");
const expected = records(path.join(dir, "expected.csv"));

let app;
before(async () => {
  app = await open();
  await loaded(app.page);
});
after(async () => { await app?.close(); });

/** Every area of the map as { district: value } (value a number or null when empty). */
async function areas(page) {
  return page.$$eval('[data-testid="district-map"] [data-district]', (paths) => paths.map((p) => ({
    district: p.dataset.district, value: p.dataset.value, name: p.getAttribute("aria-label"),
    focusable: p.getAttribute("tabindex") === "0",
  })));
}

/** Waits until the map shows `n` districts with the given KPI and year. */
async function mapShows(page, kpi, year, n) {
  await page.locator('[data-testid="map-kpi"]').selectOption(kpi);
  await page.locator('[data-testid="map-year"]').selectOption(String(year));
  await page.waitForFunction(([count, title]) => {
    const svg = document.querySelector('[data-testid="district-map"]');
    return svg && svg.querySelectorAll("[data-district]").length === count
      && svg.querySelector("title")?.textContent.includes(title);
  }, [n, String(year)], { timeout: 20000 });
}

test("the demo shows its fictional districts on a map at once", async () => {
  await app.page.click('nav a[href="#karte"]');
  await app.page.locator('[data-testid="district-map"] [data-district]').first().waitFor({ timeout: 20000 });
  const shown = await areas(app.page);
  assert.equal(shown.length, 12);
  assert.ok(shown.every((a) => a.value !== "" && Number.isFinite(Number(a.value))), JSON.stringify(shown));
  assert.match(await app.page.locator('[data-testid="map-boundaries"]').textContent(), /erfunden/);
  // The dashboard shows the same districts for its core KPI, with the same values.
  const card = await app.page.$$eval("#dashboard .dashboard-map [data-district]",
    (paths) => paths.map((p) => [p.dataset.district, p.dataset.value]));
  assert.deepEqual(card, shown.map((a) => [a.district, a.value]));
});

test("a district file and a GeoJSON give the expected value on every area", async () => {
  const status = await upload(app.page, path.join(dir, "stadtteile.csv"), path.join(dir, "grenzen.geojson"));
  assert.equal(await status.getAttribute("data-state"), "done");
  await showBoundaries(app.page, "grenzen.geojson");
  let compared = 0;
  for (const kpi of ["dichte_hlu", "dichte_grusi_65"]) {
    for (const year of [2022, 2023]) {
      // Neuland has no area in the boundaries: five districts on the map.
      await mapShows(app.page, kpi, year, 5);
      const want = expected.filter((r) => r.kpi === kpi && Number(r.year) === year && r.district);
      const shown = await areas(app.page);
      for (const area of shown) {
        const row = want.find((r) => r.district === area.district);
        assert.ok(row, `unexpected area ${area.district}`);
        if (row.value === "") {
          assert.equal(area.value, "", `${kpi} ${year} ${area.district} is missing`);
          assert.match(area.name, /^Oberdorf: .*unbekannt/);
        } else {
          assert.ok(close(Number(area.value), Number(row.value)), `${kpi} ${year} ${area.district}: ${area.value} vs ${row.value}`);
          // The accessible name: "district: value" in German notation.
          assert.ok(area.name.startsWith(`${area.district}: `), area.name);
          assert.match(area.name, /\d,\d/);
        }
        assert.ok(area.focusable, `${area.district} takes keyboard focus`);
        compared++;
      }
      assert.deepEqual(shown.map((a) => a.district).sort(), want.map((r) => r.district).filter((d) => d !== "Neuland").sort());
      // The table alternative: every district, Neuland too, and the city as their sum.
      const rows = await app.page.$$eval('[data-testid="map-table"] tbody tr', (trs) => trs.map((tr) => ({
        district: tr.dataset.district ?? "", value: tr.querySelector("td[data-value]")?.dataset.value ?? "",
      })));
      assert.equal(rows.length, 7);
      for (const row of rows) {
        const exp = expected.find((r) => r.kpi === kpi && Number(r.year) === year && r.district === row.district);
        assert.ok(exp, `table row ${row.district}`);
        if (exp.value === "") assert.equal(row.value, "");
        else assert.ok(close(Number(row.value), Number(exp.value)), `table ${kpi} ${year} ${row.district || "city"}`);
      }
    }
  }
  assert.equal(compared, 20);
  const lists = await app.page.locator(".map-unmatched").textContent();
  assert.match(lists, /ohne Fläche in den Grenzen: Neuland/);
  assert.match(lists, /Flächen ohne Daten \(STT_NAME\): Flughafen/);
  assert.match(lists, /Features ohne Geometrie, nicht gezeichnet: Feature 7/);
  assert.match(await app.page.locator('[data-testid="map-boundaries"]').textContent(), /EPSG:4326.*erkannt/);
});

test("focus on an area tells value, rank and change; the filter leaves a district out", async () => {
  await mapShows(app.page, "dichte_hlu", 2023, 5);
  await app.page.locator('[data-testid="district-map"] [data-district="Hafenviertel"]').focus();
  const details = await app.page.locator(".map-details").textContent();
  // Hafenviertel 2023: 233 / 8110 × 1000 = 28,73, the highest of the five districts with a
  // value (Neuland counts, though it has no area), so rank 5 when lower is better;
  // 2022: 240 / 8020 × 1000 = 29,93.
  assert.match(details, /Hafenviertel: 28,73/);
  assert.match(details, /Rang 5 von 5/);
  assert.match(details, /-1,20 gegenüber 2022/);
  await app.page.locator(".map-filter summary").click();
  await app.page.locator('[data-testid="map-filter"] label', { hasText: "Südstadt" }).locator("input").uncheck();
  await app.page.waitForFunction(() => !document.querySelector('[data-testid="district-map"] [data-district="Südstadt"]'));
  assert.equal((await areas(app.page)).length, 4);
  await app.page.locator(".map-filter button").click();
  await mapShows(app.page, "dichte_hlu", 2023, 5);
});

test("no serious or critical accessibility violation on the map view", async () => {
  assert.deepEqual(await axeViolations(app.page, "#karte"), []);
});

test("a GeoJSON that is no area is refused, naming the feature", async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vr-map-"));
  const bad = path.join(tmp, "punkte.geojson");
  fs.writeFileSync(bad, JSON.stringify({ type: "FeatureCollection", features: [
    { type: "Feature", properties: { name: "Rathaus" }, geometry: { type: "Point", coordinates: [10.5, 52] } }] }));
  await app.page.locator('[data-testid="file-input"]').setInputFiles([bad]);
  await app.page.waitForFunction(() => /punkte\.geojson/.test(
    document.querySelector('[data-testid="map-boundaries"]')?.textContent ?? ""), null, { timeout: 20000 });
  const message = await app.page.locator('[data-testid="map-boundaries"]').textContent();
  assert.match(message, /Feature 1 \(name = „Rathaus“\).*Point.*Polygon/);
  // The data stay: the table still holds every district.
  assert.equal(await app.page.locator('[data-testid="map-table"] tbody tr').count(), 7);
});

test("no request left the page and no page errors", () => {
  assert.deepEqual(app.foreign, []);
  assert.deepEqual(app.errors, []);
});
