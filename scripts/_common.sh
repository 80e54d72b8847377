# Shared by the entry scripts (sourced, not run): the Python environments and the engine.
# shellcheck shell=bash
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
# Virtual environments of the extra interpreter runs and of the lower-bounds run of scripts/test. They hold
# only pinned third-party packages (the tests import this checkout through PYTHONPATH), so they live outside
# the repository and fresh clones on the same machine, as CI makes, reuse them.
VENV_CACHE=${VAPI_VENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vapi-phone-numbers/venvs}
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true

# What each profile of .venv installs. demo: a Pulumi program (requirements.txt), the policy pack and the
# emulator. dev: all of that plus the test suites' needs and the tools (requirements-dev.txt includes them).
DEMO_REQUIREMENTS=(requirements.txt policies/requirements.txt requirements-emulator.txt)
DEV_REQUIREMENTS=("${DEMO_REQUIREMENTS[@]}" requirements-test.txt requirements-dev.txt)
# What the extra interpreter runs install (no tools: they run pytest only).
TEST_REQUIREMENTS=("${DEMO_REQUIREMENTS[@]}" requirements-test.txt)

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }

_files_hash() { (cd "$ROOT" && cat "$@") | sha256sum | cut -c1-16; }

# ensure_venv [dev|demo]: a virtual environment in .venv with the pinned requirements of the profile (default
# dev) and this package (editable). Reinstalls only when a requirements file or pyproject.toml changed; a
# dev environment also serves the demo.
ensure_venv() {
  local profile=${1:-dev} python=${PYTHON:-python3}
  command -v "$python" >/dev/null 2>&1 || { log "error: $python not found; install Python >= 3.11"; exit 1; }
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
    { log "error: $python is Python $("$python" -V 2>&1); this project needs 3.11 or later (set PYTHON=...)"; exit 1; }
  local demo_hash dev_hash
  demo_hash=$(_files_hash "${DEMO_REQUIREMENTS[@]}" pyproject.toml)
  dev_hash=$(_files_hash "${DEV_REQUIREMENTS[@]}" pyproject.toml)
  if [ -x "$VENV/bin/python" ]; then
    [ -f "$VENV/.vapi-dev-$dev_hash" ] && return 0
    [ "$profile" = demo ] && [ -f "$VENV/.vapi-demo-$demo_hash" ] && return 0
  else
    log "creating the virtual environment in $VENV"
    "$python" -m venv "$VENV"
  fi
  local files=("${DEMO_REQUIREMENTS[@]}")
  [ "$profile" = dev ] && files=(requirements-dev.txt)
  log "installing the pinned requirements ($profile: ${files[*]}) into $VENV"
  rm -f "$VENV"/.vapi-*
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${files[@]/#/-r$ROOT/}"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e "$ROOT"
  touch "$VENV/.vapi-demo-$demo_hash"
  if [ "$profile" = dev ]; then touch "$VENV/.vapi-dev-$dev_hash"; fi
}

# ensure_engine: put a supported `pulumi` (and its bundled plugins) first on PATH.
ensure_engine() {
  local dir
  dir=$("$ROOT/scripts/bootstrap-engine")
  export PATH="$dir:$PATH"
  export VAPI_ENGINE_DIR="$dir"
}

# find_python X.Y: print the path of a Python X.Y interpreter (pyenv's newest X.Y.*, else pythonX.Y on PATH),
# or nothing and status 1.
find_python() {
  local want=$1 candidate found=()
  shopt -s nullglob
  found=("${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$want".*/bin/python)
  shopt -u nullglob
  if [ "${#found[@]}" -gt 0 ]; then
    mapfile -t found < <(printf '%s\n' "${found[@]}" | sort -V -r)
  fi
  found+=("$(command -v "python$want" 2>/dev/null || true)")
  for candidate in "${found[@]}"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    if [ "$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$want" ]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

# ensure_side_venv NAME PYTHON FILE...: print the path of a cached virtual environment made with PYTHON from
# the requirements FILEs (absolute paths), keyed by a hash of the interpreter's version and the files. Made
# once per machine under a lock, so parallel clones share it; unused ones are removed after 14 days.
ensure_side_venv() {
  local name=$1 python=$2 hash dir
  shift 2
  hash=$({ "$python" -c 'import sys; print(sys.version)'; cat "$@"; } | sha256sum | cut -c1-16)
  dir="$VENV_CACHE/$name-$hash"
  mkdir -p "$VENV_CACHE"
  (
    flock 9
    if [ ! -f "$dir/.vapi-complete" ]; then
      rm -rf "$dir"
      log "creating $dir ($("$python" -V 2>&1); ${*#"$ROOT"/})"
      # Explicit exits: callers test this function in an `if`, where `set -e` does not apply.
      "$python" -m venv "$dir" >&2 || exit 1
      "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "${@/#/-r}" >&2 || exit 1
    fi
    touch "$dir/.vapi-complete"
    find "$VENV_CACHE" -mindepth 2 -maxdepth 2 -name .vapi-complete -mtime +14 -printf '%h\n' |
      while read -r old; do rm -rf "$old" "$old.lock"; done
  ) 9>"$dir.lock" || return 1
  printf '%s\n' "$dir"
}
