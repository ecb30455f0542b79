// Bad input in the built app: each bad file gets a German message naming file, line and column
// where there is one, and the data loaded before stay; a long load can be cancelled.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { data, open, upload } from "./harness.mjs";

let app;
let dir;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vr-bad-"));
  app = await open();
  await upload(app.page, path.join(data, "ring-quirks", "ring.csv"));
});
after(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const status = () => app.page.locator('[data-testid="load-status"]');
const write = (name, content) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
const files = () => app.page.locator(".loaded-files li strong").allTextContents();
const municipalities = () => app.page.locator('[data-testid="own-select"] option:not([disabled])').allTextContents();
const keptData = async () => {
  assert.equal((await files())[0], "ring.csv");
  assert.equal((await municipalities()).length, 16);
};
// A file whose table was read but whose columns do not give data stays listed, so its columns
// can be fixed; the tests remove it again.
const removeIfListed = async (name) => {
  if ((await files()).includes(name)) {
    await app.page.getByRole("button", { name: `${name} entfernen` }).click();
    await app.page.waitForFunction((n) =>
      ![...document.querySelectorAll(".loaded-files li strong")].some((e) => e.textContent === n), name);
  }
};

// name, content, what the message must say
const cases = [
  ["leer.csv", "", [/leer\.csv/, /leer/]],
  ["bild.csv", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]),
    [/bild\.csv/, /keine Textdatei|Binär/]],
  ["zerrissen.csv", "Kommune;Jahr;Einwohner\nA;2020;100\nB;2020\nC;2020;300\n", [/zerrissen\.csv/, /Zeile 3/, /Spalte 3/]],
  ["doppelt.csv", "Kommune;Jahr;Einwohner;Einwohner\nA;2020;100;100\n", [/doppelt\.csv/, /Zeile 1/, /einwohner/]],
  ["ohne-kommune.csv", "Jahr;Einwohner\n2020;100\n2021;110\n", [/ohne-kommune\.csv/, /Kommune/, /Zeile 1/]],
];

for (const [name, content, patterns] of cases) {
  test(`${name}: a clear message, and the data loaded before stay`, async () => {
    await upload(app.page, write(name, content));
    await app.page.waitForFunction((n) =>
      document.querySelector('[data-testid="load-status"]')?.textContent.includes(n), name);
    assert.equal(await status().getAttribute("data-state"), "error");
    const message = await status().locator(".error").first().textContent();
    for (const p of patterns) assert.match(message, p);
    await keptData();
    await removeIfListed(name);
    assert.deepEqual(await files(), ["ring.csv"]);
  });
}

test("a file without a year column is kept with its columns; a year entered builds it", async () => {
  const name = "ohne-jahr.csv";
  await upload(app.page, write(name, "Kommune;Einwohner;Leistungsberechtigte HLU\nNeustadt;1000;12\nAltdorf;2000;30\n"));
  assert.equal(await status().getAttribute("data-state"), "error");
  assert.match(await status().locator(".error").first().textContent(), /ohne-jahr\.csv.*Jahr/s);
  await keptData();
  assert.deepEqual(await files(), ["ring.csv", name]);
  await app.page.getByRole("button", { name: `Vorschau und Spalten von ${name} anzeigen` }).click();
  const year = app.page.getByLabel("Jahr für alle Zeilen (nur ohne Jahresspalte)");
  await year.fill("2023");
  await year.press("Enter");
  await year.blur();
  await app.page.waitForFunction(() =>
    [...document.querySelectorAll('[data-testid="own-select"] option')].some((o) => o.textContent === "Neustadt"));
  assert.equal((await municipalities()).length, 18);
  await removeIfListed(name);
  await keptData();
});

test("a 200 MB file is refused before it is read", async () => {
  const big = path.join(dir, "riesig.csv");
  fs.closeSync(fs.openSync(big, "w"));
  fs.truncateSync(big, 200 * 1024 * 1024);
  await upload(app.page, big);
  assert.equal(await status().getAttribute("data-state"), "error");
  const message = await status().locator(".error").first().textContent();
  assert.match(message, /riesig\.csv/);
  assert.match(message, /200,0 MB/);
  await keptData();
});

test("a long load can be cancelled and leaves the data as they were", async () => {
  // ~45 MB of a valid wide table (just under the limit): reading and parsing take long enough
  // to cancel.
  const rows = ["Kommune;Jahr;Einwohner;Leistungsberechtigte HLU"];
  // Each municipality and year once: repeated pairs would make it a case-level file.
  for (let i = 0; i < 1_450_000; i++) rows.push(`Gemeinde ${i % 5000};${2000 + Math.floor(i / 5000)};${100000 + i};${i % 977}`);
  const file = write("lang.csv", rows.join("\n"));
  await app.page.locator('[data-testid="file-input"]').setInputFiles(file);
  await app.page.locator('[data-testid="load-progress"]').waitFor({ state: "visible", timeout: 10000 });
  await app.page.locator('[data-testid="load-cancel"]').click();
  await app.page.waitForFunction(() =>
    document.querySelector('[data-testid="load-status"]')?.dataset.state === "cancelled");
  await app.page.waitForTimeout(500);
  assert.equal(await status().getAttribute("data-state"), "cancelled", "a late answer does not undo the cancel");
  await keptData();
});

test("no page errors and no foreign requests along the way", () => {
  assert.deepEqual(app.foreign, []);
  assert.deepEqual(app.errors, []);
});
