#!/usr/bin/env bash
# End-to-end benchmark of the whole system on the real local engines (numbers, not a test).
#
#   bench/run.sh [seconds per run]
#     MODES="plain aggregated"  CONCURRENCY="16 64 256"  PACED="on"  (PACED=off skips the paced runs)
#
# Per mode (one event per Kinesis record, or aggregated records) and per concurrency, wrk drives
# GET /event/{id} on tracking-service while kinesis-consumer stores the events in DynamoDB. Every run gets a fresh
# stream and table (kinesis-mock slows down as a stream fills up) and fresh service processes. Each run reports:
# HTTP req/s, latency percentiles and statuses; events acknowledged (200, counted by the service) vs. events on
# the stream vs. items in DynamoDB once the consumer has drained ("unanswered": events on the stream whose request
# wrk abandoned when it stopped, one per connection at the end of the warm-up and of the run); Kinesis records and PutRecords calls per event and
# bytes per event on the stream; the HTTP -> DynamoDB lag of every item (storedAt - receivedAt); CPU and RSS of each
# service and engine during the measured window. A paced run per mode (80 connections, each waiting 100 ms before
# every request: at most ~500 events/s at 60 ms latency) gives the lag below saturation. It ends with one line per run. Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
MODES=${MODES:-plain aggregated}
CONCURRENCY=${CONCURRENCY:-16 64 256}
PACED=${PACED:-on}
REDIS_PORT=${BENCH_REDIS_PORT:-26379}
KINESIS_PORT=${BENCH_KINESIS_PORT:-24567}
DYNAMODB_PORT=${BENCH_DYNAMODB_PORT:-28000}
TRACKING_PORT=${BENCH_TRACKING_PORT:-28080}
CONSUMER_PORT=${BENCH_CONSUMER_PORT:-28081}
UPDATER_PORT=${BENCH_UPDATER_PORT:-28082}
HEAP=${BENCH_HEAP:-384m}
DIR=target/bench
VERSION=0.1.0-SNAPSHOT
command -v wrk >/dev/null || { echo "bench/run.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
mkdir -p "$DIR"

pids=()
cleanup() { kill -TERM "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT

./mvnw -B -q -DskipTests install -pl tracking-service,kinesis-consumer,redis-updater -am > "$DIR/build.log" 2>&1
./mvnw -B -q -pl local-engines dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$PWD/$DIR/engines.classpath" >> "$DIR/build.log" 2>&1
CP="local-engines/target/classes:$(cat "$DIR/engines.classpath")"
tool() { java -Dlogback.configurationFile=local-engines-logback.xml -cp "$CP" org.reactivetracking.engines.BenchTool "$@" 2>/dev/null; }

EVENT_STREAM=bench-events UPDATE_STREAM=bench-updates REDIS_PORT=$REDIS_PORT KINESIS_PORT=$KINESIS_PORT \
  DYNAMODB_PORT=$DYNAMODB_PORT LOCAL_ENGINES_HOME="$PWD/.local-engines" LOCAL_ENGINES_LOGS="$PWD/$DIR" \
  java -Dlogback.configurationFile=local-engines-logback.xml -cp "$CP" org.reactivetracking.engines.LocalEnginesMain \
  > "$DIR/engines.log" 2>&1 &
ENGINES=$!
pids+=($ENGINES)
for _ in $(seq 1 600); do grep -q "engines ready" "$DIR/engines.log" && break; sleep 0.2; done
grep -q "engines ready" "$DIR/engines.log" || { echo "the engines did not start; see $DIR/engines.log" >&2; exit 1; }

export AWS_REGION=us-east-1 REDIS_PORT UPDATE_STREAM=bench-updates TRACKING_ADMIN_API_KEY=bench
export SPRING_CLOUD_AWS_KINESIS_ENDPOINT=http://127.0.0.1:$KINESIS_PORT
export SPRING_CLOUD_AWS_DYNAMODB_ENDPOINT=http://127.0.0.1:$DYNAMODB_PORT
export SPRING_CLOUD_AWS_CREDENTIALS_ACCESS_KEY=local SPRING_CLOUD_AWS_CREDENTIALS_SECRET_KEY=local
start_service() { # module port [VAR=value ...] -> pid
  local module=$1 port=$2; shift 2
  env "$@" PORT="$port" java -Xmx$HEAP -jar "$module/target/$module-$VERSION.jar" >> "$DIR/$module.log" 2>&1 &
  echo $!
}
await_ready() { # port
  for _ in $(seq 1 900); do curl -sf "http://127.0.0.1:$1/actuator/health/readiness" >/dev/null && return 0; sleep 0.2; done
  echo "the service on port $1 did not become ready; see $DIR/*.log" >&2; exit 1
}
stop_process() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
metric() { # port name statistic [tag ...]
  local url="http://127.0.0.1:$1/actuator/metrics/$2?" statistic=$3; shift 3
  for tag in "$@"; do url="$url&tag=$tag"; done
  curl -s -H "X-Api-Key: $TRACKING_ADMIN_API_KEY" "$url" | sed -n "s/.*\"statistic\":\"$statistic\",\"value\":\([0-9.E]*\).*/\1/p" | awk '{printf "%d", $1}'
}
rss_mib() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
hwm_mib() { awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
cpu_ticks() { if [ -n "$1" ] && [ -r "/proc/$1/stat" ]; then awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat"; else echo 0; fi; }
engine_pid() { for p in $(pgrep -f "$1"); do if [ "$(cat /proc/$p/comm)" != sh ]; then echo "$p"; fi; done | tail -1; }
NODE=$(engine_pid "node main.js")
REDIS=$(engine_pid "redis-server.*$REDIS_PORT")
[ -n "$NODE" ] && [ -n "$REDIS" ] || { echo "cannot find the kinesis-mock or redis process" >&2; exit 1; }
UPDATER=$(start_service redis-updater "$UPDATER_PORT")
pids+=($UPDATER)
await_ready "$UPDATER_PORT"
TICKS=$(getconf CLK_TCK)

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; java $(java -version 2>&1 | head -1 | cut -d'"' -f2); heap $HEAP per service; ${DURATION}s per run after a 10 s warm-up"
summary=()
run() { # mode connections [delay ms]
  local mode=$1 c=$2 pace=${3:-} label
  label="$mode-c$c${pace:+-paced}"
  local stream="bench-$label-$(date +%s)"
  tool create-stream "http://127.0.0.1:$KINESIS_PORT" "$stream" 1 > /dev/null
  local consumer tracking
  consumer=$(start_service kinesis-consumer "$CONSUMER_PORT" EVENT_STREAM="$stream" EVENTSTORE_EVENTS_TABLE="$stream" \
    EVENTSTORE_CREATE_TABLES=true)
  tracking=$(start_service tracking-service "$TRACKING_PORT" TRACKING_STREAMS_EVENTS="$stream" \
    TRACKING_AGGREGATION_ENABLED=$([ "$mode" = aggregated ] && echo true || echo false))
  pids+=($consumer $tracking)
  await_ready "$CONSUMER_PORT"; await_ready "$TRACKING_PORT"
  curl -sf -X POST -H 'X-Api-Key: bench' "http://127.0.0.1:$TRACKING_PORT/cache/fill" > /dev/null
  WRK_DELAY_MS=$pace wrk -t2 -c"$c" -d10s --timeout 10s -s bench/status-counts.lua \
    "http://127.0.0.1:$TRACKING_PORT/event/212313" > /dev/null 2>&1 || true

  declare -A before
  for p in tracking:$tracking consumer:$consumer updater:$UPDATER kinesis-mock:$NODE redis:$REDIS engines-jvm:$ENGINES; do
    before[${p%%:*}]=$(cpu_ticks "${p#*:}")
  done
  WRK_DELAY_MS=$pace wrk -t2 -c"$c" -d"${DURATION}s" --timeout 10s -s bench/status-counts.lua \
    "http://127.0.0.1:$TRACKING_PORT/event/212313" > "$DIR/wrk-$label.txt" 2>&1
  local cpu="" rss
  for p in tracking:$tracking consumer:$consumer updater:$UPDATER kinesis-mock:$NODE redis:$REDIS engines-jvm:$ENGINES; do
    cpu="$cpu ${p%%:*}=$(( ($(cpu_ticks "${p#*:}") - ${before[${p%%:*}]}) * 100 / TICKS / DURATION ))%"
  done
  rss="tracking=$(hwm_mib "$tracking") consumer=$(hwm_mib "$consumer") updater=$(hwm_mib "$UPDATER") kinesis-mock=$(rss_mib "$NODE") redis=$(rss_mib "$REDIS") engines-jvm=$(rss_mib "$ENGINES")"

  local acked calls records
  acked=$(metric "$TRACKING_PORT" http.server.requests COUNT 'uri:/event/%7BprogramId%7D' status:200)
  calls=$(metric "$TRACKING_PORT" tracking.publisher.batch.size COUNT "stream:$stream")
  records=$(metric "$TRACKING_PORT" tracking.publisher.batch.size TOTAL "stream:$stream")
  stop_process "$tracking"   # drains its buffer first
  local written=0
  for _ in $(seq 1 600); do   # the consumer catches up
    written=$(metric "$CONSUMER_PORT" eventstore.events.written COUNT); written=${written:-0}
    [ "$written" -ge "$acked" ] && break
    sleep 1
  done
  local table stream_stats
  table=$(tool table "http://127.0.0.1:$DYNAMODB_PORT" "$stream")
  stream_stats=$(tool stream "http://127.0.0.1:$KINESIS_PORT" "$stream")
  stop_process "$consumer"
  tool delete-stream "http://127.0.0.1:$KINESIS_PORT" "$stream" || true   # kinesis-mock keeps streams in memory

  local wrk_ok others rps latency items on_stream stream_records stream_bytes lag
  wrk_ok=$(awk '/^status 200 / {print $3}' "$DIR/wrk-$label.txt"); wrk_ok=${wrk_ok:-0}
  others=$(awk '/^status / && $2 != 200 {printf "%s:%s ", $2, $3}' "$DIR/wrk-$label.txt")
  rps=$(awk '/requests_per_s/ {print $2}' "$DIR/wrk-$label.txt")
  latency=$(grep latency_ms "$DIR/wrk-$label.txt" | cut -d' ' -f2-)
  items=$(sed -n 's/^items=\([0-9]*\).*/\1/p' <<< "$table")
  lag=$(sed -n 's/^items=[0-9]* //p' <<< "$table")
  on_stream=$(sed -n 's/.*events=\([0-9]*\).*/\1/p' <<< "$stream_stats")
  stream_records=$(sed -n 's/^records=\([0-9]*\).*/\1/p' <<< "$stream_stats")
  stream_bytes=$(sed -n 's/.*bytes=\([0-9]*\).*/\1/p' <<< "$stream_stats")
  local per_event
  per_event=$(awk -v c="$calls" -v r="$stream_records" -v b="$stream_bytes" -v n="$acked" \
    'BEGIN {if (n) printf "calls/event=%.4f records/event=%.4f bytes/event=%.0f", c / n, r / n, b / n}')
  echo "--- $label (stream $stream)"
  echo "http: req/s=$rps $latency statuses=[200:$wrk_ok ${others}] $(grep ^errors "$DIR/wrk-$label.txt")"
  local lost=$(( acked > items ? acked - items : 0 ))
  echo "events: acknowledged=$acked on_stream=$on_stream in_dynamodb=$items lost=$lost unanswered=$(( on_stream - acked ))"
  echo "kinesis: putrecords_calls=$calls records=$stream_records bytes=$stream_bytes $per_event"
  echo "lag http->dynamodb: $lag"
  echo "cpu (share of one core during the run):$cpu"
  echo "rss_mib (services: peak): $rss"
  summary+=("$label rps=$rps $latency acked=$acked stream=$on_stream dynamodb=$items lost=$lost other=[${others}] $per_event $lag cpu:$cpu")
}

for mode in $MODES; do
  for c in $CONCURRENCY; do run "$mode" "$c"; done
  if [ "$PACED" = on ]; then run "$mode" 80 100; fi
done
echo "--- summary ($(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
printf '%s\n' "${summary[@]}"
