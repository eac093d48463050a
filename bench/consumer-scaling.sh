#!/usr/bin/env bash
# How fast kinesis-consumer drains a stream with one or more instances reading through the KCL, on the real local
# engines (numbers, not a test).
#
#   bench/consumer-scaling.sh [events]          (default 20000)
#     INSTANCES="1 2"  SHARDS=4  EVENTS_PER_RECORD=1 (plain records; e.g. 50 for aggregated ones)
#
# Per run: a fresh stream of $SHARDS shards, filled with the events before any consumer starts (each under its own
# partition key, so spread over every shard), then that many kinesis-consumer instances started together on a fresh
# lease table. For each instance: launch -> ready, ready -> its first lease (a fresh table: the KCL first waits a
# random 1-30 s while the table is empty), the shards it held once the split settled, the events it wrote and its CPU
# per stored event (from ready on). For the run: the drain rate (events / the span from the first item's storedAt to the last's, so
# start-up is not in it), the first event stored after the first lease, and the CPU of the engines. After the runs,
# the DynamoDB engine's own BatchWriteItem ceiling in the same session. It ends with one line per run.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-20000}
INSTANCES=${INSTANCES:-1 2}
SHARDS=${SHARDS:-4}
EVENTS_PER_RECORD=${EVENTS_PER_RECORD:-1}
REDIS_PORT=${BENCH_REDIS_PORT:-36379}
KINESIS_PORT=${BENCH_KINESIS_PORT:-34567}
DYNAMODB_PORT=${BENCH_DYNAMODB_PORT:-38000}
FIRST_CONSUMER_PORT=${BENCH_CONSUMER_PORT:-38091}
HEAP=${BENCH_HEAP:-384m}
DIR=target/bench-scaling
mkdir -p "$DIR"
. bench/lib.sh

build "$DIR/build.log" local-engines kinesis-consumer
start_engines "$DIR" "$REDIS_PORT" "$KINESIS_PORT" "$DYNAMODB_PORT" bench-scaling-events bench-scaling-updates
written() { metric "$1" eventstore.events.written COUNT; } # port: events written by that instance so far
echo "machine: $(nproc) cores; java $(java -version 2>&1 | head -1 | cut -d'"' -f2); heap $HEAP per instance;" \
  "$EVENTS events, $EVENTS_PER_RECORD per record, on $SHARDS shards; engines: $(sed -n 's/engines ready: //p' "$DIR/engines.log")"
summary=()
for n in $INSTANCES; do
  stamp=$(date +%s)
  stream="bench-drain-$n-$stamp"
  tool BenchTool create-stream "http://127.0.0.1:$KINESIS_PORT" "$stream" "$SHARDS" > /dev/null
  filled=$(tool DrainBench fill "http://127.0.0.1:$KINESIS_PORT" "$stream" "$EVENTS" "$EVENTS_PER_RECORD")
  # the split, whenever it changes, from before the first start to the end of the run
  start_tool "$DIR/leases-$n.log" DrainBench leases "http://127.0.0.1:$DYNAMODB_PORT" "$stream-store" 900
  watcher=$TOOL
  consumers=(); ports=(); launched=()
  for i in $(seq 1 "$n"); do
    port=$((FIRST_CONSUMER_PORT + i - 1))
    launched+=($(now_ms))
    env PORT="$port" EVENT_STREAM="$stream" CONSUMER_GROUP="$stream-store" EVENTSTORE_EVENTS_TABLE="$stream" \
      EVENTSTORE_CREATE_TABLES=true KINESIS_CONSUMER_CREATE_LEASE_TABLE=true \
      java -Xmx$HEAP -Dspring.aot.enabled=true "${IMAGE_JIT_OPTS[@]}" -jar "kinesis-consumer/target/kinesis-consumer-$VERSION.jar" >> "$DIR/consumer-$n-$i.log" 2>&1 &
    consumers+=($!)
    ports+=($port)
  done
  pids+=("${consumers[@]}")
  unset before ready worker
  declare -A before ready worker
  for p in "$NODE" "$DYNALITE"; do before[$p]=$(cpu_ticks "$p"); done
  started=$(date +%s)
  pending=$n
  while [ "$pending" -gt 0 ]; do   # ready and its worker id, per instance
    pending=0
    for i in $(seq 1 "$n"); do
      port=${ports[$((i - 1))]}
      if [ -z "${ready[$i]:-}" ]; then
        if curl -sf "http://127.0.0.1:$port/actuator/health/readiness" > /dev/null; then
          ready[$i]=$(now_ms)
          before[${consumers[$((i - 1))]}]=$(cpu_ticks "${consumers[$((i - 1))]}")   # its CPU from ready on
          worker[$i]=$(curl -s "http://127.0.0.1:$port/actuator/info" | sed -n 's/.*"workerId":"\([^"]*\)".*/\1/p')
        else
          pending=$((pending + 1))
        fi
      fi
    done
    [ $(( $(date +%s) - started )) -gt 300 ] && { echo "run $n: not ready after 5 min; see $DIR" >&2; exit 1; }
    sleep 0.1
  done
  while :; do
    total=0
    for port in "${ports[@]}"; do total=$((total + $(written "$port"))); done
    [ "$total" -ge "$EVENTS" ] && break
    [ $(( $(date +%s) - started )) -gt 900 ] && { echo "run $n: not drained after 15 min; see $DIR" >&2; exit 1; }
    sleep 0.5
  done
  elapsed=$(( $(date +%s) - started ))
  kill "$watcher" 2>/dev/null || true
  drained=$(tool DrainBench drain "http://127.0.0.1:$DYNAMODB_PORT" "$stream")
  first_stored=$(sed -n 's/.*first_stored=\([0-9]*\).*/\1/p' <<< "$drained")
  instances=""
  first_lease_any=""
  for i in $(seq 1 "$n"); do
    p=${consumers[$((i - 1))]}
    id=${worker[$i]}
    lease_at=$(grep -m1 "$id=" "$DIR/leases-$n.log" | sed -n 's/^t=\([0-9]*\).*/\1/p')
    held=$(tail -1 "$DIR/leases-$n.log" | grep -o "$id=[0-9]*" | cut -d= -f2)
    wrote=$(written "${ports[$((i - 1))]}")
    cpu_ms=$(( ($(cpu_ticks "$p") - ${before[$p]}) * 1000 / TICKS ))
    [ -z "$first_lease_any" ] || [ "${lease_at:-0}" -lt "$first_lease_any" ] && first_lease_any=${lease_at:-}
    instances="$instances consumer-$i:[ready_ms=$(( ${ready[$i]} - ${launched[$((i - 1))]} ))"
    instances="$instances first_lease_after_ready_ms=$(( ${lease_at:-0} - ${ready[$i]} )) shards=${held:-0}"
    instances="$instances written=$wrote cpu_us_per_event=$(( wrote > 0 ? cpu_ms * 1000 / wrote : 0 ))]"
  done
  engines_cpu=""
  for engine in kinesis-mock:$NODE dynalite:$DYNALITE; do
    p=${engine#*:}; ticks=$(( $(cpu_ticks "$p") - ${before[$p]} ))
    engines_cpu="$engines_cpu ${engine%%:*}=$(( ticks * 100 / TICKS / elapsed ))%,$(( ticks * 1000000 / TICKS / EVENTS ))us/event"
  done
  for p in "${consumers[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  tool BenchTool delete-stream "http://127.0.0.1:$KINESIS_PORT" "$stream" || true
  first_event="first_stored_after_first_lease_ms=$(( first_stored - first_lease_any ))"
  echo "--- $n instance(s) (stream $stream)"
  echo "filled: $filled"
  echo "drained: $drained $first_event"
  echo "instances:$instances"
  echo "split over time (t=epoch ms, worker=shards): $(tr '\n' ';' < "$DIR/leases-$n.log")"
  echo "engines cpu (share of one core from the starts to drained, and per stored event):$engines_cpu"
  summary+=("instances=$n shards=$SHARDS per_record=$EVENTS_PER_RECORD $drained $first_event$instances$engines_cpu")
done
# the DynamoDB engine alone, from a client that does nothing else, in this same session: what bounds any drain rate
ceiling=$(tool DrainBench ceiling "http://127.0.0.1:$DYNAMODB_PORT" "bench-ceiling-$(date +%s)" 15 8 "$DYNAMODB_ENGINE")
echo "--- DynamoDB engine ceiling (BatchWriteItem of 25 event-like items, 8 threads, 15 s): $ceiling"
summary+=("dynamodb-ceiling $ceiling")
echo "--- summary ($(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
printf '%s\n' "${summary[@]}"
