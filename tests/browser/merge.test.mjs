// Several files that bring the same measures: each shared key is listed with how many values
// overlap and differ, and the user chooses which file counts (CONTRACT §1).
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { data, open, upload } from "./harness.mjs";

let app;
before(async () => { app = await open(); });
after(async () => { await app?.close(); });

test("two files with the same measures: conflicts listed, the choice applies", async () => {
  await upload(app.page, path.join(data, "ring", "ring.csv"), path.join(data, "ring-quirks", "ring.csv"));
  assert.equal(await app.page.locator('[data-testid="load-status"]').getAttribute("data-state"), "done");
  const items = app.page.locator(".conflicts li");
  assert.equal(await items.count(), 12);
  assert.match(await items.first().textContent(), /arbeitslosenquote: 96 gemeinsame Werte, davon \d+ abweichend/);
  const choice = app.page.getByLabel("Geltende Datei für einwohner", { exact: true });
  assert.deepEqual(await choice.locator("option").allTextContents(), ["Datei 1: ring.csv", "Datei 2: ring.csv"]);
  await choice.selectOption({ label: "Datei 2: ring.csv" });
  await app.page.waitForFunction(() => {
    const select = document.querySelector('select[aria-label="Geltende Datei für einwohner"]');
    return select && select.selectedOptions[0]?.textContent === "Datei 2: ring.csv";
  });
  assert.equal(await app.page.locator(".conflicts .error").count(), 0);
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign, []);
});
