// Nothing typed is lost and nothing breaks it (issue 13), in the built app as a user meets it:
// a number typed the English way means the same as the German way; the work survives a reload
// (kept in the browser's storage, restored with a notice, deletable) and the page asks before it
// closes with unsaved changes, from http:// and from the single file on disk; a reading worker
// that fails is reported, the data stay, and the next load starts a fresh worker.
import assert from "node:assert/strict";
import path from "node:path";
import { after, afterEach, test } from "node:test";
import { data, dist, loaded, open, upload } from "./harness.mjs";

const KEY = "vergleichsring.arbeitsstand";
let app;
afterEach(async () => { await app?.close(); app = undefined; });
after(async () => { await app?.close(); });

/** Fills a field and commits it as a user does (leaving the field). */
async function setField(page, label, value) {
  const field = page.getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press("Tab");
}

const kept = (page) => page.evaluate((key) => localStorage.getItem(key), KEY);
const yoy = (page) => page.locator("#schwelle-vorjahr");

/** Reloads, answering the browser's "leave the page?" question; says whether it was asked. */
async function reload(page) {
  let asked = false;
  const answer = async (dialog) => {
    asked = asked || dialog.type() === "beforeunload";
    await dialog.accept();
  };
  page.on("dialog", answer);
  await page.reload();
  page.off("dialog", answer);
  await page.locator('[data-testid="file-input"]').waitFor({ state: "attached", timeout: 20000 });
  return asked;
}

/** Types a threshold the English way and a comment, reloads, and finds both back. */
async function workSurvives(page) {
  await page.click('nav a[href="#pruefung"]');
  await page.locator("button.lang[lang=en]").click();
  await setField(page, "Jump against the year before from (%)", "3.5");
  assert.equal(await yoy(page).inputValue(), "3,5", "3.5 is three and a half, not 35");
  await page.locator("button.lang[lang=de]").click();
  const first = page.locator('[data-testid="findings"] [data-code]').first();
  const key = await first.evaluate((e) => ({ ...e.dataset }));
  await first.locator("textarea").fill("Geprüft, Wert stimmt.");
  await first.locator("textarea").press("Tab");
  await page.waitForFunction((k) => localStorage.getItem(k)?.includes("Geprüft"), KEY);

  assert.equal(await reload(page), true, "the page asks before unsaved work goes");
  const notice = page.locator('[data-testid="work-kept"]');
  await notice.waitFor();
  assert.equal(await notice.getAttribute("data-state"), "restored");
  assert.match(await notice.textContent(), /Arbeitsstand vom \d\d\.\d\d\.\d{4}, \d\d:\d\d wiederhergestellt/);
  assert.equal(await yoy(page).inputValue(), "3,5");
  const back = page.locator(`[data-testid="findings"] [data-code="${key.code}"][data-municipality="${key.municipality}"]` +
    `[data-year="${key.year}"][data-subject="${key.subject}"] textarea`);
  await back.waitFor();
  assert.equal(await back.inputValue(), "Geprüft, Wert stimmt.");

  await page.locator('[data-testid="work-kept-delete"]').click();
  assert.equal(await kept(page), null, "deleted from the browser's storage");
  assert.equal(await notice.getAttribute("data-state"), "deleted");
  await reload(page);
  await loaded(page);
  assert.equal(await page.locator('[data-testid="work-kept"]').count(), 0, "nothing to restore");
  assert.equal(await yoy(page).inputValue(), "30");
}

test("typed work survives a reload, with a notice and a button that deletes it", async () => {
  app = await open();
  await loaded(app.page);
  assert.equal(await kept(app.page), null, "an untouched page keeps nothing");
  await workSurvives(app.page);
  assert.deepEqual(app.foreign, []);
});

test("the single file opened from disk keeps the work too", async () => {
  app = await open();
  await app.page.goto(`file://${path.join(dist, "vergleichsring.html")}`);
  await loaded(app.page);
  await workSurvives(app.page);
});

test("a reading worker that fails is reported, the data stay, and the next load works", async () => {
  app = await open();
  await upload(app.page, path.join(data, "ring", "ring.csv"));
  const status = app.page.locator('[data-testid="load-status"]');
  assert.equal(await status.getAttribute("data-state"), "done");
  const options = () => app.page.locator('[data-testid="own-select"] option:not([disabled])').count();
  const before = await options();
  // The reading worker is the page's only worker until a case file or an XLSX export; an
  // error it does not catch ends it as a panic or running out of memory would.
  const [reader] = app.page.workers();
  await reader.evaluate(() => setTimeout(() => { throw new Error("Testabsturz"); }));
  await app.page.waitForFunction(() =>
    document.querySelector('[data-testid="load-status"]')?.dataset.state === "error");
  assert.match(await status.textContent(), /Leseprozess im Browser ist ausgefallen \(.*Testabsturz\)/);
  assert.equal(await options(), before, "the data stay");

  await upload(app.page, path.join(data, "ring-quirks", "ring.csv"));
  assert.equal(await status.getAttribute("data-state"), "done", await status.textContent());
  assert.ok(app.page.workers().length >= 1);
});

test("an XLSX export whose worker fails says so, and the next export works", async () => {
  app = await open();
  const page = app.page;
  // The export worker starts on the first XLSX export. Its wasm is held back, so the export
  // waits, until an error the worker does not catch ends it as a panic or running out of memory
  // would.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.context().route("**/vergleichsring-export_bg.wasm", async (route) => { await held; await route.continue(); });
  await page.click('nav a[href="#kennzahlen"]');
  const button = page.locator('#kennzahlen [data-testid="export-kpi-xlsx"]');
  const status = button.locator("xpath=..").locator(".exports-status");
  const [worker] = await Promise.all([page.waitForEvent("worker"), button.click()]);
  assert.match(await status.textContent(), /wird geschrieben/);
  await worker.evaluate(() => setTimeout(() => { throw new Error("Testabsturz"); }));
  await page.waitForFunction((s) => /fehlgeschlagen/.test(document.querySelector(s)?.textContent),
    '#kennzahlen [data-testid="export-kpi-xlsx"] ~ .exports-status');
  assert.match(await status.textContent(), /^Export fehlgeschlagen: .*Testabsturz/);

  // The next export starts a fresh worker and downloads the workbook.
  release();
  const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
  assert.equal(download.suggestedFilename(), "kennzahlen.xlsx");
  assert.match(await status.textContent(), /kennzahlen\.xlsx/);
  assert.deepEqual(app.foreign, []);
});
