#!/usr/bin/env bash
# Replays endpoint::sources' answers (Service Fabric, Azure ML, Cloud Shell, AKS workload
# identity) to the real Python and JavaScript clients on loopback (see sources.py). Needs root:
# the clients run in a private network namespace where only loopback exists.
#   core/conformance/sources.sh [case ...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="${MI_CONFORMANCE_VENV:-/tmp/mi-conformance-venv}"

if [ "$(id -u)" != 0 ] || ! unshare -n -m --propagation private true 2>/dev/null; then
  echo "sources.sh: needs root and unshare (network namespace)" >&2
  exit 2
fi
# The same venv and node_modules as run.sh, (re)installed the same way.
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
  echo "$want" > "$stamp"
fi
js_stamp="$here/js/node_modules/.installed-lock.sha256"
js_want="$(sha256sum "$here/js/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$js_stamp" 2>/dev/null || true)" != "$js_want" ]; then
  (cd "$here/js" && npm ci --no-audit --no-fund --loglevel=error) >&2
  echo "$js_want" > "$js_stamp"
fi

(cd "$repo" && cargo build -q -p mi-core --example source_cases) >&2
target="$(cd "$repo" && cargo metadata --format-version 1 --no-deps | "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
exec unshare -n -m --propagation private \
  "$venv/bin/python" "$here/sources.py" --inside "$venv/bin/python" "$target/debug/examples/source_cases" "$@"
