// Both languages of the interface say the same things: every template of src/i18n*.rs has the
// same `{placeholders}` in German and English (the compiler already makes sure both languages
// have every string; a placeholder missing in one language would show a blank there, and one
// too many would show its braces). Reads the sources; needs no browser.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { root } from "./harness.mjs";

const files = [path.join(root, "src", "i18n.rs"),
  ...fs.readdirSync(path.join(root, "src", "i18n")).map((f) => path.join(root, "src", "i18n", f))];

/** The fields of `pub const NAME: … = … { … };` with the placeholders of their strings. */
function fields(source, name) {
  const start = source.search(new RegExp(`^pub const ${name}: \\w+ = \\w+ \\{`, "m"));
  if (start < 0) return null;
  const end = source.indexOf("\n};", start);
  const out = new Map();
  let field = null;
  for (const line of source.slice(source.indexOf("\n", start) + 1, end).split("\n")) {
    const named = line.match(/^ {4}(\w+):/);
    if (named) {
      field = named[1];
      // `None`: that language keeps the core's own wording (the findings in German).
      out.set(field, /:\s*None,/.test(line) ? null : new Set());
    }
    if (field === null || out.get(field) === null) continue;
    for (const literal of line.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
      for (const p of literal[1].matchAll(/\{(\w+)\}/g)) out.get(field).add(p[1]);
    }
  }
  return out;
}

for (const file of files) {
  test(`${path.relative(root, file)}: German and English templates have the same placeholders`, () => {
    const source = fs.readFileSync(file, "utf8");
    const de = fields(source, "DE");
    const en = fields(source, "EN");
    assert.ok(de && en, "both languages are defined");
    const differ = [...de.keys()].filter((k) => de.get(k) && en.get(k)).flatMap((k) => {
      const a = [...de.get(k)].sort().join(",");
      const b = [...en.get(k)].sort().join(",");
      return a === b ? [] : [`${k}: {${a}} / {${b}}`];
    });
    assert.deepEqual(differ, []);
    assert.ok(de.size > 5, `${de.size} fields read`);
  });
}
