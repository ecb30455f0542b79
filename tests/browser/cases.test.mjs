// Case-level files in the built app (issue 6): a generated 100,000-row file is uploaded,
// grouped by Kommune, Jahr and Leistungsart with Bruttoausgaben summed, shows its progress, and
// its groups equal the generator's totals; a cancelled run leaves the data as they were.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { caseFile, caseGroups, data, open, reloadWithSession, saveSession, upload } from "./harness.mjs";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vr-cases-"));
const generate = (rows) => caseFile(dir, rows);

let app;
before(async () => { app = await open(); });
after(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const state = () => app.page.locator('[data-testid="load-status"]').getAttribute("data-state");

/** Uploads a case file and waits until its columns are offered. */
async function uploadCases(file) {
  await upload(app.page, file);
  await app.page.locator(".case-upload", { hasText: path.basename(file) }).waitFor({ timeout: 30000 });
}

async function choose() {
  await app.page.selectOption('[data-testid="case-by"]', ["Kommune", "Jahr", "Leistungsart"]);
  await app.page.selectOption('[data-testid="case-sum"]', ["Bruttoausgaben"]);
}

const groups = () => caseGroups(app.page);

test("a 100,000-row case file is aggregated in the worker and equals the totals", async () => {
  const { file, want } = generate(100_000);
  await uploadCases(file);
  // Preselected from the roles: municipality and year; the money columns to sum.
  const selected = (id) => app.page.$eval(`[data-testid="${id}"]`, (s) => [...s.selectedOptions].map((o) => o.value));
  assert.deepEqual(await selected("case-by"), ["Kommune", "Jahr"]);
  assert.ok((await selected("case-sum")).includes("Bruttoausgaben"));
  await choose();
  // Record every progress value the page shows while the run goes.
  await app.page.evaluate(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const p = document.querySelector('[data-testid="load-progress"]');
      if (p) window.__progress.push(Number(p.value));
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await app.page.click('[data-testid="case-run"]');
  await app.page.waitForFunction(() =>
    document.querySelector('[data-testid="case-table"]') &&
    document.querySelector('[data-testid="load-status"]').dataset.state === "done", null, { timeout: 60000 });
  assert.ok((await app.page.evaluate(() => window.__progress.length)) > 0, "a progress bar was shown");
  const got = await groups();
  assert.equal(got.length, want.size);
  for (const [m, y, b, cases, gross] of got) {
    const [c, g] = want.get(`${m}|${y}|${b}`);
    assert.equal(cases, c, `${m} ${y} ${b}`);
    assert.ok(Math.abs(gross - g) < 0.01, `${m} ${y} ${b}: ${gross} != ${g}`);
  }
  // The result is the dataset of every view: its municipalities and years.
  assert.equal(await app.page.locator('[data-testid="own-select"] option:not([disabled])').count(), 16);
  assert.deepEqual(
    await app.page.locator('[data-testid="year-select"] option:not([disabled])').allTextContents(),
    ["2024", "2023", "2022", "2021", "2020", "2019"]);
  assert.match(await app.page.locator(".app-header .files").textContent(), /cases-100000\.csv/);
  assert.equal(await app.page.locator('[data-testid="load-status"]').getAttribute("data-rows"), "100000");
  assert.match(await app.page.locator('[data-testid="load-status"]').textContent(),
    new RegExp(`cases-100000\\.csv mit 100\\.000 Fällen, zusammengefasst zu ${got.length} Gruppen`));
});

test("cancel stops a run and leaves the previous data intact", async () => {
  const { file } = generate(600_000);
  await uploadCases(file);
  await choose();
  // The cancel button is pressed the moment it appears: a run of this size can end before a
  // click from outside gets through on a loaded machine (the button then left the page).
  await app.page.evaluate(() => {
    window.__cancelled = new Promise((resolve) => {
      const press = () => {
        const cancel = document.querySelector('[data-testid="load-cancel"]');
        if (!cancel) return false;
        cancel.click();
        resolve();
        return true;
      };
      const watch = new MutationObserver(() => { if (press()) watch.disconnect(); });
      watch.observe(document.body, { subtree: true, childList: true });
    });
  });
  await app.page.click('[data-testid="case-run"]');
  await app.page.evaluate(() => window.__cancelled);
  assert.equal(await state(), "cancelled");
  // The previous run's data stay: the header still names the earlier file.
  assert.match(await app.page.locator(".app-header .files").textContent(), /cases-100000\.csv/);
  assert.equal(await app.page.locator('[data-testid="own-select"] option:not([disabled])').count(), 16);
  // Late answers of the cancelled run change nothing.
  await app.page.waitForTimeout(1500);
  assert.equal(await state(), "cancelled");
  assert.match(await app.page.locator(".app-header .files").textContent(), /cases-100000\.csv/);
  assert.equal(await app.page.locator('[data-testid="case-run"]').isEnabled(), true);
});

/** The names in the Daten view's list of loaded files. */
const loadedNames = () => app.page.locator(".loaded-files li strong").allTextContents();

/** The kpi-table value of the first KPI of ring/expected_kpis.csv that has one, and the expected. */
async function ringKpi() {
  const line = fs.readFileSync(path.join(data, "ring/expected_kpis.csv"), "utf8").split("\n")
    .slice(1).find((l) => /,[-\d.]+$/.test(l));
  const [, municipality, year, kpi, value] = line.match(/^"(.*)",(\d+),(\w+),([-\d.e]+)$/);
  await app.page.locator('[data-testid="own-select"]').selectOption(municipality);
  await app.page.locator('[data-testid="year-select"]').selectOption(year);
  await app.page.click('nav a[href="#kennzahlen"]');
  const cell = app.page.locator(`[data-testid="kpi-table"] [data-municipality="${municipality}"][data-year="${year}"][data-kpi="${kpi}"]`).first();
  return [Number(await cell.getAttribute("data-value")), Number(value)];
}

test("the case groups join a table file, leave by their remove button and travel in a session", async () => {
  await app.page.click('nav a[href="#daten"]');
  await upload(app.page, path.join(data, "ring/ring.csv"));
  assert.equal(await state(), "done");
  assert.equal(await app.page.locator('[data-testid="load-status"]').getAttribute("data-rows"), "96");
  assert.deepEqual(await loadedNames(), ["ring.csv", "cases-100000.csv"]);
  const [got, want] = await ringKpi();
  assert.ok(Math.abs(got - want) <= 1e-9 * Math.abs(want), `${got} != ${want}`);

  // The session keeps the table file's bytes and the groups, never the case file itself.
  const { saved, session } = await saveSession(app.page, { withData: true });
  assert.deepEqual(session.uploads.map((u) => u.name), ["ring.csv"]);
  assert.equal(session.cases.file, "cases-100000.csv");
  assert.ok(fs.statSync(saved).size < 5_000_000, "the session holds groups, not 100,000 cases");

  await app.page.click('nav a[href="#daten"]');
  await app.page.getByRole("button", { name: "cases-100000.csv entfernen" }).click();
  assert.deepEqual(await loadedNames(), ["ring.csv"]);
  assert.doesNotMatch(await app.page.locator(".app-header .files").textContent(), /cases-100000/);

  await reloadWithSession(app.page, saved, "ring.csv");
  await app.page.click('nav a[href="#daten"]');
  assert.deepEqual(await loadedNames(), ["ring.csv", "cases-100000.csv"]);
  assert.equal(await app.page.locator('[data-testid="own-select"] option:not([disabled])').count(), 16);
  const [again] = await ringKpi();
  assert.equal(again, got);
  assert.deepEqual(app.foreign, []);
  assert.deepEqual(app.errors, []);
});
