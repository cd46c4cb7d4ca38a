#!/usr/bin/env bash
# Inline PING against the demo's `ping` protocol and against redis-server itself, with redis-benchmark, in each load
# shape (REDIS_SHAPES), without and with pipelining. Prints one table: the median requests per second of RUNS runs
# each and ours/peer.
source "$(dirname "$0")/lib.sh"
need redis-server redis-benchmark java
build_demo

redis_port=$(free_port)
ping_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$WORK/redis.log" 2>&1 &
redis_pid=$!
PIDS+=("$redis_pid")
wait_port "$redis_port"

echo "# ping_inline: demo ping protocol vs redis-server ($(machine)); medians of $RUNS runs"
rows=()
# LOOPS: the protocol's event-loops settings to measure, "all" being the default (every event loop of Vert.x)
for loops in ${LOOPS:-all 1}; do
    setting=()
    [ "$loops" = all ] || setting=(-Dquarkus.smprotocol.protocols.ping.event-loops="$loops")
    start_demo -Dquarkus.smprotocol.protocols.ping.port="$ping_port" -Dquarkus.smprotocol.protocols.smtp.enabled=false \
        -Dquarkus.smprotocol.protocols.redis-proxy.enabled=false "${setting[@]}"
    wait_port "$ping_port"
    for shape in "${REDIS_SHAPES[@]}"; do
        export THREADS=${shape%x*} CLIENTS=${shape#*x}
        for pipeline in 1 16; do
            ours=() peer=()
            warm_redis "$ping_port" ping_inline -P "$pipeline"
            for _ in $(seq "$RUNS"); do
                ours+=("$(redis_rps "$ping_port" ping_inline -P "$pipeline")")
                peer+=("$(redis_rps "$redis_port" ping_inline -P "$pipeline")")
            done
            o=$(median "${ours[@]}")
            p=$(median "${peer[@]}")
            rows+=("| ping_inline -P $pipeline | $loops | $THREADS thread(s), $CLIENTS connections | $o | $p | $(ratio "$o" "$p") |")
        done
    done
    stop_pid "$DEMO_PID"
done
echo "| case | event loops | load shape | ours req/s | redis-server req/s | ours/redis-server |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
