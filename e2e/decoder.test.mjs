// End to end: the decoder as a person uses it, plus its latency benchmarks (reported, not asserted).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { generateKeyPairSync, createSign } from "node:crypto";
import { DIST, SUB_PATH, serve, launchChromium, watchedPage, timeToSelector } from "./harness.mjs";

// The decoder's built-in samples (minted by the simulator) — the same tokens the UI offers.
const SAMPLES = Object.fromEntries(
  [...readFileSync(new URL("../core/src/token/samples.rs", import.meta.url), "utf8")
    .matchAll(/"([a-z-]+)",\s*"(eyJ[^"]+)"/g)].map((m) => [m[1], m[2]]));

const b64url = (s) => Buffer.from(s).toString("base64url");

let app, browser;
const numbers = [];

before(async () => {
  assert.ok(SAMPLES["system-assigned"] && SAMPLES["user-assigned"], "samples found");
  app = await serve(DIST, SUB_PATH);
  browser = await launchChromium();
});

after(async () => {
  if (numbers.length) {
    console.log("\nDecoder benchmarks (release build, headless Chromium on this machine):");
    for (const line of numbers) console.log(`  ${line}`);
  }
  await browser?.close();
  await app?.close();
});

const url = (hash) => `${app.origin}${SUB_PATH}${hash}`;
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

test("paste a token: the summary and the claims appear, with no network request", async () => {
  const context = await browser.newContext();
  const { page, problems, requests } = await watchedPage(context);
  await page.goto(url("#/decoder"));
  await page.waitForSelector("[data-testid=page][data-route=decoder]");
  const before = requests.length;
  await page.getByLabel("Token", { exact: true }).fill(`Bearer ${SAMPLES["user-assigned"]}`);
  await page.waitForSelector("[data-testid=identity-kind]");
  assert.equal(await page.getByTestId("identity-kind").innerText(), "User-assigned");
  assert.match(await page.getByTestId("mirid").innerText(), /userAssignedIdentities\/id-/);
  assert.match(await page.getByTestId("host-resource").innerText(), /virtualMachines\/vm-web$/);
  const oidRow = page.locator("[data-testid=claim-row][data-claim=oid]");
  assert.equal(await oidRow.locator("td code").first().innerText(), await page.getByTestId("principal-id").innerText());
  // A built-in sample is simulator state: the address bar names it.
  await page.waitForFunction(() => location.hash === "#/decoder?sample=user");
  assert.ok(!new URL(page.url()).search, "never in the query string");
  // The browser may fetch the favicon lazily; nothing else may be requested while decoding.
  const during = requests.slice(before).filter((u) => !u.endsWith("/favicon.svg"));
  assert.deepEqual(during, [], "no request while decoding");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a pasted credential stays out of the address bar, history and storage until the user asks for a share link", async () => {
  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const { page, problems } = await watchedPage(context);
  await page.goto(url("#/decoder"));
  await page.waitForSelector("[data-testid=page][data-route=decoder]");
  // A token that looks real: signed with a key the playground does not know.
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const header = b64url(JSON.stringify({ typ: "JWT", alg: "RS256", kid: "live-looking-key" }));
  const now = Math.floor(Date.now() / 1000);
  const payload = b64url(JSON.stringify({ aud: "https://vault.azure.net", iss: "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
    iat: now - 300, nbf: now - 300, exp: now + 86400, appid: "1b2c3d4e-0000-4000-8000-000000000001", appidacr: "2", idtyp: "app",
    oid: "9a8b7c6d-0000-4000-8000-000000000002", sub: "9a8b7c6d-0000-4000-8000-000000000002", tid: "72f988bf-86f1-41af-91ab-2d7cd011db47", ver: "1.0" }));
  const signer = createSign("RSA-SHA256");
  signer.update(`${header}.${payload}`);
  const jwt = `${header}.${payload}.${signer.sign(privateKey).toString("base64url")}`;
  const syncs = () => page.locator("section.decoder").getAttribute("data-link-sync");
  const before = await syncs();
  await page.getByLabel("Token", { exact: true }).fill(`Authorization: Bearer ${jwt}`);
  await page.waitForSelector("[data-testid=kept-out]");
  await page.locator("[data-testid=compare] summary").click();
  await page.getByLabel("Second token").fill(jwt);
  // The debounced address-bar update has run; now look everywhere a browser keeps things.
  await page.waitForFunction((b) => document.querySelector("section.decoder").dataset.linkSync !== b, before);
  const stored = await page.evaluate(() => JSON.stringify({
    href: location.href,
    history: history.state,
    local: Object.entries(localStorage),
    session: Object.entries(sessionStorage),
    cookie: document.cookie,
  }));
  assert.ok(!stored.includes(payload), `token found in ${stored.slice(0, 400)}`);
  assert.equal(new URL(page.url()).hash, "#/decoder");
  // Asked for: the share link carries it, and the page says so.
  await page.getByTestId("share-link").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=share] [role=status]")?.textContent === "Copied.");
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(clip.startsWith(`${app.origin}${SUB_PATH}#/decoder?token=`) && clip.includes(payload), clip.slice(0, 200));
  assert.match(await page.getByTestId("share-note").innerText(), /contains your token — a credential/);
  assert.ok(!page.url().includes(payload), "copying does not put it in the address bar");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a deep link decodes on load (and jwt.ms-style links work)", async () => {
  const context = await browser.newContext();
  const { page, problems } = await watchedPage(context);
  const times = [];
  for (let i = 0; i < 6; i++) {
    await page.goto("about:blank");
    times.push(await timeToSelector(page, url(`#/decoder?token=${SAMPLES["system-assigned"]}`), "[data-testid=identity-kind]"));
  }
  assert.equal(await page.getByTestId("identity-kind").innerText(), "System-assigned");
  numbers.push(`navigation → deep-linked summary painted: first ${times[0].toFixed(1)} ms, then median ${pct(times.slice(1), 50).toFixed(1)} ms (target < 120 ms; jwt.io v2: 613 ms)`);
  await page.goto("about:blank");
  await page.goto(url(`#access_token=${SAMPLES["user-assigned"]}`));
  await page.waitForSelector("[data-testid=identity-kind]");
  assert.equal(await page.getByTestId("identity-kind").innerText(), "User-assigned");
  assert.ok(page.url().includes("#/decoder?token="), page.url());
  assert.deepEqual(problems, []);
  await context.close();
});

test("verify an RS256 signature with a JWK made in the test, and see a tampered token fail", async () => {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = JSON.stringify({ ...publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256", use: "sig" });
  const input = `${b64url('{"typ":"JWT","alg":"RS256","kid":"k1"}')}.${b64url(JSON.stringify({ aud: "api://demo", iss: "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/", oid: "3f0e5a8c-1111-4c8e-9d3b-2f4f2a9b7c10", sub: "3f0e5a8c-1111-4c8e-9d3b-2f4f2a9b7c10", tid: "72f988bf-86f1-41af-91ab-2d7cd011db47" }))}`;
  const signature = createSign("RSA-SHA256").update(input).sign(privateKey).toString("base64url");
  const context = await browser.newContext();
  const { page, problems } = await watchedPage(context);
  await page.goto(url("#/decoder"));
  await page.getByLabel("Token", { exact: true }).fill(`${input}.${signature}`);
  await page.getByLabel("Public key (JWK, JWKS or PEM)").fill(JSON.stringify({ keys: [JSON.parse(jwk)] }));
  await page.getByRole("button", { name: "Verify signature" }).click();
  await page.waitForFunction(() => /Signature (valid|invalid)|Could not/.test(document.querySelector("[data-testid=verify-result]").textContent));
  assert.match(await page.getByTestId("verify-result").innerText(), /^Signature valid\./);
  const tampered = `${input.slice(0, -2)}${input.slice(-2) === "fQ" ? "fX" : "fQ"}.${signature}`;
  await page.getByLabel("Token", { exact: true }).fill(tampered);
  await page.getByRole("button", { name: "Verify signature" }).click();
  await page.waitForFunction(() => /Signature (valid|invalid)|Could not/.test(document.querySelector("[data-testid=verify-result]").textContent));
  assert.match(await page.getByTestId("verify-result").innerText(), /^Signature invalid\./);
  assert.deepEqual(problems, []);
  await context.close();
});

test("compare two tokens: the claims that differ are marked", async () => {
  const context = await browser.newContext();
  const { page } = await watchedPage(context);
  await page.goto(url(`#/decoder?token=${SAMPLES["system-assigned"]}`));
  await page.getByText("Compare with a second token").click();
  await page.getByLabel("Second token").fill(SAMPLES["user-assigned"]);
  await page.waitForSelector("[data-testid=diff-row][data-claim=oid]");
  assert.equal(await page.locator("[data-testid=diff-row][data-claim=oid]").getAttribute("data-kind"), "changed");
  assert.equal(await page.locator("[data-testid=diff-row][data-claim=xms_az_rid]").getAttribute("data-kind"), "only-right");
  assert.equal(await page.locator("[data-testid=diff-row][data-claim=aud]").getAttribute("data-kind"), "same");
  await context.close();
});

test("benchmark: paste → rendered summary, for a 1.5 KB token and a 1 MiB input", async () => {
  const context = await browser.newContext();
  const { page, problems } = await watchedPage(context);
  await page.goto(url("#/decoder"));
  await page.waitForSelector("#token-input");
  // Alternate two tokens of different kinds so every paste changes the summary.
  const result = await page.evaluate(async ([a, b]) => {
    const area = document.getElementById("token-input");
    const paste = async (text, expect) => {
      const t0 = performance.now();
      area.value = text;
      area.dispatchEvent(new InputEvent("input", { bubbles: true }));
      const kind = () => document.querySelector("[data-testid=identity-kind]")?.textContent ?? null;
      if (kind() !== expect) {
        await new Promise((done) => {
          const obs = new MutationObserver(() => { if (kind() === expect) { obs.disconnect(); done(); } });
          obs.observe(document.body, { subtree: true, childList: true, characterData: true });
        });
      }
      return performance.now() - t0;
    };
    const small = [];
    // One paste at a time: let the previous paste's deferred details render before the next.
    const settle = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    // 20 warm-up pastes (the engine tiers up the wasm), then 200 measured: p95 over fewer
    // samples is just the third-worst outlier.
    for (let i = 0; i < 220; i++) {
      await settle();
      small.push(await paste(i % 2 ? b : a, i % 2 ? "User-assigned" : "System-assigned"));
    }
    // 1 MiB: a token whose payload carries a large claim.
    const enc = (o) => btoa(JSON.stringify(o)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const [h, p, s] = a.split(".");
    const claims = JSON.parse(atob(p.replace(/-/g, "+").replace(/_/g, "/")));
    claims.filler = "x".repeat(760 * 1024);
    const big = `${h}.${enc(claims)}.${s}`;
    const large = [];
    for (let i = 0; i < 3; i++) {
      await paste("", null);
      large.push(await paste(big, "System-assigned"));
    }
    return { small: small.slice(20), large, bigLength: big.length, smallLength: a.length };
  }, [SAMPLES["system-assigned"], SAMPLES["user-assigned"]]);
  numbers.push(`paste → summary, ${(result.smallLength / 1024).toFixed(1)} KB token: p50 ${pct(result.small, 50).toFixed(2)} ms, p95 ${pct(result.small, 95).toFixed(2)} ms (target p95 < 2 ms; jwt.io v2: 10 ms)`);
  numbers.push(`paste → summary, ${(result.bigLength / 1048576).toFixed(2)} MiB input: ${result.large.map((x) => x.toFixed(0)).join(", ")} ms (target < 200 ms)`);
  assert.ok(result.large.every((x) => x < 5000), "a 1 MiB input must not freeze the page");
  assert.deepEqual(problems, []);
  await context.close();
});
