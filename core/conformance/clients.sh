# Sourced by the conformance scripts: puts the pinned real clients in place, idempotently.
# Python azure-identity (requirements.txt) in a venv, reinstalled when requirements.txt
# changes; @azure/identity exactly as js/package-lock.json pins it, reinstalled when the lock
# changes. Needs `here` (the conformance folder); sets `venv`.
venv="${MI_CONFORMANCE_VENV:-/tmp/mi-conformance-venv}"
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
