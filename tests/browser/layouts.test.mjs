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
  assert.match(text, /Datei 22311-01-01-4\.csv, Zeile 6, Spalte 1: „20x0“ steht in der Jahresspalte, ist aber kein Jahr zwischen 1900 und 2100/);
  assert.deepEqual(await page.locator('[data-testid="own-select"] option').allTextContents(), before);
  // The core's message follows the language, also after it was shown.
  await page.locator("button.lang[lang=en]").click();
  assert.match(await status.textContent(),
    /File 22311-01-01-4\.csv, line 6, column 1: “20x0” is in the year column but is no year between 1900 and 2100/);
  assert.doesNotMatch(await status.textContent(), /Jahresspalte|Zeile/);
  await page.locator("button.lang[lang=de]").click();
  assert.match(await status.textContent(), /Zeile 6, Spalte 1: „20x0“ steht in der Jahresspalte/);
  assert.deepEqual(app.foreign, []);
});

test("a load report's hints are said in the language of the page", async () => {
  const { page } = app;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vr-hints-"));
  const file = path.join(dir, "hinweise.csv");
  fs.writeFileSync(file, "Kommune;Jahr;Einwohner\n;2020;5\nAdorf;2020;10\nBedorf;zwanzig;12\n");
  const status = await upload(page, file);
  assert.equal(await status.getAttribute("data-state"), "done");
  const hints = () => status.locator("ul.lines li").allTextContents();
  assert.deepEqual(await hints(), [
    "Zeile 2, Spalte 1: Die Zeile nennt keine Kommune; sie wird nicht gelesen.",
    "Zeile 4, Spalte 2: „zwanzig“ ist kein Jahr; die Zeile wird nicht gelesen.",
  ]);
  await page.locator("button.lang[lang=en]").click();
  assert.deepEqual(await hints(), [
    "Line 2, Column 1: The line names no municipality; it is not read.",
    "Line 4, Column 2: “zwanzig” is not a year; the line is not read.",
  ]);
  await page.locator("button.lang[lang=de]").click();
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign, []);
});
