// Trunk post_build hook: puts the sha256 of every inline <script> of the built index.html into
// the Content-Security-Policy meta tag (placeholder CSP_SCRIPT_HASHES), so Trunk's inline
// module start-up script runs without allowing 'unsafe-inline'.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!dir) {
  console.error("csp-hash: TRUNK_STAGING_DIR is not set (run me as a Trunk hook or pass the dist dir)");
  process.exit(2);
}
const file = join(dir, "index.html");
const html = readFileSync(file, "utf8");
const hashes = [];
for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
  hashes.push(`'sha256-${createHash("sha256").update(m[1], "utf8").digest("base64")}'`);
}
if (!html.includes("CSP_SCRIPT_HASHES")) {
  console.error("csp-hash: no CSP_SCRIPT_HASHES placeholder in index.html");
  process.exit(2);
}
writeFileSync(file, html.replace("CSP_SCRIPT_HASHES", hashes.join(" ")));
console.log(`csp-hash: ${hashes.length} inline script hash(es) added to the CSP`);
