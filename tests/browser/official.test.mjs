// Two real official exports (population 12411 and Grundsicherung recipients 22151, classic
// GENESIS CSV) dropped together fill the built-in catalogue with no setting (CONTRACT §2
// "Measures and their official sources"): every county's GSiAE-Dichte 2008–2014 as the
// independent expected_official.csv has it. The Zuordnung panel changes what feeds a measure
// by a choice, which the session file keeps and the catalogue saved from it carries as a source.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { axeViolations, close, data, loaded, open, records, reloadWithSession, saveSession, settled, upload } from "./harness.mjs";

let app;
before(async () => {
  app = await open();
  await loaded(app.page);
  const dir = path.join(data, "genesis");
  await upload(app.page, path.join(dir, "12411-01-01-4_00.csv"), path.join(dir, "22151-01-01-4_00.csv"));
  await loaded(app.page, "22151-01-01-4_00.csv");
});
after(async () => { await app?.close(); });

/**
 * Every shown GSiAE-Dichte cell: values by "municipality|year" (a name two regions share has
 * both), once the KPI view (out of sight) caught up with the last change.
 */
async function densities(page) {
  await settled(page);
  const more = page.locator("#kpi-dichte_grusi tr.more button");
  if (await more.count()) await more.click();
  const cells = await page.$$eval('[data-testid="kpi-table"] [data-kpi="dichte_grusi"][data-municipality][data-year]', (els) =>
    els.map((e) => [e.dataset.municipality, e.dataset.year, e.dataset.value ?? ""]));
  const shown = new Map();
  for (const [m, y, v] of cells) shown.set(`${m}|${y}`, [...(shown.get(`${m}|${y}`) ?? []), v]);
  return shown;
}

/** The shown value of one municipality and year (the first region of that name). */
const valueOf = async (page, municipality, year) => (await densities(page)).get(`${municipality}|${year}`)?.[0];

test("the two exports show every expected GSiAE-Dichte without a setting", async () => {
  const want = records(path.join(data, "official", "expected_official.csv"));
  assert.equal(want.length, 3171);
  const shown = await densities(app.page);
  const wrong = want.filter((w) => {
    const values = shown.get(`${w.municipality}|${w.year}`) ?? [];
    return !values.some((v) => v !== "" && close(Number(v), Number(w.value)));
  });
  assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} of ${want.length} expected cells not shown as expected`);
  const panel = app.page.locator('[data-testid="bindings"]');
  assert.equal(await panel.locator('[data-key="einwohner"]').getAttribute("data-state"), "source");
  assert.equal(await panel.locator('[data-key="leistungsberechtigte_grusi"]').getAttribute("data-state"), "source");
  const hlu = panel.locator('[data-key="leistungsberechtigte_hlu"]');
  assert.equal(await hlu.getAttribute("data-state"), "unbound");
  assert.match(await hlu.textContent(), /Merkmal fehlt: leistungsberechtigte_hlu/);
  assert.match(await hlu.textContent(), /Tabelle 22121-01-03-4: Statistik der Empfänger von laufender Hilfe zum Lebensunterhalt/);
  assert.match(await panel.locator('[data-key="einwohner"]').textContent(), /„CSV“ oder „Flat-File CSV“/);
  assert.deepEqual(await axeViolations(app.page, '[data-testid="bindings"]'), []);
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign, []);
});

test("a choice in the Zuordnung panel changes the values; session and saved catalogue keep it", async () => {
  const { page } = app;
  const flensburg = "Flensburg, Kreisfreie Stadt";
  const before = Number(await valueOf(page, flensburg, "2014"));
  assert.ok(close(before, 2188 / 84694 * 1000), `before: ${before}`);
  // Women only: tick „weiblich“, untick „Insgesamt“ of the sex dimension (dim1 of 22151).
  const item = page.locator('[data-testid="bindings"] [data-key="leistungsberechtigte_grusi"]');
  await item.getByRole("checkbox", { name: "weiblich", exact: true }).check();
  await page.locator('[data-testid="bindings"] [data-key="leistungsberechtigte_grusi"]')
    .getByRole("checkbox", { name: "Insgesamt", exact: true }).uncheck();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="bindings"] [data-key="leistungsberechtigte_grusi"]')?.dataset.state === "chosen");
  // The panel is drawn anew on a choice; the keyboard's place stays on the box just changed.
  await page.waitForFunction(() => document.activeElement?.matches('[data-key="leistungsberechtigte_grusi"] input[value="Insgesamt"]'));
  assert.ok(close(Number(await valueOf(page, flensburg, "2014")), 1125 / 84694 * 1000));

  // Saved, the catalogue names the choice as the measure's first source.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Katalog mit Zuordnung speichern (TOML)" }).click(),
  ]);
  const toml = fs.readFileSync(await download.path(), "utf8");
  const grusi = toml.slice(toml.indexOf('key = "leistungsberechtigte_grusi"'));
  assert.match(grusi, /\[\[measure\.source\]\]\nstatistic = "22151"\ntable = "22151-01-01-4"\nmeasure = "empfaenger_von_grundsicherung_insgesamt"\n\n\[measure\.source\.dims\]\ndim1 = "weiblich"/);

  // The choice travels in the session file and binds again when it is loaded.
  const { saved, session } = await saveSession(page, { withData: true });
  assert.deepEqual(session.bindings.leistungsberechtigte_grusi.dims, { dim1: "weiblich" });
  await reloadWithSession(page, saved, "22151-01-01-4_00.csv");
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="bindings"] [data-key="leistungsberechtigte_grusi"]')?.dataset.state === "chosen");
  assert.ok(close(Number(await valueOf(page, flensburg, "2014")), 1125 / 84694 * 1000));

  // Back to the catalogue's source by the select (a keyboard-usable control with a name).
  const select = page.locator('[data-testid="bindings"] [data-key="leistungsberechtigte_grusi"] select');
  assert.equal(await select.getAttribute("aria-label"), "Spalte für „Leistungsberechtigte GSiAE (4. Kapitel SGB XII)“");
  await select.selectOption({ label: "automatisch (Quelle des Katalogs)" });
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="bindings"] [data-key="leistungsberechtigte_grusi"]')?.dataset.state === "source");
  assert.ok(close(Number(await valueOf(page, flensburg, "2014")), before));

  // English: the panel follows the switch.
  await page.locator("button.lang[lang=en]").click();
  assert.equal(await page.locator("#bindings-heading").textContent(), "Mapping");
  assert.match(await page.locator('[data-testid="bindings"] [data-key="leistungsberechtigte_hlu"]').textContent(), /measure missing: leistungsberechtigte_hlu/);
  await page.locator("button.lang[lang=de]").click();
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign, []);
});
