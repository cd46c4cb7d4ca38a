#!/usr/bin/env bash
# The download manager against nginx serving the same folder, one after the other on this machine:
#   - a 4 KiB file over keep-alive (wrk), requests per second;
#   - random 1 MiB ranges of a large file (wrk + random-range.lua), requests and MB per second;
#   - the large file fetched by aria2c -x8 -s8 -k1M, seconds;
#   - the 4 KiB file again with both servers' file caches on (ours: local-cache; nginx: open_file_cache).
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
mkdir -p "$WORK/nginx"
# nginx's workers must read the files: as root they would run as nobody, who cannot enter the work folder
user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user root;"
# start_nginx [DIRECTIVES]: nginx on nginx_port serving the files, with extra http-level directives; sets NGINX_PID
start_nginx() {
    cat >"$WORK/nginx/nginx.conf" <<CFG
$user_line
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    ${1:-}
    client_body_temp_path $WORK/nginx;
    proxy_temp_path $WORK/nginx;
    fastcgi_temp_path $WORK/nginx;
    uwsgi_temp_path $WORK/nginx;
    scgi_temp_path $WORK/nginx;
    server { listen 127.0.0.1:$nginx_port; root $files; }
}
CFG
    nginx -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
    NGINX_PID=$!
    PIDS+=("$NGINX_PID")
}
start_nginx
wait_port "$ours_port"
wait_port "$nginx_port"
for port in "$ours_port" "$nginx_port"; do
    for file in small.bin big.bin; do
        status=$(curl -s -o /dev/null -w '%{http_code}' -r 0-99 "http://127.0.0.1:$port/$file")
        [ "$status" = 206 ] || { echo "127.0.0.1:$port/$file answers $status, not 206" >&2; exit 1; }
    done
done

wrk_rps() { # URL [wrk args]: requests per second
    local url=$1
    shift
    wrk -t2 -c"${CONNECTIONS:-50}" -d"$DURATION" "$@" "$url" | awk '/^Requests\/sec:/ {print $2}'
}
wrk_mbps() { # URL [wrk args]: MB per second
    local url=$1
    shift
    wrk -t2 -c"${CONNECTIONS:-16}" -d"$DURATION" "$@" "$url" | awk '/^Transfer\/sec:/ {
        v = $2; u = substr(v, length(v) - 1); n = v + 0;
        if (u == "GB") n *= 1024; else if (u == "KB") n /= 1024; else if (u == "MB") n = n; printf "%.1f", n }'
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

echo "# downloads: ours vs nginx ($(machine)); large file $big_bytes bytes"
export FILE_SIZE=$big_bytes
# the JVM compiles its hot paths during the first seconds of load: warm up for WARMUP seconds (default 15)
DURATION="${WARMUP:-15}s" wrk_rps "http://127.0.0.1:$ours_port/small.bin" >/dev/null
DURATION=5s CONNECTIONS=16 wrk_rps "http://127.0.0.1:$ours_port/big.bin" -s "$BENCH_DIR/random-range.lua" >/dev/null
o_small=() n_small=() o_range=() n_range=() o_mb=() n_mb=() o_aria=() n_aria=()
for _ in $(seq "$RUNS"); do
    o_small+=("$(wrk_rps "http://127.0.0.1:$ours_port/small.bin")")
    n_small+=("$(wrk_rps "http://127.0.0.1:$nginx_port/small.bin")")
    o_range+=("$(CONNECTIONS=16 wrk_rps "http://127.0.0.1:$ours_port/big.bin" -s "$BENCH_DIR/random-range.lua")")
    n_range+=("$(CONNECTIONS=16 wrk_rps "http://127.0.0.1:$nginx_port/big.bin" -s "$BENCH_DIR/random-range.lua")")
    o_mb+=("$(wrk_mbps "http://127.0.0.1:$ours_port/big.bin" -s "$BENCH_DIR/random-range.lua")")
    n_mb+=("$(wrk_mbps "http://127.0.0.1:$nginx_port/big.bin" -s "$BENCH_DIR/random-range.lua")")
    o_aria+=("$(aria_seconds "http://127.0.0.1:$ours_port/big.bin")")
    n_aria+=("$(aria_seconds "http://127.0.0.1:$nginx_port/big.bin")")
done
o=$(median "${o_small[@]}"); n=$(median "${n_small[@]}")
echo "4 KiB GET keep-alive: ours $o req/s, nginx $n req/s, ratio $(ratio "$o" "$n")"
o=$(median "${o_range[@]}"); n=$(median "${n_range[@]}")
echo "random 1 MiB ranges: ours $o req/s, nginx $n req/s, ratio $(ratio "$o" "$n")"
o=$(median "${o_mb[@]}"); n=$(median "${n_mb[@]}")
echo "random 1 MiB ranges: ours $o MB/s, nginx $n MB/s, ratio $(ratio "$o" "$n")"
o=$(median "${o_aria[@]}"); n=$(median "${n_aria[@]}")
echo "aria2c -x8 -s8 -k1M of the large file: ours $o s, nginx $n s, ratio (nginx time / ours) $(ratio "$n" "$o")"
echo "ours resident memory after the run: $(rss_kib "$ours_pid") KiB"

# The 4 KiB case again with each server's cache of open files on, both valid for 1 s: ours keeps small files and
# their metadata in memory (local-cache), nginx keeps descriptors and metadata (open_file_cache). Both are off by
# default; a file changed on disk may be served as it was for up to that second.
stop_pid "$ours_pid"
stop_pid "$NGINX_PID"
start_demo "${demo_args[@]}" -Dquarkus.smprotocol.download.local-cache.ttl=1s
ours_pid=$DEMO_PID
start_nginx "open_file_cache max=1000 inactive=20s; open_file_cache_valid 1s;"
wait_port "$ours_port"
wait_port "$nginx_port"
DURATION="${WARMUP:-15}s" wrk_rps "http://127.0.0.1:$ours_port/small.bin" >/dev/null
o_small=() n_small=()
for _ in $(seq "$RUNS"); do
    o_small+=("$(wrk_rps "http://127.0.0.1:$ours_port/small.bin")")
    n_small+=("$(wrk_rps "http://127.0.0.1:$nginx_port/small.bin")")
done
o=$(median "${o_small[@]}"); n=$(median "${n_small[@]}")
echo "4 KiB GET keep-alive, caches on: ours (local-cache.ttl=1s) $o req/s, nginx (open_file_cache_valid 1s) $n" \
    "req/s, ratio $(ratio "$o" "$n")"
