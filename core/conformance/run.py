"""Replays the simulator's raw token-endpoint responses to the real azure-identity clients.

Each case in <dir>/cases.json (written by `dump_responses --conformance <dir>`) says which
credential source to configure, which scope and identity selector to ask for, the request the
simulator was given, and the raw responses it answered. A tiny HTTP server on 127.0.0.1 writes
those exact bytes back; ManagedIdentityCredential — the sync one and the asyncio one, which are
different implementations — is pointed at it through the environment variables it reads in
Azure. A case passes, for each client, when
  - the SDK sent the request the simulator answered (path, query parameters, required headers),
  - for a token: the SDK returns the simulator's token string and `expires_on`, and the token
    is valid now by the real clock,
  - for an error: the SDK raises the exception class and message its source code promises,
  - and `endpoint::sdk::readings` predicted exactly that outcome for that client.
The simulated world started at the real time when the cases were written (`now`), so clients
run on their own clock: one that derives the expiry from `expires_in` lands exactly as many
seconds later as have passed since then, and no more is allowed.

Usage: python run.py <dir>   (run.sh does everything)
"""

import asyncio
import json
import logging
import os
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

ENV_VARS = [
    "IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT",
    "MSI_ENDPOINT", "MSI_SECRET", "AZURE_POD_IDENTITY_AUTHORITY_HOST", "AZURE_CLIENT_ID",
    "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_AUTHORITY_HOST",
]
ARC_DIR = "/var/opt/azcmagent/tokens"
# Cases where the simulator answers with a token that azure-identity refuses, on purpose.
REFUSED_OLD = {
    "appsvc-2017-as-azureml": "current clients route MSI_ENDPOINT+MSI_SECRET to Azure ML and "
    "int() the documented 2017 date-string expires_on (managed-identity.md section 4)",
    "arc-client-id": "Arc servers have only a system-assigned identity; the simulated agent "
    "ignores the selector like a legacy agent, and MSAL 1.39 fails closed because the body does "
    "not echo the requested client_id",
}
# Cases where endpoint::sdk::readings (a function of the response alone) cannot know the outcome.
READING_BLIND = {
    "arc-client-id": "it predicts a token; the refusal depends on the selector in the request",
}


class Replay:
    """The steps of the current case; the server answers request i with step i (the last
    step again for any extra request) and records what the SDK sent."""

    def __init__(self):
        self.lock = threading.Lock()
        self.steps, self.responses, self.seen = [], [], []

    def load(self, directory, case):
        with self.lock:
            self.steps = case["steps"]
            self.responses = []
            for s in case["steps"]:
                with open(os.path.join(directory, s["response_file"]), "rb") as f:
                    self.responses.append(f.read())
            self.seen = []


REPLAY = Replay()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        with REPLAY.lock:
            i = min(len(REPLAY.seen), len(REPLAY.responses) - 1)
            u = urlsplit(self.path)
            REPLAY.seen.append({
                "method": self.command,
                "path": u.path,
                "query": parse_qsl(u.query, keep_blank_values=True),
                "headers": list(self.headers.items()),
            })
            raw = REPLAY.responses[i]
        self.wfile.write(raw)  # the simulator's bytes, untouched
        self.wfile.flush()  # keep-alive: every response is framed (Content-Length or chunked)

    do_POST = do_GET

    def log_message(self, *args):
        pass


def check_request(expected, seen, skip_headers=()):
    """Differences between the request the simulator answered and the one the SDK sent."""
    problems = []
    if expected["method"] != seen["method"]:
        problems.append(f"method {seen['method']} != {expected['method']}")
    if expected["path"] != seen["path"]:
        problems.append(f"path {seen['path']} != {expected['path']}")
    exp_q = sorted(tuple(p) for p in expected["query"])
    got_q = sorted(tuple(p) for p in seen["query"])
    if exp_q != got_q:
        problems.append(f"query {got_q} != {exp_q}")
    got_h = {k.lower(): v for k, v in seen["headers"]}
    for name, value in expected["headers"]:
        if name.lower() in skip_headers:
            continue
        if got_h.get(name.lower()) != value:
            problems.append(f"header {name}: {got_h.get(name.lower())!r} != {value!r}")
    return problems


def body_of(directory, case):
    """The JSON body of the case's last response (chunked framing removed), or None."""
    with open(os.path.join(directory, case["steps"][-1]["response_file"]), "rb") as f:
        raw = f.read().decode()
    head, _, body = raw.partition("\r\n\r\n")
    if "Transfer-Encoding: chunked" in head and body:
        size, _, rest = body.partition("\r\n")
        body = rest[: int(size, 16)]
    try:
        return json.loads(body)
    except ValueError:
        return None


REFUSED = {
    "appsvc-2017-as-azureml": {"python": REFUSED_OLD["appsvc-2017-as-azureml"]},
    "arc-client-id": {c: REFUSED_OLD["arc-client-id"] for c in ("python", "python-aio")},
}
# The asyncio credential sends identity_config keys verbatim as query parameters (its
# request factories: dict(params, **identity_config)); the sync one maps resource_id to the
# endpoint's name through MSAL. A user of the async credential writes the wire name.
AIO_SELECTOR_NAMES = {"imds": {"resource_id": "msi_res_id"}, "appservice": {"resource_id": "mi_res_id"},
                      "arc": {"resource_id": "msi_res_id"}, "azureml": {"client_id": "clientid"}}
# Headers the sync (MSAL) client sends that the asyncio one does not, and the endpoint ignores.
AIO_HEADERS_NOT_SENT = {"appservice": {"metadata"}}


def expected_error(case, body, client):
    """(exception class name, substring of str(exception)) that azure-identity 1.27 / msal 1.39
    promise for this error response (read in their source; see README.md)."""
    name, source = case["name"], case["source"]
    if client == "python-aio":  # azure.identity.aio: azure-core's pipeline, no MSAL
        if name == "arc-client-id":
            return "ClientAuthenticationError", "Azure Arc did not confirm the requested user-assigned"
        if source == "imds" and body is None:  # empty body: _process_response
            return "ClientAuthenticationError", "No token received."
        if source == "imds" and case["status"] == 400:  # ImdsCredential's 400 branch
            return ("CredentialUnavailableError", "ManagedIdentityCredential authentication unavailable. The "
                    "requested identity has not been assigned to this resource. Error: Unexpected response \"{")
        if source == "imds":
            return "ClientAuthenticationError", "Unexpected response \"{"
        if source == "appservice":  # azure-core reads {"message": …} as an OData error
            return "ClientAuthenticationError", f"(None) {body['message']}\nCode: None\nMessage: {body['message']}"
        return "?", "?"
    if source == "imds":
        if body is None:  # empty body (410/429): msal's json.loads fails
            return "CredentialUnavailableError", "ManagedIdentityCredential authentication unavailable."
        return ("CredentialUnavailableError",
                f"Token request error: ({body['error']}) {body['error_description']}")
    if source == "appservice":
        return ("CredentialUnavailableError",
                f"Token request error: (invalid_scope) {body['statusCode']}, {body['message']}")
    if source == "azureml":  # 2017 date-string expires_on: int() fails inside msal
        return "ValueError", f"invalid literal for int() with base 10: '{body['expires_on']}'"
    if name == "arc-client-id":  # Arc servers have only a system-assigned identity
        return "ClientAuthenticationError", "Azure Arc did not confirm the requested user-assigned"
    return "?", "?"


def configure(case, base):
    for v in ENV_VARS:
        os.environ.pop(v, None)
    src = case["source"]
    if src == "imds":
        os.environ["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = base
    elif src == "appservice":
        os.environ["IDENTITY_ENDPOINT"] = base + "/MSI/token"
        os.environ["IDENTITY_HEADER"] = case["env"]["identity_header"]
    elif src == "azureml":
        os.environ["MSI_ENDPOINT"] = base + "/MSI/token"
        os.environ["MSI_SECRET"] = case["env"]["identity_header"]
    elif src == "arc":
        os.environ["IDENTITY_ENDPOINT"] = base + "/metadata/identity/oauth2/token"
        os.environ["IMDS_ENDPOINT"] = base


def call_sync(case):
    from azure.identity import ManagedIdentityCredential

    cred = ManagedIdentityCredential(identity_config=case["selector"], retry_total=0)
    got = cred.get_token(case["scope"])
    return got.token, got.expires_on


def call_aio(case):
    from azure.identity.aio import ManagedIdentityCredential

    names = AIO_SELECTOR_NAMES.get(case["source"], {})
    selector = {names.get(k, k): v for k, v in (case["selector"] or {}).items()} or None

    async def go():
        async with ManagedIdentityCredential(identity_config=selector, retry_total=0) as cred:
            got = await cred.get_token(case["scope"])
            return got.token, got.expires_on

    return asyncio.run(go())


CLIENTS = {"python": call_sync, "python-aio": call_aio}


def run_case(directory, case, base, arc_ok, client):
    if case["source"] == "arc":
        if not arc_ok:
            return "skip", f"{ARC_DIR} is not a private tmpfs (run via run.sh as root)"
        key = case["key_file"]
        with open(os.path.join(ARC_DIR, os.path.basename(key["path"])), "w") as f:
            f.write(key["contents"])
    configure(case, base)
    REPLAY.load(directory, case)
    try:
        token, expires_on = CLIENTS[client](case)
        outcome = ("token", token, expires_on)
    except Exception as e:  # noqa: BLE001 - the class is what we check
        outcome = ("error", type(e).__name__, str(e))
    # Seconds since the simulated world started (its clock is the real one): a client that
    # computes expires_on from expires_in and its own clock is this much later, never more.
    elapsed = int(time.time()) - case["now"]
    problems = []
    expected_steps = case["steps"]
    if len(REPLAY.seen) != len(expected_steps):
        problems.append(f"SDK sent {len(REPLAY.seen)} request(s), simulator answered {len(expected_steps)}")
    for i, (st, seen) in enumerate(zip(expected_steps, REPLAY.seen)):
        skip = AIO_HEADERS_NOT_SENT.get(case["source"], set()) if client == "python-aio" else set()
        problems += [f"request {i}: {p}" for p in check_request(st["request"], seen, skip)]
    notes = []
    refused = REFUSED.get(case["name"], {}).get(client)
    if case["token"] is not None and not refused:
        if outcome[0] != "token":
            problems.append(f"expected a token, SDK raised {outcome[1]}: {outcome[2][:300]}")
        else:
            if outcome[1] != case["token"]:
                problems.append("token string differs")
            if not 0 <= outcome[2] - case["expires_on"] <= max(elapsed, 0):
                problems.append(f"expires_on {outcome[2]} != simulator {case['expires_on']} (+0..{elapsed} s elapsed)")
            if outcome[2] < time.time() + 23 * 3600:
                problems.append(f"the token expires at {outcome[2]}, less than 23 h from now ({int(time.time())})")
    else:
        cls, text = expected_error(case, body_of(directory, case), client)
        if outcome[0] != "error":
            problems.append(f"expected {cls}, SDK returned a token")
        else:
            if outcome[1] != cls:
                problems.append(f"raised {outcome[1]}, expected {cls}: {outcome[2][:300]}")
            if text not in outcome[2]:
                problems.append(f"message {outcome[2][:400]!r} lacks {text!r}")
        if refused:
            notes.append("documented divergence: " + refused)
    # The simulator's own prediction (endpoint::sdk::readings) must be what happened.
    reading = case["readings"].get(client) or {}
    if case["name"] in READING_BLIND:
        notes.append("readings cannot see the request: " + READING_BLIND[case["name"]])
    elif reading.get("outcome") == "token":
        if outcome[0] != "token" or not 0 <= outcome[2] - reading["expires_on"] <= max(elapsed, 0):
            problems.append(f"sdk::readings predicted a token expiring {reading['expires_on']}, SDK gave {outcome[:1] + outcome[2:]}")
    elif reading.get("outcome") == "error":
        if outcome[0] != "error" or outcome[1] != reading["class"] or outcome[2] != reading["message"]:
            problems.append(f"sdk::readings predicted {reading['class']}: {reading['message']!r}, SDK gave {outcome[1]}: {outcome[2]!r}")
    else:
        problems.append(f"no usable sdk::readings prediction: {reading}")
    if outcome[0] == "token":
        detail = f"token and expires_on={outcome[2]} match"
    else:
        detail = f"{outcome[1]}: {outcome[2][:150]}"
    if notes:
        detail += " [" + "; ".join(notes) + "]"
    return ("fail", "; ".join(problems)) if problems else ("pass", detail)


def main():
    directory = sys.argv[1]
    logging.getLogger("azure").setLevel(logging.CRITICAL)  # the SDK logs each failure as WARNING
    with open(os.path.join(directory, "cases.json")) as f:
        cases = json.load(f)
    only = set(sys.argv[2:])
    # Arc key files must be at /var/opt/azcmagent/tokens/<name>.key (msal hard-codes the dir):
    # run.sh mounts a private tmpfs on /var/opt (own mount namespace) and sets this variable.
    arc_ok = os.environ.get("MI_CONFORMANCE_ARC_TMPFS") == "1"
    if arc_ok:
        os.makedirs(ARC_DIR, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    import azure.identity
    import msal
    print(f"azure-identity {azure.identity.__version__}, msal {msal.__version__}, server {base}")
    counts = {"pass": 0, "fail": 0, "skip": 0}
    for case in cases:
        if only and case["name"] not in only:
            continue
        for client in CLIENTS:
            try:
                verdict, detail = run_case(directory, case, base, arc_ok, client)
            except Exception:  # noqa: BLE001
                verdict, detail = "fail", traceback.format_exc(limit=3)
            counts[verdict] += 1
            print(f"{verdict.upper():4} {case['name']:26} {client:11} {detail}")
    server.shutdown()
    print(f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped")
    sys.exit(1 if counts["fail"] else 0)


if __name__ == "__main__":
    main()
