#!/usr/bin/env bash
# CPU time per request of a 4 KiB keep-alive GET, ours per thread group and nginx's workers, from the kernel's own
# accounting (/proc/PID/task/*/stat, user and system time) around one wrk run. Steadier on a shared machine than
# requests per second, and it tells where a request's time goes: event loops, workers, tracking.
#   CASES: the builds of ours to measure, as "label=-Dkey=value" separated by ";" (an empty option: as shipped);
#   SHAPE: wrk's load (default -t1 -c32); DURATION: the measured run (default 8s); WARMUP: seconds of load first.
source "$(dirname "$0")/lib.sh"
need nginx wrk java python3
build_demo
DURATION=${DURATION:-8s}
SHAPE=${SHAPE:--t1 -c32}
IFS=';' read -r -a cases <<<"${CASES:-as shipped=;local-cache off=-Dquarkus.smprotocol.download.local-cache.enabled=false}"
tick=$(getconf CLK_TCK)

files="$WORK/files"
mkdir -p "$files"
head -c 4096 /dev/urandom >"$files/small.bin"
port=$(free_port)

# times PID: "group user system" in clock ticks per thread group of the process (the thread's name without its number)
times() {
    for task in /proc/"$1"/task/*; do
        printf '%s %s\n' "$(sed 's/-[0-9]*$//' "$task/comm")" "$(awk '{print $14, $15}' "$task/stat")"
    done | awk '{u[$1] += $2; s[$1] += $3} END {for (g in u) print g, u[g], s[g]}' | sort
}
# measure LABEL PID...: one wrk run against port; prints a table row per thread group that used time, and the total
measure() {
    local label=$1 out requests
    shift
    for pid in "$@"; do times "$pid"; done | awk '{u[$1] += $2; s[$1] += $3} END {for (g in u) print g, u[g], s[g]}' \
        | sort >"$WORK/before"
    # shellcheck disable=SC2086 # the shape is two wrk options
    out=$(wrk $SHAPE -d"$DURATION" "http://127.0.0.1:$port/small.bin")
    for pid in "$@"; do times "$pid"; done | awk '{u[$1] += $2; s[$1] += $3} END {for (g in u) print g, u[g], s[g]}' \
        | sort >"$WORK/after"
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    join "$WORK/before" "$WORK/after" | awk -v label="$label" -v r="$requests" -v t="$tick" '
        { u = ($4 - $2) * 1e6 / t / r; s = ($5 - $3) * 1e6 / t / r; tu += u; ts += s
          if (u + s >= 0.05) printf "| %s | %s | %.2f | %.2f |\n", label, $1, u, s }
        END { printf "| %s | total (%d requests) | %.2f | %.2f |\n", label, r, tu, ts }'
}

echo "# CPU time per 4 KiB GET, wrk $SHAPE for $DURATION ($(machine)), microseconds per request"
echo "| build | threads | user | system |"
echo "|---|---|---|---|"
for entry in "${cases[@]}"; do
    label=${entry%%=*}
    option=${entry#*=}
    # shellcheck disable=SC2086 # no option, or one
    start_demo -Dquarkus.smprotocol.download.port="$port" -Dquarkus.smprotocol.download.root="$files" \
        -Dquarkus.smprotocol.protocols.smtp.enabled=false -Dquarkus.smprotocol.protocols.ping.enabled=false \
        -Dquarkus.smprotocol.protocols.redis-proxy.enabled=false -Dquarkus.smprotocol.download.max-connections=0 \
        $option
    wait_port "$port"
    wrk -t2 -c50 -d"${WARMUP:-15}s" "http://127.0.0.1:$port/small.bin" >/dev/null
    measure "ours, $label" "$DEMO_PID"
    stop_pid "$DEMO_PID"
done

start_nginx "$port" "$files"
wait_port "$port"
wrk -t2 -c50 -d5s "http://127.0.0.1:$port/small.bin" >/dev/null
# shellcheck disable=SC2046 # one PID per worker
measure "nginx" $(pgrep -P "$NGINX_PID")
