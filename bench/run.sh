#!/usr/bin/env bash
# End-to-end benchmark of the whole system on the real local engines (numbers, not a test).
#
#   bench/run.sh [seconds per run]
#     MODES="plain aggregated"  CONCURRENCY="16 64 256"  PACED="on"  (PACED=off skips the paced runs;
#       CONCURRENCY=" " runs the paced ones only)
#     WARMUP=30 (seconds of wrk before each measured window: the JIT compiles for the first ~20 s; with 10 s a run
#       measured the compiler as much as the service)
#     CONSUMER=during (kinesis-consumer stores the events while wrk runs) | after (the tracking service runs alone;
#       the consumer starts once it has stopped, on the full stream: its drain rate, launch -> ready and the time
#       to its first stored event)
#     BENCH_JAVA_OPTS="..." / BENCH_CONSUMER_JAVA_OPTS="..." (extra JVM options for the tracking service / the
#       consumer, e.g. -XX:StartFlightRecording=filename=target/bench/tracking.jfr,settings=profile)
#
# Per mode (one event per Kinesis record, or aggregated records) and per concurrency, wrk drives
# GET /event/{id} on tracking-service while kinesis-consumer stores the events in DynamoDB. Every run gets a fresh
# stream and table (kinesis-mock slows down as a stream fills up) and fresh service processes. Each run reports:
# HTTP req/s, latency percentiles and statuses; events acknowledged (200, counted by the service) vs. events on
# the stream vs. items in DynamoDB once the consumer has drained ("unanswered": events on the stream whose request
# wrk abandoned when it stopped, one per connection at the end of the warm-up and of the run); Kinesis records and PutRecords calls per event and
# bytes per event on the stream; the HTTP -> DynamoDB lag of every item (storedAt - receivedAt); CPU and RSS of each
# service and engine during the measured window, and per acknowledged event. Spans are exported over OTLP to a loopback
# receiver (OtlpSink), as the services would to the ADOT collector, at the shipped sampling. After each run, wrk drives
# a trivial endpoint of the same server (GET /actuator/health/liveness) as long, and the run reports /event's rate as
# a fraction of it. A paced run per mode (80 connections, each waiting 100 ms before
# every request: at most ~500 events/s at 60 ms latency) gives the lag below saturation. After the runs, the engines'
# own ceilings in the same session (CEILING=off skips them): the DynamoDB engine's BatchWriteItem rate and, when plain mode
# ran, kinesis-mock's PutRecords rate with plain mode's events/s as a share of it. It ends with one line per run.
# Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
MODES=${MODES:-plain aggregated}
CONCURRENCY=${CONCURRENCY:-16 64 256}
PACED=${PACED:-on}
WARMUP=${WARMUP:-30}
CONSUMER=${CONSUMER:-during}
OTLP_PORT=${BENCH_OTLP_PORT:-24318}
REDIS_PORT=${BENCH_REDIS_PORT:-26379}
KINESIS_PORT=${BENCH_KINESIS_PORT:-24567}
DYNAMODB_PORT=${BENCH_DYNAMODB_PORT:-28000}
TRACKING_PORT=${BENCH_TRACKING_PORT:-28080}
CONSUMER_PORT=${BENCH_CONSUMER_PORT:-28081}
UPDATER_PORT=${BENCH_UPDATER_PORT:-28082}
HEAP=${BENCH_HEAP:-384m}
DIR=target/bench
case $CONSUMER in during | after) ;; *) echo "bench/run.sh: CONSUMER is during or after, not '$CONSUMER'" >&2; exit 1 ;; esac
command -v wrk >/dev/null || { echo "bench/run.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
mkdir -p "$DIR"
. bench/lib.sh

build "$DIR/build.log" local-engines tracking-service kinesis-consumer redis-updater
drain_stats_tool() { tool DrainBench "$@"; }
drain_stats() { drain_stats_tool drain "$@"; }
start_engines "$DIR" "$REDIS_PORT" "$KINESIS_PORT" "$DYNAMODB_PORT" bench-events bench-updates

start_tool "$DIR/otlp.log" OtlpSink "$OTLP_PORT"
otlp_spans() { curl -s "http://127.0.0.1:$OTLP_PORT/stats" | sed -n 's/.*spans=\([0-9]*\).*/\1/p'; }
export MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT=http://127.0.0.1:$OTLP_PORT/v1/traces
export UPDATE_STREAM=bench-updates TRACKING_ADMIN_API_KEY=bench
start_service() { # module port [VAR=value ...] -> pid
  local module=$1 port=$2; shift 2
  local extra=${JAVA_EXTRA:-}
  [ "$module" = kinesis-consumer ] && extra=${BENCH_CONSUMER_JAVA_OPTS:-}
  env "$@" PORT="$port" java -Xmx$HEAP -Dspring.aot.enabled=true "${IMAGE_JIT_OPTS[@]}" $extra -jar "$module/target/$module-$VERSION.jar" >> "$DIR/$module.log" 2>&1 &
  echo $!
}
await_ready() { # port
  for _ in $(seq 1 3000); do curl -sf "http://127.0.0.1:$1/actuator/health/readiness" >/dev/null && return 0; sleep 0.05; done
  echo "the service on port $1 did not become ready; see $DIR/*.log" >&2; exit 1
}
stop_process() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }   # busy time of all cores
rss_mib() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
hwm_mib() { awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
updater_launched=$(now_ms)
UPDATER=$(start_service redis-updater "$UPDATER_PORT")
pids+=($UPDATER)
await_ready "$UPDATER_PORT"
updater_startup=$(( $(now_ms) - updater_launched ))

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; java $(java -version 2>&1 | head -1 | cut -d'"' -f2); heap $HEAP per service; ${DURATION}s per run after a ${WARMUP} s warm-up"
echo "start-up (launch -> ready): redis-updater=${updater_startup}ms (the others: per run)"
summary=()
plain_rps=()
run() { # mode connections [delay ms]
  local mode=$1 c=$2 pace=${3:-} label
  label="$mode-c$c${pace:+-paced}"
  local stream="bench-$label-$(date +%s)"
  tool BenchTool create-stream "http://127.0.0.1:$KINESIS_PORT" "$stream" 1 > /dev/null
  local consumer="" tracking consumer_env launched tracking_startup consumer_startup=""
  # a lease table of its own per stream: the KCL keys leases by shard id, and every run's stream has the same ids
  consumer_env=(EVENT_STREAM="$stream" CONSUMER_GROUP="$stream-store" EVENTSTORE_EVENTS_TABLE="$stream"
    EVENTSTORE_CREATE_TABLES=true)
  if [ "$CONSUMER" = during ]; then
    launched=$(now_ms)
    consumer=$(start_service kinesis-consumer "$CONSUMER_PORT" "${consumer_env[@]}")
    pids+=($consumer)
  fi
  local tracking_launched=$(now_ms)
  tracking=$(JAVA_EXTRA="${BENCH_JAVA_OPTS:-}" start_service tracking-service "$TRACKING_PORT" TRACKING_STREAMS_EVENTS="$stream" \
    TRACKING_AGGREGATION_ENABLED=$([ "$mode" = aggregated ] && echo true || echo false))
  pids+=($tracking)
  await_ready "$TRACKING_PORT"; tracking_startup=$(( $(now_ms) - tracking_launched ))
  if [ -n "$consumer" ]; then
    await_ready "$CONSUMER_PORT"; consumer_startup=$(( $(now_ms) - launched ))
    # reading, not only ready: on a fresh lease table the KCL first waits a random 1-30 s (docs/scaling.md)
    for _ in $(seq 1 120); do
      [ "$(drain_stats_tool leases "http://127.0.0.1:$DYNAMODB_PORT" "$stream-store")" != none ] && break
      sleep 0.5
    done
  fi
  curl -sf -X POST -H 'X-Api-Key: bench' "http://127.0.0.1:$TRACKING_PORT/cache/fill" > /dev/null
  run_wrk "$c" "$WARMUP" "http://127.0.0.1:$TRACKING_PORT/event/212313" /dev/null "$pace"

  declare -A before
  for p in tracking:$tracking consumer:$consumer updater:$UPDATER kinesis-mock:$NODE redis:$REDIS engines-jvm:$ENGINES; do
    before[${p%%:*}]=$(cpu_ticks "${p#*:}")
  done
  local acked_before spans_before machine_before
  machine_before=$(machine_ticks)
  acked_before=$(metric "$TRACKING_PORT" http.server.requests COUNT 'uri:/event/%7BprogramId%7D' status:200)
  spans_before=$(otlp_spans)
  run_wrk "$c" "$DURATION" "http://127.0.0.1:$TRACKING_PORT/event/212313" "$DIR/wrk-$label.txt" "$pace"
  declare -A used
  local cpu="" per_event_cpu="" rss
  local acked_window
  acked_window=$(( $(metric "$TRACKING_PORT" http.server.requests COUNT 'uri:/event/%7BprogramId%7D' status:200) - acked_before ))
  for p in tracking:$tracking consumer:$consumer updater:$UPDATER kinesis-mock:$NODE redis:$REDIS engines-jvm:$ENGINES; do
    used[${p%%:*}]=$(( $(cpu_ticks "${p#*:}") - ${before[${p%%:*}]} ))
    cpu="$cpu ${p%%:*}=$(( used[${p%%:*}] * 100 / TICKS / DURATION ))%"
    [ "$acked_window" -gt 0 ] && per_event_cpu="$per_event_cpu ${p%%:*}=$(( used[${p%%:*}] * 1000000 / TICKS / acked_window ))us"
  done
  local spans_window=$(( $(otlp_spans) - spans_before ))
  # what else ran on the machine meanwhile (other builds, their busy loops): busy time of every process not measured
  local measured=0 others_busy
  for p in "${!used[@]}"; do measured=$(( measured + used[$p] )); done
  others_busy=$(( ($(machine_ticks) - machine_before - measured) * 100 / TICKS / DURATION ))
  cpu="$cpu wrk+others=${others_busy}%"
  # the same server, the same connections, an endpoint that does nothing: what the HTTP stack alone allows (warmed up
  # as long: its code is not /event's)
  run_wrk "$c" "$WARMUP" "http://127.0.0.1:$TRACKING_PORT/actuator/health/liveness" /dev/null "$pace"
  run_wrk "$c" "$DURATION" "http://127.0.0.1:$TRACKING_PORT/actuator/health/liveness" \
    "$DIR/wrk-$label-trivial.txt" "$pace"
  rss="tracking=$(hwm_mib "$tracking") updater=$(hwm_mib "$UPDATER") kinesis-mock=$(rss_mib "$NODE") redis=$(rss_mib "$REDIS") engines-jvm=$(rss_mib "$ENGINES")"

  local acked calls records
  acked=$(metric "$TRACKING_PORT" http.server.requests COUNT 'uri:/event/%7BprogramId%7D' status:200)
  calls=$(metric "$TRACKING_PORT" tracking.publisher.batch.size COUNT "stream:$stream")
  records=$(metric "$TRACKING_PORT" tracking.publisher.batch.size TOTAL "stream:$stream")
  stop_process "$tracking"   # drains its buffer first
  local drain_line="" first_ms="" drain_cpu=""
  if [ "$CONSUMER" = after ]; then   # the consumer starts on the full stream
    declare -A drain_before
    launched=$(now_ms)
    consumer=$(start_service kinesis-consumer "$CONSUMER_PORT" "${consumer_env[@]}")
    pids+=($consumer)
    await_ready "$CONSUMER_PORT"; consumer_startup=$(( $(now_ms) - launched ))
    # CPU from ready on: the JVM's own start-up (class loading, JIT) is not the drain's
    for p in consumer:$consumer engines-jvm:$ENGINES kinesis-mock:$NODE; do drain_before[${p%%:*}]=$(cpu_ticks "${p#*:}"); done
    local ready=$(now_ms)
    for _ in $(seq 1 1200); do
      [ "$(metric "$CONSUMER_PORT" eventstore.events.written COUNT)" -gt 0 ] && break
      sleep 0.05
    done
    first_ms=$(( $(now_ms) - ready ))
  fi
  local written=0 waited=0
  while [ "$waited" -lt 600 ]; do   # the consumer catches up
    written=$(metric "$CONSUMER_PORT" eventstore.events.written COUNT)
    [ "$written" -ge "$acked" ] && break
    sleep 1; waited=$((waited + 1))
  done
  if [ "$CONSUMER" = after ]; then
    for p in consumer:$consumer engines-jvm:$ENGINES kinesis-mock:$NODE; do
      drain_cpu="$drain_cpu ${p%%:*}=$(( ($(cpu_ticks "${p#*:}") - ${drain_before[${p%%:*}]}) * 1000000 / TICKS / (written > 0 ? written : 1) ))us"
    done
  fi
  rss="$rss consumer=$(hwm_mib "$consumer")"
  local table stream_stats
  table=$(tool BenchTool table "http://127.0.0.1:$DYNAMODB_PORT" "$stream")
  drain_line=$(drain_stats "http://127.0.0.1:$DYNAMODB_PORT" "$stream")
  stream_stats=$(tool BenchTool stream "http://127.0.0.1:$KINESIS_PORT" "$stream")
  stop_process "$consumer"
  tool BenchTool delete-stream "http://127.0.0.1:$KINESIS_PORT" "$stream" || true   # kinesis-mock keeps streams in memory

  local wrk_ok others rps latency items on_stream stream_records stream_bytes lag trivial_rps ratio
  wrk_ok=$(awk '/^status 200 / {print $3}' "$DIR/wrk-$label.txt"); wrk_ok=${wrk_ok:-0}
  others=$(awk '/^status / && $2 != 200 {printf "%s:%s ", $2, $3}' "$DIR/wrk-$label.txt")
  rps=$(wrk_rps "$DIR/wrk-$label.txt")
  trivial_rps=$(wrk_rps "$DIR/wrk-$label-trivial.txt")
  ratio=$(awk -v a="$rps" -v b="$trivial_rps" 'BEGIN {if (b) printf "%.2f", a / b}')
  latency=$(wrk_latency "$DIR/wrk-$label.txt")
  items=$(sed -n 's/^items=\([0-9]*\).*/\1/p' <<< "$table")
  lag=$(sed -n 's/^items=[0-9]* //p' <<< "$table")
  on_stream=$(sed -n 's/.*events=\([0-9]*\).*/\1/p' <<< "$stream_stats")
  stream_records=$(sed -n 's/^records=\([0-9]*\).*/\1/p' <<< "$stream_stats")
  stream_bytes=$(sed -n 's/.*bytes=\([0-9]*\).*/\1/p' <<< "$stream_stats")
  local per_event
  per_event=$(awk -v c="$calls" -v r="$stream_records" -v b="$stream_bytes" -v n="$acked" \
    'BEGIN {if (n) printf "calls/event=%.4f records/event=%.4f bytes/event=%.0f", c / n, r / n, b / n}')
  local spans_per_event
  spans_per_event=$(awk -v s="$spans_window" -v n="$acked_window" 'BEGIN {if (n) printf "%.3f", s / n}')
  echo "--- $label (stream $stream, consumer $CONSUMER)"
  echo "http: req/s=$rps $latency statuses=[200:$wrk_ok ${others}] $(grep ^errors "$DIR/wrk-$label.txt")"
  echo "trivial endpoint: req/s=$trivial_rps $(wrk_latency "$DIR/wrk-$label-trivial.txt"); /event ratio=$ratio"
  local lost=$(( acked > items ? acked - items : 0 ))
  echo "events: acknowledged=$acked on_stream=$on_stream in_dynamodb=$items lost=$lost unanswered=$(( on_stream - acked ))"
  echo "kinesis: putrecords_calls=$calls records=$stream_records bytes=$stream_bytes $per_event"
  echo "spans exported in the window: $spans_window ($spans_per_event per acknowledged event)"
  echo "lag http->dynamodb: $lag"
  echo "consumer: $drain_line${first_ms:+ first_stored_after_ready_ms=$first_ms}${drain_cpu:+ cpu_per_stored_event:$drain_cpu}"
  echo "start-up (launch -> ready): tracking=${tracking_startup}ms consumer=${consumer_startup}ms"
  echo "cpu (share of one core during the run):$cpu"
  echo "cpu per acknowledged event (during the run):$per_event_cpu"
  echo "rss_mib (services: peak): $rss"
  [ "$mode" = plain ] && plain_rps+=("$label=$rps")
  summary+=("$label rps=$rps $latency trivial_rps=$trivial_rps ratio=$ratio acked=$acked stream=$on_stream dynamodb=$items lost=$lost other=[${others}] $per_event spans/event=$spans_per_event $lag drain:[$drain_line${first_ms:+ first_ms=$first_ms}] cpu:$cpu cpu/event:$per_event_cpu${drain_cpu:+ drain_cpu/event:$drain_cpu} startup: tracking=${tracking_startup}ms consumer=${consumer_startup}ms")
}

for mode in $MODES; do
  for c in $CONCURRENCY; do run "$mode" "$c"; done
  if [ "$PACED" = on ]; then run "$mode" 80 100; fi
done
if [ "${CEILING:-on}" = on ]; then   # the DynamoDB engine alone, from a client that does nothing else, in this same session
  ceiling=$(drain_stats_tool ceiling "http://127.0.0.1:$DYNAMODB_PORT" "bench-ceiling-$(date +%s)" 10 8 \
    "$DYNAMODB_ENGINE")
  echo "--- DynamoDB engine ceiling (BatchWriteItem of 25, 8 threads, 10 s; tables in LevelDB under ${LOCAL_ENGINES_DATA:-/dev/shm}): $ceiling"
  summary+=("dynamodb-ceiling $ceiling")
fi
if [ "${CEILING:-on}" = on ] && [ ${#plain_rps[@]} -gt 0 ]; then   # kinesis-mock alone: what plain mode can reach
  tool BenchTool create-stream "http://127.0.0.1:$KINESIS_PORT" bench-kinesis-ceiling 1 > /dev/null
  kinesis_ceiling=$(tool BenchTool ceiling "http://127.0.0.1:$KINESIS_PORT" bench-kinesis-ceiling 10 1 500)
  tool BenchTool delete-stream "http://127.0.0.1:$KINESIS_PORT" bench-kinesis-ceiling || true
  ceiling_rps=$(sed -n 's/.*records_per_s=\([0-9.]*\).*/\1/p' <<< "$kinesis_ceiling")
  ratios=$(for r in "${plain_rps[@]}"; do
    awk -v l="${r%%=*}" -v a="${r#*=}" -v b="$ceiling_rps" 'BEGIN {if (b) printf "%s=%.2f ", l, a / b}'; done)
  echo "--- Kinesis engine ceiling (PutRecords of 500 records of 200 bytes, 1 call in flight, 10 s): $kinesis_ceiling;" \
    "plain mode's events/s as a share of it: $ratios"
  summary+=("kinesis-ceiling $kinesis_ceiling plain/ceiling: $ratios")
fi
echo "--- summary ($(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
echo "redis-updater startup=${updater_startup}ms"
printf '%s\n' "${summary[@]}"
