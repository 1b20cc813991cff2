#!/usr/bin/env bash
# Checks endpoint::detect against the real Python and JavaScript clients on loopback (see
# detect.py). Needs root: the clients run in private network and mount namespaces, where only
# the loopback interface exists. Prints one line per case and client, then "N passed, N failed".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

if [ "$(id -u)" != 0 ] || ! unshare -n -m --propagation private true 2>/dev/null; then
  echo "detect.sh: needs root and unshare (network and mount namespaces)" >&2
  exit 2
fi
# The pinned clients (clients.sh: a venv for azure-identity, npm ci for @azure/identity).
source "$here/clients.sh"

(cd "$repo" && cargo build -q -p mi-core --example detect_cases) >&2
target="$(cd "$repo" && cargo metadata --format-version 1 --no-deps | "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
exec unshare -n -m --propagation private \
  "$venv/bin/python" "$here/detect.py" --inside "$venv/bin/python" "$target/debug/examples/detect_cases"
