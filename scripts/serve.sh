#!/usr/bin/env bash
# Installs what is missing, then serves the playground at http://127.0.0.1:8080/ (Ctrl-C stops).
# Extra arguments go to `trunk serve` (e.g. `--port 9000`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh" build
cd "$ROOT"
echo
echo "  Managed Identity Playground: http://127.0.0.1:8080/"
echo
release_env trunk serve --release --address 127.0.0.1 --port 8080 "$@"
