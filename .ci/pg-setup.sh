#!/usr/bin/env bash
# Start a local PostgreSQL server for the tests (as root; idempotent, ~5 s).
set -euo pipefail
PGVER=$(ls /usr/lib/postgresql | sort -V | tail -1)
pg_lsclusters -h | grep -q "^$PGVER main" || pg_createcluster "$PGVER" main >/dev/null
pg_ctlcluster "$PGVER" main status >/dev/null 2>&1 || pg_ctlcluster "$PGVER" main start
runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_roles WHERE rolname='rightsdesk'" | grep -q 1 \
  || runuser -u postgres -- psql -qc "CREATE ROLE rightsdesk LOGIN PASSWORD 'rightsdesk' CREATEDB"
runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname='rightsdesk_test'" | grep -q 1 \
  || runuser -u postgres -- psql -qc "CREATE DATABASE rightsdesk_test OWNER rightsdesk"
echo "postgresql+psycopg://rightsdesk:rightsdesk@127.0.0.1:5432/rightsdesk_test"
