"""Checks `endpoint::detect` against the real clients: which managed-identity source each picks
for an environment, and the first request it sends there.

`detect_cases` (a mi-core example) writes every example environment of `endpoint::detect` with
its endpoints moved to this script's loopback servers, and what `detect` predicts for the Python
(azure-identity 1.27 sync, through msal 1.39) and JavaScript (@azure/identity 4.13, through
msal-node 3.8) clients, under ManagedIdentityCredential() and DefaultAzureCredential(). For each
case this script runs the client in a child process with exactly that environment (nothing
else: PATH, HOME and the CA file for the test certificate), records what reaches its servers,
and compares the first request (the source it goes to, method, path and query, every header
`detect` lists, the body) with the prediction. A client that sends nothing must be predicted to
send nothing.

Isolation: run.sh starts this script in private network and mount namespaces (`unshare -n -m`):
only the loopback interface exists, so no client can reach anything but these servers
(169.254.169.254 and login.microsoftonline.com are unreachable by construction), and /opt is a
private tmpfs holding a fake Arc agent (/opt/azcmagent/bin/himds) for the one case that needs it.

Usage: detect.sh (needs root for the namespaces)
       python detect.py --inside <venv python> <detect_cases binary>   (what detect.sh runs)
"""

import hashlib
import json
import os
import ssl
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
CALL_TIMEOUT_S = 60
# Headers every stack adds and telemetry: not part of the prediction (request.rs says so).
TRANSPORT = {
    "host", "user-agent", "accept", "accept-encoding", "connection", "content-length",
    "x-ms-client-request-id", "x-client-sku", "x-client-ver", "x-client-os", "x-client-cpu",
    "client-request-id", "return-client-request-id", "x-ms-return-client-request-id",
    "traceparent", "x-app-name", "x-app-ver", "x-client-current-telemetry",
    "x-client-last-telemetry", "x-ms-lib-capability",
}
TOKEN = ("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0."
         "eyJhdWQiOiJhcGk6Ly9BenVyZUFEVG9rZW5FeGNoYW5nZSIsInN1YiI6InN5c3RlbTpzZXJ2aWNlYWNjb3VudDpkZWZhdWx0OnNhIn0.")

LOG = []
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def _handle(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode("utf-8", "replace") if n else ""
        with LOCK:
            LOG.append({
                "port": self.server.server_address[1],
                "method": self.command,
                "path": self.path,
                "headers": list(self.headers.items()),
                "body": body,
            })
        if self.command == "GET" and "/.well-known/openid-configuration" in self.path:
            tenant = self.path.split("/")[1]
            base = "https://127.0.0.1:%d/%s" % (self.server.server_address[1], tenant)
            out = json.dumps({
                "token_endpoint": base + "/oauth2/v2.0/token",
                "issuer": "https://login.microsoftonline.com/%s/v2.0" % tenant,
                "authorization_endpoint": base + "/oauth2/v2.0/authorize",
                "end_session_endpoint": base + "/oauth2/v2.0/logout",
                "jwks_uri": base + "/discovery/v2.0/keys",
            })
            status = 200
        else:
            # A plain 400: no client retries it, so one request per case.
            out = json.dumps({"error": "invalid_request", "error_description": "detect.py records requests only"})
            status = 400
        data = out.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = _handle
    do_POST = _handle

    def log_message(self, *args):
        pass


def serve(port, context=None):
    srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    if context:
        srv.socket = context.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


PY_CLIENT = r"""
import json, sys
mode = sys.argv[1]
from azure.identity import ManagedIdentityCredential, DefaultAzureCredential
try:
    c = ManagedIdentityCredential() if mode == "mi" else DefaultAzureCredential()
    c.get_token("https://management.azure.com/.default")
    print(json.dumps({"ok": True}))
except Exception as e:
    print(json.dumps({"error": type(e).__name__, "message": str(e)[:300]}))
"""

JS_CLIENT = r"""
const mode = process.argv[1];
const id = await import(process.argv[2]);
try {
  const c = mode === "mi" ? new id.ManagedIdentityCredential() : new id.DefaultAzureCredential();
  await c.getToken("https://management.azure.com/.default");
  console.log(JSON.stringify({ ok: true }));
} catch (e) {
  console.log(JSON.stringify({ error: e.name, message: String(e.message).slice(0, 300) }));
}
"""


def classify(req, http_port, https_port):
    """The source a recorded request went to, read from where it went and what it carries."""
    if req is None:
        return "none"
    path = req["path"]
    headers = {k.lower(): v for k, v in req["headers"]}
    if req["port"] == 40342:
        return "azure-arc"
    if path.startswith("/pod/"):
        return "imds"
    if "/oauth2/v2.0/token" in path or "/.well-known/" in path:
        return "workload-identity"
    if "x-identity-header" in headers:
        return "app-service"
    if req["port"] == https_port and "secret" in headers:
        return "service-fabric"
    if "api-version=2017-09-01" in path:
        return "azure-ml"
    if "api-version=2020-06-01" in path or "api-version=2019-11-01" in path:
        return "azure-arc"
    if req["method"] == "POST" or "resource=" in path:
        return "cloud-shell"
    return "unknown"


def without_telemetry(text, sep):
    """`text` (a query or a form body) without the parameters `detect` leaves out."""
    kept = [kv for kv in text.split(sep) if kv.split("=", 1)[0].lower() not in TRANSPORT]
    return sep.join(kept)


def normalise(path, body):
    if "?" in path:
        p, q = path.split("?", 1)
        q = without_telemetry(q, "&")
        path = p + ("?" + q if q else "")
    return path, without_telemetry(body, "&") if body else body


def path_of(url):
    rest = url.split("://", 1)[1] if "://" in url else url
    i = rest.find("/")
    return rest[i:] if i >= 0 else "/"


def main_inside(python, cases_bin):
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    subprocess.run(["mount", "-t", "tmpfs", "mi-detect", "/opt"], check=True)
    os.makedirs("/opt/azcmagent/bin")
    work = tempfile.mkdtemp(prefix="mi-detect.")
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    der = ssl.PEM_cert_to_DER_cert(open(cert).read())
    thumbprint = hashlib.sha1(der).hexdigest().upper()
    token_file = os.path.join(work, "azure-identity-token")
    with open(token_file, "w") as f:
        f.write(TOKEN)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    http = serve(0)
    https = serve(0, ctx)
    serve(40342)
    http_port, https_port = http.server_address[1], https.server_address[1]
    out = subprocess.run(
        [cases_bin, "--http", "http://127.0.0.1:%d" % http_port, "--https", "https://127.0.0.1:%d" % https_port,
         "--token-file", token_file, "--thumbprint", thumbprint],
        check=True, capture_output=True, text=True)
    cases = json.loads(out.stdout)
    identity = os.path.join(HERE, "js", "node_modules", "@azure", "identity", "dist", "esm", "index.js")
    passed = failed = outside = 0
    for case in cases:
        himds = "/opt/azcmagent/bin/himds"
        if case["arc_agent"]:
            open(himds, "w").close()
        elif os.path.exists(himds):
            os.remove(himds)
        for client in ["python", "js"]:
            expect = case["expect"][client]
            env = {"PATH": os.environ["PATH"], "HOME": work, "SSL_CERT_FILE": cert,
                   "REQUESTS_CA_BUNDLE": cert, "NODE_EXTRA_CA_CERTS": cert}
            env.update({k: v for k, v in case["env"]})
            with LOCK:
                LOG.clear()
            if client == "python":
                cmd = [python, "-c", PY_CLIENT, case["mode"]]
            else:
                cmd = ["node", "--input-type=module", "-e", JS_CLIENT, case["mode"], identity]
            try:
                run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=CALL_TIMEOUT_S)
                result = run.stdout.strip().splitlines()[-1:] or [run.stderr.strip()[-300:]]
            except subprocess.TimeoutExpired:
                result = ["timeout"]
            with LOCK:
                log = list(LOG)
            # msal-node's OpenID discovery comes before the token request; the prediction is
            # the token request.
            first = next((r for r in log if "/.well-known/" not in r["path"]), None)
            got = classify(first, http_port, https_port)
            problems = []
            if got != expect["source"] and not (expect["source"] != "none" and expect["request"] is None and first is None):
                problems.append("source: predicted %s, sent to %s" % (expect["source"], got))
            want = expect["request"]
            if want is None and first is not None:
                problems.append("predicted no request, got %s %s" % (first["method"], first["path"]))
            if want is not None and first is None:
                problems.append("predicted %s %s, nothing was sent (%s)" % (want["method"], path_of(want["url"]), result[0]))
            extra = []
            loopback = want is None or want["url"].startswith(("http://127.0.0.1", "https://127.0.0.1"))
            if want is not None and first is None and not loopback:
                # Sent outside (169.254.169.254, login.microsoftonline.com): unreachable here.
                problems = [p for p in problems if not p.startswith(("source:", "predicted "))]
                extra = ["(predicted %s %s, outside loopback: not observable)" % (want["method"], want["url"])]
            if want is not None and first is not None:
                first = dict(first)
                first["path"], first["body"] = normalise(first["path"], first["body"])
                if first["method"] != want["method"]:
                    problems.append("method %s, predicted %s" % (first["method"], want["method"]))
                if first["path"] != path_of(want["url"]):
                    problems.append("path %s, predicted %s" % (first["path"], path_of(want["url"])))
                sent = {k.lower(): v for k, v in first["headers"]}
                for name, value in want["headers"]:
                    if sent.get(name.lower()) != value:
                        problems.append("header %s: %r, predicted %r" % (name, sent.get(name.lower()), value))
                predicted = {n.lower() for n, _ in want["headers"]}
                extra = ["%s: %s" % (k, v) for k, v in first["headers"]
                         if k.lower() not in predicted and k.lower() not in TRANSPORT]
                body = want["body"].replace("<contents of %s>" % token_file, TOKEN)
                if first["body"] != body:
                    problems.append("body %r, predicted %r" % (first["body"], body))
            name = "%s %s %s" % (case["case"], case["mode"], client)
            if problems:
                failed += 1
                print("FAIL %s: %s | client said %s" % (name, "; ".join(problems), result[0]))
            elif first is None and not loopback:
                outside += 1
                print("n/a  %s: %s" % (name, extra[0]))
            else:
                passed += 1
                said = " (client: %s)" % result[0][:160] if first is None else ""
                print("ok   %s -> %s%s%s" % (name, got, (" (also sent: %s)" % ", ".join(extra)) if extra else "", said))
    print("%d passed, %d failed, %d not observable on loopback" % (passed, failed, outside))
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--inside":
        sys.exit(main_inside(sys.argv[2], sys.argv[3]))
    print(__doc__)
    sys.exit(2)
