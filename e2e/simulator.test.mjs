// End to end for the simulator pages (IMDS, Flows). They are built with the `simulator`
// feature into a second bundle (MI_SIM_DIST), because the release build leaves them out until
// they fit the size budget. Same checks as the shipped pages: deep links, no console errors,
// no foreign requests, axe-core in both themes; the bundle's size is printed for information.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { SUB_PATH, serve, launchChromium, watchedPage } from "./harness.mjs";

const SIM_DIST = process.env.MI_SIM_DIST;
const AXE_PATH = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const skip = !SIM_DIST || !existsSync(SIM_DIST) ? "MI_SIM_DIST not built" : false;

let app, browser;

before(async () => {
  if (skip) return;
  app = await serve(SIM_DIST, SUB_PATH);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await app?.close();
});

const url = (hash) => `${app.origin}${SUB_PATH}${hash}`;

test("simulator bundle size (information: over the budget, so not shipped yet)", { skip }, () => {
  let gz = 0;
  for (const f of readdirSync(SIM_DIST)) {
    if (/\.(wasm|js|css|html)$/.test(f)) gz += gzipSync(readFileSync(join(SIM_DIST, f)), { level: 9 }).length;
  }
  console.log(`\nSimulator bundle (all four pages): ${(gz / 1024).toFixed(1)} KB gzip`);
  assert.ok(gz > 0);
});

test("IMDS: a deep link shows the default request's exact response and its token", { skip }, async () => {
  const context = await browser.newContext();
  const { page, problems, requests } = await watchedPage(context);
  await page.goto(url("#/imds"));
  await page.waitForSelector("[data-testid=raw-response]");
  const raw = await page.getByTestId("raw-response").innerText();
  assert.match(raw, /^HTTP\/1\.1 200 OK/);
  assert.match(raw, /"token_type":"Bearer"}$/);
  assert.equal(await page.getByTestId("identity-kind").first().innerText(), "System-assigned");
  // The page's state is a link: reloading it reproduces the same bytes.
  const link = page.url();
  const again = await browser.newContext();
  const second = await again.newPage();
  await second.goto(link);
  await second.waitForSelector("[data-testid=raw-response]");
  assert.equal(await second.getByTestId("raw-response").innerText(), raw);
  await again.close();
  assert.deepEqual(requests.filter((u) => !u.startsWith(`${app.origin}${SUB_PATH}`)), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("Flows: the system lane steps forward by keyboard: 403 after recreation, 200 after the fix", { skip }, async () => {
  const context = await browser.newContext();
  const { page, problems } = await watchedPage(context);
  await page.goto(url("#/flows?view=lanes"));
  const lane = page.getByTestId("lane-system");
  await lane.waitFor();
  const next = lane.getByRole("button", { name: "Next step" });
  let firstOid = null;
  // Step 1 → step 8 (recreated app, new token, read): seven presses.
  for (let i = 0; i < 7; i++) {
    await next.focus();
    await page.keyboard.press("Enter");
    const oid = await lane.getByTestId("token-oid").innerText().catch(() => "");
    if (!firstOid && /^[0-9a-f-]{36}$/.test(oid)) firstOid = oid;
  }
  assert.match(await lane.getByTestId("access-result").innerText(), /403/);
  assert.notEqual(await lane.getByTestId("token-oid").innerText(), firstOid, "recreation gives a new oid");
  await next.focus();
  await page.keyboard.press("Enter");
  assert.match(await lane.getByTestId("access-result").innerText(), /^200/, "the fix grants the new oid");
  assert.deepEqual(problems, []);
  await context.close();
});

for (const theme of ["light", "dark"]) {
  test(`axe-core: simulator pages have no serious or critical violations (${theme})`, { skip }, async () => {
    const context = await browser.newContext({ bypassCSP: true, colorScheme: theme });
    const page = await context.newPage();
    const report = [];
    for (const [hash, ready] of [["#/imds", "[data-testid=raw-response]"], ["#/flows", "[data-testid=lane-user]"]]) {
      await page.goto(url(`${hash}?theme=${theme}`));
      await page.waitForSelector(ready);
      await page.addScriptTag({ path: AXE_PATH });
      const result = await page.evaluate(() => axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"] }));
      for (const v of result.violations) {
        if (v.impact === "serious" || v.impact === "critical") {
          report.push(`${hash}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        }
      }
    }
    assert.deepEqual(report, []);
    await context.close();
  });
}
