#!/usr/bin/env bash
# Runs every benchmark, one after the other, and prints their results. RUNS (default 5) sets the runs per case.
set -uo pipefail
cd "$(dirname "$0")"
for script in ping-vs-redis.sh proxy-vs-haproxy.sh downloads-vs-nginx.sh cpu-per-request.sh idle-connections.sh startup.sh; do
    bash "$script" 2>&1 | grep -v '^WARNING' || echo "$script failed"
    echo
done
