// Kennzahlen view: after uploading ring-quirks/ring.csv the KPI sheets show the independently
// computed values of expected_kpis.csv; a typed formula error shows its position; the catalogue
// editor applies a new KPI, keeps a broken draft, and saves and loads the catalogue as TOML.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { axeViolations, close, data, open, records, upload } from "./harness.mjs";

const quirks = path.join(data, "ring-quirks");

async function cells(page) {
  return page.$$eval('[data-testid="kpi-table"] [data-kpi][data-municipality][data-year]', (els) =>
    els.map((e) => ({ m: e.dataset.municipality, y: e.dataset.year, k: e.dataset.kpi, v: e.dataset.value, text: e.textContent })));
}

test("KPI sheets equal expected_kpis.csv, formula errors point at their column, catalogue round trip", async () => {
  const app = await open();
  const { page } = app;
  try {
    await upload(page, path.join(quirks, "ring.csv"));
    await page.click('nav a[href="#kennzahlen"]');

    // The compact monitoring first: core KPIs only, the rest one click away.
    const core = new Set((await cells(page)).map((c) => c.k));
    await page.getByRole("button", { name: "Alle Kennzahlen anzeigen" }).click();
    const shown = await cells(page);
    const all = new Set(shown.map((c) => c.k));
    assert.ok(all.size > core.size, `all KPIs (${all.size}) more than core (${core.size})`);

    const want = records(path.join(quirks, "expected_kpis.csv"));
    const got = new Map(shown.map((c) => [`${c.m}|${c.y}|${c.k}`, c]));
    let seen = 0;
    for (const w of want) {
      const g = got.get(`${w.municipality}|${w.year}|${w.kpi}`);
      if (!g) continue;
      seen++;
      if (w.value === "") {
        assert.equal(g.v, "", `${w.municipality} ${w.year} ${w.kpi} missing`);
        assert.ok(g.text.trim().length > 0 && !/NaN/.test(g.text), `reason shown: ${g.text}`);
      } else {
        assert.ok(close(Number(g.v), Number(w.value)), `${w.municipality} ${w.year} ${w.kpi}: ${g.v} vs ${w.value}`);
        assert.match(g.text, /^-?[\d.]+(,\d+)?$/, `German number: ${g.text}`);
      }
    }
    assert.equal(seen, want.length, "every expected cell is shown");

    // The reasons of missing values follow the language switch.
    const reasonOf = () => page.locator('[data-testid="kpi-table"] td[data-value=""] .reason').first().textContent();
    const german = await reasonOf();
    await page.locator("button.lang[lang=en]").click();
    const english = await reasonOf();
    assert.notEqual(english, german, `reason "${german}" worded in English`);
    assert.match(english, /^(empty|unknown\/confidential|not yet available|not reliable enough|locked|not stated|not a number: .*|division by 0|not in the data|no previous year)$/);
    await page.locator("button.lang[lang=de]").click();
    assert.equal(await reasonOf(), german);

    // Sorting by a year's value: the header says so, the column is ordered, missing last.
    const sheet = page.locator("#kpi-dichte_hlu");
    await sheet.getByRole("button", { name: /^2023/ }).click();
    assert.equal(await sheet.locator("th", { hasText: "2023" }).getAttribute("aria-sort"), "ascending");
    const column = await sheet.locator('td[data-year="2023"]').evaluateAll((els) => els.map((e) => e.dataset.value));
    const numbers = column.filter((v) => v !== "").map(Number);
    assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b));
    assert.ok(column.indexOf("") === -1 || column.slice(column.indexOf("")).every((v) => v === ""));

    // Filters: one KPI, a year range, a name; then back to everything.
    const controls = page.locator(".kpi-controls");
    await controls.getByLabel("Kennzahl", { exact: true }).selectOption("dichte_hlu");
    await controls.getByLabel("Jahre von", { exact: true }).selectOption("2022");
    await controls.getByLabel("Kommune suchen").fill("burg");
    const filtered = await cells(page);
    assert.ok(filtered.length > 0);
    assert.ok(filtered.every((c) => c.k === "dichte_hlu" && Number(c.y) >= 2022 && /burg/i.test(c.m)), JSON.stringify(filtered.slice(0, 3)));
    await controls.getByLabel("Kennzahl", { exact: true }).selectOption("");
    await controls.getByLabel("Jahre von", { exact: true }).selectOption("");
    await controls.getByLabel("Kommune suchen").fill("");
    assert.equal((await cells(page)).length, shown.length);

    // A formula typed with an error shows the message and the position.
    const formula = page.locator("#kpi-formel");
    await formula.fill("leistungsberechtigte_hlu / einwohnr * 1000");
    const check = page.locator("#kpi-formel-pruefung");
    await assert.doesNotReject(check.getByText("Zeichen 28").waitFor({ timeout: 5000 }));
    assert.match(await check.textContent(), /einwohnr/);
    assert.equal(await formula.getAttribute("aria-invalid"), "true");
    assert.match(await formula.getAttribute("aria-describedby"), /kpi-formel-pruefung/);
    await formula.fill("leistungsberechtigte_hlu / * 1000");
    await check.getByText("Zeichen 28").waitFor({ timeout: 5000 });
    // Applying a broken draft changes nothing and loses nothing.
    await page.getByRole("button", { name: "Kennzahl übernehmen" }).click();
    assert.match(await page.locator(".editor").first().textContent(), /Nicht übernommen/);
    assert.equal(await formula.inputValue(), "leistungsberechtigte_hlu / * 1000");

    // A new KPI, applied, shows in the table at once.
    await page.locator("#kpi-editor-wahl").selectOption("");
    await page.locator("#kpi-id").fill("anteil_65_test");
    await page.locator("#kpi-label").fill("Anteil 65+ (Test)");
    await formula.fill("einwohner_65 / einwohner * 100");
    await check.getByText("Formel gültig").waitFor({ timeout: 5000 });
    await page.locator("#kpi-einheit").fill("%");
    await page.locator("#kpi-stellen").fill("1");
    await page.getByRole("button", { name: "Kennzahl übernehmen" }).click();
    const added = await page.$$eval('[data-kpi="anteil_65_test"][data-municipality]', (els) =>
      els.map((e) => [e.dataset.municipality, e.dataset.year, e.dataset.value]));
    const reference = new Map((await cells(page)).filter((c) => c.k === "anteil_einwohner_65").map((c) => [`${c.m}|${c.y}`, c.v]));
    assert.equal(added.length, reference.size);
    for (const [m, y, v] of added) assert.equal(v, reference.get(`${m}|${y}`), `${m} ${y}`);

    // Save as TOML (a blob: download), load it again, and a broken file names line and column.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Katalog speichern (TOML)" }).click()]);
    const saved = fs.readFileSync(await download.path(), "utf8");
    assert.match(saved, /id = "anteil_65_test"/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vr-kpis-"));
    fs.writeFileSync(path.join(dir, "katalog.toml"), saved);
    fs.writeFileSync(path.join(dir, "kaputt.toml"), saved.replace('better = "lower"', 'besser = "lower"'));
    await page.locator("#catalogue-input").setInputFiles(path.join(dir, "kaputt.toml"));
    await page.getByText(/Katalog kaputt\.toml nicht geladen: .*Zeile \d+, Spalte \d+/).waitFor({ timeout: 5000 });
    await page.getByRole("button", { name: "Eingebauten Katalog wiederherstellen" }).click();
    assert.equal(await page.locator('[data-kpi="anteil_65_test"]').count(), 0);
    await page.locator("#catalogue-input").setInputFiles(path.join(dir, "katalog.toml"));
    await page.getByText("Katalog aus katalog.toml geladen.").waitFor({ timeout: 5000 });
    assert.equal(await page.locator('[data-kpi="anteil_65_test"][data-municipality]').count(), added.length);

    assert.deepEqual(await axeViolations(page, "#kennzahlen"), []);
    assert.deepEqual(app.foreign, [], "no request beyond the served files");
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test("a ring of many municipalities shows 60 rows per sheet until asked, and a KPI without its measures says so", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vr-kpis-"));
  const file = path.join(dir, "gross.csv");
  const rows = ["Kommune;Jahr;Einwohner;Leistungsberechtigte HLU"];
  for (let m = 0; m < 70; m++) rows.push(`Stadt ${String(m).padStart(2, "0")};2024;${10000 + m * 100};${20 + m}`);
  fs.writeFileSync(file, rows.join("\n") + "\n");
  const app = await open();
  const { page } = app;
  try {
    await upload(page, file);
    const sheet = page.locator("#kpi-dichte_hlu");
    assert.equal(await sheet.locator("td[data-kpi]").count(), 60);
    await sheet.getByRole("button", { name: "Alle 70 Kommunen anzeigen (bisher 60)" }).click();
    const values = await sheet.locator("td[data-kpi]").evaluateAll((els) => els.map((e) => [e.dataset.municipality, Number(e.dataset.value)]));
    assert.equal(values.length, 70);
    for (const [name, value] of values) {
      const m = Number(name.slice(6));
      assert.ok(close(value, (20 + m) / (10000 + m * 100) * 1000), `${name}: ${value}`);
    }
    // Expenses are not in this file: the sheet says what is missing instead of 70 empty rows.
    const expenses = page.locator("#kpi-ausgaben_je_ew");
    assert.equal(await expenses.locator("td[data-kpi]").count(), 0);
    assert.match(await expenses.locator(".not-computable").textContent(), /ausgaben_hlu/);
    assert.deepEqual(app.foreign, []);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
