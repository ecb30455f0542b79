// Peers explained and pseudonyms that hold (issue 17). The similar-peer search shows each
// context key's part of every neighbour's distance with the values core/tests/data/analysis/
// similar.py computed independently, takes a weight per key that a saved session brings back,
// and says how stable the group is.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { axeViolations, close, data, open, records, reloadWithSession, root, saveSession, upload } from "./harness.mjs";

const ring = path.join(data, "ring", "ring.csv");
const expected = records(path.join(root, "core/tests/data/analysis/expected_similar.csv"));
const KEYS = { einwohner: "Einwohner", arbeitslosenquote: "Arbeitslosenquote", einwohner_65: "Einwohner 65+" };

let app;
before(async () => { app = await open(); });
after(async () => { await app?.close(); });

/** The contribution table as { name: { distance, einwohner: …, … } }. */
const parts = (page) => page.locator('[data-testid="contribution-table"] tbody tr').evaluateAll((rows) =>
  rows.map((r) => ({
    name: r.dataset.municipality,
    distance: Number(r.querySelector('[data-stat="distance"]').dataset.value),
    parts: Object.fromEntries([...r.querySelectorAll("td[data-key]")].map((td) => [td.dataset.key, Number(td.dataset.value)])),
  })));

/** The table against similar.py's rows of `kase`: same neighbours in the same order, same figures. */
async function assertCase(page, kase) {
  const want = expected.filter((r) => r.case === kase && r.kind === "neighbour");
  await page.waitForFunction((names) => {
    const got = [...document.querySelectorAll('[data-testid="contribution-table"] tbody tr')].map((r) => r.dataset.municipality);
    return got.join("|") === names;
  }, want.map((w) => w.name).join("|"));
  const got = await parts(page);
  let compared = 0;
  for (const [i, w] of want.entries()) {
    const g = got[i];
    assert.ok(close(g.distance, Number(w.distance)), `${kase} ${w.name} distance ${g.distance} vs ${w.distance}`);
    const shares = w.contributions.split("|").map(Number);
    Object.keys(KEYS).forEach((key, j) => {
      assert.ok(Math.abs(g.parts[key] - shares[j]) <= 1e-9 * Math.max(1, shares[j]), `${kase} ${w.name} ${key}: ${g.parts[key]} vs ${shares[j]}`);
      compared++;
    });
    const sum = Object.values(g.parts).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - g.distance) <= 1e-9, `${kase} ${w.name}: the parts add up`);
  }
  const stay = await page.locator('[data-testid="similar-stability"] li[data-key]').evaluateAll((ls) =>
    Object.fromEntries(ls.map((l) => [l.dataset.key, l.dataset.stay])));
  const wantStay = Object.fromEntries(expected.filter((r) => r.case === kase && r.kind === "without").map((r) => [r.name, r.stay]));
  assert.deepEqual(stay, wantStay, `${kase}: who stays without a key`);
  return compared;
}

const weight = (page, key) => page.locator(`[data-testid="weight-${key}"]`);
async function setWeight(page, key, text) {
  await weight(page, key).fill(text);
  await weight(page, key).press("Tab");
}

test("similar peers: each key's part of the distance, weights, stability, kept in the session", async () => {
  const page = app.page;
  await upload(page, ring);
  await page.locator('[data-testid="own-select"]').selectOption({ label: "Altenmarkt" });
  await page.locator('[data-testid="year-select"]').selectOption("2023");
  await page.click('nav a[href="#vergleich"]');
  await page.locator('input[name="peer-mode"][value="similar"]').check();
  const picker = page.locator(".similar");
  await picker.getByLabel("Anzahl").fill("5");
  await picker.getByLabel("Anzahl").press("Tab");
  // Context: the three measures of similar.py, no KPI.
  const checklist = picker.locator("fieldset.checklist");
  await checklist.locator("summary", { hasText: "Kennzahlen" }).click();
  for (const box of await checklist.locator('input[type="checkbox"]:checked').all()) await box.uncheck();
  for (const label of Object.values(KEYS)) await checklist.getByLabel(label, { exact: true }).check();
  let compared = await assertCase(page, "plain");
  for (const key of Object.keys(KEYS)) assert.equal(await weight(page, key).inputValue(), "1");

  // A weight that is no number is refused with a message and stays in its field.
  await setWeight(page, "einwohner", "zwei");
  assert.equal(await weight(page, "einwohner").getAttribute("aria-invalid"), "true");
  assert.match(await picker.locator('[role="alert"]').textContent(), /„zwei“ ist kein Gewicht/);
  assert.equal(await weight(page, "einwohner").inputValue(), "zwei");
  await setWeight(page, "einwohner", "2");
  await setWeight(page, "arbeitslosenquote", "0,5");
  await setWeight(page, "einwohner_65", "0");
  assert.equal(await picker.locator('[role="alert"]').count(), 0);
  compared += await assertCase(page, "weighted");
  // k − 1 and k + 1 in words.
  const edges = await page.locator('[data-testid="similar-stability"] li[data-edge]').allTextContents();
  const fewer = expected.find((r) => r.case === "weighted" && r.kind === "fewer").name;
  const more = expected.find((r) => r.case === "weighted" && r.kind === "more").name;
  assert.ok(edges.some((e) => e.includes(`fiele ${fewer} heraus`)), edges.join(" / "));
  assert.ok(edges.some((e) => e.includes(`käme ${more} hinzu`)), edges.join(" / "));
  assert.deepEqual(await axeViolations(page, ".peer-group"), []);

  // The weights go into the session file and come back with it in a fresh page.
  const { saved, session } = await saveSession(page, { withData: true });
  assert.deepEqual(session.peers.weights, { einwohner: 2, arbeitslosenquote: 0.5, einwohner_65: 0 });
  await reloadWithSession(page, saved, "ring.csv");
  await page.click('nav a[href="#vergleich"]');
  assert.equal(await weight(page, "arbeitslosenquote").inputValue(), "0,5");
  assert.equal(await weight(page, "einwohner").inputValue(), "2");
  compared += await assertCase(page, "weighted");
  assert.ok(compared >= 45, `${compared} parts compared`);
  assert.deepEqual(app.foreign, []);
  assert.deepEqual(app.errors, []);
});
