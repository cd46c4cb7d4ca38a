#!/usr/bin/env bash
# redis-benchmark SET and GET through the demo's redis-proxy, through HAProxy in TCP mode, and straight to the same
# redis-server, in each load shape (REDIS_SHAPES). Prints one table: medians of RUNS runs and the ratios ours/HAProxy
# and ours/direct.
source "$(dirname "$0")/lib.sh"
need redis-server redis-benchmark haproxy java
build_demo

redis_port=$(free_port)
proxy_port=$(free_port)
haproxy_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$WORK/redis.log" 2>&1 &
PIDS+=("$!")
cat >"$WORK/haproxy.cfg" <<CFG
global
    maxconn 4096
defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend redis
    bind 127.0.0.1:$haproxy_port
    default_backend redis
backend redis
    server redis 127.0.0.1:$redis_port
CFG
haproxy -f "$WORK/haproxy.cfg" -db >"$WORK/haproxy.log" 2>&1 &
PIDS+=("$!")
wait_port "$redis_port"
wait_port "$haproxy_port"

echo "# redis SET/GET: demo redis-proxy vs HAProxy (tcp mode) vs direct ($(machine)); medians of $RUNS runs"
rows=()
# LOOPS: the protocol's event-loops settings to measure, "all" being the default (every event loop of Vert.x)
for loops in ${LOOPS:-all 1}; do
    setting=()
    [ "$loops" = all ] || setting=(-Dquarkus.smprotocol.protocols.redis-proxy.event-loops="$loops")
    start_demo -Dquarkus.smprotocol.protocols.redis-proxy.port="$proxy_port" \
        -Dquarkus.smprotocol.protocols.redis-proxy.forward.port="$redis_port" \
        -Dquarkus.smprotocol.protocols.smtp.enabled=false -Dquarkus.smprotocol.protocols.ping.enabled=false \
        "${setting[@]}"
    wait_port "$proxy_port"
    for shape in "${REDIS_SHAPES[@]}"; do
        export THREADS=${shape%x*} CLIENTS=${shape#*x}
        for test in set get; do
            for pipeline in 1 16; do
                ours=() haproxy=() direct=()
                warm_redis "$proxy_port" "$test" -P "$pipeline"
                for _ in $(seq "$RUNS"); do
                    ours+=("$(redis_rps "$proxy_port" "$test" -P "$pipeline")")
                    haproxy+=("$(redis_rps "$haproxy_port" "$test" -P "$pipeline")")
                    direct+=("$(redis_rps "$redis_port" "$test" -P "$pipeline")")
                done
                o=$(median "${ours[@]}")
                h=$(median "${haproxy[@]}")
                d=$(median "${direct[@]}")
                rows+=("| $test -P $pipeline | $loops | $THREADS thread(s), $CLIENTS connections | $o | $h | $d |"\
" $(ratio "$o" "$h") | $(ratio "$o" "$d") |")
            done
        done
    done
    stop_pid "$DEMO_PID"
done
echo "| case | event loops | load shape | ours req/s | HAProxy req/s | direct req/s | ours/HAProxy | ours/direct |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
