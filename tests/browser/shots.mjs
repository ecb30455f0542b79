// Screenshots of every view at 1280×800 and at a projector's 1024×768, and of the workshop's
// presentation (each chart) also at 1920×1080, for looking at what was built:
//   node tests/browser/shots.mjs [OUT_DIR] [CSV…]   (default OUT_DIR target/shots)
import fs from "node:fs";
import path from "node:path";
import { open, root, upload } from "./harness.mjs";

const [out = path.join(root, "target", "shots"), ...files] = process.argv.slice(2);
fs.mkdirSync(out, { recursive: true });
const views = ["daten", "kennzahlen", "vergleich", "dashboard", "karte", "pruefung", "ziele", "workshop"];
for (const [width, height] of [[1280, 800], [1024, 768], [1920, 1080]]) {
  const app = await open({ width, height });
  try {
    await app.page.waitForTimeout(500);
    if (files.length) await upload(app.page, ...files);
    for (const view of width > 1280 ? ["workshop"] : views) {
      await app.page.click(`nav a[href="#${view}"]`);
      await app.page.waitForTimeout(300);
      await app.page.screenshot({ path: path.join(out, `${view}-${width}.png`) });
    }
    await app.page.locator('[data-testid="workshop-start"]').click();
    for (const chart of ["ranking", "series", "distribution"]) {
      await app.page.waitForTimeout(300);
      await app.page.screenshot({ path: path.join(out, `present-${chart}-${width}.png`) });
      await app.page.keyboard.press("ArrowRight");
    }
    const fits = await app.page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight);
    await app.page.keyboard.press("Escape");
    console.log(`${width}×${height}: presentation without scrolling ${fits}`);
    if (width > 1280) continue;
    await app.page.screenshot({ path: path.join(out, `full-${width}.png`), fullPage: true });
    const sideways = await app.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    console.log(`${width}×${height}: sideways scroll ${sideways}, errors ${app.errors.length}, foreign requests ${app.foreign.length}`);
    for (const e of app.errors) console.log("  error:", e);
  } finally {
    await app.close();
  }
}
