"""Replays `endpoint::sources`' answers — Service Fabric, Azure Machine Learning, Cloud Shell,
AKS workload identity — to the real clients on loopback and checks what each does with them:
azure-identity 1.27.0 sync (`python`) and asyncio (`python-aio`), @azure/identity 4.13.0 (`js`).

`source_cases` (a mi-core example) writes, per case and client, the environment (endpoints
moved to this script's servers), the request `endpoint::detect` predicts that client sends, and
the simulator's raw answer to it. This script serves those exact bytes (HTTP on 127.0.0.1 for
Azure ML and Cloud Shell; HTTPS with a throw-away self-signed certificate for Service Fabric —
its SHA-1 is IDENTITY_SERVER_THUMBPRINT, which msal pins — and for the Entra token endpoint,
AZURE_AUTHORITY_HOST=https://127.0.0.1:<port>, the certificate trusted through SSL_CERT_FILE /
REQUESTS_CA_BUNDLE / NODE_EXTRA_CA_CERTS except in the case that tests an untrusted one; another
case names a different thumbprint), runs the client in a child process with exactly that
environment, and checks:
- the first request's method and path (decoded) are the predicted ones, and how many requests
  arrived (retries; 0 when the client refuses the certificate);
- a success case returns the simulator's token with the simulator's expiry (±120 s: clients
  add `expires_in` to their own clock);
- an error case raises the class and carries the texts pinned in EXPECT (read in the clients'
  source; the comments say where).
msal-node first fetches `{authority}/{tenant}/v2.0/.well-known/openid-configuration`: this
script answers it with a minimal document pointing at itself (not a simulator response).

Isolation: sources.sh runs this in private network and mount namespaces (`unshare -n -m`):
only loopback exists, so no client can reach Azure.

Usage: sources.sh (needs root)
       python sources.py --inside <venv python> <source_cases binary>
"""

import hashlib
import json
import os
import ssl
import subprocess
import sys
import tempfile
import threading
from urllib.parse import unquote
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
CALL_TIMEOUT_S = 90
EXPIRY_SLACK_S = 120

# What each client does with each answer: ("token", requests) or ("error", class, [texts the
# message contains], requests). Python: azure-identity 1.27.0 sync ManagedIdentityCredential
# (msal 1.39 for Service Fabric and Azure ML; its own ManagedIdentityClient for Cloud Shell;
# ClientAssertionCredential → msal ConfidentialClientApplication for workload identity).
# JavaScript: @azure/identity 4.13.0 (msal-node 3.8.10; workload identity through
# ClientAssertionCredential). Where each text comes from is beside it.
ISSUER = "https://oidc.prod-aks.azure.com/1c7d1c1e-4a53-4f7e-9d26-3e0a7a8f6b21/"
# msal `_obtain_token_on_service_fabric` maps ManagedIdentityNotFound → invalid_client with the
# raw body as description; azure-identity msal_managed_identity_client.py:65-69 raises
# CredentialUnavailableError (so a DefaultAzureCredential chain moves on).
PY_SF_404 = ("error", "CredentialUnavailableError", [
    "Service Fabric managed identity configuration not found in environment. Token request error: (invalid_client) ",
    '"code":"ManagedIdentityNotFound","message":"Managed identity not found for the specified application host."'], 1)
# msal-node BaseManagedIdentitySource.getServerTokenResponse takes error.code / error.message
# from the nested object but reads correlation_id/correlationId only at the top level ("Not
# Available"); @azure/identity's imdsRetryPolicy (perCall, every MI source) retries the 404
# five times: 6 requests.
JS_SF_404 = ("error", "CredentialUnavailableError", [
    "ManagedIdentityCredential: Authentication failed. Message ManagedIdentityNotFound: Error(s): Not Available - Timestamp: Not Available - Description: Managed identity not found for the specified application host. - Correlation ID: Not Available - Trace ID: Not Available"], 6)
# azure-identity's asyncio client (`python-aio`) has its own code on azure-core + aiohttp: it
# keeps `connection_verify=False` for Service Fabric (no certificate check at all), and raises
# azure-core's HttpResponseError text, which parses the `{"error":{"code","message"}}` shape.
PY_AIO_SF_404 = ("error", "ClientAuthenticationError", [
    "(ManagedIdentityNotFound) Managed identity not found for the specified application host.\nCode: ManagedIdentityNotFound\nMessage: Managed identity not found for the specified application host."], 1)
EXPECT = {
    ("service-fabric", "python"): ("token", 1),
    ("service-fabric", "python-aio"): ("token", 1),
    ("service-fabric", "js"): ("token", 1),
    # msal 1.39 pins the certificate to IDENTITY_SERVER_THUMBPRINT (_ServiceFabricHTTPSConnection)
    # and sends nothing to another; the asyncio client checks nothing; msal-node ignores the
    # thumbprint and relies on Node's CA check (the certificate is in NODE_EXTRA_CA_CERTS here).
    ("service-fabric-other-certificate", "python"): ("error", "SSLError", [
        "Service Fabric endpoint certificate thumbprint does not match IDENTITY_SERVER_THUMBPRINT."], 0),
    ("service-fabric-other-certificate", "python-aio"): ("token", 1),
    ("service-fabric-other-certificate", "js"): ("token", 1),
    # No CA trusts the certificate (as with a real cluster's): the pin and the asyncio client's
    # no-check still work; Node refuses the self-signed certificate.
    ("service-fabric-untrusted-certificate", "python"): ("token", 1),
    ("service-fabric-untrusted-certificate", "python-aio"): ("token", 1),
    # msal-node's network client reports the failed TLS handshake as a network error.
    ("service-fabric-untrusted-certificate", "js"): ("error", "CredentialUnavailableError", [
        "ManagedIdentityCredential: Network unreachable. Message: network_error: Network request failed"], 0),
    ("service-fabric-wrong-secret", "python-aio"): PY_AIO_SF_404,
    ("service-fabric-no-identity", "python-aio"): PY_AIO_SF_404,
    ("azure-ml", "python-aio"): ("token", 1),
    ("azure-ml-wrong-secret", "python-aio"): ("error", "ClientAuthenticationError", [
        "(None) The secret header value is invalid.\nCode: None\nMessage: The secret header value is invalid."], 1),
    ("cloud-shell", "python-aio"): ("token", 1),
    ("workload-identity", "python-aio"): ("token", 1),
    ("service-fabric-wrong-secret", "python"): PY_SF_404,
    ("service-fabric-wrong-secret", "js"): JS_SF_404,
    ("service-fabric-no-identity", "python"): PY_SF_404,
    ("service-fabric-no-identity", "js"): JS_SF_404,
    ("azure-ml", "python"): ("token", 1),
    ("azure-ml", "js"): ("token", 1),
    # msal `_obtain_token_on_machine_learning`: any body without a token becomes
    # "invalid_scope" (its "TODO: To be tested") with the payload's Python repr.
    ("azure-ml-wrong-secret", "python"): ("error", "CredentialUnavailableError", [
        "Azure ML managed identity configuration not found in environment. Token request error: (invalid_scope) {'statusCode': 401, 'message': 'The secret header value is invalid.', 'correlationId': "], 1),
    # msal-node reads the top-level message and correlationId; there is no `error` ("undefined").
    ("azure-ml-wrong-secret", "js"): ("error", "CredentialUnavailableError", [
        "ManagedIdentityCredential: Authentication failed. Message undefined: Error(s): Not Available - Timestamp: Not Available - Description: The secret header value is invalid. - Correlation ID: 5ebebe50-0b0d-4902-84f9-1f53957457fa - Trace ID: Not Available"], 1),
    ("cloud-shell", "python"): ("token", 1),
    ("cloud-shell", "js"): ("token", 1),
    ("workload-identity", "python"): ("token", 1),
    ("workload-identity", "js"): ("token", 1),
    # azure-identity aad_client_base.py:543 "Microsoft Entra ID error '({error}) {description}'";
    # @azure/identity msal/utils.js handleMsalError: anything else → AuthenticationRequiredError
    # with msal-node's "<error>: Error(s): <codes> - Timestamp: … - Description: …".
    ("workload-identity-no-match", "python"): ("error", "ClientAuthenticationError", [
        "Microsoft Entra ID error '(invalid_client) AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '%s'. Assertion Subject: 'system:serviceaccount:orders:orders-api'. Assertion Audience: 'api://AzureADTokenExchange'." % ISSUER], 1),
    ("workload-identity-no-match", "js"): ("error", "AuthenticationRequiredError", [
        "invalid_client: Error(s): 70021 - Timestamp: ",
        "Description: AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '%s'." % ISSUER], 1),
    ("workload-identity-expired", "python"): ("error", "ClientAuthenticationError", [
        "Microsoft Entra ID error '(invalid_client) AADSTS700024: Client assertion is not within its valid time range. Current time: "], 1),
    ("workload-identity-expired", "js"): ("error", "AuthenticationRequiredError", [
        "invalid_client: Error(s): 700024 - Timestamp: ",
        "Description: AADSTS700024: Client assertion is not within its valid time range."], 1),
    ("workload-identity-unknown-client", "python"): ("error", "ClientAuthenticationError", [
        "Microsoft Entra ID error '(unauthorized_client) AADSTS700016: Application with identifier '11111111-1111-4111-8111-111111111111' was not found in the directory 'Contoso'."], 1),
    ("workload-identity-unknown-client", "js"): ("error", "AuthenticationRequiredError", [
        "unauthorized_client: Error(s): 700016 - Timestamp: ",
        "Description: AADSTS700016: Application with identifier '11111111-1111-4111-8111-111111111111' was not found in the directory 'Contoso'."], 1),
}

# The asyncio workload-identity credential words Entra's errors as the sync one does
# (aad_client_base.py is shared).
for _case in ["workload-identity-no-match", "workload-identity-expired", "workload-identity-unknown-client"]:
    EXPECT[(_case, "python-aio")] = EXPECT[(_case, "python")]

CURRENT = {"wire": b"", "log": []}
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _handle(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode("utf-8", "replace") if n else ""
        with LOCK:
            CURRENT["log"].append({"method": self.command, "path": self.path,
                                   "headers": list(self.headers.items()), "body": body})
            wire = CURRENT["wire"]
        if self.command == "GET" and "/.well-known/openid-configuration" in self.path:
            tenant = self.path.split("/")[1]
            base = "https://127.0.0.1:%d/%s" % (self.server.server_address[1], tenant)
            doc = json.dumps({
                "token_endpoint": base + "/oauth2/v2.0/token",
                "issuer": "https://login.microsoftonline.com/%s/v2.0" % tenant,
                "authorization_endpoint": base + "/oauth2/v2.0/authorize",
                "end_session_endpoint": base + "/oauth2/v2.0/logout",
                "jwks_uri": base + "/discovery/v2.0/keys",
            }).encode()
            wire = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                    % len(doc)) + doc
        # The simulator's bytes, untouched; one response per connection.
        self.wfile.write(wire)
        self.wfile.flush()
        self.close_connection = True

    do_GET = _handle
    do_POST = _handle

    def log_message(self, *args):
        pass


def serve(context=None):
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if context:
        srv.socket = context.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


PY_CLIENT = r"""
import json
from azure.identity import ManagedIdentityCredential
try:
    t = ManagedIdentityCredential().get_token("https://management.azure.com/.default")
    print(json.dumps({"token": t.token, "expires_on": t.expires_on}))
except Exception as e:
    print(json.dumps({"error": type(e).__name__, "message": str(e)}))
"""

PY_AIO_CLIENT = r"""
import asyncio, json
from azure.identity.aio import ManagedIdentityCredential
async def main():
    c = ManagedIdentityCredential()
    try:
        t = await c.get_token("https://management.azure.com/.default")
        print(json.dumps({"token": t.token, "expires_on": t.expires_on}))
    except Exception as e:
        print(json.dumps({"error": type(e).__name__, "message": str(e)}))
    finally:
        await c.close()
asyncio.run(main())
"""

JS_CLIENT = r"""
const id = await import(process.argv[1]);
try {
  const t = await new id.ManagedIdentityCredential().getToken("https://management.azure.com/.default");
  console.log(JSON.stringify({ token: t.token, expires_on: Math.round(t.expiresOnTimestamp / 1000) }));
} catch (e) {
  console.log(JSON.stringify({ error: e.name, message: String(e.message) }));
}
"""


def path_of(url):
    rest = url.split("://", 1)[1] if "://" in url else url
    i = rest.find("/")
    return rest[i:] if i >= 0 else "/"


def strip_telemetry(path):
    """msal-node adds ?client-request-id=… to Entra requests (detect leaves telemetry out)."""
    if "?" not in path:
        return path
    p, q = path.split("?", 1)
    kept = [kv for kv in q.split("&") if kv.split("=", 1)[0] != "client-request-id"]
    return p + ("?" + "&".join(kept) if kept else "")


def main_inside(python, cases_bin):
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    work = tempfile.mkdtemp(prefix="mi-sources.")
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    thumbprint = hashlib.sha1(ssl.PEM_cert_to_DER_cert(open(cert).read())).hexdigest().upper()
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    http, https = serve(), serve(tls)
    out = subprocess.run(
        [cases_bin, "--http", "http://127.0.0.1:%d" % http.server_address[1],
         "--https", "https://127.0.0.1:%d" % https.server_address[1], "--thumbprint", thumbprint, "--dir", work],
        check=True, capture_output=True, text=True)
    cases = json.loads(out.stdout)
    identity = os.path.join(HERE, "js", "node_modules", "@azure", "identity", "dist", "esm", "index.js")
    only = set(sys.argv[4:])
    passed = failed = 0
    for case in cases:
        name = "%s %s" % (case["case"], case["client"])
        if only and case["case"] not in only:
            continue
        if "error" in case or "error" in case["answer"]:
            failed += 1
            print("FAIL %s: %s" % (name, case.get("error") or case["answer"]["error"]))
            continue
        answer = case["answer"]
        with open(case["token_file"], "w") as f:
            f.write(case["token_file_contents"])
        with LOCK:
            CURRENT["wire"] = answer["wire"].encode()
            CURRENT["log"] = []
        env = {"PATH": os.environ["PATH"], "HOME": work}
        if case.get("trust_ca", True):
            env.update({"SSL_CERT_FILE": cert, "REQUESTS_CA_BUNDLE": cert, "NODE_EXTRA_CA_CERTS": cert})
        env.update({k: v for k, v in case["env"]})
        if case["client"] == "python":
            cmd = [python, "-c", PY_CLIENT]
        elif case["client"] == "python-aio":
            cmd = [python, "-c", PY_AIO_CLIENT]
        else:
            cmd = ["node", "--input-type=module", "-e", JS_CLIENT, identity]
        try:
            run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=CALL_TIMEOUT_S)
            lines = run.stdout.strip().splitlines()
            result = json.loads(lines[-1]) if lines else {"error": "no output", "message": run.stderr[-400:]}
        except subprocess.TimeoutExpired:
            result = {"error": "timeout", "message": ""}
        except ValueError:
            result = {"error": "unparsable output", "message": run.stdout[-400:]}
        with LOCK:
            log = [r for r in CURRENT["log"] if "/.well-known/" not in r["path"]]
        problems = []
        want = case["request"]
        expect = EXPECT.get((case["case"], case["client"]))
        if not log:
            if expect is None or expect[-1] != 0:
                problems.append("nothing reached the simulator")
        else:
            first = log[0]
            # Compared decoded: the asyncio client sends the resource unencoded where the sync
            # one encodes it (detect.py checks the exact encoding of the sync client's).
            if first["method"] != want["method"] or unquote(strip_telemetry(first["path"])) != unquote(path_of(want["url"])):
                problems.append("sent %s %s, predicted %s %s" % (first["method"], first["path"], want["method"], path_of(want["url"])))
        if expect is None:
            problems.append("no expectation pinned; the client said %s" % json.dumps(result)[:600])
        elif expect[0] == "token":
            if result.get("token") != answer["token"]:
                problems.append("no token / not the simulator's: %s" % json.dumps(result)[:400])
            elif abs(int(result["expires_on"]) - int(answer["expires_on"])) > EXPIRY_SLACK_S:
                problems.append("expires_on %s, simulator's exp %s" % (result["expires_on"], answer["expires_on"]))
        else:
            _, cls, texts, _ = expect
            if result.get("error") != cls:
                problems.append("raised %s, expected %s: %s" % (result.get("error"), cls, result.get("message", "")[:400]))
            for t in texts:
                if t not in result.get("message", ""):
                    problems.append("message lacks %r: %s" % (t, result.get("message", "")[:600]))
        if expect is not None and len(log) != expect[-1]:
            problems.append("%d requests reached the simulator, expected %d" % (len(log), expect[-1]))
        retries = len(log) - 1 if log else 0
        said = ("token, expires_on %s" % result.get("expires_on")) if "token" in result else \
            "%s: %s" % (result.get("error"), result.get("message", "").replace("\n", " ")[:240])
        if problems:
            failed += 1
            print("FAIL %s (HTTP %s, %d requests): %s" % (name, answer["status"], len(log), "; ".join(problems)))
        else:
            passed += 1
            print("ok   %s (HTTP %s, %d request%s) -> %s" % (name, answer["status"], len(log), "" if retries == 0 else "s", said))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--inside":
        sys.exit(main_inside(sys.argv[2], sys.argv[3]))
    print(__doc__)
    sys.exit(2)
