// The workshop on a projector (issue 7): presenting fills the screen exactly — no scrolling at
// 1024 × 768, 1280 × 800 or 1920 × 1080, the chart inside the window — for ranking, time series
// and distribution; the keys step through charts and KPIs while the shown values stay those of
// expected_compare.csv; KPI and year stay selectable live; Escape leaves and gives the focus
// back. A ring of 64 municipalities shows an excerpt of its ranking that says what it leaves out.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { axeViolations, chartTable, close, data, open, records, root, upload } from "./harness.mjs";

const shots = process.env.VR_SHOTS || path.join(root, "target", "shots");
const quirks = path.join(data, "ring-quirks");

const compare = records(path.join(quirks, "expected_compare.csv"));
const { own, year } = compare[0];

let app;
before(async () => {
  app = await open({ width: 1024, height: 768 });
  fs.mkdirSync(shots, { recursive: true });
});
after(async () => { await app?.close(); });

const stage = () => app.page.locator('[data-testid="workshop"]');
const shown = () => app.page.evaluate(() => {
  const s = document.querySelector('[data-testid="workshop"]');
  return { kpi: s.querySelector(".slide")?.dataset.kpi, chart: s.dataset.chart };
});

/** The slide's own value and median against expected_compare.csv. */
async function assertFigures() {
  const { kpi } = await shown();
  const want = compare.find((r) => r.own === own && r.year === year && r.kpi === kpi);
  assert.ok(want, `expected_compare.csv has ${kpi}`);
  for (const [testid, field] of [["workshop-own", "own_value"], ["workshop-median", "median"]]) {
    const got = await app.page.locator(`[data-testid="${testid}"]`).getAttribute("data-value");
    if (want[field] === "") assert.equal(got, "", `${kpi} ${field} missing`);
    else assert.ok(close(Number(got), Number(want[field])), `${kpi} ${field}: ${got} != ${want[field]}`);
  }
}

/** Nothing to scroll: not the page, not the stage; the chart lies inside the window. */
async function assertFits(what) {
  await app.page.waitForFunction(() => {
    const svg = document.querySelector('[data-testid="workshop"] .chart-fit svg');
    return svg && svg.getBoundingClientRect().height > 100;
  });
  const m = await app.page.evaluate(() => {
    const s = document.querySelector('[data-testid="workshop"]');
    const box = s.querySelector(".chart-fit svg").getBoundingClientRect();
    return {
      scroll: document.documentElement.scrollHeight, inner: innerHeight, width: innerWidth,
      stage: [s.scrollHeight, s.clientHeight],
      box: [box.top, box.bottom, box.left, box.right],
      outside: [...s.querySelectorAll(".chart-fit svg text")].filter((t) => {
        const r = t.getBoundingClientRect();
        return r.top < box.top - 1 || r.bottom > box.bottom + 1 || r.left < box.left - 1 || r.right > box.right + 1;
      }).map((t) => t.textContent),
      smallest: Math.min(...[...s.querySelectorAll(".chart-fit svg text")].map((t) => t.getBoundingClientRect().height)),
    };
  });
  assert.ok(m.scroll <= m.inner, `${what}: page scrolls (${m.scroll} > ${m.inner})`);
  assert.ok(m.stage[0] <= m.stage[1], `${what}: stage scrolls (${m.stage})`);
  const [top, bottom, left, right] = m.box;
  assert.ok(top >= 0 && bottom <= m.inner && left >= 0 && right <= m.width, `${what}: chart outside the window ${m.box}`);
  assert.deepEqual(m.outside, [], `${what}: labels outside the chart`);
  assert.ok(m.smallest >= 14, `${what}: type of ${m.smallest} px is too small for a projector`);
}

test("the workshop presents ring-quirks and fills 1024 × 768 without scrolling", async () => {
  await upload(app.page, path.join(quirks, "ring.csv"));
  await app.page.locator('[data-testid="own-select"]').selectOption({ label: own });
  await app.page.locator('[data-testid="year-select"]').selectOption(year);
  await app.page.click('nav a[href="#workshop"]');
  await app.page.locator('[data-testid="workshop-start"]').click();
  await app.page.waitForFunction(() => document.querySelector('[data-testid="workshop"]').classList.contains("presenting"));
  await assertFigures();
  for (const chart of ["ranking", "series", "distribution"]) {
    assert.equal((await shown()).chart, chart);
    await assertFits(`1024 × 768 ${chart}`);
    await app.page.screenshot({ path: path.join(shots, `workshop-1024-${chart}.png`) });
    await app.page.keyboard.press("ArrowRight");
  }
});

test("keys step through the charts and KPIs; the figures stay the fixture's", async () => {
  // ausgaben_je_ew and nettoausgaben_je_ew follow each other in the catalogue and the fixture.
  await app.page.locator('[data-testid="workshop-kpi"]').selectOption("ausgaben_je_ew");
  await stage().getByRole("button", { name: "Verteilung" }).click();
  await assertFigures();
  await app.page.keyboard.press("ArrowRight");
  assert.deepEqual(await shown(), { kpi: "nettoausgaben_je_ew", chart: "ranking" }, "→ after the last chart goes to the next KPI");
  await assertFigures();
  await stage().focus();
  await app.page.keyboard.press(" ");
  assert.deepEqual(await shown(), { kpi: "nettoausgaben_je_ew", chart: "series" }, "space steps on");
  await app.page.keyboard.press("ArrowDown");
  assert.deepEqual(await shown(), { kpi: "nettoausgaben_je_lb", chart: "series" }, "↓ goes to the next KPI, same chart");
  await app.page.keyboard.press("ArrowUp");
  assert.deepEqual(await shown(), { kpi: "nettoausgaben_je_ew", chart: "series" }, "↑ goes back");
  await assertFigures();
  await app.page.keyboard.press("PageUp");
  assert.equal((await shown()).chart, "ranking", "PageUp steps back");
  await app.page.keyboard.press("ArrowLeft");
  assert.deepEqual(await shown(), { kpi: "ausgaben_je_ew", chart: "distribution" }, "← before the first chart goes to the KPI before");
  await assertFigures();
});

test("KPI, year and chart can be picked live; keys in a choice stay the choice's", async () => {
  await app.page.locator('[data-testid="workshop-kpi"]').selectOption("dichte_grusi_65");
  assert.equal((await shown()).kpi, "dichte_grusi_65");
  await assertFigures();
  await app.page.locator('[data-testid="workshop-kpi"]').focus();
  await app.page.keyboard.press("ArrowRight");
  assert.equal((await shown()).chart, "distribution", "→ in the KPI choice does not step");
  await stage().getByRole("button", { name: "Rangfolge" }).click();
  assert.equal((await shown()).chart, "ranking");
  assert.equal(await stage().getByRole("button", { name: "Rangfolge" }).getAttribute("aria-pressed"), "true");
  await assertFits("ranking chosen");
  const later = String(Number(year) + 1);
  await app.page.locator('[data-testid="workshop-year"]').selectOption(later);
  await app.page.waitForFunction((y) => document.querySelector('[data-testid="workshop"] .slide-title')?.textContent.includes(y), later);
  assert.equal(await app.page.locator('[data-testid="year-select"]').inputValue(), later, "the year steers every view");
  await app.page.locator('[data-testid="workshop-year"]').selectOption(year);
});

test("the fit follows the screen: 1280 × 800 and 1920 × 1080", async () => {
  for (const [width, height] of [[1280, 800], [1920, 1080]]) {
    await app.page.setViewportSize({ width, height });
    for (const chart of ["Rangfolge", "Zeitreihe", "Verteilung"]) {
      await stage().getByRole("button", { name: chart }).click();
      await app.page.waitForTimeout(100);
      await assertFits(`${width} × ${height} ${chart}`);
    }
    await app.page.screenshot({ path: path.join(shots, `workshop-${width}.png`) });
  }
  await app.page.setViewportSize({ width: 1024, height: 768 });
});

test("Escape leaves the presentation and the focus returns to its start button", async () => {
  await app.page.locator('[data-testid="workshop"] .chart-fit svg .mark').first().focus();
  await app.page.keyboard.press("Escape");
  await app.page.waitForFunction(() => !document.querySelector('[data-testid="workshop"]').classList.contains("presenting"));
  await app.page.waitForFunction(() => document.activeElement?.dataset.testid === "workshop-start");
  assert.ok(await app.page.locator(".app-header").isVisible(), "the page is back");
  await app.page.keyboard.press("ArrowRight");
  assert.equal(await app.page.locator('[data-testid="workshop-start"]').isVisible(), true);
});

test("a ring of 64 municipalities: the ranking shows top, bottom and the own one's neighbours", async () => {
  // Four copies of the clean ring under other names, the recipients scaled so that they interleave.
  const [head, ...rows] = fs.readFileSync(path.join(data, "ring", "ring.csv"), "utf8").trim().split(/\r?\n/);
  const counts = head.split(";").flatMap((c, i) => (c.startsWith("Leistungsberechtigte") ? [i] : []));
  const big = [head];
  ["", " II", " III", " IV"].forEach((suffix, k) => {
    for (const row of rows) {
      const f = row.split(";");
      f[0] += suffix;
      for (const i of counts) f[i] = String(Math.round(Number(f[i]) * (1 + 0.07 * k)));
      big.push(f.join(";"));
    }
  });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vr-workshop-")), "ring64.csv");
  fs.writeFileSync(file, big.join("\n") + "\n");
  await upload(app.page, file);
  await app.page.locator('[data-testid="workshop-kpi"]').selectOption("dichte_hlu");
  await app.page.locator('[data-testid="workshop-start"]').click();
  await stage().getByRole("button", { name: "Rangfolge" }).click();
  await assertFits("64 municipalities");
  const drawn = await app.page.evaluate(() => {
    const svg = document.querySelector('[data-testid="workshop"] .chart-fit svg');
    return {
      bars: svg.querySelectorAll(".mark").length,
      own: svg.querySelectorAll(".mark.own").length,
      gaps: [...svg.querySelectorAll("text.gap")].map((t) => t.textContent),
    };
  });
  assert.equal(drawn.own, 1, "the own municipality is shown");
  assert.ok(drawn.gaps.length >= 1, "gaps are marked");
  const left = drawn.gaps.map((g) => Number(g.match(/(\d+) weitere/)[1])).reduce((a, b) => a + b, 0);
  await app.page.screenshot({ path: path.join(shots, "workshop-1024-64.png") });
  const table = await (await chartTable(stage().locator("figure.chart"))).locator("tbody tr").count();
  assert.equal(drawn.bars + left, table, "shown plus left out are all of the table's rows");
  await app.page.keyboard.press("Escape");
});

test("axe-core finds nothing serious in any chart of the presentation", async () => {
  await app.page.locator('[data-testid="workshop-start"]').click();
  for (const chart of ["Rangfolge", "Zeitreihe", "Verteilung"]) {
    await stage().getByRole("button", { name: chart }).click();
    await app.page.locator('[data-testid="workshop"] .chart-fit svg').waitFor();
    assert.deepEqual(await axeViolations(app.page, '[data-testid="workshop"]'), [], chart);
  }
  await app.page.keyboard.press("Escape");
});

test("no request beyond the app's files, no page errors", () => {
  assert.deepEqual(app.foreign, []);
  assert.deepEqual(app.errors, []);
});
