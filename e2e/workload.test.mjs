// End to end: the workload identity lane of #/flows in the release build — a pod without a
// federated credential gets AADSTS70021 naming its issuer and subject, the credential makes
// the exchange succeed, the token opens in the decoder as the user-assigned identity, the
// troubleshooter explains the lane's error; no console error, no request to another origin,
// axe clean in both themes, and the engine is not fetched for the lane.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { servedApp, watchedPage } from "./harness.mjs";

const AXE_PATH = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const LANE = "[data-testid=lane-workload]";

const served = servedApp();
const url = served.url;

test("a pod without a federated credential gets AADSTS70021; with one, a token the decoder reads", async () => {
  const context = await served.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, problems } = await watchedPage(context);
  const engine = [];
  page.on("request", (r) => { if (/mi-engine/.test(r.url())) engine.push(r.url()); });
  await page.goto(url("#/flows?view=lanes&lane=workload&workload=3"));
  const lane = page.locator(LANE);
  await lane.locator("[data-testid=step-counter]", { hasText: "Step 3 of 8" }).waitFor();
  assert.match(await lane.locator("[data-testid=token-oid]").innerText(), /^no token: this step's request got 401 Unauthorized$/);
  assert.equal(await lane.locator("svg.dg-wide .dg-e-federated.dg-fail").count(), 1);
  await lane.locator("[data-testid=step-details] > summary").click();
  const response = await lane.locator("[data-testid=exchange] [data-testid=raw-response]").innerText();
  assert.match(response, /^HTTP\/1\.1 401 Unauthorized\r?\n/);
  const m = response.match(/AADSTS70021: No matching federated identity record found for presented assertion\. Assertion Issuer: '(https:\/\/eastus\.oic\.prod-aks\.azure\.com\/[0-9a-f-]{36}\/[0-9a-f-]{36}\/)'\. Assertion Subject: 'system:serviceaccount:orders:orders-api'\. Assertion Audience: 'api:\/\/AzureADTokenExchange'\./);
  assert.ok(m, response);
  const request = await lane.locator("[data-testid=exchange] [data-testid=raw-request]").innerText();
  assert.match(request, /^POST \/[0-9a-f-]{36}\/oauth2\/v2\.0\/token HTTP\/1\.1\r?\nHost: login\.microsoftonline\.com\r?\n/);

  // Next step: the federated credential names that issuer; the exchange answers 200.
  const clicked = Date.now();
  await lane.getByRole("button", { name: "Next step" }).click();
  await lane.locator("[data-testid=step-counter]", { hasText: "Step 4 of 8" }).waitFor();
  const stepMs = Date.now() - clicked;
  assert.match(await lane.locator("[data-testid=access-result]").innerText(), /^200 OK/);
  const az = await lane.locator("[data-testid=change] [data-testid=az]").first().innerText();
  assert.ok(az.includes(`--issuer ${m[1]} --subject system:serviceaccount:orders:orders-api`), az);
  const oid = await lane.locator("[data-testid=token-oid]").innerText();
  assert.match(oid, /^[0-9a-f-]{36}$/);
  // The details stay as the reader left them (open since step 3).
  await lane.locator("[data-testid=step-details]").evaluate((d) => { d.open = true; });
  await lane.locator("[data-testid=open-in-decoder]").click();
  await page.locator("[data-testid=identity-kind]").waitFor();
  assert.match(await page.locator("[data-testid=identity-kind]").innerText(), /user-assigned/i);
  assert.ok((await page.locator("[data-testid=page]").innerText()).includes(oid));
  assert.deepEqual(engine, [], "the lane and the decoder of a token need no engine");
  // The last step replays the whole lane (6 token requests, each signing the pod's token and
  // the access token): how long a deep link to it takes to show.
  const opened = Date.now();
  await page.goto(url("#/flows?view=lanes&lane=workload&workload=8"));
  await lane.locator("[data-testid=access-result]", { hasText: "200 OK" }).waitFor();
  const lastMs = Date.now() - opened;
  console.log(`workload lane: Next step (3 → 4) shown in ${stepMs} ms; a deep link to step 8 in ${lastMs} ms`);
  assert.ok(stepMs < 2000 && lastMs < 4000, `${stepMs} ms, ${lastMs} ms`);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the troubleshooter explains the lane's AADSTS70021 as a federated mismatch", async () => {
  const context = await served.browser.newContext({ viewport: { width: 650, height: 900 } });
  const { page, problems } = await watchedPage(context);
  await page.goto(url("#/flows?view=lanes&lane=workload&workload=5"));
  const lane = page.locator(LANE);
  await lane.locator("[data-testid=step-counter]", { hasText: "Step 5 of 8" }).waitFor();
  await lane.locator("[data-testid=step-details] > summary").click();
  const response = await lane.locator("[data-testid=exchange] [data-testid=raw-response]").innerText();
  const body = response.slice(response.indexOf("{"));
  await page.goto(url(`#/troubleshoot?text=${encodeURIComponent(body)}`));
  const cause = page.locator("[data-testid=error-cause]");
  await cause.waitFor();
  assert.equal(await cause.getAttribute("data-cause"), "federated-mismatch");
  assert.ok((await page.locator("[data-testid=page]").innerText()).includes("system:serviceaccount:orders-v2:orders-api"));
  assert.deepEqual(problems, []);
  await context.close();
});

for (const theme of ["light", "dark"]) {
  test(`axe-core finds no serious or critical violations in the workload lane (${theme})`, async () => {
    // Axe is injected as a script: the page's CSP would refuse it.
    const context = await served.browser.newContext({ bypassCSP: true, viewport: { width: 650, height: 900 }, colorScheme: theme });
    const page = await context.newPage();
    await page.goto(url(`#/flows?view=lanes&lane=workload&workload=5&theme=${theme}`));
    await page.locator(`${LANE} [data-testid=diagram] [data-node]`).first().waitFor({ state: "attached" });
    await page.locator(`${LANE} [data-testid=step-details] > summary`).click();
    await page.addScriptTag({ path: AXE_PATH });
    const result = await page.evaluate((scope) =>
      axe.run(document.querySelector(scope), { runOnly: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"] }), LANE);
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    assert.deepEqual(bad, []);
    await context.close();
  });
}
