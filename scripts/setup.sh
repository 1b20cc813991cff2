#!/usr/bin/env bash
# Installs what the playground needs, idempotently and at pinned versions, skipping what is
# already present. Usage: scripts/setup.sh [build|test]
#   build: Rust wasm target, trunk, wasm-bindgen CLI, wasm-opt (npm binaryen)
#   test:  build + Chromium and ChromeDriver (Debian), playwright-core and axe-core (npm)
# Nothing is downloaded from GitHub: Trunk finds every tool on PATH (see Trunk.toml).
# Source it (". scripts/setup.sh test") to get the PATH it sets up.
set -euo pipefail

MODE="${1:-build}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
# The CLI must equal the wasm-bindgen locked in Cargo.lock, or Trunk tries to download one.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"

export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# 1. Rust: the wasm target (the toolchain itself comes with the machine, via rustup).
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    log "adding rustup component $component"
    rustup component add "$component"
  fi
done

# 1b. The release build uses nightly to rebuild std for size (build-std, optimize_for_size,
#     immediate-abort panics): about 11 % less wasm, which keeps the app in its size budget.
#     The nightly that ships with these machines is used; a pinned one is installed otherwise.
NIGHTLY_PINNED="nightly-2026-05-19"
if rustc +nightly --version 2>/dev/null | grep -q "2026-05-19"; then
  NIGHTLY="nightly"
else
  NIGHTLY="$NIGHTLY_PINNED"
  if ! rustc +"$NIGHTLY" --version >/dev/null 2>&1; then
    log "installing Rust $NIGHTLY (release builds only)"
    rustup toolchain install "$NIGHTLY" --profile minimal
  fi
fi
if ! rustup +"$NIGHTLY" component list --installed 2>/dev/null | grep -q '^rust-src'; then
  log "adding rust-src to $NIGHTLY"
  rustup +"$NIGHTLY" component add rust-src
fi
if ! rustup +"$NIGHTLY" target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32 target to $NIGHTLY"
  rustup +"$NIGHTLY" target add wasm32-unknown-unknown
fi

# Runs a command (trunk build/serve --release) with the size-optimised release toolchain.
# Its own target dir keeps the stable dev/test builds' cache intact.
release_env() {
  RUSTUP_TOOLCHAIN="$NIGHTLY" \
  CARGO_UNSTABLE_BUILD_STD="std,panic_abort" \
  CARGO_UNSTABLE_BUILD_STD_FEATURES="optimize_for_size" \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
  CARGO_TARGET_DIR="$ROOT/target/release-size" \
  "$@"
}

# 2. trunk, pinned (0.22 needs a newer rustc than this machine has).
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  log "installing trunk $TRUNK_VERSION (takes ~7 minutes on 2 cores)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

# 3. wasm-bindgen CLI + test runner matching Cargo.lock. Without --locked: its lockfile wants
#    a crate version the registry lacks.
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes ~4 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# 4. npm tools: binaryen 132 (wasm-opt; Debian's 108 cannot read current rustc output),
#    playwright-core and axe-core, exactly as package-lock.json pins them.
stamp="$ROOT/node_modules/.installed-lock.sha256"
want="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  log "installing npm tools (npm ci)"
  (cd "$ROOT" && npm ci --no-audit --no-fund)
  echo "$want" > "$stamp"
fi

# 5. Browser for the tests: Debian's Chromium and its driver (Playwright cannot download one).
if [ "$MODE" = test ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    log "installing Debian chromium and chromium-driver"
    as_root apt-get update -q
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q chromium chromium-driver
  fi
fi

log "ready: $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version | head -n1)"
