// The ring's exchange in the built app (issue 15, CONTRACT §8): Prüfung makes the submission
// package (blocked while errors are open, warnings without a comment confirmed first); a fresh
// page takes that package and two made by `vergleichsring package`, merges them into the ring
// like loaded files and lists them in the Rücklauf table; a tampered package is refused with its
// reason. The packages are read back independently (tests/browser/zipcheck.py, Python's zipfile
// and hashlib); the expected counts come from `vergleichsring check` and the KPI values from
// ../shared/data/ring/expected_kpis.csv. The collection template the Kennzahlen view writes is the
// CLI's and, filled in, loads with no setting. Nothing but the app's own files is requested.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { axeViolations, close, data, records, upload, withApp } from "./harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const target = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), ".cache/vergleichsring-target");
const cli = process.env.VR_CLI || path.join(target, "release/vergleichsring");
const ring = path.join(data, "ring", "ring.csv");
const YEAR = "2024";
const COMMENT = "Einnahmen aus einer Erstattung des Landes; Zahl geprüft.";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vr-exchange-"));

const zipcheck = (...args) => JSON.parse(execFileSync("python3", [path.join(here, "zipcheck.py"), ...args], { encoding: "utf8" }) || "null");
/** The built-in catalogue's findings of the ring, as `vergleichsring check` gives them. */
const checked = JSON.parse(execFileSync(cli, ["check", ring, "--format", "json"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
const warnings = (m) => checked.filter((f) => f.municipality === m && f.severity === "warning");

let made; // the package the page made
before(() => assert.ok(fs.existsSync(cli), `the CLI at ${cli} (set VR_CLI)`));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test("open errors block the submission, with the reason", async () => {
  await withApp(async (app) => {
    await upload(app.page, path.join(data, "ring-errors", "ring.csv"));
    await app.page.locator('[data-testid="own-select"]').selectOption({ label: "Großbrück" });
    await app.page.locator('[data-testid="year-select"]').selectOption("2022");
    await app.page.click('nav a[href="#pruefung"]');
    const blocked = app.page.locator('[data-testid="submit-blocked"]');
    assert.match(await blocked.textContent(), /Abgabe nicht möglich: 1 Fehler für Großbrück sind noch offen/);
    assert.equal(await app.page.locator('[data-testid="submit-package"]').isDisabled(), true);
    assert.deepEqual(app.foreign, []);
  });
});

test("Prüfung makes the package: uncommented warnings are confirmed, comments go with it", async () => {
  await withApp(async (app, page) => {
    await upload(page, ring);
    await page.locator('[data-testid="own-select"]').selectOption({ label: "Altenmarkt" });
    await page.locator('[data-testid="year-select"]').selectOption(YEAR);
    await page.click('nav a[href="#pruefung"]');
    const own = warnings("Altenmarkt");
    assert.ok(own.length >= 2, "Altenmarkt has warnings to comment on");
    const first = own[0];
    await page.locator(`[data-testid="findings"] [data-code="${first.code}"][data-municipality="Altenmarkt"]` +
      `[data-year="${first.year}"][data-subject="${first.subject}"] textarea`).fill(COMMENT);
    await page.locator('[data-testid="submit-package"]').click();
    const listed = page.locator('[data-testid="uncommented"] li');
    await listed.first().waitFor();
    assert.equal(await listed.count(), own.length - 1);
    assert.deepEqual(await axeViolations(page, ".submit-package"), []);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator('[data-testid="submit-confirm"]').click(),
    ]);
    assert.equal(download.suggestedFilename(), `abgabe-Altenmarkt-${YEAR}.zip`);
    made = path.join(dir, download.suggestedFilename());
    await download.saveAs(made);
    assert.match(await page.locator('[data-testid="submit-done"]').textContent(), /abgabe-Altenmarkt-2024\.zip heruntergeladen/);

    const p = zipcheck(made);
    assert.deepEqual(p.names, ["catalogue.toml", "data.csv", "findings.csv", "load-report.txt", "manifest.json"]);
    assert.equal(p.manifest.format, "vergleichsring-abgabe");
    assert.equal(p.manifest.version, 1);
    assert.equal(p.manifest.municipality, "Altenmarkt");
    assert.equal(p.manifest.year, 2024);
    assert.match(p.manifest.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(p.manifest.files, p.hashes, "every hash in the manifest is the file's SHA-256");
    assert.equal(p.manifest.catalogue.sha256, p.hashes["catalogue.toml"]);
    // data.csv: Altenmarkt's every measure in every year, as the fixture has them.
    const fixture = fs.readFileSync(ring, "utf8").trim().split(/\r?\n/);
    const measures = fixture[0].split(";").length - 2;
    assert.equal(p.data[0], "municipality,code,year,measure,value,reason,flag");
    assert.equal(p.data.length - 1, measures * fixture.filter((l) => l.startsWith("Altenmarkt;")).length);
    assert.equal(p.findings.length - 1, checked.filter((f) => f.municipality === "Altenmarkt").length);
    assert.equal(p.findings.filter((l) => l.includes(COMMENT)).length, 1);
    assert.deepEqual(app.foreign, []);
  });
});

test("a fresh page takes three packages into the ring and refuses a tampered one", async () => {
  assert.ok(made, "the package of the test before");
  const cliPackage = (m) => {
    const out = path.join(dir, `abgabe-${m}-${YEAR}.zip`);
    execFileSync(cli, ["package", ring, "--own", m, "--year", YEAR, "--out", out], { stdio: "ignore" });
    return out;
  };
  const burgdorf = cliPackage("Burgdorf");
  const kirchhain = cliPackage("Kirchhain");
  const tampered = path.join(dir, "abgabe-Rosental-2024-bearbeitet.zip");
  zipcheck("--tamper", cliPackage("Rosental"), tampered);

  await withApp(async (app, page) => {
    const status = await upload(page, made, burgdorf, kirchhain, tampered);
    assert.equal(await status.getAttribute("data-state"), "error", "one package was refused");
    assert.match(await status.textContent(), /Abgabepaket abgabe-Rosental-2024-bearbeitet\.zip abgelehnt: SHA-256 von data\.csv weicht vom Manifest ab/);
    const rows = page.locator('[data-testid="returns"] tbody tr');
    assert.equal(await rows.count(), 3);
    for (const [m, comments] of [["Altenmarkt", 1], ["Burgdorf", 0], ["Kirchhain", 0]]) {
      const row = page.locator(`[data-testid="returns"] tr[data-municipality="${m}"]`);
      assert.equal(await row.getAttribute("data-year"), YEAR, m);
      assert.equal(Number(await row.getAttribute("data-open-warnings")), warnings(m).length - comments, m);
      assert.equal(Number(await row.getAttribute("data-comments")), comments, m);
      assert.match(await row.getAttribute("data-created"), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.match(await row.textContent(), new RegExp(`^${m}${YEAR}\\d\\d\\.\\d\\d\\.\\d{4}, \\d\\d:\\d\\d UTC`));
    }
    assert.deepEqual(await axeViolations(page, '[data-testid="returns"]'), []);
    // The packages' figures are the ring's data now: the KPI table shows the expected values.
    const expected = records(path.join(data, "ring", "expected_kpis.csv"))
      .filter((r) => ["Altenmarkt", "Burgdorf", "Kirchhain"].includes(r.municipality) && r.kpi === "dichte_hlu");
    assert.equal(expected.length, 18);
    for (const r of expected) {
      const cell = page.locator(`[data-testid="kpi-table"] [data-municipality="${r.municipality}"][data-year="${r.year}"][data-kpi="dichte_hlu"]`);
      assert.ok(close(Number(await cell.first().getAttribute("data-value")), Number(r.value)), `${r.municipality} ${r.year}`);
    }
    assert.equal(await page.locator('[data-testid="kpi-table"] [data-municipality="Rosental"]').count(), 0);
    assert.deepEqual(app.foreign, []);
    assert.deepEqual(app.errors, []);
  });
});

test("the collection template from the catalogue equals the CLI's and loads back with its values", async () => {
  await withApp(async (app, page) => {
    await page.click('nav a[href="#kennzahlen"]');
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator('[data-testid="template-csv"]').click(),
    ]);
    assert.equal(download.suggestedFilename(), "erfassungsvorlage.csv");
    const csv = path.join(dir, "erfassungsvorlage.csv");
    await download.saveAs(csv);
    execFileSync(cli, ["template", "--out", path.join(dir, "cli-vorlage")], { stdio: "ignore" });
    const text = fs.readFileSync(csv, "utf8");
    assert.equal(text, fs.readFileSync(path.join(dir, "cli-vorlage", "erfassungsvorlage.csv"), "utf8"));
    // Filled in as a user does in German Excel, then loaded through the file input.
    const columns = text.replace(/^\uFEFF/, "").trim().split(";");
    assert.deepEqual(columns.slice(0, 2), ["Kommune", "Jahr"]);
    const row = (name, i) => [name, "2024", ...columns.slice(2).map((_, j) => `${1000 * (j + 1) + i},5`)].join(";");
    const filled = path.join(dir, "vorlage-gefuellt.csv");
    fs.writeFileSync(filled, `${text.trimEnd()}\r\n${row("Nordstadt", 0)}\r\n${row("Südstadt", 1)}\r\n`);
    const status = await upload(page, filled);
    assert.equal(await status.getAttribute("data-state"), "done");
    assert.equal(await status.getAttribute("data-rows"), "2");
    // Every column loaded as a measure with no setting: a CLI load of the same file agrees.
    const loaded = JSON.parse(execFileSync(cli, ["load", filled, "--format", "json"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
    assert.equal(loaded.length, 2 * (columns.length - 2));
    for (const r of loaded) {
      const j = columns.slice(2).findIndex((c) => c.toLowerCase() === r.measure);
      assert.ok(j >= 0, r.measure);
      assert.equal(r.value, 1000 * (j + 1) + (r.municipality === "Nordstadt" ? 0 : 1) + 0.5, `${r.municipality} ${r.measure}`);
    }
    assert.deepEqual(app.foreign, []);
  });
});
