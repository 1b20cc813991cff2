// End to end for the flows diagram in the release build (page CSP in force): Download PNG and
// Download SVG save real files made in the browser, in the theme in force; the narrow drawing
// replaces the wide one in a phone-sized page; labels fit their boxes in the fonts the browser
// really uses; motion follows prefers-reduced-motion; axe-core finds nothing serious.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { DIST, SUB_PATH, serve, launchChromium, watchedPage } from "./harness.mjs";

const AXE_PATH = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
// Same as PRESETS in core/src/flows/presets.rs.
const PRESETS = {
  "vm-system": "rg:rg-demo;t:kv:rg-demo:kv-demo;c:vm:rg-demo:vm-app;si:vm-app;ra:s:vm-app:kvsu:r/kv-demo",
  "app-two-identities": "rg:rg-demo;t:kv:rg-demo:kv-demo;t:st:rg-demo:stdemo;c:app:rg-demo:app-web;id:rg-demo:id-vault;id:rg-demo:id-storage;ua:app-web:id-vault;ua:app-web:id-storage;ra:u:id-vault:kvsu:r/kv-demo;ra:u:id-storage:sbdr:r/stdemo",
  "shared-identity": "rg:rg-demo;t:kv:rg-demo:kv-demo;id:rg-demo:id-shared;ra:u:id-shared:kvsu:r/kv-demo;c:vm:rg-demo:vm-1;ua:vm-1:id-shared;c:vm:rg-demo:vm-2;ua:vm-2:id-shared;c:vm:rg-demo:vm-3;ua:vm-3:id-shared",
  "recreated-vm": "rg:rg-demo;t:kv:rg-demo:kv-demo;c:vm:rg-demo:vm-app;si:vm-app;ra:s:vm-app:kvsu:r/kv-demo;-r:vm-app;c:vm:rg-demo:vm-app;si:vm-app",
  "aks-workload-identity": "rg:rg-demo;t:kv:rg-demo:kv-demo;aks:rg-demo:aks-demo;id:rg-demo:id-orders;ra:u:id-orders:kvsu:r/kv-demo;wl:aks-demo:orders:orders-api:id-orders;fc:id-orders:fc-orders-api:aks-demo:orders:orders-api",
};
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let app, browser;

before(async () => {
  app = await serve(DIST, SUB_PATH);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await app?.close();
});

const sandbox = (dsl, extra = "") => `${app.origin}${SUB_PATH}#/flows?view=sandbox&sandbox=${dsl}${extra}`;

async function download(page, label) {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: label }).click(),
  ]);
  return { name: file.suggestedFilename(), body: await readFile(await file.path()) };
}

for (const theme of ["light", "dark"]) {
  test(`Download PNG and Download SVG save the drawing made in the browser (${theme} theme)`, async () => {
    const context = await browser.newContext({ acceptDownloads: true, colorScheme: theme, viewport: { width: 1280, height: 900 } });
    const { page, problems, requests } = await watchedPage(context);
    await page.goto(sandbox(PRESETS["recreated-vm"], `&theme=${theme}`));
    await page.waitForSelector("[data-testid=diagram] svg.dg-wide [data-node]");

    const png = await download(page, "Download PNG");
    assert.equal(png.name, "diagram.png");
    assert.ok(png.body.length > 1000, `${png.body.length} bytes`);
    assert.deepEqual(png.body.subarray(0, 8), PNG_SIGNATURE);
    // Drawn at twice the drawing's size.
    const [w, h] = await page.locator("svg.dg-wide").evaluate((s) => [s.width.baseVal.value, s.height.baseVal.value]);
    assert.equal(png.body.readUInt32BE(16), 2 * w);
    assert.equal(png.body.readUInt32BE(20), 2 * h);
    await page.waitForFunction(() => document.querySelector("[data-testid=download-status]")?.textContent.startsWith("Saved diagram.png"));

    const svg = await download(page, "Download SVG");
    assert.equal(svg.name, "diagram.svg");
    const text = svg.body.toString("utf8");
    assert.ok(text.startsWith("<svg"), text.slice(0, 100));
    assert.ok(text.includes('data-node="si:vm-app"'), text.slice(0, 400));
    // The theme's own colours, resolved: the background is the page's.
    // (The release build's CSS is minified: #ffffff is written #fff.)
    const bg = theme === "dark" ? /--bg: #0f1419;/ : /--bg: #fff(fff)?;/;
    assert.match(text, bg);
    assert.ok(!text.includes("light-dark(") && !text.includes("tabindex"));

    // Nothing left the page: no request beyond the app's own files, no CSP complaint.
    const foreign = requests.filter((u) => !u.startsWith(app.origin) && !u.startsWith("data:") && !u.startsWith("blob:"));
    assert.deepEqual(foreign, []);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test("the narrow drawing replaces the wide one in a phone-sized page; labels fit their boxes", async () => {
  for (const width of [390, 650, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const { page, problems } = await watchedPage(context);
    for (const [id, dsl] of Object.entries(PRESETS)) {
      await page.goto(sandbox(dsl));
      await page.waitForSelector("[data-testid=diagram] [data-node]", { state: "attached" });
      const shown = await page.evaluate(() =>
        ["dg-wide", "dg-narrow"].filter((c) => getComputedStyle(document.querySelector(`svg.${c}`)).display !== "none"));
      assert.deepEqual(shown, [width < 600 ? "dg-narrow" : "dg-wide"], `${id} at ${width}`);
      const report = await page.evaluate(() => {
        const svg = [...document.querySelectorAll("[data-testid=diagram] svg")].find((s) => getComputedStyle(s).display !== "none");
        const out = [];
        if (svg.getBoundingClientRect().width > document.documentElement.clientWidth) out.push("drawing wider than the page");
        for (const node of svg.querySelectorAll("[data-node]")) {
          const box = node.querySelector(".dg-box").width.baseVal.value;
          for (const t of node.querySelectorAll(":scope > text")) {
            if (t.getComputedTextLength() > box - 14) out.push(`${node.dataset.node}: '${t.textContent}' is ${t.getComputedTextLength()} in ${box}`);
          }
        }
        return out;
      });
      assert.deepEqual(report, [], `${id} at ${width}`);
      // The diagram never makes the page scroll sideways (other parts of the page are not tested here).
      const fits = await page.evaluate(() => {
        const fig = document.querySelector("[data-testid=diagram]");
        return fig.scrollWidth <= fig.clientWidth && fig.getBoundingClientRect().right <= document.documentElement.clientWidth;
      });
      assert.ok(fits, `${id} at ${width}: the diagram is wider than the page`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test("changes animate, and not at all under prefers-reduced-motion", async () => {
  for (const reducedMotion of ["no-preference", "reduce"]) {
    const context = await browser.newContext({ reducedMotion });
    const { page } = await watchedPage(context);
    await page.goto(sandbox("rg:g;c:vm:g:vm-a"));
    await page.waitForSelector("[data-testid=diagram] [data-node]", { state: "attached" });
    await page.locator("[data-testid=sandbox-more] > summary").click();
    await page.getByLabel("Or type actions (action DSL, separated by ;)").fill("si:vm-a");
    await page.getByRole("button", { name: "Apply text" }).click();
    const node = page.locator("svg.dg-wide [data-node='si:vm-a']");
    await node.waitFor();
    assert.equal(await node.getAttribute("data-change"), "added");
    const anim = await node.evaluate((n) => getComputedStyle(n).animationName);
    assert.equal(anim, reducedMotion === "reduce" ? "none" : "dg-in");
    await context.close();
  }
});

for (const theme of ["light", "dark"]) {
  test(`axe-core finds no serious or critical violations in the diagram (${theme} theme)`, async () => {
    const context = await browser.newContext({ bypassCSP: true, colorScheme: theme });
    const page = await context.newPage();
    const report = [];
    for (const [id, dsl] of Object.entries(PRESETS)) {
      await page.goto(sandbox(dsl, `&theme=${theme}`));
      await page.waitForSelector("[data-testid=diagram] [data-node]", { state: "attached" });
      await page.addScriptTag({ path: AXE_PATH });
      const result = await page.evaluate(() =>
        axe.run("[data-testid=diagram]", { runOnly: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"] }));
      for (const v of result.violations) {
        if (v.impact === "serious" || v.impact === "critical") {
          report.push(`${id}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
        }
      }
    }
    assert.deepEqual(report, []);
    await context.close();
  });
}

// Lane lengths, as in core/src/flows/steps.rs.
const LANES = { system: 9, user: 8, workload: 8 };

test("at 650 px with details closed, no step of any lane is taller than 900 px", async () => {
  const context = await browser.newContext({ viewport: { width: 650, height: 900 } });
  const { page, problems } = await watchedPage(context);
  const heights = {};
  for (const [lane, steps] of Object.entries(LANES)) {
    heights[lane] = [];
    for (let step = 1; step <= steps; step++) {
      await page.goto(`${app.origin}${SUB_PATH}#/flows?view=lanes&${lane}=${step}`);
      const section = page.locator(`[data-testid=lane-${lane}]`);
      await section.locator("[data-testid=diagram] [data-node]").first().waitFor({ state: "attached" });
      await section.locator("[data-testid=step-counter]", { hasText: `Step ${step} of ${steps}` }).waitFor();
      const closed = await section.locator("details[open]").count();
      assert.equal(closed, 0, `${lane} step ${step}: details open`);
      const h = Math.round((await section.boundingBox()).height);
      heights[lane].push(h);
    }
  }
  console.log(`lane step heights at 650 px: ${JSON.stringify(heights)}`);
  for (const [lane, hs] of Object.entries(heights)) {
    hs.forEach((h, i) => assert.ok(h <= 900, `${lane} step ${i + 1} is ${h} px tall`));
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("nothing on #/flows is wider than a 390 px phone (lanes at every step, the sandbox)", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
  const { page, problems } = await watchedPage(context);
  const wide = [];
  for (let step = 1; step <= 9; step++) {
    const w = Math.min(step, LANES.workload);
    await page.goto(`${app.origin}${SUB_PATH}#/flows?system=${step}&user=${Math.min(step, 8)}&workload=${w}`);
    await page.locator("[data-testid=lane-workload] [data-testid=step-counter]", { hasText: `Step ${w} of` }).waitFor();
    await page.locator("[data-testid=lane-system] [data-testid=diagram] [data-node]").first().waitFor({ state: "attached" });
    await page.locator("[data-testid=sandbox] [data-testid=diagram] [data-node]").first().waitFor({ state: "attached" });
    // Open the sandbox's folded form so its fields are measured too.
    await page.locator("[data-testid=sandbox-more]").evaluate((d) => { d.open = true; });
    const over = await page.evaluate(() => {
      const vw = document.documentElement.clientWidth;
      const out = [];
      if (document.documentElement.scrollWidth > vw) out.push(`page scrollWidth ${document.documentElement.scrollWidth}`);
      for (const el of document.querySelectorAll("body *")) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > vw + 0.5 && !el.closest(".table-scroll, pre, .code-scroll")) {
          out.push(`${el.tagName.toLowerCase()}.${el.className?.baseVal ?? el.className} right=${Math.round(r.right)}`);
        }
      }
      return out.slice(0, 8);
    });
    if (over.length) wide.push(`step ${step}: ${over.join("; ")}`);
  }
  assert.deepEqual(wide, []);
  assert.deepEqual(problems, []);
  await context.close();
});
