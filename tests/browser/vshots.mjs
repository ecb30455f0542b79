import path from "node:path";
import { open, upload, data } from "./harness.mjs";
const out = "/tmp/vcheck-shots";
for (const [width, height] of [[1280, 800], [1024, 768]]) {
  const app = await open({ width, height });
  const p = app.page;
  await upload(p, path.join(data, "ring-errors", "ring.csv"));
  await p.click('nav a[href="#pruefung"]');
  await p.waitForTimeout(300);
  await p.locator('[data-code="yoy_jump"][data-municipality="Altenmarkt"][data-year="2022"] textarea').fill("Neue Einrichtung eröffnet; Zahl geprüft.");
  await p.screenshot({ path: `${out}/pruefung-${width}.png` });
  await p.locator(".findings-section").scrollIntoViewIfNeeded();
  await p.evaluate(() => document.querySelector("#pruefung-befunde").scrollIntoView());
  await p.screenshot({ path: `${out}/pruefung-list-${width}.png` });
  await p.click('nav a[href="#ziele"]');
  await p.locator('[data-testid="targets"]').getByLabel("Kennzahl", { exact: true }).selectOption("dichte_hlu");
  await p.getByLabel("Zielwert", { exact: true }).fill("8");
  await p.getByLabel("Basisjahr", { exact: true }).selectOption("2019");
  await p.getByLabel("Zieljahr", { exact: true }).fill("2027");
  await p.getByRole("button", { name: "Maßnahme hinzufügen" }).click();
  await p.getByLabel("Maßnahme 1", { exact: true }).fill("Fallmanagement ausbauen");
  await p.getByRole("button", { name: "Ziel speichern" }).click();
  await p.waitForTimeout(300);
  await p.evaluate(() => document.querySelector("#ziele").scrollIntoView());
  await p.screenshot({ path: `${out}/ziele-${width}.png` });
  await p.evaluate(() => document.querySelector("#ziele-liste").scrollIntoView());
  await p.screenshot({ path: `${out}/ziele-liste-${width}.png` });
  if (width === 1280) {
    await p.evaluate(() => document.body.classList.add("print-check"));
    await p.emulateMedia({ media: "print" });
    await p.screenshot({ path: `${out}/print.png`, fullPage: true });
    await p.pdf?.({ path: `${out}/print.pdf`, format: "A4" }).catch(() => {});
    await p.emulateMedia({ media: "screen" });
  }
  const sideways = await p.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  console.log(width, "sideways", sideways, "errors", app.errors.length, "foreign", app.foreign.length);
  await app.close();
}
