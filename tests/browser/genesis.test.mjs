// Two real GENESIS tables (Regionalstatistik: population, and recipients of SGB XII chapters
// 5–9, by county) load together, merge on region code, and the page stays usable: several
// hundred counties over two decades must not freeze it.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { data, loaded, open, upload } from "./harness.mjs";

let app;
before(async () => {
  app = await open();
  await loaded(app.page);
});
after(async () => { await app?.close(); });

test("two GENESIS tables merge on region code, and the page answers within 10 s", async () => {
  const dir = path.join(data, "genesis");
  const started = Date.now();
  await upload(app.page, path.join(dir, "12411-01-01-4_00.csv"), path.join(dir, "22131-01-02-4_00.csv"));
  // The page answers again once it has drawn the new data.
  await app.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  const seconds = (Date.now() - started) / 1000;
  const status = app.page.locator('[data-testid="load-status"]');
  assert.equal(await status.getAttribute("data-state"), "done");
  const text = await status.textContent();
  assert.match(text, /12411-01-01-4_00\.csv/);
  assert.match(text, /22131-01-02-4_00\.csv/);
  const own = await app.page.locator('[data-testid="own-select"] option').allTextContents();
  assert.equal(own.filter((o) => o.trim() === "Hamburg").length, 1, "one Hamburg: the tables merged");
  const elements = await app.page.evaluate(() =>
    Object.fromEntries([...document.querySelectorAll("main > section")].map((s) => [s.id, s.querySelectorAll("*").length])));
  assert.ok(seconds < 10, `the page took ${seconds.toFixed(1)} s to show the tables; elements per view: ${JSON.stringify(elements)}`);
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign, []);
});
