// Real official exports of every layout family the reader takes: a classic GENESIS table with a
// bare year in its first column (Regionalatlas), a flat file with English column names, one with
// German names. The page says what it recognised, reads every row, and refuses a mistyped year
// with the cell while keeping what was loaded.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { data, loaded, open, upload } from "./harness.mjs";

let app;
before(async () => {
  app = await open();
  await loaded(app.page);
});
after(async () => { await app?.close(); });

// The load status and the file's entry under „Geladene Dateien“ both show the report.
const recognised = async (page) => [...new Set(await page.locator('[data-testid="recognised"]').allTextContents())];

test("official layouts are recognised and read whole, in German and English", async () => {
  const { page } = app;
  const cases = [
    ["classic/AI002-2_00.csv", 6838, "GENESIS-Tabelle AI002-2, Jahr in Spalte 1, Einheiten aus Zeile 6"],
    ["flat/12411-01-01-4_flat.csv", 1467, "GENESIS-Flatfile-CSV 12411 (englische Spaltennamen), Jahr in Spalte 5"],
    ["flat/11111-0001_flat_de.csv", 17, "GENESIS-Flatfile-CSV 11111 (deutsche Spaltennamen), Jahr in Spalte 5"],
  ];
  for (const [file, rows, said] of cases) {
    const status = await upload(page, path.join(data, "official", file));
    assert.equal(await status.getAttribute("data-state"), "done", file);
    assert.equal(Number(await status.getAttribute("data-rows")), rows, file);
    assert.deepEqual(await recognised(page), [said]);
  }
  await page.locator("button.lang[lang=en]").click();
  assert.deepEqual(await recognised(page), ["GENESIS flat-file CSV 11111 (German column names), year in column 5"]);
  await page.locator("button.lang[lang=de]").click();
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign, []);
});

test("a mistyped year is refused with its line and column, and the loaded data stay", async () => {
  const { page } = app;
  const before = await page.locator('[data-testid="own-select"] option').allTextContents();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vr-official-"));
  const file = path.join(dir, "22311-01-01-4.csv");
  fs.writeFileSync(file, "GENESIS-Tabelle: 22311-01-01-4\nWohngeld;;;\n;;;Haushalte\n;;;Anzahl\n2014;01001;Flensburg;10\n20x0;01002;Kiel;20\n");
  const status = await upload(page, file);
  assert.equal(await status.getAttribute("data-state"), "error");
  const text = await status.textContent();
  assert.match(text, /Zeile 6, Spalte 1: „20x0“ steht in der Jahresspalte, ist aber kein Jahr zwischen 1900 und 2100/);
  assert.deepEqual(await page.locator('[data-testid="own-select"] option').allTextContents(), before);
  assert.deepEqual(app.foreign, []);
});
