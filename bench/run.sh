#!/usr/bin/env bash
# Load benchmark of the tracking service on the real local engines (numbers, not a test).
#
#   bench/run.sh [seconds per run]          CONCURRENCY="16 64 256" by default
#
# For each concurrency: wrk against GET /event/{id} for the given seconds (default 20), then the HTTP statuses,
# latency percentiles, PutRecords calls per acknowledged event and the RSS of the service and of the engines.
# At the end: events acknowledged (200) vs. records found on the stream. Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-20}
CONCURRENCY=${CONCURRENCY:-16 64 256}
REDIS_PORT=${BENCH_REDIS_PORT:-26379}
KINESIS_PORT=${BENCH_KINESIS_PORT:-24567}
DYNAMODB_PORT=${BENCH_DYNAMODB_PORT:-28000}
PORT=${BENCH_TRACKING_PORT:-28080}
HEAP=${BENCH_HEAP:-384m}
DIR=target/bench
VERSION=0.1.0-SNAPSHOT
command -v wrk >/dev/null || { echo "bench/run.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
mkdir -p "$DIR"

pids=()
cleanup() { kill -TERM "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT

./mvnw -B -q -DskipTests install -pl tracking-service -am > "$DIR/build.log" 2>&1
./mvnw -B -q -pl local-engines dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$PWD/$DIR/engines.classpath" >> "$DIR/build.log" 2>&1
CP="local-engines/target/classes:$(cat "$DIR/engines.classpath")"

EVENT_STREAM=bench-events UPDATE_STREAM=bench-updates REDIS_PORT=$REDIS_PORT KINESIS_PORT=$KINESIS_PORT \
  DYNAMODB_PORT=$DYNAMODB_PORT LOCAL_ENGINES_HOME="$PWD/.local-engines" LOCAL_ENGINES_LOGS="$PWD/$DIR" \
  java -Dlogback.configurationFile=local-engines-logback.xml -cp "$CP" org.reactivetracking.engines.LocalEnginesMain \
  > "$DIR/engines.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do grep -q "engines ready" "$DIR/engines.log" && break; sleep 0.2; done

REDIS_PORT=$REDIS_PORT SPRING_CLOUD_AWS_KINESIS_ENDPOINT=http://127.0.0.1:$KINESIS_PORT \
  SPRING_CLOUD_AWS_CREDENTIALS_ACCESS_KEY=local SPRING_CLOUD_AWS_CREDENTIALS_SECRET_KEY=local \
  EVENT_STREAM=bench-events UPDATE_STREAM=bench-updates TRACKING_ADMIN_API_KEY=bench PORT=$PORT \
  java -Xmx$HEAP -jar tracking-service/target/tracking-service-$VERSION.jar > "$DIR/tracking-service.log" 2>&1 &
SERVICE=$!
pids+=($SERVICE)
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null && break; sleep 0.2; done
curl -sf -X POST -H 'X-Api-Key: bench' "http://127.0.0.1:$PORT/cache/fill" > /dev/null

metric() { # name statistic
  curl -s "http://127.0.0.1:$PORT/actuator/metrics/$1?tag=stream:bench-events" |
    sed -n "s/.*\"statistic\":\"$2\",\"value\":\([0-9.E]*\).*/\1/p" | awk '{printf "%d", $1}'
}
rss_mib() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
hwm_mib() { awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
engine_pid() { for p in $(pgrep -f "$1"); do if [ "$(cat /proc/$p/comm)" != sh ]; then echo "$p"; fi; done | tail -1; }
node_pid=$(engine_pid "node main.js")
redis_pid=$(engine_pid "redis-server.*$REDIS_PORT")

stream_tool() { # count | reset
  java -Dlogback.configurationFile=local-engines-logback.xml -cp "$CP" org.reactivetracking.engines.StreamTool \
    "$1" "http://127.0.0.1:$KINESIS_PORT" bench-events ${2:-} 2>/dev/null | grep -E "^(records|reset)"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; java $(java -version 2>&1 | head -1 | cut -d'"' -f2); heap $HEAP; ${DURATION}s per run"
echo "kinesis-mock slows down as a stream fills up: every measured run starts on an emptied stream"
summary=()
for c in $CONCURRENCY; do
  wrk -t2 -c"$c" -d5s --timeout 10s "http://127.0.0.1:$PORT/event/212313" > /dev/null 2>&1 || true  # warm-up
  stream_tool reset 1 > /dev/null
  calls_before=$(metric tracking.publisher.batch.size COUNT)
  wrk -t2 -c"$c" -d"${DURATION}s" --timeout 10s -s bench/status-counts.lua \
    "http://127.0.0.1:$PORT/event/212313" > "$DIR/wrk-$c.txt" 2>&1
  calls=$(( $(metric tracking.publisher.batch.size COUNT) - calls_before ))
  ok=$(awk '/^status 200 / {print $3}' "$DIR/wrk-$c.txt"); ok=${ok:-0}
  others=$(awk '/^status / && $2 != 200 {printf "%s:%s ", $2, $3}' "$DIR/wrk-$c.txt")
  on_stream=$(stream_tool count | sed -n 's/^records=\([0-9]*\).*/\1/p')
  per_event=$(awk -v c="$calls" -v n="$ok" 'BEGIN {printf "%.4f", n ? c / n : 0}')
  echo "--- concurrency $c"
  grep -E "^(latency_ms|requests_per_s|errors)" "$DIR/wrk-$c.txt"
  echo "acknowledged=$ok on_stream=$on_stream other_statuses=[${others}] putrecords_calls=$calls calls_per_event=$per_event"
  echo "rss_mib tracking=$(rss_mib $SERVICE) (peak $(hwm_mib $SERVICE)) kinesis-mock=$(rss_mib "$node_pid") redis=$(rss_mib "$redis_pid") engines-jvm=$(rss_mib "${pids[0]}")"
  summary+=("c=$c rps=$(awk '/requests_per_s/ {print $2}' "$DIR/wrk-$c.txt") $(grep latency_ms "$DIR/wrk-$c.txt" | cut -d' ' -f2-) acked=$ok on_stream=$on_stream lost=$(( ok - on_stream )) other=[${others}] calls/event=$per_event rss=$(hwm_mib $SERVICE)MiB")
done
echo "--- summary"
printf '%s\n' "${summary[@]}"
