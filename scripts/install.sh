#!/usr/bin/env bash
# Create .venv and install rightsdesk with its pinned dependencies (idempotent, quick when done).
# bash scripts/install.sh [app|encoder|dev]: the workbench; + the encoder action model; + tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=.venv/.rightsdesk-installed
want=$(sha256sum pyproject.toml | cut -c1-16)-${1:-app}
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  case "${1:-app}" in
    # the encoder extra: torch first, pinned, so that pip takes the CPU build and never the
    # CUDA one with its several GB of packages
    dev) .venv/bin/python -m pip install -q "torch==2.13.0"
         .venv/bin/python -m pip install -q -e ".[dev,encoder]" ;;
    encoder) .venv/bin/python -m pip install -q "torch==2.13.0"
             .venv/bin/python -m pip install -q -e ".[encoder]" ;;
    *) .venv/bin/python -m pip install -q -e . ;;
  esac
  echo "$want" > "$stamp"
fi
