#!/usr/bin/env bash
# The test command: install with dev tools, lint, type-check, run every test.
# PostgreSQL tests run when RIGHTSDESK_TEST_POSTGRES_URL is set (.ci/run sets it); browser
# tests run when /usr/bin/chromium exists. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh dev
.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy
.venv/bin/mypy tests
.venv/bin/python -m pytest -n 2 --dist loadfile "$@"
