// Loading files in the built app as a user would (issue 2): the demo ring at start, a real
// Excel export through the file input, several files at once, an edited column role, and that
// nothing but the app's own files was requested.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { data, loaded, open, settled, upload } from "./harness.mjs";

let app;
before(async () => { app = await open(); });
after(async () => { await app?.close(); });

// A second small file with other municipalities.
const demoLike = () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vr-load-")), "weitere.csv");
  fs.writeFileSync(file, "Kommune;Jahr;Einwohner\nNeustadt;2023;1000\nAltdorf;2023;2000\n");
  return file;
};
const status = () => app.page.locator('[data-testid="load-status"]');
const optionCount = (testid) =>
  app.page.locator(`[data-testid="${testid}"] option:not([disabled])`).count();

test("the demo ring is loaded at start and labelled as fictional", async () => {
  await loaded(app.page);
  const text = await status().textContent();
  assert.match(text, /demo-kommunen\.csv/);
  assert.match(text, /fiktiven Kommunen/);
  assert.ok(await app.page.locator(".demo-badge", { hasText: "Demo – fiktive Kommunen" }).first().isVisible());
  assert.ok(await optionCount("own-select") >= 8, "the demo's municipalities are in own-select");
});

test("ring-quirks: Windows-1252, ';', title and source lines skipped, 96 rows", async () => {
  const file = path.join(data, "ring-quirks", "ring.csv");
  await upload(app.page, file);
  await app.page.waitForFunction(() =>
    document.querySelector('[data-testid="load-status"]')?.textContent.includes("ring.csv"));
  assert.equal(await status().getAttribute("data-state"), "done");
  assert.equal(await status().getAttribute("data-rows"), "96");
  const text = (await status().textContent()).replace(/\s+/g, " ");
  assert.match(text, /Windows-1252/);
  assert.match(text, /Semikolon \(;\)/);
  assert.match(text, /Zeile 3/, "header line");
  assert.match(text, /Zeile 1: Benchmarking SGB XII/, "the title line is listed as skipped");
  assert.match(text, /Zeile 101: Quelle: eigene Erhebung/, "the source line is listed as skipped");
  // The upload replaced the demo: its label is gone, the header names the file.
  assert.equal(await app.page.locator(".demo-badge").count(), 0);
  assert.match(await app.page.locator(".app-header .files").textContent(), /ring\.csv/);
  assert.equal(await optionCount("own-select"), 16);
  assert.deepEqual(
    await app.page.locator('[data-testid="year-select"] option:not([disabled])').allTextContents(),
    ["2024", "2023", "2022", "2021", "2020", "2019"]);
});

test("the preview shows the file's first rows and umlauts decoded", async () => {
  const preview = app.page.locator("table.preview");
  assert.equal(await preview.locator("tbody tr").count(), 20);
  assert.match(await preview.textContent(), /Bad Ülzen/);
});

test("changing a column's role applies at once", async () => {
  const measures = () => app.page.locator(".dataset-line").textContent();
  const before = Number((await measures()).match(/(\d+) Merkmale/)[1]);
  await app.page.getByLabel("Rolle: Einwohner 65+", { exact: true }).selectOption({ label: "nicht verwenden" });
  await app.page.waitForFunction((n) =>
    !document.querySelector(".dataset-line").textContent.includes(`${n} Merkmale`), before);
  assert.equal(Number((await measures()).match(/(\d+) Merkmale/)[1]), before - 1);
  await app.page.getByLabel("Rolle: Einwohner 65+", { exact: true }).selectOption({ label: "Merkmal (Werte)" });
  await app.page.waitForFunction((n) =>
    document.querySelector(".dataset-line").textContent.includes(`${n} Merkmale`), before);
});

test("the encoding can be overridden; a wrong one is refused and the reading stays", async () => {
  const settings = app.page.locator(".read-settings");
  const encoding = settings.getByLabel("Zeichenkodierung");
  const report = () => app.page.locator(".file-details details").textContent();
  await encoding.selectOption({ label: "UTF-8" });
  await app.page.locator(".file-details .error").waitFor();
  assert.match(await app.page.locator(".file-details .error").textContent(), /ring\.csv.*UTF-8/s);
  assert.match(await report(), /Windows-1252/, "the old reading stays");
  await app.page.locator(".read-settings").getByLabel("Zeichenkodierung").selectOption({ label: "ISO-8859-15" });
  await app.page.waitForFunction(() =>
    document.querySelector(".file-details details")?.textContent.includes("ISO-8859-15"));
  assert.equal(await app.page.locator(".file-details .error").count(), 0);
  assert.match(await app.page.locator("table.preview").textContent(), /Bad Ülzen/);
  await app.page.locator(".read-settings").getByLabel("Zeichenkodierung").selectOption({ index: 0 });
  await app.page.waitForFunction(() =>
    document.querySelector(".file-details details")?.textContent.includes("Windows-1252"));
});

test("removing a file merges again; removing all leaves every view saying what to do", async () => {
  await upload(app.page, demoLike());
  assert.deepEqual(await app.page.locator(".loaded-files li strong").allTextContents(), ["ring.csv", "weitere.csv"]);
  await app.page.getByRole("button", { name: "ring.csv entfernen" }).click();
  await app.page.waitForFunction(() => document.querySelectorAll(".loaded-files li").length === 1);
  const own = await app.page.locator('[data-testid="own-select"] option:not([disabled])').allTextContents();
  assert.deepEqual(own, ["Neustadt", "Altdorf"], "the ring's municipalities are gone, the other file's stay");
  await app.page.getByRole("button", { name: "Alle Daten entfernen" }).click();
  await app.page.waitForFunction(() => !document.querySelector(".loaded-files"));
  await settled(app.page);
  assert.equal(await optionCount("own-select"), 0);
  assert.equal(await app.page.locator(".demo-badge").count(), 0);
  for (const view of ["kennzahlen", "vergleich", "dashboard", "pruefung", "ziele", "workshop"]) {
    assert.ok((await app.page.locator(`#${view}`).textContent()).length > 40, `${view} is not blank`);
  }
  await app.page.getByRole("button", { name: "Demo-Ring laden" }).click();
  await app.page.waitForFunction(() =>
    document.querySelector('[data-testid="load-status"]')?.dataset.state === "done" &&
    document.querySelector(".demo-badge"));
  await settled(app.page);
  assert.ok(await optionCount("own-select") >= 8);
});

test("the Content-Security-Policy allows no network beyond the app's own files", async () => {
  const csp = await app.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  const rules = Object.fromEntries(csp.split(";").map((r) => r.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(rules["default-src"], ["'self'"]);
  assert.deepEqual(rules["connect-src"], ["'self'"]);
  assert.ok(!/https?:|\*/.test(csp), "no host and no wildcard anywhere");
  assert.ok(!rules["script-src"].includes("'unsafe-inline'") && !rules["script-src"].includes("'unsafe-eval'"));
});

test("nothing was requested but the app's own files, and no page error occurred", () => {
  assert.deepEqual(app.foreign, []);
  assert.deepEqual(app.errors, []);
  assert.ok(app.requests.some((u) => u.endsWith("vergleichsring-worker_bg.wasm")), "the worker ran");
});
