// Accessibility of the built app: axe-core finds no serious or critical WCAG 2.1 AA violation in
// any view (with the demo, after an upload, in English), the views are reachable by keyboard,
// and the language switch changes the page's language.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { axeViolations, data, loaded, open, upload } from "./harness.mjs";

const views = ["daten", "kennzahlen", "vergleich", "dashboard", "karte", "pruefung", "ziele", "workshop"];

let app;
before(async () => {
  app = await open();
  await loaded(app.page);
});
after(async () => { await app?.close(); });

const violations = (selector) => axeViolations(app.page, selector);

async function everyView(when) {
  assert.deepEqual(await violations("header"), [], `header ${when}`);
  for (const view of views) {
    await app.page.locator(`nav a[href="#${view}"]`).click();
    assert.deepEqual(await violations(`#${view}`), [], `${view} ${when}`);
  }
}

test("no serious or critical violation in any view with the demo ring", async () => {
  await everyView("with the demo");
});

test("no serious or critical violation after an upload", async () => {
  await upload(app.page, path.join(data, "ring-quirks", "ring.csv"));
  await everyView("after the upload");
});

test("the navigation is reachable by keyboard, in the order of the views", async () => {
  // Start where a keyboard user starts, at the top of the page: the body cannot take focus, so
  // the last clicked view link would stay the starting point; a click on the (unfocusable) app
  // name moves it to the header.
  await app.page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  await app.page.locator(".app-header .app-name").click();
  const reached = [];
  for (let i = 0; i < 20 && reached.length < views.length; i++) {
    await app.page.keyboard.press("Tab");
    const href = await app.page.evaluate(() => document.activeElement?.closest("nav")
      ? document.activeElement.getAttribute("href") : null);
    if (href) reached.push(href.slice(1));
  }
  assert.deepEqual(reached, views);
  await app.page.keyboard.press("Enter");
  assert.equal(await app.page.locator('nav a[aria-current]').getAttribute("href"), "#workshop");
});

test("the language switch turns the page English and back", async () => {
  await app.page.getByRole("button", { name: "English" }).click();
  assert.equal(await app.page.getAttribute("html", "lang"), "en");
  assert.equal(await app.page.locator('nav a[href="#daten"]').textContent(), "Data");
  await everyView("in English");
  await app.page.getByRole("button", { name: "Deutsch" }).click();
  assert.equal(await app.page.getAttribute("html", "lang"), "de");
  assert.equal(await app.page.locator('nav a[href="#daten"]').textContent(), "Daten");
});

test("no page errors", () => {
  assert.deepEqual(app.errors, []);
  assert.deepEqual(app.foreign, []);
});
