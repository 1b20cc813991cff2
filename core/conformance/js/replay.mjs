// One @azure/identity ManagedIdentityCredential call for one conformance case, against the
// replay server that run.py started on 127.0.0.1 (see ../README.md). Prints the outcome as one
// JSON line: {"outcome":"token","token":…,"expires_on":<unix s>} or
// {"outcome":"error","class":<err.name>,"message":<err.message>}.
//
//   node replay.mjs <cases.json> <case name> <http://127.0.0.1:port>
//
// The credential is configured only through the environment variables it reads in Azure
// (@azure/msal-node 3.8 ManagedIdentityClient source selection: Service Fabric, App Service,
// Azure ML, Cloud Shell, Arc, then IMDS), all pointing at the loopback server. Whatever the
// source, AZURE_POD_IDENTITY_AUTHORITY_HOST points IMDS — the fallback — there too, so nothing
// can reach 169.254.169.254. Retries are left as the package configures them.
import { readFileSync } from "node:fs";

const [casesPath, name, base] = process.argv.slice(2);
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base ?? "")) {
  console.error(`refusing a non-loopback server: ${base}`);
  process.exit(2);
}
const testCase = JSON.parse(readFileSync(casesPath, "utf8")).find((c) => c.name === name);
if (!testCase) {
  console.error(`no case ${name}`);
  process.exit(2);
}

// Every variable any managed-identity source or proxy logic reads, cleared first.
for (const v of [
  "IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT",
  "MSI_ENDPOINT", "MSI_SECRET", "AZURE_POD_IDENTITY_AUTHORITY_HOST", "AZURE_CLIENT_ID",
  "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_AUTHORITY_HOST",
  "DEFAULT_IDENTITY_CLIENT_ID", "AZURE_LOG_LEVEL",
  "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy",
]) {
  delete process.env[v];
}
process.env.NO_PROXY = "127.0.0.1,localhost";
process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = base; // IMDS, and the fallback of every source
switch (testCase.source) {
  case "imds":
    break;
  case "appservice":
    process.env.IDENTITY_ENDPOINT = `${base}/MSI/token`;
    process.env.IDENTITY_HEADER = testCase.env.identity_header;
    break;
  case "azureml":
    process.env.MSI_ENDPOINT = `${base}/MSI/token`;
    process.env.MSI_SECRET = testCase.env.identity_header;
    break;
  case "arc":
    process.env.IDENTITY_ENDPOINT = `${base}/metadata/identity/oauth2/token`;
    process.env.IMDS_ENDPOINT = base;
    break;
  default:
    console.error(`unknown source ${testCase.source}`);
    process.exit(2);
}

// The credential reads the environment when it is constructed: import it only now.
const { ManagedIdentityCredential } = await import("@azure/identity");
const names = { client_id: "clientId", object_id: "objectId", resource_id: "resourceId" };
const options = {};
for (const [k, v] of Object.entries(testCase.selector ?? {})) {
  options[names[k]] = v;
}

let out;
try {
  const credential = new ManagedIdentityCredential(options);
  const token = await credential.getToken(testCase.scope);
  out = {
    outcome: "token",
    token: token.token,
    expires_on: Math.floor(token.expiresOnTimestamp / 1000),
  };
} catch (e) {
  out = { outcome: "error", class: e?.name ?? typeof e, message: e?.message ?? String(e) };
}
console.log(JSON.stringify(out));
