#!/usr/bin/env bash
# Runs the whole system on this machine: Redis, kinesis-mock and dynalite on loopback, then the three services,
# seeded with the sample programs. Prints what to try. Ctrl-C, SIGTERM or SIGHUP (to this script or its process
# group) stops everything it started.
#
# Needs a JDK 17+, Node.js with npm (for kinesis-mock and dynalite) and access to Maven Central and the npm registry.
# Ports (override with environment variables): REDIS_PORT 6379, KINESIS_PORT 4567, DYNAMODB_PORT 8000,
# TRACKING_PORT 8080, CONSUMER_PORT 8081, UPDATER_PORT 8082. TRACKING_ADMIN_API_KEY: a random one if unset.
# RUN_DIR (.run): where the logs go. SKIP_BUILD=true starts what an earlier build left in target/ (jars built with
# Spring's AOT processing: -Dspring.aot.enabled=true needs their generated classes).
set -euo pipefail
cd "$(dirname "$0")"

REDIS_PORT=${REDIS_PORT:-6379}
KINESIS_PORT=${KINESIS_PORT:-4567}
DYNAMODB_PORT=${DYNAMODB_PORT:-8000}
TRACKING_PORT=${TRACKING_PORT:-8080}
CONSUMER_PORT=${CONSUMER_PORT:-8081}
UPDATER_PORT=${UPDATER_PORT:-8082}
EVENT_STREAM=${EVENT_STREAM:-tracking-events}
UPDATE_STREAM=${UPDATE_STREAM:-program-updates}
TRACKING_ADMIN_API_KEY=${TRACKING_ADMIN_API_KEY:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}
RUN_DIR=${RUN_DIR:-.run}
VERSION=0.1.0-SNAPSHOT
export EVENT_STREAM UPDATE_STREAM REDIS_PORT KINESIS_PORT DYNAMODB_PORT

for tool in java node npm curl; do
  command -v "$tool" >/dev/null || { echo "run.sh needs '$tool' on the PATH" >&2; exit 1; }
done
for port in "$REDIS_PORT" "$KINESIS_PORT" "$DYNAMODB_PORT" "$TRACKING_PORT" "$CONSUMER_PORT" "$UPDATER_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is taken; free it or choose another (see the top of run.sh)" >&2
    exit 1
  fi
done

mkdir -p "$RUN_DIR"
pids=()
stop_all() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    echo; echo "Stopping..."
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if [ "${SKIP_BUILD:-false}" != true ]; then
  echo "Building (logs in $RUN_DIR/build.log)..."
  ./mvnw -B -q -DskipTests install > "$RUN_DIR/build.log" 2>&1 || { tail -30 "$RUN_DIR/build.log"; exit 1; }
fi

wait_for() { # description, seconds, command...
  local what=$1 seconds=$2; shift 2
  for _ in $(seq 1 $((seconds * 4))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  echo "$what did not come up within ${seconds}s; see $RUN_DIR/*.log" >&2
  exit 1
}

echo "Starting the engines (Redis :$REDIS_PORT, kinesis-mock :$KINESIS_PORT, dynalite :$DYNAMODB_PORT)..."
LOCAL_ENGINES_HOME="$PWD/.local-engines" LOCAL_ENGINES_LOGS="$RUN_DIR" \
  java -Dlogback.configurationFile=local-engines-logback.xml \
  -cp "local-engines/target/classes:$(cat local-engines/target/runtime.classpath)" \
  org.reactivetracking.engines.LocalEnginesMain > "$RUN_DIR/engines.log" 2>&1 &
pids+=($!)
wait_for "the engines" 180 grep -q "engines ready" "$RUN_DIR/engines.log"
grep "engines ready" "$RUN_DIR/engines.log"

export REDIS_PORT AWS_REGION=us-east-1 TRACKING_ADMIN_API_KEY EVENTSTORE_CREATE_TABLES=true
export KINESIS_CONSUMER_CREATE_LEASE_TABLE=true
export SPRING_CLOUD_AWS_KINESIS_ENDPOINT="http://127.0.0.1:$KINESIS_PORT"
export SPRING_CLOUD_AWS_DYNAMODB_ENDPOINT="http://127.0.0.1:$DYNAMODB_PORT"
export SPRING_CLOUD_AWS_CREDENTIALS_ACCESS_KEY=local SPRING_CLOUD_AWS_CREDENTIALS_SECRET_KEY=local

start_service() { # module, port
  echo "Starting $1 on :$2..."
  PORT=$2 java -Xmx256m -Dspring.aot.enabled=true -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000 -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000 -jar "$1/target/$1-$VERSION.jar" > "$RUN_DIR/$1.log" 2>&1 &
  pids+=($!)
}
start_service kinesis-consumer "$CONSUMER_PORT"
start_service redis-updater "$UPDATER_PORT"
start_service tracking-service "$TRACKING_PORT"
for port in "$CONSUMER_PORT" "$UPDATER_PORT" "$TRACKING_PORT"; do
  wait_for "the service on :$port" 180 curl -sf "http://127.0.0.1:$port/actuator/health/readiness"
done

curl -sf -X POST -H "X-Api-Key: $TRACKING_ADMIN_API_KEY" "http://127.0.0.1:$TRACKING_PORT/cache/fill" > /dev/null

cat <<INFO

The system is up (logs in $RUN_DIR/). Try:

  curl -i http://127.0.0.1:$TRACKING_PORT/event/212313
  curl -i http://127.0.0.1:$TRACKING_PORT/event/999999          # unknown program: 404 problem details
  curl -X PUT -H 'X-Api-Key: $TRACKING_ADMIN_API_KEY' -H 'Content-Type: application/json' \\
       -d '{"programName":"Winter launch","checksum":"ab12","customerId":4242,"customerName":"Example Corp","valid":true}' \\
       http://127.0.0.1:$TRACKING_PORT/programs/777001
  curl -i http://127.0.0.1:$TRACKING_PORT/event/777001          # a second or two later: the new program

Admin API key: $TRACKING_ADMIN_API_KEY
Engines (any credentials, region us-east-1):
  aws --endpoint-url http://127.0.0.1:$KINESIS_PORT kinesis list-streams
  aws --endpoint-url http://127.0.0.1:$DYNAMODB_PORT dynamodb scan --table-name tracking-events
  redis-cli -p $REDIS_PORT hgetall 'program:{212313}'

Ctrl-C stops everything.
INFO
wait "${pids[@]}"
