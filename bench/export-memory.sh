#!/usr/bin/env bash
# The CSV export's memory: COUNT download records (default 200,000) in a MongoDB stand-in of its own process
# (mongo-java-server, bench/java/ExportFixture.java), the demo pointed at it with a small heap (HEAP, default 64m),
# one export of all of them. Prints the rows and bytes exported, the time, and the live heap after each collection:
# the highest during the export beside the one before it. A streamed export stays flat whatever COUNT is.
source "$(dirname "$0")/lib.sh"
COUNT=${COUNT:-200000}
HEAP=${HEAP:-64m}
need java curl
build_demo
lib="$ROOT/integration-tests/target/quarkus-app/lib/main"

mongo_port=$(free_port)
java -Xmx${FIXTURE_HEAP:-3g} -cp "$lib/*" "$BENCH_DIR/java/ExportFixture.java" "$mongo_port" "$COUNT" >"$WORK/fixture.log" 2>&1 &
PIDS+=("$!")
deadline=$((SECONDS + 300))
until grep -q '^ready' "$WORK/fixture.log"; do
    [ $SECONDS -lt $deadline ] || { echo "the fixture did not fill in time" >&2; tail "$WORK/fixture.log" >&2; exit 1; }
    sleep 0.5
done

http_port=$(free_port)
JAVA_OPTS="-Xmx$HEAP -Xlog:gc:file=$WORK/gc.log" start_demo -Dquarkus.http.port="$http_port" \
    -Dquarkus.mongodb.connection-string="mongodb://127.0.0.1:$mongo_port" \
    -Dquarkus.smprotocol.protocols.smtp.port=0 -Dquarkus.smprotocol.protocols.ping.port=0 \
    -Dquarkus.smprotocol.protocols.redis-proxy.port=0
wait_port "$http_port" 120
# what the demo holds once started, before any export
curl -fsS -o /dev/null "127.0.0.1:$http_port/smprotocol/api/downloads/summary"
jcmd "$DEMO_PID" GC.run >/dev/null 2>&1 || true
sleep 1
gc_lines=$(wc -l <"$WORK/gc.log")

started=$(date +%s%N)
curl -fsS -o "$WORK/downloads.csv" "127.0.0.1:$http_port/smprotocol/api/downloads/export"
ended=$(date +%s%N)
rows=$(($(wc -l <"$WORK/downloads.csv") - 1))
bytes=$(stat -c %s "$WORK/downloads.csv")

# "GC(12) Pause Young (Normal) (G1 Evacuation Pause) 30M->12M(64M) 3.2ms": the heap after that collection
after_gc() { sed -n 's/.*[0-9]M->\([0-9]*\)M([0-9]*M).*/\1/p'; }
before=$(head -n "$gc_lines" "$WORK/gc.log" | after_gc | tail -n 1)
during=$(tail -n +"$((gc_lines + 1))" "$WORK/gc.log" | after_gc | sort -n | tail -n 1)
collections=$(tail -n +"$((gc_lines + 1))" "$WORK/gc.log" | after_gc | wc -l)
stop_pid "$DEMO_PID"

echo "# CSV export of $COUNT downloads, demo at -Xmx$HEAP ($(machine))"
echo "exported $rows rows, $((bytes / 1000000)) MB, in $(awk -v a="$started" -v b="$ended" 'BEGIN {printf "%.1f", (b - a) / 1e9}') s"
echo "live heap after collection: before the export ${before:-?} MiB; during it, highest ${during:-?} MiB over $collections collections"
[ "$rows" -eq "$COUNT" ] || { echo "expected $COUNT rows" >&2; exit 1; }
