// Shared pieces of the end-to-end tests: a plain static server (no rewrites, like any static
// host) serving the release build under a sub-path, and Chromium launched through
// playwright-core (Debian's Chromium: Playwright cannot download its own browser here).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { before, after } from "node:test";
import { chromium } from "playwright-core";

export const DIST = resolve(process.env.MI_DIST || "target/e2e-dist");
export const SUB_PATH = process.env.MI_PUBLIC_URL || "/tools/mi/";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
};

/** Serves `root` at `prefix`; `extra` maps exact paths to [type, body] for test pages.
 *  Records every request path, so tests can assert what was (not) asked for. */
export async function serve(root, prefix = "/", extra = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    requests.push(url.pathname);
    if (extra[url.pathname]) {
      const [type, body] = extra[url.pathname];
      res.writeHead(200, { "content-type": type, "cache-control": "no-store" });
      return res.end(typeof body === "function" ? body() : body);
    }
    if (!url.pathname.startsWith(prefix)) {
      res.writeHead(404).end("not found");
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(prefix.length)) || "index.html";
    const file = normalize(join(root, rel));
    if (!file.startsWith(root)) {
      res.writeHead(403).end("forbidden");
      return;
    }
    try {
      const info = await stat(file);
      const path = info.isDirectory() ? join(file, "index.html") : file;
      const body = await readFile(path);
      res.writeHead(200, { "content-type": TYPES[extname(path)] || "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, requests, close: () => new Promise((ok) => server.close(ok)) };
}

export async function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Opens a page that records console errors, uncaught errors and every request URL. */
export async function watchedPage(context) {
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console.error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => requests.push(r.url()));
  return { page, problems, requests };
}

export const ROUTES = [
  { hash: "#/", route: "tour", title: "Tour" },
  { hash: "#/flows", route: "flows", title: "Flows" },
  { hash: "#/imds", route: "imds", title: "IMDS simulator" },
  { hash: "#/decoder", route: "decoder", title: "Token decoder" },
  { hash: "#/troubleshoot", route: "troubleshoot", title: "Troubleshoot" },
];

/** Milliseconds from navigation start until `selector` is rendered: measured in the page (a
 *  MutationObserver notes when it appears, then the next animation frame, i.e. the paint), so
 *  the test driver's own polling and round trips are not counted. */
export async function timeToSelector(page, url, selector) {
  if (!page.__markInstalled) {
    page.__markInstalled = true;
    await page.addInitScript(() => {
      window.__markWhen = (sel) => new Promise((done) => {
        const check = () => {
          if (!document.querySelector(sel)) return false;
          requestAnimationFrame(() => done(performance.now()));
          return true;
        };
        if (check()) return;
        const obs = new MutationObserver(() => { if (check()) obs.disconnect(); });
        obs.observe(document, { subtree: true, childList: true });
      });
      window.__marks = {};
      window.__watch = (sel) => { window.__marks[sel] ||= window.__markWhen(sel); };
      // Watch from the very start of the page: the app may render before the driver asks.
      document.addEventListener("readystatechange", () => window.__watch(window.__wanted || "[data-testid=page]"), { once: true });
    });
  }
  await page.addInitScript((sel) => { window.__wanted = sel; }, selector);
  await page.goto(url);
  await page.waitForSelector(selector);
  return page.evaluate((sel) => window.__marks[sel] || window.__markWhen(sel), selector);
}

/** The release build served and Chromium started for one test file (registered as its
 *  `before` / `after`): `served.app` and `served.browser` are set when its tests run, and
 *  `served.url(hash)` is the app's address of a fragment. */
export function servedApp() {
  const served = {
    app: undefined,
    browser: undefined,
    url: (hash) => `${served.app.origin}${SUB_PATH}${hash}`,
  };
  before(async () => {
    served.app = await serve(DIST, SUB_PATH);
    served.browser = await launchChromium();
  });
  after(async () => {
    await served.browser?.close();
    await served.app?.close();
  });
  return served;
}
