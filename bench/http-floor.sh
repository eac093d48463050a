#!/usr/bin/env bash
# The floor under GET /event/{programId} on this machine (numbers, not a test): how fast servers that do no work answer
# the same request with the same wrk settings as bench/run.sh, on the tracking service's own class path.
#
#   bench/http-floor.sh [seconds per run]     CONCURRENCY="64 256"  WARMUP=30 (seconds before each measured run: the JIT
#     keeps compiling for the first ~20 s, and a shorter warm-up measures the compiler, not the server)
#
# Servers (bench/HttpFloor.java): "netty", Reactor Netty's HTTP server alone with a fixed JSON answer; "webflux", an
# annotated Spring WebFlux controller answering a small record through Jackson (no Spring Boot, actuator or
# observation). Per server and concurrency: wrk -t2 for WARMUP seconds, then measured; req/s, latency, and the server's
# CPU per request. Set beside bench/run.sh's /event and liveness figures, it shows what the HTTP stack itself costs
# here before the service does anything. Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-20}
CONCURRENCY=${CONCURRENCY:-64 256}
WARMUP=${WARMUP:-30}
PORT=${BENCH_FLOOR_PORT:-28090}
HEAP=${BENCH_HEAP:-384m}
DIR=target/bench-floor
command -v wrk >/dev/null || { echo "bench/http-floor.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
mkdir -p "$DIR/classes"
. bench/lib.sh

build "$DIR/build.log" local-engines tracking-service
# the tracking service's own class path: the servers below run on what it runs on
./mvnw -B -q dependency:build-classpath -pl tracking-service -Dmdep.includeScope=runtime \
  -Dmdep.outputFile=target/runtime.classpath >> "$DIR/build.log" 2>&1
SERVER_CP="$(cat tracking-service/target/runtime.classpath)"
javac -parameters -d "$DIR/classes" -cp "$SERVER_CP" bench/HttpFloor.java

echo "machine: $(nproc) cores; java $(java -version 2>&1 | head -1 | cut -d'"' -f2); heap $HEAP; ${DURATION}s per run after a ${WARMUP} s warm-up"
summary=()
for server in netty webflux; do
  java -Xmx$HEAP -cp "$DIR/classes:$SERVER_CP" HttpFloor "$server" "$PORT" > "$DIR/$server.log" 2>&1 &
  pid=$!
  pids+=($pid)
  for _ in $(seq 1 600); do grep -q "listening on" "$DIR/$server.log" && break; sleep 0.05; done
  grep -q "listening on" "$DIR/$server.log" || { echo "$server did not start; see $DIR/$server.log" >&2; exit 1; }
  for c in $CONCURRENCY; do
    run_wrk "$c" "$WARMUP" "http://127.0.0.1:$PORT/event/212313" /dev/null
    before=$(cpu_ticks "$pid")
    run_wrk "$c" "$DURATION" "http://127.0.0.1:$PORT/event/212313" "$DIR/wrk-$server-c$c.txt"
    used=$(( $(cpu_ticks "$pid") - before ))
    rps=$(wrk_rps "$DIR/wrk-$server-c$c.txt")
    latency=$(wrk_latency "$DIR/wrk-$server-c$c.txt")
    statuses=$(wrk_statuses "$DIR/wrk-$server-c$c.txt")
    per_request=$(awk -v u="$used" -v t="$TICKS" -v r="$rps" -v d="$DURATION" \
      'BEGIN {if (r > 0) printf "%.0f", u / t * 1000000 / (r * d)}')
    line="$server-c$c rps=$rps $latency statuses=[${statuses% }] cpu=$(( used * 100 / TICKS / DURATION ))% cpu/request=${per_request}us"
    echo "$line"
    [[ "${statuses% }" =~ ^200:[0-9]+$ ]] || { echo "$server answered other than 200; see $DIR/$server.log" >&2; exit 1; }
    summary+=("$line")
  done
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
done
echo "--- summary ($(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
printf '%s\n' "${summary[@]}"
