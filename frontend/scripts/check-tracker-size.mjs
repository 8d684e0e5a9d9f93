// Prints the script-tag tracker's raw and gzip size and fails the build above its budget:
// the tracker is loaded by every page of a site, so its weight is the site's cost.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 3 * 1024;
const file = new URL("../dist/tracker.js", import.meta.url);
const code = readFileSync(file);
const gzipped = gzipSync(code, { level: 9 }).length;

console.log(`dist/tracker.js: ${code.length} B minified, ${gzipped} B min+gzip (budget ${BUDGET_BYTES} B)`);
if (gzipped > BUDGET_BYTES) {
  console.error(`dist/tracker.js is ${gzipped - BUDGET_BYTES} B over its ${BUDGET_BYTES} B budget`);
  process.exit(1);
}
