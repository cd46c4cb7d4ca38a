#!/usr/bin/env bash
# Resident memory per idle connection: COUNT connections held open to the demo's ping protocol and to nginx.
# Memory is measured after a settle pause, as the growth of the servers' resident set over their idle state.
source "$(dirname "$0")/lib.sh"
need nginx java jcmd python3
build_demo
COUNT=${COUNT:-10000}
ulimit -n "$(ulimit -Hn)"

heap_kib() { # PID: KiB of Java heap in use after a full collection (what the connections keep alive)
    jcmd "$1" GC.run >/dev/null
    jcmd "$1" GC.heap_info | awk '/ used / {for (i = 1; i <= NF; i++) if ($i == "used") {sub(/K,?/, "", $(i + 1)); print $(i + 1); exit}}'
}
measure() { # PORT PIDS... : KiB of growth with COUNT connections; with HEAP_OF=PID also sets HEAP_GROWTH
    local port=$1
    shift
    local before after heap_before=0
    [ -n "${HEAP_OF:-}" ] && heap_before=$(heap_kib "$HEAP_OF")
    before=$(rss_kib "$@")
    coproc HOLD { python3 "$BENCH_DIR/hold-connections.py" "$port" "$COUNT" 120; }
    read -r ready <&"${HOLD[0]}"
    sleep 2
    after=$(rss_kib "$@")
    [ -n "${HEAP_OF:-}" ] && HEAP_GROWTH=$(($(heap_kib "$HEAP_OF") - heap_before))
    exec {HOLD[1]}>&-
    wait "$HOLD_PID" 2>/dev/null || true
    echo $((after - before))
}

ping_port=$(free_port)
start_demo -Xmx512m -Dquarkus.smprotocol.protocols.ping.port="$ping_port" \
    -Dquarkus.smprotocol.protocols.ping.max-connections=0 -Dquarkus.smprotocol.protocols.smtp.enabled=false \
    -Dquarkus.smprotocol.protocols.redis-proxy.enabled=false
wait_port "$ping_port"
HEAP_GROWTH=0
HEAP_OF=$DEMO_PID measure "$ping_port" "$DEMO_PID" >"$WORK/ours"
ours=$(cat "$WORK/ours")
stop_pid "$DEMO_PID"

nginx_port=$(free_port)
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<CFG
worker_processes 1;
worker_rlimit_nofile 65536;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 20000; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx;
    proxy_temp_path $WORK/nginx;
    fastcgi_temp_path $WORK/nginx;
    uwsgi_temp_path $WORK/nginx;
    scgi_temp_path $WORK/nginx;
    keepalive_timeout 300s;
    client_header_timeout 300s;
    server { listen 127.0.0.1:$nginx_port; location / { return 204; } }
}
CFG
nginx -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
PIDS+=("$nginx_pid")
wait_port "$nginx_port"
nginx_pids=$(pgrep -d ' ' -P "$nginx_pid" || true)
theirs=$(measure "$nginx_port" "$nginx_pid" $nginx_pids)

echo "# $COUNT idle connections, resident memory growth ($(machine))"
echo "ours: $ours KiB ($(awk -v k="$ours" -v n="$COUNT" 'BEGIN {printf "%.2f", k / n}') KiB per connection)"
echo "ours, Java heap live after a full GC: $HEAP_GROWTH KiB ($(awk -v k="$HEAP_GROWTH" -v n="$COUNT" 'BEGIN {printf "%.2f", k / n}') KiB per connection)"
echo "nginx: $theirs KiB ($(awk -v k="$theirs" -v n="$COUNT" 'BEGIN {printf "%.2f", k / n}') KiB per connection)"
echo "ours/nginx: $(ratio "$ours" "$theirs") (lower is better)"
