#!/usr/bin/env bash
# Seconds from launching the JVM to the first connection the demo's ping protocol accepts and answers; median of RUNS.
source "$(dirname "$0")/lib.sh"
need java python3
build_demo

times=()
for _ in $(seq "$RUNS"); do
    ping_port=$(free_port)
    started=$(date +%s%N)
    start_demo -Dquarkus.smprotocol.protocols.ping.port="$ping_port" -Dquarkus.smprotocol.protocols.smtp.port=0 \
        -Dquarkus.smprotocol.protocols.redis-proxy.port=0
    python3 - "$ping_port" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
deadline = time.time() + 60
while True:
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=1)
        s.sendall(b"PING\r\n")
        assert s.recv(16).startswith(b"+PONG")
        break
    except OSError:
        if time.time() > deadline:
            raise
        time.sleep(0.01)
PY
    ended=$(date +%s%N)
    times+=("$(awk -v a="$started" -v b="$ended" 'BEGIN {printf "%.3f", (b - a) / 1e9}')")
    stop_pid "$DEMO_PID"
done
echo "# JVM start to first answered connection ($(machine))"
echo "seconds: ${times[*]}; median $(median "${times[@]}")"
