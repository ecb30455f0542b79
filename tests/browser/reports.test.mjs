// Reports for every member (issue 15, CONTRACT §5 `report`): the files `vergleichsring report`
// writes open in the browser on their own — no request of any kind — and show the member's core
// KPI values as ../shared/data/ring/expected_kpis.csv has them; the app's "Berichte für alle"
// gives the same files in one ZIP (read with Python's zipfile, tests/browser/zipcheck.py).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { after, before, test } from "node:test";
import { axeViolations, close, data, open, records, upload } from "./harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const target = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), ".cache/vergleichsring-target");
const cli = process.env.VR_CLI || path.join(target, "release/vergleichsring");
const ring = path.join(data, "ring");
const YEAR = "2024";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vr-reports-"));
const expected = records(path.join(ring, "expected_kpis.csv")).filter((r) => r.year === YEAR);

let app;
before(async () => {
  assert.ok(fs.existsSync(cli), `the CLI at ${cli} (set VR_CLI)`);
  execFileSync(cli, ["report", "--catalogue", path.join(ring, "catalogue.toml"), path.join(ring, "ring.csv"),
    "--year", YEAR, "--out", dir], { stdio: "ignore" });
  app = await open();
});
after(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a written report opens with no request and shows the member's KPI values", async () => {
  const members = [...new Set(expected.map((r) => r.municipality))];
  assert.equal(fs.readdirSync(dir).length, members.length);
  const opened = [];
  for (const member of ["Altenmarkt", "Neustadt (Weinstraße)", "Östringen"]) {
    const file = path.join(dir, `${member.replace(/[^\p{L}0-9_-]/gu, "_")}.html`);
    // Away from the app first, so that nothing of it (its worker) is still loading.
    await app.page.goto("about:blank");
    const before = app.requests.length;
    await app.page.goto(pathToFileURL(file).href);
    const requests = app.requests.slice(before);
    assert.deepEqual(requests, [pathToFileURL(file).href], "the file itself and nothing else");
    assert.equal(await app.page.locator("main").getAttribute("data-municipality"), member);
    assert.match(await app.page.locator("h1").textContent(), new RegExp(`Kurzbericht ${member.replace(/[()]/g, "\\$&")} – ${YEAR}`));
    const cards = app.page.locator(".report-kpi");
    const want = expected.filter((r) => r.municipality === member);
    assert.equal(await cards.count(), want.length);
    for (const r of want) {
      const card = app.page.locator(`.report-kpi[data-kpi="${r.kpi}"]`);
      const value = await card.getAttribute("data-value");
      if (r.value === "") assert.equal(value, "", `${member} ${r.kpi}`);
      else assert.ok(close(Number(value), Number(r.value)), `${member} ${r.kpi}: ${value} vs ${r.value}`);
      // The chart is inline SVG with its title; the shown value is the German number.
      assert.equal(await card.locator("svg title").count(), 1);
    }
    assert.deepEqual(await axeViolations(app.page, "main"), []);
    opened.push(pathToFileURL(file).href);
  }
  // The harness counts every URL off the app's origin as foreign: here only the files opened.
  assert.deepEqual(app.foreign.filter((u) => u.startsWith("file:")), opened);
});

test("the app's Berichte für alle gives the same files in one ZIP", async () => {
  const page = app.page;
  const foreign = app.foreign.length;
  await page.goto(app.origin);
  await page.locator('[data-testid="file-input"]').waitFor({ state: "attached" });
  await upload(page, path.join(ring, "ring.csv"));
  await page.locator("#catalogue-input").setInputFiles(path.join(ring, "catalogue.toml"));
  await page.locator('[data-testid="own-select"]').selectOption({ label: "Altenmarkt" });
  await page.locator('[data-testid="year-select"]').selectOption(YEAR);
  await page.click('nav a[href="#workshop"]');
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator('[data-testid="reports-all"]').click(),
  ]);
  assert.equal(download.suggestedFilename(), `kurzberichte-${YEAR}.zip`);
  const zip = path.join(dir, "app.zip");
  await download.saveAs(zip);
  const texts = JSON.parse(execFileSync("python3", [path.join(here, "zipcheck.py"), "--texts", zip], { encoding: "utf8" }));
  const written = fs.readdirSync(dir).filter((f) => f.endsWith(".html")).sort();
  assert.deepEqual(Object.keys(texts).sort(), written);
  for (const f of written) assert.equal(texts[f], fs.readFileSync(path.join(dir, f), "utf8"), f);
  assert.match(await page.locator('[data-testid="reports-done"]').textContent(), /16 Berichte/);
  assert.deepEqual(app.foreign.slice(foreign), []);
});
