#!/usr/bin/env bash
# SDK conformance: replays the simulator's raw token-endpoint responses to the real Python
# azure-identity clients (sync and asyncio) and to @azure/identity (Node) on 127.0.0.1 and
# prints "N passed, N failed, N skipped". Optional (needs PyPI and npm); not part of
# `cargo test`. See README.md.
#
#   core/conformance/run.sh [case-name ...]
# Env: MI_CONFORMANCE_VENV (default /tmp/mi-conformance-venv), CARGO_TARGET_DIR as usual.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="${MI_CONFORMANCE_VENV:-/tmp/mi-conformance-venv}"
out="$(mktemp -d /tmp/mi-conformance.XXXXXX)"
trap 'rm -rf "$out"' EXIT

# The venv is (re)installed whenever requirements.txt changes.
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
  echo "$want" > "$stamp"
fi

# @azure/identity, exactly as js/package-lock.json pins it, (re)installed when the lock changes.
js_stamp="$here/js/node_modules/.installed-lock.sha256"
js_want="$(sha256sum "$here/js/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$js_stamp" 2>/dev/null || true)" != "$js_want" ]; then
  (cd "$here/js" && npm ci --no-audit --no-fund --loglevel=error) >&2
  echo "$js_want" > "$js_stamp"
fi

(cd "$repo" && cargo run -q -p mi-core --example dump_responses -- --conformance "$out") >&2

# msal and msal-node read the Arc key file from the hard-coded /var/opt/azcmagent/tokens. As
# root, run in a private mount namespace with a tmpfs on /var/opt (nothing touches the real
# filesystem; the clients, child processes, share it); otherwise the Arc cases are skipped.
if [ "$(id -u)" = 0 ] && unshare -m --propagation private true 2>/dev/null; then
  status=0
  unshare -m --propagation private sh -c \
    'mount -t tmpfs mi-conformance /var/opt && MI_CONFORMANCE_ARC_TMPFS=1 exec "$0" "$@"' \
    "$venv/bin/python" "$here/run.py" "$out" "$@" || status=$?
else
  echo "note: not root or no unshare: Arc cases will be skipped" >&2
  status=0
  "$venv/bin/python" "$here/run.py" "$out" "$@" || status=$?
fi
exit "$status"
