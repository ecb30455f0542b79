// The analysis aids in the built app (issue 17): the Vergleich view's funnel plot draws every
// member at the figures `vergleichsring funnel` prints (value, denominator, pooled value, the
// 95 % and 99.8 % limits, notable), with its table alternative; Prüfung counts the notable
// warnings as `vergleichsring check` marks them, lists them first in each group and filters them;
// the KPI sheet's change split adds up. The CLI is the release binary (VR_CLI, or the one in
// $CARGO_TARGET_DIR).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { axeViolations, chartTable, close, data, open, upload } from "./harness.mjs";

const target = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), ".cache/vergleichsring-target");
const cli = process.env.VR_CLI || path.join(target, "release/vergleichsring");
const run = (...args) => JSON.parse(execFileSync(cli, [...args, "--format", "json"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
const runCheck = (file) => {
  try {
    return JSON.parse(execFileSync(cli, ["check", file, "--format", "json"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  } catch (e) {
    // Exit 1: findings of severity error; the records are printed all the same.
    return JSON.parse(e.stdout);
  }
};

const ring = path.join(data, "ring", "ring.csv");
const errors = path.join(data, "ring-errors", "ring.csv");
const OWN = "Altenmarkt";
const YEAR = "2023";

let app;
before(async () => {
  assert.ok(fs.existsSync(cli), `the CLI at ${cli} (set VR_CLI)`);
  app = await open();
});
after(async () => { await app?.close(); });

test("funnel points and limits equal `vergleichsring funnel` for every funnel KPI", async () => {
  const page = app.page;
  await upload(page, ring);
  await page.locator('[data-testid="own-select"]').selectOption({ label: OWN });
  await page.locator('[data-testid="year-select"]').selectOption(YEAR);
  await page.click('nav a[href="#vergleich"]');
  const select = page.locator('[data-testid="funnel-kpi"]');
  const kpis = await select.locator("option").evaluateAll((os) => os.map((o) => o.value));
  assert.ok(kpis.includes("dichte_hlu") && kpis.includes("ambulant_quote_hzp"), kpis.join());
  let compared = 0;
  for (const kpi of kpis) {
    const want = run("funnel", ring, "--kpi", kpi, "--year", YEAR).filter((r) => r.value !== null);
    if (want.length === 0) continue;
    await select.selectOption(kpi);
    await page.waitForFunction((n) =>
      document.querySelectorAll('[data-testid="funnel-point"]').length === n, want.length);
    const points = await page.locator('[data-testid="funnel-point"]').evaluateAll((ps) => ps.map((p) => ({ ...p.dataset })));
    for (const w of want) {
      const p = points.find((x) => x.municipality === w.municipality);
      assert.ok(p, `${kpi} ${w.municipality}: a point`);
      for (const f of ["value", "denominator", "lower95", "upper95", "lower998", "upper998"]) {
        assert.ok(close(Number(p[f]), w[f]), `${kpi} ${w.municipality} ${f}: ${p[f]} vs ${w[f]}`);
        compared++;
      }
      assert.equal(p.notable, String(w.notable), `${kpi} ${w.municipality} notable`);
    }
    const pooled = await page.locator('[data-testid="funnel-pooled"]').getAttribute("data-value");
    assert.ok(close(Number(pooled), want[0].pooled), `${kpi} pooled ${pooled} vs ${want[0].pooled}`);
    // Four limit lines, and the table alternative lists every member.
    assert.equal(await page.locator('[data-testid="funnel-limit"]').count(), 4);
    const funnel = page.locator("figure.chart", { has: page.locator('[data-testid="funnel-pooled"]') });
    assert.equal(await (await chartTable(funnel, '[data-testid="funnel-table"]')).locator("tbody tr").count(), want.length);
  }
  assert.ok(compared > 100, `${compared} figures compared`);
  // Marks are reachable by keyboard and read out their verdict.
  const first = page.locator('[data-testid="funnel-point"]').first();
  await first.focus();
  assert.match(await first.getAttribute("aria-label"), /(statistisch auffällig|zufälliger Schwankung|zwischen 95)/);
  assert.deepEqual(await axeViolations(page, '[data-testid="funnel"]'), []);
});

/** The ranking chart of the KPI labelled `label` inside `where`. */
const rankingFigure = (where, label) => where.locator("figure.chart", { hasText: label }).filter({ hasText: "Rangfolge" });

/** The ranking table's members as shown ("◆ " taken off the own one) → data-notable. */
const rankingMarks = (table) => table.locator("tbody tr").evaluateAll((rows) => rows
  .filter((r) => r.querySelector("td[data-value]"))
  .map((r) => [r.querySelector("th").textContent.replace(/^◆ /, ""), r.querySelector("td[data-notable]")?.dataset.notable ?? null,
    r.querySelector("td[data-notable]")?.textContent ?? null]));

/** Checks a ranking table against `vergleichsring funnel`'s records of the KPI; returns how many were notable. */
function assertMarks(rows, want, where) {
  assert.equal(rows.length, want.length, `${where}: every member with a value is ranked`);
  let notable = 0;
  for (const [name, mark, words] of rows) {
    const w = want.find((r) => r.municipality === name);
    assert.ok(w, `${where}: ${name} is in the funnel`);
    assert.equal(mark, String(w.notable), `${where} ${name}`);
    assert.equal(words, w.notable ? "statistisch auffällig" : "", `${where} ${name}: the words`);
    if (w.notable) notable++;
  }
  return notable;
}

test("rankings and the workshop say „statistisch auffällig“ exactly where `vergleichsring funnel` says notable", async () => {
  const page = app.page;
  await page.click('nav a[href="#vergleich"]');
  const charts = page.locator("section.compare-charts");
  const options = await page.locator('[data-testid="funnel-kpi"] option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  let notable = 0, members = 0;
  const own = {};
  for (const [kpi, label] of options) {
    const want = run("funnel", ring, "--kpi", kpi, "--year", YEAR).filter((r) => r.value !== null);
    if (want.length === 0) continue;
    own[kpi] = want.find((r) => r.municipality === OWN)?.notable;
    await charts.getByLabel("Kennzahl der Grafiken").selectOption(kpi);
    const table = await chartTable(rankingFigure(charts, label), '[data-testid="ranking-table"]');
    notable += assertMarks(await rankingMarks(table), want, `Vergleich ${kpi}`);
    members += want.length;
    // The drawn bars carry the same verdict in their spoken label.
    const bars = table.locator("xpath=ancestor::figure").locator("g.mark[data-notable=true]");
    for (const label of await bars.evaluateAll((gs) => gs.map((g) => g.getAttribute("aria-label")))) {
      assert.match(label, /statistisch auffällig/);
    }
  }
  // The test can fail both ways: the ring has notable and not notable members.
  assert.ok(notable > 0 && notable < members, `${notable} of ${members} notable`);
  // A KPI without funnel limits marks nobody.
  const kpiSelect = charts.getByLabel("Kennzahl der Grafiken");
  await kpiSelect.selectOption("ausgaben_je_ew");
  const plainLabel = await kpiSelect.locator('option[value="ausgaben_je_ew"]').textContent();
  const plain = await chartTable(rankingFigure(charts, plainLabel), '[data-testid="ranking-table"]');
  assert.equal(await plain.locator("[data-notable]").count(), 0);

  await page.click('nav a[href="#workshop"]');
  const stage = page.locator('[data-testid="workshop"]');
  for (const [kpi, label] of options) {
    if (own[kpi] === undefined) continue;
    await page.locator('[data-testid="workshop-kpi"]').selectOption(kpi);
    await stage.locator(`article.slide[data-kpi="${kpi}"]`).waitFor();
    const want = run("funnel", ring, "--kpi", kpi, "--year", YEAR).filter((r) => r.value !== null);
    const table = await chartTable(rankingFigure(stage, label), '[data-testid="ranking-table"]');
    assertMarks(await rankingMarks(table), want, `Workshop ${kpi}`);
    const words = stage.locator('[data-testid="workshop-notable"]');
    assert.equal(await words.getAttribute("data-notable"), String(own[kpi]), `Workshop ${kpi}: own`);
    assert.equal(await words.textContent(), own[kpi] ? "statistisch auffällig" : "nicht statistisch auffällig");
  }
  await page.locator('[data-testid="workshop-kpi"]').selectOption("ausgaben_je_ew");
  await stage.locator('article.slide[data-kpi="ausgaben_je_ew"]').waitFor();
  assert.equal(await stage.locator('[data-testid="workshop-notable"]').count(), 0, "no verdict without funnel limits");
});

test("the KPI sheet's change split adds up to the change `vergleichsring change` prints", async () => {
  const page = app.page;
  await page.click('nav a[href="#kennzahlen"]');
  const want = run("change", ring, "--own", OWN, "--from", "2019", "--to", YEAR);
  const split = page.locator('#kpi-dichte_hlu [data-testid="change-split"]');
  await split.waitFor();
  const d = await split.evaluate((el) => ({ ...el.dataset }));
  assert.equal(d.from, "2019");
  assert.equal(d.to, YEAR);
  const w = want.find((r) => r.kpi === "dichte_hlu");
  for (const [attr, field] of [["change", "change"], ["numeratorEffect", "numerator_effect"], ["denominatorEffect", "denominator_effect"]]) {
    assert.ok(close(Number(d[attr]), w[field]), `${field}: ${d[attr]} vs ${w[field]}`);
  }
  assert.ok(close(Number(d.numeratorEffect) + Number(d.denominatorEffect), Number(d.change)));
  assert.match(await split.textContent(), /Leistungsberechtigte HLU [+-]?\d/);
});

test("Prüfung: the notable count, notable findings first, and the filter", async () => {
  // A fresh page: a second upload would be merged with the first ring.
  await app.close();
  app = await open();
  const page = app.page;
  await upload(page, errors);
  await page.click('nav a[href="#pruefung"]');
  const records = runCheck(errors);
  const notable = records.filter((r) => r.notable === true);
  const warnings = records.filter((r) => r.severity === "warning");
  assert.ok(notable.length > 0, "the error ring has notable jumps");
  const count = page.locator('[data-testid="notable-count"]');
  assert.equal(await count.getAttribute("data-notable"), String(notable.length));
  assert.equal(await count.getAttribute("data-warnings"), String(warnings.length));
  assert.match(await count.textContent(), new RegExp(`${warnings.length} Warnungen, davon ${notable.length} statistisch auffällig`));
  // In each group the notable findings come before the others.
  const groups = await page.locator('[data-testid="findings"] .finding-group').evaluateAll((gs) =>
    gs.map((g) => [...g.querySelectorAll("[data-code]")].map((f) => f.dataset.notable)));
  for (const g of groups) {
    const firstOther = g.findIndex((n) => n !== "true");
    assert.ok(firstOther === -1 || g.slice(firstOther).every((n) => n !== "true"), g.join());
  }
  // Every finding the CLI calls notable carries it on the page.
  for (const r of notable) {
    const item = page.locator(`[data-testid="findings"] [data-code="${r.code}"][data-municipality="${r.municipality}"][data-year="${r.year}"][data-subject="${r.subject}"]`);
    assert.equal(await item.getAttribute("data-notable"), "true", `${r.code} ${r.municipality} ${r.year} ${r.subject}`);
  }
  await page.locator('[data-testid="filter-notable"]').check();
  const shown = page.locator('[data-testid="findings"] [data-code]');
  assert.equal(await shown.count(), notable.length);
  assert.deepEqual([...new Set(await shown.evaluateAll((fs) => fs.map((f) => f.dataset.notable)))], ["true"]);
  await page.locator('[data-testid="filter-notable"]').uncheck();
  assert.equal(await shown.count(), records.length);
});
