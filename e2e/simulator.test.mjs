// End to end for the simulator pages (IMDS, Flows) in the release build: deep links, exact
// bytes on reload, the hosts a reader can send from, the world on the visitor's clock, no
// console errors, no foreign requests, axe-core in both themes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { DIST, SUB_PATH, serve, launchChromium, watchedPage } from "./harness.mjs";

const AXE_PATH = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

let app, browser;

before(async () => {
  app = await serve(DIST, SUB_PATH);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await app?.close();
});

const url = (hash) => `${app.origin}${SUB_PATH}${hash}`;

test("IMDS: App Service and Arc hosts can be chosen in 'Send from', each with its own endpoint", async () => {
  const context = await browser.newContext();
  const { page, problems } = await watchedPage(context);
  await page.goto(url("#/imds?scenario=" + encodeURIComponent(
    "rg:rg-playground;c:vm:rg-playground:vm-web;si:vm-web;c:app:rg-playground:app-shop;si:app-shop;c:arc:rg-playground:srv-arc")));
  await page.waitForSelector("[data-testid=raw-response]");
  const sendFrom = page.getByLabel("Send from");
  const hosts = await sendFrom.locator("option").evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(hosts, ["vm-web", "app-shop", "srv-arc"]);
  await sendFrom.selectOption("app-shop");
  await page.waitForFunction(() => document.querySelector("[data-testid=endpoint-url]")?.textContent.includes("localhost:4141"));
  assert.match(await page.getByTestId("raw-response").innerText(), /^HTTP\/1\.1 200 OK[\s\S]*Server: Kestrel/);
  await sendFrom.selectOption("srv-arc");
  await page.waitForFunction(() => document.querySelector("[data-testid=endpoint-url]")?.textContent.includes("localhost:40342"));
  assert.match(await page.getByTestId("raw-response").innerText(), /^HTTP\/1\.1 401 Unauthorized[\s\S]*WWW-Authenticate: Basic realm=/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("IMDS: the world runs on the visitor's clock; a link's t= pins it", async () => {
  const context = await browser.newContext();
  const { page } = await watchedPage(context);
  const before = Math.floor(Date.now() / 1000);
  await page.goto(url("#/imds"));
  await page.waitForSelector("[data-testid=raw-response]");
  const t = Number(new URL(page.url()).hash.match(/[?&]t=(\d+)/)[1]);
  assert.ok(t % 60 === 0 && before - t < 60 && t <= before, `t=${t}, now ${before}`);
  const raw = await page.getByTestId("raw-response").innerText();
  const date = new Date(t * 1000).toUTCString();
  assert.ok(raw.includes(`Date: ${date}`), `${date} not in ${raw.slice(0, 300)}`);
  assert.match(await page.getByTestId("validity-status").innerText(), /^Valid/);
  // A link with t= (a month old) answers on its own clock, not the visitor's.
  const old = await context.newPage();
  await old.goto(url(`#/imds?t=${t - 86400 * 30}`));
  await old.waitForSelector("[data-testid=raw-response]");
  const oldRaw = await old.getByTestId("raw-response").innerText();
  assert.ok(oldRaw.includes(`Date: ${new Date((t - 86400 * 30) * 1000).toUTCString()}`), oldRaw.slice(0, 300));
  await context.close();
});

test("IMDS: a deep link shows the default request's exact response and its token", async () => {
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

test("IMDS: the answer stays in view — flip a switch next to the identities, read the strip; choose a 'who answers?' row", async () => {
  const context = await browser.newContext({ viewport: { width: 650, height: 900 } });
  const { page, problems } = await watchedPage(context);
  await page.goto(url("#/imds"));
  const strip = page.getByTestId("result-strip");
  await strip.waitFor();
  const inView = async () => {
    const box = await strip.boundingBox();
    return box && box.y >= 0 && box.y + box.height <= 900;
  };
  assert.match(await strip.innerText(), /^200 → System-assigned vm-web, no selector/);
  assert.ok(await inView(), "the strip is visible on load, before the response");
  // The switch is next to the identities, far above the response: the strip still shows.
  const system = page.getByLabel("System-assigned identity", { exact: true });
  await system.scrollIntoViewIfNeeded();
  await system.uncheck();
  await page.waitForFunction(() => document.querySelector("[data-testid=result-strip]")?.textContent.startsWith("400"));
  assert.equal(await strip.innerText(), "400 → several user-assigned identities and no selector");
  assert.ok(await inView(), "the strip follows the reader");
  // A row of "who answers?" sends its request.
  await page.getByRole("button", { name: /^Send with client_id=.* \(id-reports\)$/ }).click();
  await page.waitForFunction(() => document.querySelector("[data-testid=result-strip]")?.textContent.startsWith("200"));
  assert.match(await strip.innerText(), /^200 → User-assigned id-reports, chosen by client_id=/);
  assert.match(await page.getByTestId("raw-response").innerText(), /^HTTP\/1\.1 200 OK/);
  assert.equal(await page.locator("[data-testid=host-identity][data-answered=true]").getAttribute("data-identity"), "id-reports");
  // Nothing is wider than a phone.
  await page.setViewportSize({ width: 390, height: 844 });
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390);
  assert.deepEqual(problems, []);
  await context.close();
});

test("Flows: the system lane steps forward by keyboard: 403 after recreation, 200 after the fix", async () => {
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
  test(`axe-core: simulator pages have no serious or critical violations (${theme})`, async () => {
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
