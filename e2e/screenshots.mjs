// Screenshots of pages at phone (390), blog-column (650) and desktop (1280) widths in both
// themes, for people to look at: `node e2e/screenshots.mjs [out-dir] [hash …]`.
// Serves the release build (MI_DIST, default target/e2e-dist) like the end-to-end tests.
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DIST, SUB_PATH, serve, launchChromium } from "./harness.mjs";

const [out = "/tmp/mi-shots", ...hashes] = process.argv.slice(2);
const pages = hashes.length ? hashes : ["#/", "#/flows", "#/imds", "#/decoder?sample=user"];
mkdirSync(out, { recursive: true });
const app = await serve(DIST, SUB_PATH);
const browser = await launchChromium();
// Long hashes (sandbox worlds) are cut short and told apart by a hash of the whole.
const slug = (h) => {
  const s = h.replace(/^#\/?/, "").replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "tour";
  return s.length <= 60 ? s : `${s.slice(0, 48)}-${createHash("sha256").update(h).digest("hex").slice(0, 8)}`;
};
try {
  for (const hash of pages) {
    for (const width of [390, 650, 1280]) {
      for (const theme of ["light", "dark"]) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: theme });
        const page = await context.newPage();
        const sep = hash.includes("?") ? "&" : "?";
        await page.goto(`${app.origin}${SUB_PATH}${hash}${sep}theme=${theme}`);
        await page.waitForSelector("[data-testid=page], [data-testid=embed-root]");
        // Pages that ask the on-demand engine show its answer once it has loaded.
        await page.waitForFunction(() => !document.querySelector("[data-testid=engine-loading], [aria-busy=true]"));
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const size = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
        const file = join(out, `${slug(hash)}-${width}-${theme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(`${file}  page ${size[0]}×${size[1]}${size[0] > width ? "  WIDER THAN THE VIEWPORT" : ""}`);
        await context.close();
      }
    }
  }
} finally {
  await browser.close();
  await app.close();
}
