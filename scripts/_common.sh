# Shared by the entry scripts (sourced, not run): the Python environment and the engine.
# shellcheck shell=bash
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }

# ensure_venv: a virtual environment in .venv with the pinned requirements and this package (editable).
# Reinstalls only when requirements.txt or pyproject.toml changed.
ensure_venv() {
  local python=${PYTHON:-python3}
  command -v "$python" >/dev/null 2>&1 || { log "error: $python not found; install Python >= 3.11"; exit 1; }
  local stamp want
  want=$(cat "$ROOT/requirements.txt" "$ROOT/pyproject.toml" | sha256sum | cut -c1-16)
  stamp="$VENV/.vapi-requirements-$want"
  if [ -f "$stamp" ] && [ -x "$VENV/bin/python" ]; then
    return 0
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating the virtual environment in $VENV"
    "$python" -m venv "$VENV"
  fi
  log "installing pinned requirements into $VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$ROOT/requirements.txt"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e "$ROOT"
  rm -f "$VENV"/.vapi-requirements-*
  touch "$stamp"
}

# ensure_engine: put a supported `pulumi` (and its bundled plugins) first on PATH.
ensure_engine() {
  local dir
  dir=$("$ROOT/scripts/bootstrap-engine")
  export PATH="$dir:$PATH"
  export VAPI_ENGINE_DIR="$dir"
}
