// End to end: embeds as a blog author uses them. The snippet comes from the page's own embed
// builder and is pasted into a post served from another origin; the post is read at a 650 px
// column and a 390 px phone. Also: no route, embedded or not, is wider than the viewport.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { DIST, SUB_PATH, serve, launchChromium, watchedPage } from "./harness.mjs";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");

let app, browser;
const heights = [];

before(async () => {
  app = await serve(DIST, SUB_PATH);
  browser = await launchChromium();
});

after(async () => {
  if (heights.length) {
    console.log("\nEmbed heights in a 650 px blog column (px):");
    for (const [what, h] of heights) console.log(`  ${what.padEnd(44)} ${h}`);
  }
  await browser?.close();
  await app?.close();
});

const appUrl = (hash) => `${app.origin}${SUB_PATH}${hash}`;

/** Opens the page's embed builder (the first one, or the one inside `scope`), picks `choice`,
 *  and returns the snippet text and the preview's src. */
async function snippetFrom(page, { scope = "", choice, theme, maxHeight } = {}) {
  const builder = page.locator(`${scope} [data-testid=embed-builder]`.trim()).first();
  if ((await builder.getAttribute("open")) === null) await builder.locator("[data-testid=embed-open]").click();
  if (choice) await builder.locator(`[data-testid=embed-choice-${choice}]`).check();
  if (theme) await builder.locator("[data-testid=embed-theme]").selectOption(theme);
  if (maxHeight) await builder.locator("[data-testid=embed-max-height]").fill(String(maxHeight));
  const snippet = await builder.locator("[data-testid=embed-snippet]").textContent();
  const preview = await builder.locator("[data-testid=embed-preview]").getAttribute("src");
  return { snippet, preview, builder };
}

const srcOf = (snippet) => snippet.match(/src="([^"]+)"/)[1].replaceAll("&amp;", "&");

/** A blog post on another origin holding `snippets` in a `width` px column. */
async function blogPost(snippets, width) {
  const body = snippets.map((s, i) => `<h2>Widget ${i + 1}</h2>\n${s}`).join("\n<p>Some prose between widgets.</p>\n");
  return serve(DIST, "/never/", {
    "/post.html": ["text/html", `<!doctype html><html lang="en"><head><meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1"><title>A blog post</title>
      <style>body{margin:0;font:16px system-ui} main{max-width:${width}px;margin:0 auto;padding:0}</style></head>
      <body><main><h1>A blog post about managed identities</h1>${body}</main></body></html>`],
    "/favicon.ico": ["image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg'/>"],
  });
}

/** Waits until embed.js has sized frame `i` to its widget's height and returns that height. */
async function settledHeight(page, i) {
  const frame = page.frames().filter((f) => f !== page.mainFrame())[i];
  await frame.waitForSelector("[data-testid=embed-root]");
  // Chromium pauses rendering (and so the size reports) of cross-origin frames far off
  // screen, as a reader's browser does until they scroll there.
  await page.locator("iframe[data-mi-playground]").nth(i).scrollIntoViewIfNeeded();
  for (;;) {
    const content = await frame.evaluate(() =>
      Math.ceil(document.querySelector("[data-testid=embed-root]").getBoundingClientRect().height));
    const sized = await page.waitForFunction(([i, c]) => {
      const h = document.querySelectorAll("iframe[data-mi-playground]")[i].getBoundingClientRect().height;
      return Math.round(h) === c;
    }, [i, content], { timeout: 5000 }).then(() => true, () => false);
    if (sized) return content;
    await frame.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
  }
}

test("the embed builder's snippet follows the page's state: src is the current state's embed URL, theme and max height", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, problems } = await watchedPage(context);
  await page.goto(appUrl("#/flows?lane=system&system=3"));
  await page.waitForSelector("[data-testid=lane-system]");
  const lane = "[data-testid=lane-user]";
  const first = await snippetFrom(page, { scope: lane });
  assert.equal(new URL(srcOf(first.snippet)).hash, "#/flows?lane=user&user=1&embed=1");
  assert.equal(first.preview, srcOf(first.snippet));
  // Step the user lane: the open builder's snippet is rebuilt from the new state.
  await page.locator(`${lane} button:has-text("Next")`).first().click();
  await page.waitForFunction(() => location.hash.includes("user=2"));
  await page.waitForFunction((sel) =>
    document.querySelector(`${sel} [data-testid=embed-snippet]`).textContent.includes("user=2"), lane);
  const { snippet } = await snippetFrom(page, { scope: lane, theme: "dark", maxHeight: 800 });
  const src = srcOf(snippet);
  assert.equal(new URL(src).hash, "#/flows?lane=user&user=2&embed=1&theme=dark");
  assert.match(snippet, /data-max-height="800"/);
  assert.match(snippet, /allow="clipboard-write"/);
  assert.ok(!src.includes("t="), "a snippet never pins the start time");

  // IMDS: the snippet carries the scenario the page shows, minus the start time.
  await page.goto(appUrl("#/imds"));
  await page.waitForSelector("[data-testid=result-strip]");
  const imds = await snippetFrom(page);
  const pageHash = new URL(page.url()).hash;
  const expected = new URLSearchParams(pageHash.split("?")[1] || "");
  expected.delete("t");
  expected.set("embed", "1");
  const got = new URLSearchParams(new URL(srcOf(imds.snippet)).hash.split("?")[1]);
  assert.deepEqual([...got].sort(), [...expected].sort());
  assert.deepEqual(problems, []);
  await context.close();
});

test("a blog post on another origin: widget heights at 650 px, links open a new tab, Copy works", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page } = await watchedPage(context);
  const snippets = {};
  await page.goto(appUrl("#/decoder?sample=user"));
  snippets.decoder = (await snippetFrom(page, { choice: "sample" })).snippet;
  await page.goto(appUrl("#/imds"));
  await page.waitForSelector("[data-testid=result-strip]");
  snippets.imds = (await snippetFrom(page)).snippet;
  await page.goto(appUrl("#/flows?lane=system&system=7"));
  snippets.lane = (await snippetFrom(page, { scope: "[data-testid=lane-system]" })).snippet;
  snippets.comparison = (await snippetFrom(page, { scope: "[data-testid=lane-system]", choice: "comparison" })).snippet;
  await page.goto(appUrl("#/?step=4"));
  snippets.tour = (await snippetFrom(page)).snippet;
  await context.close();

  const names = Object.keys(snippets);
  const post = await blogPost(Object.values(snippets), 650);
  const reader = await browser.newContext({ viewport: { width: 650, height: 900 } });
  await reader.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.origin });
  const { page: blog, problems } = await watchedPage(reader);
  await blog.goto(`${post.origin}/post.html`);
  // The figures for the decoder, IMDS and a lane step; the comparison and a tour step
  // have none, so theirs only keep them from growing unnoticed.
  const limits = { decoder: 1200, imds: 1000, lane: 900, comparison: 1700, tour: 1400 };
  for (const [i, name] of names.entries()) {
    const h = await settledHeight(blog, i);
    heights.push([`${name} (as pasted)`, h]);
    assert.ok(h <= limits[name], `${name} embed is ${h} px tall at 650 px (limit ${limits[name]})`);
  }
  const frames = blog.frames().filter((f) => f !== blog.mainFrame());
  const frame = (name) => frames[names.indexOf(name)];

  // One click must not make an embed grow without bound: a sample in the decoder.
  await frame("decoder").locator("button:has-text('Sample')").first().click();
  await frame("decoder").waitForSelector("[data-testid=headline]");
  const afterSample = await settledHeight(blog, names.indexOf("decoder"));
  heights.push(["decoder after clicking a sample", afterSample]);
  assert.ok(afterSample <= 1200, `decoder grew to ${afterSample} px after one click`);

  // Stepping a lane keeps it under 900 px at every step.
  const lane = frame("lane");
  for (let n = 0; n < 3; n++) {
    const next = lane.locator("button:has-text('Next')").first();
    if (await next.isDisabled()) break;
    await next.click();
    const h = await settledHeight(blog, names.indexOf("lane"));
    assert.ok(h <= 900, `lane step after ${n + 1} Next is ${h} px`);
  }

  // The credit and every link open the full playground in a new tab; the post stays put.
  const credit = frame("tour").locator("[data-testid=embed-credit]");
  assert.equal(await credit.textContent(), "Open in the full playground ↗");
  const [tab] = await Promise.all([reader.waitForEvent("page"), credit.click()]);
  await tab.waitForLoadState();
  assert.ok(!tab.url().includes("embed=1"), `credit opened ${tab.url()}`);
  assert.ok(tab.url().startsWith(`${app.origin}${SUB_PATH}#/`), tab.url());
  await tab.close();
  const link = frame("comparison").locator("[data-testid=comparison] a").first();
  const [tab2] = await Promise.all([reader.waitForEvent("page"), link.click()]);
  await tab2.waitForLoadState();
  assert.match(tab2.url(), /#\/flows\?lane=/);
  assert.ok(!tab2.url().includes("embed=1"));
  await tab2.close();
  assert.equal(new URL(blog.url()).pathname, "/post.html");
  assert.ok(frame("comparison").url().includes("embed=1"), "the iframe still shows the widget");

  // Copy inside an embed: the snippet's iframe allows clipboard writes.
  const tour = frame("tour");
  const copy = tour.locator("figure.code-block button").first();
  await copy.click();
  await tour.waitForSelector("figure.code-block .copy-status:has-text('Copied')");
  const copied = await blog.evaluate(() => navigator.clipboard.readText().catch(() => null));
  const shown = await tour.locator("figure.code-block pre").first().textContent();
  if (copied !== null) assert.equal(copied, shown);
  assert.deepEqual(problems, []);
  await reader.close();
  await post.close();
});

test("where the browser refuses the clipboard, Copy selects the text for the reader", async () => {
  // An iframe without allow="clipboard-write" (an old snippet): the browser refuses.
  const post = await blogPost([`<iframe data-mi-playground src="${appUrl("#/?step=4&embed=1")}" title="Tour" style="width:100%;border:0;height:480px"></iframe>`], 650);
  const context = await browser.newContext({ viewport: { width: 650, height: 900 } });
  const { page } = await watchedPage(context);
  await page.goto(`${post.origin}/post.html`);
  const frame = page.frames().find((f) => f.url().includes("embed=1"));
  await frame.waitForSelector("figure.code-block button");
  await frame.locator("figure.code-block button").first().click();
  const status = frame.locator("figure.code-block .copy-status").first();
  await status.filter({ hasText: /./ }).waitFor();
  assert.match(await status.textContent(), /text is selected/);
  const selected = await frame.evaluate(() => getSelection().toString());
  const shown = await frame.locator("figure.code-block pre").first().textContent();
  assert.equal(selected.trim(), shown.trim());
  await context.close();
  await post.close();
});

for (const theme of ["light", "dark"]) {
  test(`axe-core: embedded widgets in a blog post have no serious or critical violations (${theme})`, async () => {
    const context = await browser.newContext({ bypassCSP: true, colorScheme: theme, viewport: { width: 650, height: 900 } });
    const page = await context.newPage();
    const report = [];
    for (const hash of ["#/decoder?sample=user", "#/imds", "#/flows?lane=system&system=7", "#/flows?view=comparison", "#/flows?view=sandbox", "#/?step=2"]) {
      await page.goto(appUrl(`${hash}${hash.includes("?") ? "&" : "?"}embed=1&theme=${theme}`));
      await page.waitForSelector("[data-testid=embed-root]");
      await page.addScriptTag({ path: AXE_PATH });
      const result = await page.evaluate(() =>
        axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"] }));
      for (const v of result.violations) {
        if (v.impact === "serious" || v.impact === "critical") {
          report.push(`${hash}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
        }
      }
    }
    assert.deepEqual(report, []);
    await context.close();
  });
}

// Every route a reader can reach, at a phone and a blog column, embedded and not.
const ROUTES = [
  ...[1, 2, 3, 4, 5, 6].map((n) => `#/?step=${n}`),
  "#/decoder?sample=user",
  "#/decoder?sample=system&compare_sample=user",
  "#/imds",
  ...[1, 4, 7, 9].map((n) => `#/flows?lane=system&system=${n}`),
  ...[1, 4, 6, 8].map((n) => `#/flows?lane=user&user=${n}`),
  ...[1, 3, 5, 7].map((n) => `#/flows?lane=workload&workload=${n}`),
  "#/flows?view=comparison",
  "#/flows?view=sandbox",
];

for (const width of [390, 650]) {
  test(`no route is wider than a ${width} px viewport, embedded or not (and a pasted token too)`, async () => {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    const wide = [];
    const check = async (what) => {
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      if (w > width) wide.push(`${what}: ${w} px`);
    };
    for (const hash of ROUTES) {
      for (const embed of [false, true]) {
        const url = appUrl(embed ? `${hash}${hash.includes("?") ? "&" : "?"}embed=1` : hash);
        await page.goto("about:blank");
        await page.goto(url);
        await page.waitForSelector(embed ? "[data-testid=embed-root]" : "[data-testid=page]");
        await check(`${hash}${embed ? " (embedded)" : ""}`);
      }
    }
    // A pasted token (not a sample link): the decoder with everything unfolded.
    await page.goto(appUrl("#/decoder"));
    await page.locator("button:has-text('Sample')").first().click();
    const token = await page.locator("[data-testid=token-input]").inputValue();
    await page.goto("about:blank");
    await page.goto(appUrl("#/decoder"));
    await page.locator("[data-testid=token-input]").fill(token);
    await page.waitForSelector("[data-testid=headline]");
    await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
    await check("#/decoder with a pasted token, all details open");
    assert.deepEqual(wide, []);
    await context.close();
  });
}
