# What the bench scripts share; each sources it right after `set -euo pipefail` and `cd` to the repository root.
# It gives: the clean-up of every process the script started (add each pid to `pids`), the build and the engines'
# class path, the local engines on fixed ports, the CPU and time probes, a service's meters, and wrk with its parsing.
# shellcheck shell=bash

VERSION=0.1.0-SNAPSHOT
TICKS=$(getconf CLK_TCK)
pids=()
cleanup() { kill -TERM "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT

# the JIT's flags of the image's ENTRYPOINT (Dockerfile): C2 after 10 times the JDK's default counts
IMAGE_JIT_OPTS=(-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000 -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000)

now_ms() { date +%s%3N; }
# CPU time of a process (user + system, with its waited-for children), in clock ticks; 0 once it is gone
cpu_ticks() { if [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ]; then awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat"; else echo 0; fi; }

# build <log> <module>...: packages the modules and what they need, from this checkout alone (package, not install);
# sets CP, the engines' class path (local-engines writes its runtime class path when it builds), and ENGINES_JAVA, the
# command that runs one of local-engines' classes on it
build() {
  local log=$1; shift
  local modules
  modules=$(IFS=,; echo "$*")
  ./mvnw -B -q -DskipTests package -pl "$modules" -am > "$log" 2>&1 || { tail -30 "$log" >&2; exit 1; }
  CP="local-engines/target/classes:$(cat local-engines/target/runtime.classpath)"
  ENGINES_JAVA=(java -Dlogback.configurationFile=local-engines-logback.xml -cp "$CP")
}

# tool <class> <args...>: one of local-engines' bench tools (BenchTool, DrainBench, OtlpSink ...)
tool() { "${ENGINES_JAVA[@]}" "org.reactivetracking.engines.$1" "${@:2}" 2>/dev/null; }
# start_tool <output file> <class> <args...>: a tool in the background until stopped or the script ends; TOOL is its
# pid. Not `tool ... &`: that backgrounds a subshell, and stopping the subshell leaves the JVM running (a sink kept
# its port after the script ended, and the next run's sink could not start)
start_tool() {
  local out=$1; shift
  "${ENGINES_JAVA[@]}" "org.reactivetracking.engines.$1" "${@:2}" > "$out" 2>/dev/null &
  TOOL=$!
  pids+=($TOOL)
}

# node_process <command line pattern> [environment entry]: the node process whose command line matches (not the
# shell that wraps it) and, when given, whose environment holds that entry (kinesis-mock's command line names no port)
node_process() {
  for p in $(pgrep -f "$1"); do
    if [ "$(cat "/proc/$p/comm")" = node ] && { [ -z "${2:-}" ] || grep -qz "^$2\$" "/proc/$p/environ"; }; then
      echo "$p"; fi; done | tail -1
}

# start_engines <dir> <redis port> <kinesis port> <dynamodb port> [event stream] [update stream]: Redis, kinesis-mock
# and dynalite until the script ends, their streams created; sets ENGINES (the engines' JVM), NODE (kinesis-mock),
# DYNALITE, REDIS (their processes) and DYNAMODB_ENGINE (dynalite-<version>), and exports what points a service at them
start_engines() {
  local dir=$1 redis=$2 kinesis=$3 dynamodb=$4
  EVENT_STREAM=${5:-bench-events} UPDATE_STREAM=${6:-bench-updates} REDIS_PORT=$redis KINESIS_PORT=$kinesis \
    DYNAMODB_PORT=$dynamodb LOCAL_ENGINES_HOME="$PWD/.local-engines" LOCAL_ENGINES_LOGS="$PWD/$dir" \
    "${ENGINES_JAVA[@]}" org.reactivetracking.engines.LocalEnginesMain > "$dir/engines.log" 2>&1 &
  ENGINES=$!
  pids+=($ENGINES)
  for _ in $(seq 1 600); do grep -q "engines ready" "$dir/engines.log" && break; sleep 0.2; done
  grep -q "engines ready" "$dir/engines.log" || { echo "the engines did not start; see $dir/engines.log" >&2; exit 1; }
  NODE=$(node_process "node main.js" "KINESIS_MOCK_PLAIN_PORT=$kinesis")
  DYNALITE=$(node_process "dynalite/cli.js --host 127.0.0.1 --port $dynamodb ")
  REDIS=$(for p in $(pgrep -f "redis-server.*$redis|valkey-server.*$redis"); do
    if [ "$(cat "/proc/$p/comm")" != sh ]; then echo "$p"; fi; done | tail -1)
  [ -n "$NODE" ] && [ -n "$DYNALITE" ] && [ -n "$REDIS" ] \
    || { echo "cannot find the kinesis-mock, dynalite or redis process" >&2; exit 1; }
  DYNAMODB_ENGINE=$(sed -n 's/.*\(dynalite [^ ]*\) :.*/\1/p' "$dir/engines.log" | tr ' ' '-')
  export AWS_REGION=us-east-1 REDIS_PORT=$redis
  export SPRING_CLOUD_AWS_CREDENTIALS_ACCESS_KEY=local SPRING_CLOUD_AWS_CREDENTIALS_SECRET_KEY=local
  export SPRING_CLOUD_AWS_KINESIS_ENDPOINT=http://127.0.0.1:$kinesis
  export SPRING_CLOUD_AWS_DYNAMODB_ENDPOINT=http://127.0.0.1:$dynamodb
  export EVENTSTORE_CREATE_TABLES=true KINESIS_CONSUMER_CREATE_LEASE_TABLE=true
}

# metric <port> <name> <statistic> [tag:value ...]: one statistic of a service's meter, as an integer (0 while the
# meter does not exist yet); the admin key when the service asks for one (TRACKING_ADMIN_API_KEY)
metric() {
  local url="http://127.0.0.1:$1/actuator/metrics/$2?" statistic=$3; shift 3
  for tag in "$@"; do url="$url&tag=$tag"; done
  { curl -s -H "X-Api-Key: ${TRACKING_ADMIN_API_KEY:-}" "$url" || true; } \
    | sed -n "s/.*\"statistic\":\"$statistic\",\"value\":\([0-9.E]*\).*/\1/p" | awk 'BEGIN {v = 0} {v = $1} END {printf "%d", v}'
}

# run_wrk <connections> <seconds> <url> <output file> [delay ms]: wrk -t2 with bench/status-counts.lua, which counts
# every status and, with a delay, paces each connection; the parsers below read its output
run_wrk() { WRK_DELAY_MS=${5:-} wrk -t2 -c"$1" -d"${2}s" --timeout 10s -s bench/status-counts.lua "$3" > "$4" 2>&1 || true; }
wrk_rps() { awk '/requests_per_s/ {print $2}' "$1"; }
wrk_latency() { grep latency_ms "$1" | cut -d' ' -f2-; }
wrk_statuses() { awk '/^status / {printf "%s:%s ", $2, $3}' "$1"; }
