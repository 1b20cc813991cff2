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
out="$(mktemp -d /tmp/mi-conformance.XXXXXX)"
trap 'rm -rf "$out"' EXIT

# The pinned clients (clients.sh: a venv for azure-identity, npm ci for @azure/identity).
source "$here/clients.sh"

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
