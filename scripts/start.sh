#!/usr/bin/env bash
# The main job: install, initialise the SQLite store, import the open data found, create the
# admin account (password from RIGHTSDESK_ADMIN_PASSWORD, or generated and printed once),
# and serve the workbench on http://127.0.0.1:8000/. Safe and quick to re-run.
# Usage: bash scripts/start.sh [--data DIR] [--host HOST] [--port PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="" HOST=127.0.0.1 PORT=8000
while [ $# -gt 0 ]; do
  case "$1" in
    --data) DATA="$2"; shift 2;;
    --host) HOST="$2"; shift 2;;
    --port) PORT="$2"; shift 2;;
    *) echo "unknown option $1" >&2; exit 64;;
  esac
done
bash scripts/install.sh app
if [ -n "$DATA" ]; then .venv/bin/rightsdesk setup --data "$DATA"; else .venv/bin/rightsdesk setup; fi
exec .venv/bin/rightsdesk serve --host "$HOST" --port "$PORT"
