// End to end: the release build, served from a sub-path by a plain static server, driven in
// Chromium the way a person uses it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { DIST, SUB_PATH, ROUTES, serve, launchChromium, watchedPage, timeToSelector } from "./harness.mjs";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");

let app, other, browser;
const loadTimes = {};

before(async () => {
  app = await serve(DIST, SUB_PATH);
  other = await serve(DIST, "/never/");
  browser = await launchChromium();
});

after(async () => {
  if (Object.keys(loadTimes).length) {
    console.log("\nPage load times (navigation start → page rendered, release build, ms):");
    for (const [k, v] of Object.entries(loadTimes)) console.log(`  ${k.padEnd(10)} ${v.toFixed(1)}`);
  }
  await browser?.close();
  await app?.close();
  await other?.close();
});

test("every route loads from a deep link, with no console errors and no foreign requests", async () => {
  for (const { hash, route, title } of ROUTES) {
    const context = await browser.newContext();
    const { page, problems, requests } = await watchedPage(context);
    const ms = await timeToSelector(page, `${app.origin}${SUB_PATH}${hash}`, `[data-testid=page][data-route=${route}]`);
    loadTimes[route] = ms;
    assert.equal(await page.locator("a.nav-link[aria-current=page]").innerText(), title);
    assert.equal(await page.locator("#app .loading").count(), 0, "the loading placeholder is gone");
    assert.deepEqual(problems, [], `${hash}: ${problems.join("\n")}`);
    const foreign = requests.filter((u) => !u.startsWith(`${app.origin}${SUB_PATH}`));
    assert.deepEqual(foreign, [], `${hash}: requests outside the app`);
    await context.close();
  }
});

test("navigation by clicking the header links switches pages", async () => {
  const context = await browser.newContext();
  const { page, problems } = await watchedPage(context);
  await page.goto(`${app.origin}${SUB_PATH}#/`);
  for (const { route, title } of ROUTES.slice(1)) {
    await page.getByRole("link", { name: title, exact: true }).click();
    await page.waitForSelector(`[data-testid=page][data-route=${route}]`);
    // The simulator pages add their world's start time (t=) to the address.
    assert.match(new URL(page.url()).hash, new RegExp(`^#/${route}(\\?t=\\d+)?$`), page.url());
  }
  await page.goBack();
  await page.waitForSelector(`[data-testid=page][data-route=${ROUTES.at(-2).route}]`);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the Content-Security-Policy blocks requests to other sites and allows no inline code", async () => {
  const context = await browser.newContext();
  const { page, problems } = await watchedPage(context);
  await page.goto(`${app.origin}${SUB_PATH}#/decoder`);
  await page.waitForSelector("[data-testid=page]");
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  assert.match(policy, /connect-src 'self'/);
  assert.match(policy, /default-src 'none'/);
  assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'|(^|\s)\*|https?:/);
  assert.match(policy, /'sha256-[A-Za-z0-9+/]+=*'/, "the start-up script is allowed by its hash");
  const outcome = await page.evaluate(async (url) => {
    const violations = [];
    document.addEventListener("securitypolicyviolation", (e) => violations.push(e.violatedDirective));
    let fetched = "sent";
    try {
      await fetch(url);
    } catch (e) {
      fetched = "blocked";
    }
    const img = await new Promise((done) => {
      const i = new Image();
      i.onload = () => done("loaded");
      i.onerror = () => done("blocked");
      i.src = url.replace("/never/x", "/never/favicon.svg");
    });
    return { fetched, img, violations };
  }, `${other.origin}/never/x`);
  assert.equal(outcome.fetched, "blocked");
  assert.equal(outcome.img, "blocked");
  assert.ok(outcome.violations.includes("connect-src"), JSON.stringify(outcome));
  assert.deepEqual(other.requests, [], "the other origin never received a request");
  // The blocked requests are reported as console errors by Chromium; nothing else may be.
  assert.deepEqual(problems.filter((p) => !p.includes("Content Security Policy")), []);
  await context.close();
});

test("embed.js resizes the iframe to its content and ignores foreign messages", async () => {
  const widget = `${app.origin}${SUB_PATH}#/decoder?embed=1`;
  const host = await serve(DIST, "/never/", {
    "/host.html": ["text/html", () => `<!doctype html><html lang="en"><title>Blog post</title><body>
      <h1>A blog post</h1>
      <iframe id="widget" data-mi-playground src="${widget}" title="Token decoder" style="width:700px;height:40px;border:0"></iframe>
      <iframe id="intruder" src="/intruder.html" title="Another widget"></iframe>
      <script src="${app.origin}${SUB_PATH}embed.js"></script></body></html>`],
    "/intruder.html": ["text/html", "<!doctype html><title>intruder</title><p>x</p>"],
    "/favicon.ico": ["image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg'/>"],
  });
  const context = await browser.newContext();
  const { page, problems } = await watchedPage(context);
  await page.goto(`${host.origin}/host.html`);
  await page.waitForFunction(() => document.getElementById("widget").style.height !== "40px");
  const frame = page.frame({ url: /#\/decoder\?embed=1/ });
  const content = await frame.evaluate(() =>
    Math.ceil(document.querySelector("[data-testid=embed-root]").getBoundingClientRect().height));
  const sized = await page.evaluate(() => document.getElementById("widget").style.height);
  assert.equal(sized, `${content}px`);
  assert.ok(content > 100, `embedded widget height ${content}`);

  // Another frame, and the host page itself, post the same message: both must be ignored.
  const intruder = page.frame({ url: /intruder/ });
  await page.evaluate(() => {
    window.__sentinel = new Promise((done) =>
      window.addEventListener("message", (e) => e.data === "sentinel" && done()));
  });
  await intruder.evaluate(() => {
    parent.postMessage({ type: "mi-playground:resize", height: 1234 }, "*");
    parent.postMessage("sentinel", "*");
  });
  await page.evaluate(() => window.postMessage({ type: "mi-playground:resize", height: 999 }, "*"));
  await page.evaluate(() => window.__sentinel);
  await page.evaluate(() => new Promise((done) => { window.addEventListener("message", done, { once: true }); window.postMessage("after", "*"); }));
  assert.equal(await page.evaluate(() => document.getElementById("widget").style.height), `${content}px`);
  assert.deepEqual(problems, []);
  await context.close();
  await host.close();
});

for (const theme of ["light", "dark"]) {
  test(`axe-core finds no serious or critical violations (${theme} theme)`, async () => {
    // bypassCSP only so that the axe script can be injected; the app is the release build.
    const context = await browser.newContext({ bypassCSP: true, colorScheme: theme });
    const page = await context.newPage();
    const report = [];
    for (const { hash, route } of ROUTES) {
      const sep = hash.includes("?") ? "&" : "?";
      await page.goto(`${app.origin}${SUB_PATH}${hash}${sep}theme=${theme}`);
      await page.waitForSelector(`[data-testid=page][data-route=${route}]`);
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), theme);
      await page.addScriptTag({ path: AXE_PATH });
      const result = await page.evaluate(() =>
        axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"] }));
      for (const v of result.violations) {
        if (v.impact === "serious" || v.impact === "critical") {
          report.push(`${route}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
        }
      }
    }
    assert.deepEqual(report, []);
    await context.close();
  });
}
