#!/usr/bin/env bash
# How fast kinesis-consumer drains a stream with more than one instance, on the real local engines (numbers, not a
# test).
#
#   bench/consumer-scaling.sh [events]          (default 20000)
#     INSTANCES="1 2"  SHARDS=4  EVENTS_PER_RECORD=1 (plain records; e.g. 50 for aggregated ones)
#     CONCURRENCY=1 (the binding's consumer concurrency: threads per instance sharing its shards)
#
# Per run: a fresh stream of $SHARDS shards, filled with the events before any consumer starts (each under its own
# partition key, so spread over every shard), then that many kinesis-consumer instances started together, sharing
# one fresh lock table. Once every event is stored: the drain rate (events / the span from the first item's storedAt to
# the last's, so start-up is not in it), how the shards were split between the instances (the lock table, read
# halfway through), how many batches each instance handled, and the CPU each process used. After the runs, the
# DynamoDB engine's own BatchWriteItem ceiling in the same session. It ends with one line per run.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-20000}
INSTANCES=${INSTANCES:-1 2}
SHARDS=${SHARDS:-4}
EVENTS_PER_RECORD=${EVENTS_PER_RECORD:-1}
CONCURRENCY=${CONCURRENCY:-1}
REDIS_PORT=${BENCH_REDIS_PORT:-36379}
KINESIS_PORT=${BENCH_KINESIS_PORT:-34567}
DYNAMODB_PORT=${BENCH_DYNAMODB_PORT:-38000}
FIRST_CONSUMER_PORT=${BENCH_CONSUMER_PORT:-38091}
HEAP=${BENCH_HEAP:-384m}
DIR=target/bench-scaling
VERSION=0.1.0-SNAPSHOT
mkdir -p "$DIR"

pids=()
cleanup() { kill -TERM "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT

# package, not install: the jars and the engines' class path come from this checkout alone
./mvnw -B -q -DskipTests package dependency:build-classpath -pl local-engines,kinesis-consumer -am \
  -Dmdep.includeScope=runtime -Dmdep.outputFile=target/runtime.classpath > "$DIR/build.log" 2>&1
CP="local-engines/target/classes:$(cat local-engines/target/runtime.classpath)"
tool() { java -Dlogback.configurationFile=local-engines-logback.xml -cp "$CP" "org.reactivetracking.engines.$1" "${@:2}" 2>/dev/null; }

EVENT_STREAM=bench-scaling-events UPDATE_STREAM=bench-scaling-updates REDIS_PORT=$REDIS_PORT \
  KINESIS_PORT=$KINESIS_PORT DYNAMODB_PORT=$DYNAMODB_PORT LOCAL_ENGINES_HOME="$PWD/.local-engines" \
  LOCAL_ENGINES_LOGS="$PWD/$DIR" java -Dlogback.configurationFile=local-engines-logback.xml -cp "$CP" \
  org.reactivetracking.engines.LocalEnginesMain > "$DIR/engines.log" 2>&1 &
ENGINES=$!
pids+=($ENGINES)
for _ in $(seq 1 600); do grep -q "engines ready" "$DIR/engines.log" && break; sleep 0.2; done
grep -q "engines ready" "$DIR/engines.log" || { echo "the engines did not start; see $DIR/engines.log" >&2; exit 1; }
kinesis_mock() { # the node process serving $KINESIS_PORT (not its shell wrapper)
  for p in $(pgrep -f "node main.js"); do
    if [ "$(cat "/proc/$p/comm")" = node ] && grep -qz "KINESIS_MOCK_PLAIN_PORT=$KINESIS_PORT" "/proc/$p/environ"; then
      echo "$p"
    fi
  done
}
NODE=$(kinesis_mock | tail -1)
[ -n "$NODE" ] || { echo "cannot find the kinesis-mock process" >&2; exit 1; }
DYNALITE=$(for p in $(pgrep -f "dynalite/cli.js --host 127.0.0.1 --port $DYNAMODB_PORT "); do
  if [ "$(cat "/proc/$p/comm")" = node ]; then echo "$p"; fi; done | tail -1)
[ -n "$DYNALITE" ] || { echo "cannot find the dynalite process" >&2; exit 1; }
DYNAMODB_ENGINE=$(sed -n 's/.*\(dynalite [^ ]*\) :.*/\1/p' "$DIR/engines.log" | tr ' ' '-')

export AWS_REGION=us-east-1 SPRING_CLOUD_AWS_CREDENTIALS_ACCESS_KEY=local SPRING_CLOUD_AWS_CREDENTIALS_SECRET_KEY=local
export SPRING_CLOUD_AWS_KINESIS_ENDPOINT=http://127.0.0.1:$KINESIS_PORT
export SPRING_CLOUD_AWS_DYNAMODB_ENDPOINT=http://127.0.0.1:$DYNAMODB_PORT
cpu_ticks() { if [ -r "/proc/$1/stat" ]; then awk '{print $14 + $15}' "/proc/$1/stat"; else echo 0; fi; }
metric() { # port name statistic: one statistic of a meter of that instance (0 while it starts)
  { curl -s "http://127.0.0.1:$1/actuator/metrics/$2" || true; } \
    | sed -n "s/.*\"statistic\":\"$3\",\"value\":\([0-9.E]*\).*/\1/p" | awk 'BEGIN {v = 0} {v = $1} END {printf "%d", v}'
}
written() { metric "$1" eventstore.events.written COUNT; } # port: events written by that instance so far
TICKS=$(getconf CLK_TCK)
echo "machine: $(nproc) cores; java $(java -version 2>&1 | head -1 | cut -d'"' -f2); heap $HEAP per instance;" \
  "$EVENTS events, $EVENTS_PER_RECORD per record, on $SHARDS shards; binding concurrency $CONCURRENCY"
summary=()
for n in $INSTANCES; do
  stamp=$(date +%s)
  stream="bench-drain-$n-$stamp"
  tool BenchTool create-stream "http://127.0.0.1:$KINESIS_PORT" "$stream" "$SHARDS" > /dev/null
  filled=$(tool DrainBench fill "http://127.0.0.1:$KINESIS_PORT" "$stream" "$EVENTS" "$EVENTS_PER_RECORD")
  consumers=()
  ports=()
  for i in $(seq 1 "$n"); do
    port=$((FIRST_CONSUMER_PORT + i - 1))
    env PORT="$port" EVENT_STREAM="$stream" EVENTSTORE_EVENTS_TABLE="$stream" EVENTSTORE_CREATE_TABLES=true \
      LOCKS_TABLE="bench-locks-$stamp" CHECKPOINT_TABLE="bench-checkpoints-$stamp" \
      SPRING_CLOUD_STREAM_BINDINGS_TRACKINGEVENTS_IN_0_CONSUMER_CONCURRENCY="$CONCURRENCY" \
      java -Xmx$HEAP -jar "kinesis-consumer/target/kinesis-consumer-$VERSION.jar" >> "$DIR/consumer-$n-$i.log" 2>&1 &
    consumers+=($!)
    ports+=($port)
  done
  pids+=("${consumers[@]}")
  declare -A before
  for p in "${consumers[@]}" "$NODE" "$DYNALITE" "$ENGINES"; do before[$p]=$(cpu_ticks "$p"); done
  started=$(date +%s)
  split=""
  while :; do
    total=0
    for port in "${ports[@]}"; do total=$((total + $(written "$port"))); done
    if [ -z "$split" ] && [ "$total" -ge $((EVENTS / 2)) ]; then
      split=$(tool DrainBench locks "http://127.0.0.1:$DYNAMODB_PORT" "bench-locks-$stamp" | sed -E 's/[0-9a-f-]{36}/instance/g')
    fi
    [ "$total" -ge "$EVENTS" ] && break
    [ $(( $(date +%s) - started )) -gt 900 ] && { echo "run $n: not drained after 15 min; see $DIR" >&2; exit 1; }
    sleep 1
  done
  elapsed=$(( $(date +%s) - started ))
  drained=$(tool DrainBench drain "http://127.0.0.1:$DYNAMODB_PORT" "$stream")
  cpu=""
  i=1
  for p in "${consumers[@]}"; do
    cpu="$cpu consumer-$i=$(( ($(cpu_ticks "$p") - ${before[$p]}) * 100 / TICKS / elapsed ))%"; i=$((i + 1))
  done
  cpu="$cpu kinesis-mock=$(( ($(cpu_ticks "$NODE") - ${before[$NODE]}) * 100 / TICKS / elapsed ))%"
  cpu="$cpu dynalite=$(( ($(cpu_ticks "$DYNALITE") - ${before[$DYNALITE]}) * 100 / TICKS / elapsed ))%"
  cpu="$cpu engines-jvm=$(( ($(cpu_ticks "$ENGINES") - ${before[$ENGINES]}) * 100 / TICKS / elapsed ))%"
  batches=""
  i=1
  for port in "${ports[@]}"; do
    batches="$batches consumer-$i=$(metric "$port" eventstore.batch.size COUNT)x$(metric "$port" eventstore.batch.size MAX)max"
    i=$((i + 1))
  done
  for p in "${consumers[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  tool BenchTool delete-stream "http://127.0.0.1:$KINESIS_PORT" "$stream" || true
  echo "--- $n instance(s) (stream $stream)"
  echo "filled: $filled"
  echo "drained: $drained (start to drained: ${elapsed}s, JVM start-up included)"
  echo "shards per instance halfway: $split"
  echo "batches (Kinesis polls handed to the listener, x the largest):$batches"
  echo "cpu (share of one core, start to drained):$cpu"
  summary+=("instances=$n $drained shards_halfway=[$split] batches:$batches cpu:$cpu")
done
# the DynamoDB engine alone, from a client that does nothing else, in this same session: what bounds any drain rate
ceiling=$(tool DrainBench ceiling "http://127.0.0.1:$DYNAMODB_PORT" "bench-ceiling-$(date +%s)" 15 8 "$DYNAMODB_ENGINE")
echo "--- DynamoDB engine ceiling (BatchWriteItem of 25 event-like items, 8 threads, 15 s): $ceiling"
summary+=("dynamodb-ceiling $ceiling")
echo "--- summary ($(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
printf '%s\n' "${summary[@]}"
