import { mkdirSync } from "node:fs";
import { DIST, SUB_PATH, serve, launchChromium } from "./harness.mjs";
const out = "/tmp/dgshot";
mkdirSync(out, { recursive: true });
const PRESETS = {
  a: "rg:rg-demo;t:kv:rg-demo:kv-demo;c:vm:rg-demo:vm-app;si:vm-app;ra:s:vm-app:kvsu:r/kv-demo",
  b: "rg:rg-demo;t:kv:rg-demo:kv-demo;t:st:rg-demo:stdemo;c:app:rg-demo:app-web;id:rg-demo:id-vault;id:rg-demo:id-storage;ua:app-web:id-vault;ua:app-web:id-storage;ra:u:id-vault:kvsu:r/kv-demo;ra:u:id-storage:sbdr:r/stdemo",
  c: "rg:rg-demo;t:kv:rg-demo:kv-demo;id:rg-demo:id-shared;ra:u:id-shared:kvsu:r/kv-demo;c:vm:rg-demo:vm-1;ua:vm-1:id-shared;c:vm:rg-demo:vm-2;ua:vm-2:id-shared;c:vm:rg-demo:vm-3;ua:vm-3:id-shared",
  d: "rg:rg-demo;t:kv:rg-demo:kv-demo;c:vm:rg-demo:vm-app;si:vm-app;ra:s:vm-app:kvsu:r/kv-demo;-r:vm-app;c:vm:rg-demo:vm-app;si:vm-app",
  e: "rg:rg-playground;c:vm:rg-playground:vm-web;si:vm-web;id:rg-playground:id-orders;id:rg-playground:id-reports;ua:vm-web:id-orders;ua:vm-web:id-reports;c:app:rg-playground:app-shop;si:app-shop;t:kv:rg-playground:kv-contoso-demo;ra:u:id-orders:kvsu:r/kv-contoso-demo",
};
const extra = process.argv[2] ? { x: process.argv[2] } : PRESETS;
const app = await serve(DIST, SUB_PATH);
const browser = await launchChromium();
try {
  for (const [id, dsl] of Object.entries(extra)) {
    for (const width of [390, 650, 1280]) {
      for (const theme of ["light", "dark"]) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: theme });
        const page = await context.newPage();
        await page.goto(`${app.origin}${SUB_PATH}#/flows?view=sandbox&sandbox=${dsl}&theme=${theme}`);
        await page.waitForSelector("[data-testid=diagram] [data-node]", { state: "attached" });
        if (process.argv[3]) { await page.getByLabel("Or type actions (action DSL, separated by ;)").fill(process.argv[3]); await page.getByRole("button", { name: "Apply text" }).click(); await page.waitForTimeout(400); }
        const el = page.locator("[data-testid=diagram]");
        await el.screenshot({ path: `${out}/${id}-${width}-${theme}.png` });
        await context.close();
      }
    }
  }
} finally { await browser.close(); await app.close(); }
