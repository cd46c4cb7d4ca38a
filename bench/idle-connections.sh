#!/usr/bin/env bash
# Resident memory per idle connection: COUNT connections held open to the demo's ping protocol, to its download
# listener after one request each (kept alive), and to nginx in both ways. Memory is measured after a settle pause, as
# the growth of the servers' resident set over their idle state; for ours also the live Java heap, with the classes
# that grew most (jmap -histo:live before and after).
source "$(dirname "$0")/lib.sh"
need nginx java jcmd jmap python3
build_demo
COUNT=${COUNT:-10000}
ulimit -n "$(ulimit -Hn)"

heap_kib() { # PID: KiB of Java heap in use after a full collection (what the connections keep alive)
    jcmd "$1" GC.run >/dev/null
    jcmd "$1" GC.heap_info | awk '/ used / {for (i = 1; i <= NF; i++) if ($i == "used") {sub(/K,?/, "", $(i + 1)); print $(i + 1); exit}}'
}
histo() { # PID FILE: live objects per class (jmap -histo:live, which collects first)
    jmap -histo:live "$1" >"$2"
}
grown() { # BEFORE AFTER: the classes whose live bytes grew most, per connection
    python3 - "$1" "$2" "$COUNT" <<'PY'
import sys
def read(path):
    out = {}
    for line in open(path):
        parts = line.split()
        if len(parts) >= 4 and parts[0].endswith(":"):
            out[parts[3]] = (int(parts[1]), int(parts[2]))
    return out
before, after, count = read(sys.argv[1]), read(sys.argv[2]), int(sys.argv[3])
rows = sorted(((after[k][1] - before.get(k, (0, 0))[1], after[k][0] - before.get(k, (0, 0))[0], k) for k in after),
              reverse=True)[:8]
for size, instances, name in rows:
    print("    %7.0f B  %5.1f objects  %s" % (size / count, instances / count, name))
PY
}
measure() { # PORT PATH PIDS... : KiB of growth with COUNT connections (PATH: one GET each first, "-" for none); with
    # HEAP_OF=PID also sets HEAP_GROWTH and prints the classes that grew to $WORK/grown
    local port=$1 path=$2
    shift 2
    local before after heap_before=0
    [ "$path" = "-" ] && path=""
    [ -n "${HEAP_OF:-}" ] && heap_before=$(heap_kib "$HEAP_OF") && histo "$HEAP_OF" "$WORK/histo.before"
    before=$(rss_kib "$@")
    coproc HOLD { python3 "$BENCH_DIR/hold-connections.py" "$port" "$COUNT" 120 $path; }
    read -r ready <&"${HOLD[0]}"
    sleep 2
    after=$(rss_kib "$@")
    if [ -n "${HEAP_OF:-}" ]; then
        HEAP_GROWTH=$(($(heap_kib "$HEAP_OF") - heap_before))
        histo "$HEAP_OF" "$WORK/histo.after"
        grown "$WORK/histo.before" "$WORK/histo.after" >"$WORK/grown"
    fi
    exec {HOLD[1]}>&-
    wait "$HOLD_PID" 2>/dev/null || true
    echo $((after - before))
}

files="$WORK/files"
mkdir -p "$files"
printf 'kept' >"$files/small.txt"
ping_port=$(free_port)
download_port=$(free_port)
start_demo -Xmx512m -Dquarkus.smprotocol.protocols.ping.port="$ping_port" \
    -Dquarkus.smprotocol.protocols.ping.max-connections=0 -Dquarkus.smprotocol.protocols.smtp.enabled=false \
    -Dquarkus.smprotocol.protocols.redis-proxy.enabled=false -Dquarkus.smprotocol.download.port="$download_port" \
    -Dquarkus.smprotocol.download.root="$files" -Dquarkus.smprotocol.download.max-connections=0
wait_port "$ping_port"
wait_port "$download_port"
HEAP_GROWTH=0
HEAP_OF=$DEMO_PID measure "$ping_port" - "$DEMO_PID" >"$WORK/ours"
ours=$(cat "$WORK/ours")
ours_heap=$HEAP_GROWTH
cp "$WORK/grown" "$WORK/grown.ping"
HEAP_OF=$DEMO_PID measure "$download_port" /small.txt "$DEMO_PID" >"$WORK/ours"
ours_download=$(cat "$WORK/ours")
ours_download_heap=$HEAP_GROWTH
stop_pid "$DEMO_PID"

nginx_port=$(free_port)
start_nginx "$nginx_port" "$files" "access_log off; keepalive_timeout 300s; client_header_timeout 300s;" \
    "worker_processes 1; worker_rlimit_nofile 65536;" 20000
nginx_pid=$NGINX_PID
wait_port "$nginx_port"
nginx_pids=$(pgrep -d ' ' -P "$nginx_pid" || true)
theirs=$(measure "$nginx_port" - "$nginx_pid" $nginx_pids)
theirs_download=$(measure "$nginx_port" /small.txt "$nginx_pid" $nginx_pids)

per() { awk -v k="$1" -v n="$COUNT" 'BEGIN {printf "%.2f", k / n}'; }
echo "# $COUNT idle connections, resident memory growth ($(machine))"
echo "| connections | ours KiB each | ours live heap KiB each | nginx KiB each | ours/nginx (lower is better) |"
echo "|---|---|---|---|---|"
echo "| idle, no request (ping protocol; nginx) | $(per "$ours") | $(per "$ours_heap") | $(per "$theirs") | $(ratio "$ours" "$theirs") |"
echo "| kept alive after one GET (download listener; nginx) | $(per "$ours_download") | $(per "$ours_download_heap") | $(per "$theirs_download") | $(ratio "$ours_download" "$theirs_download") |"
echo "ours, live heap per idle ping connection by class (bytes, objects):"
cat "$WORK/grown.ping"
echo "ours, live heap per kept-alive download connection by class (bytes, objects):"
cat "$WORK/grown"
