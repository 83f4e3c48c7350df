#!/usr/bin/env bash
# Starts the machine's PostgreSQL cluster if it is down (tests use postgres://127.0.0.1:5432/test).
set -euo pipefail
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then exit 0; fi
echo "PostgreSQL is down; starting it"
pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && exit 0; sleep 1; done
echo "PostgreSQL did not come up" >&2; exit 1
