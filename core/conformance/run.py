"""Replays the simulator's raw token-endpoint responses to the real azure-identity clients.

Each case in <dir>/cases.json (written by `dump_responses --conformance <dir>`) says which
credential source to configure and which scope and identity selector to ask for, and, per
client, the request that client sends, the raw responses the simulator gave it, and what
`endpoint::sdk::readings` predicts. For every case and client this script starts a tiny HTTP
server on 127.0.0.1 (its own ephemeral port) that writes those exact bytes back — the last one
again for every further request — and runs the client in a child process pointed at it through
the environment variables it reads in Azure:
  - python      azure-identity's sync ManagedIdentityCredential (through msal)   run.py --call
  - python-aio  azure.identity.aio.ManagedIdentityCredential (azure-core, aiohttp) run.py --call
  - javascript  @azure/identity's ManagedIdentityCredential (through msal-node)   js/replay.mjs
No client is told to skip retries. A (case, client) passes when
  - the client sent the request the simulator answered (method, path, query, required headers),
    as many times as the reading predicts (1 + retries), each retry after a wait, measured on
    the server's clock, within the reading's bounds (plus a transport allowance, below);
  - a token case returns the simulator's token and expiry, valid for 23 more hours by the real
    clock, unless the client diverges as documented (DIVERGES);
  - a Python error case raises the class and message read in the SDK source (expected_error);
  - and `sdk::readings` predicted exactly that outcome: class and full message, or the expiry.
The simulated world starts at the real time when the cases are written (`now`): a client that
derives the expiry from `expires_in` lands exactly as many seconds later as have passed since.

Usage: python run.py <dir> [case ...]   (run.sh does everything)
       python run.py --call <client> <cases.json> <case> <http://127.0.0.1:port>   (one client call)
"""

import json
import math
import os
import subprocess
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
ENV_VARS = [
    "IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT",
    "MSI_ENDPOINT", "MSI_SECRET", "AZURE_POD_IDENTITY_AUTHORITY_HOST", "AZURE_CLIENT_ID",
    "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_AUTHORITY_HOST", "DEFAULT_IDENTITY_CLIENT_ID",
    "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy",
]
ARC_DIR = "/var/opt/azcmagent/tokens"
CLIENTS = ["python", "python-aio", "javascript"]
# Statuses some client retries: these runs wait through back-off, so they run concurrently.
SLOW_STATUSES = {404, 408, 410, 429} | set(range(500, 600))
# A retry's wait, measured from the arrival of one request to the arrival of the next, also
# holds the response's trip back, the client's handling of it and the new request's trip
# (loopback; a few ms when the machine is idle). It may exceed the client's own delay by this
# much; it may never be shorter than the delay (minus timer rounding).
TRANSPORT_MS = 400
TIMER_EARLY_MS = 5
CALL_TIMEOUT_S = 240

# Cases where a client does not do what the simulator meant, on purpose (managed-identity.md §4):
# "error": it raises instead of returning the token; "expired": it returns the token but
# believes it has already expired.
DIVERGES = {
    ("appsvc-2017-as-azureml", "python"): ("error", "current clients route MSI_ENDPOINT+MSI_SECRET to Azure ML and "
                                           "int() the documented 2017 date-string expires_on"),
    ("appsvc-2017-as-azureml", "javascript"): ("expired", "msal-node subtracts the clock from the 2017 date-string "
                                               "expires_on (NaN) and counts 0 s of validity"),
    ("arc-client-id", "python"): ("error", "Arc servers have only a system-assigned identity; the simulated agent "
                                  "ignores the selector like a legacy agent, and msal 1.39 fails closed because the "
                                  "body does not echo the requested client_id"),
    ("arc-client-id", "python-aio"): ("error", "as the sync client: the body does not echo the requested client_id"),
    ("arc-client-id", "javascript"): ("error", "msal-node refuses a user-assigned selector for Arc before sending "
                                      "anything (AzureArc.mjs tryCreate)"),
}
# Cases where endpoint::sdk::readings (a function of the response alone) cannot know the
# outcome; the client's answer is checked against expected_error instead.
READING_BLIND = {
    "arc-client-id": "it predicts a token; the refusal depends on the selector in the request",
}
# The asyncio credential sends identity_config keys verbatim as query parameters (its
# request factories: dict(params, **identity_config)); the sync one maps resource_id to the
# endpoint's name through msal. A user of the async credential writes the wire name.
AIO_SELECTOR_NAMES = {"imds": {"resource_id": "msi_res_id"}, "appservice": {"resource_id": "mi_res_id"},
                      "arc": {"resource_id": "msi_res_id"}, "azureml": {"client_id": "clientid"}}


# ---------------------------------------------------------------------------------------------
# The client calls (child processes)

def configure(case, base):
    """Points every managed-identity source at the loopback server: the case's source through
    the variables it reads in Azure, and IMDS (the fallback of every client) through
    AZURE_POD_IDENTITY_AUTHORITY_HOST, so nothing can reach 169.254.169.254."""
    for v in ENV_VARS:
        os.environ.pop(v, None)
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    os.environ["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = base
    src = case["source"]
    if src == "appservice":
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

    got = ManagedIdentityCredential(identity_config=case["selector"]).get_token(case["scope"])
    return got.token, got.expires_on


def call_aio(case):
    import asyncio

    from azure.identity.aio import ManagedIdentityCredential

    names = AIO_SELECTOR_NAMES.get(case["source"], {})
    selector = {names.get(k, k): v for k, v in (case["selector"] or {}).items()} or None

    async def go():
        async with ManagedIdentityCredential(identity_config=selector) as cred:
            got = await cred.get_token(case["scope"])
            return got.token, got.expires_on

    return asyncio.run(go())


def call_main(client, cases_path, name, base):
    """One client call; prints its outcome as one JSON line."""
    import logging

    if not base.startswith("http://127.0.0.1:"):
        sys.exit(f"refusing a non-loopback server {base}")
    logging.getLogger("azure").setLevel(logging.CRITICAL)  # the SDK logs each failure as WARNING
    with open(cases_path) as f:
        case = next(c for c in json.load(f) if c["name"] == name)
    configure(case, base)
    try:
        token, expires_on = {"python": call_sync, "python-aio": call_aio}[client](case)
        out = {"outcome": "token", "token": token, "expires_on": expires_on}
    except Exception as e:  # noqa: BLE001 - the class is what we check
        out = {"outcome": "error", "class": type(e).__name__, "message": str(e)}
    print(json.dumps(out))


# ---------------------------------------------------------------------------------------------
# The replay server (one per case and client)

class Replay:
    """Answers request i with step i (the last step again for any further request) and records
    what the client sent and when it arrived (server clock)."""

    def __init__(self, directory, steps):
        self.lock = threading.Lock()
        self.responses = []
        for s in steps:
            with open(os.path.join(directory, s["response_file"]), "rb") as f:
                self.responses.append(f.read())
        self.seen = []

    def handler(self):
        replay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                arrived = time.monotonic()
                u = urlsplit(self.path)
                with replay.lock:
                    i = len(replay.seen)
                    replay.seen.append({
                        "at": arrived,
                        "method": self.command,
                        "path": u.path,
                        "query": parse_qsl(u.query, keep_blank_values=True),
                        "headers": list(self.headers.items()),
                    })
                    raw = replay.responses[min(i, len(replay.responses) - 1)] if replay.responses else None
                if raw is None:  # the simulator was asked nothing: the client should send nothing
                    raw = b"HTTP/1.1 599 Not Expected\r\nContent-Length: 0\r\n\r\n"
                self.wfile.write(raw)  # the simulator's bytes, untouched
                self.wfile.flush()  # keep-alive: every response is framed (Content-Length or chunked)

            do_POST = do_GET

            def log_message(self, *args):
                pass

        return Handler


def check_request(expected, seen):
    """Differences between the request the simulator answered and the one the client sent."""
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
        if got_h.get(name.lower()) != value:
            problems.append(f"header {name}: {got_h.get(name.lower())!r} != {value!r}")
    return problems


def body_of(directory, c):
    """The JSON body of the client's last response (chunked framing removed), or None."""
    if not c["steps"]:
        return None
    with open(os.path.join(directory, c["steps"][-1]["response_file"]), "rb") as f:
        raw = f.read().decode()
    head, _, body = raw.partition("\r\n\r\n")
    if "Transfer-Encoding: chunked" in head and body:
        size, _, rest = body.partition("\r\n")
        body = rest[: int(size, 16)]
    try:
        return json.loads(body)
    except ValueError:
        return None


def expected_error(case, c, body, client):
    """(exception class name, part of the message[, True: the whole message]) that
    azure-identity 1.27 / msal 1.39 promise for this error response, read in their source; for
    @azure/identity only where sdk::readings cannot see the cause (READING_BLIND), and then the
    whole message. None: nothing beyond the reading (which is always compared whole)."""
    name, source, status = case["name"], case["source"], c["status"]
    if client == "javascript":
        if name == "arc-client-id":  # msal-node ManagedIdentityError.mjs unableToCreateAzureArc; the whole text
            return ("CredentialUnavailableError", "ManagedIdentityCredential: Authentication failed. Message "
                    "unable_to_create_azure_arc: Azure Arc Managed Identities can only be system assigned.", True)
        return None
    if client == "python-aio":  # azure.identity.aio: azure-core's pipeline, no MSAL
        if name == "arc-client-id":
            return "ClientAuthenticationError", "Azure Arc did not confirm the requested user-assigned"
        if source == "imds" and body is None:  # empty body: _process_response
            return "ClientAuthenticationError", "No token received."
        if source == "imds" and status == 400:  # ImdsCredential's 400 branch
            return ("CredentialUnavailableError", "ManagedIdentityCredential authentication unavailable. The "
                    "requested identity has not been assigned to this resource. Error: Unexpected response \"{")
        if source == "imds":
            return "ClientAuthenticationError", "Unexpected response \"{"
        if source == "appservice":  # azure-core reads {"message": …} as an OData error
            return "ClientAuthenticationError", f"(None) {body['message']}\nCode: None\nMessage: {body['message']}"
        return "?", "?"
    if source == "imds":
        if body is None:  # empty body (410): msal's json.loads fails
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


def expiry_window(client, expected, elapsed, call_s):
    """The expiries (unix seconds) a client may report for a token the simulator says expires at
    `expected`. The Python clients add `expires_in` to their clock, up to `elapsed` seconds after
    the world's `now`; msal-node subtracts its clock from `expires_on` when the response arrives
    and adds the (rounded) time it sent the request, so it may be up to the call's length early."""
    if client == "javascript":
        return expected - (math.ceil(call_s) + 1), expected + max(elapsed, 0)
    return expected, expected + max(elapsed, 0)


def run_client(directory, cases_path, case, client, arc_ok):
    """Serves the case to one client, returns (the client's outcome, the requests it sent, seconds)."""
    c = case["clients"][client]
    if case["source"] == "arc" and c["key_file"]:
        key = c["key_file"]
        with open(os.path.join(ARC_DIR, os.path.basename(key["path"])), "w") as f:
            f.write(key["contents"])
    replay = Replay(directory, c["steps"])
    server = ThreadingHTTPServer(("127.0.0.1", 0), replay.handler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    if client == "javascript":
        cmd = ["node", os.path.join(HERE, "js", "replay.mjs"), cases_path, case["name"], base]
    else:
        cmd = [sys.executable, os.path.abspath(__file__), "--call", client, cases_path, case["name"], base]
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    started = time.monotonic()
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=CALL_TIMEOUT_S)
    finally:
        server.shutdown()
        server.server_close()
    took = time.monotonic() - started
    lines = p.stdout.strip().splitlines()
    if p.returncode != 0 or not lines:
        raise RuntimeError(f"{cmd[0]} exited {p.returncode}: {(p.stderr or p.stdout)[-600:]}")
    return json.loads(lines[-1]), replay.seen, took


def judge(directory, case, client, outcome, seen, took):
    """(verdict, detail) for one client's run of one case."""
    c = case["clients"][client]
    name = case["name"]
    reading = c["reading"]
    # Seconds since the simulated world started (its clock is the real one).
    elapsed = int(time.time()) - case["now"]
    problems, notes = [], []
    steps = c["steps"]
    predicted = reading.get("retries") if reading else None
    # The requests: every step once, the last again once per predicted retry.
    n_retries = len(predicted) if predicted is not None else 0
    want = [s["request"] for s in steps] + [steps[-1]["request"]] * n_retries if steps else []
    if len(seen) != len(want):
        problems.append(f"client sent {len(seen)} request(s), the reading predicts {len(want)} "
                        f"({len(steps)} step(s) + {n_retries} retries)")
    for i, (exp, got) in enumerate(zip(want, seen)):
        problems += [f"request {i}: {p}" for p in check_request(exp, got)]
    # The retries' waits, on the server's clock.
    first = len(steps) - 1  # the first request of the repeated (last) step
    waits = [round((seen[i + 1]["at"] - seen[i]["at"]) * 1000) for i in range(max(first, 0), len(seen) - 1)]
    if predicted is not None and len(waits) == len(predicted):
        for k, (w, (lo, hi)) in enumerate(zip(waits, predicted)):
            if not lo - TIMER_EARLY_MS <= w <= hi + TRANSPORT_MS:
                problems.append(f"retry {k + 1} came after {w} ms, the reading says {lo}..{hi} ms "
                                f"(+{TRANSPORT_MS} ms transport)")
    # What the simulator meant, unless the client diverges as documented.
    diverges = DIVERGES.get((name, client))
    if diverges:
        notes.append("documented divergence: " + diverges[1])
    if c["token"] is not None and (not diverges or diverges[0] == "expired"):
        if outcome["outcome"] != "token":
            problems.append(f"expected a token, client raised {outcome['class']}: {outcome['message'][:300]}")
        else:
            if outcome["token"] != c["token"]:
                problems.append("token string differs")
            if not diverges:
                lo, hi = expiry_window(client, c["expires_on"], elapsed, took)
                if not lo <= outcome["expires_on"] <= hi:
                    problems.append(f"expires_on {outcome['expires_on']} not in {lo}..{hi} (simulator {c['expires_on']})")
                if outcome["expires_on"] < time.time() + 23 * 3600:
                    problems.append(f"the token expires at {outcome['expires_on']}, less than 23 h from now")
            elif outcome["expires_on"] > time.time() + 60:
                problems.append(f"expected a token that counts as expired, it expires at {outcome['expires_on']}")
    else:
        expected = expected_error(case, c, body_of(directory, c), client)
        if outcome["outcome"] != "error":
            problems.append("expected an error, client returned a token")
        elif expected:
            cls, text, whole = (expected + (False,))[:3]
            if outcome["class"] != cls:
                problems.append(f"raised {outcome['class']}, expected {cls}: {outcome['message'][:300]}")
            if (outcome["message"] != text) if whole else (text not in outcome["message"]):
                problems.append(f"message {outcome['message'][:400]!r} {'is not' if whole else 'lacks'} {text!r}")
    # endpoint::sdk::readings must have predicted exactly what happened.
    if name in READING_BLIND:
        notes.append("readings cannot see the request: " + READING_BLIND[name])
    elif not reading:
        problems.append("no sdk::readings prediction")
    elif reading["outcome"] == "token":
        lo, hi = expiry_window(client, reading["expires_on"], elapsed, took)
        if outcome["outcome"] != "token" or not lo <= outcome["expires_on"] <= hi:
            problems.append(f"sdk::readings predicted a token expiring {reading['expires_on']} ({lo}..{hi}), "
                            f"client gave {outcome}")
    elif reading["outcome"] == "error":
        if outcome["outcome"] != "error" or outcome["class"] != reading["class"] or outcome["message"] != reading["message"]:
            got = f"{outcome.get('class')}: {outcome.get('message')!r}" if outcome["outcome"] == "error" else "a token"
            problems.append(f"sdk::readings predicted {reading['class']}: {reading['message']!r}, client gave {got}")
    else:
        problems.append(f"no usable sdk::readings prediction: {reading}")
    if outcome["outcome"] == "token":
        detail = f"token, expires_on={outcome['expires_on']}"
    else:
        detail = f"{outcome['class']}: {outcome['message'][:110]!r}"
    retried = len(seen) - len(steps) if steps else len(seen)
    detail += f"; {len(seen)} request(s)" + (f", waits {waits} ms" if retried > 0 else "")
    if notes:
        detail += " [" + "; ".join(notes) + "]"
    return ("fail", "; ".join(problems) + f" ({detail})") if problems else ("pass", detail)


def versions():
    import azure.identity
    import msal

    with open(os.path.join(HERE, "js", "node_modules", "@azure", "identity", "package.json")) as f:
        js = json.load(f)["version"]
    with open(os.path.join(HERE, "js", "node_modules", "@azure", "msal-node", "package.json")) as f:
        msal_node = json.load(f)["version"]
    return (f"azure-identity {azure.identity.__version__} + msal {msal.__version__}; "
            f"@azure/identity {js} + @azure/msal-node {msal_node}")


def main():
    directory = sys.argv[1]
    cases_path = os.path.join(directory, "cases.json")
    with open(cases_path) as f:
        cases = json.load(f)
    only = set(sys.argv[2:])
    # Arc key files must be at /var/opt/azcmagent/tokens/<name>.key (msal and msal-node
    # hard-code the directory): run.sh mounts a private tmpfs on /var/opt (own mount namespace)
    # and sets this variable.
    arc_ok = os.environ.get("MI_CONFORMANCE_ARC_TMPFS") == "1"
    if arc_ok:
        os.makedirs(ARC_DIR, exist_ok=True)
    print(versions())
    jobs = [(case, client) for case in cases if not only or case["name"] in only for client in CLIENTS]
    results = {}

    def run(job):
        case, client = job
        if case["source"] == "arc" and not arc_ok:
            return "skip", f"{ARC_DIR} is not a private tmpfs (run via run.sh as root)"
        try:
            outcome, seen, took = run_client(directory, cases_path, case, client, arc_ok)
            return judge(directory, case, client, outcome, seen, took)
        except Exception:  # noqa: BLE001
            return "fail", traceback.format_exc(limit=3)

    # Runs that wait through back-off overlap each other; the quick ones go one at a time meanwhile
    # (at most one client starting at a time keeps the measured waits free of CPU contention).
    slow = [i for i, (case, client) in enumerate(jobs) if case["clients"][client]["status"] in SLOW_STATUSES]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(len(slow), 1)) as pool:
        futures = {i: pool.submit(run, jobs[i]) for i in slow}
        for i, job in enumerate(jobs):
            if i not in futures:
                results[i] = run(job)
        if slow:
            print(f"waiting for {len(slow)} runs that retry ...", file=sys.stderr, flush=True)
        for i, f in futures.items():
            results[i] = f.result()
    counts = {"pass": 0, "fail": 0, "skip": 0}
    for i, (case, client) in enumerate(jobs):
        verdict, detail = results[i]
        counts[verdict] += 1
        print(f"{verdict.upper():4} {case['name']:24} {client:10} {detail}")
    print(f"({round(time.monotonic() - started)} s)", file=sys.stderr)
    print(f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped")
    sys.exit(1 if counts["fail"] else 0)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--call":
        call_main(*sys.argv[2:6])
    else:
        main()
