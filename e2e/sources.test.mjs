// End to end: "Which source will my code use?" on the IMDS page (#/imds?env=…&sdk=…) in the
// release build, with the real on-demand engine: a deep link per SDK, a pasted environment
// whose secret stays out of the address bar, the panel folded (and the engine not fetched) on a
// plain visit, no page wider than a phone, axe in both themes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { servedApp, watchedPage } from "./harness.mjs";

const AXE_PATH = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

// Workload identity and App Service at once: the SDKs disagree (core endpoint::detect tests
// and core/conformance/detect.sh replay this against the real Python and JS clients).
const WI_AND_APP = [
  "AZURE_AUTHORITY_HOST=https://login.microsoftonline.com/",
  "AZURE_CLIENT_ID=0c5b4d1e-9c3a-4f6b-8e2d-1a7f3c9b5e60",
  "AZURE_TENANT_ID=72f988bf-86f1-41af-91ab-2d7cd011db47",
  "AZURE_FEDERATED_TOKEN_FILE=/var/run/secrets/azure/tokens/azure-identity-token",
  "IDENTITY_ENDPOINT=http://localhost:4141/MSI/token",
  "IDENTITY_HEADER=853b9a84-5bfa-4b22-a3f3-0b9a43d9ad8a",
].join("\n");

const SERVICE_FABRIC = [
  "IDENTITY_ENDPOINT=https://10.0.0.4:2377/metadata/identity/oauth2/token",
  "IDENTITY_HEADER=sf-secret-51b2",
  "IDENTITY_SERVER_THUMBPRINT=3A2B1C0D9E8F7A6B5C4D3E2F1A0B9C8D7E6F5A4B",
].join("\n");

const served = servedApp();
const url = served.url;
const link = (env, sdk) => `#/imds?env=${encodeURIComponent(env)}&sdk=${sdk}`;

test("a link with env= and sdk= shows each SDK's choice, the rule that fired and the request", async () => {
  const context = await served.browser.newContext();
  const { page, problems, requests } = await watchedPage(context);
  const seen = {};
  for (const sdk of ["python", "dotnet", "js", "java"]) {
    await page.goto(url(link(SERVICE_FABRIC, sdk)));
    await page.reload(); // a fresh document per SDK: the link alone decides
    await page.waitForSelector("[data-testid=chosen-source]");
    seen[sdk] = await page.getByTestId("chosen-source").getAttribute("data-source");
    assert.equal(await page.locator("[data-testid=rule][aria-current=step]").count(), 1);
    assert.match(await page.getByTestId("source-request").innerText(), /^GET https:\/\/10\.0\.0\.4:2377\//);
  }
  assert.deepEqual(seen, { python: "service-fabric", dotnet: "service-fabric", js: "service-fabric", java: "service-fabric" });
  // The request names each SDK's api-version: .NET differs (MSAL.NET sends 2020-05-01).
  await page.goto(url(link(SERVICE_FABRIC, "dotnet")));
  await page.reload();
  await page.waitForSelector("[data-testid=source-request]");
  assert.match(await page.getByTestId("source-request").innerText(), /api-version=2020-05-01/);
  assert.ok(requests.every((u) => u.startsWith(url(""))), "no foreign request");
  assert.deepEqual(problems, []);
  await context.close();
});

test("where the SDKs disagree, the table says so; changing the SDK updates the choice and the link", async () => {
  const context = await served.browser.newContext();
  const { page, problems } = await watchedPage(context);
  await page.goto(url(link(WI_AND_APP, "python")));
  await page.waitForSelector("[data-testid=disagreements]");
  const cells = await page.locator("[data-testid=disagreements] tr[data-sdk] td[data-source]").evaluateAll(
    (tds) => tds.map((td) => td.getAttribute("data-source")));
  assert.ok(new Set(cells).size > 1, `the table shows different sources: ${cells}`);
  await page.getByTestId("source-sdk").selectOption("js");
  await page.waitForFunction(() => new URL(location.href).hash.includes("sdk=js"));
  await page.waitForSelector("[data-testid=chosen-source]");
  assert.ok(await page.getByTestId("chosen-source").getAttribute("data-source"));
  assert.deepEqual(problems, []);
  await context.close();
});

test("a pasted secret stays out of the address bar; a plain visit keeps the panel folded and fetches no engine", async () => {
  const context = await served.browser.newContext({ viewport: { width: 390, height: 800 } });
  const { page, problems, requests } = await watchedPage(context);
  await page.goto(url("#/imds"));
  await page.waitForSelector("[data-testid=source-panel]");
  assert.equal(await page.getByTestId("source-panel").evaluate((d) => d.open), false);
  assert.deepEqual(requests.filter((u) => /mi-engine/.test(u)), []);
  await page.locator("[data-testid=source-panel] > summary").click();
  await page.getByTestId("source-env").fill(SERVICE_FABRIC);
  await page.waitForSelector("[data-testid=chosen-source][data-source=service-fabric]");
  await page.waitForSelector("[data-testid=source-withheld]");
  await page.waitForFunction(() => new URL(location.href).hash.includes("env="));
  const hash = decodeURIComponent(new URL(page.url()).hash);
  assert.doesNotMatch(hash, /sf-secret-51b2/);
  assert.match(hash, /IDENTITY_HEADER=<withheld>/);
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.doesNotMatch(stored, /sf-secret-51b2/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `page is ${width} px wide`);
  assert.deepEqual(problems, []);
  await context.close();
});

for (const theme of ["light", "dark"]) {
  test(`axe-core finds no serious or critical violations in the open panel (${theme})`, async () => {
    const context = await served.browser.newContext({ bypassCSP: true, colorScheme: theme });
    const page = await context.newPage();
    await page.goto(url(`${link(WI_AND_APP, "dotnet")}&theme=${theme}`));
    await page.waitForSelector("[data-testid=disagreements]");
    await page.addScriptTag({ path: AXE_PATH });
    const result = await page.evaluate(() =>
      axe.run(document.querySelector("[data-testid=source-panel]"), { runOnly: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"] }));
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    assert.deepEqual(bad, []);
    await context.close();
  });
}
