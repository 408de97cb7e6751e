/**
 * Writes the reference pages under docs/reference/ from the package schema (provider/plugin/docs.ts):
 *   npm run build && node dist/scripts/gen-docs.js
 * tests/unit/docs-drift.test.ts fails when the pages are out of date.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { referencePages } from "../provider/plugin/docs";

const dir = path.resolve(__dirname, "../../docs/reference");
fs.mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(referencePages())) fs.writeFileSync(path.join(dir, name), text);
console.log(`wrote ${Object.keys(referencePages()).length} pages to ${dir}`);
