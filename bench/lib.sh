#!/usr/bin/env bash
# Shared helpers of the benchmark scripts: start and stop servers, wait for ports, take medians.
# Every script runs our demo application and its peer on this machine, loopback only, one after the other.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
DEMO_JAR=${DEMO_JAR:-"$ROOT/integration-tests/target/quarkus-app/quarkus-run.jar"}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/smprotocol-bench.XXXXXX")
RUNS=${RUNS:-5}
PIDS=()

cleanup() {
    for pid in "${PIDS[@]:-}"; do
        [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

need() {
    for program in "$@"; do
        command -v "$program" >/dev/null 2>&1 || { echo "missing program: $program (see bench/README.md)" >&2; exit 2; }
    done
}

# Builds the demo application unless it is built already.
build_demo() {
    if [ ! -f "$DEMO_JAR" ]; then
        (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
    fi
}

# free_port: a TCP port nothing listens on now
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_port PORT [SECONDS]: waits until something accepts on 127.0.0.1:PORT
wait_port() {
    local port=$1 deadline=$((SECONDS + ${2:-60}))
    until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || { echo "nothing listens on $port" >&2; demo_log; return 1; }
        sleep 0.05
    done
}

# start_demo ARGS...: starts the demo with extra -D options; sets DEMO_PID. Its HTTP, management and download
# listeners take free ports, so that a running demo does not matter; the data it writes stays in the work folder.
start_demo() {
    (cd "$WORK" && exec java ${JAVA_OPTS:-} -Dquarkus.http.port="$(free_port)" \
        -Dquarkus.management.port="$(free_port)" -Dquarkus.smprotocol.download.port="$(free_port)" \
        -Dquarkus.smprotocol.banner=false "$@" -jar "$DEMO_JAR" >"$WORK/demo.log" 2>&1) &
    DEMO_PID=$!
    PIDS+=("$DEMO_PID")
}

# demo_log: prints the end of the demo's log, for a start that did not come up
demo_log() {
    [ -f "$WORK/demo.log" ] && tail -n 30 "$WORK/demo.log" >&2 || true
}

stop_pid() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# start_nginx PORT ROOT [HTTP] [MAIN] [CONNECTIONS]: nginx serving ROOT on 127.0.0.1:PORT, in the foreground, with
# these http-level directives (default: access_log off;), main-level ones (default: worker_processes auto;) and
# worker_connections (default 4096); sets NGINX_PID. As root its workers run as root too: as nobody they could not
# enter the work folder.
start_nginx() {
    local port=$1 root=$2 http=${3:-access_log off;} main=${4:-worker_processes auto;} user=""
    [ "$(id -u)" -eq 0 ] && user="user root;"
    mkdir -p "$WORK/nginx"
    cat >"$WORK/nginx/nginx.conf" <<CFG
$user
$main
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections ${5:-4096}; }
http {
    $http
    sendfile on;
    tcp_nopush on;
    client_body_temp_path $WORK/nginx;
    proxy_temp_path $WORK/nginx;
    fastcgi_temp_path $WORK/nginx;
    uwsgi_temp_path $WORK/nginx;
    scgi_temp_path $WORK/nginx;
    server { listen 127.0.0.1:$port; root $root; }
}
CFG
    nginx -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
    NGINX_PID=$!
    PIDS+=("$NGINX_PID")
}

# median of the numbers given as arguments
median() {
    printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'
}

# ratio A B: A/B with two decimals
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f\n", a / b }'
}

# rss_kib PID...: resident memory of the processes, summed, in KiB
rss_kib() {
    local total=0
    for pid in "$@"; do
        total=$((total + $(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")))
    done
    echo "$total"
}

# redis_threads: redis-benchmark's option for THREADS above one; one thread is its default, single-threaded mode
redis_threads() {
    [ "${THREADS:-1}" -gt 1 ] && echo "--threads $THREADS"
}

# redis_rps PORT TEST [-P N] [extra args]: requests per second redis-benchmark reaches for one test, with CLIENTS
# connections (default 50) and THREADS threads (default 1). A pipelined run sends N times REQUESTS, so that it lasts
# about as long as an unpipelined one instead of a fraction of a second.
redis_rps() {
    local port=$1 test=$2 requests=${REQUESTS:-100000}
    shift 2
    [ "${1:-}" = "-P" ] && requests=$((requests * $2))
    redis-benchmark -h 127.0.0.1 -p "$port" -t "$test" -n "$requests" -c "${CLIENTS:-50}" $(redis_threads) --csv "$@" \
        | awk -F'"' 'NR > 1 && $2 != "" {print $4; exit}'
}

# warm_redis PORT TEST [extra args]: redis-benchmark in a loop for WARMUP seconds (default 15), so that the JVM has
# compiled the hot paths before anything is measured; the peers are native and need none
warm_redis() {
    local port=$1 test=$2
    shift 2
    timeout "${WARMUP:-15}" redis-benchmark -h 127.0.0.1 -p "$port" -t "$test" -c "${CLIENTS:-50}" $(redis_threads) \
        -l -q "$@" \
        >/dev/null 2>&1 || true
}

# The load shapes of the redis-benchmark cases, as THREADSxCLIENTS: one thread with 32 connections and two with 50,
# the shapes of the wrk cases (REDIS_SHAPES overrides)
IFS=',' read -r -a REDIS_SHAPES <<<"${REDIS_SHAPES:-1x32,2x50}"

machine() {
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ); cpus: $(nproc); memory: $(free -g | awk '/Mem:/ {print $2}') GiB; java: $(java -version 2>&1 | head -1)"
}
