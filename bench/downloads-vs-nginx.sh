#!/usr/bin/env bash
# The download manager against nginx serving the same folder, one after the other on this machine:
#   - a 4 KiB file over keep-alive (wrk), requests per second;
#   - random 1 MiB ranges of a large file (wrk + random-range.lua), requests and MB per second;
#   each wrk case in both load shapes (-t1 -c32 and -t2 -c50), printed as one table of medians and ratios;
#   - the large file fetched by aria2c -x8 -s8 -k1M, seconds;
#   - the 4 KiB file again with both servers' file caches on (ours: local-cache; nginx: open_file_cache);
#   - the 4 KiB file again with nginx writing its access log as Debian ships it (what a site that counts downloads
#     from its logs runs), with ours reading the file on every request (local-cache off), and with neither server
#     recording anything (ours: tracking off).
# Tracking stays on for ours (the demo's defaults). BIG_SIZE sets the large file's size (default 1G).
source "$(dirname "$0")/lib.sh"
need nginx wrk aria2c curl java python3
build_demo
BIG_SIZE=${BIG_SIZE:-1G}
DURATION=${DURATION:-10s}

files="$WORK/files"
mkdir -p "$files"
head -c 4096 /dev/urandom >"$files/small.bin"
head -c "$BIG_SIZE" /dev/urandom >"$files/big.bin"
big_bytes=$(stat -c %s "$files/big.bin")
big_sha=$(sha256sum "$files/big.bin" | cut -d' ' -f1)

ours_port=$(free_port)
demo_args=(-Dquarkus.smprotocol.download.port="$ours_port" -Dquarkus.smprotocol.download.root="$files"
    -Dquarkus.smprotocol.protocols.smtp.enabled=false -Dquarkus.smprotocol.protocols.ping.enabled=false
    -Dquarkus.smprotocol.protocols.redis-proxy.enabled=false -Dquarkus.smprotocol.download.max-connections=0)
start_demo "${demo_args[@]}"
ours_pid=$DEMO_PID
nginx_port=$(free_port)
start_nginx "$nginx_port" "$files"
wait_port "$ours_port"
wait_port "$nginx_port"
for port in "$ours_port" "$nginx_port"; do
    for file in small.bin big.bin; do
        status=$(curl -s -o /dev/null -w '%{http_code}' -r 0-99 "http://127.0.0.1:$port/$file")
        [ "$status" = 206 ] || { echo "127.0.0.1:$port/$file answers $status, not 206" >&2; exit 1; }
    done
done

# The load shapes every wrk case runs in: one wrk thread with 32 connections, and two with 50 (SHAPES overrides)
IFS=',' read -r -a shapes <<<"${SHAPES:--t1 -c32,-t2 -c50}"
wrk_rps() { # SHAPE URL [wrk args]: requests per second
    local shape=$1 url=$2
    shift 2
    # shellcheck disable=SC2086 # the shape is two wrk options
    wrk $shape -d"$DURATION" "$@" "$url" | awk '/^Requests\/sec:/ {print $2}'
}
wrk_mbps() { # SHAPE URL [wrk args]: MB per second
    local shape=$1 url=$2
    shift 2
    # shellcheck disable=SC2086
    wrk $shape -d"$DURATION" "$@" "$url" | awk '/^Transfer\/sec:/ {
        v = $2; u = substr(v, length(v) - 1); n = v + 0;
        if (u == "GB") n *= 1024; else if (u == "KB") n /= 1024; else if (u == "MB") n = n; printf "%.1f", n }'
}
ROWS=()
row() { # CASE SHAPE UNIT OURS... -- THEIRS...: a table row with both medians and the ratio
    local name=$1 shape=$2 unit=$3 o n
    shift 3
    local ours=() theirs=() side=ours
    for v in "$@"; do
        if [ "$v" = "--" ]; then side=theirs; elif [ $side = ours ]; then ours+=("$v"); else theirs+=("$v"); fi
    done
    o=$(median "${ours[@]}")
    n=$(median "${theirs[@]}")
    ROWS+=("| $name | \`$shape\` | $o $unit | $n $unit | $(ratio "$o" "$n") |")
}
compare() { # CASE UNIT FUNCTION PATH [wrk args]: RUNS runs of FUNCTION against ours and nginx in turn, per shape
    local name=$1 unit=$2 measure=$3 path=$4
    shift 4
    for shape in "${shapes[@]}"; do
        local o=() n=()
        for _ in $(seq "$RUNS"); do
            o+=("$($measure "$shape" "http://127.0.0.1:$ours_port$path" "$@")")
            n+=("$($measure "$shape" "http://127.0.0.1:$nginx_port$path" "$@")")
        done
        row "$name" "$shape" "$unit" "${o[@]}" -- "${n[@]}"
    done
}
aria_seconds() { # URL: seconds for aria2c to fetch the large file; checks its SHA-256
    local url=$1 started ended
    rm -rf "$WORK/out"
    started=$(date +%s%N)
    aria2c -q -x8 -s8 -k1M --allow-overwrite=true --file-allocation=none -d "$WORK/out" -o big.bin \
        --checksum=sha-256="$big_sha" "$url" || { echo "aria2c failed on $url" >&2; exit 1; }
    ended=$(date +%s%N)
    awk -v a="$started" -v b="$ended" 'BEGIN {printf "%.2f", (b - a) / 1e9}'
}

echo "# downloads: ours vs nginx ($(machine)); large file $big_bytes bytes; medians of $RUNS runs of $DURATION"
export FILE_SIZE=$big_bytes
# the JVM compiles its hot paths during the first seconds of load: warm up for WARMUP seconds (default 15)
DURATION="${WARMUP:-15}s" wrk_rps "-t2 -c50" "http://127.0.0.1:$ours_port/small.bin" >/dev/null
DURATION=5s wrk_rps "-t2 -c16" "http://127.0.0.1:$ours_port/big.bin" -s "$BENCH_DIR/random-range.lua" >/dev/null
compare "4 KiB GET keep-alive" "req/s" wrk_rps /small.bin
compare "random 1 MiB ranges" "req/s" wrk_rps /big.bin -s "$BENCH_DIR/random-range.lua"
compare "random 1 MiB ranges" "MB/s" wrk_mbps /big.bin -s "$BENCH_DIR/random-range.lua"
o_aria=() n_aria=()
for _ in $(seq "$RUNS"); do
    o_aria+=("$(aria_seconds "http://127.0.0.1:$ours_port/big.bin")")
    n_aria+=("$(aria_seconds "http://127.0.0.1:$nginx_port/big.bin")")
done
o=$(median "${o_aria[@]}"); n=$(median "${n_aria[@]}")
aria="aria2c -x8 -s8 -k1M of the large file: ours $o s, nginx $n s, ratio (nginx time / ours) $(ratio "$n" "$o")"
rss="ours resident memory after the run: $(rss_kib "$ours_pid") KiB"

# The 4 KiB case again with each server's cache of open files on, both valid for 1 s: ours keeps small files and
# their metadata in memory (local-cache), nginx keeps descriptors and metadata (open_file_cache). Both are off by
# default; a file changed on disk may be served as it was for up to that second.
stop_pid "$ours_pid"
stop_pid "$NGINX_PID"
start_demo "${demo_args[@]}" -Dquarkus.smprotocol.download.local-cache.ttl=1s
ours_pid=$DEMO_PID
start_nginx "$nginx_port" "$files" "access_log off; open_file_cache max=1000 inactive=20s; open_file_cache_valid 1s;"
wait_port "$ours_port"
wait_port "$nginx_port"
DURATION="${WARMUP:-15}s" wrk_rps "-t2 -c50" "http://127.0.0.1:$ours_port/small.bin" >/dev/null
compare "4 KiB GET keep-alive, caches on (local-cache.ttl=1s; open_file_cache_valid 1s)" "req/s" wrk_rps /small.bin

# restart_both OURS_ARGS NGINX_LOG: both servers again, ours with extra -D options (one word, may be empty) and nginx
# with that access_log directive; warms ours up
restart_both() {
    stop_pid "$ours_pid"
    stop_pid "$NGINX_PID"
    # shellcheck disable=SC2086 # no option, or one
    start_demo "${demo_args[@]}" $1
    ours_pid=$DEMO_PID
    start_nginx "$nginx_port" "$files" "$2"
    wait_port "$ours_port"
    wait_port "$nginx_port"
    DURATION="${WARMUP:-15}s" wrk_rps "-t2 -c50" "http://127.0.0.1:$ours_port/small.bin" >/dev/null
}
# A site that counts its downloads with nginx writes an access log: Debian's nginx.conf logs every request, unbuffered
restart_both "" "access_log $WORK/nginx/access.log;"
compare "4 KiB GET keep-alive, nginx writing its access log (as Debian ships it)" "req/s" wrk_rps /small.bin
# Ours reading every small file from disk, as before kept copies checked by their ctime: what they save
restart_both "-Dquarkus.smprotocol.download.local-cache.enabled=false" "access_log off;"
compare "4 KiB GET keep-alive, ours with local-cache off (every file read)" "req/s" wrk_rps /small.bin
# Neither records anything: what the tracking costs next to the first row
restart_both "-Dquarkus.smprotocol.tracking.enabled=false" "access_log off;"
compare "4 KiB GET keep-alive, ours with tracking off" "req/s" wrk_rps /small.bin

echo "| case | wrk load | ours | nginx | ours/nginx |"
echo "|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo "$aria"
echo "$rss"
