#!/usr/bin/env bash
# Payload reading: postfix's smtp-source sends one message of SIZE bytes (default 50,000,000; lines of 80 bytes) in
# DATA to the demo's smtp protocol, then to postfix's smtp-sink; prints MB/s (wall clock, median of RUNS) for both,
# the ratio ours/sink, and the CPU seconds the demo's JVM spent per message (less sensitive to a busy machine).
# smtp-source and smtp-sink come with the postfix package; without a running postfix, take them from the package:
#   apt-get download postfix && dpkg-deb -x postfix_*.deb "$HOME/postfix" && export POSTFIX_ROOT="$HOME/postfix"
source "$(dirname "$0")/lib.sh"
SIZE=${SIZE:-50000000}
if [ -n "${POSTFIX_ROOT:-}" ]; then
    export PATH="$POSTFIX_ROOT/usr/sbin:$PATH" LD_LIBRARY_PATH="$POSTFIX_ROOT/usr/lib/postfix:${LD_LIBRARY_PATH:-}"
fi
need java python3 smtp-source
build_demo

# seconds PORT: wall-clock seconds of one smtp-source message of SIZE bytes
seconds() {
    local started ended
    started=$(date +%s%N)
    smtp-source -l "$SIZE" -m 1 -s 1 "127.0.0.1:$1" >/dev/null
    ended=$(date +%s%N)
    awk -v a="$started" -v b="$ended" 'BEGIN {printf "%.3f", (b - a) / 1e9}'
}

mbps() {
    awk -v s="$1" -v n="$SIZE" 'BEGIN {printf "%.0f", n / s / 1e6}'
}

cpu_ticks() {
    awk '{print $14 + $15}' "/proc/$1/stat"
}

smtp_port=$(free_port)
start_demo -Dquarkus.smprotocol.protocols.smtp.port="$smtp_port" -Dquarkus.smprotocol.protocols.ping.port=0 \
    -Dquarkus.smprotocol.protocols.redis-proxy.port=0 -Dsmprotocol.demo.smtp.max-message-size=$((SIZE * 2))
wait_port "$smtp_port"
# the JVM compiles its hot paths first
for _ in $(seq "${WARMUP_MESSAGES:-10}"); do seconds "$smtp_port" >/dev/null; done
java_pid=$(pgrep -P "$DEMO_PID" java || echo "$DEMO_PID")
ours=()
ticks_before=$(cpu_ticks "$java_pid")
for _ in $(seq "$RUNS"); do ours+=("$(seconds "$smtp_port")"); done
ticks_after=$(cpu_ticks "$java_pid")
stop_pid "$DEMO_PID"
ours_median=$(median "${ours[@]}")
cpu=$(awk -v a="$ticks_before" -v b="$ticks_after" -v r="$RUNS" -v hz="$(getconf CLK_TCK)" \
    'BEGIN {printf "%.3f", (b - a) / hz / r}')

echo "# one message of $SIZE bytes through smtp-source ($(machine); load: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "ours: seconds ${ours[*]}; median $ours_median s = $(mbps "$ours_median") MB/s; JVM CPU $cpu s per message"
if command -v smtp-sink >/dev/null 2>&1; then
    sink_port=$(free_port)
    # -u: smtp-sink refuses to run as root without a user to switch to
    smtp-sink $([ "$(id -u)" = 0 ] && echo -u nobody) -c "127.0.0.1:$sink_port" 100 >/dev/null 2>&1 &
    PIDS+=("$!")
    wait_port "$sink_port"
    sink=()
    for _ in $(seq "$RUNS"); do sink+=("$(seconds "$sink_port")"); done
    sink_median=$(median "${sink[@]}")
    echo "smtp-sink: seconds ${sink[*]}; median $sink_median s = $(mbps "$sink_median") MB/s"
    echo "ratio ours/smtp-sink (throughput): $(ratio "$sink_median" "$ours_median")"
else
    echo "smtp-sink: not installed (postfix), not compared"
fi
