#!/usr/bin/env bash
# Start a local PostgreSQL server for the tests (as root; idempotent, ~5 s).
set -euo pipefail
PGVER=$(ls /usr/lib/postgresql | sort -V | tail -1)
pg_lsclusters -h | grep -q "^$PGVER main" || pg_createcluster "$PGVER" main >/dev/null
pg_ctlcluster "$PGVER" main status >/dev/null 2>&1 || pg_ctlcluster "$PGVER" main start
runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_roles WHERE rolname='rightsdesk'" | grep -q 1 \
  || runuser -u postgres -- psql -qc "CREATE ROLE rightsdesk LOGIN PASSWORD 'rightsdesk' CREATEDB"
# A throw-away server for tests: no crash safety needed, and every test creates and drops a
# database (each drop forces a checkpoint); -17% on the PostgreSQL tests measured.
for setting in "fsync = off" "synchronous_commit = off" "full_page_writes = off"; do
  runuser -u postgres -- psql -qc "ALTER SYSTEM SET $setting" >/dev/null
done
runuser -u postgres -- psql -qtAc "SELECT pg_reload_conf()" >/dev/null
# Dropping a test database WITH (FORCE) must also end an autovacuum worker still in it.
runuser -u postgres -- psql -qc "SET client_min_messages = warning; GRANT pg_signal_backend TO rightsdesk" >/dev/null
runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname='rightsdesk_test'" | grep -q 1 \
  || runuser -u postgres -- psql -qc "CREATE DATABASE rightsdesk_test OWNER rightsdesk"
# The URL must work as printed: wait for the server, then log in over TCP as the test role.
for _ in $(seq 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
PGPASSWORD=rightsdesk psql -h 127.0.0.1 -p 5432 -U rightsdesk -d rightsdesk_test -tAc "SELECT 1" \
  | grep -q 1 || { echo "pg-setup: cannot log in as rightsdesk on 127.0.0.1:5432" >&2; exit 1; }
echo "postgresql+psycopg://rightsdesk:rightsdesk@127.0.0.1:5432/rightsdesk_test"
