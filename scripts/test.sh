#!/usr/bin/env bash
# Installs what is missing, then runs every test: formatting and lints, host unit tests of the
# pure core, browser unit tests (wasm-bindgen-test in headless Chromium), the SDK conformance
# replay (pinned azure-identity from PyPI in a venv, pinned @azure/identity from npm), and end-to-end tests of the release build
# served from a sub-path (Playwright + axe-core), plus the size budget.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh" test
cd "$ROOT"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step "format"
cargo fmt --all --check

step "clippy (host and wasm)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p mi-playground --target wasm32-unknown-unknown --all-targets -- -D warnings

step "host tests: the pure core"
cargo test -p mi-core

step "browser tests: wasm-bindgen-test in headless Chromium"
cargo test -p mi-playground --target wasm32-unknown-unknown

step "SDK conformance: the simulator's responses replayed to azure-identity (Python) and @azure/identity (JS) on loopback"
bash core/conformance/run.sh
# Which source each SDK picks (endpoint::detect) and the new sources' answers (endpoint::sources),
# replayed to the same clients. These run the clients in a private network namespace (only
# loopback exists, so nothing can reach a real endpoint), which needs root.
if [ "$(id -u)" = 0 ] && unshare -n -m --propagation private true 2>/dev/null; then
  step "SDK conformance: source detection and the new sources (private network namespace)"
  bash core/conformance/detect.sh | tail -n 1
  bash core/conformance/sources.sh | tail -n 1
else
  step "SKIPPED: core/conformance/detect.sh and sources.sh need root for a private network namespace"
fi

step "release build under a sub-path"
export MI_PUBLIC_URL=/tools/mi/ MI_DIST="$ROOT/target/e2e-dist"
release_env trunk build --release --public-url "$MI_PUBLIC_URL" --dist "$MI_DIST"

step "end to end (Playwright + axe-core) and size budget"
node --test --test-reporter=spec --test-concurrency=1 e2e/
