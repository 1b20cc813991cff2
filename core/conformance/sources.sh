#!/usr/bin/env bash
# Replays endpoint::sources' answers (Service Fabric, Azure ML, Cloud Shell, AKS workload
# identity) to the real Python and JavaScript clients on loopback (see sources.py). Needs root:
# the clients run in a private network namespace where only loopback exists.
#   core/conformance/sources.sh [case ...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

if [ "$(id -u)" != 0 ] || ! unshare -n -m --propagation private true 2>/dev/null; then
  echo "sources.sh: needs root and unshare (network namespace)" >&2
  exit 2
fi
# The pinned clients (clients.sh: a venv for azure-identity, npm ci for @azure/identity).
source "$here/clients.sh"

(cd "$repo" && cargo build -q -p mi-core --example source_cases) >&2
target="$(cd "$repo" && cargo metadata --format-version 1 --no-deps | "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
exec unshare -n -m --propagation private \
  "$venv/bin/python" "$here/sources.py" --inside "$venv/bin/python" "$target/debug/examples/source_cases" "$@"
